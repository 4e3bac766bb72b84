//! Economy in the engine (economy.md): the built-in `OK-*` indicators, computed by their
//! own rules over the economy table, and the monthly/tertial economy report. Amounts are
//! summed in integer øre and turned into kroner (f64) only at the end.
//!
//! `index` holds the rows and the `OK-*` rules, `report` the economy report, `spread` the
//! yearly budget spread over months.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Status, UnitRef};
use crate::model::Indicator;

mod index;
mod report;
mod spread;
#[cfg(test)]
mod tests;

pub(crate) use index::EconomyIndex;
pub use spread::{spread_by_profile, spread_even};

/// Which built-in economy rule an indicator follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// `OK-AVVIK`: 100 × Σ(budsjett − regnskap) / |Σ budsjett| over cells with regnskap.
    Deviation,
    /// `OK-FORBRUK`: 100 × Σ regnskap in P / årsbudsjett of P's year.
    Spent,
    /// `OK-PROGNOSE`: 100 × prognoseavvik / |årsbudsjett| as of P's last month.
    Forecast,
}

impl Rule {
    /// The rule of a built-in economy indicator; `None` for every other indicator.
    pub(crate) fn of(ind: &Indicator) -> Option<Rule> {
        if !ind.builtin {
            return None;
        }
        match ind.code.as_str() {
            "OK-AVVIK" => Some(Rule::Deviation),
            "OK-FORBRUK" => Some(Rule::Spent),
            "OK-PROGNOSE" => Some(Rule::Forecast),
            _ => None,
        }
    }
}

/// One row of the economy report: a unit's subtree total, year to date. Amounts in kroner
/// (exact øre / 100), percentages unrounded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EconomyReportRow {
    pub code: String,
    pub name: String,
    pub depth: u32,
    pub annual_budget: f64,
    pub budget_ytd: f64,
    pub actual_ytd: f64,
    /// budsjett hittil − regnskap hittil (positive: mindreforbruk).
    pub deviation: f64,
    pub deviation_pct: Option<f64>,
    pub spent_pct: Option<f64>,
    pub forecast: f64,
    /// Some unit of the subtree has no forecast in months 1..m and counts as on budget.
    pub forecast_is_budget: bool,
    /// How many units of the subtree have no forecast (counted as on budget).
    pub units_without_forecast: u32,
    /// årsbudsjett − prognose (positive: expected mindreforbruk).
    pub forecast_deviation: f64,
    /// The status of `OK-AVVIK` for this unit and period.
    pub status: Status,
}

/// The economy report for a unit and a period: year to date through the period's last
/// month (economy.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EconomyReport {
    pub unit: UnitRef,
    /// Canonical id of the asked period.
    pub period: String,
    /// The last month of the period (`2026-08`): the report is January through it.
    pub through: String,
    pub rows: Vec<EconomyReportRow>,
}
