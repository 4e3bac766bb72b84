//! Applying a `ChangeSet` inside an open write transaction: every row is checked (codes,
//! known units and indicators, the unit tree, spans, locked months, red limits, definition
//! changes that would strand measurements), then created, changed or left alone, with one
//! audit entry per created or changed row. Any error leaves the caller's transaction to roll
//! back, so nothing of the set is stored.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::{Aggregation, Direction, Figure, Indicator, Measurement, Target, Unit};
use crate::period::Month;
use crate::text::{is_nfc, nfc};

use super::audit::{self, json, Change, Writer};
use super::rows;
use super::{ApplySummary, ChangeSet};
use crate::rules;
use rustc_hash::FxBuildHasher as Fx;

/// Applies `changes`; with `log` `None` (the demo) no per-row audit entries are written.
pub fn change_set(
    conn: &Connection,
    changes: &ChangeSet,
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    match changes {
        ChangeSet::Units(units) => apply_units(conn, units, log),
        ChangeSet::Indicators(indicators) => apply_indicators(conn, indicators, log),
        ChangeSet::Targets(targets) => apply_targets(conn, targets, log),
        ChangeSet::Measurements(measurements) => self::measurements(conn, measurements, log),
        ChangeSet::SickLeave(rows) => super::sickleave::apply(conn, rows, log),
        ChangeSet::Economy(rows) => super::economy::apply(conn, rows, log),
    }
}

fn log_change<'c>(
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

// ---------------------------------------------------------------------------------------
// Units

