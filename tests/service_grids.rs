//! The registration grids' use cases (`malkart::service::sickleave_grid`, `economy_grid`)
//! over a real (in-memory) database with the small demo municipality: what the grids show,
//! that a save is all or nothing and shows in the målkart, that the figures before a save
//! undo it, and that locked months are refused (by the store, the last gate).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use malkart::demo::{self, DemoSize};
use malkart::engine::sickleave::Privacy;
use malkart::engine::UnitNode;
use malkart::period::{Month, Period};
use malkart::service::economy_grid::{
    self, EconomyCell, EconomyGrid, EconomySave, EconomySaved, Measure, Spread, SpreadInput,
};
use malkart::service::grid::CellProblem;
use malkart::service::sickleave_grid::{
    self, SickLeaveCells, SickLeaveGrid, SickLeaveRowInput, SickLeaveSave, SickLeaveSaved,
};
use malkart::service::{self, detail, EngineCache};
use malkart::storage::Store;
use malkart::Result;

/// The store and engine cache a door holds, with the service calls the grids make.
struct Demo {
    store: Store,
    engines: EngineCache,
}

fn now() -> Month {
    Month::new(2026, 10).expect("a month")
}

impl Demo {
    fn units(&self) -> Result<Vec<UnitNode>> {
        let period = Period::month(Month::new(2026, 9).expect("a month"));
        Ok(self
            .engines
            .engine_for(&self.store, &period, now())?
            .unit_tree())
    }
    fn sick_leave_grid(&self, unit: &str, month: &str) -> Result<SickLeaveGrid> {
        sickleave_grid::load(&self.store, &self.units()?, unit, service::month(month)?)
    }
    fn check_sick_leave(&self, input: &SickLeaveSave) -> Result<Vec<CellProblem>> {
        sickleave_grid::check(input)
    }
    fn save_sick_leave(&mut self, input: &SickLeaveSave) -> Result<SickLeaveSaved> {
        sickleave_grid::save(&mut self.store, input)
    }
    fn economy_grid(&self, unit: &str, year: i32, measure: Measure) -> Result<EconomyGrid> {
        economy_grid::load(&self.store, &self.units()?, unit, year, measure)
    }
    fn save_economy(&mut self, input: &EconomySave) -> Result<EconomySaved> {
        economy_grid::save(&mut self.store, input)
    }
    fn spread_budget(&self, input: &SpreadInput) -> Result<Spread> {
        economy_grid::spread(&self.store, input)
    }
    fn lock_month(&mut self, month: &str) -> Result<bool> {
        self.store.lock_month(service::month(month)?)
    }
}

/// The demo through September 2026, so that the expected periods do not move with the clock.
fn demo_backend() -> Demo {
    let mut store = Store::open_in_memory().expect("in-memory database");
    let through = Month::new(2026, 9).expect("a month");
    store
        .load_demo(&demo::generate(DemoSize::Small, through))
        .expect("demo loads");
    Demo {
        store,
        engines: EngineCache::new(),
    }
}

/// What a save answered when it saved.
fn saved_before(saved: SickLeaveSaved) -> Vec<SickLeaveRowInput> {
    match saved {
        SickLeaveSaved::Saved { before, .. } => before,
        SickLeaveSaved::Refused { problems } => panic!("refused: {problems:?}"),
    }
}

/// A unit with no unit below it, and a unit with units below it (not the root).
fn leaf_and_parent(backend: &Demo) -> (UnitNode, UnitNode) {
    let units = backend.units().expect("units");
    let has_children = |u: &UnitNode| units.iter().any(|c| c.parent.as_deref() == Some(&u.code));
    let leaf = units
        .iter()
        .find(|u| !has_children(u))
        .expect("a leaf")
        .clone();
    let parent = units
        .iter()
        .find(|u| u.depth == 1 && has_children(u))
        .expect("a sector with units")
        .clone();
    (leaf, parent)
}

fn cells(contracted: &str, own: &str, doctor: &str) -> SickLeaveCells {
    SickLeaveCells {
        avtalte_dagsverk: contracted.into(),
        egenmeldt: own.into(),
        legemeldt: doctor.into(),
        ..Default::default()
    }
}

