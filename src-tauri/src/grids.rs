//! The registration grids' side of the backend: sick leave for one month and economy for one
//! year and measure, each over a unit's subtree. The UI sends what the person typed; this
//! module reads it by the core's rules (`malkart::number`), checks it
//! (`engine::sickleave::check`), refuses locked months, and saves all changed rows in one
//! `Store::apply` transaction (audited by the store). Every save answers with the figures
//! as they were before it, so the UI can undo the last save with a second, audited save.
//!
//! Sick-leave figures cross as text (`12,5`) and are parsed here; economy amounts cross as
//! integer øre (the UI reads `1 234 567,50` exactly with the same rules), so no amount ever
//! passes through binary floating point.

use std::collections::{BTreeMap, BTreeSet};

use malkart::engine::economy::{spread_by_profile, spread_even};
use malkart::engine::sickleave::check;
use malkart::engine::UnitNode;
use malkart::error::IpcError;
use malkart::model::{
    EconomyChange, EconomyMonth, FieldChange, LengthSplit, LockedMonth, SickLeave, SickLeaveChange,
};
use malkart::period::{Month, Period, PeriodKind};
use malkart::storage::{ApplySummary, ChangeSet};
use malkart::Error;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::backend::Backend;

type IpcResult<T> = std::result::Result<T, IpcError>;

/// One row of the sick-leave grid as text, one field per column of the `sykefravær` import
/// (the same keys as `FieldProblem::column`). Empty text: no figure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SickLeaveCells {
    pub avtalte_dagsverk: String,
    pub egenmeldt: String,
    pub legemeldt: String,
    pub ansatte: String,
    pub dager_1_3: String,
    pub dager_4_16: String,
    pub dager_17_56: String,
    pub dager_over_56: String,
}

impl SickLeaveCells {
    fn fields(&self) -> [(&'static str, &str); 8] {
        [
            ("avtalte_dagsverk", &self.avtalte_dagsverk),
            ("egenmeldt", &self.egenmeldt),
            ("legemeldt", &self.legemeldt),
            ("ansatte", &self.ansatte),
            ("dager_1_3", &self.dager_1_3),
            ("dager_4_16", &self.dager_4_16),
            ("dager_17_56", &self.dager_17_56),
            ("dager_over_56", &self.dager_over_56),
        ]
    }

    fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, text)| text.trim().is_empty())
    }

    fn of(row: &SickLeave) -> SickLeaveCells {
        let split = |f: fn(&LengthSplit) -> f64| row.split.as_ref().map(f).map(figure_text);
        SickLeaveCells {
            avtalte_dagsverk: figure_text(row.contracted_days),
            egenmeldt: figure_text(row.self_certified),
            legemeldt: figure_text(row.doctor_certified),
            ansatte: row.employees.map(|n| n.to_string()).unwrap_or_default(),
            dager_1_3: split(|s| s.days_1_3).unwrap_or_default(),
            dager_4_16: split(|s| s.days_4_16).unwrap_or_default(),
            dager_17_56: split(|s| s.days_17_56).unwrap_or_default(),
            dager_over_56: split(|s| s.days_over_56).unwrap_or_default(),
        }
    }
}

/// A unit's row in a grid: its code, name and depth below the grid's unit (0 for it).
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct GridUnit {
    pub code: String,
    pub name: String,
    pub depth: u32,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SickLeaveGridRow {
    pub unit: GridUnit,
    pub cells: SickLeaveCells,
}

/// The sick-leave grid for one month and a unit's subtree.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SickLeaveGrid {
    pub unit: String,
    /// `2026-10`.
    pub month: String,
    /// Set when the month is locked: then the grid is read-only.
    pub locked: Option<LockedMonth>,
    pub rows: Vec<SickLeaveGridRow>,
}

/// A changed row of the sick-leave grid; all cells empty removes the unit's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SickLeaveRowInput {
    pub unit: String,
    pub cells: SickLeaveCells,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct SickLeaveSave {
    pub month: String,
    pub rows: Vec<SickLeaveRowInput>,
    /// This save restores the figures from before the last one (audited as such).
    #[serde(default)]
    pub undo: bool,
}

/// A problem with one cell of a grid: the unit (row), the column key and a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CellProblem {
    pub unit: String,
    pub column: String,
    pub message: String,
}

