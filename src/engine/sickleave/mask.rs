//! Privacy masking of sick-leave figures (sick-leave.md, docs/decisions.md «Sykefravær:
//! maskering overalt»), a pure step over one period's units in pre-order:
//!
//! 1. **Primary:** a unit with data whose employees are below the minimum, or unknown.
//! 2. **Secondary:** what the shown rows give away is, for each shown row R, the sum of its
//!    *block*: the own figures of R and of every unit below R that is not under another
//!    shown row (R's own figures are never a row, so always hidden). When a block has
//!    figures and fewer than the minimum employees, the shown row just below R (the
//!    nearest shown descendant) with the fewest employees (ties: by code) is masked, or R
//!    itself when none is left; repeated until nothing changes. Where no masked unit has a
//!    shown descendant, the block is the spec's *hidden part* (own figures and masked
//!    children) and the rule is the spec's.
//! 3. **Underivable:** a masked unit's figures must not be a sum and difference of shown
//!    figures. Shown figures determine exactly the block sums, so a masked subtree is
//!    derivable when its figures are a whole number of blocks: (a) everything in it lies
//!    under shown rows inside it (a chain P → C → L with no own rows on C: C = L), or (b)
//!    it holds all that its nearest shown ancestor A's block has (A minus A's other shown
//!    rows). Checked for each kind of figure on its own — this period's, last year's, the
//!    length split — since a unit may have one and not another. (a) masks the shown row
//!    inside with the fewest employees, (b) one of A's other nearest shown descendants or A.
//!
//! Employees of a part are counted as the summary counts them: the largest monthly sum of
//! `ansatte` within the period. Rows without `ansatte` count 0 here — a lower bound, so an
//! unknown head count can only make masking stricter. A unit with no figures at all (none
//! in the period, none in the same period last year) has nothing to hide and is never
//! masked; it adds nothing to a block either.

use super::MaskReason;

/// Figures of this period (`SF`, `SF-E`, `SF-L`, `SF-N`).
pub(crate) const NOW: u8 = 1;
/// Figures of the same period last year (the summary's last-year column, `last_year`).
pub(crate) const LAST_YEAR: u8 = 2;
/// This period's rows with the length split (`SF-KORT`, `SF-LANG`).
pub(crate) const SPLIT: u8 = 4;
const KINDS: [u8; 3] = [NOW, LAST_YEAR, SPLIT];

/// One unit as masking sees it, in pre-order: a parent comes before its children and a
/// subtree is the index range `i..end`.
#[derive(Clone, Debug)]
pub(crate) struct MaskNode<'a> {
    pub code: &'a str,
    pub parent: Option<usize>,
    /// One past the last index of the unit's subtree.
    pub end: usize,
    /// The largest monthly sum of `ansatte` in the subtree, `None` when unknown.
    pub employees: Option<u32>,
    /// The kinds of figures (`NOW | LAST_YEAR | SPLIT`) registered on the unit itself.
    pub own: u8,
    /// The kinds of figures anywhere in the subtree.
    pub subtree: u8,
    /// Σ `ansatte` of the unit's own rows, per month of the period.
    pub own_by_month: &'a [u64],
}

impl MaskNode<'_> {
    fn has_data(&self) -> bool {
        self.subtree & (NOW | LAST_YEAR) != 0
    }
}

