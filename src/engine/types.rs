//! What goes into the engine (a `Dataset` loaded by storage) and what comes out (a
//! `Scorecard` of `IndicatorResult`s). The output types are the JSON of `malkart status` and
//! the types the UI receives, generated to TypeScript.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::actions::ActionCounts;
use super::sickleave::MaskReason;
use super::surveys::{ReferenceShown, SurveyFacts};
use crate::model::{
    Action, Aggregation, Direction, EconomyMonth, Frequency, Indicator, Measurement, Perspective,
    ReferenceValue, SickLeave, Survey, SurveyResult, Target, Unit,
};

/// Everything the engine needs, loaded by storage in a handful of queries. The measurements
/// may be limited to a window of months around the periods that will be asked for.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub units: Vec<Unit>,
    pub indicators: Vec<Indicator>,
    /// Display names of the perspectives (editable); missing ones use the default name.
    pub perspective_names: Vec<(Perspective, String)>,
    pub targets: Vec<Target>,
    pub measurements: Vec<Measurement>,
    /// Measurements as storage reads them: per indicator, with the unit as an index into
    /// `units` (no text per row). The engine reads `measurements` first, then these.
    pub figures: Vec<IndicatorFigures>,
    /// The sick-leave rows the `SF*` indicators and the sick-leave summary are computed from.
    pub sick_leave: Vec<SickLeave>,
    /// The economy rows the `OK-*` indicators and the economy report are computed from; the
    /// whole year of the last asked month.
    pub economy: Vec<EconomyMonth>,
    /// Every tiltak (tiltak.md): counted per goal in each målkart over the unit's subtree.
    pub actions: Vec<Action>,
    /// The surveys and their settings (surveys.md).
    pub surveys: Vec<Survey>,
    /// Every survey result: scores with their respondents, per (indicator, unit, round).
    pub survey_results: Vec<SurveyResult>,
    /// Every value of a reference series (`Landet`, `KOSTRA-gruppe 13`).
    pub references: Vec<ReferenceValue>,
}

/// One indicator's measurements, in the order read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndicatorFigures {
    pub indicator: String,
    pub rows: Vec<FigureRow>,
}

/// One measurement of an `IndicatorFigures`: `unit` indexes `Dataset::units`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FigureRow {
    pub unit: u32,
    pub span: crate::period::Period,
    pub figure: crate::model::Figure,
}

