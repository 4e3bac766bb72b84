//! The engine end to end on small hand-computed datasets, and the Σ/Σ law as a property.

use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::model::{Direction, Frequency, Measurement, Target, UnitRollup};

fn unit(code: &str, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: format!("Enhet {code}"),
        parent: parent.map(Into::into),
        level: None,
    }
}

fn indicator(
    code: &str,
    direction: Direction,
    frequency: Frequency,
    aggregation: Aggregation,
) -> Indicator {
    Indicator::new(
        code,
        &format!("Indikator {code}"),
        Perspective::Organisasjon,
        direction,
        frequency,
        aggregation,
    )
}

fn p(text: &str) -> Period {
    Period::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn value(ind: &str, unit: &str, span: &str, value: f64) -> Measurement {
    Measurement {
        indicator: ind.into(),
        unit: unit.into(),
        span: p(span),
        figure: Figure::Value { value },
    }
}

fn ratio(ind: &str, unit: &str, span: &str, numerator: f64, denominator: f64) -> Measurement {
    Measurement {
        indicator: ind.into(),
        unit: unit.into(),
        span: p(span),
        figure: Figure::Ratio {
            numerator,
            denominator,
        },
    }
}

fn target(ind: &str, unit: Option<&str>, year: i32, target: f64, red_limit: Option<f64>) -> Target {
    Target {
        indicator: ind.into(),
        unit: unit.map(Into::into),
        year,
        target,
        red_limit,
        reference: None,
    }
}

fn engine(data: Dataset) -> Engine {
    Engine::new(data).unwrap_or_else(|e| panic!("{e}"))
}

fn eval(e: &Engine, ind: &str, unit: &str, period: &str) -> IndicatorResult {
    e.evaluate(ind, unit, &p(period))
        .unwrap_or_else(|err| panic!("{err}"))
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 1e-9 * b.abs().max(1.0))
}

/// K (kommune) → S (sektor) → A, B, C, D, E.
fn sector_units() -> Vec<Unit> {
    vec![
        unit("K", None),
        unit("S", Some("K")),
        unit("A", Some("S")),
        unit("B", Some("S")),
        unit("C", Some("S")),
        unit("D", Some("S")),
        unit("E", Some("S")),
    ]
}

#[test]
fn quarter_ratio_weights_by_denominator() {
    let mut sf = indicator("SF", Direction::Lav, Frequency::Maned, Aggregation::Brok);
    sf.unit_label = "%".into();
    let e = engine(Dataset {
        units: vec![unit("K", None)],
        indicators: vec![sf],
        measurements: vec![
            ratio("SF", "K", "2026-07", 10.0, 100.0),  // 10 %
            ratio("SF", "K", "2026-08", 30.0, 1000.0), // 3 %
            ratio("SF", "K", "2026-09", 2.0, 100.0),   // 2 %
        ],
        ..Dataset::default()
    });
    let r = eval(&e, "SF", "K", "2026-K3");
    // (10 + 30 + 2) / (100 + 1000 + 100) × 100 = 42 / 1200 × 100 = 3.5, not (10 + 3 + 2) / 3 = 5.
    assert!(close(r.value, 3.5), "{:?}", r.value);
    assert_eq!((r.numerator, r.denominator), (Some(42.0), Some(1200.0)));
    assert_eq!(r.display.as_deref(), Some("3,5 %"));
    assert_eq!(r.period, "2026-K3");
}

#[test]
fn sector_ratio_includes_its_units_and_its_own_figures() {
    let e = engine(Dataset {
        units: sector_units(),
        indicators: vec![indicator(
            "SF",
            Direction::Lav,
            Frequency::Maned,
            Aggregation::Brok,
        )],
        measurements: vec![
            ratio("SF", "A", "2026-09", 6.0, 200.0),  // 3 %
            ratio("SF", "B", "2026-09", 21.0, 300.0), // 7 %
            ratio("SF", "S", "2026-09", 14.5, 80.0),  // registered on the sector itself
            ratio("SF", "A", "2026-08", 99.0, 100.0), // another month: not counted
        ],
        ..Dataset::default()
    });
    // (6 + 21 + 14.5) / (200 + 300 + 80) × 100 = 41.5 / 580 × 100 = 7.155172…
    let s = eval(&e, "SF", "S", "2026-09");
    assert!(close(s.value, 4150.0 / 580.0), "{:?}", s.value);
    assert_eq!(s.display.as_deref(), Some("7,2"));
    // The kommune has no figures of its own: the same sums.
    assert!(close(eval(&e, "SF", "K", "2026-09").value, 4150.0 / 580.0));
    // Drill-down: one row per child, in code order; C, D, E have no data.
    let kids = e
        .children("SF", "S", &p("2026-09"))
        .unwrap_or_else(|err| panic!("{err}"));
    let rows: Vec<(&str, Option<f64>)> = kids
        .iter()
        .map(|(u, r)| (u.code.as_str(), r.value))
        .collect();
    assert_eq!(
        rows,
        [
            ("A", Some(3.0)),
            ("B", Some(7.0)),
            ("C", None),
            ("D", None),
            ("E", None)
        ]
    );
    assert_eq!(kids[0].0.name, "Enhet A");
}

