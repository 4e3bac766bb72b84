//! The rules on input that every door shares (import, the grids, the app's forms, storage,
//! and later the server): pure checks of one row against the rules of the model and, where
//! a rule needs them, the rows it relates to (a `Catalog`, the stored definition). Storage
//! stays the last gate: it calls these on every change set, whatever door it came through.
//! Import states its own refusals per line and column (files.md) but decides them with
//! the same predicates (`is_valid_unit_code`, `Target::red_limit_on_wrong_side`,
//! `unit_cycles`).
//!
//! - codes: `is_valid_unit_code`, `is_valid_indicator_code`; a unit's and an indicator's
//!   own fields (`unit`, `indicator`);
//! - the unit tree: `unit_tree` (no unit under itself);
//! - built-in indicators: `builtin_unchanged`, and no measurements (`measurement`);
//! - definition changes that would strand measurements: `stranding`;
//! - targets: `target` (year, numbers, red limit), `red_limit` — a red limit equal to the
//!   target is allowed (`Target::red_limit_on_wrong_side`);
//! - measurements: `measurement` (span of the frequency, kind of figure, locked months);
//! - tiltak: `action` (own fields), `action_progress`, `action_refs` (goal, unit,
//!   indicators known).

use std::collections::{BTreeSet, HashMap};

use crate::error::{Error, Result};
use crate::model::{
    Action, ActionStatus, Aggregation, Direction, Figure, Frequency, Indicator, Measurement,
    ReferenceValue, SurveyKind, SurveyResult, Target, Unit,
};
use crate::number::parse_decimal;
use crate::period::{Month, MAX_YEAR, MIN_YEAR};
use crate::text::invisible_message;

pub use crate::engine::unit_cycles;

/// A number as Norwegians write it, without rounding: `7,5`, `−2`.
pub(crate) fn plain(x: f64) -> String {
    x.to_string().replace('.', ",").replace('-', "−")
}

