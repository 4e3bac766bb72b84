//! Surveys and reference series in the engine (surveys.md, docs/decisions.md «Undersøkelser»):
//!
//! - A survey indicator's rows are its survey results, one score per (unit, round), added to
//!   the indicator's rows like registered yearly values; the indicator never rolls up over
//!   units (`ingen`, whatever its definition says): a parent's score is its own reported one.
//! - **Rounds.** A survey indicator is evaluated for its latest round up to the asked
//!   period's last year (the year with any result in the tree), and compared with the round
//!   before it, whatever the gap in years: 2026 against 2024. A round is complete when it is
//!   stored, so a survey result is never provisional.
//! - **Masking** (`mask`): a score with fewer respondents than the survey's minimum is
//!   hidden, and more are hidden so that no hidden score can be worked out from the shown
//!   scores and counts of its parent and siblings. It is decided once per (indicator,
//!   round) for the whole tree and applied inside the engine, so every surface — målkart,
//!   detail, children, series, reports, exports, JSON — shows the same. Unlike sick leave
//!   there is no unmasked view: the survey's owner (KS, bedrekommune.no) never reports such
//!   a score either.
//! - **Reference series** (`Landet`, `KOSTRA-gruppe 13`): the values for the evaluated
//!   period, shown beside the unit's value.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sickleave::MaskReason;
use super::tree::UnitTree;
use super::{Engine, IndicatorResult, PeriodValue, Trend};
use crate::format;
use crate::model::{Indicator, ReferenceValue, Survey, SurveyKind, SurveyResult};
use crate::number::Decimal;
use crate::period::{Frequency, Period};

/// A survey result's own facts, on an `IndicatorResult` of a survey indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SurveyFacts {
    /// The survey's name: `10-FAKTOR`, or the bedrekommune survey's.
    pub survey: String,
    /// The respondents behind the shown score; `None` when there is none or it is masked.
    pub respondents: Option<u32>,
    /// The fewest respondents a score is shown for (the survey's setting).
    pub min_respondents: u32,
}

/// A reference series' value for the evaluated period: `landet 4,3`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReferenceShown {
    pub series: String,
    /// Unrounded.
    pub value: f64,
    /// As displayed, with the indicator's decimals and unit: `4,3`, `7,3 %`.
    pub display: String,
}

/// One indicator's survey results.
#[derive(Debug)]
pub(crate) struct SurveySeries {
    pub survey: String,
    pub kind: SurveyKind,
    pub min: u32,
    /// Rounds with any result, ascending.
    pub rounds: Vec<i32>,
    /// Per round (parallel to `rounds`): (unit pre-order index, respondents), by unit.
    counts: Vec<Vec<(usize, u32)>>,
    /// Per round: why each unit of the tree is masked, decided when first asked.
    decisions: Vec<OnceLock<Vec<Option<MaskReason>>>>,
}

impl SurveySeries {
    fn round_index(&self, year: i32) -> Option<usize> {
        self.rounds.binary_search(&year).ok()
    }

    /// The latest round in or before `year`.
    pub fn round_by(&self, year: i32) -> Option<i32> {
        let k = self.rounds.partition_point(|&r| r <= year);
        k.checked_sub(1).map(|k| self.rounds[k])
    }

    /// Respondents of unit `u` in round `year`.
    pub fn respondents(&self, u: usize, year: i32) -> Option<u32> {
        let list = &self.counts[self.round_index(year)?];
        list.binary_search_by_key(&u, |&(v, _)| v)
            .ok()
            .map(|k| list[k].1)
    }

    /// Whether any unit of `units` has a result in a round from `first` through `last`.
    pub fn any_in(&self, units: &std::ops::Range<usize>, first: i32, last: i32) -> bool {
        self.rounds.iter().zip(&self.counts).any(|(&r, list)| {
            (first..=last).contains(&r) && list.iter().any(|(u, _)| units.contains(u))
        })
    }

