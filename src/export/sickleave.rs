//! The sick-leave summary as a `Document`: the spec's columns in order, definitions and
//! the masking note.

use super::Document;
use crate::engine::sickleave::SickLeaveSummary;

pub fn document(summary: &SickLeaveSummary, exported_at: &str) -> Document {
    todo!("helper A: {} {exported_at}", summary.period)
}
