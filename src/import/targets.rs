//! `mål` files (files.md): a target value T and an optional red limit R per indicator, year
//! and unit (no unit: the default for all units). R must lie on the bad side of T.

use std::collections::HashMap;

use super::cells::Cells;
use super::header::{optional, required, ColumnSpec, Columns};
use super::problems::Problems;
use super::reader::Table;
use crate::changes::Catalog;
use crate::model::{Direction, Target};

pub static COLUMNS: &[ColumnSpec] = &[
    required("indikator", &["indicator"]),
    optional("enhet", &["unit"]),
    required("år", &["year"]),
    required("målverdi", &["target"]),
    optional("rød_grense", &["red_limit"]),
];

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
) -> Vec<Target> {
    let indicators: HashMap<&str, Direction> = catalog
        .indicators
        .iter()
        .map(|i| (i.code.as_str(), i.direction))
        .collect();
    let units: std::collections::HashSet<&str> =
        catalog.units.iter().map(|u| u.code.as_str()).collect();
    let mut seen: HashMap<(&str, Option<&str>, i32), u64> = HashMap::new();
    let mut out = Vec::new();
    for record in table.records.iter() {
        let c = Cells { record, columns };
        let indicator = c.required(problems, "indikator").and_then(|code| {
            indicators
                .get(code)
                .map(|d| (code, *d))
                .ok_or_else(|| c.error(problems, "indikator", format!("ukjent indikator «{code}»")))
        });
        let unit = match c.optional("enhet") {
            Some(u) if !units.contains(u) => {
                Err(c.error(problems, "enhet", format!("ukjent enhet «{u}»")))
            }
            u => Ok(u),
        };
        let year = c.required_year(problems, "år");
        // `≥ landet`: a target relative to a reference series (surveys.md §2).
        let reference = c
            .optional("målverdi")
            .and_then(crate::rules::relative_target);
        let target = match reference {
            Some(_) => Ok(0.0),
            None => c.required_number(problems, "målverdi"),
        };
        let red_limit = c.optional_number(problems, "rød_grense");
        let (Ok((code, direction)), Ok(unit), Ok(year), Ok(target), Ok(red_limit)) =
            (indicator, unit, year, target, red_limit)
        else {
            continue;
        };
        if let Some(first) = seen.get(&(code, unit, year)) {
            c.line_error(
                problems,
                format!("samme indikator, enhet og år som linje {first}"),
            );
            continue;
        }
        seen.insert((code, unit, year), c.line());
        let t = Target {
            indicator: code.to_string(),
            unit: unit.map(str::to_string),
            year,
            target,
            red_limit,
            reference,
        };
        if t.red_limit_on_wrong_side(direction) {
            let (good, side) = match direction {
                Direction::Hoy => ("høy", "lavere enn"),
                Direction::Lav => ("lav", "høyere enn"),
            };
            c.error(
                problems,
                "rød_grense",
                format!(
                    "rød grense «{}» er på feil side av målverdien «{}»: for {code} er {good} verdi bra, \
                     så rød grense må være {side} eller lik målverdien",
                    c.text("rød_grense"),
                    c.text("målverdi")
                ),
            );
            continue;
        }
        out.push(t);
    }
    out
}
