//! Surveys and reference series (surveys.md): a survey's settings, one unit's score for one
//! factor and round with its number of respondents, and a value of a named reference series
//! (`Landet`, `KOSTRA-gruppe 13`) for an indicator and period.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The built-in employee survey's name, as stored and shown.
pub const TEN_FACTOR: &str = "10-FAKTOR";

/// The ten 10-FAKTOR factors, in KS's order: factor `n` is the built-in indicator `TF-n`.
pub const TEN_FACTORS: [&str; 10] = [
    "Mestringsorientert ledelse",
    "Mestringsklima",
    "Selvstendighet",
    "Rolleklarhet",
    "Oppgavemotivasjon",
    "Mestringstro",
    "Nyttemotivasjon",
    "Relevant kompetanseutvikling",
    "Fleksibilitetsvilje",
    "Bruk av kompetanse",
];

/// The target KS advises for every 10-FAKTOR factor: set as the default target of a
/// round's year when the round is stored and the year has none.
pub const TEN_FACTOR_TARGET: f64 = 4.0;

/// The indicator code of 10-FAKTOR factor `n` (1–10).
pub fn ten_factor_code(n: usize) -> String {
    format!("TF-{n}")
}

/// Which kind of survey: the scale and the default minimum follow from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum SurveyKind {
    /// KS's employee survey: scale 1–5, shown from 3 respondents.
    #[serde(rename = "10-faktor")]
    TenFactor,
    /// A user survey of bedrekommune.no: scale 1–6, shown from 5 respondents.
    #[serde(rename = "bedrekommune")]
    Bedrekommune,
}

impl SurveyKind {
    pub fn key(self) -> &'static str {
        match self {
            SurveyKind::TenFactor => "10-faktor",
            SurveyKind::Bedrekommune => "bedrekommune",
        }
    }
    pub fn parse(text: &str) -> Option<SurveyKind> {
        match text.trim().to_lowercase().as_str() {
            "10-faktor" => Some(SurveyKind::TenFactor),
            "bedrekommune" => Some(SurveyKind::Bedrekommune),
            _ => None,
        }
    }
    /// The lowest and highest score of the scale.
    pub fn scale(self) -> (f64, f64) {
        match self {
            SurveyKind::TenFactor => (1.0, 5.0),
            SurveyKind::Bedrekommune => (1.0, 6.0),
        }
    }
    /// The fewest respondents a score is shown for, unless the survey's setting says
    /// otherwise.
    pub fn default_minimum(self) -> u32 {
        match self {
            SurveyKind::TenFactor => 3,
            SurveyKind::Bedrekommune => 5,
        }
    }
}

/// A survey and its settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Survey {
    /// `10-FAKTOR`, or the bedrekommune survey's name (`Brukerundersøkelse i barnehage`).
    pub name: String,
    pub kind: SurveyKind,
    /// A score with fewer respondents is masked everywhere.
    pub min_respondents: u32,
}

impl Survey {
    pub fn new(name: &str, kind: SurveyKind) -> Survey {
        Survey {
            name: name.to_string(),
            kind,
            min_respondents: kind.default_minimum(),
        }
    }
}

/// One unit's score for one factor (an indicator) in one round (a year).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SurveyResult {
    pub survey: String,
    pub indicator: String,
    pub unit: String,
    /// The round: the year the survey was taken.
    pub year: i32,
    /// The mean score, on the survey's scale.
    pub score: f64,
    /// `antall svar`.
    pub respondents: u32,
}

/// One value of a reference series: `Landet` 4,3 for `TF-1` in 2026.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReferenceValue {
    pub indicator: String,
    /// `Landet`, `KOSTRA-gruppe 13`, a neighbour municipality.
    pub series: String,
    /// Canonical period id: `2026`, `2026-K3`, `2026-09`.
    pub period: String,
    pub value: f64,
}