fn apply_units(
    conn: &Connection,
    units: &[Unit],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    // Names composed (NFC), whatever door they came through.
    let composed: Vec<Unit>;
    let units = if units
        .iter()
        .all(|u| is_nfc(&u.name) && u.level.as_deref().is_none_or(is_nfc))
    {
        units
    } else {
        composed = units
            .iter()
            .map(|u| Unit {
                name: nfc(&u.name).into_owned(),
                level: u.level.as_deref().map(|l| nfc(l).into_owned()),
                ..u.clone()
            })
            .collect();
        &composed
    };
    let mut seen = HashSet::new();
    for unit in units {
        rules::unit(unit)?;
        if !seen.insert(unit.code.as_str()) {
            return Err(Error::Duplicate(format!("enhet «{}»", unit.code)));
        }
    }
    let stored = rows::units_by_code(conn)?;

    // The tree as it will be after the change: every parent known, no cycle.
    let mut parents: HashMap<&str, Option<&str>> = stored
        .iter()
        .map(|(code, (unit, _))| (code.as_str(), unit.parent.as_deref()))
        .collect();
    for unit in units {
        parents.insert(&unit.code, unit.parent.as_deref());
    }
    for unit in units {
        if let Some(parent) = &unit.parent {
            if !parents.contains_key(parent.as_str()) {
                return Err(Error::UnknownUnit(parent.clone()));
            }
        }
    }
    rules::unit_tree(&parents)?;

    let mut summary = ApplySummary::default();
    let mut next_sort = stored.values().map(|(_, sort)| *sort).max().unwrap_or(0) + 1;
    let mut insert = conn.prepare_cached(
        "INSERT INTO units (code, name, parent, level, sort) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut update =
        conn.prepare_cached("UPDATE units SET name = ?2, parent = ?3, level = ?4 WHERE code = ?1")?;
    let mut log_stmt = None;
    for unit in units {
        let old = match stored.get(&unit.code) {
            Some((old, _)) if old == unit => {
                summary.unchanged += 1;
                continue;
            }
            Some((old, _)) => {
                update.execute(params![unit.code, unit.name, unit.parent, unit.level])?;
                summary.changed += 1;
                Some(json(old))
            }
            None => {
                insert.execute(params![
                    unit.code,
                    unit.name,
                    unit.parent,
                    unit.level,
                    next_sort
                ])?;
                next_sort += 1;
                summary.created += 1;
                None
            }
        };
        let new = json(unit);
        let change = Change {
            entity: "enhet",
            key: &unit.code,
            unit: Some(&unit.code),
            old: old.as_deref(),
            new: Some(&new),
            ..Change::default()
        };
        log_change(conn, log, &mut log_stmt, &change)?;
    }
    Ok(summary)
}

// ---------------------------------------------------------------------------------------
// Indicators

/// Measurements of `indicator` per unit, in unit order.
fn measurement_counts(conn: &Connection, indicator: &str) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT unit, COUNT(*) FROM measurements WHERE indicator = ?1 GROUP BY unit ORDER BY unit",
    )?;
    let rows = stmt.query_map([indicator], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn targets_of(conn: &Connection, indicator: &str) -> Result<Vec<Target>> {
    let sql = format!(
        "SELECT {} FROM targets WHERE indicator = ?1 ORDER BY year, unit IS NOT NULL, unit",
        rows::TARGET_COLUMNS
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([indicator], rows::target)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn targets(conn: &Connection, indicator: &str) -> Result<Vec<Target>> {
    targets_of(conn, indicator)
}

fn apply_indicators(
    conn: &Connection,
    indicators: &[Indicator],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    let composed: Vec<Indicator>;
    let indicators = if indicators
        .iter()
        .all(|i| is_nfc(&i.name) && i.goal.as_deref().is_none_or(is_nfc))
    {
        indicators
    } else {
        composed = indicators
            .iter()
            .map(|i| Indicator {
                name: nfc(&i.name).into_owned(),
                goal: i.goal.as_deref().map(|g| nfc(g).into_owned()),
                ..i.clone()
            })
            .collect();
        &composed
    };
    let mut seen = HashSet::new();
    for ind in indicators {
        rules::indicator(ind)?;
        if !seen.insert(ind.code.as_str()) {
            return Err(Error::Duplicate(format!("indikator «{}»", ind.code)));
        }
    }
    let stored: HashMap<String, Indicator> = rows::indicators(conn)?
        .into_iter()
        .map(|i| (i.code.clone(), i))
        .collect();
    for ind in indicators {
        rules::builtin_unchanged(stored.get(&ind.code), ind)?;
        if let Some(old) = stored.get(&ind.code) {
            rules::stranding(old, ind, || measurement_counts(conn, &ind.code))?;
            if old.direction != ind.direction {
                rules::direction_change(old, ind, &targets_of(conn, &ind.code)?)?;
            }
        }
    }

    let mut summary = ApplySummary::default();
    let sql = format!(
        "INSERT INTO indicators ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, perspective = excluded.perspective,
             goal = excluded.goal, description = excluded.description, source = excluded.source,
             responsible = excluded.responsible, unit_label = excluded.unit_label,
             decimals = excluded.decimals, direction = excluded.direction,
             frequency = excluded.frequency, aggregation = excluded.aggregation,
             unit_rollup = excluded.unit_rollup, factor = excluded.factor,
             builtin = excluded.builtin",
        rows::INDICATOR_COLUMNS
    );
    let mut upsert = conn.prepare_cached(&sql)?;
    let mut log_stmt = None;
    for ind in indicators {
        let old = stored.get(&ind.code);
        match old {
            Some(old) if old == ind => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => summary.changed += 1,
            None => summary.created += 1,
        }
        upsert.execute(params![
            ind.code,
            ind.name,
            ind.perspective.key(),
            ind.goal,
            ind.description,
            ind.source,
            ind.responsible,
            ind.unit_label,
            ind.decimals,
            ind.direction.key(),
            ind.frequency.key(),
            ind.aggregation.key(),
            ind.unit_rollup.key(),
            ind.factor,
            ind.builtin,
        ])?;
        let old = old.map(json);
        let new = json(ind);
        let change = Change {
            entity: "indikator",
            key: &ind.code,
            indicator: Some(&ind.code),
            old: old.as_deref(),
            new: Some(&new),
            ..Change::default()
        };
        log_change(conn, log, &mut log_stmt, &change)?;
    }
    Ok(summary)
}

// ---------------------------------------------------------------------------------------
// Targets

fn directions(conn: &Connection) -> Result<HashMap<String, Direction>> {
    Ok(rows::indicators(conn)?
        .into_iter()
        .map(|i| (i.code, i.direction))
        .collect())
}

fn unit_codes(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT code FROM units")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<HashSet<String>>>()?)
}

fn validate_target(
    t: &Target,
    directions: &HashMap<String, Direction>,
    units: &HashSet<String>,
) -> Result<()> {
    let direction = *directions
        .get(&t.indicator)
        .ok_or_else(|| Error::UnknownIndicator(t.indicator.clone()))?;
    if let Some(unit) = &t.unit {
        if !units.contains(unit) {
            return Err(Error::UnknownUnit(unit.clone()));
        }
    }
    rules::target(t, direction)
}

fn stored_target(conn: &Connection, t: &Target) -> Result<Option<(f64, Option<f64>)>> {
    let row = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?));
    Ok(match &t.unit {
        Some(unit) => conn
            .prepare_cached(
                "SELECT target, red_limit FROM targets WHERE indicator = ?1 AND unit = ?2 AND year = ?3",
            )?
            .query_row(params![t.indicator, unit, t.year], row)
            .optional()?,
        None => conn
            .prepare_cached(
                "SELECT target, red_limit FROM targets WHERE indicator = ?1 AND unit IS NULL AND year = ?2",
            )?
            .query_row(params![t.indicator, t.year], row)
            .optional()?,
    })
}

fn apply_targets(
    conn: &Connection,
    targets: &[Target],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    let directions = directions(conn)?;
    let units = unit_codes(conn)?;
    let mut seen = HashSet::new();
    for t in targets {
        validate_target(t, &directions, &units)?;
        if !seen.insert((t.indicator.as_str(), t.unit.as_deref(), t.year)) {
            return Err(Error::Duplicate(format!("mål {}", rules::target_key(t))));
        }
    }
    let mut summary = ApplySummary::default();
    let mut log_stmt = None;
    for t in targets {
        let old = stored_target(conn, t)?;
        match old {
            Some((target, red_limit)) if target == t.target && red_limit == t.red_limit => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => {
                conn.prepare_cached(
                    "UPDATE targets SET target = ?4, red_limit = ?5
                     WHERE indicator = ?1 AND unit IS ?2 AND year = ?3",
                )?
                .execute(params![
                    t.indicator,
                    t.unit,
                    t.year,
                    t.target,
                    t.red_limit
                ])?;
                summary.changed += 1;
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO targets (indicator, unit, year, target, red_limit)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    t.indicator,
                    t.unit,
                    t.year,
                    t.target,
                    t.red_limit
                ])?;
                summary.created += 1;
            }
        }
        let old = old.map(|(target, red_limit)| {
            json(&Target {
                target,
                red_limit,
                ..t.clone()
            })
        });
        let new = json(t);
        let (key, year) = (rules::target_key(t), t.year.to_string());
        let change = Change {
            entity: "mål",
            key: &key,
            indicator: Some(&t.indicator),
            unit: t.unit.as_deref(),
            period: Some(&year),
            old: old.as_deref(),
            new: Some(&new),
            ..Change::default()
        };
        log_change(conn, log, &mut log_stmt, &change)?;
    }
    Ok(summary)
}

