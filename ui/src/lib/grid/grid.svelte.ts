// The registration grid's model, without the DOM: the cells' text, the selected cell, the
// cell being edited, and the undo stack. Keys come in as plain objects and the model says
// whether it used them; `Grid.svelte` draws the state and forwards events. Everything a
// person can do with the keyboard or the clipboard goes through here, so it is tested here.
// The state is Svelte 5 `$state`: a view that reads a cell, the selection or the undo
// stack follows their changes. The cells' text is kept in plain arrays with one `$state`
// version per row, bumped when a cell of the row changes: a view that reads a cell follows
// its row. (A signal per cell would be 21 000 signals for a 1 500-unit year, each made on
// its first read, and reading them all for the sums and widths costs some 30–150 ms; issue 17.)
//
// Cells hold text as typed; what the text means (a figure, an amount in øre) is the
// view's `validate`, which gives the message shown beside a bad cell. Business rules
// (absence above contracted days, a locked month) are checked in Rust on save.
//
// Each bad cell's message is kept, and updated for the cells a change touches only, so a
// grid of 1 500 rows never checks all its cells again after an edit (issue 17).
import { SvelteMap } from "svelte/reactivity";

export interface CellPos {
  row: number;
  col: number;
}

/** One change: the cells it touched, with their text before and after. A whole paste,
 * a Delete or a committed edit is one change, undone as one. */
export interface Change {
  cells: { row: number; col: number; before: string; after: string }[];
}

export interface GridOptions {
  rows: number;
  cols: number;
  /** The cells' text, `rows × cols`; read-only cells' text is ignored by the model. */
  values: string[][];
  readOnly: (row: number, col: number) => boolean;
  /** A message for a bad text (`«abc» er ikke et tall`), `null` when it is fine. */
  validate?: (row: number, col: number, text: string) => string | null;
  /** The texts are the core's own, formatted from stored figures: valid, so not checked
   * on load (a 1 500-unit economy grid would parse 18 000 amounts for nothing). */
  trusted?: boolean;
  /** After every change of the cells' text (an edit, a paste, a Delete, an undo). */
  onchange?: () => void;
}

/** A key press as the model needs it (a `KeyboardEvent` fits). */
export interface KeyInput {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** What a paste did. */
export interface PasteResult {
  /** Cells written. */
  written: number;
  /** Read-only cells the block covered: left as they were. */
  skipped: CellPos[];
  /** Values of the block that fell outside the grid. */
  clipped: number;
}

/** The tab-separated block Excel puts on the clipboard: rows by `\n` or `\r\n`, cells by
 * `\t`; one trailing empty line (Excel always ends with a line break) is ignored. */
export function parseTsv(text: string): string[][] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => line.split("\t"));
}

/** A paste's outcome in Norwegian, for the status line; `""` when there is nothing to say. */
export function describePaste(r: PasteResult): string {
  const parts = [`${r.written} ${r.written === 1 ? "celle" : "celler"} limt inn`];
  if (r.skipped.length > 0) {
    parts.push(`${r.skipped.length} låste ${r.skipped.length === 1 ? "celle" : "celler"} hoppet over`);
  }
  if (r.clipped > 0) {
    parts.push(`${r.clipped} ${r.clipped === 1 ? "verdi" : "verdier"} utenfor tabellen ble ikke limt inn`);
  }
  return parts.join("; ") + ".";
}

export class GridModel {
  readonly rows: number;
  readonly cols: number;
  readonly #values: string[][];
  /** Each row's version: read with the row's cells, bumped when one of them changes. */
  #versions: number[] = $state([]);
  private readonly readOnlyAt: (row: number, col: number) => boolean;
  private readonly validateAt: (row: number, col: number, text: string) => string | null;
  private readonly onchange: () => void;
  #undoStack: Change[] = $state.raw([]);
  /** The bad cells' messages by `row * cols + col`; read-only cells never have one. */
  readonly #messages = new SvelteMap<number, string>();
  /** The selected cell. */
  sel: CellPos = $state({ row: 0, col: 0 });
  /** The cell being edited and its text, or `null`. */
  editing: { row: number; col: number; text: string } | null = $state(null);
  /** The last notice for the person (a read-only cell, a paste's result); `""` when none. */
  notice = $state("");
  /** Why no cell may be written just now (the economy grid's «i 1 000 kr» view), or
   * `null`. While set, typing, F2, Delete, a paste and `setCells` change nothing and the
   * notice says this; moving, copying and undoing an earlier change still work, and the
   * cells' messages still show (they are about the text, which is unchanged). */
  blocked: string | null = $state(null);

