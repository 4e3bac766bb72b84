//! Honest periods (issue 12): whether a period has ended by "now" — the last full month,
//! passed in by the door that read the clock — and what that means for a result. A pure
//! step, applied by the service after the engine (as masking is), so the engine itself
//! never depends on the date.
//!
//! - A result whose evaluated period has not ended is **provisional**: its status is the
//!   one computed on the months so far (the JSON keeps it), but every door shows it as
//!   «foreløpig», not as a final colour; its trend is `unknown`, because a part of a period
//!   is not compared with a whole one (`previous` keeps its value for whoever wants it).
//! - A scorecard says whether the asked period is complete and how many of its months
//!   have ended («Foreløpig · 2 av 3 måneder»).
//!
//! The engine's own answer (without a month "now") reads every period as complete.

use super::{Engine, IndicatorResult, Scorecard, Trend};
use crate::period::{Month, Period};

/// Marks `r` by its evaluated period (`r.period`) against `last_full`.
pub fn mark_result(r: &mut IndicatorResult, last_full: Month) {
    let Ok(period) = Period::parse(&r.period) else {
        return;
    };
    r.months_total = period.len_months().max(0) as u32;
    // A survey round is complete once it is stored (engine::surveys).
    if r.survey.is_some() {
        r.months_covered = r.months_total;
        r.provisional = false;
        return;
    }
    r.months_covered = period.months_ended_by(last_full);
    r.provisional = !period.is_complete_by(last_full);
    if r.provisional {
        r.trend = Trend::Unknown;
    }
}

/// Marks the scorecard for `period` (the asked one) and every result in it.
pub fn mark_scorecard(card: &mut Scorecard, period: &Period, last_full: Month) {
    card.months_total = period.len_months().max(0) as u32;
    card.months_covered = period.months_ended_by(last_full);
    card.complete = period.is_complete_by(last_full);
    for p in &mut card.perspectives {
        for r in &mut p.indicators {
            mark_result(r, last_full);
        }
    }
}

impl Engine {
    /// `mark_scorecard`, and the coverage of each provisional result counted over the months
    /// that have ended (`ended_coverage`).
    pub fn mark_progress(&self, card: &mut Scorecard, period: &Period, last_full: Month) {
        mark_scorecard(card, period, last_full);
        let unit = card.unit.code.clone();
        for p in &mut card.perspectives {
            for r in &mut p.indicators {
                self.ended_coverage(r, &unit, last_full);
            }
        }
    }

    /// A provisional result's coverage counts only the indicator's spans that have ended by
    /// `last_full`: in November, December is not "missing" from 4. kvartal. When none of its
    /// spans has ended (a quarterly indicator in the unfinished quarter), nothing is
    /// expected yet. Coverage is no figure about anybody, so it is never masked.
    pub fn ended_coverage(&self, r: &mut IndicatorResult, unit: &str, last_full: Month) {
        if !r.provisional {
            return;
        }
        let (Ok(period), Some(ind)) = (Period::parse(&r.period), self.indicator(&r.code)) else {
            return;
        };
        let ended = Period::month(last_full)
            .latest_span_ending_by(ind.frequency)
            .last();
        let part = Period::range(period.first(), ended)
            .filter(|_| ended >= period.first())
            .and_then(|p| self.evaluate(&r.code, unit, &p).ok());
        match part {
            Some(part) => {
                r.coverage = part.coverage;
                r.complete = part.complete;
                r.reported_cells = part.reported_cells;
                r.expected_cells = part.expected_cells;
                r.expected_units = part.expected_units;
                r.missing_units = part.missing_units;
            }
            None => {
                r.coverage = None;
                r.complete = false;
                r.reported_cells = 0;
                r.expected_cells = 0;
                r.expected_units = 0;
                r.missing_units = 0;
            }
        }
    }
}

