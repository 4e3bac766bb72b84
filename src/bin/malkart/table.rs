//! `malkart status --format table`: the målkart as plain Norwegian text. Every status is a
//! mark *and* a word (`■ rød`), so the table reads the same without colour, in a log file or
//! on a screen reader.

use malkart::engine::{IndicatorResult, PerspectiveResult, Scorecard, Status, StatusCounts, Trend};
use malkart::format::with_unit;
use malkart::period::Period;

/// The mark and word of a status: `● grønn`, `▲ gul`, `■ rød`, `○ ingen data`, `– ingen mål`.
pub fn status_text(status: Status) -> String {
    let mark = match status {
        Status::Green => '●',
        Status::Yellow => '▲',
        Status::Red => '■',
        Status::NoData => '○',
        Status::NoTarget => '–',
    };
    format!("{mark} {}", status.word())
}

/// The trend as an arrow and a word; the arrow says better or worse, not up or down, since
/// for a `lav` indicator a falling value is better.
pub fn trend_text(trend: Trend) -> &'static str {
    match trend {
        Trend::Better => "↑ bedre",
        Trend::Worse => "↓ verre",
        Trend::Unchanged => "→ uendret",
        Trend::Unknown => "· ukjent",
    }
}

fn counts_text(c: &StatusCounts) -> String {
    format!(
        "grønn {} · gul {} · rød {} · ingen data {} · ingen mål {}",
        c.green, c.yellow, c.red, c.no_data, c.no_target
    )
}

fn coverage_text(r: &IndicatorResult) -> String {
    if r.expected_cells == 0 {
        "–".to_string()
    } else {
        format!("{} av {}", r.reported_cells, r.expected_cells)
    }
}

fn optional(value: Option<f64>, r: &IndicatorResult) -> String {
    value.map_or_else(
        || "–".to_string(),
        |v| with_unit(v, r.decimals, &r.unit_label),
    )
}

const HEADER: [&str; 9] = [
    "kode",
    "navn",
    "periode",
    "verdi",
    "mål",
    "rød grense",
    "status",
    "trend",
    "dekning",
];
/// Columns that hold numbers are right-aligned.
const RIGHT: [bool; 9] = [false, false, false, true, true, true, false, false, true];
const NAME_WIDTH: usize = 44;

fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(width - 1).collect();
        s.push('…');
        s
    }
}

fn row(r: &IndicatorResult) -> [String; 9] {
    [
        r.code.clone(),
        shorten(&r.name, NAME_WIDTH),
        r.period.clone(),
        optional(r.value, r),
        optional(r.target, r),
        optional(r.red_limit, r),
        status_text(r.status),
        trend_text(r.trend).to_string(),
        coverage_text(r),
    ]
}

fn perspective(out: &mut String, p: &PerspectiveResult) {
    out.push_str(&format!(
        "\n{} — {}  ({})\n",
        p.name,
        status_text(p.status),
        counts_text(&p.counts)
    ));
    if p.indicators.is_empty() {
        out.push_str("  (ingen indikatorer)\n");
        return;
    }
    let rows: Vec<[String; 9]> = p.indicators.iter().map(row).collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 9]| {
        let mut s = String::from(" ");
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            s.push(' ');
            if RIGHT[i] {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&" ".repeat(pad));
            }
            s.push(' ');
        }
        s.trim_end().to_string() + "\n"
    };
    out.push_str(&line(&HEADER.map(str::to_string)));
    for r in &rows {
        out.push_str(&line(r));
    }
}

/// The whole målkart: a title, then per perspective a summary line and one row per indicator.
pub fn render(card: &Scorecard) -> String {
    let label = Period::parse(&card.period)
        .map(|p| p.label())
        .unwrap_or_else(|_| card.period.clone());
    let mut out = format!(
        "Målkart for {} {} — {} ({})\n",
        card.unit.code, card.unit.name, label, card.period
    );
    for p in &card.perspectives {
        perspective(&mut out, p);
    }
    out.push_str(
        "\nPeriode er perioden tallet gjelder (en årlig indikator viser siste hele år). \
         Dekning er rapporterte av forventede tall.\n",
    );
    out
}
