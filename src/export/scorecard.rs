//! The målkart as shown, as a `Document` for a meeting («Skriv ut / PDF», issue 12 §2): one
//! heading row per perspective (its status and counts) and its indicators under it, kept on
//! one page when they fit; status marks as shapes and words, the trend as an arrow and a
//! word, so a black-and-white printout says everything. With «bare avvik» only the yellow
//! and red indicators are listed, and a perspective without any says so.

use super::sickleave::period_text;
use super::{status_mark, Cell, Column, ColumnKind, Document, Note, Row};
use crate::engine::{progress, GroupStatus, IndicatorResult, Scorecard, Status, Trend};
use crate::format::{round_half_away, with_unit};
use crate::period::Period;

/// The mark of a provisional colour, as in the app and the CLI table.
pub const PROVISIONAL_MARK: char = '◔';

const COLUMNS: [(&str, ColumnKind); 7] = [
    ("Indikator", ColumnKind::Name),
    ("Periode", ColumnKind::Text),
    ("Verdi", ColumnKind::Text),
    ("Mål", ColumnKind::Text),
    ("Status", ColumnKind::Status),
    ("Utvikling", ColumnKind::Text),
    ("Merknad", ColumnKind::Text),
];

/// Is this result a deviation (yellow or red, final or so far)?
pub fn is_deviation(r: &IndicatorResult) -> bool {
    matches!(r.status, Status::Yellow | Status::Red)
}

/// `● 9 grønn · ▲ 5 gul · ■ 2 rød · ◔ 1 foreløpig · ○ 9 uten status`: the counts of a
/// group, each with its mark and word; a count of nought is left out.
pub fn counts_text(g: &GroupStatus) -> String {
    let parts = [
        (status_mark(Status::Green), g.green, "grønn"),
        (status_mark(Status::Yellow), g.yellow, "gul"),
        (status_mark(Status::Red), g.red, "rød"),
        (PROVISIONAL_MARK, g.provisional_count, "foreløpig"),
        (status_mark(Status::NoData), g.without_status, "uten status"),
    ];
    let text: Vec<String> = parts
        .iter()
        .filter(|(_, n, _)| *n > 0)
        .map(|(mark, n, word)| format!("{mark} {n} {word}"))
        .collect();
    if text.is_empty() {
        "ingen indikatorer".to_string()
    } else {
        text.join(" · ")
    }
}

/// A status as printed: `▲ gul`, or `◔ foreløpig (gul så langt)` for a provisional colour.
fn status_cell(status: Status, provisional: bool) -> Cell {
    if provisional && matches!(status, Status::Green | Status::Yellow | Status::Red) {
        Cell::Text(format!(
            "{PROVISIONAL_MARK} foreløpig ({} så langt)",
            status.word()
        ))
    } else {
        Cell::Status(status)
    }
}

/// The trend as an arrow for the displayed value's direction and a word for better or
/// worse: `↑ bedre`, `↓ verre`, `→ uendret`.
pub fn trend_text(r: &IndicatorResult) -> String {
    if r.masked.is_some() {
        return String::new();
    }
    if r.provisional {
        return "ikke sammenlignet (foreløpig)".to_string();
    }
    let (Some(now), Some(before)) = (r.display_value, r.previous.value) else {
        return "–".to_string();
    };
    let before = round_half_away(before, r.decimals);
    let arrow = if now > before {
        '↑'
    } else if now < before {
        '↓'
    } else {
        '→'
    };
    let word = match r.trend {
        Trend::Better => "bedre",
        Trend::Worse => "verre",
        Trend::Unchanged => "uendret",
        Trend::Unknown => return "–".to_string(),
    };
    format!("{arrow} {word}")
}

fn period_label(id: &str) -> String {
    Period::parse(id).map_or_else(|_| id.to_string(), |p| p.label())
}

fn indicator_row(r: &IndicatorResult) -> Row {
    let value = match (&r.masked, &r.display) {
        (Some(_), _) => Cell::Masked,
        (None, Some(d)) => Cell::Text(d.clone()),
        (None, None) => Cell::Text("–".to_string()),
    };
    let target = r.target.map_or_else(
        || "ingen mål".to_string(),
        |t| with_unit(t, r.decimals, &r.unit_label),
    );
    let status = if r.masked.is_some() {
        Cell::Text("* skjult".to_string())
    } else {
        status_cell(r.status, r.provisional)
    };
    let note = match &r.masked {
        Some(reason) => format!("skjult: {}", reason.word()),
        None if r.missing_units > 0 => format!(
            "{} av {} enheter mangler tall",
            r.missing_units, r.expected_units
        ),
        None => String::new(),
    };
    Row {
        depth: 1,
        cells: vec![
            Cell::Text(r.name.clone()),
            Cell::Text(period_label(&r.period)),
            value,
            Cell::Text(target),
            status,
            Cell::Text(trend_text(r)),
            Cell::Text(note),
        ],
    }
}

/// The målkart `card` (masked and marked provisional by the service) as a document; `path`
/// names the unit with its ancestors (`Demo kommune › Helse og omsorg › Furulund
/// sykehjem`); `deviations_only` keeps only the yellow and red indicators.
pub fn document(
    card: &Scorecard,
    path: &str,
    deviations_only: bool,
    exported_at: &str,
) -> Document {
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    for p in &card.perspectives {
        let start = rows.len();
        let g = GroupStatus::of(&p.indicators);
        rows.push(Row {
            depth: 0,
            cells: vec![
                Cell::Text(p.name.clone()),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                status_cell(g.status, g.provisional),
                Cell::Empty,
                Cell::Text(counts_text(&g)),
            ],
        });
        let shown: Vec<&IndicatorResult> = p
            .indicators
            .iter()
            .filter(|r| !deviations_only || is_deviation(r))
            .collect();
        if shown.is_empty() {
            let text = if p.indicators.is_empty() {
                "Ingen indikatorer i dette perspektivet.".to_string()
            } else {
                format!("Ingen avvik i {}.", p.name.to_lowercase())
            };
            let mut cells = vec![Cell::Empty; COLUMNS.len()];
            cells[0] = Cell::Text(text);
            rows.push(Row { depth: 1, cells });
        }
        rows.extend(shown.into_iter().map(indicator_row));
        groups.push(start..rows.len());
    }
    let all = GroupStatus::of(card.perspectives.iter().flat_map(|p| p.indicators.iter()));
    let mut period = period_text(&card.period);
    if !card.complete {
        period = format!(
            "{period} · {}",
            progress::provisional_text(card.months_covered, card.months_total)
        );
    }
    let mut notes = vec![Note {
        heading: "Oversikt".to_string(),
        paragraphs: vec![format!("Hele målkartet: {}.", counts_text(&all))],
    }];
    if deviations_only {
        notes[0].paragraphs.push(
            "Utvalg: bare avvik. Bare indikatorer med status gul eller rød er tatt med; \
             tellingene gjelder hele målkartet."
                .to_string(),
        );
    }
    if !card.complete {
        notes[0].paragraphs.push(format!(
            "{PROVISIONAL_MARK} foreløpig: perioden er ikke over; fargen gjelder tallene så \
             langt, og utviklingen sammenlignes ikke med forrige periode."
        ));
    }
    Document {
        title: if deviations_only {
            "Målkart – bare avvik".to_string()
        } else {
            "Målkart".to_string()
        },
        sheet: "Målkart".to_string(),
        unit: path.to_string(),
        period,
        exported_at: exported_at.to_string(),
        columns: Column::list(&COLUMNS),
        rows,
        groups,
        notes,
    }
}
