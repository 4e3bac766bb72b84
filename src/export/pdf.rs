//! PDF: A4 landscape, an embedded font with Norwegian letters, the table with indentation
//! and status marks that survive black-and-white printing, its header repeated on every
//! page, page numbers, and the notes at the end.
//!
//! Layout happens first, on plain data (`Page` = a list of `Op`s), and drawing with krilla
//! second: the page count must be known before `Side 1 av N` can be written, and a layout
//! that is plain data is easy to reason about. Text is measured with the font's advance
//! widths (skrifa, which krilla itself uses), so columns are as wide as their content and
//! numbers line up on the right. The font is DejaVu Sans (assets/fonts/, its licence beside
//! it), which has `æøå`, the minus sign U+2212 and the status marks `● ▲ ■ ○ –`.

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use super::{status_text, Cell, ColumnKind, Document, Row};
use crate::error::{Error, Result};
use crate::format::number;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 landscape in points.
const PAGE_W: f32 = 842.0;
const PAGE_H: f32 = 595.0;
const MARGIN_X: f32 = 36.0;
const MARGIN_TOP: f32 = 36.0;
/// The table and notes end above this line; the page number sits below it.
const BODY_BOTTOM: f32 = PAGE_H - 42.0;
const FOOTER_BASELINE: f32 = PAGE_H - 22.0;
const AVAILABLE_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// Font sizes the table tries, largest first, until its columns fit the page's width.
const TABLE_SIZES: [f32; 5] = [8.5, 8.0, 7.5, 7.0, 6.5];
const NOTE_SIZE: f32 = 9.0;
const ZEBRA: u8 = 238;
const FAINT: u8 = 90;

pub fn render(doc: &Document) -> Result<Vec<u8>> {
    let fonts = Fonts::load()?;
    let pages = layout(doc, &fonts);
    draw(doc, &fonts, &pages)
}

/// One thing drawn on a page; `y` grows downwards from the page's top, text at its baseline.
#[derive(Clone, Debug, PartialEq)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        gray: u8,
        text: String,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: u8,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
}

type Page = Vec<Op>;

/// The two faces, for drawing (krilla) and measuring (skrifa).
struct Fonts {
    regular: Font,
    bold: Font,
    regular_ref: FontRef<'static>,
    bold_ref: FontRef<'static>,
}

impl Fonts {
    fn load() -> Result<Fonts> {
        let broken = || Error::Render("den innebygde skriften kunne ikke leses".to_string());
        Ok(Fonts {
            regular: Font::new(REGULAR.into(), 0).ok_or_else(broken)?,
            bold: Font::new(BOLD.into(), 0).ok_or_else(broken)?,
            regular_ref: FontRef::new(REGULAR).map_err(|_| broken())?,
            bold_ref: FontRef::new(BOLD).map_err(|_| broken())?,
        })
    }

