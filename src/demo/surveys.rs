//! The demo's surveys (surveys.md §6): two rounds of 10-FAKTOR (2024, 2026) in every unit,
//! and one bedrekommune survey of the home-care service (2025), each with the national
//! average as the reference series `Landet`. Respondents are most of a unit's employees; a
//! leaf unit in about eleven has only two respondents, so its score is masked. A parent's
//! score and count are its children's together, as the survey's own report gives them.

use super::rng::{self, Purpose};
use super::tree::{DemoUnit, Kind};
use crate::format::round_half_away;
use crate::model::{
    ten_factor_code, Aggregation, Direction, Frequency, Indicator, Perspective, ReferenceValue,
    SurveyResult, Target, UnitRollup, TEN_FACTOR,
};
use crate::period::Month;

/// The 10-FAKTOR rounds.
const TEN_FACTOR_ROUNDS: [i32; 2] = [2024, 2026];
/// KS's national averages by factor (in the order of `TEN_FACTORS`), rounded as published.
const NATIONAL: [f64; 10] = [4.0, 4.3, 4.2, 4.4, 4.6, 4.4, 4.7, 3.8, 4.1, 4.2];

/// The bedrekommune survey of the demo, its indicator and round.
pub const HOME_CARE_SURVEY: &str = "Brukerundersøkelse i hjemmetjenesten";
pub const HOME_CARE_CODE: &str = "BK-HJEM";
const HOME_CARE_ROUND: i32 = 2025;
const HOME_CARE_NATIONAL: f64 = 5.1;

/// What the demo adds for surveys: the bedrekommune indicator and its targets, results
/// and reference values.
#[derive(Clone, Debug, Default)]
pub struct Surveys {
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Target>,
    pub results: Vec<SurveyResult>,
    pub references: Vec<ReferenceValue>,
}

/// The rounds held by `through`.
pub fn generate(units: &[DemoUnit], through: Month) -> Surveys {
    let mut out = Surveys::default();
    for round in TEN_FACTOR_ROUNDS
        .into_iter()
        .filter(|&r| r <= through.year())
    {
        for (k, &national) in NATIONAL.iter().enumerate() {
            let code = ten_factor_code(k + 1);
            let score = |u: usize| {
                let unit = (rng::normal(Purpose::Survey, &[1, k as u64, u as u64]) * 0.25)
                    .clamp(-0.6, 0.5);
                let change =
                    rng::normal(Purpose::Survey, &[2, k as u64, u as u64, round as u64]) * 0.12;
                (national + unit + change).clamp(1.0, 5.0)
            };
            survey_results(
                &mut out.results,
                units,
                TEN_FACTOR,
                &code,
                round,
                &|_| true,
                &score,
            );
            out.references.push(ReferenceValue {
                indicator: code,
                series: "Landet".to_string(),
                period: round.to_string(),
                value: national,
            });
        }
    }
    out.indicators.push(Indicator {
        goal: Some("Gode tjenester".to_string()),
        description: "Snittet av brukernes svar i bedrekommune.no sin brukerundersøkelse i \
            hjemmetjenesten (skala 1–6, 6 er best); enhetens eget rapporterte snitt"
            .to_string(),
        source: "bedrekommune.no".to_string(),
        responsible: "Virksomhetsleder".to_string(),
        unit_rollup: UnitRollup::Ingen,
        ..Indicator::new(
            HOME_CARE_CODE,
            "Brukertilfredshet hjemmetjenesten",
            Perspective::Brukere,
            Direction::Hoy,
            Frequency::Ar,
            Aggregation::Snitt,
        )
    });
    out.targets.push(Target {
        indicator: HOME_CARE_CODE.to_string(),
        unit: None,
        year: HOME_CARE_ROUND,
        target: 5.0,
        red_limit: Some(4.5),
        reference: None,
    });
    if HOME_CARE_ROUND <= through.year() {
        // The home-care units, and the municipality as a whole.
        let home_care = |u: usize| {
            if units[u].parent.is_none() {
                return true;
            }
            let mut x = Some(u);
            while let Some(v) = x {
                if matches!(units[v].kind, Kind::HomeCare | Kind::HomeCareZone) {
                    return true;
                }
                x = units[v].parent;
            }
            false
        };
        let score = |u: usize| {
            (HOME_CARE_NATIONAL + rng::normal(Purpose::Survey, &[3, u as u64]) * 0.3)
                .clamp(1.0, 6.0)
        };
        survey_results(
            &mut out.results,
            units,
            HOME_CARE_SURVEY,
            HOME_CARE_CODE,
            HOME_CARE_ROUND,
            &home_care,
            &score,
        );
        out.references.push(ReferenceValue {
            indicator: HOME_CARE_CODE.to_string(),
            series: "Landet".to_string(),
            period: HOME_CARE_ROUND.to_string(),
            value: HOME_CARE_NATIONAL,
        });
    }
    out
}

/// One round of one factor for the units `takes_part` says: a leaf's score and count drawn,
/// each other unit's the weighted mean and sum of those below it that take part (own
/// respondents none).
fn survey_results(
    out: &mut Vec<SurveyResult>,
    units: &[DemoUnit],
    survey: &str,
    code: &str,
    round: i32,
    takes_part: &dyn Fn(usize) -> bool,
    score: &dyn Fn(usize) -> f64,
) {
    let n = units.len();
    let mut sum = vec![0.0f64; n];
    let mut count = vec![0u32; n];
    // Units come parents first: walking backwards adds each child before its parent.
    for u in (0..n).rev() {
        if !takes_part(u) {
            continue;
        }
        if units[u].leaf {
            let few = rng::between(Purpose::Survey, &[4, u as u64], 0, 10) == 0;
            let answered = if few {
                2
            } else {
                let rate = 0.6 + rng::uniform(Purpose::Survey, &[5, u as u64, round as u64]) * 0.3;
                ((f64::from(units[u].employees.max(3)) * rate).round() as u32).max(3)
            };
            let s = round_half_away(score(u), 2);
            sum[u] += s * f64::from(answered);
            count[u] += answered;
        }
        // Into the nearest ancestor that takes part (a sector that does not is passed).
        let mut up = units[u].parent;
        while let Some(p) = up {
            if takes_part(p) {
                sum[p] += sum[u];
                count[p] += count[u];
                break;
            }
            up = units[p].parent;
        }
    }
    for u in 0..n {
        if takes_part(u) && count[u] > 0 {
            out.push(SurveyResult {
                survey: survey.to_string(),
                indicator: code.to_string(),
                unit: units[u].code.clone(),
                year: round,
                score: round_half_away(sum[u] / f64::from(count[u]), 2),
                respondents: count[u],
            });
        }
    }
}
