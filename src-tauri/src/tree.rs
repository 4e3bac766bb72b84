//! The unit tree as the UI draws it: every unit once, parents before children, siblings in
//! code order, each with its depth and whether it has children. Units whose parent is
//! unknown are roots (storage refuses such rows, but the UI must not lose a unit).

use std::collections::{BTreeMap, BTreeSet};

use malkart::model::Unit;
use serde::Serialize;
use ts_rs::TS;

/// One row of the unit tree.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct UnitNode {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub level: Option<String>,
    /// 0 for a root.
    pub depth: u32,
    pub has_children: bool,
}

/// The units in tree order (depth first, siblings by code). A cycle cannot loop: each unit
/// is emitted at most once, and units only reachable through a cycle come last as roots.
pub fn tree_order(units: &[Unit]) -> Vec<UnitNode> {
    let codes: BTreeSet<&str> = units.iter().map(|u| u.code.as_str()).collect();
    let mut children: BTreeMap<Option<&str>, Vec<&Unit>> = BTreeMap::new();
    for u in units {
        let parent = u.parent.as_deref().filter(|p| codes.contains(p) && *p != u.code);
        children.entry(parent).or_default().push(u);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.code.cmp(&b.code));
    }
    let mut out = Vec::with_capacity(units.len());
    let mut seen = BTreeSet::new();
    let roots: Vec<&Unit> = children.get(&None).cloned().unwrap_or_default();
    for root in roots {
        visit(root, 0, &children, &mut seen, &mut out);
    }
    let mut rest: Vec<&Unit> = units.iter().filter(|u| !seen.contains(u.code.as_str())).collect();
    rest.sort_by(|a, b| a.code.cmp(&b.code));
    for u in rest {
        if !seen.contains(u.code.as_str()) {
            visit(u, 0, &children, &mut seen, &mut out);
        }
    }
    out
}

fn visit<'a>(
    unit: &'a Unit,
    depth: u32,
    children: &BTreeMap<Option<&'a str>, Vec<&'a Unit>>,
    seen: &mut BTreeSet<&'a str>,
    out: &mut Vec<UnitNode>,
) {
    if !seen.insert(unit.code.as_str()) {
        return;
    }
    let kids = children.get(&Some(unit.code.as_str()));
    out.push(UnitNode {
        code: unit.code.clone(),
        name: unit.name.clone(),
        parent: unit.parent.clone(),
        level: unit.level.clone(),
        depth,
        has_children: kids.is_some_and(|k| !k.is_empty()),
    });
    for kid in kids.into_iter().flatten() {
        visit(kid, depth + 1, children, seen, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, parent: Option<&str>) -> Unit {
        Unit { code: code.into(), name: format!("Enhet {code}"), parent: parent.map(Into::into), level: None }
    }

    #[test]
    fn parents_come_before_children_and_siblings_sort_by_code() {
        let units = vec![
            unit("2100", Some("2000")),
            unit("3000", Some("1000")),
            unit("1000", None),
            unit("2000", Some("1000")),
            unit("2010", Some("2000")),
        ];
        let order: Vec<(String, u32, bool)> =
            tree_order(&units).into_iter().map(|n| (n.code, n.depth, n.has_children)).collect();
        assert_eq!(
            order,
            vec![
                ("1000".into(), 0, true),
                ("2000".into(), 1, true),
                ("2010".into(), 2, false),
                ("2100".into(), 2, false),
                ("3000".into(), 1, false),
            ]
        );
    }

    #[test]
    fn a_cycle_or_unknown_parent_loses_no_unit() {
        let units = vec![unit("A", Some("B")), unit("B", Some("A")), unit("C", Some("ukjent"))];
        let codes: Vec<String> = tree_order(&units).into_iter().map(|n| n.code).collect();
        assert_eq!(codes.len(), 3);
        assert!(codes.contains(&"A".to_string()) && codes.contains(&"B".to_string()));
        assert!(codes.contains(&"C".to_string()));
    }
}
