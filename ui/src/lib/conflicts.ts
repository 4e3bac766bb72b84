// Conflicts and local-first marks in words (sharing.md §4, issue 14): the values of a kept
// conflict as a person reads them, the explanation of a refusal (`låst`, `ingen tilgang`),
// the batches of the «Konflikter» list with the preview of a choice for a whole batch, and
// the marks on grid cells and målkart indicators (a change waiting to be sent, a conflict).
// Numbers the Norwegian way (format.ts), times in this machine's clock.

import type { OutboxConflict } from "../bindings/OutboxConflict";
import type { CellMark } from "../bindings/CellMark";
import type { Choice } from "../bindings/Choice";
import type { SickLeaveCells } from "../bindings/SickLeaveCells";
import type { ActionStatus } from "../bindings/ActionStatus";
import { formatDateTime, formatNumber, keepNumbersTogether } from "./format";
import { ACTION_STATUS_WORD, costText, monthText, statusText } from "./actions";

/** The mark on a cell in conflict and on one waiting to be sent: a symbol as well as a
 *  colour, never a colour alone. */
export const CONFLICT_MARK = "⚠";
export const PENDING_MARK = "↑";

/** How many decimals a number's own text has (`4.25` → 2, `4.0` → 1, `400` → 0). */
function decimalsOf(text: string): number {
  const m = /\.(\d+)(?:[eE]|$)/.exec(text);
  return m ? m[1].length : 0;
}

/** A conflict's value (JSON text as the outbox keeps it; `null` for an empty cell) as a
 *  person reads it: `4,0`, `1 234,50 kr` (economy is kept in øre), «tekst», `låst`. A
 *  number gets its own decimals, or `decimals` when given (the most of a conflict's three
 *  values, so `12` from the server and `14.0` from here read `12,0` and `14,0`). */
export function valueText(json: string | null, entity: string, decimals?: number, field = ""): string {
  if (json === null || json === "null") return "tom";
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  if (entity === "actions") {
    const words = actionValueText(field, value);
    if (words !== null) return words;
  }
  if (typeof value === "number") {
    if (entity === "economy") return keepNumbersTogether(`${formatNumber(value / 100, 2)} kr`);
    return keepNumbersTogether(formatNumber(value, Math.max(decimals ?? 0, decimalsOf(json.trim()))));
  }
  if (typeof value === "boolean") {
    if (entity === "locked_months") return value ? "låst" : "ikke låst";
    return value ? "ja" : "nei";
  }
  if (typeof value === "string") return `«${value}»`;
  return json;
}

/** A tiltak's cell as the tiltak screens write it: the status as mark and word, the type,
 *  the month, progress in per cent, the cost in kroner, the indicators as a list; `null`
 *  for a cell shown as any other (title, responsible, …). */
function actionValueText(field: string, value: unknown): string | null {
  if (field === "status" && typeof value === "string" && value in ACTION_STATUS_WORD) {
    return statusText(value as ActionStatus);
  }
  if ((field === "start" || field === "deadline") && typeof value === "string") return monthText(value);
  if (field === "progress" && typeof value === "number") return `${value} %`;
  if (field === "cost_ore" && typeof value === "number") return keepNumbersTogether(costText(value));
  if (field === "indicators" && typeof value === "string") {
    try {
      const codes: unknown = JSON.parse(value);
      if (Array.isArray(codes)) return codes.length === 0 ? "ingen" : codes.join(", ");
    } catch {
      return null;
    }
  }
  return null;
}

/** The decimals a conflict's numbers are shown with: the most any of its values has. */
export function conflictDecimals(c: OutboxConflict): number {
  return Math.max(...[c.base, c.mine, c.theirs].map((v) => (v === null ? 0 : decimalsOf(v.trim()))));
}

/** A conflict's base, mine and theirs in words, with the same decimals. */
export function conflictValues(c: OutboxConflict): { base: string; mine: string; theirs: string } {
  const d = conflictDecimals(c);
  return {
    base: valueText(c.base, c.entity, d, c.field),
    mine: valueText(c.mine, c.entity, d, c.field),
    theirs: valueText(c.theirs, c.entity, d, c.field),
  };
}

/** «eva, 02.04.2026 kl. 09:00»; what is known of who and when, or `null`. */
export function whoWhen(who: string | null, when: string | null): string | null {
  const parts = [who, when === null ? null : formatDateTime(when)].filter((p): p is string => p !== null && p !== "");
  return parts.length === 0 ? null : parts.join(", ");
}

/** A refusal (`låst`, `ingen tilgang`, `ugyldig`) cannot be kept as «Behold min». */
export function isRefusal(kind: string): boolean {
  return kind !== "conflict";
}

/** The kind in a word or two, for the list's badge (with its symbol, never a colour alone). */
export function kindLabel(kind: string): string {
  switch (kind) {
    case "conflict":
      return "Konflikt";
    case "låst":
      return "Låst måned";
    case "ingen tilgang":
      return "Ingen tilgang";
    default:
      return "Avvist";
  }
}

