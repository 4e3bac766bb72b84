//! The sick-leave rows laid out for the engine: flat, sorted by (unit pre-order index,
//! month), with an offset per unit, so that a unit's months inside a period are one binary
//! search away. Of two rows for the same (unit, month) the later one is kept, as a later
//! registration replaces an earlier one (the same rule as `IndicatorRows`).

use super::super::rows::RawRow;
use super::super::tree::UnitTree;
use crate::model::{LengthSplit, SickLeave};

/// One (unit, month) of sick leave, without the unit (that is its position).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Entry {
    /// `Month::index`.
    pub month: i32,
    pub contracted: f64,
    pub self_certified: f64,
    pub doctor_certified: f64,
    pub employees: Option<u32>,
    pub split: Option<LengthSplit>,
}

impl Entry {
    /// `egenmeldt + legemeldt`, computed the one way every figure of `SF` uses.
    pub fn absence(&self) -> f64 {
        self.self_certified + self.doctor_certified
    }
}

/// The sick-leave rows, indexed by unit.
#[derive(Debug, Default)]
pub(crate) struct SickLeaveIndex {
    /// `offsets[u]..offsets[u + 1]` are unit `u`'s entries; length = units + 1.
    offsets: Vec<u32>,
    entries: Vec<Entry>,
    /// The masking decisions taken over these rows (`privacy.rs`).
    pub(crate) decisions: super::privacy::DecisionCache,
}

impl SickLeaveIndex {
    /// Rows of unknown units are not used.
    pub(crate) fn new(rows: Vec<SickLeave>, tree: &UnitTree) -> SickLeaveIndex {
        let mut keyed: Vec<(u32, Entry)> = Vec::with_capacity(rows.len());
        // Rows usually come grouped by unit or month: remember the last lookup.
        let mut last: Option<(String, Option<usize>)> = None;
        for row in rows {
            let u = match &last {
                Some((code, u)) if *code == row.unit => *u,
                _ => {
                    let u = tree.find(&row.unit);
                    last = Some((row.unit.clone(), u));
                    u
                }
            };
            let Some(u) = u else { continue };
            keyed.push((
                u as u32,
                Entry {
                    month: row.month.index(),
                    contracted: row.contracted_days,
                    self_certified: row.self_certified,
                    doctor_certified: row.doctor_certified,
                    employees: row.employees,
                    split: row.split,
                },
            ));
        }
        // Stable: equal keys keep dataset order, so the last of a run is the latest.
        keyed.sort_by_key(|(u, e)| (*u, e.month));
        let mut units_of: Vec<u32> = Vec::with_capacity(keyed.len());
        let mut entries: Vec<Entry> = Vec::with_capacity(keyed.len());
        for (i, (u, e)) in keyed.iter().enumerate() {
            if keyed
                .get(i + 1)
                .is_some_and(|(nu, ne)| *nu == *u && ne.month == e.month)
            {
                continue;
            }
            units_of.push(*u);
            entries.push(*e);
        }
        let n = tree.len();
        let mut offsets = vec![0u32; n + 1];
        let mut next = 0usize;
        for (u, slot) in offsets.iter_mut().enumerate() {
            while next < units_of.len() && (units_of[next] as usize) < u {
                next += 1;
            }
            *slot = next as u32;
        }
        SickLeaveIndex {
            offsets,
            entries,
            decisions: Default::default(),
        }
    }

    /// How many (unit, month) rows are indexed.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Unit `u`'s entries in month order.
    pub(crate) fn unit(&self, u: usize) -> &[Entry] {
        match (self.offsets.get(u), self.offsets.get(u + 1)) {
            (Some(&a), Some(&b)) => &self.entries[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Unit `u`'s entries with months in `first..=last`, in month order.
    pub(crate) fn window(&self, u: usize, first: i32, last: i32) -> &[Entry] {
        let all = self.unit(u);
        let a = all.partition_point(|e| e.month < first);
        let b = all.partition_point(|e| e.month <= last);
        &all[a..b.max(a)]
    }

    /// One `(unit, month, numerator, denominator)` per row for a built-in `SF*` code;
    /// nothing for any other code. `SF-KORT` and `SF-LANG` only over rows with the split.
    pub(crate) fn indicator_rows(&self, code: &str) -> Vec<RawRow> {
        let figure: fn(&Entry) -> Option<(f64, f64)> = match code {
            "SF" => |e| Some((e.absence(), e.contracted)),
            "SF-E" => |e| Some((e.self_certified, e.contracted)),
            "SF-L" => |e| Some((e.doctor_certified, e.contracted)),
            "SF-KORT" => |e| e.split.map(|s| (s.short(), e.contracted)),
            "SF-LANG" => |e| e.split.map(|s| (s.long(), e.contracted)),
            "SF-N" => |e| {
                Some((
                    e.contracted - e.self_certified - e.doctor_certified,
                    e.contracted,
                ))
            },
            _ => return Vec::new(),
        };
        let mut out = Vec::with_capacity(self.entries.len());
        for u in 0..self.offsets.len().saturating_sub(1) {
            for e in self.unit(u) {
                if let Some((a, b)) = figure(e) {
                    out.push((u as u32, e.month, a, b));
                }
            }
        }
        out
    }
}