/// Is `code` a valid indicator code: 1–32 of `A–Z a–z 0–9 . _ -`?
pub fn is_valid_indicator_code(code: &str) -> bool {
    (1..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
}

/// Is `code` a valid unit code: 1–32 characters after trimming, every one visible (no
/// control, format or bidi characters: `crate::text`), in Unicode normal form C?
pub fn is_valid_unit_code(code: &str) -> bool {
    let n = code.chars().count();
    (1..=32).contains(&n)
        && code.trim() == code
        && crate::text::first_invisible(code).is_none()
        && crate::text::is_nfc(code)
}

/// A unit's own fields: a visible, valid code and a name.
pub fn unit(unit: &Unit) -> Result<()> {
    if let Some(message) = invisible_message(&unit.code) {
        return Err(Error::invalid_field(
            "kode",
            format!("enhetskoden {message}"),
        ));
    }
    if !is_valid_unit_code(&unit.code) {
        return Err(Error::invalid_field(
            "kode",
            format!(
                "«{}» er ikke en gyldig enhetskode: 1–32 tegn, uten mellomrom først eller sist",
                unit.code
            ),
        ));
    }
    if unit.name.trim().is_empty() {
        return Err(Error::invalid_field(
            "navn",
            format!("enhet «{}» mangler navn", unit.code),
        ));
    }
    Ok(())
}

/// The unit tree given by `parents` (code → parent code) has no cycle: no unit lies under
/// itself. The first loop found (walking up from the codes in sorted order) is named.
pub fn unit_tree(parents: &HashMap<&str, Option<&str>>) -> Result<()> {
    let mut codes: Vec<&str> = parents.keys().copied().collect();
    codes.sort_unstable();
    match unit_cycles(parents, codes).into_iter().next() {
        None => Ok(()),
        Some(mut lap) => {
            if let Some(&first) = lap.first() {
                lap.push(first);
            }
            Err(Error::invalid_field(
                "overordnet",
                format!(
                    "enhetene danner en sløyfe i enhetstreet: {}; en enhet kan ikke ligge under \
                     seg selv",
                    lap.join(" → ")
                ),
            ))
        }
    }
}

/// An indicator's own fields: code, name, decimals, factor.
pub fn indicator(ind: &Indicator) -> Result<()> {
    if !is_valid_indicator_code(&ind.code) {
        return Err(Error::invalid_field(
            "kode",
            format!(
                "«{}» er ikke en gyldig indikatorkode: 1–32 tegn av A–Z, a–z, 0–9, punktum, \
                 understrek og bindestrek",
                ind.code
            ),
        ));
    }
    if ind.name.trim().is_empty() {
        return Err(Error::invalid_field(
            "navn",
            format!("indikator «{}» mangler navn", ind.code),
        ));
    }
    if ind.decimals > 4 {
        return Err(Error::invalid_field(
            "desimaler",
            format!(
                "indikator «{}»: antall desimaler må være 0–4, ikke {}",
                ind.code, ind.decimals
            ),
        ));
    }
    if !ind.factor.is_finite() || (ind.aggregation == Aggregation::Brok && ind.factor == 0.0) {
        return Err(Error::invalid_field(
            "faktor",
            format!(
                "indikator «{}»: faktoren må være et tall forskjellig fra 0",
                ind.code
            ),
        ));
    }
    Ok(())
}

/// A built-in indicator (seeded by migration 0002) cannot be redefined, and no new one can
/// be declared built in; `old` is the stored definition, if any.
pub fn builtin_unchanged(old: Option<&Indicator>, new: &Indicator) -> Result<()> {
    let refused = match old {
        Some(old) => old.builtin && old != new,
        None => new.builtin,
    };
    if refused {
        return Err(Error::BuiltIn(new.code.clone()));
    }
    Ok(())
}

/// engine.md §8: a new frequency or aggregation would strand the registered figures (their
/// spans or their kind of figure no longer fit), so it is refused while any exist.
/// `counts` gives the measurements of the indicator per unit, in unit order; it is asked
/// only when the definition changes in a way that matters.
pub fn stranding(
    old: &Indicator,
    new: &Indicator,
    counts: impl FnOnce() -> Result<Vec<(String, i64)>>,
) -> Result<()> {
    let mut what = Vec::new();
    if old.frequency != new.frequency {
        what.push(format!(
            "frekvens fra {} til {}",
            old.frequency.key(),
            new.frequency.key()
        ));
    }
    if old.aggregation != new.aggregation {
        what.push(format!(
            "aggregering fra {} til {}",
            old.aggregation.key(),
            new.aggregation.key()
        ));
    }
    if what.is_empty() {
        return Ok(());
    }
    let counts = counts()?;
    if counts.is_empty() {
        return Ok(());
    }
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    const SHOWN: usize = 10;
    let mut units: Vec<String> = counts
        .iter()
        .take(SHOWN)
        .map(|(unit, n)| format!("{unit}: {n}"))
        .collect();
    if counts.len() > SHOWN {
        units.push(format!("og {} enheter til", counts.len() - SHOWN));
    }
    Err(Error::Conflict(format!(
        "indikator «{}»: kan ikke endre {} fordi det finnes {total} {} registrert \
         (enhet {}); slett eller gjør om målingene først",
        new.code,
        what.join(" og "),
        if total == 1 { "måling" } else { "målinger" },
        units.join(", ")
    )))
}

/// A new direction must leave every stored target's red limit on the right side.
pub fn direction_change(old: &Indicator, new: &Indicator, targets: &[Target]) -> Result<()> {
    if old.direction == new.direction {
        return Ok(());
    }
    match targets
        .iter()
        .find(|t| t.red_limit_on_wrong_side(new.direction))
    {
        None => Ok(()),
        Some(t) => Err(Error::Conflict(format!(
            "indikator «{}»: kan ikke endre retning fra {} til {}: {}",
            new.code,
            old.direction.key(),
            new.direction.key(),
            wrong_side_message(t, new.direction)
        ))),
    }
}

/// `SF / 2000 / 2026`, `SF / alle enheter / 2026`.
pub fn target_key(t: &Target) -> String {
    format!(
        "{} / {} / {}",
        t.indicator,
        t.unit.as_deref().unwrap_or("alle enheter"),
        t.year
    )
}

fn wrong_side_message(t: &Target, direction: Direction) -> String {
    let rule = match direction {
        Direction::Hoy => "når høyere er bedre, kan rødgrensen ikke være høyere enn målet",
        Direction::Lav => "når lavere er bedre, kan rødgrensen ikke være lavere enn målet",
    };
    format!(
        "mål {}: rødgrensen {} ligger på feil side av målet {}; {rule}",
        target_key(t),
        t.red_limit.map(plain).unwrap_or_default(),
        plain(t.target)
    )
}

/// The red limit is on the good side of the target or equal to it (model.rs,
/// `Target::red_limit_on_wrong_side`): for `høy` R ≤ T, for `lav` R ≥ T.
pub fn red_limit(t: &Target, direction: Direction) -> Result<()> {
    if t.red_limit_on_wrong_side(direction) {
        return Err(Error::invalid_field(
            "rødgrense",
            wrong_side_message(t, direction),
        ));
    }
    Ok(())
}

/// A target's own values against its indicator's `direction`: a year in range, numbers,
/// the red limit on the right side.
pub fn target(t: &Target, direction: Direction) -> Result<()> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&t.year) {
        return Err(Error::invalid_field(
            "år",
            format!(
                "mål {}: året må være mellom {MIN_YEAR} og {MAX_YEAR}",
                target_key(t)
            ),
        ));
    }
    if !t.target.is_finite() || t.red_limit.is_some_and(|r| !r.is_finite()) {
        return Err(Error::invalid_field(
            "mål",
            format!("mål {}: målet og rødgrensen må være tall", target_key(t)),
        ));
    }
    if let Some(series) = &t.reference {
        // The series' value is the target; a red limit's side is judged per period.
        return series_name(series, "målverdi", "referanseserien");
    }
    red_limit(t, direction)
}

