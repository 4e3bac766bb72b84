//! The use cases every door shares (the CLI, the desktop app, later the server and the sync
//! client): typed inputs, their validation, and the composite questions and changes that are
//! more than one call to the engine or the store. A door parses its own arguments, calls one
//! function here and shows the answer; it holds no rules.
//!
//! What the service needs is passed in: the open [`Store`](crate::storage::Store), the
//! engine (from an [`EngineCache`] the door keeps), the month "now" (the door reads
//! [`crate::clock`]) and the [`Privacy`](crate::engine::sickleave::Privacy) of the person
//! asking. It never reads the clock, prints, or knows which door called it.
//!
//! - [`engines`] — the cached `Engine` over a window of months ([`window`] says which)
//! - [`detail`] — the målkart, sparklines, the indicator detail and "hvorfor denne statusen?"
//! - [`grid`], [`sickleave_grid`], [`economy_grid`] — the registration grids: load, check,
//!   save (answering with the figures before, so a second save undoes it), spread a budget
//! - [`overview`] — the director's overview: a status per unit and per (unit, perspective)
//! - [`reports`] — the sick-leave summary and the economy report, and their exports
//! - [`imports`] — a file imported (or tried) as an outcome the UI lists
//! - [`actions`] — tiltak: the list, one tiltak, the form's save, status comments, the
//!   actions report and its exports
//! - [`admin`] — targets, comments, locks, the audit log, privacy, the demo, backup/restore
//! - [`audit`] — the audit log in Norwegian words (labels, names, local time, what changed)
//! - [`conflicts`] — a replica's kept conflicts: list, resolve one or a batch (mine/theirs)
//! - [`files`] — writing a file atomically

pub mod actions;
pub mod admin;
pub mod audit;
pub mod conflicts;
pub mod detail;
pub mod economy_grid;
pub mod engines;
pub mod files;
pub mod grid;
pub mod imports;
pub mod overview;
pub mod reports;
pub mod sickleave_grid;
pub mod surveys;
pub mod window;

pub use engines::{CachedEngine, EngineCache};

use crate::error::{Error, Result};
use crate::period::{Month, Period, PeriodKind};

/// A period as typed (`2026-K3`, `2026`, `2026-01..2026-09`).
pub fn period(text: &str) -> Result<Period> {
    Ok(Period::parse(text)?)
}

/// One month as typed (`2026-03`): another kind of period is refused, saying so.
pub fn month(text: &str) -> Result<Month> {
    let period = Period::parse(text)?;
    if period.kind() != PeriodKind::Month {
        return Err(Error::invalid_field(
            "måned",
            format!(
                "«{}» er ikke en måned; skriv for eksempel 2026-03",
                text.trim()
            ),
        ));
    }
    Ok(period.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_parsed_and_another_period_is_refused_by_name() {
        assert_eq!(month("2026-03").unwrap(), Month::new(2026, 3).unwrap());
        let err = month("2026-K1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "«2026-K1» er ikke en måned; skriv for eksempel 2026-03"
        );
        assert_eq!(month("2026-13").unwrap_err().kind(), "period");
    }
}
