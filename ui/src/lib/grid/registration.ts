// What the two registration views compute from the grid's text, without the DOM: the
// sick-leave row's absence percentage, the economy rows' year totals and subtree totals,
// and which rows or cells changed since the grid was loaded (only those are saved).

import type { SickLeaveCells } from "../../bindings/SickLeaveCells";
import type { EconomyCell } from "../../bindings/EconomyCell";
import { decimalToNumber, nineDecimals, parseAmount, parseDecimal, roundRatio } from "./number";
import { formatDecimal, formatNumber } from "../format";

/** The sick-leave grid's editable columns, in order: the import's column keys. */
export const SICK_LEAVE_COLUMNS: { key: keyof SickLeaveCells; label: string }[] = [
  { key: "avtalte_dagsverk", label: "Avtalte dagsverk" },
  { key: "egenmeldt", label: "Egenmeldt" },
  { key: "legemeldt", label: "Legemeldt" },
  { key: "ansatte", label: "Ansatte" },
  { key: "dager_1_3", label: "Dager 1–3" },
  { key: "dager_4_16", label: "Dager 4–16" },
  { key: "dager_17_56", label: "Dager 17–56" },
  { key: "dager_over_56", label: "Over 56 dager" },
];

export function cellsOf(texts: string[]): SickLeaveCells {
  const out = {} as SickLeaveCells;
  SICK_LEAVE_COLUMNS.forEach((c, i) => (out[c.key] = (texts[i] ?? "").trim()));
  return out;
}

export function textsOf(cells: SickLeaveCells): string[] {
  return SICK_LEAVE_COLUMNS.map((c) => cells[c.key]);
}

/** A percentage with one decimal and a comma: `6,4 %` (rounded as the core rounds). */
export function formatPct(value: number): string {
  return `${formatNumber(value, 1)}\u00a0%`;
}

/** Fravær % of one row as typed, as the core computes `SF` (src/engine: each figure taken
 * at nine decimals, then 100 × (egenmeldt + legemeldt) / avtalte dagsverk exactly, rounded
 * half away from zero to one decimal); `""` while a figure is missing or unreadable or the
 * contracted days are not above 0. The cells are read as the save reads them (to a double),
 * and egenmeldt + legemeldt added as doubles, as the core adds them. */
export function absencePct(texts: string[]): string {
  const [contracted, self, doctor] = [0, 1, 2].map((i) => parseDecimal(texts[i] ?? ""));
  if (contracted === null || self === null || doctor === null) return "";
  const c = decimalToNumber(contracted);
  if (!(c > 0)) return "";
  const a = nineDecimals(decimalToNumber(self) + decimalToNumber(doctor));
  const d = nineDecimals(c);
  if (a === null || d === null) return "";
  // 100 × (a.digits / 10^a.scale) / (d.digits / 10^d.scale)
  const pct = roundRatio(100n * a.digits * 10n ** BigInt(d.scale), d.digits * 10n ** BigInt(a.scale), 1);
  return pct === null ? "" : `${formatDecimal(pct, 1)}\u00a0%`;
}

/** The rows whose text differs from when the grid was loaded (trimmed), as the save wants. */
export function changedSickLeaveRows(
  units: string[],
  original: string[][],
  current: string[][],
): { unit: string; cells: SickLeaveCells }[] {
  const out = [];
  for (let r = 0; r < units.length; r++) {
    const n = SICK_LEAVE_COLUMNS.length;
    const before = (original[r] ?? []).slice(0, n).map((t) => t.trim());
    const now = (current[r] ?? []).slice(0, n).map((t) => t.trim());
    if (before.some((t, i) => t !== (now[i] ?? ""))) out.push({ unit: units[r], cells: cellsOf(now) });
  }
  return out;
}

/** Each row's own sum over the twelve months and its subtree's (the row and every row
 * below it: rows are in tree order, the subtree of row i is the rows after it that are
 * deeper), in øre; bad cells are left out and counted in `bad`. */
export interface EconomyTotals {
  own: number[];
  subtree: number[];
  /** Per month, the sum over all rows (the grid unit's subtree). */
  months: number[];
  bad: number;
}

export function economyTotals(depths: number[], texts: string[][]): EconomyTotals {
  const n = depths.length;
  let bad = 0;
  const values = texts.map((row) =>
    Array.from({ length: 12 }, (_, m) => {
      const p = parseAmount(row[m] ?? "");
      if (p === null) return 0;
      if (!p.ok) {
        bad += 1;
        return 0;
      }
      return p.value;
    }),
  );
  const own = values.map((row) => row.reduce((a, b) => a + b, 0));
  const subtree = own.map((_, i) => {
    let sum = own[i];
    for (let j = i + 1; j < n && depths[j] > depths[i]; j++) sum += own[j];
    return sum;
  });
  const months = Array.from({ length: 12 }, (_, m) => values.reduce((a, row) => a + row[m], 0));
  return { own, subtree, months, bad };
}

/** The economy cells whose text changed since the grid was loaded, in øre (`null` clears);
 * unreadable cells are left out (the grid shows their message and saving waits). */
export function changedEconomyCells(units: string[], original: string[][], current: string[][]): EconomyCell[] {
  const out: EconomyCell[] = [];
  units.forEach((unit, r) => {
    for (let m = 0; m < 12; m++) {
      const before = (original[r]?.[m] ?? "").trim();
      const now = (current[r]?.[m] ?? "").trim();
      if (before === now) continue;
      const p = parseAmount(now);
      if (p === null) out.push({ unit, month: m + 1, amount: null });
      else if (p.ok) {
        const old = parseAmount(before);
        // `1 000` retyped as `1000` is no change.
        if (old?.ok && old.value === p.value) continue;
        out.push({ unit, month: m + 1, amount: p.value });
      }
    }
  });
  return out;
}
