//! The demo municipality, *Demo kommune*: deterministic (fixed seed), believable, in three
//! sizes (cli.md "Demo municipality"). The organisation is in [`tree`], the indicator
//! catalogue in [`catalog`]; this module draws the measurements, targets and comments.
//!
//! Figures follow each indicator's level, a lasting offset per unit, a yearly season, a slow
//! trend and noise; about one unit in fourteen drifts past its red limit over the last eight
//! months, one in twenty has not yet reported its latest span, and a few cells are missing
//! here and there, so that the målkart shows red figures, comments and coverage below 1.

mod actions;
mod catalog;
mod economy;
mod rng;
mod sickleave;
mod surveys;
mod tree;

use std::f64::consts::TAU;

use crate::format::round_half_away;
pub use actions::plan as plan_actions;

use crate::model::{
    Action, ActionComment, Comment, Direction, EconomyMonth, Figure, Indicator, Measurement,
    ReferenceValue, SickLeave, SurveyResult, Target, Unit,
};
use crate::period::{Month, Period};

use catalog::{Def, Scale, Scope};
use rng::Purpose;
use tree::DemoUnit;

/// small (~30 units), medium (~300 units, 40 indicators, 36 months), large (~1 500 units,
/// 60 indicators, 120 months).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoSize {
    Small,
    Medium,
    Large,
}

impl DemoSize {
    pub fn key(self) -> &'static str {
        match self {
            DemoSize::Small => "small",
            DemoSize::Medium => "medium",
            DemoSize::Large => "large",
        }
    }
    /// `small`/`liten`, `medium`/`middels`, `large`/`stor`.
    pub fn parse(text: &str) -> Option<DemoSize> {
        match text.trim().to_lowercase().as_str() {
            "small" | "liten" => Some(DemoSize::Small),
            "medium" | "middels" => Some(DemoSize::Medium),
            "large" | "stor" => Some(DemoSize::Large),
            _ => None,
        }
    }
    /// The first month with figures when the demo runs through `through`: January two years
    /// before for `small`, 36 months back for `medium`, 120 for `large`.
    pub fn first_month(self, through: Month) -> Month {
        match self {
            DemoSize::Small => Month::from_index((through.year() - 2) * 12),
            DemoSize::Medium => through.plus(-35),
            DemoSize::Large => through.plus(-119),
        }
    }
    fn indicator_count(self) -> usize {
        match self {
            DemoSize::Small => catalog::SMALL,
            DemoSize::Medium => catalog::MEDIUM,
            DemoSize::Large => catalog::LARGE,
        }
    }
    /// How many times bigger than the small municipality (about 14 000 inhabitants).
    fn population(self) -> f64 {
        match self {
            DemoSize::Small => 1.0,
            DemoSize::Medium => 4.5,
            DemoSize::Large => 50.0,
        }
    }
    fn comment_count(self) -> usize {
        match self {
            DemoSize::Small => 8,
            DemoSize::Medium => 30,
            DemoSize::Large => 100,
        }
    }
}

/// Everything the demo municipality consists of, ready for `Store::load_demo`.
#[derive(Clone, Debug, Default)]
pub struct DemoData {
    pub units: Vec<Unit>,
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Target>,
    pub measurements: Vec<Measurement>,
    /// `id` is ignored; author, text, period and time are kept.
    pub comments: Vec<Comment>,
    /// Sick leave for every unit and month (`demo/sickleave.rs`).
    pub sick_leave: Vec<SickLeave>,
    /// Budget, accounts and forecasts per unit and month (`demo/economy.rs`).
    pub economy: Vec<EconomyMonth>,
    /// Tiltak and their status comments (`demo/actions.rs`), planned from the målkart once
    /// the rest is loaded (`service::admin::load_demo`); empty from `generate`.
    pub actions: Vec<Action>,
    pub action_comments: Vec<ActionComment>,
    /// Two rounds of 10-FAKTOR and one bedrekommune survey (`demo/surveys.rs`).
    pub survey_results: Vec<SurveyResult>,
    /// The national averages of the surveys (`Landet`).
    pub references: Vec<ReferenceValue>,
}

