//! Coverage over the whole year, rounding on exact decimals, status without tolerance and
//! which indicators a målkart lists (issue 18), on the issue's minimal dataset: K with
//! children A and B; `COV`, `RND`, `TOL`. And the property: what is displayed equals exact
//! decimal arithmetic rounded half away from zero.

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
    perspective: Perspective,
    direction: Direction,
    aggregation: Aggregation,
    decimals: u8,
    unit_label: &str,
) -> Indicator {
    let mut ind = Indicator::new(
        code,
        &format!("Indikator {code}"),
        perspective,
        direction,
        Frequency::Maned,
        aggregation,
    );
    ind.decimals = decimals;
    ind.unit_label = unit_label.into();
    ind
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

fn target(ind: &str, year: i32, target: f64) -> Target {
    Target {
        indicator: ind.into(),
        unit: None,
        year,
        target,
        red_limit: None,
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

/// The issue's files: K with A and B; COV (sum, 0 decimals), RND (sum, 2 decimals, kr),
/// TOL (lav, siste, 1 decimal); targets RND 158 468,49 and TOL −0,00000000001 for 2026.
fn issue_dataset() -> Dataset {
    Dataset {
        units: vec![unit("K", None), unit("A", Some("K")), unit("B", Some("K"))],
        indicators: vec![
            indicator(
                "COV",
                Perspective::Brukere,
                Direction::Hoy,
                Aggregation::Sum,
                0,
                "antall",
            ),
            indicator(
                "RND",
                Perspective::Okonomi,
                Direction::Hoy,
                Aggregation::Sum,
                2,
                "kr",
            ),
            indicator(
                "TOL",
                Perspective::Organisasjon,
                Direction::Lav,
                Aggregation::Siste,
                1,
                "antall",
            ),
        ],
        targets: vec![
            target("RND", 2026, 158_468.49),
            target("TOL", 2026, -0.000_000_000_01),
        ],
        measurements: vec![
            value("COV", "A", "2026-01", 5.0),
            value("COV", "B", "2026-03", 7.0),
            value("RND", "A", "2026-01", 158_468.485),
            value("TOL", "A", "2026-01", 0.0),
        ],
        ..Dataset::default()
    }
}

#[test]
fn coverage_expects_a_unit_that_reports_later_in_the_year() {
    let e = engine(issue_dataset());
    let r = eval(&e, "COV", "K", "2026-01");
    // A and B both have COV figures in 2026 (A in January, B in March): 2 units × 1 span
    // = 2 expected cells in January; only A's is there: coverage 1 / 2 = 0,5, B missing.
    assert_eq!(r.value, Some(5.0));
    assert_eq!((r.reported_cells, r.expected_cells), (1, 2));
    assert_eq!(r.coverage, Some(0.5));
    assert!(!r.complete);
    assert_eq!((r.expected_units, r.missing_units), (2, 1));
    // In March, B has reported and A has not: again 1 of 2.
    let march = eval(&e, "COV", "K", "2026-03");
    assert_eq!(march.value, Some(7.0));
    assert_eq!((march.reported_cells, march.expected_cells), (1, 2));
    // Q1: 2 units × 3 months = 6 expected cells, 2 reported: 2 / 6.
    let q1 = eval(&e, "COV", "K", "2026-K1");
    assert_eq!(q1.value, Some(12.0)); // 5 + 7
    assert_eq!((q1.reported_cells, q1.expected_cells), (2, 6));
    assert_eq!((q1.expected_units, q1.missing_units), (2, 2));
    // In 2025 nobody has a COV figure: nothing is expected.
    let before = eval(&e, "COV", "K", "2025-12");
    assert_eq!((before.expected_cells, before.coverage), (0, None));
}

#[test]
fn a_sum_is_rounded_on_its_exact_decimal() {
    let e = engine(issue_dataset());
    let r = eval(&e, "RND", "K", "2026-01");
    // 158 468,485 with 2 decimals, half away from zero: 158 468,49 (the float
    // 158468.48499999998… would give ,48). Target 158 468,49 × 1 span: 158 468,49 ≥ it,
    // green.
    assert_eq!(r.display.as_deref(), Some("158 468,49 kr"));
    assert_eq!(r.display_value, Some(158_468.49));
    assert_eq!(r.target, Some(158_468.49));
    assert_eq!(r.status, Status::Green);
}

#[test]
fn a_quarter_sum_is_exact_where_floats_drift() {
    // 36 724,558 + 41 641,068 + 33 322,739 = 111 688,365 → 111 688,37 with 2 decimals.
    // In f64 the three add up to 111688.36499999999 and would show ,36.
    let mut data = issue_dataset();
    data.measurements = vec![
        value("RND", "A", "2026-01", 36_724.558),
        value("RND", "A", "2026-02", 41_641.068),
        value("RND", "B", "2026-03", 33_322.739),
    ];
    let e = engine(data);
    let r = eval(&e, "RND", "K", "2026-K1");
    assert_eq!(r.display.as_deref(), Some("111 688,37 kr"));
    assert_eq!(r.display_value, Some(111_688.37));
    // The target 158 468,49 per month × 3 = 475 405,47 for the quarter: red.
    assert_eq!(r.target, Some(475_405.47));
    assert_eq!(r.status, Status::Red);
}

#[test]
fn status_is_exact_without_tolerance() {
    let e = engine(issue_dataset());
    let r = eval(&e, "TOL", "K", "2026-01");
    // lav, target −0,00000000001, value 0 (shown 0,0): 0 > −0,00000000001, no red limit:
    // red.
    assert_eq!(r.display.as_deref(), Some("0,0 antall"));
    assert_eq!(r.target, Some(-0.000_000_000_01));
    assert_eq!(r.status, Status::Red);

    // høy, target 1 000 000,000001, value 1 000 000 (0 decimals): 1 000 000 < target, red.
    let mut data = issue_dataset();
    data.targets = vec![target("COV", 2026, 1_000_000.000_001)];
    data.measurements = vec![value("COV", "A", "2026-01", 1_000_000.0)];
    let e = engine(data);
    assert_eq!(eval(&e, "COV", "K", "2026-01").status, Status::Red);
}

#[test]
fn a_sum_target_of_a_tenth_scales_exactly() {
    // 0,1 per month × 3 months = 0,3 exactly (not 0.30000000000000004); a quarter of
    // 0,1 + 0,1 + 0,1 = 0,3 meets it (høy: green) and so does the lav reading of it.
    let mut data = issue_dataset();
    data.indicators.push(indicator(
        "LAV",
        Perspective::Organisasjon,
        Direction::Lav,
        Aggregation::Sum,
        1,
        "",
    ));
    data.targets = vec![target("COV", 2026, 0.1), target("LAV", 2026, 0.1)];
    data.indicators[0].decimals = 1;
    data.measurements = ["2026-01", "2026-02", "2026-03"]
        .iter()
        .flat_map(|m| [value("COV", "A", m, 0.1), value("LAV", "A", m, 0.1)])
        .collect();
    let e = engine(data);
    for code in ["COV", "LAV"] {
        let r = eval(&e, code, "K", "2026-K1");
        assert_eq!(
            (r.target, r.display_value),
            (Some(0.3), Some(0.3)),
            "{code}"
        );
        assert_eq!(r.status, Status::Green, "{code}");
    }
}

#[test]
fn snitt_and_brok_divide_once_and_round_half_away() {
    // snitt over units: A's months 0,125 and 0,125 (mean 0,125), B's 0,1245 (mean 0,1245):
    // (0,125 + 0,1245) / 2 = 0,12475 → 0,1248 with 4 decimals (0,12475 is a tie).
    let mut mean = indicator(
        "SN",
        Perspective::Brukere,
        Direction::Hoy,
        Aggregation::Snitt,
        4,
        "",
    );
    mean.unit_rollup = UnitRollup::Snitt;
    // brøk: 100 × (1 + 0,0005) / (200 + 0) = 0,50025.
    let ratio = indicator(
        "BR",
        Perspective::Brukere,
        Direction::Hoy,
        Aggregation::Brok,
        4,
        "%",
    );
    let figure = |unit: &str, month: &str, numerator: f64, denominator: f64| Measurement {
        indicator: "BR".into(),
        unit: unit.into(),
        span: p(month),
        figure: Figure::Ratio {
            numerator,
            denominator,
        },
    };
    let e = engine(Dataset {
        units: vec![unit("K", None), unit("A", Some("K")), unit("B", Some("K"))],
        indicators: vec![mean, ratio],
        measurements: vec![
            value("SN", "A", "2026-01", 0.125),
            value("SN", "A", "2026-02", 0.125),
            value("SN", "B", "2026-01", 0.1245),
            figure("A", "2026-01", 1.0, 200.0),
            figure("B", "2026-02", 0.0005, 0.0),
        ],
        ..Dataset::default()
    });
    let sn = eval(&e, "SN", "K", "2026-K1");
    assert_eq!(sn.display.as_deref(), Some("0,1248"));
    // 100 × 1,0005 / 200 = 0,50025 → 0,5003 with 4 decimals (a tie, away from zero).
    let br = eval(&e, "BR", "K", "2026-K1");
    assert_eq!(br.display.as_deref(), Some("0,5003 %"));
}

fn codes(card: &Scorecard) -> Vec<&str> {
    card.perspectives
        .iter()
        .flat_map(|p| p.indicators.iter().map(|i| i.code.as_str()))
        .collect()
}

#[test]
fn a_units_målkart_lists_what_its_subtree_has_figures_or_targets_for() {
    // Unit A, period 2026-03. Window: January 2024 (two years before 2026) through
    // December 2026. Each indicator has one figure on A (or a target) at the boundary.
    let mut data = issue_dataset();
    data.targets.clear();
    data.measurements.clear();
    let figures = [
        ("OLD", "2023-12"),   // three years back: left out
        ("EDGE", "2024-01"),  // January two years back: listed
        ("LATER", "2026-12"), // after the period, same year: listed (coverage expects it)
        ("NEXT", "2027-01"),  // after the period's year: left out
    ];
    for (code, month) in figures {
        data.indicators.push(indicator(
            code,
            Perspective::Brukere,
            Direction::Hoy,
            Aggregation::Sum,
            0,
            "",
        ));
        data.measurements.push(value(code, "A", month, 1.0));
    }
    // RND has a target for A (in another year): listed. COV has a figure only on B: not
    // A's. TOL: nothing at all.
    data.targets.push(Target {
        unit: Some("A".into()),
        ..target("RND", 2020, 1.0)
    });
    data.measurements.push(value("COV", "B", "2026-03", 7.0));
    let e = engine(data);

    let a = e
        .scorecard("A", &p("2026-03"))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(codes(&a), ["EDGE", "LATER", "RND"]);
    // Left out: OLD, NEXT, COV, TOL = 4.
    assert_eq!(a.left_out_without_data, 4);

    // B reports COV in March: in January B's målkart lists it (B is expected, missing).
    let b = e
        .scorecard("B", &p("2026-01"))
        .unwrap_or_else(|err| panic!("{err}"));
    assert!(codes(&b).contains(&"COV"));
    // The root lists every indicator and leaves none out.
    let k = e
        .scorecard("K", &p("2026-03"))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(codes(&k).len(), 7);
    assert_eq!(k.left_out_without_data, 0);
}

/// An exact rational rounded half away from zero to `d` decimals, written as plain text
/// (`-12,30`): the test's own arithmetic, independent of the engine's.
fn expected_text(num: i128, den: i128, d: u32) -> String {
    let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
    let t = num * 10i128.pow(d);
    let (mut q, r) = (t / den, t % den);
    if 2 * r.abs() >= den {
        q += t.signum();
    }
    let digits = format!("{:0>width$}", q.abs(), width = d as usize + 1);
    let (int, frac) = digits.split_at(digits.len() - d as usize);
    let sign = if q < 0 { "-" } else { "" };
    if d == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int},{frac}")
    }
}

/// The displayed text without grouping spaces and with an ASCII minus.
fn plain(display: Option<&str>) -> String {
    display
        .unwrap_or("")
        .replace(' ', "")
        .replace('\u{2212}', "-")
}

/// A random decimal as (digits, scale) with up to four decimals. Magnitudes up to 10^12;
/// with four decimals up to 5 × 10^11, as an `f64` (what SQLite stores) holds a
/// four-decimal number exactly only below 2^39 ≈ 5,5 × 10^11.
fn decimal_input() -> impl Strategy<Value = (i128, u32)> {
    (0u32..=4).prop_flat_map(|scale| {
        let bound: i128 = if scale == 4 {
            5 * 10i128.pow(11)
        } else {
            10i128.pow(12)
        };
        let limit = (bound * 10i128.pow(scale)) as i64;
        prop_oneof![(-limit..=limit), (-1000i64..=1000),]
            .prop_map(move |digits| (i128::from(digits), scale))
    })
}

fn as_f64((digits, scale): (i128, u32)) -> f64 {
    crate::number::Decimal { digits, scale }.to_f64()
}

/// (num, den) with the value at scale 4: digits × 10^(4 − scale).
fn at_scale_4((digits, scale): (i128, u32)) -> i128 {
    digits * 10i128.pow(4 - scale)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn displayed_values_equal_exact_decimal_arithmetic(
        cells in proptest::collection::vec(
            (0usize..3, 0usize..3, decimal_input(), decimal_input()),
            1..9,
        ),
        decimals in 0u8..=4,
    ) {
        // Units K (root, itself a reporting unit), A, B; months 2026-01..03; one figure
        // per (unit, month) — the first drawn wins.
        let units = ["K", "A", "B"];
        let months = ["2026-01", "2026-02", "2026-03"];
        let mut seen = std::collections::HashSet::new();
        let cells: Vec<_> = cells.into_iter().filter(|c| seen.insert((c.0, c.1))).collect();
        let mut sum = indicator("SUM", Perspective::Okonomi, Direction::Hoy, Aggregation::Sum, decimals, "");
        sum.unit_rollup = UnitRollup::Sum;
        let mut mean = indicator("SN", Perspective::Okonomi, Direction::Hoy, Aggregation::Snitt, decimals, "");
        mean.unit_rollup = UnitRollup::Snitt;
        let ratio = indicator("BR", Perspective::Okonomi, Direction::Hoy, Aggregation::Brok, decimals, "");
        let mut measurements = Vec::new();
        for &(u, m, a, b) in &cells {
            measurements.push(value("SUM", units[u], months[m], as_f64(a)));
            measurements.push(value("SN", units[u], months[m], as_f64(a)));
            measurements.push(Measurement {
                indicator: "BR".into(),
                unit: units[u].into(),
                span: p(months[m]),
                figure: Figure::Ratio { numerator: as_f64(a), denominator: as_f64(b) },
            });
        }
        let e = engine(Dataset {
            units: vec![unit("K", None), unit("A", Some("K")), unit("B", Some("K"))],
            indicators: vec![sum, mean, ratio],
            measurements,
            ..Dataset::default()
        });
        let d = u32::from(decimals);
        let scale = 10i128.pow(4);

        // sum: Σ values.
        let total: i128 = cells.iter().map(|c| at_scale_4(c.2)).sum();
        let r = eval(&e, "SUM", "K", "2026-K1");
        prop_assert_eq!(plain(r.display.as_deref()), expected_text(total, scale, d));

        // snitt of snitt: each unit's mean over its months, then the mean over units:
        // Σ_u (S_u / n_u) / U over a common denominator Π n_u.
        let per_unit: Vec<(i128, i128)> = (0..3)
            .filter_map(|u| {
                let own: Vec<i128> = cells.iter().filter(|c| c.0 == u).map(|c| at_scale_4(c.2)).collect();
                (!own.is_empty()).then(|| (own.iter().sum(), own.len() as i128))
            })
            .collect();
        let product: i128 = per_unit.iter().map(|&(_, n)| n).product();
        let num: i128 = per_unit.iter().map(|&(s, n)| s * (product / n)).sum();
        let den = product * per_unit.len() as i128 * scale;
        let r = eval(&e, "SN", "K", "2026-K1");
        prop_assert_eq!(plain(r.display.as_deref()), expected_text(num, den, d));

        // brøk: 100 × Σ numerator / Σ denominator (no value when Σ denominator is 0).
        let numerator: i128 = cells.iter().map(|c| at_scale_4(c.2)).sum();
        let denominator: i128 = cells.iter().map(|c| at_scale_4(c.3)).sum();
        let r = eval(&e, "BR", "K", "2026-K1");
        if denominator == 0 {
            prop_assert_eq!(r.display, None);
        } else {
            prop_assert_eq!(
                plain(r.display.as_deref()),
                expected_text(100 * numerator, denominator, d)
            );
        }
    }

    #[test]
    fn status_is_green_at_the_shown_value_and_red_one_step_above(
        input in decimal_input(),
        decimals in 0u8..=4,
    ) {
        // høy, target = the displayed value: green; target one unit of the last displayed
        // decimal higher: red (no red limit). Exactly, at magnitudes where a target with
        // four decimals is itself exact as an f64 (below 2^39).
        prop_assume!(as_f64(input).abs() < 5e11);
        let ind = indicator("X", Perspective::Okonomi, Direction::Hoy, Aggregation::Sum, decimals, "");
        let data = |t: f64| Dataset {
            units: vec![unit("K", None)],
            indicators: vec![ind.clone()],
            targets: vec![target("X", 2026, t)],
            measurements: vec![value("X", "K", "2026-01", as_f64(input))],
            ..Dataset::default()
        };
        let shown = eval(&engine(data(0.0)), "X", "K", "2026-01").display_value;
        let shown = shown.unwrap_or(f64::NAN);
        let d = crate::number::Decimal::from_f64(shown)
            .unwrap_or(crate::number::Decimal { digits: 0, scale: 0 });
        let step = crate::number::Decimal { digits: d.digits * 10i128.pow(u32::from(decimals) - d.scale.min(u32::from(decimals))) + 1, scale: u32::from(decimals) };
        prop_assert_eq!(eval(&engine(data(shown)), "X", "K", "2026-01").status, Status::Green);
        prop_assert_eq!(eval(&engine(data(step.to_f64())), "X", "K", "2026-01").status, Status::Red);
    }
}