    /// Why unit `u`'s score in round `year` is masked; `None` when shown or not a round.
    pub fn mask_of(&self, tree: &UnitTree, u: usize, year: i32) -> Option<MaskReason> {
        let k = self.round_index(year)?;
        let decision = self.decisions[k].get_or_init(|| decide(tree, &self.counts[k], self.min));
        decision.get(u).copied().flatten()
    }
}

/// Every indicator's survey results and reference values, parallel to the engine's
/// indicators.
#[derive(Debug, Default)]
pub(crate) struct SurveyIndex {
    series: Vec<Option<SurveySeries>>,
    references: Vec<Vec<(String, Period, f64)>>,
}

impl SurveyIndex {
    /// Indexes the results (the engine adds their scores to the indicators' rows itself, by
    /// `rows_for`) and the reference values. Results of an unknown indicator or unit, of an
    /// indicator that is not yearly, or of an unknown survey are not used (storage refuses
    /// them before).
    pub fn new(
        indicators: &[Indicator],
        by_code: &HashMap<String, usize>,
        tree: &UnitTree,
        surveys: &[Survey],
        results: &[SurveyResult],
        references: Vec<ReferenceValue>,
    ) -> SurveyIndex {
        let minimum: HashMap<&str, u32> = surveys
            .iter()
            .map(|s| (s.name.as_str(), s.min_respondents.max(1)))
            .collect();
        let kinds: HashMap<&str, SurveyKind> =
            surveys.iter().map(|s| (s.name.as_str(), s.kind)).collect();
        let mut by_indicator: Vec<Vec<(i32, usize, u32, &str)>> =
            vec![Vec::new(); indicators.len()];
        for r in results {
            let (Some(&ii), Some(u)) = (by_code.get(&r.indicator), tree.find(&r.unit)) else {
                continue;
            };
            if indicators[ii].frequency != Frequency::Ar || !minimum.contains_key(r.survey.as_str())
            {
                continue;
            }
            by_indicator[ii].push((r.year, u, r.respondents, r.survey.as_str()));
        }
        let series = by_indicator
            .into_iter()
            .map(|mut rows| {
                if rows.is_empty() {
                    return None;
                }
                rows.sort_by_key(|&(year, u, _, _)| (year, u));
                rows.dedup_by_key(|&mut (year, u, _, _)| (year, u));
                // An indicator belongs to one survey; should two be stored, the stricter
                // minimum holds.
                let min = rows
                    .iter()
                    .filter_map(|&(_, _, _, s)| minimum.get(s).copied())
                    .max()
                    .unwrap_or(1);
                let survey = rows[0].3.to_string();
                let mut rounds: Vec<i32> = Vec::new();
                let mut counts: Vec<Vec<(usize, u32)>> = Vec::new();
                for (year, u, n, _) in rows {
                    if rounds.last() != Some(&year) {
                        rounds.push(year);
                        counts.push(Vec::new());
                    }
                    if let Some(list) = counts.last_mut() {
                        list.push((u, n));
                    }
                }
                let decisions = rounds.iter().map(|_| OnceLock::new()).collect();
                Some(SurveySeries {
                    kind: kinds
                        .get(survey.as_str())
                        .copied()
                        .unwrap_or(SurveyKind::Bedrekommune),
                    survey,
                    min,
                    rounds,
                    counts,
                    decisions,
                })
            })
            .collect();
        let mut refs: Vec<Vec<(String, Period, f64)>> = vec![Vec::new(); indicators.len()];
        for r in references {
            let (Some(&ii), Ok(period)) = (by_code.get(&r.indicator), Period::parse(&r.period))
            else {
                continue;
            };
            refs[ii].push((r.series, period, r.value));
        }
        for list in &mut refs {
            list.sort_by(|a, b| a.0.cmp(&b.0));
        }
        SurveyIndex {
            series,
            references: refs,
        }
    }

    /// The survey results of indicator `ii`, when it has any.
    pub fn series(&self, ii: usize) -> Option<&SurveySeries> {
        self.series.get(ii).and_then(Option::as_ref)
    }

