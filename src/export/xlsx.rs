//! XLSX: real numeric cells with number formats, a bold frozen header on sheet 1, and a
//! second sheet with the title, unit, period, time of export and notes.
//!
//! Numbers are written unrounded with a number format (`0.0`, `#,##0`, `0`), so Excel shows
//! what the CSV shows but sums and sorts the exact figures. Excel applies the reader's own
//! thousands separator and decimal sign to `#,##0` and `0.0`, so a Norwegian Excel shows
//! `1 234 567` and `7,3`. A `Cell::Marked` stays a number; its mark is literal text in the
//! number format (`#,##0" b"`).

use rust_xlsxwriter::{
    Format as CellFormat, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{status_text, Cell, ColumnKind, Document};
use crate::error::{Error, Result};

/// The second sheet's name.
pub const ABOUT_SHEET: &str = "Om rapporten";

pub fn render(doc: &Document) -> Result<Vec<u8>> {
    build(doc).map_err(|e| Error::Render(format!("kunne ikke lage XLSX-filen: {e}")))
}

fn build(doc: &Document) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let table = workbook.add_worksheet();
    table.set_name(sheet_name(&doc.sheet))?;
    write_table(table, doc)?;
    let about = workbook.add_worksheet();
    about.set_name(ABOUT_SHEET)?;
    write_about(about, doc)?;
    workbook.save_to_buffer()
}

fn write_table(sheet: &mut Worksheet, doc: &Document) -> std::result::Result<(), XlsxError> {
    let header = CellFormat::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border_bottom(FormatBorder::Thin);
    // Text-like headers stay left, numeric ones right, above their figures.
    let header_right = header.clone().set_align(FormatAlign::Right);
    let mut widths: Vec<usize> = Vec::with_capacity(doc.columns.len());
    for (c, column) in doc.columns.iter().enumerate() {
        let format = if is_numeric(column.kind) {
            &header_right
        } else {
            &header
        };
        sheet.write_string_with_format(0, col(c), &column.header, format)?;
        // A long header wraps over two lines rather than widening its column to its full
        // length; 12 characters is room for the figures themselves.
        widths.push(column.header.chars().count().div_ceil(2).max(8));
    }
    sheet.set_freeze_panes(1, 0)?;

    let masked = CellFormat::new().set_align(FormatAlign::Right);
    for (r, row) in doc.rows.iter().enumerate() {
        let at = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, column) in doc.columns.iter().enumerate() {
            let cell = row.cells.get(c).unwrap_or(&Cell::Empty);
            let depth = u8::try_from(row.depth.min(15)).unwrap_or(15);
            let width = match cell {
                Cell::Empty => 0,
                Cell::Text(text) => {
                    if column.kind == ColumnKind::Name {
                        let indented = CellFormat::new().set_indent(depth);
                        sheet.write_string_with_format(at, col(c), text, &indented)?;
                        // Excel indents about three characters per level.
                        text.chars().count() + 3 * depth as usize
                    } else {
                        sheet.write_string(at, col(c), text)?;
                        text.chars().count()
                    }
                }
                Cell::Number(value) => {
                    let format = CellFormat::new().set_num_format(number_format(column.kind));
                    sheet.write_number_with_format(at, col(c), *value, &format)?;
                    figure_width(column.kind, *value)
                }
                Cell::Marked(value, mark) => {
                    let mark = mark.replace('"', "");
                    let format = CellFormat::new()
                        .set_num_format(format!("{}\" {mark}\"", number_format(column.kind)));
                    sheet.write_number_with_format(at, col(c), *value, &format)?;
                    figure_width(column.kind, *value) + 1 + mark.chars().count()
                }
                Cell::Masked => {
                    sheet.write_string_with_format(at, col(c), "*", &masked)?;
                    1
                }
                Cell::Status(status) => {
                    let text = status_text(*status);
                    sheet.write_string(at, col(c), &text)?;
                    text.chars().count()
                }
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width);
            }
        }
    }
    for (c, width) in widths.iter().enumerate() {
        sheet.set_column_width(col(c), (*width).min(60) as f64 + 2.0)?;
    }
    Ok(())
}