#[test]
fn ratio_with_zero_denominator_has_no_value() {
    let e = engine(Dataset {
        units: vec![unit("K", None)],
        indicators: vec![indicator(
            "R",
            Direction::Hoy,
            Frequency::Maned,
            Aggregation::Brok,
        )],
        targets: vec![target("R", None, 2026, 50.0, None)],
        measurements: vec![ratio("R", "K", "2026-03", 0.0, 0.0)],
        ..Dataset::default()
    });
    let r = eval(&e, "R", "K", "2026-03");
    assert_eq!(
        (r.value, r.numerator, r.denominator),
        (None, Some(0.0), Some(0.0))
    );
    assert_eq!(r.status, Status::NoData);
    // The row is still a reported cell.
    assert_eq!((r.reported_cells, r.expected_cells), (1, 1));
}

#[test]
fn status_compares_the_displayed_value() {
    let e = engine(Dataset {
        units: vec![unit("K", None)],
        indicators: vec![
            indicator("HOY", Direction::Hoy, Frequency::Maned, Aggregation::Snitt),
            indicator("LAV", Direction::Lav, Frequency::Maned, Aggregation::Snitt),
        ],
        targets: vec![
            target("HOY", None, 2026, 7.0, Some(6.0)),
            target("LAV", None, 2026, 7.0, Some(8.0)),
        ],
        measurements: vec![
            value("HOY", "K", "2026-03", 6.96),
            value("LAV", "K", "2026-03", 6.96),
            value("LAV", "K", "2026-04", 7.04),
        ],
        ..Dataset::default()
    });
    // 6.96 is shown as 7,0 and meets the target 7.0: green in both directions (høy would be
    // yellow on the unrounded 6.96 < 7.0).
    let hoy = eval(&e, "HOY", "K", "2026-03");
    assert_eq!(
        (hoy.display.as_deref(), hoy.display_value, hoy.status),
        (Some("7,0"), Some(7.0), Status::Green)
    );
    assert_eq!(hoy.value, Some(6.96));
    let lav = eval(&e, "LAV", "K", "2026-03");
    assert_eq!(
        (lav.display.as_deref(), lav.status),
        (Some("7,0"), Status::Green)
    );
    // 7.04 is shown as 7,0: still green for lav (yellow if compared unrounded).
    assert_eq!(eval(&e, "LAV", "K", "2026-04").status, Status::Green);
}

#[test]
fn sum_target_is_scaled_by_the_number_of_spans() {
    let e = engine(Dataset {
        units: vec![unit("K", None)],
        indicators: vec![indicator(
            "BES",
            Direction::Hoy,
            Frequency::Maned,
            Aggregation::Sum,
        )],
        targets: vec![target("BES", None, 2026, 100.0, Some(80.0))],
        measurements: vec![
            value("BES", "K", "2026-07", 110.0),
            value("BES", "K", "2026-08", 90.0),
            value("BES", "K", "2026-09", 105.0),
        ],
        ..Dataset::default()
    });
    // Quarter: 110 + 90 + 105 = 305 against 3 × 100 = 300 (red 3 × 80 = 240) → green.
    let q = eval(&e, "BES", "K", "2026-K3");
    assert_eq!(
        (q.value, q.target, q.red_limit),
        (Some(305.0), Some(300.0), Some(240.0))
    );
    assert_eq!(
        (q.status, q.target_source),
        (Status::Green, Some(TargetSource::Default))
    );
    // August alone: 90 against 100 (red 80) → yellow.
    let m = eval(&e, "BES", "K", "2026-08");
    assert_eq!((m.target, m.status), (Some(100.0), Status::Yellow));
}

