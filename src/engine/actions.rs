//! Tiltak in the målkart (tiltak.md §2): per goal the count of tiltak by status and the
//! number late, over the unit's subtree like every other figure; a red indicator with no
//! open tiltak linked to it in the subtree is marked `rød uten tiltak`. A pure step the
//! service applies with the month "now", like `progress`.
//!
//! Decisions (docs/decisions.md «Tiltak»):
//! - **Late** (`forsinket`) is judged in the month R = the period's last month, or the
//!   current month (the one after the last full month) when that is earlier: a tiltak is
//!   late when it is open (`ikke startet`, `pågår`, `utsatt`) and its deadline is before R.
//!   On the deadline month's last day it is not late; from the first day after, it is.
//! - **Which tiltak a period shows**: every tiltak of the subtree, except one that was
//!   closed (`fullført`, `avbrutt`) with a deadline before January of the period's year —
//!   last year's finished work does not crowd this year's målkart, and this year's stays
//!   in every month of it. A tiltak's status is its status now:
//!   Målkart keeps no history of statuses (the audit log does).
//! - **Open tiltak answer for a red indicator**: `ikke startet`, `pågår` and `utsatt` do;
//!   `fullført` and `avbrutt` do not (the work is over and the indicator is still red).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::tree::UnitTree;
use super::{Engine, EngineError, IndicatorResult, Scorecard, Status, UnitRef};
use crate::model::{Action, ActionComment, ActionKind, ActionStatus, Perspective};
use crate::period::{Month, Period};

/// How many tiltak, by status, and how many of them are late.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionCounts {
    pub total: u32,
    pub ikke_startet: u32,
    pub pagar: u32,
    pub fullfort: u32,
    pub utsatt: u32,
    pub avbrutt: u32,
    /// Open tiltak whose deadline's month has ended (by the period shown).
    pub late: u32,
}

impl ActionCounts {
    fn add(&mut self, status: ActionStatus, late: bool) {
        self.total += 1;
        *match status {
            ActionStatus::IkkeStartet => &mut self.ikke_startet,
            ActionStatus::Pagar => &mut self.pagar,
            ActionStatus::Fullfort => &mut self.fullfort,
            ActionStatus::Utsatt => &mut self.utsatt,
            ActionStatus::Avbrutt => &mut self.avbrutt,
        } += 1;
        self.late += u32::from(late);
    }
}

/// The tiltak by unit, in the tree's pre-order, so a subtree's tiltak are one slice.
#[derive(Default)]
pub(crate) struct ActionIndex {
    /// (pre-order index of the unit, the tiltak), sorted by the first.
    actions: Vec<(usize, Action)>,
}

impl ActionIndex {
    /// Tiltak of an unknown unit are left out (storage refuses them before).
    pub(crate) fn new(actions: Vec<Action>, tree: &UnitTree) -> ActionIndex {
        let mut actions: Vec<(usize, Action)> = actions
            .into_iter()
            .filter_map(|a| tree.find(&a.unit).map(|u| (u, a)))
            .collect();
        actions.sort_by(|(u, a), (v, b)| u.cmp(v).then_with(|| a.code.cmp(&b.code)));
        ActionIndex { actions }
    }

    /// The tiltak of the units in `subtree` (pre-order indexes), in pre-order then code.
    pub(crate) fn in_subtree(&self, subtree: std::ops::Range<usize>) -> &[(usize, Action)] {
        let from = self.actions.partition_point(|(u, _)| *u < subtree.start);
        let to = self.actions.partition_point(|(u, _)| *u < subtree.end);
        &self.actions[from..to]
    }
}

/// The month in which lateness is judged for `period`: its last month, or the current month
/// (the one after `last_full`) when that comes first.
pub fn judged_in(period: &Period, last_full: Month) -> Month {
    period.last().min(last_full.plus(1))
}

/// Does `action` belong in the målkart of `period`? Every tiltak but one closed with a
/// deadline before January of the period's (first) year.
pub fn shown_in(action: &Action, period: &Period) -> bool {
    let january = period.first().plus(1 - period.first().month() as i32);
    action.status.is_open() || action.deadline_month().is_none_or(|d| d >= january)
}

impl Engine {
    /// The tiltak of `unit`'s subtree that the målkart of `period` shows (`shown_in`), in
    /// the tree's pre-order, then by code. Empty for an unknown unit.
    pub fn actions_for(&self, unit: &str, period: &Period) -> Vec<&Action> {
        let Some(u) = self.tree.find(unit) else {
            return Vec::new();
        };
        self.actions
            .in_subtree(self.tree.subtree(u))
            .iter()
            .map(|(_, a)| a)
            .filter(|a| shown_in(a, period))
            .collect()
    }

