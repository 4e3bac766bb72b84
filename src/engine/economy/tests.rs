//! The economy rules and report on a small hand-computed dataset, the spreads, and their
//! laws as properties.

use proptest::prelude::*;

use super::super::{Dataset, Engine, Status};
use super::*;
use crate::model::{
    Aggregation, Direction, EconomyMonth, Frequency, Indicator, Perspective, Target, Unit,
};
use crate::period::{Month, Period};

fn unit(code: &str, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: format!("Enhet {code}"),
        parent: parent.map(Into::into),
        level: None,
    }
}

fn builtin(code: &str) -> Indicator {
    let mut ind = Indicator::new(
        code,
        code,
        Perspective::Okonomi,
        Direction::Hoy,
        Frequency::Maned,
        Aggregation::Brok,
    );
    ind.builtin = true;
    ind
}

fn p(text: &str) -> Period {
    Period::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// Kroner to øre, for readable test data.
fn kr(k: i64) -> Option<i64> {
    Some(k * 100)
}

fn row(
    unit: &str,
    month: &str,
    budget: Option<i64>,
    actual: Option<i64>,
    forecast: Option<i64>,
) -> EconomyMonth {
    EconomyMonth {
        unit: unit.into(),
        month: p(month).first(),
        budget,
        actual,
        forecast,
    }
}

/// 1000 (nothing of its own) > A (2000, expenses) and B (3000, net income).
/// A: budsjett 100 000 kr each month; regnskap Jan 90 000, Feb 110 000, none in March;
///    prognose 1 150 000 made in February and 1 300 000 made in April.
/// B: budsjett −50 000 kr each month; regnskap Jan −60 000, Feb −40 000, Mar −55 000; no
///    prognose.
fn dataset() -> Dataset {
    let mut economy = Vec::new();
    for m in 1..=12 {
        let month = format!("2026-{m:02}");
        let (a_actual, a_forecast) = match m {
            1 => (kr(90_000), None),
            2 => (kr(110_000), kr(1_150_000)),
            4 => (None, kr(1_300_000)),
            _ => (None, None),
        };
        economy.push(row("2000", &month, kr(100_000), a_actual, a_forecast));
        let b_actual = match m {
            1 => kr(-60_000),
            2 => kr(-40_000),
            3 => kr(-55_000),
            _ => None,
        };
        economy.push(row("3000", &month, kr(-50_000), b_actual, None));
    }
    Dataset {
        units: vec![
            unit("1000", None),
            unit("2000", Some("1000")),
            unit("3000", Some("1000")),
        ],
        indicators: vec![
            builtin("OK-AVVIK"),
            builtin("OK-FORBRUK"),
            builtin("OK-PROGNOSE"),
        ],
        targets: vec![
            Target {
                indicator: "OK-AVVIK".into(),
                unit: None,
                year: 2026,
                target: 0.0,
                red_limit: Some(-2.0),
                reference: None,
            },
            Target {
                indicator: "OK-AVVIK".into(),
                unit: Some("3000".into()),
                year: 2026,
                target: 5.0,
                red_limit: Some(4.0),
                reference: None,
            },
        ],
        economy,
        ..Dataset::default()
    }
}

fn engine() -> Engine {
    Engine::new(dataset()).unwrap_or_else(|e| panic!("{e}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn value(e: &Engine, code: &str, unit: &str, period: &str) -> Option<f64> {
    e.evaluate(code, unit, &p(period))
        .unwrap_or_else(|err| panic!("{err}"))
        .value
}

#[test]
fn spread_of_an_amount_that_does_not_divide_by_twelve_puts_the_rest_in_december() {
    // 2 500 000,05 kr = 250 000 005 øre; / 12 = 20 833 333,75 → 20 833 333 per month;
    // December 250 000 005 − 11 × 20 833 333 = 250 000 005 − 229 166 663 = 20 833 342.
    let months = spread_even(250_000_005);
    assert_eq!(&months[..11], &[20_833_333; 11]);
    assert_eq!(months[11], 20_833_342);
    // Negative (net income): truncated toward zero, so −20 833 333 and December −20 833 342.
    let months = spread_even(-250_000_005);
    assert_eq!(&months[..11], &[-20_833_333; 11]);
    assert_eq!(months[11], -20_833_342);
}

#[test]
fn spread_by_profile_follows_the_shares_and_december_takes_the_rest() {
    // Profile 1 in January–November and 2 in December, Σ 13: 10 000 × 1 / 13 = 769,2 → 769;
    // December 10 000 − 11 × 769 = 10 000 − 8 459 = 1 541.
    let mut profile = [1; 12];
    profile[11] = 2;
    let months = spread_by_profile(10_000, &profile);
    assert_eq!(&months[..11], &[769; 11]);
    assert_eq!(months[11], 1_541);
    // A July dip: profile 10 everywhere, 0 in July, Σ 110: 1 100 × 10 / 110 = 100.
    let mut profile = [10; 12];
    profile[6] = 0;
    let months = spread_by_profile(1_100, &profile);
    assert_eq!(
        months,
        [100, 100, 100, 100, 100, 100, 0, 100, 100, 100, 100, 100]
    );
    // A profile that sums to 0 spreads evenly: 1 200 / 12 = 100.
    assert_eq!(spread_by_profile(1_200, &[0; 12]), [100; 12]);
    // Negative amount: −1 000 × 1 / 13 = −76,9 → −76; December −1 000 + 11 × 76 = −164.
    let mut profile = [1; 12];
    profile[11] = 2;
    let months = spread_by_profile(-1_000, &profile);
    assert_eq!(&months[..11], &[-76; 11]);
    assert_eq!(months[11], -164);
}

#[test]
fn report_rows_are_subtree_totals_year_to_date_with_the_specs_signs() {
    let e = engine();
    let r = e
        .economy_report("1000", &p("2026-K1"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.through, "2026-03");
    assert_eq!(r.period, "2026-K1");
    let codes: Vec<&str> = r.rows.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(codes, ["1000", "2000", "3000"]);
    assert_eq!(
        r.rows.iter().map(|x| x.depth).collect::<Vec<_>>(),
        [0, 1, 1]
    );

    let a = &r.rows[1];
    // årsbudsjett 12 × 100 000; budsjett hittil 3 × 100 000; regnskap 90 000 + 110 000.
    assert_eq!(a.annual_budget, 1_200_000.0);
    assert_eq!(a.budget_ytd, 300_000.0);
    assert_eq!(a.actual_ytd, 200_000.0);
    assert_eq!(a.deviation, 100_000.0);
    // 100 × 100 000 / 300 000 = 33,33…; 100 × 200 000 / 1 200 000 = 16,66…
    assert!(close(a.deviation_pct.unwrap_or(f64::NAN), 100.0 / 3.0));
    assert!(close(a.spent_pct.unwrap_or(f64::NAN), 50.0 / 3.0));
    // The forecast made in February counts; the one made in April (after March) does not.
    assert_eq!(a.forecast, 1_150_000.0);
    assert_eq!(a.forecast_deviation, 50_000.0);
    assert!(!a.forecast_is_budget);

    let b = &r.rows[2];
    // Net income: årsbudsjett 12 × −50 000 = −600 000; budsjett hittil −150 000;
    // regnskap −60 000 − 40 000 − 55 000 = −155 000; avvik −150 000 − (−155 000) = +5 000
    // (more income than budgeted: mindreforbruk, positive); 100 × 5 000 / |−150 000| = 3,33…
    assert_eq!(b.annual_budget, -600_000.0);
    assert_eq!(b.budget_ytd, -150_000.0);
    assert_eq!(b.actual_ytd, -155_000.0);
    assert_eq!(b.deviation, 5_000.0);
    assert!(close(b.deviation_pct.unwrap_or(f64::NAN), 10.0 / 3.0));
    // forbruk 100 × −155 000 / −600 000 = 25,833…
    assert!(close(
        b.spent_pct.unwrap_or(f64::NAN),
        100.0 * 155.0 / 600.0
    ));
    // No forecast: counts as on budget.
    assert_eq!(b.forecast, -600_000.0);
    assert_eq!(b.forecast_deviation, 0.0);
    assert!(b.forecast_is_budget);
    assert_eq!(b.units_without_forecast, 1);

    let root = &r.rows[0];
    // 1 200 000 − 600 000; 300 000 − 150 000; 200 000 − 155 000; avvik 150 000 − 45 000.
    assert_eq!(root.annual_budget, 600_000.0);
    assert_eq!(root.budget_ytd, 150_000.0);
    assert_eq!(root.actual_ytd, 45_000.0);
    assert_eq!(root.deviation, 105_000.0);
    // 100 × 105 000 / 150 000 = 70; 100 × 45 000 / 600 000 = 7,5.
    assert!(close(root.deviation_pct.unwrap_or(f64::NAN), 70.0));
    assert!(close(root.spent_pct.unwrap_or(f64::NAN), 7.5));
    // prognose 1 150 000 + (−600 000) = 550 000; prognoseavvik 600 000 − 550 000 = 50 000.
    assert_eq!(root.forecast, 550_000.0);
    assert_eq!(root.forecast_deviation, 50_000.0);
    assert!(root.forecast_is_budget);
    assert_eq!(root.units_without_forecast, 1);
}

#[test]
fn report_status_is_ok_avvik_year_to_date_for_each_row() {
    let e = engine();
    let r = e
        .economy_report("1000", &p("2026-K1"))
        .unwrap_or_else(|e| panic!("{e}"));
    // Root: OK-AVVIK 10,0 (below) ≥ target 0 → green. A: 0,0 ≥ 0 → green.
    // B: 3,3 below its own target 5 and red limit 4 → red.
    let statuses: Vec<Status> = r.rows.iter().map(|x| x.status).collect();
    assert_eq!(statuses, [Status::Green, Status::Green, Status::Red]);
    for x in &r.rows {
        let ytd = Period::year_to_date(Month::new(2026, 3).unwrap_or(Month::from_index(0)));
        let eval = e
            .evaluate("OK-AVVIK", &x.code, &ytd)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(eval.status, x.status, "{}", x.code);
    }
}

#[test]
fn ok_avvik_counts_only_the_months_that_have_accounts() {
    let e = engine();
    // Cells with regnskap in K1: A Jan, Feb (budsjett 200 000, regnskap 200 000) and B Jan–Mar
    // (budsjett −150 000, regnskap −155 000). Σ budsjett 50 000; Σ(b − r) = 0 + 5 000;
    // 100 × 5 000 / 50 000 = 10,0 — A's March budget without accounts is left out.
    let v = value(&e, "OK-AVVIK", "1000", "2026-K1").unwrap_or(f64::NAN);
    assert!(close(v, 10.0), "{v}");
    let r = e
        .evaluate("OK-AVVIK", "1000", &p("2026-K1"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.numerator, Some(5_000.0));
    assert_eq!(r.denominator, Some(50_000.0));
    // Coverage: A and B have accounts in 2026; 3 months each, A reported 2, B 3.
    assert_eq!((r.reported_cells, r.expected_cells), (5, 6));
    assert_eq!((r.expected_units, r.missing_units), (2, 1));
    // A alone: (200 000 − 200 000) / 200 000 = 0.
    assert_eq!(value(&e, "OK-AVVIK", "2000", "2026-K1"), Some(0.0));
    // A in March: no accounts at all → no value.
    assert_eq!(value(&e, "OK-AVVIK", "2000", "2026-03"), None);
}

#[test]
fn ok_forbruk_is_accounts_over_the_annual_budget_of_the_periods_year() {
    let e = engine();
    // Root K1: 45 000 / 600 000 × 100 = 7,5.
    let v = value(&e, "OK-FORBRUK", "1000", "2026-K1").unwrap_or(f64::NAN);
    assert!(close(v, 7.5), "{v}");
    // A in February: 110 000 / 1 200 000 × 100 = 9,1666…
    let v = value(&e, "OK-FORBRUK", "2000", "2026-02").unwrap_or(f64::NAN);
    assert!(close(v, 110.0 / 12.0), "{v}");
    // A in April: no accounts → no value.
    assert_eq!(value(&e, "OK-FORBRUK", "2000", "2026-04"), None);
}

#[test]
fn ok_prognose_uses_the_latest_forecast_made_by_the_periods_last_month() {
    let e = engine();
    // Root K1: (600 000 − 550 000) / 600 000 × 100 = 8,333…
    let v = value(&e, "OK-PROGNOSE", "1000", "2026-K1").unwrap_or(f64::NAN);
    assert!(close(v, 25.0 / 3.0), "{v}");
    // A in January: no forecast yet, counts as on budget → 0.
    assert_eq!(value(&e, "OK-PROGNOSE", "2000", "2026-01"), Some(0.0));
    // A in April: the April forecast 1 300 000: (1 200 000 − 1 300 000) / 1 200 000 = −8,33…
    let v = value(&e, "OK-PROGNOSE", "2000", "2026-04").unwrap_or(f64::NAN);
    assert!(close(v, -25.0 / 3.0), "{v}");
    // B has no forecast: on budget, 0.
    assert_eq!(value(&e, "OK-PROGNOSE", "3000", "2026-K1"), Some(0.0));
}

#[test]
fn a_net_income_unit_forecasting_more_income_shows_an_expected_underspend() {
    // Årsbudsjett −1 200 000 (12 × −100 000); prognose −1 320 000 (10 % more income):
    // prognoseavvik −1 200 000 − (−1 320 000) = +120 000; 100 × 120 000 / |−1 200 000| = +10.
    let mut data = dataset();
    data.units = vec![unit("9000", None)];
    data.economy = (1..=12)
        .map(|m| {
            let f = (m == 6).then_some(-132_000_000);
            row("9000", &format!("2026-{m:02}"), kr(-100_000), None, f)
        })
        .collect();
    let e = Engine::new(data).unwrap_or_else(|e| panic!("{e}"));
    let v = value(&e, "OK-PROGNOSE", "9000", "2026-T2").unwrap_or(f64::NAN);
    assert!(close(v, 10.0), "{v}");
    let r = e
        .economy_report("9000", &p("2026-T2"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.rows[0].forecast_deviation, 120_000.0);
}

#[test]
fn a_unit_without_figures_has_no_value_and_an_unknown_unit_is_refused() {
    let mut data = dataset();
    data.units.push(unit("4000", Some("1000")));
    let e = Engine::new(data).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value(&e, "OK-AVVIK", "4000", "2026-K1"), None);
    assert_eq!(value(&e, "OK-PROGNOSE", "4000", "2026-K1"), None);
    let r = e
        .economy_report("4000", &p("2026-K1"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.rows[0].deviation_pct, None);
    assert_eq!(r.rows[0].units_without_forecast, 0);
    assert_eq!(r.rows[0].status, Status::NoData);
    assert!(e.economy_report("9999", &p("2026-K1")).is_err());
}

/// A generated cell: budget and optional accounts (øre).
type Cell = (i64, Option<i64>);

proptest! {
    #[test]
    fn spread_months_always_sum_to_the_amount(amount in -10_000_000_000_000i64..10_000_000_000_000) {
        let months = spread_even(amount);
        prop_assert_eq!(months.iter().sum::<i64>(), amount);
        // Eleven equal months, each truncated toward zero.
        prop_assert!(months[..11].iter().all(|&m| m == amount / 12));
    }

    #[test]
    fn spread_by_profile_sums_to_the_amount(
        amount in -10_000_000_000_000i64..10_000_000_000_000,
        profile in prop::array::uniform12(-1_000_000_000i64..1_000_000_000),
    ) {
        let months = spread_by_profile(amount, &profile);
        prop_assert_eq!(months.iter().sum::<i64>(), amount);
    }

    #[test]
    fn report_root_is_its_own_figures_plus_its_childrens_rows(
        cells in prop::collection::btree_map(
            (0usize..3, 1u32..=12),
            (-1_000_000_000i64..1_000_000_000, prop::option::of(-1_000_000_000i64..1_000_000_000)),
            0..36,
        ),
    ) {
        let codes = ["1000", "2000", "3000"];
        let mut data = dataset();
        data.economy = cells
            .iter()
            .map(|(&(u, m), &(b, a))| EconomyMonth {
                unit: codes[u].into(),
                month: Month::new(2026, m).unwrap_or(Month::from_index(0)),
                budget: Some(b),
                actual: a,
                forecast: None,
            })
            .collect();
        let e = Engine::new(data).unwrap_or_else(|e| panic!("{e}"));
        let r = e.economy_report("1000", &p("2026-T2")).unwrap_or_else(|e| panic!("{e}"));
        // Through August: the root's own budget and accounts in months 1..8 plus the
        // children's rows, exact in øre.
        let ore = |x: f64| (x * 100.0).round() as i64;
        let own = |f: fn(&Cell) -> i64, through: u32| -> i64 {
            cells.iter().filter(|(k, _)| k.0 == 0 && k.1 <= through).map(|(_, v)| f(v)).sum()
        };
        let kids = |f: fn(&EconomyReportRow) -> f64| -> i64 { r.rows[1..].iter().map(|x| ore(f(x))).sum() };
        prop_assert_eq!(ore(r.rows[0].budget_ytd), own(|v| v.0, 8) + kids(|x| x.budget_ytd));
        prop_assert_eq!(ore(r.rows[0].actual_ytd), own(|v| v.1.unwrap_or(0), 8) + kids(|x| x.actual_ytd));
        prop_assert_eq!(ore(r.rows[0].annual_budget), own(|v| v.0, 12) + kids(|x| x.annual_budget));
    }
}