impl Dataset {
    /// Every measurement, from `measurements` and `figures` alike, in that order (for tests
    /// and tools that compare rows).
    pub fn measurement_rows(&self) -> Vec<Measurement> {
        let mut out = self.measurements.clone();
        for f in &self.figures {
            for r in &f.rows {
                let Some(unit) = self.units.get(r.unit as usize) else {
                    continue;
                };
                out.push(Measurement {
                    indicator: f.indicator.clone(),
                    unit: unit.code.clone(),
                    span: r.span,
                    figure: r.figure,
                });
            }
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Green,
    Yellow,
    Red,
    NoData,
    NoTarget,
}

impl Status {
    /// The Norwegian word shown beside the mark: `grønn`, `gul`, `rød`, `ingen data`, `ingen mål`.
    pub fn word(self) -> &'static str {
        match self {
            Status::Green => "grønn",
            Status::Yellow => "gul",
            Status::Red => "rød",
            Status::NoData => "ingen data",
            Status::NoTarget => "ingen mål",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Better,
    Worse,
    Unchanged,
    Unknown,
}

/// Where the target that applied came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum TargetSource {
    /// The unit's own target for the year.
    Unit,
    /// The indicator's default target (no unit) for the year.
    Default,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnitRef {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PeriodValue {
    /// Canonical period id.
    pub period: String,
    pub value: Option<f64>,
    /// Set when a sick-leave value is masked for privacy (`value` is then `None`).
    #[serde(default)]
    pub masked: Option<MaskReason>,
}

/// The result for one indicator, one unit (its subtree) and one period: every figure needed
/// to show it and to explain it ("hvorfor denne statusen?").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IndicatorResult {
    pub code: String,
    pub name: String,
    pub goal: Option<String>,
    pub unit_label: String,
    pub decimals: u8,
    pub direction: Direction,
    pub frequency: Frequency,
    pub aggregation: Aggregation,
    /// The period actually evaluated: for a coarser indicator, its latest own span ending
    /// by the asked period's last month.
    pub period: String,
    /// Unrounded.
    pub value: Option<f64>,
    /// The value as displayed, rounded half away from zero: `7,2 %`.
    pub display: Option<String>,
    /// The displayed value as a number (what status and trend compare).
    pub display_value: Option<f64>,
    /// For `brøk`: Σ numerator and Σ denominator over the subtree and spans.
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// Target and red limit as applied to this period (sum targets already scaled by the
    /// number of spans).
    pub target: Option<f64>,
    pub red_limit: Option<f64>,
    pub target_source: Option<TargetSource>,
    pub status: Status,
    /// Reported cells / expected cells; `None` when no cell is expected.
    pub coverage: Option<f64>,
    pub complete: bool,
    pub reported_cells: u32,
    pub expected_cells: u32,
    /// Units of the subtree expected to report that lack at least one span of the period.
    pub expected_units: u32,
    pub missing_units: u32,
    pub previous: PeriodValue,
    pub last_year: PeriodValue,
    pub trend: Trend,
    /// Set when this `SF*` figure is masked for privacy: value, status (`no_data`), trend,
    /// previous and last year are then hidden (sick-leave.md, docs/decisions.md).
    #[serde(default)]
    pub masked: Option<MaskReason>,
    /// The evaluated period has not ended by the last full month ("now", passed in): its
    /// `status` is computed on the months so far and shown as provisional («Foreløpig»), and
    /// its `trend` is `unknown` (a part period is not compared with a whole one).
    /// `complete` above is coverage; this is the calendar (`engine::progress`).
    #[serde(default)]
    pub provisional: bool,
    /// How many of the evaluated period's months have ended by the last full month.
    #[serde(default)]
    pub months_covered: u32,
    /// The evaluated period's length in months.
    #[serde(default)]
    pub months_total: u32,
    /// Red, and no open tiltak of the subtree names this indicator (`rød uten tiltak`;
    /// `engine::actions`). False until the service marks the målkart's tiltak.
    #[serde(default)]
    pub red_without_action: bool,
    /// For a survey indicator: the survey, the respondents behind the score and the
    /// minimum (`engine::surveys`); `period` is then the round.
    #[serde(default)]
    pub survey: Option<SurveyFacts>,
    /// The reference series' values for the evaluated period (`landet 4,3`), by name.
    #[serde(default)]
    pub references: Vec<ReferenceShown>,
    /// The series a relative target follows (`≥ landet`): `target` is then the series'
    /// displayed value for the period (none when it has no value then).
    #[serde(default)]
    pub target_reference: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusCounts {
    pub green: u32,
    pub yellow: u32,
    pub red: u32,
    pub no_data: u32,
    pub no_target: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GoalSummary {
    pub name: String,
    pub status: Status,
    pub counts: StatusCounts,
    /// The goal's tiltak in the subtree, by status, and how many are late.
    #[serde(default)]
    pub actions: ActionCounts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PerspectiveResult {
    pub key: Perspective,
    pub name: String,
    pub status: Status,
    pub counts: StatusCounts,
    pub goals: Vec<GoalSummary>,
    pub indicators: Vec<IndicatorResult>,
}

/// The målkart of one unit for one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Scorecard {
    pub unit: UnitRef,
    /// Canonical id of the asked period.
    pub period: String,
    pub perspectives: Vec<PerspectiveResult>,
    /// Indicators not listed because the unit's subtree has no target for them and no
    /// figure from January two years before the period through December of its last year
    /// (always 0 for a root unit, which lists every indicator).
    pub left_out_without_data: u32,
    /// Every month of the asked period has ended by the last full month ("now", passed in
    /// by the door; `engine::progress`). An incomplete period is provisional: «Foreløpig ·
    /// 2 av 3 måneder».
    pub complete: bool,
    /// How many of the asked period's months have ended by the last full month.
    pub months_covered: u32,
    /// The asked period's length in months.
    pub months_total: u32,
    /// The latest month, up to the last full month, with a registered figure (a
    /// measurement's span ending in it, sick leave, or an economy account); `None` when
    /// there is none or it was not asked (the service fills it from the store).
    pub last_month_with_data: Option<String>,
    /// Every tiltak the målkart shows (`engine::actions`), by status, and how many are late.
    #[serde(default)]
    pub actions: ActionCounts,
    /// How many of its indicators are `rød uten tiltak`.
    #[serde(default)]
    pub red_without_action: u32,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    #[error("ukjent enhet «{0}»")]
    UnknownUnit(String),
    #[error("ukjent indikator «{0}»")]
    UnknownIndicator(String),
    #[error("enhetstreet har en sløyfe gjennom «{0}»")]
    Cycle(String),
}