/// What a save did — or, when any cell is wrong, every problem and nothing saved.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SickLeaveSaved {
    pub problems: Vec<CellProblem>,
    /// `None` when nothing was saved.
    pub summary: Option<ApplySummary>,
    /// The saved rows as they were before this save: sending them back undoes it.
    pub before: Vec<SickLeaveRowInput>,
}

/// One economy cell: a unit, a month of the grid's year (1–12) and an amount in øre;
/// `None` clears it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EconomyCell {
    pub unit: String,
    pub month: u32,
    pub amount: Option<i64>,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct EconomyGridRow {
    pub unit: GridUnit,
    /// January–December in øre; `None`: not registered.
    pub months: Vec<Option<i64>>,
}

/// The economy grid for one year and one measure over a unit's subtree.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct EconomyGrid {
    pub unit: String,
    pub year: i32,
    /// `budsjett`, `regnskap` or `prognose`.
    pub measure: String,
    /// The year's locked months: their column is read-only.
    pub locked: Vec<LockedMonth>,
    pub rows: Vec<EconomyGridRow>,
}

#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct EconomySave {
    pub year: i32,
    pub measure: String,
    pub cells: Vec<EconomyCell>,
    #[serde(default)]
    pub undo: bool,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct EconomySaved {
    pub summary: ApplySummary,
    /// The saved cells as they were before this save: sending them back undoes it.
    pub before: Vec<EconomyCell>,
}

/// A yearly budget to spread over a row's twelve months.
#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct SpreadInput {
    pub unit: String,
    pub year: i32,
    /// The yearly amount as typed (`2 500 000,05`), read exactly in Rust.
    pub amount: String,
    /// `true`: by the profile of last year's accounts; `false`: evenly.
    pub by_last_year: bool,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Spread {
    /// January–December in øre; they sum exactly to the amount.
    pub months: Vec<i64>,
    /// Set when last year's accounts were asked for but there were none: spread evenly.
    pub note: Option<String>,
}

/// Which economy figure a grid shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    Budget,
    Actual,
    Forecast,
}

