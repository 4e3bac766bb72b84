//! Targets, status and trend (engine.md §5–6): which target applies to a unit in a year,
//! the colour of a displayed value against it, and whether a change is for the better.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::{Status, TargetSource, Trend};
use crate::model::Direction;
use crate::number::Decimal;

/// A target as applied: target and optional red limit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Applied {
    pub target: f64,
    pub red_limit: Option<f64>,
    pub source: TargetSource,
    /// A target relative to a reference series: the series' number in
    /// `TargetIndex::series` (`target` is then not used).
    pub reference: Option<u32>,
}

/// Targets by (indicator index, unit pre-order index or `DEFAULT`, year).
#[derive(Debug, Default)]
pub(crate) struct TargetIndex {
    map: HashMap<TargetKey, TargetEntry>,
    /// The names of the series relative targets refer to.
    series: Vec<String>,
}

/// (indicator index, unit pre-order index or `DEFAULT`, year).
type TargetKey = (u32, u32, i32);
/// (target, red limit, reference series number).
type TargetEntry = (f64, Option<f64>, Option<u32>);

const DEFAULT: u32 = u32::MAX;

impl TargetIndex {
    /// `unit` is `None` for the indicator's default target. A later insert for the same key
    /// replaces an earlier one.
    pub(crate) fn insert(
        &mut self,
        indicator: usize,
        unit: Option<usize>,
        year: i32,
        t: (f64, Option<f64>),
        reference: Option<&str>,
    ) {
        let unit = unit.map_or(DEFAULT, |u| u as u32);
        let reference = reference.map(|name| match self.series.iter().position(|s| s == name) {
            Some(k) => k as u32,
            None => {
                self.series.push(name.to_string());
                (self.series.len() - 1) as u32
            }
        });
        self.map
            .insert((indicator as u32, unit, year), (t.0, t.1, reference));
    }

    /// The name of relative targets' series number `k`.
    pub(crate) fn series(&self, k: u32) -> &str {
        self.series.get(k as usize).map_or("", String::as_str)
    }

    /// The unit's own target for the year, else the default for the year, else none.
    pub(crate) fn lookup(&self, indicator: usize, unit: usize, year: i32) -> Option<Applied> {
        let i = indicator as u32;
        if let Some(&(target, red_limit, reference)) = self.map.get(&(i, unit as u32, year)) {
            return Some(Applied {
                target,
                red_limit,
                source: TargetSource::Unit,
                reference,
            });
        }
        self.map
            .get(&(i, DEFAULT, year))
            .map(|&(target, red_limit, reference)| Applied {
                target,
                red_limit,
                source: TargetSource::Default,
                reference,
            })
    }
}

/// The status of the displayed value `v` against target `t` and red limit `r` (engine.md §5),
/// each read as the decimal it stands for (`Decimal::from_f64`) and compared exactly.
pub(crate) fn status(
    direction: Direction,
    v: Option<f64>,
    target: Option<(f64, Option<f64>)>,
) -> Status {
    let Some(v) = v else { return Status::NoData };
    let Some(v) = Decimal::from_f64(v) else {
        return Status::NoData;
    };
    let target =
        target.and_then(|(t, r)| Some((Decimal::from_f64(t)?, r.and_then(Decimal::from_f64))));
    status_exact(direction, Some(v), target)
}

/// The status of the displayed value `v` against target `t` and red limit `r`, exactly: no
/// tolerance, so that what a person computes by hand from the shown numbers is what counts.
pub(crate) fn status_exact(
    direction: Direction,
    v: Option<Decimal>,
    target: Option<(Decimal, Option<Decimal>)>,
) -> Status {
    let Some(v) = v else { return Status::NoData };
    let Some((t, r)) = target else {
        return Status::NoTarget;
    };
    // `at_least(b)`: v is at least as good as b in this direction.
    let at_least = |b: Decimal| match direction {
        Direction::Hoy => v.cmp_exact(b) != Ordering::Less,
        Direction::Lav => v.cmp_exact(b) != Ordering::Greater,
    };
    if at_least(t) {
        Status::Green
    } else if r.is_some_and(at_least) {
        Status::Yellow
    } else {
        Status::Red
    }
}