#[test]
fn coarser_indicator_shows_its_latest_span_ending_by_the_period() {
    let e = engine(Dataset {
        units: vec![unit("K", None)],
        indicators: vec![
            indicator("KV", Direction::Hoy, Frequency::Kvartal, Aggregation::Snitt),
            indicator("AR", Direction::Hoy, Frequency::Ar, Aggregation::Snitt),
        ],
        targets: vec![
            target("AR", None, 2025, 10.0, None),
            target("AR", None, 2026, 50.0, None),
        ],
        measurements: vec![
            value("KV", "K", "2025-K1", 3.0),
            value("KV", "K", "2025-K4", 3.5),
            value("KV", "K", "2026-K1", 4.0),
            value("KV", "K", "2026-K2", 5.0),
            value("AR", "K", "2025", 12.0),
            value("AR", "K", "2026", 99.0),
        ],
        ..Dataset::default()
    });
    // May 2026: K2 ends in June, so the latest quarter ending by May is K1.
    let kv = eval(&e, "KV", "K", "2026-05");
    assert_eq!((kv.period.as_str(), kv.value), ("2026-K1", Some(4.0)));
    assert_eq!(
        kv.previous,
        PeriodValue {
            period: "2025-K4".into(),
            value: Some(3.5),
            masked: None
        }
    );
    assert_eq!(
        kv.last_year,
        PeriodValue {
            period: "2025-K1".into(),
            value: Some(3.0),
            masked: None
        }
    );
    // 2026-K3 ends in September: the latest whole year is 2025, and so is the target year.
    let ar = eval(&e, "AR", "K", "2026-K3");
    assert_eq!(
        (ar.period.as_str(), ar.value, ar.target),
        ("2025", Some(12.0), Some(10.0))
    );
    assert_eq!(ar.status, Status::Green);
}

#[test]
fn coverage_counts_expected_and_reported_cells() {
    let e = engine(Dataset {
        units: sector_units(),
        indicators: vec![indicator(
            "N",
            Direction::Hoy,
            Frequency::Maned,
            Aggregation::Sum,
        )],
        measurements: vec![
            value("N", "A", "2026-01", 1.0),
            value("N", "A", "2026-02", 1.0),
            value("N", "B", "2026-01", 1.0),
            value("N", "B", "2026-02", 1.0),
            value("N", "C", "2026-01", 1.0),
            value("N", "C", "2026-02", 1.0),
            value("N", "D", "2026-01", 1.0),
            // D has not reported February, but has reported in the same year (June).
            value("N", "D", "2026-06", 1.0),
            // E reported only in 2025: not expected in a 2026 period.
            value("N", "E", "2025-12", 1.0),
        ],
        ..Dataset::default()
    });
    // Expected: A, B, C, D (S and E have nothing in 2026) × 2 months = 8 cells; reported
    // 2 + 2 + 2 + 1 = 7 → 7 / 8 = 0.875; D is the one unit missing a month.
    let r = eval(&e, "N", "S", "2026-01..2026-02");
    assert_eq!((r.reported_cells, r.expected_cells), (7, 8));
    assert_eq!(r.coverage, Some(0.875));
    assert!(!r.complete);
    assert_eq!((r.expected_units, r.missing_units), (4, 1));
    // Sum over the subtree: 7 values of 1.
    assert_eq!(r.value, Some(7.0));
    // January alone is complete: 4 / 4.
    let jan = eval(&e, "N", "S", "2026-01");
    assert_eq!(
        (jan.coverage, jan.complete, jan.missing_units),
        (Some(1.0), true, 0)
    );
    // A unit with nothing expected: no coverage at all.
    let none = eval(&e, "N", "E", "2026-01");
    assert_eq!(
        (none.coverage, none.complete, none.expected_cells),
        (None, false, 0)
    );
}

#[test]
fn trend_with_direction_lav_judges_displayed_values() {
    let e = engine(Dataset {
        units: vec![unit("K", None)],
        indicators: vec![indicator(
            "SF",
            Direction::Lav,
            Frequency::Maned,
            Aggregation::Snitt,
        )],
        measurements: vec![
            value("SF", "K", "2025-09", 7.84),
            value("SF", "K", "2026-07", 7.21),
            value("SF", "K", "2026-08", 7.24),
            value("SF", "K", "2026-09", 6.91),
        ],
        ..Dataset::default()
    });
    // September 6.9 after August 7.2: a fall, which is better for lav.
    let sep = eval(&e, "SF", "K", "2026-09");
    assert_eq!(sep.trend, Trend::Better);
    assert_eq!(
        sep.previous,
        PeriodValue {
            period: "2026-08".into(),
            value: Some(7.24),
            masked: None
        }
    );
    assert_eq!(
        sep.last_year,
        PeriodValue {
            period: "2025-09".into(),
            value: Some(7.84),
            masked: None
        }
    );
    // August 7.24 and July 7.21 both show 7,2: unchanged, though the raw value rose.
    assert_eq!(eval(&e, "SF", "K", "2026-08").trend, Trend::Unchanged);
    // July after an empty June: unknown.
    assert_eq!(eval(&e, "SF", "K", "2026-07").trend, Trend::Unknown);
}

