//! Imports (files.md): CSV (UTF-8 with or without BOM, else Windows-1252; `;`, `,` or tab)
//! and XLSX (first sheet) files of units, indicators, targets and measurements. A file is
//! read, every line validated against the database's catalog, and only a file without a
//! single wrong line is applied — in one transaction. Errors name line, column and text.
//!
//! The work is split so that every step but the last is pure: `reader` turns bytes into a
//! table of text cells, `header` finds each kind's columns, one module per kind checks the
//! lines against the database's `Catalog` (and the file itself) and builds a
//! `changes::ChangeSet`, and only then the store (`ChangeStore::apply`, `Store` in practice)
//! writes it. Import knows nothing of storage. A new kind is a new module
//! with its `COLUMNS` and `parse`, and one arm in [`parse`].

mod actions;
mod cells;
mod economy;
mod header;
mod indicators;
mod kostra;
mod measurements;
mod problems;
mod reader;
mod references;
mod sickleave;
mod surveys;
mod targets;
mod units;

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::changes::{Catalog, ChangeSet, ChangeStore};
use crate::error::{Error, Result};

pub use problems::MAX_LISTED;

/// The kinds of import file; the English keys (`sick_leave`) cross the IPC boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Units,
    Indicators,
    Targets,
    Measurements,
    SickLeave,
    Economy,
    /// Tiltak (tiltak.md §3).
    Actions,
    /// Survey results with their respondents (surveys.md §3).
    Surveys,
    /// Values of reference series (surveys.md §3).
    References,
    /// An SSB statistics bank file with a mapping file (surveys.md §3; `import_kostra`).
    Kostra,
}

impl ImportKind {
    /// `enheter`/`units`, `indikatorer`/`indicators`, `mål`/`targets`, `målinger`/`measurements`,
    /// `sykefravær`/`sick-leave`, `økonomi`/`economy`, `tiltak`/`actions`,
    /// `undersøkelse`/`surveys`, `referanse`/`references`.
    /// Case-insensitive; `mal`, `malinger`, `sykefravaer` and `okonomi` are accepted for
    /// keyboards without `å`, `æ` and `ø`.
    pub fn parse(text: &str) -> Option<ImportKind> {
        match text.trim().to_lowercase().as_str() {
            "enheter" | "units" => Some(ImportKind::Units),
            "indikatorer" | "indicators" => Some(ImportKind::Indicators),
            "mål" | "mal" | "targets" => Some(ImportKind::Targets),
            "målinger" | "malinger" | "measurements" => Some(ImportKind::Measurements),
            "sykefravær" | "sykefravaer" | "sick-leave" | "sick_leave" => {
                Some(ImportKind::SickLeave)
            }
            "økonomi" | "okonomi" | "economy" => Some(ImportKind::Economy),
            "tiltak" | "actions" => Some(ImportKind::Actions),
            "undersøkelse" | "undersokelse" | "undersøkelser" | "surveys" => {
                Some(ImportKind::Surveys)
            }
            "referanse" | "referanser" | "references" => Some(ImportKind::References),
            "kostra" => Some(ImportKind::Kostra),
            _ => None,
        }
    }

    pub const ALL: [ImportKind; 9] = [
        ImportKind::Units,
        ImportKind::Indicators,
        ImportKind::Targets,
        ImportKind::Measurements,
        ImportKind::SickLeave,
        ImportKind::Economy,
        ImportKind::Actions,
        ImportKind::Surveys,
        ImportKind::References,
    ];

    /// The columns a file of this kind has.
    fn columns(self) -> &'static [header::ColumnSpec] {
        match self {
            ImportKind::Units => units::COLUMNS,
            ImportKind::Indicators => indicators::COLUMNS,
            ImportKind::Targets => targets::COLUMNS,
            ImportKind::Measurements => measurements::COLUMNS,
            ImportKind::SickLeave => sickleave::COLUMNS,
            ImportKind::Economy => economy::COLUMNS,
            ImportKind::Actions => actions::COLUMNS,
            ImportKind::Surveys => surveys::COLUMNS,
            ImportKind::References => references::COLUMNS,
            ImportKind::Kostra => kostra::MAPPING_COLUMNS,
        }
    }

    /// The Norwegian name, as on the command line.
    pub fn key(self) -> &'static str {
        match self {
            ImportKind::Units => "enheter",
            ImportKind::Indicators => "indikatorer",
            ImportKind::Targets => "mål",
            ImportKind::Measurements => "målinger",
            ImportKind::SickLeave => "sykefravær",
            ImportKind::Economy => "økonomi",
            ImportKind::Actions => "tiltak",
            ImportKind::Surveys => "undersøkelse",
            ImportKind::References => "referanse",
            ImportKind::Kostra => "kostra",
        }
    }
}