  constructor(o: GridOptions) {
    this.rows = o.rows;
    this.cols = o.cols;
    this.#versions = Array.from({ length: o.rows }, () => 0);
    this.#values = Array.from({ length: o.rows }, (_, r) =>
      Array.from({ length: o.cols }, (_, c) => o.values[r]?.[c] ?? ""),
    );
    this.readOnlyAt = o.readOnly;
    this.validateAt = o.validate ?? (() => null);
    this.onchange = o.onchange ?? (() => {});
    if (!o.trusted) {
      for (let r = 0; r < this.rows; r++) {
        for (let c = 0; c < this.cols; c++) this.check(r, c);
      }
    }
  }

  /** Sets or clears the message of one cell from its text. */
  private check(row: number, col: number) {
    const at = row * this.cols + col;
    const message = this.isReadOnly(row, col) ? null : this.validateAt(row, col, this.#values[row][col]);
    if (message === null) {
      if (this.#messages.has(at)) this.#messages.delete(at);
    } else if (this.#messages.get(at) !== message) {
      this.#messages.set(at, message);
    }
  }

  value(row: number, col: number): string {
    void this.#versions[row];
    return this.#values[row]?.[col] ?? "";
  }

  /** One row's text (a copy). */
  rowTexts(row: number): string[] {
    void this.#versions[row];
    return [...(this.#values[row] ?? [])];
  }

  /** All cells' text, `rows × cols` (a copy). */
  snapshot(): string[][] {
    return this.#values.map((r, i) => {
      void this.#versions[i];
      return [...r];
    });
  }

  isReadOnly(row: number, col: number): boolean {
    return this.readOnlyAt(row, col);
  }

  /** The message for a cell's current text, `null` when it is fine or read-only. */
  error(row: number, col: number): string | null {
    if (row < 0 || row >= this.rows || col < 0 || col >= this.cols) return null;
    return this.#messages.get(row * this.cols + col) ?? null;
  }

  /** Every bad cell, in reading order. */
  errors(): { row: number; col: number; message: string }[] {
    return [...this.#messages.entries()]
      .sort(([a], [b]) => a - b)
      .map(([at, message]) => ({ row: Math.floor(at / this.cols), col: at % this.cols, message }));
  }

  canUndo(): boolean {
    return this.#undoStack.length > 0;
  }

  select(row: number, col: number) {
    if (this.rows === 0 || this.cols === 0) return;
    this.sel = {
      row: Math.min(Math.max(row, 0), this.rows - 1),
      col: Math.min(Math.max(col, 0), this.cols - 1),
    };
  }

  /** Starts editing the selected cell with `text` (typing replaces, F2/Enter keeps the
   * text). A read-only cell is not edited; the notice says why. */
  beginEdit(text?: string): boolean {
    const { row, col } = this.sel;
    if (this.blocked !== null) {
      this.notice = this.blocked;
      return false;
    }
    if (this.isReadOnly(row, col)) {
      this.notice = "Cellen kan ikke endres (låst eller beregnet).";
      return false;
    }
    this.editing = { row, col, text: text ?? this.value(row, col) };
    this.notice = "";
    return true;
  }

  /** The text in the editor as the person types. */
  setEditText(text: string) {
    if (this.editing) this.editing.text = text;
  }

  /** Writes the edited text to its cell (one change, none if unchanged). */
  commitEdit() {
    const e = this.editing;
    if (!e) return;
    this.editing = null;
    this.write([{ row: e.row, col: e.col, text: e.text }]);
  }

  /** Escape: the cell keeps its text. */
  cancelEdit() {
    this.editing = null;
  }

  /** Sets several cells as one change (a view's action, e.g. spreading a yearly budget);
   * read-only cells are left alone. */
  setCells(cells: { row: number; col: number; text: string }[]): number {
    if (this.blocked !== null) {
      this.notice = this.blocked;
      return 0;
    }
    return this.write(cells.filter((c) => !this.isReadOnly(c.row, c.col)));
  }

  private write(cells: { row: number; col: number; text: string }[]): number {
    const change: Change = { cells: [] };
    for (const { row, col, text } of cells) {
      if (row < 0 || row >= this.rows || col < 0 || col >= this.cols) continue;
      const before = this.#values[row][col];
      if (before === text) continue;
      this.#values[row][col] = text;
      this.#versions[row] += 1;
      this.check(row, col);
      change.cells.push({ row, col, before, after: text });
    }
    if (change.cells.length > 0) {
      this.#undoStack = [...this.#undoStack, change];
      this.onchange();
    }
    return change.cells.length;
  }

  /** Ctrl+Z: the last change undone whole; the selection goes to its first cell. */
  undo(): boolean {
    const change = this.#undoStack.at(-1);
    if (!change) return false;
    this.#undoStack = this.#undoStack.slice(0, -1);
    for (const c of change.cells) {
      this.#values[c.row][c.col] = c.before;
      this.#versions[c.row] += 1;
      this.check(c.row, c.col);
    }
    this.editing = null;
    const first = change.cells[0];
    this.select(first.row, first.col);
    this.notice = change.cells.length === 1 ? "Endringen er angret." : `Endringen er angret (${change.cells.length} celler).`;
    this.onchange();
    return true;
  }

  /** Pastes a tab-separated block with its top-left corner at the selected cell. Values
   * falling on read-only cells are skipped and reported, values beyond the grid clipped;
   * the whole paste is one change. */
  paste(text: string): PasteResult {
    if (this.blocked !== null) {
      this.notice = this.blocked;
      return { written: 0, skipped: [], clipped: 0 };
    }
    const block = parseTsv(text);
    const { row: r0, col: c0 } = this.sel;
    const cells: { row: number; col: number; text: string }[] = [];
    const skipped: CellPos[] = [];
    let clipped = 0;
    block.forEach((line, i) =>
      line.forEach((value, j) => {
        const row = r0 + i;
        const col = c0 + j;
        if (row >= this.rows || col >= this.cols) {
          clipped += 1;
        } else if (this.isReadOnly(row, col)) {
          skipped.push({ row, col });
        } else {
          cells.push({ row, col, text: value.trim() });
        }
      }),
    );
    this.editing = null;
    this.write(cells);
    const result = { written: cells.length, skipped, clipped };
    this.notice = describePaste(result);
    return result;
  }

  /** The selected block as tab-separated text (Ctrl+C): the selected cell. */
  copy(): string {
    return this.value(this.sel.row, this.sel.col);
  }

  /** Handles a key; `true` when the model used it (the view then prevents the default).
   * While editing, the editor keeps the keys that move its caret (← →, Home, End). */
  key(k: KeyInput): boolean {
    const ctrl = !!(k.ctrlKey || k.metaKey);
    const { row, col } = this.sel;
    if (this.editing) {
      switch (k.key) {
        case "Escape":
          this.cancelEdit();
          return true;
        case "Enter":
          this.commitEdit();
          this.select(row + (k.shiftKey ? -1 : 1), col);
          return true;
        case "Tab":
          this.commitEdit();
          this.moveTab(!!k.shiftKey);
          return true;
        case "ArrowUp":
        case "ArrowDown":
          this.commitEdit();
          this.select(row + (k.key === "ArrowUp" ? -1 : 1), col);
          return true;
        default:
          return false;
      }
    }
    if (ctrl && (k.key === "z" || k.key === "Z")) return this.undo() || true;
    switch (k.key) {
      case "ArrowUp":
        this.select(row - 1, col);
        return true;
      case "ArrowDown":
        this.select(row + 1, col);
        return true;
      case "ArrowLeft":
        this.select(row, col - 1);
        return true;
      case "ArrowRight":
        this.select(row, col + 1);
        return true;
      case "Tab":
        // At the grid's first or last cell Tab leaves the grid (no keyboard trap).
        return this.moveTab(!!k.shiftKey);
      case "Home":
        this.select(ctrl ? 0 : row, 0);
        return true;
      case "End":
        this.select(ctrl ? this.rows - 1 : row, this.cols - 1);
        return true;
      case "PageUp":
        this.select(row - 10, col);
        return true;
      case "PageDown":
        this.select(row + 10, col);
        return true;
      case "Enter":
      case "F2":
        this.beginEdit();
        return true;
      case "Delete":
      case "Backspace":
        if (this.blocked !== null) {
          this.notice = this.blocked;
        } else if (this.isReadOnly(row, col)) {
          this.notice = "Cellen kan ikke endres (låst eller beregnet).";
        } else {
          this.write([{ row, col, text: "" }]);
        }
        return true;
    }
    // A printable character starts an edit that replaces the cell's text.
    if (k.key.length === 1 && !ctrl && !k.altKey) {
      this.beginEdit(k.key);
      return true;
    }
    return false;
  }

  /** Tab: the next cell in reading order, wrapping to the next row; Shift+Tab back.
   * `false` at the grid's first (back) or last cell: there is nowhere to go inside. */
  private moveTab(back: boolean): boolean {
    const { row, col } = this.sel;
    if (back) {
      if (col > 0) this.select(row, col - 1);
      else if (row > 0) this.select(row - 1, this.cols - 1);
      else return false;
    } else if (col < this.cols - 1) {
      this.select(row, col + 1);
    } else if (row < this.rows - 1) {
      this.select(row + 1, 0);
    } else {
      return false;
    }
    return true;
  }
}
