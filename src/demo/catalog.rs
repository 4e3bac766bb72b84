//! The demo's balansehåndbok: sixty indicator definitions in all four perspectives, each
//! with where it is registered (which kinds of unit), how its figures behave (level, spread
//! between units, season, noise, slow trend) and its targets. The first 16 make the `small`
//! demo, the first 40 the `medium` one, all 60 the `large` one; every block mixes all
//! frequencies and aggregations and both directions.

use super::tree::Kind;
use crate::model::{Aggregation, Direction, Frequency, Indicator, Perspective, UnitRollup};

use Aggregation::{Brok, Siste, Snitt, Sum};
use Direction::{Hoy, Lav};
use Frequency::{Ar, Halvar, Kvartal, Maned, Tertial};
use Perspective::{Brukere, Lokalsamfunn, Okonomi, Organisasjon};

/// Which units an indicator is registered on.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Scope {
    /// The municipality as a whole (registered on the root).
    Root,
    /// Every unit without children: the ones that have staff of their own.
    Leaves,
    /// Units of these kinds.
    Kinds(&'static [Kind]),
    /// Units of these kinds that have no children.
    LeafKinds(&'static [Kind]),
}

/// What a value is multiplied by after it is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Scale {
    None,
    /// By the unit's head count / 20: visits, events, hours.
    Employees,
    /// By the municipality's size: municipality-wide counts and denominators.
    Population,
}

/// For `brøk`: how the denominator is drawn, and how fine the numerator is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Denominator {
    /// Per employee of the unit (or, with `Scale::Population`, per size unit).
    pub per: f64,
    pub min: f64,
    /// The numerator's step: 1 for counts, 0.5 for hours.
    pub step: f64,
}

#[derive(Clone, Debug)]
pub(crate) struct Def {
    pub indicator: Indicator,
    pub scope: Scope,
    /// The typical value of a unit in 2026, before scaling (`trend` runs from there).
    pub base: f64,
    /// Standard deviation of a unit's lasting offset from `base`.
    pub spread: f64,
    /// Amplitude of the yearly cycle, highest in month `peak`.
    pub season: f64,
    pub peak: f64,
    /// Standard deviation of the span-to-span noise.
    pub noise: f64,
    /// Change per year.
    pub trend: f64,
    pub min: f64,
    pub max: f64,
    pub scale: Scale,
    /// The registered value's rounding step.
    pub step: f64,
    pub denominator: Option<Denominator>,
    /// Default (T, R) for every year, before scaling.
    pub target: Option<(f64, f64)>,
    /// A unit-specific (T, R) for this many units of the scope.
    pub own_target: Option<(usize, f64, f64)>,
}

#[allow(clippy::too_many_arguments)]
fn def(
    code: &str,
    name: &str,
    perspective: Perspective,
    goal: &str,
    unit_label: &str,
    decimals: u8,
    direction: Direction,
    frequency: Frequency,
    aggregation: Aggregation,
) -> Def {
    let mut indicator = Indicator::new(code, name, perspective, direction, frequency, aggregation);
    indicator.goal = Some(goal.to_string());
    indicator.unit_label = unit_label.to_string();
    indicator.decimals = decimals;
    Def {
        indicator,
        scope: Scope::Root,
        base: 0.0,
        spread: 0.0,
        season: 0.0,
        peak: 1.0,
        noise: 0.0,
        trend: 0.0,
        min: 0.0,
        max: f64::INFINITY,
        scale: Scale::None,
        step: 10f64.powi(-(i32::from(decimals) + 1)),
        denominator: None,
        target: None,
        own_target: None,
    }
}

impl Def {
    fn about(mut self, description: &str, source: &str, responsible: &str) -> Def {
        self.indicator.description = description.to_string();
        self.indicator.source = source.to_string();
        self.indicator.responsible = responsible.to_string();
        self
    }
    fn on(mut self, scope: Scope) -> Def {
        self.scope = scope;
        self
    }
    fn rollup(mut self, rollup: UnitRollup) -> Def {
        self.indicator.unit_rollup = rollup;
        self
    }
    fn factor(mut self, factor: f64) -> Def {
        self.indicator.factor = factor;
        self
    }
    fn values(mut self, base: f64, spread: f64, noise: f64) -> Def {
        self.base = base;
        self.spread = spread;
        self.noise = noise;
        self
    }
    fn season(mut self, amplitude: f64, peak: f64) -> Def {
        self.season = amplitude;
        self.peak = peak;
        self
    }
    fn trend(mut self, per_year: f64) -> Def {
        self.trend = per_year;
        self
    }
    fn bounds(mut self, min: f64, max: f64) -> Def {
        self.min = min;
        self.max = max;
        self
    }
    fn scaled(mut self, scale: Scale) -> Def {
        self.scale = scale;
        self
    }
    /// Whole numbers (counts, kroner).
    fn whole(mut self) -> Def {
        self.step = 1.0;
        self
    }
    /// A ratio of counts.
    fn ratio(mut self, per: f64, min: f64) -> Def {
        self.denominator = Some(Denominator {
            per,
            min,
            step: 1.0,
        });
        self.max = self.indicator.factor.min(self.max);
        self
    }
    /// A ratio of hours.
    fn hours(mut self, per: f64) -> Def {
        self.denominator = Some(Denominator {
            per,
            min: 20.0,
            step: 0.5,
        });
        self
    }
    fn target(mut self, target: f64, red_limit: f64) -> Def {
        self.target = Some((target, red_limit));
        self
    }
    fn own(mut self, units: usize, target: f64, red_limit: f64) -> Def {
        self.own_target = Some((units, target, red_limit));
        self
    }
}

