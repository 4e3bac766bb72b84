//! The demo municipality's organisation: *Demo kommune* (1000), the sectors Oppvekst (2000),
//! Helse og omsorg (3000), Teknisk (4000) and Stab (5000), and the virksomheter and
//! avdelinger under them, with believable Norwegian names made from place names. Each unit
//! carries its kind (what indicators make sense for it) and a head count (how big its
//! denominators are).

use super::rng::{self, Purpose};
use super::DemoSize;

/// What a unit is; decides which indicators are registered on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Root,
    Sector,
    School,
    /// A school's after-school programme (SFO), a department of the school.
    Sfo,
    Kindergarten,
    Culture,
    NursingHome,
    NursingDept,
    HomeCare,
    HomeCareZone,
    Nav,
    Housing,
    HealthStation,
    Emergency,
    MentalHealth,
    Water,
    WaterDept,
    Road,
    Property,
    PropertyDept,
    Building,
    Fire,
    Hr,
    Finance,
    FinanceDept,
    Ict,
    Service,
    Archive,
}

#[derive(Clone, Debug)]
pub(crate) struct DemoUnit {
    pub code: String,
    pub name: String,
    pub parent: Option<usize>,
    pub level: &'static str,
    pub kind: Kind,
    pub employees: u32,
    pub leaf: bool,
}

/// How many of each kind of unit a size has.
struct Plan {
    schools: usize,
    sfo: bool,
    kindergartens: usize,
    culture: usize,
    nursing_homes: usize,
    /// Departments per nursing home: cycles through 2..=this.
    nursing_depts: usize,
    home_care: usize,
    /// Zones per home-care district (0: the district is one unit).
    zones: usize,
    nav: usize,
    housing: usize,
    health_stations: usize,
    mental_health: usize,
    water_depts: usize,
    roads: usize,
    property_depts: usize,
    fire: usize,
    services: usize,
    finance_depts: usize,
}

fn plan(size: DemoSize) -> Plan {
    match size {
        DemoSize::Small => Plan {
            schools: 2,
            sfo: false,
            kindergartens: 2,
            culture: 1,
            nursing_homes: 2,
            nursing_depts: 2,
            home_care: 1,
            zones: 0,
            nav: 1,
            housing: 1,
            health_stations: 1,
            mental_health: 0,
            water_depts: 0,
            roads: 1,
            property_depts: 2,
            fire: 0,
            services: 1,
            finance_depts: 0,
        },
        DemoSize::Medium => Plan {
            schools: 34,
            sfo: true,
            kindergartens: 80,
            culture: 4,
            nursing_homes: 12,
            nursing_depts: 4,
            home_care: 5,
            zones: 3,
            nav: 2,
            housing: 32,
            health_stations: 4,
            mental_health: 3,
            water_depts: 3,
            roads: 4,
            property_depts: 3,
            fire: 3,
            services: 3,
            finance_depts: 3,
        },
        DemoSize::Large => Plan {
            schools: 150,
            sfo: true,
            kindergartens: 610,
            culture: 24,
            nursing_homes: 45,
            nursing_depts: 5,
            home_care: 15,
            zones: 5,
            nav: 15,
            housing: 160,
            health_stations: 15,
            mental_health: 12,
            water_depts: 8,
            roads: 15,
            property_depts: 6,
            fire: 8,
            services: 15,
            finance_depts: 4,
        },
    }
}

const PLACES: [&str; 48] = [
    "Bakken",
    "Åsen",
    "Lia",
    "Haugen",
    "Nordby",
    "Sjøsiden",
    "Furuly",
    "Solberg",
    "Moen",
    "Vik",
    "Dalen",
    "Berg",
    "Strand",
    "Skogen",
    "Bråten",
    "Eikeli",
    "Tveten",
    "Grønli",
    "Rud",
    "Ekra",
    "Sletta",
    "Holmen",
    "Nes",
    "Myra",
    "Tangen",
    "Løkka",
    "Enga",
    "Kollen",
    "Fjellstad",
    "Granli",
    "Lunden",
    "Nyborg",
    "Vestli",
    "Østli",
    "Brekke",
    "Hagen",
    "Sand",
    "Hovin",
    "Torp",
    "Kirkeby",
    "Fossum",
    "Lindeberg",
    "Rosenlund",
    "Heia",
    "Bøen",
    "Stokke",
    "Jordet",
    "Aker",
];
const PREFIXES: [&str; 9] = [
    "", "Øvre ", "Nedre ", "Nordre ", "Søndre ", "Vestre ", "Østre ", "Store ", "Lille ",
];
const KINDERGARTEN_NAMES: [&str; 20] = [
    "Solsiden",
    "Trollskogen",
    "Blåbærtoppen",
    "Marihøna",
    "Eventyrhagen",
    "Regnbuen",
    "Tusenfryd",
    "Ekornrud",
    "Humla",
    "Kløverengen",
    "Stjerneskudd",
    "Maurtua",
    "Løvetann",
    "Tyttebærlia",
    "Nøtteliten",
    "Solstrålen",
    "Kongleskogen",
    "Måltrosten",
    "Bjørnebo",
    "Gullhaugen",
];
const NURSING_NAMES: [&str; 12] = [
    "Furulund",
    "Haugtun",
    "Solgløtt",
    "Lindehjemmet",
    "Fjellhaug",
    "Aldershvile",
    "Bjørkely",
    "Sjøtun",
    "Kvelstun",
    "Rosenhaven",
    "Eikelund",
    "Tunet",
];
const ZONES: [&str; 5] = ["nord", "sør", "øst", "vest", "sentrum"];

