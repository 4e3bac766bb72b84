// What the two report views show beside the core's numbers: cell texts (masked `*`, `–` for
// none, Norwegian decimals), the masking and forecast footnotes, deviation marks that survive
// black-and-white printing, the default period of each report and the default file names.

import type { SickLeaveSummary } from "../bindings/SickLeaveSummary";
import type { SickLeaveSummaryRow } from "../bindings/SickLeaveSummaryRow";
import type { MaskReason } from "../bindings/MaskReason";
import type { EconomyReport } from "../bindings/EconomyReport";
import type { ReportFormat } from "../bindings/ReportFormat";
import { formatNumber, roundHalfAway } from "./format";
import { MONTH_NAMES, type PeriodSel } from "./period";
import { widthCh } from "./grid/display";

/** An export format: the core's `Format`, generated from Rust. */
export type ExportFormat = ReportFormat;
const EXPORT_FORMAT_LABEL = {
  csv: "CSV",
  xlsx: "Excel",
  pdf: "PDF",
  json: "JSON",
} as const satisfies Record<ReportFormat, string>;
/** The export formats, in the order of the buttons. */
export const EXPORT_FORMATS: { format: ExportFormat; label: string }[] = (
  Object.keys(EXPORT_FORMAT_LABEL) as ExportFormat[]
).map((format) => ({ format, label: EXPORT_FORMAT_LABEL[format] }));

/** Each column's widest text in `ch` over all rows (a long report sets its columns so,
 * as it draws only the rows in view): `rows` are the rows' cell texts, column by column. */
export function columnWidthsCh(rows: string[][]): number[] {
  const out: number[] = [];
  for (const texts of rows) {
    texts.forEach((t, c) => {
      const w = widthCh(t);
      if (!(w <= (out[c] ?? 0))) out[c] = w;
    });
  }
  return out;
}

/** The text of a masked cell. */
export const MASKED = "*";
/** The text of a cell with no value. */
export const NONE = "–";

/** A number with `decimals` decimals, or `–` for none: `7,3`, `1 234,5`. */
export function num(value: number | null | undefined, decimals: number): string {
  return value === null || value === undefined ? NONE : formatNumber(value, decimals);
}

/** Percentage points with a sign: `+0,4`, `−1,2`, `0,0`. */
export function signedPp(value: number | null | undefined): string {
  if (value === null || value === undefined) return NONE;
  const text = formatNumber(value, 1);
  return text.startsWith("−") || /^0,0$/.test(text) ? text : `+${text}`;
}

/** A figure of the sick-leave summary: `*` on a masked row when the core hid it (null),
 * else the number (`7,3`) or `–`. */
export function sickCell(row: SickLeaveSummaryRow, value: number | null, decimals: number): string {
  if (row.masked && value === null) return MASKED;
  return num(value, decimals);
}

/**
 * The masking minimum a result's reason speaks of: a survey's minimum respondents for a
 * survey score, else the sick-leave minimum of employees.
 */
export function resultMinimum(r: { survey: { min_respondents: number } | null }, minEmployees: number): number {
  return r.survey?.min_respondents ?? minEmployees;
}

/** Why a row is hidden, for the cell's `title` (hover) and screen readers. */
export function maskReasonText(reason: MaskReason | null, minEmployees: number): string {
  switch (reason) {
    case "few_employees":
      return `Skjult av personvernhensyn: færre enn ${minEmployees} ansatte.`;
    case "unknown_employees":
      return "Skjult av personvernhensyn: antall ansatte er ikke registrert.";
    case "secondary":
      return "Skjult av personvernhensyn: ellers kunne skjulte tall regnes ut ved å trekke rader fra hverandre.";
    case "few_respondents":
      return `Skjult av personvernhensyn: færre enn ${minEmployees} svar.`;
    default:
      return "Skjult av personvernhensyn.";
  }
}

/** The reason in a few words, for a narrow cell (the full sentence goes in the tooltip). */
export function maskReasonShort(reason: MaskReason | null, minEmployees: number): string {
  switch (reason) {
    case "few_employees":
      return `færre enn ${minEmployees} ansatte`;
    case "unknown_employees":
      return "ukjent antall ansatte";
    case "secondary":
      return "kunne ellers regnes ut";
    case "few_respondents":
      return `færre enn ${minEmployees} svar`;
    default:
      return "skjult";
  }
}

/** How many rows are masked, by reason. */
export function maskCounts(summary: SickLeaveSummary): { few: number; unknown: number; secondary: number; total: number } {
  let few = 0;
  let unknown = 0;
  let secondary = 0;
  for (const r of summary.rows) {
    if (!r.masked) continue;
    if (r.mask_reason === "unknown_employees") unknown += 1;
    else if (r.mask_reason === "secondary") secondary += 1;
    else few += 1;
  }
  return { few, unknown, secondary, total: few + unknown + secondary };
}