impl Measure {
    fn parse(text: &str) -> IpcResult<Measure> {
        match text {
            "budsjett" => Ok(Measure::Budget),
            "regnskap" => Ok(Measure::Actual),
            "prognose" => Ok(Measure::Forecast),
            _ => Err(invalid(format!(
                "ukjent tall «{text}»; velg budsjett, regnskap eller prognose"
            ))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Measure::Budget => "budsjett",
            Measure::Actual => "regnskap",
            Measure::Forecast => "prognose",
        }
    }

    fn get(self, row: &EconomyMonth) -> Option<i64> {
        match self {
            Measure::Budget => row.budget,
            Measure::Actual => row.actual,
            Measure::Forecast => row.forecast,
        }
    }

    /// A change of this figure only; the other two are kept.
    fn change(self, unit: &str, month: Month, amount: Option<i64>) -> EconomyChange {
        let field = amount.map_or(FieldChange::Clear, FieldChange::Set);
        let mut change = EconomyChange {
            unit: unit.to_string(),
            month,
            budget: FieldChange::Keep,
            actual: FieldChange::Keep,
            forecast: FieldChange::Keep,
        };
        match self {
            Measure::Budget => change.budget = field,
            Measure::Actual => change.actual = field,
            Measure::Forecast => change.forecast = field,
        }
        change
    }
}

fn invalid(message: String) -> IpcError {
    Error::Invalid(message).to_ipc()
}

fn parse_month(text: &str) -> IpcResult<Month> {
    match Period::parse(text) {
        Ok(p) if p.kind() == PeriodKind::Month => Ok(p.first()),
        _ => Err(invalid(format!(
            "«{text}» er ikke en måned; skriv for eksempel 2026-03"
        ))),
    }
}

fn year_month(year: i32, month: u32) -> IpcResult<Month> {
    Month::new(year, month).ok_or_else(|| invalid(format!("{year}-{month:02} er ikke en måned")))
}

/// A figure as the grid shows it: up to two decimals, no trailing zeros (`12,5`, `1 234`).
fn figure_text(value: f64) -> String {
    let text = malkart::format::number(value, 2);
    match text.split_once(',') {
        Some((int, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                int.to_string()
            } else {
                format!("{int},{frac}")
            }
        }
        None => text,
    }
}

/// Reads one row of typed sick-leave figures: the row to store, or every problem with it
/// (unreadable numbers, missing required figures, a partial length split, and then the
/// spec's checks on the figures).
pub fn read_sick_leave_row(
    unit: &str,
    month: Month,
    cells: &SickLeaveCells,
) -> std::result::Result<SickLeave, Vec<CellProblem>> {
    let mut problems = Vec::new();
    let mut problem = |column: &str, message: String| {
        problems.push(CellProblem {
            unit: unit.to_string(),
            column: column.to_string(),
            message,
        })
    };
    let mut values: BTreeMap<&str, f64> = BTreeMap::new();
    for (column, text) in cells.fields() {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match malkart::number::parse_number(text) {
            Ok(v) => {
                values.insert(column, v);
            }
            Err(e) => problem(column, e.to_string()),
        }
    }
    for column in ["avtalte_dagsverk", "egenmeldt", "legemeldt"] {
        let text = cells
            .fields()
            .into_iter()
            .find(|(c, _)| *c == column)
            .map(|(_, t)| t);
        if text.is_some_and(|t| t.trim().is_empty()) {
            problem(column, "må fylles ut (0 om det ikke var fravær)".into());
        }
    }
    let employees = match values.get("ansatte") {
        None => None,
        Some(&v) if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => Some(v as u32),
        Some(_) => {
            problem(
                "ansatte",
                format!("«{}» er ikke et helt antall personer", cells.ansatte.trim()),
            );
            None
        }
    };
    let split_columns = ["dager_1_3", "dager_4_16", "dager_17_56", "dager_over_56"];
    let given: Vec<&str> = cells
        .fields()
        .into_iter()
        .filter(|(c, t)| split_columns.contains(c) && !t.trim().is_empty())
        .map(|(c, _)| c)
        .collect();
    if !given.is_empty() && given.len() < 4 {
        for column in split_columns.iter().filter(|c| !given.contains(c)) {
            problem(
                column,
                "fyll ut alle fire lengdene, eller ingen av dem".into(),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let get = |c: &str| values.get(c).copied().unwrap_or(0.0);
    let split = (given.len() == 4).then(|| LengthSplit {
        days_1_3: get("dager_1_3"),
        days_4_16: get("dager_4_16"),
        days_17_56: get("dager_17_56"),
        days_over_56: get("dager_over_56"),
    });
    let row = SickLeave {
        unit: unit.to_string(),
        month,
        contracted_days: get("avtalte_dagsverk"),
        self_certified: get("egenmeldt"),
        doctor_certified: get("legemeldt"),
        employees,
        split,
    };
    let checked = check(&row);
    if checked.is_empty() {
        Ok(row)
    } else {
        Err(checked
            .into_iter()
            .map(|p| CellProblem {
                unit: unit.to_string(),
                column: p.column,
                message: p.message,
            })
            .collect())
    }
}

/// The units of `unit`'s subtree in tree order, with their depth below it.
fn subtree(tree: &[UnitNode], unit: &str) -> IpcResult<Vec<GridUnit>> {
    let start = tree
        .iter()
        .position(|u| u.code == unit)
        .ok_or_else(|| Error::UnknownUnit(unit.to_string()).to_ipc())?;
    let base = tree[start].depth;
    Ok(tree[start..]
        .iter()
        .enumerate()
        .take_while(|(i, u)| *i == 0 || u.depth > base)
        .map(|(_, u)| GridUnit {
            code: u.code.clone(),
            name: u.name.clone(),
            depth: u.depth - base,
        })
        .collect())
}

fn locked(list: &[LockedMonth], month: Month) -> Option<&LockedMonth> {
    list.iter().find(|l| l.month() == Some(month))
}

impl Backend {
    /// The sick-leave grid of `month` for `unit` and every unit below it.
    pub fn sick_leave_grid(&self, unit: &str, month: &str) -> IpcResult<SickLeaveGrid> {
        let month = parse_month(month)?;
        let units = subtree(&self.units()?, unit)?;
        self.with_store(|store| {
            let stored = store.sick_leave(month, month)?;
            let by_unit: BTreeMap<&str, &SickLeave> =
                stored.iter().map(|r| (r.unit.as_str(), r)).collect();
            let locked = locked(&store.locked_months()?, month).cloned();
            let rows = units
                .into_iter()
                .map(|u| SickLeaveGridRow {
                    cells: by_unit
                        .get(u.code.as_str())
                        .map(|r| SickLeaveCells::of(r))
                        .unwrap_or_default(),
                    unit: u,
                })
                .collect();
            Ok(SickLeaveGrid {
                unit: unit.to_string(),
                month: month.id(),
                locked,
                rows,
            })
        })
    }

    /// Checks the changed rows without saving: every problem, per unit and column.
    pub fn check_sick_leave(&self, input: &SickLeaveSave) -> IpcResult<Vec<CellProblem>> {
        let month = parse_month(&input.month)?;
        Ok(read_rows(month, &input.rows).err().unwrap_or_default())
    }

    /// Saves the changed rows in one transaction: a row with every cell empty removes the
    /// unit's figures. Any problem and nothing is saved; a locked month is refused.
    pub fn save_sick_leave(&self, input: &SickLeaveSave) -> IpcResult<SickLeaveSaved> {
        let month = parse_month(&input.month)?;
        let changes = match read_rows(month, &input.rows) {
            Ok(changes) => changes,
            Err(problems) => {
                return Ok(SickLeaveSaved {
                    problems,
                    summary: None,
                    before: Vec::new(),
                })
            }
        };
        let source = if input.undo {
            "appen: angre siste lagring av sykefravær"
        } else {
            "appen: sykefravær"
        };
        self.with_store(|store| {
            if locked(&store.locked_months()?, month).is_some() {
                return Err(Error::LockedMonth(month.id()));
            }
            let stored = store.sick_leave(month, month)?;
            let before = input
                .rows
                .iter()
                .map(|r| SickLeaveRowInput {
                    unit: r.unit.clone(),
                    cells: stored
                        .iter()
                        .find(|s| s.unit == r.unit)
                        .map(SickLeaveCells::of)
                        .unwrap_or_default(),
                })
                .collect();
            let summary = store.apply(&ChangeSet::SickLeave(changes), source, false)?;
            Ok(SickLeaveSaved {
                problems: Vec::new(),
                summary: Some(summary),
                before,
            })
        })
    }

    /// The economy grid of `year` and `measure` for `unit` and every unit below it.
    pub fn economy_grid(&self, unit: &str, year: i32, measure: &str) -> IpcResult<EconomyGrid> {
        let m = Measure::parse(measure)?;
        let (first, last) = (year_month(year, 1)?, year_month(year, 12)?);
        let units = subtree(&self.units()?, unit)?;
        self.with_store(|store| {
            let stored = store.economy(first, last)?;
            let mut by_unit: BTreeMap<&str, Vec<Option<i64>>> = BTreeMap::new();
            for row in &stored {
                let months = by_unit
                    .entry(row.unit.as_str())
                    .or_insert_with(|| vec![None; 12]);
                months[(row.month.month() - 1) as usize] = m.get(row);
            }
            let locked = store
                .locked_months()?
                .into_iter()
                .filter(|l| l.month().is_some_and(|mo| mo.year() == year))
                .collect();
            let rows = units
                .into_iter()
                .map(|u| EconomyGridRow {
                    months: by_unit
                        .get(u.code.as_str())
                        .cloned()
                        .unwrap_or_else(|| vec![None; 12]),
                    unit: u,
                })
                .collect();
            Ok(EconomyGrid {
                unit: unit.to_string(),
                year,
                measure: m.name().to_string(),
                locked,
                rows,
            })
        })
    }

    /// Saves changed cells of one measure in one transaction (the other two figures of each
    /// month are kept); locked months are refused by the store.
    pub fn save_economy(&self, input: &EconomySave) -> IpcResult<EconomySaved> {
        let m = Measure::parse(&input.measure)?;
        let mut changes = Vec::with_capacity(input.cells.len());
        let mut seen = BTreeSet::new();
        for cell in &input.cells {
            let month = year_month(input.year, cell.month)?;
            if !seen.insert((cell.unit.as_str(), cell.month)) {
                return Err(invalid(format!(
                    "{} {} er med to ganger i samme lagring",
                    cell.unit,
                    month.id()
                )));
            }
            changes.push(m.change(&cell.unit, month, cell.amount));
        }
        let source = if input.undo {
            "appen: angre siste lagring av økonomi"
        } else {
            "appen: økonomi"
        };
        let (first, last) = (year_month(input.year, 1)?, year_month(input.year, 12)?);
        self.with_store(|store| {
            let stored = store.economy(first, last)?;
            let before = input
                .cells
                .iter()
                .map(|c| EconomyCell {
                    unit: c.unit.clone(),
                    month: c.month,
                    amount: stored
                        .iter()
                        .find(|s| s.unit == c.unit && s.month.month() == c.month)
                        .and_then(|s| m.get(s)),
                })
                .collect();
            let summary = store.apply(&ChangeSet::Economy(changes), source, false)?;
            Ok(EconomySaved { summary, before })
        })
    }

    /// A yearly amount spread over the twelve months, evenly or by the profile of the
    /// unit's accounts the year before. Nothing is saved.
    pub fn spread_budget(&self, input: &SpreadInput) -> IpcResult<Spread> {
        let amount = malkart::number::parse_decimal(input.amount.trim())
            .ok()
            .and_then(|d| d.to_ore())
            .ok_or_else(|| {
                invalid(format!(
                    "«{}» er ikke et beløp i kroner og øre",
                    input.amount.trim()
                ))
            })?;
        if !input.by_last_year {
            return Ok(Spread {
                months: spread_even(amount).to_vec(),
                note: None,
            });
        }
        let last_year = input.year - 1;
        let (first, last) = (year_month(last_year, 1)?, year_month(last_year, 12)?);
        let profile = self.with_store(|store| {
            let mut profile = [0i64; 12];
            for row in store.economy(first, last)? {
                if row.unit == input.unit {
                    profile[(row.month.month() - 1) as usize] = row.actual.unwrap_or(0);
                }
            }
            Ok(profile)
        })?;
        let note = (profile.iter().sum::<i64>() == 0).then(|| {
            format!(
                "{} har ikke regnskap for {last_year} å fordele etter; beløpet er fordelt jevnt.",
                input.unit
            )
        });
        Ok(Spread {
            months: spread_by_profile(amount, &profile).to_vec(),
            note,
        })
    }
}

/// Every changed row read and checked: the changes to store, or all problems.
fn read_rows(
    month: Month,
    rows: &[SickLeaveRowInput],
) -> std::result::Result<Vec<SickLeaveChange>, Vec<CellProblem>> {
    let mut changes = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    for row in rows {
        if row.cells.is_empty() {
            changes.push(SickLeaveChange::Remove {
                unit: row.unit.clone(),
                month,
            });
            continue;
        }
        match read_sick_leave_row(&row.unit, month, &row.cells) {
            Ok(r) => changes.push(SickLeaveChange::Set(r)),
            Err(p) => problems.extend(p),
        }
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_show_without_trailing_zeros() {
        assert_eq!(figure_text(12.5), "12,5");
        assert_eq!(figure_text(880.0), "880");
        assert_eq!(figure_text(1234.25), "1 234,25");
    }

    #[test]
    fn subtree_takes_the_unit_and_everything_below_it() {
        let node = |code: &str, depth: u32| UnitNode {
            code: code.into(),
            name: code.into(),
            level: None,
            parent: None,
            depth,
        };
        let tree = [
            node("K", 0),
            node("A", 1),
            node("A1", 2),
            node("B", 1),
            node("B1", 2),
        ];
        let codes: Vec<(String, u32)> = subtree(&tree, "A")
            .unwrap()
            .into_iter()
            .map(|u| (u.code, u.depth))
            .collect();
        assert_eq!(codes, vec![("A".into(), 0), ("A1".into(), 1)]);
        assert!(subtree(&tree, "X").is_err());
    }

    #[test]
    fn unreadable_missing_and_partial_figures_are_named_by_column() {
        let m = Month::new(2026, 3).unwrap();
        let cells = SickLeaveCells {
            avtalte_dagsverk: "abc".into(),
            egenmeldt: "".into(),
            legemeldt: "2".into(),
            ansatte: "2,5".into(),
            dager_1_3: "1".into(),
            ..Default::default()
        };
        let problems = read_sick_leave_row("U", m, &cells).unwrap_err();
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(
            columns,
            [
                "avtalte_dagsverk",
                "egenmeldt",
                "ansatte",
                "dager_4_16",
                "dager_17_56",
                "dager_over_56"
            ]
        );
        assert_eq!(problems[0].message, "«abc» er ikke et tall");
    }
}
