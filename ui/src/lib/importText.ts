// An import's outcome in words: counts with the right plural (1 rad / 2 rader), and a
// refused file's problems split into those of the file as a whole (line 0 from the core:
// not CSV or XLSX, empty, a missing column) and those of a line — so no «Linje 0».

import type { ImportReport } from "../bindings/ImportReport";
import type { LineError } from "../bindings/LineError";
import { formatNumber, keepNumbersTogether } from "./format";

/** `1 rad`, `2 rader`: `count` with the singular or the plural word. */
export function count(n: number, one: string, many: string): string {
  return `${keepNumbersTogether(formatNumber(n, 0))} ${n === 1 ? one : many}`;
}

/** `«enheter.csv» er importert: 1 ny rad, 2 endret og 3 uendret.` */
export function importedText(r: Pick<ImportReport, "file" | "created" | "changed" | "unchanged">): string {
  return `«${r.file}» er importert: ${count(r.created, "ny rad", "nye rader")}, ${r.changed} endret og ${r.unchanged} uendret.`;
}

/** `1 feil i filen`, `3 feil i filen` (feil is the same in both); with how many lines. */
export function failureSummary(errors: LineError[], total: number): string {
  const lines = new Set(errors.filter((e) => e.line > 0).map((e) => e.line)).size;
  const where = lines > 0 && total === errors.length ? ` på ${count(lines, "linje", "linjer")}` : "";
  return `${total} feil i filen${where}. Rett ${total === 1 ? "den" : "dem"} og forhåndsvis på nytt.`;
}

/** A message as a sentence: a capital first letter and a full stop (`filen «x.csv» er tom`
 *  → `Filen «x.csv» er tom.`). */
export function sentence(text: string): string {
  const t = text.trim();
  if (t === "") return t;
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The problems of the file as a whole (no line) and those of its lines, apart. */
export function splitProblems(errors: LineError[]): { file: LineError[]; lines: LineError[] } {
  return { file: errors.filter((e) => e.line === 0), lines: errors.filter((e) => e.line > 0) };
}
