//! The engine on a city-sized synthetic dataset (the `large` demo size): ~1 500 units in
//! four levels, 60 indicators of mixed frequencies and aggregations, 24 months of figures
//! for most units. Benches building the indexes (`Engine::new`) and a warm
//! `scorecard(root, 2026-K3)`, whose target is ≤ 20 ms.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

use malkart::engine::{Dataset, Engine};
use malkart::model::{
    Action, ActionKind, ActionStatus, Aggregation, Direction, Figure, Frequency, Indicator,
    Measurement, Perspective, Target, Unit,
};
use malkart::period::{Month, Period};

/// A fixed-seed xorshift, so every run benches the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn unit(code: String, parent: Option<&str>, level: &str) -> Unit {
    Unit {
        name: format!("Enhet {code}"),
        code,
        parent: parent.map(Into::into),
        level: Some(level.into()),
    }
}

/// 1 kommune, 8 sectors, 16 virksomheter each, 11 avdelinger each: 1 + 8 + 128 + 1 408 = 1 545.
fn units() -> Vec<Unit> {
    let mut units = vec![unit("1000".into(), None, "kommune")];
    for s in 0..8 {
        let sector = format!("S{s}");
        units.push(unit(sector.clone(), Some("1000"), "sektor"));
        for v in 0..16 {
            let virksomhet = format!("{sector}V{v:02}");
            units.push(unit(virksomhet.clone(), Some(&sector), "virksomhet"));
            for a in 0..11 {
                units.push(unit(
                    format!("{virksomhet}A{a:02}"),
                    Some(&virksomhet),
                    "avdeling",
                ));
            }
        }
    }
    units
}

/// 40 monthly, 10 quarterly, 5 tertial and 5 yearly indicators, aggregations in turn.
fn indicators() -> Vec<Indicator> {
    let aggregations = [
        Aggregation::Brok,
        Aggregation::Sum,
        Aggregation::Snitt,
        Aggregation::Siste,
    ];
    (0..60)
        .map(|i| {
            let frequency = match i {
                0..40 => Frequency::Maned,
                40..50 => Frequency::Kvartal,
                50..55 => Frequency::Tertial,
                _ => Frequency::Ar,
            };
            let direction = if i % 3 == 0 {
                Direction::Lav
            } else {
                Direction::Hoy
            };
            let mut ind = Indicator::new(
                &format!("IND{i:02}"),
                &format!("Indikator {i}"),
                Perspective::ALL[i % 4],
                direction,
                frequency,
                aggregations[i % 4],
            );
            ind.goal = Some(format!("Mål {}", i % 7));
            ind.unit_label = "%".into();
            ind
        })
        .collect()
}

/// Figures from 2024-10 through 2026-09 for ~90 % of the units, per indicator.
fn dataset() -> Dataset {
    let units = units();
    let indicators = indicators();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let first = Month::new(2024, 10).map_or(0, Month::index);
    let last = Month::new(2026, 9).map_or(0, Month::index);
    let mut measurements = Vec::new();
    for ind in &indicators {
        for u in &units {
            if rng.unit() < 0.1 {
                continue;
            }
            let mut m = first;
            while m <= last {
                let span = Period::span_of(ind.frequency, Month::from_index(m));
                m = span.last().index() + 1;
                if span.first().index() < first || rng.unit() < 0.03 {
                    continue;
                }
                let figure = match ind.aggregation {
                    Aggregation::Brok => {
                        let denominator = 200.0 + 800.0 * rng.unit();
                        Figure::Ratio {
                            numerator: denominator * 0.1 * rng.unit(),
                            denominator,
                        }
                    }
                    _ => Figure::Value {
                        value: 100.0 * rng.unit(),
                    },
                };
                measurements.push(Measurement {
                    indicator: ind.code.clone(),
                    unit: u.code.clone(),
                    span,
                    figure,
                });
            }
        }
    }
    let mut targets = Vec::new();
    for ind in &indicators {
        for year in [2025, 2026] {
            targets.push(Target {
                indicator: ind.code.clone(),
                unit: None,
                year,
                target: 50.0,
                red_limit: Some(if ind.direction == Direction::Hoy {
                    40.0
                } else {
                    60.0
                }),
                reference: None,
            });
        }
        // A few units with their own targets.
        for u in units.iter().step_by(97) {
            targets.push(Target {
                indicator: ind.code.clone(),
                unit: Some(u.code.clone()),
                year: 2026,
                target: 45.0,
                red_limit: None,
                reference: None,
            });
        }
    }
    Dataset {
        units,
        indicators,
        perspective_names: Vec::new(),
        targets,
        measurements,
        sick_leave: Vec::new(),
        economy: Vec::new(),
        actions: Vec::new(),
        ..Dataset::default()
    }
}

