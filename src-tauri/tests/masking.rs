//! Sick-leave privacy in the app's backend (issue 19): the målkart, the sparklines and the
//! indicator detail (value, chart points, children) of a masked unit carry no `SF*` number;
//! «Vis umaskerte tall» opens them, is audited, and is off again after a restart.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use malkart::demo::{self, DemoSize};
use malkart::engine::sickleave::{is_sick_leave, MaskReason};
use malkart::period::{Month, Period};
use malkart::storage::{AuditFilter, Store};
use malkart_app::backend::Backend;

/// The demo through September 2026 in a file, so that the app can be "restarted" on it.
fn demo_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.db");
    let mut store = Store::open(&path).expect("database");
    let through = Month::new(2026, 9).expect("a month");
    store
        .load_demo(&demo::generate(DemoSize::Small, through))
        .expect("demo loads");
    (dir, path)
}

/// A unit masked as having few employees in the quarter, with its parent.
fn small_unit(path: &std::path::Path) -> (String, String, MaskReason) {
    let store = Store::open(path).expect("database");
    let quarter = Period::parse("2026-K3").expect("period");
    let engine =
        malkart::engine::Engine::new(store.dataset_for(&quarter).expect("data")).expect("engine");
    let masked = engine.sick_leave_masked_units(&quarter, 5);
    let (unit, reason) = masked
        .iter()
        .find(|(_, r)| *r == MaskReason::FewEmployees)
        .or_else(|| masked.first())
        .expect("the demo masks a unit in 2026-K3")
        .clone();
    let parent = engine
        .unit_tree()
        .into_iter()
        .find(|n| n.code == unit.code)
        .and_then(|n| n.parent)
        .expect("a masked unit below the root");
    (unit.code, parent, reason)
}

#[test]
fn a_masked_unit_shows_no_sick_leave_figure_until_unmasked_and_not_after_a_restart() {
    let (_dir, path) = demo_file();
    let (unit, parent, reason) = small_unit(&path);
    let backend = Backend::open(path.clone());
    assert!(!backend.info().expect("info").sick_leave_unmasked);

    let card = backend.scorecard(&unit, "2026-K3").expect("scorecard");
    let sf: Vec<_> = card
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .filter(|r| is_sick_leave(&r.code))
        .collect();
    assert_eq!(sf.len(), 6);
    for r in &sf {
        assert_eq!((r.value, r.masked), (None, Some(reason)), "{}", r.code);
    }
    let lines = backend.sparklines(&unit, "2026-K3").expect("sparklines");
    let sf_line = lines.iter().find(|l| l.code == "SF").expect("SF");
    let last = sf_line.points.last().expect("points");
    assert_eq!((last.period.as_str(), last.value), ("2026-K3", None));
    let detail = backend
        .indicator_detail("SF", &unit, "2026-K3")
        .expect("detail");
    assert_eq!(detail.result.value, None);
    let point = detail.history.last().expect("history");
    assert_eq!((point.value, point.masked), (None, Some(reason)));
    let above = backend
        .indicator_detail("SF", &parent, "2026-K3")
        .expect("parent's detail");
    let child = above
        .children
        .iter()
        .find(|c| c.unit.code == unit)
        .expect("the unit under its parent");
    assert_eq!(
        (child.result.value, child.result.masked),
        (None, Some(reason))
    );

    // «Vis umaskerte tall»: the figure is there, and the switch is audited.
    assert!(backend.set_sick_leave_unmasked(true).expect("on"));
    assert!(!backend.set_sick_leave_unmasked(true).expect("already on"));
    let open = backend
        .indicator_detail("SF", &unit, "2026-K3")
        .expect("detail");
    assert!(open.result.value.is_some());
    assert_eq!(open.result.masked, None);
    let store = Store::open(&path).expect("database");
    let switched: Vec<_> = store
        .audit(&AuditFilter::default())
        .expect("audit")
        .into_iter()
        .filter(|a| a.entity == "sykefravær umaskert")
        .map(|a| a.new)
        .collect();
    assert_eq!(switched, vec![Some("\"på\"".to_string())]);
    drop(backend);

    // A restart: masked again.
    let again = Backend::open(path);
    assert!(!again.info().expect("info").sick_leave_unmasked);
    let r = again
        .indicator_detail("SF", &unit, "2026-K3")
        .expect("detail");
    assert_eq!((r.result.value, r.result.masked), (None, Some(reason)));
}
