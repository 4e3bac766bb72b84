// The period picker's model: which kind of period is chosen (måned, kvartal, tertial,
// halvår, år, hittil i år), stepping to the previous or next one (across year boundaries),
// switching kind while keeping the last month, canonical ids (engine.md §2) and the
// Norwegian labels the core also produces (`3. kvartal 2026`, `januar–september 2026`).

export type PeriodKind = "month" | "quarter" | "tertial" | "half" | "year" | "ytd";

/** `n` is the month (1–12) for month and ytd ("through month n"), else the quarter,
 * tertial or half number; 1 for a year. */
export interface PeriodSel {
  kind: PeriodKind;
  year: number;
  n: number;
}

export const KINDS: { kind: PeriodKind; label: string }[] = [
  { kind: "month", label: "Måned" },
  { kind: "quarter", label: "Kvartal" },
  { kind: "tertial", label: "Tertial" },
  { kind: "half", label: "Halvår" },
  { kind: "year", label: "År" },
  { kind: "ytd", label: "Hittil i år" },
];

export const MONTH_NAMES = [
  "januar", "februar", "mars", "april", "mai", "juni",
  "juli", "august", "september", "oktober", "november", "desember",
];

/** Months per step for the kinds made of aligned spans. */
const SPAN: Record<Exclude<PeriodKind, "ytd">, number> = {
  month: 1, quarter: 3, tertial: 4, half: 6, year: 12,
};

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The last month of a selection, as `{ year, month }`. */
export function lastMonth(p: PeriodSel): { year: number; month: number } {
  if (p.kind === "month" || p.kind === "ytd") return { year: p.year, month: p.n };
  return { year: p.year, month: p.n * SPAN[p.kind] };
}

/** The selection of `kind` that contains the month (for ytd: through that month). */
export function fromMonth(kind: PeriodKind, year: number, month: number): PeriodSel {
  if (kind === "month" || kind === "ytd") return { kind, year, n: month };
  return { kind, year, n: Math.ceil(month / SPAN[kind]) };
}

/** Switches kind, keeping the last month: September → 3. kvartal → januar–september. */
export function switchKind(p: PeriodSel, kind: PeriodKind): PeriodSel {
  const { year, month } = lastMonth(p);
  return fromMonth(kind, year, month);
}

/** A calendar month. */
export interface YearMonth {
  year: number;
  month: number;
}

/** The earlier of two months. */
export function earlier(a: YearMonth, b: YearMonth): YearMonth {
  return a.year * 12 + a.month <= b.year * 12 + b.month ? a : b;
}

/** The latest complete period of `kind` that ends by `anchor` — the month the picker is
 * anchored at (the last month with data, or the month a person stepped to): November 2026
 * gives november 2026, 3. kvartal, 2. tertial, 1. halvår, 2025 and januar–november 2026.
 * A month and hittil i år end at the anchor itself. */
export function latestComplete(kind: PeriodKind, anchor: YearMonth): PeriodSel {
  if (kind === "month" || kind === "ytd") return { kind, year: anchor.year, n: anchor.month };
  const len = SPAN[kind];
  const done = Math.floor(anchor.month / len);
  return done > 0 ? { kind, year: anchor.year, n: done } : { kind, year: anchor.year - 1, n: 12 / len };
}

/** The picker's anchor after a person stepped to `p`: its last month, but never after
 * `latest` (stepping into a period that has not ended keeps the anchor at the latest). */
export function anchorOf(p: PeriodSel, latest: YearMonth): YearMonth {
  return earlier(lastMonth(p), latest);
}

/** The month the app is anchored at when it opens: the last month with data, never after
 * the last full month (`null`: nothing registered yet). */
export function openingMonth(lastFull: string, lastWithData: string | null): YearMonth {
  const parse = (id: string): YearMonth => {
    const [year, month] = id.split("-").map(Number);
    return { year, month };
  };
  return lastWithData === null ? parse(lastFull) : earlier(parse(lastWithData), parse(lastFull));
}

/** «Foreløpig · 2 av 3 måneder» (the core's `progress::provisional_text`). */
export function provisionalText(covered: number, total: number): string {
  return `Foreløpig · ${covered} av ${total} ${total === 1 ? "måned" : "måneder"}`;
}

/** `2026-09`, `2026-K3`, `2026-T2`, `2026-H1`, `2026`, `2026-01..2026-09`. */
export function periodId(p: PeriodSel): string {
  switch (p.kind) {
    case "month": return `${p.year}-${pad2(p.n)}`;
    case "quarter": return `${p.year}-K${p.n}`;
    case "tertial": return `${p.year}-T${p.n}`;
    case "half": return `${p.year}-H${p.n}`;
    case "year": return `${p.year}`;
    case "ytd": return `${p.year}-01..${p.year}-${pad2(p.n)}`;
  }
}

function step(p: PeriodSel, delta: 1 | -1): PeriodSel {
  if (p.kind === "year") return { ...p, year: p.year + delta };
  // Hittil i år steps by month: through August, through September, … and across the new
  // year from "through January 2026" back to "through December 2025".
  const count = p.kind === "month" || p.kind === "ytd" ? 12 : 12 / SPAN[p.kind];
  const index = p.year * count + (p.n - 1) + delta;
  return { kind: p.kind, year: Math.floor(index / count), n: (index % count + count) % count + 1 };
}

export const previousPeriod = (p: PeriodSel) => step(p, -1);
export const nextPeriod = (p: PeriodSel) => step(p, 1);

