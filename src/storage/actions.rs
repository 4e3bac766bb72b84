//! Tiltak (tiltak.md) and their status comments. A change set of tiltak is checked whole
//! (`rules::action`, `rules::action_refs`: the goal is one of the catalogue's, the unit and
//! the indicators known, each code once) and each row created, replaced or left alone with
//! one audit entry (`tiltak`). A status comment is refused when its period's last month is
//! locked: the period is closed, like its figures.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::model::{Action, ActionComment, ActionKind, ActionStatus};
use crate::period::Period;
use crate::rules;
use crate::text::nfc;

use super::apply::log_change;
use super::audit::{json, Change, Writer};
use super::ApplySummary;

const COLUMNS: &str = "code, title, description, goal, success_factor, unit, responsible, \
    kind, decision_ref, start, deadline, status, progress, cost_ore, indicators";

/// A stored tiltak back to the model; a value this version cannot read is damage.
fn action(r: &Row<'_>) -> rusqlite::Result<std::result::Result<Action, String>> {
    let code: String = r.get(0)?;
    let kind: String = r.get(7)?;
    let status: String = r.get(11)?;
    let progress: i64 = r.get(12)?;
    let indicators: String = r.get(14)?;
    let damaged = |what: &str, value: &str| format!("tiltak «{code}» har {what} «{value}»");
    let Some(kind) = ActionKind::parse(&kind) else {
        return Ok(Err(damaged("typen", &kind)));
    };
    let Some(status) = ActionStatus::parse(&status) else {
        return Ok(Err(damaged("statusen", &status)));
    };
    let Ok(progress) = u8::try_from(progress) else {
        return Ok(Err(damaged("fremdriften", &progress.to_string())));
    };
    let Ok(indicators) = serde_json::from_str::<Vec<String>>(&indicators) else {
        return Ok(Err(damaged("indikatorlisten", &indicators)));
    };
    Ok(Ok(Action {
        title: r.get(1)?,
        description: r.get(2)?,
        goal: r.get(3)?,
        success_factor: r.get(4)?,
        unit: r.get(5)?,
        responsible: r.get(6)?,
        kind,
        decision_ref: r.get(8)?,
        start: r.get(9)?,
        deadline: r.get(10)?,
        status,
        progress,
        cost_ore: r.get(13)?,
        indicators,
        code,
    }))
}

fn collect(
    rows: impl Iterator<Item = rusqlite::Result<std::result::Result<Action, String>>>,
) -> Result<Vec<Action>> {
    let mut out = Vec::new();
    for row in rows {
        out.push(row?.map_err(Error::Corrupt)?);
    }
    Ok(out)
}

/// Every tiltak, by code.
pub fn load(conn: &Connection) -> Result<Vec<Action>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM actions ORDER BY code"))?;
    let rows = stmt.query_map([], action)?;
    collect(rows)
}

/// One tiltak, if there is one with `code`.
pub fn get(conn: &Connection, code: &str) -> Result<Option<Action>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM actions WHERE code = ?1"))?;
    let row = stmt.query_row([code], action).optional()?;
    row.transpose().map_err(Error::Corrupt)
}

/// The text fields composed (NFC) and trimmed, empty optional ones as `None`, whatever door
/// the tiltak came through.
fn tidy(a: &Action) -> Action {
    let text = |t: &str| nfc(t.trim()).into_owned();
    let optional = |t: &Option<String>| {
        t.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| nfc(t).into_owned())
    };
    Action {
        code: a.code.clone(),
        title: text(&a.title),
        description: optional(&a.description),
        goal: text(&a.goal),
        success_factor: optional(&a.success_factor),
        unit: a.unit.clone(),
        responsible: text(&a.responsible),
        kind: a.kind,
        decision_ref: optional(&a.decision_ref),
        start: optional(&a.start).map(|m| crate::period::Month::parse_id(&m).map_or(m, |m| m.id())),
        deadline: optional(&a.deadline)
            .map(|m| crate::period::Month::parse_id(&m).map_or(m, |m| m.id())),
        status: a.status,
        progress: a.progress,
        cost_ore: a.cost_ore,
        indicators: a.indicators.iter().map(|c| c.trim().to_string()).collect(),
    }
}

/// The goals of the indicator catalogue, as spelled there.
pub fn goals(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT goal FROM indicators WHERE goal IS NOT NULL")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<HashSet<_>>>()?)
}

fn codes(conn: &Connection, table: &str) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT code FROM {table}"))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<HashSet<_>>>()?)
}

pub fn apply(
    conn: &Connection,
    actions: &[Action],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    let actions: Vec<Action> = actions.iter().map(tidy).collect();
    let goals = goals(conn)?;
    let units = codes(conn, "units")?;
    let indicators = codes(conn, "indicators")?;
    let mut seen = HashSet::new();
    for a in &actions {
        rules::action(a)?;
        rules::action_refs(
            a,
            |g| goals.contains(g),
            |u| units.contains(u),
            |i| indicators.contains(i),
        )?;
        if !seen.insert(a.code.as_str()) {
            return Err(Error::Duplicate(format!("tiltak «{}»", a.code)));
        }
    }
    let stored: HashMap<String, Action> = load(conn)?
        .into_iter()
        .map(|a| (a.code.clone(), a))
        .collect();
    let mut upsert = conn.prepare_cached(&format!(
        "INSERT INTO actions ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
             ?12, ?13, ?14, ?15)
         ON CONFLICT (code) DO UPDATE SET title = excluded.title,
             description = excluded.description, goal = excluded.goal,
             success_factor = excluded.success_factor, unit = excluded.unit,
             responsible = excluded.responsible, kind = excluded.kind,
             decision_ref = excluded.decision_ref, start = excluded.start,
             deadline = excluded.deadline, status = excluded.status,
             progress = excluded.progress, cost_ore = excluded.cost_ore,
             indicators = excluded.indicators"
    ))?;
    let mut summary = ApplySummary::default();
    let mut log_stmt = None;
    for a in &actions {
        let old = stored.get(&a.code);
        match old {
            Some(old) if old == a => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => summary.changed += 1,
            None => summary.created += 1,
        }
        upsert.execute(params![
            a.code,
            a.title,
            a.description,
            a.goal,
            a.success_factor,
            a.unit,
            a.responsible,
            a.kind.word(),
            a.decision_ref,
            a.start,
            a.deadline,
            a.status.key(),
            a.progress,
            a.cost_ore,
            json(&a.indicators),
        ])?;
        let old = old.map(json);
        let new = json(a);
        let change = Change {
            entity: "tiltak",
            key: &a.code,
            unit: Some(&a.unit),
            old: old.as_deref(),
            new: Some(&new),
            ..Change::default()
        };
        log_change(conn, log, &mut log_stmt, &change)?;
    }
    Ok(summary)
}

