//! The sick-leave summary as a `Document`: the spec's columns in order, definitions and
//! the masking note.

use super::{Cell, Column, ColumnKind, Document, Note, Row};
use crate::engine::sickleave::{SickLeaveSummary, SickLeaveSummaryRow};
use crate::period::Period;

/// The columns of sick-leave.md, in order, with their CSV headers.
pub const COLUMNS: [(&str, ColumnKind); 15] = [
    ("Enhetskode", ColumnKind::Text),
    ("Enhet", ColumnKind::Name),
    ("Nivå", ColumnKind::Integer),
    ("Ansatte", ColumnKind::Integer),
    ("Avtalte dagsverk", ColumnKind::Days),
    ("Fraværsdagsverk", ColumnKind::Days),
    ("Fravær %", ColumnKind::Percent),
    ("Egenmeldt %", ColumnKind::Percent),
    ("Legemeldt %", ColumnKind::Percent),
    ("Korttid 1-16 dager %", ColumnKind::Percent),
    ("Langtid over 16 dager %", ColumnKind::Percent),
    ("Fravær % samme periode i fjor", ColumnKind::Percent),
    ("Endring prosentpoeng", ColumnKind::Change),
    ("Mål %", ColumnKind::Percent),
    ("Status", ColumnKind::Status),
];

/// `3. kvartal 2026 (2026-K3)`; the id alone when it does not parse.
pub fn period_text(id: &str) -> String {
    match Period::parse(id) {
        Ok(p) => format!("{} ({p})", p.label()),
        Err(_) => id.to_string(),
    }
}

fn number(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Number)
}

/// A figure that masking hides: `*` when the row is masked.
fn hidden(row: &SickLeaveSummaryRow, v: Option<f64>) -> Cell {
    if row.masked {
        Cell::Masked
    } else {
        number(v)
    }
}

fn cells(row: &SickLeaveSummaryRow) -> Vec<Cell> {
    vec![
        Cell::Text(row.code.clone()),
        Cell::Text(row.name.clone()),
        Cell::Number(f64::from(row.depth)),
        number(row.employees.map(f64::from)),
        number(row.contracted_days),
        hidden(row, row.absence_days),
        hidden(row, row.absence_pct),
        hidden(row, row.self_certified_pct),
        hidden(row, row.doctor_certified_pct),
        hidden(row, row.short_pct),
        hidden(row, row.long_pct),
        hidden(row, row.last_year_pct),
        hidden(row, row.change_pp),
        number(row.target),
        match (row.masked, row.status) {
            (true, _) => Cell::Masked,
            (false, Some(s)) => Cell::Status(s),
            (false, None) => Cell::Empty,
        },
    ]
}

fn rows_text(n: u32) -> String {
    if n == 1 {
        "1 rad er skjult".to_string()
    } else {
        format!("{n} rader er skjult")
    }
}

/// The masking note: how many rows were hidden, why, and the limit.
pub fn masking_note(summary: &SickLeaveSummary) -> String {
    let min = summary.min_employees;
    if min == 0 {
        return "Skjerming av små grupper er slått av (grensen er satt til 0 ansatte); \
                alle tall vises."
            .to_string();
    }
    if summary.masked_primary == 0 && summary.masked_secondary == 0 {
        return format!(
            "Ingen rader er skjult; grensen er {min} ansatte. Rader med færre ansatte, eller \
             ukjent antall, ville vist * i stedet for fraværstallene."
        );
    }
    format!(
        "{} fordi enheten har færre enn {min} ansatte eller ukjent antall ansatte; {} for at \
         de skjulte ikke skal kunne regnes ut ved å trekke rader fra hverandre; grensen er \
         {min} ansatte. Skjulte tall vises som *, men er med i summene for enhetene over.",
        rows_text(summary.masked_primary),
        rows_text(summary.masked_secondary),
    )
}

/// The definitions, one paragraph per figure.
pub fn definitions() -> Vec<String> {
    [
        "Hver rad er summen for enheten og alle enhetene under den i perioden. Prosentene \
         regnes som summen av fraværsdagsverk delt på summen av avtalte dagsverk, aldri som \
         et gjennomsnitt av prosenter.",
        "Ansatte: det høyeste antallet ansatte i en måned i perioden, summert over enheten \
         og enhetene under den.",
        "Avtalte dagsverk: dagsverk etter avtalt arbeidstid, vektet med stillingsandel.",
        "Fraværsdagsverk: egenmeldte og legemeldte sykefraværsdagsverk; legemeldt fravær er \
         vektet med sykmeldingsgraden.",
        "Fravær %: 100 × fraværsdagsverk / avtalte dagsverk (NAV og SSB).",
        "Egenmeldt %: 100 × egenmeldte fraværsdagsverk / avtalte dagsverk.",
        "Legemeldt %: 100 × legemeldte fraværsdagsverk / avtalte dagsverk.",
        "Korttid 1-16 dager %: 100 × fravær i tilfeller på 1–16 dager / avtalte dagsverk, \
         bare over måneder og enheter som har fordelt fraværet på lengde.",
        "Langtid over 16 dager %: 100 × fravær i tilfeller over 16 dager / avtalte dagsverk, \
         bare over måneder og enheter som har fordelt fraværet på lengde.",
        "Fravær % samme periode i fjor: fraværsprosenten for den samme perioden ett år \
         tidligere.",
        "Endring prosentpoeng: Fravær % minus fjorårets, regnet på de viste tallene med én \
         desimal.",
        "Mål % og Status: enhetens mål for sykefravær det året (ellers kommunens), og om \
         fraværet er innenfor målet (grønn), mellom målet og rødgrensen (gul) eller over \
         rødgrensen (rød).",
    ]
    .into_iter()
    .map(str::to_string)
    .collect()
}

