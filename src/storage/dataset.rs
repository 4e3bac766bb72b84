//! Loading what the engine needs for one period: units, indicators, perspective names, all
//! targets, every tiltak, surveys, their results and reference values, and the
//! measurements, sick leave and economy of the months a `DatasetPlan` names: a window of
//! months (through December of the period's last year, for coverage and the annual budget),
//! or just what a root's målkart reads.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    let (_, data) = load_planned(conn, |indicators| {
        DatasetPlan::window(indicators, window(period))
    })?;
    Ok(data)
}

/// What the målkart of a root unit for `period` reads (`DatasetPlan::status`).
pub fn load_for_root_status(conn: &Connection, period: &Period) -> Result<Dataset> {
    let (_, data) = load_planned(conn, |indicators| {
        DatasetPlan::status(indicators, period, window(period))
    })?;
    Ok(data)
}

/// The dataset `plan` asks for, given the indicators; all of it from one state of the
/// database. When a second connection to the same file can be opened (a file in WAL mode),
/// it reads the rest (sick leave, economy, surveys, tiltak, targets) and then helps with the
/// measurements, the two taking indicators from one queue. Both read in a transaction and
/// read the database's revision first: should a write have come between their starts,
/// everything the second read is read again on `conn`, so the parts never come from two
/// states. Returns the revision it was read at with it.
pub fn load_planned(
    conn: &Connection,
    plan: impl FnOnce(&[Indicator]) -> DatasetPlan,
) -> Result<(i64, Dataset)> {
    // Inside a caller's transaction, that transaction is the snapshot already.
    let _snapshot = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let revision = super::db::revision(conn)?;
    let indicators = rows::indicators(conn)?;
    let plan = plan(&indicators);
    let units = rows::units(conn)?;
    let unit_index: UnitIndex<'_> = units
        .iter()
        .enumerate()
        .map(|(k, u)| (u.code.as_str(), k as u32))
        .collect();
    // Not beside a caller's transaction: it may hold changes no other connection sees.
    let second = match conn.path() {
        Some(path) if _snapshot.is_some() => second_reader(path),
        _ => None,
    };
    let queue = FigureQueue {
        plan: &plan,
        units: &unit_index,
        next: AtomicUsize::new(0),
    };
    let (mut figures, rest) = std::thread::scope(|scope| {
        let beside = second.map(|other| {
            let (plan, queue) = (&plan, &queue);
            scope.spawn(move || -> Result<(i64, Rest, Placed)> {
                let _snapshot = other.unchecked_transaction()?;
                let seen = super::db::revision(&other)?;
                let rest = Rest::read(&other, plan)?;
                // Read from another state, its figures would be thrown away: leave them.
                let figures = if seen == revision {
                    queue.take(&other)?
                } else {
                    Vec::new()
                };
                Ok((seen, rest, figures))
            })
        });
        let mut figures = queue.take(conn)?;
        let rest = match beside.map(|h| h.join()) {
            Some(Ok(Ok((seen, rest, theirs)))) if seen == revision => {
                figures.extend(theirs);
                rest
            }
            // Another state, a failed read or a panic there: all of it here instead.
            Some(_) => {
                figures = queue.all(conn)?;
                Rest::read(conn, &plan)?
            }
            None => Rest::read(conn, &plan)?,
        };
        Ok::<_, crate::error::Error>((figures, rest))
    })?;
    figures.sort_unstable_by_key(|(k, _)| *k);
    let data = Dataset {
        sick_leave: rest.sick_leave,
        economy: rest.economy,
        units,
        indicators,
        perspective_names: rest.perspective_names,
        targets: rest.targets,
        measurements: Vec::new(),
        figures: figures.into_iter().map(|(_, f)| f).collect(),
        actions: rest.actions,
        surveys: rest.surveys,
        survey_results: rest.survey_results,
        references: rest.references,
    };
    Ok((revision, data))
}

type UnitIndex<'u> = HashMap<&'u str, u32, rustc_hash::FxBuildHasher>;

