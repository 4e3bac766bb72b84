//! Surveys and reference series (surveys.md, issue 16) on real SQLite files: the example
//! 10-FAKTOR file imported whole and again without a change, a file with wrong lines
//! refused whole with every line named, masking in the målkart and in `malkart status`'s
//! JSON, the round compared with the one two years back, the reference series beside the
//! value, the default target 4,0, the minimum as a setting, and the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use malkart::engine::sickleave::{MaskReason, Privacy};
use malkart::engine::{IndicatorResult, Status, Trend};
use malkart::import::{import_bytes, import_file, ImportKind};
use malkart::period::{Month, Period};
use malkart::service::{detail, EngineCache};
use malkart::storage::{AuditFilter, Store};
use malkart::Error;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/examples");
const TEN_FACTOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/10-faktor.csv");
const REFERENCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/referanse.csv");

fn import(store: &mut Store, kind: ImportKind, path: &Path) -> malkart::import::ImportReport {
    import_file(store, kind, path, false).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The example municipality with the example surveys and reference series.
fn examples() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    import(
        &mut store,
        ImportKind::Units,
        &Path::new(EXAMPLES).join("enheter.csv"),
    );
    import(
        &mut store,
        ImportKind::Indicators,
        &Path::new(EXAMPLES).join("indikatorer.csv"),
    );
    import(&mut store, ImportKind::Surveys, Path::new(TEN_FACTOR));
    import(&mut store, ImportKind::References, Path::new(REFERENCES));
    store
}

fn result(store: &Store, code: &str, unit: &str, period: &str) -> IndicatorResult {
    let period = Period::parse(period).unwrap();
    // November 2026: the 2026 round is complete all the same.
    let last_full = Month::new(2026, 11).unwrap();
    let engine = EngineCache::default()
        .engine_for(store, &period, last_full)
        .unwrap();
    let card =
        detail::scorecard(&engine, store, unit, &period, Privacy::masked(5), last_full).unwrap();
    card.perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|r| r.code == code)
        .cloned()
        .unwrap_or_else(|| panic!("{code} is not in {unit}'s målkart"))
}

#[test]
fn the_example_file_imports_whole_and_a_second_import_changes_nothing() {
    let mut store = examples();
    let again = import(&mut store, ImportKind::Surveys, Path::new(TEN_FACTOR));
    assert_eq!((again.created, again.changed, again.unchanged), (0, 0, 12));
    // One audit entry per result, and the default target 4,0 for TF-1 and TF-4 in 2026
    // and TF-1 in 2024 (none for the bedrekommune survey).
    let log = store.audit(&AuditFilter::default()).unwrap();
    let count = |entity: &str| log.iter().filter(|e| e.entity == entity).count();
    assert_eq!(count("undersøkelsesresultat"), 12);
    assert_eq!(count("referanseverdi"), 4);
    // The new bedrekommune survey, created by its first result.
    assert_eq!(count("undersøkelse"), 1);
    let targets = store.targets("TF-1").unwrap();
    let years: Vec<(i32, f64)> = targets.iter().map(|t| (t.year, t.target)).collect();
    assert_eq!(years, vec![(2024, 4.0), (2026, 4.0)]);
    let surveys = store.surveys().unwrap();
    let names: Vec<(&str, u32)> = surveys
        .iter()
        .map(|s| (s.name.as_str(), s.min_respondents))
        .collect();
    assert_eq!(
        names,
        vec![("10-FAKTOR", 3), ("Brukerundersøkelse sykehjem", 5)]
    );
}

