//! Each kind's checks, on files in memory against a hand-made catalog: no database.

use std::collections::BTreeSet;

use super::*;
use crate::model::{
    Aggregation, Direction, Figure, Frequency, Indicator, Perspective, Target, Unit, UnitRollup,
};
use crate::period::{Month, Period};

fn unit(code: &str, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: format!("Enhet {code}"),
        parent: parent.map(Into::into),
        level: None,
    }
}

/// 1000 ← 2000 ← 2100, 1000 ← 3000 ← 3100 ← 3110; OR-AVV quarterly ratio, BR-VENT monthly
/// mean (lower is better), SF a built-in; March 2026 locked.
fn catalog() -> Catalog {
    let sf = Indicator::builtin_sf();
    Catalog {
        units: vec![
            unit("1000", None),
            unit("2000", Some("1000")),
            unit("2100", Some("2000")),
            unit("3000", Some("1000")),
            unit("3100", Some("3000")),
            unit("3110", Some("3100")),
        ],
        indicators: vec![
            Indicator::new(
                "OR-AVV",
                "Lukkede avvik",
                Perspective::Organisasjon,
                Direction::Hoy,
                Frequency::Kvartal,
                Aggregation::Brok,
            ),
            Indicator::new(
                "BR-VENT",
                "Ventetid",
                Perspective::Brukere,
                Direction::Lav,
                Frequency::Maned,
                Aggregation::Snitt,
            ),
            sf,
        ],
        locked: BTreeSet::from([Month::new(2026, 3).unwrap_or_else(|| unreachable!())]),
        actions: Vec::new(),
    }
}

fn ok(kind: ImportKind, text: &str) -> Parsed {
    parse(kind, "fil.csv", text.as_bytes(), &catalog()).unwrap_or_else(|f| panic!("{f}"))
}

fn fail(kind: ImportKind, text: &str) -> ImportFailure {
    match parse(kind, "fil.csv", text.as_bytes(), &catalog()) {
        Ok(p) => panic!("expected refusal, got {p:?}"),
        Err(f) => f,
    }
}

/// The one error of a refused file, as the user reads it.
fn only_error(kind: ImportKind, text: &str) -> String {
    let f = fail(kind, text);
    assert_eq!(f.total, 1, "{f}");
    f.errors[0].to_string()
}

fn measurements(p: Parsed) -> Vec<crate::model::Measurement> {
    match p.changes {
        ChangeSet::Measurements(m) => m,
        other => panic!("{other:?}"),
    }
}

#[test]
fn kind_names_in_norwegian_and_english_any_case() {
    assert_eq!(ImportKind::parse("Enheter"), Some(ImportKind::Units));
    assert_eq!(
        ImportKind::parse("indicators"),
        Some(ImportKind::Indicators)
    );
    assert_eq!(ImportKind::parse("MÅL"), Some(ImportKind::Targets));
    assert_eq!(ImportKind::parse("mal"), Some(ImportKind::Targets));
    assert_eq!(
        ImportKind::parse("malinger"),
        Some(ImportKind::Measurements)
    );
    assert_eq!(
        ImportKind::parse("målinger"),
        Some(ImportKind::Measurements)
    );
    assert_eq!(ImportKind::parse("sykefravær"), Some(ImportKind::SickLeave));
    assert_eq!(ImportKind::parse("sick-leave"), Some(ImportKind::SickLeave));
    assert_eq!(ImportKind::parse("fravær"), None);
}

// ---- units

#[test]
fn units_may_name_a_parent_further_down_and_come_out_parents_first() {
    let p = ok(
        ImportKind::Units,
        "kode;navn;overordnet;nivå\n4100;Skole;4000;virksomhet\n4000;Kultur;1000;sektor\n",
    );
    assert_eq!(p.rows_read, 2);
    // Each change keeps its own line (4000 is on line 3, 4100 on line 2), not the file's
    // order of lines (a replica's conflict names it).
    assert_eq!(p.lines, vec![3, 2]);
    let ChangeSet::Units(units) = p.changes else {
        panic!()
    };
    let codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(codes, vec!["4000", "4100"]);
    assert_eq!(units[1].parent.as_deref(), Some("4000"));
    assert_eq!(units[1].level.as_deref(), Some("virksomhet"));
}

#[test]
fn a_chain_written_bottom_up_comes_out_top_down() {
    let p = ok(
        ImportKind::Units,
        "kode;navn;overordnet\n4110;C;4100\n5000;X;\n4100;B;4000\n4000;A;1000\n",
    );
    // 4000 line 5, 4100 line 4, 4110 line 2, 5000 line 3.
    assert_eq!(p.lines, vec![5, 4, 2, 3]);
    let ChangeSet::Units(units) = p.changes else {
        panic!()
    };
    let codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(codes, vec!["4000", "4100", "4110", "5000"]);
}

#[test]
fn an_absent_parent_column_keeps_the_stored_parent_but_an_empty_cell_makes_a_root() {
    let ChangeSet::Units(u) = ok(ImportKind::Units, "kode;navn\n3110;Nytt navn\n").changes else {
        panic!()
    };
    assert_eq!(u[0].parent.as_deref(), Some("3100"));
    let ChangeSet::Units(u) =
        ok(ImportKind::Units, "kode;navn;overordnet\n3110;Nytt navn;\n").changes
    else {
        panic!()
    };
    assert_eq!(u[0].parent, None);
}

#[test]
fn unknown_parent_is_refused_naming_it() {
    assert_eq!(
        only_error(
            ImportKind::Units,
            "kode;navn;overordnet\n4000;Kultur;9999\n"
        ),
        "linje 2, kolonne «overordnet»: ukjent enhet «9999»"
    );
}

