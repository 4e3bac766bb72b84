//! The economy grid: one year and one measure (budget, accounts or forecast) for a unit's
//! subtree, twelve months of integer øre per unit. Amounts cross as øre (the UI reads
//! `1 234 567,50` exactly by the core's rules), so no amount passes through binary floating
//! point. A save changes only the measure shown (the other two figures of each month are
//! kept), in one `Store::apply` that refuses locked months and repeated cells and audits
//! every row; it answers with the cells as they were before.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::engine::economy::{spread_by_profile, spread_even};
use crate::engine::UnitNode;
use crate::error::{Error, Result};
use crate::model::{EconomyChange, EconomyMonth, FieldChange, LockedMonth};
use crate::period::Month;
use crate::storage::{ApplySummary, ChangeSet, Store};

use super::grid::{self, year_month, GridUnit};

/// Which economy figure a grid shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Measure {
    #[serde(rename = "budsjett")]
    Budget,
    #[serde(rename = "regnskap")]
    Actual,
    #[serde(rename = "prognose")]
    Forecast,
}

impl Measure {
    /// Every measure, in the order the grid offers them.
    pub const ALL: [Measure; 3] = [Measure::Budget, Measure::Actual, Measure::Forecast];

    /// The Norwegian key (`budsjett`), as it crosses to the UI.
    pub fn key(self) -> &'static str {
        match self {
            Measure::Budget => "budsjett",
            Measure::Actual => "regnskap",
            Measure::Forecast => "prognose",
        }
    }

    /// The figure of this measure in a stored month.
    pub fn get(self, row: &EconomyMonth) -> Option<i64> {
        match self {
            Measure::Budget => row.budget,
            Measure::Actual => row.actual,
            Measure::Forecast => row.forecast,
        }
    }

    /// A change of this figure only; the other two are kept.
    pub fn change(self, unit: &str, month: Month, amount: Option<i64>) -> EconomyChange {
        let field = amount.map_or(FieldChange::Clear, FieldChange::Set);
        let mut change = EconomyChange {
            unit: unit.to_string(),
            month,
            budget: FieldChange::Keep,
            actual: FieldChange::Keep,
            forecast: FieldChange::Keep,
        };
        match self {
            Measure::Budget => change.budget = field,
            Measure::Actual => change.actual = field,
            Measure::Forecast => change.forecast = field,
        }
        change
    }
}

/// One economy cell: a unit, a month of the grid's year (1–12) and an amount in øre;
/// `None` clears it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EconomyCell {
    pub unit: String,
    pub month: u32,
    pub amount: Option<i64>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct EconomyGridRow {
    pub unit: GridUnit,
    /// January–December in øre; `None`: not registered.
    pub months: Vec<Option<i64>>,
}

/// The economy grid for one year and one measure over a unit's subtree.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct EconomyGrid {
    pub unit: String,
    pub year: i32,
    pub measure: Measure,
    /// The year's locked months: their column is read-only.
    pub locked: Vec<LockedMonth>,
    pub rows: Vec<EconomyGridRow>,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct EconomySave {
    pub year: i32,
    pub measure: Measure,
    pub cells: Vec<EconomyCell>,
    #[serde(default)]
    pub undo: bool,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct EconomySaved {
    pub summary: ApplySummary,
    /// The saved cells as they were before this save: sending them back undoes it.
    pub before: Vec<EconomyCell>,
}

/// A yearly budget to spread over a row's twelve months.
#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct SpreadInput {
    pub unit: String,
    pub year: i32,
    /// The yearly amount as typed (`2 500 000,05`), read exactly in Rust.
    pub amount: String,
    /// `true`: by the profile of last year's accounts; `false`: evenly.
    pub by_last_year: bool,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Spread {
    /// January–December in øre; they sum exactly to the amount.
    pub months: Vec<i64>,
    /// Set when last year's accounts were asked for but there were none: spread evenly.
    pub note: Option<String>,
}

/// The economy grid of `year` and `measure` for `unit` and every unit below it (`tree`:
/// the unit tree in pre-order).
pub fn load(
    store: &Store,
    tree: &[UnitNode],
    unit: &str,
    year: i32,
    measure: Measure,
) -> Result<EconomyGrid> {
    let (first, last) = (year_month(year, 1)?, year_month(year, 12)?);
    let units = grid::subtree(tree, unit)?;
    let stored = store.economy(first, last)?;
    let mut by_unit: BTreeMap<&str, Vec<Option<i64>>> = BTreeMap::new();
    for row in &stored {
        let months = by_unit
            .entry(row.unit.as_str())
            .or_insert_with(|| vec![None; 12]);
        months[(row.month.month() - 1) as usize] = measure.get(row);
    }
    let locked = store
        .locked_months()?
        .into_iter()
        .filter(|l| l.month().is_some_and(|mo| mo.year() == year))
        .collect();
    let rows = units
        .into_iter()
        .map(|u| EconomyGridRow {
            months: by_unit
                .get(u.code.as_str())
                .cloned()
                .unwrap_or_else(|| vec![None; 12]),
            unit: u,
        })
        .collect();
    Ok(EconomyGrid {
        unit: unit.to_string(),
        year,
        measure,
        locked,
        rows,
    })
}

/// Saves changed cells of one measure in one transaction (the other two figures of each
/// month are kept); locked months and a cell sent twice are refused by the store.
pub fn save(store: &mut Store, input: &EconomySave) -> Result<EconomySaved> {
    let m = input.measure;
    let changes = input
        .cells
        .iter()
        .map(|cell| Ok(m.change(&cell.unit, year_month(input.year, cell.month)?, cell.amount)))
        .collect::<Result<Vec<_>>>()?;
    let source = if input.undo {
        "appen: angre siste lagring av økonomi"
    } else {
        "appen: økonomi"
    };
    let (first, last) = (year_month(input.year, 1)?, year_month(input.year, 12)?);
    let stored = store.economy(first, last)?;
    let before = input
        .cells
        .iter()
        .map(|c| EconomyCell {
            unit: c.unit.clone(),
            month: c.month,
            amount: stored
                .iter()
                .find(|s| s.unit == c.unit && s.month.month() == c.month)
                .and_then(|s| m.get(s)),
        })
        .collect();
    let summary = store.apply(&ChangeSet::Economy(changes), source, false)?;
    Ok(EconomySaved { summary, before })
}

/// A yearly amount spread over the twelve months, evenly or by the profile of the unit's
/// accounts the year before. Nothing is saved.
pub fn spread(store: &Store, input: &SpreadInput) -> Result<Spread> {
    let amount = crate::number::parse_decimal(input.amount.trim())
        .ok()
        .and_then(|d| d.to_ore())
        .ok_or_else(|| {
            Error::invalid_field(
                "beløp",
                format!("«{}» er ikke et beløp i kroner og øre", input.amount.trim()),
            )
        })?;
    if !input.by_last_year {
        return Ok(Spread {
            months: spread_even(amount).to_vec(),
            note: None,
        });
    }
    let last_year = input.year - 1;
    let (first, last) = (year_month(last_year, 1)?, year_month(last_year, 12)?);
    let mut profile = [0i64; 12];
    for row in store.economy(first, last)? {
        if row.unit == input.unit {
            profile[(row.month.month() - 1) as usize] = row.actual.unwrap_or(0);
        }
    }
    let note = (profile.iter().sum::<i64>() == 0).then(|| {
        format!(
            "{} har ikke regnskap for {last_year} å fordele etter; beløpet er fordelt jevnt.",
            input.unit
        )
    });
    Ok(Spread {
        months: spread_by_profile(amount, &profile).to_vec(),
        note,
    })
}
