//! Indicators applied: own fields (`rules::indicator`), built-in ones untouched, no change
//! that strands measurements or puts a stored red limit on the wrong side.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::model::Indicator;
use crate::rules;
use crate::text::{is_nfc, nfc};

use super::apply::log_change;
use super::audit::{json, Change, Writer};
use super::rows;
use super::ApplySummary;

/// Measurements of `indicator` per unit, in unit order.
fn measurement_counts(conn: &Connection, indicator: &str) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT unit, COUNT(*) FROM measurements WHERE indicator = ?1 GROUP BY unit ORDER BY unit",
    )?;
    let rows = stmt.query_map([indicator], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn apply(
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
                rules::direction_change(old, ind, &super::targets::of(conn, &ind.code)?)?;
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
