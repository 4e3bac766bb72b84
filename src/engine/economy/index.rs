//! The economy rows indexed by unit (pre-order position) and month, and the built-in
//! `OK-*` indicators computed from them with the contract of `rollup::roll_up`.
//!
//! What `Rolled` carries for each rule (kroner, exact øre / 100):
//! - `Deviation`: numerator Σ(budsjett − regnskap), denominator Σ budsjett, over the cells
//!   with regnskap; value = 100 × numerator / |denominator|.
//! - `Spent`: numerator Σ regnskap in the window, denominator the årsbudsjett of the
//!   window's last month's year; value = 100 × numerator / denominator.
//! - `Forecast`: numerator prognoseavvik (årsbudsjett − prognose), denominator
//!   årsbudsjett; value = 100 × numerator / |denominator|.
//!
//! Coverage counts (unit, month) cells like the measurements do: for `Deviation` and
//! `Spent` a unit is expected when it has regnskap in the calendar years asked, and a month
//! is reported when it has regnskap; for `Forecast` a unit is expected when it has a budget
//! or a forecast in those years, and reports all its spans when it has a forecast in the
//! window's year through the window's last month.

use std::ops::Range;

use super::super::exact::Ratio;
use super::super::rollup::{Coverage, CoverageAsk, Rolled, Window};
use super::super::tree::UnitTree;
use super::Rule;
use crate::model::EconomyMonth;

/// The economy rows by unit: unit `u`'s rows are `start[u]..start[u + 1]`, in month order.
#[derive(Debug, Default)]
pub(crate) struct EconomyIndex {
    start: Vec<usize>,
    months: Vec<i32>,
    budget: Vec<Option<i64>>,
    actual: Vec<Option<i64>>,
    forecast: Vec<Option<i64>>,
}

/// January of the year of month index `m`.
pub(crate) fn january(m: i32) -> i32 {
    m.div_euclid(12) * 12
}

/// Øre to kroner, only at the end. Sums are `i128`: no sum of `i64` øre can wrap (input is
/// bounded, `model::MAX_AMOUNT_ORE`, but a sum over many units and months is not).
pub(crate) fn kroner(ore: i128) -> f64 {
    ore as f64 / 100.0
}

/// One unit's own figures for a year through month `m` (the report's and `Forecast`'s
/// ingredients).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct YearToDate {
    /// Σ budsjett over the twelve months.
    pub annual: i128,
    /// Σ budsjett over January..m.
    pub budget: i128,
    /// Σ regnskap over January..m.
    pub actual: i128,
    /// Σ budsjett and Σ regnskap over the months January..m that have regnskap (`OK-AVVIK`).
    pub budget_with_actual: i128,
    pub actual_cells: u32,
    /// The latest forecast made in January..m.
    pub forecast: Option<i64>,
    /// Any budsjett in the year.
    pub has_budget: bool,
}

impl YearToDate {
    /// prognose: the forecast, or the årsbudsjett for a unit without one.
    pub fn forecast_or_budget(&self) -> i128 {
        self.forecast.map_or(self.annual, i128::from)
    }
}

