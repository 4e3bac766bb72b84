//! The housekeeping use cases of `malkart::service::admin` and the indicator detail over a
//! small hand-made database: one rule for targets (the model's: a red limit equal to the
//! target is allowed, the wrong side refused with the store's words), empty comments
//! refused, the demo only into an empty database, blank audit filters ignored, and the
//! detail's explanation from the engine's figures.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use malkart::demo::DemoSize;
use malkart::engine::sickleave::Privacy;
use malkart::period::{Month, Period};
use malkart::service::admin::{self, TargetInput};
use malkart::service::{detail, EngineCache};
use malkart::storage::{AuditFilter, Store};

fn month(y: i32, m: u32) -> Month {
    Month::new(y, m).expect("a month")
}

/// K with one unit A below it, and SF for January 2026:
/// A: 100 × (2 + 3) / 100 = 5,0 %, 30 employees (not masked at the default minimum 5).
fn store() -> Store {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open_in_memory().expect("in-memory database");
    for (kind, name, text) in [
        (
            malkart::import::ImportKind::Units,
            "enheter.csv",
            "kode;navn;overordnet\nK;Kommunen;\nA;Avdeling;K\n",
        ),
        (
            malkart::import::ImportKind::SickLeave,
            "sf.csv",
            "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte\nA;2026-01;100;2;3;30\n",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("written");
        malkart::import::import_file(&mut store, kind, &path, false).expect("imported");
    }
    store
}

fn target(target: &str, red: &str) -> TargetInput {
    TargetInput {
        indicator: "SF".into(),
        unit: Some("  ".into()),
        year: 2026,
        target: target.into(),
        red_limit: red.into(),
    }
}

#[test]
fn a_red_limit_equal_to_the_target_is_allowed_and_the_wrong_side_is_refused_by_the_store() {
    let mut store = store();
    // SF: lower is better. 6 = 6 is allowed (the model's rule); a blank unit is the default.
    let set = admin::set_target(&mut store, &target("6", "6")).expect("equal is allowed");
    assert_eq!(set.unit, None);
    assert_eq!((set.target, set.red_limit), (6.0, Some(6.0)));
    // 5 < 6: a red limit below the target of a lower-is-better indicator is refused, in the
    // store's words, and nothing changes.
    let err = admin::set_target(&mut store, &target("6", "5")).expect_err("wrong side");
    assert_eq!(err.kind(), "invalid");
    assert!(err.to_string().contains("rødgrensen"), "{err}");
    assert_eq!(store.targets("SF").expect("targets"), vec![set]);
    let err = admin::set_target(&mut store, &target("6,5,1", "")).expect_err("not a number");
    assert!(err.to_string().starts_with("målverdien: "), "{err}");
    // `≤ landet` (lower is better) follows the series; the stored number is unused.
    let relative = admin::set_target(&mut store, &target("≤ Landet", "")).expect("relative");
    assert_eq!(relative.reference.as_deref(), Some("Landet"));
    assert_eq!(store.targets("SF").expect("targets"), vec![relative]);
}

#[test]
fn the_detail_explains_the_status_from_the_engines_figures() {
    let mut store = store();
    admin::set_target(&mut store, &target("6", "8")).expect("target");
    let period = Period::month(month(2026, 1));
    let engine = EngineCache::new()
        .engine_for(&store, &period, month(2026, 2))
        .expect("engine");
    let privacy = admin::privacy(&store, false).expect("masked by the setting");
    let d = detail::indicator_detail(&engine, &store, "SF", "K", &period, privacy, month(2026, 1))
        .expect("detail");
    // K = A: 100 × 5 / 100 = 5,0 % ≤ 6 → green.
    assert_eq!(d.result.value, Some(5.0));
    let why: Vec<(&str, &str)> = d
        .explanation
        .iter()
        .map(|l| (l.label.as_str(), l.text.as_str()))
        .collect();
    // The figures in the words of sick leave first, then the formula.
    assert_eq!(
        why[0],
        (
            "Tallene",
            "5 av 100 avtalte dagsverk var sykefravær (egenmeldt og legemeldt) for Kommunen i \
             januar 2026."
        )
    );
    assert_eq!(
        why[1],
        (
            "Utregning",
            "100 × Σ teller / Σ nevner = 100 × 5,00 / 100,00 = 5,0000"
        )
    );
    assert!(why.contains(&("Status", "grønn.")), "{why:?}");
    assert_eq!(d.children.len(), 1);
    assert_eq!(d.children[0].unit.code, "A");
    assert!(!d.children[0].has_children);
    let none = detail::indicator_detail(
        &engine,
        &store,
        "XX",
        "K",
        &period,
        Privacy::unmasked(),
        month(2026, 1),
    )
    .expect_err("unknown indicator");
    assert_eq!(none.kind(), "unknown_indicator");
}

#[test]
fn an_empty_comment_is_refused_and_a_comment_is_trimmed() {
    let mut store = store();
    let period = Period::month(month(2026, 1));
    let err = admin::add_comment(&mut store, "SF", "A", &period, "  \n ").expect_err("empty");
    assert_eq!(err.kind(), "invalid");
    let c = admin::add_comment(&mut store, "SF", "A", &period, "  Tiltak i gang ").expect("added");
    assert_eq!(c.text, "Tiltak i gang");
    assert_eq!(
        admin::comments(&store, "SF", "A", &period)
            .expect("comments")
            .len(),
        1
    );
}

#[test]
fn the_demo_goes_only_into_an_empty_database() {
    let mut empty = Store::open_in_memory().expect("in-memory database");
    let data = admin::load_demo(&mut empty, DemoSize::Small, month(2026, 9)).expect("loaded");
    assert!(!data.units.is_empty());
    let mut full = store();
    let err = admin::load_demo(&mut full, DemoSize::Small, month(2026, 9)).expect_err("full");
    assert!(err.to_string().contains("ikke tom"), "{err}");
}

#[test]
fn blank_audit_filter_fields_are_no_filter() {
    let mut store = store();
    store.lock_month(month(2026, 1)).expect("locked");
    let all = admin::audit(&store, &AuditFilter::default()).expect("log");
    let blank = AuditFilter {
        unit: Some("  ".into()),
        indicator: Some(String::new()),
        from: Some(" ".into()),
        to: None,
        limit: None,
    };
    assert_eq!(admin::audit(&store, &blank).expect("log"), all);
    assert!(!all.is_empty());
}

/// The latest month with a figure, up to the last full month: a span still running (the
/// yearly 2026 figure, the whole year's budget) does not count; an account does.
#[test]
fn the_last_month_with_figures_counts_only_ended_spans_and_accounts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = store(); // sick leave for A in January 2026
    for (kind, name, text) in [
        (
            malkart::import::ImportKind::Indicators,
            "indikatorer.csv",
            "kode;navn;perspektiv;måleenhet;retning;frekvens;aggregering\n\
             KV;Kvartalstall;brukere;antall;høy;kvartal;sum\n\
             AR;Årstall;brukere;antall;høy;år;sum\n",
        ),
        (
            malkart::import::ImportKind::Measurements,
            "målinger.csv",
            "indikator;enhet;periode;verdi\nKV;A;2026-K1;4\nAR;A;2026;9\nAR;A;2025;8\n",
        ),
        (
            malkart::import::ImportKind::Economy,
            "økonomi.csv",
            "ansvar;periode;budsjett;regnskap\nA;2026;1 200;\nA;2026-04;;100\n",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("written");
        malkart::import::import_file(&mut store, kind, &path, false).expect("imported");
    }
    let last = |y, m| {
        store
            .last_month_with_figures(month(y, m))
            .expect("read")
            .map(|m| m.id())
    };
    // Through December 2025: only the yearly 2025 figure has ended (its last month).
    assert_eq!(last(2025, 12).as_deref(), Some("2025-12"));
    // Through February 2026: sick leave in January; the quarter (January–March) and the year
    // 2026 have not ended; the budget is no figure. 2025's December is older.
    assert_eq!(last(2026, 2).as_deref(), Some("2026-01"));
    // Through March: 1. kvartal has ended.
    assert_eq!(last(2026, 3).as_deref(), Some("2026-03"));
    // Through November: the account for April is the latest (the year 2026 still runs).
    assert_eq!(last(2026, 11).as_deref(), Some("2026-04"));
    // Nothing by December 2024.
    assert_eq!(last(2024, 12), None);
}

/// A leser's replica has no raw sick-leave rows, only the server's masked summary: its
/// months are figures too (else the app would open before them and say «ikke registrert»).
#[test]
fn a_lesers_sick_leave_summary_counts_as_figures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kopi.db");
    let store = Store::open(&path).expect("opened");
    // October 2026 is month index 2026 × 12 + 9 = 24321.
    rusqlite::Connection::open(&path)
        .expect("opened")
        .execute(
            "INSERT INTO sick_leave_summary (unit, month, masked, employees, contracted_days)
             VALUES ('A', 24321, 0, 6, 500.0)",
            [],
        )
        .expect("a summary row");
    let last = |y, m| {
        store
            .last_month_with_figures(month(y, m))
            .expect("read")
            .map(|m| m.id())
    };
    assert_eq!(last(2026, 11).as_deref(), Some("2026-10"));
    assert_eq!(last(2026, 10).as_deref(), Some("2026-10"));
    // Not before it: through September nothing was registered.
    assert_eq!(last(2026, 9), None);
}