    /// The width of `text` in points at `size`, from the glyphs' advance widths.
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let font = if bold {
            &self.bold_ref
        } else {
            &self.regular_ref
        };
        let upem = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let units: f32 = text
            .chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|g| metrics.advance_width(g))
                    .unwrap_or(upem * 0.6)
            })
            .sum();
        units * size / upem.max(1.0)
    }

    /// `text` cut with `…` so that it fits `width`. A column is as wide as its widest
    /// text plus padding, and the padding taken off again may leave a hair less than that
    /// text's width (floating point): a hundredth of a point is let through, so the widest
    /// text is never cut.
    fn fit(&self, text: &str, size: f32, bold: bool, width: f32) -> String {
        let width = width + 0.01;
        if self.width(text, size, bold) <= width {
            return text.to_string();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
            if self.width(&candidate, size, bold) <= width {
                return candidate;
            }
        }
        String::new()
    }

    /// Greedy word wrap of `text` into lines no wider than `width` (a word longer than the
    /// width gets a line of its own).
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if line.is_empty() || self.width(&candidate, size, bold) <= width {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// The table's geometry at one font size.
struct Table {
    size: f32,
    pad: f32,
    indent: f32,
    widths: Vec<f32>,
    header_lines: Vec<Vec<String>>,
    row_h: f32,
    header_h: f32,
}

impl Table {
    fn new(doc: &Document, fonts: &Fonts) -> Table {
        let name_col = doc.columns.iter().position(|c| c.kind == ColumnKind::Name);
        let mut chosen = None;
        for size in TABLE_SIZES {
            let table = Table::at_size(doc, fonts, size, name_col);
            let fits = table.widths.iter().sum::<f32>() <= AVAILABLE_W;
            chosen = Some(table);
            if fits {
                break;
            }
        }
        let mut table = chosen.unwrap_or_else(|| Table::at_size(doc, fonts, 6.5, name_col));
        let total: f32 = table.widths.iter().sum();
        if let Some(n) = name_col {
            if total > AVAILABLE_W {
                // Still too wide at the smallest size: the names give way (cut with `…`).
                let others = total - table.widths[n];
                table.widths[n] = (AVAILABLE_W - others).max(60.0);
            } else {
                // Room to spare: a roomier name column, at most 30 % of the page's width.
                let spare = AVAILABLE_W - total;
                let target = (AVAILABLE_W * 0.3).max(table.widths[n]);
                table.widths[n] += spare.min(target - table.widths[n]);
            }
        }
        table
    }

    fn at_size(doc: &Document, fonts: &Fonts, size: f32, name_col: Option<usize>) -> Table {
        let pad = size * 0.55;
        let indent = size * 1.3;
        let mut widths: Vec<f32> = doc
            .columns
            .iter()
            .map(|c| {
                // The header wraps at spaces: its longest word is the least it needs.
                c.header
                    .split_whitespace()
                    .map(|w| fonts.width(w, size, true))
                    .fold(0.0, f32::max)
            })
            .collect();
        for row in &doc.rows {
            for (c, column) in doc.columns.iter().enumerate() {
                let text = cell_text(column.kind, row.cells.get(c).unwrap_or(&Cell::Empty));
                let mut w = fonts.width(&text, size, row.depth == 0);
                if Some(c) == name_col {
                    w += indent * row.depth as f32;
                }
                if let Some(slot) = widths.get_mut(c) {
                    *slot = slot.max(w);
                }
            }
        }
        for w in &mut widths {
            *w += 2.0 * pad;
        }
        let header_lines: Vec<Vec<String>> = doc
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| fonts.wrap(&c.header, size, true, w - 2.0 * pad))
            .collect();
        let lines = header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32;
        Table {
            size,
            pad,
            indent,
            widths,
            header_lines,
            row_h: size * 1.75,
            header_h: lines * size * 1.25 + size * 1.1,
        }
    }

    fn width(&self) -> f32 {
        self.widths.iter().sum()
    }

    /// The header at `y` (its top); returns the y below it.
    fn header(&self, doc: &Document, fonts: &Fonts, page: &mut Page, y: f32) -> f32 {
        let line_h = self.size * 1.25;
        let mut x = MARGIN_X;
        page.push(Op::Line {
            x1: MARGIN_X,
            y1: y,
            x2: MARGIN_X + self.width(),
            y2: y,
            width: 0.8,
        });
        for ((column, lines), w) in doc.columns.iter().zip(&self.header_lines).zip(&self.widths) {
            // Headers sit on the rule below them, like the figures under them.
            let top = y + self.header_h - self.size * 0.55 - lines.len() as f32 * line_h;
            for (i, line) in lines.iter().enumerate() {
                let baseline = top + (i as f32 + 1.0) * line_h - self.size * 0.25;
                page.push(Op::Text {
                    x: self.aligned_x(column.kind, x, *w, fonts.width(line, self.size, true)),
                    y: baseline,
                    size: self.size,
                    bold: true,
                    gray: 0,
                    text: line.clone(),
                });
            }
            x += w;
        }
        let bottom = y + self.header_h;
        page.push(Op::Line {
            x1: MARGIN_X,
            y1: bottom,
            x2: MARGIN_X + self.width(),
            y2: bottom,
            width: 0.8,
        });
        bottom
    }

    /// One row at `y` (its top).
    fn row(&self, doc: &Document, fonts: &Fonts, page: &mut Page, row: &Row, index: usize, y: f32) {
        if index % 2 == 1 {
            page.push(Op::Fill {
                x: MARGIN_X,
                y,
                w: self.width(),
                h: self.row_h,
                gray: ZEBRA,
            });
        }
        let bold = row.depth == 0;
        let baseline = y + self.row_h / 2.0 + self.size * 0.36;
        let mut x = MARGIN_X;
        for (c, (column, w)) in doc.columns.iter().zip(&self.widths).enumerate() {
            let mut text = cell_text(column.kind, row.cells.get(c).unwrap_or(&Cell::Empty));
            let mut left = x;
            let mut room = w - 2.0 * self.pad;
            if column.kind == ColumnKind::Name {
                let indent = (self.indent * row.depth as f32).min(room / 2.0);
                left += indent;
                room -= indent;
            }
            text = fonts.fit(&text, self.size, bold, room);
            if !text.is_empty() {
                let width = fonts.width(&text, self.size, bold);
                page.push(Op::Text {
                    x: self.aligned_x(column.kind, left, w - (left - x), width),
                    y: baseline,
                    size: self.size,
                    bold,
                    gray: 0,
                    text,
                });
            }
            x += w;
        }
    }

    /// Numbers (and their headers) to the right, text to the left.
    fn aligned_x(&self, kind: ColumnKind, x: f32, w: f32, text_w: f32) -> f32 {
        if is_numeric(kind) {
            x + w - self.pad - text_w
        } else {
            x + self.pad
        }
    }
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

/// A change with one decimal, signed as the app shows it: `+0,3`, `−0,4`, and `0,0` for
/// what rounds to nothing.
fn signed(value: f64) -> String {
    let text = number(value, 1);
    if text.starts_with('−') || text == "0,0" {
        text
    } else {
        format!("+{text}")
    }
}

/// A cell as printed: Norwegian numbers (`1 234 567`, `7,3`, `−1,7`, `+0,3`), `*`, `▲ gul`;
/// a marked figure with its mark apart (`395 022 000 †`).
fn cell_text(kind: ColumnKind, cell: &Cell) -> String {
    let figure = |value: f64| match kind {
        ColumnKind::Days | ColumnKind::OneDecimal | ColumnKind::Percent => number(value, 1),
        ColumnKind::Change => signed(value),
        ColumnKind::Kroner | ColumnKind::Integer => number(value, 0),
        ColumnKind::Text | ColumnKind::Name | ColumnKind::Status => {
            value.to_string().replace('.', ",")
        }
    };
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => text.clone(),
        Cell::Number(value) => figure(*value),
        Cell::Marked(value, mark) => format!("{} {mark}", figure(*value)),
        Cell::Masked => "*".to_string(),
        Cell::Status(status) => status_text(*status),
    }
}