/// Removes one target; `false` when there was none.
pub fn remove_target(
    conn: &Connection,
    indicator: &str,
    unit: Option<&str>,
    year: i32,
    log: &Writer<'_>,
) -> Result<bool> {
    let probe = Target {
        indicator: indicator.to_string(),
        unit: unit.map(str::to_string),
        year,
        target: 0.0,
        red_limit: None,
    };
    let Some((target, red_limit)) = stored_target(conn, &probe)? else {
        return Ok(false);
    };
    conn.prepare_cached("DELETE FROM targets WHERE indicator = ?1 AND unit IS ?2 AND year = ?3")?
        .execute(params![indicator, unit, year])?;
    let old = json(&Target {
        target,
        red_limit,
        ..probe.clone()
    });
    let (key, year) = (rules::target_key(&probe), year.to_string());
    log.write_one(
        conn,
        &Change {
            entity: "mål",
            key: &key,
            indicator: Some(indicator),
            unit,
            period: Some(&year),
            old: Some(&old),
            ..Change::default()
        },
    )?;
    Ok(true)
}

// ---------------------------------------------------------------------------------------
// Measurements

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

pub fn measurements(
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

/// Measurement rows per INSERT: one statement per row costs more than storing the row.
const ROWS_PER_INSERT: usize = 100;

fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO measurements (indicator, span_first, unit, span_last, value, numerator, denominator) VALUES ",
    );
    for i in 0..rows {
        sql.push_str(if i == 0 {
            "(?, ?, ?, ?, ?, ?, ?)"
        } else {
            ", (?, ?, ?, ?, ?, ?, ?)"
        });
    }
    sql
}

fn insert_measurements(conn: &Connection, created: &[&Measurement]) -> Result<()> {
    let full = insert_sql(ROWS_PER_INSERT);
    for chunk in created.chunks(ROWS_PER_INSERT) {
        let sql = if chunk.len() == ROWS_PER_INSERT {
            std::borrow::Cow::Borrowed(full.as_str())
        } else {
            std::borrow::Cow::Owned(insert_sql(chunk.len()))
        };
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut index = 1;
        for m in chunk {
            let (value, numerator, denominator) = columns(&m.figure);
            stmt.raw_bind_parameter(index, &m.indicator)?;
            stmt.raw_bind_parameter(index + 1, m.span.first().index())?;
            stmt.raw_bind_parameter(index + 2, &m.unit)?;
            stmt.raw_bind_parameter(index + 3, m.span.last().index())?;
            stmt.raw_bind_parameter(index + 4, value)?;
            stmt.raw_bind_parameter(index + 5, numerator)?;
            stmt.raw_bind_parameter(index + 6, denominator)?;
            index += 7;
        }
        stmt.raw_execute()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    mod measurements {
        use crate::model::{Direction, Frequency, Perspective};
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
                .measurements;
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