#[test]
fn a_small_unit_and_the_sibling_that_would_give_it_away_are_masked() {
    let store = examples();
    // Furulund sykehjem (3100, 14 svar) has avd. 1 (3110, 2 svar) and avd. 2 (3120, 12).
    // 3110 is below the minimum of 3. Furulund's own respondents are 14 − (2 + 12) = 0, so
    // 14 × 3,8 − 12 × 3,68 would give avd. 1's score (53,2 − 44,16 = 9,04 ≈ 2 × 4,5):
    // avd. 2 is masked too, and only the two together are given away.
    let small = result(&store, "TF-1", "3110", "2026-K3");
    assert_eq!(small.masked, Some(MaskReason::FewRespondents));
    assert_eq!((small.value, small.status), (None, Status::NoData));
    let sibling = result(&store, "TF-1", "3120", "2026-K3");
    assert_eq!(sibling.masked, Some(MaskReason::Secondary));
    assert_eq!(sibling.display, None);
    // Furulund itself is shown: 3,8 against 2024's 3,6 (two years back) is better.
    let parent = result(&store, "TF-1", "3100", "2026-K3");
    assert_eq!(parent.display.as_deref(), Some("3,8"));
    assert_eq!(parent.previous.period, "2024");
    assert_eq!(parent.previous.value, Some(3.6));
    assert_eq!(parent.trend, Trend::Better);
    assert!(!parent.provisional);
    assert_eq!(parent.survey.as_ref().and_then(|s| s.respondents), Some(14));
    // Hjemmetjenesten (6 svar) is shown: 3000's own respondents are 20 − (14 + 6) = 0, and
    // its hidden part is inside Furulund, which is shown.
    assert_eq!(result(&store, "TF-1", "3200", "2026-K3").masked, None);
}

#[test]
fn the_reference_series_show_beside_the_value_rounded_like_it() {
    let store = examples();
    let r = result(&store, "TF-1", "1000", "2026-K3");
    assert_eq!(r.display.as_deref(), Some("4,1"));
    let refs: Vec<(&str, &str)> = r
        .references
        .iter()
        .map(|x| (x.series.as_str(), x.display.as_str()))
        .collect();
    // 4,27 → 4,3; 4,1 → 4,1; by name.
    assert_eq!(refs, vec![("KOSTRA-gruppe 13", "4,1"), ("Landet", "4,3")]);
    // The bedrekommune indicator BR-TILF (defined with `snitt` over units) is not rolled
    // up: the 2025 round's own score of Furulund, and none for Helse og omsorg above it.
    let tilf = result(&store, "BR-TILF", "3100", "2026-K3");
    assert_eq!(
        (tilf.period.as_str(), tilf.display.as_deref()),
        ("2025", Some("5,2 skår"))
    );
    assert_eq!(tilf.references[0].display, "5,0 skår");
    assert_eq!(result(&store, "BR-TILF", "3000", "2026-K3").value, None);
}