    /// Marks one result (the indicator detail's, a unit below it) `rød uten tiltak` when it
    /// is red and no open tiltak of `unit`'s subtree names its indicator.
    pub fn mark_result_actions(&self, r: &mut IndicatorResult, unit: &str, period: &Period) {
        r.red_without_action = r.status == Status::Red
            && !self
                .actions_for(unit, period)
                .iter()
                .any(|a| a.status.is_open() && a.indicators.contains(&r.code));
    }

    /// Marks `card` with its tiltak: each goal's counts (and the målkart's), and
    /// `red_without_action` on each red indicator no open tiltak of the subtree names.
    pub fn mark_actions(&self, card: &mut Scorecard, period: &Period, last_full: Month) {
        let month = judged_in(period, last_full);
        let mut by_goal: HashMap<&str, ActionCounts> = HashMap::new();
        let mut covered: HashSet<&str> = HashSet::new();
        let mut all = ActionCounts::default();
        for a in self.actions_for(&card.unit.code, period) {
            let late = a.is_late_in(month);
            by_goal.entry(&a.goal).or_default().add(a.status, late);
            all.add(a.status, late);
            if a.status.is_open() {
                covered.extend(a.indicators.iter().map(String::as_str));
            }
        }
        let mut red_without = 0;
        for p in &mut card.perspectives {
            for g in &mut p.goals {
                g.actions = by_goal.get(g.name.as_str()).cloned().unwrap_or_default();
            }
            for r in &mut p.indicators {
                r.red_without_action =
                    r.status == Status::Red && !covered.contains(r.code.as_str());
                red_without += u32::from(r.red_without_action);
            }
        }
        card.actions = all;
        card.red_without_action = red_without;
    }
}

/// One tiltak as the list and the report show it (tiltak.md §2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionLine {
    pub code: String,
    pub title: String,
    pub goal: String,
    pub unit: UnitRef,
    pub responsible: String,
    pub kind: ActionKind,
    pub start: Option<String>,
    pub deadline: Option<String>,
    pub status: ActionStatus,
    /// Open with its deadline's month ended, judged in `ActionsReport::judged_in`.
    pub late: bool,
    pub progress: u8,
    pub cost_ore: Option<i64>,
    pub indicators: Vec<String>,
    /// The latest status comment for a period that ended by the period shown.
    pub last_comment: Option<ActionComment>,
}

/// A goal's tiltak: the goal, its perspective and its lines by deadline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionGoal {
    /// `None` for a goal no indicator has any more (renamed since the tiltak was made).
    pub perspective: Option<Perspective>,
    pub perspective_name: String,
    pub goal: String,
    pub counts: ActionCounts,
    pub lines: Vec<ActionLine>,
}

/// The tiltak of a unit's subtree for a period, per goal (the actions report: tiltak |
/// ansvarlig | frist | status | fremdrift | siste kommentar).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionsReport {
    pub unit: UnitRef,
    /// Canonical id of the period shown.
    pub period: String,
    /// The month lateness is judged in (`judged_in`).
    pub judged_in: String,
    pub counts: ActionCounts,
    /// In the målkart's order: perspective, then the goal's first indicator by code.
    pub goals: Vec<ActionGoal>,
}

/// Deadline first (none last), then code.
fn by_deadline(a: &ActionLine, b: &ActionLine) -> std::cmp::Ordering {
    match (&a.deadline, &b.deadline) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a.code.cmp(&b.code))
}