/// Indicators' measurements with their place in the plan.
type Placed = Vec<(usize, IndicatorFigures)>;

/// The indicators whose measurements are still to be read, taken one at a time by either
/// connection; each answer keeps its place in the plan.
struct FigureQueue<'p> {
    plan: &'p DatasetPlan,
    units: &'p UnitIndex<'p>,
    next: AtomicUsize,
}

impl FigureQueue<'_> {
    /// Indicators from the queue until it is empty, read on `conn`.
    fn take(&self, conn: &Connection) -> Result<Placed> {
        let (mut out, mut buffer) = (Vec::new(), Vec::new());
        loop {
            let k = self.next.fetch_add(1, Ordering::Relaxed);
            let Some((code, ranges)) = self.plan.measurements.get(k) else {
                return Ok(out);
            };
            out.push((
                k,
                read_figures(conn, code, ranges, self.units, &mut buffer)?,
            ));
        }
    }

    /// Every indicator of the plan, read on `conn` (when the other connection's part cannot
    /// be used).
    fn all(&self, conn: &Connection) -> Result<Placed> {
        let mut buffer = Vec::new();
        self.plan
            .measurements
            .iter()
            .enumerate()
            .map(|(k, (code, ranges))| {
                Ok((
                    k,
                    read_figures(conn, code, ranges, self.units, &mut buffer)?,
                ))
            })
            .collect()
    }
}

/// A second read-only connection to the database file at `path`, when it is in WAL mode and
/// open (its `-wal` beside it), so that a reader can read alongside; `None` otherwise.
pub(super) fn second_reader(path: &str) -> Option<Connection> {
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

/// One indicator's measurements in `ranges`: per range one walk along the key (indicator,
/// span_first, unit); rows come in that order, as the engine expects them. A span is one
/// period of its indicator's frequency, so the spans inside a range of whole periods start
/// in it. The unit is kept as its index in `units`: no text is copied per row.
///
/// The rows are gathered in `buffer` (one per connection, grown to the largest indicator
/// once) and copied out at their exact length: a vector grown row by row would copy itself
/// and touch fresh pages at every doubling.
fn read_figures(
    conn: &Connection,
    code: &str,
    ranges: &[(Month, Month)],
    units: &UnitIndex<'_>,
    buffer: &mut Vec<FigureRow>,
) -> Result<IndicatorFigures> {
    let mut stmt = conn.prepare_cached(
        "SELECT unit, span_first, span_last, value, numerator, denominator FROM measurements
         WHERE indicator = ?1 AND span_first BETWEEN ?2 AND ?3
         ORDER BY span_first, unit",
    )?;
    buffer.clear();
    for (first, last) in ranges {
        let mut rows = stmt.query(params![code, first.index(), last.index()])?;
        while let Some(row) = rows.next()? {
            let unit = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            // A unit that is gone cannot be (foreign key); left out, as the engine would.
            let Some(&unit) = units.get(unit) else {
                continue;
            };
            buffer.push(FigureRow {
                unit,
                span: rows::span(row.get(1)?, row.get(2)?)?,
                figure: rows::figure(row.get(3)?, row.get(4)?, row.get(5)?)?,
            });
        }
    }
    Ok(IndicatorFigures {
        indicator: code.to_string(),
        rows: buffer.to_vec(),
    })
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
                Some(rows) => append(&mut sick_leave, rows),
                None => append(&mut sick_leave, super::sickleave::load(conn, first, last)?),
            }
        }
        let mut economy = Vec::new();
        for &(first, last) in &plan.economy {
            append(&mut economy, super::economy::load(conn, first, last)?);
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

/// `more` after `all`'s rows; the first part is kept as it is, not copied (tens of
/// thousands of rows: the copy and its fresh pages were a few per cent of a cold `status`).
fn append<T>(all: &mut Vec<T>, more: Vec<T>) {
    if all.is_empty() {
        *all = more;
    } else {
        all.extend(more);
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