const SCHOOL: &[Kind] = &[Kind::School];
const SFO: &[Kind] = &[Kind::Sfo];
const KINDERGARTEN: &[Kind] = &[Kind::Kindergarten];
const CULTURE: &[Kind] = &[Kind::Culture];
const NURSING_HOME: &[Kind] = &[Kind::NursingHome];
const NURSING_DEPT: &[Kind] = &[Kind::NursingDept];
const HOME_CARE: &[Kind] = &[Kind::HomeCare, Kind::HomeCareZone];
const CARE_STAFF: &[Kind] = &[
    Kind::NursingDept,
    Kind::HomeCare,
    Kind::HomeCareZone,
    Kind::Housing,
];
const CARE_SERVICES: &[Kind] = &[Kind::NursingHome, Kind::HomeCare, Kind::Housing];
const VACANCIES: &[Kind] = &[Kind::School, Kind::NursingHome, Kind::HomeCare];
const NAV: &[Kind] = &[Kind::Nav];
const HOUSING: &[Kind] = &[Kind::Housing];
const HEALTH_STATION: &[Kind] = &[Kind::HealthStation];
const WATER: &[Kind] = &[Kind::Water];
const ROAD: &[Kind] = &[Kind::Road];
const PROPERTY: &[Kind] = &[Kind::Property];
const BUILDING: &[Kind] = &[Kind::Building];
const FINANCE: &[Kind] = &[Kind::Finance];
const SERVICE: &[Kind] = &[Kind::Service];
const TECHNICAL_STAFF: &[Kind] = &[
    Kind::Water,
    Kind::WaterDept,
    Kind::Road,
    Kind::Property,
    Kind::PropertyDept,
    Kind::Fire,
    Kind::Building,
];

/// How many indicators each size has.
pub(crate) const SMALL: usize = 16;
pub(crate) const MEDIUM: usize = 40;
pub(crate) const LARGE: usize = 60;

/// All sixty definitions, in the order the sizes take them.
pub(crate) fn catalog() -> Vec<Def> {
    let mut defs = small();
    defs.extend(medium());
    defs.extend(large());
    defs
}

