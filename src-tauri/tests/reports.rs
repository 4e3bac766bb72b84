//! The app's reports over a small hand-made database: the sick-leave summary and the economy
//! report as the UI receives them, their exports written to disk, the `min_employees`
//! setting, and the sick-leave and economy import kinds going through the backend.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::path::Path;

use malkart::export::Format;
use malkart::import::ImportKind;
use malkart::service::imports::ImportOutcome;
use malkart::storage::Store;
use malkart_app::backend::Backend;

const UNITS: &str = "kode;navn;overordnet;nivå\n\
1000;Testkommune;;kommune\n\
2000;Oppvekst;1000;sektor\n";

// Sektor 2000 in 2026-K1 (the kommune has no rows of its own, so its row is the same sum):
//   avtalte dagsverk 100 + 100 + 200 = 400
//   egenmeldt        2 + 1 + 3       = 6    → 100 × 6 / 400  = 1,5 %
//   legemeldt        3 + 4 + 7       = 14   → 100 × 14 / 400 = 3,5 %
//   fravær           6 + 14          = 20   → 100 × 20 / 400 = 5,0 %
//   ansatte: the largest month, 12.
const SICK_LEAVE: &str = "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte\n\
2000;2026-01;100;2;3;10\n\
2000;2026-02;100;1;4;10\n\
2000;2026-03;200;3;7;12\n";

// Sektor 2000, 2026: a yearly budget of 1 200 000 kr spread as 100 000 kr a month;
// regnskap January 90 000,50 + February 110 000,00 = 200 000,50 kr hittil i år.
const ECONOMY: &str = "ansvar;periode;budsjett;regnskap;prognose\n\
2000;2026;1 200 000;;\n\
2000;2026-01;;90 000,50;\n\
2000;2026-02;;110 000,00;\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("test file written");
    path.display().to_string()
}

/// A backend over an in-memory database with the two units and their figures, imported
/// through the backend as the import panel does (kinds `sick_leave` and `economy`).
fn backend(dir: &Path) -> Backend {
    let store = Store::open_in_memory().expect("in-memory database");
    let backend = Backend::over_store("minne".into(), store);
    for (kind, name, text) in [
        (ImportKind::Units, "enheter.csv", UNITS),
        (ImportKind::SickLeave, "sykefravær.csv", SICK_LEAVE),
        (ImportKind::Economy, "økonomi.csv", ECONOMY),
    ] {
        let path = write(dir, name, text);
        let outcome = backend.import(kind, &path, false).expect("import runs");
        if let ImportOutcome::Refused { failure } = outcome {
            panic!("{kind:?}: {:?}", failure.errors);
        }
    }
    backend
}

const SICK_LEAVE_HEADER: &str = "Enhetskode;Enhet;Nivå;Ansatte;Avtalte dagsverk;Fraværsdagsverk;\
Fravær %;Egenmeldt %;Legemeldt %;Korttid 1-16 dager %;Langtid over 16 dager %;\
Fravær % samme periode i fjor;Endring prosentpoeng;Mål %;Status";

const ECONOMY_HEADER: &str = "Ansvar;Enhet;Nivå;Årsbudsjett;Budsjett hittil;Regnskap hittil;\
Avvik kr;Avvik %;Forbruk %;Prognose;Prognoseavvik;Status";

/// The CSV's lines after the byte-order mark.
fn csv_lines(path: &str) -> Vec<String> {
    let bytes = std::fs::read(path).expect("exported file");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    String::from_utf8(bytes[3..].to_vec())
        .expect("UTF-8")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_summary_adds_up_days_before_dividing() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let s = backend
        .sick_leave_summary("1000", "2026-K1", Some(0))
        .expect("summary");
    assert_eq!(s.period, "2026-K1");
    let codes: Vec<_> = s.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["1000", "2000"]);
    let root = &s.rows[0];
    assert_eq!(root.employees, Some(12));
    assert_eq!(root.contracted_days, Some(400.0));
    assert_eq!(root.absence_days, Some(20.0));
    let pct = root.absence_pct.expect("a value");
    assert!((pct - 5.0).abs() < 1e-9, "{pct}");
    assert!((root.self_certified_pct.unwrap() - 1.5).abs() < 1e-9);
    assert!((root.doctor_certified_pct.unwrap() - 3.5).abs() < 1e-9);
    assert!(!root.masked);
}