/// The i-th place name: the plain names first, then with Øvre, Nedre, … in front.
fn place(i: usize) -> String {
    let n = PLACES.len();
    format!("{}{}", PREFIXES[(i / n) % PREFIXES.len()], PLACES[i % n])
}

/// The i-th name of a list that starts with `special` names and goes on with place names
/// from `offset`; `variants` are the suffixes used round by round when even those run out.
fn nth_name(i: usize, special: &[&str], offset: usize, variants: &[&str]) -> String {
    let pool = special.len() + PLACES.len() * PREFIXES.len();
    let round = i / pool;
    let j = i % pool;
    let stem = if j < special.len() {
        special[j].to_string()
    } else {
        place(offset + j - special.len())
    };
    format!("{stem} {}", variants[round % variants.len()])
}

/// A virksomhet with its departments, before codes are given.
struct Spec {
    name: String,
    kind: Kind,
    employees: (u32, u32),
    depts: Vec<(String, Kind, (u32, u32))>,
}

fn spec(name: String, kind: Kind, employees: (u32, u32)) -> Spec {
    Spec {
        name,
        kind,
        employees,
        depts: Vec::new(),
    }
}

fn oppvekst(p: &Plan) -> Vec<Vec<Spec>> {
    let schools = (0..p.schools)
        .map(|i| {
            let name = nth_name(i, &[], 0, &["skole", "barneskole", "ungdomsskole"]);
            let mut s = spec(name.clone(), Kind::School, (25, 70));
            if p.sfo {
                s.depts.push((format!("{name} SFO"), Kind::Sfo, (5, 14)));
            }
            s
        })
        .collect();
    let kindergartens = (0..p.kindergartens)
        .map(|i| {
            let name = nth_name(
                i,
                &KINDERGARTEN_NAMES,
                3,
                &["barnehage", "naturbarnehage", "gårdsbarnehage"],
            );
            spec(name, Kind::Kindergarten, (8, 26))
        })
        .collect();
    let culture = (0..p.culture)
        .map(|i| {
            let name = match (p.culture, i) {
                (1, _) => "Kultur og bibliotek".to_string(),
                (_, 0) => "Hovedbiblioteket".to_string(),
                (_, 1) => "Kulturskolen".to_string(),
                (_, 2) => "Fritid og ungdom".to_string(),
                (_, 3) => "Kulturhuset".to_string(),
                _ => format!("{} bibliotek", place(i + 7)),
            };
            spec(name, Kind::Culture, (8, 30))
        })
        .collect();
    vec![schools, kindergartens, culture]
}