/// Share of (indicator, unit) pairs that drift past the red limit at the end.
const DRIFT_SHARE: f64 = 0.07;
/// Months over which a drifting unit goes from normal to beyond red.
const DRIFT_MONTHS: i32 = 8;
/// Share of (indicator, unit) pairs that have not reported their latest span.
const LATE_SHARE: f64 = 0.05;
/// The month where each indicator is at its `base` level; its trend runs from here in both
/// directions, fixed so that a month's figure does not depend on the window asked for.
const TREND_ANCHOR: i32 = 2026 * 12;
/// Share of other cells that are missing.
const HOLE_SHARE: f64 = 0.003;

/// The demo municipality of `size` with figures through `through`: [`organisation`] with
/// [`indicator_figures`] added.
pub fn generate(size: DemoSize, through: Month) -> DemoData {
    let mut data = organisation(size, through);
    data.add(indicator_figures(size, through));
    data
}

/// The demo's units and indicators with its sick leave, economy and surveys (and their
/// targets): everything but the indicators' own figures, which `indicator_figures` draws
/// independently (each cell is hashed from its keys), so that the two can be made on two
/// threads (`service::admin::load_demo` writes this part while the figures are drawn).
pub fn organisation(size: DemoSize, through: Month) -> DemoData {
    let units = tree::build(size);
    let start = size.first_month(through);
    let mut data = DemoData {
        units: units
            .iter()
            .map(|u| Unit {
                code: u.code.clone(),
                name: u.name.clone(),
                parent: u.parent.map(|p| units[p].code.clone()),
                level: Some(u.level.to_string()),
            })
            .collect(),
        indicators: catalog(size).map(|d| d.indicator).collect(),
        ..DemoData::default()
    };
    data.sick_leave = sickleave::generate(&units, start, through);
    data.targets
        .extend(sickleave::targets(&units, start, through));
    data.economy = economy::generate(&units, start, through);
    data.targets.extend(economy::targets(start, through));
    let surveys = surveys::generate(&units, through);
    data.indicators.extend(surveys.indicators);
    data.targets.extend(surveys.targets);
    data.survey_results = surveys.results;
    data.references = surveys.references;
    data
}

/// The measurements of the demo's catalogue of indicators, their targets, and the
/// kommunedirektør's comments on the red ones: the rest of the demo beside
/// [`organisation`] (only `measurements`, `targets` and `comments` are filled).
pub fn indicator_figures(size: DemoSize, through: Month) -> DemoData {
    let units = tree::build(size);
    let defs: Vec<Def> = catalog(size).collect();
    let window = Window {
        start: size.first_month(through),
        through,
        population: size.population(),
    };
    let mut data = DemoData::default();
    let mut candidates: Vec<Candidate> = Vec::new();
    for (di, def) in defs.iter().enumerate() {
        let scope = units_in_scope(&units, def.scope);
        let own = own_target_units(def, di, &scope);
        add_targets(&mut data.targets, def, &units, &own, &window);
        let spans = spans_in(def, &window);
        for &ui in &scope {
            let last = generate_cells(
                &mut data.measurements,
                def,
                di,
                ui,
                &units,
                &spans,
                &window,
                scope.len(),
            );
            if let Some((span, shown)) = last {
                let own_target = own.contains(&ui).then_some(def.own_target).flatten();
                if is_red(
                    def,
                    shown,
                    own_target.map(|(_, t, r)| (t, r)),
                    window.population,
                ) && (scope.len() == 1 || drifts(di, ui))
                {
                    candidates.push(Candidate {
                        def: di,
                        unit: ui,
                        span,
                    });
                }
            }
        }
    }
    // Municipality-wide figures first (the kommunedirektør always comments those), then a
    // stable but scattered choice among the units.
    candidates.sort_by_key(|c| {
        (
            units[c.unit].parent.is_some(),
            rng::hash(Purpose::Comment, &[c.def as u64, c.unit as u64]),
        )
    });
    for c in candidates.into_iter().take(size.comment_count()) {
        data.comments
            .push(comment(&defs[c.def], &units, c.unit, c.span));
    }
    data
}

/// The catalogue's indicators that the demo of `size` measures.
fn catalog(size: DemoSize) -> impl Iterator<Item = Def> {
    catalog::catalog().into_iter().take(size.indicator_count())
}