pub fn document(summary: &SickLeaveSummary, exported_at: &str) -> Document {
    Document {
        title: "Sykefraværsrapport".to_string(),
        sheet: "Sykefravær".to_string(),
        unit: format!("{} {}", summary.unit.code, summary.unit.name),
        period: period_text(&summary.period),
        exported_at: exported_at.to_string(),
        columns: Column::list(&COLUMNS),
        rows: summary
            .rows
            .iter()
            .map(|r| Row {
                depth: r.depth,
                cells: cells(r),
            })
            .collect(),
        groups: Vec::new(),
        notes: vec![
            Note {
                heading: "Definisjoner".to_string(),
                paragraphs: definitions(),
            },
            Note {
                heading: "Skjerming av små grupper".to_string(),
                paragraphs: vec![masking_note(summary)],
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sickleave::{MaskReason, SickLeaveSummaryRow};
    use crate::engine::{Status, UnitRef};

    fn row(code: &str, depth: u32, masked: bool) -> SickLeaveSummaryRow {
        SickLeaveSummaryRow {
            code: code.into(),
            name: format!("Enhet {code}"),
            depth,
            employees: Some(if masked { 3 } else { 60 }),
            contracted_days: Some(3300.0),
            absence_days: (!masked).then_some(210.0),
            absence_pct: (!masked).then_some(6.36),
            self_certified_pct: (!masked).then_some(1.36),
            doctor_certified_pct: (!masked).then_some(5.0),
            short_pct: None,
            long_pct: None,
            last_year_pct: (!masked).then_some(6.9),
            change_pp: (!masked).then_some(-0.5),
            target: Some(7.0),
            status: (!masked).then_some(Status::Green),
            masked,
            mask_reason: masked.then_some(MaskReason::FewEmployees),
        }
    }

    #[test]
    fn the_spec_columns_in_order_masked_cells_and_the_notes() {
        let summary = SickLeaveSummary {
            unit: UnitRef {
                code: "2000".into(),
                name: "Oppvekst".into(),
            },
            period: "2026-K3".into(),
            min_employees: 5,
            rows: vec![row("2000", 0, false), row("2100", 1, true)],
            masked_primary: 1,
            masked_secondary: 2,
        };
        let doc = document(&summary, "23.11.2026 kl. 14:05");
        let headers: Vec<&str> = doc.columns.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(
            headers,
            [
                "Enhetskode",
                "Enhet",
                "Nivå",
                "Ansatte",
                "Avtalte dagsverk",
                "Fraværsdagsverk",
                "Fravær %",
                "Egenmeldt %",
                "Legemeldt %",
                "Korttid 1-16 dager %",
                "Langtid over 16 dager %",
                "Fravær % samme periode i fjor",
                "Endring prosentpoeng",
                "Mål %",
                "Status"
            ]
        );
        assert_eq!(doc.columns[1].kind, ColumnKind::Name);
        assert_eq!(doc.columns[4].kind, ColumnKind::Days);
        // The change is signed in XLSX and PDF as on screen (`+0,3`).
        assert_eq!(doc.columns[12].kind, ColumnKind::Change);
        assert_eq!(
            (doc.title.as_str(), doc.sheet.as_str()),
            ("Sykefraværsrapport", "Sykefravær")
        );
        assert_eq!(doc.unit, "2000 Oppvekst");
        assert_eq!(doc.period, "3. kvartal 2026 (2026-K3)");
        let shown = &doc.rows[0].cells;
        assert_eq!(shown[6], Cell::Number(6.36));
        assert_eq!(shown[9], Cell::Empty);
        assert_eq!(shown[14], Cell::Status(Status::Green));
        let masked = &doc.rows[1];
        assert_eq!(masked.depth, 1);
        assert_eq!(masked.cells[0], Cell::Text("2100".into()));
        assert_eq!(masked.cells[3], Cell::Number(3.0));
        assert_eq!(masked.cells[4], Cell::Number(3300.0));
        for k in 5..13 {
            assert_eq!(masked.cells[k], Cell::Masked, "column {k}");
        }
        assert_eq!(masked.cells[13], Cell::Number(7.0));
        assert_eq!(masked.cells[14], Cell::Masked);
        assert_eq!(doc.notes[0].paragraphs.len(), 12);
        assert_eq!(
            doc.notes[1].paragraphs[0],
            "1 rad er skjult fordi enheten har færre enn 5 ansatte eller ukjent antall ansatte; \
             2 rader er skjult for at de skjulte ikke skal kunne regnes ut ved å trekke rader \
             fra hverandre; grensen er 5 ansatte. Skjulte tall vises som *, men er med i \
             summene for enhetene over."
        );
    }
}
