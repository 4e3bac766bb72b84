//! Bytes to a table of text cells (files.md "Reading a file"), the same for every import
//! kind. XLSX is recognised by content, not by the file name; anything else is CSV: UTF-8
//! with or without BOM, else Windows-1252; the delimiter (`;`, `,` or tab) detected from the
//! header line; RFC 4180 quotes. Every record keeps the line (CSV) or row (XLSX) it came
//! from, so errors can point at it. Every cell is NFC-normalised on the way in.
//!
//! Hostile files cost bounded memory and time. A record stores only the cells up to its
//! last non-empty one (a wide header does not multiply), and XLSX sheets are read cell by
//! cell (calamine's cells reader), never as a rectangle from A1 to the farthest cell: a
//! single cell at `XFD1048576` is one cell. Before calamine sees a workbook, its ZIP is
//! checked: the inflated size of all parts and of the shared strings, the longest stretch
//! of XML without a tag (what the XML reader must buffer at once), and a shared-string
//! count that cannot be true (calamine reserves memory for it). Excel's own limits bound
//! the cells: 1 048 576 rows, 16 384 columns. See docs/decisions.md "Hostile input".

use std::borrow::Cow;
use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};

use super::problems::MAX_LISTED;
use super::LineError;
use crate::text::nfc;

/// The header and the non-empty records of a file, cells trimmed.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    /// The line (or row) of the header: 1 unless empty lines come first.
    pub header_line: u64,
    pub records: Records,
    /// Lines that could not be read as records (too many fields, an error cell); the rest
    /// still count. The first `MAX_LISTED` are kept; `more_bad_lines` counts the others.
    pub bad_lines: Vec<LineError>,
    pub more_bad_lines: u64,
}

impl Table {
    fn bad_line(&mut self, error: LineError) {
        push_bad_line(&mut self.bad_lines, &mut self.more_bad_lines, error);
    }

    /// All the bad lines, kept or only counted.
    pub fn bad_line_count(&self) -> u64 {
        self.bad_lines.len() as u64 + self.more_bad_lines
    }
}

fn push_bad_line(kept: &mut Vec<LineError>, more: &mut u64, error: LineError) {
    if kept.len() < MAX_LISTED {
        kept.push(error);
    } else {
        *more += 1;
    }
}

/// The records of a file. The cells of all records are kept end to end in one text, not as
/// a `String` each: a file of a million lines would otherwise cost millions of allocations
/// and several times its own size in memory. A record keeps its cells up to the last
/// non-empty one; the cells after it, up to the header's width, read as empty.
#[derive(Clone, Debug, PartialEq)]
pub struct Records {
    width: usize,
    text: String,
    /// Where each stored cell ends in `text`; a cell starts where the one before it ends.
    ends: Vec<u32>,
    /// Per record: its line and the index in `ends` of its first cell.
    lines: Vec<u32>,
    firsts: Vec<u32>,
}

/// More text or cells than 32-bit offsets hold: files of gigabytes.
const TOO_LARGE: &str = "filen er for stor til å leses (mer enn 4 GB tekst eller 4 milliarder \
                         celler); del den opp i flere filer";

impl Records {
    pub fn new(width: usize) -> Records {
        Records {
            width,
            text: String::new(),
            ends: Vec::new(),
            lines: Vec::new(),
            firsts: Vec::new(),
        }
    }