impl DemoData {
    /// `other`'s rows after these.
    pub fn add(&mut self, other: DemoData) {
        let DemoData {
            units,
            indicators,
            targets,
            measurements,
            comments,
            sick_leave,
            economy,
            actions,
            action_comments,
            survey_results,
            references,
        } = other;
        self.units.extend(units);
        self.indicators.extend(indicators);
        self.targets.extend(targets);
        self.measurements.extend(measurements);
        self.comments.extend(comments);
        self.sick_leave.extend(sick_leave);
        self.economy.extend(economy);
        self.actions.extend(actions);
        self.action_comments.extend(action_comments);
        self.survey_results.extend(survey_results);
        self.references.extend(references);
    }
}

struct Window {
    start: Month,
    through: Month,
    population: f64,
}

struct Candidate {
    def: usize,
    unit: usize,
    span: Period,
}

fn units_in_scope(units: &[DemoUnit], scope: Scope) -> Vec<usize> {
    let wanted = |u: &DemoUnit| match scope {
        Scope::Root => u.parent.is_none(),
        Scope::Leaves => u.leaf,
        Scope::Kinds(kinds) => kinds.contains(&u.kind),
        Scope::LeafKinds(kinds) => u.leaf && kinds.contains(&u.kind),
    };
    (0..units.len()).filter(|&i| wanted(&units[i])).collect()
}

/// The units of the scope that get a target of their own: a stable choice by hash.
fn own_target_units(def: &Def, di: usize, scope: &[usize]) -> Vec<usize> {
    let Some((count, _, _)) = def.own_target else {
        return Vec::new();
    };
    let mut chosen = scope.to_vec();
    chosen.sort_by_key(|&ui| rng::hash(Purpose::OwnTarget, &[di as u64, ui as u64]));
    chosen.truncate(count);
    chosen
}

/// The indicator's spans whose last month lies in the window.
fn spans_in(def: &Def, w: &Window) -> Vec<Period> {
    let frequency = def.indicator.frequency;
    let mut span = Period::span_of(frequency, w.start);
    if span.last() < w.start {
        span = span.next();
    }
    let mut spans = Vec::new();
    while span.last() <= w.through {
        spans.push(span);
        span = span.next();
    }
    spans
}

/// A target as stated for this size: municipality-wide counts grow with the population
/// (and are then rounded to the indicator's decimals); others are as written.
fn scaled_target(def: &Def, value: f64, population: f64) -> f64 {
    if def.scale == Scale::Population && def.denominator.is_none() {
        round_half_away(value * population, def.indicator.decimals)
    } else {
        value
    }
}

fn add_targets(
    targets: &mut Vec<Target>,
    def: &Def,
    units: &[DemoUnit],
    own: &[usize],
    w: &Window,
) {
    for year in w.start.year()..=w.through.year() {
        if let Some((t, r)) = def.target {
            targets.push(Target {
                indicator: def.indicator.code.clone(),
                unit: None,
                year,
                target: scaled_target(def, t, w.population),
                red_limit: Some(scaled_target(def, r, w.population)),
                reference: None,
            });
        }
        if let Some((_, t, r)) = def.own_target {
            for &ui in own {
                targets.push(Target {
                    indicator: def.indicator.code.clone(),
                    unit: Some(units[ui].code.clone()),
                    year,
                    target: t,
                    red_limit: Some(r),
                    reference: None,
                });
            }
        }
    }
}

fn drifts(di: usize, ui: usize) -> bool {
    rng::uniform(Purpose::Drift, &[di as u64, ui as u64]) < DRIFT_SHARE
}

fn round_to(value: f64, step: f64) -> f64 {
    let v = (value / step).round() * step;
    // Keep the decimal representation short: 0.1 steps give 6.3, not 6.300000000000001.
    let decimals = (-step.log10()).ceil().max(0.0) as u8;
    round_half_away(v, decimals.min(6))
}

