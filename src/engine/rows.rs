//! One indicator's registered figures laid out for fast roll-up: flat columns sorted by
//! (unit pre-order index, span's first month), with an offset per unit, so that a subtree
//! is one contiguous slice and a unit's spans inside a period are found by binary search.
//! Each figure is kept twice: as the `f64` it came as (the unrounded `value` of a result,
//! added in the same order as ever) and as an integer at the indicator's common scale (what
//! is displayed and judged, exact: `exact.rs`).

use std::ops::Range;

use super::exact::{self, Scale};

/// The figures of one indicator. For a `brøk` indicator `a` is the numerator and `b` the
/// denominator; otherwise `a` is the value and `b` is empty.
#[derive(Debug, Default)]
pub(crate) struct IndicatorRows {
    /// `offsets[u]..offsets[u + 1]` are unit `u`'s rows; length = units + 1.
    offsets: Vec<u32>,
    /// Month index (`Month::index`) of each row's span's first month.
    months: Vec<i32>,
    a: Vec<f64>,
    b: Vec<f64>,
    /// `a` and `b` as mantissas at `scale`; `None` when some figure has no exact form.
    scale: Option<Scale>,
    ea: Vec<i64>,
    eb: Vec<i64>,
}

/// One unit's rows: months, `a`, `b` (empty unless ratio), and the same as mantissas (empty
/// when the indicator has no exact form).
pub(crate) struct UnitRows<'a> {
    pub months: &'a [i32],
    pub a: &'a [f64],
    pub b: &'a [f64],
    pub ea: &'a [i64],
    pub eb: &'a [i64],
}

/// One figure before indexing: (unit, first month, a, b).
pub(crate) type RawRow = (u32, i32, f64, f64);

impl IndicatorRows {
    /// Sorts and indexes `raw` (in dataset order). When a (unit, span) appears twice the
    /// later one wins, as a later registration replaces an earlier one.
    pub(crate) fn new(mut raw: Vec<RawRow>, units: usize, ratio: bool) -> IndicatorRows {
        // Stable, so equal keys keep dataset order and the last of a run is the latest.
        raw.sort_by_key(|r| (r.0, r.1));
        let mut rows = IndicatorRows {
            offsets: vec![0; units + 1],
            months: Vec::with_capacity(raw.len()),
            a: Vec::with_capacity(raw.len()),
            b: if ratio {
                Vec::with_capacity(raw.len())
            } else {
                Vec::new()
            },
            scale: None,
            ea: Vec::new(),
            eb: Vec::new(),
        };
        let mut units_of_rows: Vec<u32> = Vec::with_capacity(raw.len());
        for (i, r) in raw.iter().enumerate() {
            if raw
                .get(i + 1)
                .is_some_and(|next| (next.0, next.1) == (r.0, r.1))
            {
                continue;
            }
            units_of_rows.push(r.0);
            rows.months.push(r.1);
            rows.a.push(r.2);
            if ratio {
                rows.b.push(r.3);
            }
        }
        // Every figure exactly, at the indicator's common scale (none if one has no exact
        // form).
        if let Some((scale, ea, eb)) = exact::mantissas(&rows.a, &rows.b) {
            (rows.scale, rows.ea, rows.eb) = (Some(scale), ea, eb);
        }
        // offsets[u] = number of rows of units before u.
        let mut next = 0usize;
        for u in 0..=units {
            while next < units_of_rows.len() && (units_of_rows[next] as usize) < u {
                next += 1;
            }
            rows.offsets[u] = next as u32;
        }
        rows
    }

    /// Unit `u`'s rows.
    pub(crate) fn unit(&self, u: usize) -> UnitRows<'_> {
        let all = self.offsets[u] as usize..self.offsets[u + 1] as usize;
        let part = |empty: bool| if empty { 0..0 } else { all.clone() };
        UnitRows {
            months: &self.months[all.clone()],
            a: &self.a[all.clone()],
            b: &self.b[part(self.b.is_empty())],
            ea: &self.ea[part(self.ea.is_empty())],
            eb: &self.eb[part(self.eb.is_empty())],
        }
    }

    /// The common scale of the mantissas, `None` when the indicator has no exact form.
    pub(crate) fn scale(&self) -> Option<Scale> {
        self.scale
    }

    /// Does any unit in `units` have a figure whose span starts in `first..=last` (month
    /// indices)?
    pub(crate) fn any_in(&self, units: Range<usize>, first: i32, last: i32) -> bool {
        if self.offsets[units.end] == self.offsets[units.start] {
            return false;
        }
        units.into_iter().any(|u| {
            let months = self.unit(u).months;
            let k = months.partition_point(|&m| m < first);
            months.get(k).is_some_and(|&m| m <= last)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_keep_the_later_row_and_rows_are_per_unit() {
        let rows = IndicatorRows::new(
            vec![
                (1, 5, 1.0, 0.0),
                (0, 3, 2.0, 0.0),
                (1, 4, 3.0, 0.0),
                (1, 5, 9.0, 0.0),
            ],
            3,
            false,
        );
        // Unit 0: month 3 → 2.0. Unit 1: month 4 → 3.0, month 5 → 9.0 (the later of two).
        let (u0, u1) = (rows.unit(0), rows.unit(1));
        assert_eq!((u0.months, u0.a, u0.b), (&[3][..], &[2.0][..], &[][..]));
        assert_eq!((u1.months, u1.a), (&[4, 5][..], &[3.0, 9.0][..]));
        // Whole numbers: scale 0, the mantissas are the numbers.
        assert_eq!(rows.scale(), Some(Scale(0)));
        assert_eq!((u1.ea, u1.eb), (&[3, 9][..], &[][..]));
        assert!(rows.unit(2).months.is_empty());
        assert!(rows.any_in(0..2, 0, 100));
        assert!(!rows.any_in(2..3, 0, 100));
        // Unit 1's figures start in months 4 and 5: none in 6..=9 nor in 0..=3.
        assert!(!rows.any_in(1..2, 6, 9));
        assert!(!rows.any_in(1..2, 0, 3));
        assert!(rows.any_in(1..2, 5, 5));
    }

    #[test]
    fn mantissas_share_the_scale_of_the_most_decimals() {
        // 158 468,485 and 0,5: scale 3 → 158 468 485 and 500; ratio columns alike.
        let rows = IndicatorRows::new(vec![(0, 1, 158_468.485, 2.0), (0, 2, 0.5, 0.25)], 1, true);
        assert_eq!(rows.scale(), Some(Scale(3)));
        let u = rows.unit(0);
        assert_eq!((u.ea, u.eb), (&[158_468_485, 500][..], &[2000, 250][..]));
    }
}