/// The unit's raw `SF` (the leader checking her own figures: «Vis umaskerte tall» on, so
/// that privacy masking of a small unit does not hide what the grid saved).
fn sf(backend: &Demo, unit: &str, period: &str) -> Option<f64> {
    let period = service::period(period).expect("a period");
    let engine = backend
        .engines
        .engine_for(&backend.store, &period, now())
        .expect("engine");
    detail::scorecard(
        &engine,
        &backend.store,
        unit,
        &period,
        Privacy::unmasked(),
        now().plus(-1),
    )
    .expect("scorecard")
    .perspectives
    .iter()
    .flat_map(|p| &p.indicators)
    .find(|i| i.code == "SF")
    .expect("SF is in every målkart")
    .value
}

#[test]
fn sick_leave_grid_has_the_unit_and_its_subtree_in_tree_order() {
    let backend = demo_backend();
    let (_, parent) = leaf_and_parent(&backend);
    let units = backend.units().expect("units");
    let grid = backend
        .sick_leave_grid(&parent.code, "2026-09")
        .expect("grid");
    assert_eq!(grid.month, "2026-09");
    assert!(grid.locked.is_none());
    assert_eq!(grid.rows[0].unit.code, parent.code);
    assert_eq!(grid.rows[0].unit.depth, 0);
    let start = units
        .iter()
        .position(|u| u.code == parent.code)
        .expect("listed");
    let want: Vec<&str> = units[start..]
        .iter()
        .enumerate()
        .take_while(|(i, u)| *i == 0 || u.depth > parent.depth)
        .map(|(_, u)| u.code.as_str())
        .collect();
    let got: Vec<&str> = grid.rows.iter().map(|r| r.unit.code.as_str()).collect();
    assert_eq!(got, want);
    assert!(grid.rows.len() > 1);
    assert!(grid.rows[1..].iter().all(|r| r.unit.depth >= 1));
}

#[test]
fn a_saved_row_is_in_the_grid_and_in_the_unit_sf() {
    let mut backend = demo_backend();
    let (leaf, _) = leaf_and_parent(&backend);
    let row = SickLeaveRowInput {
        unit: leaf.code.clone(),
        cells: SickLeaveCells {
            ansatte: "12".into(),
            dager_1_3: "2".into(),
            dager_4_16: "1,5".into(),
            dager_17_56: "6,5".into(),
            dager_over_56: "0".into(),
            ..cells("100", "3", "7")
        },
    };
    let saved = backend
        .save_sick_leave(&SickLeaveSave {
            month: "2026-09".into(),
            rows: vec![row.clone()],
            undo: false,
        })
        .expect("saved");
    assert!(matches!(saved, SickLeaveSaved::Saved { .. }), "{saved:?}");
    let grid = backend
        .sick_leave_grid(&leaf.code, "2026-09")
        .expect("grid");
    assert_eq!(grid.rows[0].cells, row.cells);
    // SF = 100 × (3 + 7) / 100 = 10.0 for a unit with nothing below it.
    let value = sf(&backend, &leaf.code, "2026-09").expect("a value");
    assert!((value - 10.0).abs() < 1e-9, "SF {value}");
}

#[test]
fn a_row_breaking_the_rules_is_refused_by_column_and_nothing_is_saved() {
    let mut backend = demo_backend();
    let (leaf, parent) = leaf_and_parent(&backend);
    let before = backend
        .sick_leave_grid(&parent.code, "2026-09")
        .expect("grid");
    let good = SickLeaveRowInput {
        unit: parent.code.clone(),
        cells: cells("500", "5", "5"),
    };
    // 30 + 80 = 110 > 100 contracted days
    let bad = SickLeaveRowInput {
        unit: leaf.code.clone(),
        cells: cells("100", "30", "80"),
    };
    let input = SickLeaveSave {
        month: "2026-09".into(),
        rows: vec![good, bad],
        undo: false,
    };
    let checked = backend.check_sick_leave(&input).expect("checked");
    assert!(!checked.is_empty());
    assert!(checked.iter().all(|p| p.unit == leaf.code));
    let saved = backend.save_sick_leave(&input).expect("answered");
    match saved {
        SickLeaveSaved::Refused { problems } => assert_eq!(problems, checked),
        SickLeaveSaved::Saved { .. } => panic!("saved a row that breaks the rules"),
    }
    let after = backend
        .sick_leave_grid(&parent.code, "2026-09")
        .expect("grid");
    let cells_of = |g: &SickLeaveGrid| g.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>();
    assert_eq!(
        cells_of(&after),
        cells_of(&before),
        "nothing saved, not even the good row"
    );
}