/// A target typed relative to a reference series: `≥ landet`, `>= Landet`, `landet`
/// (`≤ …` for an indicator where lower is better) gives the series' name as typed after
/// the sign; `None` for a number.
pub fn relative_target(text: &str) -> Option<String> {
    let t = text.trim();
    let rest = ["≥", ">=", "≤", "<="]
        .iter()
        .find_map(|sign| t.strip_prefix(sign))
        .unwrap_or(t)
        .trim();
    let starts_with_letter = rest.chars().next().is_some_and(char::is_alphabetic);
    (starts_with_letter && parse_decimal(t).is_err()).then(|| rest.to_string())
}

/// What a measurement is checked against: its indicator's definition.
#[derive(Clone, Copy, Debug)]
pub struct Measured {
    pub frequency: Frequency,
    pub ratio: bool,
    pub builtin: bool,
}

/// One measurement against its indicator: not built in, a span of the frequency, the kind
/// of figure the indicator takes, numbers, no locked month.
pub fn measurement(m: &Measurement, def: &Measured, locked: &BTreeSet<Month>) -> Result<()> {
    if def.builtin {
        return Err(Error::BuiltInMeasured(m.indicator.clone()));
    }
    if !m.span.is_span_of(def.frequency) {
        return Err(Error::invalid_field(
            "periode",
            format!(
                "måling {} / {}: perioden {} passer ikke indikatorens frekvens ({})",
                m.indicator,
                m.unit,
                m.span,
                def.frequency.key()
            ),
        ));
    }
    let finite = match m.figure {
        Figure::Value { value } if !def.ratio => value.is_finite(),
        Figure::Ratio {
            numerator,
            denominator,
        } if def.ratio => numerator.is_finite() && denominator.is_finite(),
        _ => {
            return Err(Error::invalid_field(
                "verdi",
                format!(
                    "måling {} / {} / {}: indikatoren {}",
                    m.indicator,
                    m.unit,
                    m.span,
                    if def.ratio {
                        "er en brøk og trenger teller og nevner, ikke én verdi"
                    } else {
                        "trenger én verdi, ikke teller og nevner"
                    }
                ),
            ))
        }
    };
    if !finite {
        return Err(Error::invalid_field(
            "verdi",
            format!(
                "måling {} / {} / {}: verdien må være et tall",
                m.indicator, m.unit, m.span
            ),
        ));
    }
    if let Some(month) = locked.range(m.span.first()..=m.span.last()).next() {
        return Err(Error::LockedMonth(month.id()));
    }
    Ok(())
}

