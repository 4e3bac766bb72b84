//! `malkart status` at a root reads only what the målkart needs (`DatasetPlan::status`,
//! issue 17): its målkart must be the one the whole window gives, to the byte, for every
//! kind of period, masked and unmasked, judged against two clocks. On the demo (with its
//! sick leave, economy, surveys, tiltak and indicators of every frequency) through 2026-10.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use malkart::demo::DemoSize;
use malkart::engine::sickleave::Privacy;
use malkart::engine::Engine;
use malkart::period::{Month, Period};
use malkart::service::{admin, detail, engines};
use malkart::storage::Store;
use tempfile::TempDir;

fn demo(size: DemoSize) -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("demo.db")).unwrap();
    admin::load_demo(&mut store, size, Month::new(2026, 10).unwrap()).unwrap();
    (dir, store)
}

fn card(
    engine: &Engine,
    store: &Store,
    unit: &str,
    period: &Period,
    privacy: Privacy,
    now: Month,
) -> String {
    let card = detail::scorecard(engine, store, unit, period, privacy, now)
        .unwrap_or_else(|e| panic!("{unit} {period}: {e}"));
    serde_json::to_string_pretty(&card).unwrap()
}

/// Every period kind around the demo's last month: the twelve months before it, every
/// quarter, tertial, half-year and year of 2025–26, and two ranges.
fn periods() -> Vec<Period> {
    let mut texts: Vec<String> = (0..12)
        .map(|k| Month::new(2026, 10).unwrap().plus(-k).id())
        .collect();
    for year in [2025, 2026] {
        texts.extend((1..=4).map(|q| format!("{year}-K{q}")));
        texts.extend((1..=3).map(|t| format!("{year}-T{t}")));
        texts.extend((1..=2).map(|h| format!("{year}-H{h}")));
        texts.push(year.to_string());
    }
    texts.push("2026-01..2026-09".into());
    texts.push("2025-10..2026-09".into());
    texts.iter().map(|t| Period::parse(t).unwrap()).collect()
}

fn same_scorecards(size: DemoSize, periods: &[Period]) {
    let (_dir, store) = demo(size);
    let root = store
        .units()
        .unwrap()
        .into_iter()
        .find(|u| u.parent.is_none())
        .unwrap()
        .code;
    assert!(store.unit_is_root(&root).unwrap());
    let mut compared = 0;
    for period in periods {
        let whole = Engine::new(store.dataset_for(period).unwrap()).unwrap();
        let narrow = engines::status_engine(&store, &root, period).unwrap();
        let narrow_rows = store
            .dataset_for_root_status(period)
            .unwrap()
            .measurement_rows()
            .len();
        let whole_rows = store.dataset_for(period).unwrap().measurement_rows().len();
        assert!(
            narrow_rows <= whole_rows,
            "{period}: {narrow_rows} > {whole_rows}"
        );
        for privacy in [Privacy::masked(5), Privacy::unmasked()] {
            for now in [Month::new(2026, 10).unwrap(), Month::new(2026, 8).unwrap()] {
                let expected = card(&whole, &store, &root, period, privacy, now);
                let got = card(&narrow, &store, &root, period, privacy, now);
                assert!(
                    expected == got,
                    "{period} ({privacy:?}, {}) differs:\n{}",
                    now.id(),
                    first_difference(&expected, &got)
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, periods.len() * 4);
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(n, (x, y))| format!("line {}: {x}\n   vs: {y}", n + 1))
        .unwrap_or_else(|| "different lengths".into())
}

#[test]
fn the_root_scorecard_is_the_same_from_the_narrow_dataset_for_every_period_kind() {
    same_scorecards(DemoSize::Small, &periods());
}

#[test]
fn the_narrow_dataset_reads_less_for_a_quarter() {
    let (_dir, store) = demo(DemoSize::Small);
    let k3 = Period::parse("2026-K3").unwrap();
    let whole = store.dataset_for(&k3).unwrap();
    let narrow = store.dataset_for_root_status(&k3).unwrap();
    // A monthly indicator reads 15 of the window's 36 months (2025-07..09 and 2026): less
    // than half of the measurements, and of the sick leave (19 months) too.
    assert!(narrow.measurement_rows().len() * 2 < whole.measurement_rows().len());
    assert!(narrow.sick_leave.len() < whole.sick_leave.len());
    assert!(narrow.economy.len() < whole.economy.len());
}

#[test]
fn a_unit_below_the_root_and_an_unknown_unit_are_not_roots() {
    let (_dir, store) = demo(DemoSize::Small);
    let units = store.units().unwrap();
    let child = units.iter().find(|u| u.parent.is_some()).unwrap();
    assert!(!store.unit_is_root(&child.code).unwrap());
    assert!(!store.unit_is_root("finnes-ikke").unwrap());
}
