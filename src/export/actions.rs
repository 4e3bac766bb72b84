//! The actions report (tiltak.md §2) as a `Document`: one heading row per goal (its
//! perspective and counts), its tiltak under it by deadline — tiltak | ansvarlig | frist |
//! status (mark and word, `forsinket` as its own mark) | fremdrift | siste kommentar —
//! each goal kept on one page when it fits.

use super::sickleave::period_text;
use super::{Cell, Column, ColumnKind, Document, Note, Row};
use crate::engine::actions::{ActionCounts, ActionLine, ActionsReport};
use crate::model::ActionStatus;
use crate::period::Month;

/// The mark of a late tiltak, beside its status.
pub const LATE_MARK: char = '⚠';

/// A status comment longer than this is cut with `…` in the report (the whole text is in
/// Målkart); a table row stays one line on an A4 page.
const COMMENT_CHARS: usize = 70;

const COLUMNS: [(&str, ColumnKind); 6] = [
    ("Tiltak", ColumnKind::Name),
    ("Ansvarlig", ColumnKind::Text),
    ("Frist", ColumnKind::Text),
    ("Status", ColumnKind::Text),
    ("Fremdrift %", ColumnKind::Integer),
    ("Siste kommentar", ColumnKind::Text),
];

/// `◐ pågår · ⚠ forsinket`: the status's mark and word, and lateness as its own mark.
pub fn status_text(status: ActionStatus, late: bool) -> String {
    let text = format!("{} {}", status.mark(), status.word());
    if late {
        format!("{text} · {LATE_MARK} forsinket")
    } else {
        text
    }
}

/// `3 tiltak · 1 forsinket`, as under each goal in the målkart.
pub fn counts_text(c: &ActionCounts) -> String {
    let mut text = format!("{} tiltak", c.total);
    if c.late > 0 {
        text.push_str(&format!(" · {} forsinket", c.late));
    }
    text
}

/// `mars 2026`.
fn month_text(id: &Option<String>) -> String {
    match id.as_deref().map(|m| (m, Month::parse_id(m))) {
        Some((_, Some(m))) => format!("{} {}", m.name(), m.year()),
        Some((text, None)) => text.to_string(),
        None => "–".to_string(),
    }
}

fn comment_text(line: &ActionLine) -> String {
    let Some(c) = &line.last_comment else {
        return String::new();
    };
    let text: String = if c.text.chars().count() > COMMENT_CHARS {
        let cut: String = c.text.chars().take(COMMENT_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        c.text.clone()
    };
    format!("{} ({})", text.replace('\n', " "), c.period)
}

fn line_row(line: &ActionLine) -> Row {
    Row {
        depth: 1,
        cells: vec![
            Cell::Text(format!("{} {}", line.code, line.title)),
            Cell::Text(line.responsible.clone()),
            Cell::Text(month_text(&line.deadline)),
            Cell::Text(status_text(line.status, line.late)),
            Cell::Number(f64::from(line.progress)),
            Cell::Text(comment_text(line)),
        ],
    }
}

/// The report as a document; `path` names the unit with its ancestors.
pub fn document(report: &ActionsReport, path: &str, exported_at: &str) -> Document {
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    for g in &report.goals {
        let start = rows.len();
        let heading = if g.perspective_name.is_empty() {
            g.goal.clone()
        } else {
            format!("{} ({})", g.goal, g.perspective_name)
        };
        let mut cells = vec![Cell::Empty; COLUMNS.len()];
        cells[0] = Cell::Text(heading);
        cells[5] = Cell::Text(counts_text(&g.counts));
        rows.push(Row { depth: 0, cells });
        rows.extend(g.lines.iter().map(line_row));
        groups.push(start..rows.len());
    }
    if report.goals.is_empty() {
        let mut cells = vec![Cell::Empty; COLUMNS.len()];
        cells[0] = Cell::Text("Ingen tiltak for denne enheten i perioden.".to_string());
        rows.push(Row { depth: 0, cells });
    }
    let judged = Month::parse_id(&report.judged_in).map_or_else(
        || report.judged_in.clone(),
        |m| format!("{} {}", m.name(), m.year()),
    );
    let notes = vec![Note {
        heading: "Om rapporten".to_string(),
        paragraphs: vec![
            format!("Alle tiltak: {}.", counts_text(&report.counts)),
            format!(
                "{LATE_MARK} forsinket: fristens måned er omme (vurdert i {judged}), og \
                 tiltaket er verken fullført eller avbrutt."
            ),
            "Status: ○ ikke startet · ◐ pågår · ● fullført · ‖ utsatt · ✕ avbrutt. Siste \
             kommentar er den nyeste statuskommentaren til og med perioden; lange \
             kommentarer er forkortet med «…», hele teksten står i Målkart."
                .to_string(),
        ],
    }];
    Document {
        title: "Tiltak".to_string(),
        sheet: "Tiltak".to_string(),
        unit: path.to_string(),
        period: period_text(&report.period),
        exported_at: exported_at.to_string(),
        columns: Column::list(&COLUMNS),
        rows,
        groups,
        notes,
    }
}