#[test]
fn the_figures_before_a_save_undo_it() {
    let mut backend = demo_backend();
    let (leaf, _) = leaf_and_parent(&backend);
    let original = backend
        .sick_leave_grid(&leaf.code, "2026-09")
        .expect("grid")
        .rows[0]
        .cells
        .clone();
    let saved = backend
        .save_sick_leave(&SickLeaveSave {
            month: "2026-09".into(),
            rows: vec![SickLeaveRowInput {
                unit: leaf.code.clone(),
                cells: cells("40", "1", "0"),
            }],
            undo: false,
        })
        .expect("saved");
    let before = saved_before(saved);
    assert_eq!(before[0].cells, original);
    backend
        .save_sick_leave(&SickLeaveSave {
            month: "2026-09".into(),
            rows: before,
            undo: true,
        })
        .expect("undone");
    let now = backend
        .sick_leave_grid(&leaf.code, "2026-09")
        .expect("grid")
        .rows[0]
        .cells
        .clone();
    assert_eq!(now, original);
}

#[test]
fn an_emptied_row_removes_the_units_month() {
    let mut backend = demo_backend();
    let (leaf, _) = leaf_and_parent(&backend);
    let mut save = |c: SickLeaveCells| {
        backend
            .save_sick_leave(&SickLeaveSave {
                month: "2026-08".into(),
                rows: vec![SickLeaveRowInput {
                    unit: leaf.code.clone(),
                    cells: c,
                }],
                undo: false,
            })
            .expect("saved")
    };
    save(cells("40", "1", "1"));
    let removed = save(SickLeaveCells::default());
    assert!(
        matches!(removed, SickLeaveSaved::Saved { .. }),
        "{removed:?}"
    );
    let grid = backend
        .sick_leave_grid(&leaf.code, "2026-08")
        .expect("grid");
    assert_eq!(grid.rows[0].cells, SickLeaveCells::default());
}

#[test]
fn a_locked_month_is_shown_as_locked_and_refused() {
    let mut backend = demo_backend();
    let (leaf, _) = leaf_and_parent(&backend);
    backend.lock_month("2026-07").expect("locked");
    let grid = backend
        .sick_leave_grid(&leaf.code, "2026-07")
        .expect("grid");
    let locked = grid.locked.expect("the grid says it is locked");
    assert_eq!(locked.month, "2026-07");
    let err = backend
        .save_sick_leave(&SickLeaveSave {
            month: "2026-07".into(),
            rows: vec![SickLeaveRowInput {
                unit: leaf.code.clone(),
                cells: cells("40", "1", "0"),
            }],
            undo: false,
        })
        .expect_err("refused");
    assert_eq!(err.kind(), "locked_month");
    assert!(err.to_string().contains("2026-07"), "{err}");
    // The economy grid marks the month, and a save into it is refused whole.
    let eco = backend
        .economy_grid(&leaf.code, 2026, Measure::Budget)
        .expect("grid");
    assert!(eco.locked.iter().any(|l| l.month == "2026-07"));
    let before = eco.rows[0].months.clone();
    let err = backend
        .save_economy(&EconomySave {
            year: 2026,
            measure: Measure::Budget,
            cells: vec![
                EconomyCell {
                    unit: leaf.code.clone(),
                    month: 6,
                    amount: Some(1),
                },
                EconomyCell {
                    unit: leaf.code.clone(),
                    month: 7,
                    amount: Some(2),
                },
            ],
            undo: false,
        })
        .expect_err("refused");
    assert_eq!(err.kind(), "locked_month");
    let after = backend
        .economy_grid(&leaf.code, 2026, Measure::Budget)
        .expect("grid");
    assert_eq!(after.rows[0].months, before, "June not saved either");
}