fn helse(p: &Plan) -> Vec<Vec<Spec>> {
    let nursing = (0..p.nursing_homes)
        .map(|i| {
            let stem = if i < NURSING_NAMES.len() {
                NURSING_NAMES[i].to_string()
            } else {
                place(i + 5)
            };
            let suffix = if i < NURSING_NAMES.len() {
                "sykehjem"
            } else {
                "omsorgssenter"
            };
            let mut s = spec(format!("{stem} {suffix}"), Kind::NursingHome, (3, 7));
            let depts = 2 + i % p.nursing_depts.saturating_sub(1).max(1);
            for d in 1..=depts.min(p.nursing_depts) {
                s.depts
                    .push((format!("{stem} avd. {d}"), Kind::NursingDept, (16, 34)));
            }
            s
        })
        .collect();
    let home_care = (0..p.home_care)
        .map(|i| {
            let name = if p.home_care == 1 {
                "Hjemmetjenesten".to_string()
            } else {
                format!("Hjemmetjenesten {}", place(i + 10))
            };
            let mut s = spec(
                name.clone(),
                Kind::HomeCare,
                if p.zones == 0 { (30, 60) } else { (3, 6) },
            );
            for z in ZONES.iter().take(p.zones) {
                s.depts
                    .push((format!("{name}, sone {z}"), Kind::HomeCareZone, (22, 45)));
            }
            s
        })
        .collect();
    let nav = (0..p.nav)
        .map(|i| {
            let name = if p.nav == 1 {
                "NAV Demo".to_string()
            } else {
                format!("NAV {}", place(i + 4))
            };
            spec(name, Kind::Nav, (20, 60))
        })
        .collect();
    let housing = (0..p.housing)
        .map(|i| {
            let suffix = if i % 3 == 2 {
                "omsorgsboliger"
            } else {
                "bofellesskap"
            };
            spec(
                format!("{} {suffix}", place(i + 4)),
                Kind::Housing,
                (10, 26),
            )
        })
        .collect();
    let health = (0..p.health_stations)
        .map(|i| {
            let name = if p.health_stations == 1 {
                "Helsestasjonen".to_string()
            } else {
                format!("Helsestasjonen {}", place(i + 1))
            };
            spec(name, Kind::HealthStation, (8, 20))
        })
        .collect();
    let mut other: Vec<Spec> = Vec::new();
    if p.mental_health > 0 {
        other.push(spec("Legevakten".to_string(), Kind::Emergency, (18, 35)));
    }
    for i in 0..p.mental_health {
        other.push(spec(
            format!("Rus og psykisk helse {}", place(i + 12)),
            Kind::MentalHealth,
            (10, 30),
        ));
    }
    vec![nursing, home_care, nav, housing, health, other]
}

fn teknisk(p: &Plan) -> Vec<Vec<Spec>> {
    let mut water = spec(
        "Vann og avløp".to_string(),
        Kind::Water,
        if p.water_depts == 0 { (12, 25) } else { (3, 6) },
    );
    let water_names = [
        "Vannverket",
        "Avløpsrenseanlegget",
        "Ledningsnett",
        "Driftssentralen",
    ];
    for d in 0..p.water_depts {
        let name = if d < water_names.len() {
            water_names[d].to_string()
        } else {
            format!("Ledningsnett {}", place(d + 20))
        };
        water.depts.push((name, Kind::WaterDept, (6, 18)));
    }
    let roads = (0..p.roads)
        .map(|i| {
            let name = if p.roads == 1 {
                "Vei og park".to_string()
            } else {
                format!("Vei og park {}", place(i + 2))
            };
            spec(name, Kind::Road, (10, 25))
        })
        .collect();
    let mut property = spec("Eiendom".to_string(), Kind::Property, (4, 8));
    let property_names = [
        "Renhold",
        "Vaktmestertjenesten",
        "Byggprosjekter",
        "Energi og drift",
    ];
    for d in 0..p.property_depts {
        let name = if d < property_names.len() {
            property_names[d].to_string()
        } else {
            format!("Renhold {}", place(d + 30))
        };
        property.depts.push((name, Kind::PropertyDept, (10, 40)));
    }
    let building = spec("Plan og byggesak".to_string(), Kind::Building, (8, 16));
    let fire = (0..p.fire)
        .map(|i| {
            spec(
                format!("{} brannstasjon", place(i + 6)),
                Kind::Fire,
                (12, 28),
            )
        })
        .collect();
    vec![vec![water], roads, vec![property], vec![building], fire]
}

fn stab(p: &Plan) -> Vec<Vec<Spec>> {
    let hr = spec("HR".to_string(), Kind::Hr, (6, 15));
    let mut finance = spec(
        "Økonomi".to_string(),
        Kind::Finance,
        if p.finance_depts == 0 {
            (8, 20)
        } else {
            (3, 6)
        },
    );
    for d in ["Regnskap", "Lønn", "Innfordring", "Budsjett og analyse"]
        .iter()
        .take(p.finance_depts)
    {
        finance
            .depts
            .push((d.to_string(), Kind::FinanceDept, (5, 14)));
    }
    let ict = spec("IKT".to_string(), Kind::Ict, (8, 20));
    let services = (0..p.services)
        .map(|i| {
            let name = if i == 0 {
                "Servicetorget".to_string()
            } else {
                format!("Servicetorget {}", place(i + 9))
            };
            spec(name, Kind::Service, (5, 12))
        })
        .collect();
    let mut rest = Vec::new();
    if p.services > 1 {
        rest.push(spec("Dokumentsenteret".to_string(), Kind::Archive, (6, 14)));
        rest.push(spec(
            "Politisk sekretariat".to_string(),
            Kind::Archive,
            (3, 8),
        ));
    }
    vec![vec![hr], vec![finance], vec![ict], services, rest]
}

