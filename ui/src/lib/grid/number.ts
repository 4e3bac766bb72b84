// Reading numbers the Norwegian way, by the core's rules (src/number.rs, files.md "Numbers"):
// decimal comma or point, digit groups separated by spaces (also U+00A0 and U+202F) or
// points, `-` or `−` minus, a trailing `%` or `kr`. Exact: digits and a scale, so amounts in
// kroner reach øre without binary floating point. The grid uses it to show a message at
// once; Rust reads the same text again on save and has the last word.
//
// Where the text is ambiguous the rules decide as the core does:
// - a single point and no comma is a decimal point: `1.234` is 1,234;
// - with a comma present, the comma is the decimal separator and points may only group;
// - several points and no comma group digits: `1.234.567` is 1234567;
// - a group separator stands between groups of exactly three digits (the first 1–3);
//   spaces and points do not mix as group separators in one number;
// - a decimal separator needs digits on both sides: `7,` and `,5` are refused.

/** An exact decimal number: `digits × 10^−scale`. */
export interface Decimal {
  digits: bigint;
  scale: number;
}

const MAX_DIGITS = 36;

const isSpace = (c: string) => c === " " || c === "\u00a0" || c === "\u202f";

function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (isSpace(s[a]) || s[a] === "\t")) a++;
  while (b > a && (isSpace(s[b - 1]) || s[b - 1] === "\t")) b--;
  return s.slice(a, b);
}

function groupsAreValid(groups: string[]): boolean {
  const digits = (g: string) => g.length > 0 && /^[0-9]+$/.test(g);
  if (groups.length === 0 || !digits(groups[0])) return false;
  for (const g of groups.slice(1)) {
    if (!digits(g) || g.length !== 3) return false;
  }
  return groups.length === 1 || groups[0].length <= 3;
}

function groupingIsValid(intPart: string, pointGroups: boolean): boolean {
  const hasSpace = [...intPart].some(isSpace);
  const hasPoint = intPart.includes(".");
  if (hasPoint && (!pointGroups || hasSpace)) return false;
  if (hasPoint) return groupsAreValid(intPart.split("."));
  return groupsAreValid(intPart.split(/[ \u00a0\u202f]/));
}

/** The number in `text`, exactly; `null` when it is not a number by the rules above. */
export function parseDecimal(text: string): Decimal | null {
  let s = trimSpaces(text);
  if (s.endsWith("%")) {
    s = trimSpaces(s.slice(0, -1));
  } else if (s.length >= 2 && s.slice(-2).toLowerCase() === "kr") {
    s = trimSpaces(s.slice(0, -2));
  }
  let negative = false;
  if (s.startsWith("-") || s.startsWith("\u2212")) {
    negative = true;
    s = s.slice(1);
  }
  if (s === "" || ![...s].every((c) => (c >= "0" && c <= "9") || c === "." || c === "," || isSpace(c))) {
    return null;
  }
  const commas = s.split(",").length - 1;
  const points = s.split(".").length - 1;
  let intPart: string;
  let fracPart: string | null;
  let pointGroups: boolean;
  if (commas === 0 && points === 0) {
    [intPart, fracPart, pointGroups] = [s, null, false];
  } else if (commas === 0 && points === 1) {
    const i = s.indexOf(".");
    [intPart, fracPart, pointGroups] = [s.slice(0, i), s.slice(i + 1), false];
  } else if (commas === 0) {
    [intPart, fracPart, pointGroups] = [s, null, true];
  } else if (commas === 1) {
    const i = s.indexOf(",");
    [intPart, fracPart, pointGroups] = [s.slice(0, i), s.slice(i + 1), points > 0];
  } else {
    return null;
  }
  if (!groupingIsValid(intPart, pointGroups)) return null;
  let frac = "";
  if (fracPart !== null) {
    if (fracPart === "" || !/^[0-9]+$/.test(fracPart)) return null;
    frac = fracPart;
  }
  const all = (intPart.replace(/[^0-9]/g, "") + frac).replace(/^0+/, "");
  if (all.length > MAX_DIGITS) return null;
  const magnitude = all === "" ? 0n : BigInt(all);
  return { digits: negative ? -magnitude : magnitude, scale: frac.length };
}

/** The nearest JavaScript number. */
export function decimalToNumber(d: Decimal): number {
  return Number(d.digits) / 10 ** d.scale;
}

/** Kroner as whole øre, exactly; `null` with øre fractions (`1,005`) or beyond safe integers.
 * Trailing zeros do not count: `1,500` is 150 øre. */
export function decimalToOre(d: Decimal): number | null {
  let { digits, scale } = d;
  while (scale > 2 && digits % 10n === 0n) {
    digits /= 10n;
    scale -= 1;
  }
  if (scale > 2) return null;
  const ore = digits * 10n ** BigInt(2 - scale);
  if (ore > BigInt(Number.MAX_SAFE_INTEGER) || ore < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(ore);
}

/** A cell's text read as a number: `null` for an empty cell, else the value or a message. */
export type Parsed = { ok: true; value: number } | { ok: false; message: string };

/** A figure (dagsverk, persons): the value, or the core's message `«x» er ikke et tall`. */
export function parseNumber(text: string): Parsed | null {
  if (trimSpaces(text) === "") return null;
  const d = parseDecimal(text);
  if (d === null) return { ok: false, message: `«${text.trim()}» er ikke et tall` };
  return { ok: true, value: decimalToNumber(d) };
}

/** An amount in kroner as whole øre, or a message. */
export function parseAmount(text: string): Parsed | null {
  if (trimSpaces(text) === "") return null;
  const d = parseDecimal(text);
  if (d === null) return { ok: false, message: `«${text.trim()}» er ikke et beløp` };
  const ore = decimalToOre(d);
  if (ore === null) return { ok: false, message: `«${text.trim()}» har brøkdeler av øre` };
  return { ok: true, value: ore };
}

/** Whole øre as the grid shows them: `1 234 567,50` when there are øre, else `1 234 567`;
 * `−` for minus; narrow groups with no-break spaces so a cell never wraps inside a number. */
export function formatOre(ore: number): string {
  const negative = ore < 0;
  const abs = Math.abs(ore);
  const kroner = Math.floor(abs / 100);
  const rest = abs % 100;
  const grouped = String(kroner).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  const text = rest === 0 ? grouped : `${grouped},${String(rest).padStart(2, "0")}`;
  return negative && abs !== 0 ? `\u2212${text}` : text;
}

/** A figure with at most `decimals` decimals, trailing zeros dropped, decimal comma:
 * `12.5` → `12,5`, `3` → `3`, `1234.25` → `1\u00a0234,25`. */
export function formatFigure(value: number, decimals = 2): string {
  const fixed = Math.abs(value).toFixed(decimals);
  let [int, frac] = fixed.split(".");
  frac = (frac ?? "").replace(/0+$/, "");
  int = int.replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  const text = frac ? `${int},${frac}` : int;
  return value < 0 && Number(fixed) !== 0 ? `\u2212${text}` : text;
}
