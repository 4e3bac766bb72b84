//! The sick-leave summary on small hand-computed datasets, and masking as a property.

use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::engine::{Dataset, Engine};
use crate::model::{
    Aggregation, Direction, Frequency, Indicator, LengthSplit, Perspective, SickLeave, Target, Unit,
};
use crate::period::{Month, Period};

pub(super) fn unit(code: &str, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: format!("Enhet {code}"),
        parent: parent.map(Into::into),
        level: None,
    }
}

fn builtins() -> Vec<Indicator> {
    CODES
        .iter()
        .map(|code| {
            let direction = if *code == "SF-N" {
                Direction::Hoy
            } else {
                Direction::Lav
            };
            let mut i = Indicator::new(
                code,
                code,
                Perspective::Organisasjon,
                direction,
                Frequency::Maned,
                Aggregation::Brok,
            );
            i.builtin = true;
            i
        })
        .collect()
}

fn month(text: &str) -> Month {
    Period::parse(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .first()
}

pub(super) fn p(text: &str) -> Period {
    Period::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// A row: contracted, self-certified, doctor-certified, employees.
pub(super) fn row(
    unit: &str,
    m: &str,
    c: f64,
    s: f64,
    d: f64,
    employees: Option<u32>,
) -> SickLeave {
    SickLeave {
        unit: unit.into(),
        month: month(m),
        contracted_days: c,
        self_certified: s,
        doctor_certified: d,
        employees,
        split: None,
    }
}

fn quarter(unit: &str, c: f64, s: f64, d: f64, employees: u32) -> Vec<SickLeave> {
    ["2026-01", "2026-02", "2026-03"]
        .iter()
        .map(|m| row(unit, m, c, s, d, Some(employees)))
        .collect()
}

pub(super) fn engine(units: Vec<Unit>, sick_leave: Vec<SickLeave>, targets: Vec<Target>) -> Engine {
    Engine::new(Dataset {
        units,
        indicators: builtins(),
        targets,
        sick_leave,
        ..Dataset::default()
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn summary(e: &Engine, unit: &str, period: &str, min: u32) -> SickLeaveSummary {
    e.sick_leave_summary(unit, &p(period), min)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn by_code(s: &SickLeaveSummary) -> HashMap<&str, &SickLeaveSummaryRow> {
    s.rows.iter().map(|r| (r.code.as_str(), r)).collect()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

pub(super) fn sf_target(unit: Option<&str>, t: f64, r: f64) -> Target {
    Target {
        indicator: "SF".into(),
        unit: unit.map(Into::into),
        year: 2026,
        target: t,
        red_limit: Some(r),
        reference: None,
    }
}

#[test]
fn a_quarter_across_units_of_different_size_is_weighted_not_averaged() {
    // K ─┬─ A: 1 000 dagsverk a month, 10 + 40 absent → 150 / 3 000 = 5,0 %
    //    └─ B:   100 dagsverk a month,  5 + 15 absent →  60 /   300 = 20,0 %
    // K = (150 + 60) / (3 000 + 300) = 210 / 3 300 = 6,3636… %; the naive mean of the
    // two percentages would be (5 + 20) / 2 = 12,5 %.
    let units = vec![unit("K", None), unit("A", Some("K")), unit("B", Some("K"))];
    let mut rows = quarter("A", 1000.0, 10.0, 40.0, 50);
    rows.extend(quarter("B", 100.0, 5.0, 15.0, 10));
    let e = engine(units, rows, vec![sf_target(None, 7.0, 8.5)]);
    let s = summary(&e, "K", "2026-K1", 5);
    let codes: Vec<&str> = s.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["K", "A", "B"]);
    let r = by_code(&s);
    assert!(close(r["K"].absence_pct, 100.0 * 210.0 / 3300.0));
    assert!(!close(r["K"].absence_pct, 12.5));
    assert!(close(r["A"].absence_pct, 5.0));
    assert!(close(r["B"].absence_pct, 20.0));
    // Egenmeldt: (30 + 15) / 3 300 = 1,3636… %; legemeldt (120 + 45) / 3 300 = 5,0 %.
    assert!(close(r["K"].self_certified_pct, 100.0 * 45.0 / 3300.0));
    assert!(close(r["K"].doctor_certified_pct, 5.0));
    assert_eq!(r["K"].contracted_days, Some(3300.0));
    assert_eq!(r["K"].absence_days, Some(210.0));
    // Employees: the largest monthly sum, 50 + 10.
    assert_eq!(r["K"].employees, Some(60));
    assert_eq!(r["K"].depth, 0);
    assert_eq!(r["B"].depth, 1);
    // The very number the engine shows for SF, for every row.
    for row in &s.rows {
        let sf = e
            .evaluate("SF", &row.code, &p("2026-K1"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(row.absence_pct, sf.value, "{}", row.code);
        assert_eq!(row.status, Some(sf.status), "{}", row.code);
        assert_eq!(row.target, sf.target, "{}", row.code);
    }
    // 6,4 ≤ 7,0: green; B 20,0 > 8,5: red.
    assert_eq!(r["K"].status, Some(Status::Green));
    assert_eq!(r["B"].status, Some(Status::Red));
    assert_eq!((s.masked_primary, s.masked_secondary), (0, 0));
}

#[test]
fn a_parent_with_its_own_figures_counts_them_in_its_row() {
    // S (own: 200 dagsverk, 2 + 8 absent, 4 persons) with child A (1 000, 10 + 40, 50).
    // S = (3 × 10 + 3 × 50) / (3 × 200 + 3 × 1 000) = 180 / 3 600 = 5,0 %; employees
    // 4 + 50 = 54. S's own 4 persons are the hidden part under S (< 5) and A is its only
    // child: A is masked so that S − A cannot reveal S's own figures.
    let units = vec![unit("S", None), unit("A", Some("S"))];
    let mut rows = quarter("S", 200.0, 2.0, 8.0, 4);
    rows.extend(quarter("A", 1000.0, 10.0, 40.0, 50));
    let e = engine(units, rows, Vec::new());
    let s = summary(&e, "S", "2026-K1", 5);
    let r = by_code(&s);
    assert!(close(r["S"].absence_pct, 5.0));
    assert_eq!(r["S"].contracted_days, Some(3600.0));
    assert_eq!(r["S"].employees, Some(54));
    assert!(!r["S"].masked);
    assert!(r["A"].masked);
    assert_eq!(r["A"].mask_reason, Some(MaskReason::Secondary));
    assert_eq!(r["A"].absence_pct, None);
    assert_eq!(r["A"].contracted_days, Some(3000.0));
    assert_eq!(r["S"].status, Some(Status::NoTarget));
    assert_eq!((s.masked_primary, s.masked_secondary), (0, 1));
    // Without masking A shows 5,0 % as well (150 / 3 000).
    let open = summary(&e, "S", "2026-K1", 0);
    assert!(close(by_code(&open)["A"].absence_pct, 5.0));
}

#[test]
fn sf_kort_and_sf_lang_count_only_rows_with_the_split() {
    // A carries the split every month: short 20 + 10, long 15 + 5 of 50 absent, 1 000
    // dagsverk. B (100 dagsverk, 20 absent) has none. K short = 3 × 30 / 3 × 1 000 = 3,0 %
    // (not 90 / 3 300 = 2,73 %), long = 3 × 20 / 3 000 = 2,0 %.
    let units = vec![unit("K", None), unit("A", Some("K")), unit("B", Some("K"))];
    let mut rows = quarter("A", 1000.0, 10.0, 40.0, 50);
    for r in &mut rows {
        r.split = Some(LengthSplit {
            days_1_3: 20.0,
            days_4_16: 10.0,
            days_17_56: 15.0,
            days_over_56: 5.0,
        });
    }
    rows.extend(quarter("B", 100.0, 5.0, 15.0, 10));
    let e = engine(units, rows, Vec::new());
    let s = summary(&e, "K", "2026-K1", 5);
    let r = by_code(&s);
    assert!(close(r["K"].short_pct, 3.0));
    assert!(close(r["K"].long_pct, 2.0));
    assert_eq!(r["B"].short_pct, None);
    let kort = e
        .evaluate("SF-KORT", "K", &p("2026-K1"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(close(kort.value, 3.0));
    // SF-N, nærvær: (3 300 − 210) / 3 300 = 93,636… %.
    let n = e
        .evaluate("SF-N", "K", &p("2026-K1"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(close(n.value, 100.0 * 3090.0 / 3300.0));
}

#[test]
fn last_year_and_the_change_on_displayed_values() {
    // 2026-01: 69,6 / 1 000 = 6,96 % → shown 7,0. 2025-01: 69,4 / 1 000 = 6,94 % → shown
    // 6,9. The change is 7,0 − 6,9 = 0,1 point, though the unrounded difference is 0,02.
    let units = vec![unit("K", None)];
    let rows = vec![
        row("K", "2026-01", 1000.0, 19.6, 50.0, Some(40)),
        row("K", "2025-01", 1000.0, 19.4, 50.0, Some(40)),
    ];
    let e = engine(units, rows, Vec::new());
    let s = summary(&e, "K", "2026-01", 5);
    assert!(close(s.rows[0].absence_pct, 6.96));
    assert!(close(s.rows[0].last_year_pct, 6.94));
    assert_eq!(s.rows[0].change_pp, Some(0.1));
}

#[test]
fn a_units_own_target_wins_over_the_default() {
    // Default 7,0 (red 8,5); B's own 25,0 (red 30,0). B at 20,0 % is green by its own
    // target, though red by the default; A at 5,0 % is green by the default.
    let units = vec![unit("K", None), unit("A", Some("K")), unit("B", Some("K"))];
    let mut rows = quarter("A", 1000.0, 10.0, 40.0, 50);
    rows.extend(quarter("B", 100.0, 5.0, 15.0, 10));
    let targets = vec![sf_target(None, 7.0, 8.5), sf_target(Some("B"), 25.0, 30.0)];
    let e = engine(units, rows, targets);
    let s = summary(&e, "K", "2026-K1", 5);
    let r = by_code(&s);
    assert_eq!(r["B"].target, Some(25.0));
    assert_eq!(r["B"].status, Some(Status::Green));
    assert_eq!(r["A"].target, Some(7.0));
    assert_eq!(r["A"].status, Some(Status::Green));
}

#[test]
fn masking_primary_secondary_and_unknown_employees() {
    // K ─┬─ S1 ─┬─ X (10)
    //    │      ├─ Y (3)   primary: below 5
    //    │      └─ Z (20)
    //    ├─ S2 (30)
    //    └─ U (no ansatte)  primary: unknown
    // Under S1 the hidden part is Y (3 < 5): X, the unmasked child with the fewest, is
    // masked too (13 ≥ 5). Under K the hidden part is U (unknown counts 0): S2 (30) is
    // the unmasked child with the fewest employees (S1 has 33), so S2 is masked.
    let units = vec![
        unit("K", None),
        unit("S1", Some("K")),
        unit("X", Some("S1")),
        unit("Y", Some("S1")),
        unit("Z", Some("S1")),
        unit("S2", Some("K")),
        unit("U", Some("K")),
    ];
    let mut rows = quarter("X", 200.0, 2.0, 8.0, 10);
    rows.extend(quarter("Y", 60.0, 1.0, 2.0, 3));
    rows.extend(quarter("Z", 400.0, 4.0, 16.0, 20));
    rows.extend(quarter("S2", 600.0, 6.0, 24.0, 30));
    for r in quarter("U", 100.0, 1.0, 4.0, 0) {
        rows.push(SickLeave {
            employees: None,
            ..r
        });
    }
    let e = engine(units, rows, Vec::new());
    let s = summary(&e, "K", "2026-K1", 5);
    let r = by_code(&s);
    assert_eq!(r["Y"].mask_reason, Some(MaskReason::FewEmployees));
    assert_eq!(r["U"].mask_reason, Some(MaskReason::UnknownEmployees));
    assert_eq!(r["U"].employees, None);
    assert_eq!(r["X"].mask_reason, Some(MaskReason::Secondary));
    assert_eq!(r["S2"].mask_reason, Some(MaskReason::Secondary));
    for code in ["K", "S1", "Z"] {
        assert!(!r[code].masked, "{code}");
    }
    assert_eq!((s.masked_primary, s.masked_secondary), (2, 2));
    // Masked rows still count in their parents' totals: K = everything.
    assert_eq!(
        r["K"].contracted_days,
        Some(3.0 * (200.0 + 60.0 + 400.0 + 600.0 + 100.0))
    );
    assert_eq!(r["Y"].status, None);
    // Off: nothing masked.
    let open = summary(&e, "K", "2026-K1", 0);
    assert!(open.rows.iter().all(|r| !r.masked));
}

// ---- the masking property

/// A random tree (each unit's parent an earlier unit), per unit: employees per month
/// (`None`: no `ansatte`), or no figures at all.
/// Per unit: employees per month, or no figures at all.
type Forest = (Vec<usize>, Vec<Option<Vec<Option<u32>>>>, u32);

fn forest() -> impl Strategy<Value = Forest> {
    (2usize..14).prop_flat_map(|n| {
        (
            proptest::collection::vec(0usize..1000, n),
            proptest::collection::vec(
                proptest::option::weighted(
                    0.85,
                    proptest::collection::vec(proptest::option::weighted(0.9, 0u32..15), 3),
                ),
                n,
            ),
            1u32..9,
        )
    })
}

proptest! {
    #[test]
    fn after_masking_no_shown_row_nor_hidden_part_is_below_the_minimum(
        (parents, data, min) in forest()
    ) {
        let n = parents.len();
        let code = |i: usize| format!("U{i:02}");
        let parent_of = |i: usize| (i > 0).then(|| parents[i] % i);
        let units: Vec<Unit> = (0..n)
            .map(|i| unit(&code(i), parent_of(i).map(code).as_deref()))
            .collect();
        let months = ["2026-01", "2026-02", "2026-03"];
        let mut rows = Vec::new();
        for (i, d) in data.iter().enumerate() {
            let Some(per_month) = d else { continue };
            for (m, employees) in months.iter().zip(per_month) {
                rows.push(row(&code(i), m, 100.0, 2.0, 3.0, *employees));
            }
        }
        let e = engine(units, rows, Vec::new());
        let s = summary(&e, "U00", "2026-K1", min);
        let shown: HashMap<String, bool> =
            s.rows.iter().map(|r| (r.code.clone(), !r.masked)).collect();
        // Independently of the implementation: a subtree's people per month.
        let children = |i: usize| (0..n).filter(move |&c| parent_of(c) == Some(i));
        fn subtree_months(
            i: usize,
            data: &[Option<Vec<Option<u32>>>],
            kids: &dyn Fn(usize) -> Vec<usize>,
        ) -> ([u64; 3], bool) {
            let mut total = [0u64; 3];
            let mut any = false;
            if let Some(per_month) = &data[i] {
                any = true;
                for (m, e) in per_month.iter().enumerate() {
                    total[m] += u64::from(e.unwrap_or(0));
                }
            }
            for c in kids(i) {
                let (t, a) = subtree_months(c, data, kids);
                any |= a;
                for m in 0..3 {
                    total[m] += t[m];
                }
            }
            (total, any)
        }
        let kids = |i: usize| children(i).collect::<Vec<_>>();
        assert_eq!(s.rows.len(), n);
        for r in &s.rows {
            let i: usize = r.code[1..].parse().unwrap_or_else(|e| panic!("{e}"));
            if r.masked {
                prop_assert!(r.absence_pct.is_none() && r.status.is_none() && r.change_pp.is_none());
                continue;
            }
            let (_, has_data) = subtree_months(i, &data, &kids);
            if has_data {
                prop_assert!(
                    r.employees.is_some_and(|e| e >= min),
                    "{} is shown with {:?} employees, minimum {min}", r.code, r.employees
                );
            }
            // The hidden part: own figures plus masked children with figures.
            let mut hidden = [0u64; 3];
            let mut nonempty = false;
            if let Some(per_month) = &data[i] {
                nonempty = true;
                for (m, e) in per_month.iter().enumerate() {
                    hidden[m] += u64::from(e.unwrap_or(0));
                }
            }
            for c in kids(i) {
                let (t, any) = subtree_months(c, &data, &kids);
                if any && !shown[&code(c)] {
                    nonempty = true;
                    for m in 0..3 {
                        hidden[m] += t[m];
                    }
                }
            }
            let people = hidden.iter().copied().max().unwrap_or(0);
            prop_assert!(
                !nonempty || people >= u64::from(min),
                "under {} the hidden part has {people} people, minimum {min}", r.code
            );
        }
        prop_assert_eq!(
            (s.masked_primary + s.masked_secondary) as usize,
            s.rows.iter().filter(|r| r.masked).count()
        );
    }
}

#[test]
fn check_names_the_column_of_each_problem() {
    let ok = row("A", "2026-01", 100.0, 5.0, 10.0, Some(5));
    assert!(check(&ok).is_empty());
    let over = row("A", "2026-01", 10.0, 5.0, 10.0, Some(5));
    let found = check(&over);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].column, "legemeldt");
    assert_eq!(
        found[0].message,
        "egenmeldt + legemeldt (5 + 10 = 15) er mer enn avtalte dagsverk (10)"
    );
    let zero = row("A", "2026-01", 0.0, 0.0, 0.0, None);
    assert_eq!(check(&zero)[0].column, "avtalte_dagsverk");
    let negative = row("A", "2026-01", 100.0, -1.0, 0.0, None);
    assert_eq!(check(&negative)[0].column, "egenmeldt");
    // Split 4 + 4 + 4 + 3 = 15 = 5 + 10 is fine; 15,02 is not (more than 0,01 off).
    let mut split = ok.clone();
    split.split = Some(LengthSplit {
        days_1_3: 4.0,
        days_4_16: 4.0,
        days_17_56: 4.0,
        days_over_56: 3.0,
    });
    assert!(check(&split).is_empty());
    split.split = Some(LengthSplit {
        days_1_3: 4.0,
        days_4_16: 4.0,
        days_17_56: 4.0,
        days_over_56: 3.02,
    });
    assert_eq!(check(&split)[0].column, "dager_1_3");
}
