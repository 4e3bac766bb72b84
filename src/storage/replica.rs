//! The desktop replica of a shared municipality (sharing.md §3–4, docs/sharing-design.md
//! §7). A replica is an ordinary Målkart database with one row in `replica`; the engine and
//! every view read it unchanged. This module owns what makes it a replica:
//!
//! - **the outbox**: triggers (migration 0004) record every row a local write changes in
//!   `row_changes`; `collect`, run by every write transaction just before it commits, turns
//!   them into one `outbox` operation per changed cell, with the cell's base version (from
//!   `row_versions`) and base value. A cell already waiting unsent is updated in place (its
//!   base stays the one the user edited from).
//! - **push answers**: `record_push` — applied: the cell's version is stored and the
//!   operation removed; a conflict or a refusal (`låst`, `ingen tilgang`, `ugyldig`): the
//!   operation is kept with theirs and the reason (issue 14 shows and resolves them).
//! - **pull**: `apply_pull` writes the server's rows in one transaction with the triggers
//!   off; a cell with an unsent or conflicting operation keeps the local value.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ts_rs::TS;

use super::pull_answer::{Deletion, Pull, PullHead, PullPart, PulledRow, ALL_AT_VERSION};
use crate::error::{Error, Result};
use crate::period::{Month, Period};

/// What the replica knows of its server; `None` for a single-user file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReplicaInfo {
    pub server_url: String,
    pub user_name: String,
    pub role: String,
    /// The unit codes the user was given (her subtrees); empty for `økonom` and
    /// `administrator`, who read everything.
    pub units: Vec<String>,
    /// The change feed's watermark after the last pull; `None` before the first.
    pub watermark: Option<String>,
    pub scope: Option<String>,
    /// The last pull that reached the server (RFC 3339).
    pub last_sync_at: Option<String>,
    pub last_attempt_at: Option<String>,
    /// Why the last attempt failed; `None` when it did not.
    pub last_error: Option<String>,
}

/// How many operations wait in the outbox.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OutboxCounts {
    /// Not yet answered by the server (never sent, or sent and the answer lost).
    pub pending: u64,
    /// Answered with a conflict or a refusal; kept until resolved.
    pub conflicts: u64,
}

/// One operation as push sends it (design §6).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutboxOp {
    pub op_id: String,
    pub batch: String,
    pub entity: String,
    pub key: Value,
    pub field: String,
    pub base_version: Option<i64>,
    pub base_value: Value,
    pub new_value: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolves: Option<String>,
}

/// A kept conflict or refusal (sharing.md §4): what the user sees and resolves.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OutboxConflict {
    /// The operation's id: what `resolve ID` names.
    pub id: String,
    /// The local write it came from (one grid save, one import): `resolve --batch`.
    pub batch: String,
    /// Its source: «manuell», an imported file's name, …
    pub batch_label: String,
    /// The cell in words: «sykefravær 3100 2026-03 egenmeldt».
    pub cell: String,
    pub entity: String,
    /// The key as push names it, as JSON text.
    pub key: String,
    pub field: String,
    /// `conflict`, `låst`, `ingen tilgang` or `ugyldig`.
    pub kind: String,
    /// The values as JSON text (`null`: empty): the one edited from, this desktop's, and
    /// the server's (for a refusal: the server's value as this desktop last knew it).
    pub base: Option<String>,
    pub mine: Option<String>,
    pub theirs: Option<String>,
    /// Who wrote theirs and when (RFC 3339); unknown for a refusal.
    pub who: Option<String>,
    pub when: Option<String>,
    pub reason: Option<String>,
    /// The line of the imported file the cell came from (the header is line 1; for an
    /// economy file, the first of the lines summed into it); `None` for a grid save or
    /// any other write.
    #[ts(type = "number | null")]
    pub line: Option<u64>,
}

/// How a kept conflict is resolved: «Behold min» or «Bruk deres».
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Choice {
    /// A new operation on top of theirs (base = theirs, `resolves` = the conflict).
    Mine,
    /// The local cell takes theirs; nothing is sent.
    Theirs,
}

impl Choice {
    /// The button's words, as the audit log keeps them.
    pub fn words(self) -> &'static str {
        match self {
            Choice::Mine => "Behold min",
            Choice::Theirs => "Bruk deres",
        }
    }
}

/// The server's answer to one operation.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PushAnswer {
    pub op_id: String,
    pub status: String,
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub theirs: Option<Theirs>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Theirs {
    #[serde(default)]
    pub value: Value,
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
}

/// How a push went, counted from the answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PushTally {
    pub applied: u64,
    pub conflicts: u64,
    pub refused: u64,
}

/// A replicated table: its primary key, the columns a pull writes, the cells push takes.
pub(super) struct Table {
    pub(super) name: &'static str,
    pub(super) key: &'static [&'static str],
    pub(super) columns: &'static [&'static str],
    pub(super) cells: &'static [&'static str],
}

/// In the order a pull writes them (parents before the rows that name them).
#[rustfmt::skip]
const TABLES: &[Table] = &[
    Table { name: "perspectives", key: &["key"], columns: &["key", "name", "sort"], cells: &[] },
    Table { name: "units", key: &["code"], columns: &["code", "name", "parent", "level", "sort"],
            cells: &["name", "parent", "level"] },
    Table { name: "indicators", key: &["code"],
            columns: &["code", "name", "perspective", "goal", "description", "source", "responsible",
                       "unit_label", "decimals", "direction", "frequency", "aggregation",
                       "unit_rollup", "factor", "builtin"],
            cells: &["name", "perspective", "goal", "description", "source", "responsible",
                     "unit_label", "decimals", "direction", "frequency", "aggregation",
                     "unit_rollup", "factor"] },
    Table { name: "targets", key: &["indicator", "unit", "year"],
            columns: &["indicator", "unit", "year", "target", "red_limit"],
            cells: &["target", "red_limit"] },
    Table { name: "measurements", key: &["indicator", "span_first", "unit"],
            columns: &["indicator", "span_first", "unit", "span_last", "value", "numerator", "denominator"],
            cells: &["value", "numerator", "denominator"] },
    Table { name: "sick_leave", key: &["month", "unit"],
            columns: &["unit", "month", "contracted_days", "self_certified", "doctor_certified",
                       "employees", "days_1_3", "days_4_16", "days_17_56", "days_over_56"],
            cells: &["contracted_days", "self_certified", "doctor_certified", "employees",
                     "days_1_3", "days_4_16", "days_17_56", "days_over_56"] },
    Table { name: "economy", key: &["month", "unit"],
            columns: &["unit", "month", "budget", "actual", "forecast"],
            cells: &["budget", "actual", "forecast"] },
    Table { name: "comments", key: &["uid"],
            columns: &["uid", "indicator", "unit", "period", "author", "text", "created_at", "updated_at"],
            cells: &["text"] },
    Table { name: "actions", key: &["code"],
            columns: &["code", "title", "description", "goal", "success_factor", "unit",
                       "responsible", "kind", "decision_ref", "start", "deadline", "status",
                       "progress", "cost_ore", "indicators"],
            cells: &["title", "description", "goal", "success_factor", "unit", "responsible",
                     "kind", "decision_ref", "start", "deadline", "status", "progress",
                     "cost_ore", "indicators"] },
    Table { name: "action_comments", key: &["uid"],
            columns: &["uid", "action", "period", "author", "text", "created_at", "updated_at"],
            cells: &["text"] },
    Table { name: "locked_months", key: &["month"], columns: &["month", "locked_by", "locked_at"],
            cells: &["locked"] },
    Table { name: "settings", key: &["key"], columns: &["key", "value"], cells: &["value"] },
];

pub(super) fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// The cells of a replicated table (what a row's `cell_versions` names), by table name;
/// none for a table the replica does not know. The server sends `true` for a row whose
/// cells are exactly these, each at the row's version (design §6).
pub fn replicated_cells(name: &str) -> &'static [&'static str] {
    table(name).map_or(&[], |t| t.cells)
}

/// The outbox states that keep a cell's local value over a pulled one.
const UNSETTLED: &str = "('pending', 'sent', 'conflict')";

pub fn info(conn: &Connection) -> Result<Option<ReplicaInfo>> {
    Ok(conn
        .prepare_cached(
            "SELECT server_url, user_name, role, units, watermark, scope, last_sync_at,
                    last_attempt_at, last_error
             FROM replica WHERE id = 1",
        )?
        .query_row([], |r| {
            let units: String = r.get(3)?;
            Ok(ReplicaInfo {
                server_url: r.get(0)?,
                user_name: r.get(1)?,
                role: r.get(2)?,
                units: serde_json::from_str(&units).unwrap_or_default(),
                watermark: r.get(4)?,
                scope: r.get(5)?,
                last_sync_at: r.get(6)?,
                last_attempt_at: r.get(7)?,
                last_error: r.get(8)?,
            })
        })
        .optional()?)
}

/// Makes the (new, empty) database a replica of `info.server_url`.
pub fn make(conn: &Connection, info: &ReplicaInfo) -> Result<()> {
    if info_exists(conn)? {
        return Err(Error::Invalid(
            "databasen er allerede en kopi av en server; koble til på nytt i en ny fil".into(),
        ));
    }
    conn.execute(
        "INSERT INTO replica (id, server_url, user_name, role, units, watermark, scope)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            info.server_url,
            info.user_name,
            info.role,
            json!(info.units).to_string(),
            info.watermark,
            info.scope
        ],
    )?;
    Ok(())
}

/// Before a file's change set is written in a replica: the line each of its rows came from,
/// by the row's table and key as `collect` sees them (a connection's temporary table,
/// emptied by `collect`). The first line wins where two rows share a key. Nothing for a
/// single-user file or a change set without lines.
pub(super) fn note_lines(
    conn: &Connection,
    changes: &crate::changes::ChangeSet,
    lines: &[u64],
) -> Result<()> {
    if lines.is_empty() || lines.len() != changes.len() || !info_exists(conn)? {
        return Ok(());
    }
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS source_lines (
             entity TEXT NOT NULL, row_key TEXT NOT NULL, line INTEGER NOT NULL,
             PRIMARY KEY (entity, row_key)) WITHOUT ROWID;
         DELETE FROM temp.source_lines;",
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO temp.source_lines (entity, row_key, line) VALUES (?1, ?2, ?3)",
    )?;
    for ((entity, key), line) in change_keys(changes).into_iter().zip(lines) {
        insert.execute(params![entity, key.to_string(), i64::try_from(*line).ok()])?;
    }
    Ok(())
}

/// Each row of a change set as `collect` names it: its table and the JSON array of its
/// primary key (`Table::key`, months as their index).
fn change_keys(changes: &crate::changes::ChangeSet) -> Vec<(&'static str, Value)> {
    use crate::changes::ChangeSet;
    use crate::model::SickLeaveChange;
    match changes {
        ChangeSet::Units(v) => v.iter().map(|u| ("units", json!([u.code]))).collect(),
        ChangeSet::Indicators(v) => v.iter().map(|i| ("indicators", json!([i.code]))).collect(),
        ChangeSet::Targets(v) => v
            .iter()
            .map(|t| ("targets", json!([t.indicator, t.unit, t.year])))
            .collect(),
        ChangeSet::Measurements(v) => v
            .iter()
            .map(|m| {
                let first = m.span.first().index();
                ("measurements", json!([m.indicator, first, m.unit]))
            })
            .collect(),
        ChangeSet::SickLeave(v) => v
            .iter()
            .map(|c| {
                let (unit, month) = match c {
                    SickLeaveChange::Set(s) | SickLeaveChange::Update(s) => (&s.unit, s.month),
                    SickLeaveChange::Remove { unit, month } => (unit, *month),
                };
                ("sick_leave", json!([month.index(), unit]))
            })
            .collect(),
        ChangeSet::Economy(v) => v
            .iter()
            .map(|e| ("economy", json!([e.month.index(), e.unit])))
            .collect(),
        ChangeSet::Actions(v) => v.iter().map(|a| ("actions", json!([a.code]))).collect(),
        // Not replicated yet: a replica refuses them (storage::surveys).
        ChangeSet::SurveyResults(_) | ChangeSet::References(_) => Vec::new(),
        ChangeSet::Kostra { measurements, .. } => measurements
            .iter()
            .map(|m| {
                let first = m.span.first().index();
                ("measurements", json!([m.indicator, first, m.unit]))
            })
            .collect(),
    }
}

/// The file line `note_lines` gave the row, if any.
fn noted_line(conn: &Connection, noted: bool, entity: &str, row_key: &str) -> Result<Option<i64>> {
    if !noted {
        return Ok(None);
    }
    Ok(conn
        .prepare_cached("SELECT line FROM temp.source_lines WHERE entity = ?1 AND row_key = ?2")?
        .query_row(params![entity, row_key], |r| r.get(0))
        .optional()?)
}

fn info_exists(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM replica WHERE id = 1)")?
        .query_row([], |r| r.get(0))?)
}

/// Updates who the replica's user is (after a login: the role or units may have changed).
pub fn set_user(conn: &Connection, role: &str, units: &[String]) -> Result<()> {
    conn.execute(
        "UPDATE replica SET role = ?1, units = ?2 WHERE id = 1",
        params![role, json!(units).to_string()],
    )?;
    Ok(())
}

/// Records a failed attempt to reach the server (the app shows «Frakoblet»).
pub fn note_failure(conn: &Connection, at: &str, error: &str) -> Result<()> {
    conn.execute(
        "UPDATE replica SET last_attempt_at = ?1, last_error = ?2 WHERE id = 1",
        params![at, error],
    )?;
    Ok(())
}

