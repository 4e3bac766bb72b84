//! Bytes to a table of text cells (files.md "Reading a file"), the same for every import
//! kind. XLSX (and the other workbook formats calamine reads) is recognised by content, not
//! by the file name; anything else is CSV: UTF-8 with or without BOM, else Windows-1252;
//! the delimiter (`;`, `,` or tab) detected from the header line; RFC 4180 quotes. Every
//! record keeps the line (CSV) or row (XLSX) it came from, so errors can point at it.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, Reader};

use super::LineError;

/// The header and the non-empty records of a file, cells trimmed.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    /// The line (or row) of the header: 1 unless empty lines come first.
    pub header_line: u64,
    pub records: Records,
    /// Lines that could not be read as records (too many fields); the rest still count.
    pub bad_lines: Vec<LineError>,
}

/// The records of a file, each as many cells as the header (missing trailing cells are
/// empty). The cells of all records are kept end to end in one text, not as a `String`
/// each: a file of a million lines would otherwise cost millions of allocations and
/// several times its own size in memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Records {
    width: usize,
    text: String,
    /// Where each cell ends in `text`, after a leading 0: record `k`'s cell `j` is
    /// `text[bounds[k * width + j]..bounds[k * width + j + 1]]`.
    bounds: Vec<usize>,
    lines: Vec<u64>,
}

impl Records {
    pub fn new(width: usize) -> Records {
        Records {
            width,
            text: String::new(),
            bounds: vec![0],
            lines: Vec::new(),
        }
    }

    /// Adds a record from its first `width` cells, padding with empty ones.
    pub fn push<'c>(&mut self, line: u64, cells: impl IntoIterator<Item = &'c str>) {
        let mut count = 0;
        for cell in cells.into_iter().take(self.width) {
            self.text.push_str(cell);
            self.bounds.push(self.text.len());
            count += 1;
        }
        for _ in count..self.width {
            self.bounds.push(self.text.len());
        }
        self.lines.push(line);
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn get(&self, index: usize) -> Option<Record<'_>> {
        let line = *self.lines.get(index)?;
        let start = index * self.width;
        Some(Record {
            line,
            text: &self.text,
            bounds: self.bounds.get(start..=start + self.width)?,
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = Record<'_>> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// One record of a `Records`.
#[derive(Clone, Copy, Debug)]
pub struct Record<'t> {
    /// 1-based line in the file (header = line 1), or the spreadsheet row number.
    pub line: u64,
    text: &'t str,
    bounds: &'t [usize],
}

impl<'t> Record<'t> {
    /// Cell `index`; `None` past the header's width.
    pub fn cell(&self, index: usize) -> Option<&'t str> {
        let (start, end) = (*self.bounds.get(index)?, *self.bounds.get(index + 1)?);
        self.text.get(start..end)
    }

    /// All the cells.
    #[cfg(test)]
    pub fn cells(&self) -> Vec<&'t str> {
        (0..self.bounds.len().saturating_sub(1))
            .filter_map(|i| self.cell(i))
            .collect()
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Old `.xls` files are OLE compound documents.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a file; an `Err` is about the file as a whole (`line` 0) or a line that makes the
/// rest unreadable (an unbalanced quote).
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Table, LineError> {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(OLE_MAGIC) {
        return read_workbook(file_name, bytes);
    }
    let text = decode(bytes)
        .ok_or_else(|| file_error(format!("filen «{file_name}» er verken CSV eller XLSX")))?;
    read_csv(file_name, &text)
}

fn file_error(message: String) -> LineError {
    LineError {
        line: 0,
        column: None,
        message,
    }
}

/// UTF-8 (BOM stripped) or Windows-1252 text; `None` for bytes that are not text at all.
fn decode(bytes: &[u8]) -> Option<Cow<'_, str>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    };
    // Text files hold no control characters but line breaks and tabs; NUL and the C1
    // controls (Windows-1252's unassigned bytes) mean binary data.
    let binary = text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{c}'));
    (!binary).then_some(text)
}

/// The delimiter of the header line: the most frequent of `;`, `,` and tab outside quotes;
/// `;` when there is none or a tie with it.
pub fn detect_delimiter(text: &str) -> u8 {
    let (mut semicolons, mut commas, mut tabs) = (0, 0, 0);
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if semicolons >= commas && semicolons >= tabs {
        b';'
    } else if tabs >= commas {
        b'\t'
    } else {
        b','
    }
}

/// The line of a quoted field that is never closed, if any (RFC 4180: a quote opens a
/// field only at its start; `""` inside is an escaped quote). The `csv` crate reads such a
/// field to the end of the file without complaint, silently swallowing every line after it.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<u64> {
    let delimiter = delimiter as char;
    let mut line = 1u64;
    let mut opened_at = None;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (opened_at, c) {
            (Some(_), '"') if chars.peek() == Some(&'"') => {
                chars.next();
            }
            (Some(_), '"') => {
                opened_at = None;
                at_field_start = false;
            }
            (Some(_), '\n') => line += 1,
            (Some(_), _) => {}
            (None, '"') if at_field_start => {
                opened_at = Some(line);
            }
            (None, '\n') => {
                line += 1;
                at_field_start = true;
            }
            (None, c) => at_field_start = c == delimiter,
        }
    }
    opened_at
}

