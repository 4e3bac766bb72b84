//! Storage on real SQLite files: opening and migrating, applying change sets (counts, audit,
//! dry run, every refusal leaving nothing behind), locks, comments, targets, the dataset
//! window, the revision, backup and restore.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::path::{Path, PathBuf};

use malkart::demo::DemoData;
use malkart::model::{
    Aggregation, Comment, Direction, Figure, Frequency, Indicator, Measurement, Perspective,
    Target, Unit,
};
use malkart::period::{Month, Period};
use malkart::storage::{restore, AuditFilter, ChangeSet, Store, SUPPORTED_VERSION};
use malkart::Error;

fn tmp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("malkart.db");
    (dir, path)
}

fn p(text: &str) -> Period {
    Period::parse(text).expect("test period")
}

fn month(text: &str) -> Month {
    p(text).first()
}

fn unit(code: &str, name: &str, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: name.into(),
        parent: parent.map(Into::into),
        level: None,
    }
}

/// 1000 Demo kommune ← 2000 Oppvekst ← 2100 Skole A, 2200 Skole B.
fn units() -> Vec<Unit> {
    vec![
        unit("1000", "Demo kommune", None),
        // The parent of 2100 and 2200 comes after them: allowed, checked at the end.
        unit("2100", "Skole A", Some("2000")),
        unit("2200", "Skole B", Some("2000")),
        unit("2000", "Oppvekst", Some("1000")),
    ]
}

/// OR-FRAV: monthly sick-leave ratio, lower is better. ELEV: pupils per quarter, a sum.
fn indicators() -> Vec<Indicator> {
    vec![
        Indicator::new(
            "OR-FRAV",
            "Sykefravær",
            Perspective::Organisasjon,
            Direction::Lav,
            Frequency::Maned,
            Aggregation::Brok,
        ),
        Indicator::new(
            "ELEV",
            "Elever",
            Perspective::Brukere,
            Direction::Hoy,
            Frequency::Kvartal,
            Aggregation::Sum,
        ),
    ]
}

fn ratio(unit: &str, period: &str, numerator: f64, denominator: f64) -> Measurement {
    Measurement {
        indicator: "OR-FRAV".into(),
        unit: unit.into(),
        span: p(period),
        figure: Figure::Ratio {
            numerator,
            denominator,
        },
    }
}

fn value(indicator: &str, unit: &str, period: &str, value: f64) -> Measurement {
    Measurement {
        indicator: indicator.into(),
        unit: unit.into(),
        span: p(period),
        figure: Figure::Value { value },
    }
}

fn store_with_definitions(path: &Path) -> Store {
    let mut store = Store::open(path).expect("open");
    store.set_user("tester");
    store
        .apply(&ChangeSet::Units(units()), "enheter.csv", false)
        .expect("units");
    store
        .apply(
            &ChangeSet::Indicators(indicators()),
            "indikatorer.csv",
            false,
        )
        .expect("indicators");
    store
}

fn all_audit(store: &Store) -> Vec<malkart::model::AuditEntry> {
    store.audit(&AuditFilter::default()).expect("audit")
}

/// Every measurement in the database, sorted, for comparing content.
fn all_measurements(store: &Store) -> Vec<String> {
    let data = store.dataset_for(&p("2020-01..2029-12")).expect("dataset");
    let mut rows: Vec<String> = data
        .measurement_rows()
        .iter()
        .map(|m| format!("{} {} {} {:?}", m.indicator, m.unit, m.span, m.figure))
        .collect();
    rows.sort();
    rows
}

// --- opening --------------------------------------------------------------------------------

#[test]
fn opening_twice_migrates_once_and_keeps_the_data() {
    let (_dir, path) = tmp();
    {
        let store = store_with_definitions(&path);
        assert!(!store.is_empty().unwrap());
    }
    let store = Store::open(&path).expect("second open");
    assert_eq!(store.units().unwrap().len(), 4);
    let report = store.check().unwrap();
    assert!(report.ok, "{:?}", report.integrity);
    assert_eq!(report.integrity, vec!["ok".to_string()]);
    assert_eq!(report.schema_version, SUPPORTED_VERSION);
}

#[test]
fn a_missing_parent_directory_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a").join("b").join("malkart.db");
    let store = Store::open(&path).expect("open");
    assert!(store.is_empty().unwrap());
    assert!(path.is_file());
}

