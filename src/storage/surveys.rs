//! Surveys, their results and reference series (surveys.md). A change set of survey results
//! is checked whole (`rules::survey_result`: the indicator, the survey, the scale, the
//! respondents, locked months; each (indicator, unit, round) once), a survey not seen before
//! is created as a bedrekommune survey with its default minimum, and each row created,
//! replaced or left alone with one audit entry (`undersøkelse`, `undersøkelsesresultat`).
//! A round of 10-FAKTOR sets the default target 4,0 (KS's advice) for the factors of its
//! year where the year has no default target, in the same transaction. Reference values
//! likewise (`referanseverdi`).
//!
//! Sharing does not carry these rows yet: a replica refuses them rather than keep them
//! where no colleague sees them (docs/decisions.md «Undersøkelser»).

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::model::{
    ReferenceValue, Survey, SurveyKind, SurveyResult, Target, TEN_FACTOR, TEN_FACTOR_TARGET,
};
use crate::rules;
use crate::text::nfc;

use super::apply::log_change;
use super::audit::{json, Change, Writer};
use super::rows;
use super::targets::unit_codes;
use super::ApplySummary;

/// Every survey, by name.
pub fn surveys(conn: &Connection) -> Result<Vec<Survey>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, kind, min_respondents FROM surveys ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (name, kind, min) = row?;
        let kind = SurveyKind::parse(&kind)
            .ok_or_else(|| Error::Corrupt(format!("undersøkelsen «{name}» har typen «{kind}»")))?;
        let min_respondents = u32::try_from(min)
            .map_err(|_| Error::Corrupt(format!("undersøkelsen «{name}» har minst {min} svar")))?;
        out.push(Survey {
            name,
            kind,
            min_respondents,
        });
    }
    Ok(out)
}