/// What a survey result is checked against: its indicator and survey.
#[derive(Clone, Copy, Debug)]
pub struct Surveyed<'a> {
    pub frequency: Frequency,
    pub aggregation: Aggregation,
    /// A 10-FAKTOR factor (`TF-n`).
    pub ten_factor: bool,
    pub kind: SurveyKind,
    /// The survey this indicator's stored results belong to, if any.
    pub stored_survey: Option<&'a str>,
}

/// One survey result (surveys.md §1): a yearly indicator that is not a ratio, a 10-FAKTOR
/// factor only in 10-FAKTOR and nothing else there, one survey per indicator, a round that
/// is a year, a score on the survey's scale, at least one respondent, no locked month in
/// the round. The field names are the import file's columns.
pub fn survey_result(r: &SurveyResult, def: &Surveyed<'_>, locked: &BTreeSet<Month>) -> Result<()> {
    let what = format!("{} / {} / {}", r.indicator, r.unit, r.year);
    if def.frequency != Frequency::Ar || def.aggregation == Aggregation::Brok {
        return Err(Error::invalid_field(
            "faktor",
            format!(
                "{what}: indikatoren {} må være årlig og ikke en brøk for å ta \
                 undersøkelsesresultater (den er {}, {})",
                r.indicator,
                def.frequency.key(),
                def.aggregation.key()
            ),
        ));
    }
    if def.ten_factor != (def.kind == SurveyKind::TenFactor) {
        return Err(Error::invalid_field(
            "faktor",
            if def.ten_factor {
                format!(
                    "{what}: {} er en 10-FAKTOR-faktor og hører ikke til «{}»",
                    r.indicator, r.survey
                )
            } else {
                format!(
                    "{what}: 10-FAKTOR har bare de ti faktorene TF-1 … TF-10, ikke {}",
                    r.indicator
                )
            },
        ));
    }
    if let Some(other) = def.stored_survey.filter(|s| *s != r.survey) {
        return Err(Error::invalid_field(
            "undersøkelse",
            format!(
                "{what}: indikatoren {} har resultater fra undersøkelsen «{other}» fra før; én \
                 indikator hører til én undersøkelse",
                r.indicator
            ),
        ));
    }
    if !(MIN_YEAR..=MAX_YEAR).contains(&r.year) {
        return Err(Error::invalid_field(
            "år",
            format!("{what}: året må ligge mellom {MIN_YEAR} og {MAX_YEAR}"),
        ));
    }
    let (low, high) = def.kind.scale();
    if !r.score.is_finite() || r.score < low || r.score > high {
        return Err(Error::invalid_field(
            "snitt",
            format!(
                "{what}: snittet må ligge på skalaen {} (fikk {})",
                scale_words(low, high),
                nb(r.score)
            ),
        ));
    }
    if r.respondents == 0 {
        return Err(Error::invalid_field(
            "antall_svar",
            format!("{what}: antall svar må være minst 1"),
        ));
    }
    let first = Month::new(r.year, 1).unwrap_or(Month::from_index(r.year * 12));
    if let Some(month) = locked.range(first..=first.plus(11)).next() {
        return Err(Error::LockedMonth(month.id()));
    }
    Ok(())
}

fn scale_words(low: f64, high: f64) -> String {
    format!("{}–{}", nb(low), nb(high))
}

/// A number as typed in Norwegian: `4,25`.
fn nb(x: f64) -> String {
    x.to_string().replace('.', ",")
}

/// The longest name of a survey or a reference series.
pub const MAX_SERIES_NAME: usize = 80;

/// A survey's or a reference series' name: text people can see, at most 80 characters.
pub fn series_name(name: &str, field: &str, what: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid_field(field, format!("{what} mangler navn")));
    }
    if let Some(message) = invisible_message(name) {
        return Err(Error::invalid_field(
            field,
            format!("navnet på {what} {message}"),
        ));
    }
    if name.chars().count() > MAX_SERIES_NAME {
        return Err(Error::invalid_field(
            field,
            format!("navnet på {what} er lengre enn {MAX_SERIES_NAME} tegn"),
        ));
    }
    Ok(())
}