/// `n` tiltak on every unit in turn, each naming one or two indicators; a third of them
/// finished, deadlines over 2025–2027.
fn actions(data: &Dataset, n: usize) -> Vec<Action> {
    let statuses = [
        ActionStatus::IkkeStartet,
        ActionStatus::Pagar,
        ActionStatus::Fullfort,
        ActionStatus::Utsatt,
        ActionStatus::Avbrutt,
        ActionStatus::Pagar,
    ];
    (0..n)
        .map(|i| {
            let ind = &data.indicators[i % data.indicators.len()];
            let other = &data.indicators[(i * 7 + 3) % data.indicators.len()];
            let status = statuses[i % statuses.len()];
            Action {
                code: format!("T-{i:05}"),
                title: format!("Tiltak {i}"),
                description: None,
                goal: ind.goal.clone().unwrap_or_else(|| format!("Mål {}", i % 8)),
                success_factor: None,
                unit: data.units[(i * 13) % data.units.len()].code.clone(),
                responsible: "Enhetsleder".into(),
                kind: ActionKind::Tiltak,
                decision_ref: None,
                start: Some("2025-01".into()),
                deadline: Some(format!("{}-{:02}", 2025 + i % 3, 1 + i % 12)),
                status,
                progress: if status == ActionStatus::Fullfort {
                    100
                } else {
                    (i % 10 * 10) as u8
                },
                cost_ore: None,
                indicators: vec![ind.code.clone(), other.code.clone()],
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let data = dataset();
    eprintln!(
        "dataset: {} units, {} indicators, {} measurements, {} targets",
        data.units.len(),
        data.indicators.len(),
        data.measurements.len(),
        data.targets.len()
    );
    let period = Period::quarter(2026, 3).unwrap_or_else(|| Period::month(Month::from_index(0)));

    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.bench_function("new (large)", |b| {
        b.iter_batched(
            || data.clone(),
            |d| Engine::new(d).map(|e| black_box(e).indicators().len()),
            BatchSize::LargeInput,
        )
    });
    group.finish();

    // The same municipality with 5 000 tiltak spread over its units (issue 15: the root
    // målkart with its tiltak counted stays within 10 % of the målkart without them).
    let with_actions = {
        let mut d = data.clone();
        d.actions = actions(&d, 5_000);
        match Engine::new(d) {
            Ok(engine) => engine,
            Err(e) => panic!("the synthetic dataset must index: {e}"),
        }
    };
    let engine = match Engine::new(data) {
        Ok(engine) => engine,
        Err(e) => panic!("the synthetic dataset must index: {e}"),
    };
    c.bench_function("scorecard(root, 2026-K3) warm", |b| {
        b.iter(|| engine.scorecard(black_box("1000"), black_box(&period)))
    });
    let now = Month::from_index(2026 * 12 + 10);
    c.bench_function("scorecard(root, 2026-K3) + 5 000 tiltak warm", |b| {
        b.iter(|| {
            let mut card = with_actions.scorecard(black_box("1000"), black_box(&period))?;
            with_actions.mark_actions(&mut card, &period, now);
            Ok::<_, malkart::engine::EngineError>(card)
        })
    });
    c.bench_function("scorecard(virksomhet, 2026-K3) warm", |b| {
        b.iter(|| engine.scorecard(black_box("S3V07"), black_box(&period)))
    });
    c.bench_function("series(root, 13 months) warm", |b| {
        let last = Period::month(Month::from_index(2026 * 12 + 8));
        b.iter(|| engine.series(black_box("IND00"), black_box("1000"), &last, 13))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