    /// Adds a record from its first `width` cells (NFC-normalised); trailing empty cells
    /// are not stored.
    pub fn push<S: AsRef<str>>(
        &mut self,
        line: u64,
        cells: impl IntoIterator<Item = S>,
    ) -> Result<(), String> {
        let first = self.ends.len();
        let line = u32::try_from(line).map_err(|_| TOO_LARGE.to_string())?;
        let first_u32 = u32::try_from(first).map_err(|_| TOO_LARGE.to_string())?;
        let mut kept = first;
        for cell in cells.into_iter().take(self.width) {
            let cell = cell.as_ref();
            self.text.push_str(&nfc(cell));
            let end = u32::try_from(self.text.len()).map_err(|_| TOO_LARGE.to_string())?;
            self.ends.push(end);
            if !cell.is_empty() {
                kept = self.ends.len();
            }
        }
        self.ends.truncate(kept);
        let end = self.ends.last().map_or(0, |&e| e as usize);
        self.text.truncate(end);
        self.lines.push(line);
        self.firsts.push(first_u32);
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Stored cells and bytes of text, for the limits on a workbook.
    fn size(&self) -> (usize, usize) {
        (self.ends.len(), self.text.len())
    }

    pub fn get(&self, index: usize) -> Option<Record<'_>> {
        let line = u64::from(*self.lines.get(index)?);
        let first = *self.firsts.get(index)? as usize;
        let last = match self.firsts.get(index + 1) {
            Some(&next) => next as usize,
            None => self.ends.len(),
        };
        let start = match first.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        Some(Record {
            line,
            text: &self.text,
            start,
            ends: self.ends.get(first..last)?,
            width: self.width,
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = Record<'_>> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// These records without those on `lines`.
    pub fn without(&self, lines: &std::collections::HashSet<u64>) -> Records {
        let mut kept = Records::new(self.width);
        for record in self.iter().filter(|r| !lines.contains(&r.line)) {
            let cells = (0..record.ends.len()).filter_map(|i| record.cell(i));
            // The records fitted before; they fit again.
            let _ = kept.push(record.line, cells);
        }
        kept
    }
}

/// One record of a `Records`.
#[derive(Clone, Copy, Debug)]
pub struct Record<'t> {
    /// 1-based line in the file (header = line 1), or the spreadsheet row number.
    pub line: u64,
    text: &'t str,
    /// Where the first cell starts in `text`.
    start: u32,
    ends: &'t [u32],
    width: usize,
}

impl<'t> Record<'t> {
    /// Cell `index`; `None` past the header's width.
    pub fn cell(&self, index: usize) -> Option<&'t str> {
        if index >= self.width {
            return None;
        }
        let Some(&end) = self.ends.get(index) else {
            return Some("");
        };
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => self.start,
        };
        self.text.get(start as usize..end as usize)
    }