#[test]
fn a_cycle_through_the_database_is_refused_naming_the_units() {
    // the file makes 2000 a child of 2100, whose parent in the database is 2000
    assert_eq!(
        only_error(
            ImportKind::Units,
            "kode;navn;overordnet\n2000;Oppvekst;2100\n"
        ),
        "linje 2: enhetene 2000 → 2100 → 2000 danner en sløyfe"
    );
}

#[test]
fn a_cycle_within_the_file_is_reported_once() {
    let f = fail(
        ImportKind::Units,
        "kode;navn;overordnet\n5000;A;5200\n5100;B;5000\n5200;C;5100\n5300;D;5200\n",
    );
    assert_eq!(f.total, 1, "{f}");
    assert_eq!(
        f.errors[0].to_string(),
        "linje 2: enhetene 5000 → 5200 → 5100 → 5000 danner en sløyfe"
    );
}

#[test]
fn a_unit_cannot_be_its_own_parent() {
    assert_eq!(
        only_error(
            ImportKind::Units,
            "kode;navn;overordnet\n4000;Kultur;4000\n"
        ),
        "linje 2, kolonne «overordnet»: enheten 4000 kan ikke være overordnet seg selv"
    );
}

#[test]
fn duplicate_unit_codes_and_bad_codes_are_refused() {
    let f = fail(
        ImportKind::Units,
        "kode;navn\n4000;A\n4000;B\n;C\n123456789012345678901234567890123;D\n4100;\n",
    );
    let messages: Vec<String> = f.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "linje 3, kolonne «kode»: samme kode som linje 2",
            "linje 4, kolonne «kode»: mangler verdi",
            "linje 5, kolonne «kode»: «123456789012345678901234567890123» er ikke en gyldig enhetskode (1–32 tegn)",
            "linje 6, kolonne «navn»: mangler verdi",
        ]
    );
}

#[test]
fn the_windows_1252_example_gives_the_same_units_as_the_utf8_one() {
    let read = |name: &str| {
        let path = format!(
            "{}/tests/fixtures/examples/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    {
        let (a, b) = (read("enheter-windows-1252.csv"), read("enheter.csv"));
        let empty = Catalog::default();
        let a = parse(ImportKind::Units, "a.csv", &a, &empty).unwrap_or_else(|f| panic!("{f}"));
        let b = parse(ImportKind::Units, "b.csv", &b, &empty).unwrap_or_else(|f| panic!("{f}"));
        assert_eq!(a, b);
        let ChangeSet::Units(units) = a.changes else {
            panic!()
        };
        assert!(units.len() >= 9);
    }
}

// ---- indicators

const IND_HEADER: &str = "kode;navn;perspektiv;retning;frekvens;aggregering";

#[test]
fn indicator_defaults_follow_the_spec() {
    let p = ok(
        ImportKind::Indicators,
        &format!("{IND_HEADER}\nNY;Ny;brukere;lav;kvartal;snitt\nNB;Brøk;økonomi;høy;år;brøk\n"),
    );
    let ChangeSet::Indicators(i) = p.changes else {
        panic!()
    };
    assert_eq!(
        (i[0].decimals, i[0].factor, i[0].unit_rollup),
        (1, 100.0, UnitRollup::Snitt)
    );
    assert_eq!(
        (i[0].direction, i[0].frequency),
        (Direction::Lav, Frequency::Kvartal)
    );
    assert_eq!(
        (i[1].aggregation, i[1].unit_rollup, i[1].factor),
        (Aggregation::Brok, UnitRollup::Sum, 100.0)
    );
    assert_eq!(i[1].perspective, Perspective::Okonomi);
}

#[test]
fn indicator_optional_columns_are_read() {
    let p = ok(
        ImportKind::Indicators,
        &format!(
            "{IND_HEADER};faktor;desimaler;enhetsaggregering;måleenhet;fokusområde;beskrivelse;kilde;ansvarlig\n\
             NY;Ny;Lokalsamfunn;Higher;Month;Brok;1 000;3;;‰;Trygg kommune;Per tusen;SSB;Rådmann\n"
        ),
    );
    let ChangeSet::Indicators(i) = p.changes else {
        panic!()
    };
    assert_eq!((i[0].factor, i[0].decimals), (1000.0, 3));
    assert_eq!(i[0].unit_label, "‰");
    assert_eq!(i[0].goal.as_deref(), Some("Trygg kommune"));
    assert_eq!(
        (
            i[0].description.as_str(),
            i[0].source.as_str(),
            i[0].responsible.as_str()
        ),
        ("Per tusen", "SSB", "Rådmann")
    );
    assert!(p.warnings.is_empty());
}

#[test]
fn indicator_unknown_choices_list_the_accepted_values() {
    let f = fail(
        ImportKind::Indicators,
        &format!("{IND_HEADER};enhetsaggregering;desimaler\nNY;Ny;penger;opp;uke;median;alle;5\n"),
    );
    let messages: Vec<String> = f.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "linje 2, kolonne «perspektiv»: ukjent perspektiv «penger»; bruk lokalsamfunn, brukere, organisasjon eller økonomi",
            "linje 2, kolonne «retning»: ukjent retning «opp»; bruk høy eller lav",
            "linje 2, kolonne «frekvens»: ukjent frekvens «uke»; bruk måned, kvartal, tertial, halvår eller år",
            "linje 2, kolonne «aggregering»: ukjent aggregering «median»; bruk sum, snitt, siste eller brøk",
            "linje 2, kolonne «enhetsaggregering»: ukjent enhetsaggregering «alle»; bruk sum, snitt eller ingen",
            "linje 2, kolonne «desimaler»: desimaler må være et heltall fra 0 til 4, ikke «5»",
        ]
    );
}

