//! Aggregation over time and over the org tree (engine.md §3–4), and coverage: given an
//! indicator's rows, a range of units (a subtree, or just the unit for `ingen`) and windows
//! of months that are unions of whole spans, the value in each window and who reported.
//!
//! A målkart asks, per indicator, for the period, the one before and last year's, plus
//! coverage: all are computed in one walk over each unit's rows, which is what keeps a
//! city-sized scorecard within its time budget.

use std::ops::Range;

use super::exact::{add_fraction, Ratio};
use super::rows::IndicatorRows;
use crate::model::{Aggregation, Indicator, UnitRollup};
use crate::number::Decimal;

/// Month indices (`Month::index`) of the first and last month a span may start in.
pub(crate) type Window = (i32, i32);

/// The value of one indicator over a range of units and a window of spans.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Rolled {
    pub value: Option<f64>,
    /// For `brøk`, Σ numerator and Σ denominator over every row used (`None` with no row).
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// The value exactly (`exact.rs`), when it has an exact form; what is displayed.
    pub exact: Option<Ratio>,
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
    /// The same as mantissas at the indicator's scale.
    ea: i128,
    eb: i128,
    elatest: i128,
}

/// The roll-up so far over units, for one window.
#[derive(Clone, Copy, Default)]
struct Fold {
    /// Σ of the units' values (non-ratio) or Σ numerator (ratio).
    total: f64,
    denominator: f64,
    /// Units with a value (non-ratio) or with any row (ratio).
    units: u32,
    /// Exactly: `total` is `num / den` mantissas (`den` the least common multiple of the
    /// counts of a `snitt`'s units), `denominator` is `eden`; `exact` false once something
    /// has no exact form.
    num: i128,
    den: i128,
    eden: i128,
    exact: bool,
}

impl Fold {
    fn new(exact: bool) -> Fold {
        Fold {
            den: 1,
            exact,
            ..Fold::default()
        }
    }

    /// Adds `s / n` to the exact total.
    fn add_exact(&mut self, s: i128, n: i128) {
        // Sums and a mean over units with equal counts: no division (i128 division is slow).
        if n == self.den {
            match self.num.checked_add(s) {
                Some(num) => self.num = num,
                None => self.exact = false,
            }
            return;
        }
        match add_fraction(self.num, self.den, s, n) {
            Some((num, den)) => (self.num, self.den) = (num, den),
            None => self.exact = false,
        }
    }
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
                self.num += own.ea;
                self.eden += own.eb;
            }
            Aggregation::Sum => {
                self.total += own.a;
                self.add_exact(own.ea, 1);
            }
            Aggregation::Snitt => {
                self.total += own.a / own.rows as f64;
                self.add_exact(own.ea, i128::from(own.rows));
            }
            Aggregation::Siste => {
                self.total += own.latest;
                self.add_exact(own.elatest, 1);
            }
        }
    }

    /// The exact value at mantissa scale `scale`.
    fn exact(&self, ind: &Indicator, scale: u32) -> Option<Ratio> {
        if !self.exact {
            return None;
        }
        if ind.aggregation == Aggregation::Brok {
            // factor × Σ numerator / Σ denominator: the scales cancel.
            return Ratio::new(self.num, self.eden)?.times(Decimal::from_f64(ind.factor)?);
        }
        let units = match ind.unit_rollup {
            UnitRollup::Snitt => i128::from(self.units),
            UnitRollup::Sum | UnitRollup::Ingen => 1,
        };
        let den = self
            .den
            .checked_mul(units)?
            .checked_mul(10i128.checked_pow(scale)?)?;
        Ratio::new(self.num, den)
    }

    fn finish(&self, ind: &Indicator, scale: Option<u32>) -> Rolled {
        if self.units == 0 {
            return Rolled::default();
        }
        if ind.aggregation == Aggregation::Brok {
            // With an exact form, Σ denominator = 0 is decided exactly (0,1 + 0,2 − 0,3 is 0,
            // whatever the floats say).
            let zero = match scale {
                Some(_) if self.exact => self.eden == 0,
                _ => self.denominator == 0.0,
            };
            let value = (!zero)
                .then(|| ind.factor * self.total / self.denominator)
                .filter(|v| v.is_finite());
            return Rolled {
                value,
                numerator: Some(self.total),
                denominator: Some(self.denominator),
                exact: value.and(scale).and_then(|s| self.exact(ind, s)),
            };
        }
        let value = match ind.unit_rollup {
            UnitRollup::Snitt => self.total / self.units as f64,
            UnitRollup::Sum | UnitRollup::Ingen => self.total,
        };
        let value = Some(value).filter(|v| v.is_finite());
        Rolled {
            value,
            numerator: None,
            denominator: None,
            exact: value.and(scale).and_then(|s| self.exact(ind, s)),
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
    let scale = rows.scale().map(|s| s.0);
    let mut folds = [Fold::new(scale.is_some()); N];
    let mut cov = Coverage::default();
    for u in units {
        let unit = rows.unit(u);
        let (months, a, b) = (unit.months, unit.a, unit.b);
        let exact = !unit.ea.is_empty();
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
                    if exact {
                        o.ea += i128::from(unit.ea[k]);
                        o.elatest = i128::from(unit.ea[k]);
                        if ratio {
                            o.eb += i128::from(unit.eb[k]);
                        }
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
    (folds.map(|f| f.finish(ind, scale)), cov)
}