/// Turns the row changes of the transaction being written into outbox operations, one
/// per changed cell. Called by every write transaction just before it commits.
pub fn collect(conn: &Connection) -> Result<()> {
    let changes: Vec<(String, Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT entity, old, new FROM row_changes ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if changes.is_empty() {
        return Ok(());
    }
    let label: String = conn
        .prepare_cached(
            "SELECT source FROM audit_batches WHERE id = (SELECT MAX(batch) FROM audit)",
        )?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "endring".into());
    let batch = super::new_uid();
    let now = super::db::now();
    let noted: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM temp.sqlite_master
                            WHERE type = 'table' AND name = 'source_lines')",
        )?
        .query_row([], |r| r.get(0))?;
    for (entity, old, new) in &changes {
        let Some(table) = table(entity) else {
            continue;
        };
        let old = parse_row(old.as_deref())?;
        let new = parse_row(new.as_deref())?;
        let Some(row) = new.as_ref().or(old.as_ref()) else {
            continue;
        };
        let row_key = row_key(table, row);
        let key = push_key(table, row);
        if old.is_none() {
            mark_new(conn, table.name, &row_key)?;
        }
        let line = noted_line(conn, noted, table.name, &row_key)?;
        for field in table.cells {
            let (before, after) = if table.name == "locked_months" {
                (json!(old.is_some()), json!(new.is_some()))
            } else {
                (cell(old.as_ref(), field), cell(new.as_ref(), field))
            };
            if before == after {
                continue;
            }
            record_op(
                conn,
                Op {
                    batch: &batch,
                    label: &label,
                    table,
                    key: &key,
                    row_key: &row_key,
                    field,
                    before: &before,
                    after: &after,
                    now: &now,
                    line,
                },
            )?;
        }
    }
    conn.prepare_cached("DELETE FROM row_changes")?
        .execute([])?;
    if noted {
        conn.prepare_cached("DELETE FROM temp.source_lines")?
            .execute([])?;
    }
    Ok(())
}

struct Op<'a> {
    batch: &'a str,
    label: &'a str,
    table: &'a Table,
    key: &'a Value,
    row_key: &'a str,
    field: &'a str,
    before: &'a Value,
    after: &'a Value,
    now: &'a str,
    /// The file line the row came from (an import), else `None`.
    line: Option<i64>,
}

fn record_op(conn: &Connection, op: Op<'_>) -> Result<()> {
    let new_value = json_text(op.after);
    // A cell already waiting unsent takes the newer value and keeps its base; so does a
    // cell in a kept conflict: the edit becomes the conflict's «min» (it is not sent on
    // its own past the conflict — the user still chooses, sharing.md §4).
    let updated = conn
        .prepare_cached(
            "UPDATE outbox SET new_value = ?4
             WHERE entity = ?1 AND row_key = ?2 AND field = ?3
               AND state IN ('pending', 'conflict')",
        )?
        .execute(params![op.table.name, op.row_key, op.field, new_value])?;
    if updated > 0 {
        return Ok(());
    }
    // The base: the version of the cell on the server, as the last pull or push left it;
    // an operation still waiting on the same cell is the newer base (its answer moves
    // this one's base on when it comes, see `record_push`).
    let base_version: Option<i64> = conn
        .prepare_cached(
            "SELECT CASE WHEN cells = '' THEN version ELSE json_extract(cells, '$.' || ?3) END
             FROM row_versions WHERE entity = ?1 AND key = ?2
             UNION ALL
             SELECT version FROM reset_versions
             WHERE entity = ?1
               AND NOT EXISTS (SELECT 1 FROM row_versions WHERE entity = ?1 AND key = ?2)",
        )?
        .query_row(params![op.table.name, op.row_key, op.field], |r| r.get(0))
        .optional()?
        .flatten();
    conn.prepare_cached(
        "INSERT INTO outbox (op_id, batch, batch_label, entity, key, row_key, field,
                             base_version, base_value, new_value, created_at, state, line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'pending', ?12)",
    )?
    .execute(params![
        super::new_uid(),
        op.batch,
        op.label,
        op.table.name,
        op.key.to_string(),
        op.row_key,
        op.field,
        base_version,
        json_text(op.before),
        new_value,
        op.now,
        op.line,
    ])?;
    Ok(())
}

/// A row the replica made (an insert) that has no versions yet gets a marker: no cell on
/// the server (every base `null`), so it is not taken for a row of the last reset at
/// the table's version (`reset_versions`). Not for a row that still has operations on
/// its way (deleted and made again before the answer came): its versions are the reset's.
fn mark_new(conn: &Connection, entity: &str, row_key: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO row_versions (entity, key, version, cells)
         SELECT ?1, ?2, 0, '{}'
         WHERE EXISTS (SELECT 1 FROM reset_versions WHERE entity = ?1)
           AND NOT EXISTS (SELECT 1 FROM row_versions WHERE entity = ?1 AND key = ?2)
           AND NOT EXISTS (SELECT 1 FROM outbox WHERE entity = ?1 AND row_key = ?2
                           AND state IN ('pending', 'sent', 'conflict'))",
    )?
    .execute(params![entity, row_key])?;
    Ok(())
}

/// A JSON value as stored in the outbox: SQL NULL for JSON null.
fn json_text(v: &Value) -> Option<String> {
    (!v.is_null()).then(|| v.to_string())
}

fn parse_row(text: Option<&str>) -> Result<Option<Map<String, Value>>> {
    text.map(|t| {
        serde_json::from_str::<Map<String, Value>>(t)
            .map_err(|e| Error::Corrupt(format!("en radendring i kopien kan ikke leses: {e}")))
    })
    .transpose()
}

fn cell(row: Option<&Map<String, Value>>, field: &str) -> Value {
    row.and_then(|r| r.get(field))
        .cloned()
        .unwrap_or(Value::Null)
}

/// The local primary key as a JSON array (`["SF",24315,"3100"]`): `row_versions.key`.
fn row_key(table: &Table, row: &Map<String, Value>) -> String {
    Value::Array(table.key.iter().map(|k| cell(Some(row), k)).collect()).to_string()
}

/// The key object push takes (design §6): months and periods as text.
fn push_key(table: &Table, row: &Map<String, Value>) -> Value {
    let text = |k: &str| cell(Some(row), k);
    let month = |k: &str| {
        row.get(k)
            .and_then(Value::as_i64)
            .and_then(|i| i32::try_from(i).ok())
            .map(|i| Month::from_index(i).id())
    };
    match table.name {
        "measurements" => {
            let first = month("span_first");
            let period = row
                .get("span_first")
                .and_then(Value::as_i64)
                .zip(row.get("span_last").and_then(Value::as_i64))
                .and_then(|(a, b)| {
                    span_period(
                        Month::from_index(i32::try_from(a).ok()?),
                        Month::from_index(i32::try_from(b).ok()?),
                    )
                })
                .map(|p| p.to_string())
                .or(first);
            json!({ "indicator": text("indicator"), "unit": text("unit"), "period": period })
        }
        "sick_leave" | "economy" => json!({ "unit": text("unit"), "month": month("month") }),
        "targets" => {
            json!({ "indicator": text("indicator"), "unit": text("unit"), "year": text("year") })
        }
        "comments" => json!({
            "uid": text("uid"), "indicator": text("indicator"), "unit": text("unit"),
            "period": text("period"),
        }),
        "locked_months" => json!({ "month": month("month") }),
        "settings" => json!({ "key": text("key") }),
        // The unit is the one the rights are asked about (a new tiltak's own).
        "actions" => json!({ "code": text("code"), "unit": text("unit") }),
        "action_comments" => json!({
            "uid": text("uid"), "action": text("action"), "period": text("period"),
        }),
        _ => json!({ "code": text("code") }),
    }
}

/// A stored span as the period it is (`2026-03`, `2026-K1`, `2026`), as push names it.
fn span_period(first: Month, last: Month) -> Option<Period> {
    let len = last.index() - first.index() + 1;
    let number = (first.month() - 1) / len.max(1) as u32 + 1;
    let aligned = (first.month() - 1) % len.max(1) as u32 == 0;
    match len {
        1 => Some(Period::month(first)),
        3 if aligned => Period::quarter(first.year(), number),
        4 if aligned => Period::tertial(first.year(), number),
        6 if aligned => Period::half(first.year(), number),
        12 if aligned => Period::year(first.year()),
        _ => Period::range(first, last),
    }
}

/// The operations to push, oldest first, at most `limit`; each is marked `sent`. At most
/// one operation per cell goes in one request: a later edit of a cell whose earlier
/// operation is still unanswered waits for that answer, which moves its base on (else the
/// server would see the user's second edit as a conflict with her first).
pub fn to_send(conn: &Connection, limit: usize) -> Result<Vec<OutboxOp>> {
    let rows: Vec<(String, OutboxOp)> = conn
        .prepare_cached(
            "SELECT op_id, batch, entity, key, field, base_version, base_value, new_value,
                    resolves, row_key
             FROM outbox WHERE state IN ('pending', 'sent') ORDER BY seq",
        )?
        .query_map([], |r| {
            let key: String = r.get(3)?;
            let base: Option<String> = r.get(6)?;
            let new: Option<String> = r.get(7)?;
            let op = OutboxOp {
                op_id: r.get(0)?,
                batch: r.get(1)?,
                entity: r.get(2)?,
                key: serde_json::from_str(&key).unwrap_or(Value::Null),
                field: r.get(4)?,
                base_version: r.get(5)?,
                base_value: base
                    .and_then(|b| serde_json::from_str(&b).ok())
                    .unwrap_or(Value::Null),
                new_value: new
                    .and_then(|n| serde_json::from_str(&n).ok())
                    .unwrap_or(Value::Null),
                resolves: r.get(8)?,
            };
            Ok((r.get::<_, String>(9)?, op))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut cells = HashSet::new();
    let mut ops = Vec::new();
    for (row_key, op) in rows {
        if ops.len() >= limit {
            break;
        }
        if cells.insert((op.entity.clone(), row_key, op.field.clone())) {
            ops.push(op);
        }
    }
    let mut mark = conn.prepare_cached(
        "UPDATE outbox SET state = 'sent' WHERE op_id = ?1 AND state = 'pending'",
    )?;
    for op in &ops {
        mark.execute([&op.op_id])?;
    }
    Ok(ops)
}

/// Records the server's answers: an applied operation's cell gets its new version and the
/// operation goes; a conflict or refusal is kept with theirs and the reason.
pub fn record_push(conn: &Connection, answers: &[PushAnswer]) -> Result<PushTally> {
    let mut tally = PushTally::default();
    for answer in answers {
        let Some((seq, entity, row_key, field, new_value)) = conn
            .prepare_cached(
                "SELECT seq, entity, row_key, field, new_value FROM outbox
                 WHERE op_id = ?1 AND state IN ('pending', 'sent')",
            )?
            .query_row([&answer.op_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .optional()?
        else {
            continue;
        };
        match (answer.status.as_str(), answer.version) {
            ("applied", Some(version)) => {
                tally.applied += 1;
                set_cell_version(conn, &entity, &row_key, &field, version)?;
                // Later edits of the same cell were made on top of this one.
                conn.prepare_cached(
                    "UPDATE outbox SET base_version = ?4, base_value = ?5
                     WHERE entity = ?1 AND row_key = ?2 AND field = ?3 AND seq > ?6
                       AND state = 'pending'",
                )?
                .execute(params![entity, row_key, field, version, new_value, seq])?;
                conn.prepare_cached("DELETE FROM outbox WHERE seq = ?1")?
                    .execute([seq])?;
            }
            (status, _) => {
                let kind = match status {
                    "conflict" => {
                        tally.conflicts += 1;
                        "conflict"
                    }
                    "låst" | "ingen tilgang" | "ugyldig" => {
                        tally.refused += 1;
                        status
                    }
                    other => {
                        return Err(Error::Invalid(format!(
                            "serveren svarte «{other}» på en endring; den venter og sendes igjen"
                        )))
                    }
                };
                // A refusal names no value of theirs: the server's value is then the one
                // this desktop edited from, as far as it knows (a pull of the row updates it).
                let known = answer.theirs.is_some();
                let theirs = answer.theirs.clone().unwrap_or_default();
                conn.prepare_cached(
                    "UPDATE outbox SET state = 'conflict', kind = ?2,
                            their_value = CASE WHEN ?8 THEN ?3 ELSE base_value END,
                            their_version = CASE WHEN ?8 THEN ?4 ELSE base_version END,
                            their_by = ?5, their_at = ?6, reason = ?7
                     WHERE seq = ?1",
                )?
                .execute(params![
                    seq,
                    kind,
                    json_text(&theirs.value),
                    theirs.version,
                    theirs.by,
                    theirs.at,
                    answer.reason,
                    known,
                ])?;
            }
        }
    }
    Ok(tally)
}

pub fn counts(conn: &Connection) -> Result<OutboxCounts> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*) FILTER (WHERE state IN ('pending', 'sent')),
                    COUNT(*) FILTER (WHERE state = 'conflict')
             FROM outbox",
        )?
        .query_row([], |r| {
            Ok(OutboxCounts {
                pending: r.get::<_, i64>(0)? as u64,
                conflicts: r.get::<_, i64>(1)? as u64,
            })
        })?)
}

