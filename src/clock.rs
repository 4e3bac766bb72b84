//! Today's date, from one place. The CLI's and the app's default "latest month" is a user
//! feature that follows the calendar; everything else (the demo, the engine, tests) takes
//! its month as an argument.
//!
//! `MALKART_TODAY=YYYY-MM-DD` overrides the computer's clock for the whole program. The test
//! suites run with it set to dates at different points of a quarter (scripts/test.sh), so a
//! test that silently assumes today's date fails in CI rather than on some later day.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::period::Month;

/// The variable that overrides today's date.
pub const TODAY_VAR: &str = "MALKART_TODAY";

/// Today: `MALKART_TODAY` when it is set to a valid `YYYY-MM-DD`, else the local date.
/// An override that is set but not a date is ignored with a warning on stderr, so a typo
/// cannot quietly move the program to another month.
pub fn today() -> NaiveDate {
    match std::env::var(TODAY_VAR) {
        Ok(text) if !text.trim().is_empty() => match parse_today(&text) {
            Some(date) => date,
            None => {
                eprintln!(
                    "advarsel: {TODAY_VAR}={text:?} er ikke en dato på formen ÅÅÅÅ-MM-DD; \
                     bruker datoen fra maskinens klokke"
                );
                chrono::Local::now().date_naive()
            }
        },
        _ => chrono::Local::now().date_naive(),
    }
}

/// The local date and time now, for the time printed on an export. Not overridden by
/// `MALKART_TODAY` (a report says when it was made); tests pass their own time instead.
pub fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

fn parse_today(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// The last calendar month that has ended by `today` (in December 2026: November 2026; in
/// January: December of the year before).
pub fn last_full_month(today: NaiveDate) -> Month {
    Month::from_index(today.year() * 12 + today.month0() as i32 - 1)
}

/// The month `today` is in.
pub fn current_month(today: NaiveDate) -> Month {
    last_full_month(today).plus(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_last_full_month_is_the_month_before_today() {
        assert_eq!(last_full_month(date(2026, 12, 1)).id(), "2026-11");
        assert_eq!(last_full_month(date(2026, 12, 31)).id(), "2026-11");
        // January: December of the year before.
        assert_eq!(last_full_month(date(2027, 1, 1)).id(), "2026-12");
        assert_eq!(current_month(date(2027, 1, 15)).id(), "2027-01");
    }

    #[test]
    fn an_override_is_a_plain_iso_date() {
        assert_eq!(parse_today("2027-02-28"), Some(date(2027, 2, 28)));
        assert_eq!(parse_today(" 2027-02-28 "), Some(date(2027, 2, 28)));
        assert_eq!(parse_today("28.02.2027"), None);
        assert_eq!(parse_today("2027-02-30"), None);
    }
}
