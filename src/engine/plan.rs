//! Which months of the database a question needs, so that storage reads those and no more
//! (`storage::dataset::load_planned`).
//!
//! `DatasetPlan::window` is everything in a window of months: what the app and `show` load
//! (history, relevance, any unit). `DatasetPlan::status` is what the målkart of a root unit
//! for one period reads (`malkart status`, `export scorecard`), by the engine's own rules
//! (engine.md §3–§4):
//! - each indicator is evaluated for `period.evaluated_for(f)` (E), compared with
//!   E's previous period and E's last year, each evaluated for f;
//! - coverage looks at whole calendar years of E (a unit that reports later in the year is
//!   expected already);
//! - sick-leave masking compares each of those periods with its own last year;
//! - the economy indicators read the whole year of each period (annual budget, forecast);
//! - a half-yearly or yearly indicator keeps the whole window (few rows; a survey indicator
//!   shows its latest round, which may lie years back).
//!
//! Every range is cut to the window, so the plan never reads what `window` would not. At a
//! unit below the root, relevance looks at two years back: those questions keep `window`.
//! tests/status_plan.rs checks that both plans give the same målkart.

use crate::model::{Frequency, Indicator};
use crate::period::{Month, Period};

use super::{economy, sickleave};

/// Inclusive month ranges, sorted, neither overlapping nor touching.
pub type Months = Vec<(Month, Month)>;

/// The months to read, by kind of row.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetPlan {
    /// Per indicator code: the months in which the spans to read start.
    pub measurements: Vec<(String, Months)>,
    pub sick_leave: Months,
    pub economy: Months,
}

impl DatasetPlan {
    /// Every row in `first..=last`.
    pub fn window(indicators: &[Indicator], (first, last): (Month, Month)) -> DatasetPlan {
        let all = vec![(first, last)];
        DatasetPlan {
            measurements: indicators
                .iter()
                .map(|i| (i.code.clone(), all.clone()))
                .collect(),
            sick_leave: all.clone(),
            economy: all,
        }
    }

    /// Each indicator over the window of its frequency (`window_of`); sick leave and the
    /// economy over the hull of their indicators' windows, at least the monthly window (the
    /// reports read them for the period itself). What the app's cached engine loads
    /// (`service::window::Windows`).
    pub fn by_frequency(
        indicators: &[Indicator],
        window_of: impl Fn(Frequency) -> (Month, Month),
    ) -> DatasetPlan {
        let monthly = window_of(Frequency::Maned);
        let widen = |(a, b): (Month, Month), (c, d): (Month, Month)| (a.min(c), b.max(d));
        let (mut sick_leave, mut economy) = (monthly, monthly);
        let mut measurements = Vec::with_capacity(indicators.len());
        for ind in indicators {
            let window = window_of(ind.frequency);
            if ind.builtin && sickleave::CODES.contains(&ind.code.as_str()) {
                sick_leave = widen(sick_leave, window);
            }
            if economy::Rule::of(ind).is_some() {
                economy = widen(economy, window);
            }
            measurements.push((ind.code.clone(), vec![window]));
        }
        DatasetPlan {
            measurements,
            sick_leave: vec![sick_leave],
            economy: vec![economy],
        }
    }

    /// What the målkart of a root unit for `period` reads, inside `window`
    /// (`dataset::window(period)`). See the module's notes.
    pub fn status(
        indicators: &[Indicator],
        period: &Period,
        window: (Month, Month),
    ) -> DatasetPlan {
        let mut measurements = Vec::with_capacity(indicators.len());
        let mut sick_leave = Vec::new();
        let mut economy = Vec::new();
        for ind in indicators {
            let sick = ind.builtin && sickleave::CODES.contains(&ind.code.as_str());
            let money = economy::Rule::of(ind).is_some();
            let f = ind.frequency;
            if matches!(f, Frequency::Halvar | Frequency::Ar) {
                measurements.push((ind.code.clone(), vec![window]));
                if sick {
                    sick_leave.push(window);
                }
                if money {
                    economy.push(window);
                }
                continue;
            }
            let e = period.evaluated_for(f);
            let compared = [
                e,
                e.previous().evaluated_for(f),
                e.last_year().evaluated_for(f),
            ];
            let years = whole_years(&e);
            let mut own: Months = compared.iter().map(|p| (p.first(), p.last())).collect();
            own.push(years);
            if sick {
                sick_leave.extend(&own);
                sick_leave.extend(compared.iter().map(|p| {
                    let ly = p.last_year();
                    (ly.first(), ly.last())
                }));
            }
            if money {
                economy.push(years);
                economy.extend(compared.iter().map(whole_years));
            }
            measurements.push((ind.code.clone(), within(own, window)));
        }
        DatasetPlan {
            measurements,
            sick_leave: within(sick_leave, window),
            economy: within(economy, window),
        }
    }
}

/// January of `p`'s first year through December of its last.
fn whole_years(p: &Period) -> (Month, Month) {
    (
        Month::from_index(p.first().year() * 12),
        Month::from_index(p.last().year() * 12 + 11),
    )
}