/// The reason each unit is masked, `None` for a shown one. `min_employees` 0: nothing masked.
// The loops below read and write `masks.out[i]` beside `nodes[i]`: an index is clearer.
#[allow(clippy::needless_range_loop)]
pub(crate) fn mask(nodes: &[MaskNode<'_>], min_employees: u32) -> Vec<Option<MaskReason>> {
    let n = nodes.len();
    let mut out: Vec<Option<MaskReason>> = vec![None; n];
    if min_employees == 0 {
        return out;
    }
    let min = u64::from(min_employees);
    for (i, node) in nodes.iter().enumerate() {
        if !node.has_data() {
            continue;
        }
        out[i] = match node.employees {
            None => Some(MaskReason::UnknownEmployees),
            Some(e) if u64::from(e) < min => Some(MaskReason::FewEmployees),
            Some(_) => None,
        };
    }
    let months = nodes.first().map_or(0, |x| x.own_by_month.len());
    let mut masks = Masks {
        nodes,
        top: vec![None; n],
        out,
    };
    loop {
        let mut changed = false;
        for r in 0..n {
            while masks.out[r].is_none() {
                masks.nearest_shown(r..nodes[r].end);
                let (figures, people) = masks.block(r, months);
                if !figures || people >= min {
                    break;
                }
                let pick = masks.fewest(r + 1..nodes[r].end, Some(r), None, NOW | LAST_YEAR);
                masks.out[pick.unwrap_or(r)] = Some(MaskReason::Secondary);
                changed = true;
            }
        }
        masks.nearest_shown(0..n);
        for m in 0..n {
            if masks.out[m].is_some() && nodes[m].has_data() {
                if let Some(pick) = masks.derivable(m) {
                    masks.out[pick] = Some(MaskReason::Secondary);
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            return masks.out;
        }
    }
}

struct Masks<'n, 'a> {
    nodes: &'n [MaskNode<'a>],
    /// The nearest shown unit among each unit and its ancestors.
    top: Vec<Option<usize>>,
    out: Vec<Option<MaskReason>>,
}

impl Masks<'_, '_> {
    /// Recomputes `top` over `range` (a subtree, or everything), parents first.
    fn nearest_shown(&mut self, range: std::ops::Range<usize>) {
        for u in range {
            self.top[u] = if self.out[u].is_none() {
                Some(u)
            } else {
                self.nodes[u].parent.and_then(|p| self.top[p])
            };
        }
    }

    /// Whether shown row `r`'s block has figures, and its largest monthly head count.
    fn block(&self, r: usize, months: usize) -> (bool, u64) {
        let mut people = vec![0u64; months];
        let mut figures = false;
        for u in r..self.nodes[r].end {
            if self.top[u] == Some(r) && self.nodes[u].own & (NOW | LAST_YEAR) != 0 {
                figures = true;
                for (m, p) in people.iter_mut().enumerate() {
                    *p += self.nodes[u].own_by_month.get(m).copied().unwrap_or(0);
                }
            }
        }
        (figures, people.into_iter().max().unwrap_or(0))
    }

    /// Among the shown units in `range` whose nearest shown ancestor is `above`, outside
    /// `except`'s subtree and with figures of `kind`: the one with the fewest employees
    /// (ties: by code).
    fn fewest(
        &self,
        range: std::ops::Range<usize>,
        above: Option<usize>,
        except: Option<usize>,
        kind: u8,
    ) -> Option<usize> {
        let outside = |v: usize| except.is_none_or(|x| v < x || v >= self.nodes[x].end);
        range
            .filter(|&v| {
                self.out[v].is_none()
                    && self.nodes[v].subtree & kind != 0
                    && self.nodes[v].parent.and_then(|p| self.top[p]) == above
                    && outside(v)
            })
            .min_by(|&a, &b| {
                let key = |v: usize| (self.nodes[v].employees.unwrap_or(0), self.nodes[v].code);
                key(a).cmp(&key(b))
            })
    }

    /// When masked unit `m`'s figures of some kind are a sum of blocks, the unit to mask
    /// next so that they are not.
    fn derivable(&self, m: usize) -> Option<usize> {
        let nodes = self.nodes;
        let inside = m..nodes[m].end;
        let above = self.top[m];
        for kind in KINDS {
            if nodes[m].subtree & kind == 0 {
                continue;
            }
            let uncovered = inside
                .clone()
                .any(|u| nodes[u].own & kind != 0 && self.top[u] == above);
            if !uncovered {
                // (a) all of it lies under shown rows inside: their sum.
                if let Some(v) = self.fewest(inside.clone(), above, None, kind) {
                    return Some(v);
                }
                continue;
            }
            let Some(a) = above else { continue };
            let elsewhere = (a..nodes[a].end).any(|u| {
                !inside.contains(&u) && self.top[u] == Some(a) && nodes[u].own & kind != 0
            });
            if !elsewhere {
                // (b) A's block is all inside m: m = A − A's other shown rows.
                return Some(
                    self.fewest(a + 1..nodes[a].end, Some(a), Some(m), kind)
                        .unwrap_or(a),
                );
            }
        }
        None
    }
}