impl Engine {
    /// The actions report of `unit`'s subtree for `period`, lateness judged against
    /// `last_full`; `comments` holds every tiltak's status comments (any order): each line
    /// gets the latest one whose period ended by the period shown.
    pub fn actions_report(
        &self,
        unit: &str,
        period: &Period,
        last_full: Month,
        comments: &[ActionComment],
    ) -> Result<ActionsReport, EngineError> {
        let u = self.unit_index(unit)?;
        let month = judged_in(period, last_full);
        let mut latest: HashMap<&str, &ActionComment> = HashMap::new();
        for c in comments {
            let Ok(p) = Period::parse(&c.period) else {
                continue;
            };
            if p.last() > period.last() {
                continue;
            }
            let newer = latest.get(c.action.as_str()).is_none_or(|l| {
                (l.period.as_str(), &l.created_at) <= (c.period.as_str(), &c.created_at)
            });
            if newer {
                latest.insert(&c.action, c);
            }
        }
        // The målkart's order of goals: perspective, then first indicator by code.
        let mut order: Vec<(Perspective, &str)> = Vec::new();
        for p in Perspective::ALL {
            for ind in self.indicators.iter().filter(|i| i.perspective == p) {
                if let Some(g) = ind.goal.as_deref() {
                    if !order.iter().any(|(_, o)| *o == g) {
                        order.push((p, g));
                    }
                }
            }
        }
        let mut goals: Vec<ActionGoal> = order
            .iter()
            .map(|&(p, g)| ActionGoal {
                perspective: Some(p),
                perspective_name: self.perspective_name(p).to_string(),
                goal: g.to_string(),
                counts: ActionCounts::default(),
                lines: Vec::new(),
            })
            .collect();
        let mut counts = ActionCounts::default();
        for (au, a) in self.actions.in_subtree(self.tree.subtree(u)) {
            if !shown_in(a, period) {
                continue;
            }
            // A goal no indicator has any more (renamed since) is kept under its own name.
            let slot = match goals.iter().position(|g| g.goal == a.goal) {
                Some(k) => k,
                None => {
                    goals.push(ActionGoal {
                        perspective: None,
                        perspective_name: String::new(),
                        goal: a.goal.clone(),
                        counts: ActionCounts::default(),
                        lines: Vec::new(),
                    });
                    goals.len() - 1
                }
            };
            let late = a.is_late_in(month);
            counts.add(a.status, late);
            goals[slot].counts.add(a.status, late);
            goals[slot].lines.push(ActionLine {
                code: a.code.clone(),
                title: a.title.clone(),
                goal: a.goal.clone(),
                unit: self.unit_ref(*au),
                responsible: a.responsible.clone(),
                kind: a.kind,
                start: a.start.clone(),
                deadline: a.deadline.clone(),
                status: a.status,
                late,
                progress: a.progress,
                cost_ore: a.cost_ore,
                indicators: a.indicators.clone(),
                last_comment: latest.get(a.code.as_str()).map(|c| (*c).clone()),
            });
        }
        goals.retain(|g| !g.lines.is_empty());
        for g in &mut goals {
            g.lines.sort_by(by_deadline);
        }
        Ok(ActionsReport {
            unit: self.unit_ref(u),
            period: period.to_string(),
            judged_in: month.id(),
            counts,
            goals,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ActionKind;

    fn action(code: &str, status: ActionStatus, deadline: Option<&str>) -> Action {
        Action {
            code: code.into(),
            title: "Tittel".into(),
            description: None,
            goal: "Sykefravær".into(),
            success_factor: None,
            unit: "1000".into(),
            responsible: "Leder".into(),
            kind: ActionKind::Tiltak,
            decision_ref: None,
            start: None,
            deadline: deadline.map(String::from),
            status,
            progress: if status == ActionStatus::Fullfort {
                100
            } else {
                0
            },
            cost_ore: None,
            indicators: vec![],
        }
    }

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn late_from_the_day_after_the_deadline_month_not_on_its_last_day() {
        let a = action("T1", ActionStatus::Pagar, Some("2026-03"));
        // Frist mars 2026: the month ends 31 March; 1 April is the first day after it.
        assert!(!a.is_late_on(day(2026, 3, 31)));
        assert!(a.is_late_on(day(2026, 4, 1)));
        assert!(!a.is_late_on(day(2026, 3, 1)));
        // Closed tiltak are never late; one without a deadline cannot be.
        for status in [ActionStatus::Fullfort, ActionStatus::Avbrutt] {
            assert!(!action("T2", status, Some("2026-03")).is_late_on(day(2026, 4, 1)));
        }
        assert!(!action("T3", ActionStatus::Utsatt, None).is_late_on(day(2030, 1, 1)));
        assert!(action("T4", ActionStatus::Utsatt, Some("2026-03")).is_late_on(day(2026, 4, 1)));
    }

    #[test]
    fn lateness_is_judged_at_the_periods_end_or_now_whichever_is_first() {
        let m = |t: &str| Month::parse_id(t).unwrap();
        let p = |t: &str| Period::parse(t).unwrap();
        // 2026-K1 ends in March; "now" is long after: judged in March.
        assert_eq!(judged_in(&p("2026-K1"), m("2026-11")), m("2026-03"));
        // 2026 (the year) on 3 December, last full month November: judged in December.
        assert_eq!(judged_in(&p("2026"), m("2026-11")), m("2026-12"));
        // 2026-K3 seen in August (last full month July): judged in August, not September.
        assert_eq!(judged_in(&p("2026-K3"), m("2026-07")), m("2026-08"));
        let a = action("T1", ActionStatus::Pagar, Some("2026-03"));
        assert!(!a.is_late_in(judged_in(&p("2026-K1"), m("2026-11"))));
        assert!(a.is_late_in(judged_in(&p("2026-04"), m("2026-11"))));
    }

    #[test]
    fn closed_tiltak_of_earlier_periods_are_not_shown() {
        let p = Period::parse("2026").unwrap();
        assert!(!shown_in(
            &action("T1", ActionStatus::Fullfort, Some("2025-12")),
            &p
        ));
        assert!(!shown_in(
            &action("T2", ActionStatus::Avbrutt, Some("2025-06")),
            &p
        ));
        assert!(shown_in(
            &action("T3", ActionStatus::Fullfort, Some("2026-01")),
            &p
        ));
        assert!(shown_in(
            &action("T4", ActionStatus::Pagar, Some("2025-06")),
            &p
        ));
        assert!(shown_in(&action("T5", ActionStatus::Fullfort, None), &p));
    }
}