/// The waiting edits (never sent) whose cell changed on the server since they were made:
/// after a pull, the cell's version in `row_versions` (or, for a row of the last reset,
/// `reset_versions`) is not the operation's base. The
/// cells in words, oldest first; each becomes a conflict when pushed. An edit waiting
/// behind a sent one of the same cell is left out (that one's own answer moves the base).
pub fn changed_underneath(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT o.entity, o.key, o.field FROM outbox o
             LEFT JOIN row_versions v ON v.entity = o.entity AND v.key = o.row_key
             WHERE o.state = 'pending'
               AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.entity = o.entity
                                 AND s.row_key = o.row_key AND s.field = o.field
                                 AND s.state = 'sent')
               AND (CASE WHEN v.key IS NULL
                              THEN (SELECT r.version FROM reset_versions r WHERE r.entity = o.entity)
                         WHEN v.cells = '' THEN v.version
                         ELSE json_extract(v.cells, '$.' || o.field) END) IS NOT o.base_version
             ORDER BY o.seq",
        )?
        .query_map([], |r| {
            Ok(cell_words(
                &r.get::<_, String>(0)?,
                &r.get::<_, String>(1)?,
                &r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The columns `read_conflict` reads, in its order.
const CONFLICT_COLUMNS: &str = "op_id, batch, batch_label, entity, key, field, kind, base_value,
    new_value, their_value, their_by, their_at, reason, line";

fn read_conflict(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxConflict> {
    let entity: String = r.get(3)?;
    let key: String = r.get(4)?;
    let field: String = r.get(5)?;
    Ok(OutboxConflict {
        id: r.get(0)?,
        batch: r.get(1)?,
        batch_label: r.get(2)?,
        cell: cell_words(&entity, &key, &field),
        entity,
        key,
        field,
        kind: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        base: r.get(7)?,
        mine: r.get(8)?,
        theirs: r.get(9)?,
        who: r.get(10)?,
        when: r.get(11)?,
        reason: r.get(12)?,
        line: r
            .get::<_, Option<i64>>(13)?
            .and_then(|l| u64::try_from(l).ok()),
    })
}

/// Every kept conflict and refusal: batch by batch, oldest first; within a batch from a
/// file, by the file's line.
pub fn conflicts(conn: &Connection) -> Result<Vec<OutboxConflict>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {CONFLICT_COLUMNS} FROM (
                 SELECT *, MIN(seq) OVER (PARTITION BY batch) AS batch_seq
                 FROM outbox WHERE state = 'conflict')
             ORDER BY batch_seq, line, seq"
        ))?
        .query_map([], read_conflict)?
        .collect::<rusqlite::Result<_>>()?)
}

/// A cell with an unsettled operation, for the marks where the cell is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxCell {
    pub entity: String,
    /// The key as push names it, as JSON text.
    pub key: String,
    pub field: String,
    /// `pending` (never sent, or sent and not answered) or `conflict` (kept until resolved).
    pub state: String,
    /// The operation's id (a conflict's id for `resolve`).
    pub op_id: String,
}

/// Every cell with an operation waiting or in conflict, oldest first; a cell with both
/// (edited again after a sent operation) is listed once per operation.
pub fn cells(conn: &Connection) -> Result<Vec<OutboxCell>> {
    Ok(conn
        .prepare_cached(
            "SELECT entity, key, field,
                    CASE WHEN state = 'conflict' THEN 'conflict' ELSE 'pending' END, op_id
             FROM outbox WHERE state IN ('pending', 'sent', 'conflict') ORDER BY seq",
        )?
        .query_map([], |r| {
            Ok(OutboxCell {
                entity: r.get(0)?,
                key: r.get(1)?,
                field: r.get(2)?,
                state: r.get(3)?,
                op_id: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// A cell in the words a user knows it by: «sykefravær 3100 2026-03 egenmeldt»,
/// «måling BRUK 3100 2026-K1 verdi», «mål BRUK alle enheter 2026 rødgrense», «lås 2026-03».
pub fn cell_words(entity: &str, key: &str, field: &str) -> String {
    let key: Value = serde_json::from_str(key).unwrap_or(Value::Null);
    let part = |name: &str| match key.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let field_word = match (entity, field) {
        ("measurements", "value") | ("settings", "value") => "verdi",
        ("measurements", "numerator") => "teller",
        ("measurements", "denominator") => "nevner",
        (_, "contracted_days") => "avtalte dagsverk",
        (_, "self_certified") => "egenmeldt",
        (_, "doctor_certified") => "legemeldt",
        (_, "employees") => "ansatte",
        (_, "days_1_3") => "dager 1–3",
        (_, "days_4_16") => "dager 4–16",
        (_, "days_17_56") => "dager 17–56",
        (_, "days_over_56") => "dager over 56",
        (_, "budget") => "budsjett",
        (_, "actual") => "regnskap",
        (_, "forecast") => "prognose",
        ("comments", "text") | ("action_comments", "text") => "tekst",
        ("actions", "title") => "tittel",
        ("actions", "goal") => "mål",
        ("actions", "success_factor") => "suksessfaktor",
        ("actions", "unit") => "enhet",
        ("actions", "kind") => "type",
        ("actions", "decision_ref") => "vedtak",
        ("actions", "start") => "start",
        ("actions", "deadline") => "frist",
        ("actions", "status") => "status",
        ("actions", "progress") => "fremdrift",
        ("actions", "cost_ore") => "kostnad",
        ("actions", "indicators") => "indikatorer",
        ("targets", "target") => "mål",
        ("targets", "red_limit") => "rødgrense",
        ("locked_months", _) => "",
        (_, "name") => "navn",
        (_, "parent") => "overordnet",
        (_, "level") => "nivå",
        (_, "perspective") => "perspektiv",
        (_, "goal") => "fokusområde",
        (_, "description") => "beskrivelse",
        (_, "source") => "kilde",
        (_, "responsible") => "ansvarlig",
        (_, "unit_label") => "måleenhet",
        (_, "decimals") => "desimaler",
        (_, "direction") => "retning",
        (_, "frequency") => "frekvens",
        (_, "aggregation") => "aggregering",
        (_, "unit_rollup") => "sammenstilling",
        (_, "factor") => "faktor",
        (_, other) => other,
    };
    let parts: Vec<String> = match entity {
        "measurements" => vec![
            "måling".into(),
            part("indicator"),
            part("unit"),
            part("period"),
        ],
        "sick_leave" => vec!["sykefravær".into(), part("unit"), part("month")],
        "economy" => vec!["økonomi".into(), part("unit"), part("month")],
        "comments" => vec![
            "kommentar".into(),
            part("indicator"),
            part("unit"),
            part("period"),
        ],
        "targets" => {
            let unit = part("unit");
            vec![
                "mål".into(),
                part("indicator"),
                if unit.is_empty() {
                    "alle enheter".into()
                } else {
                    unit
                },
                part("year"),
            ]
        }
        "locked_months" => vec!["lås".into(), part("month")],
        "units" => vec!["enhet".into(), part("code")],
        "indicators" => vec!["indikator".into(), part("code")],
        "settings" => vec!["innstilling".into(), part("key")],
        "actions" => vec!["tiltak".into(), part("code")],
        "action_comments" => vec![
            "statuskommentar til tiltak".into(),
            part("action"),
            part("period"),
        ],
        other => vec![other.to_string()],
    };
    parts
        .into_iter()
        .chain(std::iter::once(field_word.to_string()))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One kept conflict as `resolve` needs it.
struct Kept {
    seq: i64,
    conflict: OutboxConflict,
    row_key: String,
    their_version: Option<i64>,
}

fn kept(conn: &Connection, id: &str) -> Result<Option<Kept>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {CONFLICT_COLUMNS}, seq, row_key, their_version
             FROM outbox WHERE op_id = ?1 AND state = 'conflict'"
        ))?
        .query_row([id], |r| {
            Ok(Kept {
                conflict: read_conflict(r)?,
                seq: r.get(14)?,
                row_key: r.get(15)?,
                their_version: r.get(16)?,
            })
        })
        .optional()?)
}

/// Why «Behold min» cannot be chosen for a refusal, in words; `None` for a conflict.
pub fn mine_refused(c: &OutboxConflict) -> Option<String> {
    let reason = c
        .reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let why = match c.kind.as_str() {
        "conflict" => return None,
        "låst" => format!(
            "måneden er låst på serveren{reason}, så verdien din kan ikke lagres der; \
             velg «Bruk deres» for å forkaste endringen (skriv av verdien først om du \
             trenger den), eller be en administrator låse opp måneden"
        ),
        "ingen tilgang" => format!(
            "du har ikke skrivetilgang der{reason}; velg «Bruk deres» for å forkaste \
             endringen, eller be en administrator om tilgang"
        ),
        _ => format!(
            "serveren avviste verdien{reason}; velg «Bruk deres» og skriv en gyldig \
             verdi på nytt"
        ),
    };
    Some(format!("«Behold min» går ikke for {}: {why}", c.cell))
}

/// Resolves the kept conflicts `ids` (each the id of an operation in state `conflict`) as
/// `choice`, all or none, each audited in `log`'s batch (entity `konflikt`):
///
/// - `Mine`: a new pending operation on top of theirs (base version and value = theirs,
///   `resolves` = the conflict's id) carries this desktop's value, so the next push applies
///   it or answers a new conflict; refused for `låst`, `ingen tilgang` and `ugyldig`;
/// - `Theirs`: the local cell takes their value and version (for a refusal: the server's
///   value as this desktop last knew it), without an operation.
///
/// The conflicts go from the outbox. The caller holds the write transaction.
pub fn resolve(
    conn: &Connection,
    ids: &[String],
    choice: Choice,
    log: &super::audit::Writer<'_>,
) -> Result<Vec<OutboxConflict>> {
    let mut all = Vec::with_capacity(ids.len());
    for id in ids {
        match kept(conn, id)? {
            Some(k) => all.push(k),
            None => {
                return Err(Error::Invalid(format!(
                    "det finnes ingen konflikt med id «{id}» i denne kopien; \
                     «malkart conflicts» viser dem som venter"
                )))
            }
        }
    }
    if choice == Choice::Mine {
        let refused: Vec<String> = all
            .iter()
            .filter_map(|k| mine_refused(&k.conflict))
            .collect();
        if let Some(first) = refused.first() {
            let more = match refused.len() {
                1 => String::new(),
                n => format!(" (og {} til som ikke kan beholdes)", n - 1),
            };
            return Err(Error::Invalid(format!(
                "{first}{more}; ingenting er endret"
            )));
        }
    }
    let batch = super::new_uid();
    let now = super::db::now();
    if choice == Choice::Theirs {
        conn.execute("UPDATE replica SET applying = 1 WHERE id = 1", [])?;
    }
    for k in &all {
        let c = &k.conflict;
        match choice {
            Choice::Mine => {
                conn.prepare_cached(
                    "INSERT INTO outbox (op_id, batch, batch_label, entity, key, row_key, field,
                                         base_version, base_value, new_value, created_at,
                                         state, resolves)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'pending', ?12)",
                )?
                .execute(params![
                    super::new_uid(),
                    batch,
                    c.batch_label,
                    c.entity,
                    c.key,
                    k.row_key,
                    c.field,
                    k.their_version,
                    c.theirs,
                    c.mine,
                    now,
                    c.id,
                ])?;
            }
            // Written below, row by row.
            Choice::Theirs => {}
        }
        match choice {
            // Sent with `resolves`: the server's log has it with that operation.
            Choice::Mine => conn
                .prepare_cached("DELETE FROM outbox WHERE seq = ?1")?
                .execute([k.seq])?,
            // Kept until the server's log has it (`to_report`, `reported`).
            Choice::Theirs => conn
                .prepare_cached(
                    "UPDATE outbox SET state = 'resolved', resolution = 'theirs' WHERE seq = ?1",
                )?
                .execute([k.seq])?,
        };
        let key: Value = serde_json::from_str(&c.key).unwrap_or(Value::Null);
        let text = |name: &str| key.get(name).and_then(Value::as_str).map(str::to_string);
        let period = text("period").or_else(|| text("month"));
        let (old, new) = match choice {
            Choice::Mine => (&c.theirs, &c.mine),
            Choice::Theirs => (&c.mine, &c.theirs),
        };
        let reason = format!("{} (konflikt {})", choice.words(), c.id);
        log.write_one(
            conn,
            &super::audit::Change {
                entity: CONFLICT_ENTITY,
                key: &c.cell,
                indicator: text("indicator").as_deref(),
                unit: text("unit").as_deref(),
                period: period.as_deref(),
                old: Some(old.as_deref().unwrap_or("null")),
                new: Some(new.as_deref().unwrap_or("null")),
                reason: Some(&reason),
            },
        )?;
    }
    if choice == Choice::Theirs {
        // Every resolved cell of a row together, rows in the order of their first conflict.
        let mut rows: Vec<((&str, &str), Vec<&Kept>)> = Vec::new();
        for k in &all {
            let row = (k.conflict.entity.as_str(), k.row_key.as_str());
            match rows.iter_mut().find(|(r, _)| *r == row) {
                // One cell twice (a second edit sent before the first was answered): the
                // later conflict's theirs is the newer.
                Some((_, cells)) => {
                    cells.retain(|c| c.conflict.field != k.conflict.field);
                    cells.push(k);
                }
                None => rows.push((row, vec![k])),
            }
        }
        for (_, cells) in &rows {
            take_theirs(conn, cells)?;
        }
        conn.execute("UPDATE replica SET applying = 0 WHERE id = 1", [])?;
    }
    Ok(all.into_iter().map(|k| k.conflict).collect())
}

/// A conflict resolved with «Bruk deres», waiting to be reported to the server's audit log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResolvedTheirs {
    /// The conflict's operation id.
    pub resolves: String,
    /// The value taken (JSON; `null`: empty).
    pub value: Value,
}

