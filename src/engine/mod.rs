//! The status engine (engine.md §3–7): pure computation, no I/O. It takes a `Dataset` and
//! answers, for any indicator, unit and period: the value (aggregated over the indicator's
//! spans and rolled up over the unit's subtree), coverage, the target that applies, status,
//! previous and last year's values, trend — and per perspective, a summary.

mod types;

pub use types::*;

use crate::period::Period;

/// The engine over one dataset, with its indexes built once so that each question is cheap.
pub struct Engine {
    _private: (),
}

impl Engine {
    /// Indexes the dataset. Refuses a unit tree with a cycle.
    pub fn new(_data: Dataset) -> Result<Engine, EngineError> {
        todo!("engine")
    }

    /// The målkart of `unit` (its whole subtree) for `period`: all indicators, grouped by
    /// perspective in the fixed order, indicators in code order within a perspective.
    pub fn scorecard(&self, _unit: &str, _period: &Period) -> Result<Scorecard, EngineError> {
        todo!("engine")
    }

    /// One indicator for one unit's subtree and one period.
    pub fn evaluate(
        &self,
        _indicator: &str,
        _unit: &str,
        _period: &Period,
    ) -> Result<IndicatorResult, EngineError> {
        todo!("engine")
    }

    /// The indicator for each child unit of `unit` (by code), for the detail view.
    pub fn children(
        &self,
        _indicator: &str,
        _unit: &str,
        _period: &Period,
    ) -> Result<Vec<(UnitRef, IndicatorResult)>, EngineError> {
        todo!("engine")
    }

    /// The values of the `count` periods of the same kind ending with `last` (oldest first):
    /// the sparkline and the chart.
    pub fn series(
        &self,
        _indicator: &str,
        _unit: &str,
        _last: &Period,
        _count: usize,
    ) -> Result<Vec<PeriodValue>, EngineError> {
        todo!("engine")
    }
}
