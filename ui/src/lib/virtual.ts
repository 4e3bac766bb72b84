// Which rows of a long list are drawn: the pure arithmetic behind the virtualised grids,
// reports and unit tree. Rows are of one fixed height; only those in view, and `overscan`
// more on each side, are drawn, with an empty row above and below as tall as the rows left
// out, so the scrollbar and every row's place stay as if all were drawn. Lists shorter than
// `VIRTUAL_FROM` are drawn whole (as before: nothing to gain, and the screenshots and tests
// of the small demo stay as they are).

/** From this many rows a list is virtualised. */
export const VIRTUAL_FROM = 200;

export interface WindowInput {
  /** How many rows there are. */
  count: number;
  /** Each row's height in pixels (> 0). */
  rowHeight: number;
  /** How far the rows are scrolled, in pixels from the first row's top. */
  scrollTop: number;
  /** How tall the visible part is, in pixels. */
  viewport: number;
  /** Rows drawn beyond each edge of the view, so a short scroll or an arrow key never
   * shows a gap. */
  overscan: number;
}

export interface RowWindow {
  /** The first row drawn. */
  start: number;
  /** One past the last row drawn. */
  end: number;
  /** The height of the rows above `start`, in pixels. */
  padTop: number;
  /** The height of the rows from `end` on, in pixels. */
  padBottom: number;
}

/** The rows to draw for a scroll position: never fewer than the view shows, never beyond
 * the list; a scroll past the end (the list just got shorter) shows its last rows. */
export function windowOf({ count, rowHeight, scrollTop, viewport, overscan }: WindowInput): RowWindow {
  if (count <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const h = rowHeight > 0 ? rowHeight : 1;
  const shown = Math.max(1, Math.ceil(Math.max(0, viewport) / h));
  const first = Math.min(Math.max(0, Math.floor(Math.max(0, scrollTop) / h)), Math.max(0, count - shown));
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + shown + 1 + overscan);
  return { start, end, padTop: start * h, padBottom: (count - end) * h };
}

/** The scroll position that brings row `index` fully into view, moving as little as
 * possible (the position as it is when the row is already in view). `top` is what covers
 * the view's top edge (a sticky header), in pixels. */
export function revealTop({
  index,
  rowHeight,
  scrollTop,
  viewport,
  top = 0,
}: {
  index: number;
  rowHeight: number;
  scrollTop: number;
  viewport: number;
  top?: number;
}): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  // The rows' part of the view, in the rows' own coordinates.
  const from = scrollTop;
  const to = scrollTop + Math.max(rowHeight, viewport - top);
  if (rowTop < from) return Math.max(0, rowTop);
  if (rowBottom > to) return Math.max(0, rowBottom - Math.max(rowHeight, viewport - top));
  return scrollTop;
}

/** Whether two windows draw the same rows in the same places. */
export function sameWindow(a: RowWindow, b: RowWindow): boolean {
  return a.start === b.start && a.end === b.end && a.padTop === b.padTop && a.padBottom === b.padBottom;
}

/** A row with its place in the whole list. */
export interface Numbered<T> {
  item: T;
  index: number;
}

/** Each row with its place in the list, made once a list: the rows drawn are slices of it,
 * so a row that stays drawn while the list scrolls keeps its object, and nothing in it is
 * worked out again (a row numbered from the window's start would be: every drawn cell of a
 * 1 500-row grid, every frame of a scroll; issue 17). */
export function numbered<T>(rows: readonly T[]): Numbered<T>[] {
  return rows.map((item, index) => ({ item, index }));
}

/** Whether row `index` is among those drawn. */
export function isDrawn(w: RowWindow, index: number): boolean {
  return index >= w.start && index < w.end;
}
