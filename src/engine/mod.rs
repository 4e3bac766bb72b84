//! The status engine (engine.md §3–7): pure computation, no I/O. It takes a `Dataset` and
//! answers, for any indicator, unit and period: the value (aggregated over the indicator's
//! spans and rolled up over the unit's subtree), coverage, the target that applies, status,
//! previous and last year's values, trend — and per perspective, a summary.
//!
//! Decisions where engine.md is silent:
//! - **Which indicators a målkart shows.** For a root unit, every indicator. For any other
//!   unit, the indicators relevant to its subtree: the built-in ones, those with a target
//!   (any year) for a unit of the subtree, and those with a measurement on a unit of the
//!   subtree whose span starts between January two years before the asked period's first
//!   year and December of its last year (the months coverage looks at, and two years
//!   back). A school's målkart does not list the nursing homes' indicators as "ingen data";
//!   `Scorecard::left_out_without_data` counts the indicators left out.
//! - **The evaluated period.** When the asked period is not a union of the indicator's whole
//!   spans, the indicator is evaluated for its latest span ending by the period's last
//!   month; previous, last year, target year and the series all follow that evaluated
//!   period, and the result's `period` names it.
//! - **Trend** compares the displayed value with the displayed value of `previous`.
//! - **Exact figures.** What is displayed and judged is computed exactly (`exact.rs`): each
//!   figure is read as the decimal it stands for, sums are integers, means and ratios are
//!   divided once when rounded half away from zero; status compares the displayed value with
//!   the target and red limit (sum targets times the number of spans) exactly, without
//!   tolerance. The unrounded `value` stays the `f64` arithmetic.
//! - **Coverage** counts (unit, span) cells of the units expected to report (any figure in
//!   the calendar years the evaluated period touches); for `ingen` only the unit itself.
//!   `missing_units` are expected units lacking at least one span.
//! - **`brøk`** always rolls up as Σ numerator / Σ denominator over the subtree, whatever its
//!   `unit_rollup` says.
//! - A measurement whose span is not one span of its indicator's frequency, whose figure
//!   does not fit the aggregation (a value for `brøk`, a ratio for the others), or whose
//!   indicator or unit is unknown is not used; storage and import refuse such rows before.
//!   Of two units or indicators with the same code, the first is used; of two measurements
//!   for the same (indicator, unit, span), the later.
//! - `series` steps back from the evaluated period, so that a quarterly indicator's
//!   sparkline asked for a month shows quarters, not the same quarter repeated.

pub mod actions;
pub mod economy;
mod exact;
pub mod plan;
pub mod progress;
mod rollup;
mod rows;
pub mod sickleave;
mod status;
mod summary;
pub mod surveys;
mod tree;
mod types;

pub use summary::GroupStatus;
pub use tree::{unit_cycles, unit_nodes, UnitNode};
pub use types::*;

use std::collections::HashMap;

use crate::format;
use crate::model::{Aggregation, Figure, Indicator, Perspective, Unit, UnitRollup};
use crate::number::Decimal;
use crate::period::Period;
use rollup::Rolled;
use rows::{IndicatorRows, RawRow};
use status::TargetIndex;
use tree::UnitTree;

/// The most periods `Engine::series` returns (a hundred years of months).
pub const MAX_SERIES: usize = 1200;

/// The engine over one dataset, with its indexes built once so that each question is cheap.
pub struct Engine {
    tree: UnitTree,
    /// In code order.
    indicators: Vec<Indicator>,
    by_code: HashMap<String, usize>,
    /// Per indicator, parallel to `indicators`.
    rows: Vec<IndicatorRows>,
    /// Per indicator: pre-order indexes of the units it has a target for, sorted.
    target_units: Vec<Vec<usize>>,
    targets: TargetIndex,
    perspective_names: [String; 4],
    /// The sick-leave rows by unit (the summary's source; `SF*` rows are built from it).
    sick_leave: sickleave::SickLeaveIndex,
    /// The economy rows by unit (the `OK-*` indicators' and the report's source).
    economy: economy::EconomyIndex,
    /// The tiltak by unit (`actions.rs`).
    actions: actions::ActionIndex,
    /// Survey results' respondents and masking, reference series (`surveys.rs`).
    surveys: surveys::SurveyIndex,
}

