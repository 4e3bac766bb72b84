//! The reports: the sick-leave summary (masked for a minimum number of employees) and the
//! economy report, on screen and as exported files (rendered by `crate::export`, written
//! atomically by [`super::files`]).

use std::path::PathBuf;

use chrono::NaiveDateTime;

use crate::engine::economy::EconomyReport;
use crate::engine::sickleave::Privacy;
use crate::engine::sickleave::SickLeaveSummary;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::export::{self, Format};
use crate::period::{Month, Period};
use crate::storage::Store;

use super::files::{target_path, write_atomically};

/// The masking minimum asked for, else the stored setting (default 5; 0 is off).
pub fn minimum(store: &Store, asked: Option<u32>) -> Result<u32> {
    match asked {
        Some(n) => Ok(n),
        None => store.min_employees(),
    }
}

/// A minimum below the municipality's setting shows groups it masks: a deliberate unmasked
/// view, written in the audit log (by `door`) before the report is made. Nothing is written
/// for the setting or above it.
pub fn audit_lower_minimum(
    store: &mut Store,
    engine: &Engine,
    unit: &str,
    period: &Period,
    minimum: u32,
    door: &str,
) -> Result<()> {
    if minimum >= store.min_employees()? {
        return Ok(());
    }
    engine
        .unit(unit)
        .ok_or_else(|| Error::UnknownUnit(unit.to_string()))?;
    store.audit_unmasked_view(unit, &period.to_string(), door)
}

/// The sick-leave summary of `unit` and its descendants for `period`, masked for `minimum`.
pub fn sick_leave_summary(
    engine: &Engine,
    unit: &str,
    period: &Period,
    minimum: u32,
) -> Result<SickLeaveSummary> {
    Ok(engine.sick_leave_summary(unit, period, minimum)?)
}

/// The economy report of `unit` and its descendants, year to date through `period`'s last
/// month.
pub fn economy_report(engine: &Engine, unit: &str, period: &Period) -> Result<EconomyReport> {
    Ok(engine.economy_report(unit, period)?)
}

/// Writes the sick-leave summary as `format` to the typed `path` (the format's extension
/// added when it has none), stamped with the time of export the door passes; returns the
/// path written.
pub fn export_sick_leave(
    engine: &Engine,
    unit: &str,
    period: &Period,
    minimum: u32,
    format: Format,
    path: &str,
    exported_at: NaiveDateTime,
) -> Result<PathBuf> {
    let target = target_path(path, format)?;
    let bytes = export::sick_leave(engine, unit, period, minimum, format, exported_at)?;
    write_atomically(&target, &bytes)?;
    Ok(target)
}

/// Writes the economy report as `format` to the typed `path`; returns the path written.
pub fn export_economy(
    engine: &Engine,
    unit: &str,
    period: &Period,
    format: Format,
    path: &str,
    exported_at: NaiveDateTime,
) -> Result<PathBuf> {
    let target = target_path(path, format)?;
    let bytes = export::economy(engine, unit, period, format, exported_at)?;
    write_atomically(&target, &bytes)?;
    Ok(target)
}

/// What «Skriv ut / PDF» of the målkart prints: which unit, period and filter.
#[derive(Clone, Debug)]
pub struct ScorecardPrint<'a> {
    pub unit: &'a str,
    pub period: &'a Period,
    /// «Vis bare avvik»: only the yellow and red indicators.
    pub deviations_only: bool,
    /// Masking, as for the målkart on screen.
    pub privacy: Privacy,
    /// The last full month ("now", from the door's clock): what is provisional.
    pub last_full: Month,
}

/// Writes the målkart as shown (`detail::scorecard`: masked and provisional as `print`
/// says) as `format` to the typed `path`, for a meeting; returns the path
/// written. The unit is named with its ancestors.
pub fn export_scorecard(
    engine: &Engine,
    store: &Store,
    print: &ScorecardPrint<'_>,
    format: Format,
    path: &str,
    exported_at: NaiveDateTime,
) -> Result<PathBuf> {
    let target = target_path(path, format)?;
    let bytes = scorecard_bytes(engine, store, print, format, exported_at)?;
    write_atomically(&target, &bytes)?;
    Ok(target)
}

/// The målkart as shown, rendered as `format` (the bytes `export_scorecard` writes).
pub fn scorecard_bytes(
    engine: &Engine,
    store: &Store,
    print: &ScorecardPrint<'_>,
    format: Format,
    exported_at: NaiveDateTime,
) -> Result<Vec<u8>> {
    let card = super::detail::scorecard(
        engine,
        store,
        print.unit,
        print.period,
        print.privacy,
        print.last_full,
    )?;
    let path = super::overview::breadcrumb(engine, print.unit)?
        .into_iter()
        .map(|u| u.name)
        .collect::<Vec<_>>()
        .join(" › ");
    export::scorecard(&card, &path, print.deviations_only, format, exported_at)
}
