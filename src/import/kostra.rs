//! KOSTRA figures as SSB's statistics bank exports them (surveys.md §3), with a mapping file.
//!
//! **The SSB file** is «Semikolonseparert med overskrift» in the bank's default layout: a
//! title line (`"12362: Utvalgte nøkkeltall, kommuner (K) 2023 - 2024"`), an empty line,
//! then a header whose first column is the region and each other column a statistics
//! variable and a year (`"Netto driftsresultat i prosent av brutto driftsinntekter 2024"`),
//! and one line per region (`"EKG13 Kostragruppe 13"`, `"EAK Landet"`, `"3201 Bærum"`). SSB's
//! symbols `..` (missing), `...` (not reported), `:` (confidential) and `.` (cannot occur)
//! are no value — never 0; `-` is SSB's exact zero. Notes after the table (a line without
//! a region code and figures) are passed over.
//!
//! **The mapping file** (`hva;fra;til`) says what becomes what:
//! `kolonne;<the variable's text, without the year>;<indicator code>`,
//! `region;<region code>;egen` (the municipality's own figure: a yearly measurement on the
//! root unit) or `region;<region code>;<series name>` (a reference series: `Landet`,
//! `KOSTRA-gruppe 13`). Columns and regions the mapping does not name are left out and
//! counted in a warning.
//!
//! All or nothing, every bad line named with its file; a re-import (June's final figures
//! over the preliminary ones of March) replaces what changed and leaves the rest.

use std::collections::HashMap;

use super::cells::Cells;
use super::header::{required, ColumnSpec, Columns};
use super::problems::Problems;
use super::reader;
use crate::changes::{Catalog, ChangeSet, ImportFailure};
use crate::model::{Aggregation, Figure, Frequency, Measurement, ReferenceValue};
use crate::number::parse_decimal;
use crate::period::Period;

pub static MAPPING_COLUMNS: &[ColumnSpec] = &[
    required("hva", &["type"]),
    required("fra", &["kilde", "ssb"]).free_text(),
    required("til", &["mål", "indikator", "serie"]).free_text(),
];

/// What the municipality's own region maps to.
const OWN: &str = "egen";

/// A mapping read and checked: SSB variable text → indicator code; region code → `None`
/// for the municipality's own figure, else the series name.
struct Mapping {
    columns: HashMap<String, String>,
    regions: HashMap<String, Option<String>>,
}

