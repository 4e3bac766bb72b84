//! The sick-leave summary for the `large` demo (~1 500 units, 120 months of sick leave for
//! every unit): every unit's row for one quarter, from the root, masked at 5 employees —
//! the goal is ≤ 100 ms without writing the file. The engine is built once; the
//! bench times `Engine::sick_leave_summary` only.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

use malkart::demo::{generate, DemoSize};
use malkart::engine::sickleave::CODES;
use malkart::engine::{Dataset, Engine};
use malkart::model::{Aggregation, Direction, Frequency, Indicator, Perspective};
use malkart::period::{Month, Period};

fn engine() -> Engine {
    let through = Month::new(2026, 9).unwrap_or_else(|| panic!("month"));
    let demo = generate(DemoSize::Large, through);
    // The built-ins come from the migration in a database; here they are made by hand.
    let mut indicators = demo.indicators.clone();
    for code in CODES {
        let direction = if code == "SF-N" {
            Direction::Hoy
        } else {
            Direction::Lav
        };
        let mut i = Indicator::new(
            code,
            code,
            Perspective::Organisasjon,
            direction,
            Frequency::Maned,
            Aggregation::Brok,
        );
        i.builtin = true;
        indicators.push(i);
    }
    Engine::new(Dataset {
        units: demo.units,
        indicators,
        targets: demo.targets,
        sick_leave: demo.sick_leave,
        ..Dataset::default()
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn bench(c: &mut Criterion) {
    let engine = engine();
    let quarter = Period::parse("2026-K3").unwrap_or_else(|e| panic!("{e}"));
    let rows = engine
        .sick_leave_summary("1000", &quarter, 5)
        .unwrap_or_else(|e| panic!("{e}"))
        .rows
        .len();
    eprintln!(
        "sykefravær: {} rader i motoren, {rows} rader i rapporten",
        engine.sick_leave_rows()
    );
    c.bench_function("sick_leave_summary(1000, 2026-K3, large)", |b| {
        b.iter(|| {
            engine
                .sick_leave_summary(black_box("1000"), black_box(&quarter), 5)
                .map(|s| s.rows.len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
