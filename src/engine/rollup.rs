//! Aggregation over time and over the org tree (engine.md §3–4), and coverage: given an
//! indicator's rows, a range of units (a subtree, or just the unit for `ingen`) and a
//! window of months that is a union of whole spans, the value and who reported.

use std::ops::Range;

use super::rows::IndicatorRows;
use crate::model::{Aggregation, Indicator, UnitRollup};

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

/// The units whose figures count for unit `u` with subtree `subtree`: the whole subtree,
/// except `ingen` (for non-ratio indicators), which uses `u`'s own figures only.
pub(crate) fn units_for(ind: &Indicator, subtree: Range<usize>) -> Range<usize> {
    if ind.aggregation != Aggregation::Brok && ind.unit_rollup == UnitRollup::Ingen {
        subtree.start..subtree.start + 1
    } else {
        subtree
    }
}

/// Aggregates the rows of `units` whose spans start in `first..=last` (month indices).
pub(crate) fn roll_up(
    ind: &Indicator,
    rows: &IndicatorRows,
    units: Range<usize>,
    first: i32,
    last: i32,
) -> Rolled {
    match ind.aggregation {
        Aggregation::Brok => {
            let (mut num, mut den, mut any) = (0.0, 0.0, false);
            for u in units {
                let w = rows.window(u, first, last);
                if w.is_empty() {
                    continue;
                }
                any = true;
                num += rows.a(w.clone()).iter().sum::<f64>();
                den += rows.b(w).iter().sum::<f64>();
            }
            if !any {
                return Rolled::default();
            }
            let value = (den != 0.0).then(|| ind.factor * num / den).filter(|v| v.is_finite());
            Rolled { value, numerator: Some(num), denominator: Some(den) }
        }
        aggregation => {
            // Each unit's own value over time first, then the roll-up over units.
            let (mut total, mut count) = (0.0, 0u32);
            for u in units {
                let w = rows.window(u, first, last);
                let values = rows.a(w);
                let Some(&latest) = values.last() else { continue };
                let own = match aggregation {
                    Aggregation::Sum => values.iter().sum::<f64>(),
                    Aggregation::Snitt => values.iter().sum::<f64>() / values.len() as f64,
                    _ => latest,
                };
                total += own;
                count += 1;
            }
            let value = match (count, ind.unit_rollup) {
                (0, _) => None,
                (_, UnitRollup::Snitt) => Some(total / count as f64),
                _ => Some(total),
            };
            Rolled { value: value.filter(|v| v.is_finite()), numerator: None, denominator: None }
        }
    }
}

/// Coverage of `units` for the window `first..=last` of `spans` spans: a unit is expected
/// when it has any figure with a span starting in `years_first..=years_last` (the calendar
/// years the window touches; spans never cross a year boundary).
pub(crate) fn coverage(
    rows: &IndicatorRows,
    units: Range<usize>,
    (first, last): (i32, i32),
    (years_first, years_last): (i32, i32),
    spans: u32,
) -> Coverage {
    let mut c = Coverage::default();
    for u in units {
        if rows.window(u, years_first, years_last).is_empty() {
            continue;
        }
        let reported = rows.window(u, first, last).len() as u32;
        c.expected_units += 1;
        c.expected_cells += spans;
        c.reported_cells += reported;
        if reported < spans {
            c.missing_units += 1;
        }
    }
    c
}
