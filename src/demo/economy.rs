//! Demo economy: a year's periodised budget per unit (with a July dip where it belongs),
//! monthly accounts that drift from budget in a few units, forecasts from most units.

use super::tree::DemoUnit;
use crate::model::EconomyMonth;
use crate::period::Month;

pub(crate) fn generate(units: &[DemoUnit], start: Month, through: Month) -> Vec<EconomyMonth> {
    todo!("helper B: {} {start} {through}", units.len())
}