#[test]
fn the_file_is_in_wal_mode() {
    let (_dir, path) = tmp();
    let _store = Store::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_newer_schema_is_refused_and_the_file_is_left_byte_for_byte() {
    let (_dir, path) = tmp();
    drop(store_with_definitions(&path));
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SUPPORTED_VERSION + 1)
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).expect_err("refused");
    match &err {
        Error::NewerSchema {
            found, supported, ..
        } => {
            assert_eq!(*found, SUPPORTED_VERSION + 1);
            assert_eq!(*supported, SUPPORTED_VERSION);
        }
        other => panic!("wrong error: {other}"),
    }
    assert!(err.to_string().contains("nyere versjon"), "{err}");
    assert_eq!(err.exit_code(), 1);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Still refused the second time, still unchanged (no WAL switched on in between).
    assert!(Store::open(&path).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_newer_schema_in_wal_mode_is_refused_and_left_byte_for_byte() {
    let (_dir, path) = tmp();
    drop(store_with_definitions(&path));
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SUPPORTED_VERSION + 7)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    assert_eq!(before[18], 2, "the file is in WAL mode");
    assert!(
        matches!(Store::open(&path), Err(Error::NewerSchema { found, .. }) if found == SUPPORTED_VERSION + 7)
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let (_dir, path) = tmp();
    let text = "kode;navn\n1000;Demo kommune\n".repeat(40);
    std::fs::write(&path, &text).unwrap();
    let err = Store::open(&path).expect_err("refused");
    assert!(
        err.to_string().contains("ikke en Målkart-database"),
        "{err}"
    );
    assert!(err.to_string().contains("malkart.db"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn the_database_path_is_explicit_else_the_environment_else_the_data_directory() {
    let explicit = Path::new("/tmp/x/malkart.db");
    assert_eq!(
        malkart::storage::resolve_path(Some(explicit)).unwrap(),
        explicit
    );
    // The environment is process-wide; this is the only test that reads it.
    std::env::set_var("MALKART_DB", "/tmp/fra-miljø.db");
    assert_eq!(
        malkart::storage::resolve_path(None).unwrap(),
        PathBuf::from("/tmp/fra-miljø.db")
    );
    std::env::remove_var("MALKART_DB");
    let default = malkart::storage::resolve_path(None).unwrap();
    assert!(
        default.ends_with("no.malkart.app/malkart.db"),
        "{}",
        default.display()
    );
}

// --- apply ----------------------------------------------------------------------------------

#[test]
fn units_are_created_then_unchanged_then_changed_with_one_audit_entry_each() {
    let (_dir, path) = tmp();
    let mut store = Store::open(&path).unwrap();
    store.set_user("kari");
    let s = store
        .apply(&ChangeSet::Units(units()), "enheter.csv", false)
        .unwrap();
    assert_eq!((s.created, s.changed, s.unchanged), (4, 0, 0));
    assert_eq!(all_audit(&store).len(), 4);

    let s = store
        .apply(&ChangeSet::Units(units()), "enheter.csv", false)
        .unwrap();
    assert_eq!((s.created, s.changed, s.unchanged), (0, 0, 4));
    assert_eq!(
        all_audit(&store).len(),
        4,
        "an identical re-import writes no audit entry"
    );

    let mut renamed = units();
    renamed[1].name = "Skole A (ny)".into();
    let s = store
        .apply(&ChangeSet::Units(renamed), "enheter2.csv", false)
        .unwrap();
    assert_eq!((s.created, s.changed, s.unchanged), (0, 1, 3));
    let log = all_audit(&store);
    assert_eq!(log.len(), 5);
    let newest = &log[0];
    assert_eq!(newest.entity, "enhet");
    assert_eq!(newest.key, "2100");
    assert_eq!(newest.user, "kari");
    assert_eq!(newest.source, "enheter2.csv");
    assert!(
        newest.old.as_deref().unwrap_or("").contains("\"Skole A\""),
        "{:?}",
        newest.old
    );
    assert!(
        newest.new.as_deref().unwrap_or("").contains("Skole A (ny)"),
        "{:?}",
        newest.new
    );
    assert!(
        chrono::DateTime::parse_from_rfc3339(&newest.at).is_ok(),
        "{}",
        newest.at
    );
    // Units keep the order they were first created in.
    let codes: Vec<String> = store.units().unwrap().into_iter().map(|u| u.code).collect();
    assert_eq!(codes, ["1000", "2100", "2200", "2000"]);
}

#[test]
fn measurements_count_created_changed_unchanged_and_log_old_and_new() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    let before = all_audit(&store).len();
    let batch = vec![
        ratio("2100", "2026-01", 14.5, 880.0),
        ratio("2200", "2026-01", 41.0, 420.0),
        value("ELEV", "2100", "2026-K1", 312.0),
    ];
    let s = store
        .apply(&ChangeSet::Measurements(batch.clone()), "jan.csv", false)
        .unwrap();
    assert_eq!((s.created, s.changed, s.unchanged), (3, 0, 0));
    assert_eq!(all_audit(&store).len(), before + 3);

    let s = store
        .apply(&ChangeSet::Measurements(batch.clone()), "jan.csv", false)
        .unwrap();
    assert_eq!((s.created, s.changed, s.unchanged), (0, 0, 3));
    assert_eq!(
        all_audit(&store).len(),
        before + 3,
        "identical values write no audit entry"
    );

    let mut changed = batch;
    changed[1] = ratio("2200", "2026-01", 40.0, 420.0);
    let s = store
        .apply(&ChangeSet::Measurements(changed), "jan-rettet.csv", false)
        .unwrap();
    assert_eq!((s.created, s.changed, s.unchanged), (0, 1, 2));
    let newest = &all_audit(&store)[0];
    assert_eq!(newest.entity, "måling");
    assert_eq!(newest.key, "OR-FRAV / 2200 / 2026-01");
    assert_eq!(newest.indicator.as_deref(), Some("OR-FRAV"));
    assert_eq!(newest.unit.as_deref(), Some("2200"));
    assert_eq!(newest.period.as_deref(), Some("2026-01"));
    assert_eq!(
        newest.old.as_deref(),
        Some(r#"{"numerator":41.0,"denominator":420.0}"#)
    );
    assert_eq!(
        newest.new.as_deref(),
        Some(r#"{"numerator":40.0,"denominator":420.0}"#)
    );
    assert_eq!(newest.source, "jan-rettet.csv");

    let stored = all_measurements(&store);
    assert_eq!(stored.len(), 3);
    assert!(
        stored
            .iter()
            .any(|m| m.contains("2200 2026-01 Ratio { numerator: 40.0")),
        "{stored:?}"
    );
}

#[test]
fn a_large_batch_logs_every_measurement_once() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    let before = all_audit(&store).len();
    // 2 units × 125 months = 250 entries: more than one multi-row insert of the log, and a
    // remainder.
    let batch: Vec<Measurement> = (0..125)
        .flat_map(|i| {
            ["2100", "2200"].map(|u| Measurement {
                indicator: "OR-FRAV".into(),
                unit: u.into(),
                span: Period::month(month("2020-01").plus(i)),
                figure: Figure::Ratio {
                    numerator: f64::from(i),
                    denominator: 100.0,
                },
            })
        })
        .collect();
    let s = store
        .apply(&ChangeSet::Measurements(batch), "stor.csv", false)
        .unwrap();
    assert_eq!(s.created, 250);
    let log = all_audit(&store);
    assert_eq!(log.len(), before + 250);
    // The last row: month 2020-01 + 124 = 2030-05, unit 2200, numerator 124.
    assert_eq!(log[0].key, "OR-FRAV / 2200 / 2030-05");
    assert_eq!(
        log[0].new.as_deref(),
        Some(r#"{"numerator":124.0,"denominator":100.0}"#)
    );
    assert_eq!(log[249].key, "OR-FRAV / 2100 / 2020-01");
    assert!(log[..250]
        .iter()
        .all(|e| e.entity == "måling" && e.source == "stor.csv" && e.old.is_none()));
}

#[test]
fn a_dry_run_counts_but_stores_nothing() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    let audit_before = all_audit(&store);
    let revision = store.revision().unwrap();
    let batch = vec![
        ratio("2100", "2026-01", 14.5, 880.0),
        ratio("2100", "2026-02", 12.0, 800.0),
    ];
    let s = store
        .apply(&ChangeSet::Measurements(batch), "feb.csv", true)
        .unwrap();
    assert_eq!((s.created, s.changed, s.unchanged), (2, 0, 0));
    assert!(all_measurements(&store).is_empty());
    assert_eq!(all_audit(&store), audit_before);
    assert_eq!(store.revision().unwrap(), revision);
}

#[test]
fn a_locked_month_refuses_the_whole_change_set_and_names_the_month() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    assert!(store.lock_month(month("2026-03")).unwrap());
    let audit_before = all_audit(&store).len();
    let batch = vec![
        ratio("2100", "2026-01", 14.5, 880.0),
        ratio("2100", "2026-03", 12.0, 800.0),
    ];
    let err = store
        .apply(&ChangeSet::Measurements(batch), "mars.csv", false)
        .expect_err("refused");
    assert!(
        matches!(&err, Error::LockedMonth(m) if m == "2026-03"),
        "{err:?}"
    );
    assert!(err.to_string().contains("2026-03"), "{err}");
    assert_eq!(err.exit_code(), 2);
    assert!(
        all_measurements(&store).is_empty(),
        "January must not be stored either"
    );
    assert_eq!(all_audit(&store).len(), audit_before);

    // A quarter touches the locked March too.
    let err = store
        .apply(
            &ChangeSet::Measurements(vec![value("ELEV", "2100", "2026-K1", 300.0)]),
            "k1.csv",
            false,
        )
        .expect_err("refused");
    assert!(
        matches!(&err, Error::LockedMonth(m) if m == "2026-03"),
        "{err:?}"
    );
    // The next quarter does not.
    let s = store
        .apply(
            &ChangeSet::Measurements(vec![value("ELEV", "2100", "2026-K2", 300.0)]),
            "k2.csv",
            false,
        )
        .unwrap();
    assert_eq!(s.created, 1);
}

#[test]
fn a_unit_cycle_is_refused_naming_the_units() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    // 2000 under 2100, which is under 2000.
    let change = vec![unit("2000", "Oppvekst", Some("2100"))];
    let err = store
        .apply(&ChangeSet::Units(change), "enheter.csv", false)
        .expect_err("refused");
    let msg = err.to_string();
    assert!(
        matches!(err, Error::Validation { ref field, .. } if field == "overordnet"),
        "{err:?}"
    );
    assert!(
        msg.contains("2000") && msg.contains("2100") && msg.contains("sløyfe"),
        "{msg}"
    );
    let oppvekst = store
        .units()
        .unwrap()
        .into_iter()
        .find(|u| u.code == "2000")
        .unwrap();
    assert_eq!(oppvekst.parent.as_deref(), Some("1000"), "nothing changed");
}

#[test]
fn an_unknown_parent_unit_or_indicator_is_refused() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    let err = store
        .apply(
            &ChangeSet::Units(vec![unit("3000", "Helse", Some("9000"))]),
            "e.csv",
            false,
        )
        .expect_err("refused");
    assert!(
        matches!(&err, Error::UnknownUnit(c) if c == "9000"),
        "{err:?}"
    );

    let batch = vec![
        ratio("2100", "2026-01", 1.0, 10.0),
        ratio("9999", "2026-01", 1.0, 10.0),
    ];
    let err = store
        .apply(&ChangeSet::Measurements(batch), "m.csv", false)
        .expect_err("refused");
    assert!(
        matches!(&err, Error::UnknownUnit(c) if c == "9999"),
        "{err:?}"
    );
    assert!(err.to_string().contains("9999"));

    let err = store
        .apply(
            &ChangeSet::Measurements(vec![value("NEI", "2100", "2026-01", 1.0)]),
            "m.csv",
            false,
        )
        .expect_err("refused");
    assert!(
        matches!(&err, Error::UnknownIndicator(c) if c == "NEI"),
        "{err:?}"
    );
    assert!(all_measurements(&store).is_empty());
}

#[test]
fn a_span_or_figure_that_does_not_fit_the_indicator_is_refused() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    // ELEV is quarterly: a month is not one of its spans.
    let err = store
        .apply(
            &ChangeSet::Measurements(vec![value("ELEV", "2100", "2026-02", 1.0)]),
            "m.csv",
            false,
        )
        .expect_err("refused");
    assert!(err.to_string().contains("kvartal"), "{err}");
    // OR-FRAV is a ratio: a single value is not enough.
    let err = store
        .apply(
            &ChangeSet::Measurements(vec![value("OR-FRAV", "2100", "2026-02", 7.0)]),
            "m.csv",
            false,
        )
        .expect_err("refused");
    assert!(err.to_string().contains("teller og nevner"), "{err}");
    // The same key twice in one set.
    let twice = vec![
        ratio("2100", "2026-01", 1.0, 10.0),
        ratio("2100", "2026-01", 2.0, 10.0),
    ];
    let err = store
        .apply(&ChangeSet::Measurements(twice), "m.csv", false)
        .expect_err("refused");
    assert!(
        err.to_string().contains("OR-FRAV / 2100 / 2026-01"),
        "{err}"
    );
    assert!(all_measurements(&store).is_empty());
}

