//! Measurements applied in bulk: each row checked against its indicator (`rules::measurement`),
//! then merged in key order with one range scan per indicator and inserted in batches.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::model::{Aggregation, Figure, Measurement};
use crate::period::Month;
use crate::rules;
use rustc_hash::FxBuildHasher as Fx;

use super::audit::{self, json, Writer};
use super::rows;
use super::targets::unit_codes;
use super::ApplySummary;

/// Checks one row against the catalog; its indicator's and unit's ranks (the position of
/// the code in sorted order) on success.
fn check_measurement(
    m: &Measurement,
    definitions: &HashMap<&str, (u32, rules::Measured), Fx>,
    units: &HashMap<&str, u32, Fx>,
    locked: &BTreeSet<Month>,
) -> Result<(u32, u32)> {
    let (indicator_rank, def) = definitions
        .get(m.indicator.as_str())
        .ok_or_else(|| Error::UnknownIndicator(m.indicator.clone()))?;
    let unit_rank = *units
        .get(m.unit.as_str())
        .ok_or_else(|| Error::UnknownUnit(m.unit.clone()))?;
    rules::measurement(m, def, locked)?;
    Ok((*indicator_rank, unit_rank))
}

/// Each code's position in sorted order. SQLite compares TEXT bytewise (the BINARY
/// collation), as Rust compares `str`, so ranks sort as the stored codes do.
fn ranks<'a>(codes: impl Iterator<Item = &'a str>) -> HashMap<&'a str, u32, Fx> {
    let mut codes: Vec<&str> = codes.collect();
    codes.sort_unstable();
    (0u32..)
        .zip(codes)
        .map(|(rank, code)| (code, rank))
        .collect()
}

fn columns(figure: &Figure) -> (Option<f64>, Option<f64>, Option<f64>) {
    match *figure {
        Figure::Value { value } => (Some(value), None, None),
        Figure::Ratio {
            numerator,
            denominator,
        } => (None, Some(numerator), Some(denominator)),
    }
}

