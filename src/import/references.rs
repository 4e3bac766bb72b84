//! `referanse` files (surveys.md §3): values of named reference series for any indicator
//! and period — `indikator;serie;periode;verdi` (`TF-1;Landet;2026;4,3`).

use std::collections::{HashMap, HashSet};

use super::cells::Cells;
use super::header::{required, ColumnSpec, Columns};
use super::problems::Problems;
use super::reader::Table;
use crate::changes::Catalog;
use crate::model::ReferenceValue;
use crate::period::Period;

pub static COLUMNS: &[ColumnSpec] = &[
    required("indikator", &["indicator"]),
    required("serie", &["series", "referanse"]).free_text(),
    required("periode", &["period"]),
    required("verdi", &["value"]),
];

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
) -> Vec<ReferenceValue> {
    let indicators: HashSet<&str> = catalog.indicators.iter().map(|i| i.code.as_str()).collect();
    let mut seen: HashMap<(String, String, String), u64> = HashMap::new();
    let mut out = Vec::new();
    for record in table.records.iter() {
        let c = Cells { record, columns };
        let indicator = c.required(problems, "indikator").and_then(|code| {
            if indicators.contains(code) {
                Ok(code)
            } else {
                Err(c.error(problems, "indikator", format!("ukjent indikator «{code}»")))
            }
        });
        let series = c.required(problems, "serie").and_then(|s| {
            crate::rules::series_name(s, "serie", "referanseserien")
                .map(|()| s.trim())
                .map_err(|e| c.error(problems, "serie", e.to_string()))
        });
        let period = c.required(problems, "periode").and_then(|t| {
            Period::parse(t).map_err(|e| c.error(problems, "periode", e.to_string()))
        });
        let value = c.required_number(problems, "verdi");
        let (Ok(indicator), Ok(series), Ok(period), Ok(value)) = (indicator, series, period, value)
        else {
            continue;
        };
        let key = (
            indicator.to_string(),
            series.to_string(),
            period.to_string(),
        );
        if let Some(first) = seen.get(&key) {
            c.line_error(
                problems,
                format!("samme indikator, serie og periode som linje {first}"),
            );
            continue;
        }
        seen.insert(key, c.line());
        out.push(ReferenceValue {
            indicator: indicator.to_string(),
            series: series.to_string(),
            period: period.to_string(),
            value,
        });
    }
    out
}