#[test]
fn a_red_limit_on_the_wrong_side_is_refused_in_norwegian() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    // OR-FRAV: lower is better, so the red limit must be at or above the target.
    let wrong = Target {
        indicator: "OR-FRAV".into(),
        unit: None,
        year: 2026,
        target: 7.0,
        red_limit: Some(6.5),
        reference: None,
    };
    let err = store
        .apply(&ChangeSet::Targets(vec![wrong.clone()]), "mål.csv", false)
        .expect_err("refused");
    let msg = err.to_string();
    assert!(
        msg.contains("feil side") && msg.contains("6,5") && msg.contains("OR-FRAV"),
        "{msg}"
    );
    assert!(store.set_target(&wrong).is_err());
    assert!(store.targets("OR-FRAV").unwrap().is_empty());

    let right = Target {
        red_limit: Some(8.0),
        ..wrong
    };
    store.set_target(&right).unwrap();
    assert_eq!(store.targets("OR-FRAV").unwrap(), vec![right.clone()]);
    let newest = &all_audit(&store)[0];
    assert_eq!(
        (newest.entity.as_str(), newest.key.as_str()),
        ("mål", "OR-FRAV / alle enheter / 2026")
    );
    assert_eq!(newest.source, "manuell");
}

#[test]
fn targets_per_unit_and_default_are_kept_apart_and_counted() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    let default = Target {
        indicator: "OR-FRAV".into(),
        unit: None,
        year: 2026,
        target: 7.0,
        red_limit: Some(8.0),
        reference: None,
    };
    let own = Target {
        unit: Some("2100".into()),
        target: 6.0,
        ..default.clone()
    };
    let s = store
        .apply(
            &ChangeSet::Targets(vec![default.clone(), own.clone()]),
            "mål.csv",
            false,
        )
        .unwrap();
    assert_eq!((s.created, s.changed, s.unchanged), (2, 0, 0));
    let own2 = Target {
        target: 5.5,
        ..own.clone()
    };
    let s = store
        .apply(
            &ChangeSet::Targets(vec![default.clone(), own2.clone()]),
            "mål.csv",
            false,
        )
        .unwrap();
    assert_eq!((s.created, s.changed, s.unchanged), (0, 1, 1));
    assert_eq!(
        store.targets("OR-FRAV").unwrap(),
        vec![default.clone(), own2]
    );
    assert!(store.remove_target("OR-FRAV", None, 2026).unwrap());
    assert!(!store.remove_target("OR-FRAV", None, 2026).unwrap());
    assert_eq!(store.targets("OR-FRAV").unwrap().len(), 1);
    let err = store
        .set_target(&Target {
            unit: Some("9999".into()),
            ..default
        })
        .expect_err("refused");
    assert!(
        matches!(&err, Error::UnknownUnit(c) if c == "9999"),
        "{err:?}"
    );
}