    /// All the cells.
    #[cfg(test)]
    pub fn cells(&self) -> Vec<&'t str> {
        (0..self.width).filter_map(|i| self.cell(i)).collect()
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Old `.xls` files and password-protected `.xlsx` files are OLE compound documents.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The most columns a header may have: Excel's own limit (column XFD).
pub const MAX_COLUMNS: usize = 16_384;
/// Excel's limits: rows 1–1 048 576, columns A–XFD.
const XLSX_ROWS: u32 = 1_048_576;
const XLSX_COLUMNS: u32 = 16_384;
/// The inflated size of all parts of a workbook together, and of its shared strings.
pub const MAX_INFLATED: u64 = 256 << 20;
pub const MAX_SHARED_STRINGS: u64 = 32 << 20;
/// The longest stretch of a part without a `<`: the most the XML reader buffers at once.
pub const MAX_XML_RUN: u64 = 1 << 20;
/// The cells (empty ones between others counted) and the bytes of cell text a sheet may
/// give: a million-line import has about five million cells and 40 MB of text.
pub const MAX_SHEET_CELLS: usize = 8_000_000;
pub const MAX_SHEET_TEXT: usize = 64 << 20;

/// Reads a file; an `Err` is about the file as a whole (`line` 0) or a line that makes the
/// rest unreadable (an unbalanced quote).
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Table, LineError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(file_error(format!(
            "filen «{file_name}» er en gammel Excel-fil (.xls) eller en passordbeskyttet \
             Excel-fil; Målkart leser .xlsx uten passord og CSV: åpne filen i Excel og lagre \
             den som «Excel-arbeidsbok (.xlsx)» uten passord, eller som CSV"
        )));
    }
    if bytes.starts_with(ZIP_MAGIC) {
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
    let (mut bad_lines, mut more_bad_lines) = (Vec::new(), 0u64);
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
                let line = 1 + text
                    .as_bytes()
                    .get(..at)
                    .unwrap_or_default()
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count() as u64;
                return Err(LineError {
                    line,
                    column: None,
                    message: "linjen kan ikke leses som CSV; kontroller anførselstegnene og \
                              skilletegnene på linjen"
                        .to_string(),
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
        line += text
            .as_bytes()
            .get(counted_to..start)
            .unwrap_or_default()
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        counted_to = start;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match &mut records {
            None => {
                if record.len() > MAX_COLUMNS {
                    return Err(too_many_columns(line, record.len()));
                }
                let names: Vec<String> =
                    record.iter().map(|c| nfc(c.trim()).into_owned()).collect();
                records = Some(Records::new(names.len()));
                header = Some(names);
                header_line = line;
            }
            Some(records) => match fits_header(record.iter().map(str::trim), records.width) {
                Ok(()) => records
                    .push(line, record.iter().map(str::trim))
                    .map_err(|message| LineError {
                        line,
                        column: None,
                        message,
                    })?,
                Err(mut message) => {
                    if delimiter == b',' {
                        message.push_str(
                                " (med komma som skilletegn må tall med desimalkomma stå i anførselstegn: \"7,3\")",
                            );
                    }
                    push_bad_line(
                        &mut bad_lines,
                        &mut more_bad_lines,
                        LineError {
                            line,
                            column: None,
                            message,
                        },
                    )
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
        more_bad_lines,
    })
}

fn too_many_columns(line: u64, columns: usize) -> LineError {
    LineError {
        line,
        column: None,
        message: format!(
            "overskriften har {columns} kolonner; Målkart leser høyst {MAX_COLUMNS} (som Excel)"
        ),
    }
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

/// `filen «x.xlsx» er ikke en gyldig Excel-fil (.xlsx): …` — what calamine or the ZIP
/// reader found, said in Norwegian (their messages are English and technical).
fn not_xlsx(file_name: &str, what: &str) -> LineError {
    file_error(format!(
        "filen «{file_name}» er ikke en gyldig Excel-fil (.xlsx): {what}; åpne den i Excel og \
         lagre den på nytt som «Excel-arbeidsbok (.xlsx)», eller som CSV"
    ))
}

fn xlsx_error_text(e: &calamine::XlsxError) -> &'static str {
    use calamine::XlsxError as E;
    match e {
        E::Password => "filen er passordbeskyttet",
        E::Zip(_) | E::Io(_) => "ZIP-innholdet er skadet eller ufullstendig",
        E::Xml(_) | E::XmlAttr(_) | E::XmlEof(_) | E::UnexpectedNode(_) | E::Encoding(_) => {
            "XML-innholdet i arket er skadet"
        }
        E::FileNotFound(_) | E::RelationshipNotFound | E::WorksheetNotFound(_) => {
            "den mangler deler en arbeidsbok skal ha"
        }
        E::NotAWorksheet(_) => "det første arket er ikke et regneark med celler",
        E::Alphanumeric(_)
        | E::NumericColumn(_)
        | E::RangeWithoutColumnComponent
        | E::RangeWithoutRowComponent
        | E::ColumnNumberOverflow
        | E::RowNumberOverflow
        | E::DimensionCount(_) => "en cellereferanse er ugyldig",
        _ => "en celle har en verdi som ikke kan leses",
    }
}

/// Checks a workbook's ZIP before calamine reads it: the parts' inflated sizes (the ZIP
/// reader stops at the declared size, so the declared sizes bound what is read), the
/// longest stretch without a tag in any part, and the shared strings' declared count.
fn check_package(file_name: &str, bytes: &[u8]) -> Result<(), LineError> {
    let broken = |what: &str| not_xlsx(file_name, what);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| broken("ZIP-innholdet er skadet eller ufullstendig"))?;
    let mut parts = Vec::with_capacity(zip.len());
    let mut total = 0u64;
    let mut open_document = false;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|_| broken("ZIP-innholdet er skadet eller ufullstendig"))?;
        let name = entry
            .name()
            .map_err(|_| broken("ZIP-innholdet er skadet eller ufullstendig"))?
            .into_owned();
        let size = entry.size();
        total = total.saturating_add(size);
        open_document |= name == "content.xml";
        let shared = name.to_ascii_lowercase().ends_with("sharedstrings.xml");
        if shared && size > MAX_SHARED_STRINGS {
            return Err(file_error(format!(
                "filen «{file_name}» har {} MB tekst i tabellen over delte tekster når den pakkes \
                 ut; Målkart leser høyst {} MB; del filen opp, eller lagre den som CSV",
                size >> 20,
                MAX_SHARED_STRINGS >> 20
            )));
        }
        parts.push((i, shared, size));
    }
    if total > MAX_INFLATED {
        return Err(file_error(format!(
            "filen «{file_name}» blir {} MB når den pakkes ut; Målkart leser regneark på høyst \
             {} MB utpakket (filen kan være en «ZIP-bombe»); del filen opp, eller lagre den \
             som CSV",
            total >> 20,
            MAX_INFLATED >> 20
        )));
    }
    if open_document {
        return Err(file_error(format!(
            "filen «{file_name}» er et OpenDocument-regneark (.ods); Målkart leser .xlsx og CSV: \
             lagre den som «Excel 2007-365 (.xlsx)» eller som CSV"
        )));
    }
    let mut chunk = vec![0u8; 64 << 10];
    for &(i, shared, size) in &parts {
        let mut part = zip
            .by_index(i)
            .map_err(|_| broken("ZIP-innholdet er skadet eller ufullstendig"))?;
        // The longest stretch without `<`: a text or tag the XML reader holds at once.
        let mut run = 0u64;
        loop {
            let n = match part.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return Err(broken("ZIP-innholdet er skadet eller ufullstendig")),
            };
            for &b in chunk.get(..n).unwrap_or_default() {
                run = if b == b'<' { 0 } else { run + 1 };
                if run > MAX_XML_RUN {
                    return Err(file_error(format!(
                        "filen «{file_name}» har en celle eller en del med mer enn {} MB tekst i \
                         ett stykke; Målkart leser høyst {} MB per celle",
                        MAX_XML_RUN >> 20,
                        MAX_XML_RUN >> 20
                    )));
                }
            }
        }
        drop(part);
        if shared {
            check_shared_string_count(&mut zip, i, size).map_err(broken)?;
        }
    }
    Ok(())
}