impl Engine {
    /// Indexes the dataset. Refuses a unit tree with a cycle.
    pub fn new(data: Dataset) -> Result<Engine, EngineError> {
        let Dataset {
            units,
            indicators,
            perspective_names,
            targets,
            measurements,
            figures,
            sick_leave,
            economy,
            actions,
            surveys,
            survey_results,
            references,
        } = data;
        // The tree index of each of the dataset's units, for `figures`.
        let codes: Vec<String> = if figures.is_empty() {
            Vec::new()
        } else {
            units.iter().map(|u| u.code.clone()).collect()
        };
        let tree = UnitTree::new(units)?;
        let unit_at: Vec<Option<usize>> = codes.iter().map(|c| tree.find(c)).collect();

        let mut indicators: Vec<Indicator> = {
            let mut seen = std::collections::HashSet::new();
            indicators
                .into_iter()
                .filter(|i| seen.insert(i.code.clone()))
                .collect()
        };
        indicators.sort_by(|a, b| a.code.cmp(&b.code));
        let by_code: HashMap<String, usize> = indicators
            .iter()
            .enumerate()
            .map(|(k, i)| (i.code.clone(), k))
            .collect();

        // Measurements usually come grouped by indicator and unit: remember the last lookup.
        let mut raw: Vec<Vec<RawRow>> = vec![Vec::new(); indicators.len()];
        let mut last_ind: Option<(&str, Option<usize>)> = None;
        let mut last_unit: Option<(&str, Option<usize>)> = None;
        for m in &measurements {
            let ii = match last_ind {
                Some((code, k)) if code == m.indicator => k,
                _ => {
                    let k = by_code.get(&m.indicator).copied();
                    last_ind = Some((m.indicator.as_str(), k));
                    k
                }
            };
            let u = match last_unit {
                Some((code, k)) if code == m.unit => k,
                _ => {
                    let k = tree.find(&m.unit);
                    last_unit = Some((m.unit.as_str(), k));
                    k
                }
            };
            if let (Some(ii), Some(u)) = (ii, u) {
                push_figure(&mut raw[ii], &indicators[ii], u, m.span, m.figure);
            }
        }
        // Storage's per-indicator figures: the unit is an index into the dataset's units.
        // Each is let go once copied, so the memory is used again for the next (a cold
        // start touches fewer fresh pages).
        for f in figures {
            let Some(&ii) = by_code.get(&f.indicator) else {
                continue;
            };
            raw[ii].reserve(f.rows.len());
            for r in &f.rows {
                if let Some(&Some(u)) = unit_at.get(r.unit as usize) {
                    push_figure(&mut raw[ii], &indicators[ii], u, r.span, r.figure);
                }
            }
        }
        // The built-in `SF*` indicators: one ratio per (unit, month) from the sick-leave
        // table, appended after registered measurements so that they win a tie.
        let sick_leave = sickleave::SickLeaveIndex::new(sick_leave, &tree);
        for (ii, ind) in indicators.iter().enumerate() {
            if ind.builtin {
                raw[ii].extend(sick_leave.indicator_rows(&ind.code));
            }
        }
        // Survey scores after everything else: a round's result wins over a value typed in
        // as a measurement. A survey indicator never rolls up over units.
        let survey_index = surveys::SurveyIndex::new(
            &indicators,
            &by_code,
            &tree,
            &surveys,
            &survey_results,
            references,
        );
        for r in &survey_results {
            if let (Some(&ii), Some(u)) = (by_code.get(&r.indicator), tree.find(&r.unit)) {
                if survey_index.series(ii).is_some()
                    && indicators[ii].aggregation != Aggregation::Brok
                {
                    raw[ii].push((u as u32, r.year * 12, r.score, 0.0));
                }
            }
        }
        for (ii, ind) in indicators.iter_mut().enumerate() {
            if survey_index.series(ii).is_some() {
                ind.unit_rollup = UnitRollup::Ingen;
            }
        }
        let economy = economy::EconomyIndex::new(economy, &tree);
        let rows = index_rows(raw, &indicators, tree.len());

        let mut index = TargetIndex::default();
        let mut target_units: Vec<Vec<usize>> = vec![Vec::new(); indicators.len()];
        for t in &targets {
            let Some(&ii) = by_code.get(&t.indicator) else {
                continue;
            };
            let unit = match &t.unit {
                None => None,
                Some(code) => match tree.find(code) {
                    Some(u) => Some(u),
                    None => continue,
                },
            };
            index.insert(
                ii,
                unit,
                t.year,
                (t.target, t.red_limit),
                t.reference.as_deref(),
            );
            target_units[ii].extend(unit);
        }
        for list in &mut target_units {
            list.sort_unstable();
            list.dedup();
        }

        let perspective_names = Perspective::ALL.map(|p| {
            perspective_names
                .iter()
                .find(|(key, _)| *key == p)
                .map_or_else(|| p.default_name().to_string(), |(_, name)| name.clone())
        });
        let actions = actions::ActionIndex::new(actions, &tree);
        Ok(Engine {
            tree,
            indicators,
            by_code,
            rows,
            target_units,
            targets: index,
            perspective_names,
            sick_leave,
            economy,
            actions,
            surveys: survey_index,
        })
    }

