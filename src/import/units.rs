//! `enheter` files (files.md): the organisation tree. A parent may be any unit of the
//! database or of the file — also one further down it. The tree that results (the database
//! with the file's rows replacing theirs) must have no cycle. Rows come out parents first,
//! so storage can insert them in order.

use std::collections::{HashMap, HashSet};

use super::cells::Cells;
use super::header::{optional, required, ColumnSpec, Columns};
use super::problems::Problems;
use super::reader::Table;
use crate::changes::Catalog;
use crate::model::Unit;
use crate::rules::{is_valid_unit_code, unit_cycles};

pub static COLUMNS: &[ColumnSpec] = &[
    required("kode", &["code"]),
    required("navn", &["name"]).free_text(),
    optional("overordnet", &["parent"]),
    optional("nivå", &["level"]).free_text(),
];

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
    lines: &mut Vec<u64>,
) -> Vec<Unit> {
    let existing: HashMap<&str, &Unit> =
        catalog.units.iter().map(|u| (u.code.as_str(), u)).collect();
    // (unit, line) in file order
    let mut rows: Vec<(Unit, u64)> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in table.records.iter() {
        let c = Cells { record, columns };
        let code = c.required(problems, "kode").and_then(|code| {
            if !is_valid_unit_code(code) {
                return Err(c.error(
                    problems,
                    "kode",
                    format!("«{code}» er ikke en gyldig enhetskode (1–32 tegn)"),
                ));
            }
            if let Some(first) = seen.get(code) {
                return Err(c.error(problems, "kode", format!("samme kode som linje {first}")));
            }
            Ok(code)
        });
        let name = c.required(problems, "navn");
        let Ok(code) = code else { continue };
        seen.insert(code.to_string(), c.line());
        let Ok(name) = name else { continue };
        let old = existing.get(code);
        // An absent optional column leaves what the database has.
        let parent = if columns.has("overordnet") {
            c.optional("overordnet").map(str::to_string)
        } else {
            old.and_then(|u| u.parent.clone())
        };
        let level = if columns.has("nivå") {
            c.optional("nivå").map(str::to_string)
        } else {
            old.and_then(|u| u.level.clone())
        };
        if parent.as_deref() == Some(code) {
            c.error(
                problems,
                "overordnet",
                format!("enheten {code} kan ikke være overordnet seg selv"),
            );
            continue;
        }
        rows.push((
            Unit {
                code: code.to_string(),
                name: name.to_string(),
                parent,
                level,
            },
            c.line(),
        ));
    }

    let known: HashSet<&str> = existing
        .keys()
        .copied()
        .chain(seen.keys().map(String::as_str))
        .collect();
    let parent_label = columns.label("overordnet");
    let mut dangling = false;
    for (unit, line) in &rows {
        if let Some(p) = &unit.parent {
            if !known.contains(p.as_str()) {
                problems.add(*line, Some(&parent_label), format!("ukjent enhet «{p}»"));
                dangling = true;
            }
        }
    }
    if !dangling {
        report_cycles(&rows, catalog, problems);
    }
    let rows = parents_first(rows);
    lines.extend(rows.iter().map(|(_, line)| *line));
    rows.into_iter().map(|(unit, _)| unit).collect()
}

/// Every cycle in the tree that results, once, on the line of its first row in the file.
fn report_cycles(rows: &[(Unit, u64)], catalog: &Catalog, problems: &mut Problems) {
    let mut parent: HashMap<&str, Option<&str>> = catalog
        .units
        .iter()
        .map(|u| (u.code.as_str(), u.parent.as_deref()))
        .collect();
    let mut line: HashMap<&str, u64> = HashMap::new();
    for (u, l) in rows {
        parent.insert(u.code.as_str(), u.parent.as_deref());
        line.insert(u.code.as_str(), *l);
    }
    for cycle in unit_cycles(&parent, rows.iter().map(|(u, _)| u.code.as_str())) {
        // Start at the member written first in the file, then follow the parents.
        let start = (0..cycle.len())
            .min_by_key(|&i| line.get(cycle[i]).copied().unwrap_or(u64::MAX))
            .unwrap_or(0);
        let mut names: Vec<&str> = cycle[start..]
            .iter()
            .chain(&cycle[..start])
            .copied()
            .collect();
        names.push(names[0]);
        let at_line = line.get(names[0]).copied().unwrap_or(0);
        problems.add(
            at_line,
            None,
            format!("enhetene {} danner en sløyfe", names.join(" → ")),
        );
    }
}

/// The rows ordered so that a parent named in the file comes before its children, each
/// with its line.
fn parents_first(rows: Vec<(Unit, u64)>) -> Vec<(Unit, u64)> {
    let index: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, (u, _))| (u.code.clone(), i))
        .collect();
    let mut placed = vec![false; rows.len()];
    let mut order = Vec::with_capacity(rows.len());
    for start in 0..rows.len() {
        // Climb to the highest unplaced ancestor in the file, placing on the way down.
        let mut chain = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            if placed[i] || chain.contains(&i) {
                break;
            }
            chain.push(i);
            at = rows[i]
                .0
                .parent
                .as_ref()
                .and_then(|p| index.get(p))
                .copied();
        }
        for &i in chain.iter().rev() {
            placed[i] = true;
            order.push(i);
        }
    }
    let mut slots: Vec<Option<(Unit, u64)>> = rows.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