/// calamine reserves room for the `uniqueCount` the shared strings declare: a count that
/// cannot fit in the part (every string takes at least `<si><t/></si>`, 13 bytes; 8 leaves
/// room for odd writers) is a lie that would allocate gigabytes.
fn check_shared_string_count(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
    size: u64,
) -> Result<(), &'static str> {
    use quick_xml::events::Event;
    const DAMAGED: &str = "tabellen over delte tekster er skadet";
    let part = zip.by_index(index).map_err(|_| DAMAGED)?;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                for attr in e.attributes().flatten() {
                    if attr.key.as_ref() != "uniqueCount" {
                        continue;
                    }
                    let digits: &[u8] = attr.value.as_ref().as_ref();
                    if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
                        let count = digits.iter().fold(0u64, |n, d| {
                            n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
                        });
                        if count > size / 8 {
                            return Err(DAMAGED);
                        }
                    }
                }
                return Ok(());
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            // calamine will refuse it in its own words.
            Err(_) => return Ok(()),
        }
    }
}

/// `C5` for zero-based (row 4, column 2).
fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col as u64 + 1;
    while n > 0 {
        let d = (n - 1) % 26;
        letters.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row as u64 + 1)
}

/// The cells of one row as they arrive from the sheet.
struct Row {
    row: u32,
    cells: Vec<(u32, String)>,
}

