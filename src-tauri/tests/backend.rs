//! The app's backend over a real (in-memory) database with the small demo municipality:
//! what the commands return, and that the cached engine follows every change.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use malkart::demo::{self, DemoSize};
use malkart::engine::Status;
use malkart::import::ImportKind;
use malkart::period::Month;
use malkart::service::admin::TargetInput;
use malkart::service::imports::ImportOutcome;
use malkart::storage::Store;
use malkart_app::backend::Backend;

/// The demo through September 2026, so that the expected periods do not move with the clock.
fn demo_backend() -> Backend {
    let through = Month::new(2026, 9).expect("a month");
    Backend::demo_in_memory(DemoSize::Small, through).expect("demo loads")
}

fn root(backend: &Backend) -> String {
    let units = backend.units().expect("units");
    units
        .iter()
        .find(|u| u.depth == 0)
        .expect("a root")
        .code
        .clone()
}

#[test]
fn units_come_in_tree_order_with_parents_first() {
    let backend = demo_backend();
    let units = backend.units().expect("units");
    assert!(
        units.len() >= 20,
        "the small demo has ~30 units, got {}",
        units.len()
    );
    for (i, u) in units.iter().enumerate() {
        if let Some(parent) = &u.parent {
            let p = units
                .iter()
                .position(|x| &x.code == parent)
                .expect("parent listed");
            assert!(p < i, "{} comes before its parent {}", u.code, parent);
            assert_eq!(u.depth, units[p].depth + 1);
        }
    }
}

#[test]
fn the_tree_needs_no_engine() {
    let backend = demo_backend();
    let units = backend.units().expect("units");
    assert!(!units.is_empty());
    assert_eq!(
        backend.engine_builds(),
        0,
        "the tree is read without an engine"
    );
}

/// `run` builds the engine for the month the window opens on while the window starts: the
/// first målkart, its overview and sparklines then need no build.
#[test]
fn the_opening_months_engine_is_built_before_the_window_asks() {
    let backend = demo_backend();
    backend.build_opening_engine().expect("built");
    assert_eq!(backend.engine_builds(), 1);
    let info = backend.info().expect("info");
    // The window's rule (ui/src/lib/period.ts `openingMonth`): the last month with figures.
    let opening = info.last_month_with_data.expect("the demo has figures");
    let root = root(&backend);
    backend.scorecard(&root, &opening).expect("scorecard");
    backend.overview(&root, &opening).expect("overview");
    backend.sparklines(&root, &opening).expect("sparklines");
    backend.unit_statuses(&opening).expect("statuses");
    assert_eq!(
        backend.engine_builds(),
        1,
        "the window's questions found it built"
    );

    // An empty database: nothing to build.
    let empty = Backend::over_store("tom".into(), Store::open_in_memory().expect("db"));
    empty.build_opening_engine().expect("nothing to do");
    assert_eq!(empty.engine_builds(), 0);
}

#[test]
fn switching_unit_and_period_inside_the_window_reuses_the_engine() {
    // A file: the wide engine is read on a connection of its own.
    let dir = tempfile::tempdir().expect("temp dir");
    let (backend, _db) = demo_file(dir.path());
    let root = root(&backend);
    backend.scorecard(&root, "2026-K3").expect("scorecard");
    assert_eq!(backend.engine_builds(), 1);
    let units = backend.units().expect("units");
    // Quarters, months and year to date: inside the first engine's windows.
    for u in units.iter().take(5) {
        for p in ["2026-K3", "2026-K2", "2026-09", "2026-01..2026-09"] {
            backend.scorecard(&u.code, p).expect("scorecard");
        }
    }
    backend.sparklines(&root, "2026-K3").expect("sparklines");
    assert_eq!(backend.engine_builds(), 1, "no rebuild inside the windows");
    // A tertial's monthly history reaches a year further back than the first engine
    // holds; the wide engine built in the background since the first målkart holds it,
    // and every other kind of period and a year back.
    backend.wait_widened();
    for u in units.iter().take(5) {
        for p in [
            "2026-T2", "2026-H1", "2026", "2026-K3", "2025-09", "2026-05",
        ] {
            backend.scorecard(&u.code, p).expect("scorecard");
        }
    }
    backend.sparklines(&root, "2026-T2").expect("sparklines");
    assert_eq!(
        backend.engine_builds(),
        1,
        "the wide engine came from the background"
    );
}

