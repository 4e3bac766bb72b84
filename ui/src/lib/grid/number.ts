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

/** Answers of the parsers by text. A registration grid of 1 500 units reads its 20 000
 * cells again for every sum, width and drawn cell, and exact parsing (with `bigint`) costs
 * some microseconds a cell (issue 17); the answers are frozen, so sharing them is safe. */
class Memo<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly max = 100_000) {}
  get(text: string, compute: (text: string) => T): T {
    const hit = this.map.get(text);
    if (hit !== undefined || this.map.has(text)) return hit as T;
    const value = compute(text);
    if (value !== null && typeof value === "object") Object.freeze(value);
    this.set(text, value);
    return value;
  }
  set(text: string, value: T) {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(text, value);
  }
  has(text: string): boolean {
    return this.map.has(text);
  }
}
const decimals = new Memo<Decimal | null>();
const amounts = new Memo<Parsed | null>();
const figureTexts = new Memo<string>();
const amountTexts = new Memo<string>();

/** The number in `text`, exactly; `null` when it is not a number by the rules above. */
export function parseDecimal(text: string): Decimal | null {
  return decimals.get(text, readDecimal);
}

function readDecimal(text: string): Decimal | null {
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

/** The powers of ten that are exact in a double, as literals (not computed). */
const POWERS_OF_TEN = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

const abs = (n: bigint) => (n < 0n ? -n : n);

/** The nearest JavaScript number, correctly rounded (Rust `Decimal::to_f64`). */
export function decimalToNumber(d: Decimal): number {
  const magnitude = abs(d.digits);
  const power = POWERS_OF_TEN[d.scale];
  // Both operands exact (≤ 2^53 and 10^0‥10^22): one correctly rounded division.
  if (power !== undefined && magnitude <= 2n ** 53n) return Number(d.digits) / power;
  // Otherwise through the decimal text, which `Number` reads correctly rounded.
  const text = magnitude.toString().padStart(d.scale + 1, "0");
  const cut = text.length - d.scale;
  const value = Number(d.scale === 0 ? text : `${text.slice(0, cut)}.${text.slice(cut)}`);
  return d.digits < 0n ? -value : value;
}

/** The decimal with the fewest decimals that reads back as `x` (Rust `Decimal::from_f64`):
 * the number a person typed, when it was kept as a double. `String(x)` writes exactly that
 * (ECMAScript's shortest round-trip form). `null` for NaN and infinities. */
export function decimalFromNumber(x: number): Decimal | null {
  if (!Number.isFinite(x)) return null;
  if (x === 0) return { digits: 0n, scale: 0 };
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) return null;
  const [, sign, int, frac = "", exp = "0"] = m;
  let digits = BigInt(int + frac);
  let scale = frac.length - Number(exp);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: sign ? -digits : digits, scale };
}

/** `x` at nine decimals, the nearest (Rust `exact::figure`, which the engine reads every
 * figure with): `0,7 + 0,1` (0,7999999999999999 in binary) is 0,8. Beyond about 2,25
 * million, where nine decimals no longer fit a double's integer range, the decimal `x`
 * stands for. */
export function nineDecimals(x: number): Decimal | null {
  const t = x * 1e9;
  if (!(Math.abs(t) < 2 ** 51)) return decimalFromNumber(x);
  // Rust's `f64::round`: half away from zero.
  let digits = BigInt(Math.sign(t) * Math.round(Math.abs(t)));
  let scale = 9;
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale -= 1;
  }
  return { digits, scale };
}

/** Rounded half away from zero to `decimals` places, unchanged when it has no more (Rust
 * `Decimal::round`). */
export function roundDecimal(d: Decimal, decimals: number): Decimal {
  if (d.scale <= decimals) return d;
  const p = 10n ** BigInt(d.scale - decimals);
  // BigInt division truncates toward zero, as Rust's does.
  const q = d.digits / p;
  const r = abs(d.digits % p);
  const away = r >= p - r;
  return { digits: away ? q + (d.digits < 0n ? -1n : 1n) : q, scale: decimals };
}

/** `num / den` rounded half away from zero to `decimals` places, exactly (Rust
 * `exact::Ratio::round`); `null` when `den` is 0. */
export function roundRatio(num: bigint, den: bigint, decimals: number): Decimal | null {
  if (den === 0n) return null;
  if (den < 0n) [num, den] = [-num, -den];
  const p = 10n ** BigInt(decimals);
  const q = num / den;
  const r = (num % den) * p;
  let digits = q * p + r / den;
  const fr = abs(r % den);
  if (fr >= den - fr) digits += num < 0n ? -1n : num > 0n ? 1n : 0n;
  return { digits, scale: decimals };
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
  return amounts.get(text, readAmount);
}

