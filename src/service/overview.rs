//! The director's overview (issue 12 §2): one status for a group of indicators — a
//! perspective of one unit, or a unit's whole målkart — so that a sector's units can be laid
//! out as a status grid (units × perspectives) and every unit in the tree can carry a mark.
//!
//! A group's status (`engine::GroupStatus`) is the worst of its indicators' statuses — red before yellow before
//! green, `ingen data` when none has a colour; `ingen mål` never colours (the rule of the
//! perspective summary, engine.md §7). It is **provisional** when every indicator with that
//! status is provisional (its period has not ended): a final red beside a provisional red is
//! final. The counts keep final and provisional colours apart. The figures are the
//! målkart's own (`Engine::scorecard_with`, masked as the caller's `Privacy` says, marked by
//! `engine::progress` against the last full month), so a cell never says more than the unit's
//! målkart would.

use serde::Serialize;
use ts_rs::TS;

use crate::engine::actions::ActionCounts;
use crate::engine::sickleave::Privacy;
use crate::engine::{progress, Engine, GroupStatus, Scorecard, Status, UnitRef};
use crate::error::{Error, Result};
use crate::model::Perspective;
use crate::period::{Month, Period};

/// A perspective's column in the status grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OverviewColumn {
    pub key: Perspective,
    pub name: String,
}

/// One unit below the asked one: its whole målkart's status and one cell per perspective.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OverviewRow {
    pub unit: UnitRef,
    pub has_children: bool,
    pub overall: GroupStatus,
    /// In the order of `Overview::perspectives`.
    pub cells: Vec<GroupStatus>,
}

/// The status grid of a unit's children × the perspectives, for a period.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Overview {
    pub unit: UnitRef,
    /// Canonical id of the asked period.
    pub period: String,
    /// As the målkart's: every month of the period has ended by the last full month.
    pub complete: bool,
    pub months_covered: u32,
    pub months_total: u32,
    /// The unit's own målkart, all perspectives: the summary strip above it.
    pub overall: GroupStatus,
    pub perspectives: Vec<OverviewColumn>,
    /// The unit's children in tree order (by code); empty for a unit without children.
    pub rows: Vec<OverviewRow>,
    /// The tiltak of the unit's subtree shown in the period, and how many are late.
    pub actions: ActionCounts,
    /// How many of the unit's red indicators no open tiltak answers (`rød uten tiltak`).
    pub red_without_action: u32,
}

/// The status of one unit's whole målkart, for its mark in the tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct UnitStatus {
    pub code: String,
    pub status: Status,
    pub provisional: bool,
}

/// A unit's målkart as the status grid and the tree judge it: masked, marked provisional
/// where its period has not ended (coverage is not needed for a status, so it is not
/// recounted).
fn card(
    engine: &Engine,
    unit: &str,
    period: &Period,
    privacy: Privacy,
    last_full: Month,
) -> Result<Scorecard> {
    let mut card = engine.scorecard_with(unit, period, privacy)?;
    progress::mark_scorecard(&mut card, period, last_full);
    Ok(card)
}

/// The status of every indicator of `card`.
fn overall(card: &Scorecard) -> GroupStatus {
    GroupStatus::of(card.perspectives.iter().flat_map(|p| p.indicators.iter()))
}

/// The status grid of `unit`'s children for `period`, judged against `last_full`.
pub fn overview(
    engine: &Engine,
    unit: &str,
    period: &Period,
    privacy: Privacy,
    last_full: Month,
) -> Result<Overview> {
    let mut own = card(engine, unit, period, privacy, last_full)?;
    engine.mark_actions(&mut own, period, last_full);
    let tree = engine.unit_tree();
    let parents: std::collections::HashSet<&str> =
        tree.iter().filter_map(|u| u.parent.as_deref()).collect();
    let children: Vec<&crate::engine::UnitNode> = tree
        .iter()
        .filter(|u| u.parent.as_deref() == Some(unit))
        .collect();
    let rows = on_two_threads(children, |child| {
        let c = card(engine, &child.code, period, privacy, last_full)?;
        Ok(OverviewRow {
            has_children: parents.contains(child.code.as_str()),
            overall: overall(&c),
            cells: c
                .perspectives
                .iter()
                .map(|p| GroupStatus::of(&p.indicators))
                .collect(),
            unit: c.unit,
        })
    })?;
    Ok(Overview {
        actions: own.actions.clone(),
        red_without_action: own.red_without_action,
        overall: overall(&own),
        perspectives: own
            .perspectives
            .iter()
            .map(|p| OverviewColumn {
                key: p.key,
                name: p.name.clone(),
            })
            .collect(),
        unit: own.unit,
        period: own.period,
        complete: own.complete,
        months_covered: own.months_covered,
        months_total: own.months_total,
        rows,
    })
}

