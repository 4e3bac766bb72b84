// Numbers the Norwegian way, as the core formats them (src/format.rs): rounding half away
// from zero, decimal comma, digit groups of three separated by a space, U+2212 for minus, and
// the unit label after a space. The UI uses these for what the core does not format itself:
// targets, axis labels, Σ numerator and denominator. The shared golden cases in
// tests/vectors/rules.json hold both to the same answers.

import { type Decimal, decimalFromNumber, decimalToNumber, groupDigits as groupDigitsWith, roundDecimal } from "./grid/number";

/** Rounds half away from zero, on the decimal the number stands for (Rust
 * `format::round_half_away`): 6.95 is 6.9499999… in binary and still rounds to 7.0. */
export function roundHalfAway(value: number, decimals: number): number {
  const d = decimalFromNumber(value);
  if (d === null) return value;
  const result = decimalToNumber(roundDecimal(d, decimals));
  return result === 0 ? 0 : result; // never −0
}

/** `1234567` → `1 234 567`, with the core's plain space. */
export function groupDigits(digits: string): string {
  return groupDigitsWith(digits, " ");
}

/** An exact decimal with exactly `decimals` places, rounded half away from zero if it has
 * more (Rust `format::decimal`): `1234567,5` → `1 234 567,50` with 2. */
export function formatDecimal(value: Decimal, decimals: number): string {
  const d = roundDecimal(value, decimals);
  const negative = d.digits < 0n;
  let digits = (negative ? -d.digits : d.digits).toString() + "0".repeat(decimals - d.scale);
  if (digits.length <= decimals) digits = "0".repeat(decimals + 1 - digits.length) + digits;
  const cut = digits.length - decimals;
  const frac = digits.slice(cut);
  return (negative ? "−" : "") + groupDigits(digits.slice(0, cut)) + (frac !== "" ? "," + frac : "");
}

/** `1234567.5` with 1 decimal → `1 234 567,5`; `-1.7` → `−1,7` (Rust `format::number`). */
export function formatNumber(value: number, decimals: number): string {
  const d = decimalFromNumber(value);
  return d === null ? String(value) : formatDecimal(d, decimals);
}

/** `7,3 %`, `1 234 567 kr`; no label, no suffix. */
export function withUnit(value: number, decimals: number, unitLabel: string): string {
  const n = formatNumber(value, decimals);
  const label = unitLabel.trim();
  return label === "" ? n : `${n} ${label}`;
}

/** A value or a dash for "none", for display: kept on one line (`keepNumbersTogether`). */
export function orDash(value: number | null | undefined, decimals: number, unitLabel = ""): string {
  return value === null || value === undefined ? "–" : keepNumbersTogether(withUnit(value, decimals, unitLabel));
}

/** `0.917` → `92 %`: coverage and other shares. */
export function formatShare(share: number): string {
  return withUnit(share * 100, 0, "%");
}

/** An RFC 3339 time as Norwegians write it, in this machine's time zone (a lock or a
 *  comment written elsewhere, or in summer, is shown in the reader's own clock time):
 *  `23.11.2026 kl. 16:05`. A text that is not such a time is shown as it is. */
export function formatDateTime(rfc3339: string): string {
  const at = new Date(rfc3339);
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(rfc3339) || Number.isNaN(at.getTime())) return rfc3339;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(at.getDate())}.${p(at.getMonth() + 1)}.${at.getFullYear()} kl. ${p(at.getHours())}:${p(at.getMinutes())}`;
}

/** For display: a line never breaks inside a number nor between a number and its unit.
 * The spaces between digit groups (`13 913,00`), after a number before a word or sign
 * (`8,5 %`, `3,1 per`, `1 000 døgn`) and after «per» before a number (`per 1 000`) become
 * no-break spaces, so `8,5 %` and `3,1 per 1 000 døgn` each stay whole; other spaces
 * (`100 × 10 195,00 / 13 913,00`, `mål 8,0 %`) may still break. The core writes plain
 * spaces (the command line, CSV, PDF); only the screen needs this. */
export function keepNumbersTogether(text: string): string {
  return text
    .replace(/(\d) (?=[\d\p{L}%‰])/gu, "$1\u00a0")
    .replace(/(^|[^\p{L}])(per) (?=\d)/gu, "$1$2\u00a0");
}

/** Axis steps a value shown with `decimals` places can take without two ticks printing the
 * same number: 1, 2 and 5 times each power of ten from its last decimal up (1 decimal:
 * 0,1, 0,2, 0,5, 1, 2, 5, …). */
export function valueSteps(decimals: number): number[] {
  const steps: number[] = [];
  for (let power = -decimals; power <= 15; power++) {
    for (const m of [1, 2, 5]) steps.push(Number(`${m}e${power}`));
  }
  return steps;
}