#[test]
fn snitt_rolls_up_as_the_mean_of_the_units_values() {
    let e = engine(Dataset {
        units: sector_units(),
        indicators: vec![indicator(
            "TS",
            Direction::Hoy,
            Frequency::Maned,
            Aggregation::Snitt,
        )],
        measurements: vec![
            value("TS", "A", "2026-07", 2.0),
            value("TS", "A", "2026-08", 4.0),
            value("TS", "B", "2026-07", 10.0),
            value("TS", "B", "2026-08", 10.0),
            value("TS", "B", "2026-09", 10.0),
        ],
        ..Dataset::default()
    });
    // A: (2 + 4) / 2 = 3 (September missing, not zero); B: 10; C–E: no value.
    // S = (3 + 10) / 2 = 6.5 — not the mean of all five rows, (2 + 4 + 10 + 10 + 10) / 5 = 7.2.
    assert_eq!(eval(&e, "TS", "S", "2026-K3").value, Some(6.5));
    assert_eq!(eval(&e, "TS", "A", "2026-K3").value, Some(3.0));
}

#[test]
fn siste_takes_each_units_latest_span_then_sums() {
    let e = engine(Dataset {
        units: sector_units(),
        indicators: vec![indicator(
            "ANS",
            Direction::Hoy,
            Frequency::Maned,
            Aggregation::Siste,
        )],
        measurements: vec![
            value("ANS", "A", "2026-08", 7.0),
            value("ANS", "A", "2026-07", 5.0),
            value("ANS", "B", "2026-07", 3.0),
            value("ANS", "B", "2026-10", 100.0), // after the quarter
        ],
        ..Dataset::default()
    });
    // A's latest in K3 is August (7), B's is July (3): 7 + 3 = 10.
    assert_eq!(eval(&e, "ANS", "S", "2026-K3").value, Some(10.0));
}

#[test]
fn ingen_uses_the_units_own_figures_only() {
    let mut own = indicator("OWN", Direction::Hoy, Frequency::Maned, Aggregation::Sum);
    own.unit_rollup = UnitRollup::Ingen;
    let summed = indicator("SUM", Direction::Hoy, Frequency::Maned, Aggregation::Sum);
    let e = engine(Dataset {
        units: sector_units(),
        indicators: vec![own, summed],
        measurements: vec![
            value("OWN", "S", "2026-09", 4.0),
            value("OWN", "A", "2026-09", 100.0),
            value("SUM", "S", "2026-09", 4.0),
            value("SUM", "A", "2026-09", 100.0),
        ],
        ..Dataset::default()
    });
    let r = eval(&e, "OWN", "S", "2026-09");
    // Only S's own 4; coverage looks at S alone (1 of 1).
    assert_eq!(
        (r.value, r.expected_units, r.reported_cells),
        (Some(4.0), 1, 1)
    );
    // The same figures with roll-up sum: 4 + 100 = 104.
    assert_eq!(eval(&e, "SUM", "S", "2026-09").value, Some(104.0));
    // The kommune has no own figures for OWN.
    assert_eq!(eval(&e, "OWN", "K", "2026-09").value, None);
}

#[test]
fn no_data_and_no_target() {
    let e = engine(Dataset {
        units: vec![unit("K", None)],
        indicators: vec![
            indicator("OBS", Direction::Hoy, Frequency::Maned, Aggregation::Sum),
            indicator("TOM", Direction::Hoy, Frequency::Maned, Aggregation::Sum),
        ],
        targets: vec![target("TOM", None, 2026, 1.0, None)],
        measurements: vec![value("OBS", "K", "2026-09", 0.0)],
        ..Dataset::default()
    });
    // Zero is a value: an observation without target.
    let obs = eval(&e, "OBS", "K", "2026-09");
    assert_eq!(
        (obs.value, obs.status, obs.target),
        (Some(0.0), Status::NoTarget, None)
    );
    let tom = eval(&e, "TOM", "K", "2026-09");
    assert_eq!(
        (tom.value, tom.display, tom.status),
        (None, None, Status::NoData)
    );
    assert_eq!(tom.target, Some(1.0));
}

