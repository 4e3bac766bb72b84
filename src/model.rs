//! The data model (engine.md §1): units, perspectives, goals, indicators, measurements,
//! targets, comments, tiltak (`action.rs`) and audit entries. Plain data; the rules that relate them live in the
//! engine, the checks on input in `import`, and persistence in `storage`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod action;
mod survey;

pub use crate::period::Frequency;
use crate::period::{Month, Period};
pub use action::{Action, ActionComment, ActionKind, ActionStatus};
pub use survey::{
    ten_factor_code, ReferenceValue, Survey, SurveyKind, SurveyResult, TEN_FACTOR, TEN_FACTORS,
    TEN_FACTOR_TARGET,
};

/// An organisation unit (`enhet`); an ansvar in the accounts has the same code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub level: Option<String>,
}

/// The four perspectives, in their fixed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Perspective {
    #[serde(rename = "lokalsamfunn")]
    Lokalsamfunn,
    #[serde(rename = "brukere")]
    Brukere,
    #[serde(rename = "organisasjon")]
    Organisasjon,
    #[serde(rename = "økonomi")]
    Okonomi,
}

impl Perspective {
    pub const ALL: [Perspective; 4] = [
        Perspective::Lokalsamfunn,
        Perspective::Brukere,
        Perspective::Organisasjon,
        Perspective::Okonomi,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Perspective::Lokalsamfunn => "lokalsamfunn",
            Perspective::Brukere => "brukere",
            Perspective::Organisasjon => "organisasjon",
            Perspective::Okonomi => "økonomi",
        }
    }
    pub fn default_name(self) -> &'static str {
        match self {
            Perspective::Lokalsamfunn => "Lokalsamfunn",
            Perspective::Brukere => "Innbyggere og brukere",
            Perspective::Organisasjon => "Organisasjon og medarbeidere",
            Perspective::Okonomi => "Økonomi",
        }
    }
    /// Accepts the keys, `okonomi`, and any case.
    pub fn parse(text: &str) -> Option<Perspective> {
        match text.trim().to_lowercase().as_str() {
            "lokalsamfunn" => Some(Perspective::Lokalsamfunn),
            "brukere" => Some(Perspective::Brukere),
            "organisasjon" => Some(Perspective::Organisasjon),
            "økonomi" | "okonomi" => Some(Perspective::Okonomi),
            _ => None,
        }
    }
}

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Direction {
    /// Higher is better.
    #[serde(rename = "høy")]
    Hoy,
    /// Lower is better.
    #[serde(rename = "lav")]
    Lav,
}

impl Direction {
    pub fn key(self) -> &'static str {
        match self {
            Direction::Hoy => "høy",
            Direction::Lav => "lav",
        }
    }
    /// `høy`/`hoy`/`higher`/`high`, `lav`/`lower`/`low`, any case.
    pub fn parse(text: &str) -> Option<Direction> {
        match text.trim().to_lowercase().as_str() {
            "høy" | "hoy" | "higher" | "high" => Some(Direction::Hoy),
            "lav" | "lower" | "low" => Some(Direction::Lav),
            _ => None,
        }
    }
}

/// How an indicator's values combine over time (engine.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Aggregation {
    #[serde(rename = "sum")]
    Sum,
    #[serde(rename = "snitt")]
    Snitt,
    #[serde(rename = "siste")]
    Siste,
    /// factor × Σ numerator / Σ denominator.
    #[serde(rename = "brøk")]
    Brok,
}

impl Aggregation {
    pub fn key(self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::Snitt => "snitt",
            Aggregation::Siste => "siste",
            Aggregation::Brok => "brøk",
        }
    }
    pub fn parse(text: &str) -> Option<Aggregation> {
        match text.trim().to_lowercase().as_str() {
            "sum" => Some(Aggregation::Sum),
            "snitt" | "mean" | "average" | "gjennomsnitt" => Some(Aggregation::Snitt),
            "siste" | "last" => Some(Aggregation::Siste),
            "brøk" | "brok" | "ratio" => Some(Aggregation::Brok),
            _ => None,
        }
    }
    /// The default roll-up over units: `sum` for sum and siste, `snitt` for snitt. For
    /// `brøk` the roll-up is always Σ/Σ and this value is not used.
    pub fn default_rollup(self) -> UnitRollup {
        match self {
            Aggregation::Snitt => UnitRollup::Snitt,
            _ => UnitRollup::Sum,
        }
    }
}

/// How a non-ratio indicator combines over the org tree (engine.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum UnitRollup {
    #[serde(rename = "sum")]
    Sum,
    #[serde(rename = "snitt")]
    Snitt,
    /// The unit's own figures only.
    #[serde(rename = "ingen")]
    Ingen,
}