    /// The målkart of `unit` (its whole subtree) for `period`: all indicators, grouped by
    /// perspective in the fixed order, indicators in code order within a perspective.
    pub fn scorecard(&self, unit: &str, period: &Period) -> Result<Scorecard, EngineError> {
        let u = self.unit_index(unit)?;
        let subtree = self.tree.subtree(u);
        let is_root = self.tree.parent(u).is_none();
        // Figures from January two years before the period's first year through December of
        // its last year make an indicator relevant to a non-root unit.
        let (first, last) = (
            first_month_of(period.first().year() - 2),
            first_month_of(period.last().year()) + 11,
        );
        let mut by_perspective: [Vec<IndicatorResult>; 4] = Default::default();
        let mut left_out = 0u32;
        for (ii, ind) in self.indicators.iter().enumerate() {
            // A survey indicator, even at the root, only where a unit of the subtree has a
            // target or a result of a round in those years: a municipality that does not
            // take 10-FAKTOR is not shown ten lines of «ingen data».
            let survey = self.surveys.series(ii);
            let relevant = if survey.is_some() || surveys::is_ten_factor(ind) {
                self.has_target_within(ii, &subtree)
                    || survey.is_some_and(|s| {
                        s.any_in(&subtree, period.first().year() - 2, period.last().year())
                    })
            } else {
                is_root
                    || ind.builtin
                    || self.has_target_within(ii, &subtree)
                    || self.rows[ii].any_in(subtree.clone(), first, last)
            };
            if !relevant {
                left_out += 1;
            } else {
                let slot = Perspective::ALL
                    .iter()
                    .position(|&p| p == ind.perspective)
                    .unwrap_or(0);
                by_perspective[slot].push(self.result(ii, u, period));
            }
        }
        // Codes in natural order within a perspective: TF-2 before TF-10.
        for results in &mut by_perspective {
            results.sort_by_key(|r| natural(&r.code));
        }
        let perspectives = Perspective::ALL
            .iter()
            .zip(by_perspective)
            .enumerate()
            .map(|(k, (&key, results))| {
                summary::perspective(key, self.perspective_names[k].clone(), results)
            })
            .collect();
        let months = period.len_months().max(0) as u32;
        Ok(Scorecard {
            unit: self.unit_ref(u),
            period: period.to_string(),
            perspectives,
            left_out_without_data: left_out,
            // Without a month "now" every period reads as complete; `progress` marks it.
            complete: true,
            months_covered: months,
            months_total: months,
            last_month_with_data: None,
            // Without a month "now" no tiltak is judged; `mark_actions` counts them.
            actions: actions::ActionCounts::default(),
            red_without_action: 0,
        })
    }

    /// One indicator for one unit's subtree and one period.
    pub fn evaluate(
        &self,
        indicator: &str,
        unit: &str,
        period: &Period,
    ) -> Result<IndicatorResult, EngineError> {
        let ii = self.indicator_index(indicator)?;
        let u = self.unit_index(unit)?;
        Ok(self.result(ii, u, period))
    }

    /// The indicator for each child unit of `unit` (by code), for the detail view.
    pub fn children(
        &self,
        indicator: &str,
        unit: &str,
        period: &Period,
    ) -> Result<Vec<(UnitRef, IndicatorResult)>, EngineError> {
        let ii = self.indicator_index(indicator)?;
        let u = self.unit_index(unit)?;
        Ok(self
            .tree
            .children(u)
            .iter()
            .map(|&c| (self.unit_ref(c), self.result(ii, c, period)))
            .collect())
    }