const COMMENT_COLUMNS: &str = "id, uid, action, period, author, text, created_at, updated_at";

fn comment(r: &Row<'_>) -> rusqlite::Result<ActionComment> {
    Ok(ActionComment {
        id: r.get(0)?,
        uid: r.get(1)?,
        action: r.get(2)?,
        period: r.get(3)?,
        author: r.get(4)?,
        text: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

/// Every status comment of the tiltak `code`, in period order, oldest first within one.
pub fn comments(conn: &Connection, code: &str) -> Result<Vec<ActionComment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COMMENT_COLUMNS} FROM action_comments WHERE action = ?1
         ORDER BY period, created_at, id"
    ))?;
    let rows = stmt.query_map([code], comment)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every status comment of every tiltak, by tiltak, period and time written.
pub fn all_comments(conn: &Connection) -> Result<Vec<ActionComment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COMMENT_COLUMNS} FROM action_comments ORDER BY action, period, created_at, id"
    ))?;
    let rows = stmt.query_map([], comment)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn get_comment(conn: &Connection, id: i64) -> Result<ActionComment> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COMMENT_COLUMNS} FROM action_comments WHERE id = ?1"
    ))?;
    stmt.query_row([id], comment)
        .optional()?
        .ok_or(Error::CommentNotFound(id))
}

/// A status comment may be written, changed or removed only while its period's last month
/// is open.
fn period_open(conn: &Connection, period: &Period) -> Result<()> {
    let last = period.last();
    let locked: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM locked_months WHERE month = ?1)")?
        .query_row([last.index()], |r| r.get(0))?;
    if locked {
        return Err(Error::LockedMonth(last.id()));
    }
    Ok(())
}

fn checked_text(text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid_field(
            "tekst",
            "statuskommentaren er tom; skriv noe før du lagrer",
        ));
    }
    Ok(nfc(text).into_owned())
}

fn write_log(
    conn: &Connection,
    log: &Writer<'_>,
    c: &ActionComment,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    let key = format!("{} / {}", c.action, c.period);
    log.write_one(
        conn,
        &Change {
            entity: "tiltakskommentar",
            key: &key,
            period: Some(&c.period),
            old,
            new,
            ..Change::default()
        },
    )
}

/// Inserts a status comment as it is (the demo keeps its own author and time), with a new
/// uid when it has none; returns its id.
pub fn insert_comment(conn: &Connection, c: &ActionComment) -> Result<i64> {
    let uid = if c.uid.is_empty() {
        super::new_uid()
    } else {
        c.uid.clone()
    };
    conn.prepare_cached(
        "INSERT INTO action_comments (uid, action, period, author, text, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        uid,
        c.action,
        c.period,
        c.author,
        c.text,
        c.created_at,
        c.updated_at
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn add_comment(
    conn: &Connection,
    code: &str,
    period: &Period,
    text: &str,
    log: &Writer<'_>,
) -> Result<ActionComment> {
    let text = checked_text(text)?;
    if get(conn, code)?.is_none() {
        return Err(Error::UnknownAction(code.to_string()));
    }
    period_open(conn, period)?;
    let mut c = ActionComment {
        id: 0,
        uid: super::new_uid(),
        action: code.to_string(),
        period: period.to_string(),
        author: log.user.to_string(),
        text,
        created_at: log.at.clone(),
        updated_at: None,
    };
    c.id = insert_comment(conn, &c)?;
    write_log(conn, log, &c, None, Some(&json(&c)))?;
    Ok(c)
}

pub fn update_comment(
    conn: &Connection,
    id: i64,
    text: &str,
    log: &Writer<'_>,
) -> Result<ActionComment> {
    let text = checked_text(text)?;
    let old = get_comment(conn, id)?;
    if old.text == text {
        return Ok(old);
    }
    period_open(conn, &Period::parse(&old.period)?)?;
    conn.prepare_cached("UPDATE action_comments SET text = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, text, log.at])?;
    let new = ActionComment {
        text,
        updated_at: Some(log.at.clone()),
        ..old.clone()
    };
    write_log(conn, log, &new, Some(&json(&old)), Some(&json(&new)))?;
    Ok(new)
}

pub fn delete_comment(conn: &Connection, id: i64, log: &Writer<'_>) -> Result<()> {
    let old = get_comment(conn, id)?;
    period_open(conn, &Period::parse(&old.period)?)?;
    conn.prepare_cached("DELETE FROM action_comments WHERE id = ?1")?
        .execute([id])?;
    write_log(conn, log, &old, Some(&json(&old)), None)
}
