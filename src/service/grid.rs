//! What the two registration grids share: the rows of a unit's subtree, a problem with one
//! cell, and a figure as the grid shows it.

use serde::Serialize;
use ts_rs::TS;

use crate::engine::UnitNode;
use crate::error::{Error, Result};
use crate::model::LockedMonth;
use crate::period::Month;

/// A unit's row in a grid: its code, name and depth below the grid's unit (0 for it).
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct GridUnit {
    pub code: String,
    pub name: String,
    pub depth: u32,
}

/// A problem with one cell of a grid: the unit (row), the column key and a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CellProblem {
    pub unit: String,
    pub column: String,
    pub message: String,
}

/// The units of `unit`'s subtree in tree order, with their depth below it.
pub fn subtree(tree: &[UnitNode], unit: &str) -> Result<Vec<GridUnit>> {
    let start = tree
        .iter()
        .position(|u| u.code == unit)
        .ok_or_else(|| Error::UnknownUnit(unit.to_string()))?;
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

/// The lock of `month`, if it is locked.
pub fn locked(list: &[LockedMonth], month: Month) -> Option<&LockedMonth> {
    list.iter().find(|l| l.month() == Some(month))
}

/// `year`-`month` of a grid's column, or a message naming it.
pub fn year_month(year: i32, month: u32) -> Result<Month> {
    Month::new(year, month)
        .ok_or_else(|| Error::invalid_field("måned", format!("{year}-{month:02} er ikke en måned")))
}

/// A figure as the grid shows it: up to two decimals, no trailing zeros (`12,5`, `1 234`).
pub fn figure_text(value: f64) -> String {
    let text = crate::format::number(value, 2);
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
}
