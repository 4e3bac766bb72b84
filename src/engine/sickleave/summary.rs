//! The sick-leave summary (sick-leave.md): for a unit U and a period P, one row for U and
//! each descendant in tree order, each the subtree's total over P, then masked.
//!
//! One pass over the rows of P (and of P moved back twelve months) gives every unit's own
//! sums and monthly head counts; head counts are added up the tree bottom-up (integers,
//! exact). The person-day sums of a row are then the unit's pre-order slice of own sums
//! added left to right — the very order `rollup::roll_up` adds them in — so that a row's
//! `absence_pct` is bit for bit `Engine::evaluate("SF", unit, P)`. That costs one addition
//! per (row, descendant): a few thousand for a city-sized tree, nothing beside the pass.
//!
//! **Employees** (`Ansatte`) are the largest monthly sum of `ansatte` over the subtree
//! within P. A row whose subtree has no `ansatte` in P at all has an unknown number (and
//! is masked); where only some rows lack it, those count 0, so the figure is a lower bound
//! and masking errs on the side of hiding.

use super::index::Entry;
use super::{MaskReason, SickLeaveSummary, SickLeaveSummaryRow};
use crate::engine::{status, Engine, EngineError, Status};
use crate::format::round_half_away;
use crate::model::Direction;
use crate::period::Period;

/// One unit's own sums over P (and last year's P), each added in month order.
#[derive(Clone, Copy, Debug, Default)]
struct Own {
    rows: u32,
    contracted: f64,
    absence: f64,
    self_certified: f64,
    doctor_certified: f64,
    split_rows: u32,
    split_contracted: f64,
    short: f64,
    long: f64,
    ly_rows: u32,
    ly_absence: f64,
    ly_contracted: f64,
}

impl Own {
    fn of(now: &[Entry], last_year: &[Entry]) -> Own {
        let mut o = Own::default();
        for e in now {
            o.rows += 1;
            o.contracted += e.contracted;
            o.absence += e.absence();
            o.self_certified += e.self_certified;
            o.doctor_certified += e.doctor_certified;
            if let Some(s) = e.split {
                o.split_rows += 1;
                o.split_contracted += e.contracted;
                o.short += s.short();
                o.long += s.long();
            }
        }
        for e in last_year {
            o.ly_rows += 1;
            o.ly_absence += e.absence();
            o.ly_contracted += e.contracted;
        }
        o
    }

    /// Adds another unit's sums, as `rollup` folds a unit into a subtree: only when it
    /// has rows in that window.
    fn add(&mut self, b: &Own) {
        if b.rows > 0 {
            self.rows += b.rows;
            self.contracted += b.contracted;
            self.absence += b.absence;
            self.self_certified += b.self_certified;
            self.doctor_certified += b.doctor_certified;
        }
        if b.split_rows > 0 {
            self.split_rows += b.split_rows;
            self.split_contracted += b.split_contracted;
            self.short += b.short;
            self.long += b.long;
        }
        if b.ly_rows > 0 {
            self.ly_rows += b.ly_rows;
            self.ly_absence += b.ly_absence;
            self.ly_contracted += b.ly_contracted;
        }
    }
}

/// `factor × Σ numerator / Σ denominator` as `rollup` computes it; no rows or Σ 0: none.
fn ratio(factor: f64, rows: u32, numerator: f64, denominator: f64) -> Option<f64> {
    if rows == 0 || denominator == 0.0 {
        return None;
    }
    Some(factor * numerator / denominator).filter(|v| v.is_finite())
}