    /// The reference values of indicator `ii` for exactly `period`, by series name.
    pub fn references(&self, ind: &Indicator, ii: usize, period: &Period) -> Vec<ReferenceShown> {
        self.references
            .get(ii)
            .into_iter()
            .flatten()
            .filter(|(_, p, _)| p == period)
            .map(|(series, _, value)| ReferenceShown {
                series: series.clone(),
                value: *value,
                display: Decimal::from_f64(*value)
                    .map(|d| {
                        format::decimal_with_unit(
                            d.round(u32::from(ind.decimals)),
                            ind.decimals,
                            &ind.unit_label,
                        )
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// The displayed value of series `name` (as typed, case aside) for indicator `ii` and
    /// exactly `period`, as an exact decimal: what a target relative to it is judged
    /// against.
    pub fn reference_shown(
        &self,
        ii: usize,
        name: &str,
        period: &Period,
        decimals: u8,
    ) -> Option<Decimal> {
        let wanted = name.trim().to_lowercase();
        self.references
            .get(ii)?
            .iter()
            .find(|(s, p, _)| p == period && s.to_lowercase() == wanted)
            .and_then(|(_, _, v)| Decimal::from_f64(*v))
            .map(|d| d.round(u32::from(decimals)))
    }
}

/// A survey with results, as the survey view lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SurveyInfo {
    pub name: String,
    pub kind: SurveyKind,
    pub min_respondents: u32,
    /// Its indicators: 10-FAKTOR's by factor number, others by code.
    pub indicators: Vec<String>,
    /// Every round with results, ascending.
    pub rounds: Vec<i32>,
}

/// `TF-2` before `TF-10`; other codes by code.
fn factor_order(code: &str) -> (u32, String) {
    let n = code
        .strip_prefix("TF-")
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(u32::MAX);
    (n, code.to_string())
}

impl Engine {
    /// Every survey with results, by name.
    pub fn surveys(&self) -> Vec<SurveyInfo> {
        let mut out: Vec<SurveyInfo> = Vec::new();
        for (ii, ind) in self.indicators.iter().enumerate() {
            let Some(s) = self.surveys.series(ii) else {
                continue;
            };
            match out.iter_mut().find(|x| x.name == s.survey) {
                Some(info) => {
                    info.indicators.push(ind.code.clone());
                    info.rounds.extend(&s.rounds);
                }
                None => out.push(SurveyInfo {
                    name: s.survey.clone(),
                    kind: s.kind,
                    min_respondents: s.min,
                    indicators: vec![ind.code.clone()],
                    rounds: s.rounds.clone(),
                }),
            }
        }
        for info in &mut out {
            info.indicators.sort_by_key(|c| factor_order(c));
            info.rounds.sort_unstable();
            info.rounds.dedup();
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}

/// Whether `ind` is one of the built-in 10-FAKTOR factors (`TF-1` … `TF-10`).
pub fn is_ten_factor(ind: &Indicator) -> bool {
    ind.builtin && ind.code.starts_with("TF-")
}

impl Engine {
    /// Marks a result of a survey indicator with its survey facts, and hides what the round's
    /// masking decision hides: a masked score loses its value, status (`ingen data`), trend,
    /// previous round and last year, and `masked` says why; a shown one loses the previous
    /// round (and the trend) when that round masks the unit. Target and coverage stay.
    pub(super) fn protect_survey(
        &self,
        ii: usize,
        u: usize,
        evaluated: &Period,
        r: &mut IndicatorResult,
    ) {
        let Some(s) = self.surveys.series(ii) else {
            return;
        };
        let year = evaluated.first().year();
        let mut facts = SurveyFacts {
            survey: s.survey.clone(),
            respondents: None,
            min_respondents: s.min,
        };
        if let Some(reason) = s.mask_of(&self.tree, u, year) {
            super::sickleave::privacy::hide(r, reason);
        } else {
            facts.respondents = s.respondents(u, year);
            if self.protect_survey_point(ii, u, &mut r.previous) {
                r.trend = Trend::Unknown;
            }
            self.protect_survey_point(ii, u, &mut r.last_year);
        }
        r.survey = Some(facts);
    }

    /// Hides a point of a survey indicator whose round masks unit `u`; `true` when hidden.
    pub(super) fn protect_survey_point(
        &self,
        ii: usize,
        u: usize,
        point: &mut PeriodValue,
    ) -> bool {
        let Some(s) = self.surveys.series(ii) else {
            return false;
        };
        let reason = match Period::parse(&point.period) {
            Ok(p) => s.mask_of(&self.tree, u, p.first().year()),
            Err(_) => Some(MaskReason::Secondary),
        };
        if let Some(reason) = reason {
            point.value = None;
            point.masked = Some(reason);
        }
        reason.is_some()
    }
}

/// One round's masking decision over the whole tree: the units with a result form a forest
/// (each under its nearest ancestor with a result), and `mask` decides on it.
fn decide(tree: &UnitTree, counts: &[(usize, u32)], min: u32) -> Vec<Option<MaskReason>> {
    let n = tree.len();
    let mut out = vec![None; n];
    // Pre-order position in the forest of each unit with a result.
    let mut position: Vec<Option<usize>> = vec![None; n];
    for (k, &(u, _)) in counts.iter().enumerate() {
        position[u] = Some(k);
    }
    let nodes: Vec<Node<'_>> = counts
        .iter()
        .map(|&(u, respondents)| {
            let mut parent = None;
            let mut up = tree.parent(u);
            while let Some(p) = up {
                if let Some(k) = position[p] {
                    parent = Some(k);
                    break;
                }
                up = tree.parent(p);
            }
            Node {
                code: &tree.units[u].code,
                parent,
                end: 0,
                respondents,
            }
        })
        .collect();
    let reasons = mask(&with_ends(nodes), min);
    for (&(u, _), reason) in counts.iter().zip(reasons) {
        out[u] = reason;
    }
    out
}

/// One unit with a result, as masking sees it: in pre-order, its subtree `i..end`.
#[derive(Clone, Debug)]
pub(crate) struct Node<'a> {
    pub code: &'a str,
    /// The nearest ancestor with a result.
    pub parent: Option<usize>,
    pub end: usize,
    pub respondents: u32,
}

/// Sets each node's `end` from the parents (pre-order: a subtree is contiguous).
pub(crate) fn with_ends(mut nodes: Vec<Node<'_>>) -> Vec<Node<'_>> {
    for (i, node) in nodes.iter_mut().enumerate() {
        node.end = i + 1;
    }
    for i in (0..nodes.len()).rev() {
        if let Some(p) = nodes[i].parent {
            let end = nodes[i].end;
            if nodes[p].end < end {
                nodes[p].end = end;
            }
        }
    }
    nodes
}

/// The reason each unit's score is masked (`None`: shown), for a minimum of `min`
/// respondents:
///
/// 1. **Primary:** fewer respondents than the minimum.
/// 2. **The parent's count:** a unit's respondents are its own (its count less its nearest
///    children's) and those of the units below it. For each shown unit R, the respondents
///    in R's *block* — R's own and those of masked units whose nearest shown ancestor is R
///    — are what R's score and count less its shown descendants' give away. When the block
///    holds a masked unit's respondents and fewer than the minimum in all, the shown unit
///    just below R with the fewest respondents (ties: by code) is masked too, or R itself
///    when there is none. Repeated until nothing changes.
/// 3. **Underivable:** a masked unit's score must not be a combination of shown ones: (a)
///    when all its respondents lie under shown units inside it, the fewest of those is
///    masked; (b) when it holds all of its nearest shown ancestor A's block, another shown
///    unit just below A is masked, or A.
///
/// Counts that do not add up (children with more respondents than their parent) count the
/// parent's own as none, which can only mask more.
// The loops below read and write `out[i]` beside `nodes[i]`: an index is clearer.
#[allow(clippy::needless_range_loop)]
pub(crate) fn mask(nodes: &[Node<'_>], min: u32) -> Vec<Option<MaskReason>> {
    let n = nodes.len();
    let mut own = vec![0i64; n];
    for i in 0..n {
        own[i] += i64::from(nodes[i].respondents);
        if let Some(p) = nodes[i].parent {
            own[p] -= i64::from(nodes[i].respondents);
        }
    }
    let own: Vec<i64> = own.into_iter().map(|x| x.max(0)).collect();
    let mut out: Vec<Option<MaskReason>> = nodes
        .iter()
        .map(|x| (x.respondents < min).then_some(MaskReason::FewRespondents))
        .collect();
    let min = i64::from(min);
    let mut top: Vec<Option<usize>> = vec![None; n];
    let nearest = |out: &[Option<MaskReason>], top: &mut Vec<Option<usize>>| {
        for u in 0..n {
            top[u] = if out[u].is_none() {
                Some(u)
            } else {
                nodes[u].parent.and_then(|p| top[p])
            };
        }
    };
    // The shown units in `range` just below `above` (their parent's nearest shown unit is
    // `above`), outside `except`'s subtree: the one with the fewest respondents.
    let fewest = |out: &[Option<MaskReason>],
                  top: &[Option<usize>],
                  range: std::ops::Range<usize>,
                  above: Option<usize>,
                  except: Option<usize>| {
        range
            .filter(|&v| {
                out[v].is_none()
                    && nodes[v].parent.and_then(|p| top[p]) == above
                    && except.is_none_or(|x| v < x || v >= nodes[x].end)
            })
            .min_by_key(|&v| (nodes[v].respondents, nodes[v].code))
    };
    let mut block = vec![0i64; n];
    let mut hidden = vec![false; n];
    let mut uncovered = vec![0i64; n];
    let mut shown_inside = vec![false; n];
    loop {
        nearest(&out, &mut top);
        // Each shown unit's block: its own respondents and its hidden units'.
        for u in 0..n {
            block[u] = if out[u].is_none() { own[u] } else { 0 };
            hidden[u] = false;
        }
        for m in 0..n {
            if let (Some(_), Some(r)) = (out[m], top[m]) {
                block[r] += own[m];
                hidden[r] = true;
            }
        }
        // A masked unit's respondents not under a shown unit inside it, and whether a
        // shown unit lies just inside it; bottom-up (reverse pre-order).
        for u in (0..n).rev() {
            uncovered[u] = own[u];
            shown_inside[u] = false;
        }
        for u in (0..n).rev() {
            if let Some(p) = nodes[u].parent {
                if out[p].is_some() {
                    if out[u].is_some() {
                        uncovered[p] += uncovered[u];
                        shown_inside[p] |= shown_inside[u];
                    } else {
                        shown_inside[p] = true;
                    }
                }
            }
        }
        let mut pick = None;
        // 2. A block with a hidden unit and too few respondents.
        if let Some(r) = (0..n).find(|&r| out[r].is_none() && hidden[r] && block[r] < min) {
            pick = Some(fewest(&out, &top, r + 1..nodes[r].end, Some(r), None).unwrap_or(r));
        }
        // 3. A masked unit whose score is a combination of shown ones.
        if pick.is_none() {
            for m in (0..n).filter(|&m| out[m].is_some()) {
                if uncovered[m] == 0 {
                    if shown_inside[m] {
                        pick = fewest(&out, &top, m..nodes[m].end, top[m], None);
                        break;
                    }
                    continue;
                }
                // (b) All of A's block is m's.
                if let Some(a) = top[m] {
                    if block[a] == uncovered[m] {
                        pick = Some(
                            fewest(&out, &top, a + 1..nodes[a].end, Some(a), Some(m)).unwrap_or(a),
                        );
                        break;
                    }
                }
            }
        }
        match pick {
            Some(v) => out[v] = Some(MaskReason::Secondary),
            None => return out,
        }
    }
}

#[cfg(test)]
#[path = "surveys_tests.rs"]
mod tests;
