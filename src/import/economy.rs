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
use crate::changes::Catalog;
use crate::engine::economy::spread_even;
use crate::model::{amount_out_of_range, EconomyChange, FieldChange};
use crate::number::parse_decimal;
use crate::period::{Month, Period, PeriodKind};
use rustc_hash::FxBuildHasher as Fx;

pub static COLUMNS: &[ColumnSpec] = &[
    required("ansvar", &["unit"]),
    required("periode", &["period"]),
    optional("budsjett", &["budget"]),
    optional("regnskap", &["actual"]),
    optional("prognose", &["forecast"]),
    // Accepted and ignored: the accounting system's account, function and line text.
    optional("art", &["account"]).free_text(),
    optional("funksjon", &["function"]).free_text(),
    optional("tekst", &["text"]).free_text(),
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
    /// The first line of the group (0: none yet; a file's lines start at 2).
    first_line: u64,
}

/// A cell in kroner as whole øre, exactly; `None` when empty.
fn amount(c: &Cells, problems: &mut Problems, column: &str) -> Checked<Option<i64>> {
    let Some(text) = c.optional(column) else {
        return Ok(None);
    };
    let d = parse_decimal(text).map_err(|e| c.error(problems, column, e.to_string()))?;
    // More than two decimals that are not zeros; or more digits than øre in `i64` hold,
    // which is past the bound too.
    let ore = match d.to_ore() {
        Some(ore) => ore,
        None if d.to_integer().is_none() && d.scale > 2 => {
            return Err(c.error(
                problems,
                column,
                format!("«{text}» er ikke et beløp i hele øre (høyst to desimaler)"),
            ))
        }
        None => i64::MAX,
    };
    match amount_out_of_range(ore) {
        None => Ok(Some(ore)),
        Some(why) => Err(c.error(problems, column, format!("«{text}»: {why}"))),
    }
}

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
    lines: &mut Vec<u64>,
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
            units.get(code).copied().ok_or_else(|| {
                c.error(
                    problems,
                    "ansvar",
                    format!("ukjent ansvar (enhet) «{code}»"),
                )
            })
        });
        let period = c.required(problems, "periode").and_then(|text| {
            let parsed = match &last_period {
                Some((t, p)) if *t == text => p.clone(),
                _ => {
                    let p = Period::parse(text)
                        .map_err(|e| e.to_string())
                        .and_then(|p| match p.kind() {
                            PeriodKind::Month | PeriodKind::Year => Ok(p),
                            _ => Err(format!(
                                "«{text}» er ikke en måned (2026-03) eller et år (2026); \
                                 økonomi registreres per måned, årsbudsjett per år"
                            )),
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
        if group.first_line == 0 {
            group.first_line = c.line();
        }
        for (k, value) in values.into_iter().enumerate() {
            let Some(v) = value else { continue };
            if k == 0 && group.sums[0].is_none() {
                group.budget_line = c.line();
            }
            // Bounded lines cannot overflow `i64` in one sum for many lines, but their sum
            // can pass the bound: that is refused like one line past it.
            match group.sums[k].unwrap_or(0).checked_add(v) {
                Some(sum) if amount_out_of_range(sum).is_none() => group.sums[k] = Some(sum),
                _ => {
                    c.error(
                        problems,
                        AMOUNTS[k],
                        "summen for ansvar og periode til og med denne linjen er over \
                         1 000 milliarder kr, det største beløpet Målkart godtar"
                            .to_string(),
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
            if group.first_line == 0 {
                group.first_line = year.first_line;
            }
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
            lines.push(g.first_line);
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::super::{parse as parse_file, ImportKind};
    use crate::changes::{Catalog, ChangeSet};
    use crate::model::{EconomyChange, FieldChange, Unit};
    use crate::period::Month;

    fn catalog(locked: &[&str]) -> Catalog {
        let unit = |code: &str| Unit {
            code: code.into(),
            name: format!("Enhet {code}"),
            parent: None,
            level: None,
        };
        Catalog {
            units: vec![unit("2100"), unit("3100")],
            indicators: Vec::new(),
            locked: locked
                .iter()
                .map(|m| crate::period::Period::parse(m).map(|p| p.first()))
                .collect::<Result<BTreeSet<Month>, _>>()
                .unwrap_or_default(),
            actions: Vec::new(),
        }
    }

    fn changes(
        text: &str,
        locked: &[&str],
    ) -> Result<(Vec<EconomyChange>, Vec<String>), Vec<String>> {
        match parse_file(
            ImportKind::Economy,
            "økonomi.csv",
            text.as_bytes(),
            &catalog(locked),
        ) {
            Ok(p) => match p.changes {
                ChangeSet::Economy(c) => Ok((c, p.warnings)),
                other => Err(vec![format!("{other:?}")]),
            },
            Err(f) => Err(f.errors.iter().map(|e| e.to_string()).collect()),
        }
    }

    fn month(id: &str) -> Month {
        crate::period::Period::parse(id)
            .map(|p| p.first())
            .unwrap_or(Month::from_index(0))
    }

    fn find<'a>(cs: &'a [EconomyChange], unit: &str, m: &str) -> Option<&'a EconomyChange> {
        cs.iter().find(|c| c.unit == unit && c.month == month(m))
    }

    #[test]
    fn accounting_lines_are_summed_with_income_lines_and_empty_columns_keep() {
        let text = "ansvar;periode;art;tekst;budsjett;regnskap;prognose\n\
                    2100;2026-01;10100;Fastlønn;;3 612 450,00;\n\
                    2100;2026-01;11000;Materiell;;85 310,50;\n\
                    2100;2026-01;16200;Salgsinntekter;;−42 000,00;\n\
                    2100;2026-01;;Budsjett;3 700 000;;\n\
                    2100;2026-01;;Budsjett korr.;-50 000,25;;\n";
        let (cs, _) = changes(text, &[]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(cs.len(), 1);
        // regnskap 3 612 450,00 + 85 310,50 − 42 000,00 = 3 655 760,50 kr = 365 576 050 øre;
        // budsjett 3 700 000 − 50 000,25 = 3 649 999,75 kr = 364 999 975 øre.
        assert_eq!(cs[0].actual, FieldChange::Set(365_576_050));
        assert_eq!(cs[0].budget, FieldChange::Set(364_999_975));
        assert_eq!(cs[0].forecast, FieldChange::Keep);
    }

    #[test]
    fn the_example_file_imports_and_its_year_budget_is_spread() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/examples/økonomi.csv"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let (cs, warnings) = changes(&text, &[]).unwrap_or_else(|e| panic!("{e:?}"));
        // 2100: 48 000 000 kr / 12 = 4 000 000 kr each month (exact).
        let jan = find(&cs, "2100", "2026-01").unwrap_or_else(|| panic!("2100 januar"));
        assert_eq!(jan.budget, FieldChange::Set(400_000_000));
        // 3 612 450,00 + 85 310,50 − 42 000,00 = 3 655 760,50 kr.
        assert_eq!(jan.actual, FieldChange::Set(365_576_050));
        let dec = find(&cs, "2100", "2026-12").unwrap_or_else(|| panic!("2100 desember"));
        assert_eq!(dec.budget, FieldChange::Set(400_000_000));
        assert_eq!(dec.actual, FieldChange::Keep);
        // 3100: budget 5 200 000, accounts 4 480 900 + 212 040 = 4 692 940, forecast 63 500 000.
        let c = find(&cs, "3100", "2026-01").unwrap_or_else(|| panic!("3100 januar"));
        assert_eq!(c.budget, FieldChange::Set(520_000_000));
        assert_eq!(c.actual, FieldChange::Set(469_294_000));
        assert_eq!(c.forecast, FieldChange::Set(6_350_000_000));
        assert_eq!(cs.len(), 13);
        assert!(
            warnings.iter().any(|w| w.contains("fordelt")),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_year_budget_with_an_odd_amount_spreads_in_whole_ore() {
        let (cs, _) = changes("ansvar;periode;budsjett\n2100;2026;2 500 000,05\n", &[])
            .unwrap_or_else(|e| panic!("{e:?}"));
        // 250 000 005 øre: 20 833 333 in January–November, 20 833 342 in December.
        assert_eq!(cs.len(), 12);
        assert!(cs[..11]
            .iter()
            .all(|c| c.budget == FieldChange::Set(20_833_333)));
        assert_eq!(cs[11].budget, FieldChange::Set(20_833_342));
        assert_eq!(cs[11].month, month("2026-12"));
    }

    #[test]
    fn visma_like_extra_columns_are_a_warning_and_minus_signs_read() {
        let text = "Ansvar;Periode;Konto;Prosjekt;Budsjett;Regnskap\n\
                    2100;2026-03;10100;P1;;−1 000,50\n";
        let (cs, warnings) = changes(text, &[]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(cs[0].actual, FieldChange::Set(-100_050));
        assert!(warnings
            .iter()
            .any(|w| w.contains("«Konto»") && w.contains("«Prosjekt»")));
    }

    #[test]
    fn every_problem_names_its_line_and_column() {
        let text = "ansvar;periode;budsjett;regnskap;prognose\n\
                    2100;2026-01;12,345;;\n\
                    9999;2026-01;1;;\n\
                    2100;2026-K1;1;;\n\
                    2100;2026;;5;\n\
                    3100;2026-02;1;;\n\
                    2100;2026-01;1 OOO;;\n";
        let errors = changes(text, &["2026-02"]).err().unwrap_or_default();
        assert_eq!(
            errors,
            [
                "linje 2, kolonne «budsjett»: «12,345» er ikke et beløp i hele øre (høyst to desimaler)",
                "linje 3, kolonne «ansvar»: ukjent ansvar (enhet) «9999»",
                "linje 4, kolonne «periode»: «2026-K1» er ikke en måned (2026-03) eller et år (2026); økonomi registreres per måned, årsbudsjett per år",
                "linje 5, kolonne «regnskap»: et år i periode tar bare budsjett, som fordeles på månedene; regnskap registreres per måned (f.eks. 2026-01)",
                "linje 6, kolonne «periode»: måneden 2026-02 er låst",
                "linje 7, kolonne «budsjett»: «1 OOO» er ikke et tall",
            ]
        );
    }

    #[test]
    fn a_year_budget_and_a_month_budget_for_the_same_month_name_both_lines() {
        let text = "ansvar;periode;budsjett;regnskap\n\
                    2100;2026-03;100;\n\
                    2100;2026-03;;50\n\
                    2100;2026;1200;\n";
        let errors = changes(text, &[]).err().unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("linje 4, kolonne «budsjett»"),
            "{errors:?}"
        );
        assert!(errors[0].contains("linje 2"), "{errors:?}");
        assert!(errors[0].contains("2026-03"), "{errors:?}");
        // Accounts for a month of a year-budgeted ansvar are fine.
        let text = "ansvar;periode;budsjett;regnskap\n2100;2026-03;;50\n2100;2026;1200;\n";
        let (cs, _) = changes(text, &[]).unwrap_or_else(|e| panic!("{e:?}"));
        let march = find(&cs, "2100", "2026-03").unwrap_or_else(|| panic!("mars"));
        assert_eq!(
            (march.budget, march.actual),
            (FieldChange::Set(10_000), FieldChange::Set(5_000))
        );
    }

    proptest! {
        #[test]
        fn any_split_of_an_amount_into_lines_sums_back_exactly(
            parts in prop::collection::vec(-100_000_000_000i64..100_000_000_000, 1..30),
        ) {
            let mut text = String::from("ansvar;periode;regnskap\n");
            for p in &parts {
                let sign = if *p < 0 { "−" } else { "" };
                let abs = p.unsigned_abs();
                text.push_str(&format!("2100;2026-05;{sign}{},{:02}\n", abs / 100, abs % 100));
            }
            let (cs, _) = changes(&text, &[]).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(cs.len(), 1);
            prop_assert_eq!(cs[0].actual, FieldChange::Set(parts.iter().sum::<i64>()));
        }
    }
}