#[test]
fn a_target_relative_to_the_country_is_judged_on_the_displayed_values() {
    let mut store = examples();
    // Avd. 2100 gets 4,26: shown 4,3, and Landet's 4,27 is shown 4,3 too.
    let score = "undersøkelse;faktor;enhet;år;snitt;antall_svar\n\
                 10-faktor;Mestringsorientert ledelse;2100;2026;4,26;12\n";
    import_bytes(
        &mut store,
        ImportKind::Surveys,
        "s.csv",
        score.as_bytes(),
        false,
    )
    .unwrap();
    let targets = "indikator;enhet;år;målverdi;rød_grense\n\
                   TF-1;3100;2026;≥ landet;3,5\n\
                   TF-1;2100;2026;>= Landet;\n\
                   TF-1;3200;2026;≥ landet;\n\
                   TF-1;2000;2026;≥ nabokommunen;\n";
    import_bytes(
        &mut store,
        ImportKind::Targets,
        "mål.csv",
        targets.as_bytes(),
        false,
    )
    .unwrap();
    // Furulund: 3,8 < 4,3 (Landet 4,27 as shown), but 3,8 ≥ the red limit 3,5: yellow.
    let furulund = result(&store, "TF-1", "3100", "2026-K3");
    assert_eq!(furulund.target, Some(4.3));
    assert_eq!(furulund.target_reference.as_deref(), Some("landet"));
    assert_eq!(furulund.status, Status::Yellow);
    let period = Period::parse("2026-K3").unwrap();
    let lines = detail::explain(&furulund, &period, "Furulund sykehjem", 1.0);
    let target_line = lines
        .iter()
        .find(|l| l.label == "Mål")
        .map(|l| l.text.as_str());
    assert_eq!(
        target_line,
        Some("≥ landet: seriens viste verdi for 2026 er 4,3, og det er målet; rød grense 3,5.")
    );
    // Avd. 2100: 4,3 ≥ 4,3 as shown: green, though 4,26 < 4,27 unrounded.
    let avd = result(&store, "TF-1", "2100", "2026-K3");
    assert_eq!(
        (avd.display.as_deref(), avd.status),
        (Some("4,3"), Status::Green)
    );
    // Hjemmetjenesten: 4,1 < 4,3 and no red limit: red.
    assert_eq!(
        result(&store, "TF-1", "3200", "2026-K3").status,
        Status::Red
    );
    // A series with no value for 2026: no target to judge against, and none made up.
    let sector = result(&store, "TF-1", "2000", "2026-K3");
    assert_eq!((sector.target, sector.status), (None, Status::NoTarget));
    // The units without a target of their own keep the default 4,0: the root's 4,1 is green.
    let root = result(&store, "TF-1", "1000", "2026-K3");
    assert_eq!((root.target, root.status), (Some(4.0), Status::Green));
    // A sign with no series after it is neither a number nor a series: refused.
    let wrong = "indikator;enhet;år;målverdi;rød_grense\nTF-1;3100;2026;≥ ;3,5\n";
    assert!(import_bytes(
        &mut store,
        ImportKind::Targets,
        "feil.csv",
        wrong.as_bytes(),
        false
    )
    .is_err());
}

#[test]
fn a_file_with_wrong_lines_is_refused_whole_with_every_line_named() {
    let mut store = examples();
    let before = store.audit(&AuditFilter::default()).unwrap().len();
    let text = "undersøkelse;faktor;enhet;år;snitt;antall_svar\n\
                10-faktor;Mestringsklima;2100;2026;4,2;10\n\
                10-faktor;Mestringsklima;2200;2026;5,5;10\n\
                10-faktor;Arbeidsglede;2100;2026;4,0;10\n\
                10-faktor;Mestringsklima;9999;2026;4,0;10\n\
                10-faktor;Selvstendighet;2100;2026;4,0;0\n\
                Brukerundersøkelse sykehjem;BR-VENT;3100;2026;5,0;30\n";
    let err = import_bytes(
        &mut store,
        ImportKind::Surveys,
        "feil.csv",
        text.as_bytes(),
        false,
    )
    .unwrap_err();
    let Error::Import(failure) = err else {
        panic!("expected an import failure, got {err:?}")
    };
    let lines: Vec<(u64, Option<&str>)> = failure
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (3, Some("snitt")),
            (4, Some("faktor")),
            (5, Some("enhet")),
            (6, Some("antall_svar")),
            (7, Some("faktor")),
        ],
        "{failure:?}"
    );
    assert!(
        failure.errors[0].message.contains("utenfor skalaen 1–5"),
        "{failure:?}"
    );
    // Nothing stored: line 2 was fine, but the file is all or nothing.
    assert_eq!(store.audit(&AuditFilter::default()).unwrap().len(), before);
    // A reference value with no period it can be.
    let refs = "indikator;serie;periode;verdi\nTF-1;Landet;2026-K5;4,0\n";
    assert!(import_bytes(
        &mut store,
        ImportKind::References,
        "r.csv",
        refs.as_bytes(),
        false
    )
    .is_err());
}