pub fn apply(
    conn: &Connection,
    measurements: &[Measurement],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    let indicators = rows::indicators(conn)?;
    let indicator_ranks = ranks(indicators.iter().map(|i| i.code.as_str()));
    let definitions: HashMap<&str, (u32, rules::Measured), Fx> = indicators
        .iter()
        .filter_map(|i| {
            let rank = *indicator_ranks.get(i.code.as_str())?;
            let def = rules::Measured {
                frequency: i.frequency,
                ratio: i.aggregation == Aggregation::Brok,
                builtin: i.builtin,
            };
            Some((i.code.as_str(), (rank, def)))
        })
        .collect();
    let unit_codes = unit_codes(conn)?;
    let units = ranks(unit_codes.iter().map(String::as_str));
    let locked = rows::locked_set(conn)?;

    // The rows in primary-key order (indicator, span_first, unit), as ranks so that sorting
    // compares integers: each indicator's stored figures are then read with one range scan
    // and matched by merging, new rows go into the table's B-tree in order (far cheaper
    // than a lookup and an insert at a random place per row), and a row given twice lies
    // next to its twin.
    let mut order: Vec<(u32, u32, u32, usize)> = Vec::with_capacity(measurements.len());
    for (i, m) in measurements.iter().enumerate() {
        let (indicator, unit) = check_measurement(m, &definitions, &units, &locked)?;
        // Flipping the sign bit keeps the order of negative month indices.
        let first = m.span.first().index() as u32 ^ 0x8000_0000;
        order.push((indicator, first, unit, i));
    }
    order.sort_unstable();
    // The first row, in the caller's order, that repeats an earlier one.
    let twin = order
        .windows(2)
        .filter(|w| (w[0].0, w[0].1, w[0].2) == (w[1].0, w[1].1, w[1].2))
        .map(|w| w[1].3)
        .min();
    if let Some(m) = twin.and_then(|i| measurements.get(i)) {
        return Err(Error::Duplicate(format!(
            "måling {} / {} / {}",
            m.indicator, m.unit, m.span
        )));
    }
    let order: Vec<usize> = order.into_iter().map(|(.., i)| i).collect();

    let mut summary = ApplySummary::default();
    // What happened to each row, in the caller's order, for the audit log.
    let mut outcome = vec![Outcome::Unchanged; measurements.len()];
    let mut olds: HashMap<usize, Figure, Fx> = HashMap::default();
    let mut created: Vec<&Measurement> = Vec::new();
    let mut select = conn.prepare_cached(
        "SELECT span_first, unit, value, numerator, denominator FROM measurements
         WHERE indicator = ?1 AND span_first BETWEEN ?2 AND ?3 ORDER BY span_first, unit",
    )?;
    let mut update = conn.prepare_cached(
        "UPDATE measurements SET span_last = ?4, value = ?5, numerator = ?6, denominator = ?7
         WHERE indicator = ?1 AND span_first = ?2 AND unit = ?3",
    )?;
    for group in order.chunk_by(|&a, &b| measurements[a].indicator == measurements[b].indicator) {
        let (Some(&lo), Some(&hi)) = (group.first(), group.last()) else {
            continue;
        };
        let indicator = measurements[lo].indicator.as_str();
        let (lo, hi) = (
            measurements[lo].span.first().index(),
            measurements[hi].span.first().index(),
        );
        // The scan ends before anything is written: rows inserted under an open cursor
        // may or may not be seen by it.
        let mut changed: Vec<usize> = Vec::new();
        let mut stored = select.query(params![indicator, lo, hi])?;
        let mut row = stored.next()?;
        for &i in group {
            let m = &measurements[i];
            let key = (m.span.first().index(), m.unit.as_str());
            let old = loop {
                let Some(r) = row else { break None };
                match (r.get::<_, i32>(0)?, text(r, 1)?).cmp(&key) {
                    std::cmp::Ordering::Less => row = stored.next()?,
                    std::cmp::Ordering::Equal => {
                        break Some(rows::figure(r.get(2)?, r.get(3)?, r.get(4)?)?)
                    }
                    std::cmp::Ordering::Greater => break None,
                }
            };
            match old {
                None => {
                    outcome[i] = Outcome::Created;
                    created.push(m);
                    summary.created += 1;
                }
                Some(old) if old == m.figure => summary.unchanged += 1,
                Some(old) => {
                    outcome[i] = Outcome::Changed;
                    olds.insert(i, old);
                    changed.push(i);
                    summary.changed += 1;
                }
            }
        }
        drop(stored);
        for i in changed {
            let m = &measurements[i];
            let (value, numerator, denominator) = columns(&m.figure);
            update.execute(params![
                m.indicator,
                m.span.first().index(),
                m.unit,
                m.span.last().index(),
                value,
                numerator,
                denominator
            ])?;
        }
        insert_measurements(conn, &created)?;
        created.clear();
    }

    if let Some(log) = log {
        let mut entries = audit::MeasurementLog::new(log);
        for (i, m) in measurements.iter().enumerate() {
            let old = match outcome[i] {
                Outcome::Unchanged => continue,
                Outcome::Created => None,
                Outcome::Changed => olds.get(&i).map(json),
            };
            entries.push(
                conn,
                &m.indicator,
                &m.unit,
                m.span.to_string(),
                old,
                json(&m.figure),
            )?;
        }
        entries.flush(conn)?;
    }
    Ok(summary)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Unchanged,
    Created,
    Changed,
}

fn text<'r>(row: &'r rusqlite::Row<'_>, column: usize) -> Result<&'r str> {
    row.get_ref(column)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
            .into()
    })
}

fn insert_measurements(conn: &Connection, created: &[&Measurement]) -> Result<()> {
    super::batch::insert(
        conn,
        "INSERT INTO measurements (indicator, span_first, unit, span_last, value, numerator, \
         denominator) VALUES ",
        "(?, ?, ?, ?, ?, ?, ?)",
        7,
        created,
        |stmt, at, m| {
            let (value, numerator, denominator) = columns(&m.figure);
            stmt.raw_bind_parameter(at, &m.indicator)?;
            stmt.raw_bind_parameter(at + 1, m.span.first().index())?;
            stmt.raw_bind_parameter(at + 2, &m.unit)?;
            stmt.raw_bind_parameter(at + 3, m.span.last().index())?;
            stmt.raw_bind_parameter(at + 4, value)?;
            stmt.raw_bind_parameter(at + 5, numerator)?;
            stmt.raw_bind_parameter(at + 6, denominator)
        },
    )
}

#[cfg(test)]
mod tests {
    mod measurements {
        use crate::model::{Direction, Frequency, Indicator, Perspective, Unit};
        use crate::period::Period;
        use crate::storage::{AuditFilter, ChangeSet, Store};

        use super::super::*;

