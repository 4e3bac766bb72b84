//! The org tree (engine.md §1, §4) as an index: units in pre-order (roots and children in
//! code order), each with the end of its subtree, so that "U and all its descendants" is
//! the contiguous index range `U..end(U)`. A parent code that names no unit makes its unit
//! a root; a cycle is refused.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::EngineError;
use crate::model::Unit;

/// One unit in tree order, with its depth (0 for a root): the rows of a tree table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UnitNode {
    pub code: String,
    pub name: String,
    pub level: Option<String>,
    /// The parent's code, `None` for a root (also when the stored parent names no unit).
    pub parent: Option<String>,
    pub depth: u32,
}

/// The units in pre-order. Indexes below are pre-order positions.
#[derive(Debug, Default)]
pub(crate) struct UnitTree {
    pub(crate) units: Vec<Unit>,
    parent: Vec<Option<usize>>,
    depth: Vec<u32>,
    /// Exclusive end of each unit's subtree.
    end: Vec<usize>,
    children: Vec<Vec<usize>>,
    by_code: HashMap<String, usize>,
}

impl UnitTree {
    /// Orders `units` into a tree. The first of two units with the same code wins.
    pub(crate) fn new(units: Vec<Unit>) -> Result<UnitTree, EngineError> {
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(units.len());
        let mut kept: Vec<&Unit> = Vec::with_capacity(units.len());
        for unit in &units {
            if !seen.contains_key(unit.code.as_str()) {
                seen.insert(unit.code.as_str(), kept.len());
                kept.push(unit);
            }
        }
        // Children lists over the input order, sorted by code so pre-order is stable.
        let n = kept.len();
        let mut kids: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut roots: Vec<usize> = Vec::new();
        for (i, unit) in kept.iter().enumerate() {
            match unit.parent.as_deref().and_then(|p| seen.get(p)) {
                Some(&p) => kids[p].push(i),
                None => roots.push(i),
            }
        }
        let by_code_order =
            |list: &mut Vec<usize>| list.sort_by(|&a, &b| kept[a].code.cmp(&kept[b].code));
        by_code_order(&mut roots);
        for list in &mut kids {
            by_code_order(list);
        }

        // Iterative pre-order walk; `order[k]` is the input index of the k-th unit.
        let mut order: Vec<usize> = Vec::with_capacity(n);
        let mut pos: Vec<usize> = vec![usize::MAX; n];
        let mut depth_in: Vec<u32> = vec![0; n];
        let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            pos[i] = order.len();
            order.push(i);
            for &c in kids[i].iter().rev() {
                depth_in[c] = depth_in[i] + 1;
                stack.push(c);
            }
        }
        if order.len() < n {
            // Every unit not reached from a root sits on, or hangs below, a cycle. Name one
            // that is on it: follow parents from any unreached unit until a unit repeats.
            let start = (0..n).find(|&i| pos[i] == usize::MAX).unwrap_or(0);
            let parents: HashMap<&str, Option<&str>> = kept
                .iter()
                .map(|u| (u.code.as_str(), u.parent.as_deref()))
                .collect();
            let on_cycle = unit_cycles(&parents, [kept[start].code.as_str()])
                .first()
                .and_then(|cycle| cycle.first())
                .map_or_else(|| kept[start].code.clone(), |code| code.to_string());
            return Err(EngineError::Cycle(on_cycle));
        }