impl UnitRollup {
    pub fn key(self) -> &'static str {
        match self {
            UnitRollup::Sum => "sum",
            UnitRollup::Snitt => "snitt",
            UnitRollup::Ingen => "ingen",
        }
    }
    pub fn parse(text: &str) -> Option<UnitRollup> {
        match text.trim().to_lowercase().as_str() {
            "sum" => Some(UnitRollup::Sum),
            "snitt" | "mean" | "average" => Some(UnitRollup::Snitt),
            "ingen" | "none" => Some(UnitRollup::Ingen),
            _ => None,
        }
    }
}

/// An indicator definition (a line of the balansehåndbok).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub perspective: Perspective,
    /// The goal (fokusområde) it serves, by name.
    pub goal: Option<String>,
    pub description: String,
    pub source: String,
    pub responsible: String,
    pub unit_label: String,
    /// 0–4.
    pub decimals: u8,
    pub direction: Direction,
    pub frequency: Frequency,
    pub aggregation: Aggregation,
    pub unit_rollup: UnitRollup,
    /// For `brøk`: value = factor × numerator / denominator.
    pub factor: f64,
    /// Computed from the sick-leave or economy tables rather than registered measurements.
    pub builtin: bool,
}

impl Indicator {
    /// For tests: the built-in `SF` (Sykefravær) as the catalog holds it — a monthly ratio,
    /// lower is better.
    #[cfg(test)]
    pub(crate) fn builtin_sf() -> Indicator {
        Indicator {
            builtin: true,
            ..Indicator::new(
                "SF",
                "Sykefravær",
                Perspective::Organisasjon,
                Direction::Lav,
                Frequency::Maned,
                Aggregation::Brok,
            )
        }
    }

    /// An indicator with the spec's defaults: 1 decimal, factor 100, the aggregation's
    /// default roll-up.
    pub fn new(
        code: &str,
        name: &str,
        perspective: Perspective,
        direction: Direction,
        frequency: Frequency,
        aggregation: Aggregation,
    ) -> Indicator {
        Indicator {
            code: code.to_string(),
            name: name.to_string(),
            perspective,
            goal: None,
            description: String::new(),
            source: String::new(),
            responsible: String::new(),
            unit_label: String::new(),
            decimals: 1,
            direction,
            frequency,
            aggregation,
            unit_rollup: aggregation.default_rollup(),
            factor: 100.0,
            builtin: false,
        }
    }
}

/// What one measurement registers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(untagged)]
pub enum Figure {
    Value { value: f64 },
    Ratio { numerator: f64, denominator: f64 },
}

/// One registered figure of an indicator for one unit and one span of its frequency.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    pub indicator: String,
    pub unit: String,
    pub span: Period,
    pub figure: Figure,
}

/// A target for one year, for one unit or (unit `None`) the default for all units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Target {
    pub indicator: String,
    pub unit: Option<String>,
    pub year: i32,
    pub target: f64,
    pub red_limit: Option<f64>,
    /// A target relative to a reference series (`≥ landet`, surveys.md §2): the series'
    /// displayed value for the evaluated period is the target, `target` is then not used
    /// (stored as 0). At least as good as the series is green.
    #[serde(default)]
    pub reference: Option<String>,
}

impl Target {
    /// A red limit on the wrong side of the target (`høy` with R > T, `lav` with R < T).
    /// Not known for a target relative to a series: its value changes with the period.
    pub fn red_limit_on_wrong_side(&self, direction: Direction) -> bool {
        if self.reference.is_some() {
            return false;
        }
        match (self.red_limit, direction) {
            (Some(r), Direction::Hoy) => r > self.target,
            (Some(r), Direction::Lav) => r < self.target,
            (None, _) => false,
        }
    }
}

/// A comment on (indicator, unit, period).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Comment {
    /// This database's number for the comment (what the app's commands take).
    pub id: i64,
    /// The comment's id on every machine: a UUID (v7 for comments written by this version),
    /// set when the comment is stored; empty only on a comment not stored yet.
    pub uid: String,
    pub indicator: String,
    pub unit: String,
    /// Canonical period id.
    pub period: String,
    pub author: String,
    pub text: String,
    /// RFC 3339, local time with offset.
    pub created_at: String,
    pub updated_at: Option<String>,
}

