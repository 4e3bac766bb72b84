//! Comments on (indicator, unit, period): written by the current user, changed and deleted
//! by id, each change in the audit log.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::Comment;
use crate::period::Period;

use super::audit::{json, Change, Writer};
use super::rows;

pub fn list(
    conn: &Connection,
    indicator: &str,
    unit: &str,
    period: &Period,
) -> Result<Vec<Comment>> {
    let sql = format!(
        "SELECT {} FROM comments WHERE indicator = ?1 AND unit = ?2 AND period = ?3
         ORDER BY created_at, id",
        rows::COMMENT_COLUMNS
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![indicator, unit, period.to_string()], rows::comment)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn get(conn: &Connection, id: i64) -> Result<Comment> {
    let sql = format!(
        "SELECT {} FROM comments WHERE id = ?1",
        rows::COMMENT_COLUMNS
    );
    conn.prepare_cached(&sql)?
        .query_row([id], rows::comment)
        .optional()?
        .ok_or(Error::CommentNotFound(id))
}

fn checked_text(text: &str) -> Result<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid_field(
            "tekst",
            "kommentaren er tom; skriv noe før du lagrer",
        ));
    }
    Ok(text)
}

fn key(c: &Comment) -> String {
    format!("{} / {} / {}", c.indicator, c.unit, c.period)
}

fn exists(conn: &Connection, table: &str, code: &str) -> Result<bool> {
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE code = ?1)");
    Ok(conn.prepare_cached(&sql)?.query_row([code], |r| r.get(0))?)
}

/// Inserts a comment as it is (author and times included; the demo keeps its own), with a
/// new uid when it has none; returns its id and uid.
pub fn insert(conn: &Connection, c: &Comment) -> Result<(i64, String)> {
    let uid = if c.uid.is_empty() {
        super::new_uid()
    } else {
        c.uid.clone()
    };
    conn.prepare_cached(
        "INSERT INTO comments (indicator, unit, period, author, text, created_at, updated_at, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        c.indicator,
        c.unit,
        c.period,
        c.author,
        c.text,
        c.created_at,
        c.updated_at,
        uid
    ])?;
    Ok((conn.last_insert_rowid(), uid))
}

pub fn add(
    conn: &Connection,
    indicator: &str,
    unit: &str,
    period: &Period,
    text: &str,
    log: &Writer<'_>,
) -> Result<Comment> {
    if !exists(conn, "indicators", indicator)? {
        return Err(Error::UnknownIndicator(indicator.to_string()));
    }
    if !exists(conn, "units", unit)? {
        return Err(Error::UnknownUnit(unit.to_string()));
    }
    let mut comment = Comment {
        id: 0,
        uid: String::new(),
        indicator: indicator.to_string(),
        unit: unit.to_string(),
        period: period.to_string(),
        author: log.user.to_string(),
        text: checked_text(text)?.to_string(),
        created_at: log.at.clone(),
        updated_at: None,
    };
    (comment.id, comment.uid) = insert(conn, &comment)?;
    let new = json(&comment);
    write_log(conn, log, &comment, None, Some(&new))?;
    Ok(comment)
}

fn write_log(
    conn: &Connection,
    log: &Writer<'_>,
    c: &Comment,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    log.write_one(
        conn,
        &Change {
            entity: "kommentar",
            key: &key(c),
            indicator: Some(&c.indicator),
            unit: Some(&c.unit),
            period: Some(&c.period),
            old,
            new,
            reason: None,
        },
    )
}

pub fn update(conn: &Connection, id: i64, text: &str, log: &Writer<'_>) -> Result<Comment> {
    let text = checked_text(text)?;
    let old = get(conn, id)?;
    if old.text == text {
        return Ok(old);
    }
    conn.prepare_cached("UPDATE comments SET text = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id, text, log.at])?;
    let new = Comment {
        text: text.to_string(),
        updated_at: Some(log.at.clone()),
        ..old.clone()
    };
    write_log(conn, log, &new, Some(&json(&old)), Some(&json(&new)))?;
    Ok(new)
}

pub fn delete(conn: &Connection, id: i64, log: &Writer<'_>) -> Result<()> {
    let old = get(conn, id)?;
    conn.prepare_cached("DELETE FROM comments WHERE id = ?1")?
        .execute([id])?;
    write_log(conn, log, &old, Some(&json(&old)), None)
}