function readAmount(text: string): Parsed | null {
  if (trimSpaces(text) === "") return null;
  const d = parseDecimal(text);
  if (d === null) return { ok: false, message: `«${text.trim()}» er ikke et beløp` };
  const ore = decimalToOre(d);
  if (ore === null) return { ok: false, message: `«${text.trim()}» har brøkdeler av øre` };
  return { ok: true, value: ore };
}

/** A run of digits in groups of three from the right, with `separator` between them (a
 * no-break space by default, as the grid shows figures): `1234567` → `1 234 567`. (Sliced,
 * not a look-ahead pattern: a loaded economy grid groups 18 000 amounts; issue 17.) */
export function groupDigits(digits: string, separator = "\u00a0"): string {
  const n = digits.length;
  if (n <= 3) return digits;
  const head = ((n - 1) % 3) + 1;
  let out = digits.slice(0, head);
  for (let i = head; i < n; i += 3) out += separator + digits.slice(i, i + 3);
  return out;
}

/** Whole øre as the grid shows them: `1 234 567,50` when there are øre, else `1 234 567`;
 * `−` for minus; narrow groups with no-break spaces so a cell never wraps inside a number. */
export function formatOre(ore: number): string {
  const negative = ore < 0;
  const abs = Math.abs(ore);
  const kroner = Math.floor(abs / 100);
  const rest = abs % 100;
  const grouped = groupDigits(String(kroner));
  const text = rest === 0 ? grouped : `${grouped},${String(rest).padStart(2, "0")}`;
  return negative && abs !== 0 ? `\u2212${text}` : text;
}

/** `formatOre` for an amount loaded from the core: `parseAmount` is told its text's value
 * (the two round-trip, tested), so a loaded grid's cells are never parsed. */
export function formatLoadedOre(ore: number): string {
  const text = formatOre(ore);
  if (!amounts.has(text)) amounts.set(text, Object.freeze({ ok: true as const, value: ore === 0 ? 0 : ore }));
  if (!amountTexts.has(text)) amountTexts.set(text, text);
  return text;
}

/** An amount's text as the grid shows it once it reads as one: `1234567,5` →
 * `1 234 567,50` (`formatOre` of its øre); text that is no amount is shown as typed. A
 * loaded amount's text is already so (`formatLoadedOre` says it), so showing a loaded
 * grid formats nothing again. */
export function formatAmountText(text: string): string {
  return amountTexts.get(text, showAmount);
}

function showAmount(text: string): string {
  const p = parseAmount(text);
  return p?.ok ? formatOre(p.value) : text;
}

/** A figure with at most `decimals` decimals, trailing zeros dropped, decimal comma:
 * `12.5` → `12,5`, `3` → `3`, `1234.25` → `1\u00a0234,25`. */
export function formatFigure(value: number, decimals = 2): string {
  const fixed = Math.abs(value).toFixed(decimals);
  let [int, frac] = fixed.split(".");
  frac = (frac ?? "").replace(/0+$/, "");
  int = groupDigits(int);
  const text = frac ? `${int},${frac}` : int;
  return value < 0 && Number(fixed) !== 0 ? `\u2212${text}` : text;
}

/** Whole øre in thousands of kroner, rounded half away from zero to whole thousands, as
 * the economy grid's «i 1 000 kr» view shows them: 1 234 567,50 kr → `1 235`; −500 kr →
 * `−1`; −499,99 kr → `0` (never `−0`). Only for display: the stored øre are not touched.
 * Exact in integers (øre are safe integers, so is their remainder). */
export function formatThousands(ore: number): string {
  const negative = ore < 0;
  const abs = Math.abs(ore);
  // 1 000 kr = 100 000 øre.
  const whole = Math.floor(abs / 100_000);
  const rest = abs - whole * 100_000;
  const thousands = rest * 2 >= 100_000 ? whole + 1 : whole;
  const grouped = groupDigits(String(thousands));
  return negative && thousands !== 0 ? `\u2212${grouped}` : grouped;
}

/** A figure's text as the grid shows it once it reads as a number: digit groups with
 * no-break spaces, decimal comma, `−` for minus, the decimals as typed (`10027,4` →
 * `10 027,4`, `1.5` → `1,5`, `12,50` → `12,50`). Text that is not a number is shown as
 * typed (the cell's message says why). Only for display: the cell keeps its text. */
export function formatFigureText(text: string): string {
  return figureTexts.get(text, groupFigureText);
}

function groupFigureText(text: string): string {
  const d = parseDecimal(text);
  if (d === null) return text;
  const negative = d.digits < 0n;
  let digits = abs(d.digits).toString();
  if (digits.length <= d.scale) digits = "0".repeat(d.scale + 1 - digits.length) + digits;
  const cut = digits.length - d.scale;
  const int = groupDigits(digits.slice(0, cut));
  const body = d.scale > 0 ? `${int},${digits.slice(cut)}` : int;
  return negative && d.digits !== 0n ? `\u2212${body}` : body;
}