#[test]
fn changing_frequency_or_aggregation_with_measurements_is_refused_with_counts_per_unit() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    let batch = vec![
        ratio("2100", "2026-01", 1.0, 10.0),
        ratio("2100", "2026-02", 1.0, 10.0),
        ratio("2200", "2026-01", 1.0, 10.0),
    ];
    store
        .apply(&ChangeSet::Measurements(batch), "m.csv", false)
        .unwrap();
    let mut defs = indicators();
    defs[0].frequency = Frequency::Kvartal;
    let err = store
        .apply(&ChangeSet::Indicators(defs), "i.csv", false)
        .expect_err("refused");
    let msg = err.to_string();
    // 2 in 2100 + 1 in 2200 = 3.
    assert!(msg.contains("3 målinger"), "{msg}");
    assert!(msg.contains("2100: 2") && msg.contains("2200: 1"), "{msg}");
    assert!(msg.contains("måned") && msg.contains("kvartal"), "{msg}");

    let mut defs = indicators();
    defs[0].aggregation = Aggregation::Snitt;
    assert!(store
        .apply(&ChangeSet::Indicators(defs), "i.csv", false)
        .is_err());
    assert_eq!(
        store
            .indicators()
            .unwrap()
            .iter()
            .find(|i| i.code == "OR-FRAV")
            .unwrap()
            .frequency,
        Frequency::Maned
    );

    // ELEV has no measurements: its frequency may change. A new name is fine for OR-FRAV.
    let mut defs = indicators();
    defs[1].frequency = Frequency::Halvar;
    defs[0].name = "Sykefravær totalt".into();
    let s = store
        .apply(&ChangeSet::Indicators(defs), "i.csv", false)
        .unwrap();
    assert_eq!((s.created, s.changed, s.unchanged), (0, 2, 0));
}

// --- locks ----------------------------------------------------------------------------------

#[test]
fn unlocking_needs_a_reason_and_both_are_audited() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    let march = month("2026-03");
    assert!(store.lock_month(march).unwrap());
    assert!(!store.lock_month(march).unwrap(), "already locked");
    let locked = store.locked_months().unwrap();
    assert_eq!(locked.len(), 1);
    assert_eq!(locked[0].month, "2026-03");
    assert_eq!(locked[0].locked_by, "tester");
    assert_eq!(
        store
            .catalog()
            .unwrap()
            .locked
            .into_iter()
            .collect::<Vec<_>>(),
        vec![march]
    );

    let err = store.unlock_month(march, "  ").expect_err("refused");
    assert!(
        matches!(err, Error::Validation { ref field, .. } if field == "grunn")
            && err.to_string().contains("grunn"),
        "{err}"
    );
    assert_eq!(store.locked_months().unwrap().len(), 1);

    assert!(store.unlock_month(march, "feil i lønnsfila").unwrap());
    assert!(
        !store.unlock_month(march, "igjen").unwrap(),
        "not locked any more"
    );
    assert!(store.locked_months().unwrap().is_empty());
    let log: Vec<_> = all_audit(&store)
        .into_iter()
        .filter(|e| e.entity == "lås")
        .collect();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].reason.as_deref(), Some("feil i lønnsfila"));
    assert_eq!(log[0].period.as_deref(), Some("2026-03"));
    assert!(log[0].new.is_none() && log[0].old.is_some());
    assert!(log[1].reason.is_none() && log[1].new.is_some());
    // Open again: March takes figures.
    let s = store
        .apply(
            &ChangeSet::Measurements(vec![ratio("2100", "2026-03", 1.0, 10.0)]),
            "m.csv",
            false,
        )
        .unwrap();
    assert_eq!(s.created, 1);
}

// --- comments -------------------------------------------------------------------------------

