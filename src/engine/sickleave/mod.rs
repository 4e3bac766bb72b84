//! Sick leave in the engine (sick-leave.md): the built-in `SF*` indicators' rows, and the
//! sick-leave summary with its privacy masking.
//!
//! - `SickLeaveIndex` keeps the sick-leave rows by unit (pre-order) and month;
//! - `indicator_rows` turns them into one ratio per (unit, month) for `SF`, `SF-E`, `SF-L`,
//!   `SF-KORT`, `SF-LANG`, `SF-N` (numerator and denominator; the engine sums both before
//!   dividing);
//! - `Engine::sick_leave_summary` builds the report; masking is its own pure step
//!   (`mask.rs`), decided once per period for the whole tree and applied to every
//!   surface by `privacy.rs` (`scorecard_with`, `evaluate_with`, `children_with`,
//!   `series_with`).

pub mod check;
mod index;
mod mask;
pub(crate) mod privacy;
#[cfg(test)]
mod privacy_tests;
mod summary;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Status, UnitRef};

pub use check::{check, SPLIT_TOLERANCE};
pub(crate) use index::SickLeaveIndex;
pub use privacy::{is_sick_leave, Privacy, SickLeaveAccess};

/// The built-in sick-leave indicator codes.
pub const CODES: [&str; 6] = ["SF", "SF-E", "SF-L", "SF-KORT", "SF-LANG", "SF-N"];

/// A refused sick-leave row: the import column the problem is in (`avtalte_dagsverk`,
/// `egenmeldt`, `legemeldt`, `ansatte`, `dager_1_3`, …) and a Norwegian message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldProblem {
    pub column: String,
    pub message: String,
}

/// Why a row of the summary is masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum MaskReason {
    /// Fewer employees than the minimum.
    FewEmployees,
    /// The number of employees is not known.
    UnknownEmployees,
    /// Masked so that a hidden part cannot be worked out by subtraction.
    Secondary,
    /// A survey score with fewer respondents than the survey's minimum (surveys.md).
    FewRespondents,
}

impl MaskReason {
    /// Why a figure shows `*`, in a sentence (the app's wording): `min_employees` is the
    /// masking minimum in force (for a survey score, the survey's minimum respondents).
    pub fn text(self, min_employees: u32) -> String {
        match self {
            MaskReason::FewEmployees => {
                format!("Skjult av personvernhensyn: færre enn {min_employees} ansatte.")
            }
            MaskReason::UnknownEmployees => {
                "Skjult av personvernhensyn: antall ansatte er ikke registrert.".to_string()
            }
            MaskReason::Secondary => "Skjult av personvernhensyn: ellers kunne skjulte tall \
                regnes ut ved å trekke rader fra hverandre."
                .to_string(),
            MaskReason::FewRespondents => {
                format!("Skjult av personvernhensyn: færre enn {min_employees} svar.")
            }
        }
    }

    /// A short word for a table cell: `få ansatte`, `ukjent antall`, `sekundær`.
    pub fn word(self) -> &'static str {
        match self {
            MaskReason::FewEmployees => "få ansatte",
            MaskReason::UnknownEmployees => "ukjent antall",
            MaskReason::Secondary => "sekundær",
            MaskReason::FewRespondents => "få svar",
        }
    }
}

/// One row of the sick-leave summary: a unit's subtree total over the period. Percentages
/// unrounded; `None` where there is no value or the row is masked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SickLeaveSummaryRow {
    pub code: String,
    pub name: String,
    /// Depth below the report's unit: 0, 1, 2, …
    pub depth: u32,
    /// The largest monthly sum of `ansatte` in the subtree within the period.
    pub employees: Option<u32>,
    pub contracted_days: Option<f64>,
    pub absence_days: Option<f64>,
    pub absence_pct: Option<f64>,
    pub self_certified_pct: Option<f64>,
    pub doctor_certified_pct: Option<f64>,
    pub short_pct: Option<f64>,
    pub long_pct: Option<f64>,
    /// `SF` for the period moved back twelve months.
    pub last_year_pct: Option<f64>,
    /// Fravær % − last year's, on the displayed (1-decimal) values.
    pub change_pp: Option<f64>,
    /// The `SF` target for this unit and the period's year.
    pub target: Option<f64>,
    /// `None` when masked.
    pub status: Option<Status>,
    pub masked: bool,
    pub mask_reason: Option<MaskReason>,
}

/// The sick-leave summary for a unit and a period (sick-leave.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SickLeaveSummary {
    pub unit: UnitRef,
    /// Canonical period id.
    pub period: String,
    pub min_employees: u32,
    /// The unit and each descendant in tree order (depth first, children by code).
    pub rows: Vec<SickLeaveSummaryRow>,
    /// Rows masked because they have fewer than `min_employees` or an unknown number.
    pub masked_primary: u32,
    /// Rows masked so that a masked part cannot be worked out by subtraction.
    pub masked_secondary: u32,
}