/// The «Bruk deres» resolutions not yet reported, oldest first, at most `limit`.
pub fn to_report(conn: &Connection, limit: usize) -> Result<Vec<ResolvedTheirs>> {
    Ok(conn
        .prepare_cached(
            "SELECT op_id, their_value FROM outbox WHERE state = 'resolved' ORDER BY seq LIMIT ?1",
        )?
        .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            let value: Option<String> = r.get(1)?;
            Ok(ResolvedTheirs {
                resolves: r.get(0)?,
                value: value
                    .and_then(|v| serde_json::from_str(&v).ok())
                    .unwrap_or(Value::Null),
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Forgets resolutions the server has answered (logged, or unknown to it).
pub fn reported(conn: &Connection, ids: &[String]) -> Result<()> {
    let mut delete =
        conn.prepare_cached("DELETE FROM outbox WHERE op_id = ?1 AND state = 'resolved'")?;
    for id in ids {
        delete.execute([id])?;
    }
    Ok(())
}

/// The audit log's entity for a resolved conflict.
pub const CONFLICT_ENTITY: &str = "konflikt";

/// Writes their values into the local cells of one row (the triggers are off: nothing is
/// sent) and their versions into `row_versions`: every resolved cell of the row at once,
/// so a row the replica does not have (the user had removed it) is made whole again and a
/// measurement switching between a value and a fraction never passes through a half state.
/// A row whose every cell is then empty is removed, as the server removes it.
fn take_theirs(conn: &Connection, cells: &[&Kept]) -> Result<()> {
    let Some(first) = cells.first() else {
        return Ok(());
    };
    let c = &first.conflict;
    let Some(table) = table(&c.entity) else {
        return Ok(());
    };
    let theirs = |k: &Kept| -> Value {
        k.conflict
            .theirs
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or(Value::Null)
    };
    let key_values: Vec<Value> = serde_json::from_str(&first.row_key).unwrap_or_default();
    let key_row: Map<String, Value> = table
        .key
        .iter()
        .map(|k| k.to_string())
        .zip(key_values)
        .collect();
    let (clause, values) = key_clause(table, &key_row);
    if table.name == "locked_months" {
        if theirs(first).as_bool() == Some(true) {
            conn.execute(
                "INSERT OR IGNORE INTO locked_months (month, locked_by, locked_at)
                 VALUES (?1, ?2, ?3)",
                params![
                    to_sql(key_row.get("month")),
                    c.who.as_deref().unwrap_or("serveren"),
                    c.when.clone().unwrap_or_else(super::db::now)
                ],
            )?;
        } else {
            conn.execute(
                &format!("DELETE FROM locked_months WHERE {clause}"),
                params_from_iter(values),
            )?;
        }
    } else {
        for k in cells {
            if !table.cells.contains(&k.conflict.field.as_str()) {
                return Err(Error::Corrupt(format!(
                    "en konflikt i kopien gjelder en ukjent celle «{}» i {}",
                    k.conflict.field, table.name
                )));
            }
        }
        let exists: bool = conn
            .prepare(&format!(
                "SELECT EXISTS (SELECT 1 FROM {} WHERE {clause})",
                table.name
            ))?
            .query_row(params_from_iter(values.iter()), |r| r.get(0))?;
        let written = if exists {
            let sets = cells
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{} = ?{}", k.conflict.field, i + 1))
                .collect::<Vec<_>>()
                .join(", ");
            let shifted = table
                .key
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{k} IS ?{}", i + 1 + cells.len()))
                .collect::<Vec<_>>()
                .join(" AND ");
            let mut args: Vec<Sql> = cells.iter().map(|k| to_sql(Some(&theirs(k)))).collect();
            args.extend(values.iter().cloned());
            conn.execute(
                &format!("UPDATE {} SET {sets} WHERE {shifted}", table.name),
                params_from_iter(args),
            )
        } else if cells.iter().all(|k| theirs(k).is_null()) {
            Ok(0)
        } else {
            let mut columns: Vec<&str> = table.key.to_vec();
            let mut args = values.clone();
            if table.name == "measurements" {
                // A measurement's span: its key names the period.
                let period = serde_json::from_str::<Value>(&c.key)
                    .ok()
                    .and_then(|k| k.get("period").and_then(Value::as_str).map(str::to_string))
                    .and_then(|p| Period::parse(&p).ok());
                if let Some(p) = period {
                    columns.push("span_last");
                    args.push(Sql::Integer(i64::from(p.last().index())));
                }
            }
            for k in cells {
                columns.push(&k.conflict.field);
                args.push(to_sql(Some(&theirs(k))));
            }
            let placeholders = (1..=args.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ");
            conn.execute(
                &format!(
                    "INSERT INTO {} ({}) VALUES ({placeholders})",
                    table.name,
                    columns.join(", ")
                ),
                params_from_iter(args),
            )
        };
        written.map_err(|e| {
            Error::Invalid(format!(
                "«Bruk deres» for {} går ikke alene ({e}); løs konfliktene i samme rad \
                 sammen, for eksempel med «malkart resolve --batch {} theirs»",
                c.cell, c.batch
            ))
        })?;
        // A row whose every cell is empty is no row (the server removed it too).
        let empty = table
            .cells
            .iter()
            .map(|c| format!("{c} IS NULL"))
            .collect::<Vec<_>>()
            .join(" AND ");
        if !matches!(table.name, "units" | "indicators" | "settings") {
            conn.execute(
                &format!("DELETE FROM {} WHERE {clause} AND {empty}", table.name),
                params_from_iter(values),
            )?;
        }
    }
    for k in cells {
        if let Some(version) = k.their_version {
            set_cell_version(conn, &c.entity, &k.row_key, &k.conflict.field, version)?;
        }
    }
    Ok(())
}

/// Stores that the server's cell `field` of a row is at `version` (every cell spelled
/// out first when they were all at the row's version).
fn set_cell_version(
    conn: &Connection,
    entity: &str,
    row_key: &str,
    field: &str,
    version: i64,
) -> Result<()> {
    // A row of the last reset (no row of its own): its versions spelled out first.
    conn.prepare_cached(
        "INSERT INTO row_versions (entity, key, version, cells)
         SELECT ?1, ?2, version, '' FROM reset_versions
         WHERE entity = ?1
           AND NOT EXISTS (SELECT 1 FROM row_versions WHERE entity = ?1 AND key = ?2)",
    )?
    .execute(params![entity, row_key])?;
    if let Some(t) = table(entity) {
        conn.prepare_cached(
            "UPDATE row_versions
             SET cells = (SELECT json_group_object(c.value, row_versions.version)
                          FROM json_each(?3) c)
             WHERE entity = ?1 AND key = ?2 AND cells = ''",
        )?
        .execute(params![entity, row_key, json!(t.cells).to_string()])?;
    }
    conn.prepare_cached(
        "INSERT INTO row_versions (entity, key, version, cells)
         VALUES (?1, ?2, ?3, json_object(?4, ?3))
         ON CONFLICT (entity, key) DO UPDATE SET
             version = max(version, excluded.version),
             cells = json_set(cells, '$.' || ?4, ?3)",
    )?
    .execute(params![entity, row_key, version, field])?;
    Ok(())
}

/// What a pull changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PullSummary {
    /// Rows written or removed.
    pub rows: u64,
    /// Pulled cells left as they are locally because an edit of them waits in the outbox.
    pub kept_local: u64,
}

/// Applies one pull answer read whole (the caller holds the write transaction and commits
/// it).
pub fn apply_pull(conn: &Connection, pull: &Pull, at: &str) -> Result<PullSummary> {
    let mut writer = PullWriter::begin(conn, pull.head())?;
    for table in TABLES {
        if let Some(rows) = pull.changes.0.get(table.name) {
            writer.rows(table.name, rows)?;
        }
    }
    writer.deletions.extend(pull.deletions.iter().cloned());
    writer.sick_leave_summary = pull.sick_leave_summary.clone();
    writer.finish(at)
}

/// Applies one pull answer as it arrives (`read_pull`'s parts, in their order), inside the
/// caller's write transaction. Parts that end without `PullPart::End` are an answer cut
/// off: the error leaves the transaction to be rolled back, and nothing of it is kept.
pub fn apply_pull_parts(
    conn: &Connection,
    parts: impl IntoIterator<Item = PullPart>,
    at: &str,
) -> Result<PullSummary> {
    let mut parts = parts.into_iter();
    let Some(PullPart::Head(head)) = parts.next() else {
        return Err(cut_off());
    };
    let mut writer = PullWriter::begin(conn, head)?;
    for part in parts {
        match part {
            PullPart::Head(_) => {
                return Err(Error::Remote(
                    "svaret fra serveren har to hoder; ingenting av det er lagret".into(),
                ))
            }
            PullPart::Rows(table, rows) => writer.rows(table, &rows)?,
            PullPart::Deletions(d) => writer.deletions.extend(d),
            PullPart::Summary(rows) => writer.sick_leave_summary = Some(rows),
            PullPart::End => return writer.finish(at),
        }
    }
    Err(cut_off())
}

/// After a reset pull written with the foreign keys off: every row names a unit, an
/// indicator or a perspective the replica has, or the pull is refused whole.
pub(super) fn check_references(conn: &Connection) -> Result<()> {
    match first_broken_reference(conn, &[])? {
        None => Ok(()),
        Some((table, parent)) => Err(Error::Remote(format!(
            "svaret fra serveren har en rad i «{table}» som viser til noe i «{parent}» som \
             ikke er med; ingenting av det er lagret"
        ))),
    }
}

/// The first row whose foreign key names nothing (`PRAGMA foreign_key_check`), in every table
/// but those in `checked` (whose references were checked as their rows were written): its
/// table and the table it refers to. With nothing left out (a reset pull) it is one check of
/// the whole database; otherwise one per table, in name order.
pub(super) fn first_broken_reference(
    conn: &Connection,
    checked: &[&str],
) -> Result<Option<(String, String)>> {
    if checked.is_empty() {
        return Ok(conn
            .prepare("PRAGMA foreign_key_check")?
            .query_row([], |r| Ok((r.get(0)?, r.get(2)?)))
            .optional()?);
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in tables.iter().filter(|t| !checked.contains(&t.as_str())) {
        let broken = conn
            .prepare(&format!("PRAGMA foreign_key_check(\"{table}\")"))?
            .query_row([], |r| Ok((r.get(0)?, r.get(2)?)))
            .optional()?;
        if broken.is_some() {
            return Ok(broken);
        }
    }
    Ok(None)
}

fn cut_off() -> Error {
    Error::Remote("svaret fra serveren ble avbrutt; ingenting av det er lagret".into())
}

/// A pull being written, table by table as its rows arrive. Rows are written at once;
/// what needs the whole answer (the units and indicators a reset no longer names, the
/// tombstones, a leser's summary, the watermark) is done by `finish`.
struct PullWriter<'c> {
    conn: &'c Connection,
    head: PullHead,
    /// The cells with unsettled operations, by (table, row key): their local values stay.
    guarded: HashMap<(&'static str, String), Vec<String>>,
    /// The replica's triggers, set aside during a reset pull, to be made again.
    triggers: Vec<String>,
    /// The keys of the units and indicators a reset pulled (the others go at the end).
    pulled_keys: HashMap<&'static str, HashSet<String>>,
    /// A reset's version per table (`reset_versions`): its rows at it, every cell at it,
    /// get no `row_versions` row.
    reset_versions: HashMap<&'static str, i64>,
    deletions: Vec<Deletion>,
    sick_leave_summary: Option<Vec<Map<String, Value>>>,
    summary: PullSummary,
}

impl<'c> PullWriter<'c> {
    fn begin(conn: &'c Connection, head: PullHead) -> Result<PullWriter<'c>> {
        conn.execute("UPDATE replica SET applying = 1 WHERE id = 1", [])?;
        let guarded = guarded(conn)?;
        // A reset pull writes every row once into emptied tables: plain INSERTs, with the
        // replica's triggers set aside until it is done (in this transaction). An upsert or
        // a trigger makes SQLite keep a statement journal per row: 33 GB of writes to a
        // temporary file for a first pull of `large` (docs/benchmarks.md §11).
        let triggers = if head.reset {
            clear(conn, &guarded)?;
            set_aside_triggers(conn)?
        } else {
            Vec::new()
        };
        Ok(PullWriter {
            conn,
            head,
            guarded,
            triggers,
            pulled_keys: HashMap::new(),
            reset_versions: HashMap::new(),
            deletions: Vec::new(),
            sick_leave_summary: None,
            summary: PullSummary::default(),
        })
    }

    /// Writes rows of one table (the server sends parents before the rows that name them).
    fn rows(&mut self, table_name: &str, rows: &[PulledRow]) -> Result<()> {
        let Some(table) = table(table_name) else {
            return Ok(());
        };
        let conn = self.conn;
        let reset = self.head.reset;
        let keys = self.pulled_keys.entry(table.name).or_default();
        let sql = WriteSql::new(table);
        let any_guarded = self.guarded.keys().any(|(t, _)| *t == table.name);
        let emptied = reset && CLEARED.contains(&table.name);
        // Made once per chunk, not looked up per row.
        let mut plain = if emptied {
            Some(conn.prepare_cached(&sql.plain)?)
        } else {
            None
        };
        let mut versions = if reset {
            Some(conn.prepare_cached(
                "INSERT INTO row_versions (entity, key, version, cells) VALUES (?1, ?2, ?3, ?4)",
            )?)
        } else {
            None
        };
        for row in rows {
            let key = pulled_key(table, row);
            let mut row = std::borrow::Cow::Borrowed(row);
            let fields = if any_guarded {
                self.guarded.get(&(table.name, key.clone()))
            } else {
                None
            };
            // A reset's row at its table's version, every cell at it: no row of its own in
            // `row_versions` (the table's first such row sets the version). A row with
            // cells waiting here always gets its own.
            let at_reset_version = reset
                && fields.is_none()
                && row.cells.as_deref() == Some(ALL_AT_VERSION)
                && match self.reset_versions.get(table.name) {
                    Some(v) => *v == row.version,
                    None => {
                        conn.prepare_cached(
                            "INSERT INTO reset_versions (entity, version) VALUES (?1, ?2)",
                        )?
                        .execute(params![table.name, row.version])?;
                        self.reset_versions.insert(table.name, row.version);
                        true
                    }
                };
            if let Some(fields) = fields {
                refresh_theirs(conn, table, &key, fields, &row)?;
                // Keep the local value of every cell an unsent edit is waiting on.
                let Some(local) = local_row(conn, table, &key)? else {
                    self.summary.kept_local += fields.len() as u64;
                    store_versions(conn, table, &key, &row)?;
                    keys.insert(key);
                    continue;
                };
                let mut merged = row.into_owned();
                for f in fields {
                    if let (Some(v), Some(i)) =
                        (local.get(f), table.columns.iter().position(|c| c == f))
                    {
                        merged.values[i] = to_sql(Some(v));
                    }
                }
                self.summary.kept_local += fields.len() as u64;
                row = std::borrow::Cow::Owned(merged);
                sql.write_row(conn, table, &row)?;
            } else if let Some(plain) = plain.as_mut() {
                plain.execute(params_from_iter(row.values.iter()))?;
            } else {
                sql.write_row(conn, table, &row)?;
            }
            if at_reset_version {
                // Its version is the table's in `reset_versions`.
            } else if let Some(versions) = versions.as_mut() {
                versions.execute(params![
                    table.name,
                    key,
                    row.version,
                    row.cells.as_deref().unwrap_or("{}")
                ])?;
            } else {
                store_versions(conn, table, &key, &row)?;
            }
            // Only units and indicators are looked up after a reset (`finish`).
            if reset && matches!(table.name, "units" | "indicators") {
                keys.insert(key);
            }
            self.summary.rows += 1;
        }
        Ok(())
    }

    /// What needs the whole answer, then the watermark: the answer is applied.
    fn finish(mut self, at: &str) -> Result<PullSummary> {
        let conn = self.conn;
        let guarded = &self.guarded;
        if self.head.reset {
            // A row kept for its waiting cells that the reset did not bring is the
            // replica's own (no cell on the server); one it brought has its own row already.
            for (table, key) in guarded.keys() {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO row_versions (entity, key, version, cells)
                     VALUES (?1, ?2, 0, '{}')",
                )?
                .execute(params![table, key])?;
            }
            // Units and indicators are kept while rows still named them; those the server no
            // longer sends go now.
            for name in ["units", "indicators"] {
                let Some(table) = table(name) else { continue };
                let keep = self.pulled_keys.remove(name).unwrap_or_default();
                let codes: Vec<String> = conn
                    .prepare(&format!(
                        "SELECT code FROM {name}{}",
                        if name == "indicators" {
                            " WHERE builtin = 0"
                        } else {
                            ""
                        }
                    ))?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for code in codes {
                    let key = json!([code]).to_string();
                    if !keep.contains(&key) && !guarded.contains_key(&(table.name, key.clone())) {
                        conn.execute(&format!("DELETE FROM {name} WHERE code = ?1"), [&code])?;
                        self.summary.rows += 1;
                    }
                }
            }
        }
        for deletion in &self.deletions {
            let Some(table) = table(&deletion.entity) else {
                continue;
            };
            let key = row_key(table, &deletion.key);
            if guarded.contains_key(&(table.name, key.clone())) {
                self.summary.kept_local += 1;
                continue;
            }
            let (clause, values) = key_clause(table, &deletion.key);
            self.summary.rows += conn.execute(
                &format!("DELETE FROM {} WHERE {clause}", table.name),
                params_from_iter(values),
            )? as u64;
            // Gone from the server: made again here, it is a new row (every base `null`),
            // not a row of the last reset.
            conn.prepare_cached(
                "INSERT INTO row_versions (entity, key, version, cells) VALUES (?1, ?2, 0, '{}')
                 ON CONFLICT (entity, key) DO UPDATE SET version = 0, cells = '{}'",
            )?
            .execute(params![table.name, key])?;
        }
        if let Some(rows) = &self.sick_leave_summary {
            conn.execute("DELETE FROM sick_leave_summary", [])?;
            let mut insert = conn.prepare_cached(
                "INSERT INTO sick_leave_summary (unit, month, masked, mask_reason, employees,
                     contracted_days, self_certified, doctor_certified, split_contracted_days,
                     short_days, long_days)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for row in rows {
                let get = |k: &str| to_sql(row.get(k));
                insert.execute(params![
                    get("unit"),
                    get("month"),
                    get("masked"),
                    get("mask_reason"),
                    get("employees"),
                    get("contracted_days"),
                    get("self_certified"),
                    get("doctor_certified"),
                    get("split_contracted_days"),
                    get("short_days"),
                    get("long_days"),
                ])?;
                self.summary.rows += 1;
            }
        }
        for sql in &self.triggers {
            conn.execute_batch(sql)?;
        }
        conn.execute(
            "UPDATE replica SET applying = 0, watermark = ?1,
                    scope = COALESCE(?2, scope), last_sync_at = ?3, last_attempt_at = ?3,
                    last_error = NULL
             WHERE id = 1",
            params![self.head.watermark, self.head.scope, at],
        )?;
        Ok(self.summary)
    }
}

/// A leser's sick leave, from her masked summary, as rows the engine can roll up: the
/// summary holds each readable unit's **subtree totals** per month, so a unit's own row is
/// its total less the totals of its children (the engine adds them back up the tree, and
/// every shown unit gets exactly the server's figure). A masked unit and everything below
/// it get no row: their figures stay inside the nearest shown ancestor's total, as the
/// masking means. `None` when the file has no summary (every file but a leser's replica).
/// The split by length is not in the summary's rows as the engine needs it, so `SF-KORT`
/// and `SF-LANG` show no value for a leser (docs/decisions.md).
pub fn summary_sick_leave(
    conn: &Connection,
    first: Month,
    last: Month,
) -> Result<Option<Vec<crate::model::SickLeave>>> {
    let any: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sick_leave_summary)")?
        .query_row([], |r| r.get(0))?;
    if !any {
        return Ok(None);
    }
    let parents: HashMap<String, Option<String>> = conn
        .prepare_cached("SELECT code, parent FROM units")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    struct Total {
        masked: bool,
        employees: Option<i64>,
        contracted: f64,
        self_certified: f64,
        doctor_certified: f64,
    }
    let mut by_month: BTreeMap<i64, HashMap<String, Total>> = BTreeMap::new();
    let rows = conn
        .prepare_cached(
            "SELECT month, unit, masked, employees, contracted_days, self_certified,
                    doctor_certified
             FROM sick_leave_summary WHERE month BETWEEN ?1 AND ?2 ORDER BY month, unit",
        )?
        .query_map(params![first.index(), last.index()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                Total {
                    masked: r.get::<_, i64>(2)? != 0,
                    employees: r.get(3)?,
                    contracted: r.get(4)?,
                    self_certified: r.get::<_, Option<f64>>(5)?.unwrap_or(0.0),
                    doctor_certified: r.get::<_, Option<f64>>(6)?.unwrap_or(0.0),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (month, unit, total) in rows {
        by_month.entry(month).or_default().insert(unit, total);
    }
    // A unit is shown when it and every ancestor it has are unmasked in that month.
    let shown = |totals: &HashMap<String, Total>, unit: &str| -> bool {
        let mut at = Some(unit.to_string());
        let mut steps = 0;
        while let Some(code) = at {
            match totals.get(&code) {
                Some(t) if !t.masked => {}
                _ => return false,
            }
            at = parents.get(&code).cloned().flatten();
            steps += 1;
            if steps > parents.len() {
                return false;
            }
        }
        true
    };
    let mut out = Vec::new();
    for (month, totals) in &by_month {
        let month = Month::from_index(i32::try_from(*month).unwrap_or_default());
        for (unit, total) in totals {
            if !shown(totals, unit) {
                continue;
            }
            let mut own = (
                total.contracted,
                total.self_certified,
                total.doctor_certified,
            );
            let mut employees = total.employees;
            for (child, parent) in &parents {
                if parent.as_deref() != Some(unit.as_str()) || !shown(totals, child) {
                    continue;
                }
                if let Some(c) = totals.get(child) {
                    own.0 -= c.contracted;
                    own.1 -= c.self_certified;
                    own.2 -= c.doctor_certified;
                    employees = employees.zip(c.employees).map(|(a, b)| a - b);
                }
            }
            // A unit whose whole total is its shown children's has no own row.
            if own.0 <= 0.0 {
                continue;
            }
            out.push(crate::model::SickLeave {
                unit: unit.clone(),
                month,
                contracted_days: own.0,
                self_certified: own.1.max(0.0),
                doctor_certified: own.2.max(0.0),
                employees: employees.and_then(|e| u32::try_from(e).ok()),
                split: None,
            });
        }
    }
    out.sort_by(|a, b| (a.month, &a.unit).cmp(&(b.month, &b.unit)));
    Ok(Some(out))
}

/// A whole single-user database as `POST /api/v1/publish` takes it: every replicated
/// table's rows with their column names, and the audit history batch by batch.
pub fn snapshot(conn: &Connection) -> Result<Value> {
    let mut tables = Map::new();
    for table in TABLES {
        let cols: Vec<String> = table
            .columns
            .iter()
            .map(|c| format!("'{c}', {c}"))
            .collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT json_object({}) FROM {}",
            cols.join(", "),
            table.name
        ))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .map(|text| -> Result<Value> {
                let text = text?;
                serde_json::from_str(&text).map_err(|e| {
                    Error::Corrupt(format!("en rad i {} kan ikke leses: {e}", table.name))
                })
            })
            .collect::<Result<Vec<Value>>>()?;
        tables.insert(table.name.to_string(), Value::Array(rows));
    }
    let mut batches: Vec<Value> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT id, uid, at, user, source FROM audit_batches ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                json!({ "uid": r.get::<_, Option<String>>(1)?, "at": r.get::<_, String>(2)?,
                        "user": r.get::<_, String>(3)?, "source": r.get::<_, String>(4)?,
                        "entries": [] }),
            ))
        })?;
        for row in rows {
            let (id, batch) = row?;
            index.insert(id, batches.len());
            batches.push(batch);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT batch, entity, key, indicator, unit, period, old, new, reason FROM audit ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            json!({ "entity": r.get::<_, String>(1)?, "key": r.get::<_, Option<String>>(2)?,
                    "indicator": r.get::<_, Option<String>>(3)?, "unit": r.get::<_, Option<String>>(4)?,
                    "period": r.get::<_, Option<String>>(5)?, "old": r.get::<_, Option<String>>(6)?,
                    "new": r.get::<_, Option<String>>(7)?, "reason": r.get::<_, Option<String>>(8)? }),
        ))
    })?;
    for row in rows {
        let (batch, entry) = row?;
        if let Some(entries) = index
            .get(&batch)
            .and_then(|&i| batches.get_mut(i))
            .and_then(|b| b.get_mut("entries"))
            .and_then(Value::as_array_mut)
        {
            entries.push(entry);
        }
    }
    Ok(json!({ "tables": tables, "audit": batches }))
}