fn read_csv(file_name: &str, text: &str) -> Result<Table, LineError> {
    let delimiter = detect_delimiter(text);
    if let Some(line) = unclosed_quote(text, delimiter) {
        return Err(LineError {
            line,
            column: None,
            message: "anførselstegnet som åpner et felt her, blir aldri lukket".to_string(),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut header_line = 1;
    let mut records: Option<Records> = None;
    let mut bad_lines = Vec::new();
    let mut record = csv::StringRecord::new();
    // The line of a record, from its byte offset: `csv`'s own line count misses blank
    // lines, and its offset points at the blank lines before the record, so skip those.
    let (mut counted_to, mut line) = (0usize, 1u64);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e
                    .position()
                    .map_or(0, |p| p.byte() as usize)
                    .min(text.len());
                let line = 1 + text.as_bytes()[..at]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count() as u64;
                return Err(LineError {
                    line,
                    column: None,
                    message: format!("linjen kan ikke leses: {e}"),
                });
            }
        }
        let mut start = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .clamp(counted_to, text.len());
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += text.as_bytes()[counted_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        counted_to = start;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match &mut records {
            None => {
                header = Some(
                    record
                        .iter()
                        .map(|c| c.trim().to_string())
                        .collect::<Vec<_>>(),
                );
                header_line = line;
                records = header.as_ref().map(|h| Records::new(h.len()));
            }
            Some(records) => match fits_header(record.iter().map(str::trim), records.width) {
                Ok(()) => records.push(line, record.iter().map(str::trim)),
                Err(mut message) => {
                    if delimiter == b',' {
                        message.push_str(
                                " (med komma som skilletegn må tall med desimalkomma stå i anførselstegn: \"7,3\")",
                            );
                    }
                    bad_lines.push(LineError {
                        line,
                        column: None,
                        message,
                    })
                }
            },
        }
    }
    let (Some(header), Some(records)) = (header, records) else {
        return Err(file_error(format!("filen «{file_name}» er tom")));
    };
    Ok(Table {
        header,
        header_line,
        records,
        bad_lines,
    })
}

/// Short records are padded with empty cells (hand-edited files drop trailing delimiters);
/// one with more non-empty fields than the header has columns is refused.
fn fits_header<'c>(
    cells: impl Iterator<Item = &'c str> + Clone,
    width: usize,
) -> Result<(), String> {
    if cells.clone().skip(width).all(str::is_empty) {
        return Ok(());
    }
    let used = cells
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .last()
        .map_or(0, |(i, _)| i + 1);
    Err(format!(
        "linjen har {used} felt, men overskriften har bare {width} kolonner"
    ))
}

