// The målkart pages asked ahead (issue 17): everything a unit's målkart shows — the
// målkart, its status grid, its sparklines and the masking minimum — asked before the unit
// is opened, so that the click shows it in the same frame instead of waiting for the
// backend and a frame painted in between. Asked when the pointer rests on a unit (the tree,
// the status grid, the breadcrumb) or the keyboard focus is on one, and, once a målkart is
// shown, for the periods beside it and its first children.
//
// A page is kept for one version of the data: `at(version)` with the app's data version
// forgets every page when it moved (a save, an import, a sync, «Vis umaskerte tall», a new
// masking minimum), and a page older than `PAGE_MAX_AGE_MS` is not shown (the last full
// month moves with the clock).
//
// The backend answers from the engine already built only (`page_ahead`), and `null` when
// that engine does not hold the period: a page the person is about to open (`soon`: the
// pointer rests on the unit, the period beside) at the priority of a question asked now, a
// guess (the first children) at the lowest. The newest question waiting is asked first: a
// pointer swept across the tree asks for where it stops, not for all it crossed. A guess
// is asked only when no other question is on its way, a soon one when no other soon one
// is, so a guess never holds it up. A click on a unit whose page is on its way waits for
// that answer (`coming`) instead of asking the backend the same again beside it.

import type { Page } from "../bindings/Page";

/** How many pages are kept (the least recently used forgotten first). */
export const PAGES_KEPT = 32;
/** How many questions may wait; the oldest are dropped beyond it. */
export const PAGES_WAITING = 8;
/** How many of a målkart's children are asked ahead once it is shown (the first in tree
 * order; the backend itself answers 24 ahead, `src-tauri/src/answers.rs`). */
export const CHILDREN_AHEAD = 8;
/** How long a kept page may be shown. */
export const PAGE_MAX_AGE_MS = 5 * 60_000;

type Ask = (unit: string, period: string, soon: boolean) => Promise<Page | null>;

interface Waiting {
  unit: string;
  period: string;
  soon: boolean;
}

const keyOf = (unit: string, period: string) => `${period}\u0000${unit}`;

/** The index of the newest soon question waiting, -1 for none. */
function newestSoon(waiting: Waiting[]): number {
  for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i].soon) return i;
  return -1;
}

export class Pages {
  readonly #ask: Ask;
  readonly #now: () => number;
  /** Answered pages, least recently used first. */
  #kept = new Map<string, { page: Page; at: number }>();
  /** Asked and not answered yet (those on their way and those waiting). */
  #asked = new Set<string>();
  /** Waiting to be asked, oldest first. */
  #waiting: Waiting[] = [];
  /** How many questions of each kind are with the backend (at most one each, even one
   * from before a `clear`). */
  #busy = { soon: 0, guess: 0 };
  /** The questions on their way, and their answers (`null` for a failure); forgotten by
   * `clear`. */
  #onWay = new Map<string, Promise<Page | null>>();
  #version: number | null = null;
  /** Moves with each `clear`: an answer to a question from before it is not kept. */
  #generation = 0;

  constructor(ask: Ask, now: () => number = () => performance.now()) {
    this.#ask = ask;
    this.#now = now;
  }

  /** The data are at `version` now: every page of another version is forgotten. */
  at(version: number): void {
    if (this.#version !== version) this.clear();
    this.#version = version;
  }

  /** Forgets every page, and every answer still on its way. */
  clear(): void {
    this.#kept.clear();
    this.#asked.clear();
    this.#onWay.clear();
    this.#waiting = [];
    this.#generation += 1;
  }

  /** Asks for `unit`'s page for `period` unless it is kept or asked already; `soon`: the
   * person is about to open it (a page already waiting becomes the newest, and soon). */
  ahead(unit: string, period: string, soon = false): void {
    const key = keyOf(unit, period);
    if (this.#fresh(key)) return;
    if (this.#asked.has(key)) {
      const i = this.#waiting.findIndex((w) => w.unit === unit && w.period === period);
      if (!soon || i < 0) return; // on its way, or waiting as it should
      this.#waiting.splice(i, 1);
    }
    this.#asked.add(key);
    this.#waiting.push({ unit, period, soon });
    while (this.#waiting.length > PAGES_WAITING) {
      const { unit: u, period: p } = this.#waiting.shift() as Waiting;
      this.#asked.delete(keyOf(u, p));
    }
    this.#next();
  }

  /** Keeps `page`, shown for `unit` and `period` after the usual questions, for the way
   * back (data of the version given to `at`). */
  keep(unit: string, period: string, page: Page): void {
    this.#keep(keyOf(unit, period), page);
  }

  /** The page kept for `unit` and `period`, now the most recently used; `undefined` when
   * none is (or it is too old). */
  take(unit: string, period: string): Page | undefined {
    const key = keyOf(unit, period);
    const kept = this.#fresh(key);
    if (!kept) return undefined;
    this.#kept.delete(key);
    this.#kept.set(key, kept);
    return kept.page;
  }

  /** The answer to the question on its way for `unit` and `period` (`null` if the backend
   * had no page or failed), or `undefined` when that page is not on its way. */
  coming(unit: string, period: string): Promise<Page | null> | undefined {
    return this.#onWay.get(keyOf(unit, period));
  }

  #fresh(key: string): { page: Page; at: number } | undefined {
    const kept = this.#kept.get(key);
    if (kept && this.#now() - kept.at > PAGE_MAX_AGE_MS) {
      this.#kept.delete(key);
      return undefined;
    }
    return kept;
  }

  #next(): void {
    // The newest soon question, when no other is on its way; else the newest guess, when
    // nothing is.
    let i = this.#busy.soon === 0 ? newestSoon(this.#waiting) : -1;
    if (i < 0 && this.#busy.soon + this.#busy.guess === 0) i = this.#waiting.length - 1;
    if (i < 0) return;
    const [{ unit, period, soon }] = this.#waiting.splice(i, 1);
    const kind = soon ? "soon" : "guess";
    const key = keyOf(unit, period);
    const generation = this.#generation;
    this.#busy[kind] += 1;
    const done = (page: Page | null) => {
      this.#busy[kind] -= 1;
      if (generation === this.#generation) {
        this.#onWay.delete(key);
        this.#asked.delete(key);
        if (page) {
          this.#keep(key, page);
          // For the end-to-end tests: which pages the click will find.
          performance.mark(`malkart:ahead ${unit} ${period}`);
        }
      }
      this.#next();
    };
    // A failure is not reported here: the click asks again the usual way and reports it.
    const answer = this.#ask(unit, period, soon).catch(() => null);
    this.#onWay.set(key, answer);
    answer.then(done);
  }

  #keep(key: string, page: Page): void {
    this.#kept.delete(key);
    this.#kept.set(key, { page, at: this.#now() });
    while (this.#kept.size > PAGES_KEPT) {
      const oldest = this.#kept.keys().next().value as string;
      this.#kept.delete(oldest);
    }
  }
}
