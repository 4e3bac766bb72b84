//! The economy report (economy.md "The economy report"): for a unit U and a period P, one
//! row for U and each descendant in tree order, each the subtree total year to date through
//! P's last month. One pass over the subtree's units reads each unit's own year, a second
//! pass from the bottom adds each unit's totals into its parent's, so the whole report costs
//! one read of the rows plus one addition per unit.
//!
//! Decisions where economy.md is silent:
//! - **Units without a forecast** are those with a budget in the year and no forecast in
//!   January..m; they count as on budget (their årsbudsjett) and are counted in
//!   `units_without_forecast`. A unit with no budget and no forecast (a level with no
//!   accounts of its own) is not counted: it has nothing to forecast.
//! - **Status** is the engine's `OK-AVVIK` status for the unit and the year to date
//!   (January..m, `Period::year_to_date`): the target that applies to the unit in year y,
//!   against the value over the months that have regnskap. `Avvik %` in the same row uses
//!   the whole budsjett hittil, so the two differ while a month's accounts are missing.

use super::super::{status, Engine, EngineError, Status};
use super::index::{kroner, YearToDate};
use super::{EconomyReport, EconomyReportRow};
use crate::format::round_half_away;
use crate::period::Period;

/// A subtree's totals in øre.
#[derive(Clone, Copy, Debug, Default)]
struct Totals {
    annual: i128,
    budget: i128,
    actual: i128,
    budget_with_actual: i128,
    actual_cells: u32,
    forecast: i128,
    without_forecast: u32,
}

impl Totals {
    fn own(y: &YearToDate) -> Totals {
        Totals {
            annual: y.annual,
            budget: y.budget,
            actual: y.actual,
            budget_with_actual: y.budget_with_actual,
            actual_cells: y.actual_cells,
            forecast: y.forecast_or_budget(),
            without_forecast: u32::from(y.has_budget && y.forecast.is_none()),
        }
    }

    fn add(&mut self, o: &Totals) {
        self.annual += o.annual;
        self.budget += o.budget;
        self.actual += o.actual;
        self.budget_with_actual += o.budget_with_actual;
        self.actual_cells += o.actual_cells;
        self.forecast += o.forecast;
        self.without_forecast += o.without_forecast;
    }
}

/// `100 × numerator / |denominator|`, none when the denominator is 0.
fn pct(numerator: i128, denominator: i128) -> Option<f64> {
    (denominator != 0).then(|| 100.0 * numerator as f64 / denominator.abs() as f64)
}

impl Engine {
    /// The economy report of `unit` and its descendants, year to date through `period`'s
    /// last month.
    pub fn economy_report(
        &self,
        unit: &str,
        period: &Period,
    ) -> Result<EconomyReport, EngineError> {
        let u = self.unit_index(unit)?;
        let through = period.last();
        let m = through.index();
        let year = through.year();
        let subtree = self.tree.subtree(u);
        let base = subtree.start;
        let mut totals: Vec<Totals> = subtree
            .clone()
            .map(|k| Totals::own(&self.economy.year_to_date(k, m)))
            .collect();
        // Pre-order puts every unit after its parent: from the bottom up, each unit's
        // subtree is complete when it is added to its parent.
        for k in subtree.clone().skip(1).rev() {
            if let Some(p) = self.tree.parent(k) {
                let t = totals[k - base];
                totals[p - base].add(&t);
            }
        }
        let okavvik = self
            .by_code
            .get("OK-AVVIK")
            .copied()
            .filter(|&ii| self.indicators[ii].builtin);
        let mut depth = vec![0u32; totals.len()];
        let mut rows = Vec::with_capacity(totals.len());
        for k in subtree {
            if k != base {
                if let Some(p) = self.tree.parent(k) {
                    depth[k - base] = depth[p - base] + 1;
                }
            }
            let t = &totals[k - base];
            let deviation = t.budget - t.actual;
            let unit = &self.tree.units[k];
            rows.push(EconomyReportRow {
                code: unit.code.clone(),
                name: unit.name.clone(),
                depth: depth[k - base],
                annual_budget: kroner(t.annual),
                budget_ytd: kroner(t.budget),
                actual_ytd: kroner(t.actual),
                deviation: kroner(deviation),
                deviation_pct: pct(deviation, t.budget),
                spent_pct: (t.annual != 0).then(|| 100.0 * t.actual as f64 / t.annual as f64),
                forecast: kroner(t.forecast),
                forecast_is_budget: t.without_forecast > 0,
                units_without_forecast: t.without_forecast,
                forecast_deviation: kroner(t.annual - t.forecast),
                status: self.deviation_status(okavvik, k, year, t),
            });
        }
        Ok(EconomyReport {
            unit: self.unit_ref(u),
            period: period.to_string(),
            through: through.id(),
            rows,
        })
    }

    /// `OK-AVVIK`'s status for unit `k` year to date, from the subtree totals: the same
    /// value, target and rounding as `evaluate("OK-AVVIK", k, year_to_date(m))`.
    fn deviation_status(&self, okavvik: Option<usize>, k: usize, year: i32, t: &Totals) -> Status {
        // Σ regnskap over the months with regnskap is all of regnskap hittil.
        let value = (t.actual_cells > 0)
            .then(|| pct(t.budget_with_actual - t.actual, t.budget_with_actual))
            .flatten();
        let Some(ii) = okavvik else {
            return status::status(crate::model::Direction::Hoy, value, None);
        };
        let ind = &self.indicators[ii];
        let display = value.map(|v| round_half_away(v, ind.decimals));
        let applied = self.targets.lookup(ii, k, year);
        status::status(
            ind.direction,
            display,
            applied.map(|a| (a.target, a.red_limit)),
        )
    }
}