fn small() -> Vec<Def> {
    vec![
        def(
            "LS-BEF",
            "Befolkningsvekst",
            Lokalsamfunn,
            "Attraktiv kommune",
            "%",
            1,
            Hoy,
            Ar,
            Siste,
        )
        .rollup(UnitRollup::Ingen)
        .about("Endring i folketall siste år", "SSB", "Kommunedirektøren")
        .values(0.9, 0.0, 0.35)
        .bounds(-3.0, 5.0)
        .target(1.0, 0.5),
        def(
            "LS-ARB",
            "Andel innbyggere 20–66 år i arbeid",
            Lokalsamfunn,
            "Attraktiv kommune",
            "%",
            1,
            Hoy,
            Ar,
            Brok,
        )
        .about(
            "Sysselsatte 20–66 år / innbyggere 20–66 år, per NAV-kontorets område",
            "SSB, registerbasert sysselsetting",
            "NAV-leder",
        )
        .on(Scope::Kinds(NAV))
        .values(78.6, 2.0, 0.6)
        .ratio(230.0, 500.0)
        .target(80.0, 76.0),
        def(
            "LS-BOL",
            "Antall nye boliger",
            Lokalsamfunn,
            "Attraktiv kommune",
            "boliger",
            0,
            Hoy,
            Kvartal,
            Sum,
        )
        .about(
            "Boliger med ferdigattest i kvartalet",
            "Matrikkelen",
            "Leder plan og byggesak",
        )
        .on(Scope::Kinds(BUILDING))
        .values(24.0, 0.0, 6.0)
        .season(6.0, 8.0)
        .scaled(Scale::Population)
        .whole()
        .target(25.0, 15.0),
        def(
            "LS-UTL",
            "Besøk i bibliotek og kulturhus",
            Lokalsamfunn,
            "Levende lokalsamfunn",
            "besøk",
            0,
            Hoy,
            Maned,
            Sum,
        )
        .about(
            "Registrert av besøkstelleren ved inngangen",
            "Besøksteller",
            "Kultursjef",
        )
        .on(Scope::Kinds(CULTURE))
        .values(2400.0, 300.0, 180.0)
        .season(700.0, 1.0)
        .scaled(Scale::Employees)
        .whole(),
        def(
            "BR-TILF",
            "Brukertilfredshet sykehjem",
            Brukere,
            "Gode tjenester",
            "skår",
            1,
            Hoy,
            Ar,
            Snitt,
        )
        .about(
            "Helhetsspørsmålet, skala 1–6",
            "bedrekommune.no",
            "Kommunalsjef helse og omsorg",
        )
        .on(Scope::Kinds(NURSING_HOME))
        .values(5.1, 0.22, 0.15)
        .bounds(1.0, 6.0)
        .target(5.0, 4.5),
        def(
            "BR-VENT",
            "Ventetid hjemmetjeneste",
            Brukere,
            "Gode tjenester",
            "dager",
            1,
            Lav,
            Maned,
            Snitt,
        )
        .about(
            "Dager fra vedtak til oppstart",
            "Fagsystem",
            "Enhetsleder hjemmetjenesten",
        )
        .on(Scope::LeafKinds(HOME_CARE))
        .values(6.2, 1.1, 1.0)
        .season(1.8, 7.0)
        .bounds(0.5, 60.0)
        .target(7.0, 14.0)
        .own(1, 8.0, 12.0),
        def(
            "BR-LES",
            "Andel elever som mestrer lesing, 5. trinn",
            Brukere,
            "Læring og mestring",
            "%",
            1,
            Hoy,
            Ar,
            Brok,
        )
        .about(
            "Elever over laveste mestringsnivå på nasjonal prøve i lesing / elever som tok prøven",
            "Udir, nasjonale prøver",
            "Kommunalsjef oppvekst",
        )
        .on(Scope::Kinds(SCHOOL))
        .values(77.0, 5.0, 4.0)
        .ratio(1.1, 12.0)
        .target(75.0, 65.0),
        def(
            "BR-FALL",
            "Fall per 1 000 liggedøgn",
            Brukere,
            "Trygge tjenester",
            "per 1 000 døgn",
            1,
            Lav,
            Maned,
            Brok,
        )
        .factor(1000.0)
        .about(
            "Registrerte fall / liggedøgn × 1 000",
            "Avvikssystem og fagsystem",
            "Avdelingsleder",
        )
        .on(Scope::Kinds(NURSING_DEPT))
        .values(3.4, 0.8, 1.4)
        .bounds(0.0, 40.0)
        .ratio(18.0, 100.0)
        .target(4.0, 6.0),
        def(
            "BR-ERN",
            "Andel beboere med ernæringsscreening",
            Brukere,
            "Trygge tjenester",
            "%",
            0,
            Hoy,
            Tertial,
            Brok,
        )
        .about(
            "Beboere screenet for ernæringsrisiko siste tertial / beboere",
            "Fagsystem",
            "Avdelingsleder",
        )
        .on(Scope::Kinds(NURSING_DEPT))
        .values(89.0, 5.0, 5.0)
        .ratio(0.55, 6.0)
        .target(90.0, 80.0),
        def(
            "OR-MU",
            "Medarbeiderundersøkelse, mestringsorientert ledelse",
            Organisasjon,
            "God ledelse",
            "skår",
            1,
            Hoy,
            Ar,
            Snitt,
        )
        .about("10-faktor, skala 1–5", "KS 10-FAKTOR", "HR-sjef")
        .on(Scope::Leaves)
        .values(4.45, 0.2, 0.12)
        .bounds(1.0, 5.0)
        .target(4.5, 4.0),
        def(
            "OR-AVV",
            "Andel lukkede HMS-avvik",
            Organisasjon,
            "Trygt arbeidsmiljø",
            "%",
            0,
            Hoy,
            Kvartal,
            Brok,
        )
        .about(
            "Lukkede avvik / meldte avvik",
            "Avvikssystem",
            "Leder for enheten",
        )
        .on(Scope::Leaves)
        .values(87.0, 6.0, 8.0)
        .ratio(0.25, 2.0)
        .target(90.0, 75.0),
        def(
            "OR-TURN",
            "Turnover",
            Organisasjon,
            "Trygt arbeidsmiljø",
            "%",
            1,
            Lav,
            Kvartal,
            Brok,
        )
        .about(
            "Fast ansatte som har sluttet i kvartalet / fast ansatte",
            "HR-systemet",
            "HR-sjef",
        )
        .on(Scope::Leaves)
        .values(2.4, 0.8, 1.2)
        .ratio(1.0, 3.0)
        .target(3.0, 5.0)
        .own(2, 4.0, 6.0),
        def(
            "OR-HELT",
            "Andel heltidsansatte",
            Organisasjon,
            "Heltidskultur",
            "%",
            1,
            Hoy,
            Halvar,
            Brok,
        )
        .about(
            "Ansatte i 100 % stilling / alle fast ansatte",
            "HR-systemet",
            "HR-sjef",
        )
        .on(Scope::Leaves)
        .values(59.0, 12.0, 2.0)
        .trend(1.2)
        .ratio(1.0, 3.0)
        .target(60.0, 50.0),
        def(
            "OR-OVT",
            "Overtid i prosent av avtalte timer",
            Organisasjon,
            "Trygt arbeidsmiljø",
            "%",
            1,
            Lav,
            Maned,
            Brok,
        )
        .about(
            "Overtidstimer / avtalte timer",
            "Lønnssystemet",
            "Leder for enheten",
        )
        .on(Scope::Leaves)
        .values(2.1, 0.7, 0.5)
        .season(0.9, 7.0)
        .bounds(0.0, 30.0)
        .hours(140.0)
        .target(2.5, 4.0),
        def(
            "FIN-NDR",
            "Netto driftsresultat",
            Okonomi,
            "Økonomisk handlingsrom",
            "%",
            2,
            Hoy,
            Ar,
            Siste,
        )
        .rollup(UnitRollup::Ingen)
        .about(
            "Netto driftsresultat i prosent av driftsinntekter",
            "KOSTRA og regnskapet",
            "Økonomisjef",
        )
        .values(0.4, 0.0, 0.6)
        .trend(-0.3)
        .bounds(-5.0, 8.0)
        .target(1.75, 1.0),
        def(
            "FIN-FAKT",
            "Andel fakturaer betalt i tide",
            Okonomi,
            "God økonomistyring",
            "%",
            1,
            Hoy,
            Maned,
            Brok,
        )
        .about(
            "Inngående fakturaer betalt innen forfall / betalte fakturaer",
            "Økonomisystemet",
            "Økonomisjef",
        )
        .on(Scope::Leaves)
        .values(95.0, 2.5, 2.0)
        .season(2.5, 1.0)
        .ratio(1.3, 8.0)
        .target(95.0, 90.0)
        .own(1, 92.0, 85.0),
    ]
}

