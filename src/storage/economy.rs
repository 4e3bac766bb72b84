//! The economy table (economy.md): per (unit, month) budget, accounts and forecast in
//! integer øre, changed figure by figure and audited; locked months refused.

use rusqlite::Connection;

use crate::error::Result;
use crate::model::{EconomyChange, EconomyMonth};
use crate::period::Month;

use super::audit::Writer;
use super::ApplySummary;

/// Applies economy changes inside the caller's write transaction; `log` `None` (the demo)
/// writes no per-row audit entries.
pub fn apply(
    conn: &Connection,
    changes: &[EconomyChange],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    todo!("helper B: {conn:?} {changes:?} {}", log.is_some())
}

pub fn load(conn: &Connection, first: Month, last: Month) -> Result<Vec<EconomyMonth>> {
    todo!("helper B: {conn:?} {first} {last}")
}