#[test]
fn the_stored_minimum_masks_when_none_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    assert_eq!(backend.min_employees().unwrap(), 5, "the default");
    // 12 employees ≥ 5: shown.
    let shown = backend.sick_leave_summary("1000", "2026-K1", None).unwrap();
    assert!(shown.rows.iter().all(|r| !r.masked));
    // 12 < 20: every row hidden, the figures gone, avtalte dagsverk kept.
    assert!(backend.set_min_employees(20).unwrap());
    assert!(!backend.set_min_employees(20).unwrap(), "unchanged");
    let hidden = backend.sick_leave_summary("1000", "2026-K1", None).unwrap();
    assert_eq!(hidden.min_employees, 20);
    assert!(hidden
        .rows
        .iter()
        .all(|r| r.masked && r.absence_pct.is_none()));
    assert_eq!(hidden.rows[0].contracted_days, Some(400.0));
    // An explicit minimum wins over the setting.
    let off = backend
        .sick_leave_summary("1000", "2026-K1", Some(0))
        .unwrap();
    assert!(off.rows.iter().all(|r| !r.masked));
}

#[test]
fn the_sick_leave_csv_is_written_where_asked_with_the_specs_header() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    // No extension typed: the format's is added.
    let typed = dir.path().join("sykefravær-1000-2026-K1");
    let written = backend
        .export_sick_leave(
            "1000",
            "2026-K1",
            Format::Csv,
            &typed.display().to_string(),
            None,
        )
        .expect("export");
    assert!(
        written.ends_with("sykefravær-1000-2026-K1.csv"),
        "{written}"
    );
    let lines = csv_lines(&written);
    assert_eq!(lines[0], SICK_LEAVE_HEADER);
    let root: Vec<&str> = lines[1].split(';').collect();
    assert_eq!(&root[..3], ["1000", "Testkommune", "0"]);
    assert_eq!(root[6], "5,0", "Fravær % = 100 × 20 / 400");
}

#[test]
fn the_economy_report_and_its_csv_count_to_the_ore_and_round_to_whole_kroner() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let r = backend.economy_report("1000", "2026-02").expect("report");
    assert_eq!(r.through, "2026-02");
    let root = &r.rows[0];
    assert_eq!(root.annual_budget, 1_200_000.0);
    assert_eq!(root.budget_ytd, 200_000.0);
    assert_eq!(root.actual_ytd, 200_000.5);
    assert_eq!(root.deviation, -0.5);

    let path = dir.path().join("økonomi.csv").display().to_string();
    backend
        .export_economy("1000", "2026-02", Format::Csv, &path)
        .expect("export");
    let lines = csv_lines(&path);
    assert_eq!(lines[0], ECONOMY_HEADER);
    let root: Vec<&str> = lines[1].split(';').collect();
    assert_eq!(root[0], "1000");
    // 200 000,50 kr rounded half away from zero.
    assert_eq!(root[5], "200001");
}

#[test]
fn every_format_writes_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    for format in [Format::Csv, Format::Xlsx, Format::Pdf, Format::Json] {
        let ext = format.extension();
        let path = dir.path().join(format!("sf.{ext}")).display().to_string();
        backend
            .export_sick_leave("1000", "2026-K1", format, &path, None)
            .unwrap_or_else(|e| panic!("{ext}: {}", e.message));
        assert!(std::fs::metadata(&path).unwrap().len() > 0, "{ext}");
        let path = dir.path().join(format!("ok.{ext}")).display().to_string();
        backend
            .export_economy("1000", "2026-T1", format, &path)
            .unwrap_or_else(|e| panic!("{ext}: {}", e.message));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("sf.json")).unwrap()).unwrap();
    assert_eq!(json["rows"][0]["code"], "1000");
    // An unknown format does not reach the backend: `ipc.rs` checks that it is refused.
}

#[test]
fn an_export_into_a_missing_folder_names_it_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    let target = dir.path().join("finnes-ikke").join("r.csv");
    let err = backend
        .export_economy(
            "1000",
            "2026-02",
            Format::Csv,
            &target.display().to_string(),
        )
        .unwrap_err();
    assert!(err.message.contains("finnes-ikke"), "{}", err.message);
    assert!(!target.exists());
}

#[test]
fn an_unknown_unit_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    assert!(backend.sick_leave_summary("9999", "2026-K1", None).is_err());
    assert!(backend.economy_report("9999", "2026-02").is_err());
    assert!(backend.economy_report("1000", "ikke en periode").is_err());
}

#[test]
fn reports_reuse_the_cached_engine_when_their_period_is_inside_its_window() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path());
    backend.scorecard("1000", "2026-K1").expect("scorecard");
    let builds = backend.engine_builds();
    backend
        .sick_leave_summary("1000", "2026-K1", None)
        .expect("summary");
    backend
        .sick_leave_summary("2000", "2026-K1", None)
        .expect("summary");
    backend.economy_report("1000", "2026-02").expect("report");
    assert_eq!(backend.engine_builds(), builds, "no rebuild");
}