fn medium() -> Vec<Def> {
    vec![
        def("LS-FRIV", "Andel ungdom med organisert fritidsaktivitet", Lokalsamfunn, "Levende lokalsamfunn", "%", 0, Hoy, Ar, Brok)
            .about("Elever i ungdomsskolen som deltar i minst én organisert aktivitet / svar", "Ungdata", "Kultursjef")
            .on(Scope::Kinds(SCHOOL))
            .values(63.0, 7.0, 4.0)
            .ratio(1.5, 15.0)
            .target(65.0, 55.0),
        def("LS-KULT", "Antall kulturarrangementer", Lokalsamfunn, "Levende lokalsamfunn", "arrangementer", 0, Hoy, Maned, Sum)
            .about("Arrangementer i kommunal regi eller i kommunale lokaler", "Arrangementskalender", "Kultursjef")
            .on(Scope::Kinds(CULTURE))
            .values(7.0, 2.0, 2.0)
            .season(3.0, 10.0)
            .scaled(Scale::Employees)
            .whole()
            .own(1, 8.0, 4.0),
        def("LS-ENERGI", "Energibruk i kommunale bygg", Lokalsamfunn, "Klima og miljø", "kWh", 0, Lav, Maned, Sum)
            .about("Målt energibruk, alle energibærere", "Energioppfølgingssystemet", "Leder eiendom")
            .on(Scope::Kinds(PROPERTY))
            .values(420_000.0, 0.0, 25_000.0)
            .season(190_000.0, 1.0)
            .trend(-9_000.0)
            .scaled(Scale::Population)
            .whole(),
        def("LS-VANN", "Lekkasjeandel i vannforsyningen", Lokalsamfunn, "Klima og miljø", "%", 1, Lav, Ar, Brok)
            .about("Beregnet lekkasje / produsert vannmengde", "Driftskontrollsystemet VA", "Leder vann og avløp")
            .on(Scope::Kinds(WATER))
            .values(27.0, 0.0, 1.5)
            .trend(-0.8)
            .scaled(Scale::Population)
            .ratio(1_750_000.0, 1000.0)
            .target(25.0, 35.0),
        def("LS-BRUDD", "Brudd på vannledninger", Lokalsamfunn, "Klima og miljø", "brudd", 0, Lav, Maned, Sum)
            .about("Brudd med avstengning av vann", "Driftskontrollsystemet VA", "Leder vann og avløp")
            .on(Scope::Kinds(WATER))
            .values(2.0, 0.0, 1.0)
            .season(1.2, 1.0)
            .scaled(Scale::Population)
            .whole()
            .target(3.0, 6.0),
        def("BR-MOB", "Andel elever som opplever mobbing", Brukere, "Læring og mestring", "%", 1, Lav, Ar, Brok)
            .about("Elever som svarer at de blir mobbet 2–3 ganger i måneden eller oftere / svar", "Elevundersøkelsen (Udir)", "Rektor")
            .on(Scope::Kinds(SCHOOL))
            .values(6.0, 2.0, 1.8)
            .ratio(3.0, 30.0)
            .target(5.0, 8.0),
        def("BR-FTILF", "Foreldretilfredshet barnehage", Brukere, "Læring og mestring", "skår", 1, Hoy, Ar, Snitt)
            .about("Gjennomsnitt av alle spørsmål, skala 1–5", "Foreldreundersøkelsen (Udir)", "Styrer")
            .on(Scope::Kinds(KINDERGARTEN))
            .values(4.6, 0.18, 0.1)
            .bounds(1.0, 5.0)
            .target(4.5, 4.0),
        def("BR-BPL", "Andel barn med plass ved ønsket oppstart", Brukere, "Gode tjenester", "%", 0, Hoy, Halvar, Brok)
            .about("Barn som fikk plass fra ønsket dato / søkere", "Barnehageopptaket", "Kommunalsjef oppvekst")
            .on(Scope::Kinds(KINDERGARTEN))
            .values(93.0, 4.0, 4.0)
            .ratio(0.35, 3.0)
            .target(95.0, 85.0),
        def("BR-SAKS", "Saksbehandlingstid byggesaker", Brukere, "Gode tjenester", "dager", 0, Lav, Maned, Snitt)
            .about("Dager fra komplett søknad til vedtak, snitt for vedtak i måneden", "Saksbehandlingssystemet", "Leder plan og byggesak")
            .on(Scope::Kinds(BUILDING))
            .values(27.0, 0.0, 5.0)
            .season(7.0, 7.5)
            .bounds(3.0, 200.0)
            .target(21.0, 42.0),
        def("BR-SOS", "Saksbehandlingstid økonomisk sosialhjelp", Brukere, "Gode tjenester", "dager", 1, Lav, Maned, Snitt)
            .about("Dager fra søknad til vedtak", "Fagsystem NAV kommune", "NAV-leder")
            .on(Scope::Kinds(NAV))
            .values(11.5, 2.5, 2.5)
            .bounds(1.0, 90.0)
            .target(14.0, 21.0),
        def("BR-KLAG", "Antall klager på tjenesten", Brukere, "Gode tjenester", "klager", 0, Lav, Maned, Sum)
            .about("Skriftlige klager fra brukere og pårørende", "Sak- og arkivsystemet", "Enhetsleder")
            .on(Scope::Kinds(CARE_SERVICES))
            .values(0.8, 0.4, 0.9)
            .whole()
            .own(2, 1.0, 3.0),
        def("BR-TRIV", "Elevenes trivsel", Brukere, "Læring og mestring", "skår", 1, Hoy, Ar, Snitt)
            .about("Trivsel på skolen, skala 1–5", "Elevundersøkelsen (Udir)", "Rektor")
            .on(Scope::Kinds(SCHOOL))
            .values(4.25, 0.14, 0.08)
            .bounds(1.0, 5.0)
            .target(4.2, 3.9),
        def("BR-HJB", "Hjemmebesøk til nyfødte innen to uker", Brukere, "Trygge tjenester", "%", 0, Hoy, Kvartal, Brok)
            .about("Nyfødte med hjemmebesøk innen 14 dager etter hjemkomst / nyfødte", "Journalsystemet helsestasjon", "Ledende helsesykepleier")
            .on(Scope::Kinds(HEALTH_STATION))
            .values(89.0, 4.0, 5.0)
            .ratio(3.0, 8.0)
            .target(90.0, 80.0),
        def("BR-SVAR", "Svartid sentralbord", Brukere, "Gode tjenester", "sek", 0, Lav, Maned, Snitt)
            .about("Gjennomsnittlig tid før en innringer får svar", "Telefonisentralen", "Leder servicetorget")
            .on(Scope::Kinds(SERVICE))
            .values(44.0, 8.0, 9.0)
            .season(14.0, 8.0)
            .bounds(5.0, 600.0)
            .target(60.0, 90.0),
        def("OR-MEDS", "Andel ansatte med gjennomført medarbeidersamtale", Organisasjon, "God ledelse", "%", 0, Hoy, Ar, Brok)
            .about("Ansatte med medarbeidersamtale i året / ansatte", "HR-systemet", "Leder for enheten")
            .on(Scope::Leaves)
            .values(88.0, 7.0, 5.0)
            .ratio(1.0, 3.0)
            .target(95.0, 80.0),
        def("OR-VIK", "Vikartimer i prosent av avtalte timer", Organisasjon, "Heltidskultur", "%", 1, Lav, Maned, Brok)
            .about("Timer utført av vikarer og innleide / avtalte timer", "Turnus- og lønnssystemet", "Leder for enheten")
            .on(Scope::Leaves)
            .values(8.5, 2.5, 1.8)
            .season(4.0, 7.0)
            .bounds(0.0, 60.0)
            .hours(140.0)
            .target(8.0, 12.0),
        def("OR-FAG", "Andel ansatte med helsefaglig utdanning", Organisasjon, "Kompetanse", "%", 1, Hoy, Ar, Brok)
            .about("Årsverk med helsefaglig utdanning / årsverk", "HR-systemet", "Kommunalsjef helse og omsorg")
            .on(Scope::Kinds(CARE_STAFF))
            .values(73.0, 7.0, 2.0)
            .trend(0.8)
            .ratio(1.0, 3.0)
            .target(75.0, 65.0),
        def("OR-STILL", "Ubesatte stillinger", Organisasjon, "Kompetanse", "stillinger", 0, Lav, Maned, Siste)
            .about("Utlyste stillinger som ikke er besatt ved utgangen av måneden", "Rekrutteringssystemet", "HR-sjef")
            .on(Scope::Kinds(VACANCIES))
            .values(1.2, 0.6, 1.0)
            .whole(),
        def("OR-LARL", "Antall lærlinger", Organisasjon, "Kompetanse", "lærlinger", 0, Hoy, Ar, Siste)
            .about("Lærlinger med kontrakt per 1. oktober", "HR-systemet", "HR-sjef")
            .values(12.0, 0.0, 1.5)
            .trend(0.3)
            .scaled(Scale::Population)
            .whole()
            .target(15.0, 10.0),
        def("OR-SKADE", "Personskader meldt", Organisasjon, "Trygt arbeidsmiljø", "skader", 0, Lav, Tertial, Sum)
            .about("Meldte personskader på ansatte", "Avvikssystem", "Verneombud og leder")
            .on(Scope::Kinds(TECHNICAL_STAFF))
            .values(0.8, 0.4, 0.8)
            .whole(),
        def("FIN-GJELD", "Netto lånegjeld per innbygger", Okonomi, "Økonomisk handlingsrom", "kr", 0, Lav, Ar, Siste)
            .rollup(UnitRollup::Ingen)
            .about("Langsiktig gjeld minus pensjonsforpliktelser, utlån og ubrukte lånemidler, per innbygger", "KOSTRA", "Økonomisjef")
            .values(76_000.0, 0.0, 1_500.0)
            .trend(2_600.0)
            .whole()
            .target(75_000.0, 85_000.0),
        def("FIN-DISP", "Disposisjonsfond i prosent av driftsinntekter", Okonomi, "Økonomisk handlingsrom", "%", 1, Hoy, Ar, Siste)
            .rollup(UnitRollup::Ingen)
            .about("Disposisjonsfond ved årets slutt / brutto driftsinntekter", "KOSTRA", "Økonomisjef")
            .values(7.0, 0.0, 0.8)
            .trend(-0.4)
            .target(8.0, 5.0),
        def("FIN-INNF", "Innfordringsgrad kommunale gebyrer", Okonomi, "God økonomistyring", "%", 1, Hoy, Kvartal, Brok)
            .about("Innbetalt / fakturert beløp for vann, avløp, renovasjon og feiing, i kroner", "Fakturasystemet", "Leder innfordring")
            .on(Scope::Kinds(FINANCE))
            .values(97.6, 0.0, 0.7)
            .scaled(Scale::Population)
            .ratio(11_000_000.0, 100_000.0)
            .target(98.0, 95.0),
        def("FIN-EHF", "Andel inngående fakturaer som EHF", Okonomi, "God økonomistyring", "%", 1, Hoy, Maned, Brok)
            .about("Fakturaer mottatt som elektronisk handelsformat / alle inngående fakturaer", "Økonomisystemet", "Leder regnskap")
            .on(Scope::Kinds(FINANCE))
            .values(86.0, 0.0, 1.5)
            .trend(1.6)
            .scaled(Scale::Population)
            .ratio(2_600.0, 100.0)
            .target(90.0, 80.0),
    ]
}