/// The status of every unit's målkart for `period`, in tree order: the marks in the tree.
/// The målkart are independent of each other: the second half of the tree is judged on a
/// second thread (1 497 målkart on `large`: docs/benchmarks.md §14).
pub fn unit_statuses(
    engine: &Engine,
    period: &Period,
    privacy: Privacy,
    last_full: Month,
) -> Result<Vec<UnitStatus>> {
    let status = |u: crate::engine::UnitNode| -> Result<UnitStatus> {
        let c = card(engine, &u.code, period, privacy, last_full)?;
        let g = overall(&c);
        Ok(UnitStatus {
            code: u.code,
            status: g.status,
            provisional: g.provisional,
        })
    };
    on_two_threads(engine.unit_tree(), status)
}

/// `f` over `items`, in order; the second half on a second thread. Each målkart is judged on
/// its own, so the answer is the same as one after the other.
fn on_two_threads<T: Send, R: Send>(
    mut first: Vec<T>,
    f: impl Fn(T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let second = first.split_off(first.len() / 2);
    let f = &f;
    std::thread::scope(|scope| {
        let later = scope.spawn(move || second.into_iter().map(f).collect::<Result<Vec<_>>>());
        let mut out = first.into_iter().map(f).collect::<Result<Vec<_>>>()?;
        match later.join() {
            Ok(rest) => out.extend(rest?),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        Ok(out)
    })
}

/// The unit and its ancestors, root first: `Demo kommune › Helse og omsorg › Furulund
/// sykehjem`.
pub fn breadcrumb(engine: &Engine, unit: &str) -> Result<Vec<UnitRef>> {
    let tree = engine.unit_tree();
    let find = |code: &str| tree.iter().find(|u| u.code == code);
    let mut node = find(unit).ok_or_else(|| Error::UnknownUnit(unit.to_string()))?;
    let mut out = vec![UnitRef {
        code: node.code.clone(),
        name: node.name.clone(),
    }];
    // The engine refuses cycles; the bound only makes the end of the walk plain.
    while let Some(parent) = node.parent.as_deref().and_then(find) {
        if out.len() > tree.len() {
            break;
        }
        out.push(UnitRef {
            code: parent.code.clone(),
            name: parent.name.clone(),
        });
        node = parent;
    }
    out.reverse();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Dataset;
    use crate::model::{
        Aggregation, Direction, Figure, Frequency, Indicator, Measurement, SickLeave, Target, Unit,
    };

    // K ─┬─ S ─┬─ A        M (brukere, sum, høyere er bedre, mål 10, rød under 5)
    //    │     └─ B        N (organisasjon, sum, lavere er bedre, mål 3, rød over 6)
    //    └─ T ── C         SF (organisasjon, innebygd; mål 7 %, rød over 8 %)
    //
    // Oktober 2026:   M     N     SF (avtalte dagsverk / fravær / ansatte)
    //   A            12     2     100 / 10 / 3   (10,0 %; A has 3 employees: masked)
    //   B             7     –     100 /  5 / 30  ( 5,0 %)
    //   C             3     4     –
    fn engine() -> Engine {
        let unit = |code: &str, parent: Option<&str>| Unit {
            code: code.into(),
            name: format!("Enhet {code}"),
            parent: parent.map(Into::into),
            level: None,
        };
        let ind = |code: &str, p: Perspective, d: Direction| Indicator {
            decimals: 0,
            ..Indicator::new(code, code, p, d, Frequency::Maned, Aggregation::Sum)
        };
        let sf = Indicator::builtin_sf();
        let target = |code: &str, t: f64, r: f64| Target {
            indicator: code.into(),
            unit: None,
            year: 2026,
            target: t,
            red_limit: Some(r),
            reference: None,
        };
        let m = |ind: &str, unit: &str, value: f64| Measurement {
            indicator: ind.into(),
            unit: unit.into(),
            span: Period::parse("2026-10").unwrap(),
            figure: Figure::Value { value },
        };
        let sick = |unit: &str, absent: f64, employees: u32| SickLeave {
            unit: unit.into(),
            month: Month::new(2026, 10).unwrap(),
            contracted_days: 100.0,
            self_certified: absent,
            doctor_certified: 0.0,
            employees: Some(employees),
            split: None,
        };
        Engine::new(Dataset {
            units: vec![
                unit("K", None),
                unit("S", Some("K")),
                unit("A", Some("S")),
                unit("B", Some("S")),
                unit("T", Some("K")),
                unit("C", Some("T")),
            ],
            indicators: vec![
                ind("M", Perspective::Brukere, Direction::Hoy),
                ind("N", Perspective::Organisasjon, Direction::Lav),
                sf,
            ],
            targets: vec![
                target("M", 10.0, 5.0),
                target("N", 3.0, 6.0),
                target("SF", 7.0, 8.0),
            ],
            measurements: vec![
                m("M", "A", 12.0),
                m("M", "B", 7.0),
                m("M", "C", 3.0),
                m("N", "A", 2.0),
                m("N", "C", 4.0),
            ],
            sick_leave: vec![sick("A", 10.0, 3), sick("B", 5.0, 30)],
            ..Dataset::default()
        })
        .unwrap()
    }

    fn p(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    fn oct() -> Month {
        Month::new(2026, 10).unwrap()
    }

    fn brief(g: &GroupStatus) -> (Status, bool, u32, u32, u32, u32, u32) {
        g.brief()
    }

    #[test]
    fn a_sectors_units_by_perspective_are_the_worst_of_their_indicators() {
        let e = engine();
        let o = overview(&e, "K", &p("2026-10"), Privacy::masked(5), oct()).unwrap();
        assert!(o.complete);
        // K's own målkart (the summary strip): M = 12 + 7 + 3 = 22 grønn, N = 2 + 4 = 6
        // gul (over 3 up to 6), SF = 15 / 200 = 7,5 % gul → 1 grønn, 2 gul, gul.
        assert_eq!(brief(&o.overall), (Status::Yellow, false, 1, 2, 0, 0, 0));
        let keys: Vec<Perspective> = o.perspectives.iter().map(|c| c.key).collect();
        assert_eq!(keys, Perspective::ALL.to_vec());
        let codes: Vec<&str> = o.rows.iter().map(|r| r.unit.code.as_str()).collect();
        assert_eq!(codes, ["S", "T"]);
        assert!(o.rows.iter().all(|r| r.has_children));
        use Status::*;
        let s = &o.rows[0];
        // S, lokalsamfunn and økonomi: no indicator at all → ingen data, 0 of 0.
        assert_eq!(brief(&s.cells[0]), (NoData, false, 0, 0, 0, 0, 0));
        assert_eq!(s.cells[0].indicators, 0);
        assert_eq!(brief(&s.cells[3]), (NoData, false, 0, 0, 0, 0, 0));
        // S, brukere: M = 12 + 7 = 19 ≥ 10 → grønn.
        assert_eq!(brief(&s.cells[1]), (Green, false, 1, 0, 0, 0, 0));
        // S, organisasjon: N = 2 ≤ 3 → grønn; SF = (10 + 5) / (100 + 100) = 7,5 % over 7
        // up to 8 → gul (S has 3 + 30 = 33 employees: shown). Worst: gul.
        assert_eq!(brief(&s.cells[2]), (Yellow, false, 1, 1, 0, 0, 0));
        assert_eq!(s.cells[2].indicators, 2);
        // S overall: 2 grønn, 1 gul → gul.
        assert_eq!(brief(&s.overall), (Yellow, false, 2, 1, 0, 0, 0));
        let t = &o.rows[1];
        // T, brukere: M = 3 < 5 → rød.
        assert_eq!(brief(&t.cells[1]), (Red, false, 0, 0, 1, 0, 0));
        // T, organisasjon: N = 4, over 3 up to 6 → gul; SF has no rows → ingen data.
        assert_eq!(brief(&t.cells[2]), (Yellow, false, 0, 1, 0, 0, 1));
        // T overall: rød, gul, ingen data → rød.
        assert_eq!(brief(&t.overall), (Red, false, 0, 1, 1, 0, 1));
    }

    #[test]
    fn a_masked_figure_gives_no_colour_to_its_cell() {
        let e = engine();
        // A has 3 employees (< 5): its SF (10,0 %, rød) is masked, so its organisasjon cell
        // is N's grønn (2 ≤ 3) and SF counts as without status.
        let masked = overview(&e, "S", &p("2026-10"), Privacy::masked(5), oct()).unwrap();
        let a = &masked.rows[0];
        assert_eq!(a.unit.code, "A");
        assert!(!a.has_children);
        assert_eq!(brief(&a.cells[2]), (Status::Green, false, 1, 0, 0, 0, 1));
        // Unmasked (audited by the door), SF 10 / 100 = 10,0 % > 8 → rød.
        let open = overview(&e, "S", &p("2026-10"), Privacy::unmasked(), oct()).unwrap();
        assert_eq!(
            brief(&open.rows[0].cells[2]),
            (Status::Red, false, 1, 0, 1, 0, 0)
        );
        // A leaf has no rows below it.
        let leaf = overview(&e, "A", &p("2026-10"), Privacy::masked(5), oct()).unwrap();
        assert!(leaf.rows.is_empty());
    }

    #[test]
    fn every_unit_in_the_tree_has_the_status_of_its_malkart() {
        let e = engine();
        let all = unit_statuses(&e, &p("2026-10"), Privacy::masked(5), oct()).unwrap();
        let got: Vec<(&str, Status)> = all.iter().map(|u| (u.code.as_str(), u.status)).collect();
        use Status::*;
        assert_eq!(
            got,
            [
                // K: M = 22 grønn, N = 2 + 4 = 6 gul (up to 6), SF 7,5 % gul → gul.
                ("K", Yellow),
                // S: grønn, grønn, gul → gul.
                ("S", Yellow),
                // A: M 12 grønn, N 2 grønn, SF masked → grønn.
                ("A", Green),
                // B: M 7 gul (5 ≤ 7 < 10), N none, SF masked (secondary) → gul.
                ("B", Yellow),
                // T and C: M 3 rød → rød.
                ("T", Red),
                ("C", Red),
            ]
        );
        assert!(all.iter().all(|u| !u.provisional));
    }

    #[test]
    fn the_breadcrumb_runs_from_the_root_to_the_unit() {
        let e = engine();
        let names: Vec<String> = breadcrumb(&e, "A")
            .unwrap()
            .into_iter()
            .map(|u| u.code)
            .collect();
        assert_eq!(names, ["K", "S", "A"]);
        assert!(breadcrumb(&e, "X").is_err());
    }

    #[test]
    fn an_unfinished_quarter_is_provisional() {
        let e = engine();
        // 4. kvartal in November: October and November have ended, December not. Every
        // result is provisional: M for T is 3 so far against 3 × 10 = 30 → rød so far.
        let o = overview(
            &e,
            "K",
            &p("2026-K4"),
            Privacy::masked(5),
            Month::new(2026, 11).unwrap(),
        )
        .unwrap();
        assert!(!o.complete);
        assert_eq!((o.months_covered, o.months_total), (2, 3));
        let t = &o.rows[1];
        assert_eq!(brief(&t.cells[1]), (Status::Red, true, 0, 0, 0, 1, 0));
    }
}
