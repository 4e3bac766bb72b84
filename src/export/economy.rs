//! The economy report as a `Document`: the spec's columns in order and the definitions.
//!
//! `Prognose` is `Cell::Marked` with `†` where units of the row's subtree sent no forecast and
//! count as on budget, as the app marks it; the note «Enheter uten prognose» explains the
//! mark and says how many. CSV writes only the number.

use super::{Cell, Column, ColumnKind, Document, Note, Row};
use crate::engine::economy::EconomyReport;
use crate::period::Period;

/// The mark beside a forecast that is (partly) the budget, as in the app.
pub const NO_FORECAST_MARK: &str = "†";

fn column(header: &str, kind: ColumnKind) -> Column {
    Column {
        header: header.to_string(),
        kind,
    }
}

fn number(value: Option<f64>) -> Cell {
    value.map_or(Cell::Empty, Cell::Number)
}

/// `1. tertial 2026 (2026-T1), hittil i år til og med april 2026`.
fn period_text(report: &EconomyReport) -> String {
    let asked = Period::parse(&report.period)
        .map(|p| format!("{} ({})", p.label(), report.period))
        .unwrap_or_else(|_| report.period.clone());
    match Period::parse(&report.through) {
        Ok(t) => format!(
            "{asked}, hittil i år til og med {} {}",
            t.last().name(),
            t.last().year()
        ),
        Err(_) => asked,
    }
}

pub fn document(report: &EconomyReport, exported_at: &str) -> Document {
    use ColumnKind::*;
    let columns = vec![
        column("Ansvar", Text),
        column("Enhet", Name),
        column("Nivå", Integer),
        column("Årsbudsjett", Kroner),
        column("Budsjett hittil", Kroner),
        column("Regnskap hittil", Kroner),
        column("Avvik kr", Kroner),
        column("Avvik %", Percent),
        column("Forbruk %", Percent),
        column("Prognose", Kroner),
        column("Prognoseavvik", Kroner),
        column("Status", Status),
    ];
    let rows: Vec<Row> = report
        .rows
        .iter()
        .map(|r| Row {
            depth: r.depth,
            cells: vec![
                Cell::Text(r.code.clone()),
                Cell::Text(r.name.clone()),
                Cell::Number(f64::from(r.depth)),
                Cell::Number(r.annual_budget),
                Cell::Number(r.budget_ytd),
                Cell::Number(r.actual_ytd),
                Cell::Number(r.deviation),
                number(r.deviation_pct),
                number(r.spent_pct),
                if r.units_without_forecast > 0 {
                    Cell::Marked(r.forecast, NO_FORECAST_MARK.to_string())
                } else {
                    Cell::Number(r.forecast)
                },
                Cell::Number(r.forecast_deviation),
                Cell::Status(r.status),
            ],
        })
        .collect();
    let without: u32 = report.rows.first().map_or(0, |r| r.units_without_forecast);
    let mut notes = vec![Note {
        heading: "Definisjoner".to_string(),
        paragraphs: vec![
            "Beløp er netto kroner som i kommuneregnskapet: utgifter positive, inntekter \
             negative. Hver rad er summen for enheten og alle enhetene under den, hittil i år \
             (januar til og med rapportens siste måned)."
                .to_string(),
            "Årsbudsjett: sum periodisert budsjett for årets tolv måneder. Budsjett hittil og \
             regnskap hittil: sum fra januar til og med rapportens siste måned."
                .to_string(),
            "Avvik kr = budsjett hittil − regnskap hittil; positivt avvik er mindreforbruk, \
             negativt er merforbruk. Avvik % = 100 × avvik / |budsjett hittil|."
                .to_string(),
            "Forbruk % = 100 × regnskap hittil / årsbudsjett.".to_string(),
            "Prognose: summen av hver enhets siste prognose for hele årets regnskap, avgitt \
             senest i rapportens siste måned. Prognoseavvik = årsbudsjett − prognose; positivt \
             betyr ventet mindreforbruk ved årsslutt."
                .to_string(),
            "Status er statusen til indikatoren OK-AVVIK hittil i år: avviket regnet bare over \
             månedene som har regnskap, mot målet og rødgrensen for enheten og året."
                .to_string(),
        ],
    }];
    notes.push(Note {
        heading: "Enheter uten prognose".to_string(),
        paragraphs: vec![if without == 0 {
            "Alle enheter med budsjett har levert prognose.".to_string()
        } else {
            format!(
                "{NO_FORECAST_MARK} Prognose = budsjett: {without} {} med budsjett har ikke \
                 levert prognose og regnes som i balanse: prognosen er satt lik årsbudsjettet. \
                 Rader der minst én enhet mangler prognose, er merket {NO_FORECAST_MARK}.",
                if without == 1 { "enhet" } else { "enheter" }
            )
        }],
    });
    Document {
        title: "Økonomirapport".to_string(),
        sheet: "Økonomi".to_string(),
        unit: format!("{} {}", report.unit.code, report.unit.name),
        period: period_text(report),
        exported_at: exported_at.to_string(),
        columns,
        rows,
        groups: Vec::new(),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::economy::EconomyReportRow;
    use crate::engine::{Status, UnitRef};

    fn row(code: &str, depth: u32, without: u32) -> EconomyReportRow {
        EconomyReportRow {
            code: code.into(),
            name: format!("Enhet {code}"),
            depth,
            annual_budget: 1_200_000.0,
            budget_ytd: 400_000.0,
            actual_ytd: 410_000.5,
            deviation: -10_000.5,
            deviation_pct: Some(-2.500125),
            spent_pct: None,
            forecast: 1_230_000.0,
            forecast_is_budget: without > 0,
            units_without_forecast: without,
            forecast_deviation: -30_000.0,
            status: Status::Red,
        }
    }

    #[test]
    fn columns_in_the_specs_order_and_forecast_marked_where_units_lack_one() {
        let report = EconomyReport {
            unit: UnitRef {
                code: "2000".into(),
                name: "Oppvekst".into(),
            },
            period: "2026-T1".into(),
            through: "2026-04".into(),
            rows: vec![row("2000", 0, 2), row("2100", 1, 0)],
        };
        let doc = document(&report, "23.11.2026 kl. 14:05");
        let headers: Vec<&str> = doc.columns.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(
            headers,
            [
                "Ansvar",
                "Enhet",
                "Nivå",
                "Årsbudsjett",
                "Budsjett hittil",
                "Regnskap hittil",
                "Avvik kr",
                "Avvik %",
                "Forbruk %",
                "Prognose",
                "Prognoseavvik",
                "Status"
            ]
        );
        assert_eq!(doc.title, "Økonomirapport");
        assert_eq!(doc.sheet, "Økonomi");
        assert_eq!(doc.unit, "2000 Oppvekst");
        assert_eq!(
            doc.period,
            "1. tertial 2026 (2026-T1), hittil i år til og med april 2026"
        );
        assert_eq!(doc.rows[0].cells[9], Cell::Marked(1_230_000.0, "†".into()));
        assert_eq!(doc.rows[1].cells[9], Cell::Number(1_230_000.0));
        assert_eq!(doc.rows[1].depth, 1);
        assert_eq!(doc.rows[0].cells[8], Cell::Empty);
        assert_eq!(doc.rows[0].cells[11], Cell::Status(Status::Red));
        assert!(doc
            .notes
            .iter()
            .any(|n| n.paragraphs.iter().any(|p| p.contains("2 enheter"))));
    }
}