fn write_about(sheet: &mut Worksheet, doc: &Document) -> std::result::Result<(), XlsxError> {
    let title = CellFormat::new().set_bold().set_font_size(14);
    let bold = CellFormat::new().set_bold();
    let paragraph = CellFormat::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 100)?;
    sheet.write_string_with_format(0, 0, &doc.title, &title)?;
    let facts = [
        ("Enhet", &doc.unit),
        ("Periode", &doc.period),
        ("Eksportert", &doc.exported_at),
    ];
    let mut row: u32 = 2;
    for (label, value) in facts {
        sheet.write_string_with_format(row, 0, label, &bold)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
    }
    for note in &doc.notes {
        row += 1;
        sheet.write_string_with_format(row, 0, &note.heading, &bold)?;
        row += 1;
        for text in &note.paragraphs {
            // The paragraph spans both columns so it wraps over the sheet's width.
            sheet.merge_range(row, 0, row, 1, text, &paragraph)?;
            // Merged cells do not grow with their text: give the row room for its lines
            // (about 110 characters a line at this width, 15 points a line).
            let lines = text.chars().count().div_ceil(110).max(1);
            sheet.set_row_height(row, 15.0 * lines as f64)?;
            row += 1;
        }
    }
    Ok(())
}

fn is_numeric(kind: ColumnKind) -> bool {
    matches!(
        kind,
        ColumnKind::Integer
            | ColumnKind::Days
            | ColumnKind::OneDecimal
            | ColumnKind::Percent
            | ColumnKind::Change
            | ColumnKind::Kroner
    )
}

fn number_format(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Days | ColumnKind::OneDecimal | ColumnKind::Percent => "0.0",
        // Signed as on screen: `+0,3`, `−0,4` (a real minus), `0,0`.
        ColumnKind::Change => "+0.0;\"−\"0.0;0.0",
        ColumnKind::Kroner => "#,##0",
        ColumnKind::Integer => "0",
        ColumnKind::Text | ColumnKind::Name | ColumnKind::Status => "General",
    }
}

/// Roughly how many characters a figure takes on screen, for the column's width.
fn figure_width(kind: ColumnKind, value: f64) -> usize {
    let digits = format!("{:.0}", value.abs()).len();
    let sign = usize::from(value < 0.0);
    match kind {
        ColumnKind::Days | ColumnKind::OneDecimal | ColumnKind::Percent => digits + 2 + sign,
        ColumnKind::Change => digits + 3,
        ColumnKind::Kroner => digits + (digits - 1) / 3 + sign,
        _ => digits + sign,
    }
}

