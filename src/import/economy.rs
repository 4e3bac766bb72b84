//! `økonomi` files (economy.md): budget, accounts and forecast per ansvar and month, many
//! lines summed; a year spreads a budget over its months.
//!
//! Accounting exports (Visma, Unit4) carry one line per account and function: the lines of
//! one (ansvar, periode) are summed column by column in whole øre, so a file's income lines
//! (negative) net against its expense lines. A column empty in every line of a group leaves
//! the stored figure alone (`FieldChange::Keep`); a column with any value replaces it, so
//! importing the same file twice changes nothing. A year in `periode` takes only `budsjett`,
//! spread evenly over the twelve months (`spread_even`); a month budget for the same ansvar
//! and month in the same file is refused, naming both lines.

use std::collections::HashMap;

use super::cells::{Cells, Checked};
use super::header::{optional, required, ColumnSpec, Columns};
use super::problems::Problems;
use super::reader::Table;
use crate::engine::economy::spread_even;
use crate::model::{EconomyChange, FieldChange};
use crate::number::parse_decimal;
use crate::period::{Month, Period, PeriodKind};
use crate::storage::fxhash::Fx;
use crate::storage::Catalog;

pub static COLUMNS: &[ColumnSpec] = &[
    required("ansvar", &["unit"]),
    required("periode", &["period"]),
    optional("budsjett", &["budget"]),
    optional("regnskap", &["actual"]),
    optional("prognose", &["forecast"]),
    // Accepted and ignored: the accounting system's account, function and line text.
    optional("art", &["account"]),
    optional("funksjon", &["function"]),
    optional("tekst", &["text"]),
];

/// The amount columns, in `EconomyChange` order.
const AMOUNTS: [&str; 3] = ["budsjett", "regnskap", "prognose"];

/// The sums of one (ansvar, month) or (ansvar, year) group.
#[derive(Clone, Copy, Debug, Default)]
struct Group {
    /// Σ per amount column, `None` while every line was empty there.
    sums: [Option<i64>; 3],
    /// The first line that gave a budget.
    budget_line: u64,
}

