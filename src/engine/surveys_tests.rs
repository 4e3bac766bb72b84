//! Survey results in the engine: masking worked out by hand, the round compared with the
//! one before it, no roll-up, reference series; and a property over random trees that no
//! masked score can be computed from the scores and counts shown.

use proptest::prelude::*;

use super::*;
use crate::engine::{Dataset, Engine, IndicatorResult, Status, Trend};
use crate::model::{
    Aggregation, Direction, Perspective, ReferenceValue, Survey, SurveyKind, SurveyResult, Target,
    Unit, UnitRollup, TEN_FACTOR,
};
use crate::period::Period;

fn unit(code: &str, parent: Option<&str>) -> Unit {
    Unit {
        code: code.to_string(),
        name: format!("Enhet {code}"),
        parent: parent.map(str::to_string),
        level: None,
    }
}

fn tf1() -> Indicator {
    Indicator {
        builtin: true,
        unit_rollup: UnitRollup::Ingen,
        ..Indicator::new(
            "TF-1",
            "Mestringsorientert ledelse",
            Perspective::Organisasjon,
            Direction::Hoy,
            Frequency::Ar,
            Aggregation::Snitt,
        )
    }
}

fn result(unit: &str, year: i32, score: f64, respondents: u32) -> SurveyResult {
    SurveyResult {
        survey: TEN_FACTOR.to_string(),
        indicator: "TF-1".to_string(),
        unit: unit.to_string(),
        year,
        score,
        respondents,
    }
}

fn engine(units: Vec<Unit>, results: Vec<SurveyResult>) -> Engine {
    engine_min(units, results, 3)
}

