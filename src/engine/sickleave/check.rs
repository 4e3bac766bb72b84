//! The checks of sick-leave.md on one row, shared by the import, the grid and storage.

use super::FieldProblem;
use crate::model::SickLeave;

/// The figures every row has (`0` when there was no absence of that kind).
pub const REQUIRED: [&str; 3] = ["avtalte_dagsverk", "egenmeldt", "legemeldt"];

/// The four length bands of the split: all four or none.
pub const BANDS: [&str; 4] = ["dager_1_3", "dager_4_16", "dager_17_56", "dager_over_56"];

/// A required figure left empty.
pub const MISSING: &str = "mangler verdi";

/// A band left empty while another band is given.
pub const BAND_MISSING: &str =
    "mangler verdi; fordelingen på lengde må ha alle fire kolonnene eller ingen";

/// `ansatte` read as a number: a whole number of persons ≥ 0, or the message naming `text`.
pub fn employees(x: f64, text: &str) -> Result<u32, String> {
    if x < 0.0 || x.fract() != 0.0 || x > f64::from(u32::MAX) {
        return Err(format!(
            "antall ansatte må være et helt tall som ikke er negativt, ikke «{text}»"
        ));
    }
    Ok(x as u32)
}

/// The bands left empty when some but not all four are given (`given` says whether a band
/// has a figure); empty when all four or none are.
pub fn missing_bands(given: impl Fn(&str) -> bool) -> Vec<&'static str> {
    let missing: Vec<&'static str> = BANDS.iter().copied().filter(|b| !given(b)).collect();
    if missing.len() == BANDS.len() {
        Vec::new()
    } else {
        missing
    }
}

/// How far the length split may be from `egenmeldt + legemeldt` (person-days).
pub const SPLIT_TOLERANCE: f64 = 0.01;

fn problem(column: &str, message: String) -> FieldProblem {
    FieldProblem {
        column: column.to_string(),
        message,
    }
}

/// `7,5`: a figure as the user typed it, for messages (no rounding, decimal comma).
pub(crate) fn plain(x: f64) -> String {
    let text = format!("{}", (x * 1e9).round() / 1e9);
    text.replace('.', ",").replace('-', "−")
}

/// The checks of sick-leave.md on one row, shared by the import, the grid and storage:
/// all figures ≥ 0, `avtalte_dagsverk` > 0, `egenmeldt + legemeldt ≤ avtalte_dagsverk`, the
/// length split summing to `egenmeldt + legemeldt` (±0.01). Empty when the row is fine.
pub fn check(row: &SickLeave) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    let mut figures: Vec<(&str, f64)> = vec![
        ("avtalte_dagsverk", row.contracted_days),
        ("egenmeldt", row.self_certified),
        ("legemeldt", row.doctor_certified),
    ];
    if let Some(s) = &row.split {
        figures.extend([
            ("dager_1_3", s.days_1_3),
            ("dager_4_16", s.days_4_16),
            ("dager_17_56", s.days_17_56),
            ("dager_over_56", s.days_over_56),
        ]);
    }
    let mut all_fine = true;
    for (column, x) in &figures {
        if !x.is_finite() {
            out.push(problem(column, "må være et tall".to_string()));
            all_fine = false;
        } else if *x < 0.0 {
            out.push(problem(
                column,
                format!("kan ikke være negativ ({})", plain(*x)),
            ));
            all_fine = false;
        }
    }
    if row.contracted_days.is_finite() && row.contracted_days == 0.0 {
        out.push(problem(
            "avtalte_dagsverk",
            "avtalte dagsverk må være større enn 0".to_string(),
        ));
        all_fine = false;
    }
    if !all_fine {
        return out;
    }
    let absence = row.absence_days();
    // A relative hair of slack for binary noise only (0.1 + 0.2 > 0.3 in binary).
    if absence > row.contracted_days * (1.0 + 1e-12) {
        out.push(problem(
            "legemeldt",
            format!(
                "egenmeldt + legemeldt ({} + {} = {}) er mer enn avtalte dagsverk ({})",
                plain(row.self_certified),
                plain(row.doctor_certified),
                plain(absence),
                plain(row.contracted_days)
            ),
        ));
    }
    if let Some(s) = &row.split {
        let sum = s.days_1_3 + s.days_4_16 + s.days_17_56 + s.days_over_56;
        if (sum - absence).abs() > SPLIT_TOLERANCE + 1e-9 {
            out.push(problem(
                "dager_1_3",
                format!(
                    "fordelingen på lengde ({} + {} + {} + {} = {}) må bli egenmeldt + legemeldt ({})",
                    plain(s.days_1_3),
                    plain(s.days_4_16),
                    plain(s.days_17_56),
                    plain(s.days_over_56),
                    plain(sum),
                    plain(absence)
                ),
            ));
        }
    }
    out
}