#[test]
fn unit_target_wins_over_the_default() {
    let e = engine(Dataset {
        units: sector_units(),
        indicators: vec![indicator(
            "SF",
            Direction::Lav,
            Frequency::Maned,
            Aggregation::Snitt,
        )],
        targets: vec![
            target("SF", None, 2026, 7.0, Some(8.0)),
            target("SF", Some("A"), 2026, 5.0, None),
        ],
        measurements: vec![
            value("SF", "A", "2026-09", 6.0),
            value("SF", "B", "2026-09", 6.0),
        ],
        ..Dataset::default()
    });
    // A: 6.0 against its own 5.0 without red limit → red; B: 6.0 against the default 7.0 → green.
    let a = eval(&e, "SF", "A", "2026-09");
    assert_eq!(
        (a.target, a.target_source, a.status),
        (Some(5.0), Some(TargetSource::Unit), Status::Red)
    );
    let b = eval(&e, "SF", "B", "2026-09");
    assert_eq!(
        (b.target, b.target_source, b.status),
        (Some(7.0), Some(TargetSource::Default), Status::Green)
    );
    // No target for 2027 at all.
    assert_eq!(eval(&e, "SF", "A", "2027-01").target_source, None);
}

#[test]
fn scorecard_groups_perspectives_goals_and_relevant_indicators() {
    let ind = |code: &str, perspective: Perspective, goal: Option<&str>| {
        let mut i = indicator(code, Direction::Hoy, Frequency::Maned, Aggregation::Sum);
        i.perspective = perspective;
        i.goal = goal.map(Into::into);
        i
    };
    let builtin = {
        let mut i = ind("SYK", Perspective::Organisasjon, None);
        i.builtin = true;
        i
    };
    let e = engine(Dataset {
        units: vec![
            unit("K", None),
            unit("S1", Some("K")),
            unit("S2", Some("K")),
            unit("A", Some("S1")),
        ],
        indicators: vec![
            ind("O3", Perspective::Organisasjon, Some("Nærvær")),
            ind("O1", Perspective::Organisasjon, Some("Kompetanse")),
            ind("O2", Perspective::Organisasjon, Some("Nærvær")),
            ind("B1", Perspective::Brukere, None),
            ind("T1", Perspective::Brukere, None),
            builtin,
        ],
        sick_leave: Vec::new(),
        economy: Vec::new(),
        actions: Vec::new(),
        surveys: Vec::new(),
        survey_results: Vec::new(),
        references: Vec::new(),
        figures: Vec::new(),
        perspective_names: vec![(Perspective::Brukere, "Brukerne våre".into())],
        targets: vec![
            target("O1", None, 2026, 10.0, None),
            target("O2", None, 2026, 10.0, Some(5.0)),
            target("O3", None, 2026, 10.0, None),
            // T1 has no figures, but a target for A: relevant to S1.
            target("T1", Some("A"), 2026, 1.0, None),
        ],
        measurements: vec![
            value("O1", "A", "2026-09", 12.0), // green
            value("O2", "A", "2026-09", 7.0),  // yellow
            value("O3", "A", "2026-09", 1.0),  // red
            value("B1", "S2", "2026-09", 1.0), // only in the other sector
        ],
    });
    let card = e
        .scorecard("S1", &p("2026-09"))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        card.unit,
        UnitRef {
            code: "S1".into(),
            name: "Enhet S1".into()
        }
    );
    assert_eq!(card.period, "2026-09");
    let keys: Vec<Perspective> = card.perspectives.iter().map(|x| x.key).collect();
    assert_eq!(keys, Perspective::ALL);
    let names: Vec<&str> = card.perspectives.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Lokalsamfunn",
            "Brukerne våre",
            "Organisasjon og medarbeidere",
            "Økonomi"
        ]
    );
    let codes = |k: usize| {
        card.perspectives[k]
            .indicators
            .iter()
            .map(|r| r.code.clone())
            .collect::<Vec<_>>()
    };
    // B1 is only registered in S2: not on S1's målkart. T1 (target in S1) and SYK (built-in) are.
    assert_eq!(codes(1), ["T1"]);
    assert_eq!(codes(2), ["O1", "O2", "O3", "SYK"]);
    let org = &card.perspectives[2];
    // green, yellow, red, no_data (SYK has no figures): red overall.
    assert_eq!(org.status, Status::Red);
    assert_eq!(
        (
            org.counts.green,
            org.counts.yellow,
            org.counts.red,
            org.counts.no_data
        ),
        (1, 1, 1, 1)
    );
    // Goals in order of first appearance by indicator code: O1 → Kompetanse, O2 → Nærvær.
    let goals: Vec<(&str, Status)> = org
        .goals
        .iter()
        .map(|g| (g.name.as_str(), g.status))
        .collect();
    assert_eq!(
        goals,
        [("Kompetanse", Status::Green), ("Nærvær", Status::Red)]
    );
    // Nothing in lokalsamfunn: present, empty, no_data.
    assert_eq!(
        (
            card.perspectives[0].indicators.len(),
            card.perspectives[0].status
        ),
        (0, Status::NoData)
    );
    // Brukere: T1 has a target but no value → no_data.
    assert_eq!(card.perspectives[1].status, Status::NoData);
    // The root shows every indicator.
    let root = e
        .scorecard("K", &p("2026-09"))
        .unwrap_or_else(|err| panic!("{err}"));
    let total: usize = root.perspectives.iter().map(|x| x.indicators.len()).sum();
    assert_eq!(total, 6);
}

