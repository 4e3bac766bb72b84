//! `malkart status --format table`: the målkart as plain Norwegian text. Every status is a
//! mark *and* a word (`■ rød`), so the table reads the same without colour, in a log file or
//! on a screen reader.

use malkart::engine::{
    progress, IndicatorResult, PerspectiveResult, Scorecard, Status, StatusCounts, Trend,
};
use malkart::format::{round_half_away, with_unit};
use malkart::period::Period;
use malkart::service::audit::AuditRow;
use malkart::service::detail::IndicatorDetail;

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

/// A result's status: a provisional colour (its period has not ended) is `◔ foreløpig (gul
/// så langt)`, never the final mark; `ingen data` and `ingen mål` claim no result and stay.
pub fn result_status_text(r: &IndicatorResult) -> String {
    match r.status {
        Status::Green | Status::Yellow | Status::Red if r.provisional => {
            format!("◔ foreløpig ({} så langt)", r.status.word())
        }
        status => status_text(status),
    }
}

/// The trend as an arrow and a word, as the app shows it: the arrow points the way the
/// displayed value moved since the previous period, the word says whether that is better or
/// worse (for a `lav` indicator a rising value is `↑ verre`). A provisional result is not
/// compared: `· foreløpig`.
pub fn trend_text(r: &IndicatorResult) -> String {
    if r.provisional {
        return "· foreløpig".to_string();
    }
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

/// The value with the reference series beside it: `4,1 · landet 4,3`.
fn with_references(value: String, r: &IndicatorResult) -> String {
    r.references.iter().fold(value, |text, x| {
        format!(
            "{text} · {}",
            malkart::format::reference_label(&x.series, &x.display)
        )
    })
}

fn row(r: &IndicatorResult) -> [String; 9] {
    // A masked sick-leave figure shows `*`, never the number; the status says why.
    let (value, status, trend) = match r.masked {
        Some(reason) => (
            "*".to_string(),
            format!("* skjult ({})", reason.word()),
            "·".to_string(),
        ),
        None if r.red_without_action => (
            with_references(optional(r.value, r), r),
            format!("{} · ⚑ uten tiltak", result_status_text(r)),
            trend_text(r),
        ),
        None => (
            with_references(optional(r.value, r), r),
            result_status_text(r),
            trend_text(r),
        ),
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

fn perspective(out: &mut String, p: &PerspectiveResult, complete: bool) {
    let status = match p.status {
        Status::Green | Status::Yellow | Status::Red if !complete => {
            format!("◔ foreløpig ({} så langt)", p.status.word())
        }
        status => status_text(status),
    };
    out.push_str(&format!(
        "\n{} — {}  ({})\n",
        p.name,
        status,
        counts_text(&p.counts)
    ));
    if p.indicators.is_empty() {
        out.push_str("  (ingen indikatorer)\n");
        return;
    }
    let rows: Vec<[String; 9]> = p.indicators.iter().map(row).collect();
    columns(out, &HEADER, &rows, &RIGHT);
    // Each goal's tiltak: `Tiltak: Nærvær 3 tiltak · 1 forsinket; Kompetanse 1 tiltak`.
    let goals: Vec<String> = p
        .goals
        .iter()
        .filter(|g| g.actions.total > 0)
        .map(|g| {
            format!(
                "{} {}",
                g.name,
                malkart::export::actions::counts_text(&g.actions)
            )
        })
        .collect();
    if !goals.is_empty() {
        out.push_str(&format!("  Tiltak: {}\n", goals.join("; ")));
    }
}

/// A table in plain text: a header line and a line per row, each column as wide as its
/// widest cell (counted in characters), numbers right-aligned where `right` says so.
fn columns<const N: usize>(
    out: &mut String,
    header: &[&str; N],
    rows: &[[String; N]],
    right: &[bool; N],
) {
    let mut widths = header.map(|h| h.chars().count());
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header = header.map(str::to_string);
    for cells in std::iter::once(&header).chain(rows) {
        let mut s = String::from(" ");
        for (i, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.chars().count());
            s.push(' ');
            if right[i] {
                s.push_str(&pad);
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&pad);
            }
            s.push(' ');
        }
        out.push_str(s.trim_end());
        out.push('\n');
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
    if !card.complete {
        out.push_str(&format!(
            "{}: {label} er ikke over. Statusene gjelder tallene så langt og er ikke \
             endelige; de sammenlignes ikke med forrige periode.\n",
            progress::provisional_text(card.months_covered, card.months_total)
        ));
    }
    for p in &card.perspectives {
        perspective(&mut out, p, card.complete);
    }
    out.push_str(&format!(
        "\nTiltak i målkartet: {}; {} {} uten tiltak (⚑: rød, og ingen åpne tiltak er \
         knyttet til indikatoren).\n",
        malkart::export::actions::counts_text(&card.actions),
        card.red_without_action,
        if card.red_without_action == 1 {
            "rød indikator"
        } else {
            "røde indikatorer"
        }
    ));
    out.push_str(
        "Periode er perioden tallet gjelder (en årlig indikator viser siste hele år). \
         Dekning er rapporterte av forventede tall.\n",
    );
    let masked = card
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .any(|r| r.masked.is_some() && r.survey.is_none());
    let survey_masked = card
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .any(|r| r.masked.is_some() && r.survey.is_some());
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
    if survey_masked {
        out.push_str(
            "* Undersøkelsesresultater med færre svar enn undersøkelsens minste antall (10-FAKTOR: \
             3) er skjult av personvernhensyn, og resultater som ellers kunne regnes ut av dem \
             (sekundær).\n",
        );
    }
    out
}

/// `malkart show … --format table`: one indicator for a unit — its figures, "hvorfor denne
/// statusen?" as the app words it (the service's explanation), and the units below it.
pub fn render_detail(
    d: &IndicatorDetail,
    asked: &Period,
    min_employees: u32,
    unmasked: bool,
) -> String {
    let r = &d.result;
    let mut out = format!(
        "{} {} — {} {}, {} ({})\n\n",
        d.definition.code,
        d.definition.name,
        d.unit.code,
        d.unit.name,
        asked.label(),
        asked
    );
    let (value, status) = match r.masked {
        Some(reason) => ("*".to_string(), format!("* skjult ({})", reason.word())),
        None => (
            r.display.clone().unwrap_or_else(|| "–".to_string()),
            result_status_text(r),
        ),
    };
    let previous = if r.previous.masked.is_some() {
        "*".to_string()
    } else {
        optional(r.previous.value, r)
    };
    let last_year = if r.last_year.masked.is_some() {
        "*".to_string()
    } else {
        optional(r.last_year.value, r)
    };
    let trend = if r.masked.is_some() {
        "·".to_string()
    } else {
        trend_text(r)
    };
    let facts = [
        ("Periode", format!("{} ({})", label_of(&r.period), r.period)),
        ("Verdi", value),
        ("Status", status),
        ("Mål", optional(r.target, r)),
        ("Rød grense", optional(r.red_limit, r)),
        ("Forrige periode", format!("{previous}  {trend}")),
        ("Samme periode i fjor", last_year),
        ("Dekning", coverage_text(r)),
    ];
    let mut facts = facts.to_vec();
    if let Some(survey) = &r.survey {
        facts.insert(
            2,
            (
                "Antall svar",
                survey.respondents.map_or_else(
                    || "*".to_string(),
                    |n| format!("{n} (vises fra {})", survey.min_respondents),
                ),
            ),
        );
        for fact in &mut facts {
            fact.0 = match fact.0 {
                "Periode" => "Runde",
                "Forrige periode" => "Runden før",
                label => label,
            };
        }
        facts.retain(|(label, _)| *label != "Samme periode i fjor" && *label != "Dekning");
    }
    if !r.references.is_empty() {
        let refs: Vec<String> = r
            .references
            .iter()
            .map(|x| format!("{} {}", x.series, x.display))
            .collect();
        facts.push(("Referanse", refs.join(", ")));
    }
    let width = facts
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    for (label, text) in &facts {
        let pad = width - label.chars().count();
        out.push_str(&format!("  {label}:{} {text}\n", " ".repeat(pad)));
    }
    out.push_str("\nHvorfor denne statusen?\n");
    if let (Some(reason), Some(survey)) = (r.masked, &r.survey) {
        out.push_str(&format!(
            "  Tallet er skjult av personvernhensyn ({}): resultater i {} med færre enn {} svar \
             vises ikke, heller ikke resultater som kunne regnes ut av dem.\n",
            reason.word(),
            survey.survey,
            survey.min_respondents
        ));
    } else if let Some(reason) = r.masked {
        out.push_str(&format!(
            "  Tallet er skjult av personvernhensyn ({}): sykefraværstall for grupper med færre \
             enn {min_employees} ansatte (eller ukjent antall) vises ikke, heller ikke tall som \
             kunne regnes ut av dem.\n",
            reason.word()
        ));
    } else {
        for line in &d.explanation {
            out.push_str(&format!("  {}: {}\n", line.label, line.text));
        }
    }
    if !d.children.is_empty() {
        out.push_str("\nEnhetene under:\n");
        let rows: Vec<[String; 4]> = d
            .children
            .iter()
            .map(|c| {
                let r = &c.result;
                let (value, status) = match r.masked {
                    Some(reason) => ("*".to_string(), format!("* skjult ({})", reason.word())),
                    None => (optional(r.value, r), result_status_text(r)),
                };
                [
                    c.unit.code.clone(),
                    shorten(&c.unit.name, NAME_WIDTH),
                    value,
                    status,
                ]
            })
            .collect();
        columns(
            &mut out,
            &["kode", "navn", "verdi", "status"],
            &rows,
            &[false, false, true, false],
        );
    }
    if unmasked {
        out.push_str(
            "\nSykefraværstallene vises umaskert (--umaskert); visningen er skrevet i \
             endringsloggen. Ikke del dem videre.\n",
        );
    }
    out
}

/// The label of a period id (`3. kvartal 2026`), or the id itself.
fn label_of(id: &str) -> String {
    Period::parse(id).map_or_else(|_| id.to_string(), |p| p.label())
}

/// `malkart audit`: the audit log, newest first, one line per change — when (local time),
/// who, from what source, what and which (by name), what happened, and only the fields that
/// changed in Norwegian words (the service's `AuditRow`, as the app shows it), with an
/// unlock's reason.
pub fn render_audit(rows: &[AuditRow]) -> String {
    if rows.is_empty() {
        return "Ingen endringer i endringsloggen passer til utvalget.\n".to_string();
    }
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                r.time.clone(),
                r.user.clone(),
                shorten(&r.source, 24),
                r.what.clone(),
                r.subject.clone(),
                r.action.clone(),
                r.change_text(),
            ]
        })
        .collect();
    let mut out = format!(
        "Endringsloggen: {} {}, nyeste først\n",
        rows.len(),
        if rows.len() == 1 {
            "endring"
        } else {
            "endringer"
        }
    );
    columns(
        &mut out,
        &[
            "tid", "bruker", "kilde", "hva", "gjelder", "handling", "endring",
        ],
        &cells,
        &[false; 7],
    );
    out
}