/// Writes the cells of one (indicator, unit) and returns the last span reported with the
/// value as it will be shown for that unit alone.
#[allow(clippy::too_many_arguments)]
fn generate_cells(
    out: &mut Vec<Measurement>,
    def: &Def,
    di: usize,
    ui: usize,
    units: &[DemoUnit],
    spans: &[Period],
    w: &Window,
    scope_len: usize,
) -> Option<(Period, f64)> {
    let unit = &units[ui];
    let keys = [di as u64, ui as u64];
    let shared = scope_len > 1;
    let late = shared && rng::uniform(Purpose::Late, &keys) < LATE_SHARE;
    let drifting = shared && drifts(di, ui);
    let offset = def.spread * rng::normal(Purpose::Offset, &keys);
    // A municipality-wide count grows with the population, its noise only with the square
    // root (as counts do), so that a big city's figures are steadier than a small one's.
    let noise_scale = if def.scale == Scale::Population {
        1.0 / w.population.sqrt()
    } else {
        1.0
    };
    let mut last = None;
    for (si, span) in spans.iter().enumerate() {
        let cell = [di as u64, ui as u64, span.first().index() as u64];
        if (late && si + 1 == spans.len())
            || (shared && rng::uniform(Purpose::Hole, &cell) < HOLE_SHARE)
        {
            continue;
        }
        let mut v =
            def.base + offset + def.noise * noise_scale * rng::normal(Purpose::Noise, &cell);
        if span.len_months() < 12 {
            let middle = (span.first().index() + span.last().index()) as f64 / 2.0;
            let month_of_year = middle.rem_euclid(12.0) + 1.0;
            v += def.season * (TAU * (month_of_year - def.peak) / 12.0).cos();
        }
        v += def.trend * f64::from(span.last().index() - TREND_ANCHOR) / 12.0;
        if drifting {
            if let Some((t, r)) = def.target {
                let ramp = f64::from(span.last().index() - (w.through.index() - DRIFT_MONTHS))
                    / f64::from(DRIFT_MONTHS);
                v += ramp.clamp(0.0, 1.0) * (r + 0.5 * (r - t) - def.base);
            }
        }
        v = v.clamp(def.min, def.max);
        let (figure, shown) = match def.denominator {
            Some(d) => {
                let size = if def.scale == Scale::Population {
                    w.population
                } else {
                    f64::from(unit.employees)
                };
                let jitter = 1.0 + 0.06 * rng::normal(Purpose::Denominator, &cell);
                let denominator = (d.per * size * jitter).round().max(d.min);
                let mut numerator = round_to(v / def.indicator.factor * denominator, d.step);
                if def.indicator.factor <= 100.0 {
                    numerator = numerator.min(denominator);
                }
                let numerator = numerator.max(0.0);
                (
                    Figure::Ratio {
                        numerator,
                        denominator,
                    },
                    def.indicator.factor * numerator / denominator,
                )
            }
            None => {
                let scaled = match def.scale {
                    Scale::None => v,
                    Scale::Employees => v * f64::from(unit.employees) / 20.0,
                    Scale::Population => v * w.population,
                };
                let value = round_to(scaled, def.step).max(def.min.min(0.0));
                (Figure::Value { value }, value)
            }
        };
        out.push(Measurement {
            indicator: def.indicator.code.clone(),
            unit: unit.code.clone(),
            span: *span,
            figure,
        });
        last = Some((*span, shown));
    }
    last
}

/// Is a single unit's value for one span beyond the red limit that applies to it?
fn is_red(def: &Def, value: f64, own: Option<(f64, f64)>, population: f64) -> bool {
    let limits = own.or_else(|| {
        def.target.map(|(t, r)| {
            (
                scaled_target(def, t, population),
                scaled_target(def, r, population),
            )
        })
    });
    let Some((_, r)) = limits else { return false };
    let shown = round_half_away(value, def.indicator.decimals);
    match def.indicator.direction {
        Direction::Hoy => shown < r,
        Direction::Lav => shown > r,
    }
}

fn comment(def: &Def, units: &[DemoUnit], ui: usize, span: Period) -> Comment {
    let unit = &units[ui];
    let keys = [ui as u64, span.first().index() as u64];
    let month = span.last();
    let day = 18 + rng::between(Purpose::Timestamp, &keys, 0, 4);
    let hour = 8 + rng::between(Purpose::Timestamp, &[keys[0], keys[1], 1], 0, 7);
    let minute = rng::between(Purpose::Timestamp, &[keys[0], keys[1], 2], 0, 59);
    // Norway is on summer time (UTC+2) from the last Sunday of March to the last Sunday of
    // October; days 18–22 are never in the switching week.
    let offset = if (4..=10).contains(&month.month()) {
        "+02:00"
    } else {
        "+01:00"
    };
    Comment {
        id: 0,
        // Given when stored: two loads of the demo are two sets of comments.
        uid: String::new(),
        indicator: def.indicator.code.clone(),
        unit: unit.code.clone(),
        period: span.to_string(),
        author: tree::author(unit, ui as u64),
        text: comment_text(def).to_string(),
        created_at: format!(
            "{}-{:02}-{day:02}T{hour:02}:{minute:02}:00{offset}",
            month.year(),
            month.month()
        ),
        updated_at: None,
    }
}

