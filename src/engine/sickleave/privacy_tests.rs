//! Masking on every surface (issue 19): hand-made trees where the decision is worked out by
//! hand, and a property over random trees that no masked figure can be computed from the
//! figures shown for the same period, on any surface.

use proptest::prelude::*;

use super::tests::{engine, p, row, sf_target, unit};
use super::*;
use crate::engine::{Engine, IndicatorResult, Status, Trend};
use crate::model::{LengthSplit, SickLeave};
use crate::period::Period;

const MONTHS_K1: [&str; 3] = ["2026-01", "2026-02", "2026-03"];

fn quarter_rows(unit: &str, absence: f64, employees: [u32; 3]) -> Vec<SickLeave> {
    MONTHS_K1
        .iter()
        .zip(employees)
        .map(|(m, e)| row(unit, m, 100.0, absence, 0.0, Some(e)))
        .collect()
}

fn reason(e: &Engine, unit: &str, period: &str) -> Option<MaskReason> {
    e.sick_leave_mask(unit, &p(period), 5)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn sf(e: &Engine, unit: &str, period: &str) -> IndicatorResult {
    e.evaluate_with("SF", unit, &p(period), Privacy::masked(5))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Every figure of a masked result is gone; the reason is given.
fn assert_hidden(r: &IndicatorResult) {
    assert!(r.masked.is_some(), "{} is not masked", r.code);
    assert_eq!(
        (r.value, &r.display, r.display_value, r.numerator),
        (None, &None, None, None),
        "{}",
        r.code
    );
    assert_eq!((r.previous.value, r.last_year.value), (None, None));
    assert_eq!((r.status, r.trend), (Status::NoData, Trend::Unknown));
}

#[test]
fn a_chain_below_a_masked_unit_is_masked_down_to_where_figures_differ() {
    // P ─┬─ C ── L (20)      C has no rows of its own: C's figures are L's
    //    ├─ D (30)
    //    └─ S (3)            primary
    // The spec's rule: under P the hidden part is S (3 < 5), so the child with the fewest,
    // C (20 < 30), is masked. But L shows C's figures, so L is masked as well. Then P's
    // block is S + L (3 + 20 = 23 ≥ 5), and nothing masked is a sum of shown figures:
    // P − D = C + S with C and S both hidden.
    let units = vec![
        unit("P", None),
        unit("C", Some("P")),
        unit("L", Some("C")),
        unit("D", Some("P")),
        unit("S", Some("P")),
    ];
    let mut rows = quarter_rows("L", 4.0, [20, 20, 20]);
    rows.extend(quarter_rows("D", 6.0, [30, 30, 30]));
    rows.extend(quarter_rows("S", 9.0, [3, 3, 3]));
    let e = engine(units, rows, Vec::new());
    assert_eq!(reason(&e, "S", "2026-K1"), Some(MaskReason::FewEmployees));
    assert_eq!(reason(&e, "C", "2026-K1"), Some(MaskReason::Secondary));
    assert_eq!(reason(&e, "L", "2026-K1"), Some(MaskReason::Secondary));
    assert_eq!(reason(&e, "D", "2026-K1"), None);
    assert_eq!(reason(&e, "P", "2026-K1"), None);
    for code in ["C", "L", "S"] {
        assert_hidden(&sf(&e, code, "2026-K1"));
    }
    // D and P are shown unchanged (the test's indicators have no unit label): D = 6 / 100
    // = 6,0; P = (4 + 6 + 9) / 300 = 6,33.
    let d = sf(&e, "D", "2026-K1");
    assert_eq!((d.masked, d.display.as_deref()), (None, Some("6,0")));
    let raw = e
        .evaluate("SF", "P", &p("2026-K1"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sf(&e, "P", "2026-K1"), raw);
    assert_eq!(raw.display.as_deref(), Some("6,3"));
}

#[test]
fn a_small_leaf_under_a_unit_without_own_rows_masks_both() {
    // P ─┬─ C ── L (3)    C's figures equal L's: both masked as few employees
    //    └─ D (30)        the hidden part under P is C (3 < 5): D is masked, P shown
    let units = vec![
        unit("P", None),
        unit("C", Some("P")),
        unit("L", Some("C")),
        unit("D", Some("P")),
    ];
    let mut rows = quarter_rows("L", 4.0, [3, 3, 3]);
    rows.extend(quarter_rows("D", 6.0, [30, 30, 30]));
    let e = engine(units, rows, Vec::new());
    assert_eq!(reason(&e, "L", "2026-K1"), Some(MaskReason::FewEmployees));
    assert_eq!(reason(&e, "C", "2026-K1"), Some(MaskReason::FewEmployees));
    assert_eq!(reason(&e, "D", "2026-K1"), Some(MaskReason::Secondary));
    assert_eq!(reason(&e, "P", "2026-K1"), None);
}

#[test]
fn last_years_figure_of_a_masked_child_cannot_be_worked_out_from_its_parent() {
    // P (own rows 10, this year only) ─┬─ X (3, both years)   primary
    //                                  └─ Y (20, both years)
    // This year P's block is P's own and X (10 + 3 = 13 ≥ 5): enough. But last year P had
    // no rows of its own, so X's last year would be P's last year minus Y's: Y is masked.
    let units = vec![unit("P", None), unit("X", Some("P")), unit("Y", Some("P"))];
    let mut rows = quarter_rows("P", 5.0, [10, 10, 10]);
    for (code, employees) in [("X", 3), ("Y", 20)] {
        rows.extend(quarter_rows(code, 4.0, [employees; 3]));
        for m in ["2025-01", "2025-02", "2025-03"] {
            rows.push(row(code, m, 100.0, 7.0, 0.0, Some(employees)));
        }
    }
    let e = engine(units, rows, Vec::new());
    assert_eq!(reason(&e, "X", "2026-K1"), Some(MaskReason::FewEmployees));
    assert_eq!(reason(&e, "Y", "2026-K1"), Some(MaskReason::Secondary));
    assert_eq!(reason(&e, "P", "2026-K1"), None);
    // P's last year is shown in the summary and the målkart: 2 × 7 / 200 = 7,0 %.
    let p_sf = sf(&e, "P", "2026-K1");
    assert_eq!(p_sf.last_year.value.map(|v| (v * 10.0).round()), Some(70.0));
}

#[test]
fn a_month_point_is_masked_by_that_months_decision() {
    // K ─┬─ A (10, 3, 10)   February: A is below 5; K's block is then A (3 < 5), so B is
    //    └─ B (30)          masked too. January, March and the quarter (A: 10) show both.
    let units = vec![unit("K", None), unit("A", Some("K")), unit("B", Some("K"))];
    let mut rows = quarter_rows("A", 5.0, [10, 3, 10]);
    rows.extend(quarter_rows("B", 3.0, [30, 30, 30]));
    let e = engine(units, rows, Vec::new());
    let privacy = Privacy::masked(5);
    let a = e
        .series_with("SF", "A", &p("2026-03"), 3, privacy)
        .unwrap_or_else(|e| panic!("{e}"));
    let shown: Vec<(String, Option<f64>, Option<MaskReason>)> = a
        .iter()
        .map(|x| (x.period.clone(), x.value, x.masked))
        .collect();
    assert_eq!(
        shown,
        vec![
            ("2026-01".to_string(), Some(5.0), None),
            ("2026-02".to_string(), None, Some(MaskReason::FewEmployees)),
            ("2026-03".to_string(), Some(5.0), None),
        ]
    );
    let b = e
        .series_with("SF", "B", &p("2026-03"), 3, privacy)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(b[1].masked, Some(MaskReason::Secondary));
    assert_eq!(b[1].value, None);
    // March's målkart: February is the previous period, masked; the trend is unknown.
    let march = sf(&e, "A", "2026-03");
    assert_eq!(march.masked, None);
    assert_eq!(march.value, Some(5.0));
    assert_eq!(
        (march.previous.value, march.previous.masked, march.trend),
        (None, Some(MaskReason::FewEmployees), Trend::Unknown)
    );
    // The quarter shows A: max(10, 3, 10) = 10 ≥ 5.
    assert_eq!(reason(&e, "A", "2026-K1"), None);
    // The children table of K in February: both masked, no number.
    let kids = e
        .children_with("SF", "K", &p("2026-02"), privacy)
        .unwrap_or_else(|e| panic!("{e}"));
    for (_, r) in &kids {
        assert_hidden(r);
    }
    // Unmasked access sees February: 5 / 100 = 5,0 %.
    let open = e
        .evaluate_with("SF", "A", &p("2026-02"), Privacy::unmasked())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((open.value, open.masked), (Some(5.0), None));
}

#[test]
fn the_scorecard_of_a_masked_unit_shows_no_sf_number_and_recounts_its_perspective() {
    // K ─┬─ A (3)   primary; K's block is A: B masked as well
    //    └─ B (30)
    let units = vec![unit("K", None), unit("A", Some("K")), unit("B", Some("K"))];
    let mut rows = quarter_rows("A", 17.0, [3, 3, 3]);
    rows.extend(quarter_rows("B", 3.0, [30, 30, 30]));
    let e = engine(units, rows, vec![sf_target(None, 4.0, 8.0)]);
    let card = e
        .scorecard_with("A", &p("2026-K1"), Privacy::masked(5))
        .unwrap_or_else(|e| panic!("{e}"));
    let sf_results: Vec<&IndicatorResult> = card
        .perspectives
        .iter()
        .flat_map(|x| &x.indicators)
        .filter(|r| is_sick_leave(&r.code))
        .collect();
    assert_eq!(sf_results.len(), CODES.len());
    for r in &sf_results {
        assert_hidden(r);
        assert_eq!(r.masked, Some(MaskReason::FewEmployees));
    }
    // A's SF is 17 / 100 = 17,0 % (red against 4 / 8): neither the number nor the red
    // status reaches the JSON or the perspective's colour.
    let json = serde_json::to_string(&card).unwrap_or_else(|e| panic!("{e}"));
    assert!(!json.contains("17"), "{json}");
    assert!(!json.contains("\"status\":\"red\""), "{json}");
    assert!(json.contains("\"masked\":\"few_employees\""));
    // K is shown unchanged: (17 + 3) / 600 = 3,33 %, green.
    let k = e
        .scorecard_with("K", &p("2026-K1"), Privacy::masked(5))
        .unwrap_or_else(|e| panic!("{e}"));
    let raw = e
        .scorecard("K", &p("2026-K1"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(k, raw);
    // Masking off (minimum 0) shows A.
    let open = e
        .scorecard_with("A", &p("2026-K1"), Privacy::masked(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        open,
        e.scorecard("A", &p("2026-K1"))
            .unwrap_or_else(|e| panic!("{e}"))
    );
}

#[test]
fn a_sub_units_report_hides_what_the_municipalitys_hides() {
    // K ─┬─ S ─┬─ X (10)
    //    │     └─ Y (10)
    //    └─ T (3)           primary
    // Under K the hidden part is T (3): S (20), the only other child, is masked. S has no
    // rows of its own, so S = X + Y: X (the first of the two with 10) is masked too. S's
    // own report must not show S, or K − S would give T.
    let units = vec![
        unit("K", None),
        unit("S", Some("K")),
        unit("X", Some("S")),
        unit("Y", Some("S")),
        unit("T", Some("K")),
    ];
    let mut rows = quarter_rows("X", 4.0, [10, 10, 10]);
    rows.extend(quarter_rows("Y", 5.0, [10, 10, 10]));
    rows.extend(quarter_rows("T", 6.0, [3, 3, 3]));
    let e = engine(units, rows, Vec::new());
    let s = e
        .sick_leave_summary("S", &p("2026-K1"), 5)
        .unwrap_or_else(|e| panic!("{e}"));
    let masked: Vec<(&str, Option<MaskReason>)> = s
        .rows
        .iter()
        .map(|r| (r.code.as_str(), r.mask_reason))
        .collect();
    assert_eq!(
        masked,
        vec![
            ("S", Some(MaskReason::Secondary)),
            ("X", Some(MaskReason::Secondary)),
            ("Y", None)
        ]
    );
    assert_eq!((s.masked_primary, s.masked_secondary), (0, 2));
}

// ---- the property: nothing masked can be computed from what is shown

/// Per unit: for each of the six months (2025-01..03, 2026-01..03), a row or none; a row
/// has employees (or none) and the length split or not.
type UnitData = Vec<Option<(Option<u32>, bool)>>;

fn municipality() -> impl Strategy<Value = (Vec<usize>, Vec<UnitData>, u32, usize)> {
    (2usize..11).prop_flat_map(|n| {
        (
            proptest::collection::vec(0usize..1000, n),
            proptest::collection::vec(
                proptest::collection::vec(
                    proptest::option::weighted(
                        0.7,
                        (
                            proptest::option::weighted(0.9, 0u32..12),
                            proptest::bool::weighted(0.7),
                        ),
                    ),
                    6,
                ),
                n,
            ),
            1u32..8,
            0usize..5,
        )
    })
}

const MONTHS: [&str; 6] = [
    "2025-01", "2025-02", "2025-03", "2026-01", "2026-02", "2026-03",
];
/// The periods asked (a month, the quarter, last year's quarter), each with the same
/// period twelve months later.
const PERIODS: [(&str, &str); 5] = [
    ("2026-01", "2027-01"),
    ("2026-02", "2027-02"),
    ("2026-03", "2027-03"),
    ("2026-K1", "2027-K1"),
    ("2025-K1", "2026-K1"),
];

/// Whether `target` is a linear combination of `rows` (Gaussian elimination; 0/1 vectors
/// of at most eleven units, so floating point is exact enough).
#[allow(clippy::needless_range_loop)] // row reduction reads two rows at once
fn in_span(rows: &[Vec<f64>], target: &[f64]) -> bool {
    let rank = |m: &[Vec<f64>]| {
        let mut m: Vec<Vec<f64>> = m.to_vec();
        let cols = target.len();
        let mut rank = 0;
        for c in 0..cols {
            let Some(pivot) = (rank..m.len()).find(|&r| m[r][c].abs() > 1e-9) else {
                continue;
            };
            m.swap(rank, pivot);
            for r in 0..m.len() {
                if r != rank && m[r][c].abs() > 1e-9 {
                    let f = m[r][c] / m[rank][c];
                    for k in 0..cols {
                        m[r][k] -= f * m[rank][k];
                    }
                }
            }
            rank += 1;
        }
        rank
    };
    let mut with = rows.to_vec();
    with.push(target.to_vec());
    rank(rows) == rank(&with)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]
    #[test]
    fn no_masked_figure_can_be_computed_from_the_figures_shown_for_its_period(
        (parents, data, min, which) in municipality()
    ) {
        let n = parents.len();
        let code = |i: usize| format!("U{i:02}");
        let parent_of = |i: usize| (i > 0).then(|| parents[i] % i);
        let units: Vec<_> = (0..n)
            .map(|i| unit(&code(i), parent_of(i).map(code).as_deref()))
            .collect();
        let mut rows = Vec::new();
        for (i, months) in data.iter().enumerate() {
            for (m, cell) in MONTHS.iter().zip(months) {
                let Some((employees, split)) = cell else { continue };
                let mut r = row(&code(i), m, 100.0, 2.0 + i as f64, 1.0, *employees);
                if *split {
                    r.split = Some(LengthSplit {
                        days_1_3: 1.0,
                        days_4_16: 1.0,
                        days_17_56: 1.0 + i as f64,
                        days_over_56: 0.0,
                    });
                }
                rows.push(r);
            }
        }
        let e = engine(units, rows, Vec::new());
        let period = p(PERIODS[which].0);
        let privacy = Privacy::masked(min);
        let within = |i: usize, j: usize| {
            let mut k = Some(j);
            while let Some(x) = k {
                if x == i {
                    return true;
                }
                k = parent_of(x);
            }
            false
        };
        // Which units have rows (and rows with the split) in the period.
        let in_period = |i: usize, split_only: bool| {
            MONTHS.iter().zip(&data[i]).any(|(m, cell)| {
                cell.is_some_and(|(_, s)| !split_only || s) && period.contains(p(m).first())
            })
        };
        let vector = |i: usize, split_only: bool| -> Vec<f64> {
            (0..n)
                .map(|j| f64::from(u8::from(within(i, j) && in_period(j, split_only))))
                .collect()
        };
        // Everything any surface shows of the period's figures, per kind of figure.
        let mut shown: [Vec<Vec<f64>>; 2] = [Vec::new(), Vec::new()];
        let next = period.next();
        let next_year = p(PERIODS[which].1);
        for i in 0..n {
            let c = code(i);
            let ask = |ind: &str, per: &Period| {
                e.evaluate_with(ind, &c, per, privacy).unwrap_or_else(|e| panic!("{e}"))
            };
            if ask("SF", &period).value.is_some() { shown[0].push(vector(i, false)); }
            if ask("SF-E", &period).value.is_some() { shown[0].push(vector(i, false)); }
            if ask("SF-KORT", &period).value.is_some() { shown[1].push(vector(i, true)); }
            if ask("SF", &next).previous.value.is_some() { shown[0].push(vector(i, false)); }
            if ask("SF", &next_year).last_year.value.is_some() { shown[0].push(vector(i, false)); }
            let series = e
                .series_with("SF", &c, &period, 1, privacy)
                .unwrap_or_else(|e| panic!("{e}"));
            if series[0].value.is_some() { shown[0].push(vector(i, false)); }
            for (rep, ly) in [(&period, false), (&next_year, true)] {
                let s = e.sick_leave_summary(&c, rep, min).unwrap_or_else(|e| panic!("{e}"));
                for r in &s.rows {
                    let j: usize = r.code[1..].parse().unwrap_or_else(|e| panic!("{e}"));
                    let figure = if ly { r.last_year_pct } else { r.absence_pct };
                    if figure.is_some() { shown[0].push(vector(j, false)); }
                    if !ly && r.short_pct.is_some() { shown[1].push(vector(j, true)); }
                }
            }
        }
        for i in 0..n {
            let masked = e
                .sick_leave_mask(&code(i), &period, min)
                .unwrap_or_else(|e| panic!("{e}"));
            let r = e
                .evaluate_with("SF", &code(i), &period, privacy)
                .unwrap_or_else(|e| panic!("{e}"));
            prop_assert_eq!(r.masked, masked);
            if masked.is_none() {
                continue;
            }
            prop_assert!(r.value.is_none() && r.numerator.is_none());
            for (kind, split_only) in [(0, false), (1, true)] {
                let v = vector(i, split_only);
                if v.iter().all(|&x| x == 0.0) {
                    continue;
                }
                prop_assert!(
                    !in_span(&shown[kind], &v),
                    "{} ({:?}) in {} can be computed from shown figures (kind {})",
                    code(i), masked, period, kind
                );
            }
        }
    }
}