#[test]
fn indicator_codes_are_checked_and_unique() {
    let f = fail(ImportKind::Indicators, &format!("{IND_HEADER}\nOR AVV;A;brukere;høy;år;sum\nX;A;brukere;høy;år;sum\nX;B;brukere;høy;år;sum\n"));
    assert_eq!(f.total, 2, "{f}");
    assert!(f.errors[0]
        .to_string()
        .starts_with("linje 2, kolonne «kode»: «OR AVV» er ikke en gyldig indikatorkode"));
    assert_eq!(
        f.errors[1].to_string(),
        "linje 4, kolonne «kode»: samme kode som linje 3"
    );
}

#[test]
fn factor_on_a_non_ratio_is_a_warning_and_a_non_positive_factor_an_error() {
    let p = ok(
        ImportKind::Indicators,
        &format!("{IND_HEADER};faktor\nNY;Ny;brukere;lav;år;sum;100\n"),
    );
    assert_eq!(
        p.warnings,
        vec!["faktor gjelder bare indikatorer med aggregering brøk og ble ikke lest på linje 2"]
    );
    // Two such lines: «linjene», in the plural.
    let p = ok(
        ImportKind::Indicators,
        &format!(
            "{IND_HEADER};faktor\nNY;Ny;brukere;lav;år;sum;100\nNZ;Nz;brukere;lav;år;sum;100\n"
        ),
    );
    assert_eq!(
        p.warnings,
        vec![
            "faktor gjelder bare indikatorer med aggregering brøk og ble ikke lest på linjene 2, 3"
        ]
    );
    assert_eq!(
        only_error(
            ImportKind::Indicators,
            &format!("{IND_HEADER};faktor\nNY;Ny;brukere;lav;år;brøk;0\n")
        ),
        "linje 2, kolonne «faktor»: faktoren må være større enn 0"
    );
}

#[test]
fn absent_optional_indicator_columns_keep_stored_values() {
    let mut cat = catalog();
    cat.indicators[1].decimals = 3;
    cat.indicators[1].description = "Dager fra vedtak".into();
    let text = format!("{IND_HEADER}\nBR-VENT;Ventetid, nytt navn;brukere;lav;måned;snitt\n");
    let p = parse(ImportKind::Indicators, "f.csv", text.as_bytes(), &cat)
        .unwrap_or_else(|f| panic!("{f}"));
    let ChangeSet::Indicators(i) = p.changes else {
        panic!()
    };
    assert_eq!(
        (i[0].decimals, i[0].description.as_str()),
        (3, "Dager fra vedtak")
    );
    assert_eq!(i[0].name, "Ventetid, nytt navn");
}

#[test]
fn a_builtin_keeps_its_flag_and_its_frequency_and_aggregation() {
    let p = ok(
        ImportKind::Indicators,
        &format!("{IND_HEADER}\nSF;Sykefravær;organisasjon;lav;måned;brøk\n"),
    );
    let ChangeSet::Indicators(i) = p.changes else {
        panic!()
    };
    // The definition as it stands is no change; any other name is.
    assert!(i[0].builtin);
    assert_eq!(
        only_error(
            ImportKind::Indicators,
            &format!("{IND_HEADER}\nSF;Sykefravær totalt;organisasjon;lav;måned;brøk\n")
        ),
        "linje 2: «SF» er en innebygd indikator og kan ikke endres"
    );
    assert_eq!(
        only_error(ImportKind::Indicators, &format!("{IND_HEADER}\nSF;Sykefravær;organisasjon;lav;år;snitt\n")),
        "linje 2: SF er en innebygd indikator; frekvensen (måned) og aggregeringen (brøk) kan ikke endres"
    );
}

// ---- targets

#[test]
fn targets_read_default_and_unit_targets() {
    let p = ok(ImportKind::Targets, "indikator;enhet;år;målverdi;rød_grense\nOR-AVV;;2026;90;75\nBR-VENT;3100;2026;7,5;14\nBR-VENT;;2026;7;\n");
    let ChangeSet::Targets(t) = p.changes else {
        panic!()
    };
    assert_eq!(
        t,
        vec![
            Target {
                indicator: "OR-AVV".into(),
                unit: None,
                year: 2026,
                target: 90.0,
                red_limit: Some(75.0),
                reference: None,
            },
            Target {
                indicator: "BR-VENT".into(),
                unit: Some("3100".into()),
                year: 2026,
                target: 7.5,
                red_limit: Some(14.0),
                reference: None,
            },
            Target {
                indicator: "BR-VENT".into(),
                unit: None,
                year: 2026,
                target: 7.0,
                red_limit: None,
                reference: None,
            },
        ]
    );
}

#[test]
fn target_red_limit_on_the_wrong_side_is_refused() {
    // OR-AVV: higher is better, so R 95 above T 90 is wrong
    assert_eq!(
        only_error(ImportKind::Targets, "indikator;år;målverdi;rød_grense\nOR-AVV;2026;90;95\n"),
        "linje 2, kolonne «rød_grense»: rød grense «95» er på feil side av målverdien «90»: for OR-AVV er høy \
         verdi bra, så rød grense må være lavere enn eller lik målverdien"
    );
    // BR-VENT: lower is better, so R 5 below T 7 is wrong
    assert!(only_error(
        ImportKind::Targets,
        "indikator;år;målverdi;rød_grense\nBR-VENT;2026;7;5\n"
    )
    .contains("høyere enn"));
}

