//! Which months of measurements the cached engine must hold to answer a question, per
//! frequency of indicator, and which to load. `Store::dataset_for(P)` promises the months
//! from January of the year before the earliest of P, P's previous period and P's last-year
//! period, through December of P's last year (`loaded_by`); what a question needs is computed
//! from that promise, for the period and for the first period of each frequency's history.

use crate::engine::plan::DatasetPlan;
use crate::model::{Frequency, Indicator};
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

/// The frequencies of indicators, in the order `Windows` keeps them.
pub const FREQUENCIES: [Frequency; 5] = [
    Frequency::Maned,
    Frequency::Kvartal,
    Frequency::Tertial,
    Frequency::Halvar,
    Frequency::Ar,
];

fn slot(f: Frequency) -> usize {
    FREQUENCIES.iter().position(|&g| g == f).unwrap_or(0)
}

/// Per frequency of indicator, a window of months: what an engine holds, or what a question
/// needs. A yearly indicator's history of six years reaches much further back than a
/// monthly one's thirteen months, and the monthly indicators hold most of the rows, so each
/// frequency is read for its own window (issue 17: the app's first engine on `large`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Windows([Window; 5]);

impl Windows {
    /// The window of indicators of frequency `f`.
    pub fn of(&self, f: Frequency) -> Window {
        self.0[slot(f)]
    }

    pub fn covers(&self, other: &Windows) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a.covers(b))
    }

    /// The smallest windows covering both.
    pub fn hull(&self, other: &Windows) -> Windows {
        Windows(std::array::from_fn(|k| Window {
            from: self.0[k].from.min(other.0[k].from),
            to: self.0[k].to.max(other.0[k].to),
        }))
    }

    /// What storage reads for these windows, given the indicators.
    pub fn plan(&self, indicators: &[Indicator]) -> DatasetPlan {
        DatasetPlan::by_frequency(indicators, |f| {
            let w = self.of(f);
            (w.from, w.to)
        })
    }

    fn map(&self, f: impl Fn(Window) -> Window) -> Windows {
        Windows(self.0.map(f))
    }
}

/// The months the engine needs to show `period` with every indicator's history, per
/// frequency: what `Store::dataset_for(period)` loads (the period's status, coverage,
/// relevance below the root, the economy's whole years, sick leave's last year), reaching
/// back to what the first period of that frequency's history needs in turn.
pub fn needed_for(period: &Period) -> Windows {
    let own = loaded_by(period);
    Windows(FREQUENCIES.map(|f| {
        let anchor = history_anchor(period, f);
        let first = history_periods(&anchor).first().map(history_from);
        Window {
            from: first.map_or(own.from, |from| from.min(own.from)),
            to: own.to,
        }
    }))
}

/// The first month a history starting with `first` reads: January of the earliest year
/// among `first`, its previous period and its last year (each point is compared with
/// those, and coverage looks at whole calendar years). Not the year before, as `loaded_by`
/// adds for a period that a coarser indicator falls back from: a history's points are
/// whole spans of their own frequency already.
fn history_from(first: &Period) -> Month {
    let earliest = first
        .first()
        .min(first.previous().first())
        .min(first.last_year().first());
    Month::from_index(earliest.year() * 12)
}

/// December of `month`'s year: every window loaded reaches it for the current month.
fn december_of(month: Month) -> Month {
    Month::from_index(month.year() * 12 + 11)
}

/// What to load for `need`: each window reaches December of `now`'s year when `now` lies
/// after it, so that stepping forward to the present reuses the engine; the windows of the
/// coarser frequencies start a year earlier, so that stepping back through the months of a
/// year does too (their history moves a whole span back when the month before is in an
/// earlier span), for few rows: most rows are monthly.
pub fn to_load(need: &Windows, now: Month) -> Windows {
    let december = december_of(now);
    Windows(std::array::from_fn(|k| {
        let w = need.0[k];
        let back = if FREQUENCIES[k] == Frequency::Maned {
            0
        } else {
            12
        };
        Window {
            from: w.from.plus(-back),
            to: w.to.max(december),
        }
    }))
}

/// What to load once a question has fallen outside the engine's windows (the person moves
/// about in time): everything any kind of period ending in `period`'s last month needs
/// (month, quarter, tertial, half-year, year, year to date), reaching a year further back,
/// through `now`'s year. One such engine then answers a change of kind and a year of steps
/// back without another build.
pub fn wide(period: &Period, now: Month) -> Windows {
    let last = period.last();
    let mut all = needed_for(period).hull(&needed_for(&Period::year_to_date(last)));
    for f in FREQUENCIES {
        all = all.hull(&needed_for(&Period::span_of(f, last)));
    }
    let december = december_of(now);
    all.map(|w| Window {
        from: w.from.plus(-12),
        to: w.to.max(december),
    })
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
    fn each_frequency_needs_its_own_history() {
        // Viewing 2026-K3: monthly indicators show 13 quarters back to 2023-K3, compared
        // with 2022-K3 → from January 2022. Quarterly the same. Tertial history ends 2026-T2
        // and starts 2022-T2 (last year 2021-T2 → 2021). Half-yearly ends 2026-H1, 13 back
        // is 2020-H1 (last year 2019-H1 → 2019). Yearly ends 2025, six back is 2020,
        // compared with 2019 → from January 2019. All through December 2026 (coverage of
        // the year).
        let need = needed_for(&p("2026-K3"));
        let from = |f| need.of(f).from;
        assert_eq!(from(Frequency::Maned), m(2022, 1));
        assert_eq!(from(Frequency::Kvartal), m(2022, 1));
        assert_eq!(from(Frequency::Tertial), m(2021, 1));
        assert_eq!(from(Frequency::Halvar), m(2019, 1));
        assert_eq!(from(Frequency::Ar), m(2019, 1));
        assert!(FREQUENCIES.iter().all(|&f| need.of(f).to == m(2026, 12)));
        // A month: thirteen months back to 2025-10, compared with 2024-10 → 2024; the
        // month's own window (its last year 2025-10, and the year before for a coarser
        // indicator's fallback) starts there too. A quarterly indicator's history then
        // ends 2026-K3, as above.
        let october = needed_for(&p("2026-10"));
        assert_eq!(october.of(Frequency::Maned).from, m(2024, 1));
        assert_eq!(october.of(Frequency::Kvartal).from, m(2022, 1));
    }

    #[test]
    fn what_is_loaded_covers_what_is_needed_for_every_kind() {
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
            assert!(to_load(&need, now).covers(&need), "{text}");
            let wide = wide(&period, now);
            assert!(wide.covers(&need), "{text}");
            // Wide answers every other kind ending in the same month, and a year back.
            let last = period.last();
            for other in FREQUENCIES
                .iter()
                .map(|&f| Period::span_of(f, last))
                .chain([Period::year_to_date(last), Period::month(last.plus(-12))])
            {
                assert!(wide.covers(&needed_for(&other)), "{text} → {other}");
            }
        }
        // Viewing the recent past loads through December of `now`'s year, so stepping
        // forward reuses the cache.
        let k2 = needed_for(&p("2026-K2"));
        assert!(FREQUENCIES
            .iter()
            .all(|&f| to_load(&k2, now).of(f).to == m(2026, 12)));
        // What a month loads answers every month before it in the same year.
        let october = to_load(&needed_for(&p("2026-10")), now);
        for k in 1..=9 {
            let month = Period::month(m(2026, k));
            assert!(october.covers(&needed_for(&month)), "{month}");
        }
    }
}
