//! Report exports: the sick-leave summary, the economy report, the målkart and the actions
//! report (`actions.rs`) as CSV, XLSX, PDF and JSON.
//!
//! A report is first turned into a `Document` — a title, the facts about it, typed columns,
//! rows with a depth, and notes — by `sickleave::document` or `economy::document`; `csv`,
//! `xlsx` and `pdf` render any `Document`, so both reports look and behave alike. JSON is
//! the report type itself (cli.md), unrounded.

pub mod actions;
mod csv;
pub mod economy;
mod pdf;
pub mod scorecard;
pub mod sickleave;
pub mod surveys;
mod xlsx;

use chrono::NaiveDateTime;

use crate::engine::{Engine, Status};
use crate::error::{Error, Result};
use crate::period::Period;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An export format (`csv`, `xlsx`, `pdf`, `json` across the IPC boundary).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ReportFormat")]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
    Pdf,
    Json,
}

impl Format {
    /// `csv`, `xlsx`, `pdf`, `json`, any case.
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
            Format::Json => "json",
        }
    }
    /// XLSX and PDF are binary: written to a file, never to a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Pdf)
    }
}

/// What a column holds, which fixes how each format writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Plain text (codes).
    Text,
    /// The unit's name: indented by the row's depth in XLSX and PDF, not in CSV.
    Name,
    /// A whole number (depth, employees).
    Integer,
    /// Person-days with one decimal.
    Days,
    /// A survey score or another figure with one decimal (`4,1`).
    OneDecimal,
    /// A percentage (or percentage points) with one decimal; the value is in percent (7.3).
    Percent,
    /// A change in percentage points with one decimal, signed as on screen: `+0,3`, `−0,4`,
    /// `0,0` in XLSX and PDF; CSV writes the number alone (`0,3`, `-0,4`).
    Change,
    /// Kroner: whole kroner rounded half away from zero in CSV, `# ##0` in XLSX and PDF.
    Kroner,
    /// A status word with a mark that survives black-and-white printing.
    Status,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The header as the spec names it (`Fravær %`).
    pub header: String,
    pub kind: ColumnKind,
}