#[test]
fn comments_are_added_listed_in_order_updated_and_deleted_with_audit() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    store.set_user("ola");
    let k3 = p("2026-K3");
    let first = store
        .add_comment("OR-FRAV", "2100", &k3, "Høyt fravær i juli")
        .unwrap();
    let second = store
        .add_comment("OR-FRAV", "2100", &k3, "Ferieavvikling")
        .unwrap();
    assert_eq!(first.author, "ola");
    assert_eq!(first.period, "2026-K3");
    assert!(first.updated_at.is_none());
    let listed = store.comments("OR-FRAV", "2100", &k3).unwrap();
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![first.id, second.id]
    );
    assert!(store.comments("OR-FRAV", "2200", &k3).unwrap().is_empty());

    let edited = store
        .update_comment(first.id, "Høyt fravær i juli (influensa)")
        .unwrap();
    assert_eq!(edited.text, "Høyt fravær i juli (influensa)");
    assert!(edited.updated_at.is_some());
    assert_eq!(store.comments("OR-FRAV", "2100", &k3).unwrap()[0], edited);

    store.delete_comment(second.id).unwrap();
    assert_eq!(
        store.comments("OR-FRAV", "2100", &k3).unwrap(),
        vec![edited]
    );
    assert!(store.delete_comment(second.id).is_err(), "already gone");
    assert!(
        store.add_comment("OR-FRAV", "2100", &k3, "   ").is_err(),
        "empty text"
    );
    assert!(matches!(
        store.add_comment("OR-FRAV", "9999", &k3, "x"),
        Err(Error::UnknownUnit(_))
    ));

    let log: Vec<_> = all_audit(&store)
        .into_iter()
        .filter(|e| e.entity == "kommentar")
        .collect();
    // add, add, update, delete.
    assert_eq!(log.len(), 4);
    assert_eq!(log[0].key, "OR-FRAV / 2100 / 2026-K3");
    assert!(log[0].new.is_none(), "a delete has no new value");
    assert_eq!(log[0].user, "ola");
}

#[test]
fn comments_and_audit_entries_have_ids_that_cross_machines() {
    let (_dir, path) = tmp();
    // Two batches: the units (one transaction, 5 entries), then the indicators.
    let mut store = store_with_definitions(&path);
    let k3 = p("2026-K3");
    let first = store
        .add_comment("OR-FRAV", "2100", &k3, "Høyt fravær")
        .unwrap();
    let second = store.add_comment("OR-FRAV", "2100", &k3, "Ferie").unwrap();
    let version = |uid: &str| uuid::Uuid::parse_str(uid).map(|u| u.get_version_num());
    assert_eq!(version(&first.uid), Ok(7), "{}", first.uid);
    assert_ne!(first.uid, second.uid);
    // Kept through an edit, and read back as stored.
    let edited = store
        .update_comment(first.id, "Høyt fravær (influensa)")
        .unwrap();
    assert_eq!(edited.uid, first.uid);
    let listed = store.comments("OR-FRAV", "2100", &k3).unwrap();
    assert_eq!(
        listed.iter().map(|c| c.uid.as_str()).collect::<Vec<_>>(),
        [first.uid.as_str(), second.uid.as_str()]
    );

    // Oldest first: the units batch wrote one entry per unit, numbered 1, 2, … in it.
    let mut log = all_audit(&store);
    log.reverse();
    let of = |source: &str| -> Vec<(String, String)> {
        log.iter()
            .filter(|e| e.source == source)
            .map(|e| match e.uid.rsplit_once('/') {
                Some((batch, n)) => (batch.to_string(), n.to_string()),
                None => panic!("{}", e.uid),
            })
            .collect()
    };
    let units = of("enheter.csv");
    assert_eq!(units.len(), self::units().len());
    let positions: Vec<String> = (1..=units.len()).map(|n| n.to_string()).collect();
    assert_eq!(
        units.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>(),
        positions
    );
    assert!(units.iter().all(|(b, _)| *b == units[0].0));
    assert_eq!(version(&units[0].0), Ok(7));
    let indicators = of("indikatorer.csv");
    assert_eq!(indicators[0].1, "1");
    assert_ne!(indicators[0].0, units[0].0, "one batch uid per transaction");
    // Each comment was its own transaction: position 1 of its own batch.
    let comments: Vec<&str> = log
        .iter()
        .filter(|e| e.entity == "kommentar")
        .map(|e| e.uid.as_str())
        .collect();
    assert_eq!(comments.len(), 3, "add, add, edit");
    assert!(comments.iter().all(|u| u.ends_with("/1")), "{comments:?}");
    let distinct: std::collections::HashSet<&&str> = comments.iter().collect();
    assert_eq!(distinct.len(), 3);
}

// --- audit filter ---------------------------------------------------------------------------

