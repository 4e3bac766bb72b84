//! Loading what the engine needs for one period: units, indicators, perspective names, all
//! targets, every tiltak, surveys, their results and reference values, and the
//! measurements, sick leave and economy of the months a `DatasetPlan` names: a window of
//! months (through December of the period's last year, for coverage and the annual budget),
//! or just what a root's målkart reads.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use crate::engine::plan::DatasetPlan;

use crate::engine::{Dataset, FigureRow, IndicatorFigures};
use crate::error::Result;
use crate::model::Indicator;
use crate::period::{Month, Period};

use super::rows;

/// The months whose measurements a question about `period` can need: from January of the
/// year before the earliest of `period`, its previous period and its last-year period
/// (coverage looks at whole calendar years, and a coarser indicator falls back to its latest
/// span that ended, which may lie in the year before), through December of `period`'s last
/// year (a unit that reports later in the year is expected in `period` too: engine.md §4).
pub fn window(period: &Period) -> (Month, Month) {
    let earliest = [
        period.first(),
        period.previous().first(),
        period.last_year().first(),
    ]
    .into_iter()
    .min()
    .unwrap_or(period.first());
    (
        Month::from_index((earliest.year() - 1) * 12),
        Month::from_index(period.last().year() * 12 + 11),
    )
}

/// Everything in `window(period)`: what the app, `show` and a unit below the root need.
pub fn load(conn: &Connection, period: &Period) -> Result<Dataset> {
    load_planned(conn, |indicators| {
        DatasetPlan::window(indicators, window(period))
    })
}

/// What the målkart of a root unit for `period` reads (`DatasetPlan::status`).
pub fn load_for_root_status(conn: &Connection, period: &Period) -> Result<Dataset> {
    load_planned(conn, |indicators| {
        DatasetPlan::status(indicators, period, window(period))
    })
}

/// The dataset `plan` asks for, given the indicators; all of it from one state of the
/// database. The measurements are read on `conn`; the rest (sick leave, economy, surveys,
/// tiltak, targets) at the same time on a second connection to the same file, when there is
/// one to open (a file in WAL mode). Both read in a transaction and read the database's
/// revision first: should a write have come between their starts, the rest is read again on
/// `conn`, so the parts never come from two states.
fn load_planned(
    conn: &Connection,
    plan: impl FnOnce(&[Indicator]) -> DatasetPlan,
) -> Result<Dataset> {
    // Inside a caller's transaction, that transaction is the snapshot already.
    let _snapshot = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let revision = super::db::revision(conn)?;
    let indicators = rows::indicators(conn)?;
    let plan = plan(&indicators);
    // Not beside a caller's transaction: it may hold changes no other connection sees.
    let second = match conn.path() {
        Some(path) if _snapshot.is_some() => second_reader(path),
        _ => None,
    };
    let (units, figures, rest) = std::thread::scope(|scope| {
        let beside = second.map(|other| {
            let plan = &plan;
            scope.spawn(move || -> Result<(i64, Rest)> {
                let _snapshot = other.unchecked_transaction()?;
                Ok((super::db::revision(&other)?, Rest::read(&other, plan)?))
            })
        });
        let units = rows::units(conn)?;
        let figures = read_figures(conn, &plan, &units)?;
        let rest = match beside.map(|h| h.join()) {
            Some(Ok(Ok((seen, rest)))) if seen == revision => rest,
            // Another state, a failed read or a panic there: read it here instead.
            _ => Rest::read(conn, &plan)?,
        };
        Ok::<_, crate::error::Error>((units, figures, rest))
    })?;
    Ok(Dataset {
        sick_leave: rest.sick_leave,
        economy: rest.economy,
        units,
        indicators,
        perspective_names: rest.perspective_names,
        targets: rest.targets,
        measurements: Vec::new(),
        figures,
        actions: rest.actions,
        surveys: rest.surveys,
        survey_results: rest.survey_results,
        references: rest.references,
    })
}

/// A second read-only connection to the database file at `path`, when it is in WAL mode and
/// open (its `-wal` beside it), so that a reader can read alongside; `None` otherwise.
fn second_reader(path: &str) -> Option<Connection> {
    let path = std::path::Path::new(path);
    if path.as_os_str().is_empty() || !super::db::sibling(path, "-wal").exists() {
        return None;
    }
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    super::db::configure_read_only(&conn).ok()?;
    conn.pragma_update(None, "cache_size", -2_048).ok()?;
    conn.busy_timeout(super::db::busy_timeout()).ok()?;
    Some(conn)
}

