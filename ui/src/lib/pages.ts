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
// month moves with the clock). One question is on its way at a time, the newest waiting
// first: a pointer swept across the tree asks for where it stops, not for all it crossed.
// The backend answers from the engine already built only (`page_ahead`), at the lowest
// priority, and `null` when that engine does not hold the period.

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

type Ask = (unit: string, period: string) => Promise<Page | null>;

const keyOf = (unit: string, period: string) => `${period}\u0000${unit}`;

export class Pages {
  readonly #ask: Ask;
  readonly #now: () => number;
  /** Answered pages, least recently used first. */
  #kept = new Map<string, { page: Page; at: number }>();
  /** Asked and not answered yet (the one on its way and those waiting). */
  #asked = new Set<string>();
  /** Waiting to be asked, oldest first. */
  #waiting: [string, string][] = [];
  #busy = false;
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
    this.#waiting = [];
    this.#generation += 1;
  }

  /** Asks for `unit`'s page for `period` unless it is kept or asked already. */
  ahead(unit: string, period: string): void {
    const key = keyOf(unit, period);
    if (this.#asked.has(key) || this.#fresh(key)) return;
    this.#asked.add(key);
    this.#waiting.push([unit, period]);
    while (this.#waiting.length > PAGES_WAITING) {
      const [u, p] = this.#waiting.shift() as [string, string];
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

  #fresh(key: string): { page: Page; at: number } | undefined {
    const kept = this.#kept.get(key);
    if (kept && this.#now() - kept.at > PAGE_MAX_AGE_MS) {
      this.#kept.delete(key);
      return undefined;
    }
    return kept;
  }

  #next(): void {
    if (this.#busy) return;
    const newest = this.#waiting.pop();
    if (!newest) return;
    const [unit, period] = newest;
    const key = keyOf(unit, period);
    const generation = this.#generation;
    this.#busy = true;
    const done = (page: Page | null) => {
      this.#busy = false;
      if (generation === this.#generation) {
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
    this.#ask(unit, period).then(done, () => done(null));
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