/// A cell in kroner as whole øre, exactly; `None` when empty.
fn amount(c: &Cells, problems: &mut Problems, column: &str) -> Checked<Option<i64>> {
    let Some(text) = c.optional(column) else {
        return Ok(None);
    };
    let d = parse_decimal(text).map_err(|e| c.error(problems, column, e.to_string()))?;
    match d.to_ore() {
        Some(ore) => Ok(Some(ore)),
        None => Err(c.error(
            problems,
            column,
            format!("«{text}» er ikke et beløp i hele øre (høyst to desimaler)"),
        )),
    }
}

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> Vec<EconomyChange> {
    let units: HashMap<&str, u32, Fx> = (0u32..)
        .zip(&catalog.units)
        .map(|(n, u)| (u.code.as_str(), n))
        .collect();
    // Keyed by (unit position, month index) and (unit position, year).
    let mut months: HashMap<(u32, i32), Group, Fx> = HashMap::default();
    let mut years: HashMap<(u32, i32), Group, Fx> = HashMap::default();
    // Accounting exports repeat the same period line after line: parse it once.
    let mut last_period: Option<(&str, Result<Period, String>)> = None;
    for record in table.records.iter() {
        let c = Cells { record, columns };
        let unit = c.required(problems, "ansvar").and_then(|code| {
            units
                .get(code)
                .copied()
                .ok_or_else(|| c.error(problems, "ansvar", format!("ukjent ansvar (enhet) «{code}»")))
        });
        let period = c.required(problems, "periode").and_then(|text| {
            let parsed = match &last_period {
                Some((t, p)) if *t == text => p.clone(),
                _ => {
                    let p = Period::parse(text).map_err(|e| e.to_string()).and_then(|p| {
                        match p.kind() {
                            PeriodKind::Month | PeriodKind::Year => Ok(p),
                            _ => Err(format!(
                                "«{text}» er ikke en måned (2026-03) eller et år (2026); \
                                 økonomi registreres per måned, årsbudsjett per år"
                            )),
                        }
                    });
                    last_period = Some((text, p.clone()));
                    p
                }
            };
            parsed.map_err(|message| c.error(problems, "periode", message))
        });
        let mut sums = [Ok(None); 3];
        for (k, column) in AMOUNTS.iter().enumerate() {
            sums[k] = amount(&c, problems, column);
        }
        let (Ok(unit), Ok(period)) = (unit, period) else {
            continue;
        };
        let [Ok(budget), Ok(actual), Ok(forecast)] = sums else {
            continue;
        };
        let is_year = period.kind() == PeriodKind::Year;
        if is_year {
            let mut wrong = false;
            for (k, value) in [(1, actual), (2, forecast)] {
                if value.is_some() {
                    c.error(
                        problems,
                        AMOUNTS[k],
                        format!(
                            "et år i periode tar bare budsjett, som fordeles på månedene; \
                             {} registreres per måned (f.eks. {}-01)",
                            AMOUNTS[k],
                            period.first().year()
                        ),
                    );
                    wrong = true;
                }
            }
            if wrong {
                continue;
            }
        }
        let values = [budget, actual, forecast];
        if values.iter().any(Option::is_some) {
            if let Some(m) = period.months().find(|m| catalog.locked.contains(m)) {
                c.error(problems, "periode", format!("måneden {m} er låst"));
                continue;
            }
        }
        let key = if is_year {
            (unit, period.first().year())
        } else {
            (unit, period.first().index())
        };
        let groups = if is_year { &mut years } else { &mut months };
        let group = groups.entry(key).or_default();
        for (k, value) in values.into_iter().enumerate() {
            let Some(v) = value else { continue };
            if k == 0 && group.sums[0].is_none() {
                group.budget_line = c.line();
            }
            match group.sums[k].unwrap_or(0).checked_add(v) {
                Some(sum) => group.sums[k] = Some(sum),
                None => {
                    c.error(
                        problems,
                        AMOUNTS[k],
                        "summen for ansvar og periode blir for stor".to_string(),
                    );
                }
            }
        }
    }

    // Year budgets spread over their months, refused where the file also budgets a month.
    let mut spread_units = 0usize;
    let mut year_keys: Vec<(u32, i32)> = years.keys().copied().collect();
    year_keys.sort_unstable();
    for key in year_keys {
        let Some(year) = years.get(&key).copied() else {
            continue;
        };
        let Some(total) = year.sums[0] else { continue };
        spread_units += 1;
        let (unit, y) = key;
        for (k, part) in spread_even(total).into_iter().enumerate() {
            let month = Month::from_index(y * 12 + k as i32);
            let group = months.entry((unit, month.index())).or_default();
            if group.sums[0].is_some() {
                problems.add(
                    year.budget_line,
                    Some(&columns.label("budsjett")),
                    format!(
                        "årsbudsjettet for ansvar {} i {y} fordeles på månedene, men linje {} \
                         gir også budsjett for {month}; bruk enten årsbudsjett eller \
                         månedsbudsjett for et ansvar og år",
                        catalog.units[unit as usize].code, group.budget_line
                    ),
                );
                break;
            }
            group.sums[0] = Some(part);
            group.budget_line = year.budget_line;
        }
    }
    if spread_units > 0 {
        warnings.push(format!(
            "årsbudsjett for {spread_units} ansvar er fordelt likt på årets tolv måneder i hele \
             øre; desember tar resten"
        ));
    }

    let mut keys: Vec<(i32, u32)> = months.keys().map(|&(u, m)| (m, u)).collect();
    keys.sort_unstable();
    let change = |v: Option<i64>| v.map_or(FieldChange::Keep, FieldChange::Set);
    keys.into_iter()
        .filter_map(|(m, u)| {
            let g = months.get(&(u, m))?;
            Some(EconomyChange {
                unit: catalog.units[u as usize].code.clone(),
                month: Month::from_index(m),
                budget: change(g.sums[0]),
                actual: change(g.sums[1]),
                forecast: change(g.sums[2]),
            })
        })
        .collect()
}
