//! The survey view (surveys.md, issue 16 §5): for a unit, one survey's factors in the
//! latest round up to the period, beside the round before, the municipality's own score
//! and the reference series (`Landet`) — the way a leader reads a 10-FAKTOR report in a
//! dialogue meeting — and its export (PDF, XLSX, CSV, JSON). Every figure is the engine's
//! result, masked as everywhere else.

use std::path::PathBuf;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::engine::sickleave::MaskReason;
use crate::engine::surveys::SurveyInfo;
use crate::engine::{Engine, IndicatorResult, UnitRef};
use crate::error::{Error, Result};
use crate::export::{self, Format};
use crate::model::{SurveyKind, TEN_FACTOR};
use crate::period::Period;

use super::files::{target_path, write_atomically};

/// One factor of the view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SurveyFactor {
    /// The unit's result: score, respondents, masking, the round before and the trend,
    /// target and status, the reference series.
    pub result: IndicatorResult,
    /// The municipality's (the root unit's) score in the same round.
    pub municipality: Option<f64>,
    pub municipality_display: Option<String>,
    pub municipality_masked: Option<MaskReason>,
}

/// A unit's survey report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SurveyView {
    pub unit: UnitRef,
    /// The root unit, whose scores are the municipality's.
    pub municipality: UnitRef,
    /// Every survey with results (the view's choice), by name.
    pub surveys: Vec<SurveyInfo>,
    /// The survey shown; `None` when there are no survey results at all.
    pub survey: Option<SurveyInfo>,
    /// The round shown: the latest up to the asked period's last year.
    pub round: Option<String>,
    /// The round before it, when there is one.
    pub previous_round: Option<String>,
    /// The unit's respondents in the round (the most of any factor); `None` when masked or
    /// none.
    pub respondents: Option<u32>,
    /// The scale's ends, for the bars: 1–5 for 10-FAKTOR, 1–6 for bedrekommune.
    pub scale_min: f64,
    pub scale_max: f64,
    /// The reference series' names in the view, by name.
    pub series: Vec<String>,
    pub factors: Vec<SurveyFactor>,
}

/// The view of `survey` (by name; `None`: 10-FAKTOR when it has results, else the first)
/// for `unit` and the round `period` shows.
pub fn survey_view(
    engine: &Engine,
    unit: &str,
    period: &Period,
    survey: Option<&str>,
) -> Result<SurveyView> {
    let node = engine
        .unit(unit)
        .ok_or_else(|| Error::UnknownUnit(unit.to_string()))?;
    let root = engine
        .unit_tree()
        .into_iter()
        .next()
        .map(|n| n.code)
        .unwrap_or_else(|| unit.to_string());
    let root_unit = engine
        .unit(&root)
        .ok_or_else(|| Error::UnknownUnit(root.clone()))?;
    let surveys = engine.surveys();
    let chosen = match survey {
        Some(name) => Some(
            surveys
                .iter()
                .find(|s| s.name == name)
                .cloned()
                .ok_or_else(|| {
                    Error::Invalid(format!("ingen resultater fra undersøkelsen «{name}»"))
                })?,
        ),
        None => surveys
            .iter()
            .find(|s| s.name == TEN_FACTOR)
            .or_else(|| surveys.first())
            .cloned(),
    };
    let (scale_min, scale_max) = chosen
        .as_ref()
        .map_or(SurveyKind::TenFactor, |s| s.kind)
        .scale();
    let mut factors = Vec::new();
    for code in chosen.iter().flat_map(|s| &s.indicators) {
        let result = engine.evaluate(code, unit, period)?;
        let municipality = engine.evaluate(code, &root, period)?;
        factors.push(SurveyFactor {
            municipality: municipality.value,
            municipality_display: municipality.display,
            municipality_masked: municipality.masked,
            result,
        });
    }
    let round = factors.iter().map(|f| f.result.period.clone()).next();
    let previous_round = factors
        .iter()
        .map(|f| &f.result.previous)
        .find(|p| p.value.is_some() || p.masked.is_some())
        .map(|p| p.period.clone());
    let respondents = factors
        .iter()
        .filter_map(|f| f.result.survey.as_ref().and_then(|s| s.respondents))
        .max();
    let mut series: Vec<String> = factors
        .iter()
        .flat_map(|f| f.result.references.iter().map(|r| r.series.clone()))
        .collect();
    series.sort();
    series.dedup();
    Ok(SurveyView {
        unit: UnitRef {
            code: node.code.clone(),
            name: node.name.clone(),
        },
        municipality: UnitRef {
            code: root_unit.code.clone(),
            name: root_unit.name.clone(),
        },
        surveys,
        survey: chosen,
        round,
        previous_round,
        respondents,
        scale_min,
        scale_max,
        series,
        factors,
    })
}

/// Writes the survey view as `format` to the typed `path`; returns the path written.
pub fn export_survey(
    engine: &Engine,
    unit: &str,
    period: &Period,
    survey: Option<&str>,
    format: Format,
    path: &str,
    exported_at: NaiveDateTime,
) -> Result<PathBuf> {
    let target = target_path(path, format)?;
    let view = survey_view(engine, unit, period, survey)?;
    let bytes = survey_bytes(&view, format, exported_at)?;
    write_atomically(&target, &bytes)?;
    Ok(target)
}

/// The survey view's bytes in `format`.
pub fn survey_bytes(
    view: &SurveyView,
    format: Format,
    exported_at: NaiveDateTime,
) -> Result<Vec<u8>> {
    match format {
        Format::Json => export::json(view),
        _ => export::render(&export::surveys::document(view, exported_at), format),
    }
}
