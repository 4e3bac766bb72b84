//! Demo sick leave: every unit, every month — higher in winter, lower in summer, some long
//! absences, employees, the length split for most units, and at least one unit small
//! enough to be masked.

use super::tree::DemoUnit;
use crate::model::SickLeave;
use crate::period::Month;

pub(crate) fn generate(units: &[DemoUnit], start: Month, through: Month) -> Vec<SickLeave> {
    todo!("helper A: {} {start} {through}", units.len())
}
