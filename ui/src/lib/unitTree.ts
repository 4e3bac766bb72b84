// Which units the unit tree shows and where each stands among its siblings, without the
// DOM: the tree of a large municipality (1 500 units) is worked out in one pass each, so
// opening every branch stays quick (issue 17).

/** A unit as the tree needs it (a `UnitNode` fits). */
export interface TreeUnit {
  code: string;
  parent: string | null;
}

/** The units whose ancestors are all open, in the order given (tree order). A parent that
 * names no unit counts as the top; each unit's answer is found once, from its parent's. */
export function shownUnits<U extends TreeUnit>(units: U[], expanded: Set<string>): U[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const openAbove = new Map<string, boolean>();
  const allOpen = (code: string | null): boolean => {
    if (code === null || !byCode.has(code)) return true;
    const known = openAbove.get(code);
    if (known !== undefined) return known;
    openAbove.set(code, false); // a loop in the parents ends here
    const open = expanded.has(code) && allOpen(byCode.get(code)!.parent);
    openAbove.set(code, open);
    return open;
  };
  return units.filter((u) => allOpen(u.parent));
}

/** Each shown unit's place among its shown siblings, 1-based, and how many they are
 * (`aria-posinset`, `aria-setsize`): a screen reader says «3 av 12» though the tree draws
 * only the units in view. Units whose parent is not shown count as one set, the top. */
export function siblingPlaces(shown: TreeUnit[]): Map<string, { pos: number; size: number }> {
  const inSet = new Set(shown.map((u) => u.code));
  const setOf = (u: TreeUnit) => (u.parent !== null && inSet.has(u.parent) ? u.parent : null);
  const size = new Map<string | null, number>();
  for (const u of shown) size.set(setOf(u), (size.get(setOf(u)) ?? 0) + 1);
  const seen = new Map<string | null, number>();
  const out = new Map<string, { pos: number; size: number }>();
  for (const u of shown) {
    const key = setOf(u);
    const pos = (seen.get(key) ?? 0) + 1;
    seen.set(key, pos);
    out.set(u.code, { pos, size: size.get(key) ?? pos });
  }
  return out;
}