/// One entry of the audit log: who changed what, from which source, old and new value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    /// This database's number for the entry.
    pub id: i64,
    /// The entry's id on every machine: `<UUID of its batch>/<position in the batch>`,
    /// e.g. `0192f1c4-…-7b2e/3` (docs/decisions.md, "Stable ids").
    pub uid: String,
    /// RFC 3339.
    pub at: String,
    pub user: String,
    /// `manuell`, `demo`, or the import file's name.
    pub source: String,
    /// `enhet`, `indikator`, `mål`, `måling`, `kommentar`, `lås`, …
    pub entity: String,
    /// A readable key: `OR-AVV / 3110 / 2026-K1`.
    pub key: String,
    pub indicator: Option<String>,
    pub unit: Option<String>,
    pub period: Option<String>,
    /// JSON of the old value; `None` when created.
    pub old: Option<String>,
    /// JSON of the new value; `None` when deleted.
    pub new: Option<String>,
    /// For unlocks: the reason given.
    pub reason: Option<String>,
}

/// A locked (closed) month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LockedMonth {
    /// `2026-03`.
    pub month: String,
    pub locked_by: String,
    pub locked_at: String,
}

impl LockedMonth {
    pub fn month(&self) -> Option<Month> {
        Period::parse(&self.month).ok().map(|p| p.first())
    }
}

/// Absence person-days by the length of the absence case (sick-leave.md); all four or none.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LengthSplit {
    pub days_1_3: f64,
    pub days_4_16: f64,
    pub days_17_56: f64,
    pub days_over_56: f64,
}

impl LengthSplit {
    /// Up to 16 days: `dager_1_3 + dager_4_16` (`SF-KORT`).
    pub fn short(&self) -> f64 {
        self.days_1_3 + self.days_4_16
    }
    /// Over 16 days: `dager_17_56 + dager_over_56` (`SF-LANG`).
    pub fn long(&self) -> f64 {
        self.days_17_56 + self.days_over_56
    }
}

/// One month of sick leave for one unit (sick-leave.md), in person-days (dagsverk).
#[derive(Clone, Debug, PartialEq)]
pub struct SickLeave {
    pub unit: String,
    pub month: Month,
    /// `avtalte_dagsverk`, > 0.
    pub contracted_days: f64,
    /// `egenmeldt`.
    pub self_certified: f64,
    /// `legemeldt`, already graded.
    pub doctor_certified: f64,
    /// `ansatte`: persons employed in the unit that month.
    pub employees: Option<u32>,
    pub split: Option<LengthSplit>,
}

impl SickLeave {
    /// `egenmeldt + legemeldt`.
    pub fn absence_days(&self) -> f64 {
        self.self_certified + self.doctor_certified
    }
}

/// A change to the sick-leave table: one (unit, month) row set (created or replaced
/// whole), updated, or removed.
#[derive(Clone, Debug, PartialEq)]
pub enum SickLeaveChange {
    Set(SickLeave),
    /// As `Set`, but an absent `employees` or `split` keeps the stored one (an import's
    /// empty optional cells, as the economy import keeps stored figures for empty cells).
    Update(SickLeave),
    Remove {
        unit: String,
        month: Month,
    },
}

/// The largest amount, in øre, one economy figure may have, either sign: 1 000 milliarder
/// kroner (10^12 kr). Oslo's whole yearly budget is under a tenth of it, so no ansvar and
/// month comes near; and any sum of such figures stays far inside `i64` øre (the engine
/// sums in `i128` regardless).
pub const MAX_AMOUNT_ORE: i64 = 100_000_000_000_000;

/// `None` when `ore` is within ±`MAX_AMOUNT_ORE`; else why not, for a message.
pub fn amount_out_of_range(ore: i64) -> Option<String> {
    (ore.unsigned_abs() > MAX_AMOUNT_ORE.unsigned_abs()).then(|| {
        "beløpet er utenfor det Målkart godtar: høyst 1 000 milliarder kr \
         (1 000 000 000 000 kr) i pluss eller minus; kontroller at beløpet er i kroner og \
         ikke har for mange sifre"
            .to_string()
    })
}

/// One month of economy for one ansvar (= unit), in integer øre, net: expenses positive,
/// income negative (economy.md). `None`: not registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EconomyMonth {
    pub unit: String,
    pub month: Month,
    /// Periodised (revised) budget for the month.
    pub budget: Option<i64>,
    /// Accounts booked in the month.
    pub actual: Option<i64>,
    /// The unit's forecast, made this month, of its whole-year accounts.
    pub forecast: Option<i64>,
}

/// What a change does to one figure of an `EconomyMonth`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FieldChange {
    /// Leave the stored figure alone (an empty import column).
    #[default]
    Keep,
    /// Replace it (never added to it).
    Set(i64),
    /// Remove it (a cell emptied in the grid).
    Clear,
}

/// A change to one (unit, month) of the economy table, figure by figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EconomyChange {
    pub unit: String,
    pub month: Month,
    pub budget: FieldChange,
    pub actual: FieldChange,
    pub forecast: FieldChange,
}