/// The cells with unsettled operations, by (table, row key).
fn guarded(conn: &Connection) -> Result<HashMap<(&'static str, String), Vec<String>>> {
    let mut out: HashMap<(&'static str, String), Vec<String>> = HashMap::new();
    let rows: Vec<(String, String, String)> = conn
        .prepare(&format!(
            "SELECT entity, row_key, field FROM outbox WHERE state IN {UNSETTLED}"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (entity, key, field) in rows {
        if let Some(t) = table(&entity) {
            // A lock's one cell is the row itself.
            let field = if t.name == "locked_months" {
                "month".into()
            } else {
                field
            };
            out.entry((t.name, key)).or_default().push(field);
        }
    }
    Ok(out)
}

/// Before a reset pull: every row goes except those an unsent edit is waiting on (units
/// and indicators are removed after, see `apply_pull`).
/// The tables a reset pull empties first (but for rows an unsent edit waits on).
const CLEARED: [&str; 8] = [
    // Status comments before their tiltak, tiltak before the units they name.
    "action_comments",
    "actions",
    "comments",
    "measurements",
    "sick_leave",
    "economy",
    "targets",
    "locked_months",
];

/// Drops the replica's triggers (migration 0004), returning their SQL to make them again.
pub(super) fn set_aside_triggers(conn: &Connection) -> Result<Vec<String>> {
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_replica\\_%' ESCAPE '\\'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        conn.execute(&format!("DROP TRIGGER \"{name}\""), [])?;
    }
    Ok(triggers.into_iter().map(|(_, sql)| sql).collect())
}

fn clear(conn: &Connection, guarded: &HashMap<(&'static str, String), Vec<String>>) -> Result<()> {
    for name in CLEARED {
        let Some(table) = table(name) else { continue };
        let keep: Vec<&String> = guarded
            .keys()
            .filter(|(t, _)| *t == name)
            .map(|(_, k)| k)
            .collect();
        if keep.is_empty() {
            conn.execute(&format!("DELETE FROM {name}"), [])?;
        } else {
            let expr = format!("json_array({})", table.key.join(", "));
            let placeholders = vec!["?"; keep.len()].join(", ");
            conn.execute(
                &format!("DELETE FROM {name} WHERE {expr} NOT IN ({placeholders})"),
                params_from_iter(keep),
            )?;
        }
    }
    conn.execute("DELETE FROM row_versions", [])?;
    conn.execute("DELETE FROM reset_versions", [])?;
    Ok(())
}

fn local_row(conn: &Connection, table: &Table, key: &str) -> Result<Option<Map<String, Value>>> {
    let cols: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("'{c}', {c}"))
        .collect();
    let expr = format!("json_array({})", table.key.join(", "));
    let text: Option<String> = conn
        .prepare_cached(&format!(
            "SELECT json_object({}) FROM {} WHERE {expr} = ?1",
            cols.join(", "),
            table.name
        ))?
        .query_row([key], |r| r.get(0))
        .optional()?;
    parse_row(text.as_deref())
}

/// A kept conflict shows the server's value as the last pull brought it: a pulled row
/// whose cell waits in a conflict updates that conflict's theirs (so «Behold min» builds on
/// the newest, and «Bruk deres» takes it).
fn refresh_theirs(
    conn: &Connection,
    table: &Table,
    key: &str,
    fields: &[String],
    row: &PulledRow,
) -> Result<()> {
    let cells: Option<Value> = row
        .cells
        .as_deref()
        .filter(|c| *c != ALL_AT_VERSION)
        .and_then(|c| serde_json::from_str(c).ok());
    for field in fields {
        let Some(value) = row.get(table, field) else {
            continue;
        };
        let version = match &cells {
            Some(cells) => cells.get(field).and_then(Value::as_i64),
            None if row.cells.is_some() => Some(row.version),
            None => None,
        };
        let value = match value {
            Sql::Null | Sql::Blob(_) => None,
            Sql::Integer(i) => Some(i.to_string()),
            Sql::Real(f) => Some(Value::from(*f).to_string()),
            Sql::Text(t) => Some(Value::String(t.clone()).to_string()),
        };
        conn.prepare_cached(
            "UPDATE outbox SET their_value = ?4, their_version = ?5,
                    their_by = CASE WHEN their_version IS ?5 THEN their_by END,
                    their_at = CASE WHEN their_version IS ?5 THEN their_at END
             WHERE entity = ?1 AND row_key = ?2 AND field = ?3 AND state = 'conflict'",
        )?
        .execute(params![table.name, key, field, value, version])?;
    }
    Ok(())
}

fn store_versions(conn: &Connection, table: &Table, key: &str, row: &PulledRow) -> Result<()> {
    let version = row.version;
    let cells = row.cells.as_deref().unwrap_or("{}");
    conn.prepare_cached(
        "INSERT INTO row_versions (entity, key, version, cells) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version, cells = excluded.cells",
    )?
    .execute(params![table.name, key, version, cells])?;
    Ok(())
}

/// The local primary key of a pulled row, exactly as `row_key` makes it from a row object
/// (written straight to text: a first pull makes a million and a half of them).
fn pulled_key(table: &Table, row: &PulledRow) -> String {
    use std::fmt::Write as _;
    let mut key = String::with_capacity(32);
    key.push('[');
    for (i, k) in table.key.iter().enumerate() {
        if i > 0 {
            key.push(',');
        }
        match row.get(table, k) {
            None | Some(Sql::Null) | Some(Sql::Blob(_)) => key.push_str("null"),
            Some(Sql::Integer(n)) => {
                // Writing to a String cannot fail.
                let _ = write!(key, "{n}");
            }
            Some(Sql::Real(f)) => key.push_str(&Value::from(*f).to_string()),
            Some(Sql::Text(t)) => key.push_str(&Value::from(t.as_str()).to_string()),
        }
    }
    key.push(']');
    key
}

pub(super) fn to_sql(v: Option<&Value>) -> Sql {
    match v {
        None | Some(Value::Null) => Sql::Null,
        Some(Value::Bool(b)) => Sql::Integer(i64::from(*b)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().unwrap_or(f64::NAN)),
        },
        Some(Value::String(s)) => Sql::Text(s.clone()),
        Some(other) => Sql::Text(other.to_string()),
    }
}

/// `k1 IS ?1 AND k2 IS ?2 …` and the key's values from `row`.
fn key_clause(table: &Table, row: &Map<String, Value>) -> (String, Vec<Sql>) {
    let clause = table
        .key
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{k} IS ?{}", i + 1))
        .collect::<Vec<_>>()
        .join(" AND ");
    (
        clause,
        table.key.iter().map(|k| to_sql(row.get(*k))).collect(),
    )
}

/// The statements that write one table's pulled rows, made once per pull (a first pull
/// writes a million rows).
struct WriteSql {
    /// `targets`: the delete by key before the insert (two partial unique keys).
    delete: Option<String>,
    insert: String,
    /// A plain INSERT, for a table a reset pull emptied.
    plain: String,
}

impl WriteSql {
    fn new(table: &Table) -> WriteSql {
        let placeholders = (1..=table.columns.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        if table.name == "targets" {
            let clause = table
                .key
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{k} IS ?{}", i + 1))
                .collect::<Vec<_>>()
                .join(" AND ");
            let insert = format!(
                "INSERT INTO targets ({}) VALUES ({placeholders})",
                table.columns.join(", ")
            );
            return WriteSql {
                delete: Some(format!("DELETE FROM targets WHERE {clause}")),
                plain: insert.clone(),
                insert,
            };
        }
        let updates = table
            .columns
            .iter()
            .filter(|c| !table.key.contains(c))
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        WriteSql {
            delete: None,
            plain: format!(
                "INSERT INTO {} ({}) VALUES ({placeholders})",
                table.name,
                table.columns.join(", ")
            ),
            insert: format!(
                "INSERT INTO {} ({}) VALUES ({placeholders}) ON CONFLICT ({}) DO UPDATE SET {updates}",
                table.name,
                table.columns.join(", "),
                table.key.join(", ")
            ),
        }
    }

    fn write_row(&self, conn: &Connection, table: &Table, row: &PulledRow) -> Result<()> {
        if let Some(delete) = &self.delete {
            let key = table
                .key
                .iter()
                .map(|k| row.get(table, k).unwrap_or(&Sql::Null));
            conn.prepare_cached(delete)?
                .execute(params_from_iter(key))?;
        }
        conn.prepare_cached(&self.insert)?
            .execute(params_from_iter(row.values.iter()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::ChangeSet;
    use crate::model::{Figure, Measurement};
    use crate::storage::{Changes, Store};

    fn row(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    /// A first pull: one unit, one monthly indicator, one measurement at version 7.
    fn first_pull() -> Pull {
        let mut changes = Changes::default();
        changes.insert(
            "units",
            vec![row(
                json!({"code": "3100", "name": "Sjøvik sykehjem", "parent": null,
                "level": "enhet", "sort": 1, "version": 3, "cell_versions": {"name": 3}}),
            )],
        );
        changes.insert(
            "indicators",
            vec![row(
                json!({"code": "BRUK", "name": "Brukertilfredshet", "perspective": "brukere",
                "goal": null, "description": "", "source": "", "responsible": "", "unit_label": "%",
                "decimals": 1, "direction": "høy", "frequency": "måned", "aggregation": "snitt",
                "unit_rollup": "snitt", "factor": 1.0, "builtin": false, "version": 4,
                "cell_versions": {"name": 4}}),
            )],
        );
        changes.insert(
            "measurements",
            vec![row(json!({"indicator": "BRUK", "span_first": Month::new(2026, 3).unwrap().index(),
                "unit": "3100", "span_last": Month::new(2026, 3).unwrap().index(), "value": 80.0,
                "numerator": null, "denominator": null, "version": 7, "cell_versions": {"value": 7}}))],
        );
        Pull {
            watermark: "100".into(),
            scope: Some("s1".into()),
            reset: true,
            changes,
            ..Pull::default()
        }
    }

    fn empty_replica() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        store
            .make_replica(&ReplicaInfo {
                server_url: "http://127.0.0.1:1".into(),
                user_name: "leder".into(),
                role: "enhetsleder".into(),
                units: vec!["3100".into()],
                ..ReplicaInfo::default()
            })
            .unwrap();
        store
    }

    fn replica() -> Store {
        let mut store = empty_replica();
        store
            .apply_pull(&first_pull(), "2026-03-14T09:30:00+01:00")
            .unwrap();
        store
    }

    fn set_bruk(store: &mut Store, value: f64) {
        let m = Measurement {
            indicator: "BRUK".into(),
            unit: "3100".into(),
            span: Period::parse("2026-03").unwrap(),
            figure: Figure::Value { value },
        };
        store
            .apply(&ChangeSet::Measurements(vec![m]), "manuell", false)
            .unwrap();
    }

    fn value(store: &Store) -> f64 {
        store
            .conn
            .query_row(
                "SELECT value FROM measurements WHERE indicator = 'BRUK'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    /// A pull as `read_pull` hands it on: head, each table's rows, the rest, and `End`
    /// when `whole`.
    fn parts(pull: &Pull, whole: bool) -> Vec<PullPart> {
        let mut parts = vec![PullPart::Head(pull.head())];
        for t in TABLES {
            if let Some(rows) = pull.changes.0.get(t.name) {
                parts.push(PullPart::Rows(t.name, rows.clone()));
            }
        }
        if !pull.deletions.is_empty() {
            parts.push(PullPart::Deletions(pull.deletions.clone()));
        }
        if whole {
            parts.push(PullPart::End);
        }
        parts
    }

    /// The outbox's line of each cell, by table, key and field.
    fn outbox_lines(store: &Store) -> Vec<(String, String, String, Option<i64>)> {
        store
            .conn
            .prepare("SELECT entity, key, field, line FROM outbox ORDER BY entity, key, field")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn an_imports_operations_keep_the_line_each_cell_came_from() {
        use crate::import::{import_bytes, ImportKind};
        let mut store = replica();
        // Line 1 the header; line 4 empty (skipped by the reader), so the third figure is
        // on line 5. March replaces the pulled 80, April and May are new.
        let file = "indikator;enhet;periode;verdi\nBRUK;3100;2026-03;81\nBRUK;3100;2026-04;70\n\nBRUK;3100;2026-05;60\n";
        import_bytes(
            &mut store,
            ImportKind::Measurements,
            "bruk.csv",
            file.as_bytes(),
            false,
        )
        .unwrap();
        // The accounting export: lines 2 and 3 are both 3100 in March (summed into one
        // cell, which names the first), line 4 is April.
        let economy = "ansvar;periode;art;regnskap\n3100;2026-03;10100;100\n3100;2026-03;10200;50\n3100;2026-04;10100;70\n";
        import_bytes(
            &mut store,
            ImportKind::Economy,
            "regnskap.csv",
            economy.as_bytes(),
            false,
        )
        .unwrap();
        // A save in a grid has no line; an import over a waiting cell keeps its line.
        let m = |month: &str, value: f64| Measurement {
            indicator: "BRUK".into(),
            unit: "3100".into(),
            span: Period::parse(month).unwrap(),
            figure: Figure::Value { value },
        };
        store
            .apply(
                &ChangeSet::Measurements(vec![m("2026-06", 50.0), m("2026-03", 82.0)]),
                "manuell",
                false,
            )
            .unwrap();
        let lines: Vec<(String, Option<i64>)> = outbox_lines(&store)
            .into_iter()
            .map(|(entity, key, field, line)| (format!("{entity} {key} {field}"), line))
            .collect();
        assert_eq!(
            lines,
            [
                (
                    r#"economy {"month":"2026-03","unit":"3100"} actual"#.to_string(),
                    Some(2)
                ),
                (
                    r#"economy {"month":"2026-04","unit":"3100"} actual"#.to_string(),
                    Some(4)
                ),
                (
                    r#"measurements {"indicator":"BRUK","period":"2026-03","unit":"3100"} value"#
                        .to_string(),
                    Some(2)
                ),
                (
                    r#"measurements {"indicator":"BRUK","period":"2026-04","unit":"3100"} value"#
                        .to_string(),
                    Some(3)
                ),
                (
                    r#"measurements {"indicator":"BRUK","period":"2026-05","unit":"3100"} value"#
                        .to_string(),
                    Some(5)
                ),
                (
                    r#"measurements {"indicator":"BRUK","period":"2026-06","unit":"3100"} value"#
                        .to_string(),
                    None
                ),
            ]
        );
        // The lines are the file's alone: nothing is left for the next write.
        let left: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM temp.source_lines", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn a_broken_reference_is_found_in_one_check_or_table_by_table_and_a_table_left_out_is_not_read()
    {
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "PRAGMA foreign_keys = OFF;
                 INSERT INTO economy (unit, month, budget) VALUES ('9999', 0, 100);",
            )
            .unwrap();
        let broken = Some(("economy".to_string(), "units".to_string()));
        // Nothing left out (a reset pull): the one check of the whole database.
        assert_eq!(first_broken_reference(&store.conn, &[]).unwrap(), broken);
        // Another table left out (the demo's measurements): table by table.
        assert_eq!(
            first_broken_reference(&store.conn, &["measurements"]).unwrap(),
            broken
        );
        // The broken table itself left out: its rows are not read.
        assert_eq!(
            first_broken_reference(&store.conn, &["economy"]).unwrap(),
            None
        );
    }

    #[test]
    fn a_pull_applied_as_it_arrives_is_the_same_as_one_read_whole() {
        let mut streamed = empty_replica();
        let summary = streamed
            .apply_pull_parts(parts(&first_pull(), true), "2026-03-14T09:30:00+01:00")
            .unwrap();
        // One unit, one indicator, one measurement.
        assert_eq!(summary.rows, 3);
        assert_eq!(value(&streamed), 80.0);
        let info = streamed.replica().unwrap().unwrap();
        assert_eq!(info.watermark.as_deref(), Some("100"));
        assert_eq!(info, replica().replica().unwrap().unwrap());
    }

    #[test]
    fn a_pull_cut_off_while_it_arrives_leaves_the_replica_as_it_was() {
        let mut store = replica();
        let mut second = first_pull();
        second.watermark = "200".into();
        second.changes.get_mut("measurements").unwrap()[0].set(
            "measurements",
            "value",
            json!(55.0),
        );
        // Every row written, but the answer ends before `End`: nothing of it is kept.
        let e = store
            .apply_pull_parts(parts(&second, false), "2026-03-14T10:00:00+01:00")
            .unwrap_err();
        assert!(e.to_string().contains("avbrutt"), "{e}");
        assert_eq!(value(&store), 80.0);
        let info = store.replica().unwrap().unwrap();
        assert_eq!(info.watermark.as_deref(), Some("100"));
        // No head at all is cut off too.
        assert!(store
            .apply_pull_parts(Vec::new(), "2026-03-14T10:00:00+01:00")
            .is_err());
        // The whole answer is applied.
        store
            .apply_pull_parts(parts(&second, true), "2026-03-14T10:01:00+01:00")
            .unwrap();
        assert_eq!(value(&store), 55.0);
    }

    #[test]
    fn a_reset_pull_naming_a_missing_unit_is_refused_whole_and_the_foreign_keys_stay_on() {
        let mut store = replica();
        let mut broken = first_pull();
        broken.watermark = "300".into();
        let mut orphan = broken.changes.get_mut("measurements").unwrap()[0].clone();
        orphan.set("measurements", "unit", json!("9999"));
        broken.changes.get_mut("measurements").unwrap().push(orphan);
        // Written with the foreign keys off, checked whole before the commit.
        for streamed in [false, true] {
            let e = if streamed {
                store.apply_pull_parts(parts(&broken, true), "2026-03-14T11:00:00+01:00")
            } else {
                store.apply_pull(&broken, "2026-03-14T11:00:00+01:00")
            }
            .unwrap_err();
            assert!(e.to_string().contains("«measurements»"), "{e}");
            assert!(e.to_string().contains("«units»"), "{e}");
            // Nothing of it kept: the replica is the first pull's, one measurement.
            assert_eq!(value(&store), 80.0);
            let rows: i64 = store
                .conn
                .query_row("SELECT COUNT(*) FROM measurements", [], |r| r.get(0))
                .unwrap();
            assert_eq!(rows, 1);
            let info = store.replica().unwrap().unwrap();
            assert_eq!(info.watermark.as_deref(), Some("100"));
            // And every later write is checked again.
            let on: i64 = store
                .conn
                .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                .unwrap();
            assert_eq!(on, 1);
        }
    }

    #[test]
    fn a_pulled_rows_key_is_written_as_row_key_writes_it() {
        let targets = table("targets").unwrap();
        for (indicator, unit, year) in [
            (json!("BRUK"), json!("3100"), json!(2026)),
            (json!("«sitat» \"og\" \\ ø"), Value::Null, json!(-1)),
            (json!("A"), json!("\u{1}"), json!(2.5)),
        ] {
            let object = row(json!({"indicator": indicator, "unit": unit, "year": year}));
            let pulled = PulledRow {
                values: targets
                    .columns
                    .iter()
                    .map(|c| to_sql(object.get(*c)))
                    .collect(),
                ..PulledRow::default()
            };
            assert_eq!(pulled_key(targets, &pulled), row_key(targets, &object));
        }
    }

    #[test]
    fn a_span_is_named_as_its_period() {
        let m = |y, n| Month::new(y, n).unwrap();
        let name = |a, b| span_period(a, b).unwrap().to_string();
        assert_eq!(name(m(2026, 3), m(2026, 3)), "2026-03");
        assert_eq!(name(m(2026, 4), m(2026, 6)), "2026-K2");
        assert_eq!(name(m(2026, 5), m(2026, 8)), "2026-T2");
        assert_eq!(name(m(2026, 7), m(2026, 12)), "2026-H2");
        assert_eq!(name(m(2026, 1), m(2026, 12)), "2026");
    }

    #[test]
    fn a_cell_is_named_in_the_words_a_user_knows_it_by() {
        let words =
            |entity: &str, key: Value, field: &str| cell_words(entity, &key.to_string(), field);
        assert_eq!(
            words(
                "sick_leave",
                json!({"unit": "3100", "month": "2026-03"}),
                "self_certified"
            ),
            "sykefravær 3100 2026-03 egenmeldt"
        );
        assert_eq!(
            words(
                "measurements",
                json!({"indicator": "BRUK", "unit": "3100", "period": "2026-K1"}),
                "denominator"
            ),
            "måling BRUK 3100 2026-K1 nevner"
        );
        assert_eq!(
            words(
                "economy",
                json!({"unit": "3100", "month": "2026-11"}),
                "forecast"
            ),
            "økonomi 3100 2026-11 prognose"
        );
        assert_eq!(
            words(
                "targets",
                json!({"indicator": "SF", "unit": null, "year": 2026}),
                "red_limit"
            ),
            "mål SF alle enheter 2026 rødgrense"
        );
        assert_eq!(
            words("locked_months", json!({"month": "2026-04"}), "locked"),
            "lås 2026-04"
        );
        assert_eq!(
            words(
                "comments",
                json!({"uid": "u1", "indicator": "SF", "unit": "2100", "period": "2026-03"}),
                "text"
            ),
            "kommentar SF 2100 2026-03 tekst"
        );
        assert_eq!(
            words("units", json!({"code": "2100"}), "parent"),
            "enhet 2100 overordnet"
        );
        assert_eq!(
            words("settings", json!({"key": "min_employees"}), "value"),
            "innstilling min_employees verdi"
        );
        // A key that cannot be read still names the table and the field.
        assert_eq!(
            cell_words("economy", "ikke json", "budget"),
            "økonomi budsjett"
        );
    }

    #[test]
    fn a_pull_answer_is_read_into_each_tables_column_order() {
        // Keys in any order, an unknown column and an unknown table skipped, text, whole and
        // fractional numbers, null, and the cell versions kept as JSON text.
        let text = r#"{"watermark": "42", "reset": false, "changes": {
            "measurements": [{"unit": "3100", "value": 80.5, "version": 9, "id": 1,
                "indicator": "BRUK", "span_first": 24314, "span_last": 24314,
                "numerator": null, "cell_versions": {"value": 9}}],
            "sick_leave_summary": [{"unit": "1000"}]}, "deletions": []}"#;
        let pull: Pull = serde_json::from_str(text).unwrap();
        assert_eq!(pull.changes.0.len(), 1);
        let row = &pull.changes.0["measurements"][0];
        // Table::columns of measurements: indicator, span_first, unit, span_last, value,
        // numerator, denominator.
        assert_eq!(
            row.values,
            vec![
                Sql::Text("BRUK".into()),
                Sql::Integer(24314),
                Sql::Text("3100".into()),
                Sql::Integer(24314),
                Sql::Real(80.5),
                Sql::Null,
                Sql::Null,
            ]
        );
        assert_eq!(row.version, 9);
        assert_eq!(row.cells.as_deref(), Some(r#"{"value":9}"#));
        let Some(table) = table("measurements") else {
            panic!("measurements")
        };
        assert_eq!(pulled_key(table, row), r#"["BRUK",24314,"3100"]"#);
    }

    #[test]
    fn a_row_with_every_cell_at_its_version_is_stored_short_and_spelled_out_when_pushed() {
        let mut store = replica();
        let mut pull = first_pull();
        pull.reset = false;
        pull.changes.retain(|t| t == "measurements");
        let m = &mut pull.changes.get_mut("measurements").unwrap()[0];
        m.set("measurements", "version", json!(8));
        *m = PulledRow {
            cells: None,
            ..m.clone()
        }
        .with_cells(
            table("measurements").unwrap(),
            Some(&json!({"value": 8, "numerator": 8, "denominator": 8})),
        );
        store
            .apply_pull(&pull, "2026-03-14T10:00:00+01:00")
            .unwrap();
        let cells = |store: &Store| -> (i64, String) {
            store
                .conn
                .query_row(
                    "SELECT version, cells FROM row_versions WHERE entity = 'measurements'",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap()
        };
        assert_eq!(cells(&store), (8, String::new()));
        // An edit's base is the row's version …
        set_bruk(&mut store, 85.5);
        let op = store.outbox_to_send(10).unwrap().remove(0);
        assert_eq!(op.base_version, Some(8));
        // … and its answer spells every cell out: value at 12, the others still at 8.
        store
            .record_push(&[PushAnswer {
                op_id: op.op_id.clone(),
                status: "applied".into(),
                version: Some(12),
                theirs: None,
                reason: None,
            }])
            .unwrap();
        let (version, text) = cells(&store);
        assert_eq!(version, 12);
        let stored: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            stored,
            json!({"value": 12, "numerator": 8, "denominator": 8})
        );
    }

    /// A measurement of BRUK for 3100 in month `m` of 2026 as a pulled row, every cell at
    /// `version`.
    fn pulled_bruk(m: u32, value: f64, version: i64) -> PulledRow {
        let at = Month::new(2026, m).unwrap().index();
        PulledRow::from_map(
            table("measurements").unwrap(),
            row(
                json!({"indicator": "BRUK", "span_first": at, "unit": "3100", "span_last": at,
                "value": value, "numerator": null, "denominator": null, "version": version,
                "cell_versions": {"value": version, "numerator": version, "denominator": version}}),
            ),
        )
    }

    fn set_bruk_in(store: &mut Store, m: u32, figure: Figure) {
        let m = Measurement {
            indicator: "BRUK".into(),
            unit: "3100".into(),
            span: Period::parse(&format!("2026-{m:02}")).unwrap(),
            figure,
        };
        store
            .apply(&ChangeSet::Measurements(vec![m]), "manuell", false)
            .unwrap();
    }

    /// The versions the replica holds for BRUK in month `m`: its own row, if any.
    fn own_versions(store: &Store, m: u32) -> Option<(i64, String)> {
        let key = json!(["BRUK", Month::new(2026, m).unwrap().index(), "3100"]).to_string();
        store
            .conn
            .query_row(
                "SELECT version, cells FROM row_versions WHERE entity = 'measurements' AND key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .unwrap()
    }

    /// A local write as the core's writes end: its row changes become operations.
    fn local_write(store: &mut Store, sql: &str, month: i32) {
        let tx = store.conn.transaction().unwrap();
        tx.execute(sql, [month]).unwrap();
        collect(&tx).unwrap();
        tx.commit().unwrap();
    }

    /// BRUK in month `m` written as a fraction (the core's rules are not asked).
    fn as_fraction(store: &mut Store, m: u32) {
        local_write(
            store,
            "UPDATE measurements SET value = NULL, numerator = 1, denominator = 2
             WHERE span_first = ?1",
            Month::new(2026, m).unwrap().index(),
        );
    }

    /// Each operation's cell and base version.
    fn field_bases(ops: &[OutboxOp]) -> Vec<(&str, Option<i64>)> {
        ops.iter()
            .map(|o| (o.field.as_str(), o.base_version))
            .collect()
    }

    fn applied(store: &mut Store, op: &OutboxOp, version: i64) {
        store
            .record_push(&[PushAnswer {
                op_id: op.op_id.clone(),
                status: "applied".into(),
                version: Some(version),
                theirs: None,
                reason: None,
            }])
            .unwrap();
    }

    #[test]
    fn a_resets_rows_at_one_version_have_no_row_of_their_own_and_every_base_stays_exact() {
        // A reset: March and April at 7 (as a publish writes them), May at 9.
        let mut pull = first_pull();
        pull.changes.get_mut("measurements").unwrap().clear();
        pull.changes.get_mut("measurements").unwrap().extend([
            pulled_bruk(3, 80.0, 7),
            pulled_bruk(4, 81.0, 7),
            pulled_bruk(5, 82.0, 9),
        ]);
        let mut store = empty_replica();
        store
            .apply_pull_parts(parts(&pull, true), "2026-03-14T09:30:00+01:00")
            .unwrap();
        let reset: (String, i64) = store
            .conn
            .query_row("SELECT entity, version FROM reset_versions", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(reset, ("measurements".to_string(), 7));
        assert_eq!(own_versions(&store, 3), None);
        assert_eq!(own_versions(&store, 4), None);
        assert_eq!(own_versions(&store, 5), Some((9, String::new())));

        // An edit of a row at the reset's version has that version as its base; one at
        // another version, its own.
        set_bruk_in(&mut store, 3, Figure::Value { value: 85.0 });
        set_bruk_in(&mut store, 5, Figure::Value { value: 86.0 });
        let ops = store.outbox_to_send(10).unwrap();
        let bases: Vec<_> = ops.iter().map(|o| o.base_version).collect();
        assert_eq!(bases, vec![Some(7), Some(9)]);
        // Its answer spells March's cells out: value at 12, the others still at 7.
        applied(&mut store, &ops[0], 12);
        let (version, cells) = own_versions(&store, 3).unwrap();
        assert_eq!(version, 12);
        assert_eq!(
            serde_json::from_str::<Value>(&cells).unwrap(),
            json!({"value": 12, "numerator": 7, "denominator": 7})
        );
        applied(&mut store, &ops[1], 13);

        // A row the replica makes is new to the server: every base `null`, also for the
        // cells of a later edit, after its first answer.
        set_bruk_in(&mut store, 6, Figure::Value { value: 50.0 });
        let op = store.outbox_to_send(10).unwrap().remove(0);
        assert_eq!(op.base_version, None);
        applied(&mut store, &op, 20);
        as_fraction(&mut store, 6);
        let ops = store.outbox_to_send(10).unwrap();
        let bases = field_bases(&ops);
        assert_eq!(
            bases,
            vec![
                ("value", Some(20)),
                ("numerator", None),
                ("denominator", None)
            ]
        );
        for (op, v) in ops.iter().zip(21..) {
            applied(&mut store, op, v);
        }

        // A row the server removed and the replica then makes again is new too.
        let april = Month::new(2026, 4).unwrap().index();
        let gone = Pull {
            watermark: "130".into(),
            deletions: vec![Deletion {
                entity: "measurements".into(),
                key: row(json!({"indicator": "BRUK", "span_first": april, "unit": "3100"})),
                version: Some(30),
            }],
            ..Pull::default()
        };
        store
            .apply_pull(&gone, "2026-03-14T11:00:00+01:00")
            .unwrap();
        set_bruk_in(&mut store, 4, Figure::Value { value: 70.0 });
        let op = store.outbox_to_send(10).unwrap().remove(0);
        assert_eq!((op.field.as_str(), op.base_version), ("value", None));

        // A row deleted here and made again before its answer keeps the reset's bases.
        let mut again = first_pull();
        again.watermark = "200".into();
        again.changes.get_mut("measurements").unwrap().clear();
        again
            .changes
            .get_mut("measurements")
            .unwrap()
            .push(pulled_bruk(7, 60.0, 7));
        let mut fresh = empty_replica();
        fresh
            .apply_pull(&again, "2026-03-14T12:00:00+01:00")
            .unwrap();
        local_write(
            &mut fresh,
            "DELETE FROM measurements WHERE span_first = ?1",
            Month::new(2026, 7).unwrap().index(),
        );
        local_write(
            &mut fresh,
            "INSERT INTO measurements (indicator, span_first, unit, span_last, numerator, denominator)
             VALUES ('BRUK', ?1, '3100', ?1, 3, 4)",
            Month::new(2026, 7).unwrap().index(),
        );
        let ops = fresh.outbox_to_send(10).unwrap();
        let bases = field_bases(&ops);
        assert_eq!(
            bases,
            vec![
                ("value", Some(7)),
                ("numerator", Some(7)),
                ("denominator", Some(7))
            ]
        );
    }

    #[test]
    fn a_single_user_file_writes_no_outbox() {
        let mut store = Store::open_in_memory().unwrap();
        store.lock_month(Month::new(2026, 1).unwrap()).unwrap();
        assert_eq!(store.replica().unwrap(), None);
        assert_eq!(store.outbox_counts().unwrap(), OutboxCounts::default());
        let changes: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM row_changes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(changes, 0);
    }

    #[test]
    fn a_pull_fills_the_replica_without_writing_the_outbox() {
        let store = replica();
        assert_eq!(value(&store), 80.0);
        let info = store.replica().unwrap().unwrap();
        assert_eq!(info.watermark.as_deref(), Some("100"));
        assert_eq!(
            info.last_sync_at.as_deref(),
            Some("2026-03-14T09:30:00+01:00")
        );
        assert_eq!(store.outbox_counts().unwrap(), OutboxCounts::default());
    }

    #[test]
    fn an_edit_is_one_operation_per_cell_with_its_base_and_an_unsent_one_is_updated_in_place() {
        let mut store = replica();
        set_bruk(&mut store, 85.5);
        set_bruk(&mut store, 86.0);
        let ops = store.outbox_to_send(100).unwrap();
        assert_eq!(ops.len(), 1, "{ops:?}");
        let op = &ops[0];
        assert_eq!(op.entity, "measurements");
        assert_eq!(
            op.key,
            json!({"indicator": "BRUK", "unit": "3100", "period": "2026-03"})
        );
        assert_eq!(op.field, "value");
        // The base is the pulled cell (version 7, 80.0), not the first edit.
        assert_eq!(op.base_version, Some(7));
        assert_eq!(op.base_value, json!(80.0));
        assert_eq!(op.new_value, json!(86.0));

        // Sent and not yet answered: a new edit is a new operation on the same base …
        set_bruk(&mut store, 90.0);
        assert_eq!(store.outbox_counts().unwrap().pending, 2);
        // … that waits: a request carries one operation per cell (the first, resent).
        let again = store.outbox_to_send(100).unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].op_id, op.op_id);
        // … moved on to the first one's version when that is applied.
        let tally = store
            .record_push(&[PushAnswer {
                op_id: op.op_id.clone(),
                status: "applied".into(),
                version: Some(12),
                theirs: None,
                reason: None,
            }])
            .unwrap();
        assert_eq!(tally.applied, 1);
        let next = store.outbox_to_send(100).unwrap();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].base_version, Some(12));
        assert_eq!(next[0].base_value, json!(86.0));
        assert_eq!(next[0].new_value, json!(90.0));
    }

    #[test]
    fn a_pull_keeps_a_cell_an_unsent_edit_waits_on_and_a_conflict_is_kept_with_theirs() {
        let mut store = replica();
        set_bruk(&mut store, 85.5);
        // Someone else wrote 70 (version 9); the pull must not overwrite the local 85.5.
        let mut pull = first_pull();
        pull.reset = false;
        pull.watermark = "120".into();
        pull.changes.retain(|t| t == "measurements");
        let m = &mut pull.changes.get_mut("measurements").unwrap()[0];
        m.set("measurements", "value", json!(70.0));
        m.set("measurements", "version", json!(9));
        m.set("measurements", "cell_versions", json!({"value": 9}));
        let summary = store
            .apply_pull(&pull, "2026-03-14T10:00:00+01:00")
            .unwrap();
        assert_eq!(summary.kept_local, 1);
        assert_eq!(value(&store), 85.5);

        let op = store.outbox_to_send(10).unwrap().remove(0);
        assert_eq!(op.base_version, Some(7));
        let tally = store
            .record_push(&[PushAnswer {
                op_id: op.op_id.clone(),
                status: "conflict".into(),
                version: None,
                theirs: Some(Theirs {
                    value: json!(70.0),
                    version: Some(9),
                    by: Some("okonom".into()),
                    at: Some("2026-03-14T09:45:00+01:00".into()),
                }),
                reason: None,
            }])
            .unwrap();
        assert_eq!(tally.conflicts, 1);
        assert_eq!(
            store.outbox_counts().unwrap(),
            OutboxCounts {
                pending: 0,
                conflicts: 1
            }
        );
        let c = &store.outbox_conflicts().unwrap()[0];
        assert_eq!(
            (c.mine.as_deref(), c.theirs.as_deref()),
            (Some("85.5"), Some("70.0"))
        );
        assert_eq!(c.who.as_deref(), Some("okonom"));
        // Still kept over a later pull: the conflict waits for the user (issue 14).
        store
            .apply_pull(&pull, "2026-03-14T10:01:00+01:00")
            .unwrap();
        assert_eq!(value(&store), 85.5);
    }

    #[test]
    fn locks_comments_and_deletions_travel_as_cells() {
        let mut store = replica();
        let march = Month::new(2026, 3).unwrap();
        store.lock_month(march).unwrap();
        let period = Period::parse("2026-03").unwrap();
        store
            .add_comment("BRUK", "3100", &period, "Bedre enn ventet")
            .unwrap();
        let ops = store.outbox_to_send(10).unwrap();
        let fields: Vec<(&str, &str, &Value)> = ops
            .iter()
            .map(|o| (o.entity.as_str(), o.field.as_str(), &o.new_value))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("locked_months", "locked", &json!(true)),
                ("comments", "text", &json!("Bedre enn ventet")),
            ]
        );
        assert_eq!(ops[0].key, json!({"month": "2026-03"}));
        assert_eq!(ops[1].key["unit"], json!("3100"));
        assert_eq!(ops[1].key["period"], json!("2026-03"));

        // A tombstone removes the row and its versions.
        let pull = Pull {
            watermark: "130".into(),
            deletions: vec![Deletion {
                entity: "measurements".into(),
                key: row(json!({"indicator": "BRUK", "span_first": march.index(), "unit": "3100"})),
                version: Some(20),
            }],
            ..Pull::default()
        };
        let summary = store
            .apply_pull(&pull, "2026-03-14T11:00:00+01:00")
            .unwrap();
        assert_eq!(summary.rows, 1);
        let left: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM measurements", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn a_reset_pull_replaces_what_the_replica_had() {
        let mut store = replica();
        let mut pull = first_pull();
        pull.changes.insert("measurements", vec![]);
        pull.changes.insert("units", vec![]);
        store
            .apply_pull(&pull, "2026-03-15T09:00:00+01:00")
            .unwrap();
        let units: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM units", [], |r| r.get(0))
            .unwrap();
        assert_eq!(units, 0);
        assert_eq!(store.outbox_counts().unwrap(), OutboxCounts::default());
    }

    #[test]
    fn a_lesers_summary_becomes_own_rows_that_add_up_to_each_shown_total() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .make_replica(&ReplicaInfo {
                server_url: "http://127.0.0.1:1".into(),
                user_name: "radmann".into(),
                role: "leser".into(),
                units: vec!["1000".into()],
                ..ReplicaInfo::default()
            })
            .unwrap();
        let march = Month::new(2026, 3).unwrap().index();
        let unit = |code: &str, parent: Option<&str>, sort: i64| {
            row(
                json!({"code": code, "name": code, "parent": parent, "level": null, "sort": sort,
                       "version": 1, "cell_versions": {}}),
            )
        };
        let total =
            |u: &str, masked: bool, e: Option<i64>, c: f64, s: Option<f64>, d: Option<f64>| {
                row(json!({"unit": u, "month": march, "masked": masked,
                       "mask_reason": if masked { json!("few_employees") } else { Value::Null },
                       "employees": e, "contracted_days": c, "self_certified": s,
                       "doctor_certified": d, "split_contracted_days": null,
                       "short_days": null, "long_days": null}))
            };
        let mut changes = Changes::default();
        changes.insert(
            "units",
            vec![
                unit("1000", None, 1),
                unit("2000", Some("1000"), 2),
                unit("2100", Some("2000"), 3),
                unit("2200", Some("2000"), 4),
            ],
        );
        // Subtree totals. 2200 (100 dagsverk, 0,5 + 1,0 absent) is masked; 2000's own
        // staff has 20 dagsverk, 1,0 absent: 2000 = 880 + 100 + 20 = 1 000 dagsverk,
        // 14,5 + 0,5 + 1,0 = 16,0 egenmeldt, 41 + 1 + 0 = 42,0 legemeldt; 1000 = 2000.
        let pull = Pull {
            watermark: "10".into(),
            reset: true,
            changes,
            sick_leave_summary: Some(vec![
                total("1000", false, Some(70), 1000.0, Some(16.0), Some(42.0)),
                total("2000", false, Some(70), 1000.0, Some(16.0), Some(42.0)),
                total("2100", false, Some(42), 880.0, Some(14.5), Some(41.0)),
                total("2200", true, None, 100.0, None, None),
            ]),
            ..Pull::default()
        };
        store
            .apply_pull(&pull, "2026-04-02T08:00:00+02:00")
            .unwrap();
        let m = Month::new(2026, 3).unwrap();
        let rows = summary_sick_leave(&store.conn, m, m).unwrap().unwrap();
        let own: Vec<(&str, f64, f64, f64)> = rows
            .iter()
            .map(|r| {
                (
                    r.unit.as_str(),
                    r.contracted_days,
                    r.self_certified,
                    r.doctor_certified,
                )
            })
            .collect();
        // 2000's own row holds its staff and the masked 2200: 1 000 − 880 = 120 dagsverk,
        // 16,0 − 14,5 = 1,5 and 42 − 41 = 1,0 absent; 1000 has nothing of its own; 2200
        // gets no row.
        assert_eq!(
            own,
            vec![("2000", 120.0, 1.5, 1.0), ("2100", 880.0, 14.5, 41.0)]
        );
        // Rolled up, 2000 is the server's total again: SF = (16 + 42) / 1 000 = 5,8 %.
        let (c, a): (f64, f64) = rows
            .iter()
            .map(|r| (r.contracted_days, r.self_certified + r.doctor_certified))
            .fold((0.0, 0.0), |x, y| (x.0 + y.0, x.1 + y.1));
        assert_eq!((c, a), (1000.0, 58.0));
        // A pull without the key keeps the summary; a file without one reads sick_leave.
        store
            .apply_pull(
                &Pull {
                    watermark: "11".into(),
                    ..Pull::default()
                },
                "2026-04-02T09:00:00+02:00",
            )
            .unwrap();
        assert!(summary_sick_leave(&store.conn, m, m).unwrap().is_some());
        let local = Store::open_in_memory().unwrap();
        assert!(summary_sick_leave(&local.conn, m, m).unwrap().is_none());
    }
}
