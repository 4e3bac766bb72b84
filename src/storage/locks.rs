//! Locked (closed) months (engine.md §9): locking and unlocking, both in the audit log; an
//! unlock needs a reason.

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::model::LockedMonth;
use crate::period::Month;

use super::audit::{json, Change, Writer};

pub fn lock(conn: &Connection, month: Month, log: &Writer<'_>) -> Result<bool> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO locked_months (month, locked_by, locked_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (month) DO NOTHING",
        )?
        .execute(params![month.index(), log.user, log.at])?;
    if inserted == 0 {
        return Ok(false);
    }
    let id = month.id();
    let new = json(&LockedMonth {
        month: id.clone(),
        locked_by: log.user.to_string(),
        locked_at: log.at.clone(),
    });
    log.write_one(
        conn,
        &Change {
            entity: "lås",
            key: &id,
            period: Some(&id),
            new: Some(&new),
            ..Change::default()
        },
    )?;
    Ok(true)
}

/// Checks the reason before anything else: an unlock without one is refused even when the
/// month was not locked.
pub fn check_reason(month: Month, reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(Error::invalid_field(
            "grunn",
            format!(
                "oppgi en grunn for å låse opp {} ({}); grunnen skrives i endringsloggen",
                month.id(),
                crate::period::Period::month(month).label()
            ),
        ));
    }
    Ok(())
}

pub fn unlock(conn: &Connection, month: Month, reason: &str, log: &Writer<'_>) -> Result<bool> {
    check_reason(month, reason)?;
    let old = conn
        .prepare_cached("SELECT locked_by, locked_at FROM locked_months WHERE month = ?1")?
        .query_map([month.index()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .next()
        .transpose()?;
    let Some((locked_by, locked_at)) = old else {
        return Ok(false);
    };
    conn.prepare_cached("DELETE FROM locked_months WHERE month = ?1")?
        .execute([month.index()])?;
    let id = month.id();
    let old = json(&LockedMonth {
        month: id.clone(),
        locked_by,
        locked_at,
    });
    log.write_one(
        conn,
        &Change {
            entity: "lås",
            key: &id,
            period: Some(&id),
            old: Some(&old),
            reason: Some(reason.trim()),
            ..Change::default()
        },
    )?;
    Ok(true)
}