    /// The values of the `count` periods of the same kind ending with `last` (oldest first):
    /// the sparkline and the chart. At most `MAX_SERIES` periods. For an indicator coarser than `last`, the periods are
    /// its own spans ending with the one `evaluate` shows for `last`.
    pub fn series(
        &self,
        indicator: &str,
        unit: &str,
        last: &Period,
        count: usize,
    ) -> Result<Vec<PeriodValue>, EngineError> {
        let ii = self.indicator_index(indicator)?;
        let u = self.unit_index(unit)?;
        let count = count.min(MAX_SERIES);
        let periods = match self.survey_history(indicator, last, count) {
            Some(rounds) => rounds,
            None => {
                let mut periods = Vec::with_capacity(count);
                let mut p = self.evaluated_period(ii, last);
                for _ in 0..count {
                    periods.push(p);
                    p = self.evaluated_period(ii, &p.previous());
                }
                periods.reverse();
                periods
            }
        };
        Ok(periods
            .iter()
            .map(|p| self.period_value(ii, u, p))
            .collect())
    }

    /// For a survey indicator, the periods its history shows for `period`: its rounds up to
    /// the period's last year (the one `evaluate` shows last), at most `count`, oldest
    /// first. `None` for any other indicator. In October 2026 that is 2024 and 2026 — not
    /// the years up to 2025, which would show the 2024 round twice and not the 2026 round.
    pub fn survey_history(
        &self,
        indicator: &str,
        period: &Period,
        count: usize,
    ) -> Option<Vec<Period>> {
        let ii = self.indicator_index(indicator).ok()?;
        let series = self.surveys.series(ii)?;
        let upto = series
            .rounds
            .partition_point(|&r| r <= period.last().year());
        let from = upto.saturating_sub(count);
        Some(
            series.rounds[from..upto]
                .iter()
                .filter_map(|&r| Period::year(r))
                .collect(),
        )
    }

    /// Every unit in tree order (pre-order, children by code) with its depth.
    pub fn unit_tree(&self) -> Vec<UnitNode> {
        self.tree.nodes()
    }

    /// The unit with this code.
    pub fn unit(&self, code: &str) -> Option<&Unit> {
        self.tree.find(code).map(|u| &self.tree.units[u])
    }