/// Folds a variable's text as SSB may vary it: case and runs of spaces.
fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn read_mapping(name: &str, bytes: &[u8], catalog: &Catalog) -> Result<Mapping, ImportFailure> {
    let mut problems = Problems::default();
    let table = match reader::read(name, bytes) {
        Ok(t) => t,
        Err(e) => {
            problems.push(e);
            return Err(problems.into_failure(name));
        }
    };
    let columns = Columns::match_header(MAPPING_COLUMNS, &table.header, table.header_line)
        .map_err(|p| p.into_failure(name))?;
    let mut mapping = Mapping {
        columns: HashMap::new(),
        regions: HashMap::new(),
    };
    let mut own_regions = 0;
    for record in table.records.iter() {
        let c = Cells {
            record,
            columns: &columns,
        };
        let (Ok(what), Ok(from), Ok(to)) = (
            c.required(&mut problems, "hva"),
            c.required(&mut problems, "fra"),
            c.required(&mut problems, "til"),
        ) else {
            continue;
        };
        match what.trim().to_lowercase().as_str() {
            "kolonne" => {
                let Some(ind) = catalog.indicators.iter().find(|i| i.code == to.trim()) else {
                    c.error(&mut problems, "til", format!("ukjent indikator «{to}»"));
                    continue;
                };
                if ind.builtin {
                    c.error(
                        &mut problems,
                        "til",
                        format!("{} regnes ut av Målkart og tar ikke KOSTRA-tall", ind.code),
                    );
                    continue;
                }
                if ind.frequency != Frequency::Ar || ind.aggregation == Aggregation::Brok {
                    c.error(
                        &mut problems,
                        "til",
                        format!(
                            "KOSTRA gir ett tall per år: indikatoren {} må være årlig og ikke en \
                             brøk (den er {}, {})",
                            ind.code,
                            ind.frequency.key(),
                            ind.aggregation.key()
                        ),
                    );
                    continue;
                }
                if mapping
                    .columns
                    .insert(fold(from), ind.code.clone())
                    .is_some()
                {
                    c.line_error(
                        &mut problems,
                        format!("kolonnen «{from}» er koblet to ganger"),
                    );
                }
            }
            "region" => {
                let code = from.trim().to_string();
                let target = if to.trim().eq_ignore_ascii_case(OWN) {
                    own_regions += 1;
                    None
                } else {
                    if let Err(e) = crate::rules::series_name(to, "til", "referanseserien") {
                        c.error(&mut problems, "til", e.to_string());
                        continue;
                    }
                    Some(to.trim().to_string())
                };
                if mapping.regions.insert(code, target).is_some() {
                    c.line_error(
                        &mut problems,
                        format!("regionen «{from}» er koblet to ganger"),
                    );
                }
            }
            other => {
                c.error(
                    &mut problems,
                    "hva",
                    format!("«{other}» er verken «kolonne» eller «region»"),
                );
            }
        }
    }
    if problems.is_empty() {
        if mapping.columns.is_empty() {
            problems.add(
                0,
                None,
                "koblingsfilen kobler ingen kolonne til en indikator".into(),
            );
        }
        if own_regions > 1 {
            problems.add(
                0,
                None,
                "koblingsfilen har mer enn én region som «egen»; kommunens egne tall kommer fra én \
                 region"
                    .into(),
            );
        }
    }
    if problems.is_empty() {
        Ok(mapping)
    } else {
        Err(problems.into_failure(name))
    }
}

/// The file from its header line on (the title and the empty line before it dropped), and
/// how many lines were dropped.
fn from_header(bytes: &[u8]) -> (&[u8], u64) {
    let mut start = 0;
    let mut dropped = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |k| start + k + 1);
        if bytes[start..end].contains(&b';') {
            break;
        }
        start = end;
        dropped += 1;
    }
    if start >= bytes.len() {
        (bytes, 0)
    } else {
        (&bytes[start..], dropped)
    }
}

/// A header cell as (variable text, year): the year is its last word.
fn variable_and_year(header: &str) -> Option<(String, i32)> {
    let (text, year) = header.trim().rsplit_once(' ')?;
    let year: i32 = year.parse().ok().filter(|_| year.len() == 4)?;
    Period::year(year)?;
    Some((fold(text), year))
}

/// SSB's symbols for no value.
fn no_value(cell: &str) -> bool {
    matches!(cell.trim(), "" | ".." | "..." | ":" | ".")
}

