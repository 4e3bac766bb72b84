//! The demo municipality, *Demo kommune*: deterministic (fixed seed), believable, in three
//! sizes (cli.md "Demo municipality").

use crate::model::{Comment, Indicator, Measurement, Target, Unit};

/// small (~30 units), medium (~300 units, 40 indicators, 36 months), large (~1 500 units,
/// 60 indicators, 120 months).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoSize {
    Small,
    Medium,
    Large,
}

/// Everything the demo municipality consists of, ready for `Store::load_demo`.
#[derive(Clone, Debug, Default)]
pub struct DemoData {
    pub units: Vec<Unit>,
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Target>,
    pub measurements: Vec<Measurement>,
    /// `id` is ignored; author, text, period and time are kept.
    pub comments: Vec<Comment>,
}

/// The demo municipality of `size`, with monthly figures through `through`.
pub fn generate(_size: DemoSize, _through: crate::period::Month) -> DemoData {
    todo!("demo")
}
