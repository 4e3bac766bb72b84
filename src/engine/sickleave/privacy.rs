//! Sick-leave privacy on every surface (issue 19, docs/decisions.md «Sykefravær: maskering
//! overalt»): one masking decision per (period, minimum) for every unit of the tree,
//! computed once from the summary's rule (`mask.rs`), and the same decision applied to the
//! summary, the `SF*` indicators of every målkart, their previous period, the series and
//! the children of a parent.
//!
//! The decision is taken over the whole tree, not per report: every unit's total is one
//! click away in some målkart, so a unit shown in its own report but masked in its
//! parent's would let the parent minus its siblings reveal a small sibling.
//!
//! Who may see unmasked figures is the caller's word (`SickLeaveAccess`): the app and the
//! CLI pass `Masked` unless the person at the machine deliberately asked (and that was
//! audited); the future server passes it per role (sharing.md §2).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::mask::{mask, MaskNode, LAST_YEAR, NOW, SPLIT};
use super::{MaskReason, CODES};
use crate::engine::{
    summary, Engine, EngineError, IndicatorResult, PeriodValue, Scorecard, Status, Trend, UnitRef,
};
use crate::period::Period;

/// Whether the caller may see sick-leave figures of small groups.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum SickLeaveAccess {
    /// Small groups masked (the default everywhere but the registration grid).
    #[default]
    Masked,
    /// Raw figures: the registration grid, and a deliberate, audited «Vis umaskerte tall».
    Unmasked,
}

/// What a question about `SF*` figures is asked with: the access and the minimum number of
/// employees (the `min_employees` setting; 0 turns masking off).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Privacy {
    pub access: SickLeaveAccess,
    pub min_employees: u32,
}

impl Privacy {
    pub fn masked(min_employees: u32) -> Privacy {
        Privacy {
            access: SickLeaveAccess::Masked,
            min_employees,
        }
    }

    pub fn unmasked() -> Privacy {
        Privacy {
            access: SickLeaveAccess::Unmasked,
            min_employees: 0,
        }
    }

    fn off(&self) -> bool {
        self.access == SickLeaveAccess::Unmasked || self.min_employees == 0
    }
}

/// One period's masking decision: per unit (pre-order index), why it is masked.
#[derive(Debug)]
pub(crate) struct Decision {
    pub reasons: Vec<Option<MaskReason>>,
}

/// Decisions already taken by this engine, so that a sparkline of six `SF*` indicators over
/// thirteen months costs thirteen decisions, not seventy-eight.
#[derive(Debug, Default)]
pub(crate) struct DecisionCache {
    map: Mutex<HashMap<(i32, i32, u32), Arc<Decision>>>,
}

/// More cached decisions than this and the cache starts over (a few months of browsing).
const CACHE_LIMIT: usize = 512;

/// Whether `code` is one of the built-in sick-leave indicators.
pub fn is_sick_leave(code: &str) -> bool {
    CODES.contains(&code)
}

