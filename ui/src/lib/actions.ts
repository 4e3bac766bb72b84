// Tiltak in words (tiltak.md): the status marks and words as the core prints them
// (`ActionStatus::mark`/`word`, `export::actions`), the counts under a goal, the late and
// «rød uten tiltak» marks. Shapes and words, never colour alone.

import type { ActionCounts } from "../bindings/ActionCounts";
import type { ActionStatus } from "../bindings/ActionStatus";
import type { ActionKind } from "../bindings/ActionKind";
import type { Action } from "../bindings/Action";
import type { ActionInput } from "../bindings/ActionInput";
import { groupDigits } from "./format";
import { monthLabel } from "./reports";

export const ACTION_STATUS_WORD = {
  ikke_startet: "ikke startet",
  pagar: "pågår",
  fullfort: "fullført",
  utsatt: "utsatt",
  avbrutt: "avbrutt",
} as const satisfies Record<ActionStatus, string>;

export const ACTION_STATUS_MARK = {
  ikke_startet: "○",
  pagar: "◐",
  fullfort: "●",
  utsatt: "‖",
  avbrutt: "✕",
} as const satisfies Record<ActionStatus, string>;

/** The statuses in the order the form and the filter offer them. */
export const ACTION_STATUSES = Object.keys(ACTION_STATUS_WORD) as ActionStatus[];

export const ACTION_KIND_WORD = {
  tiltak: "tiltak",
  oppdrag: "oppdrag",
  investering: "investering",
} as const satisfies Record<ActionKind, string>;

export const ACTION_KINDS = Object.keys(ACTION_KIND_WORD) as ActionKind[];

/** The mark of a late tiltak, beside its status. */
export const LATE_MARK = "⚠";
/** The mark of a red indicator no open tiltak answers. */
export const NO_ACTION_MARK = "⚑";
/** A late tiltak in words, as the core prints it. */
export const LATE_TEXT = `${LATE_MARK} forsinket`;
/** A red indicator without an open tiltak, as the målkart marks it. */
export const NO_ACTION_TEXT = `${NO_ACTION_MARK} rød uten tiltak`;

/** `◐ pågår`. */
export function statusText(status: ActionStatus): string {
  return `${ACTION_STATUS_MARK[status]} ${ACTION_STATUS_WORD[status]}`;
}

/** `3 tiltak · 1 forsinket`; empty when there are none. */
export function countsText(c: ActionCounts): string {
  if (c.total === 0) return "";
  return c.late > 0 ? `${c.total} tiltak · ${c.late} forsinket` : `${c.total} tiltak`;
}

/** `2026-03` as `mars 2026`; `–` when there is none. */
export function monthText(id: string | null): string {
  return id ? monthLabel(id) : "–";
}

/** Whole øre as the form shows kroner: `1 250 000,50`, `180 000` (no `kr`); empty for none. */
export function costInput(ore: number | null): string {
  if (ore === null) return "";
  const sign = ore < 0 ? "−" : "";
  const abs = Math.abs(ore);
  const whole = groupDigits(String(Math.floor(abs / 100)));
  const cents = abs % 100;
  return cents === 0 ? `${sign}${whole}` : `${sign}${whole},${String(cents).padStart(2, "0")}`;
}

/** `1 250 000,50 kr`; `–` for none. */
export function costText(ore: number | null): string {
  return ore === null ? "–" : `${costInput(ore)} kr`;
}

/** `40 %`. */
export function progressText(progress: number): string {
  return `${progress} %`;
}

/** A status comment's author may change or remove it (others' are shown, not offered). */
export function isOwnComment(author: string, user: string): boolean {
  return user !== "" && author === user;
}

/** The form as it was opened: saving it would change nothing. */
export function sameInput(a: ActionInput, b: ActionInput): boolean {
  const keys = Object.keys(a) as (keyof ActionInput)[];
  return keys.every((k) =>
    k === "indicators"
      ? a.indicators.length === b.indicators.length && a.indicators.every((c, i) => c === b.indicators[i])
      : String(a[k]).trim() === String(b[k]).trim(),
  );
}

/** The form filled from a stored tiltak. */
export function inputFrom(a: Action): ActionInput {
  return {
    code: a.code,
    title: a.title,
    description: a.description ?? "",
    goal: a.goal,
    success_factor: a.success_factor ?? "",
    unit: a.unit,
    responsible: a.responsible,
    kind: a.kind,
    decision_ref: a.decision_ref ?? "",
    start: a.start ?? "",
    deadline: a.deadline ?? "",
    status: a.status,
    progress: String(a.progress),
    cost: costInput(a.cost_ore),
    indicators: [...a.indicators],
  };
}

/** «Nytt tiltak»: an empty form, prefilled with what is known (from a red indicator: its
 *  goal, the unit and the indicator itself; the start is the current month). */
export function newInput(code: string, prefill: { goal?: string; unit: string; indicators?: string[]; start?: string }): ActionInput {
  return {
    code,
    title: "",
    description: "",
    goal: prefill.goal ?? "",
    success_factor: "",
    unit: prefill.unit,
    responsible: "",
    kind: "tiltak",
    decision_ref: "",
    start: prefill.start ?? "",
    deadline: "",
    status: "ikke_startet",
    progress: "0",
    cost: "",
    indicators: prefill.indicators ?? [],
  };
}

/** The month after `id` (`2026-11` → `2026-12`): the current month from the last full one. */
export function nextMonth(id: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(id);
  if (!m) return "";
  const index = Number(m[1]) * 12 + Number(m[2]);
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}