/// Lays the document out on pages: the facts on page 1, the table with its header on every
/// page, then the notes.
fn layout(doc: &Document, fonts: &Fonts) -> Vec<Page> {
    let table = Table::new(doc, fonts);
    let mut pages: Vec<Page> = Vec::new();

    // Page 1: title and facts.
    let mut page: Page = Vec::new();
    let mut y = MARGIN_TOP + 16.0;
    page.push(Op::Text {
        x: MARGIN_X,
        y,
        size: 16.0,
        bold: true,
        gray: 0,
        text: doc.title.clone(),
    });
    y += 8.0;
    let facts = [
        ("Enhet:", &doc.unit),
        ("Periode:", &doc.period),
        ("Eksportert:", &doc.exported_at),
    ];
    let label_w = facts
        .iter()
        .map(|(l, _)| fonts.width(l, 9.5, true))
        .fold(0.0, f32::max)
        + 6.0;
    for (label, value) in facts {
        y += 13.0;
        page.push(Op::Text {
            x: MARGIN_X,
            y,
            size: 9.5,
            bold: true,
            gray: 0,
            text: label.to_string(),
        });
        page.push(Op::Text {
            x: MARGIN_X + label_w,
            y,
            size: 9.5,
            bold: false,
            gray: 0,
            text: value.clone(),
        });
    }
    y += 14.0;

    // The table, its header again at the top of every page it runs onto.
    if !doc.columns.is_empty() {
        y = table.header(doc, fonts, &mut page, y);
        // Where the rows start on a page after the first, under its header.
        let fresh = continuation_top_y() + table.header_h;
        for (i, row) in doc.rows.iter().enumerate() {
            let keep = doc
                .groups
                .iter()
                .find(|g| g.start == i && !g.is_empty())
                .map_or(1, |g| g.len());
            let needed = keep as f32 * table.row_h;
            let split = keep > 1 && y + needed > BODY_BOTTOM && fresh + needed <= BODY_BOTTOM;
            if split || y + table.row_h > BODY_BOTTOM {
                pages.push(std::mem::take(&mut page));
                y = continuation_top(doc, &mut page);
                y = table.header(doc, fonts, &mut page, y);
            }
            table.row(doc, fonts, &mut page, row, i, y);
            y += table.row_h;
        }
        page.push(Op::Line {
            x1: MARGIN_X,
            y1: y,
            x2: MARGIN_X + table.width(),
            y2: y,
            width: 0.5,
        });
    }

    // The notes: a heading is never left alone at the bottom of a page.
    let line_h = NOTE_SIZE * 1.4;
    y += 10.0;
    for note in &doc.notes {
        let first_lines = note
            .paragraphs
            .first()
            .map(|p| fonts.wrap(p, NOTE_SIZE, false, AVAILABLE_W).len().min(2))
            .unwrap_or(0) as f32;
        if y + 18.0 + first_lines * line_h > BODY_BOTTOM {
            pages.push(std::mem::take(&mut page));
            y = continuation_top(doc, &mut page);
        }
        y += 16.0;
        page.push(Op::Text {
            x: MARGIN_X,
            y,
            size: 10.5,
            bold: true,
            gray: 0,
            text: note.heading.clone(),
        });
        y += 2.0;
        for paragraph in &note.paragraphs {
            for line in fonts.wrap(paragraph, NOTE_SIZE, false, AVAILABLE_W) {
                if y + line_h > BODY_BOTTOM {
                    pages.push(std::mem::take(&mut page));
                    y = continuation_top(doc, &mut page);
                }
                y += line_h;
                page.push(Op::Text {
                    x: MARGIN_X,
                    y,
                    size: NOTE_SIZE,
                    bold: false,
                    gray: 0,
                    text: line,
                });
            }
            y += 4.0;
        }
    }
    pages.push(page);

    // Page numbers, now that the count is known.
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let text = format!("Side {} av {count}", i + 1);
        let w = fonts.width(&text, 8.0, false);
        page.push(Op::Text {
            x: PAGE_W - MARGIN_X - w,
            y: FOOTER_BASELINE,
            size: 8.0,
            bold: false,
            gray: FAINT,
            text,
        });
        let left = format!("Målkart · eksportert {}", doc.exported_at);
        page.push(Op::Text {
            x: MARGIN_X,
            y: FOOTER_BASELINE,
            size: 8.0,
            bold: false,
            gray: FAINT,
            text: left,
        });
    }
    pages
}