/** What a refusal means and what the person can do, in words; `null` for a conflict. */
export function refusalText(kind: string, reason: string | null): string | null {
  const why = reason ? ` Serveren sa: ${reason}.` : "";
  switch (kind) {
    case "conflict":
      return null;
    case "låst":
      return `Måneden er låst på serveren, så endringen din kan ikke lagres der.${why} Kopier verdien om du trenger den, og forkast endringen; be en administrator låse opp måneden om den må endres.`;
    case "ingen tilgang":
      return `Du har ikke skrivetilgang til denne cellen på serveren, så endringen din kan ikke lagres der.${why} Kopier verdien om du trenger den, og forkast endringen; be en administrator om tilgang.`;
    default:
      return `Serveren godtok ikke verdien.${why} Kopier verdien, forkast endringen og skriv en gyldig verdi på nytt.`;
  }
}

/** Where in an imported file the conflict's cell came from: «linje 14»; `null` for a
 *  save in a grid or another change made in the app. */
export function lineText(c: OutboxConflict): string | null {
  return c.line === null ? null : `linje ${c.line}`;
}

/** What is copied with «Kopier verdien»: the cell and this desktop's value. */
export function copiedText(c: OutboxConflict): string {
  return `${c.cell}: ${conflictValues(c).mine.replace(/\u00a0/g, " ")}`;
}

/** One batch of the list: the conflicts of one local write (a grid save, an import). */
export interface ConflictBatch {
  batch: string;
  /** «manuell», an imported file's name, … */
  label: string;
  conflicts: OutboxConflict[];
  /** How many of them are refusals (then «Behold min» is not offered for the batch). */
  refusals: number;
}

/** The conflicts grouped by batch, in the order their first conflict came (oldest first). */
export function groupByBatch(list: OutboxConflict[]): ConflictBatch[] {
  const out = new Map<string, ConflictBatch>();
  for (const c of list) {
    let b = out.get(c.batch);
    if (!b) {
      b = { batch: c.batch, label: c.batch_label, conflicts: [], refusals: 0 };
      out.set(c.batch, b);
    }
    b.conflicts.push(c);
    if (isRefusal(c.kind)) b.refusals += 1;
  }
  return [...out.values()];
}

/** How many conflicts the list shows at first, and adds with «Vis flere»: 1 000 conflicts
 *  of one import drawn at once took about a second to show in the window and scrolled in
 *  jerks (docs/benchmarks.md §15); a batch's choice for all still covers the whole batch. */
export const PAGE = 50;

/** The batches as the list draws them: the first `limit` conflicts in order, each batch with
 *  the ones of it that fit (a batch past the limit is left out until «Vis flere»). */
export function firstConflicts(batches: ConflictBatch[], limit: number): { batch: ConflictBatch; shown: OutboxConflict[] }[] {
  const out = [];
  let left = limit;
  for (const batch of batches) {
    if (left <= 0) break;
    const shown = batch.conflicts.slice(0, left);
    left -= shown.length;
    out.push({ batch, shown });
  }
  return out;
}

/** Below the list when not all are drawn: «Viser 50 av 1000 konflikter.» */
export function shownText(shown: number, total: number): string {
  return `Viser ${shown} av ${total} konflikter.`;
}

/** A batch's source as the list heads it: «Lagret i Målkart: sykefravær» for a save in
 *  the app (`appen: sykefravær`), «Endret i Målkart» for another change made here, else
 *  the imported file's name; then how many conflicts it has. */
export function batchTitle(b: ConflictBatch): string {
  const n = b.conflicts.length;
  const count = n === 1 ? "1 konflikt" : `${n} konflikter`;
  const label = b.label.trim();
  const source = label.startsWith("appen: ")
    ? `Lagret i Målkart: ${label.slice("appen: ".length)}`
    : label === "manuell" || label === "endring" || label === ""
      ? "Endret i Målkart"
      : `Import: ${label}`;
  return `${source} · ${count}`;
}

/** One line of the preview of a choice: which cell, and what it goes from and to. */
export interface PreviewLine {
  id: string;
  cell: string;
  from: string;
  to: string;
}

/** What a choice for a whole batch will change, cell by cell, before it is made:
 *  «Behold min» sends this desktop's value over theirs on the server (theirs → mine);
 *  «Bruk deres» puts theirs in the cell here (mine → theirs). A cell whose two values are
 *  the same changes nothing and is left out. */
export function preview(b: ConflictBatch, choice: Choice): PreviewLine[] {
  return b.conflicts
    .map((c) => {
      const { mine, theirs } = conflictValues(c);
      return choice === "mine"
        ? { id: c.id, cell: c.cell, from: theirs, to: mine }
        : { id: c.id, cell: c.cell, from: mine, to: theirs };
    })
    .filter((l) => l.from !== l.to);
}

