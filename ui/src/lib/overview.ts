// The director's overview (issue 12 §2) as it is shown: the summary strip's items, «Vis bare
// avvik», the status grid's cells in words, and the breadcrumb. The statuses and counts are
// the core's (`service::overview`, `GroupStatus`); this file only lays them out.

import type { GroupStatus } from "../bindings/GroupStatus";
import type { IndicatorResult } from "../bindings/IndicatorResult";
import type { PerspectiveResult } from "../bindings/PerspectiveResult";
import type { UnitNode } from "../bindings/UnitNode";
import { PROVISIONAL_MARK, STATUS_MARK } from "./status";

export type StripKey = "green" | "yellow" | "red" | "provisional" | "without";

export interface StripItem {
  key: StripKey;
  mark: string;
  count: number;
  word: string;
}

/** The summary strip: every colour with its mark, number and word (a nought too: «0 rød»
 * is news), the provisional count when the period has not ended or something is
 * provisional, and those without a status. */
export function stripItems(g: GroupStatus, complete: boolean): StripItem[] {
  const items: StripItem[] = [
    { key: "green", mark: STATUS_MARK.green, count: g.green, word: "grønn" },
    { key: "yellow", mark: STATUS_MARK.yellow, count: g.yellow, word: "gul" },
    { key: "red", mark: STATUS_MARK.red, count: g.red, word: "rød" },
  ];
  if (!complete || g.provisional_count > 0) {
    items.push({ key: "provisional", mark: PROVISIONAL_MARK, count: g.provisional_count, word: "foreløpig" });
  }
  items.push({ key: "without", mark: STATUS_MARK.no_data, count: g.without_status, word: "uten status" });
  return items;
}

/** A deviation is a yellow or red result, final or so far (a provisional red is a warning
 * a director wants to see). */
export function isDeviation(r: IndicatorResult): boolean {
  return r.status === "yellow" || r.status === "red";
}

/** The indicators a perspective shows: all, or only the deviations. */
export function shownIndicators(p: PerspectiveResult, deviationsOnly: boolean): IndicatorResult[] {
  return deviationsOnly ? p.indicators.filter(isDeviation) : p.indicators;
}

/** What a perspective with nothing to show says: «Ingen avvik i innbyggere og brukere.» */
export function nothingShownText(p: PerspectiveResult, deviationsOnly: boolean): string {
  if (p.indicators.length === 0) return "Ingen indikatorer i dette perspektivet.";
  return deviationsOnly ? `Ingen avvik i ${p.name.toLocaleLowerCase("nb")}.` : "";
}

/** A grid cell's counts, short for the eye (`■ 1 ▲ 2 ● 3`) and in words for a screen
 * reader and the tooltip (`1 rød, 2 gul, 3 grønn`); nought counts are left out. */
export function cellCounts(g: GroupStatus): { short: string; words: string } {
  const parts: [string, number, string][] = [
    [STATUS_MARK.red, g.red, "rød"],
    [STATUS_MARK.yellow, g.yellow, "gul"],
    [STATUS_MARK.green, g.green, "grønn"],
    [PROVISIONAL_MARK, g.provisional_count, "foreløpig"],
    [STATUS_MARK.no_data, g.without_status, "uten status"],
  ];
  const shown = parts.filter(([, n]) => n > 0);
  if (shown.length === 0) return { short: "", words: "ingen indikatorer" };
  return {
    short: shown.map(([mark, n]) => `${mark} ${n}`).join(" "),
    words: shown.map(([, n, word]) => `${n} ${word}`).join(", "),
  };
}

/** The unit and its ancestors, root first (a parent that is missing, or a loop, ends the
 * walk). */
export function breadcrumb(units: UnitNode[], code: string): UnitNode[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const out: UnitNode[] = [];
  let node = byCode.get(code);
  while (node && !out.includes(node)) {
    out.push(node);
    node = node.parent === null ? undefined : byCode.get(node.parent);
  }
  return out.reverse();
}

/** A file name for the printout: `Målkart Furulund sykehjem november 2026.pdf`. */
export function printFileName(unitName: string, periodLabel: string, deviationsOnly: boolean): string {
  const name = `Målkart ${unitName} ${periodLabel}${deviationsOnly ? " avvik" : ""}`;
  return `${name.replace(/[\\/:*?"<>|]/g, "-")}.pdf`;
}