#[test]
fn a_changed_target_shows_in_the_next_scorecard() {
    let backend = demo_backend();
    let root = root(&backend);
    let before = backend.scorecard(&root, "2026-K3").expect("scorecard");
    let ind = before
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|i| i.display_value.is_some() && i.aggregation != malkart::model::Aggregation::Sum)
        .expect("an indicator with a value")
        .clone();
    let value = ind.display_value.expect("value");
    // The target of the year the indicator was evaluated for (a yearly one shows 2025 in K3).
    let year = malkart::period::Period::parse(&ind.period)
        .expect("period")
        .last()
        .year();
    // The unit's own target, equal to the displayed value, is met whichever the direction:
    // green. Typed the Norwegian way, as in the detail's form.
    let typed = malkart::format::number(value, ind.decimals);
    let input = TargetInput {
        indicator: ind.code.clone(),
        unit: Some(root.clone()),
        year,
        target: typed,
        red_limit: String::new(),
    };
    backend.set_target(&input).expect("target saved");
    let after = backend.scorecard(&root, "2026-K3").expect("scorecard");
    let now = after
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|i| i.code == ind.code)
        .expect("same");
    assert_eq!(now.target, Some(value));
    assert_eq!(now.target_source, Some(malkart::engine::TargetSource::Unit));
    assert_eq!(now.status, Status::Green);
}

#[test]
fn indicator_detail_lists_the_units_directly_below() {
    let backend = demo_backend();
    let root = root(&backend);
    let units = backend.units().expect("units");
    let card = backend.scorecard(&root, "2026-K3").expect("scorecard");
    let code = card.perspectives[0].indicators[0].code.clone();
    let detail = backend
        .indicator_detail(&code, &root, "2026-K3")
        .expect("detail");
    let mut got: Vec<String> = detail
        .children
        .iter()
        .map(|c| c.unit.code.clone())
        .collect();
    let mut want: Vec<String> = units
        .iter()
        .filter(|u| u.parent.as_deref() == Some(root.as_str()))
        .map(|u| u.code.clone())
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert!(
        detail.children.iter().any(|c| c.has_children),
        "sectors have units below them"
    );
    assert_eq!(detail.result.code, code);
    assert!(!detail.history.is_empty());
    assert_eq!(
        detail.history.last().map(|h| h.period.as_str()),
        Some(detail.result.period.as_str())
    );
}

#[test]
fn comments_can_be_added_edited_and_deleted() {
    let backend = demo_backend();
    let root = root(&backend);
    let card = backend.scorecard(&root, "2026-K3").expect("scorecard");
    let code = card.perspectives[1].indicators[0].code.clone();
    let before = backend
        .comments(&code, &root, "2026-K3")
        .expect("comments")
        .len();
    let added = backend
        .add_comment(&code, &root, "2026-K3", "  Tiltak er satt i gang.  ")
        .expect("added");
    assert_eq!(added.text, "Tiltak er satt i gang.");
    let edited = backend
        .update_comment(added.id, "Tiltak er evaluert.")
        .expect("edited");
    assert_eq!(edited.text, "Tiltak er evaluert.");
    let list = backend.comments(&code, &root, "2026-K3").expect("comments");
    assert_eq!(list.len(), before + 1);
    assert!(list
        .iter()
        .any(|c| c.id == added.id && c.text == "Tiltak er evaluert."));
    backend.delete_comment(added.id).expect("deleted");
    assert_eq!(
        backend
            .comments(&code, &root, "2026-K3")
            .expect("comments")
            .len(),
        before
    );
}

#[test]
fn the_demo_is_refused_on_a_database_with_data() {
    let backend = demo_backend();
    let err = backend.load_demo().expect_err("not empty");
    // What is stored contradicts the request: a conflict, not a wrong field.
    assert_eq!(err.kind, "conflict");
    assert!(err.message.contains("demokommunen"));
}

#[test]
fn an_unknown_unit_is_an_error_with_its_code() {
    let backend = demo_backend();
    let err = backend
        .scorecard("finnes-ikke", "2026-K3")
        .expect_err("unknown");
    assert_eq!(err.kind, "unknown_unit");
    assert!(err.message.contains("finnes-ikke"));
}

#[test]
fn a_red_limit_on_the_wrong_side_of_the_target_is_refused() {
    let backend = demo_backend();
    let root = root(&backend);
    let card = backend.scorecard(&root, "2026-K3").expect("scorecard");
    let ind = card
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .next()
        .expect("an indicator")
        .clone();
    // høy: the red limit must be below the target; lav: above it. Put it on the wrong side.
    let (target, red) = match ind.direction {
        malkart::model::Direction::Hoy => ("50", "60"),
        malkart::model::Direction::Lav => ("60", "50"),
    };
    let input = TargetInput {
        indicator: ind.code.clone(),
        unit: Some(root.clone()),
        year: 2026,
        target: target.into(),
        red_limit: red.into(),
    };
    let err = backend.set_target(&input).expect_err("wrong side");
    assert_eq!(err.kind, "invalid");
    assert!(err.message.contains("rødgrensen"), "{}", err.message);
}

