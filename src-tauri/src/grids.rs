//! The registration grids' commands over the service (`malkart::service::sickleave_grid`,
//! `economy_grid`): sick leave for one month and economy for one year and measure, each
//! over a unit's subtree. Reading, checking and saving are the service's.

use malkart::error::IpcError;
use malkart::service;
use malkart::service::economy_grid::{
    self, EconomyGrid, EconomySave, EconomySaved, Measure, Spread, SpreadInput,
};
use malkart::service::grid::CellProblem;
use malkart::service::sickleave_grid::{self, SickLeaveGrid, SickLeaveSave, SickLeaveSaved};

use crate::backend::Backend;

type IpcResult<T> = std::result::Result<T, IpcError>;

impl Backend {
    /// The sick-leave grid of `month` for `unit` and every unit below it.
    pub fn sick_leave_grid(&self, unit: &str, month: &str) -> IpcResult<SickLeaveGrid> {
        let month = service::month(month)?;
        let tree = self.units()?;
        self.with_store(|store| sickleave_grid::load(store, &tree, unit, month))
    }

    /// Checks the changed rows without saving: every problem, per unit and column.
    pub fn check_sick_leave(&self, input: &SickLeaveSave) -> IpcResult<Vec<CellProblem>> {
        Ok(sickleave_grid::check(input)?)
    }

    /// Saves the changed rows in one transaction, or answers every problem.
    pub fn save_sick_leave(&self, input: &SickLeaveSave) -> IpcResult<SickLeaveSaved> {
        self.write_store(|store| sickleave_grid::save(store, input))
    }

    /// The economy grid of `year` and `measure` for `unit` and every unit below it.
    pub fn economy_grid(&self, unit: &str, year: i32, measure: Measure) -> IpcResult<EconomyGrid> {
        let tree = self.units()?;
        self.with_store(|store| economy_grid::load(store, &tree, unit, year, measure))
    }

    /// Saves changed cells of one measure in one transaction.
    pub fn save_economy(&self, input: &EconomySave) -> IpcResult<EconomySaved> {
        self.write_store(|store| economy_grid::save(store, input))
    }

    /// A yearly amount spread over the twelve months. Nothing is saved.
    pub fn spread_budget(&self, input: &SpreadInput) -> IpcResult<Spread> {
        self.with_store(|store| economy_grid::spread(store, input))
    }
}
