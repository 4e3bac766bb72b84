//! Applying a `ChangeSet` inside an open write transaction: every row is checked (codes,
//! known units and indicators, the unit tree, spans, locked months, red limits, definition
//! changes that would strand measurements), then created, changed or left alone, with one
//! audit entry per created or changed row. Any error leaves the caller's transaction to roll
//! back, so nothing of the set is stored. One module per kind of row: `units`,
//! `indicators`, `targets`, `measurements`, `sickleave`, `economy`, `actions`, `surveys`.

use rusqlite::Connection;

use crate::error::Result;

use super::audit::{self, Change, Writer};
use super::{ApplySummary, ChangeSet};

/// Applies `changes`; with `log` `None` (the demo) no per-row audit entries are written.
pub fn change_set(
    conn: &Connection,
    changes: &ChangeSet,
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    match changes {
        ChangeSet::Units(units) => super::units::apply(conn, units, log),
        ChangeSet::Indicators(indicators) => super::indicators::apply(conn, indicators, log),
        ChangeSet::Targets(targets) => super::targets::apply(conn, targets, log),
        ChangeSet::Measurements(rows) => super::measurements::apply(conn, rows, log),
        ChangeSet::SickLeave(rows) => super::sickleave::apply(conn, rows, log),
        ChangeSet::Economy(rows) => super::economy::apply(conn, rows, log),
        ChangeSet::Actions(rows) => super::actions::apply(conn, rows, log),
        ChangeSet::SurveyResults(rows) => super::surveys::apply_results(conn, rows, log),
        ChangeSet::References(rows) => super::surveys::apply_references(conn, rows, log),
        ChangeSet::Kostra {
            measurements,
            references,
        } => {
            let a = super::measurements::apply(conn, measurements, log)?;
            let b = super::surveys::apply_references(conn, references, log)?;
            Ok(ApplySummary {
                created: a.created + b.created,
                changed: a.changed + b.changed,
                unchanged: a.unchanged + b.unchanged,
            })
        }
    }
}

/// Writes one audit entry when there is a log, preparing its statement once per set.
pub(super) fn log_change<'c>(
    conn: &'c Connection,
    log: Option<&Writer<'_>>,
    stmt: &mut Option<rusqlite::CachedStatement<'c>>,
    change: &Change<'_>,
) -> Result<()> {
    let Some(log) = log else { return Ok(()) };
    if stmt.is_none() {
        *stmt = Some(conn.prepare_cached(audit::INSERT)?);
    }
    match stmt {
        Some(stmt) => log.write(conn, stmt, change),
        None => Ok(()),
    }
}