impl Column {
    /// A report's columns from its (header, kind) table.
    pub fn list(columns: &[(&str, ColumnKind)]) -> Vec<Column> {
        columns
            .iter()
            .map(|&(header, kind)| Column {
                header: header.to_string(),
                kind,
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// No value.
    Empty,
    Text(String),
    Number(f64),
    /// Hidden for privacy: `*`.
    Masked,
    Status(Status),
    /// A mark beside a value (e.g. a forecast that is the budget): the value and the mark.
    Marked(f64, String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// 0 for the report's unit.
    pub depth: u32,
    pub cells: Vec<Cell>,
}

/// A heading and its paragraphs, printed after the table (PDF) or on the second sheet (XLSX).
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// A report ready to render.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// `Sykefraværsrapport`.
    pub title: String,
    /// The first sheet's name in XLSX (at most 31 characters).
    pub sheet: String,
    /// `2000 Oppvekst`.
    pub unit: String,
    /// `3. kvartal 2026 (2026-K3)`.
    pub period: String,
    /// `23.11.2026 kl. 14:05`.
    pub exported_at: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Runs of rows kept on one page when they fit there (a perspective of the målkart):
    /// the PDF starts a new page before a run that would not fit on the rest of the page
    /// but fits on a page of its own. Empty for the reports.
    pub groups: Vec<std::ops::Range<usize>>,
    /// Definitions, the masking note, …
    pub notes: Vec<Note>,
}

/// Renders a document as CSV, XLSX or PDF (JSON is the report itself).
pub fn render(doc: &Document, format: Format) -> Result<Vec<u8>> {
    match format {
        Format::Csv => Ok(csv::render(doc)),
        Format::Xlsx => xlsx::render(doc),
        Format::Pdf => pdf::render(doc),
        Format::Json => Err(Error::Render(
            "JSON skrives fra rapporten selv, ikke fra et dokument".to_string(),
        )),
    }
}

/// The mark printed before a status word, as in the app and `malkart status`: shapes that
/// differ without colour, so a black-and-white printout still tells them apart.
pub fn status_mark(status: Status) -> char {
    match status {
        Status::Green => '●',
        Status::Yellow => '▲',
        Status::Red => '■',
        Status::NoData => '○',
        Status::NoTarget => '–',
    }
}

/// `▲ gul`: the mark and the word.
pub fn status_text(status: Status) -> String {
    format!("{} {}", status_mark(status), status.word())
}

/// The time of export as it is printed: `23.11.2026 kl. 14:05`. The caller reads the clock
/// (`clock::now()`); export does not.
pub fn time_text(at: NaiveDateTime) -> String {
    at.format("%d.%m.%Y kl. %H:%M").to_string()
}

/// The sick-leave summary of `unit` for `period` in `format`.
pub fn sick_leave(
    engine: &Engine,
    unit: &str,
    period: &Period,
    min_employees: u32,
    format: Format,
    exported_at: NaiveDateTime,
) -> Result<Vec<u8>> {
    let summary = engine.sick_leave_summary(unit, period, min_employees)?;
    match format {
        Format::Json => json(&summary),
        _ => render(
            &sickleave::document(&summary, &time_text(exported_at)),
            format,
        ),
    }
}

/// The economy report of `unit` for `period` (year to date through its last month) in
/// `format`; `exported_at` is printed in the document.
pub fn economy(
    engine: &Engine,
    unit: &str,
    period: &Period,
    format: Format,
    exported_at: NaiveDateTime,
) -> Result<Vec<u8>> {
    let report = engine.economy_report(unit, period)?;
    match format {
        Format::Json => json(&report),
        _ => render(&economy::document(&report, &time_text(exported_at)), format),
    }
}

/// The målkart `card` as shown (masked and marked provisional by the service; only the
/// yellow and red indicators when `deviations_only`) in `format`; `path` names the unit
/// with its ancestors. JSON is the scorecard itself.
pub fn scorecard(
    card: &crate::engine::Scorecard,
    path: &str,
    deviations_only: bool,
    format: Format,
    exported_at: NaiveDateTime,
) -> Result<Vec<u8>> {
    match format {
        Format::Json => json(card),
        _ => render(
            &scorecard::document(card, path, deviations_only, &time_text(exported_at)),
            format,
        ),
    }
}

/// The actions report in `format`; JSON is the report itself.
pub fn actions(
    report: &crate::engine::actions::ActionsReport,
    format: Format,
    exported_at: NaiveDateTime,
) -> Result<Vec<u8>> {
    match format {
        Format::Json => json(report),
        _ => render(
            &actions::document(report, &report.unit.name, &time_text(exported_at)),
            format,
        ),
    }
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| Error::Render(format!("kunne ikke skrive JSON: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_of_export_is_the_callers_written_the_norwegian_way() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .and_then(|d| d.and_hms_opt(14, 5, 59))
            .unwrap();
        // Minutes, not rounded: 14:05:59 is still 14:05.
        assert_eq!(time_text(at), "23.11.2026 kl. 14:05");
    }
}

/// The external tools the export tests read their output back with (`pdftotext`,
/// `pdftoppm` from poppler-utils, `unzip`). A tool that is missing skips the check with a
/// message on a developer's machine; under `CI` it fails the test, since setup installs them.
#[cfg(test)]
pub(crate) mod test_tools {
    use std::path::Path;
    use std::process::Command;

    /// Runs `program args…`; `None` (with a message) when the program is not installed and
    /// `CI` is unset.
    pub fn run(program: &str, args: &[&std::ffi::OsStr]) -> Option<Vec<u8>> {
        match Command::new(program).args(args).output() {
            Ok(out) => {
                assert!(
                    out.status.success(),
                    "{program} feilet: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                Some(out.stdout)
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound && std::env::var_os("CI").is_none() =>
            {
                eprintln!(
                    "HOPPER OVER: {program} er ikke installert (scripts/setup.sh installerer det)"
                );
                None
            }
            Err(e) => panic!("kunne ikke kjøre {program}: {e}"),
        }
    }

    /// One file of a zip archive (an XLSX) as text.
    pub fn unzip(bytes: &[u8], name: &str) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bok.xlsx");
        std::fs::write(&path, bytes).unwrap();
        let out = run("unzip", &["-p".as_ref(), path.as_os_str(), name.as_ref()])?;
        Some(String::from_utf8(out).unwrap())
    }

    /// `pdftotext -layout` of a PDF file: pages separated by form feeds.
    pub fn pdftotext(path: &Path) -> Option<String> {
        let out = run(
            "pdftotext",
            &["-layout".as_ref(), path.as_os_str(), "-".as_ref()],
        )?;
        Some(String::from_utf8(out).unwrap())
    }
}
