// The registration page around a grid, without the DOM: what the Sykefravær and Økonomi
// pages share. It loads the grid asked for (dropping an answer for an older question, so
// switching units quickly never paints an older grid), keeps the text as loaded to tell
// what changed, saves the changes as one transaction, undoes the last save, and holds on
// to unsaved changes when another grid is asked for (the page shows the guard: save and
// switch, discard, or stay). What differs — the key (unit and month, or unit, year and
// measure), the cells, what a save sends and says — is the page's `RegistrationSpec`.

import { GridModel, type GridOptions } from "./grid.svelte";
import { Latest, STALE } from "../latest";
import { toBackendError } from "../backend";
import { notSavedMessage } from "./display";

/** What a save or an undo gave: done (with the message for the status line), or refused
 * with the message why (nothing was saved). */
export type SaveOutcome = { ok: true; message: string } | { ok: false; message: string };

/** A saved change that can be undone: `undo` restores what the save replaced. */
export interface Undoable {
  undo: () => Promise<SaveOutcome>;
}

export interface RegistrationSpec<K, G, C> {
  /** Fetches the grid for a key. */
  load(key: K): Promise<G>;
  /** The key a loaded grid answers. */
  keyOf(grid: G): K;
  sameKey(a: K, b: K): boolean;
  /** The loaded cells' text, `rows × cols`, and the grid model's rules for them (the
   * controller adds the change hook). */
  texts(grid: G): string[][];
  model(grid: G): Omit<GridOptions, "values" | "onchange">;
  /** What changed since the grid was loaded, as the save wants it; empty: nothing to save. */
  changes(grid: G, loaded: string[][], now: string[][]): C[];
  /** Saves the changes in one transaction; a refusal saves nothing. A done save tells how
   * to undo it. */
  save(grid: G, changes: C[]): Promise<(SaveOutcome & { ok: false }) | (SaveOutcome & { ok: true } & Undoable)>;
  /** After a load (the page clears what it kept about the old grid). */
  loaded?(grid: G): void;
  /** After each change of the cells. */
  edited?(): void;
  /** After a save or an undo changed the database (the app's other views refetch). */
  saved?(): void;
}

export class RegistrationPage<K, G, C> {
  /** The grid shown and its model; `null` until the first load. */
  grid: G | null = $state.raw(null);
  model: GridModel | null = $state.raw(null);
  /** The key the person asks for (it differs from the grid's while unsaved changes wait). */
  wanted: K | null = $state.raw(null);
  message = $state("");
  error: string | null = $state(null);
  busy = $state(false);
  /** The text as loaded. */
  #loaded: string[][] = $state.raw([]);
  #lastSave: Undoable | null = $state.raw(null);
  #latest = new Latest();
  readonly #spec: RegistrationSpec<K, G, C>;

  /** What changed since the load, as the save wants it. */
  changes: C[] = $derived.by(() => {
    const { grid, model } = this;
    return grid && model ? this.#spec.changes(grid, this.#loaded, model.snapshot()) : [];
  });
  dirty = $derived(this.changes.length > 0);
  /** Another grid is asked for than the one shown (there are unsaved changes). */
  pending = $derived.by(() => {
    const { grid, wanted } = this;
    return grid !== null && wanted !== null && !this.#spec.sameKey(this.#spec.keyOf(grid), wanted);
  });
  canUndoSave = $derived(this.#lastSave !== null);

  constructor(spec: RegistrationSpec<K, G, C>) {
    this.#spec = spec;
  }

  /** Follows what the person asks for: loads it, unless the grid shown has unsaved changes
   * (then `pending` asks first). Settles when the load (if any) is done. */
  follow(key: K): Promise<void> {
    this.wanted = key;
    if (this.grid === null || (!this.dirty && !this.#spec.sameKey(this.#spec.keyOf(this.grid), key))) {
      return this.load(key);
    }
    return Promise.resolve();
  }

  /** Loads the grid for `key`, replacing the one shown; an answer to an older load that
   * arrives later is dropped. The status line's message is about the grid it was said on:
   * another grid (unit, period, measure) starts without it, unless `keepMessage` (a save or
   * an undo reloading, whose message is the news). */
  async load(key: K, keepMessage = false): Promise<void> {
    this.error = null;
    try {
      const grid = await this.#latest.take(this.#spec.load(key));
      if (grid === STALE) return;
      const shown = this.grid;
      if (!keepMessage && (shown === null || !this.#spec.sameKey(this.#spec.keyOf(shown), this.#spec.keyOf(grid)))) {
        this.message = "";
      }
      const texts = this.#spec.texts(grid);
      this.#loaded = texts.map((r) => [...r]);
      this.model = new GridModel({
        ...this.#spec.model(grid),
        values: texts,
        onchange: () => {
          this.message = "";
          this.#spec.edited?.();
        },
      });
      this.grid = grid;
      this.#spec.loaded?.(grid);
    } catch (e) {
      this.error = toBackendError(e).message;
    }
  }

  /** Saves the changed cells as one transaction, then shows what the person asks for;
   * false when nothing could be saved. */
  async save(): Promise<boolean> {
    const { grid, model } = this;
    if (!grid || !model) return false;
    const own = model.errors();
    if (own.length > 0) {
      this.message = notSavedMessage(own.length);
      return false;
    }
    this.busy = true;
    this.error = null;
    try {
      const saved = await this.#spec.save(grid, this.changes);
      this.message = saved.message;
      if (!saved.ok) return false;
      this.#lastSave = saved;
      this.#spec.saved?.();
      await this.load(this.wanted ?? this.#spec.keyOf(grid), true);
      return true;
    } catch (e) {
      this.error = toBackendError(e).message;
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Restores what the last save replaced, then reloads the grid shown. */
  async undoLastSave(): Promise<void> {
    const last = this.#lastSave;
    if (!last) return;
    this.busy = true;
    this.error = null;
    try {
      const undone = await last.undo();
      if (!undone.ok) {
        this.error = undone.message;
        return;
      }
      this.message = undone.message;
      this.#lastSave = null;
      this.#spec.saved?.();
      const shown = this.grid ? this.#spec.keyOf(this.grid) : this.wanted;
      if (shown !== null) await this.load(shown, true);
    } catch (e) {
      this.error = toBackendError(e).message;
    } finally {
      this.busy = false;
    }
  }

  /** The guard's «Lagre og bytt»: saving loads what was asked for. */
  async saveAndSwitch(): Promise<void> {
    await this.save();
  }

  /** The guard's «Forkast endringene»: loads what was asked for. */
  async discard(): Promise<void> {
    if (this.wanted !== null) await this.load(this.wanted);
  }
}