fn read_workbook(file_name: &str, bytes: &[u8]) -> Result<Table, LineError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        file_error(format!(
            "filen «{file_name}» ser ut som et regneark, men kan ikke leses: {e}"
        ))
    };
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => return Err(unreadable(&e)),
        None => {
            return Err(file_error(format!(
                "regnearket «{file_name}» har ingen ark"
            )))
        }
    };
    let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
    let mut header: Option<Vec<String>> = None;
    let mut header_line = 1;
    let mut records: Option<Records> = None;
    let mut bad_lines = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let line = first_row + i as u64 + 1;
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match &mut records {
            None => {
                records = Some(Records::new(cells.len()));
                header = Some(cells);
                header_line = line;
            }
            Some(records) => match fits_header(cells.iter().map(String::as_str), records.width) {
                Ok(()) => records.push(line, cells.iter().map(String::as_str)),
                Err(message) => bad_lines.push(LineError {
                    line,
                    column: None,
                    message,
                }),
            },
        }
    }
    let (Some(header), Some(records)) = (header, records) else {
        return Err(file_error(format!(
            "det første arket i «{file_name}» er tomt"
        )));
    };
    Ok(Table {
        header,
        header_line,
        records,
        bad_lines,
    })
}

/// A cell as text. Numbers in Rust's shortest round-trip form (never an exponent), which
/// the number rules read back exactly; a date on the 1st with no time as `YYYY-MM`, since
/// that is what Excel makes of a typed `2026-03`; other dates as `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "sann" } else { "usann" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
            match (d, hh, mm, ss, ms) {
                (1, 0, 0, 0, 0) => format!("{y:04}-{m:02}"),
                (_, 0, 0, 0, 0) => format!("{y:04}-{m:02}-{d:02}"),
                _ => format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"),
            }
        }
        Data::DateTime(dt) => format!("{}", dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Error(e) => e.to_string(),
    }
}

