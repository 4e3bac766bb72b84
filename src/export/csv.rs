//! CSV: UTF-8 with BOM, `;`, decimal comma, no digit grouping, `*` for masked, empty for
//! no value.
//!
//! The reader is Excel on Windows with Norwegian settings, so: the BOM makes Excel read
//! UTF-8 (`æøå`), `;` is its list separator where the comma is the decimal sign, lines end
//! in CRLF (RFC 4180, and what Excel writes itself), minus is ASCII `-` (Excel does not parse
//! U+2212), and there is no digit grouping (a space inside a number makes it text). Fields
//! are quoted only when they must be (a `;`, a quote or a line break inside). Names are not
//! indented: the `Nivå` column carries the depth, and leading spaces would make sorting and
//! lookups in Excel go wrong. A `Cell::Marked` is written as its number alone, so the column
//! stays numeric; the mark is explained in the XLSX and PDF (and JSON carries it as a field).

use super::{Cell, ColumnKind, Document};
use crate::format::round_half_away;

/// The byte-order mark that tells Excel the file is UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn render(doc: &Document) -> Vec<u8> {
    let mut out = BOM.to_vec();
    {
        let mut writer = ::csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing into a Vec cannot fail; the results are still passed on rather than unwrapped.
        let mut write = |fields: Vec<String>| -> bool { writer.write_record(&fields).is_ok() };
        let ok = write(doc.columns.iter().map(|c| c.header.clone()).collect())
            && doc.rows.iter().all(|row| {
                write(
                    doc.columns
                        .iter()
                        .enumerate()
                        .map(|(i, col)| field(col.kind, row.cells.get(i).unwrap_or(&Cell::Empty)))
                        .collect(),
                )
            });
        debug_assert!(ok, "writing CSV into memory failed");
        let _ = writer.flush();
    }
    out
}

/// One cell as CSV text.
fn field(kind: ColumnKind, cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => text.clone(),
        Cell::Masked => "*".to_string(),
        Cell::Status(status) => status.word().to_string(),
        Cell::Number(value) | Cell::Marked(value, _) => number(kind, *value),
    }
}

/// A number with the column's decimals, decimal comma, ASCII minus, no grouping.
fn number(kind: ColumnKind, value: f64) -> String {
    let decimals = match kind {
        ColumnKind::Days | ColumnKind::OneDecimal | ColumnKind::Percent | ColumnKind::Change => 1,
        ColumnKind::Kroner | ColumnKind::Integer => 0,
        // A number in a text column: as it is, only with a decimal comma.
        ColumnKind::Text | ColumnKind::Name | ColumnKind::Status => {
            return value.to_string().replace('.', ",");
        }
    };
    let rounded = round_half_away(value, decimals);
    format!("{:.*}", decimals as usize, rounded).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Status;
    use crate::export::{Column, Row};

    fn column(header: &str, kind: ColumnKind) -> Column {
        Column {
            header: header.to_string(),
            kind,
        }
    }

    fn doc() -> Document {
        Document {
            title: "Sykefraværsrapport".to_string(),
            sheet: "Sykefravær".to_string(),
            unit: "2000 Oppvekst".to_string(),
            period: "3. kvartal 2026 (2026-K3)".to_string(),
            exported_at: "23.11.2026 kl. 14:05".to_string(),
            columns: vec![
                column("Enhetskode", ColumnKind::Text),
                column("Enhet", ColumnKind::Name),
                column("Nivå", ColumnKind::Integer),
                column("Avtalte dagsverk", ColumnKind::Days),
                column("Fravær %", ColumnKind::Percent),
                column("Avvik kr", ColumnKind::Kroner),
                column("Status", ColumnKind::Status),
            ],
            rows: vec![
                Row {
                    depth: 0,
                    cells: vec![
                        Cell::Text("2000".into()),
                        Cell::Text("Oppvekst".into()),
                        Cell::Number(0.0),
                        // 1300 dagsverk: one decimal even when whole.
                        Cell::Number(1300.0),
                        // (14.5 + 41 + 6 + 21) / 1300 × 100 = 6.346… → 6,3
                        Cell::Number(82.5 / 1300.0 * 100.0),
                        // 1 234 567.5 kr → half away from zero → 1234568, no grouping
                        Cell::Number(1_234_567.5),
                        Cell::Status(Status::Yellow),
                    ],
                },
                Row {
                    depth: 1,
                    cells: vec![
                        Cell::Text("2100".into()),
                        // a `;` and a quote force RFC 4180 quoting; æøå stay UTF-8
                        Cell::Text("Skole; \"Ås\" og Øya".into()),
                        Cell::Number(1.0),
                        Cell::Masked,
                        Cell::Masked,
                        // −2.5 kr → half away from zero → −3, ASCII minus
                        Cell::Number(-2.5),
                        Cell::Status(Status::NoData),
                    ],
                },
                Row {
                    depth: 1,
                    cells: vec![
                        Cell::Text("2200".into()),
                        Cell::Text("Barnehage".into()),
                        Cell::Number(1.0),
                        // 6.95 is 6.9499… in binary and still rounds up to 7,0
                        Cell::Number(6.95),
                        Cell::Empty,
                        // a forecast that is the budget: the number alone
                        Cell::Marked(-1000.4, "b".into()),
                        Cell::Status(Status::NoTarget),
                    ],
                },
            ],
            groups: Vec::new(),
            notes: vec![],
        }
    }

    #[test]
    fn csv_is_bom_semicolon_decimal_comma_crlf_byte_for_byte() {
        let expected =
            "\u{FEFF}Enhetskode;Enhet;Nivå;Avtalte dagsverk;Fravær %;Avvik kr;Status\r\n\
                        2000;Oppvekst;0;1300,0;6,3;1234568;gul\r\n\
                        2100;\"Skole; \"\"Ås\"\" og Øya\";1;*;*;-3;ingen data\r\n\
                        2200;Barnehage;1;7,0;;-1000;ingen mål\r\n";
        let bytes = render(&doc());
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        assert_eq!(String::from_utf8(bytes).unwrap(), expected);
    }

    #[test]
    fn small_negative_rounds_to_zero_without_minus() {
        // −0.04 % → one decimal → 0,0 (never "-0,0")
        assert_eq!(number(ColumnKind::Percent, -0.04), "0,0");
        assert_eq!(number(ColumnKind::Kroner, -0.4), "0");
    }
}