/** The sentence above a batch's preview. */
export function previewTitle(b: ConflictBatch, choice: Choice): string {
  const n = b.conflicts.length;
  const cells = n === 1 ? "1 celle" : `${n} celler`;
  return choice === "mine"
    ? `«Behold min» for ${cells}: verdiene dine sendes til serveren ved neste synkronisering og erstatter deres.`
    : `«Bruk deres» for ${cells}: verdiene fra serveren erstatter dine her. Endringene dine forkastes.`;
}

/** «Konflikter (3)» in the top bar; `null` when there is none (the button is not shown). */
export function conflictsButton(n: number): string | null {
  return n > 0 ? `Konflikter (${n})` : null;
}

/** The sick-leave grid's columns as the outbox names the cells. */
export const SICK_LEAVE_FIELD: Record<keyof SickLeaveCells, string> = {
  avtalte_dagsverk: "contracted_days",
  egenmeldt: "self_certified",
  legemeldt: "doctor_certified",
  ansatte: "employees",
  dager_1_3: "days_1_3",
  dager_4_16: "days_4_16",
  dager_17_56: "days_17_56",
  dager_over_56: "days_over_56",
};

/** The economy grid's measures as the outbox names the cells. */
export const ECONOMY_FIELD: Record<string, string> = { budsjett: "budget", regnskap: "actual", prognose: "forecast" };

/** A mark on one cell: a conflict wins over a change waiting on the same cell. */
export interface Mark {
  state: "conflict" | "pending";
  /** The accessible label and title, in Norwegian. */
  label: string;
}

/** The marks of one table by cell (`unit`, `month`, `field`), for a grid's lookups. */
export class CellMarks {
  private readonly byCell = new Map<string, Mark>();

  constructor(marks: CellMark[], entity: string) {
    for (const m of marks) {
      if (m.entity !== entity || m.unit === null || m.period === null) continue;
      const key = CellMarks.key(m.unit, m.period, m.field);
      const state = m.state === "conflict" ? "conflict" : "pending";
      if (this.byCell.get(key)?.state === "conflict") continue;
      this.byCell.set(key, { state, label: markLabel(state) });
    }
  }

  static key(unit: string, period: string, field: string): string {
    return `${unit}\u0000${period}\u0000${field}`;
  }

  get(unit: string, period: string, field: string): Mark | null {
    return this.byCell.get(CellMarks.key(unit, period, field)) ?? null;
  }

  get size(): number {
    return this.byCell.size;
  }
}

/** A cell's mark in words. */
export function markLabel(state: "conflict" | "pending"): string {
  return state === "conflict"
    ? "Konflikt: cellen er endret på serveren etter at du endret den. Velg «Behold min» eller «Bruk deres» under Konflikter øverst."
    : "Venter på å bli sendt: lagret på denne maskinen, ikke på serveren ennå.";
}

/** Per indicator of a målkart, how many of its cells are in conflict and waiting, counted
 *  over the units of the målkart's subtree (`units`: the unit and every unit below it). */
export function indicatorMarks(marks: CellMark[], units: Set<string>): Map<string, { conflicts: number; pending: number }> {
  const out = new Map<string, { conflicts: number; pending: number }>();
  for (const m of marks) {
    if (m.unit !== null && !units.has(m.unit)) continue;
    for (const code of m.indicators) {
      const n = out.get(code) ?? { conflicts: 0, pending: 0 };
      if (m.state === "conflict") n.conflicts += 1;
      else n.pending += 1;
      out.set(code, n);
    }
  }
  return out;
}

/** An indicator's mark in words: «1 konflikt i tallene bak denne indikatoren» / «2 endringer
 *  venter på å bli sendt»; `null` when there is nothing to say. */
export function indicatorMarkLabel(n: { conflicts: number; pending: number } | undefined): string | null {
  if (!n) return null;
  const parts: string[] = [];
  if (n.conflicts > 0) parts.push(n.conflicts === 1 ? "1 konflikt i tallene bak indikatoren" : `${n.conflicts} konflikter i tallene bak indikatoren`);
  if (n.pending > 0) parts.push(n.pending === 1 ? "1 endring venter på å bli sendt" : `${n.pending} endringer venter på å bli sendt`);
  return parts.length === 0 ? null : parts.join("; ");
}

/** The units of `unit`'s subtree, from the tree's parent links. */
export function subtree(units: { code: string; parent: string | null }[], unit: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) {
    if (u.parent === null) continue;
    const list = children.get(u.parent) ?? [];
    list.push(u.code);
    children.set(u.parent, list);
  }
  const out = new Set<string>();
  const stack = [unit];
  while (stack.length > 0) {
    const code = stack.pop() as string;
    if (out.has(code)) continue;
    out.add(code);
    stack.push(...(children.get(code) ?? []));
  }
  return out;
}

/** What the window says when it is closed with changes waiting. */
export function closeText(pending: number): string {
  const what = pending === 1 ? "1 endring venter" : `${pending} endringer venter`;
  return `${what} på å bli sendt til serveren. ${pending === 1 ? "Den er" : "De er"} trygt lagret på denne maskinen og sendes neste gang Målkart synkroniserer, også om du lukker nå.`;
}