fn large() -> Vec<Def> {
    vec![
        def(
            "LS-GSV",
            "Nye meter gang- og sykkelvei",
            Lokalsamfunn,
            "Klima og miljø",
            "meter",
            0,
            Hoy,
            Ar,
            Sum,
        )
        .about(
            "Ferdigstilte meter gang- og sykkelvei i året",
            "Prosjektregnskapet",
            "Leder vei og park",
        )
        .on(Scope::Kinds(ROAD))
        .values(900.0, 250.0, 300.0)
        .whole(),
        def(
            "LS-AVF",
            "Andel husholdningsavfall til materialgjenvinning",
            Lokalsamfunn,
            "Klima og miljø",
            "%",
            1,
            Hoy,
            Kvartal,
            Brok,
        )
        .about(
            "Tonn levert til materialgjenvinning / tonn husholdningsavfall",
            "Renovasjonsselskapet (IKS)",
            "Kommunalsjef teknisk",
        )
        .values(41.0, 0.0, 1.6)
        .trend(0.7)
        .scaled(Scale::Population)
        .ratio(1_250.0, 100.0)
        .target(45.0, 38.0),
        def(
            "LS-KLIM",
            "Klimagassutslipp fra kommunal bilpark",
            Lokalsamfunn,
            "Klima og miljø",
            "tonn CO₂e",
            1,
            Lav,
            Halvar,
            Sum,
        )
        .about(
            "Beregnet fra drivstoffkjøp",
            "Drivstoffkort og flåtesystem",
            "Kommunalsjef teknisk",
        )
        .values(118.0, 0.0, 6.0)
        .trend(-7.0)
        .scaled(Scale::Population)
        .target(110.0, 130.0),
        def(
            "LS-IDR",
            "Besøk i kommunale idrettsanlegg",
            Lokalsamfunn,
            "Levende lokalsamfunn",
            "besøk",
            0,
            Hoy,
            Maned,
            Sum,
        )
        .about(
            "Registrerte besøk i svømmehall og idrettshaller",
            "Adgangskontroll",
            "Kultursjef",
        )
        .on(Scope::Kinds(CULTURE))
        .values(1_500.0, 250.0, 150.0)
        .season(500.0, 2.0)
        .scaled(Scale::Employees)
        .whole(),
        def(
            "BR-SFO",
            "Foreldretilfredshet SFO",
            Brukere,
            "Læring og mestring",
            "skår",
            1,
            Hoy,
            Ar,
            Snitt,
        )
        .about(
            "Helhetsvurdering, skala 1–5",
            "Foreldreundersøkelsen SFO",
            "SFO-leder",
        )
        .on(Scope::Kinds(SFO))
        .values(4.3, 0.2, 0.12)
        .bounds(1.0, 5.0)
        .target(4.3, 4.0),
        def(
            "BR-SPRAK",
            "Andel barn med gjennomført språkkartlegging",
            Brukere,
            "Læring og mestring",
            "%",
            0,
            Hoy,
            Tertial,
            Brok,
        )
        .about(
            "Barn med språkkartlegging gjennomført siste tertial / barn som skal kartlegges",
            "Barnehagens fagsystem",
            "Styrer",
        )
        .on(Scope::Kinds(KINDERGARTEN))
        .values(93.0, 4.0, 5.0)
        .ratio(1.2, 4.0)
        .target(95.0, 85.0),
        def(
            "BR-VEDT",
            "Vedtak om hjemmetjenester innen fristen",
            Brukere,
            "Gode tjenester",
            "%",
            0,
            Hoy,
            Tertial,
            Brok,
        )
        .about(
            "Vedtak fattet innen fire uker / vedtak",
            "Fagsystem",
            "Enhetsleder hjemmetjenesten",
        )
        .on(Scope::LeafKinds(HOME_CARE))
        .values(92.0, 4.0, 4.0)
        .ratio(0.9, 5.0)
        .target(95.0, 85.0),
        def(
            "BR-HTILF",
            "Brukertilfredshet hjemmetjeneste",
            Brukere,
            "Gode tjenester",
            "skår",
            1,
            Hoy,
            Ar,
            Snitt,
        )
        .about(
            "Helhetsspørsmålet, skala 1–6",
            "bedrekommune.no",
            "Enhetsleder hjemmetjenesten",
        )
        .on(Scope::LeafKinds(HOME_CARE))
        .values(5.0, 0.2, 0.15)
        .bounds(1.0, 6.0)
        .target(5.0, 4.5),
        def(
            "BR-BROYT",
            "Klager på brøyting og strøing",
            Brukere,
            "Gode tjenester",
            "klager",
            0,
            Lav,
            Maned,
            Sum,
        )
        .about(
            "Henvendelser om brøyting og strøing i meldesystemet",
            "Meld fra om feil",
            "Leder vei og park",
        )
        .on(Scope::Kinds(ROAD))
        .values(3.0, 1.0, 1.5)
        .season(4.0, 1.0)
        .whole(),
        def(
            "BR-BTILF",
            "Brukertilfredshet bofellesskap",
            Brukere,
            "Gode tjenester",
            "skår",
            1,
            Hoy,
            Ar,
            Snitt,
        )
        .about(
            "Helhetsspørsmålet, skala 1–6 (brukere og pårørende)",
            "bedrekommune.no",
            "Enhetsleder",
        )
        .on(Scope::Kinds(HOUSING))
        .values(5.05, 0.2, 0.15)
        .bounds(1.0, 6.0)
        .target(5.0, 4.5),
        def(
            "OR-HMSM",
            "Meldte HMS-avvik",
            Organisasjon,
            "Trygt arbeidsmiljø",
            "avvik",
            0,
            Hoy,
            Maned,
            Sum,
        )
        .about(
            "Meldte avvik; flere meldinger tyder på god meldekultur",
            "Avvikssystem",
            "Leder for enheten",
        )
        .on(Scope::Leaves)
        .values(1.0, 0.5, 1.0)
        .whole(),
        def(
            "OR-LED",
            "Andel ledere med fullført lederprogram",
            Organisasjon,
            "God ledelse",
            "%",
            0,
            Hoy,
            Ar,
            Brok,
        )
        .about(
            "Ledere med personalansvar som har fullført kommunens lederprogram / ledere",
            "HR-systemet",
            "HR-sjef",
        )
        .values(68.0, 0.0, 3.0)
        .trend(2.5)
        .scaled(Scale::Population)
        .ratio(45.0, 10.0)
        .target(80.0, 60.0),
        def(
            "OR-ELAER",
            "Fullført e-læring i informasjonssikkerhet",
            Organisasjon,
            "Kompetanse",
            "%",
            0,
            Hoy,
            Tertial,
            Brok,
        )
        .about(
            "Ansatte som har fullført årets kurs / ansatte",
            "Læringsplattformen",
            "IKT-leder",
        )
        .on(Scope::Leaves)
        .values(80.0, 8.0, 6.0)
        .ratio(1.0, 3.0)
        .target(90.0, 75.0),
        def(
            "OR-ARSV",
            "Årsverk",
            Organisasjon,
            "Kompetanse",
            "årsverk",
            1,
            Hoy,
            Maned,
            Siste,
        )
        .about(
            "Avtalte årsverk ved utgangen av måneden",
            "Lønnssystemet",
            "HR-sjef",
        )
        .on(Scope::Leaves)
        .values(17.0, 1.0, 0.3)
        .scaled(Scale::Employees),
        def(
            "FIN-PLASS",
            "Kostnad per sykehjemsplass",
            Okonomi,
            "God økonomistyring",
            "kr",
            0,
            Lav,
            Ar,
            Snitt,
        )
        .about(
            "Netto driftsutgifter / plasser",
            "Regnskapet og KOSTRA",
            "Kommunalsjef helse og omsorg",
        )
        .on(Scope::Kinds(NURSING_HOME))
        .values(1_250_000.0, 70_000.0, 25_000.0)
        .trend(38_000.0)
        .whole()
        .target(1_300_000.0, 1_400_000.0),
        def(
            "FIN-ELEV",
            "Netto driftsutgifter per elev",
            Okonomi,
            "God økonomistyring",
            "kr",
            0,
            Lav,
            Ar,
            Snitt,
        )
        .about(
            "Netto driftsutgifter grunnskole / elever",
            "Regnskapet og GSI",
            "Kommunalsjef oppvekst",
        )
        .on(Scope::Kinds(SCHOOL))
        .values(116_000.0, 11_000.0, 3_000.0)
        .trend(3_500.0)
        .whole()
        .target(125_000.0, 135_000.0),
        def(
            "FIN-ENERG",
            "Energikostnad per kvadratmeter",
            Okonomi,
            "God økonomistyring",
            "kr",
            1,
            Lav,
            Halvar,
            Snitt,
        )
        .about(
            "Energikostnad / oppvarmet areal",
            "Energioppfølgingssystemet og regnskapet",
            "Leder eiendom",
        )
        .on(Scope::Kinds(PROPERTY))
        .values(52.0, 0.0, 4.0)
        .season(12.0, 3.5)
        .target(55.0, 65.0),
        def(
            "FIN-INV",
            "Gjennomføringsgrad investeringer",
            Okonomi,
            "Økonomisk handlingsrom",
            "%",
            0,
            Hoy,
            Tertial,
            Siste,
        )
        .rollup(UnitRollup::Ingen)
        .about(
            "Påløpte utgifter hittil i år / årets investeringsbudsjett × andel av året",
            "Prosjektregnskapet",
            "Økonomisjef",
        )
        .values(72.0, 0.0, 8.0)
        .bounds(0.0, 150.0)
        .target(80.0, 60.0),
        def(
            "FIN-RAMME",
            "Andel innkjøp fra rammeavtaler",
            Okonomi,
            "God økonomistyring",
            "%",
            1,
            Hoy,
            Kvartal,
            Brok,
        )
        .about(
            "Innkjøp fra leverandører med rammeavtale / alle innkjøp, i kroner",
            "Innkjøpsanalyse",
            "Innkjøpssjef",
        )
        .on(Scope::Leaves)
        .values(83.0, 6.0, 3.0)
        .ratio(45_000.0, 10_000.0)
        .target(85.0, 75.0),
        def(
            "FIN-PURR",
            "Andel utgående fakturaer purret",
            Okonomi,
            "God økonomistyring",
            "%",
            1,
            Lav,
            Maned,
            Brok,
        )
        .about(
            "Fakturaer sendt til purring / utgående fakturaer",
            "Fakturasystemet",
            "Leder innfordring",
        )
        .on(Scope::Kinds(FINANCE))
        .values(5.5, 0.0, 0.8)
        .season(1.0, 8.0)
        .scaled(Scale::Population)
        .ratio(2_400.0, 100.0)
        .target(5.0, 8.0),
    ]
}
