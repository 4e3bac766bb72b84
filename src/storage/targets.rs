//! Targets: applied (the indicator and unit known, `rules::target`), listed and removed,
//! each audited.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::{Direction, Target};
use crate::rules;

use super::apply::log_change;
use super::audit::{json, Change, Writer};
use super::rows;
use super::ApplySummary;

/// The targets of `indicator`, by year, the default (no unit) first.
pub fn of(conn: &Connection, indicator: &str) -> Result<Vec<Target>> {
    let sql = format!(
        "SELECT {} FROM targets WHERE indicator = ?1 ORDER BY year, unit IS NOT NULL, unit",
        rows::TARGET_COLUMNS
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([indicator], rows::target)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn directions(conn: &Connection) -> Result<HashMap<String, Direction>> {
    Ok(rows::indicators(conn)?
        .into_iter()
        .map(|i| (i.code, i.direction))
        .collect())
}

pub(super) fn unit_codes(conn: &Connection) -> Result<HashSet<String>> {
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

/// A stored target's (target, red limit, reference).
type Stored = (f64, Option<f64>, Option<String>);

fn stored_target(conn: &Connection, t: &Target) -> Result<Option<Stored>> {
    let row = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?));
    Ok(match &t.unit {
        Some(unit) => conn
            .prepare_cached(
                "SELECT target, red_limit, reference FROM targets WHERE indicator = ?1 AND unit = ?2 AND year = ?3",
            )?
            .query_row(params![t.indicator, unit, t.year], row)
            .optional()?,
        None => conn
            .prepare_cached(
                "SELECT target, red_limit, reference FROM targets WHERE indicator = ?1 AND unit IS NULL AND year = ?2",
            )?
            .query_row(params![t.indicator, t.year], row)
            .optional()?,
    })
}

pub fn apply(
    conn: &Connection,
    targets: &[Target],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    let directions = directions(conn)?;
    let units = unit_codes(conn)?;
    let mut seen = HashSet::new();
    let replica = super::replica::info(conn)?.is_some();
    for t in targets {
        validate_target(t, &directions, &units)?;
        if replica && t.reference.is_some() {
            return Err(Error::invalid_field(
                "målverdi",
                format!(
                    "mål {}: et mål i forhold til en referanseserie kan ennå ikke deles med \
                     Målkart-serveren",
                    rules::target_key(t)
                ),
            ));
        }
        if !seen.insert((t.indicator.as_str(), t.unit.as_deref(), t.year)) {
            return Err(Error::Duplicate(format!("mål {}", rules::target_key(t))));
        }
    }
    let mut summary = ApplySummary::default();
    let mut log_stmt = None;
    for t in targets {
        let old = stored_target(conn, t)?;
        match old {
            Some((target, red_limit, reference))
                if target == t.target && red_limit == t.red_limit && reference == t.reference =>
            {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => {
                conn.prepare_cached(
                    "UPDATE targets SET target = ?4, red_limit = ?5, reference = ?6
                     WHERE indicator = ?1 AND unit IS ?2 AND year = ?3",
                )?
                .execute(params![
                    t.indicator,
                    t.unit,
                    t.year,
                    t.target,
                    t.red_limit,
                    t.reference
                ])?;
                summary.changed += 1;
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO targets (indicator, unit, year, target, red_limit, reference)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    t.indicator,
                    t.unit,
                    t.year,
                    t.target,
                    t.red_limit,
                    t.reference
                ])?;
                summary.created += 1;
            }
        }
        let old = old.map(|(target, red_limit, reference)| {
            json(&Target {
                target,
                red_limit,
                reference,
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
pub fn remove(
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
        reference: None,
    };
    let Some((target, red_limit, reference)) = stored_target(conn, &probe)? else {
        return Ok(false);
    };
    conn.prepare_cached("DELETE FROM targets WHERE indicator = ?1 AND unit IS ?2 AND year = ?3")?
        .execute(params![indicator, unit, year])?;
    let old = json(&Target {
        target,
        red_limit,
        reference,
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