/// One value of a reference series (surveys.md §2): a name, a canonical period, a number.
pub fn reference_value(r: &ReferenceValue) -> Result<()> {
    series_name(&r.series, "serie", "referanseserien")?;
    if crate::period::Period::parse(&r.period).is_err() {
        return Err(Error::invalid_field(
            "periode",
            format!(
                "{} / {}: «{}» er ingen periode",
                r.indicator, r.series, r.period
            ),
        ));
    }
    if !r.value.is_finite() {
        return Err(Error::invalid_field(
            "verdi",
            format!(
                "{} / {} / {}: verdien må være et tall",
                r.indicator, r.series, r.period
            ),
        ));
    }
    Ok(())
}

/// A tiltak's own fields (tiltak.md §1): a valid code, a title, a goal, a unit and who is
/// responsible; months that are months, the deadline not before the start; progress 0–100
/// and 100 when `fullført`; a cost within the economy's bounds; indicator codes that are
/// codes, each once. The field names are the import file's columns.
pub fn action(a: &Action) -> Result<()> {
    if let Some(message) = invisible_message(&a.code) {
        return Err(Error::invalid_field(
            "kode",
            format!("tiltakskoden {message}"),
        ));
    }
    if !is_valid_unit_code(&a.code) {
        return Err(Error::invalid_field(
            "kode",
            format!("«{}» er ikke en gyldig tiltakskode (1–32 tegn)", a.code),
        ));
    }
    for (field, value) in [
        ("tittel", &a.title),
        ("mål", &a.goal),
        ("enhet", &a.unit),
        ("ansvarlig", &a.responsible),
    ] {
        if value.trim().is_empty() {
            return Err(Error::invalid_field(
                field,
                format!("tiltak «{}» mangler {field}", a.code),
            ));
        }
    }
    let month = |field: &str, text: &Option<String>| -> Result<Option<Month>> {
        match text {
            None => Ok(None),
            Some(t) => Month::parse_id(t).map(Some).ok_or_else(|| {
                Error::invalid_field(
                    field,
                    format!("«{t}» er ikke en måned; skriv for eksempel 2026-03"),
                )
            }),
        }
    };
    let start = month("start", &a.start)?;
    let deadline = month("frist", &a.deadline)?;
    if let (Some(s), Some(d)) = (start, deadline) {
        if d < s {
            return Err(Error::invalid_field(
                "frist",
                format!("fristen {d} er før start {s}"),
            ));
        }
    }
    action_progress(a.status, i64::from(a.progress))
        .map_err(|message| Error::invalid_field("fremdrift", message))?;
    if let Some(why) = a.cost_ore.and_then(crate::model::amount_out_of_range) {
        return Err(Error::invalid_field("kostnad", why));
    }
    let mut seen = BTreeSet::new();
    for code in &a.indicators {
        if !is_valid_indicator_code(code) {
            return Err(Error::invalid_field(
                "indikatorer",
                format!("«{code}» er ikke en gyldig indikatorkode"),
            ));
        }
        if !seen.insert(code.as_str()) {
            return Err(Error::invalid_field(
                "indikatorer",
                format!("indikator «{code}» står mer enn én gang"),
            ));
        }
    }
    Ok(())
}

/// Progress in whole per cent, 0–100, and 100 when the status is `fullført`; the message
/// when not.
pub fn action_progress(status: ActionStatus, progress: i64) -> std::result::Result<(), String> {
    if !(0..=100).contains(&progress) {
        return Err(format!(
            "fremdriften må være et helt antall prosent fra 0 til 100, ikke {progress}"
        ));
    }
    if status == ActionStatus::Fullfort && progress != 100 {
        return Err(format!(
            "et fullført tiltak har fremdrift 100 %, ikke {progress} %; sett fremdriften til \
             100 eller velg en annen status"
        ));
    }
    Ok(())
}