#[test]
fn target_errors_name_indicator_unit_year_and_duplicates() {
    let f = fail(
        ImportKind::Targets,
        "indikator;enhet;år;målverdi\nXX;;2026;1\nOR-AVV;9999;2026;1\nOR-AVV;;26;1\nOR-AVV;;2026;\nOR-AVV;;2026;9O\nOR-AVV;;2027;1\nOR-AVV;;2027;2\n",
    );
    let messages: Vec<String> = f.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "linje 2, kolonne «indikator»: ukjent indikator «XX»",
            "linje 3, kolonne «enhet»: ukjent enhet «9999»",
            "linje 4, kolonne «år»: «26» er ikke et årstall (f.eks. 2026)",
            "linje 5, kolonne «målverdi»: mangler verdi",
            "linje 6, kolonne «målverdi»: «9O» er ikke et tall",
            "linje 8: samme indikator, enhet og år som linje 7",
        ]
    );
}

// ---- measurements

const M_HEADER: &str = "indikator;enhet;periode;verdi;teller;nevner";

#[test]
fn measurements_store_the_canonical_span_and_the_right_figure() {
    let p = ok(ImportKind::Measurements, &format!("{M_HEADER}\nOR-AVV;3110;2026K2;;18;20\nBR-VENT;3110;2026-1;9,5;;\nOR-AVV;3110;2026-q3;;1 234;1 300\n"));
    let m = measurements(p);
    assert_eq!(
        m[0].span,
        Period::quarter(2026, 2).unwrap_or_else(|| unreachable!())
    );
    assert_eq!(
        m[0].figure,
        Figure::Ratio {
            numerator: 18.0,
            denominator: 20.0
        }
    );
    assert_eq!(m[1].span.to_string(), "2026-01");
    assert_eq!(m[1].figure, Figure::Value { value: 9.5 });
    assert_eq!(
        m[2].figure,
        Figure::Ratio {
            numerator: 1234.0,
            denominator: 1300.0
        }
    );
}

#[test]
fn a_month_range_that_is_one_span_is_stored_as_that_span_and_counts_for_duplicates() {
    let m = measurements(ok(
        ImportKind::Measurements,
        &format!("{M_HEADER}\nOR-AVV;3110;2026-04..2026-06;;1;2\n"),
    ));
    assert_eq!(m[0].span.to_string(), "2026-K2");
    assert_eq!(
        only_error(
            ImportKind::Measurements,
            &format!("{M_HEADER}\nOR-AVV;3110;2026-K2;;1;2\nOR-AVV;3110;2026-04..2026-06;;1;2\n")
        ),
        "linje 3: samme indikator, enhet og periode som linje 2"
    );
}

#[test]
fn every_repeat_of_a_line_names_the_first_and_other_units_and_periods_are_not_repeats() {
    // lines 2, 4 and 6 are one key; 3 (other unit) and 5 (other month) are not repeats
    let f = fail(
        ImportKind::Measurements,
        &format!(
            "{M_HEADER}\nBR-VENT;3110;2026-04;2;;\nBR-VENT;3100;2026-04;2;;\nBR-VENT;3110;2026-4;3;;\n\
             BR-VENT;3110;2026-05;2;;\nBR-VENT;3110;202604;2;;\n"
        ),
    );
    let errors: Vec<String> = f.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "linje 4: samme indikator, enhet og periode som linje 2",
            "linje 6: samme indikator, enhet og periode som linje 2",
        ]
    );
}

#[test]
fn a_period_that_does_not_fit_the_frequency_is_refused_with_an_example() {
    assert_eq!(
        only_error(ImportKind::Measurements, &format!("{M_HEADER}\nOR-AVV;3110;2026-05;;1;2\n")),
        "linje 2, kolonne «periode»: perioden «2026-05» passer ikke indikatoren OR-AVV, som registreres per \
         kvartal (f.eks. 2026-K2)"
    );
    assert_eq!(
        only_error(ImportKind::Measurements, &format!("{M_HEADER}\nBR-VENT;3110;2026-K1;5;;\n")),
        "linje 2, kolonne «periode»: perioden «2026-K1» passer ikke indikatoren BR-VENT, som registreres per \
         måned (f.eks. 2026-01)"
    );
}

#[test]
fn a_locked_month_is_refused_also_inside_a_quarter() {
    assert_eq!(
        only_error(
            ImportKind::Measurements,
            &format!("{M_HEADER}\nBR-VENT;3110;2026-03;5;;\n")
        ),
        "linje 2, kolonne «periode»: måneden 2026-03 er låst"
    );
    assert_eq!(
        only_error(
            ImportKind::Measurements,
            &format!("{M_HEADER}\nOR-AVV;3110;2026-K1;;1;2\n")
        ),
        "linje 2, kolonne «periode»: måneden 2026-03 er låst"
    );
}