pub use crate::changes::{ImportFailure, LineError};

/// What an import did (or, for a dry run, would do).
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub file: String,
    pub kind: ImportKind,
    pub dry_run: bool,
    pub rows_read: u64,
    pub created: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub warnings: Vec<String>,
}

/// A file read and checked, ready to apply.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub changes: ChangeSet,
    /// Non-empty lines after the header.
    pub rows_read: u64,
    pub warnings: Vec<String>,
    /// The line each change came from, in the change set's order (for the economy import,
    /// which sums many lines into one month, the first of them); a replica's outbox keeps
    /// it, so a conflict from an import names its line (sharing.md §4).
    pub lines: Vec<u64>,
}

/// Reads `bytes` as a file of `kind` and checks every line against `catalog` (and the file
/// itself); pure. `Err` lists every wrong line.
pub fn parse(
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
    catalog: &Catalog,
) -> Result<Parsed, ImportFailure> {
    let mut problems = problems::Problems::default();
    if kind == ImportKind::Kostra {
        problems.add(
            0,
            None,
            "en KOSTRA-fil importeres sammen med en koblingsfil (malkart import kostra FIL \
             --kobling KOBLINGSFIL)"
                .to_string(),
        );
        return Err(problems.into_failure(file_name));
    }
    let table = match reader::read(file_name, bytes) {
        Ok(table) => table,
        Err(e) => {
            problems.push(e);
            return Err(problems.into_failure(file_name));
        }
    };
    let specs = kind.columns();
    if let Some(message) = other_kind(kind, &table.header) {
        problems.add(table.header_line, None, message);
        return Err(problems.into_failure(file_name));
    }
    let columns = header::Columns::match_header(specs, &table.header, table.header_line)
        .map_err(|p| p.into_failure(file_name))?;
    let mut warnings: Vec<String> = columns.unknown_warning().into_iter().collect();
    for e in &table.bad_lines {
        problems.push(e.clone());
    }
    problems.count_more(table.more_bad_lines);
    let rows_read = (table.records.len() as u64) + table.bad_line_count();
    let table = refuse_invisible(table, &columns, &mut problems);
    // The line of each change, from the kinds that do not make one change per line in
    // the file's order: units (parents first) and economy (sums).
    let mut own_lines = Vec::new();
    let changes = match kind {
        ImportKind::Units => ChangeSet::Units(units::parse(
            &table,
            &columns,
            catalog,
            &mut problems,
            &mut own_lines,
        )),
        ImportKind::Indicators => ChangeSet::Indicators(indicators::parse(
            &table,
            &columns,
            catalog,
            &mut problems,
            &mut warnings,
        )),
        ImportKind::Targets => {
            ChangeSet::Targets(targets::parse(&table, &columns, catalog, &mut problems))
        }
        ImportKind::Measurements => ChangeSet::Measurements(measurements::parse(
            &table,
            &columns,
            catalog,
            &mut problems,
        )),
        ImportKind::SickLeave => {
            ChangeSet::SickLeave(sickleave::parse(&table, &columns, catalog, &mut problems))
        }
        ImportKind::Economy => ChangeSet::Economy(economy::parse(
            &table,
            &columns,
            catalog,
            &mut problems,
            &mut warnings,
            &mut own_lines,
        )),
        ImportKind::Actions => {
            ChangeSet::Actions(actions::parse(&table, &columns, catalog, &mut problems))
        }
        ImportKind::Surveys => {
            ChangeSet::SurveyResults(surveys::parse(&table, &columns, catalog, &mut problems))
        }
        ImportKind::References => {
            ChangeSet::References(references::parse(&table, &columns, catalog, &mut problems))
        }
        // Refused above: it needs its mapping file.
        ImportKind::Kostra => ChangeSet::References(Vec::new()),
    };
    if !problems.is_empty() {
        return Err(problems.into_failure(file_name));
    }
    // Every other kind makes one change of each line, in the file's order (a file with a
    // wrong line is refused whole, so every line made one).
    let lines = if matches!(kind, ImportKind::Units | ImportKind::Economy) {
        own_lines
    } else {
        table.records.iter().map(|r| r.line).collect()
    };
    let lines = if lines.len() == changes.len() {
        lines
    } else {
        Vec::new()
    };
    Ok(Parsed {
        changes,
        rows_read,
        warnings,
        lines,
    })
}