#[test]
fn series_is_oldest_first_in_the_indicators_own_spans() {
    let e = engine(Dataset {
        units: vec![unit("K", None)],
        indicators: vec![
            indicator("M", Direction::Hoy, Frequency::Maned, Aggregation::Sum),
            indicator("KV", Direction::Hoy, Frequency::Kvartal, Aggregation::Sum),
        ],
        measurements: vec![
            value("M", "K", "2026-07", 1.0),
            value("M", "K", "2026-09", 3.0),
            value("KV", "K", "2026-K1", 10.0),
            value("KV", "K", "2026-K2", 20.0),
        ],
        ..Dataset::default()
    });
    let s = e
        .series("M", "K", &p("2026-09"), 3)
        .unwrap_or_else(|err| panic!("{err}"));
    let got: Vec<(&str, Option<f64>)> = s.iter().map(|v| (v.period.as_str(), v.value)).collect();
    assert_eq!(
        got,
        [
            ("2026-07", Some(1.0)),
            ("2026-08", None),
            ("2026-09", Some(3.0))
        ]
    );
    // Asked for August, a quarterly indicator steps back from K2 (the latest ending by August).
    let q = e
        .series("KV", "K", &p("2026-08"), 3)
        .unwrap_or_else(|err| panic!("{err}"));
    let got: Vec<(&str, Option<f64>)> = q.iter().map(|v| (v.period.as_str(), v.value)).collect();
    assert_eq!(
        got,
        [
            ("2025-K4", None),
            ("2026-K1", Some(10.0)),
            ("2026-K2", Some(20.0))
        ]
    );
}

#[test]
fn range_across_years_scales_sum_targets_and_expects_both_years() {
    let e = engine(Dataset {
        units: vec![unit("K", None), unit("A", Some("K")), unit("B", Some("K"))],
        indicators: vec![indicator(
            "N",
            Direction::Hoy,
            Frequency::Maned,
            Aggregation::Sum,
        )],
        targets: vec![target("N", None, 2026, 10.0, Some(5.0))],
        measurements: vec![
            value("N", "A", "2025-11", 4.0),
            value("N", "A", "2025-12", 4.0),
            value("N", "A", "2026-01", 4.0),
            // B reported only in March 2025: expected, since the range touches 2025.
            value("N", "B", "2025-03", 50.0),
        ],
        ..Dataset::default()
    });
    let r = eval(&e, "N", "K", "2025-11..2026-01");
    // 4 + 4 + 4 = 12 against 3 × 10 = 30 (red 3 × 5 = 15) → red; target year 2026 (January).
    assert_eq!(
        (r.value, r.target, r.red_limit, r.status),
        (Some(12.0), Some(30.0), Some(15.0), Status::Red)
    );
    // A and B expected × 3 months = 6 cells, 3 reported; B is missing all three.
    assert_eq!(
        (r.reported_cells, r.expected_cells, r.missing_units),
        (3, 6, 1)
    );
    // The range before is the three months before it.
    assert_eq!(
        r.previous,
        PeriodValue {
            period: "2025-08..2025-10".into(),
            value: None,
            masked: None
        }
    );
}

#[test]
fn engine_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Engine>();
}

#[test]
fn cycle_in_the_unit_tree_is_refused() {
    let result = Engine::new(Dataset {
        units: vec![unit("K", None), unit("A", Some("B")), unit("B", Some("A"))],
        ..Dataset::default()
    });
    assert!(matches!(result, Err(EngineError::Cycle(_))));
}