fn malkart(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("malkart")
        .env_remove("MALKART_DB")
        .env("MALKART_TODAY", "2026-12-03")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_shows_masked_scores_and_the_reference_and_sets_the_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let ex = |name: &str| Path::new(EXAMPLES).join(name).display().to_string();
    assert_eq!(malkart(&db, &["init"]).0, 0);
    for (kind, file) in [
        ("enheter", ex("enheter.csv")),
        ("indikatorer", ex("indikatorer.csv")),
        ("undersøkelse", TEN_FACTOR.to_string()),
        ("referanse", REFERENCES.to_string()),
    ] {
        let (code, out, err) = malkart(&db, &["import", kind, &file]);
        assert_eq!(code, 0, "{kind}: {out}{err}");
    }
    let (code, out, _) = malkart(&db, &["status", "--unit", "1000", "--period", "2026-K3"]);
    assert_eq!(code, 0);
    assert!(out.contains("4,1 · landet 4,3"), "{out}");
    // The JSON of a masked unit has no score and says why.
    let (_, json, _) = malkart(
        &db,
        &[
            "status", "--unit", "3110", "--period", "2026-K3", "--format", "json",
        ],
    );
    let card: serde_json::Value = serde_json::from_str(&json).unwrap();
    let tf1 = card["perspectives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["indicators"].as_array().unwrap())
        .find(|r| r["code"] == "TF-1")
        .unwrap();
    assert_eq!(tf1["value"], serde_json::Value::Null);
    assert_eq!(tf1["masked"], "few_respondents");
    assert!(!json.contains("4.5"), "{json}");
    let (_, table, _) = malkart(&db, &["status", "--unit", "3110", "--period", "2026-K3"]);
    assert!(table.contains("* skjult (få svar)"), "{table}");
    assert!(
        table.contains("Undersøkelsesresultater med færre svar"),
        "{table}"
    );
    // With a minimum of 2, avd. 1's 2 respondents are enough (and avd. 2 shows again).
    let (code, out, err) = malkart(&db, &["surveys", "10-FAKTOR", "--minimum", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("10-FAKTOR (10-faktor): vises fra 2 svar"),
        "{out}"
    );
    let (_, table, _) = malkart(&db, &["status", "--unit", "3110", "--period", "2026-K3"]);
    assert!(table.contains("4,5"), "{table}");
    let (code, _, err) = malkart(&db, &["surveys", "10-FAKTOR", "--minimum", "0"]);
    assert_eq!(code, 2, "{err}");
}

const KOSTRA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/kostra/12362.csv"
);
const KOSTRA_MAPPING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/kostra/kobling.csv"
);

#[test]
fn kostra_figures_come_in_with_their_mapping_and_ssb_symbols_are_no_value() {
    let mut store = examples();
    let report = malkart::import::import_kostra(
        &mut store,
        Path::new(KOSTRA),
        Path::new(KOSTRA_MAPPING),
        false,
    )
    .unwrap();
    // Bærum's own 2023 figure (1,4; 2024 is «:») and five reference values: Landet 0,9 and
    // 1,0, Landet uten Oslo 0,8 and 0,9, KOSTRA-gruppe 13 only 2024's 1,2 (2023 is «..»).
    assert_eq!(
        (report.created, report.changed, report.unchanged),
        (6, 0, 0)
    );
    assert_eq!(report.rows_read, 5);
    assert_eq!(
        report.warnings,
        vec![
            "2 kolonner er ikke i koblingsfilen og er ikke importert".to_string(),
            "1 regioner er ikke i koblingsfilen og er ikke importert".to_string()
        ]
    );
    let in_2023 = result(&store, "LS-BEF", "1000", "2023");
    assert_eq!(in_2023.display.as_deref(), Some("1,4 %"));
    let refs = |r: &IndicatorResult| -> Vec<(String, String)> {
        r.references
            .iter()
            .map(|x| (x.series.clone(), x.display.clone()))
            .collect()
    };
    assert_eq!(
        refs(&in_2023),
        vec![
            ("Landet".to_string(), "0,9 %".to_string()),
            ("Landet uten Oslo".to_string(), "0,8 %".to_string())
        ]
    );
    // «:» is no figure, not 0.
    let in_2024 = result(&store, "LS-BEF", "1000", "2024");
    assert_eq!((in_2024.value, in_2024.status), (None, Status::NoData));
    assert_eq!(refs(&in_2024).len(), 3);
    // The same file again changes nothing.
    let again = malkart::import::import_kostra(
        &mut store,
        Path::new(KOSTRA),
        Path::new(KOSTRA_MAPPING),
        false,
    )
    .unwrap();
    assert_eq!((again.created, again.changed, again.unchanged), (0, 0, 6));
}