/** The way the person steps when `p` was reached from the period `from` (an id): back
 * (`previousPeriod`) when `from` is the one after `p`, forward (`nextPeriod`) when it is
 * the one before, else `null` (a jump, or another kind of period). */
export function stepWay(from: string, p: PeriodSel): ((p: PeriodSel) => PeriodSel) | null {
  if (from === periodId(nextPeriod(p))) return previousPeriod;
  if (from === periodId(previousPeriod(p))) return nextPeriod;
  return null;
}

/** Whether the period picker steps forward from `p`: periods after the latest month with
 * data can be stepped to (targets for the rest of the year), up to a year ahead of it. */
export function stepsForward(p: PeriodSel, latest: YearMonth): boolean {
  return !isAfter(nextPeriod(p), { year: latest.year + 1, month: latest.month });
}

/** Is `p` after the month `limit` ends (nothing can be registered for it yet)? */
export function isAfter(p: PeriodSel, limit: { year: number; month: number }): boolean {
  const { year, month } = lastMonth(p);
  return year * 12 + month > limit.year * 12 + limit.month;
}

/** The label of a selection, as the core writes it. */
export function periodLabel(p: PeriodSel): string {
  switch (p.kind) {
    case "month": return `${MONTH_NAMES[p.n - 1]} ${p.year}`;
    case "quarter": return `${p.n}. kvartal ${p.year}`;
    case "tertial": return `${p.n}. tertial ${p.year}`;
    case "half": return `${p.n}. halvår ${p.year}`;
    case "year": return `${p.year}`;
    case "ytd": return p.n === 1 ? `januar ${p.year}` : `januar–${MONTH_NAMES[p.n - 1]} ${p.year}`;
  }
}

/** The years the core accepts (src/period.rs `MIN_YEAR`, `MAX_YEAR`). */
const MIN_YEAR = 1900;
const MAX_YEAR = 2200;
/** The longest month range the core accepts (ten years). */
const MAX_RANGE_MONTHS = 120;

/** Parses a canonical period id from the core; `null` for anything else (as the core
 * refuses it: years 1900–2200, ranges forwards and of at most 120 months). A month range
 * is returned as ytd when it starts in January and ends in the same year. */
export function parsePeriodId(id: string): PeriodSel | { range: [number, number, number, number] } | null {
  let m: RegExpExecArray | null;
  const okMonth = (t: string) => +t >= 1 && +t <= 12;
  const okYear = (t: string) => +t >= MIN_YEAR && +t <= MAX_YEAR;
  if ((m = /^(\d{4})/.exec(id)) && !okYear(m[1])) return null;
  if ((m = /^(\d{4})-(\d{2})$/.exec(id))) return okMonth(m[2]) ? { kind: "month", year: +m[1], n: +m[2] } : null;
  if ((m = /^(\d{4})-K([1-4])$/.exec(id))) return { kind: "quarter", year: +m[1], n: +m[2] };
  if ((m = /^(\d{4})-T([1-3])$/.exec(id))) return { kind: "tertial", year: +m[1], n: +m[2] };
  if ((m = /^(\d{4})-H([12])$/.exec(id))) return { kind: "half", year: +m[1], n: +m[2] };
  if ((m = /^(\d{4})$/.exec(id))) return { kind: "year", year: +m[1], n: 1 };
  if ((m = /^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$/.exec(id))) {
    const [y1, m1, y2, m2] = [+m[1], +m[2], +m[3], +m[4]];
    if (!okMonth(m[2]) || !okMonth(m[4]) || !okYear(m[3])) return null;
    const months = y2 * 12 + m2 - (y1 * 12 + m1) + 1;
    if (months < 1 || months > MAX_RANGE_MONTHS) return null;
    if (m1 === 1 && y1 === y2) return { kind: "ytd", year: y2, n: m2 };
    return { range: [y1, m1, y2, m2] };
  }
  return null;
}

/** The Norwegian label of a canonical period id, as the core writes it (`Period::label`):
 * `2026-K3` → `3. kvartal 2026`; a range is always two months, `januar–januar 2026` too. */
export function labelOfId(id: string): string {
  const parsed = parsePeriodId(id);
  if (parsed === null) return id;
  if (!("range" in parsed) && parsed.kind !== "ytd") return periodLabel(parsed);
  const [y1, m1, y2, m2] = "range" in parsed ? parsed.range : [parsed.year, 1, parsed.year, parsed.n];
  return y1 === y2
    ? `${MONTH_NAMES[m1 - 1]}–${MONTH_NAMES[m2 - 1]} ${y2}`
    : `${MONTH_NAMES[m1 - 1]} ${y1}–${MONTH_NAMES[m2 - 1]} ${y2}`;
}

/** A short label for chart axes: `sep. 26`, `K3 26`, `T2 26`, `H1 26`, `2026`. */
export function shortLabelOfId(id: string): string {
  const p = parsePeriodId(id);
  if (p === null || "range" in p) return id;
  const yy = pad2(p.year % 100);
  switch (p.kind) {
    case "month": return `${MONTH_NAMES[p.n - 1].slice(0, 3)}. ${yy}`;
    case "quarter": return `K${p.n} ${yy}`;
    case "tertial": return `T${p.n} ${yy}`;
    case "half": return `H${p.n} ${yy}`;
    case "year": return `${p.year}`;
    case "ytd": return `jan.–${MONTH_NAMES[p.n - 1].slice(0, 3)}. ${yy}`;
  }
}

/** The year of a period's last month (whose targets apply, engine.md §5). */
export function yearOfId(id: string): number | null {
  const p = parsePeriodId(id);
  if (p === null) return null;
  return "range" in p ? p.range[2] : p.year;
}
