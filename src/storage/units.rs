//! Units applied: own fields checked (`rules::unit`), every parent known, the tree as it will
//! be without a cycle (`rules::unit_tree`); new units sorted after the stored ones.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::model::Unit;
use crate::rules;
use crate::text::{is_nfc, nfc};

use super::apply::log_change;
use super::audit::{json, Change, Writer};
use super::rows;
use super::ApplySummary;

pub fn apply(conn: &Connection, units: &[Unit], log: Option<&Writer<'_>>) -> Result<ApplySummary> {
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