#[test]
fn the_audit_log_filters_by_unit_indicator_date_and_limit() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    let batch = vec![
        ratio("2100", "2026-01", 1.0, 10.0),
        ratio("2200", "2026-01", 1.0, 10.0),
        value("ELEV", "2100", "2026-K1", 300.0),
    ];
    store
        .apply(&ChangeSet::Measurements(batch), "m.csv", false)
        .unwrap();
    let f = |unit: Option<&str>, indicator: Option<&str>| AuditFilter {
        unit: unit.map(Into::into),
        indicator: indicator.map(Into::into),
        ..AuditFilter::default()
    };
    // 2100: the unit itself + two measurements.
    assert_eq!(store.audit(&f(Some("2100"), None)).unwrap().len(), 3);
    assert_eq!(
        store
            .audit(&f(Some("2100"), Some("OR-FRAV")))
            .unwrap()
            .len(),
        1
    );
    // OR-FRAV: the definition + two measurements.
    assert_eq!(store.audit(&f(None, Some("OR-FRAV"))).unwrap().len(), 3);
    let limited = store
        .audit(&AuditFilter {
            limit: Some(2),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(limited.len(), 2);
    assert!(limited[0].id > limited[1].id, "newest first");
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let total = all_audit(&store).len();
    let on_today = AuditFilter {
        from: Some(today.clone()),
        to: Some(today),
        ..AuditFilter::default()
    };
    assert_eq!(store.audit(&on_today).unwrap().len(), total);
    let long_ago = AuditFilter {
        to: Some("2000-01-01".into()),
        ..AuditFilter::default()
    };
    assert!(store.audit(&long_ago).unwrap().is_empty());
    let bad = AuditFilter {
        from: Some("14.03.2026".into()),
        ..AuditFilter::default()
    };
    assert!(store
        .audit(&bad)
        .expect_err("refused")
        .to_string()
        .contains("ÅÅÅÅ-MM-DD"));
}

// --- dataset --------------------------------------------------------------------------------

#[test]
fn dataset_for_a_quarter_holds_everything_but_only_the_window_of_measurements() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    let batch = vec![
        ratio("2100", "2023-12", 1.0, 10.0), // before the window
        ratio("2100", "2024-01", 2.0, 10.0), // the window's first month
        ratio("2200", "2025-07", 3.0, 10.0), // last year's quarter
        ratio("2100", "2026-09", 4.0, 10.0), // the quarter's last month
        ratio("2100", "2026-10", 5.0, 10.0), // later in 2026: coverage needs it
        ratio("2100", "2026-12", 6.0, 10.0), // the window's last month
        ratio("2100", "2027-01", 7.0, 10.0), // after
        value("ELEV", "2100", "2026-K3", 300.0),
        value("ELEV", "2100", "2026-K4", 310.0), // later in 2026
        value("ELEV", "2100", "2027-K1", 320.0), // after
    ];
    store
        .apply(&ChangeSet::Measurements(batch), "m.csv", false)
        .unwrap();
    store
        .set_target(&Target {
            indicator: "OR-FRAV".into(),
            unit: None,
            year: 2020,
            target: 7.0,
            red_limit: None,
            reference: None,
        })
        .unwrap();
    // 2026-K3: previous 2026-K2, last year 2025-K3 → from January 2024 through December 2026
    // (a unit that reports later in 2026 is expected in K3 too: engine.md §4).
    let data = store.dataset_for(&p("2026-K3")).unwrap();
    let mut got: Vec<String> = data
        .measurement_rows()
        .iter()
        .map(|m| format!("{} {} {}", m.indicator, m.unit, m.span))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "ELEV 2100 2026-K3",
            "ELEV 2100 2026-K4",
            "OR-FRAV 2100 2024-01",
            "OR-FRAV 2100 2026-09",
            "OR-FRAV 2100 2026-10",
            "OR-FRAV 2100 2026-12",
            "OR-FRAV 2200 2025-07"
        ]
    );
    assert_eq!(data.units.len(), 4);
    // The two registered ones and the nineteen built-ins of the migrations (SF*, OK-*, and
    // the ten 10-FAKTOR factors TF-1 … TF-10).
    assert_eq!(data.indicators.iter().filter(|i| !i.builtin).count(), 2);
    assert_eq!(data.indicators.len(), 21);
    assert_eq!(data.targets.len(), 1, "targets of every year");
    assert_eq!(data.perspective_names.len(), 4);
    assert_eq!(
        data.perspective_names[0],
        (Perspective::Lokalsamfunn, "Lokalsamfunn".to_string())
    );
    let sf = data
        .measurement_rows()
        .into_iter()
        .find(|m| m.span == p("2024-01"))
        .unwrap();
    assert_eq!(
        sf.figure,
        Figure::Ratio {
            numerator: 2.0,
            denominator: 10.0
        }
    );
}

#[test]
fn a_perspective_can_be_renamed_for_display_and_the_dataset_carries_the_name() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    assert!(store
        .set_perspective_name(Perspective::Brukere, "Brukere og innbyggere")
        .unwrap());
    assert!(!store
        .set_perspective_name(Perspective::Brukere, "Brukere og innbyggere")
        .unwrap());
    assert!(store
        .set_perspective_name(Perspective::Brukere, " ")
        .is_err());
    let names = store.dataset_for(&p("2026-K3")).unwrap().perspective_names;
    assert_eq!(
        names[1],
        (Perspective::Brukere, "Brukere og innbyggere".to_string())
    );
    assert_eq!(names[3], (Perspective::Okonomi, "Økonomi".to_string()));
    let newest = &all_audit(&store)[0];
    assert_eq!(
        (newest.entity.as_str(), newest.key.as_str()),
        ("perspektiv", "brukere")
    );
    assert_eq!(newest.old.as_deref(), Some("\"Innbyggere og brukere\""));
}

// --- revision -------------------------------------------------------------------------------

#[test]
fn the_revision_changes_after_every_committed_write_from_any_connection() {
    let (_dir, path) = tmp();
    let mut store = store_with_definitions(&path);
    let r0 = store.revision().unwrap();
    store
        .apply(
            &ChangeSet::Measurements(vec![ratio("2100", "2026-01", 1.0, 10.0)]),
            "m.csv",
            false,
        )
        .unwrap();
    let r1 = store.revision().unwrap();
    assert_ne!(r1, r0);
    store
        .apply(
            &ChangeSet::Measurements(vec![ratio("2100", "2026-02", 1.0, 10.0)]),
            "m.csv",
            true,
        )
        .unwrap();
    assert_eq!(store.revision().unwrap(), r1, "a dry run commits nothing");
    assert!(store
        .apply(
            &ChangeSet::Measurements(vec![ratio("9", "2026-02", 1.0, 10.0)]),
            "m.csv",
            false
        )
        .is_err());
    assert_eq!(
        store.revision().unwrap(),
        r1,
        "a refused change commits nothing"
    );

    let mut other = Store::open(&path).unwrap();
    other.lock_month(month("2026-05")).unwrap();
    let r2 = store.revision().unwrap();
    assert_ne!(r2, r1, "a write from another connection");
    store
        .add_comment("OR-FRAV", "2100", &p("2026-01"), "ok")
        .unwrap();
    assert_ne!(other.revision().unwrap(), r2);
}

// --- demo -----------------------------------------------------------------------------------