#[test]
fn every_bad_measurement_line_is_listed() {
    let text = format!(
        "{M_HEADER}\n\
         BR-VENT;3110;2026-01;7,3,1;;\n\
         BR-VENT;3110;2026-02;NaN;;\n\
         BR-VENT;3110;2026-04;1e5;;\n\
         BR-VENT;3110;2026-05;12..5;;\n\
         BR-VENT;9999;2026-06;1;;\n\
         XX;3110;2026-06;1;;\n\
         BR-VENT;3110;2026-13;1;;\n\
         OR-AVV;3110;2026-K2;;5;0\n\
         OR-AVV;3110;2026-K3;;5;-2\n\
         OR-AVV;3110;2026-K4;80;5;6\n\
         BR-VENT;3110;2026-07;5;1;2\n\
         OR-AVV;3110;2025-K4;;;6\n\
         BR-VENT;3110;2026-08;;;\n\
         BR-VENT;3110;2026-09;1;;\n\
         BR-VENT;3110;2026-9;2;;\n\
         SF;3110;2026-09;;1;2\n"
    );
    let f = fail(ImportKind::Measurements, &text);
    let messages: Vec<String> = f.errors.iter().map(ToString::to_string).collect();
    let period_error = crate::period::PeriodError {
        text: "2026-13".into(),
    }
    .to_string();
    assert_eq!(
        messages,
        vec![
            "linje 2, kolonne «verdi»: «7,3,1» er ikke et tall".to_string(),
            "linje 3, kolonne «verdi»: «NaN» er ikke et tall".to_string(),
            "linje 4, kolonne «verdi»: «1e5» er ikke et tall".to_string(),
            "linje 5, kolonne «verdi»: «12..5» er ikke et tall".to_string(),
            "linje 6, kolonne «enhet»: ukjent enhet «9999»".to_string(),
            "linje 7, kolonne «indikator»: ukjent indikator «XX»".to_string(),
            format!("linje 8, kolonne «periode»: {period_error}"),
            "linje 9, kolonne «nevner»: nevneren må være større enn 0".to_string(),
            "linje 10, kolonne «nevner»: nevneren må være større enn 0".to_string(),
            "linje 11, kolonne «verdi»: OR-AVV er en brøk og registreres med teller og nevner, ikke verdi".to_string(),
            "linje 12, kolonne «teller»: BR-VENT er ikke en brøk og registreres med verdi, ikke teller og nevner".to_string(),
            "linje 12, kolonne «nevner»: BR-VENT er ikke en brøk og registreres med verdi, ikke teller og nevner".to_string(),
            "linje 13, kolonne «teller»: mangler verdi".to_string(),
            "linje 14, kolonne «verdi»: mangler verdi".to_string(),
            "linje 16: samme indikator, enhet og periode som linje 15".to_string(),
            "linje 17, kolonne «indikator»: SF er en innebygd indikator som beregnes av Målkart og kan ikke importeres som målinger".to_string(),
        ]
    );
    assert_eq!(f.total, 16);
}

#[test]
fn a_missing_required_column_is_one_error_on_line_one() {
    let f = fail(
        ImportKind::Measurements,
        "indikator;enhet;verdi\nBR-VENT;3110;5\nXX;3110;5\n",
    );
    assert_eq!(f.total, 1);
    assert_eq!(
        f.errors[0].to_string(),
        "linje 1: mangler kolonnen «periode»; fant «indikator», «enhet», «verdi»"
    );
}

#[test]
fn english_headers_comma_delimiter_and_unknown_columns() {
    let p = ok(
        ImportKind::Measurements,
        "Indicator,Unit,Period,Value,Comment\nBR-VENT,3110,2026-01,\"7,5\",fin\n",
    );
    assert_eq!(
        p.warnings,
        vec!["en ukjent kolonne ble ikke lest: «Comment»"]
    );
    assert_eq!(measurements(p)[0].figure, Figure::Value { value: 7.5 });
}

#[test]
fn the_first_hundred_errors_are_listed_and_all_counted() {
    let mut text = format!("{M_HEADER}\n");
    for i in 0..250 {
        text.push_str(&format!("BR-VENT;3110;2026-01;x{i};;\n"));
    }
    let f = fail(ImportKind::Measurements, &text);
    assert_eq!((f.errors.len(), f.total), (100, 250));
    assert_eq!(f.errors[99].line, 101);
    assert!(f.to_string().ends_with("… og 150 feil til"));
}

#[test]
fn a_too_long_line_is_an_error_but_the_others_are_still_checked() {
    let f = fail(
        ImportKind::Measurements,
        &format!("{M_HEADER}\nBR-VENT;3110;2026-01;1;;;x\nBR-VENT;3110;2026-02;abc;;\n"),
    );
    let messages: Vec<String> = f.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "linje 2: linjen har 7 felt, men overskriften har bare 6 kolonner",
            "linje 3, kolonne «verdi»: «abc» er ikke et tall",
        ]
    );
}

#[test]
fn garbage_and_unbalanced_quotes_are_refused_as_a_whole() {
    let f = match parse(
        ImportKind::Measurements,
        "x.bin",
        b"\x00\x01\x02PK",
        &catalog(),
    ) {
        Err(f) => f,
        Ok(p) => panic!("{p:?}"),
    };
    assert_eq!(f.to_string(), "«x.bin» ble ikke importert, ingenting er endret (1 feil):\n  filen «x.bin» er verken CSV eller XLSX");
    let e = only_error(
        ImportKind::Measurements,
        &format!("{M_HEADER}\nBR-VENT;3110;2026-01;1;;\nBR-VENT;\"3110;2026-02;1;;\n"),
    );
    assert_eq!(
        e,
        "linje 3: anførselstegnet som åpner et felt her, blir aldri lukket"
    );
}

