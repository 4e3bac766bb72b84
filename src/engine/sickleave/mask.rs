//! Privacy masking of the sick-leave summary (sick-leave.md), a pure step over the report's
//! rows:
//!
//! 1. **Primary:** a row with data whose employees are below the minimum, or unknown.
//! 2. **Secondary:** under every shown row R, the *hidden part* is R's own figures (never
//!    a row of their own) and R's masked children. When it is not empty and has fewer
//!    than the minimum employees, the unmasked child with the fewest employees (ties: by
//!    code) is masked, or R itself when no child is left; repeated until nothing changes.
//!
//! Employees of a part are counted as the summary counts them: the largest monthly sum of
//! `ansatte` within the period. Rows without `ansatte` count 0 here — a lower bound, so an
//! unknown head count can only make masking stricter. A row with no figures at all (none
//! in the period, none in the same period last year) has nothing to hide and is never
//! masked; an empty child adds nothing to a hidden part either.

use super::MaskReason;

/// One row of the report as masking sees it. `parent` is the index of the parent row
/// (rows in pre-order, so a parent comes before its children); `None` for the report's unit.
#[derive(Clone, Debug)]
pub(crate) struct MaskNode<'a> {
    pub code: &'a str,
    pub parent: Option<usize>,
    /// The row's `Ansatte` (largest monthly sum in the subtree), `None` when unknown.
    pub employees: Option<u32>,
    /// The subtree has figures in the period or in the same period last year.
    pub has_data: bool,
    /// The unit itself has figures in the period or last year (registered on it directly).
    pub own_figures: bool,
    /// Σ `ansatte` of the unit's own rows, per month of the period.
    pub own_by_month: &'a [u64],
    /// Σ `ansatte` over the subtree, per month of the period.
    pub subtree_by_month: &'a [u64],
}

/// The reason each row is masked, `None` for a shown row. `min_employees` 0: nothing masked.
pub(crate) fn mask(nodes: &[MaskNode<'_>], min_employees: u32) -> Vec<Option<MaskReason>> {
    let n = nodes.len();
    let mut out: Vec<Option<MaskReason>> = vec![None; n];
    if min_employees == 0 {
        return out;
    }
    let min = u64::from(min_employees);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, node) in nodes.iter().enumerate() {
        if let Some(p) = node.parent.filter(|&p| p < n) {
            children[p].push(i);
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        if !node.has_data {
            continue;
        }
        out[i] = match node.employees {
            None => Some(MaskReason::UnknownEmployees),
            Some(e) if u64::from(e) < min => Some(MaskReason::FewEmployees),
            Some(_) => None,
        };
    }
    loop {
        let mut changed = false;
        for r in 0..n {
            while out[r].is_none() {
                let masked_kids: Vec<usize> = children[r]
                    .iter()
                    .copied()
                    .filter(|&c| out[c].is_some() && nodes[c].has_data)
                    .collect();
                if !nodes[r].own_figures && masked_kids.is_empty() {
                    break;
                }
                if hidden_employees(&nodes[r], masked_kids.iter().map(|&c| &nodes[c])) >= min {
                    break;
                }
                let candidate = children[r]
                    .iter()
                    .copied()
                    .filter(|&c| out[c].is_none() && nodes[c].has_data)
                    .min_by(|&a, &b| {
                        (nodes[a].employees.unwrap_or(0), nodes[a].code)
                            .cmp(&(nodes[b].employees.unwrap_or(0), nodes[b].code))
                    });
                match candidate {
                    Some(c) => out[c] = Some(MaskReason::Secondary),
                    None => out[r] = Some(MaskReason::Secondary),
                }
                changed = true;
            }
        }
        if !changed {
            return out;
        }
    }
}

/// The largest monthly sum of employees in R's hidden part: its own rows and the given
/// masked children's subtrees.
pub(crate) fn hidden_employees<'n, 'a: 'n>(
    r: &MaskNode<'a>,
    masked_children: impl Iterator<Item = &'n MaskNode<'a>> + Clone,
) -> u64 {
    (0..r.own_by_month.len())
        .map(|m| {
            r.own_by_month[m]
                + masked_children
                    .clone()
                    .map(|c| c.subtree_by_month.get(m).copied().unwrap_or(0))
                    .sum::<u64>()
        })
        .max()
        .unwrap_or(0)
}