    /// The indicator with this code.
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.by_code.get(code).map(|&i| &self.indicators[i])
    }

    /// All indicators, in code order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    fn unit_index(&self, code: &str) -> Result<usize, EngineError> {
        self.tree
            .find(code)
            .ok_or_else(|| EngineError::UnknownUnit(code.to_string()))
    }

    fn indicator_index(&self, code: &str) -> Result<usize, EngineError> {
        self.by_code
            .get(code)
            .copied()
            .ok_or_else(|| EngineError::UnknownIndicator(code.to_string()))
    }

    fn has_target_within(&self, ii: usize, units: &std::ops::Range<usize>) -> bool {
        let list = &self.target_units[ii];
        list.get(list.partition_point(|&t| t < units.start))
            .is_some_and(|&t| t < units.end)
    }

    /// The perspective's display name (editable; the default when none is set).
    pub fn perspective_name(&self, p: Perspective) -> &str {
        let k = Perspective::ALL.iter().position(|&q| q == p).unwrap_or(0);
        &self.perspective_names[k]
    }

    fn unit_ref(&self, u: usize) -> UnitRef {
        let unit = &self.tree.units[u];
        UnitRef {
            code: unit.code.clone(),
            name: unit.name.clone(),
        }
    }

    /// `period` itself when it is a union of the indicator's whole spans, else the latest
    /// span ending by its last month (engine.md §3).
    /// For a survey indicator, its latest round up to the period's last year.
    fn evaluated_period(&self, ii: usize, period: &Period) -> Period {
        if let Some(round) = self
            .surveys
            .series(ii)
            .and_then(|s| s.round_by(period.last().year()))
            .and_then(Period::year)
        {
            return round;
        }
        period.evaluated_for(self.indicators[ii].frequency)
    }

    fn roll(&self, ii: usize, u: usize, evaluated: &Period) -> Rolled {
        let ind = &self.indicators[ii];
        let units = rollup::units_for(ind, self.tree.subtree(u));
        let ([rolled], _) = self.roll_up(ii, units, [window(evaluated)], None);
        rolled
    }

    /// `rollup::roll_up` over the indicator's rows, or for a built-in economy indicator
    /// (`OK-*`), its own rule over the economy table.
    fn roll_up<const N: usize>(
        &self,
        ii: usize,
        units: std::ops::Range<usize>,
        windows: [rollup::Window; N],
        coverage: Option<rollup::CoverageAsk>,
    ) -> ([Rolled; N], rollup::Coverage) {
        let ind = &self.indicators[ii];
        match economy::Rule::of(ind) {
            Some(rule) => self.economy.roll_up(rule, units, windows, coverage),
            None => rollup::roll_up(ind, &self.rows[ii], units, windows, coverage),
        }
    }

    fn period_value(&self, ii: usize, u: usize, period: &Period) -> PeriodValue {
        let evaluated = self.evaluated_period(ii, period);
        let mut point = PeriodValue {
            period: evaluated.to_string(),
            value: self.roll(ii, u, &evaluated).value,
            masked: None,
        };
        self.protect_survey_point(ii, u, &mut point);
        point
    }

    fn result(&self, ii: usize, u: usize, period: &Period) -> IndicatorResult {
        let ind = &self.indicators[ii];
        let evaluated = self.evaluated_period(ii, period);
        let spans = (evaluated.len_months() / ind.frequency.months() as i32).max(1) as u32;
        let previous = self.evaluated_period(ii, &evaluated.previous());
        let last_year = self.evaluated_period(ii, &evaluated.last_year());
        let years = evaluated.years();
        let ask = rollup::CoverageAsk {
            years: (
                first_month_of(*years.start()),
                first_month_of(*years.end()) + 11,
            ),
            spans,
        };
        let units = rollup::units_for(ind, self.tree.subtree(u));
        let windows = [window(&evaluated), window(&previous), window(&last_year)];
        let ([rolled, previous_rolled, last_year_rolled], cov) =
            self.roll_up(ii, units, windows, Some(ask));
        let previous = PeriodValue {
            period: previous.to_string(),
            value: previous_rolled.value,
            masked: None,
        };
        let last_year = PeriodValue {
            period: last_year.to_string(),
            value: last_year_rolled.value,
            masked: None,
        };

        let applied = self.targets.lookup(ii, u, evaluated.last().year());
        // A target relative to a reference series: the series' displayed value for the
        // evaluated period; none when the series has no value then. A red limit on the
        // wrong side of that value is not used.
        let target_reference = applied
            .and_then(|a| a.reference)
            .map(|k| self.targets.series(k).to_string());
        let applied = match (&target_reference, applied) {
            (Some(name), Some(a)) => self
                .surveys
                .reference_shown(ii, name, &evaluated, ind.decimals)
                .map(|d| {
                    let target = d.to_f64();
                    let wrong = |r: &f64| match ind.direction {
                        crate::model::Direction::Hoy => *r > target,
                        crate::model::Direction::Lav => *r < target,
                    };
                    status::Applied {
                        target,
                        red_limit: a.red_limit.filter(|r| !wrong(r)),
                        ..a
                    }
                }),
            (_, applied) => applied,
        };
        let scale = if ind.aggregation == Aggregation::Sum && target_reference.is_none() {
            spans
        } else {
            1
        };
        // Targets as the decimals they were typed as, scaled exactly (0,1 × 3 = 0,3).
        let scaled = |x: f64| {
            Decimal::from_f64(x)
                .and_then(|d| d.times(i128::from(scale)))
                .ok_or(x * f64::from(scale))
        };
        let exact_target = applied.map(|a| (scaled(a.target), a.red_limit.map(scaled)));
        let as_f64 = |x: Result<Decimal, f64>| x.map_or_else(|f| f, Decimal::to_f64);
        let target = exact_target.map(|(t, _)| as_f64(t));
        let red_limit = exact_target.and_then(|(_, r)| r).map(as_f64);

        let shown = shown(&rolled, ind.decimals);
        let display_value = shown.map(Decimal::to_f64);
        let status = match exact_target {
            Some((Err(_), _)) | Some((_, Some(Err(_)))) => {
                status::status(ind.direction, display_value, target.map(|t| (t, red_limit)))
            }
            _ => status::status_exact(
                ind.direction,
                shown,
                exact_target.and_then(|(t, r)| Some((t.ok()?, r.and_then(Result::ok)))),
            ),
        };
        let previous_shown = self::shown(&previous_rolled, ind.decimals);
        let trend = status::trend_of(
            ind.direction,
            shown.zip(previous_shown).map(|(c, e)| c.cmp_exact(e)),
        );

        let mut result = IndicatorResult {
            code: ind.code.clone(),
            name: ind.name.clone(),
            goal: ind.goal.clone(),
            unit_label: ind.unit_label.clone(),
            decimals: ind.decimals,
            direction: ind.direction,
            frequency: ind.frequency,
            aggregation: ind.aggregation,
            period: evaluated.to_string(),
            value: rolled.value,
            display: shown.map(|d| format::decimal_with_unit(d, ind.decimals, &ind.unit_label)),
            display_value,
            numerator: rolled.numerator,
            denominator: rolled.denominator,
            target,
            red_limit,
            target_source: applied.map(|a| a.source),
            status,
            coverage: (cov.expected_cells > 0)
                .then(|| cov.reported_cells as f64 / cov.expected_cells as f64),
            complete: cov.expected_cells > 0 && cov.reported_cells == cov.expected_cells,
            reported_cells: cov.reported_cells,
            expected_cells: cov.expected_cells,
            expected_units: cov.expected_units,
            missing_units: cov.missing_units,
            previous,
            last_year,
            trend,
            masked: None,
            // Judged against a month "now" by `progress::mark_result`.
            provisional: false,
            months_covered: evaluated.len_months().max(0) as u32,
            months_total: evaluated.len_months().max(0) as u32,
            // Marked with the subtree's tiltak by `actions::mark_actions`.
            red_without_action: false,
            survey: None,
            references: self.surveys.references(ind, ii, &evaluated),
            target_reference,
        };
        self.protect_survey(ii, u, &evaluated, &mut result);
        result
    }
}