fn small_demo() -> DemoData {
    DemoData {
        units: units(),
        indicators: indicators(),
        targets: vec![Target {
            indicator: "OR-FRAV".into(),
            unit: None,
            year: 2026,
            target: 7.0,
            red_limit: Some(8.0),
            reference: None,
        }],
        measurements: vec![
            ratio("2100", "2026-01", 1.0, 10.0),
            ratio("2200", "2026-01", 2.0, 10.0),
        ],
        sick_leave: Vec::new(),
        economy: Vec::new(),
        survey_results: Vec::new(),
        references: Vec::new(),
        comments: vec![Comment {
            id: 0,
            uid: String::new(),
            indicator: "OR-FRAV".into(),
            unit: "2100".into(),
            period: "2026-01".into(),
            author: "Demo".into(),
            text: "Influensa".into(),
            created_at: "2026-02-03T10:00:00+01:00".into(),
            updated_at: None,
        }],
        actions: Vec::new(),
        action_comments: Vec::new(),
    }
}

#[test]
fn the_demo_loads_into_an_empty_database_with_one_audit_entry_per_kind() {
    let (_dir, path) = tmp();
    let mut store = Store::open(&path).unwrap();
    store.load_demo(&small_demo()).unwrap();
    assert_eq!(all_measurements(&store).len(), 2);
    assert_eq!(
        store.comments("OR-FRAV", "2100", &p("2026-01")).unwrap()[0].author,
        "Demo"
    );
    let log = all_audit(&store);
    let keys: Vec<&str> = log.iter().rev().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "enheter: 4 rader",
            "indikatorer: 2 rader",
            "mål: 1 rader",
            "målinger: 2 rader",
            "kommentarer: 1 rader",
            "sykefravær: 0 rader",
            "økonomi: 0 rader",
            "undersøkelsesresultater: 0 rader",
            "referanseverdier: 0 rader"
        ]
    );
    assert!(log.iter().all(|e| e.entity == "demo" && e.source == "demo"));

    let err = store.load_demo(&small_demo()).expect_err("refused");
    assert!(err.to_string().contains("ikke tom"), "{err}");
    assert_eq!(all_audit(&store).len(), 9);
}

/// `admin::load_demo` writes the demo in two parts (its indicators' figures drawn on a
/// second thread meanwhile) with the replica's triggers set aside: the rows are those of
/// the demo written whole, and the triggers are all there again afterwards.
#[test]
fn the_demo_written_in_two_parts_is_the_demo_written_whole_with_its_triggers_kept() {
    use malkart::demo::{self, DemoSize};
    let through = month("2026-10");
    let (_dir, whole) = tmp();
    Store::open(&whole)
        .unwrap()
        .load_demo(&demo::generate(DemoSize::Small, through))
        .unwrap();
    let (_dir2, parts) = tmp();
    let mut store = Store::open(&parts).unwrap();
    let data = malkart::service::admin::load_demo(&mut store, DemoSize::Small, through).unwrap();
    drop(store);
    let rows = |path: &Path, sql: &str| -> Vec<String> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            (0..n)
                .map(|i| {
                    r.get::<_, rusqlite::types::Value>(i)
                        .map(|v| format!("{v:?}"))
                })
                .collect::<rusqlite::Result<Vec<_>>>()
                .map(|v| v.join("|"))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    };
    for sql in [
        "SELECT * FROM units ORDER BY code",
        "SELECT * FROM indicators ORDER BY code",
        "SELECT * FROM measurements ORDER BY indicator, span_first, unit",
        "SELECT indicator, unit, year, target, red_limit, reference FROM targets
         ORDER BY indicator, unit, year",
        "SELECT indicator, unit, period, author, text FROM comments ORDER BY 1, 2, 3, 5",
        "SELECT * FROM sick_leave ORDER BY month, unit",
        "SELECT * FROM economy ORDER BY month, unit",
        "SELECT * FROM survey_results ORDER BY 1, 2, 3",
        "SELECT * FROM reference_values ORDER BY 1, 2, 3",
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
        "SELECT key FROM audit WHERE entity = 'demo' AND key NOT LIKE 'tiltak:%' ORDER BY id",
    ] {
        let (a, b) = (rows(&whole, sql), rows(&parts, sql));
        assert!(!a.is_empty(), "{sql}");
        assert_eq!(a, b, "{sql}");
    }
    assert!(
        rows(
            &parts,
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        )
        .len()
            > 20
    );
    assert!(rows(&parts, "SELECT * FROM row_changes").is_empty());
    // What load_demo returns is what it wrote.
    assert_eq!(
        data.measurements.len(),
        rows(&parts, "SELECT 1 FROM measurements").len()
    );
}

// --- backup and restore ---------------------------------------------------------------------

#[test]
fn backup_then_restore_brings_back_the_content_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("malkart.db");
    let copy = dir.path().join("kopi.db");
    let mut store = store_with_definitions(&path);
    store
        .apply(
            &ChangeSet::Measurements(vec![ratio("2100", "2026-01", 1.0, 10.0)]),
            "m.csv",
            false,
        )
        .unwrap();
    assert_eq!(store.backup_to(&copy, false).unwrap(), None);
    let saved = all_measurements(&store);
    // A change made after the backup.
    store
        .apply(
            &ChangeSet::Measurements(vec![ratio("2200", "2026-01", 9.0, 10.0)]),
            "m.csv",
            false,
        )
        .unwrap();
    let changed = all_measurements(&store);
    assert_eq!(changed.len(), 2);
    drop(store);

    let kept = restore(&path, &copy)
        .unwrap()
        .expect("the old file is kept");
    let kept_name = kept.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        kept_name.starts_with("malkart.db.før-gjenoppretting-"),
        "{kept_name}"
    );
    assert!(kept.is_file());

    let store = Store::open(&path).unwrap();
    assert_eq!(all_measurements(&store), saved);
    assert!(store.check().unwrap().ok);
    let old = Store::open(&kept).unwrap();
    assert_eq!(
        all_measurements(&old),
        changed,
        "the kept file holds the replaced content"
    );
}