fn comment_text(def: &Def) -> &'static str {
    match def.indicator.code.as_str() {
        "BR-VENT" => "Ventetiden har økt fordi to sykepleiere er langtidssykmeldt, og vi har fått mange nye vedtak etter utskrivning fra sykehuset. Vi har leid inn vikar og regner med normal ventetid innen to måneder.",
        "BR-FALL" => "Flere fall hos to beboere med økende kognitiv svikt. Fysioterapeut har gått gjennom fallrisikoen for alle beboere, og vi har tatt i bruk sensormatter.",
        "BR-ERN" => "Screeningen ble utsatt på grunn av høyt sykefravær og mange nye beboere. Resten gjennomføres i løpet av neste måned.",
        "BR-LES" => "Kullet hadde mange elever med vedtak om spesialundervisning. Skolen styrker den første leseopplæringen på 1.–4. trinn.",
        "BR-TILF" | "BR-HTILF" | "BR-BTILF" => "Pårørende er misfornøyde med aktivitetstilbudet. Vi har startet et samarbeid med frivilligsentralen om aktiviteter på ettermiddagen.",
        "BR-SAKS" => "Mange søknader kom inn før sommeren, og to saksbehandlere har sluttet. Saker med lovpålagt frist prioriteres.",
        "BR-SOS" => "Økt pågang etter at flere har mistet dagpengene. Vi har flyttet en veileder til mottak av søknader.",
        "BR-MOB" => "Skolen har fått flere meldinger om mobbing på sosiale medier. Aktivitetsplaner er opprettet, og det er holdt foreldremøter på trinnene.",
        "OR-AVV" => "Mange avvik ble meldt etter overgangen til nytt avvikssystem, og behandlingen har tatt tid. Avvikene gjennomgås på personalmøtet hver uke til etterslepet er tatt igjen.",
        "OR-TURN" => "Flere erfarne medarbeidere har sluttet etter omorganiseringen. Vi har hatt sluttsamtaler og satt i gang rekruttering.",
        "OR-OVT" => "Høyt sykefravær og ubesatte stillinger har gitt mye overtid. To faste stillinger er lyst ut, og vikarpoolen er styrket.",
        "OR-VIK" => "Ferieavvikling og ledige stillinger har gitt høy vikarbruk. Vi arbeider med å slå sammen små stillinger til hele.",
        "OR-HELT" => "Mange små stillinger i helgeturnusen. Vi prøver ut langvakter for å kunne tilby flere heltidsstillinger.",
        "OR-MU" => "Resultatet er gjennomgått med de ansatte og tillitsvalgte. Vi lager en handlingsplan med vekt på tilbakemelding og medvirkning.",
        "FIN-FAKT" => "Etterslep i attestasjon etter ferieavviklingen. Rutinen for attestasjon og anvisning er gjennomgått med alle ledere.",
        "FIN-NDR" => "Resultatet er svakere enn handlingsregelen på 1,75 %, hovedsakelig på grunn av høyere pensjonskostnader og merforbruk i helse og omsorg. Tiltak for balanse legges fram for kommunestyret.",
        "FIN-DISP" => "Disposisjonsfondet er brukt til å dekke merforbruket i driften. Handlingsregelen krever at fondet bygges opp igjen over fire år.",
        "FIN-GJELD" => "Gjelden øker på grunn av skolebyggingen. Investeringsplanen vurderes på nytt i budsjettarbeidet.",
        _ => "Avviket er drøftet i ledermøtet. En tiltaksplan legges fram for kommunalsjefen innen utgangen av neste måned.",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    use super::*;

    fn is_ratio(indicator: &Indicator) -> bool {
        indicator.aggregation == crate::model::Aggregation::Brok
    }

    fn through() -> Month {
        Month::new(2026, 10).unwrap_or_else(|| panic!("2026-10 is a month"))
    }

    #[test]
    fn two_calls_give_the_same_municipality() {
        let a = generate(DemoSize::Small, through());
        let b = generate(DemoSize::Small, through());
        assert_eq!(a.units, b.units);
        assert_eq!(a.indicators, b.indicators);
        assert_eq!(a.targets, b.targets);
        assert_eq!(a.measurements, b.measurements);
        assert_eq!(a.comments, b.comments);
    }

    #[test]
    fn a_month_gets_the_same_figure_whatever_month_the_demo_runs_through() {
        let a = generate(DemoSize::Small, through());
        let b = generate(
            DemoSize::Small,
            Month::new(2026, 11).unwrap_or_else(|| panic!()),
        );
        let in_b: HashMap<(&str, &str, Period), Figure> = b
            .measurements
            .iter()
            .map(|m| ((m.indicator.as_str(), m.unit.as_str(), m.span), m.figure))
            .collect();
        // Drifting units move as the end moves; the first year is far from the end.
        let first_year: Vec<&Measurement> = a
            .measurements
            .iter()
            .filter(|m| m.span.last().year() == 2024)
            .collect();
        assert!(!first_year.is_empty());
        for m in first_year {
            if let Some(f) = in_b.get(&(m.indicator.as_str(), m.unit.as_str(), m.span)) {
                assert_eq!(*f, m.figure, "{} {} {}", m.indicator, m.unit, m.span);
            }
        }
    }

    #[test]
    fn the_small_demo_matches_the_example_files() {
        let d = generate(DemoSize::Small, through());
        let name = |code: &str| {
            d.units
                .iter()
                .find(|u| u.code == code)
                .map(|u| u.name.as_str())
        };
        assert_eq!(name("1000"), Some("Demo kommune"));
        assert_eq!(name("2000"), Some("Oppvekst"));
        assert_eq!(name("2100"), Some("Bakken skole"));
        assert_eq!(name("2200"), Some("Solsiden barnehage"));
        assert_eq!(name("3000"), Some("Helse og omsorg"));
        assert_eq!(name("3100"), Some("Furulund sykehjem"));
        assert_eq!(name("3110"), Some("Furulund avd. 1"));
        assert_eq!(name("3120"), Some("Furulund avd. 2"));
        assert_eq!(name("3200"), Some("Hjemmetjenesten"));
        assert_eq!(name("4000"), Some("Teknisk"));
        assert_eq!(name("5000"), Some("Stab"));
        for code in ["LS-BEF", "BR-TILF", "BR-VENT", "OR-MU", "OR-AVV"] {
            assert!(d.indicators.iter().any(|i| i.code == code), "{code}");
        }
    }

    fn check_sizes(
        size: DemoSize,
        units: std::ops::RangeInclusive<usize>,
        indicators: usize,
        months: i32,
    ) {
        let d = generate(size, through());
        assert!(
            units.contains(&d.units.len()),
            "{size:?}: {} units",
            d.units.len()
        );
        // The survey indicators (BK-HJEM) come on top of the measured ones.
        let surveyed = |code: &str| d.survey_results.iter().any(|r| r.indicator == code);
        let measured = d.indicators.iter().filter(|i| !surveyed(&i.code)).count();
        assert_eq!(measured, indicators, "{size:?}");
        assert_eq!(d.indicators.len() - measured, 1, "{size:?}: BK-HJEM");
        let first = d.measurements.iter().map(|m| m.span.last()).min();
        let last = d.measurements.iter().map(|m| m.span.last()).max();
        assert_eq!(last, Some(through()), "{size:?}");
        let expected_first = through().plus(1 - months);
        assert_eq!(
            first,
            Some(expected_first),
            "{size:?}: the first month of monthly figures"
        );
        assert!(!d.comments.is_empty(), "{size:?} has comments");
    }

    #[test]
    fn small_has_about_30_units_16_indicators_from_january_two_years_back() {
        // 2024-01 through 2026-10: 34 months.
        check_sizes(DemoSize::Small, 25..=35, 16, 34);
    }

    #[test]
    fn medium_has_about_300_units_40_indicators_36_months() {
        check_sizes(DemoSize::Medium, 260..=340, 40, 36);
    }

    #[test]
    fn large_has_about_1500_units_60_indicators_120_months_and_1_to_3_million_figures() {
        check_sizes(DemoSize::Large, 1350..=1650, 60, 120);
        let d = generate(DemoSize::Large, through());
        assert!(
            (1_000_000..=3_000_000).contains(&d.measurements.len()),
            "{} measurements",
            d.measurements.len()
        );
        valid_tree_and_catalog(&d);
    }

    fn valid_tree_and_catalog(d: &DemoData) {
        let codes: BTreeSet<&str> = d.units.iter().map(|u| u.code.as_str()).collect();
        assert_eq!(codes.len(), d.units.len(), "unit codes are unique");
        assert!(d
            .units
            .iter()
            .all(|u| crate::rules::is_valid_unit_code(&u.code)));
        let roots: Vec<&Unit> = d.units.iter().filter(|u| u.parent.is_none()).collect();
        assert_eq!(roots.len(), 1);
        assert_eq!(roots[0].code, "1000");
        assert_eq!(roots[0].level.as_deref(), Some("kommune"));
        // Parents come before children, so following parents always ends at the root.
        let position: HashMap<&str, usize> = d
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.code.as_str(), i))
            .collect();
        for (i, u) in d.units.iter().enumerate() {
            if let Some(p) = &u.parent {
                let pi = position.get(p.as_str()).copied();
                assert!(
                    pi.is_some_and(|pi| pi < i),
                    "{} has its parent {p} before it",
                    u.code
                );
            }
        }

        let indicator_codes: BTreeSet<&str> =
            d.indicators.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            indicator_codes.len(),
            d.indicators.len(),
            "indicator codes are unique"
        );
        for i in &d.indicators {
            assert!(crate::rules::is_valid_indicator_code(&i.code), "{}", i.code);
            assert!(
                !i.code.starts_with("SF") && !i.code.starts_with("OK-"),
                "{} is a built-in code",
                i.code
            );
            assert!(
                !i.builtin && i.decimals <= 4 && !i.description.is_empty() && !i.source.is_empty()
            );
        }
        let by_code: HashMap<&str, &Indicator> =
            d.indicators.iter().map(|i| (i.code.as_str(), i)).collect();

        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        let mut cells = std::collections::HashSet::new();
        for m in &d.measurements {
            let Some(ind) = by_code.get(m.indicator.as_str()) else {
                panic!("unknown indicator {}", m.indicator)
            };
            assert!(codes.contains(m.unit.as_str()), "unknown unit {}", m.unit);
            assert!(
                m.span.is_span_of(ind.frequency),
                "{} {} is a span of its frequency",
                m.indicator,
                m.span
            );
            match (m.figure, is_ratio(ind)) {
                (
                    Figure::Ratio {
                        numerator,
                        denominator,
                    },
                    true,
                ) => {
                    assert!(
                        denominator > 0.0 && numerator >= 0.0,
                        "{} {}",
                        m.indicator,
                        m.unit
                    );
                    if ind.factor <= 100.0 {
                        assert!(
                            numerator <= denominator,
                            "{} {} {}",
                            m.indicator,
                            m.unit,
                            m.span
                        );
                    }
                }
                (Figure::Value { value }, false) => assert!(value.is_finite()),
                _ => panic!("{} has the wrong kind of figure", m.indicator),
            }
            assert!(
                cells.insert((m.indicator.as_str(), m.unit.as_str(), m.span)),
                "duplicate cell"
            );
            *count.entry(m.indicator.as_str()).or_default() += 1;
        }
        let surveyed = |code: &str| d.survey_results.iter().any(|r| r.indicator == code);
        for i in d.indicators.iter().filter(|i| !surveyed(&i.code)) {
            assert!(
                count.get(i.code.as_str()).is_some_and(|&n| n > 0),
                "{} has measurements",
                i.code
            );
        }

        for t in &d.targets {
            if crate::engine::sickleave::CODES.contains(&t.indicator.as_str()) {
                continue; // a built-in from the migration
            }
            // OK-AVVIK is built in (migration 0002, direction høy), not in the catalogue.
            if t.indicator == "OK-AVVIK" {
                assert!(t.unit.is_none() && t.red_limit.is_some_and(|r| r < t.target));
                continue;
            }
            let Some(ind) = by_code.get(t.indicator.as_str()) else {
                panic!("target of unknown {}", t.indicator)
            };
            assert!(
                !t.red_limit_on_wrong_side(ind.direction),
                "{} {:?} {}: red limit on the wrong side",
                t.indicator,
                t.unit,
                t.year
            );
            assert!(t.red_limit.is_some_and(|r| r != t.target));
            if let Some(u) = &t.unit {
                assert!(codes.contains(u.as_str()));
            }
        }
        let with_default: BTreeSet<&str> = d
            .targets
            .iter()
            .filter(|t| t.unit.is_none() && by_code.contains_key(t.indicator.as_str()))
            .map(|t| t.indicator.as_str())
            .collect();
        assert!(
            with_default.len() * 4 >= d.indicators.len() * 3,
            "most indicators have a default target"
        );
        assert!(
            with_default.len() < d.indicators.len(),
            "some are observations"
        );
        assert!(
            d.targets.iter().any(|t| t.unit.is_some()),
            "a few unit-specific targets"
        );

        for c in &d.comments {
            assert!(
                cells.contains(&(
                    c.indicator.as_str(),
                    c.unit.as_str(),
                    Period::parse(&c.period).unwrap_or_else(|e| panic!("{e}"))
                )),
                "comment on a reported cell"
            );
            assert!(c.author.contains('(') && !c.text.is_empty());
            assert!(
                chrono::DateTime::parse_from_rfc3339(&c.created_at).is_ok(),
                "{}",
                c.created_at
            );
        }
    }

    #[test]
    fn small_and_medium_are_valid() {
        valid_tree_and_catalog(&generate(DemoSize::Small, through()));
        valid_tree_and_catalog(&generate(DemoSize::Medium, through()));
    }

    #[test]
    fn every_frequency_aggregation_and_direction_occurs_in_the_small_demo() {
        let d = generate(DemoSize::Small, through());
        let freqs: BTreeSet<&str> = d.indicators.iter().map(|i| i.frequency.key()).collect();
        let aggs: BTreeSet<&str> = d.indicators.iter().map(|i| i.aggregation.key()).collect();
        let dirs: BTreeSet<&str> = d.indicators.iter().map(|i| i.direction.key()).collect();
        let persp: BTreeSet<&str> = d.indicators.iter().map(|i| i.perspective.key()).collect();
        assert_eq!(freqs.len(), 5, "{freqs:?}");
        assert_eq!(aggs.len(), 4, "{aggs:?}");
        assert_eq!(dirs.len(), 2);
        assert_eq!(persp.len(), 4);
    }

    #[test]
    fn some_units_miss_the_latest_month() {
        let d = generate(DemoSize::Medium, through());
        let monthly = "FIN-FAKT";
        let reporting = |p: Month| {
            d.measurements
                .iter()
                .filter(|m| m.indicator == monthly && m.span.first() == p)
                .count()
        };
        let before = reporting(through().plus(-1));
        let latest = reporting(through());
        assert!(
            latest < before,
            "{latest} units reported the latest month, {before} the one before"
        );
    }

    #[test]
    fn comments_sit_on_red_figures() {
        let d = generate(DemoSize::Medium, through());
        assert!(d.comments.len() >= 10, "{} comments", d.comments.len());
        for c in &d.comments {
            let ind = d
                .indicators
                .iter()
                .find(|i| i.code == c.indicator)
                .unwrap_or_else(|| panic!());
            let m = d
                .measurements
                .iter()
                .find(|m| {
                    m.indicator == c.indicator && m.unit == c.unit && m.span.to_string() == c.period
                })
                .unwrap_or_else(|| panic!("no figure under the comment"));
            let value = match m.figure {
                Figure::Value { value } => value,
                Figure::Ratio {
                    numerator,
                    denominator,
                } => ind.factor * numerator / denominator,
            };
            let year = m.span.last().year();
            let target = d
                .targets
                .iter()
                .find(|t| {
                    t.indicator == c.indicator
                        && t.year == year
                        && t.unit.as_deref() == Some(c.unit.as_str())
                })
                .or_else(|| {
                    d.targets
                        .iter()
                        .find(|t| t.indicator == c.indicator && t.year == year && t.unit.is_none())
                })
                .unwrap_or_else(|| panic!("a commented figure has a target"));
            let shown = round_half_away(value, ind.decimals);
            let r = target.red_limit.unwrap_or(target.target);
            let red = match ind.direction {
                Direction::Hoy => shown < r,
                Direction::Lav => shown > r,
            };
            assert!(
                red,
                "{} {} {}: {shown} vs red limit {r}",
                c.indicator, c.unit, c.period
            );
        }
    }
}