/// The value as displayed: rounded half away from zero to `decimals`, exactly when the value
/// has an exact form, else from the decimal its `f64` stands for.
fn shown(rolled: &Rolled, decimals: u8) -> Option<Decimal> {
    let value = rolled.value?;
    rolled
        .exact
        .and_then(|r| r.round(decimals))
        .or_else(|| Decimal::from_f64(value).map(|d| d.round(u32::from(decimals))))
}

/// A code as its natural order sees it: runs of digits compared as numbers (`TF-2` before
/// `TF-10`), the rest as text.
fn natural(code: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut n = u64::from(c.to_digit(10).unwrap_or(0));
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(u64::from(d));
                chars.next();
            }
            out.push((std::mem::take(&mut text), n));
        } else {
            text.push(c);
        }
    }
    out.push((text, u64::MAX));
    out
}

/// The months a span of the evaluated period may start in.
fn window(evaluated: &Period) -> rollup::Window {
    (evaluated.first().index(), evaluated.last().index())
}

/// Each indicator's `IndicatorRows`. Above 50 000 figures on two threads, each taking
/// indicators in order up to about half of the figures: the same rows either way.
fn index_rows(raw: Vec<Vec<RawRow>>, indicators: &[Indicator], units: usize) -> Vec<IndicatorRows> {
    let index = |raw: Vec<Vec<RawRow>>, indicators: &[Indicator]| -> Vec<IndicatorRows> {
        raw.into_iter()
            .zip(indicators)
            .map(|(r, ind)| IndicatorRows::new(r, units, ind.aggregation == Aggregation::Brok))
            .collect()
    };
    let total: usize = raw.iter().map(Vec::len).sum();
    if total < 50_000 {
        return index(raw, indicators);
    }
    let mut seen = 0;
    let half = raw
        .iter()
        .position(|r| {
            seen += r.len();
            seen * 2 >= total
        })
        .map_or(raw.len(), |k| k + 1);
    let mut front = raw;
    let back = front.split_off(half);
    let (first, second) = indicators.split_at(half);
    std::thread::scope(|scope| {
        let later = scope.spawn(move || index(back, second));
        let mut rows = index(front, first);
        match later.join() {
            Ok(more) => rows.extend(more),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        rows
    })
}

/// One registered figure of `ind` for tree unit `u`, as the engine keeps it; a figure whose
/// span is not one of the indicator's, or whose kind does not fit its aggregation, is left
/// out.
fn push_figure(raw: &mut Vec<RawRow>, ind: &Indicator, u: usize, span: Period, figure: Figure) {
    if !span.is_span_of(ind.frequency) {
        return;
    }
    let (a, b) = match (figure, ind.aggregation) {
        (
            Figure::Ratio {
                numerator,
                denominator,
            },
            Aggregation::Brok,
        ) => (numerator, denominator),
        (Figure::Value { value }, agg) if agg != Aggregation::Brok => (value, 0.0),
        _ => return,
    };
    raw.push((u as u32, span.first().index(), a, b));
}

fn first_month_of(year: i32) -> i32 {
    year * 12
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_exact;