#[test]
fn a_target_that_is_not_a_number_names_the_text() {
    let backend = demo_backend();
    let root = root(&backend);
    let card = backend.scorecard(&root, "2026-K3").expect("scorecard");
    let code = card.perspectives[0].indicators[0].code.clone();
    let input = TargetInput {
        indicator: code,
        unit: None,
        year: 2026,
        target: "7,3,1".into(),
        red_limit: String::new(),
    };
    let err = backend.set_target(&input).expect_err("not a number");
    assert!(
        err.message.contains("«7,3,1» er ikke et tall"),
        "{}",
        err.message
    );
}

/// The small demo in a database file (backup and restore work on files).
fn demo_file(dir: &std::path::Path) -> (Backend, std::path::PathBuf) {
    let path = dir.join("malkart.db");
    let mut store = Store::open(&path).expect("database file");
    store
        .load_demo(&demo::generate(
            DemoSize::Small,
            Month::new(2026, 9).expect("a month"),
        ))
        .expect("demo");
    drop(store);
    (Backend::open(path.clone()), path)
}

#[test]
fn a_backup_replaces_an_existing_file_only_when_asked_and_keeps_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (backend, _db) = demo_file(dir.path());
    let copy = dir.path().join("kopi.db");
    std::fs::write(&copy, b"et annet dokument").expect("write");
    let copy_text = copy.to_str().expect("utf-8 path");
    let err = backend.backup(copy_text, false).expect_err("refused");
    assert_eq!(err.kind, "exists", "{}", err.message);
    assert!(err.message.contains("finnes allerede"), "{}", err.message);
    assert_eq!(std::fs::read(&copy).expect("read"), b"et annet dokument");
    let kept = backend
        .backup(copy_text, true)
        .expect("backup")
        .expect("the replaced file is kept");
    assert_eq!(std::fs::read(&kept).expect("read"), b"et annet dokument");
    assert!(
        Store::open_existing(&copy)
            .expect("a database")
            .check()
            .expect("check")
            .ok
    );
}

#[test]
fn restore_brings_back_the_copy_and_keeps_the_replaced_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (backend, _db) = demo_file(dir.path());
    let root = root(&backend);
    let card = backend.scorecard(&root, "2026-K3").expect("scorecard");
    let code = card.perspectives[0].indicators[0].code.clone();
    let copy = dir.path().join("kopi.db");
    backend
        .backup(copy.to_str().expect("utf-8 path"), false)
        .expect("backup");

    // A comment made after the backup is gone after the restore.
    backend
        .add_comment(&code, &root, "2026-K3", "Etter kopien")
        .expect("comment");
    let kept = backend
        .restore(copy.to_str().expect("utf-8 path"))
        .expect("restore");
    let kept = kept.expect("the replaced database is kept");
    assert!(std::path::Path::new(&kept).exists(), "{kept}");
    let comments = backend
        .comments(&code, &root, "2026-K3")
        .expect("comments after restore");
    assert!(comments.iter().all(|c| c.text != "Etter kopien"));
    // The app works on the restored database without a restart.
    assert_eq!(
        backend.scorecard(&root, "2026-K3").expect("scorecard"),
        card
    );
}

#[test]
fn a_refused_restore_leaves_the_database_open_and_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (backend, _db) = demo_file(dir.path());
    let root = root(&backend);
    let not_a_db = dir.path().join("tull.db");
    std::fs::write(&not_a_db, b"dette er ikke en database").expect("write");
    let err = backend
        .restore(not_a_db.to_str().expect("utf-8 path"))
        .expect_err("refused");
    assert!(!err.message.is_empty());
    assert!(
        backend.scorecard(&root, "2026-K3").is_ok(),
        "still open after a refused copy"
    );
}

#[test]
fn an_import_with_a_bad_line_lists_it_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (backend, _db) = demo_file(dir.path());
    let root = root(&backend);
    let before = backend.scorecard(&root, "2026-K3").expect("scorecard");
    let codes: Vec<String> = before
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .map(|i| i.code.clone())
        .collect();
    let file = dir.path().join("mål.csv");
    std::fs::write(
        &file,
        format!(
            "indikator;enhet;år;målverdi;rød_grense\n{};;2026;12,5;\n{};;2026;7,3,1;\n",
            codes[0], codes[1]
        ),
    )
    .expect("write");
    let path = file.to_str().expect("utf-8 path");
    for dry_run in [true, false] {
        let outcome = backend
            .import(ImportKind::Targets, path, dry_run)
            .expect("an outcome");
        let ImportOutcome::Refused { failure } = outcome else {
            panic!("accepted: {outcome:?}");
        };
        assert_eq!(failure.total, 1);
        assert_eq!(failure.errors[0].line, 3);
        assert!(
            failure.errors[0].message.contains("7,3,1"),
            "{}",
            failure.errors[0].message
        );
    }
    assert_eq!(
        backend.scorecard(&root, "2026-K3").expect("scorecard"),
        before
    );
}

