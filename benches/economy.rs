//! The economy report on the `large` demo municipality (~1 500 units, ten years of monthly
//! budget, accounts and forecasts): the report for the root — every unit of the municipality,
//! each row its subtree's year-to-date totals — for a tertial, without writing a file.
//! Goal ≤ 100 ms. Also benches indexing the economy rows (`Engine::new` on the dataset).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

use malkart::demo::{generate, DemoSize};
use malkart::engine::{Dataset, Engine};
use malkart::model::{Aggregation, Direction, Frequency, Indicator, Perspective};
use malkart::period::{Month, Period};

fn builtin(code: &str) -> Indicator {
    let mut ind = Indicator::new(
        code,
        code,
        Perspective::Okonomi,
        Direction::Hoy,
        Frequency::Maned,
        Aggregation::Brok,
    );
    ind.builtin = true;
    ind
}

fn dataset() -> Dataset {
    let through = Month::new(2026, 9).unwrap_or(Month::from_index(0));
    let demo = generate(DemoSize::Large, through);
    // Only what the report reads: the units, the economy rows and OK-AVVIK's targets.
    Dataset {
        units: demo.units,
        indicators: vec![
            builtin("OK-AVVIK"),
            builtin("OK-FORBRUK"),
            builtin("OK-PROGNOSE"),
        ],
        targets: demo
            .targets
            .into_iter()
            .filter(|t| t.indicator.starts_with("OK-"))
            .collect(),
        economy: demo.economy,
        ..Dataset::default()
    }
}

fn bench(c: &mut Criterion) {
    let data = dataset();
    eprintln!(
        "large: {} units, {} economy rows",
        data.units.len(),
        data.economy.len()
    );
    let period = Period::parse("2026-T2").unwrap_or_else(|e| panic!("{e}"));
    let engine = Engine::new(data.clone()).unwrap_or_else(|e| panic!("{e}"));
    let rows = engine
        .economy_report("1000", &period)
        .map(|r| r.rows.len())
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!("report rows: {rows}");
    c.bench_function("economy_report(root of large, 2026-T2)", |b| {
        b.iter(|| black_box(engine.economy_report(black_box("1000"), black_box(&period))))
    });
    c.bench_function(
        "OK-AVVIK, OK-FORBRUK, OK-PROGNOSE for the root, 2026-T2",
        |b| {
            b.iter(|| {
                for code in ["OK-AVVIK", "OK-FORBRUK", "OK-PROGNOSE"] {
                    let _ = black_box(engine.evaluate(code, "1000", &period));
                }
            })
        },
    );
    c.bench_function("Engine::new(large, economy only)", |b| {
        b.iter_batched(
            || data.clone(),
            |d| black_box(Engine::new(d)),
            criterion::BatchSize::LargeInput,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
