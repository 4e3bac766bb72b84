//! Which months of measurements the cached engine must hold to answer a question, and which
//! period to ask storage for so that they are loaded. `Store::dataset_for(P)` promises the
//! months from January of the year before the earliest of P, P's previous period and P's
//! last-year period, through December of P's last year; everything here is computed from
//! that promise.

use crate::model::Frequency;
use crate::period::{Month, Period, PeriodKind};

/// An inclusive range of months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: Month,
    pub to: Month,
}

impl Window {
    pub fn covers(&self, other: &Window) -> bool {
        self.from <= other.from && other.to <= self.to
    }
}

/// The months `Store::dataset_for(period)` loads: storage's own rule, so the cache can never
/// believe it holds a month that was not loaded.
pub fn loaded_by(period: &Period) -> Window {
    let (from, to) = crate::storage::dataset_window(period);
    Window { from, to }
}

/// How many points a sparkline or the detail chart has for a period of this kind. Thirteen
/// shows the same period a year back (months, quarters); years stop at six so that the
/// window the cache loads stays under storage's 120-month range and reaches the present.
pub fn history_len(anchor: &Period) -> usize {
    match anchor.kind() {
        PeriodKind::Year => 6,
        _ => 13,
    }
}

/// The period the history of an indicator of `frequency` ends with when the view shows
/// `period`: the period itself when it is made of whole spans of the indicator, the last
/// month of a month range ("hittil i år" has no sensible history of its own), and for a
/// coarser indicator its latest span ending by the period's last month (engine.md §3).
pub fn history_anchor(period: &Period, frequency: Frequency) -> Period {
    let base = if period.kind() == PeriodKind::Range {
        Period::month(period.last())
    } else {
        *period
    };
    base.evaluated_for(frequency)
}

/// The periods of a history, oldest first, ending with `anchor`.
pub fn history_periods(anchor: &Period) -> Vec<Period> {
    let mut out = vec![*anchor];
    for _ in 1..history_len(anchor) {
        let before = out[out.len() - 1].previous();
        out.push(before);
    }
    out.reverse();
    out
}

/// The months the engine needs to show `period` with every indicator's history.
pub fn needed_for(period: &Period) -> Window {
    let frequencies = [
        Frequency::Maned,
        Frequency::Kvartal,
        Frequency::Tertial,
        Frequency::Halvar,
        Frequency::Ar,
    ];
    let mut need = loaded_by(period);
    for f in frequencies {
        let anchor = history_anchor(period, f);
        if let Some(first) = history_periods(&anchor).first() {
            need.from = need.from.min(loaded_by(first).from);
        }
    }
    need
}

/// The period to ask storage for: from the first needed month through the later of the
/// period and `now` (so that stepping forward to the present reuses the cache), at most 120
/// months long. Its loaded window always covers `need` (checked in the tests below).
pub fn load_period(need: &Window, period: &Period, now: Month) -> Period {
    let last = if now > period.last() && now.index() - need.from.index() < 120 {
        now
    } else {
        period.last()
    };
    let first = need.from.max(last.plus(-119));
    Period::range(first, last).unwrap_or(*period)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Period {
        Period::parse(text).unwrap()
    }
    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo).unwrap()
    }

    #[test]
    fn dataset_for_a_quarter_loads_from_january_of_the_year_before_last_year() {
        // 2026-K3: previous 2026-K2, last year 2025-K3 → earliest 2025-07 → from 2024-01,
        // through December 2026 (coverage expects units that report later in the year).
        assert_eq!(
            loaded_by(&p("2026-K3")),
            Window {
                from: m(2024, 1),
                to: m(2026, 12)
            }
        );
    }

    #[test]
    fn coarser_indicator_history_ends_with_its_latest_whole_span() {
        // A yearly indicator viewed in 2026-K3 shows 2025; a quarterly one in May shows K1.
        assert_eq!(history_anchor(&p("2026-K3"), Frequency::Ar), p("2025"));
        assert_eq!(
            history_anchor(&p("2026-05"), Frequency::Kvartal),
            p("2026-K1")
        );
        assert_eq!(
            history_anchor(&p("2026-K3"), Frequency::Maned),
            p("2026-K3")
        );
        // Hittil i år through September: the history is monthly, ending in September.
        assert_eq!(
            history_anchor(&p("2026-01..2026-09"), Frequency::Maned),
            p("2026-09")
        );
    }

    #[test]
    fn quarter_history_has_thirteen_quarters_back_to_the_same_quarter_three_years_ago() {
        let periods = history_periods(&p("2026-K3"));
        assert_eq!(periods.len(), 13);
        assert_eq!(periods[0], p("2023-K3"));
        assert_eq!(periods[12], p("2026-K3"));
    }

    #[test]
    fn needed_window_includes_the_history_of_yearly_indicators() {
        // Yearly history viewed in 2026-K3 ends 2025 and starts 2020 (6 years);
        // dataset_for(2020) loads from January 2018 (earliest 2019, minus a year).
        let need = needed_for(&p("2026-K3"));
        assert_eq!(
            need,
            Window {
                from: m(2018, 1),
                to: m(2026, 12)
            }
        );
    }

    #[test]
    fn load_period_covers_what_is_needed_for_every_kind() {
        let now = m(2026, 10);
        for text in [
            "2026-09",
            "2026-K3",
            "2026-T2",
            "2026-H1",
            "2026",
            "2026-01..2026-09",
            "2019-K1",
        ] {
            let period = p(text);
            let need = needed_for(&period);
            let load = load_period(&need, &period, now);
            assert!(load.len_months() <= 120, "{text}: {load}");
            assert!(
                loaded_by(&load).covers(&need),
                "{text}: loads {load}, needs {need:?}"
            );
        }
        // Viewing the recent past loads through `now`, so stepping forward reuses the cache.
        let k2 = p("2026-K2");
        assert_eq!(load_period(&needed_for(&k2), &k2, now).last(), now);
    }
}