/// Per indicator and range, one walk along the key (indicator, span_first, unit); rows come
/// in that order, as the engine expects them. A span is one period of its indicator's
/// frequency, so the spans inside a range of whole periods start in it. The unit is kept as
/// its index in `units`: no text is copied per row.
fn read_figures(
    conn: &Connection,
    plan: &DatasetPlan,
    units: &[crate::model::Unit],
) -> Result<Vec<IndicatorFigures>> {
    let unit_index: HashMap<&str, u32, rustc_hash::FxBuildHasher> = units
        .iter()
        .enumerate()
        .map(|(k, u)| (u.code.as_str(), k as u32))
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT unit, span_first, span_last, value, numerator, denominator FROM measurements
         WHERE indicator = ?1 AND span_first BETWEEN ?2 AND ?3
         ORDER BY span_first, unit",
    )?;
    let mut figures = Vec::with_capacity(plan.measurements.len());
    for (code, ranges) in &plan.measurements {
        let mut read = IndicatorFigures {
            indicator: code.clone(),
            rows: Vec::new(),
        };
        for (first, last) in ranges {
            let mut rows = stmt.query(params![code, first.index(), last.index()])?;
            while let Some(row) = rows.next()? {
                let unit = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                // A unit that is gone cannot be (foreign key); left out, as the engine would.
                let Some(&unit) = unit_index.get(unit) else {
                    continue;
                };
                read.rows.push(FigureRow {
                    unit,
                    span: rows::span(row.get(1)?, row.get(2)?)?,
                    figure: rows::figure(row.get(3)?, row.get(4)?, row.get(5)?)?,
                });
            }
        }
        figures.push(read);
    }
    Ok(figures)
}

/// Everything of a dataset but its units, indicators and measurements.
struct Rest {
    perspective_names: Vec<(crate::model::Perspective, String)>,
    targets: Vec<crate::model::Target>,
    sick_leave: Vec<crate::model::SickLeave>,
    economy: Vec<crate::model::EconomyMonth>,
    actions: Vec<crate::model::Action>,
    surveys: Vec<crate::model::Survey>,
    survey_results: Vec<crate::model::SurveyResult>,
    references: Vec<crate::model::ReferenceValue>,
}

impl Rest {
    fn read(conn: &Connection, plan: &DatasetPlan) -> Result<Rest> {
        let sql = format!(
            "SELECT {} FROM targets ORDER BY indicator, year, unit",
            rows::TARGET_COLUMNS
        );
        let targets = conn
            .prepare_cached(&sql)?
            .query_map([], rows::target)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut sick_leave = Vec::new();
        for &(first, last) in &plan.sick_leave {
            // A leser's replica has no sick-leave rows, only the server's masked summary.
            match super::replica::summary_sick_leave(conn, first, last)? {
                Some(rows) => sick_leave.extend(rows),
                None => sick_leave.extend(super::sickleave::load(conn, first, last)?),
            }
        }
        let mut economy = Vec::new();
        for &(first, last) in &plan.economy {
            economy.extend(super::economy::load(conn, first, last)?);
        }
        Ok(Rest {
            perspective_names: rows::perspective_names(conn)?,
            targets,
            sick_leave,
            economy,
            // Every tiltak: a few thousand at most, and the målkart of any period counts them.
            actions: super::actions::load(conn)?,
            // Every survey result and reference value: a few per unit and factor and round.
            surveys: super::surveys::surveys(conn)?,
            survey_results: super::surveys::results(conn)?,
            references: super::surveys::references(conn)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(period: &str) -> (String, String) {
        let p = Period::parse(period).map_err(|e| e.to_string()).unwrap();
        let (a, b) = window(&p);
        (a.id(), b.id())
    }

    #[test]
    fn window_reaches_january_of_the_year_before_the_earliest_compared_period() {
        // 2026-K3: previous 2026-K2, last year 2025-K3 → earliest 2025-07 → from 2024-01;
        // through December 2026, as coverage counts units that report later in 2026.
        assert_eq!(
            ids("2026-K3"),
            ("2024-01".to_string(), "2026-12".to_string())
        );
        // 2026-K1: previous is 2025-K4, last year 2025-K1 → earliest 2025-01 → from 2024-01.
        assert_eq!(
            ids("2026-K1"),
            ("2024-01".to_string(), "2026-12".to_string())
        );
        // The year 2026: previous 2025 → from 2024-01.
        assert_eq!(ids("2026"), ("2024-01".to_string(), "2026-12".to_string()));
        // A 12-month range across years: previous starts 2024-10 → from 2023-01.
        assert_eq!(
            ids("2025-10..2026-09"),
            ("2023-01".to_string(), "2026-12".to_string())
        );
    }
}
