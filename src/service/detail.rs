//! What the målkart and the indicator detail show: the scorecard, one sparkline per
//! indicator, and the detail of one indicator (its definition, result, history, the units
//! below it, its targets) with "hvorfor denne statusen?" in words — the same answer in the
//! app and on the command line (`malkart show`).

use std::collections::BTreeSet;

use serde::Serialize;
use ts_rs::TS;

use crate::engine::sickleave::{MaskReason, Privacy};
use crate::engine::{
    progress, Engine, IndicatorResult, PeriodValue, Scorecard, TargetSource, UnitRef,
};
use crate::error::{Error, Result};
use crate::format::{number, with_unit};
use crate::model::{Aggregation, Direction, Indicator, Target};
use crate::period::{Month, Period};
use crate::storage::Store;

use super::window;

/// The last periods of one indicator in a målkart, oldest first.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Sparkline {
    pub code: String,
    pub points: Vec<PeriodValue>,
}

/// One period of the detail chart: the value and the target and red limit that applied.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct HistoryPoint {
    pub period: String,
    pub value: Option<f64>,
    pub display_value: Option<f64>,
    pub target: Option<f64>,
    pub red_limit: Option<f64>,
    /// Set when the point is a masked sick-leave figure (`value` is then `None`).
    pub masked: Option<MaskReason>,
}

/// A child unit's result, for the drill-down table.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ChildResult {
    pub unit: UnitRef,
    pub has_children: bool,
    pub result: IndicatorResult,
}

/// One line of "hvorfor denne statusen?": a label and its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExplainLine {
    pub label: String,
    pub text: String,
}

/// Everything the indicator detail shows.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct IndicatorDetail {
    pub unit: UnitRef,
    pub definition: Indicator,
    pub result: IndicatorResult,
    /// "Hvorfor denne statusen?": the steps from the registered figures to the status.
    /// Empty when the result is masked (no figure of it may be shown).
    pub explanation: Vec<ExplainLine>,
    pub history: Vec<HistoryPoint>,
    pub children: Vec<ChildResult>,
    pub targets: Vec<Target>,
    /// The tiltak of the unit's subtree that name this indicator, by deadline (tiltak.md).
    pub actions: Vec<crate::engine::actions::ActionLine>,
}

/// The målkart of `unit` for `period`, judged against `last_full` (the last full month by
/// the door's clock): whether the period is complete, how many of its months have ended,
/// each result provisional or not (`engine::progress`), and the latest month with figures
/// in `store` (where the app offers to go when a month has none yet); its tiltak counted
/// per goal, late ones judged in the same month (`engine::actions`).
pub fn scorecard(
    engine: &Engine,
    store: &Store,
    unit: &str,
    period: &Period,
    privacy: Privacy,
    last_full: Month,
) -> Result<Scorecard> {
    let mut card = engine_scorecard(engine, unit, period, privacy, last_full)?;
    card.last_month_with_data = store.last_month_with_figures(last_full)?.map(Month::id);
    Ok(card)
}

/// [`scorecard`] without what only the store knows (`last_month_with_data` is `None`): all
/// of it from the engine, so that it can be computed where the store is not at hand (the
/// app answers the next målkart ahead on a thread of its own).
pub fn engine_scorecard(
    engine: &Engine,
    unit: &str,
    period: &Period,
    privacy: Privacy,
    last_full: Month,
) -> Result<Scorecard> {
    let mut card = engine.scorecard_with(unit, period, privacy)?;
    engine.mark_progress(&mut card, period, last_full);
    engine.mark_actions(&mut card, period, last_full);
    Ok(card)
}

/// The sparkline of every indicator for `unit` and `period`, in the indicators' order.
pub fn sparklines(
    engine: &Engine,
    unit: &str,
    period: &Period,
    privacy: Privacy,
) -> Result<Vec<Sparkline>> {
    let mut out = Vec::with_capacity(engine.indicators().len());
    for ind in engine.indicators() {
        let anchor = window::history_anchor(period, ind.frequency);
        // A survey's history is its rounds up to the period's year (`Engine::survey_history`).
        let last = if engine.survey_history(&ind.code, period, 1).is_some() {
            *period
        } else {
            anchor
        };
        let points = engine.series_with(
            &ind.code,
            unit,
            &last,
            window::history_len(&anchor),
            privacy,
        )?;
        out.push(Sparkline {
            code: ind.code.clone(),
            points,
        });
    }
    Ok(out)
}