/// The running head of pages after the first (which report this loose sheet belongs to);
/// returns where the body starts.
fn continuation_top(doc: &Document, page: &mut Page) -> f32 {
    let y = continuation_top_y() - 10.0;
    let text = format!("{} · {} · {}", doc.title, doc.unit, doc.period);
    page.push(Op::Text {
        x: MARGIN_X,
        y,
        size: 8.0,
        bold: false,
        gray: FAINT,
        text,
    });
    y + 10.0
}

/// Where the body of a page after the first starts (below its running head).
fn continuation_top_y() -> f32 {
    MARGIN_TOP + 8.0 + 10.0
}

fn draw(doc: &Document, fonts: &Fonts, pages: &[Page]) -> Result<Vec<u8>> {
    let mut pdf = krilla::Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(format!("{} – {} – {}", doc.title, doc.unit, doc.period))
            .language("nb-NO".to_string())
            .creator("Målkart".to_string()),
    );
    for ops in pages {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| Error::Render("ugyldig sidestørrelse".to_string()))?;
        let mut page = pdf.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    bold,
                    gray,
                    text,
                } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: luma::Color::new(*gray).into(),
                        ..Fill::default()
                    }));
                    let font = if *bold {
                        fonts.bold.clone()
                    } else {
                        fonts.regular.clone()
                    };
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        font,
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Fill { x, y, w, h, gray } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill {
                            paint: luma::Color::new(*gray).into(),
                            ..Fill::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y1);
                    path.line_to(*x2, *y2);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: luma::Color::black().into(),
                            width: *width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    pdf.finish()
        .map_err(|e| Error::Render(format!("kunne ikke lage PDF-filen: {e:?}")))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// The texts a page draws, in order.
    fn texts(page: &Page) -> Vec<String> {
        page.iter()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    use super::*;
    use crate::engine::Status;
    use crate::export::test_tools;
    use crate::export::{Column, Note};

    const MASKING_NOTE: &str =
        "Tall for grupper med færre enn 5 ansatte er skjult (*), også når de \
        kunne regnes ut ved å trekke andre rader fra summen.";

    /// A sick-leave summary of 1 + 9 + 9 × 8 = 82 rows: a municipality, nine sectors of eight
    /// units each — enough for three pages.
    fn summary() -> Document {
        let column = |header: &str, kind| Column {
            header: header.to_string(),
            kind,
        };
        let mut rows = vec![Row {
            depth: 0,
            cells: vec![
                Cell::Text("1000".into()),
                Cell::Text("Demo kommune".into()),
                Cell::Number(0.0),
                Cell::Number(1234.0),
                Cell::Number(98_765.4),
                Cell::Number(7_215.85),
                // 7215.85 / 98765.4 × 100 = 7.306… → 7,3
                Cell::Number(7_215.85 / 98_765.4 * 100.0),
                Cell::Number(-0.44),
                Cell::Number(6.0),
                Cell::Status(Status::Yellow),
            ],
        }];
        for s in 1..=9u32 {
            rows.push(Row {
                depth: 1,
                cells: vec![
                    Cell::Text(format!("{}", 1000 + s * 100)),
                    Cell::Text(format!("Sektor {s} for helse og omsorg")),
                    Cell::Number(1.0),
                    Cell::Number(130.0),
                    Cell::Number(10_000.0 + s as f64),
                    Cell::Number(700.0),
                    Cell::Number(7.0),
                    Cell::Number(0.3),
                    Cell::Number(6.0),
                    Cell::Status(Status::Red),
                ],
            });
            for u in 1..=8u32 {
                let masked = u == 8;
                let figure = |v: f64| {
                    if masked {
                        Cell::Masked
                    } else {
                        Cell::Number(v)
                    }
                };
                rows.push(Row {
                    depth: 2,
                    cells: vec![
                        Cell::Text(format!("{}", 1000 + s * 100 + u)),
                        Cell::Text(format!("Ærfuglen øvre {u} (avd. {s})")),
                        Cell::Number(2.0),
                        Cell::Number(if masked { 3.0 } else { 16.0 }),
                        figure(1_250.5),
                        figure(87.5),
                        figure(7.0),
                        figure(0.0),
                        Cell::Empty,
                        if masked {
                            Cell::Status(Status::NoData)
                        } else {
                            Cell::Status(Status::Green)
                        },
                    ],
                });
            }
        }
        Document {
            title: "Sykefraværsrapport".to_string(),
            sheet: "Sykefravær".to_string(),
            unit: "1000 Demo kommune".to_string(),
            period: "3. kvartal 2026 (2026-K3)".to_string(),
            exported_at: "23.11.2026 kl. 14:05".to_string(),
            columns: vec![
                column("Enhetskode", ColumnKind::Text),
                column("Enhet", ColumnKind::Name),
                column("Nivå", ColumnKind::Integer),
                column("Ansatte", ColumnKind::Integer),
                column("Avtalte dagsverk", ColumnKind::Days),
                column("Fraværsdagsverk", ColumnKind::Days),
                column("Fravær %", ColumnKind::Percent),
                column("Endring prosentpoeng", ColumnKind::Percent),
                column("Mål %", ColumnKind::Percent),
                column("Status", ColumnKind::Status),
            ],
            rows,
            groups: Vec::new(),
            notes: vec![
                Note {
                    heading: "Definisjoner".to_string(),
                    paragraphs: vec![
                        "Fravær % = (egenmeldte + legemeldte fraværsdagsverk) / avtalte dagsverk × 100. \
                         Hver rad er summen for enheten og alle enheter under den."
                            .to_string(),
                    ],
                },
                Note { heading: "Skjulte tall".to_string(), paragraphs: vec![MASKING_NOTE.to_string()] },
            ],
        }
    }

    fn check_dir() -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/export-check");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_font_has_every_letter_and_mark_the_reports_print() {
        let fonts = Fonts::load().unwrap();
        for face in [&fonts.regular_ref, &fonts.bold_ref] {
            let charmap = face.charmap();
            for c in "æøåÆØÅ●▲■○◔–−…·†↑↓→›◐‖✕⚠".chars() {
                assert!(charmap.map(c).is_some(), "DejaVu mangler «{c}»");
            }
        }
    }

    #[test]
    fn a_change_carries_its_sign_and_a_mark_stands_apart_from_its_number() {
        // As the app shows them: +0,3 and −0,4 percentage points; what rounds to 0,0 has no
        // sign (−0,04 → 0,0).
        let change = |v: f64| cell_text(ColumnKind::Change, &Cell::Number(v));
        assert_eq!(change(0.3), "+0,3");
        assert_eq!(change(-0.44), "−0,4");
        assert_eq!(change(0.04), "0,0");
        assert_eq!(change(-0.04), "0,0");
        assert_eq!(change(12.35), "+12,4");
        // A forecast that is the budget: the number, a space, the mark — no count glued on.
        assert_eq!(
            cell_text(ColumnKind::Kroner, &Cell::Marked(395_022_000.0, "†".into())),
            "395 022 000 †"
        );
    }

    #[test]
    fn the_widest_figure_of_a_column_is_never_cut() {
        // A column is its widest text plus padding; taking the padding off again must not
        // leave less room than that text (it did: «93,3…» in a column made for «93,3 %»).
        let fonts = Fonts::load().unwrap();
        let texts = [
            "93,3 %",
            "95,0 %",
            "3,1 %",
            "1,9 per 1 000 døgn",
            "30 boliger",
            "▲ gul",
        ];
        for size in TABLE_SIZES {
            let pad = size * 0.55;
            for text in texts {
                for bold in [false, true] {
                    let column = fonts.width(text, size, bold) + 2.0 * pad;
                    let room = column - 2.0 * pad;
                    assert_eq!(fonts.fit(text, size, bold, room), text, "{size} pt");
                }
            }
        }
    }

    #[test]
    fn a_group_that_fits_a_page_is_not_split() {
        // Two groups of 1 heading + 19 rows: about 28 rows fit under page 1's facts, so the
        // second group (rows 20–39) would start on page 1 and run onto page 2. Kept
        // together, it starts page 2 whole.
        let group = |name: &str| {
            let mut rows = vec![Row {
                depth: 0,
                cells: vec![Cell::Text(name.to_string()), Cell::Empty],
            }];
            rows.extend((1..=19).map(|i| Row {
                depth: 1,
                cells: vec![
                    Cell::Text(format!("{name} {i}")),
                    Cell::Status(Status::Green),
                ],
            }));
            rows
        };
        let mut doc = Document {
            title: "Målkart".into(),
            sheet: "Målkart".into(),
            unit: "Demo kommune".into(),
            period: "oktober 2026 (2026-10)".into(),
            exported_at: "02.12.2026 kl. 06:30".into(),
            columns: vec![
                Column {
                    header: "Indikator".into(),
                    kind: ColumnKind::Name,
                },
                Column {
                    header: "Status".into(),
                    kind: ColumnKind::Status,
                },
            ],
            rows: [group("Brukere"), group("Økonomi")].concat(),
            groups: vec![0..20, 20..40],
            notes: Vec::new(),
        };
        let fonts = Fonts::load().unwrap();
        let pages = layout(&doc, &fonts);
        assert_eq!(pages.len(), 2);
        assert!(!texts(&pages[0]).contains(&"Økonomi".to_string()));
        assert!(texts(&pages[1]).contains(&"Økonomi".to_string()));
        assert!(texts(&pages[0]).contains(&"Brukere 19".to_string()));
        // Without groups the second one starts on page 1.
        doc.groups.clear();
        let pages = layout(&doc, &fonts);
        assert!(texts(&pages[0]).contains(&"Økonomi".to_string()));
    }

    #[test]
    fn long_table_spans_pages_with_header_and_page_numbers() {
        let doc = summary();
        let fonts = Fonts::load().unwrap();
        let pages = layout(&doc, &fonts);
        // 82 rows at ≤ 8.5 × 1.75 ≈ 15 pt a row, ~470 pt of body a page: more than one page.
        assert!(pages.len() >= 2, "{} sider", pages.len());
        let n = pages.len();
        for (i, page) in pages.iter().enumerate() {
            let t = texts(page);
            assert!(
                t.contains(&format!("Side {} av {n}", i + 1)),
                "side {}: {t:?}",
                i + 1
            );
            if i + 1 < n {
                // Every page with table rows starts with the header.
                assert!(
                    t.contains(&"Enhetskode".to_string()),
                    "side {}: {t:?}",
                    i + 1
                );
            }
        }
        // Everything fits across the page.
        for page in &pages {
            for op in page {
                if let Op::Text { x, .. } = op {
                    assert!(*x >= MARGIN_X - 0.01 && *x < PAGE_W - MARGIN_X, "x = {x}");
                }
            }
        }
    }

    #[test]
    fn pdf_text_has_title_period_total_masking_note_and_repeated_header() {
        let bytes = render(&summary()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let dir = check_dir();
        let path = dir.join("sykefravaer.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let Some(text) = test_tools::pdftotext(&path) else {
            return;
        };
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert!(pages.len() >= 2, "{text}");
        let first = pages[0];
        assert!(first.contains("Sykefraværsrapport"), "{first}");
        assert!(first.contains("3. kvartal 2026 (2026-K3)"), "{first}");
        assert!(first.contains("1000 Demo kommune"), "{first}");
        assert!(first.contains("23.11.2026 kl. 14:05"), "{first}");
        // The grand total: 98 765,4 dagsverk, 7 215,9 fraværsdagsverk, 7,3 %, −0,4 pp.
        assert!(first.contains("98 765,4"), "{first}");
        assert!(first.contains("7 215,9"), "{first}");
        assert!(first.contains("7,3"), "{first}");
        assert!(first.contains("−0,4"), "{first}");
        assert!(first.contains("▲ gul"), "{first}");
        assert!(first.contains("Side 1 av"), "{first}");
        let second = pages[1];
        assert!(second.contains("Side 2 av"), "{second}");
        assert!(
            second.contains("Enhetskode") && second.contains("Fraværsdagsverk"),
            "{second}"
        );
        // The last unit's row and the notes are there, in order, at the end.
        let all = pages.join("\n");
        assert!(all.contains("Ærfuglen øvre 8 (avd. 9)"), "{all}");
        let flat: String = all.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(
                &MASKING_NOTE
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            "{flat}"
        );
        assert!(flat.find("Definisjoner") > flat.find("Ærfuglen øvre 8 (avd. 9)"));

        // Page 1 as a picture, to look at (target/export-check/sykefravaer-1.png).
        test_tools::run(
            "pdftoppm",
            &[
                "-png".as_ref(),
                "-r".as_ref(),
                "60".as_ref(),
                "-f".as_ref(),
                "1".as_ref(),
                "-l".as_ref(),
                "1".as_ref(),
                "-singlefile".as_ref(),
                path.as_os_str(),
                dir.join("sykefravaer-1").as_os_str(),
            ],
        );
    }
}
