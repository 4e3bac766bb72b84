// Surveys and reference series (surveys.md): the words the målkart shows beside a value.
// The rule is the core's `format::reference_label`; its cases are in surveys.test.ts and in
// src/format.rs.

import type { Direction } from "../bindings/Direction";
import { formatNumber, roundHalfAway } from "./format";

/** First words of a series name that are common nouns, so lower case after a value. */
const COMMON = ["Landet", "Snitt", "Gjennomsnitt", "Fylket", "Kommunen", "Median"];

/** A series' name inside a sentence: `landet`, `KOSTRA-gruppe 13`, `Bærum`. */
export function seriesName(series: string): string {
  const first = series.trim().split(/\s+/)[0] ?? "";
  return COMMON.includes(first) ? series.charAt(0).toLowerCase() + series.slice(1) : series;
}

/** A reference series beside a value: `landet 4,3`, `KOSTRA-gruppe 13 4,0`, `Bærum 4,0`. */
export function referenceLabel(series: string, display: string): string {
  return `${seriesName(series)} ${display}`;
}

/**
 * A target relative to a series (`≥ landet`): at least as good as the series, so `≥` where
 * higher is better and `≤` where lower is. With the series' shown value when there is one.
 */
export function relativeTargetText(series: string, direction: Direction, shown: string | null = null): string {
  const sign = direction === "høy" ? "≥" : "≤";
  return `${sign} ${seriesName(series)}${shown === null ? "" : ` ${shown}`}`;
}

/** Where a score lies on the scale, 0–100 %, for a bar. */
export function barPercent(value: number, low: number, high: number): number {
  if (!(high > low)) return 0;
  return Math.min(100, Math.max(0, ((value - low) / (high - low)) * 100));
}

/** The change since the round before on the shown values (rounded half away from zero as
 * the core shows them, `decimals` places): `+0,2`, `−0,2`, `0,0`. */
export function changeText(now: number | null, before: number | null, decimals = 1): string {
  if (now === null || before === null) return "–";
  const scale = 10 ** decimals;
  const steps = Math.round(roundHalfAway(now, decimals) * scale) - Math.round(roundHalfAway(before, decimals) * scale);
  const text = formatNumber(Math.abs(steps) / scale, decimals);
  if (steps > 0) return `+${text}`;
  if (steps < 0) return `−${text}`;
  return text;
}