/// The indicator detail of `indicator` for `unit` in `period`. The engine must cover the
/// period's history (an engine from [`super::EngineCache`] does); the targets are read from
/// `store`. The result and the units below are judged against `last_full` (provisional
/// when their period has not ended).
pub fn indicator_detail(
    engine: &Engine,
    store: &Store,
    indicator: &str,
    unit: &str,
    period: &Period,
    privacy: Privacy,
    last_full: Month,
) -> Result<IndicatorDetail> {
    let definition = engine
        .indicator(indicator)
        .cloned()
        .ok_or_else(|| Error::UnknownIndicator(indicator.to_string()))?;
    let node = engine
        .unit(unit)
        .ok_or_else(|| Error::UnknownUnit(unit.to_string()))?;
    let mut result = engine.evaluate_with(indicator, unit, period, privacy)?;
    progress::mark_result(&mut result, last_full);
    engine.ended_coverage(&mut result, unit, last_full);
    engine.mark_result_actions(&mut result, unit, period);
    let anchor = window::history_anchor(period, definition.frequency);
    let periods = engine
        .survey_history(indicator, period, window::history_len(&anchor))
        .unwrap_or_else(|| window::history_periods(&anchor));
    let mut history = Vec::new();
    for p in periods {
        let r = engine.evaluate_with(indicator, unit, &p, privacy)?;
        history.push(HistoryPoint {
            period: r.period,
            value: r.value,
            display_value: r.display_value,
            target: r.target,
            red_limit: r.red_limit,
            masked: r.masked,
        });
    }
    let tree = engine.unit_tree();
    let with_children: BTreeSet<&str> = tree.iter().filter_map(|u| u.parent.as_deref()).collect();
    let children = engine
        .children_with(indicator, unit, period, privacy)?
        .into_iter()
        .map(|(unit, mut result)| {
            progress::mark_result(&mut result, last_full);
            engine.ended_coverage(&mut result, &unit.code, last_full);
            engine.mark_result_actions(&mut result, &unit.code, period);
            ChildResult {
                has_children: with_children.contains(unit.code.as_str()),
                unit,
                result,
            }
        })
        .collect();
    let targets = store.targets(indicator)?;
    let explanation = if result.masked.is_some() {
        Vec::new()
    } else {
        explain(&result, period, &node.name, definition.factor)
    };
    Ok(IndicatorDetail {
        unit: UnitRef {
            code: node.code.clone(),
            name: node.name.clone(),
        },
        definition,
        result,
        explanation,
        history,
        children,
        targets,
        actions: super::actions::for_indicator(engine, store, indicator, unit, period, last_full)?,
    })
}

/// The label of a period id (`1. kvartal 2026`), or the id itself.
fn label_of(id: &str) -> String {
    Period::parse(id).map_or_else(|_| id.to_string(), |p| p.label())
}

fn aggregation_text(a: Aggregation) -> &'static str {
    match a {
        Aggregation::Sum => "summen av periodene",
        Aggregation::Snitt => "gjennomsnittet av periodene som har tall",
        Aggregation::Siste => "verdien i den siste perioden som har tall",
        Aggregation::Brok => "Σ teller / Σ nevner",
    }
}

/// The rule that decides the status, with the numbers filled in; `None` without a target.
pub fn rule_text(r: &IndicatorResult) -> Option<String> {
    let t = with_unit(r.target?, r.decimals, &r.unit_label);
    let red = r.red_limit.map(|v| with_unit(v, r.decimals, &r.unit_label));
    Some(match (r.direction, red) {
        (Direction::Hoy, None) => {
            format!("Høyere er bedre: grønn når verdien er minst {t}, ellers rød.")
        }
        (Direction::Hoy, Some(red)) => format!(
            "Høyere er bedre: grønn når verdien er minst {t}, gul fra {red} opp til {t}, rød under {red}."
        ),
        (Direction::Lav, None) => {
            format!("Lavere er bedre: grønn når verdien er høyst {t}, ellers rød.")
        }
        (Direction::Lav, Some(red)) => format!(
            "Lavere er bedre: grønn når verdien er høyst {t}, gul over {t} til og med {red}, rød over {red}."
        ),
    })
}

/// Person-days as people read them: whole when whole (`9 337`), else one decimal (`698,6`).
fn days(v: f64) -> String {
    if v.fract() == 0.0 {
        number(v, 0)
    } else {
        number(v, 1)
    }
}

