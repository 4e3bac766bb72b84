//! One indicator's registered figures laid out for fast roll-up: flat columns sorted by
//! (unit pre-order index, span's first month), with an offset per unit, so that a subtree
//! is one contiguous slice and a unit's spans inside a period are found by binary search.

use std::ops::Range;

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

    /// Unit `u`'s rows: months, `a` and `b` (`b` empty unless ratio).
    pub(crate) fn unit(&self, u: usize) -> (&[i32], &[f64], &[f64]) {
        let all = self.offsets[u] as usize..self.offsets[u + 1] as usize;
        let b = if self.b.is_empty() {
            &self.b[..]
        } else {
            &self.b[all.clone()]
        };
        (&self.months[all.clone()], &self.a[all], b)
    }

    /// Does any unit in `units` have any figure at all?
    pub(crate) fn any_in(&self, units: Range<usize>) -> bool {
        self.offsets[units.end] > self.offsets[units.start]
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
        assert_eq!(rows.unit(0), (&[3][..], &[2.0][..], &[][..]));
        assert_eq!(rows.unit(1), (&[4, 5][..], &[3.0, 9.0][..], &[][..]));
        assert!(rows.unit(2).0.is_empty());
        assert!(rows.any_in(0..2));
        assert!(!rows.any_in(2..3));
    }
}