#[test]
fn an_import_dry_run_counts_and_stores_nothing_then_the_import_stores() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (backend, _db) = demo_file(dir.path());
    let root = root(&backend);
    let card = backend.scorecard(&root, "2026-K3").expect("scorecard");
    // Not a `sum` indicator: its target would be scaled by the spans in the quarter.
    let ind = card
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|i| i.period == "2026-K3" && i.aggregation != malkart::model::Aggregation::Sum)
        .expect("a monthly or quarterly indicator")
        .clone();
    let file = dir.path().join("mål.csv");
    std::fs::write(
        &file,
        format!(
            "indikator;enhet;år;målverdi;rød_grense\n{};{};2026;12345;\n",
            ind.code, root
        ),
    )
    .expect("write");
    let path = file.to_str().expect("utf-8 path");

    let dry = backend
        .import(ImportKind::Targets, path, true)
        .expect("outcome");
    let ImportOutcome::Imported { report: dry } = dry else {
        panic!("refused: {dry:?}");
    };
    assert!(dry.dry_run);
    assert_eq!((dry.rows_read, dry.created), (1, 1));
    assert_eq!(
        backend.scorecard(&root, "2026-K3").expect("scorecard"),
        card,
        "a dry run stores nothing"
    );

    let done = backend
        .import(ImportKind::Targets, path, false)
        .expect("outcome");
    let ImportOutcome::Imported { report: done } = done else {
        panic!("refused: {done:?}");
    };
    assert_eq!(done.created, 1);
    let after = backend.scorecard(&root, "2026-K3").expect("scorecard");
    let now = after
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|i| i.code == ind.code)
        .expect("same");
    assert_eq!(now.target, Some(12345.0));
    assert_eq!(now.target_source, Some(malkart::engine::TargetSource::Unit));
}

#[test]
fn the_overview_agrees_with_each_units_malkart() {
    let backend = demo_backend();
    let root = root(&backend);
    let overview = backend.overview(&root, "2026-K3").expect("overview");
    let units = backend.units().expect("units");
    let children: Vec<&str> = units
        .iter()
        .filter(|u| u.parent.as_deref() == Some(root.as_str()))
        .map(|u| u.code.as_str())
        .collect();
    let rows: Vec<&str> = overview.rows.iter().map(|r| r.unit.code.as_str()).collect();
    assert_eq!(rows, children);
    // 3. kvartal 2026 has ended (the demo runs through September): every cell is final and
    // its status is the perspective summary of that unit's own målkart.
    assert!(overview.complete);
    for row in &overview.rows {
        let card = backend.scorecard(&row.unit.code, "2026-K3").expect("card");
        for (cell, p) in row.cells.iter().zip(&card.perspectives) {
            assert_eq!(cell.status, p.status, "{} {:?}", row.unit.code, p.key);
            assert!(!cell.provisional);
            assert_eq!(cell.indicators as usize, p.indicators.len());
        }
    }
    let marks = backend.unit_statuses("2026-K3").expect("statuses");
    assert_eq!(marks.len(), units.len());
    let card = backend.scorecard(&root, "2026-K3").expect("card");
    let worst = [Status::Red, Status::Yellow, Status::Green]
        .into_iter()
        .find(|s| card.perspectives.iter().any(|p| p.status == *s))
        .unwrap_or(Status::NoData);
    assert_eq!(marks[0].code, root);
    assert_eq!(marks[0].status, worst);
}

#[test]
fn the_malkart_is_written_as_a_pdf_where_the_person_chose() {
    let backend = demo_backend();
    let root = root(&backend);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let typed = dir.path().join("målkart");
    let written = backend
        .export_scorecard(
            &root,
            "2026-K3",
            true,
            malkart::export::Format::Pdf,
            typed.to_str().expect("a path"),
        )
        .expect("written");
    // The extension is added when the typed name has none.
    assert!(written.ends_with("målkart.pdf"), "{written}");
    let bytes = std::fs::read(&written).expect("the file");
    assert!(bytes.starts_with(b"%PDF-"));
}