/// Every survey result, in key order: by indicator, unit and round (no sort needed; the
/// engine orders them itself).
pub fn results(conn: &Connection) -> Result<Vec<SurveyResult>> {
    let mut stmt = conn.prepare_cached(
        "SELECT survey, indicator, unit, year, score, respondents FROM survey_results
         ORDER BY indicator, unit, year",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SurveyResult {
            survey: r.get(0)?,
            indicator: r.get(1)?,
            unit: r.get(2)?,
            year: r.get(3)?,
            score: r.get(4)?,
            respondents: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every reference value, by indicator, series and period.
pub fn references(conn: &Connection) -> Result<Vec<ReferenceValue>> {
    let mut stmt = conn.prepare_cached(
        "SELECT indicator, series, period, value FROM reference_values
         ORDER BY indicator, series, period",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ReferenceValue {
            indicator: r.get(0)?,
            series: r.get(1)?,
            period: r.get(2)?,
            value: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// What a database holds that sharing does not carry yet (counted before `malkart publish`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LocalOnly {
    /// Targets that follow a reference series (`≥ landet`).
    pub relative_targets: usize,
    pub survey_results: usize,
    pub reference_values: usize,
}

pub fn local_only(conn: &Connection) -> Result<LocalOnly> {
    let count = |sql: &str| -> Result<usize> {
        let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    };
    Ok(LocalOnly {
        relative_targets: count("SELECT count(*) FROM targets WHERE reference IS NOT NULL")?,
        survey_results: count("SELECT count(*) FROM survey_results")?,
        reference_values: count("SELECT count(*) FROM reference_values")?,
    })
}

/// A replica does not carry survey rows yet.
fn not_in_replica(conn: &Connection, what: &str) -> Result<()> {
    if super::replica::info(conn)?.is_some() {
        return Err(Error::Invalid(format!(
            "{what} kan ennå ikke deles med Målkart-serveren; registrer dem i en lokal \
             database"
        )));
    }
    Ok(())
}

/// Sets a survey's minimum respondents (audited); `false` when it already was.
pub fn set_minimum(conn: &Connection, name: &str, min: u32, log: &Writer<'_>) -> Result<bool> {
    not_in_replica(conn, "Undersøkelser")?;
    if min == 0 {
        return Err(Error::invalid_field(
            "min_respondents",
            "minste antall svar må være minst 1",
        ));
    }
    let Some(old) = surveys(conn)?.into_iter().find(|s| s.name == name) else {
        return Err(Error::Invalid(format!("ukjent undersøkelse «{name}»")));
    };
    if old.min_respondents == min {
        return Ok(false);
    }
    conn.prepare_cached("UPDATE surveys SET min_respondents = ?2 WHERE name = ?1")?
        .execute(params![name, min])?;
    let new = Survey {
        min_respondents: min,
        ..old.clone()
    };
    let (old, new) = (json(&old), json(&new));
    let mut stmt = None;
    log_change(
        conn,
        Some(log),
        &mut stmt,
        &Change {
            entity: "undersøkelse",
            key: name,
            old: Some(&old),
            new: Some(&new),
            ..Change::default()
        },
    )?;
    Ok(true)
}

pub fn apply_results(
    conn: &Connection,
    results: &[SurveyResult],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    not_in_replica(conn, "Undersøkelsesresultater")?;
    let results: Vec<SurveyResult> = results
        .iter()
        .map(|r| SurveyResult {
            survey: nfc(r.survey.trim()).into_owned(),
            indicator: r.indicator.trim().to_string(),
            unit: r.unit.trim().to_string(),
            ..r.clone()
        })
        .collect();
    let indicators: HashMap<String, crate::model::Indicator> = rows::indicators(conn)?
        .into_iter()
        .map(|i| (i.code.clone(), i))
        .collect();
    let units = unit_codes(conn)?;
    let locked = rows::locked_set(conn)?;
    let mut known: HashMap<String, Survey> = surveys(conn)?
        .into_iter()
        .map(|s| (s.name.clone(), s))
        .collect();
    // The survey each indicator's stored results belong to.
    let mut stored_survey: HashMap<String, String> = HashMap::new();
    {
        let mut stmt =
            conn.prepare_cached("SELECT DISTINCT indicator, survey FROM survey_results")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (i, s) = row?;
            stored_survey.insert(i, s);
        }
    }
    let mut new_surveys: Vec<Survey> = Vec::new();
    let mut seen = HashSet::new();
    for r in &results {
        let ind = indicators
            .get(&r.indicator)
            .ok_or_else(|| Error::UnknownIndicator(r.indicator.clone()))?;
        if !units.contains(&r.unit) {
            return Err(Error::UnknownUnit(r.unit.clone()));
        }
        if !known.contains_key(&r.survey) {
            rules::series_name(&r.survey, "undersøkelse", "undersøkelsen")?;
            let s = Survey::new(&r.survey, SurveyKind::Bedrekommune);
            known.insert(s.name.clone(), s.clone());
            new_surveys.push(s);
        }
        let kind = known
            .get(&r.survey)
            .map_or(SurveyKind::Bedrekommune, |s| s.kind);
        let def = rules::Surveyed {
            frequency: ind.frequency,
            aggregation: ind.aggregation,
            ten_factor: crate::engine::surveys::is_ten_factor(ind),
            kind,
            stored_survey: stored_survey.get(&r.indicator).map(String::as_str),
        };
        rules::survey_result(r, &def, &locked)?;
        // Within the set too, an indicator belongs to one survey.
        stored_survey
            .entry(r.indicator.clone())
            .or_insert_with(|| r.survey.clone());
        if !seen.insert((r.indicator.clone(), r.unit.clone(), r.year)) {
            return Err(Error::Duplicate(format!(
                "undersøkelsesresultat {} / {} / {}",
                r.indicator, r.unit, r.year
            )));
        }
    }

    let mut summary = ApplySummary::default();
    let mut log_stmt = None;
    for s in &new_surveys {
        conn.prepare_cached(
            "INSERT INTO surveys (name, kind, min_respondents) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![s.name, s.kind.key(), s.min_respondents])?;
        let new = json(s);
        log_change(
            conn,
            log,
            &mut log_stmt,
            &Change {
                entity: "undersøkelse",
                key: &s.name,
                new: Some(&new),
                ..Change::default()
            },
        )?;
    }
    let mut select = conn.prepare_cached(
        "SELECT survey, score, respondents FROM survey_results
         WHERE indicator = ?1 AND unit = ?2 AND year = ?3",
    )?;
    let mut upsert = conn.prepare_cached(
        "INSERT INTO survey_results (indicator, unit, year, survey, score, respondents)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (indicator, unit, year) DO UPDATE SET survey = excluded.survey,
             score = excluded.score, respondents = excluded.respondents",
    )?;
    for r in &results {
        let old: Option<SurveyResult> = select
            .query_row(params![r.indicator, r.unit, r.year], |row| {
                Ok(SurveyResult {
                    survey: row.get(0)?,
                    score: row.get(1)?,
                    respondents: row.get(2)?,
                    ..r.clone()
                })
            })
            .optional()?;
        match &old {
            Some(old) if old == r => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => summary.changed += 1,
            None => summary.created += 1,
        }
        upsert.execute(params![
            r.indicator,
            r.unit,
            r.year,
            r.survey,
            r.score,
            r.respondents
        ])?;
        let old = old.as_ref().map(json);
        let new = json(r);
        let year = r.year.to_string();
        log_change(
            conn,
            log,
            &mut log_stmt,
            &Change {
                entity: "undersøkelsesresultat",
                key: "",
                indicator: Some(&r.indicator),
                unit: Some(&r.unit),
                period: Some(&year),
                old: old.as_deref(),
                new: Some(&new),
                ..Change::default()
            },
        )?;
    }
    default_targets(conn, &results, log)?;
    Ok(summary)
}

/// KS's target 4,0 as the default target of each 10-FAKTOR factor for a round's year that
/// has none.
fn default_targets(
    conn: &Connection,
    results: &[SurveyResult],
    log: Option<&Writer<'_>>,
) -> Result<()> {
    let mut wanted: Vec<(String, i32)> = results
        .iter()
        .filter(|r| r.survey == TEN_FACTOR)
        .map(|r| (r.indicator.clone(), r.year))
        .collect();
    wanted.sort();
    wanted.dedup();
    let mut exists = conn.prepare_cached(
        "SELECT 1 FROM targets WHERE indicator = ?1 AND unit IS NULL AND year = ?2",
    )?;
    let mut missing = Vec::new();
    for (indicator, year) in wanted {
        if exists
            .query_row(params![indicator, year], |_| Ok(()))
            .optional()?
            .is_none()
        {
            missing.push(Target {
                indicator,
                unit: None,
                year,
                target: TEN_FACTOR_TARGET,
                red_limit: None,
                reference: None,
            });
        }
    }
    if !missing.is_empty() {
        super::targets::apply(conn, &missing, log)?;
    }
    Ok(())
}

pub fn apply_references(
    conn: &Connection,
    values: &[ReferenceValue],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    not_in_replica(conn, "Referanseverdier")?;
    let indicators: HashSet<String> = rows::indicators(conn)?
        .into_iter()
        .map(|i| i.code)
        .collect();
    // The period in its canonical form and the series' name composed, whatever the door.
    let mut tidy = Vec::with_capacity(values.len());
    let mut seen = HashSet::new();
    for v in values {
        rules::reference_value(v)?;
        if !indicators.contains(&v.indicator) {
            return Err(Error::UnknownIndicator(v.indicator.clone()));
        }
        let period = crate::period::Period::parse(&v.period)
            .map(|p| p.to_string())
            .unwrap_or_else(|_| v.period.clone());
        let v = ReferenceValue {
            series: nfc(v.series.trim()).into_owned(),
            period,
            ..v.clone()
        };
        if !seen.insert((v.indicator.clone(), v.series.clone(), v.period.clone())) {
            return Err(Error::Duplicate(format!(
                "referanseverdi {} / {} / {}",
                v.indicator, v.series, v.period
            )));
        }
        tidy.push(v);
    }
    let mut summary = ApplySummary::default();
    let mut log_stmt = None;
    let mut select = conn.prepare_cached(
        "SELECT value FROM reference_values WHERE indicator = ?1 AND series = ?2 AND period = ?3",
    )?;
    let mut upsert = conn.prepare_cached(
        "INSERT INTO reference_values (indicator, series, period, value) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (indicator, series, period) DO UPDATE SET value = excluded.value",
    )?;
    for v in &tidy {
        let old: Option<f64> = select
            .query_row(params![v.indicator, v.series, v.period], |r| r.get(0))
            .optional()?;
        match old {
            Some(old) if old == v.value => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => summary.changed += 1,
            None => summary.created += 1,
        }
        upsert.execute(params![v.indicator, v.series, v.period, v.value])?;
        let old = old.map(|value| json(&ReferenceValue { value, ..v.clone() }));
        let new = json(v);
        let key = format!("{} / {}", v.indicator, v.series);
        log_change(
            conn,
            log,
            &mut log_stmt,
            &Change {
                entity: "referanseverdi",
                key: &key,
                indicator: Some(&v.indicator),
                period: Some(&v.period),
                old: old.as_deref(),
                new: Some(&new),
                ..Change::default()
            },
        )?;
    }
    Ok(summary)
}
