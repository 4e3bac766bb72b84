//! User settings (the `settings` table), each change audited.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};

use super::audit::{Change, Writer};

/// The masking minimum when the setting is missing (sick-leave.md).
pub const DEFAULT_MIN_EMPLOYEES: u32 = 5;

const MIN_EMPLOYEES: &str = "min_employees";

pub fn min_employees(conn: &Connection) -> Result<u32> {
    let text: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([MIN_EMPLOYEES], |r| r.get(0))
        .optional()?;
    match text {
        None => Ok(DEFAULT_MIN_EMPLOYEES),
        Some(t) => t
            .trim()
            .parse::<u32>()
            .map_err(|_| Error::Corrupt(format!("innstillingen min_employees er «{t}»"))),
    }
}

/// Sets the masking minimum, audited (entity `innstilling`); `false` when it was that already.
pub fn set_min_employees(conn: &Connection, n: u32, log: &Writer<'_>) -> Result<bool> {
    let old = min_employees(conn)?;
    if old == n {
        return Ok(false);
    }
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![MIN_EMPLOYEES, n.to_string()])?;
    let (old, new) = (old.to_string(), n.to_string());
    log.write_one(
        conn,
        &Change {
            entity: "innstilling",
            key: MIN_EMPLOYEES,
            old: Some(&old),
            new: Some(&new),
            ..Change::default()
        },
    )?;
    Ok(true)
}
