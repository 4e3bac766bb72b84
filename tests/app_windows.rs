//! The app's cached engine reads, per frequency of indicator, only the months its period and
//! that frequency's history need (`window::needed_for`, issue 17), and after a question
//! outside them the wider `window::wide`. Everything the app shows from it must be what an
//! engine over every month of the database shows, to the byte: the målkart, the sparklines,
//! the overview, the tree's marks, each indicator's detail, the sick-leave and economy
//! reports, the tiltak report and the survey view, for units at every depth and every kind
//! of period. On the small demo (sick leave, economy, surveys, tiltak and indicators of
//! every frequency) through 2026-10.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use malkart::demo::DemoSize;
use malkart::engine::plan::DatasetPlan;
use malkart::engine::sickleave::Privacy;
use malkart::engine::Engine;
use malkart::period::{Frequency, Month, Period};
use malkart::service::{actions, admin, detail, overview, reports, surveys, EngineCache};
use malkart::storage::Store;
use tempfile::TempDir;

fn now() -> Month {
    Month::new(2026, 10).unwrap()
}

/// The small demo (from 2024-01) with eight years of history before it: 2024's rows again
/// for 2016–2023, each year a little lower, so that a window that stops short shows in
/// the sparklines of the coarser frequencies, whose history reaches 2018.
fn demo() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("demo.db");
    let mut store = Store::open(&path).unwrap();
    admin::load_demo(&mut store, DemoSize::Small, now()).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (from, to) = (2024 * 12, 2025 * 12);
    for k in 1..=8 {
        let (back, f) = (12 * k, 1.0 - 0.03 * f64::from(k));
        conn.execute(
            "INSERT INTO measurements SELECT indicator, span_first - ?1, unit, span_last - ?1,
                 value * ?2, numerator * ?2, denominator
             FROM measurements WHERE span_first >= ?3 AND span_first < ?4",
            rusqlite::params![back, f, from, to],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO sick_leave SELECT unit, month - ?1, contracted_days,
                 self_certified * ?2, doctor_certified * ?2, employees,
                 days_1_3 * ?2, days_4_16 * ?2, days_17_56 * ?2, days_over_56 * ?2
             FROM sick_leave WHERE month >= ?3 AND month < ?4",
            rusqlite::params![back, f, from, to],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO economy SELECT unit, month - ?1, budget,
                 CAST(actual * ?2 AS INTEGER), forecast
             FROM economy WHERE month >= ?3 AND month < ?4",
            rusqlite::params![back, f, from, to],
        )
        .unwrap();
    }
    (dir, store)
}

/// Every month the database could hold.
fn all_months() -> (Month, Month) {
    (Month::new(1990, 1).unwrap(), Month::new(2100, 12).unwrap())
}

/// An engine over every month.
fn everything(store: &Store) -> Engine {
    let (_, data) = store
        .dataset_planned(|indicators| DatasetPlan::window(indicators, all_months()))
        .unwrap();
    Engine::new(data).unwrap()
}

fn to<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap()
}

/// Everything the app shows for `unit` in `period`, as JSON lines to compare.
fn shown(engine: &Engine, store: &Store, unit: &str, period: &Period) -> Vec<(String, String)> {
    let json = |what: &str, value: serde_json::Value| {
        (format!("{what} {unit} {period}"), value.to_string())
    };
    let mut out = Vec::new();
    for privacy in [Privacy::masked(5), Privacy::unmasked()] {
        let tag = if privacy == Privacy::unmasked() {
            "umaskert"
        } else {
            "maskert"
        };
        out.push(json(
            &format!("målkart {tag}"),
            to(detail::scorecard(engine, store, unit, period, privacy, now()).unwrap()),
        ));
        out.push(json(
            &format!("sparklinjer {tag}"),
            to(detail::sparklines(engine, unit, period, privacy).unwrap()),
        ));
        out.push(json(
            &format!("oversikt {tag}"),
            to(overview::overview(engine, unit, period, privacy, now()).unwrap()),
        ));
    }
    for ind in engine.indicators() {
        let d = detail::indicator_detail(
            engine,
            store,
            &ind.code,
            unit,
            period,
            Privacy::masked(5),
            now(),
        );
        out.push(json(&format!("detalj {}", ind.code), to(d.unwrap())));
    }
    out.push(json(
        "sykefravær",
        to(reports::sick_leave_summary(engine, unit, period, 5).unwrap()),
    ));
    out.push(json(
        "økonomi",
        to(reports::economy_report(engine, unit, period).unwrap()),
    ));
    out.push(json(
        "tiltak",
        to(actions::report(engine, store, unit, period, now()).unwrap()),
    ));
    out.push(json(
        "undersøkelse",
        to(surveys::survey_view(engine, unit, period, None).unwrap()),
    ));
    out
}