/// Reads an SSB file against a mapping: the municipality's own figures as measurements on
/// the root unit, the others as reference values, in one change set.
pub fn parse(
    data_name: &str,
    data: &[u8],
    mapping_name: &str,
    mapping: &[u8],
    catalog: &Catalog,
) -> Result<(ChangeSet, u64, Vec<String>), ImportFailure> {
    let map = read_mapping(mapping_name, mapping, catalog)?;
    let mut problems = Problems::default();
    let (rest, dropped) = from_header(data);
    let table = match reader::read(data_name, rest) {
        Ok(t) => t,
        Err(mut e) => {
            e.line += dropped;
            problems.push(e);
            return Err(problems.into_failure(data_name));
        }
    };
    let line_of = |line: u64| line + dropped;
    let Some(root) = catalog.units.iter().find(|u| u.parent.is_none()) else {
        problems.add(
            0,
            None,
            "databasen har ingen enheter ennå; importer enhetene først".into(),
        );
        return Err(problems.into_failure(data_name));
    };
    // Which columns count: (column index, indicator, year).
    let mut wanted: Vec<(usize, &str, i32)> = Vec::new();
    let mut skipped_columns = 0;
    for (k, header) in table.header.iter().enumerate().skip(1) {
        match variable_and_year(header) {
            Some((text, year)) => match map.columns.get(&text) {
                Some(code) => wanted.push((k, code.as_str(), year)),
                None => skipped_columns += 1,
            },
            None if header.trim().is_empty() => {}
            None => problems.add(
                line_of(table.header_line),
                Some(header),
                format!(
                    "kolonnen «{header}» ender ikke på et årstall; last ned tabellen fra SSB som \
                     «Semikolonseparert med overskrift» med år i kolonnene"
                ),
            ),
        }
    }
    if wanted.is_empty() && problems.is_empty() {
        problems.add(
            line_of(table.header_line),
            None,
            "ingen av kolonnene i filen er i koblingsfilen".into(),
        );
    }
    let mut measurements: Vec<Measurement> = Vec::new();
    let mut references: Vec<ReferenceValue> = Vec::new();
    let mut regions_seen: HashMap<String, u64> = HashMap::new();
    let mut skipped_regions = 0;
    let mut rows_read = 0;
    for record in table.records.iter() {
        let line = line_of(record.line);
        let region_cell = record.cell(0).unwrap_or("").trim();
        let code = region_cell.split_whitespace().next().unwrap_or("");
        let figures =
            (1..table.header.len()).any(|k| record.cell(k).is_some_and(|c| !c.trim().is_empty()));
        if code.is_empty() || !figures {
            // A note after the table, or an empty region.
            continue;
        }
        rows_read += 1;
        let Some(target) = map.regions.get(code) else {
            skipped_regions += 1;
            continue;
        };
        if let Some(first) = regions_seen.insert(code.to_string(), line) {
            problems.add(
                line,
                Some("region"),
                format!("regionen {code} står også på linje {first}"),
            );
            continue;
        }
        for &(k, indicator, year) in &wanted {
            let cell = record.cell(k).unwrap_or("").trim();
            if no_value(cell) {
                continue;
            }
            let value = if cell == "-" {
                0.0
            } else {
                match parse_decimal(cell) {
                    Ok(d) => d.to_f64(),
                    Err(e) => {
                        problems.add(line, Some(&table.header[k]), e.to_string());
                        continue;
                    }
                }
            };
            let Some(span) = Period::year(year) else {
                continue;
            };
            match target {
                None => measurements.push(Measurement {
                    indicator: indicator.to_string(),
                    unit: root.code.clone(),
                    span,
                    figure: Figure::Value { value },
                }),
                Some(series) => references.push(ReferenceValue {
                    indicator: indicator.to_string(),
                    series: series.clone(),
                    period: span.to_string(),
                    value,
                }),
            }
        }
    }
    // Columns naming the same indicator and year twice would store one over the other.
    let mut pairs: Vec<(&str, i32)> = wanted.iter().map(|&(_, i, y)| (i, y)).collect();
    pairs.sort_unstable();
    if pairs.windows(2).any(|w| w[0] == w[1]) {
        problems.add(
            line_of(table.header_line),
            None,
            "to kolonner i filen er koblet til samme indikator og år".into(),
        );
    }
    if !problems.is_empty() {
        return Err(problems.into_failure(data_name));
    }
    let mut warnings = Vec::new();
    if skipped_columns > 0 {
        warnings.push(format!(
            "{skipped_columns} kolonner er ikke i koblingsfilen og er ikke importert"
        ));
    }
    if skipped_regions > 0 {
        warnings.push(format!(
            "{skipped_regions} regioner er ikke i koblingsfilen og er ikke importert"
        ));
    }
    Ok((
        ChangeSet::Kostra {
            measurements,
            references,
        },
        rows_read,
        warnings,
    ))
}
