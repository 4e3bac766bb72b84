//! `indikatorer` files (files.md): the balansehåndbok, one indicator definition a line.
//! Defaults per engine.md: 1 decimal, factor 100, the aggregation's unit roll-up. An
//! optional column that the file leaves out keeps what the database has for an existing
//! indicator; one that is present but empty means the default.

use std::collections::HashMap;

use super::cells::{one_of, Cells, Checked};
use super::header::{optional, required, ColumnSpec, Columns};
use super::problems::Problems;
use super::reader::Table;
use crate::changes::Catalog;
use crate::model::{Aggregation, Direction, Frequency, Indicator, Perspective, UnitRollup};
use crate::number::parse_decimal;
use crate::rules::is_valid_indicator_code;

pub static COLUMNS: &[ColumnSpec] = &[
    required("kode", &["code"]),
    required("navn", &["name"]).free_text(),
    required("perspektiv", &["perspective"]),
    optional("måleenhet", &["unit", "unit_label"]).free_text(),
    required("retning", &["direction"]),
    required("frekvens", &["frequency"]),
    required("aggregering", &["aggregation"]),
    optional("enhetsaggregering", &["unit_rollup"]),
    optional("faktor", &["factor"]),
    optional("desimaler", &["decimals"]),
    optional("fokusområde", &["goal"]).free_text(),
    optional("beskrivelse", &["description"]).free_text(),
    optional("kilde", &["source"]).free_text(),
    optional("ansvarlig", &["responsible"]).free_text(),
];