fn engine_min(units: Vec<Unit>, results: Vec<SurveyResult>, min: u32) -> Engine {
    Engine::new(Dataset {
        units,
        indicators: vec![tf1()],
        targets: vec![Target {
            indicator: "TF-1".to_string(),
            unit: None,
            year: 2026,
            target: 4.0,
            red_limit: Some(3.5),
            reference: None,
        }],
        surveys: vec![Survey {
            min_respondents: min,
            ..Survey::new(TEN_FACTOR, SurveyKind::TenFactor)
        }],
        survey_results: results,
        references: vec![ReferenceValue {
            indicator: "TF-1".to_string(),
            series: "Landet".to_string(),
            period: "2026".to_string(),
            value: 4.27,
        }],
        ..Dataset::default()
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn p(text: &str) -> Period {
    Period::parse(text).unwrap_or_else(|e| panic!("{e:?}"))
}

fn tf(e: &Engine, unit: &str, period: &str) -> IndicatorResult {
    e.evaluate("TF-1", unit, &p(period))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn assert_hidden(r: &IndicatorResult) {
    assert!(r.masked.is_some(), "{} is not masked", r.code);
    assert_eq!((r.value, &r.display, r.display_value), (None, &None, None));
    assert_eq!((r.previous.value, r.last_year.value), (None, None));
    assert_eq!((r.status, r.trend), (Status::NoData, Trend::Unknown));
    assert_eq!(r.survey.as_ref().and_then(|s| s.respondents), None);
}

#[test]
fn a_score_of_two_respondents_is_masked_and_one_of_three_is_shown() {
    // 10-FAKTOR's minimum is 3: A (2 svar) is below it, B (3 svar) is not. Neither has a
    // parent with a result, so nothing can be worked out from a parent.
    let e = engine(
        vec![unit("K", None), unit("A", Some("K")), unit("B", Some("K"))],
        vec![result("A", 2026, 4.5, 2), result("B", 2026, 3.9, 3)],
    );
    let a = tf(&e, "A", "2026-K3");
    assert_eq!(a.masked, Some(MaskReason::FewRespondents));
    assert_hidden(&a);
    let b = tf(&e, "B", "2026-K3");
    assert_eq!(b.masked, None);
    assert_eq!(b.display.as_deref(), Some("3,9"));
    assert_eq!(b.survey.as_ref().and_then(|s| s.respondents), Some(3));
    // 3,9 < 4,0 and ≥ 3,5: yellow.
    assert_eq!(b.status, Status::Yellow);
    // K has no result of its own: the children's scores are not rolled up.
    assert_eq!(tf(&e, "K", "2026-K3").value, None);
}

#[test]
fn one_masked_sibling_under_a_parent_with_no_own_respondents_masks_the_next_smallest() {
    // P (12 svar) ─┬─ A (2)  primary: 2 < 3
    //              ├─ B (4)
    //              └─ C (6)
    // P's own respondents: 12 − (2 + 4 + 6) = 0. Shown P, B and C would give A away:
    // 12 × P − 4 × B − 6 × C = 2 × A. P's block holds only A's 2 < 3, so the shown child
    // with the fewest respondents, B (4 < 6), is masked too; then the block is 2 + 4 = 6
    // ≥ 3 and 12 × P − 6 × C gives only A and B together.
    let e = engine(
        vec![
            unit("P", None),
            unit("A", Some("P")),
            unit("B", Some("P")),
            unit("C", Some("P")),
        ],
        vec![
            result("P", 2026, 4.0, 12),
            result("A", 2026, 3.0, 2),
            result("B", 2026, 4.0, 4),
            result("C", 2026, 4.5, 6),
        ],
    );
    assert_eq!(tf(&e, "A", "2026").masked, Some(MaskReason::FewRespondents));
    assert_eq!(tf(&e, "B", "2026").masked, Some(MaskReason::Secondary));
    assert_hidden(&tf(&e, "B", "2026"));
    assert_eq!(tf(&e, "C", "2026").masked, None);
    assert_eq!(tf(&e, "P", "2026").display.as_deref(), Some("4,0"));
    // The children as the detail view lists them: the same decision.
    let children = e
        .children("TF-1", "P", &p("2026"))
        .unwrap_or_else(|e| panic!("{e}"));
    let masked: Vec<(&str, Option<MaskReason>)> = children
        .iter()
        .map(|(u, r)| (u.code.as_str(), r.masked))
        .collect();
    assert_eq!(
        masked,
        vec![
            ("A", Some(MaskReason::FewRespondents)),
            ("B", Some(MaskReason::Secondary)),
            ("C", None)
        ]
    );
}

#[test]
fn a_parent_with_enough_own_respondents_hides_a_small_child_without_more_masking() {
    // P (15 svar) ─┬─ A (2), B (4), C (6): P's own 15 − 12 = 3 respondents. P's block is
    // its own 3 and A's 2 = 5 ≥ 3: 15 × P − 4 × B − 6 × C is A's and P's own together.
    let e = engine(
        vec![
            unit("P", None),
            unit("A", Some("P")),
            unit("B", Some("P")),
            unit("C", Some("P")),
        ],
        vec![
            result("P", 2026, 4.0, 15),
            result("A", 2026, 3.0, 2),
            result("B", 2026, 4.0, 4),
            result("C", 2026, 4.5, 6),
        ],
    );
    assert_eq!(tf(&e, "A", "2026").masked, Some(MaskReason::FewRespondents));
    assert_eq!(tf(&e, "B", "2026").masked, None);
    assert_eq!(tf(&e, "C", "2026").masked, None);
}

#[test]
fn the_trend_compares_with_the_round_two_years_back() {
    // Rounds 2024 and 2026 (none in 2025). In 2026-K3 the målkart shows the 2026 round:
    // 4,1 against 2024's 3,8 is better, and 4,1 ≥ 4,0 is green. Asked in 2025, the latest
    // round up to then is 2024.
    let e = engine(
        vec![unit("K", None), unit("X", Some("K"))],
        vec![result("X", 2024, 3.8, 10), result("X", 2026, 4.1, 12)],
    );
    let r = tf(&e, "X", "2026-K3");
    assert_eq!(r.period, "2026");
    assert_eq!(r.display.as_deref(), Some("4,1"));
    assert_eq!(
        (r.previous.period.as_str(), r.previous.value),
        ("2024", Some(3.8))
    );
    assert_eq!(r.trend, Trend::Better);
    assert_eq!(r.status, Status::Green);
    assert_eq!(r.survey.as_ref().map(|s| s.min_respondents), Some(3));
    assert_eq!(tf(&e, "X", "2025-K2").period, "2024");
    // The reference series of the round, rounded like the indicator: 4,27 → 4,3.
    let refs: Vec<(&str, &str)> = r
        .references
        .iter()
        .map(|x| (x.series.as_str(), x.display.as_str()))
        .collect();
    assert_eq!(refs, vec![("Landet", "4,3")]);
    // A round is complete when stored: not provisional in November of its year.
    let mut marked = r.clone();
    crate::engine::progress::mark_result(
        &mut marked,
        crate::period::Month::from_index(2026 * 12 + 10),
    );
    assert!(!marked.provisional);
    assert_eq!(marked.trend, Trend::Better);
    // The series steps from round to round.
    let series = e
        .series("TF-1", "X", &p("2026"), 2)
        .unwrap_or_else(|e| panic!("{e}"));
    let points: Vec<(&str, Option<f64>)> = series
        .iter()
        .map(|x| (x.period.as_str(), x.value))
        .collect();
    assert_eq!(points, vec![("2024", Some(3.8)), ("2026", Some(4.1))]);
}

#[test]
fn a_previous_round_that_masked_the_unit_hides_the_trend() {
    // 2024: X had 2 respondents (masked); 2026: 8. The 2026 score is shown, the 2024 one
    // and the trend are not.
    let e = engine(
        vec![unit("K", None), unit("X", Some("K"))],
        vec![result("X", 2024, 3.0, 2), result("X", 2026, 4.2, 8)],
    );
    let r = tf(&e, "X", "2026");
    assert_eq!(r.display.as_deref(), Some("4,2"));
    assert_eq!(r.previous.value, None);
    assert_eq!(r.previous.masked, Some(MaskReason::FewRespondents));
    assert_eq!(r.trend, Trend::Unknown);
    let series = e
        .series("TF-1", "X", &p("2026"), 2)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(series[0].value, None);
    assert_eq!(series[0].masked, Some(MaskReason::FewRespondents));
}

// ---------------------------------------------------------------------------------------
// Property: no masked score can be computed from what is shown.

/// Whether `target` is a rational combination of `rows` (0/1 vectors): Gaussian elimination
/// over the rationals, kept in integers.
fn in_span(rows: &[Vec<i128>], target: &[i128]) -> bool {
    let rank = |m: &[Vec<i128>]| -> usize {
        let mut m: Vec<Vec<i128>> = m.to_vec();
        let cols = target.len();
        let mut rank = 0;
        for c in 0..cols {
            let Some(pivot) = (rank..m.len()).find(|&r| m[r][c] != 0) else {
                continue;
            };
            m.swap(rank, pivot);
            for r in 0..m.len() {
                if r != rank && m[r][c] != 0 {
                    let (a, b) = (m[rank][c], m[r][c]);
                    let pivot_row = m[rank].clone();
                    for (x, y) in m[r].iter_mut().zip(&pivot_row) {
                        *x = *x * a - y * b;
                    }
                    let g = m[r].iter().fold(0i128, |g, &x| gcd(g, x.abs()));
                    if g > 1 {
                        m[r].iter_mut().for_each(|x| *x /= g);
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

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// A random tree of up to nine units, each with 0–6 respondents of its own; a random
    /// subset reports a result (its count is everyone in its subtree). Unknowns are the
    /// score sums of each unit's own respondents; each shown result gives the sum over its
    /// subtree. No masked result's subtree sum may be a combination of the shown ones, and
    /// every result below the minimum is masked.
    #[test]
    fn no_masked_score_can_be_computed_from_shown_ones(
        parents in prop::collection::vec(0usize..9, 1..9),
        own in prop::collection::vec(0u32..7, 9),
        reports in prop::collection::vec(prop::bool::weighted(0.8), 9),
        min in 2u32..6,
    ) {
        let n = parents.len() + 1;
        // Unit k's parent is one before it: pre-order by construction.
        let parent: Vec<Option<usize>> = (0..n)
            .map(|k| if k == 0 { None } else { Some(parents[k - 1] % k) })
            .collect();
        let codes: Vec<String> = (0..n).map(|k| format!("U{k}")).collect();
        let in_subtree = |u: usize, v: usize| {
            let mut x = Some(v);
            while let Some(y) = x {
                if y == u {
                    return true;
                }
                x = parent[y];
            }
            false
        };
        let count = |u: usize| (0..n).filter(|&v| in_subtree(u, v)).map(|v| own[v]).sum::<u32>();
        let mut units: Vec<Unit> = Vec::new();
        for k in 0..n {
            units.push(unit(&codes[k], parent[k].map(|p| codes[p].as_str())));
        }
        let reporting: Vec<usize> = (0..n).filter(|&k| reports[k] && count(k) > 0).collect();
        let results = reporting
            .iter()
            .map(|&k| result(&codes[k], 2026, 4.0, count(k)))
            .collect();
        let e = engine_min(units, results, min);
        let masked: Vec<bool> = (0..n)
            .map(|k| tf(&e, &codes[k], "2026").masked.is_some())
            .collect();
        // Unknowns: the units with respondents of their own.
        let people: Vec<usize> = (0..n).filter(|&v| own[v] > 0).collect();
        let vector = |u: usize| -> Vec<i128> {
            people.iter().map(|&v| i128::from(in_subtree(u, v))).collect()
        };
        let shown: Vec<Vec<i128>> = reporting
            .iter()
            .filter(|&&k| !masked[k])
            .map(|&k| vector(k))
            .collect();
        for &k in &reporting {
            if count(k) < min {
                prop_assert!(masked[k], "U{k} has {} < {min} respondents", count(k));
            }
            if masked[k] {
                prop_assert!(
                    !in_span(&shown, &vector(k)),
                    "U{k}'s score follows from the shown ones (parents {parent:?}, own {own:?}, \
                     reporting {reporting:?}, masked {masked:?}, min {min})"
                );
            }
        }
    }
}
