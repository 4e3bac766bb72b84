// How a status and a trend are shown: never by colour alone. Each status has a shape and a
// word (the core's `Status::word`), each trend an arrow for the value's direction, coloured
// by better or worse, and a sentence for screen readers.

import type { Status } from "../bindings/Status";
import type { Trend } from "../bindings/Trend";
import type { Direction } from "../bindings/Direction";
import { roundHalfAway } from "./format";

export const STATUS_MARK: Record<Status, string> = {
  green: "●",
  yellow: "▲",
  red: "■",
  no_data: "○",
  no_target: "–",
};

export const STATUS_WORD: Record<Status, string> = {
  green: "grønn",
  yellow: "gul",
  red: "rød",
  no_data: "ingen data",
  no_target: "ingen mål",
};

/** The mark of a provisional colour: its period has not ended (the core's
 * `IndicatorResult::provisional`, a scorecard that is not `complete`). */
export const PROVISIONAL_MARK = "◔";

/** Is this status shown as provisional? Only a colour is: `ingen data` and `ingen mål` claim
 * no result (the CLI table does the same). */
export function isProvisional(status: Status, provisional: boolean): boolean {
  return provisional && (status === "green" || status === "yellow" || status === "red");
}

/** The order of the counts in a perspective's summary. */
export const STATUS_ORDER: Status[] = ["green", "yellow", "red", "no_data", "no_target"];

export const TREND_WORD: Record<Trend, string> = {
  better: "bedre",
  worse: "dårligere",
  unchanged: "uendret",
  unknown: "ukjent utvikling",
};

/** The short word beside a trend arrow, so better or worse never rests on colour alone
 * (the CLI table and the printout say the same). */
export const TREND_SHORT: Record<Trend, string> = {
  better: "bedre",
  worse: "verre",
  unchanged: "uendret",
  unknown: "",
};

export const DIRECTION_TEXT: Record<Direction, string> = {
  høy: "høyere er bedre",
  lav: "lavere er bedre",
};

/** The arrow shows which way the displayed value moved since the previous period: ↑, ↓ or
 * → ; none when either value is missing. The colour (better/worse) comes from `trend`. */
export function trendArrow(
  displayValue: number | null,
  previousValue: number | null,
  decimals: number,
): "↑" | "↓" | "→" | "" {
  if (displayValue === null || previousValue === null) return "";
  const before = roundHalfAway(previousValue, decimals);
  if (displayValue > before) return "↑";
  if (displayValue < before) return "↓";
  return "→";
}

/** A perspective's summary status is never `no_target` (engine.md §7), but a panel with
 * only observation indicators still needs a word. */
export function statusWord(status: Status): string {
  return STATUS_WORD[status];
}