fn read_workbook(file_name: &str, bytes: &[u8]) -> Result<Table, LineError> {
    check_package(file_name, bytes)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| not_xlsx(file_name, xlsx_error_text(&e)))?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Err(file_error(format!(
            "regnearket «{file_name}» har ingen ark"
        )));
    };
    let mut reader = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| not_xlsx(file_name, xlsx_error_text(&e)))?;
    let mut table = Table {
        header: Vec::new(),
        header_line: 1,
        records: Records::new(XLSX_COLUMNS as usize),
        bad_lines: Vec::new(),
        more_bad_lines: 0,
    };
    let mut has_header = false;
    let mut width = 0usize;
    let mut current: Option<Row> = None;
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => return Err(not_xlsx(file_name, xlsx_error_text(&e))),
        };
        let (row, col) = cell.get_position();
        if row >= XLSX_ROWS || col >= XLSX_COLUMNS {
            return Err(not_xlsx(
                file_name,
                &format!(
                    "cellen {} ligger utenfor det et Excel-ark kan ha (1 048 576 rader, \
                     kolonne A–XFD)",
                    cell_ref(row, col)
                ),
            ));
        }
        let text = match cell.get_value() {
            DataRef::Error(e) => {
                let column = if has_header {
                    table
                        .header
                        .get(col as usize)
                        .filter(|h| !h.is_empty())
                        .cloned()
                } else {
                    None
                };
                table.bad_line(LineError {
                    line: u64::from(row) + 1,
                    column,
                    message: format!(
                        "cellen {} inneholder feilverdien {e} fra en formel; rett formelen \
                         eller skriv inn verdien i Excel, og importer på nytt",
                        cell_ref(row, col)
                    ),
                });
                continue;
            }
            value => cell_text(value),
        };
        if text.is_empty() {
            continue;
        }
        match &mut current {
            Some(r) if r.row == row => r.cells.push((col, text)),
            Some(r) if r.row > row => {
                return Err(not_xlsx(
                    file_name,
                    &format!(
                        "rad {} står etter rad {} i arket (radene skal stå i rekkefølge)",
                        u64::from(row) + 1,
                        u64::from(r.row) + 1
                    ),
                ))
            }
            _ => {
                if let Some(done) = current.take() {
                    finish_row(file_name, &mut table, &mut has_header, &mut width, done)?;
                }
                current = Some(Row {
                    row,
                    cells: vec![(col, text)],
                });
            }
        }
    }
    if let Some(done) = current.take() {
        finish_row(file_name, &mut table, &mut has_header, &mut width, done)?;
    }
    if !has_header {
        return Err(file_error(format!(
            "det første arket i «{file_name}» er tomt"
        )));
    }
    // Like a rectangle read from the sheet: every row as wide as the widest.
    table.header.resize(width, String::new());
    table.records.width = width;
    Ok(table)
}

/// One row of non-empty cells into the table: the header if it is the first, else a record.
fn finish_row(
    file_name: &str,
    table: &mut Table,
    has_header: &mut bool,
    width: &mut usize,
    mut row: Row,
) -> Result<(), LineError> {
    row.cells.sort_by_key(|(col, _)| *col);
    if let Some(w) = row.cells.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(not_xlsx(
            file_name,
            &format!("cellen {} står to ganger", cell_ref(row.row, w[0].0)),
        ));
    }
    let row_width = row.cells.last().map_or(0, |(col, _)| *col as usize + 1);
    *width = (*width).max(row_width);
    let line = u64::from(row.row) + 1;
    let mut cells: Vec<&str> = vec![""; row_width];
    for (col, text) in &row.cells {
        if let Some(slot) = cells.get_mut(*col as usize) {
            *slot = text;
        }
    }
    if !*has_header {
        table.header = cells.iter().map(|c| nfc(c).into_owned()).collect();
        table.header_line = line;
        *has_header = true;
        return Ok(());
    }
    table
        .records
        .push(line, cells)
        .map_err(|message| LineError {
            line,
            column: None,
            message,
        })?;
    let (stored, text) = table.records.size();
    if stored > MAX_SHEET_CELLS || text > MAX_SHEET_TEXT {
        return Err(file_error(format!(
            "regnearket «{file_name}» er for stort: mer enn {} millioner celler eller {} MB \
             tekst (til og med rad {line}); del filen opp, eller lagre den som CSV",
            MAX_SHEET_CELLS / 1_000_000,
            MAX_SHEET_TEXT >> 20
        )));
    }
    Ok(())
}