#[test]
fn unknown_unit_or_indicator_is_an_error() {
    let e = engine(Dataset {
        units: vec![unit("K", None)],
        indicators: vec![indicator(
            "M",
            Direction::Hoy,
            Frequency::Maned,
            Aggregation::Sum,
        )],
        ..Dataset::default()
    });
    assert_eq!(
        e.evaluate("M", "X", &p("2026-01")).err(),
        Some(EngineError::UnknownUnit("X".into()))
    );
    assert_eq!(
        e.evaluate("Q", "K", &p("2026-01")).err(),
        Some(EngineError::UnknownIndicator("Q".into()))
    );
    assert!(e.scorecard("X", &p("2026-01")).is_err());
}

#[test]
fn misfit_measurements_are_not_used() {
    let e = engine(Dataset {
        units: vec![unit("K", None)],
        indicators: vec![indicator(
            "KV",
            Direction::Hoy,
            Frequency::Kvartal,
            Aggregation::Sum,
        )],
        measurements: vec![
            value("KV", "K", "2026-K1", 5.0),
            value("KV", "K", "2026-02", 1000.0), // a month for a quarterly indicator
            ratio("KV", "K", "2026-K1", 1.0, 2.0), // a ratio for a sum indicator
            value("KV", "NOWHERE", "2026-K1", 1000.0), // an unknown unit
        ],
        ..Dataset::default()
    });
    assert_eq!(eval(&e, "KV", "K", "2026-K1").value, Some(5.0));
}

proptest! {
    /// However a ratio's rows are spread over the units of any tree, the root's value is
    /// factor × Σ numerator / Σ denominator of all of them (the later of two rows for the
    /// same unit and month replacing the earlier).
    #[test]
    fn ratio_rolls_up_to_sum_over_sum_for_any_grouping(
        parents in prop::collection::vec(any::<prop::sample::Index>(), 0..25),
        cells in prop::collection::vec(
            (any::<prop::sample::Index>(), 0u32..3, 0.0f64..1000.0, 0.5f64..1000.0),
            1..80,
        ),
    ) {
        let n = parents.len() + 1;
        // Codes descend while indexes ascend, so that pre-order (by code) differs from input.
        let code = |k: usize| format!("E{:02}", 99 - k);
        let mut units = vec![unit(&code(0), None)];
        for (i, parent) in parents.iter().enumerate() {
            units.push(unit(&code(i + 1), Some(&code(parent.index(i + 1)))));
        }
        let mut direct: HashMap<(usize, u32), (f64, f64)> = HashMap::new();
        let mut measurements = Vec::new();
        for (u, month, num, den) in &cells {
            let u = u.index(n);
            direct.insert((u, *month), (*num, *den));
            measurements.push(ratio("R", &code(u), &format!("2026-{:02}", 7 + month), *num, *den));
        }
        let e = engine(Dataset {
            units,
            indicators: vec![indicator("R", Direction::Hoy, Frequency::Maned, Aggregation::Brok)],
            measurements,
            ..Dataset::default()
        });
        let (num, den) = direct.values().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
        let expected = 100.0 * num / den;
        let got = eval(&e, "R", &code(0), "2026-K3").value;
        prop_assert!(got.is_some_and(|v| (v - expected).abs() <= 1e-9 * expected.abs().max(1e-12)),
            "got {got:?}, expected {expected}");
    }
}