/// A tiltak's references: its goal is a goal of the indicator catalogue (spelled as
/// there), its unit and every indicator it names are known.
pub fn action_refs(
    a: &Action,
    goal_known: impl Fn(&str) -> bool,
    unit_known: impl Fn(&str) -> bool,
    indicator_known: impl Fn(&str) -> bool,
) -> Result<()> {
    if !goal_known(&a.goal) {
        return Err(Error::invalid_field(
            "mål",
            format!(
                "ukjent mål «{}»: et tiltak hører til et mål (fokusområde) som indikatorene \
                 har",
                a.goal
            ),
        ));
    }
    if !unit_known(&a.unit) {
        return Err(Error::UnknownUnit(a.unit.clone()));
    }
    if let Some(code) = a.indicators.iter().find(|c| !indicator_known(c)) {
        return Err(Error::UnknownIndicator(code.clone()));
    }
    Ok(())
}

/// Whole per cent as typed: `40`, `40 %`, `40%`; empty is 0.
pub fn whole_percent(text: &str) -> std::result::Result<i64, String> {
    let t = text.trim().trim_end_matches('%').trim();
    if t.is_empty() {
        return Ok(0);
    }
    let d = parse_decimal(t).map_err(|e| e.to_string())?;
    d.to_integer()
        .and_then(|n| i64::try_from(n).ok())
        .ok_or_else(|| format!("«{}» er ikke et helt antall prosent", text.trim()))
}

