//! The sick-leave grid: one month for a unit's subtree. The UI sends what the person typed;
//! it is read by the core's number rules and checked by the sick-leave rules the import uses
//! (`engine::sickleave::check`: the same columns, the same messages), then every changed row
//! is saved in one `Store::apply` — which refuses locked months and repeated rows, audits
//! every row, and is the last gate. A save answers with the rows as they were before it, so
//! that sending them back undoes it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::engine::sickleave::check::{self, BANDS, REQUIRED};
use crate::engine::UnitNode;
use crate::error::Result;
use crate::model::{LengthSplit, LockedMonth, SickLeave, SickLeaveChange};
use crate::period::Month;
use crate::storage::{ApplySummary, ChangeSet, Store};

use super::grid::{self, figure_text, CellProblem, GridUnit};

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

    /// The trimmed text of `column`; empty for a column the grid does not have.
    fn text(&self, column: &str) -> &str {
        self.fields()
            .into_iter()
            .find(|(c, _)| *c == column)
            .map_or("", |(_, t)| t.trim())
    }

    fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, text)| text.trim().is_empty())
    }

    /// A stored row as the grid shows it.
    pub fn of(row: &SickLeave) -> SickLeaveCells {
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

/// What a save did: saved (with the rows as they were before, so that sending them back
/// undoes it), or refused with every problem and nothing saved.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SickLeaveSaved {
    Saved {
        summary: ApplySummary,
        /// The saved rows as they were before this save: sending them back undoes it.
        before: Vec<SickLeaveRowInput>,
    },
    Refused {
        problems: Vec<CellProblem>,
    },
}

/// Reads one row of typed sick-leave figures: the row to store, or every problem with it
/// (unreadable numbers, missing required figures, a partial length split, and then the
/// spec's checks on the figures) — by the rules and with the messages of the import.
pub fn read_row(
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
            if REQUIRED.contains(&column) {
                problem(column, check::MISSING.to_string());
            }
            continue;
        }
        match crate::number::parse_number(text) {
            Ok(v) => {
                values.insert(column, v);
            }
            Err(e) => problem(column, e.to_string()),
        }
    }
    let employees = match values.get("ansatte") {
        None => None,
        Some(&v) => match check::employees(v, cells.text("ansatte")) {
            Ok(n) => Some(n),
            Err(message) => {
                problem("ansatte", message);
                None
            }
        },
    };
    for column in check::missing_bands(|b| !cells.text(b).is_empty()) {
        problem(column, check::BAND_MISSING.to_string());
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let get = |c: &str| values.get(c).copied().unwrap_or(0.0);
    let split = BANDS
        .iter()
        .all(|b| values.contains_key(b))
        .then(|| LengthSplit {
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
    let checked = check::check(&row);
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

/// Every changed row read and checked: the changes to store, or all problems.
pub fn read_rows(
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
        match read_row(&row.unit, month, &row.cells) {
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

/// The sick-leave grid of `month` for `unit` and every unit below it (`tree`: the unit
/// tree in pre-order, as `Engine::unit_tree` gives it).
pub fn load(store: &Store, tree: &[UnitNode], unit: &str, month: Month) -> Result<SickLeaveGrid> {
    let units = grid::subtree(tree, unit)?;
    let stored = store.sick_leave(month, month)?;
    let by_unit: BTreeMap<&str, &SickLeave> = stored.iter().map(|r| (r.unit.as_str(), r)).collect();
    let locked = grid::locked(&store.locked_months()?, month).cloned();
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
}

/// Checks the changed rows without saving: every problem, per unit and column.
pub fn check(input: &SickLeaveSave) -> Result<Vec<CellProblem>> {
    let month = super::month(&input.month)?;
    Ok(read_rows(month, &input.rows).err().unwrap_or_default())
}

/// Saves the changed rows in one transaction: a row with every cell empty removes the
/// unit's figures. Any problem and nothing is saved; a locked month is refused (by the
/// store).
pub fn save(store: &mut Store, input: &SickLeaveSave) -> Result<SickLeaveSaved> {
    let month = super::month(&input.month)?;
    let changes = match read_rows(month, &input.rows) {
        Ok(changes) => changes,
        Err(problems) => return Ok(SickLeaveSaved::Refused { problems }),
    };
    let source = if input.undo {
        "appen: angre siste lagring av sykefravær"
    } else {
        "appen: sykefravær"
    };
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
    Ok(SickLeaveSaved::Saved { summary, before })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_missing_and_partial_figures_are_named_by_column_as_the_import_names_them() {
        let m = Month::new(2026, 3).unwrap();
        let cells = SickLeaveCells {
            avtalte_dagsverk: "abc".into(),
            egenmeldt: "".into(),
            legemeldt: "2".into(),
            ansatte: "2,5".into(),
            dager_1_3: "1".into(),
            ..Default::default()
        };
        let problems = read_row("U", m, &cells).unwrap_err();
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
        assert_eq!(problems[1].message, "mangler verdi");
        assert_eq!(
            problems[2].message,
            "antall ansatte må være et helt tall som ikke er negativt, ikke «2,5»"
        );
        assert_eq!(
            problems[3].message,
            "mangler verdi; fordelingen på lengde må ha alle fire kolonnene eller ingen"
        );
    }

    #[test]
    fn a_whole_row_is_read_with_its_split() {
        // 3 + 7 = 10 absence days of 200 contracted; split 2 + 3 + 5 + 0 = 10.
        let m = Month::new(2026, 3).unwrap();
        let cells = SickLeaveCells {
            avtalte_dagsverk: "200".into(),
            egenmeldt: "3".into(),
            legemeldt: "7".into(),
            ansatte: "12".into(),
            dager_1_3: "2".into(),
            dager_4_16: "3".into(),
            dager_17_56: "5".into(),
            dager_over_56: "0".into(),
        };
        let row = read_row("U", m, &cells).unwrap();
        assert_eq!(row.contracted_days, 200.0);
        assert_eq!(row.employees, Some(12));
        assert_eq!(row.split.unwrap().days_17_56, 5.0);
    }
}