/// The words of a provisional period: `Foreløpig · 2 av 3 måneder` (`1 av 1 måned` is
/// never provisional; `0 av 1 måned` is a month not yet ended).
pub fn provisional_text(covered: u32, total: u32) -> String {
    let unit = if total == 1 { "måned" } else { "måneder" };
    format!("Foreløpig · {covered} av {total} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Dataset, Engine, Status};
    use crate::model::{
        Aggregation, Direction, Figure, Frequency, Indicator, Measurement, Perspective, Target,
        Unit,
    };

    /// One unit K; `M` monthly (sum, higher is better, target 8 a month), `Q` quarterly.
    /// M: April–June 4 a month (2. kvartal 12), July–September 5 (3. kvartal 15), October
    /// 10 and November 20 (4. kvartal so far 30); nothing for December. Q: 7 in 3. kvartal.
    fn quarter_dataset() -> Dataset {
        let ind = |code: &str, f: Frequency| Indicator {
            decimals: 0,
            ..Indicator::new(
                code,
                code,
                Perspective::Organisasjon,
                Direction::Hoy,
                f,
                Aggregation::Sum,
            )
        };
        let m = |ind: &str, span: &str, value: f64| Measurement {
            indicator: ind.into(),
            unit: "K".into(),
            span: Period::parse(span).unwrap(),
            figure: Figure::Value { value },
        };
        let mut measurements: Vec<Measurement> = ["2026-04", "2026-05", "2026-06"]
            .iter()
            .map(|s| m("M", s, 4.0))
            .chain(
                ["2026-07", "2026-08", "2026-09"]
                    .iter()
                    .map(|s| m("M", s, 5.0)),
            )
            .collect();
        measurements.push(m("M", "2026-10", 10.0));
        measurements.push(m("M", "2026-11", 20.0));
        measurements.push(m("Q", "2026-K3", 7.0));
        Dataset {
            units: vec![Unit {
                code: "K".into(),
                name: "Kommunen".into(),
                parent: None,
                level: None,
            }],
            indicators: vec![ind("M", Frequency::Maned), ind("Q", Frequency::Kvartal)],
            targets: vec![Target {
                indicator: "M".into(),
                unit: None,
                year: 2026,
                target: 8.0,
                red_limit: None,
                reference: None,
            }],
            measurements,
            ..Dataset::default()
        }
    }

    fn nov() -> Month {
        Month::new(2026, 11).unwrap()
    }

    #[test]
    fn a_quarter_two_months_in_is_provisional_with_an_unknown_trend() {
        let e = Engine::new(quarter_dataset()).unwrap();
        let k4 = Period::parse("2026-K4").unwrap();
        let mut card = e.scorecard("K", &k4).unwrap();
        // Before marking, the engine reads the period as complete.
        assert!(card.complete);
        assert_eq!((card.months_covered, card.months_total), (3, 3));
        mark_scorecard(&mut card, &k4, nov());
        assert!(!card.complete);
        // October and November have ended, December has not: 2 of 3.
        assert_eq!((card.months_covered, card.months_total), (2, 3));
        let r = &card.perspectives[2].indicators[0];
        assert!(r.provisional);
        assert_eq!((r.months_covered, r.months_total), (2, 3));
        // The status computed on October + November stays in the JSON: 10 + 20 = 30 against
        // the quarter's target 3 × 8 = 24 (høy) → green; but it is not compared with the
        // whole 3. kvartal (15), so the trend is unknown.
        assert_eq!(r.display.as_deref(), Some("30"));
        assert_eq!(r.status, Status::Green);
        assert_eq!(r.trend, Trend::Unknown);
        assert_eq!(r.previous.value, Some(15.0));
    }

    #[test]
    fn a_provisional_quarter_counts_coverage_over_the_months_ended() {
        let e = Engine::new(quarter_dataset()).unwrap();
        let k4 = Period::parse("2026-K4").unwrap();
        let mut card = e.scorecard("K", &k4).unwrap();
        // The engine alone expects October, November and December: 2 of 3 reported.
        let m = &card.perspectives[2].indicators[0];
        assert_eq!(
            (m.reported_cells, m.expected_cells, m.missing_units),
            (2, 3, 1)
        );
        e.mark_progress(&mut card, &k4, nov());
        // December has not ended: 2 of 2, complete, nobody missing.
        let m = &card.perspectives[2].indicators[0];
        assert_eq!(
            (m.reported_cells, m.expected_cells, m.missing_units),
            (2, 2, 0)
        );
        assert!(m.complete);
        assert_eq!(m.coverage, Some(1.0));
        // Q (quarterly) has no span ended in 4. kvartal: nothing is expected yet.
        let q = &card.perspectives[2].indicators[1];
        assert_eq!(q.code, "Q");
        assert!(q.provisional);
        assert_eq!(
            (q.expected_cells, q.missing_units, q.coverage),
            (0, 0, None)
        );
    }

    #[test]
    fn a_complete_quarter_keeps_its_trend() {
        let e = Engine::new(quarter_dataset()).unwrap();
        let k3 = Period::parse("2026-K3").unwrap();
        let mut card = e.scorecard("K", &k3).unwrap();
        mark_scorecard(&mut card, &k3, nov());
        assert!(card.complete);
        assert_eq!((card.months_covered, card.months_total), (3, 3));
        let r = &card.perspectives[2].indicators[0];
        assert!(!r.provisional);
        // 3. kvartal: 5 + 5 + 5 = 15 against 2. kvartal's 3 × 4 = 12: higher is better;
        // 15 < 24 → red, and final.
        assert_eq!(r.display.as_deref(), Some("15"));
        assert_eq!(r.status, Status::Red);
        assert_eq!(r.trend, Trend::Better);
    }

    #[test]
    fn a_month_not_yet_ended_is_zero_of_one() {
        let e = Engine::new(quarter_dataset()).unwrap();
        let dec = Period::parse("2026-12").unwrap();
        let mut card = e.scorecard("K", &dec).unwrap();
        mark_scorecard(&mut card, &dec, nov());
        assert!(!card.complete);
        assert_eq!((card.months_covered, card.months_total), (0, 1));
        assert_eq!(provisional_text(0, 1), "Foreløpig · 0 av 1 måned");
        assert_eq!(provisional_text(2, 3), "Foreløpig · 2 av 3 måneder");
    }

    #[test]
    fn a_coarser_indicator_is_judged_by_the_period_it_shows() {
        // A quarterly indicator asked for November 2026 shows 3. kvartal (ended): not
        // provisional although the asked month is the last full one.
        let mut r = Engine::new(quarter_dataset())
            .unwrap()
            .evaluate("Q", "K", &Period::parse("2026-11").unwrap())
            .unwrap();
        assert_eq!(r.period, "2026-K3");
        mark_result(&mut r, nov());
        assert!(!r.provisional);
        assert_eq!((r.months_covered, r.months_total), (3, 3));
    }
}