/// An XLSX file whose first sheet `fill` writes, followed by a second sheet that must be
/// ignored.
#[cfg(test)]
pub(crate) fn xlsx(
    fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet) -> Result<(), rust_xlsxwriter::XlsxError>,
) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let result = fill(book.add_worksheet())
        .and_then(|()| {
            book.add_worksheet()
                .write_string(0, 0, "annet ark")
                .map(|_| ())
        })
        .and_then(|()| book.save_to_buffer());
    result.unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        read("t.csv", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn cells(t: &Table, record: usize) -> Vec<&str> {
        t.records.get(record).map(|r| r.cells()).unwrap_or_default()
    }

    fn line(t: &Table, record: usize) -> u64 {
        t.records.get(record).map_or(0, |r| r.line)
    }

    #[test]
    fn semicolon_comma_and_tab_are_detected_from_the_header() {
        assert_eq!(detect_delimiter("a;b;c\n1,2;3;4"), b';');
        assert_eq!(detect_delimiter("a,b,c\n1;2"), b',');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        // quoted delimiters do not count: 1 comma outside, 2 semicolons inside quotes
        assert_eq!(detect_delimiter("\"x;y;z\",b"), b',');
        assert_eq!(detect_delimiter("kode"), b';');
    }

    #[test]
    fn quoted_fields_keep_delimiters_quotes_and_line_breaks() {
        let t = table(
            "kode;navn\n1;\"Helse; omsorg\"\n2;\"Sa \"\"Bakken\"\"\"\n3;\"to\nlinjer\"\n4;x\n",
        );
        assert_eq!(t.header, vec!["kode", "navn"]);
        let cells: Vec<&str> = t.records.iter().filter_map(|r| r.cell(1)).collect();
        assert_eq!(
            cells,
            vec!["Helse; omsorg", "Sa \"Bakken\"", "to\nlinjer", "x"]
        );
        // the record after the two-line field starts on line 6
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 6]);
    }

    #[test]
    fn empty_lines_and_lines_of_only_delimiters_are_skipped_but_counted() {
        let t = table("\u{feff}kode;navn\r\n\r\n;;\r\n1;a\r\n ; \r\n2;b\r\n");
        assert_eq!(t.header, vec!["kode", "navn"]);
        let lines: Vec<(u64, &str)> = t
            .records
            .iter()
            .map(|r| (r.line, r.cell(0).unwrap_or_default()))
            .collect();
        assert_eq!(lines, vec![(4, "1"), (6, "2")]);
    }

    #[test]
    fn bom_is_stripped_from_the_first_column_name() {
        let t = table("\u{feff}kode,navn\n1,Åmot\n");
        assert_eq!(t.header[0], "kode");
        assert_eq!(cells(&t, 0), vec!["1", "Åmot"]);
    }

    #[test]
    fn windows_1252_is_decoded() {
        // Å = 0xC5, ø = 0xF8, æ = 0xE6 in Windows-1252
        let bytes = b"kode;navn\n1;\xC5mot\n2;\xD8yer\n3;V\xE6r\xF8y\n";
        let t = read("t.csv", bytes).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = t.records.iter().filter_map(|r| r.cell(1)).collect();
        assert_eq!(names, vec!["Åmot", "Øyer", "Værøy"]);
    }

    #[test]
    fn the_windows_1252_example_reads_like_the_utf8_one() {
        let read_example = |name: &str| {
            let path = format!(
                "{}/tests/fixtures/examples/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            read(name, &bytes)
        };
        assert_eq!(
            read_example("enheter-windows-1252.csv"),
            read_example("enheter.csv")
        );
    }

    #[test]
    fn short_records_are_padded_and_long_ones_refused_naming_the_line() {
        let t = table("a;b;c\n1\n1;2;3;4\n1;2;3;;\n");
        assert_eq!(t.records.len(), 2);
        assert_eq!(cells(&t, 0), vec!["1", "", ""]);
        assert_eq!(line(&t, 1), 4);
        assert_eq!(t.bad_lines.len(), 1);
        assert_eq!(t.bad_lines[0].line, 3);
        assert_eq!(
            t.bad_lines[0].message,
            "linjen har 4 felt, men overskriften har bare 3 kolonner"
        );
    }

    #[test]
    fn a_decimal_comma_in_a_comma_separated_file_gets_a_hint() {
        let t = table("kode,verdi\n1,7,3\n");
        assert_eq!(
            t.bad_lines[0].message,
            "linjen har 3 felt, men overskriften har bare 2 kolonner (med komma som skilletegn må tall med \
             desimalkomma stå i anførselstegn: \"7,3\")"
        );
    }

    #[test]
    fn an_unbalanced_quote_is_refused_naming_the_line_it_opens() {
        let e = read("t.csv", b"a;b\n1;2\n3;\"Helse; omsorg\n4;5\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("aldri lukket"), "{}", e.message);
    }

    #[test]
    fn binary_garbage_is_neither_csv_nor_xlsx() {
        let e = read("bilde.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap_err();
        assert_eq!(e.message, "filen «bilde.png» er verken CSV eller XLSX");
        assert_eq!(e.line, 0);
    }

    #[test]
    fn a_broken_zip_is_an_unreadable_spreadsheet() {
        let e = read("x.xlsx", b"PK\x03\x04garbage").unwrap_err();
        assert!(
            e.message
                .starts_with("filen «x.xlsx» ser ut som et regneark"),
            "{}",
            e.message
        );
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert!(read("t.csv", b"").is_err());
        assert!(read("t.csv", b"\n;;\n\n").is_err());
    }

    #[test]
    fn xlsx_first_sheet_numbers_text_and_dates_with_row_numbers() {
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        let bytes = xlsx(|sheet| {
            sheet.write_string(0, 0, "kode")?;
            sheet.write_string(0, 1, "verdi")?;
            sheet.write_string(0, 2, "periode")?;
            sheet.write_number(1, 0, 3110.0)?;
            sheet.write_number(1, 1, 7.3)?;
            sheet.write_datetime_with_format(
                1,
                2,
                rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 1)?,
                &date,
            )?;
            // row 3 (index 2) is empty
            sheet.write_string(3, 0, " 3120 ")?;
            sheet.write_string(3, 1, "1 234,5")?;
            sheet.write_number(3, 2, 0.1 + 0.2)?;
            Ok(())
        });
        let t = read("t.xlsx", &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.header, vec!["kode", "verdi", "periode"]);
        assert_eq!(t.records.len(), 2);
        assert_eq!(line(&t, 0), 2);
        assert_eq!(cells(&t, 0), vec!["3110", "7.3", "2026-03"]);
        assert_eq!(line(&t, 1), 4);
        assert_eq!(cells(&t, 1), vec!["3120", "1 234,5", "0.30000000000000004"]);
    }
}