/// Reads a choice column with `parse`, or says which values are accepted.
fn choice<T>(
    c: &Cells,
    problems: &mut Problems,
    column: &str,
    what: &str,
    accepted: &[&str],
    parse: fn(&str) -> Option<T>,
) -> Checked<T> {
    let text = c.required(problems, column)?;
    parse(text).ok_or_else(|| {
        c.error(
            problems,
            column,
            format!("ukjent {what} «{text}»; bruk {}", one_of(accepted)),
        )
    })
}

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> Vec<Indicator> {
    let existing: HashMap<&str, &Indicator> = catalog
        .indicators
        .iter()
        .map(|i| (i.code.as_str(), i))
        .collect();
    let mut seen: HashMap<&str, u64> = HashMap::new();
    let mut factor_ignored: Vec<u64> = Vec::new();
    let mut out = Vec::new();
    for record in table.records.iter() {
        let c = Cells { record, columns };
        let code = c.required(problems, "kode").and_then(|code| {
            if !is_valid_indicator_code(code) {
                return Err(c.error(
                    problems,
                    "kode",
                    format!(
                        "«{code}» er ikke en gyldig indikatorkode (1–32 tegn: bokstavene A–Z, sifre, \
                         punktum, understrek eller bindestrek)"
                    ),
                ));
            }
            if let Some(first) = seen.get(code) {
                return Err(c.error(problems, "kode", format!("samme kode som linje {first}")));
            }
            Ok(code)
        });
        if let Ok(code) = code {
            seen.insert(code, c.line());
        }
        let name = c.required(problems, "navn");
        let perspective = choice(
            &c,
            problems,
            "perspektiv",
            "perspektiv",
            &["lokalsamfunn", "brukere", "organisasjon", "økonomi"],
            Perspective::parse,
        );
        let direction = choice(
            &c,
            problems,
            "retning",
            "retning",
            &["høy", "lav"],
            Direction::parse,
        );
        let frequency = choice(
            &c,
            problems,
            "frekvens",
            "frekvens",
            &["måned", "kvartal", "tertial", "halvår", "år"],
            Frequency::parse,
        );
        let aggregation = choice(
            &c,
            problems,
            "aggregering",
            "aggregering",
            &["sum", "snitt", "siste", "brøk"],
            Aggregation::parse,
        );
        let rollup: Checked<Option<UnitRollup>> = match c.optional("enhetsaggregering") {
            None => Ok(None),
            Some(text) => UnitRollup::parse(text).map(Some).ok_or_else(|| {
                c.error(
                    problems,
                    "enhetsaggregering",
                    format!(
                        "ukjent enhetsaggregering «{text}»; bruk {}",
                        one_of(&["sum", "snitt", "ingen"])
                    ),
                )
            }),
        };
        let factor = c.optional_number(problems, "faktor").and_then(|f| match f {
            Some(f) if f <= 0.0 => Err(c.error(
                problems,
                "faktor",
                "faktoren må være større enn 0".to_string(),
            )),
            f => Ok(f),
        });
        let decimals: Checked<Option<u8>> = match c.optional("desimaler") {
            None => Ok(None),
            Some(text) => parse_decimal(text)
                .ok()
                .and_then(|d| d.to_integer())
                .and_then(|d| u8::try_from(d).ok())
                .filter(|d| *d <= 4)
                .map(Some)
                .ok_or_else(|| {
                    c.error(
                        problems,
                        "desimaler",
                        format!("desimaler må være et heltall fra 0 til 4, ikke «{text}»"),
                    )
                }),
        };
        let (Ok(code), Ok(name), Ok(perspective), Ok(direction), Ok(frequency), Ok(aggregation)) =
            (code, name, perspective, direction, frequency, aggregation)
        else {
            continue;
        };
        let (Ok(rollup), Ok(factor), Ok(decimals)) = (rollup, factor, decimals) else {
            continue;
        };
        let old = existing.get(code).copied();
        if let Some(old) = old.filter(|o| o.builtin) {
            if old.frequency != frequency || old.aggregation != aggregation {
                c.line_error(
                    problems,
                    format!(
                        "{code} er en innebygd indikator; frekvensen ({}) og aggregeringen ({}) kan ikke endres",
                        old.frequency.key(),
                        old.aggregation.key()
                    ),
                );
                continue;
            }
        }

        let mut ind = Indicator::new(code, name, perspective, direction, frequency, aggregation);
        if let Some(old) = old {
            ind.builtin = old.builtin;
        }
        let keep = |column: &str| !columns.has(column) && old.is_some();
        ind.unit_rollup = match (rollup, old) {
            (Some(r), _) => r,
            (None, Some(o)) if keep("enhetsaggregering") && o.aggregation == aggregation => {
                o.unit_rollup
            }
            (None, _) => aggregation.default_rollup(),
        };
        ind.decimals = match (decimals, old) {
            (Some(d), _) => d,
            (None, Some(o)) if keep("desimaler") => o.decimals,
            (None, _) => 1,
        };
        if factor.is_some() && aggregation != Aggregation::Brok {
            factor_ignored.push(c.line());
        }
        ind.factor = match (factor.filter(|_| aggregation == Aggregation::Brok), old) {
            (Some(f), _) => f,
            (None, Some(o)) if keep("faktor") || aggregation != Aggregation::Brok => o.factor,
            (None, _) => 100.0,
        };
        let text = |column: &str, old_value: Option<&String>| -> String {
            match old_value {
                Some(v) if keep(column) => v.clone(),
                _ => c.text(column).to_string(),
            }
        };
        ind.unit_label = text("måleenhet", old.map(|o| &o.unit_label));
        ind.description = text("beskrivelse", old.map(|o| &o.description));
        ind.source = text("kilde", old.map(|o| &o.source));
        ind.responsible = text("ansvarlig", old.map(|o| &o.responsible));
        ind.goal = match old {
            Some(o) if keep("fokusområde") => o.goal.clone(),
            _ => c.optional("fokusområde").map(str::to_string),
        };
        if old.is_some_and(|o| o.builtin && *o != ind) {
            c.line_error(
                problems,
                format!("«{code}» er en innebygd indikator og kan ikke endres"),
            );
            continue;
        }
        out.push(ind);
    }
    if !factor_ignored.is_empty() {
        let lines: Vec<String> = factor_ignored.iter().map(u64::to_string).collect();
        let which = match lines.as_slice() {
            [one] => format!("linje {one}"),
            many => format!("linjene {}", many.join(", ")),
        };
        warnings.push(format!(
            "faktor gjelder bare indikatorer med aggregering brøk og ble ikke lest på {which}"
        ));
    }
    out
}