/// Kroner as typed (`1 250 000,50`, `12 kr`), to whole øre exactly; `None` when empty.
pub fn kroner(text: &str) -> std::result::Result<Option<i64>, String> {
    let t = text.trim().trim_end_matches("kr").trim();
    if t.is_empty() {
        return Ok(None);
    }
    let d = parse_decimal(t).map_err(|e| e.to_string())?;
    let ore = d.to_ore().ok_or_else(|| {
        format!(
            "«{}» er ikke et beløp i hele øre (høyst to desimaler)",
            text.trim()
        )
    })?;
    match crate::model::amount_out_of_range(ore) {
        Some(why) => Err(why),
        None => Ok(Some(ore)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loop_in_the_unit_tree_is_named_unit_by_unit() {
        let parents: HashMap<&str, Option<&str>> = [
            ("1000", None),
            ("2000", Some("3000")),
            ("3000", Some("2000")),
            ("4000", Some("1000")),
        ]
        .into_iter()
        .collect();
        let msg = unit_tree(&parents)
            .map_err(|e| e.to_string())
            .err()
            .unwrap_or_default();
        assert!(msg.contains("2000 → 3000 → 2000"), "{msg}");
    }

    #[test]
    fn a_unit_under_itself_is_a_loop() {
        let parents: HashMap<&str, Option<&str>> = [("1000", Some("1000"))].into_iter().collect();
        assert!(unit_tree(&parents).is_err());
    }

    #[test]
    fn a_forest_is_not_a_loop() {
        let parents: HashMap<&str, Option<&str>> = [
            ("1", None),
            ("2", Some("1")),
            ("3", Some("2")),
            ("9", None),
            ("8", Some("9")),
        ]
        .into_iter()
        .collect();
        assert!(unit_tree(&parents).is_ok());
    }

    #[test]
    fn numbers_in_messages_use_decimal_comma_and_a_real_minus() {
        assert_eq!(plain(7.5), "7,5");
        assert_eq!(plain(-2.0), "−2");
    }

    fn target(direction_good_high: bool, target: f64, red: Option<f64>) -> (Target, Direction) {
        let t = Target {
            indicator: "SF".into(),
            unit: Some("2000".into()),
            year: 2026,
            target,
            red_limit: red,
            reference: None,
        };
        let d = if direction_good_high {
            Direction::Hoy
        } else {
            Direction::Lav
        };
        (t, d)
    }

    #[test]
    fn a_red_limit_equal_to_the_target_is_allowed_on_either_side() {
        // høy: R ≤ T; lav: R ≥ T; R = T is the boundary and allowed (model.rs).
        for high in [true, false] {
            let (t, d) = target(high, 6.0, Some(6.0));
            assert!(red_limit(&t, d).is_ok());
        }
        let (t, d) = target(true, 6.0, Some(6.5));
        let e = red_limit(&t, d)
            .err()
            .map(|e| (e.field().map(String::from), e.to_string()));
        assert_eq!(
            e,
            Some((
                Some("rødgrense".into()),
                "mål SF / 2000 / 2026: rødgrensen 6,5 ligger på feil side av målet 6; når \
                 høyere er bedre, kan rødgrensen ikke være høyere enn målet"
                    .into()
            ))
        );
        let (t, d) = target(false, 6.0, Some(5.5));
        assert!(red_limit(&t, d).is_err());
    }

    #[test]
    fn a_built_in_indicator_is_neither_redefined_nor_declared() {
        let sf = Indicator::builtin_sf();
        assert!(builtin_unchanged(Some(&sf), &sf).is_ok());
        let mut renamed = sf.clone();
        renamed.name = "Fravær".into();
        let kind = |r: Result<()>| r.err().map(|e| e.kind());
        assert_eq!(
            kind(builtin_unchanged(Some(&sf), &renamed)),
            Some("built_in")
        );
        assert_eq!(kind(builtin_unchanged(None, &sf)), Some("built_in"));
    }

    #[test]
    fn stranding_asks_for_the_counts_only_when_the_definition_changes() {
        let old = Indicator::new(
            "OR-AVV",
            "Avvik",
            crate::model::Perspective::Organisasjon,
            Direction::Lav,
            Frequency::Kvartal,
            Aggregation::Brok,
        );
        let renamed = Indicator {
            name: "Avvik per kvartal".into(),
            ..old.clone()
        };
        let never = || -> Result<Vec<(String, i64)>> { panic!("counts asked for") };
        assert!(stranding(&old, &renamed, never).is_ok());
        let monthly = Indicator {
            frequency: Frequency::Maned,
            ..old.clone()
        };
        assert!(stranding(&old, &monthly, || Ok(Vec::new())).is_ok());
        // 3 + 1 = 4 measurements in two units.
        let counts = || Ok(vec![("2100".to_string(), 3), ("2200".to_string(), 1)]);
        let e = stranding(&old, &monthly, counts).err();
        assert_eq!(e.as_ref().map(Error::kind), Some("conflict"));
        assert_eq!(
            e.map(|e| e.to_string()).unwrap_or_default(),
            "indikator «OR-AVV»: kan ikke endre frekvens fra kvartal til måned fordi det finnes \
             4 målinger registrert (enhet 2100: 3, 2200: 1); slett eller gjør om målingene først"
        );
    }

    #[test]
    fn a_measurement_fits_its_indicator_and_no_locked_month() {
        let quarterly = Measured {
            frequency: Frequency::Kvartal,
            ratio: false,
            builtin: false,
        };
        let m = |span: &str, figure: Figure| Measurement {
            indicator: "BR".into(),
            unit: "2100".into(),
            span: crate::period::Period::parse(span).unwrap(),
            figure,
        };
        let five = Figure::Value { value: 5.0 };
        let none = BTreeSet::new();
        assert!(measurement(&m("2026-K1", five), &quarterly, &none).is_ok());
        let field = |r: Result<()>| r.err().map(|e| (e.kind(), e.field().map(String::from)));
        assert_eq!(
            field(measurement(&m("2026-03", five), &quarterly, &none)),
            Some(("invalid", Some("periode".into())))
        );
        let ratio = Figure::Ratio {
            numerator: 1.0,
            denominator: 2.0,
        };
        assert_eq!(
            field(measurement(&m("2026-K1", ratio), &quarterly, &none)),
            Some(("invalid", Some("verdi".into())))
        );
        // K1 is January–March: a locked February refuses it, a locked April does not.
        let feb: BTreeSet<Month> = [Month::new(2026, 2).unwrap()].into();
        let apr: BTreeSet<Month> = [Month::new(2026, 4).unwrap()].into();
        assert_eq!(
            field(measurement(&m("2026-K1", five), &quarterly, &feb)),
            Some(("locked_month", None))
        );
        assert!(measurement(&m("2026-K1", five), &quarterly, &apr).is_ok());
        let builtin = Measured {
            builtin: true,
            ..quarterly
        };
        assert_eq!(
            field(measurement(&m("2026-K1", five), &builtin, &none)),
            Some(("built_in", None))
        );
    }
}