        fn store(dir: &tempfile::TempDir) -> Store {
            let mut store = Store::open(&dir.path().join("m.db")).unwrap_or_else(|e| panic!("{e}"));
            let unit = |code: &str, parent: Option<&str>| Unit {
                code: code.into(),
                name: format!("Enhet {code}"),
                parent: parent.map(Into::into),
                level: None,
            };
            let units = vec![
                unit("1000", None),
                unit("2000", Some("1000")),
                unit("2100", Some("2000")),
                unit("2200", Some("2000")),
            ];
            let indicators = vec![
                Indicator::new(
                    "OR-FRAV",
                    "Sykefravær",
                    Perspective::Organisasjon,
                    Direction::Lav,
                    Frequency::Maned,
                    Aggregation::Brok,
                ),
                Indicator::new(
                    "ELEV",
                    "Elever",
                    Perspective::Brukere,
                    Direction::Hoy,
                    Frequency::Kvartal,
                    Aggregation::Sum,
                ),
            ];
            for set in [ChangeSet::Units(units), ChangeSet::Indicators(indicators)] {
                store
                    .apply(&set, "oppsett", false)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            store
        }

        fn m(indicator: &str, unit: &str, period: &str, figure: Figure) -> Measurement {
            Measurement {
                indicator: indicator.into(),
                unit: unit.into(),
                span: Period::parse(period).unwrap_or_else(|e| panic!("{e}")),
                figure,
            }
        }

        fn sf(unit: &str, period: &str, numerator: f64) -> Measurement {
            let figure = Figure::Ratio {
                numerator,
                denominator: 100.0,
            };
            m("OR-FRAV", unit, period, figure)
        }

        fn elev(unit: &str, period: &str, value: f64) -> Measurement {
            m("ELEV", unit, period, Figure::Value { value })
        }

        fn stored(store: &Store) -> Vec<Measurement> {
            let period = Period::parse("2026").unwrap_or_else(|e| panic!("{e}"));
            let mut rows = store
                .dataset_for(&period)
                .unwrap_or_else(|e| panic!("{e}"))
                .measurement_rows();
            rows.sort_by(|a, b| {
                (&a.indicator, a.span.first(), &a.unit).cmp(&(
                    &b.indicator,
                    b.span.first(),
                    &b.unit,
                ))
            });
            rows
        }

        #[test]
        fn rows_out_of_key_order_are_matched_one_by_one_and_logged_in_the_callers_order() {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let mut store = store(&dir);
            let first = vec![
                sf("2200", "2026-02", 10.0),
                sf("2100", "2026-01", 5.0),
                sf("2100", "2026-03", 7.0),
                // stored, in the range of the next batch's scan, but not in that batch
                sf("2000", "2026-02", 9.0),
                elev("2100", "2026-K1", 312.0),
            ];
            let s = store
                .apply(&ChangeSet::Measurements(first), "1.csv", false)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((s.created, s.changed, s.unchanged), (5, 0, 0));

            let second = vec![
                sf("2200", "2026-02", 10.0),    // unchanged
                sf("2100", "2026-02", 6.0),     // new, between two stored keys
                sf("2100", "2026-01", 4.0),     // changed from 5
                elev("2200", "2026-K1", 200.0), // new
                sf("2100", "2026-03", 7.0),     // unchanged
            ];
            let s = store
                .apply(&ChangeSet::Measurements(second), "2.csv", false)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((s.created, s.changed, s.unchanged), (2, 1, 2));

            // Newest first: the batch's three entries in reverse of the caller's order.
            let log = store
                .audit(&AuditFilter::default())
                .unwrap_or_else(|e| panic!("{e}"));
            let keys: Vec<(&str, Option<&str>)> = log[..3]
                .iter()
                .map(|e| (e.key.as_str(), e.old.as_deref()))
                .collect();
            assert_eq!(
                keys,
                vec![
                    ("ELEV / 2200 / 2026-K1", None),
                    (
                        "OR-FRAV / 2100 / 2026-01",
                        Some(r#"{"numerator":5.0,"denominator":100.0}"#)
                    ),
                    ("OR-FRAV / 2100 / 2026-02", None),
                ]
            );
            assert!(log[..3].iter().all(|e| e.source == "2.csv"));
            assert_eq!(log[3].source, "1.csv");

            assert_eq!(
                stored(&store),
                vec![
                    elev("2100", "2026-K1", 312.0),
                    elev("2200", "2026-K1", 200.0),
                    sf("2100", "2026-01", 4.0),
                    sf("2000", "2026-02", 9.0),
                    sf("2100", "2026-02", 6.0),
                    sf("2200", "2026-02", 10.0),
                    sf("2100", "2026-03", 7.0),
                ]
            );
        }

        #[test]
        fn a_row_given_twice_is_named_and_nothing_is_stored() {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let mut store = store(&dir);
            let batch = vec![
                sf("2100", "2026-01", 5.0),
                elev("2100", "2026-K1", 312.0),
                sf("2200", "2026-01", 6.0),
                sf("2100", "2026-01", 5.0),
            ];
            let e = store
                .apply(&ChangeSet::Measurements(batch), "1.csv", false)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                e.contains("måling OR-FRAV / 2100 / 2026-01 står mer enn én gang"),
                "{e}"
            );
            assert!(stored(&store).is_empty());
        }
    }
}