/// Excel allows at most 31 characters and none of `[]:*?/\` in a sheet's name.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    let clean = clean.trim_matches('\'').trim().to_string();
    if clean.is_empty() {
        "Rapport".to_string()
    } else {
        clean
    }
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::engine::Status;
    use crate::export::{Column, Note, Row};

    fn doc() -> Document {
        let column = |header: &str, kind| Column {
            header: header.to_string(),
            kind,
        };
        Document {
            title: "Økonomirapport".to_string(),
            sheet: "Økonomi".to_string(),
            unit: "2000 Oppvekst".to_string(),
            period: "2. tertial 2026 (2026-T2)".to_string(),
            exported_at: "23.11.2026 kl. 14:05".to_string(),
            columns: vec![
                column("Ansvar", ColumnKind::Text),
                column("Enhet", ColumnKind::Name),
                column("Nivå", ColumnKind::Integer),
                column("Regnskap hittil", ColumnKind::Kroner),
                column("Avvik %", ColumnKind::Percent),
                column("Prognose", ColumnKind::Kroner),
                column("Status", ColumnKind::Status),
            ],
            rows: vec![
                Row {
                    depth: 0,
                    cells: vec![
                        Cell::Text("2000".into()),
                        Cell::Text("Oppvekst".into()),
                        Cell::Number(0.0),
                        Cell::Number(1_234_567.25),
                        Cell::Number(-1.75),
                        Cell::Number(3_000_000.0),
                        Cell::Status(Status::Red),
                    ],
                },
                Row {
                    depth: 1,
                    cells: vec![
                        Cell::Text("2100".into()),
                        Cell::Text("Åsen skole".into()),
                        Cell::Number(1.0),
                        Cell::Masked,
                        Cell::Empty,
                        Cell::Marked(2_500_000.0, "b".into()),
                        Cell::Status(Status::Green),
                    ],
                },
            ],
            groups: Vec::new(),
            notes: vec![Note {
                heading: "Definisjoner".to_string(),
                paragraphs: vec!["Avvik kr = budsjett hittil − regnskap hittil.".to_string()],
            }],
        }
    }

    #[test]
    fn xlsx_reads_back_with_numeric_cells_header_and_about_sheet() {
        let bytes = render(&doc()).unwrap();
        let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            vec!["Økonomi".to_string(), ABOUT_SHEET.to_string()]
        );

        let table = book.worksheet_range("Økonomi").unwrap();
        let header: Vec<String> = (0..7)
            .map(|c| {
                table
                    .get_value((0, c))
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            header,
            [
                "Ansvar",
                "Enhet",
                "Nivå",
                "Regnskap hittil",
                "Avvik %",
                "Prognose",
                "Status"
            ]
        );
        // Numbers are real floats, unrounded (the format rounds only the display).
        assert_eq!(table.get_value((1, 3)), Some(&Data::Float(1_234_567.25)));
        assert_eq!(table.get_value((1, 4)), Some(&Data::Float(-1.75)));
        assert_eq!(table.get_value((1, 2)), Some(&Data::Float(0.0)));
        // A marked number is still a number.
        assert_eq!(table.get_value((2, 5)), Some(&Data::Float(2_500_000.0)));
        assert_eq!(table.get_value((2, 3)), Some(&Data::String("*".into())));
        // The name is not padded with spaces: the indent is a cell format.
        assert_eq!(
            table.get_value((2, 1)),
            Some(&Data::String("Åsen skole".into()))
        );
        assert_eq!(table.get_value((1, 6)), Some(&Data::String("■ rød".into())));
        assert_eq!(
            table.get_value((2, 6)),
            Some(&Data::String("● grønn".into()))
        );

        let about = book.worksheet_range(ABOUT_SHEET).unwrap();
        let text: Vec<String> = about
            .rows()
            .flat_map(|r| r.iter().map(|d| d.to_string()))
            .filter(|s| !s.is_empty())
            .collect();
        for expected in [
            "Økonomirapport",
            "Enhet",
            "2000 Oppvekst",
            "Periode",
            "2. tertial 2026 (2026-T2)",
            "Eksportert",
            "23.11.2026 kl. 14:05",
            "Definisjoner",
            "Avvik kr = budsjett hittil − regnskap hittil.",
        ] {
            assert!(
                text.contains(&expected.to_string()),
                "{expected} mangler i {text:?}"
            );
        }
    }

    #[test]
    fn xlsx_header_is_bold_names_indented_numbers_formatted() {
        let bytes = render(&doc()).unwrap();
        let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
        let styles = book.worksheet_style("Økonomi").unwrap();
        let style = |r: u32, c: u32| styles.get((r, c)).cloned().unwrap_or_default();
        let bold = |r, c| style(r, c).font.map(|f| f.is_bold()).unwrap_or(false);
        let indent = |r, c| style(r, c).alignment.and_then(|a| a.indent).unwrap_or(0);
        let code = |r, c| {
            style(r, c)
                .number_format
                .map(|n| n.format_code)
                .unwrap_or_default()
        };
        assert!(bold(0, 0) && bold(0, 6), "the header row is bold");
        assert!(!bold(1, 0), "the figures are not bold");
        // Depth 0 is not indented, depth 1 one level.
        assert_eq!(indent(1, 1), 0);
        assert_eq!(indent(2, 1), 1);
        assert_eq!(code(1, 3), "#,##0");
        assert_eq!(code(1, 4), "0.0");
        assert_eq!(code(1, 2), "0");
        assert_eq!(code(2, 5), "#,##0\" b\"");
    }

    #[test]
    fn a_change_column_stays_a_number_signed_by_its_format() {
        let mut d = doc();
        d.columns[4].kind = ColumnKind::Change;
        let bytes = render(&d).unwrap();
        let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
        let styles = book.worksheet_style("Økonomi").unwrap();
        let code = styles
            .get((1, 4))
            .cloned()
            .unwrap_or_default()
            .number_format
            .map(|n| n.format_code)
            .unwrap_or_default();
        // `+0,3` and `−0,4` (a real minus) as the app shows them, `0,0` for zero.
        assert_eq!(code, "+0.0;\"−\"0.0;0.0");
        let table = book.worksheet_range("Økonomi").unwrap();
        assert!(matches!(table.get_value((1, 4)), Some(Data::Float(_))));
    }

    #[test]
    fn xlsx_freezes_the_header_row() {
        // calamine does not read panes: look at the sheet's XML with `unzip`.
        let Some(xml) =
            crate::export::test_tools::unzip(&render(&doc()).unwrap(), "xl/worksheets/sheet1.xml")
        else {
            return;
        };
        assert!(
            xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "{xml}"
        );
    }

    #[test]
    fn sheet_names_are_cut_to_excels_rules() {
        assert_eq!(
            sheet_name("Sykefravær 2026-K3: alle [enheter]"),
            "Sykefravær 2026-K3 alle enheter"
        );
        assert_eq!(sheet_name("???"), "Rapport");
    }
}