        let mut parent = vec![None; n];
        let mut depth = vec![0; n];
        let mut children = vec![Vec::new(); n];
        for (k, &i) in order.iter().enumerate() {
            depth[k] = depth_in[i];
            children[k] = kids[i].iter().map(|&c| pos[c]).collect();
            for &c in &children[k] {
                parent[c] = Some(k);
            }
        }
        // A subtree ends where the next unit at the same or a shallower depth begins.
        let mut end = vec![n; n];
        let mut open: Vec<usize> = Vec::new();
        for k in 0..n {
            while let Some(&top) = open.last() {
                if depth[top] >= depth[k] {
                    end[top] = k;
                    open.pop();
                } else {
                    break;
                }
            }
            open.push(k);
        }
        let units: Vec<Unit> = order.iter().map(|&i| kept[i].clone()).collect();
        let by_code = units
            .iter()
            .enumerate()
            .map(|(k, u)| (u.code.clone(), k))
            .collect();
        Ok(UnitTree {
            units,
            parent,
            depth,
            end,
            children,
            by_code,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.units.len()
    }
    pub(crate) fn find(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }
    /// The unit and all its descendants.
    pub(crate) fn subtree(&self, k: usize) -> Range<usize> {
        k..self.end[k]
    }
    pub(crate) fn parent(&self, k: usize) -> Option<usize> {
        self.parent[k]
    }
    pub(crate) fn children(&self, k: usize) -> &[usize] {
        &self.children[k]
    }
    pub(crate) fn nodes(&self) -> Vec<UnitNode> {
        self.units
            .iter()
            .enumerate()
            .map(|(k, u)| UnitNode {
                code: u.code.clone(),
                name: u.name.clone(),
                level: u.level.clone(),
                parent: self.parent[k].map(|p| self.units[p].code.clone()),
                depth: self.depth[k],
            })
            .collect()
    }
}

/// Every unit of `units` in tree order (pre-order, children by code) with its depth, as
/// `Engine::unit_tree` gives it, without building an engine: the app's tree is drawn from
/// this while the first målkart's engine is still being built.
pub fn unit_nodes(units: Vec<Unit>) -> Result<Vec<UnitNode>, EngineError> {
    Ok(UnitTree::new(units)?.nodes())
}

/// Every cycle of the parent relation `parents` (code → parent code; a parent that is not a
/// key ends the walk as a root does), each once, found by walking up from `starts` in
/// order. A cycle is its codes following parents, from the first one the walk reached.
/// The one cycle search of the unit tree: the engine, storage and import all use it
/// (`rules::unit_tree` words the refusal).
pub fn unit_cycles<'a>(
    parents: &HashMap<&'a str, Option<&'a str>>,
    starts: impl IntoIterator<Item = &'a str>,
) -> Vec<Vec<&'a str>> {
    // Units known to reach a root, and units on or below a cycle already found.
    let mut rooted: HashSet<&str> = HashSet::new();
    let mut done: HashSet<&str> = HashSet::new();
    let mut cycles = Vec::new();
    for start in starts {
        let mut path: Vec<&str> = Vec::new();
        let mut at = Some(start);
        while let Some(code) = at {
            if rooted.contains(code) || done.contains(code) {
                break;
            }
            if let Some(k) = path.iter().position(|c| *c == code) {
                cycles.push(path[k..].to_vec());
                break;
            }
            path.push(code);
            at = parents.get(code).copied().flatten();
        }
        if at.is_none_or(|c| rooted.contains(c)) {
            rooted.extend(path);
        } else {
            done.extend(path);
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, parent: Option<&str>) -> Unit {
        Unit {
            code: code.into(),
            name: code.into(),
            parent: parent.map(Into::into),
            level: None,
        }
    }

    #[test]
    fn pre_order_by_code_with_subtree_ranges() {
        // 1000 ─┬─ 20 ── 21
        //       └─ 10
        // 9 (parent 404 does not exist → a root, after 1000 in code order)
        let tree = UnitTree::new(vec![
            unit("21", Some("20")),
            unit("20", Some("1000")),
            unit("10", Some("1000")),
            unit("1000", None),
            unit("9", Some("404")),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let codes: Vec<&str> = tree.units.iter().map(|u| u.code.as_str()).collect();
        assert_eq!(codes, ["1000", "10", "20", "21", "9"]);
        assert_eq!(tree.subtree(0), 0..4);
        assert_eq!(tree.subtree(1), 1..2);
        assert_eq!(tree.subtree(2), 2..4);
        assert_eq!(tree.subtree(4), 4..5);
        assert_eq!(tree.children(0), &[1, 2]);
        assert_eq!(tree.parent(3), Some(2));
        assert_eq!(tree.parent(4), None);
        let depths: Vec<u32> = tree.nodes().iter().map(|n| n.depth).collect();
        assert_eq!(depths, [0, 1, 1, 2, 0]);
    }

    #[test]
    fn cycle_is_refused_and_named() {
        let err = UnitTree::new(vec![
            unit("K", None),
            unit("A", Some("B")),
            unit("B", Some("A")),
            unit("C", Some("A")),
        ])
        .err();
        assert!(
            matches!(err, Some(EngineError::Cycle(ref c)) if c == "A" || c == "B"),
            "{err:?}"
        );
        let own_parent = UnitTree::new(vec![unit("A", Some("A"))]).err();
        assert_eq!(own_parent, Some(EngineError::Cycle("A".into())));
    }

    #[test]
    fn every_cycle_is_found_once_from_where_the_walk_entered_it() {
        // 1 ← 2 ← 3 ← 1 (a loop), 4 → 2 hangs below it, 5 → 6 → 5 another, 7 a root,
        // 8 → 404 (no such unit: a root).
        let parents: HashMap<&str, Option<&str>> = [
            ("1", Some("3")),
            ("2", Some("1")),
            ("3", Some("2")),
            ("4", Some("2")),
            ("5", Some("6")),
            ("6", Some("5")),
            ("7", None),
            ("8", Some("404")),
        ]
        .into_iter()
        .collect();
        let cycles = unit_cycles(&parents, ["7", "8", "4", "1", "3", "6", "5"]);
        // From 4: 4 → 2 → 1 → 3 → 2 repeats, so the loop is 2, 1, 3; from 6: 6, 5.
        assert_eq!(cycles, vec![vec!["2", "1", "3"], vec!["6", "5"]]);
        let none: HashMap<&str, Option<&str>> = [("1", None), ("2", Some("1"))].into();
        assert!(unit_cycles(&none, ["2", "1"]).is_empty());
    }
}
