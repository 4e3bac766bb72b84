//! `malkart bench`: times the status engine on the current database, for
//! `docs/benchmarks.md`. Cold = loading the dataset for the period and indexing it (what the
//! first målkart after a change costs); warm = one målkart on the built engine (what every
//! click costs). Reports the minimum and the median of the runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use malkart::engine::{Engine, Scorecard};
use malkart::format;
use malkart::period::{Month, Period};
use malkart::service::{detail, overview};
use malkart::storage::Store;
use malkart::Result;

fn ms(d: Duration) -> String {
    format::number(d.as_secs_f64() * 1000.0, 2) + " ms"
}

fn min_median(times: &mut [Duration]) -> String {
    times.sort();
    match (times.first(), times.get(times.len() / 2)) {
        (Some(min), Some(median)) => format!("min {}, median {}", ms(*min), ms(*median)),
        _ => "ingen målinger".to_string(),
    }
}

/// The målkart as the app shows it: the engine's, with its tiltak counted per goal and
/// `rød uten tiltak` marked against `now` (the last full month).
fn shown(engine: &Engine, unit: &str, period: &Period, now: Month) -> Result<Scorecard> {
    let mut card = engine.scorecard(unit, period)?;
    engine.mark_actions(&mut card, period, now);
    Ok(card)
}

pub fn run(
    store: &Store,
    unit: &str,
    period: &Period,
    repeat: usize,
    cold: usize,
    now: Month,
) -> Result<String> {
    let mut load = Vec::new();
    let mut build = Vec::new();
    let mut total = Vec::new();
    let mut engine = None;
    let mut sizes = (0, 0, 0, 0, 0);
    let root = store.unit_is_root(unit)?;
    for _ in 0..cold.max(1) {
        let t0 = Instant::now();
        // What `malkart status` reads: at a root only what its målkart needs.
        let dataset = if root {
            store.dataset_for_root_status(period)?
        } else {
            store.dataset_for(period)?
        };
        let t1 = Instant::now();
        sizes = (
            dataset.units.len(),
            dataset.indicators.len(),
            dataset.targets.len(),
            dataset.measurements.len()
                + dataset.figures.iter().map(|f| f.rows.len()).sum::<usize>(),
            dataset.actions.len(),
        );
        let e = Engine::new(dataset)?;
        let t2 = Instant::now();
        // The first målkart belongs to the cold cost: it is what the user waits for.
        black_box(shown(&e, unit, period, now)?);
        let t3 = Instant::now();
        load.push(t1 - t0);
        build.push(t2 - t1);
        total.push(t3 - t0);
        engine = Some(e);
    }
    let Some(engine) = engine else {
        return Ok(String::new());
    };
    let mut warm = Vec::with_capacity(repeat);
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        black_box(shown(&engine, unit, period, now)?);
        warm.push(t.elapsed());
    }
    let n = |x: usize| format::group_digits(&x.to_string());
    let rows = [
        (
            format!("Kald, lese datasettet ({} ganger)", load.len()),
            min_median(&mut load),
        ),
        ("Kald, bygge motoren".to_string(), min_median(&mut build)),
        (
            "Kald, datasett + motor + første målkart".to_string(),
            min_median(&mut total),
        ),
        (
            format!("Varm, målkartet for {unit} ({} ganger)", warm.len()),
            min_median(&mut warm),
        ),
    ];
    let width = rows
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "Datasett for {period}: {} enheter, {} indikatorer, {} mål, {} målinger, {} tiltak\n",
        n(sizes.0),
        n(sizes.1),
        n(sizes.2),
        n(sizes.3),
        n(sizes.4)
    );
    for (label, times) in rows {
        let pad = " ".repeat(width - label.chars().count());
        out.push_str(&format!("{label}:{pad}  {times}\n"));
    }
    if root {
        // The oracle: the målkart from the narrow dataset is the one the whole window gives.
        let whole = Engine::new(store.dataset_for(period)?)?;
        let text = |card: Scorecard| {
            serde_json::to_string(&card)
                .map_err(|e| malkart::Error::Invalid(format!("kunne ikke skrive JSON: {e}")))
        };
        let same =
            text(shown(&whole, unit, period, now)?)? == text(shown(&engine, unit, period, now)?)?;
        out.push_str(&format!(
            "Samme målkart som fra hele vinduet: {}\n",
            if same { "ja" } else { "NEI" }
        ));
    }
    Ok(out)
}

/// What the app asks on `large`, each timed once in order as the app asks it: the engine
/// over each frequency's history for `period` (`EngineCache`, the start), then for `unit`
/// and three units below it the målkart, the overview of its children and the sparklines,
/// the status of every unit for the tree (what a change of period asks), and last the wide
/// engine that the first change to a year builds.
pub fn app(store: &Store, unit: &str, period: &Period, now: Month) -> Result<String> {
    let cache = malkart::service::EngineCache::default();
    let privacy = malkart::engine::sickleave::Privacy::masked(store.min_employees()?);
    let mut out = String::from("Appen (hver gang én gang):\n");
    let mut time = |label: String, f: &mut dyn FnMut() -> Result<()>| -> Result<()> {
        let t = Instant::now();
        f()?;
        out.push_str(&format!("  {label}: {}\n", ms(t.elapsed())));
        Ok(())
    };
    let mut engine = None;
    time("motoren med historikk".into(), &mut || {
        engine = Some(cache.engine_for(store, period, now)?);
        Ok(())
    })?;
    let Some(engine) = engine else {
        return Ok(String::new());
    };
    let below: Vec<String> = engine
        .unit_tree()
        .into_iter()
        .filter(|u| u.parent.as_deref() == Some(unit))
        .take(3)
        .map(|u| u.code)
        .collect();
    for code in std::iter::once(unit.to_string()).chain(below) {
        time(format!("{code}: målkart"), &mut || {
            black_box(detail::scorecard(
                &engine, store, &code, period, privacy, now,
            )?);
            Ok(())
        })?;
        time(format!("{code}: oversikt"), &mut || {
            black_box(overview::overview(&engine, &code, period, privacy, now)?);
            Ok(())
        })?;
        time(format!("{code}: små grafer"), &mut || {
            black_box(detail::sparklines(&engine, &code, period, privacy)?);
            Ok(())
        })?;
    }
    time("status for alle enheter".into(), &mut || {
        black_box(overview::unit_statuses(&engine, period, privacy, now)?);
        Ok(())
    })?;
    // The first change to a period whose history reaches further back builds the wide
    // engine once (`window::wide`).
    let year = Period::year(period.last().year()).unwrap_or(*period);
    time(
        format!("motoren for alle slag perioder ({year})"),
        &mut || {
            black_box(cache.engine_for(store, &year, now)?);
            Ok(())
        },
    )?;
    Ok(out)
}