/// A cell as text. Numbers in Rust's shortest round-trip form (never an exponent), which
/// the number rules read back exactly; a date on the 1st with no time as `YYYY-MM`, since
/// that is what Excel makes of a typed `2026-03`; other dates as `YYYY-MM-DD`.
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Float(f) => format!("{f}"),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => if *b { "sann" } else { "usann" }.to_string(),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
            match (d, hh, mm, ss, ms) {
                (1, 0, 0, 0, 0) => format!("{y:04}-{m:02}"),
                (_, 0, 0, 0, 0) => format!("{y:04}-{m:02}-{d:02}"),
                _ => format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"),
            }
        }
        DataRef::DateTime(dt) => format!("{}", dt.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.trim().to_string(),
        DataRef::Error(e) => e.to_string(),
    }
}

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

/// A minimal workbook by hand: `sheet_data` is the inside of `<sheetData>`, with
/// `dimension`; `shared` the inside of `<sst>` (with its attributes) when given.
#[cfg(test)]
pub(crate) fn package(dimension: &str, sheet_data: &str, shared: Option<&str>) -> Vec<u8> {
    use std::io::Write;
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let mut parts = vec![
        (
            "_rels/.rels".to_string(),
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml".to_string(),
            format!(
                r#"<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels".to_string(),
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml".to_string(),
            format!(
                r#"<?xml version="1.0"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>"#
            ),
        ),
    ];
    if let Some(shared) = shared {
        parts.push((
            "xl/sharedStrings.xml".to_string(),
            format!(r#"<?xml version="1.0"?><sst xmlns="{MAIN}" {shared}</sst>"#),
        ));
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (name, text) in parts {
        zip.start_file(name, options)
            .and_then(|()| zip.write_all(text.as_bytes()).map_err(Into::into))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
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
        assert_eq!(
            e.message,
            "filen «x.xlsx» er ikke en gyldig Excel-fil (.xlsx): ZIP-innholdet er skadet eller \
             ufullstendig; åpne den i Excel og lagre den på nytt som «Excel-arbeidsbok (.xlsx)», \
             eller som CSV"
        );
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert!(read("t.csv", b"").is_err());
        assert!(read("t.csv", b"\n;;\n\n").is_err());
    }

    /// `bytes` with the declared uncompressed size of part `name` set to `size`, in the
    /// local header and the central directory.
    fn declare_size(mut bytes: Vec<u8>, name: &str, size: u32) -> Vec<u8> {
        let le16 = |b: &[u8], at: usize| usize::from(u16::from_le_bytes([b[at], b[at + 1]]));
        let mut at = 0;
        while at + 46 < bytes.len() {
            let (size_at, name_at, name_len) = match &bytes[at..at + 4] {
                b"PK\x03\x04" => (at + 22, at + 30, le16(&bytes, at + 26)),
                b"PK\x01\x02" => (at + 24, at + 46, le16(&bytes, at + 28)),
                _ => {
                    at += 1;
                    continue;
                }
            };
            if bytes.get(name_at..name_at + name_len) == Some(name.as_bytes()) {
                bytes[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
            at += 4;
        }
        bytes
    }

    fn refused(bytes: &[u8]) -> String {
        match read("ark.xlsx", bytes) {
            Ok(t) => panic!("expected refusal, got {t:?}"),
            Err(e) => e.to_string(),
        }
    }

    const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>kode</t></is></c></row>"#;

    #[test]
    fn a_cell_at_the_last_excel_cell_is_one_cell_not_a_rectangle() {
        // Read as a rectangle from A1 this is 2^20 × 2^14 cells (about 512 GB).
        let bytes = package(
            "A1:XFD1048576",
            &format!(
                r#"{HEADER_ROW}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#
            ),
            None,
        );
        let t = read("ark.xlsx", &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.header.len(), 16_384);
        assert_eq!(t.header[0], "kode");
        assert_eq!(t.records.len(), 1);
        assert_eq!(line(&t, 0), 1_048_576);
        let r = t.records.get(0).unwrap_or_else(|| panic!("one record"));
        assert_eq!(r.cell(16_383), Some("x"));
        assert_eq!(r.cell(0), Some(""));
        // 16 384 cells stored for that row (A..XFD), one of them non-empty.
        assert_eq!(t.records.size(), (16_384, 1));
    }

    #[test]
    fn cell_references_past_excels_limits_are_refused_in_norwegian() {
        for (reference, shown) in [
            ("ZZZZ99999999", "ZZZZ99999999"),
            ("XFE1", "XFE1"),
            ("A1048577", "A1048577"),
        ] {
            let bytes = package(
                "A1",
                &format!(
                    r#"{HEADER_ROW}<row><c r="{reference}" t="inlineStr"><is><t>x</t></is></c></row>"#
                ),
                None,
            );
            let message = refused(&bytes);
            assert_eq!(
                message,
                format!(
                    "filen «ark.xlsx» er ikke en gyldig Excel-fil (.xlsx): cellen {shown} ligger \
                     utenfor det et Excel-ark kan ha (1 048 576 rader, kolonne A–XFD); åpne den i \
                     Excel og lagre den på nytt som «Excel-arbeidsbok (.xlsx)», eller som CSV"
                )
            );
        }
    }

    #[test]
    fn odd_dimensions_and_references_are_refused_or_read_without_a_panic() {
        for (dimension, reference) in [
            ("B2:A1", "A2"),
            ("ZZZZZZZZZZ1:A1", "A2"),
            ("A1:A99999999999999", "A2"),
            ("", "A2"),
            ("A1", "ZZZZZZZZZZZZZZ1"),
            ("A1", "A99999999999999999"),
            ("A1", "1A"),
            ("A1", "Å1"),
        ] {
            let bytes = package(
                dimension,
                &format!(
                    r#"{HEADER_ROW}<row><c r="{reference}" t="inlineStr"><is><t>x</t></is></c></row>"#
                ),
                None,
            );
            if let Err(e) = read("ark.xlsx", &bytes) {
                assert!(e.message.contains("Excel"), "{e}");
            }
        }
    }

    #[test]
    fn a_zip_bomb_is_refused_by_the_declared_sizes() {
        let bytes = package("A1", HEADER_ROW, None);
        // The sheet says it inflates to 300 MB.
        let bomb = declare_size(bytes, "xl/worksheets/sheet1.xml", 300 << 20);
        assert_eq!(
            refused(&bomb),
            "filen «ark.xlsx» blir 300 MB når den pakkes ut; Målkart leser regneark på høyst \
             256 MB utpakket (filen kan være en «ZIP-bombe»); del filen opp, eller lagre den som \
             CSV"
        );
        let bytes = package(
            "A1",
            HEADER_ROW,
            Some(r#"count="1" uniqueCount="1"><si><t>a</t></si>"#),
        );
        let bomb = declare_size(bytes, "xl/sharedStrings.xml", 40 << 20);
        assert!(refused(&bomb).contains("høyst 32 MB"));
    }

    #[test]
    fn a_part_with_megabytes_without_a_tag_is_refused() {
        // 2 MB of one cell's text deflates to a few kB.
        let long = "x".repeat(2 << 20);
        let bytes = package(
            "A1",
            &format!(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{long}</t></is></c></row>"#),
            None,
        );
        assert!(bytes.len() < 100_000, "{}", bytes.len());
        assert_eq!(
            refused(&bytes),
            "filen «ark.xlsx» har en celle eller en del med mer enn 1 MB tekst i ett stykke; \
             Målkart leser høyst 1 MB per celle"
        );
    }

    #[test]
    fn a_shared_string_count_that_cannot_be_true_is_refused_before_calamine_reserves_it() {
        // calamine would reserve room for 4·10^12 strings (about 100 TB) and abort.
        let bytes = package(
            "A1",
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
            Some(r#"count="1" uniqueCount="4000000000000"><si><t>kode</t></si>"#),
        );
        assert!(
            refused(&bytes).contains("tabellen over delte tekster er skadet"),
            "{}",
            refused(&bytes)
        );
        // A true count reads.
        let bytes = package(
            "A1",
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>0</v></c></row>"#,
            Some(r#"count="2" uniqueCount="1"><si><t>kode</t></si>"#),
        );
        let t = read("ark.xlsx", &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.header, vec!["kode"]);
    }

    #[test]
    fn a_shared_string_repeated_past_the_text_limit_is_refused() {
        // One string of a million bytes in 100 cells would be 100 MB of cells.
        let big = "y".repeat(1_000_000);
        let rows: String = (2..=101)
            .map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#))
            .collect();
        let bytes = package(
            "A1",
            &format!("{HEADER_ROW}{rows}"),
            Some(&format!(
                r#"count="100" uniqueCount="1"><si><t>{big}</t></si>"#
            )),
        );
        let message = refused(&bytes);
        assert!(
            message.contains("er for stort: mer enn 8 millioner celler eller 64 MB tekst"),
            "{message}"
        );
    }

    #[test]
    fn rows_out_of_order_and_a_cell_given_twice_are_refused() {
        let bytes = package(
            "A1",
            &format!(
                r#"{HEADER_ROW}<row r="5"><c r="A5"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c></row>"#
            ),
            None,
        );
        assert!(refused(&bytes).contains("rad 3 står etter rad 5 i arket"));
        let bytes = package(
            "A1",
            &format!(
                r#"{HEADER_ROW}<row r="2"><c r="B2"><v>1</v></c><c r="B2"><v>2</v></c></row>"#
            ),
            None,
        );
        assert!(refused(&bytes).contains("cellen B2 står to ganger"));
    }

    #[test]
    fn other_spreadsheet_formats_are_named_and_refused_in_norwegian() {
        let ole = [OLE_MAGIC, &[0u8; 512][..]].concat();
        assert!(refused(&ole).contains("gammel Excel-fil (.xls) eller en passordbeskyttet"));
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let ods = zip
            .start_file("mimetype", options)
            .and_then(|()| {
                std::io::Write::write_all(
                    &mut zip,
                    b"application/vnd.oasis.opendocument.spreadsheet",
                )
                .map_err(Into::into)
            })
            .and_then(|()| zip.start_file("content.xml", options))
            .and_then(|()| zip.finish())
            .unwrap_or_else(|e| panic!("{e}"))
            .into_inner();
        assert!(refused(&ods).contains("OpenDocument-regneark (.ods)"));
        // A ZIP that is not a workbook: calamine's English never reaches the user.
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let other = zip
            .start_file("readme.txt", options)
            .and_then(|()| zip.finish())
            .unwrap_or_else(|e| panic!("{e}"))
            .into_inner();
        assert_eq!(
            refused(&other),
            "filen «ark.xlsx» er ikke en gyldig Excel-fil (.xlsx): den mangler deler en \
             arbeidsbok skal ha; åpne den i Excel og lagre den på nytt som «Excel-arbeidsbok \
             (.xlsx)», eller som CSV"
        );
    }

    #[test]
    fn a_header_wider_than_excel_is_refused_and_records_store_no_trailing_empty_cells() {
        let wide = ";".repeat(20_000);
        let e = read("t.csv", format!("kode{wide}\n1\n").as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "linje 1: overskriften har 20001 kolonner; Målkart leser høyst 16384 (som Excel)"
        );
        // A wide header costs nothing per record: only the cells up to the last non-empty
        // one are kept (here 1 + 3 cells of 2 000 columns).
        let t = table(&format!("a{}\n1\n;;x\n", ";".repeat(1999)));
        assert_eq!(t.records.size(), (4, 2));
        assert_eq!(cells(&t, 1)[2], "x");
        assert_eq!(cells(&t, 1)[1999], "");
        assert_eq!(cells(&t, 0).len(), 2000);
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