impl Engine {
    /// The sick-leave summary of `unit` and its descendants for `period`, masked for
    /// `min_employees` (0: no masking).
    pub fn sick_leave_summary(
        &self,
        unit: &str,
        period: &Period,
        min_employees: u32,
    ) -> Result<SickLeaveSummary, EngineError> {
        let u0 = self.unit_index(unit)?;
        let subtree = self.tree.subtree(u0);
        let start = subtree.start;
        let n = subtree.len();
        let months = period.len_months().max(1) as usize;
        let (p0, p1) = (period.first().index(), period.last().index());
        let ly = period.last_year();
        let (l0, l1) = (ly.first().index(), ly.last().index());

        // The `SF*` indicators as defined (factor, decimals, direction); the migration's
        // values when a dataset lacks them.
        let sf = self.by_code.get("SF").copied();
        let factor_of = |code: &str| {
            self.by_code
                .get(code)
                .map_or(100.0, |&i| self.indicators[i].factor)
        };
        let (f_sf, f_e, f_l, f_short, f_long) = (
            factor_of("SF"),
            factor_of("SF-E"),
            factor_of("SF-L"),
            factor_of("SF-KORT"),
            factor_of("SF-LANG"),
        );
        let (decimals, direction) = sf.map_or((1, Direction::Lav), |i| {
            (self.indicators[i].decimals, self.indicators[i].direction)
        });

        // One pass: own sums, own head counts per month, and which units know `ansatte`.
        let mut own: Vec<Own> = Vec::with_capacity(n);
        let mut own_emp: Vec<u64> = vec![0; n * months];
        let mut sub_emp: Vec<u64> = vec![0; n * months];
        let mut known: Vec<bool> = vec![false; n];
        let mut parent: Vec<Option<usize>> = Vec::with_capacity(n);
        let mut depth: Vec<u32> = Vec::with_capacity(n);
        for (i, k) in subtree.clone().enumerate() {
            let now = self.sick_leave.window(k, p0, p1);
            let before = self.sick_leave.window(k, l0, l1);
            own.push(Own::of(now, before));
            for e in now {
                if let Some(emp) = e.employees {
                    own_emp[i * months + (e.month - p0) as usize] += u64::from(emp);
                    known[i] = true;
                }
            }
            let p = if i == 0 {
                None
            } else {
                self.tree.parent(k).map(|p| p - start)
            };
            depth.push(p.map_or(0, |p| depth[p] + 1));
            parent.push(p);
        }
        sub_emp.copy_from_slice(&own_emp);
        // Bottom-up: in reverse pre-order every child comes before its parent.
        for i in (1..n).rev() {
            if let Some(p) = parent[i] {
                for m in 0..months {
                    sub_emp[p * months + m] += sub_emp[i * months + m];
                }
                known[p] |= known[i];
            }
        }

        let mut rows: Vec<SickLeaveSummaryRow> = Vec::with_capacity(n);
        for (i, k) in subtree.clone().enumerate() {
            let end = self.tree.subtree(k).end - start;
            let mut t = Own::default();
            for o in &own[i..end] {
                t.add(o);
            }
            let employees = known[i].then(|| {
                let max = sub_emp[i * months..(i + 1) * months]
                    .iter()
                    .copied()
                    .max()
                    .unwrap_or(0);
                u32::try_from(max).unwrap_or(u32::MAX)
            });
            let absence_pct = ratio(f_sf, t.rows, t.absence, t.contracted);
            let last_year_pct = ratio(f_sf, t.ly_rows, t.ly_absence, t.ly_contracted);
            let shown = |v: f64| round_half_away(v, decimals);
            let change_pp = match (absence_pct, last_year_pct) {
                (Some(a), Some(b)) => Some(round_half_away(shown(a) - shown(b), decimals)),
                _ => None,
            };
            let applied = sf.and_then(|ii| self.targets.lookup(ii, k, period.last().year()));
            let status = if sf.is_some() {
                status::status(
                    direction,
                    absence_pct.map(shown),
                    applied.map(|a| (a.target, a.red_limit)),
                )
            } else if absence_pct.is_some() {
                Status::NoTarget
            } else {
                Status::NoData
            };
            let unit = &self.tree.units[k];
            rows.push(SickLeaveSummaryRow {
                code: unit.code.clone(),
                name: unit.name.clone(),
                depth: depth[i],
                employees,
                contracted_days: (t.rows > 0).then_some(t.contracted),
                absence_days: (t.rows > 0).then_some(t.absence),
                absence_pct,
                self_certified_pct: ratio(f_e, t.rows, t.self_certified, t.contracted),
                doctor_certified_pct: ratio(f_l, t.rows, t.doctor_certified, t.contracted),
                short_pct: ratio(f_short, t.split_rows, t.short, t.split_contracted),
                long_pct: ratio(f_long, t.split_rows, t.long, t.split_contracted),
                last_year_pct,
                change_pp,
                target: applied.map(|a| a.target),
                status: Some(status),
                masked: false,
                mask_reason: None,
            });
        }

        // The decision over the whole tree (privacy.rs), so that this report hides what
        // every målkart hides: a sub-unit's report never shows a row the municipality's hides.
        let decision = self.sick_leave_decision(period, min_employees);
        let reasons = decision.reasons[start..start + n].iter().copied();
        let (mut masked_primary, mut masked_secondary) = (0, 0);
        // Last year's figure is hidden, too, where last year's own decision masks it.
        let last_year = self.sick_leave_decision(&ly, min_employees);
        for ((i, row), reason) in rows.iter_mut().enumerate().zip(reasons) {
            if last_year.reasons[start + i].is_some() {
                row.last_year_pct = None;
                row.change_pp = None;
            }
            let Some(reason) = reason else { continue };
            match reason {
                MaskReason::Secondary => masked_secondary += 1,
                MaskReason::FewEmployees
                | MaskReason::UnknownEmployees
                | MaskReason::FewRespondents => masked_primary += 1,
            }
            hide(row, reason);
        }

        Ok(SickLeaveSummary {
            unit: self.unit_ref(u0),
            period: period.to_string(),
            min_employees,
            rows,
            masked_primary,
            masked_secondary,
        })
    }

    /// How many (unit, month) sick-leave rows the engine holds.
    pub fn sick_leave_rows(&self) -> usize {
        self.sick_leave.len()
    }
}

/// A masked row keeps code, name, depth, employees, contracted days and target; every
/// absence figure, the change and the status are hidden.
fn hide(row: &mut SickLeaveSummaryRow, reason: MaskReason) {
    row.absence_days = None;
    row.absence_pct = None;
    row.self_certified_pct = None;
    row.doctor_certified_pct = None;
    row.short_pct = None;
    row.long_pct = None;
    row.last_year_pct = None;
    row.change_pp = None;
    row.status = None;
    row.masked = true;
    row.mask_reason = Some(reason);
}