/// The root, a unit below it with children, and a unit without.
fn units(store: &Store) -> Vec<String> {
    let all = store.units().unwrap();
    let root = all.iter().find(|u| u.parent.is_none()).unwrap();
    let has_children = |code: &str| all.iter().any(|u| u.parent.as_deref() == Some(code));
    let sector = all
        .iter()
        .find(|u| u.parent.as_deref() == Some(root.code.as_str()) && has_children(&u.code))
        .unwrap();
    let leaf = all.iter().find(|u| !has_children(&u.code)).unwrap();
    vec![root.code.clone(), sector.code.clone(), leaf.code.clone()]
}

/// The twelve months before the demo's last, every quarter, tertial, half-year and year of
/// 2025–26, year to date, and a period of 2019 (far back: every frequency reaches further).
fn periods() -> Vec<Period> {
    let mut texts: Vec<String> = (0..12).map(|k| now().plus(-k).id()).collect();
    for year in [2025, 2026] {
        texts.extend((1..=4).map(|q| format!("{year}-K{q}")));
        texts.extend((1..=3).map(|t| format!("{year}-T{t}")));
        texts.extend((1..=2).map(|h| format!("{year}-H{h}")));
        texts.push(year.to_string());
    }
    texts.push("2026-01..2026-10".into());
    texts.push("2019-K2".into());
    texts.iter().map(|t| Period::parse(t).unwrap()).collect()
}

fn assert_same(expected: &[(String, String)], got: &[(String, String)]) {
    assert_eq!(expected.len(), got.len());
    for ((what, a), (_, b)) in expected.iter().zip(got) {
        assert!(a == b, "{what} differs:\n{a}\n   vs\n{b}");
    }
}

#[test]
fn a_fresh_cache_reads_each_frequency_for_its_own_history_and_shows_the_same_for_every_period() {
    let (_dir, store) = demo();
    let whole = everything(&store);
    let units = units(&store);
    let statuses = |engine: &Engine, period: &Period| {
        serde_json::to_string(
            &overview::unit_statuses(engine, period, Privacy::masked(5), now()).unwrap(),
        )
        .unwrap()
    };
    for period in periods() {
        // A fresh cache, as at the app's start: the narrow windows.
        let cache = EngineCache::new();
        let narrow = cache.engine_for(&store, &period, now()).unwrap();
        assert_eq!(
            statuses(&whole, &period),
            statuses(&narrow, &period),
            "{period}"
        );
        for unit in &units {
            assert_same(
                &shown(&whole, &store, unit, &period),
                &shown(&narrow, &store, unit, &period),
            );
        }
    }
}