#[test]
fn xlsx_measurements_read_numbers_text_and_typed_dates() {
    let month = rust_xlsxwriter::Format::new().set_num_format("mmm yy");
    let bytes = reader::xlsx(|sheet| {
        for (col, name) in ["indikator", "enhet", "periode", "verdi", "teller", "nevner"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, col as u16, *name)?;
        }
        sheet.write_string(1, 0, "BR-VENT")?;
        sheet.write_number(1, 1, 3110.0)?;
        sheet.write_datetime_with_format(
            1,
            2,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 1)?,
            &month,
        )?;
        sheet.write_number(1, 3, 9.5)?;
        sheet.write_string(2, 0, "OR-AVV")?;
        sheet.write_string(2, 1, "3110")?;
        sheet.write_string(2, 2, "2026-K2")?;
        sheet.write_string(2, 4, "1 234")?;
        sheet.write_number(2, 5, 1300.0)?;
        sheet.write_string(3, 0, "BR-VENT")?;
        sheet.write_string(3, 1, "3110")?;
        sheet.write_string(3, 2, "2026-02")?;
        sheet.write_string(3, 3, "7,3,1")?;
        Ok(())
    });
    let f = match parse(ImportKind::Measurements, "m.xlsx", &bytes, &catalog()) {
        Err(f) => f,
        Ok(p) => panic!("{p:?}"),
    };
    assert_eq!(
        f.errors[0].to_string(),
        "linje 4, kolonne «verdi»: «7,3,1» er ikke et tall"
    );
    assert_eq!(f.total, 1);
    // without the bad row the file is read
    let bytes = reader::xlsx(|sheet| {
        for (col, name) in ["indikator", "enhet", "periode", "verdi"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, col as u16, *name)?;
        }
        sheet.write_string(1, 0, "BR-VENT")?;
        sheet.write_number(1, 1, 3110.0)?;
        sheet.write_datetime_with_format(
            1,
            2,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 1)?,
            &month,
        )?;
        sheet.write_number(1, 3, 9.5)?;
        Ok(())
    });
    let p = parse(ImportKind::Measurements, "m.xlsx", &bytes, &catalog())
        .unwrap_or_else(|f| panic!("{f}"));
    let m = measurements(p);
    assert_eq!(
        (m[0].unit.as_str(), m[0].span.to_string(), m[0].figure),
        ("3110", "2026-01".to_string(), Figure::Value { value: 9.5 })
    );
}

/// `cargo test --lib import::tests::parse_speed -- --ignored --nocapture`
#[test]
#[ignore = "a measurement, not a check"]
fn parse_speed_of_a_large_measurement_file() {
    let mut cat = catalog();
    cat.locked.clear();
    cat.units = (0..500).map(|i| unit(&format!("U{i}"), None)).collect();
    let mut text = format!("{M_HEADER}\n");
    let mut rows = 0u64;
    for year in 2000..2026 {
        for month in 1..=12 {
            for u in &cat.units {
                text.push_str(&format!("BR-VENT;{};{year}-{month:02};1 234,5;;\n", u.code));
                rows += 1;
            }
        }
    }
    let started = std::time::Instant::now();
    let p = parse(ImportKind::Measurements, "stor.csv", text.as_bytes(), &cat)
        .unwrap_or_else(|f| panic!("{f}"));
    let elapsed = started.elapsed();
    assert_eq!(p.rows_read, rows);
    eprintln!("{rows} lines, {} bytes: {elapsed:?}", text.len());
}

// ---- sick leave

const SL_HEADER: &str = "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte;dager_1_3;dager_4_16;dager_17_56;dager_over_56";