/// The kind whose own required columns the header has, when it is not `kind`:
/// `filen ser ut som en «indikatorer»-fil …`. Only when `kind` lacks a required column, or
/// the other kind explains more of the header: a sick-leave file with the unit's `kode`
/// and `navn` as extra columns is still a sick-leave file.
fn other_kind(kind: ImportKind, header: &[String]) -> Option<String> {
    let (recognised, complete) = header::coverage(kind.columns(), header);
    ImportKind::ALL
        .into_iter()
        .filter(|k| *k != kind)
        .find_map(|other| {
            let foreign = header::looks_like(other.columns(), kind.columns(), header)?;
            if complete && header::coverage(other.columns(), header).0 <= recognised {
                return None;
            }
            let names: Vec<String> = foreign.iter().map(|n| format!("«{n}»")).collect();
            let names = match names.split_last() {
                Some((last, init)) if !init.is_empty() => format!("{} og {last}", init.join(", ")),
                _ => names.concat(),
            };
            let what = if foreign.len() == 1 {
                "kolonnen"
            } else {
                "kolonnene"
            };
            Some(format!(
                "filen ser ut som en «{}»-fil (den har {what} {names}), ikke «{}»; velg «{}» \
                 som type import, eller velg riktig fil",
                other.key(),
                kind.key(),
                other.key()
            ))
        })
}

/// Every cell of a code, period, number or keyword column with an invisible character is
/// an error on its line and column; those lines are left out of what the kind checks, so
/// each gets one clear error (not also «ukjent enhet» for a code that looks known).
fn refuse_invisible(
    table: reader::Table,
    columns: &header::Columns,
    problems: &mut problems::Problems,
) -> reader::Table {
    let checked: Vec<(usize, &str)> = columns.checked().collect();
    let mut bad = std::collections::HashSet::new();
    for record in table.records.iter() {
        for &(col, name) in &checked {
            let Some(cell) = record.cell(col) else {
                continue;
            };
            if let Some(message) = crate::text::invisible_message(cell) {
                problems.add(record.line, Some(name), message);
                bad.insert(record.line);
            }
        }
    }
    if bad.is_empty() {
        return table;
    }
    let records = table.records.without(&bad);
    reader::Table { records, ..table }
}

/// Imports a file (CSV or XLSX, by content) of `kind` into `store`, all or nothing. The
/// audit log names the file (without its directory).
pub fn import_file(
    store: &mut impl ChangeStore,
    kind: ImportKind,
    path: &Path,
    dry_run: bool,
) -> Result<ImportReport> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    import_bytes(store, kind, &name, &bytes, dry_run)
}

/// Imports file content already in memory; `file_name` is used in messages and the audit log.
pub fn import_bytes(
    store: &mut impl ChangeStore,
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport> {
    let catalog = store.catalog()?;
    let parsed = parse(kind, file_name, bytes, &catalog)?;
    let summary = store.apply_lines(&parsed.changes, &parsed.lines, file_name, dry_run)?;
    Ok(ImportReport {
        file: file_name.to_string(),
        kind,
        dry_run,
        rows_read: parsed.rows_read,
        created: summary.created,
        changed: summary.changed,
        unchanged: summary.unchanged,
        warnings: parsed.warnings,
    })
}

/// Imports an SSB statistics bank file (`data`) with the mapping file that says which
/// column becomes which indicator and which region the municipality's own figure or a
/// reference series (`import::kostra`), all or nothing, audited under the data file's name.
pub fn import_kostra(
    store: &mut impl ChangeStore,
    data: &Path,
    mapping: &Path,
    dry_run: bool,
) -> Result<ImportReport> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| Error::io(p, e));
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let (data_bytes, mapping_bytes) = (read(data)?, read(mapping)?);
    let catalog = store.catalog()?;
    let (changes, rows_read, warnings) = kostra::parse(
        &name(data),
        &data_bytes,
        &name(mapping),
        &mapping_bytes,
        &catalog,
    )?;
    let summary = store.apply_lines(&changes, &[], &name(data), dry_run)?;
    Ok(ImportReport {
        file: name(data),
        kind: ImportKind::Kostra,
        dry_run,
        rows_read,
        created: summary.created,
        changed: summary.changed,
        unchanged: summary.unchanged,
        warnings,
    })
}

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
