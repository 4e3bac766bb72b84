//! The survey view (`service::surveys`) as a `Document`: one row per factor — faktor | the
//! round | the round before | endring | the municipality | each reference series | status |
//! a bar of the score on the survey's scale — with the respondents, the masking rule and
//! the scale in the notes. A masked score prints `*`, never a number.

use chrono::NaiveDateTime;

use super::{time_text, Cell, Column, ColumnKind, Document, Note, Row};
use crate::engine::sickleave::MaskReason;
use crate::service::surveys::SurveyView;

/// Characters of a full bar (the top of the scale).
const BAR_WIDTH: f64 = 20.0;

/// The score as a bar of block characters on the scale `low`–`high`, in eighths.
pub fn bar(value: f64, low: f64, high: f64) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let share = ((value - low) / (high - low)).clamp(0.0, 1.0);
    let eighths = (share * BAR_WIDTH * 8.0).round() as usize;
    format!("{}{}", "█".repeat(eighths / 8), PARTS[eighths % 8])
}

fn score(value: Option<f64>, masked: Option<MaskReason>) -> Cell {
    match (value, masked) {
        (_, Some(_)) => Cell::Masked,
        (Some(v), None) => Cell::Number(v),
        (None, None) => Cell::Empty,
    }
}

pub fn document(view: &SurveyView, exported_at: NaiveDateTime) -> Document {
    let round = view.round.clone().unwrap_or_else(|| "–".to_string());
    let previous = view
        .previous_round
        .clone()
        .unwrap_or_else(|| "Runden før".to_string());
    let mut columns = Column::list(&[
        ("Faktor", ColumnKind::Name),
        (&round, ColumnKind::OneDecimal),
        (&previous, ColumnKind::OneDecimal),
        ("Endring", ColumnKind::Change),
        (&view.municipality.name, ColumnKind::OneDecimal),
    ]);
    columns.extend(Column::list(
        &view
            .series
            .iter()
            .map(|s| (s.as_str(), ColumnKind::OneDecimal))
            .collect::<Vec<_>>(),
    ));
    columns.extend(Column::list(&[
        ("Status", ColumnKind::Status),
        ("Skår", ColumnKind::Text),
    ]));
    let rows = view
        .factors
        .iter()
        .map(|f| {
            let r = &f.result;
            let shown = r.display_value.filter(|_| r.masked.is_none());
            let before = r.previous.value.filter(|_| r.previous.masked.is_none());
            let change = match (shown, before) {
                // Both as displayed, one decimal: the difference of what is printed.
                (Some(a), Some(b)) => Cell::Number(crate::format::round_half_away(
                    a - crate::format::round_half_away(b, 1),
                    1,
                )),
                _ => Cell::Empty,
            };
            let mut cells = vec![
                Cell::Text(r.name.clone()),
                score(shown, r.masked),
                score(before, r.previous.masked),
                change,
                score(f.municipality, f.municipality_masked),
            ];
            for s in &view.series {
                cells.push(
                    r.references
                        .iter()
                        .find(|x| &x.series == s)
                        .map_or(Cell::Empty, |x| Cell::Number(x.value)),
                );
            }
            cells.push(if r.masked.is_some() {
                Cell::Masked
            } else {
                Cell::Status(r.status)
            });
            cells.push(Cell::Text(shown.map_or_else(String::new, |v| {
                bar(v, view.scale_min, view.scale_max)
            })));
            Row { depth: 0, cells }
        })
        .collect();
    let survey = view.survey.as_ref();
    let name = survey.map_or("Undersøkelse", |s| s.name.as_str());
    let min = survey.map_or(0, |s| s.min_respondents);
    let mut notes = vec![Note {
        heading: "Om tallene".to_string(),
        paragraphs: vec![
            format!(
                "Snitt på skalaen {}–{} ({}). Enhetens eget rapporterte snitt i runden; det \
                 regnes aldri ut fra enhetene under. Endring er mot runden før, uansett hvor \
                 mange år det er mellom.",
                view.scale_min,
                view.scale_max,
                if view.scale_max > 5.0 {
                    "6 er best"
                } else {
                    "høyere er bedre"
                }
            ),
            match view.respondents {
                Some(n) => format!("{} svar fra {} i {round}.", n, view.unit.name),
                None => format!("Antall svar fra {} vises ikke.", view.unit.name),
            },
        ],
    }];
    if view.factors.iter().any(|f| {
        f.result.masked.is_some()
            || f.result.previous.masked.is_some()
            || f.municipality_masked.is_some()
    }) {
        notes.push(Note {
            heading: "* Skjult av personvernhensyn".to_string(),
            paragraphs: vec![format!(
                "Resultater med færre enn {min} svar vises ikke, heller ikke resultater som \
                 ellers kunne regnes ut av dem og tallene for enhetene rundt."
            )],
        });
    }
    Document {
        title: format!("{name} {round}"),
        sheet: "Undersøkelse".to_string(),
        unit: format!("{} {}", view.unit.code, view.unit.name),
        period: match &view.previous_round {
            Some(p) => format!("Runde {round}, sammenlignet med {p}"),
            None => format!("Runde {round}"),
        },
        exported_at: time_text(exported_at),
        columns,
        rows,
        groups: Vec::new(),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_the_score_on_the_scale_in_eighths() {
        // 4,1 on 1–5: (4,1 − 1) / 4 = 0,775 of 20 characters = 15,5 → 124 eighths = 15
        // full blocks and a half.
        assert_eq!(bar(4.1, 1.0, 5.0), format!("{}▌", "█".repeat(15)));
        assert_eq!(bar(1.0, 1.0, 5.0), "");
        assert_eq!(bar(6.0, 1.0, 6.0), "█".repeat(20));
    }
}