fn sick_leave(p: Parsed) -> Vec<crate::model::SickLeave> {
    match p.changes {
        ChangeSet::SickLeave(rows) => rows
            .into_iter()
            .map(|c| match c {
                crate::model::SickLeaveChange::Update(r) => r,
                other => panic!("{other:?}"),
            })
            .collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_example_sick_leave_file_reads_with_and_without_the_split() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/examples/sykefravær.csv"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let mut cat = catalog();
    cat.units.extend([
        unit("2200", Some("2000")),
        unit("3120", Some("3100")),
        unit("3200", Some("3000")),
    ]);
    let p = parse(
        ImportKind::SickLeave,
        "sykefravær.csv",
        text.as_bytes(),
        &cat,
    )
    .unwrap_or_else(|f| panic!("{f}"));
    let rows = sick_leave(p);
    assert_eq!(rows.len(), 6);
    // 2100;2026-01;880,0;14,5;41,0;42;12,0;9,5;20,0;14,0
    assert_eq!(rows[0].contracted_days, 880.0);
    assert_eq!(rows[0].self_certified, 14.5);
    assert_eq!(rows[0].employees, Some(42));
    assert_eq!(rows[0].split.map(|s| s.short()), Some(21.5));
    // 3200;2026-01;1 240,0;20,0;95,0;66;;;; — digit grouping, no split.
    assert_eq!(rows[5].contracted_days, 1240.0);
    assert_eq!(rows[5].split, None);
}

#[test]
fn sick_leave_english_headers_and_no_optional_columns() {
    let p = ok(
        ImportKind::SickLeave,
        "unit;period;contracted_days;self_certified;doctor_certified\n2100;202601;100;2,5;7,5\n",
    );
    let rows = sick_leave(p);
    assert_eq!(rows[0].month.id(), "2026-01");
    assert_eq!((rows[0].employees, rows[0].split), (None, None));
}

#[test]
fn every_wrong_sick_leave_line_is_named() {
    let f = fail(
        ImportKind::SickLeave,
        &format!(
            "{SL_HEADER}\n\
             2100;2026-01;100;60;50;10;;;;\n\
             2100;2026-02;100;5;10;2,5;;;;\n\
             2100;2026-03;100;5;10;10;;;;\n\
             2100;2026-04;100;-1;10;10;;;;\n\
             2100;2026-05;100;5;10;10;5;5;5;;\n\
             2100;2026-01;100;5;10;10;;;;\n\
             2100;2026;100;5;10;10;;;;\n"
        ),
    );
    let messages: Vec<String> = f.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "linje 2, kolonne «legemeldt»: egenmeldt + legemeldt (60 + 50 = 110) er mer enn avtalte dagsverk (100)",
            "linje 3, kolonne «ansatte»: antall ansatte må være et helt tall som ikke er negativt, ikke «2,5»",
            "linje 4, kolonne «periode»: måneden 2026-03 er låst",
            "linje 5, kolonne «egenmeldt»: kan ikke være negativ (−1)",
            "linje 6, kolonne «dager_over_56»: mangler verdi; fordelingen på lengde må ha alle fire kolonnene eller ingen",
            "linje 7: samme enhet og periode som linje 2",
            "linje 8, kolonne «periode»: «2026» er ikke én måned; sykefravær registreres per måned (f.eks. 2026-01)",
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Hostile input (issue 10)

#[test]
fn a_period_with_multibyte_characters_is_refused_naming_line_and_column() {
    // Each of these is six bytes, and byte 4 falls inside a character.
    for period in ["aÅÅb", "202²5", "202½6"] {
        let message = only_error(
            ImportKind::Measurements,
            &format!("indikator;enhet;periode;verdi\nBR-VENT;2100;{period};5\n"),
        );
        assert!(
            message.starts_with(&format!(
                "linje 2, kolonne «periode»: «{period}» er ikke en gyldig periode"
            )),
            "{message}"
        );
    }
}

#[test]
fn an_indicator_file_imported_as_units_is_refused_saying_what_it_looks_like() {
    let text = "kode;navn;perspektiv;retning;frekvens;aggregering\n\
                BR-VENT;Ventetid;brukere;lav;måned;snitt\n";
    assert_eq!(
        only_error(ImportKind::Units, text),
        "linje 1: filen ser ut som en «indikatorer»-fil (den har kolonnene «perspektiv», \
         «retning», «frekvens» og «aggregering»), ikke «enheter»; velg «indikatorer» som type \
         import, eller velg riktig fil"
    );
    // The same file as indikatorer is fine, and a units file is not taken for another kind.
    ok(ImportKind::Indicators, text);
    ok(
        ImportKind::Units,
        "kode;navn;overordnet\n4000;Kultur;1000\n",
    );
}

#[test]
fn files_of_every_kind_are_recognised_under_another_kind() {
    let measurements = "indikator;enhet;periode;verdi\nBR-VENT;2100;2026-01;5\n";
    let message = only_error(ImportKind::Economy, measurements);
    assert!(message.contains("«målinger»-fil"), "{message}");
    let message = only_error(ImportKind::Targets, measurements);
    assert!(message.contains("«målinger»-fil"), "{message}");
    // An English sick-leave file has `unit` and `period`, which economy reads as `ansvar`
    // and `periode`: without the check it would import nothing with only a warning.
    let sick =
        "unit;period;contracted_days;self_certified;doctor_certified\n2100;2026-01;100;1;2\n";
    let message = only_error(ImportKind::Economy, sick);
    assert!(message.contains("«sykefravær»-fil"), "{message}");
    assert!(message.contains("«avtalte_dagsverk»"), "{message}");
    ok(ImportKind::SickLeave, sick);
    // An English economy file is an economy file, not sick leave or measurements.
    ok(
        ImportKind::Economy,
        "unit;period;budget\n2100;2026-01;100\n",
    );
    // A sick-leave export that also carries the unit's code and name is a sick-leave file
    // (the two extra columns are a warning): sykefravær explains 5 of its 7 columns,
    // enheter 2.
    let p = ok(
        ImportKind::SickLeave,
        "kode;navn;enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt
         2100;Skole;2100;2026-01;100;1;2
",
    );
    assert_eq!(
        p.warnings,
        vec!["ukjente kolonner ble ikke lest: «kode», «navn»"]
    );
}

#[test]
fn invisible_characters_in_codes_and_periods_are_refused_naming_line_column_and_character() {
    // 2100 + zero-width space as a new unit's code, a parent with a BOM inside, a period
    // with a right-to-left override.
    let f = fail(
        ImportKind::Units,
        "kode;navn;overordnet\n2100\u{200b};Look-alike;1000\n4000;Kultur;10\u{feff}00\n",
    );
    let messages: Vec<String> = f.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            "linje 2, kolonne «kode»: «2100⟨U+200B⟩» har et usynlig tegn, U+200B (nullbredde \
             mellomrom), som tegn nr. 5; koder og perioder kan bare ha synlige tegn: slett \
             tegnet (skriv verdien på nytt) og prøv igjen",
            "linje 3, kolonne «overordnet»: «10⟨U+FEFF⟩00» har et usynlig tegn, U+FEFF \
             (byte-rekkefølgemerke (BOM)), som tegn nr. 3; koder og perioder kan bare ha \
             synlige tegn: slett tegnet (skriv verdien på nytt) og prøv igjen",
        ]
    );
    let message = only_error(
        ImportKind::Measurements,
        "indikator;enhet;periode;verdi\nBR-VENT;2100;\u{202e}2026-01;5\n",
    );
    assert!(
        message.starts_with("linje 2, kolonne «periode»: «⟨U+202E⟩2026-01» har et usynlig tegn, U+202E (retningsoverstyring)"),
        "{message}"
    );
    // A number with a word joiner and a unit reference with a bidi isolate.
    let f = fail(
        ImportKind::Economy,
        "ansvar;periode;budsjett\n21\u{2066}00;2026-01;1\u{2060}000\n",
    );
    assert_eq!(f.total, 2, "{f}");
}

#[test]
fn free_text_may_hold_what_codes_may_not_and_names_are_composed() {
    // A soft hyphen in a name is kept; Å written as A + combining ring becomes one Å.
    let p = ok(
        ImportKind::Units,
        "kode;navn\n4000;Helse\u{ad}tjenesten\n4100;A\u{30a}mot\n",
    );
    let ChangeSet::Units(units) = p.changes else {
        panic!("units")
    };
    assert_eq!(units[0].name, "Helse\u{ad}tjenesten");
    assert_eq!(units[1].name, "\u{c5}mot");
}