const rows = (n: number) => (n === 1 ? "1 rad" : `${n} rader`);

/** The footnote under the table: how many rows were masked and why; `null` when none were.
 * With masking turned off (0) it says so. */
export function maskFootnote(summary: SickLeaveSummary): string | null {
  if (summary.min_employees === 0) return "Personvernmaskering er slått av (minste antall ansatte = 0): alle rader vises.";
  const c = maskCounts(summary);
  if (c.total === 0) return null;
  const parts: string[] = [];
  if (c.few > 0) parts.push(`${rows(c.few)} har færre enn ${summary.min_employees} ansatte`);
  if (c.unknown > 0) parts.push(`${rows(c.unknown)} har ukjent antall ansatte`);
  if (c.secondary > 0) parts.push(`${rows(c.secondary)} er skjult i tillegg, så de skjulte tallene ikke kan regnes ut ved å trekke rader fra hverandre`);
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} og ${parts[parts.length - 1]}`;
  return `${MASKED} Skjult av personvernhensyn: ${list}. Skjulte enheter er likevel med i summene over dem.`;
}

/** Whole kroner with digit groups: `1 234 567`, `−500`. */
export function kroner(value: number): string {
  return formatNumber(value, 0);
}

/** The mark of a deviation (budget − accounts, positive = under-spend): a shape and a word,
 * so it reads in black and white; `null` when it rounds to 0 kr. */
export function deviationMark(deviation: number): { mark: string; word: string; kind: "under" | "over" } | null {
  if (roundHalfAway(deviation, 0) === 0) return null;
  return deviation > 0
    ? { mark: "▼", word: "mindreforbruk", kind: "under" }
    : { mark: "▲", word: "merforbruk", kind: "over" };
}

/** The mark beside a forecast that is (partly) the budget because a unit sent none. */
export const NO_FORECAST_MARK = "†";

/** The footnote for forecasts that are the budget; `null` when every unit has a forecast. */
export function forecastFootnote(report: EconomyReport): string | null {
  const missing = report.rows[0]?.units_without_forecast ?? 0;
  if (!report.rows.some((r) => r.forecast_is_budget)) return null;
  const who = missing === 1 ? "1 enhet har" : `${missing} enheter har`;
  return `${NO_FORECAST_MARK} Prognose = budsjett: ${who} ikke levert prognose hittil i år og regnes som i balanse ved årsslutt.`;
}

/** `2026-09` → `september 2026`. */
export function monthLabel(id: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(id);
  if (!m || +m[2] < 1 || +m[2] > 12) return id;
  return `${MONTH_NAMES[+m[2] - 1]} ${m[1]}`;
}

/** The last quarter that has ended by the last full month: September → K3, October → K3. */
/** The props of a report page (Sykefravær, Økonomi): the unit chosen in the sidebar, the
 * last month with data (for the quick choices) and the period shown (bound: the app keeps it). */
export interface ReportPageProps {
  unit: string;
  latest: { year: number; month: number };
  period: PeriodSel;
}

export function lastFullQuarter(latest: { year: number; month: number }): PeriodSel {
  const q = Math.floor(latest.month / 3);
  return q === 0 ? { kind: "quarter", year: latest.year - 1, n: 4 } : { kind: "quarter", year: latest.year, n: q };
}

/** The last tertial that has ended by the last full month: August → T2, July → T1. */
export function lastFullTertial(latest: { year: number; month: number }): PeriodSel {
  const t = Math.floor(latest.month / 4);
  return t === 0 ? { kind: "tertial", year: latest.year - 1, n: 3 } : { kind: "tertial", year: latest.year, n: t };
}

/** A file name without characters that file systems refuse. */
function safe(part: string): string {
  return part.replace(/\.\./g, "_").replace(/[\\/:*?"<>|\s]+/g, "_");
}

/** `sykefravær-2000-2026-K3.csv`, `økonomi-1000-2026-T2.xlsx`. */
/** The reports with an export row, as their files are named. */
export type ReportName = "sykefravær" | "økonomi" | "tiltak" | "undersøkelse";

export function defaultFileName(report: ReportName, unit: string, period: string, format: ExportFormat): string {
  return `${report}-${safe(unit)}-${safe(period)}.${format}`;
}

/** The path to write for a format: a typed path ending in another report format's extension
 * gets this format's (so one typed name serves all four buttons); any other path is kept,
 * and the app adds the extension when there is none. */
export function pathForFormat(path: string, format: ExportFormat): string {
  const trimmed = path.trim();
  const m = /\.(csv|xlsx|pdf|json)$/i.exec(trimmed);
  return m ? trimmed.slice(0, m.index) + "." + format : trimmed;
}
