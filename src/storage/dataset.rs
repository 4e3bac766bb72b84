//! Loading what the engine needs for one period in eleven queries: units, indicators,
//! perspective names, all targets, every tiltak, surveys, their results and reference values, and the measurements, sick leave and economy of a window
//! of months (through December of the period's last year, for coverage and the annual
//! budget).

use rusqlite::{params, Connection};

use crate::engine::Dataset;
use crate::error::Result;
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

pub fn load(conn: &Connection, period: &Period) -> Result<Dataset> {
    let (first, last) = window(period);
    // `indicator IN (…)` lets SQLite walk the key (indicator, span_first, unit) as one
    // contiguous range per indicator instead of scanning the table. A span is at most twelve
    // months long, so one that overlaps the window starts at most eleven months before it.
    let sql = format!(
        "SELECT {} FROM measurements
         WHERE indicator IN (SELECT code FROM indicators)
           AND span_first BETWEEN ?1 AND ?2 AND span_last >= ?3",
        rows::MEASUREMENT_COLUMNS
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let raws = stmt
        .query_map(
            params![first.index() - 11, last.index(), first.index()],
            rows::raw_measurement,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let measurements = raws
        .into_iter()
        .map(rows::measurement)
        .collect::<Result<Vec<_>>>()?;

    let sql = format!(
        "SELECT {} FROM targets ORDER BY indicator, year, unit",
        rows::TARGET_COLUMNS
    );
    let targets = conn
        .prepare_cached(&sql)?
        .query_map([], rows::target)?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    Ok(Dataset {
        // A leser's replica has no sick-leave rows, only the server's masked summary.
        sick_leave: match super::replica::summary_sick_leave(conn, first, last)? {
            Some(rows) => rows,
            None => super::sickleave::load(conn, first, last)?,
        },
        economy: super::economy::load(conn, first, last)?,
        units: rows::units(conn)?,
        indicators: rows::indicators(conn)?,
        perspective_names: rows::perspective_names(conn)?,
        targets,
        measurements,
        // Every tiltak: a few thousand at most, and the målkart of any period counts them.
        actions: super::actions::load(conn)?,
        // Every survey result and reference value: a few per unit and factor and round.
        surveys: super::surveys::surveys(conn)?,
        survey_results: super::surveys::results(conn)?,
        references: super::surveys::references(conn)?,
    })
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
