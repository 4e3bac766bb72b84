//! Tiltak (tiltak.md) as every door uses them: the list of a unit's subtree for a period
//! (filtered by status, goal and late; by deadline), one tiltak with its status comments,
//! the form's save (typed text in, checked by the rules storage runs again), the status
//! comments, the actions report and its exports.

use std::path::PathBuf;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::changes::{ApplySummary, ChangeSet};
use crate::engine::actions::{ActionLine, ActionsReport};
use crate::engine::{Engine, UnitRef};
use crate::error::{Error, Result};
use crate::export::{self, Format};
use crate::model::{Action, ActionComment, ActionKind, ActionStatus, Indicator};
use crate::period::{Month, Period};
use crate::storage::Store;

use super::files::{target_path, write_atomically};

/// Which tiltak the list shows, besides the unit's subtree and the period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionFilter {
    pub status: Option<ActionStatus>,
    pub goal: Option<String>,
    /// Only the late ones.
    #[serde(default)]
    pub late_only: bool,
}

/// The tiltak list: the lines that pass the filter, by deadline, and every goal a filter
/// can choose (the catalogue's).
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ActionList {
    pub unit: UnitRef,
    pub period: String,
    pub judged_in: String,
    /// How many tiltak the subtree has in the period before the filter.
    pub total: u32,
    pub lines: Vec<ActionLine>,
    pub goals: Vec<String>,
    /// Every indicator of the catalogue (code and name), for the form's links.
    pub indicators: Vec<UnitRef>,
}

/// The report's lines of every goal, filtered and sorted by deadline, then code.
pub fn list(
    engine: &Engine,
    store: &Store,
    unit: &str,
    period: &Period,
    filter: &ActionFilter,
    last_full: Month,
) -> Result<ActionList> {
    let report = report(engine, store, unit, period, last_full)?;
    let total = report.counts.total;
    let lines = by_deadline(report.goals, |l| {
        filter.status.is_none_or(|s| l.status == s)
            && filter.goal.as_ref().is_none_or(|g| &l.goal == g)
            && (!filter.late_only || l.late)
    });
    Ok(ActionList {
        unit: report.unit,
        period: report.period,
        judged_in: report.judged_in,
        total,
        lines,
        goals: goals(engine),
        indicators: engine
            .indicators()
            .iter()
            .map(|i| UnitRef {
                code: i.code.clone(),
                name: i.name.clone(),
            })
            .collect(),
    })
}

/// The lines of every goal that `keep` keeps, by deadline (none last), then code.
fn by_deadline(
    goals: Vec<crate::engine::actions::ActionGoal>,
    keep: impl Fn(&ActionLine) -> bool,
) -> Vec<ActionLine> {
    let mut lines: Vec<ActionLine> = goals
        .into_iter()
        .flat_map(|g| g.lines)
        .filter(|l| keep(l))
        .collect();
    lines.sort_by(|a, b| {
        let key = |l: &ActionLine| (l.deadline.is_none(), l.deadline.clone(), l.code.clone());
        key(a).cmp(&key(b))
    });
    lines
}

/// The goals of the catalogue in the målkart's order (perspective, then first indicator).
pub fn goals(engine: &Engine) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in crate::model::Perspective::ALL {
        for ind in engine.indicators().iter().filter(|i| i.perspective == p) {
            if let Some(g) = &ind.goal {
                if !out.contains(g) {
                    out.push(g.clone());
                }
            }
        }
    }
    out
}

/// The actions report of `unit`'s subtree for `period` (lateness judged against
/// `last_full`), each line with its latest status comment up to the period.
pub fn report(
    engine: &Engine,
    store: &Store,
    unit: &str,
    period: &Period,
    last_full: Month,
) -> Result<ActionsReport> {
    let comments = store.all_action_comments()?;
    Ok(engine.actions_report(unit, period, last_full, &comments)?)
}

/// Writes the actions report as `format` to the typed `path`; returns the path written.
pub fn export_report(
    report: &ActionsReport,
    format: Format,
    path: &str,
    exported_at: NaiveDateTime,
) -> Result<PathBuf> {
    let target = target_path(path, format)?;
    let bytes = export::actions(report, format, exported_at)?;
    write_atomically(&target, &bytes)?;
    Ok(target)
}

/// One tiltak as the detail and the form show it.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ActionDetail {
    pub action: Action,
    pub unit: UnitRef,
    /// Late, judged for the period asked (`engine::actions::judged_in`).
    pub late: bool,
    /// The linked indicators with their names, in the tiltak's order.
    pub indicators: Vec<UnitRef>,
    pub comments: Vec<ActionComment>,
}

pub fn detail(
    engine: &Engine,
    store: &Store,
    code: &str,
    period: &Period,
    last_full: Month,
) -> Result<ActionDetail> {
    let action = store.action(code)?;
    let unit = engine
        .unit(&action.unit)
        .map(|u| UnitRef {
            code: u.code.clone(),
            name: u.name.clone(),
        })
        .ok_or_else(|| Error::UnknownUnit(action.unit.clone()))?;
    let indicators = action
        .indicators
        .iter()
        .map(|c| UnitRef {
            code: c.clone(),
            name: engine
                .indicator(c)
                .map_or_else(String::new, |i: &Indicator| i.name.clone()),
        })
        .collect();
    Ok(ActionDetail {
        late: action.is_late_in(crate::engine::actions::judged_in(period, last_full)),
        comments: store.action_comments(code)?,
        unit,
        indicators,
        action,
    })
}

