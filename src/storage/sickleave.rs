//! The sick-leave table (sick-leave.md): one row per (unit, month), checked, written and
//! audited row by row; locked months refused.

use rusqlite::Connection;

use crate::error::Result;
use crate::model::{SickLeave, SickLeaveChange};
use crate::period::Month;

use super::audit::Writer;
use super::ApplySummary;

/// Applies sick-leave changes inside the caller's write transaction; `log` `None` (the
/// demo) writes no per-row audit entries.
pub fn apply(
    conn: &Connection,
    changes: &[SickLeaveChange],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    todo!("helper A: {conn:?} {changes:?} {}", log.is_some())
}

pub fn load(conn: &Connection, first: Month, last: Month) -> Result<Vec<SickLeave>> {
    todo!("helper A: {conn:?} {first} {last}")
}