/// Tiltak in the målkart (tiltak.md §2): counted per goal over the subtree, late judged by
/// the period shown, and `rød uten tiltak` on a red indicator no open tiltak names.
#[test]
fn tiltak_are_counted_per_goal_over_the_subtree_and_answer_for_red_indicators() {
    use crate::model::{Action, ActionKind, ActionStatus};
    let ind = |code: &str, goal: &str| {
        let mut i = indicator(code, Direction::Hoy, Frequency::Maned, Aggregation::Sum);
        i.perspective = Perspective::Organisasjon;
        i.goal = Some(goal.into());
        i
    };
    let action =
        |code: &str, unit: &str, goal: &str, status, deadline: &str, inds: &[&str]| Action {
            code: code.into(),
            title: format!("Tiltak {code}"),
            description: None,
            goal: goal.into(),
            success_factor: None,
            unit: unit.into(),
            responsible: "Leder".into(),
            kind: ActionKind::Tiltak,
            decision_ref: None,
            start: None,
            deadline: Some(deadline.into()),
            status,
            progress: if status == ActionStatus::Fullfort {
                100
            } else {
                30
            },
            cost_ore: None,
            indicators: inds.iter().map(|s| s.to_string()).collect(),
        };
    let data = |actions: Vec<Action>| Dataset {
        units: vec![
            unit("K", None),
            unit("S1", Some("K")),
            unit("S2", Some("K")),
            unit("A", Some("S1")),
        ],
        indicators: vec![
            ind("N1", "Nærvær"),
            ind("N2", "Nærvær"),
            ind("K1", "Kompetanse"),
        ],
        targets: vec![
            target("N1", None, 2026, 10.0, Some(5.0)),
            target("N2", None, 2026, 10.0, Some(5.0)),
            target("K1", None, 2026, 10.0, Some(5.0)),
        ],
        measurements: vec![
            value("N1", "A", "2026-04", 1.0),  // red (below 5)
            value("N2", "A", "2026-04", 12.0), // green
            value("K1", "A", "2026-04", 2.0),  // red
            value("K1", "S2", "2026-04", 2.0), // red in the other sector
        ],
        actions,
        ..Dataset::default()
    };
    let both = vec![
        // A is under S1: counted for A, S1 and K.
        action("T1", "A", "Nærvær", ActionStatus::Pagar, "2026-03", &["N1"]),
        action(
            "T2",
            "S1",
            "Nærvær",
            ActionStatus::IkkeStartet,
            "2026-06",
            &[],
        ),
        action(
            "T3",
            "S1",
            "Kompetanse",
            ActionStatus::Fullfort,
            "2026-04",
            &["K1"],
        ),
        // S2's tiltak: only K sees it.
        action(
            "T4",
            "S2",
            "Kompetanse",
            ActionStatus::Utsatt,
            "2026-02",
            &["K1"],
        ),
    ];
    let e = engine(data(both.clone()));
    // Looked at in April 2026, long after it ended ("now": last full month November).
    let now = crate::period::Month::new(2026, 11).unwrap();
    let card = |e: &Engine, unit: &str| {
        let mut card = e.scorecard(unit, &p("2026-04")).unwrap();
        e.mark_actions(&mut card, &p("2026-04"), now);
        card
    };
    let goal = |c: &Scorecard, name: &str| {
        c.perspectives
            .iter()
            .flat_map(|p| &p.goals)
            .find(|g| g.name == name)
            .map(|g| (g.actions.total, g.actions.late))
            .unwrap()
    };
    let flag = |c: &Scorecard, code: &str| {
        c.perspectives
            .iter()
            .flat_map(|p| &p.indicators)
            .find(|r| r.code == code)
            .map(|r| (r.status, r.red_without_action))
            .unwrap()
    };
    // S1 (S1 + A): Nærvær has T1 and T2; T1's deadline March ended before April → 1 late.
    // Kompetanse has T3 (fullført, never late).
    let s1 = card(&e, "S1");
    assert_eq!(goal(&s1, "Nærvær"), (2, 1));
    assert_eq!(goal(&s1, "Kompetanse"), (1, 0));
    // N1 is red and T1 (pågår) names it; K1 is red and only the finished T3 names it.
    assert_eq!(flag(&s1, "N1"), (Status::Red, false));
    assert_eq!(flag(&s1, "K1"), (Status::Red, true));
    assert_eq!(flag(&s1, "N2"), (Status::Green, false));
    assert_eq!(
        (s1.actions.total, s1.actions.late, s1.red_without_action),
        (3, 1, 1)
    );
    // K sees all four: Kompetanse has T3 and T4 (utsatt, deadline February → late); K1 is
    // answered by T4, which is open.
    let k = card(&e, "K");
    assert_eq!(goal(&k, "Nærvær"), (2, 1));
    assert_eq!(goal(&k, "Kompetanse"), (2, 1));
    assert_eq!(flag(&k, "K1"), (Status::Red, false));
    assert_eq!(
        (k.actions.total, k.actions.late, k.red_without_action),
        (4, 2, 0)
    );
    // In March T1 is not late yet: its deadline month has not ended by the period shown.
    let mut march = e.scorecard("S1", &p("2026-03")).unwrap();
    e.mark_actions(&mut march, &p("2026-03"), now);
    assert_eq!(march.actions.late, 0);

    // Linking an open tiltak to K1 in S1 takes the flag away; completing it brings it back.
    let mut linked = both.clone();
    linked.push(action(
        "T5",
        "A",
        "Kompetanse",
        ActionStatus::Pagar,
        "2026-12",
        &["K1"],
    ));
    assert_eq!(
        flag(&card(&engine(data(linked.clone())), "S1"), "K1"),
        (Status::Red, false)
    );
    let done = linked
        .into_iter()
        .map(|a| {
            if a.code == "T5" {
                Action {
                    status: ActionStatus::Fullfort,
                    progress: 100,
                    ..a
                }
            } else {
                a
            }
        })
        .collect();
    assert_eq!(
        flag(&card(&engine(data(done)), "S1"), "K1"),
        (Status::Red, true)
    );
}