impl Engine {
    /// The masking decision of `period` for every unit of the tree (cached).
    pub(crate) fn sick_leave_decision(&self, period: &Period, min_employees: u32) -> Arc<Decision> {
        let key = (period.first().index(), period.last().index(), min_employees);
        let cache = &self.sick_leave.decisions;
        if let Some(d) = cache
            .map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return Arc::clone(d);
        }
        let decided = Arc::new(self.decide(period, min_employees));
        let mut map = cache.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        map.insert(key, Arc::clone(&decided));
        decided
    }

    fn decide(&self, period: &Period, min_employees: u32) -> Decision {
        let n = self.tree.len();
        if min_employees == 0 {
            return Decision {
                reasons: vec![None; n],
            };
        }
        let months = period.len_months().max(1) as usize;
        let (p0, p1) = (period.first().index(), period.last().index());
        let ly = period.last_year();
        let (l0, l1) = (ly.first().index(), ly.last().index());
        let mut own_emp = vec![0u64; n * months];
        let mut own = vec![0u8; n];
        let mut known = vec![false; n];
        for k in 0..n {
            let now = self.sick_leave.window(k, p0, p1);
            if !now.is_empty() {
                own[k] |= NOW;
            }
            if now.iter().any(|e| e.split.is_some()) {
                own[k] |= SPLIT;
            }
            if !self.sick_leave.window(k, l0, l1).is_empty() {
                own[k] |= LAST_YEAR;
            }
            for e in now {
                if let Some(emp) = e.employees {
                    own_emp[k * months + (e.month - p0) as usize] += u64::from(emp);
                    known[k] = true;
                }
            }
        }
        let mut sub_emp = own_emp.clone();
        let mut sub = own.clone();
        // Bottom-up: in reverse pre-order every child comes before its parent.
        for k in (0..n).rev() {
            if let Some(p) = self.tree.parent(k) {
                for m in 0..months {
                    sub_emp[p * months + m] += sub_emp[k * months + m];
                }
                sub[p] |= sub[k];
                known[p] |= known[k];
            }
        }
        let nodes: Vec<MaskNode<'_>> = (0..n)
            .map(|k| MaskNode {
                code: &self.tree.units[k].code,
                parent: self.tree.parent(k),
                end: self.tree.subtree(k).end,
                employees: known[k].then(|| {
                    let max = sub_emp[k * months..(k + 1) * months]
                        .iter()
                        .copied()
                        .max()
                        .unwrap_or(0);
                    u32::try_from(max).unwrap_or(u32::MAX)
                }),
                own: own[k],
                subtree: sub[k],
                own_by_month: &own_emp[k * months..(k + 1) * months],
            })
            .collect();
        Decision {
            reasons: mask(&nodes, min_employees),
        }
    }

    /// Why `unit`'s sick-leave figures for `period` are masked, `None` when shown.
    pub fn sick_leave_mask(
        &self,
        unit: &str,
        period: &Period,
        min_employees: u32,
    ) -> Result<Option<MaskReason>, EngineError> {
        let u = self.unit_index(unit)?;
        Ok(self.sick_leave_decision(period, min_employees).reasons[u])
    }

    /// Every masked unit of the tree for `period`, in tree order, with the reason.
    pub fn sick_leave_masked_units(
        &self,
        period: &Period,
        min_employees: u32,
    ) -> Vec<(UnitRef, MaskReason)> {
        let d = self.sick_leave_decision(period, min_employees);
        d.reasons
            .iter()
            .enumerate()
            .filter_map(|(u, r)| r.map(|r| (self.unit_ref(u), r)))
            .collect()
    }

    /// `scorecard` with the `SF*` figures of a masked unit hidden.
    pub fn scorecard_with(
        &self,
        unit: &str,
        period: &Period,
        privacy: Privacy,
    ) -> Result<Scorecard, EngineError> {
        let mut card = self.scorecard(unit, period)?;
        if privacy.off() {
            return Ok(card);
        }
        let u = self.unit_index(unit)?;
        for p in &mut card.perspectives {
            let mut touched = false;
            for r in &mut p.indicators {
                touched |= self.protect(u, r, privacy.min_employees);
            }
            if touched {
                let indicators = std::mem::take(&mut p.indicators);
                *p = summary::perspective(p.key, p.name.clone(), indicators);
            }
        }
        Ok(card)
    }

    /// `evaluate`, masked as `privacy` says.
    pub fn evaluate_with(
        &self,
        indicator: &str,
        unit: &str,
        period: &Period,
        privacy: Privacy,
    ) -> Result<IndicatorResult, EngineError> {
        let mut r = self.evaluate(indicator, unit, period)?;
        if !privacy.off() {
            self.protect(self.unit_index(unit)?, &mut r, privacy.min_employees);
        }
        Ok(r)
    }

    /// `children`, each child masked as `privacy` says.
    pub fn children_with(
        &self,
        indicator: &str,
        unit: &str,
        period: &Period,
        privacy: Privacy,
    ) -> Result<Vec<(UnitRef, IndicatorResult)>, EngineError> {
        let mut out = self.children(indicator, unit, period)?;
        if !privacy.off() {
            for (child, r) in &mut out {
                self.protect(self.unit_index(&child.code)?, r, privacy.min_employees);
            }
        }
        Ok(out)
    }

    /// `series`, each point masked by its own period's decision.
    pub fn series_with(
        &self,
        indicator: &str,
        unit: &str,
        last: &Period,
        count: usize,
        privacy: Privacy,
    ) -> Result<Vec<PeriodValue>, EngineError> {
        let mut points = self.series(indicator, unit, last, count)?;
        if !privacy.off() && is_sick_leave(indicator) {
            let u = self.unit_index(unit)?;
            for point in &mut points {
                self.protect_point(u, point, privacy.min_employees);
            }
        }
        Ok(points)
    }

    /// Hides a point whose period masks unit `u`; a period that cannot be read hides it too.
    fn protect_point(&self, u: usize, point: &mut PeriodValue, min: u32) -> Option<MaskReason> {
        let reason = match Period::parse(&point.period) {
            Ok(p) => self.sick_leave_decision(&p, min).reasons[u],
            Err(_) => Some(MaskReason::Secondary),
        };
        if let Some(reason) = reason {
            point.value = None;
            point.masked = Some(reason);
        }
        reason
    }

    /// Hides what `r` (an indicator of unit `u`) must not show; `true` when anything
    /// changed. Only the built-in `SF*` indicators are touched. A masked unit loses its
    /// value, status, trend, previous and last year (status `ingen data`, trend unknown,
    /// `masked` says why); a shown unit loses the previous period's value (and the trend)
    /// when that period's decision masks it, and last year's when last year's does — a
    /// figure masked in its own period is masked wherever it appears. Target and coverage
    /// stay: they are no figures about anybody's health.
    fn protect(&self, u: usize, r: &mut IndicatorResult, min: u32) -> bool {
        if !is_sick_leave(&r.code) {
            return false;
        }
        let reason = match Period::parse(&r.period) {
            Ok(p) => self.sick_leave_decision(&p, min).reasons[u],
            Err(_) => Some(MaskReason::Secondary),
        };
        if let Some(reason) = reason {
            hide(r, reason);
            return true;
        }
        let mut touched = false;
        if self.protect_point(u, &mut r.previous, min).is_some() {
            r.trend = Trend::Unknown;
            touched = true;
        }
        touched |= self.protect_point(u, &mut r.last_year, min).is_some();
        touched
    }
}

/// Hides a masked result's figures — value, status, trend, previous and last year — and
/// says why: the one way sick leave and surveys mask a result.
pub(crate) fn hide(r: &mut IndicatorResult, reason: MaskReason) {
    r.value = None;
    r.display = None;
    r.display_value = None;
    r.numerator = None;
    r.status = Status::NoData;
    r.trend = Trend::Unknown;
    r.previous.value = None;
    r.previous.masked = Some(reason);
    r.last_year.value = None;
    r.last_year.masked = Some(reason);
    r.masked = Some(reason);
}