/// The figure in the words of its domain, before the formula: `699 av 9 337 avtalte
/// dagsverk var sykefravær …` (sick-leave.md), kroner of budget and accounts for the economy
/// indicators (economy.md), and for any other indicator what its aggregation makes of it.
fn figures_text(r: &IndicatorResult, unit_name: &str) -> Option<String> {
    let whose = format!("for {unit_name} i {}", label_of(&r.period));
    let kr = |v: f64| format!("{} kr", number(v, 0));
    if let (Some(num), Some(den)) = (r.numerator, r.denominator) {
        let of_days = |what: &str| {
            format!(
                "{} av {} avtalte dagsverk var {what} {whose}.",
                days(num),
                days(den)
            )
        };
        let text = match r.code.as_str() {
            "SF" => of_days("sykefravær (egenmeldt og legemeldt)"),
            "SF-E" => of_days("egenmeldt sykefravær"),
            "SF-L" => of_days("legemeldt sykefravær"),
            "SF-KORT" => of_days("korttidsfravær (1–16 dager)"),
            "SF-LANG" => of_days("langtidsfravær (over 16 dager)"),
            "SF-N" => of_days("nærvær (avtalte dagsverk uten egenmeldt og legemeldt fravær)"),
            "OK-AVVIK" => format!(
                "Budsjett minus regnskap er {} av et periodisert budsjett på {} (månedene med \
                 regnskap) {whose}.",
                kr(num),
                kr(den)
            ),
            "OK-FORBRUK" => format!(
                "Regnskapet er {} av et årsbudsjett på {} {whose}.",
                kr(num),
                kr(den)
            ),
            "OK-PROGNOSE" => format!(
                "Årsbudsjett minus prognose er {} av et årsbudsjett på {} {whose}.",
                kr(num),
                kr(den)
            ),
            _ => format!(
                "Telleren er {} og nevneren {}, summert over enheten og enhetene under den, \
                 {whose}.",
                number(num, 2),
                number(den, 2)
            ),
        };
        return Some(text);
    }
    let shown = r.display.as_deref()?;
    let how = match r.aggregation {
        Aggregation::Sum => "i alt",
        Aggregation::Snitt => "i gjennomsnitt",
        Aggregation::Siste => "i siste periode med tall",
        Aggregation::Brok => return None,
    };
    Some(format!("{shown} {how} {whose}."))
}

/// Why short- and long-term absence do not add up to the total (sick-leave.md): they count
/// only the rows that carry the split by length, in numerator and denominator alike.
fn base_text(code: &str) -> Option<&'static str> {
    matches!(code, "SF-KORT" | "SF-LANG").then_some(
        "Korttids- og langtidsfravær regnes bare av månedene der enheten har registrert \
         fraværet etter lengde (1–3, 4–16, 17–56 og over 56 dager), i teller og nevner. \
         Derfor er grunnlaget et annet enn for Sykefravær totalt (SF), og SF-KORT + SF-LANG \
         blir ikke alltid det samme som SF.",
    )
}