#[test]
fn restoring_where_no_database_exists_returns_no_kept_file() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("kopi.db");
    store_with_definitions(&dir.path().join("a.db"))
        .backup_to(&copy, false)
        .unwrap();
    let fresh = dir.path().join("ny").join("malkart.db");
    assert_eq!(restore(&fresh, &copy).unwrap(), None);
    assert_eq!(Store::open(&fresh).unwrap().units().unwrap().len(), 4);
}

fn refused_restore_leaves_the_database_alone(bad: &Path) -> Error {
    let dir = bad.parent().unwrap();
    let path = dir.join("malkart.db");
    drop(store_with_definitions(&path));
    let before = std::fs::read(&path).unwrap();
    let ours = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("malkart.db"))
            .collect();
        names.sort();
        names
    };
    let files_before = ours();
    let err = restore(&path, bad).expect_err("refused");
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("ikke endret"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(ours(), files_before, "no file kept or left behind");
    err
}

#[test]
fn restoring_a_garbage_file_is_refused_and_the_database_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("søppel.db");
    std::fs::write(
        &bad,
        b"dette er ikke en database, bare tekst i en fil som later som",
    )
    .unwrap();
    let err = refused_restore_leaves_the_database_alone(&bad);
    assert!(err.to_string().contains("søppel.db"), "{err}");
}

#[test]
fn restoring_a_corrupt_copy_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("skadet.db");
    {
        let mut store = Store::open(&bad).unwrap();
        store
            .apply(&ChangeSet::Units(units()), "e.csv", false)
            .unwrap();
    }
    // Overwrite every page after the first (the page size is bytes 16–17 of the header).
    let mut bytes = std::fs::read(&bad).unwrap();
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    assert!(bytes.len() > page, "more than one page");
    for b in &mut bytes[page..] {
        *b = 0xAB;
    }
    std::fs::write(&bad, bytes).unwrap();
    refused_restore_leaves_the_database_alone(&bad);
}

#[test]
fn restoring_a_sqlite_file_that_is_not_ours_or_too_new_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("annen.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 1;")
        .unwrap();
    refused_restore_leaves_the_database_alone(&other);

    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("nyere.db");
    drop(Store::open(&newer).unwrap());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", SUPPORTED_VERSION + 1)
        .unwrap();
    let err = refused_restore_leaves_the_database_alone(&newer);
    assert!(err.to_string().contains("nyere versjon"), "{err}");
}

// --- speed ----------------------------------------------------------------------------------

/// CPU seconds of this thread (Linux), so that the figure means something on a busy machine.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// `cargo test --release --test storage -- --ignored --nocapture a_million`
///
/// Measured 2026-11-23 on the shared 2-core build VM (load ≈ 4): 2.5–2.7 s CPU (3.2–4.1 s
/// wall) with an audit entry per row; 1.3–1.6 s CPU as a demo without per-row audit.
#[test]
#[ignore]
fn a_million_new_measurements_with_audit() {
    let (_dir, path) = tmp();
    let mut store = Store::open(&path).unwrap();
    // 1 000 units × 1 000 months (2026-01 onwards … about 83 years) = 1 000 000 rows.
    let units: Vec<Unit> = (0..1000)
        .map(|i| unit(&format!("U{i:04}"), "Enhet", None))
        .collect();
    store
        .apply(&ChangeSet::Units(units), "e.csv", false)
        .unwrap();
    let ind = Indicator::new(
        "X",
        "X",
        Perspective::Okonomi,
        Direction::Hoy,
        Frequency::Maned,
        Aggregation::Sum,
    );
    store
        .apply(&ChangeSet::Indicators(vec![ind]), "i.csv", false)
        .unwrap();
    let start = month("2026-01");
    let batch: Vec<Measurement> = (0..1000)
        .flat_map(|m| {
            (0..1000).map(move |u| Measurement {
                indicator: "X".into(),
                unit: format!("U{u:04}"),
                span: Period::month(start.plus(m)),
                figure: Figure::Value {
                    value: (m * 7 + u) as f64 * 0.5,
                },
            })
        })
        .collect();
    let (t, cpu) = (std::time::Instant::now(), thread_cpu_seconds());
    let s = store
        .apply(&ChangeSet::Measurements(batch.clone()), "stor.csv", false)
        .unwrap();
    let elapsed = t.elapsed();
    let cpu = thread_cpu_seconds()
        .zip(cpu)
        .map(|(b, a)| b - a)
        .unwrap_or(f64::NAN);
    assert_eq!(s.created, 1_000_000);
    eprintln!("1 000 000 new measurements with audit: {elapsed:.2?} wall, {cpu:.2} s CPU");
    assert_eq!(
        store
            .audit(&AuditFilter {
                limit: Some(1),
                ..AuditFilter::default()
            })
            .unwrap()[0]
            .key,
        "X / U0999 / 2109-04"
    );
    let t = std::time::Instant::now();
    let s = store
        .apply(&ChangeSet::Measurements(batch.clone()), "stor.csv", false)
        .unwrap();
    eprintln!("the same again (all unchanged): {:.2?}", t.elapsed());
    assert_eq!(s.unchanged, 1_000_000);
    let t = std::time::Instant::now();
    let data = store.dataset_for(&p("2030-K3")).unwrap();
    eprintln!(
        "dataset_for 2030-K3 ({} measurements): {:.2?}",
        data.measurement_rows().len(),
        t.elapsed()
    );

    // The same rows as a demo: no audit entry per row.
    let (_dir2, path2) = tmp();
    let mut demo = Store::open(&path2).unwrap();
    let data = DemoData {
        units: (0..1000)
            .map(|i| unit(&format!("U{i:04}"), "Enhet", None))
            .collect(),
        indicators: store.indicators().unwrap(),
        measurements: batch,
        ..DemoData::default()
    };
    let (t, cpu) = (std::time::Instant::now(), thread_cpu_seconds());
    demo.load_demo(&data).unwrap();
    let cpu = thread_cpu_seconds()
        .zip(cpu)
        .map(|(b, a)| b - a)
        .unwrap_or(f64::NAN);
    eprintln!(
        "the same 1 000 000 as a demo (no per-row audit): {:.2?} wall, {cpu:.2} s CPU",
        t.elapsed()
    );
}
