//! `malkart status --format table`: the målkart as plain Norwegian text. Every status is a
//! mark *and* a word (`■ rød`), so the table reads the same without colour, in a log file or
//! on a screen reader.

use malkart::engine::{IndicatorResult, PerspectiveResult, Scorecard, Status, StatusCounts, Trend};
use malkart::format::{round_half_away, with_unit};
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

/// The trend as an arrow and a word, as the app shows it: the arrow points the way the
/// displayed value moved since the previous period, the word says whether that is better or
/// worse (for a `lav` indicator a rising value is `↑ verre`).
pub fn trend_text(r: &IndicatorResult) -> String {
    let previous = r.previous.value.map(|v| round_half_away(v, r.decimals));
    let arrow = match (r.display_value, previous) {
        (Some(now), Some(before)) if now > before => "↑",
        (Some(now), Some(before)) if now < before => "↓",
        (Some(_), Some(_)) => "→",
        _ => "·",
    };
    let word = match r.trend {
        Trend::Better => "bedre",
        Trend::Worse => "verre",
        Trend::Unchanged => "uendret",
        Trend::Unknown => "ukjent",
    };
    format!("{arrow} {word}")
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
    // A masked sick-leave figure shows `*`, never the number; the status says why.
    let (value, status, trend) = match r.masked {
        Some(reason) => (
            "*".to_string(),
            format!("* skjult ({})", reason.word()),
            "·".to_string(),
        ),
        None => (optional(r.value, r), status_text(r.status), trend_text(r)),
    };
    [
        r.code.clone(),
        shorten(&r.name, NAME_WIDTH),
        r.period.clone(),
        value,
        optional(r.target, r),
        optional(r.red_limit, r),
        status,
        trend,
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

/// The whole målkart: a title, then per perspective a summary line and one row per indicator;
/// a note on masking when any sick-leave figure is masked (`min_employees` the minimum in
/// force), or a warning when the figures are shown unmasked.
pub fn render(card: &Scorecard, min_employees: u32, unmasked: bool) -> String {
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
    let masked = card
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .any(|r| r.masked.is_some());
    if unmasked {
        out.push_str(
            "Sykefraværstallene vises umaskert (--umaskert); visningen er skrevet i \
             endringsloggen. Ikke del dem videre.\n",
        );
    } else if masked {
        out.push_str(&format!(
            "* Sykefraværstall for grupper med færre enn {min_employees} ansatte (eller ukjent \
             antall) er skjult av personvernhensyn, og tall som ellers kunne regnes ut av dem \
             (sekundær).\n"
        ));
    }
    out
}
