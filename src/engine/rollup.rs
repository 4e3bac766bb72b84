//! Aggregation over time and over the org tree (engine.md §3–4), and coverage: given an
//! indicator's rows, a range of units (a subtree, or just the unit for `ingen`) and windows
//! of months that are unions of whole spans, the value in each window and who reported.
//!
//! A målkart asks, per indicator, for the period, the one before and last year's, plus
//! coverage: all are computed in one walk over each unit's rows, which is what keeps a
//! city-sized scorecard within its time budget.

use std::ops::Range;

use super::rows::IndicatorRows;
use crate::model::{Aggregation, Indicator, UnitRollup};

/// Month indices (`Month::index`) of the first and last month a span may start in.
pub(crate) type Window = (i32, i32);

/// The value of one indicator over a range of units and a window of spans.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Rolled {
    pub value: Option<f64>,
    /// For `brøk`, Σ numerator and Σ denominator over every row used (`None` with no row).
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// Expected and reported (unit, span) cells (engine.md §4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Coverage {
    pub expected_cells: u32,
    pub reported_cells: u32,
    pub expected_units: u32,
    pub missing_units: u32,
}

/// What coverage is asked for: the months of the calendar years the first window touches
/// (spans never cross a year boundary, so a span starting in them lies in them), and the
/// number of spans in the first window.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CoverageAsk {
    pub years: Window,
    pub spans: u32,
}

/// The units whose figures count for unit `u` with subtree `subtree`: the whole subtree,
/// except `ingen` (for non-ratio indicators), which uses `u`'s own figures only.
pub(crate) fn units_for(ind: &Indicator, subtree: Range<usize>) -> Range<usize> {
    if ind.aggregation != Aggregation::Brok && ind.unit_rollup == UnitRollup::Ingen {
        subtree.start..subtree.start + 1
    } else {
        subtree
    }
}

/// One unit's figures in one window.
#[derive(Clone, Copy, Default)]
struct Own {
    rows: u32,
    a: f64,
    b: f64,
    /// `a` of the latest span (rows are in month order).
    latest: f64,
}

/// The roll-up so far over units, for one window.
#[derive(Clone, Copy, Default)]
struct Fold {
    /// Σ of the units' values (non-ratio) or Σ numerator (ratio).
    total: f64,
    denominator: f64,
    /// Units with a value (non-ratio) or with any row (ratio).
    units: u32,
}

impl Fold {
    fn add(&mut self, aggregation: Aggregation, own: &Own) {
        if own.rows == 0 {
            return;
        }
        self.units += 1;
        match aggregation {
            Aggregation::Brok => {
                self.total += own.a;
                self.denominator += own.b;
            }
            Aggregation::Sum => self.total += own.a,
            Aggregation::Snitt => self.total += own.a / own.rows as f64,
            Aggregation::Siste => self.total += own.latest,
        }
    }

    fn finish(&self, ind: &Indicator) -> Rolled {
        if self.units == 0 {
            return Rolled::default();
        }
        if ind.aggregation == Aggregation::Brok {
            let value = (self.denominator != 0.0)
                .then(|| ind.factor * self.total / self.denominator)
                .filter(|v| v.is_finite());
            return Rolled {
                value,
                numerator: Some(self.total),
                denominator: Some(self.denominator),
            };
        }
        let value = match ind.unit_rollup {
            UnitRollup::Snitt => self.total / self.units as f64,
            UnitRollup::Sum | UnitRollup::Ingen => self.total,
        };
        Rolled {
            value: Some(value).filter(|v| v.is_finite()),
            numerator: None,
            denominator: None,
        }
    }
}

/// The value of `units` in each of `windows`, and coverage of the first window when asked.
pub(crate) fn roll_up<const N: usize>(
    ind: &Indicator,
    rows: &IndicatorRows,
    units: Range<usize>,
    windows: [Window; N],
    coverage: Option<CoverageAsk>,
) -> ([Rolled; N], Coverage) {
    let ratio = ind.aggregation == Aggregation::Brok;
    let mut lowest = windows.iter().map(|w| w.0).min().unwrap_or(i32::MAX);
    let mut highest = windows.iter().map(|w| w.1).max().unwrap_or(i32::MIN);
    if let Some(c) = coverage {
        lowest = lowest.min(c.years.0);
        highest = highest.max(c.years.1);
    }
    let mut folds = [Fold::default(); N];
    let mut cov = Coverage::default();
    for u in units {
        let (months, a, b) = rows.unit(u);
        if months.is_empty() {
            continue;
        }
        let mut own = [Own::default(); N];
        let mut in_years = false;
        for k in months.partition_point(|&m| m < lowest)..months.len() {
            let m = months[k];
            if m > highest {
                break;
            }
            if let Some(c) = coverage {
                in_years |= c.years.0 <= m && m <= c.years.1;
            }
            for (w, o) in windows.iter().zip(own.iter_mut()) {
                if w.0 <= m && m <= w.1 {
                    o.rows += 1;
                    o.a += a[k];
                    o.latest = a[k];
                    if ratio {
                        o.b += b[k];
                    }
                }
            }
        }
        for (fold, o) in folds.iter_mut().zip(&own) {
            fold.add(ind.aggregation, o);
        }
        if let (Some(c), true) = (coverage, in_years) {
            let reported = own.first().map_or(0, |o| o.rows);
            cov.expected_units += 1;
            cov.expected_cells += c.spans;
            cov.reported_cells += reported;
            if reported < c.spans {
                cov.missing_units += 1;
            }
        }
    }
    (folds.map(|f| f.finish(ind)), cov)
}