/// "Hvorfor denne statusen?": the steps from the registered figures to the status, in
/// words, from the numbers the engine returned (it computes; this only writes them out).
/// `asked` is the period the person asked for (the result's may be the indicator's latest
/// whole span); `factor` the indicator's factor (`brøk`).
pub fn explain(
    r: &IndicatorResult,
    asked: &Period,
    unit_name: &str,
    factor: f64,
) -> Vec<ExplainLine> {
    let mut lines = Vec::new();
    let mut line = |label: &str, text: String| {
        lines.push(ExplainLine {
            label: label.to_string(),
            text,
        })
    };
    if let Some(survey) = &r.survey {
        line(
            "Runde",
            format!(
                "{} vises for siste runde til og med {}: {}{}.",
                survey.survey,
                asked.label(),
                r.period,
                if r.previous.value.is_some() || r.previous.masked.is_some() {
                    format!(", sammenlignet med runden før ({})", r.previous.period)
                } else {
                    String::new()
                }
            ),
        );
    } else if r.period != asked.to_string() {
        line(
            "Periode",
            format!(
                "Indikatoren måles per {}; for {} vises siste hele periode: {}.",
                r.frequency.key(),
                asked.label(),
                label_of(&r.period)
            ),
        );
    }
    if r.provisional {
        let so_far = if r.months_covered == 0 {
            format!("{} er ikke over ennå", label_of(&r.period))
        } else {
            format!(
                "{} er ikke over: {} av {} måneder er ferdige",
                label_of(&r.period),
                r.months_covered,
                r.months_total
            )
        };
        line(
            "Foreløpig",
            format!(
                "{so_far}. Statusen gjelder tallene så langt og er ikke endelig, og utviklingen \
                 sammenlignes ikke med {}.",
                label_of(&r.previous.period)
            ),
        );
    }
    match r.value {
        None => line(
            "Verdi",
            format!(
                "Ingen tall er registrert for {unit_name} i {}.",
                label_of(&r.period)
            ),
        ),
        Some(value) => {
            if let Some(text) = figures_text(r, unit_name) {
                line("Tallene", text);
            }
            if let Some(text) = base_text(&r.code) {
                line("Grunnlag", text.to_string());
            }
            match (r.aggregation, r.numerator, r.denominator) {
                _ if r.survey.is_some() => line(
                    "Utregning",
                    format!(
                        "Verdien er {unit_name} sitt eget snitt i undersøkelsen{}; det regnes \
                         ikke ut fra enhetene under, og vises bare når minst {} har svart.",
                        r.survey
                            .as_ref()
                            .and_then(|s| s.respondents)
                            .map_or_else(String::new, |n| format!(" ({n} svar)")),
                        r.survey.as_ref().map_or(0, |s| s.min_respondents)
                    ),
                ),
                (Aggregation::Brok, Some(num), Some(den)) => line(
                    "Utregning",
                    format!(
                        "{f} × Σ teller / Σ nevner = {f} × {} / {} = {}",
                        number(num, 2),
                        number(den, 2),
                        number(value, 4),
                        f = number(factor, 0)
                    ),
                ),
                _ => line(
                    "Utregning",
                    format!(
                        "Verdien er {}, summert over enheten og alle enhetene under den.",
                        aggregation_text(r.aggregation)
                    ),
                ),
            }
            line(
                "Verdi",
                format!(
                    "{} uavrundet, vist som {} (avrundet til {} desimal{}); statusen sammenligner den viste verdien.",
                    number(value, 4),
                    r.display.as_deref().unwrap_or("–"),
                    r.decimals,
                    if r.decimals == 1 { "" } else { "er" }
                ),
            );
        }
    }
    if !r.references.is_empty() {
        let refs: Vec<String> = r
            .references
            .iter()
            .map(|x| format!("{} {}", x.series, x.display))
            .collect();
        line(
            "Referanse",
            format!("{} i {}.", refs.join(", "), label_of(&r.period)),
        );
    }
    let sign = match r.direction {
        Direction::Hoy => "≥",
        Direction::Lav => "≤",
    };
    match (r.target, &r.target_reference) {
        (None, Some(series)) => line(
            "Mål",
            format!(
                "Målet er {sign} {series}, men serien har ingen verdi for {}; indikatoren \
                 vises som en observasjon.",
                label_of(&r.period)
            ),
        ),
        (Some(target), Some(series)) => line(
            "Mål",
            format!(
                "{sign} {series}: seriens viste verdi for {} er {}, og det er målet{}.",
                label_of(&r.period),
                with_unit(target, r.decimals, &r.unit_label),
                r.red_limit.map_or_else(String::new, |v| format!(
                    "; rød grense {}",
                    with_unit(v, r.decimals, &r.unit_label)
                ))
            ),
        ),
        (None, None) => line(
            "Mål",
            "Det er ikke satt noe mål for dette året, verken for enheten eller som standard; \
             indikatoren vises som en observasjon."
                .to_string(),
        ),
        (Some(target), None) => {
            let source = if r.target_source == Some(TargetSource::Unit) {
                format!("{unit_name} sitt eget mål")
            } else {
                "standardmålet for alle enheter".to_string()
            };
            let red = r.red_limit.map_or_else(
                || "ingen rød grense".to_string(),
                |v| format!("rød grense {}", with_unit(v, r.decimals, &r.unit_label)),
            );
            line(
                "Mål",
                format!(
                    "{} ({source}), {red}.",
                    with_unit(target, r.decimals, &r.unit_label)
                ),
            );
        }
    }
    if let Some(rule) = rule_text(r) {
        line("Regel", rule);
    }
    if r.provisional {
        line(
            "Status",
            format!("{} så langt (foreløpig).", r.status.word()),
        );
    } else {
        line("Status", format!("{}.", r.status.word()));
    }
    if r.expected_cells > 0 {
        let share = r
            .coverage
            .map(|c| format!(" ({})", with_unit(c * 100.0, 0, "%")))
            .unwrap_or_default();
        let missing = if r.missing_units > 0 {
            format!(
                "; {} av {} enheter mangler tall",
                r.missing_units, r.expected_units
            )
        } else {
            String::new()
        };
        line(
            "Dekning",
            format!(
                "{} av {} forventede tall er registrert{share}{missing}.",
                r.reported_cells, r.expected_cells
            ),
        );
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the UI's former `explain.test.ts`: SF in 2026-K3 for Oppvekst.
    fn base() -> IndicatorResult {
        serde_json::from_value(serde_json::json!({
            "code": "SF", "name": "Sykefravær totalt", "goal": null, "unit_label": "%",
            "decimals": 1, "direction": "lav", "frequency": "måned", "aggregation": "brøk",
            "period": "2026-K3", "value": 7.2463, "display": "7,2 %", "display_value": 7.2,
            "numerator": 123.19, "denominator": 1700.0, "target": 7.0, "red_limit": 8.0,
            "target_source": "default", "status": "yellow", "coverage": 11.0 / 12.0,
            "complete": false, "reported_cells": 11, "expected_cells": 12,
            "expected_units": 4, "missing_units": 1,
            "previous": { "period": "2026-K2", "value": 6.91, "masked": null },
            "last_year": { "period": "2025-K3", "value": 7.84, "masked": null },
            "trend": "worse", "masked": null
        }))
        .expect("an IndicatorResult")
    }

    fn text(lines: &[ExplainLine], label: &str) -> String {
        lines
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.text.clone())
            .unwrap_or_default()
    }

    fn p(text: &str) -> Period {
        Period::parse(text).expect("a period")
    }

    #[test]
    fn a_ratio_is_written_as_factor_times_numerator_over_denominator() {
        let lines = explain(&base(), &p("2026-K3"), "Oppvekst", 100.0);
        // The engine's value is given, not recomputed (100 × 123.19 / 1700 = 7.2465).
        assert_eq!(
            text(&lines, "Utregning"),
            "100 × Σ teller / Σ nevner = 100 × 123,19 / 1 700,00 = 7,2463"
        );
        assert_eq!(
            text(&lines, "Mål"),
            "7,0 % (standardmålet for alle enheter), rød grense 8,0 %."
        );
        assert_eq!(
            text(&lines, "Regel"),
            "Lavere er bedre: grønn når verdien er høyst 7,0 %, gul over 7,0 % til og med 8,0 %, rød over 8,0 %."
        );
        assert_eq!(text(&lines, "Status"), "gul.");
        // 11 / 12 = 91.67 % → 92 %.
        assert_eq!(
            text(&lines, "Dekning"),
            "11 av 12 forventede tall er registrert (92 %); 1 av 4 enheter mangler tall."
        );
        assert!(lines.iter().all(|l| l.label != "Periode"), "{lines:?}");
    }

    #[test]
    fn the_figures_are_said_in_domain_words_before_the_formula() {
        let lines = explain(&base(), &p("2026-K3"), "Oppvekst", 100.0);
        // 123,19 fraværsdagsverk → 123,2; 1 700 avtalte dagsverk is whole.
        assert_eq!(
            text(&lines, "Tallene"),
            "123,2 av 1 700 avtalte dagsverk var sykefravær (egenmeldt og legemeldt) for \
             Oppvekst i 3. kvartal 2026."
        );
        let at = |label: &str| lines.iter().position(|l| l.label == label);
        assert!(at("Tallene") < at("Utregning"), "{lines:?}");
        // SF has no note on its base; SF-KORT has, before the formula too.
        assert!(at("Grunnlag").is_none());
        let short = IndicatorResult {
            code: "SF-KORT".into(),
            numerator: Some(699.0),
            denominator: Some(9337.0),
            ..base()
        };
        let lines = explain(&short, &p("2026-K3"), "Oppvekst", 100.0);
        assert_eq!(
            text(&lines, "Tallene"),
            "699 av 9 337 avtalte dagsverk var korttidsfravær (1–16 dager) for Oppvekst i \
             3. kvartal 2026."
        );
        assert!(
            text(&lines, "Grunnlag")
                .contains("SF-KORT + SF-LANG blir ikke alltid det samme som SF"),
            "{lines:?}"
        );
        let at = |label: &str| lines.iter().position(|l| l.label == label);
        assert!(at("Grunnlag") < at("Utregning"), "{lines:?}");
    }

    #[test]
    fn economy_and_summed_figures_are_said_in_their_own_words() {
        let spent = IndicatorResult {
            code: "OK-FORBRUK".into(),
            unit_label: "%".into(),
            numerator: Some(1_234_567.0),
            denominator: Some(10_000_000.0),
            ..base()
        };
        let lines = explain(&spent, &p("2026-K3"), "Oppvekst", 100.0);
        assert_eq!(
            text(&lines, "Tallene"),
            "Regnskapet er 1 234 567 kr av et årsbudsjett på 10 000 000 kr for Oppvekst i \
             3. kvartal 2026."
        );
        let visits = IndicatorResult {
            code: "LS-UTL".into(),
            aggregation: Aggregation::Sum,
            display: Some("2 177 besøk".into()),
            numerator: None,
            denominator: None,
            ..base()
        };
        let lines = explain(&visits, &p("2026-K3"), "Demo kommune", 1.0);
        assert_eq!(
            text(&lines, "Tallene"),
            "2 177 besøk i alt for Demo kommune i 3. kvartal 2026."
        );
    }

    #[test]
    fn the_units_own_target_and_the_rule_for_higher_is_better_are_named() {
        let r = IndicatorResult {
            direction: Direction::Hoy,
            target: Some(90.0),
            red_limit: Some(80.0),
            target_source: Some(TargetSource::Unit),
            ..base()
        };
        let lines = explain(&r, &p("2026-K3"), "Skole A", 100.0);
        assert_eq!(
            text(&lines, "Mål"),
            "90,0 % (Skole A sitt eget mål), rød grense 80,0 %."
        );
        assert_eq!(
            rule_text(&r).as_deref(),
            Some("Høyere er bedre: grønn når verdien er minst 90,0 %, gul fra 80,0 % opp til 90,0 %, rød under 80,0 %.")
        );
    }

    #[test]
    fn a_coarser_indicator_says_which_period_was_evaluated() {
        let r = IndicatorResult {
            frequency: crate::model::Frequency::Kvartal,
            period: "2026-K1".into(),
            ..base()
        };
        let lines = explain(&r, &p("2026-05"), "Oppvekst", 100.0);
        assert_eq!(
            lines[0].text,
            "Indikatoren måles per kvartal; for mai 2026 vises siste hele periode: 1. kvartal 2026."
        );
    }

    #[test]
    fn a_provisional_period_says_so_and_is_not_compared() {
        let r = IndicatorResult {
            period: "2026-K4".into(),
            previous: PeriodValue {
                period: "2026-K3".into(),
                value: Some(6.91),
                masked: None,
            },
            trend: crate::engine::Trend::Unknown,
            provisional: true,
            months_covered: 2,
            months_total: 3,
            ..base()
        };
        let lines = explain(&r, &p("2026-K4"), "Oppvekst", 100.0);
        assert_eq!(
            text(&lines, "Foreløpig"),
            "4. kvartal 2026 er ikke over: 2 av 3 måneder er ferdige. Statusen gjelder tallene \
             så langt og er ikke endelig, og utviklingen sammenlignes ikke med 3. kvartal 2026."
        );
        assert_eq!(text(&lines, "Status"), "gul så langt (foreløpig).");
        let december = IndicatorResult {
            period: "2026-12".into(),
            months_covered: 0,
            months_total: 1,
            ..r
        };
        let lines = explain(&december, &p("2026-12"), "Oppvekst", 100.0);
        assert!(
            text(&lines, "Foreløpig").starts_with("desember 2026 er ikke over ennå. "),
            "{lines:?}"
        );
    }

    #[test]
    fn no_value_and_no_target_are_said_in_words() {
        let r = IndicatorResult {
            value: None,
            display: None,
            target: None,
            red_limit: None,
            target_source: None,
            status: crate::engine::Status::NoTarget,
            expected_cells: 0,
            ..base()
        };
        let lines = explain(&r, &p("2026-K3"), "Oppvekst", 100.0);
        assert_eq!(
            text(&lines, "Verdi"),
            "Ingen tall er registrert for Oppvekst i 3. kvartal 2026."
        );
        assert!(text(&lines, "Mål").starts_with("Det er ikke satt noe mål"));
        assert_eq!(text(&lines, "Status"), "ingen mål.");
        assert!(lines
            .iter()
            .all(|l| l.label != "Regel" && l.label != "Dekning"));
    }
}