/// The tiltak of `unit`'s subtree that name `indicator`, as lines (for the indicator
/// detail), by deadline.
pub fn for_indicator(
    engine: &Engine,
    store: &Store,
    indicator: &str,
    unit: &str,
    period: &Period,
    last_full: Month,
) -> Result<Vec<ActionLine>> {
    let report = report(engine, store, unit, period, last_full)?;
    Ok(by_deadline(report.goals, |l| {
        l.indicators.iter().any(|i| i == indicator)
    }))
}

/// The form as typed: numbers and months as text, checked here and named by field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionInput {
    pub code: String,
    pub title: String,
    pub description: String,
    pub goal: String,
    pub success_factor: String,
    pub unit: String,
    pub responsible: String,
    pub kind: ActionKind,
    pub decision_ref: String,
    /// `2026-03`, or empty.
    pub start: String,
    pub deadline: String,
    pub status: ActionStatus,
    /// Whole per cent as typed (`40`, `40 %`).
    pub progress: String,
    /// Kroner as typed (`1 250 000,50`), or empty.
    pub cost: String,
    pub indicators: Vec<String>,
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A month as typed in the form, `None` when empty.
fn form_month(field: &str, text: &str) -> Result<Option<String>> {
    let Some(t) = optional(text) else {
        return Ok(None);
    };
    Month::parse_id(&t).map(|m| Some(m.id())).ok_or_else(|| {
        Error::invalid_field(
            field,
            format!("«{t}» er ikke en måned; skriv for eksempel 2026-03"),
        )
    })
}

impl ActionInput {
    /// The tiltak the form describes; a field that is not what it should be is named.
    pub fn to_action(&self) -> Result<Action> {
        let progress = crate::rules::whole_percent(&self.progress)
            .map_err(|m| Error::invalid_field("fremdrift", m))?;
        crate::rules::action_progress(self.status, progress)
            .map_err(|m| Error::invalid_field("fremdrift", m))?;
        let cost_ore =
            crate::rules::kroner(&self.cost).map_err(|m| Error::invalid_field("kostnad", m))?;
        Ok(Action {
            code: self.code.trim().to_string(),
            title: self.title.trim().to_string(),
            description: optional(&self.description),
            goal: self.goal.trim().to_string(),
            success_factor: optional(&self.success_factor),
            unit: self.unit.trim().to_string(),
            responsible: self.responsible.trim().to_string(),
            kind: self.kind,
            decision_ref: optional(&self.decision_ref),
            start: form_month("start", &self.start)?,
            deadline: form_month("frist", &self.deadline)?,
            status: self.status,
            progress: u8::try_from(progress).unwrap_or(100),
            cost_ore,
            indicators: self
                .indicators
                .iter()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
        })
    }
}

/// Saves the form: a new tiltak (`creating`; a code already used is refused) or the
/// stored one changed; checked by storage's rules, audited as `manuell`.
pub fn save(store: &mut Store, input: &ActionInput, creating: bool) -> Result<Action> {
    let action = input.to_action()?;
    crate::rules::action(&action)?;
    let exists = match store.action(&action.code) {
        Ok(_) => true,
        Err(Error::UnknownAction(_)) => false,
        Err(e) => return Err(e),
    };
    if creating && exists {
        return Err(Error::invalid_field(
            "kode",
            format!(
                "det finnes alt et tiltak med koden «{}»; velg en annen kode",
                action.code
            ),
        ));
    }
    if !creating && !exists {
        return Err(Error::UnknownAction(action.code));
    }
    let _: ApplySummary =
        store.apply(&ChangeSet::Actions(vec![action.clone()]), "manuell", false)?;
    store.action(&action.code)
}

/// A free code for a new tiltak: `T-` and the next number after the highest `T-<n>`
/// stored (`T-001` in an empty file).
pub fn next_code(store: &Store) -> Result<String> {
    let highest = store
        .actions()?
        .iter()
        .filter_map(|a| a.code.strip_prefix("T-")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(format!("T-{:03}", highest + 1))
}

/// A status comment on a tiltak for a period (refused when the period's last month is
/// locked).
pub fn add_comment(
    store: &mut Store,
    code: &str,
    period: &Period,
    text: &str,
) -> Result<ActionComment> {
    store.add_action_comment(code, period, text)
}

pub fn update_comment(store: &mut Store, id: i64, text: &str) -> Result<ActionComment> {
    store.update_action_comment(id, text)
}

pub fn delete_comment(store: &mut Store, id: i64) -> Result<()> {
    store.delete_action_comment(id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn progress_and_cost_are_read_as_typed() {
        use crate::rules::{kroner, whole_percent};
        assert_eq!(whole_percent("40 %"), Ok(40));
        assert_eq!(whole_percent(""), Ok(0));
        assert!(whole_percent("40,5").is_err());
        // 1 250 000,50 kr = 125 000 050 øre.
        assert_eq!(kroner("1 250 000,50"), Ok(Some(125_000_050)));
        assert_eq!(kroner("12 kr"), Ok(Some(1_200)));
        assert_eq!(kroner(" "), Ok(None));
        assert!(kroner("1,005").is_err());
    }
}
