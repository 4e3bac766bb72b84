//! `undersøkelse` files (surveys.md §3): one unit's score for one factor of a survey round,
//! with the number of respondents — `undersøkelse;faktor;enhet;år;snitt;antall_svar`.
//! `undersøkelse` is `10-faktor` or the name of a bedrekommune survey; `faktor` a 10-FAKTOR
//! factor's name, or an indicator's code or name.

use std::collections::{HashMap, HashSet};

use super::cells::Cells;
use super::header::{required, ColumnSpec, Columns};
use super::problems::Problems;
use super::reader::Table;
use crate::changes::Catalog;
use crate::model::{
    ten_factor_code, Aggregation, Frequency, Indicator, SurveyKind, SurveyResult, TEN_FACTOR,
    TEN_FACTORS,
};

pub static COLUMNS: &[ColumnSpec] = &[
    required("undersøkelse", &["survey"]).free_text(),
    required("faktor", &["factor", "indikator", "dimensjon"]).free_text(),
    required("enhet", &["unit"]),
    required("år", &["year", "runde"]),
    required("snitt", &["score", "gjennomsnitt"]),
    required("antall_svar", &["respondents", "svar", "antall svar"]),
];

/// The indicator a factor names: for 10-FAKTOR a factor's name or `TF-n`; otherwise an
/// indicator's code, else its name (case does not matter).
fn factor<'c>(
    kind: SurveyKind,
    text: &str,
    by_code: &HashMap<&str, &'c Indicator>,
    by_name: &HashMap<String, &'c Indicator>,
) -> Result<&'c Indicator, String> {
    let folded = text.trim().to_lowercase();
    if kind == SurveyKind::TenFactor {
        let code = TEN_FACTORS
            .iter()
            .position(|f| f.to_lowercase() == folded)
            .map(|k| ten_factor_code(k + 1))
            .unwrap_or_else(|| text.trim().to_uppercase());
        return by_code
            .get(code.as_str())
            .copied()
            .filter(|i| i.builtin)
            .ok_or_else(|| {
                format!(
                    "«{text}» er ingen av de ti faktorene i 10-FAKTOR (f.eks. «{}» eller TF-1)",
                    TEN_FACTORS[0]
                )
            });
    }
    by_code
        .get(text.trim())
        .or_else(|| by_name.get(&folded))
        .copied()
        .ok_or_else(|| format!("ukjent indikator «{text}»: skriv indikatorens kode eller navn"))
}

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
) -> Vec<SurveyResult> {
    let by_code: HashMap<&str, &Indicator> = catalog
        .indicators
        .iter()
        .map(|i| (i.code.as_str(), i))
        .collect();
    let by_name: HashMap<String, &Indicator> = catalog
        .indicators
        .iter()
        .map(|i| (i.name.trim().to_lowercase(), i))
        .collect();
    let units: HashSet<&str> = catalog.units.iter().map(|u| u.code.as_str()).collect();
    let mut seen: HashMap<(String, String, i32), u64> = HashMap::new();
    let mut out = Vec::new();
    for record in table.records.iter() {
        let c = Cells { record, columns };
        let survey = c.required(problems, "undersøkelse").map(|s| {
            if s.trim().eq_ignore_ascii_case("10-faktor") {
                (TEN_FACTOR.to_string(), SurveyKind::TenFactor)
            } else {
                (s.trim().to_string(), SurveyKind::Bedrekommune)
            }
        });
        let indicator = match (&survey, c.required(problems, "faktor")) {
            (Ok((_, kind)), Ok(text)) => factor(*kind, text, &by_code, &by_name)
                .map_err(|m| c.error(problems, "faktor", m))
                .and_then(|ind| {
                    if ind.frequency != Frequency::Ar || ind.aggregation == Aggregation::Brok {
                        Err(c.error(
                            problems,
                            "faktor",
                            format!(
                                "indikatoren {} må være årlig og ikke en brøk for å ta \
                                 undersøkelsesresultater (den er {}, {})",
                                ind.code,
                                ind.frequency.key(),
                                ind.aggregation.key()
                            ),
                        ))
                    } else if ind.builtin && !ind.code.starts_with("TF-") {
                        Err(c.error(
                            problems,
                            "faktor",
                            format!(
                                "{} regnes ut av Målkart og tar ikke undersøkelsesresultater",
                                ind.code
                            ),
                        ))
                    } else if ind.code.starts_with("TF-")
                        && ind.builtin
                        && *kind != SurveyKind::TenFactor
                    {
                        Err(c.error(
                            problems,
                            "faktor",
                            format!(
                                "{} er en 10-FAKTOR-faktor; skriv «10-faktor» som undersøkelse",
                                ind.code
                            ),
                        ))
                    } else {
                        Ok(ind)
                    }
                }),
            _ => Err(super::cells::Reported),
        };
        let unit = c.required(problems, "enhet").and_then(|u| {
            if units.contains(u) {
                Ok(u)
            } else {
                Err(c.error(problems, "enhet", format!("ukjent enhet «{u}»")))
            }
        });
        let year = c.required_year(problems, "år");
        let score = match (&survey, c.required_number(problems, "snitt")) {
            (Ok((_, kind)), Ok(x)) => {
                let (low, high) = kind.scale();
                if x < low || x > high {
                    Err(c.error(
                        problems,
                        "snitt",
                        format!(
                            "snittet «{}» ligger utenfor skalaen {}–{} for {}",
                            c.text("snitt"),
                            low,
                            high,
                            if *kind == SurveyKind::TenFactor {
                                "10-FAKTOR"
                            } else {
                                "bedrekommune.no"
                            }
                        ),
                    ))
                } else {
                    Ok(x)
                }
            }
            (_, x) => x,
        };
        let respondents = c.required(problems, "antall_svar").and_then(|t| {
            t.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                c.error(
                    problems,
                    "antall_svar",
                    format!("«{t}» er ikke et helt antall svar (minst 1)"),
                )
            })
        });
        let (Ok((survey, _)), Ok(ind), Ok(unit), Ok(year), Ok(score), Ok(respondents)) =
            (survey, indicator, unit, year, score, respondents)
        else {
            continue;
        };
        let key = (ind.code.clone(), unit.to_string(), year);
        if let Some(first) = seen.get(&key) {
            c.line_error(
                problems,
                format!("samme faktor, enhet og år som linje {first}"),
            );
            continue;
        }
        seen.insert(key, c.line());
        out.push(SurveyResult {
            survey,
            indicator: ind.code.clone(),
            unit: unit.to_string(),
            year,
            score,
            respondents,
        });
    }
    out
}