#[test]
fn a_kostra_mapping_with_wrong_lines_names_them_and_its_file() {
    let mut store = examples();
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("feil-kobling.csv");
    std::fs::write(
        &mapping,
        "hva;fra;til\nkolonne;Befolkningsvekst siste år (prosent);XX-UKJENT\nrad;3201;egen\n\
         kolonne;Barnehager;BR-TILF\n",
    )
    .unwrap();
    let err =
        malkart::import::import_kostra(&mut store, Path::new(KOSTRA), &mapping, false).unwrap_err();
    let Error::Import(failure) = err else {
        panic!("expected an import failure, got {err:?}")
    };
    assert_eq!(failure.file, "feil-kobling.csv");
    let lines: Vec<(u64, Option<&str>)> = failure
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    // Line 2: no such indicator; line 3: neither kolonne nor region; line 4: BR-TILF is
    // yearly and not a ratio, so it is fine.
    assert_eq!(
        lines,
        vec![(2, Some("til")), (3, Some("hva"))],
        "{failure:?}"
    );
    // A KOSTRA file with a figure that is not a number: its line and column.
    let data = dir.path().join("12362.csv");
    std::fs::write(
        &data,
        "\"12362: Utvalgte nøkkeltall\"\n\n\"region\";\"Befolkningsvekst siste år (prosent) 2024\"\n\
         \"3201 Bærum\";\"1,4x\"\n",
    )
    .unwrap();
    let err = malkart::import::import_kostra(&mut store, &data, Path::new(KOSTRA_MAPPING), false)
        .unwrap_err();
    let Error::Import(failure) = err else {
        panic!("expected an import failure, got {err:?}")
    };
    assert_eq!(failure.file, "12362.csv");
    assert_eq!(failure.errors[0].line, 4, "{failure:?}");
}

#[test]
fn the_chart_and_the_sparkline_step_from_round_to_round_up_to_the_periods_year() {
    let store = examples();
    // October 2026: 2026 has not ended, yet the målkart shows the 2026 round; its history is
    // the rounds 2024 and 2026 (3,6 and 3,8 for 3100), not the years up to 2025.
    let period = Period::parse("2026-10").unwrap();
    let last_full = Month::new(2026, 10).unwrap();
    let engine = EngineCache::default()
        .engine_for(&store, &period, last_full)
        .unwrap();
    let privacy = Privacy::masked(5);
    let d = detail::indicator_detail(&engine, &store, "TF-1", "3100", &period, privacy, last_full)
        .unwrap();
    let history: Vec<(&str, Option<f64>)> = d
        .history
        .iter()
        .map(|p| (p.period.as_str(), p.value))
        .collect();
    assert_eq!(history, [("2024", Some(3.6)), ("2026", Some(3.8))]);
    let lines = detail::sparklines(&engine, "3100", &period, privacy).unwrap();
    let tf1 = lines.iter().find(|s| s.code == "TF-1").unwrap();
    let points: Vec<(&str, Option<f64>)> = tf1
        .points
        .iter()
        .map(|p| (p.period.as_str(), p.value))
        .collect();
    assert_eq!(points, [("2024", Some(3.6)), ("2026", Some(3.8))]);
}
