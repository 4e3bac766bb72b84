// The unit tree's search: which units a query finds (name or code, case-insensitive, after
// trimming), how many («3 treff»), and a name split into the parts a query matched, for
// <mark> in the tree. Ancestors of a hit are shown to give it its place, but are not hits.

/** The query as it is compared: trimmed, lower case, NFC (a name typed on a Mac is NFD). */
export function normaliseQuery(query: string): string {
  return query.trim().normalize("NFC").toLowerCase();
}

/** Does a unit match the (normalised, non-empty) query, by its name or its code? */
export function unitMatches(unit: { code: string; name: string }, q: string): boolean {
  return q !== "" && (unit.name.normalize("NFC").toLowerCase().includes(q) || unit.code.toLowerCase().includes(q));
}

/** `3 treff`: the number of units found (one word for one and many in Norwegian). */
export function hitCountText(count: number): string {
  return `${count} treff`;
}

/** A piece of a name, `hit` where the query matched it. */
export interface NamePart {
  text: string;
  hit: boolean;
}

/** The name split around every match of the (normalised) query, left to right and without
 * overlaps: «Furulund sykehjem» with `u` → F·u·r·u·l·u·nd sykehjem. A name whose lower case
 * has another length than the name (no Norwegian letter does) is returned whole. */
export function highlightParts(name: string, q: string): NamePart[] {
  const text = name.normalize("NFC");
  const lower = text.toLowerCase();
  if (q === "" || lower.length !== text.length) return [{ text, hit: false }];
  const parts: NamePart[] = [];
  let from = 0;
  for (let at = lower.indexOf(q); at !== -1; at = lower.indexOf(q, at + q.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), hit: false });
    parts.push({ text: text.slice(at, at + q.length), hit: true });
    from = at + q.length;
  }
  if (from < text.length || parts.length === 0) parts.push({ text: text.slice(from), hit: false });
  return parts;
}