#[test]
fn a_header_name_with_an_invisible_character_is_named() {
    let f = fail(ImportKind::Units, "kode\u{200b};navn\n4000;Kultur\n");
    assert_eq!(
        f.errors[0].to_string(),
        "linje 1: kolonnenavnet «kode⟨U+200B⟩» har et usynlig tegn, U+200B (nullbredde \
         mellomrom); slett tegnet (skriv navnet på nytt) og prøv igjen"
    );
}

#[test]
fn amounts_past_a_thousand_billion_kroner_are_refused_naming_the_line() {
    // The example: an amount near the bottom of i64 øre.
    let f = fail(
        ImportKind::Economy,
        "ansvar;periode;budsjett;regnskap\n\
         2100;2026-01;1000000000000;-1000000000000\n\
         2100;2026-02;-92233720368547758;1\n\
         2100;2026-03;1000000000000,01;\n\
         3100;2026-04;99999999999999999999999999;\n",
    );
    let messages: Vec<String> = f.errors.iter().map(ToString::to_string).collect();
    let why = "beløpet er utenfor det Målkart godtar: høyst 1 000 milliarder kr \
               (1 000 000 000 000 kr) i pluss eller minus; kontroller at beløpet er i kroner \
               og ikke har for mange sifre";
    assert_eq!(
        messages,
        vec![
            format!("linje 3, kolonne «budsjett»: «-92233720368547758»: {why}"),
            format!("linje 4, kolonne «budsjett»: «1000000000000,01»: {why}"),
            format!("linje 5, kolonne «budsjett»: «99999999999999999999999999»: {why}"),
        ]
    );
    // Lines within the bound whose sum is past it: 600 + 600 milliarder = 1 200 milliarder.
    let message = only_error(
        ImportKind::Economy,
        "ansvar;periode;regnskap\n2100;2026-01;600000000000\n2100;2026-01;600000000000\n",
    );
    assert_eq!(
        message,
        "linje 3, kolonne «regnskap»: summen for ansvar og periode til og med denne linjen er \
         over 1 000 milliarder kr, det største beløpet Målkart godtar"
    );
}

#[test]
fn many_bad_lines_are_counted_but_only_the_first_hundred_kept() {
    // 5 000 lines with one field too many: every one counted, 100 listed.
    let mut text = String::from("kode;navn\n");
    for i in 0..5000 {
        text.push_str(&format!("{i};a;b\n"));
    }
    let f = fail(ImportKind::Units, &text);
    assert_eq!(f.total, 5000);
    assert_eq!(f.errors.len(), 100);
    assert_eq!(f.errors[0].line, 2);
}

#[test]
fn an_xlsx_error_cell_is_refused_naming_the_cell_and_column() {
    let bytes = super::reader::xlsx(|sheet| {
        sheet.write_string(0, 0, "indikator")?;
        sheet.write_string(0, 1, "enhet")?;
        sheet.write_string(0, 2, "periode")?;
        sheet.write_string(0, 3, "verdi")?;
        sheet.write_string(1, 0, "BR-VENT")?;
        sheet.write_string(1, 1, "2100")?;
        sheet.write_string(1, 2, "2026-01")?;
        // A formula whose cached result is #DIV/0!.
        sheet.write_formula(
            1,
            3,
            rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
        )?;
        Ok(())
    });
    let f = match parse(ImportKind::Measurements, "fil.xlsx", &bytes, &catalog()) {
        Ok(p) => panic!("expected refusal, got {p:?}"),
        Err(f) => f,
    };
    assert_eq!(
        f.errors[0].to_string(),
        "linje 2, kolonne «verdi»: cellen D2 inneholder feilverdien #DIV/0! fra en formel; rett \
         formelen eller skriv inn verdien i Excel, og importer på nytt"
    );
}

/// A store in memory: import needs only `ChangeStore`, not SQLite.
struct Memory {
    applied: Vec<(ChangeSet, String, bool)>,
}

impl ChangeStore for Memory {
    fn catalog(&self) -> Result<Catalog> {
        Ok(catalog())
    }
    fn apply(
        &mut self,
        changes: &ChangeSet,
        source: &str,
        dry_run: bool,
    ) -> Result<crate::changes::ApplySummary> {
        self.applied
            .push((changes.clone(), source.to_string(), dry_run));
        Ok(crate::changes::ApplySummary {
            created: 2,
            changed: 0,
            unchanged: 0,
        })
    }
}

#[test]
fn an_import_is_one_apply_on_any_change_store_and_a_refused_file_none() {
    let mut store = Memory {
        applied: Vec::new(),
    };
    let file = "kode;navn;overordnet\n4000;Helse;1000\n4100;Legevakt;4000\n";
    let report = import_bytes(
        &mut store,
        ImportKind::Units,
        "enheter.csv",
        file.as_bytes(),
        true,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (report.rows_read, report.created, report.dry_run),
        (2, 2, true)
    );
    assert_eq!(store.applied.len(), 1);
    let (changes, source, dry_run) = &store.applied[0];
    assert_eq!((source.as_str(), *dry_run), ("enheter.csv", true));
    let codes = match changes {
        ChangeSet::Units(units) => units.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(codes, ["4000", "4100"]);

    let wrong = "kode;navn;overordnet\n4200;Tannhelse;9999\n";
    let err = import_bytes(
        &mut store,
        ImportKind::Units,
        "feil.csv",
        wrong.as_bytes(),
        false,
    )
    .err()
    .map(|e| e.kind());
    assert_eq!(err, Some("import"));
    assert_eq!(store.applied.len(), 1, "a refused file applies nothing");
}
