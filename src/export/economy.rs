//! The economy report as a `Document`: the spec's columns in order and the definitions.

use super::Document;
use crate::engine::economy::EconomyReport;

pub fn document(report: &EconomyReport, exported_at: &str) -> Document {
    todo!("helper B: {} {exported_at}", report.period)
}