/// `ranges` cut to `window`, sorted and merged.
fn within(ranges: Months, (first, last): (Month, Month)) -> Months {
    let mut cut: Months = ranges
        .into_iter()
        .map(|(a, b)| (a.max(first), b.min(last)))
        .filter(|(a, b)| a <= b)
        .collect();
    cut.sort();
    let mut merged: Months = Vec::with_capacity(cut.len());
    for (a, b) in cut {
        match merged.last_mut() {
            Some((_, end)) if a.index() <= end.index() + 1 => *end = (*end).max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Aggregation, Direction, Perspective};

    fn m(id: &str) -> Month {
        Month::parse_id(id).unwrap_or_else(|| panic!("{id}"))
    }

    fn ids(ranges: &Months) -> Vec<(String, String)> {
        ranges.iter().map(|(a, b)| (a.id(), b.id())).collect()
    }

    fn indicator(code: &str, f: Frequency, builtin: bool) -> Indicator {
        let mut i = Indicator::new(
            code,
            code,
            Perspective::Organisasjon,
            Direction::Lav,
            f,
            Aggregation::Sum,
        );
        i.builtin = builtin;
        i
    }

    fn plan(period: &str, indicators: &[Indicator]) -> DatasetPlan {
        let p = Period::parse(period).unwrap_or_else(|e| panic!("{e}"));
        DatasetPlan::status(indicators, &p, crate::storage::dataset_window(&p))
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn a_monthly_indicator_at_a_quarter_reads_the_quarter_a_year_back_and_its_year() {
        // 2026-K3: E = 2026-07..09, previous 2026-04..06, last year 2025-07..09, coverage
        // the year 2026 → 2025-07..09 and 2026-01..12 (15 of the window's 36 months).
        let p = plan("2026-K3", &[indicator("A", Frequency::Maned, false)]);
        assert_eq!(
            ids(&p.measurements[0].1),
            vec![pair("2025-07", "2025-09"), pair("2026-01", "2026-12")]
        );
        assert!(p.sick_leave.is_empty() && p.economy.is_empty());
    }

    #[test]
    fn the_first_quarter_reaches_into_the_year_before() {
        // 2026-K1: previous 2025-K4, last year 2025-K1, year 2026; 2025-K4 and 2026 touch,
        // so they are one range.
        let p = plan("2026-K1", &[indicator("A", Frequency::Kvartal, false)]);
        assert_eq!(
            ids(&p.measurements[0].1),
            vec![pair("2025-01", "2025-03"), pair("2025-10", "2026-12")]
        );
    }

    #[test]
    fn a_tertial_indicator_at_a_quarter_is_read_for_its_latest_tertial() {
        // 2026-K3 ends in September: the latest tertial ending by then is T2 (May–August);
        // previous T1 (January–April), last year 2025-T2 (2025-05..08), year 2026.
        let p = plan("2026-K3", &[indicator("T", Frequency::Tertial, false)]);
        assert_eq!(
            ids(&p.measurements[0].1),
            vec![pair("2025-05", "2025-08"), pair("2026-01", "2026-12")]
        );
    }

    #[test]
    fn sick_leave_adds_each_compared_periods_last_year_and_economy_whole_years() {
        let p = plan(
            "2026-K3",
            &[
                indicator("SF", Frequency::Maned, true),
                indicator("OK-FORBRUK", Frequency::Maned, true),
            ],
        );
        // Sick leave: 2026-K3, K2, 2025-K3, their last years 2025-K3, 2025-K2, 2024-K3,
        // and the year 2026 → 2024-07..09, 2025-04..09, 2026-01..12.
        assert_eq!(
            ids(&p.sick_leave),
            vec![
                pair("2024-07", "2024-09"),
                pair("2025-04", "2025-09"),
                pair("2026-01", "2026-12")
            ]
        );
        // Economy: the whole years of 2026-K3, K2 and 2025-K3 → 2025-01..2026-12.
        assert_eq!(ids(&p.economy), vec![pair("2025-01", "2026-12")]);
    }

    #[test]
    fn yearly_indicators_and_everything_stay_inside_the_window() {
        // The window of 2026-K3 is 2024-01..2026-12: a yearly indicator keeps it whole.
        let p = plan("2026-K3", &[indicator("Y", Frequency::Ar, false)]);
        assert_eq!(ids(&p.measurements[0].1), vec![pair("2024-01", "2026-12")]);
        // 2026-01 as a month: the window is 2024-01..2026-12 (the year before 2025-01), and
        // sick leave's 2024-01 (last year of last year) is inside it; nothing before.
        let p = plan("2026-01", &[indicator("SF", Frequency::Maned, true)]);
        assert_eq!(p.sick_leave.first().map(|r| r.0), Some(m("2024-01")));
    }

    #[test]
    fn within_merges_touching_ranges() {
        let w = (m("2024-01"), m("2026-12"));
        let r = within(
            vec![
                (m("2026-04"), m("2026-06")),
                (m("2023-01"), m("2024-02")),
                (m("2026-07"), m("2026-09")),
            ],
            w,
        );
        assert_eq!(
            ids(&r),
            vec![pair("2024-01", "2024-02"), pair("2026-04", "2026-09")]
        );
    }
}