#[test]
fn the_first_engine_reads_each_frequency_for_the_month_and_a_question_outside_it_builds_the_wide_one_once(
) {
    let (_dir, store) = demo();
    let whole = everything(&store);
    let root = &units(&store)[0];
    let october = Period::parse("2026-10").unwrap();
    let cache = EngineCache::new();
    let first = cache.engine_for(&store, &october, now()).unwrap();
    // Monthly indicators from January 2024 (thirteen months back to 2025-10, compared
    // with 2024-10); yearly ones need January 2019 (2025 back to 2020, compared with 2019)
    // and read a year more, from January 2018.
    let monthly = |engine: &malkart::service::CachedEngine| engine.windows().of(Frequency::Maned);
    assert_eq!(monthly(&first).from, Month::new(2024, 1).unwrap());
    assert_eq!(monthly(&first).to, Month::new(2026, 12).unwrap());
    assert_eq!(
        first.windows().of(Frequency::Ar).from,
        Month::new(2018, 1).unwrap()
    );
    // Steps back through the months of the year are inside (the coarser frequencies read
    // a year more): no build.
    for text in ["2026-09", "2026-05", "2026-01"] {
        cache
            .engine_for(&store, &Period::parse(text).unwrap(), now())
            .unwrap();
    }
    assert_eq!(cache.builds(), 1);
    // The quarter's monthly history reaches 2023-K3 (compared with 2022-K3: from 2022):
    // one build, over the wide windows, which then answer every kind of period ending in
    // a month of 2026 and the same months of 2025.
    let wide = cache
        .engine_for(&store, &Period::parse("2026-K3").unwrap(), now())
        .unwrap();
    assert_eq!(cache.builds(), 2);
    // Its widest monthly need is the half-year's: 13 half-years back to 2020-H2, compared
    // with 2019-H2 → 2019, and a year further back: 2018.
    assert_eq!(monthly(&wide).from, Month::new(2018, 1).unwrap());
    for text in [
        "2026-T2",
        "2026-H1",
        "2026",
        "2026-01..2026-09",
        "2025-09",
        "2025-K3",
    ] {
        let period = Period::parse(text).unwrap();
        let engine = cache.engine_for(&store, &period, now()).unwrap();
        assert_same(
            &shown(&whole, &store, root, &period),
            &shown(&engine, &store, root, &period),
        );
    }
    assert_eq!(cache.builds(), 2, "the wide engine answered them all");
}

#[test]
fn the_wide_engine_built_beside_is_kept_and_answers_every_kind_without_a_build() {
    let (dir, store) = demo();
    let path = dir.path().join("demo.db");
    let whole = everything(&store);
    let root = &units(&store)[0];
    let october = Period::parse("2026-10").unwrap();
    let cache = EngineCache::new();
    assert!(
        cache.widening(&october, now()).is_none(),
        "nothing asked yet"
    );
    cache.engine_for(&store, &october, now()).unwrap();
    let widening = cache.widening(&october, now()).unwrap();
    let built = widening.build(&path).unwrap().unwrap();
    assert!(cache.install(&widening, built));
    assert!(cache.widening(&october, now()).is_none(), "held already");
    for text in ["2026-K3", "2026-T2", "2026", "2025-10"] {
        let period = Period::parse(text).unwrap();
        let engine = cache.engine_for(&store, &period, now()).unwrap();
        assert_same(
            &shown(&whole, &store, root, &period),
            &shown(&engine, &store, root, &period),
        );
    }
    assert_eq!(
        cache.builds(),
        1,
        "only the first engine was built in the foreground"
    );
}

#[test]
fn a_wide_engine_is_not_kept_after_the_database_was_replaced_or_written() {
    let (dir, mut store) = demo();
    let path = dir.path().join("demo.db");
    let october = Period::parse("2026-10").unwrap();
    let cache = EngineCache::new();
    cache.engine_for(&store, &october, now()).unwrap();
    // Cleared (a restore, another file) while it was built: not kept.
    let widening = cache.widening(&october, now()).unwrap();
    let built = widening.build(&path).unwrap().unwrap();
    cache.clear();
    assert!(!cache.install(&widening, built));
    // Read before a write that the door's engine has seen since: not kept either, and the
    // door's engine stays.
    cache.engine_for(&store, &october, now()).unwrap();
    let widening = cache.widening(&october, now()).unwrap();
    let built = widening.build(&path).unwrap().unwrap();
    store.set_min_employees(3).unwrap();
    cache.engine_for(&store, &october, now()).unwrap();
    let builds = cache.builds();
    assert!(!cache.install(&widening, built));
    cache.engine_for(&store, &october, now()).unwrap();
    assert_eq!(
        cache.builds(),
        builds,
        "the door's engine is still the cached one"
    );
}