#[test]
fn economy_save_changes_one_measure_and_keeps_the_others() {
    let mut backend = demo_backend();
    let (leaf, parent) = leaf_and_parent(&backend);
    let actual_before = backend
        .economy_grid(&parent.code, 2026, Measure::Actual)
        .expect("grid");
    let save = EconomySave {
        year: 2026,
        measure: Measure::Budget,
        cells: vec![
            // 1 234 567,50 kr and −500 kr, in øre
            EconomyCell {
                unit: parent.code.clone(),
                month: 1,
                amount: Some(123_456_750),
            },
            EconomyCell {
                unit: leaf.code.clone(),
                month: 12,
                amount: Some(-50_000),
            },
            EconomyCell {
                unit: parent.code.clone(),
                month: 2,
                amount: None,
            },
        ],
        undo: false,
    };
    let saved = backend.save_economy(&save).expect("saved");
    assert_eq!(saved.before.len(), 3);
    let grid = backend
        .economy_grid(&parent.code, 2026, Measure::Budget)
        .expect("grid");
    assert_eq!(grid.measure, Measure::Budget);
    assert_eq!(grid.rows[0].months[0], Some(123_456_750));
    assert_eq!(grid.rows[0].months[1], None);
    let leaf_grid = backend
        .economy_grid(&leaf.code, 2026, Measure::Budget)
        .expect("grid");
    assert_eq!(leaf_grid.rows[0].months[11], Some(-50_000));
    let actual_after = backend
        .economy_grid(&parent.code, 2026, Measure::Actual)
        .expect("grid");
    let months = |g: &EconomyGrid| g.rows.iter().map(|r| r.months.clone()).collect::<Vec<_>>();
    assert_eq!(
        months(&actual_after),
        months(&actual_before),
        "regnskap kept"
    );
    // Undo: the figures before come back.
    backend
        .save_economy(&EconomySave {
            cells: saved.before.clone(),
            undo: true,
            ..save
        })
        .expect("undone");
    let undone = backend
        .economy_grid(&parent.code, 2026, Measure::Budget)
        .expect("grid");
    let first = |unit: &str, month: u32| {
        saved
            .before
            .iter()
            .find(|c| c.unit == unit && c.month == month)
            .and_then(|c| c.amount)
    };
    assert_eq!(undone.rows[0].months[0], first(&parent.code, 1));
    assert_eq!(undone.rows[0].months[1], first(&parent.code, 2));
}

#[test]
fn an_unknown_measure_is_refused_when_read() {
    // The measure crosses as its Norwegian key; anything else is not a measure.
    let m: Measure = serde_json::from_str("\"regnskap\"").expect("a measure");
    assert_eq!(m, Measure::Actual);
    assert_eq!(
        Measure::ALL.map(Measure::key),
        ["budsjett", "regnskap", "prognose"]
    );
    assert!(serde_json::from_str::<Measure>("\"kostnad\"").is_err());
}

#[test]
fn a_yearly_budget_spreads_evenly_to_the_ore() {
    let backend = demo_backend();
    let (leaf, _) = leaf_and_parent(&backend);
    let spread = backend
        .spread_budget(&SpreadInput {
            unit: leaf.code.clone(),
            year: 2026,
            amount: "2 500 000,05".into(),
            by_last_year: false,
        })
        .expect("spread");
    // 250 000 005 øre / 12 = 20 833 333 (truncated); December 250 000 005 − 11 × 20 833 333
    // = 250 000 005 − 229 166 663 = 20 833 342.
    assert_eq!(spread.months[0], 20_833_333);
    assert_eq!(spread.months[10], 20_833_333);
    assert_eq!(spread.months[11], 20_833_342);
    assert_eq!(spread.months.iter().sum::<i64>(), 250_000_005);
    assert!(spread.note.is_none());
    let err = backend
        .spread_budget(&SpreadInput {
            unit: leaf.code.clone(),
            year: 2026,
            amount: "1,005".into(),
            by_last_year: false,
        })
        .expect_err("øre fractions");
    assert!(err.to_string().contains("«1,005»"), "{err}");
}

#[test]
fn a_yearly_budget_spreads_by_last_years_accounts() {
    let mut backend = demo_backend();
    let (leaf, _) = leaf_and_parent(&backend);
    // Last year's accounts: January 300 kr, February 100 kr, the rest 0.
    let cells = (1..=12)
        .map(|m| EconomyCell {
            unit: leaf.code.clone(),
            month: m,
            amount: Some(match m {
                1 => 30_000,
                2 => 10_000,
                _ => 0,
            }),
        })
        .collect();
    backend
        .save_economy(&EconomySave {
            year: 2025,
            measure: Measure::Actual,
            cells,
            undo: false,
        })
        .expect("saved");
    let spread = backend
        .spread_budget(&SpreadInput {
            unit: leaf.code.clone(),
            year: 2026,
            amount: "1 000".into(),
            by_last_year: true,
        })
        .expect("spread");
    // 100 000 øre × 300/400 = 75 000 in January, × 100/400 = 25 000 in February, 0 after.
    let mut want = [0i64; 12];
    want[0] = 75_000;
    want[1] = 25_000;
    assert_eq!(spread.months, want.to_vec());
    assert!(spread.note.is_none());
}