/// The unit tree for `size`, parents before children.
pub(crate) fn build(size: DemoSize) -> Vec<DemoUnit> {
    let p = plan(size);
    let mut units = vec![DemoUnit {
        code: "1000".to_string(),
        name: "Demo kommune".to_string(),
        parent: None,
        level: "kommune",
        kind: Kind::Root,
        employees: 6,
        leaf: false,
    }];
    let sectors: [(u32, &str, Vec<Vec<Spec>>); 4] = [
        (2, "Oppvekst", oppvekst(&p)),
        (3, "Helse og omsorg", helse(&p)),
        (4, "Teknisk", teknisk(&p)),
        (5, "Stab", stab(&p)),
    ];
    for (digit, sector_name, groups) in sectors {
        let sector = units.len();
        units.push(DemoUnit {
            code: format!("{digit}000"),
            name: sector_name.to_string(),
            parent: Some(0),
            level: "sektor",
            kind: Kind::Sector,
            employees: 4,
            leaf: false,
        });
        // Interleaved, so that each sector's first codes (2100, 2200, …) are one of each kind.
        let longest = groups.iter().map(Vec::len).max().unwrap_or(0);
        let mut k = 0usize;
        let mut groups: Vec<std::vec::IntoIter<Spec>> =
            groups.into_iter().map(Vec::into_iter).collect();
        for _ in 0..longest {
            for group in groups.iter_mut() {
                let Some(s) = group.next() else { continue };
                k += 1;
                let code = if k <= 9 {
                    format!("{digit}{k}00")
                } else {
                    format!("{digit}{k:03}0")
                };
                let index = units.len();
                let employees = draw_employees(&code, s.employees);
                units.push(DemoUnit {
                    code: code.clone(),
                    name: s.name,
                    parent: Some(sector),
                    level: "virksomhet",
                    kind: s.kind,
                    employees,
                    leaf: s.depts.is_empty(),
                });
                for (d, (name, kind, range)) in s.depts.into_iter().enumerate().take(9) {
                    let d = d + 1;
                    let dept_code = if k <= 9 {
                        format!("{digit}{k}{d}0")
                    } else {
                        format!("{digit}{k:03}{d}")
                    };
                    let employees = draw_employees(&dept_code, range);
                    units.push(DemoUnit {
                        code: dept_code,
                        name,
                        parent: Some(index),
                        level: "avdeling",
                        kind,
                        employees,
                        leaf: true,
                    });
                }
            }
        }
    }
    units
}

fn draw_employees(code: &str, (low, high): (u32, u32)) -> u32 {
    let key = code
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(131).wrapping_add(u64::from(b)));
    rng::between(Purpose::Employees, &[key], low, high)
}

/// The person who comments on a unit's figures (always the same one for a unit), with the
/// role that fits the unit: `Kari Nordmann (rektor)`.
pub(crate) fn author(unit: &DemoUnit, key: u64) -> String {
    const FIRST: [&str; 16] = [
        "Kari", "Ola", "Ingrid", "Per", "Siri", "Lars", "Nina", "Trond", "Anne", "Jon", "Marit",
        "Espen", "Hilde", "Bjørn", "Ragnhild", "Eirik",
    ];
    const LAST: [&str; 16] = [
        "Nordmann", "Hansen", "Berg", "Olsen", "Johansen", "Bakke", "Lie", "Aas", "Dahl", "Haugen",
        "Solberg", "Strand", "Nilsen", "Moe", "Larsen", "Eide",
    ];
    let role = match unit.kind {
        Kind::Root => "kommunedirektør",
        Kind::Sector => "kommunalsjef",
        Kind::School => "rektor",
        Kind::Sfo => "SFO-leder",
        Kind::Kindergarten => "styrer",
        Kind::Culture => "kultursjef",
        Kind::NursingHome
        | Kind::HomeCare
        | Kind::Housing
        | Kind::MentalHealth
        | Kind::Emergency => "enhetsleder",
        Kind::NursingDept | Kind::HomeCareZone => "avdelingsleder",
        Kind::Nav => "NAV-leder",
        Kind::HealthStation => "ledende helsesykepleier",
        Kind::Water
        | Kind::WaterDept
        | Kind::Road
        | Kind::Property
        | Kind::PropertyDept
        | Kind::Fire => "driftsleder",
        Kind::Building => "leder plan og byggesak",
        Kind::Hr => "HR-sjef",
        Kind::Finance | Kind::FinanceDept => "økonomisjef",
        Kind::Ict => "IKT-leder",
        Kind::Service | Kind::Archive => "leder",
    };
    let h = rng::hash(Purpose::Name, &[key]);
    format!(
        "{} {} ({role})",
        FIRST[(h % 16) as usize],
        LAST[((h >> 8) % 16) as usize]
    )
}