/// The trend from how the current displayed value compares with the earlier one
/// (previous period).
pub(crate) fn trend_of(direction: Direction, current_vs_earlier: Option<Ordering>) -> Trend {
    match (direction, current_vs_earlier) {
        (_, None) => Trend::Unknown,
        (_, Some(Ordering::Equal)) => Trend::Unchanged,
        (Direction::Hoy, Some(Ordering::Greater)) | (Direction::Lav, Some(Ordering::Less)) => {
            Trend::Better
        }
        _ => Trend::Worse,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{Hoy, Lav};

    fn trend(direction: Direction, current: Option<f64>, earlier: Option<f64>) -> Trend {
        trend_of(
            direction,
            current.zip(earlier).and_then(|(c, e)| c.partial_cmp(&e)),
        )
    }

    #[test]
    fn status_table_edges_for_hoy() {
        // T = 90, R = 80: 90 is green (v ≥ T), 80 is yellow (R ≤ v < T), 79.9 is red.
        let t = Some((90.0, Some(80.0)));
        assert_eq!(status(Hoy, Some(90.0), t), Status::Green);
        assert_eq!(status(Hoy, Some(89.9), t), Status::Yellow);
        assert_eq!(status(Hoy, Some(80.0), t), Status::Yellow);
        assert_eq!(status(Hoy, Some(79.9), t), Status::Red);
        // No red limit: anything below the target is red.
        assert_eq!(status(Hoy, Some(89.9), Some((90.0, None))), Status::Red);
        assert_eq!(status(Hoy, Some(90.0), Some((90.0, None))), Status::Green);
    }

    #[test]
    fn status_table_edges_for_lav() {
        // T = 7, R = 8: 7 is green (v ≤ T), 8 is yellow (T < v ≤ R), 8.1 is red.
        let t = Some((7.0, Some(8.0)));
        assert_eq!(status(Lav, Some(7.0), t), Status::Green);
        assert_eq!(status(Lav, Some(6.0), t), Status::Green);
        assert_eq!(status(Lav, Some(7.1), t), Status::Yellow);
        assert_eq!(status(Lav, Some(8.0), t), Status::Yellow);
        assert_eq!(status(Lav, Some(8.1), t), Status::Red);
        assert_eq!(status(Lav, Some(7.1), Some((7.0, None))), Status::Red);
    }

    #[test]
    fn status_compares_exactly_without_tolerance() {
        // lav, T = −0,00000000001, v = 0: 0 > T, and with no red limit that is red.
        assert_eq!(
            status(Lav, Some(0.0), Some((-0.000_000_000_01, None))),
            Status::Red
        );
        // høy, T = 1 000 000,000001, v = 1 000 000: v < T, red.
        assert_eq!(
            status(Hoy, Some(1_000_000.0), Some((1_000_000.000_001, None))),
            Status::Red
        );
        // høy, v = T exactly is green; one in the fourth decimal below is red.
        assert_eq!(status(Hoy, Some(0.3), Some((0.3, None))), Status::Green);
        assert_eq!(status(Hoy, Some(0.2999), Some((0.3, None))), Status::Red);
        // Exact decimals: 158 468,49 meets 158 468,49; 158 468,48 does not.
        let d = |digits, scale| Decimal { digits, scale };
        let t = Some((d(15_846_849, 2), None));
        assert_eq!(status_exact(Hoy, Some(d(15_846_849, 2)), t), Status::Green);
        assert_eq!(status_exact(Hoy, Some(d(15_846_848, 2)), t), Status::Red);
    }

    #[test]
    fn no_value_is_no_data_and_no_target_is_no_target() {
        assert_eq!(status(Hoy, None, Some((1.0, None))), Status::NoData);
        assert_eq!(status(Hoy, None, None), Status::NoData);
        assert_eq!(status(Lav, Some(3.0), None), Status::NoTarget);
    }

    #[test]
    fn trend_follows_direction() {
        // Sick leave (lav) falling from 7.2 to 6.9 is better; rising is worse.
        assert_eq!(trend(Lav, Some(6.9), Some(7.2)), Trend::Better);
        assert_eq!(trend(Lav, Some(7.2), Some(6.9)), Trend::Worse);
        assert_eq!(trend(Hoy, Some(7.2), Some(6.9)), Trend::Better);
        assert_eq!(trend(Hoy, Some(6.9), Some(7.2)), Trend::Worse);
        assert_eq!(trend(Lav, Some(7.0), Some(7.0)), Trend::Unchanged);
        assert_eq!(trend(Lav, None, Some(7.0)), Trend::Unknown);
        assert_eq!(trend(Hoy, Some(7.0), None), Trend::Unknown);
    }

    #[test]
    fn unit_target_before_default_before_none() {
        let mut idx = TargetIndex::default();
        idx.insert(0, None, 2026, (7.0, Some(8.0)), None);
        idx.insert(0, Some(3), 2026, (5.0, None), None);
        let own = idx.lookup(0, 3, 2026);
        assert_eq!(
            own,
            Some(Applied {
                target: 5.0,
                red_limit: None,
                source: TargetSource::Unit,
                reference: None,
            })
        );
        let default = idx.lookup(0, 4, 2026);
        assert_eq!(
            default.map(|a| (a.target, a.source)),
            Some((7.0, TargetSource::Default))
        );
        assert_eq!(idx.lookup(0, 3, 2025), None);
        assert_eq!(idx.lookup(1, 3, 2026), None);
    }
}