impl EconomyIndex {
    /// Rows of unknown units are not used; of two rows for the same (unit, month), the later.
    pub(crate) fn new(rows: Vec<EconomyMonth>, tree: &UnitTree) -> EconomyIndex {
        let mut keyed: Vec<(usize, i32, usize)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((tree.find(&r.unit)?, r.month.index(), i)))
            .collect();
        keyed.sort_unstable();
        // The later of twins: keep the last of each (unit, month) run.
        keyed.dedup_by(|later, earlier| {
            if (later.0, later.1) == (earlier.0, earlier.1) {
                *earlier = *later;
                true
            } else {
                false
            }
        });
        let n = tree.len();
        let mut index = EconomyIndex {
            start: vec![0; n + 1],
            months: Vec::with_capacity(keyed.len()),
            budget: Vec::with_capacity(keyed.len()),
            actual: Vec::with_capacity(keyed.len()),
            forecast: Vec::with_capacity(keyed.len()),
        };
        for &(u, m, i) in &keyed {
            index.start[u + 1] += 1;
            index.months.push(m);
            index.budget.push(rows[i].budget);
            index.actual.push(rows[i].actual);
            index.forecast.push(rows[i].forecast);
        }
        for u in 0..n {
            index.start[u + 1] += index.start[u];
        }
        index
    }

    /// Unit `u`'s rows with months in `first..=last`.
    fn rows(&self, u: usize, first: i32, last: i32) -> Range<usize> {
        let all = self.start[u]..self.start[u + 1];
        let months = &self.months[all.clone()];
        let a = all.start + months.partition_point(|&m| m < first);
        let b = all.start + months.partition_point(|&m| m <= last);
        a..b.max(a)
    }

    /// Unit `u`'s own figures for the year of month index `m`, through `m`.
    pub(crate) fn year_to_date(&self, u: usize, m: i32) -> YearToDate {
        let jan = january(m);
        let mut y = YearToDate::default();
        for k in self.rows(u, jan, jan + 11) {
            let month = self.months[k];
            if let Some(b) = self.budget[k] {
                y.annual += i128::from(b);
                y.has_budget = true;
            }
            if month > m {
                continue;
            }
            let b = i128::from(self.budget[k].unwrap_or(0));
            y.budget += b;
            if let Some(a) = self.actual[k] {
                y.actual += i128::from(a);
                y.budget_with_actual += b;
                y.actual_cells += 1;
            }
            if let Some(f) = self.forecast[k] {
                y.forecast = Some(f);
            }
        }
        y
    }

    /// The value of `rule` over the units `units` in each window (unions of whole months),
    /// and coverage of the first window when asked — the same contract as
    /// `rollup::roll_up`.
    pub(crate) fn roll_up<const N: usize>(
        &self,
        rule: Rule,
        units: Range<usize>,
        windows: [Window; N],
        coverage: Option<CoverageAsk>,
    ) -> ([Rolled; N], Coverage) {
        let mut cov = Coverage::default();
        let rolled = windows.map(|w| self.window(rule, units.clone(), w));
        if let (Some(ask), Some(&first)) = (coverage, windows.first()) {
            cov = self.coverage(rule, units, first, ask);
        }
        (rolled, cov)
    }

    fn window(&self, rule: Rule, units: Range<usize>, (a, b): Window) -> Rolled {
        let jan = january(b);
        match rule {
            Rule::Deviation => {
                let (mut budget, mut actual, mut cells) = (0i128, 0i128, 0u32);
                for u in units {
                    for k in self.rows(u, a, b) {
                        if let Some(r) = self.actual[k] {
                            budget += i128::from(self.budget[k].unwrap_or(0));
                            actual += i128::from(r);
                            cells += 1;
                        }
                    }
                }
                if cells == 0 {
                    return Rolled::default();
                }
                ratio(budget - actual, budget, true)
            }
            Rule::Spent => {
                let (mut annual, mut actual, mut cells) = (0i128, 0i128, 0u32);
                for u in units {
                    for k in self.rows(u, a.min(jan), jan + 11) {
                        let m = self.months[k];
                        annual += if m >= jan {
                            i128::from(self.budget[k].unwrap_or(0))
                        } else {
                            0
                        };
                        if (a..=b).contains(&m) {
                            if let Some(r) = self.actual[k] {
                                actual += i128::from(r);
                                cells += 1;
                            }
                        }
                    }
                }
                if cells == 0 {
                    return Rolled::default();
                }
                ratio(actual, annual, false)
            }
            Rule::Forecast => {
                let (mut annual, mut forecast, mut any) = (0i128, 0i128, false);
                for u in units {
                    let y = self.year_to_date(u, b);
                    any |= y.has_budget || y.forecast.is_some();
                    annual += y.annual;
                    forecast += y.forecast_or_budget();
                }
                if !any {
                    return Rolled::default();
                }
                ratio(annual - forecast, annual, true)
            }
        }
    }

    fn coverage(
        &self,
        rule: Rule,
        units: Range<usize>,
        (a, b): Window,
        ask: CoverageAsk,
    ) -> Coverage {
        let mut cov = Coverage::default();
        let (y0, y1) = ask.years;
        for u in units {
            let years = self.rows(u, y0, y1);
            let (expected, reported) = match rule {
                Rule::Deviation | Rule::Spent => {
                    let expected = years.clone().any(|k| self.actual[k].is_some());
                    let reported = self
                        .rows(u, a, b)
                        .filter(|&k| self.actual[k].is_some())
                        .count() as u32;
                    (expected, reported)
                }
                Rule::Forecast => {
                    let expected = years
                        .clone()
                        .any(|k| self.budget[k].is_some() || self.forecast[k].is_some());
                    let made = self
                        .rows(u, january(b), b)
                        .any(|k| self.forecast[k].is_some());
                    (expected, if made { ask.spans } else { 0 })
                }
            };
            if !expected {
                continue;
            }
            let reported = reported.min(ask.spans);
            cov.expected_units += 1;
            cov.expected_cells += ask.spans;
            cov.reported_cells += reported;
            if reported < ask.spans {
                cov.missing_units += 1;
            }
        }
        cov
    }
}

/// `100 × numerator / denominator` (or `/ |denominator|`), in kroner; no value when the
/// denominator is 0.
fn ratio(numerator: i128, denominator: i128, absolute: bool) -> Rolled {
    let d = if absolute {
        denominator.abs()
    } else {
        denominator
    };
    Rolled {
        value: (d != 0).then(|| 100.0 * numerator as f64 / d as f64),
        numerator: Some(kroner(numerator)),
        denominator: Some(kroner(denominator)),
        // Øre over øre: exactly 100 × numerator / denominator.
        exact: Ratio::new(100 * numerator, d),
    }
}
