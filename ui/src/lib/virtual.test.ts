import { describe, expect, it } from "vitest";
import { VIRTUAL_FROM, isDrawn, numbered, revealTop, sameWindow, windowOf } from "./virtual";

describe("windowOf", () => {
  it("draws the rows in view and the overscan on each side, with spacers for the rest", () => {
    // 1 000 rows of 20 px, scrolled 2 000 px (row 100 at the top), a 400 px view: rows
    // 100–119 are in view (400 / 20 = 20), one more for a row cut at the bottom edge, and
    // 5 of overscan each side: rows 95..125 (end 126), 95 × 20 = 1 900 px above and
    // (1 000 − 126) × 20 = 17 480 px below.
    const w = windowOf({ count: 1000, rowHeight: 20, scrollTop: 2000, viewport: 400, overscan: 5 });
    expect(w).toEqual({ start: 95, end: 126, padTop: 1900, padBottom: 17480 });
    // The spacers and the drawn rows are as tall as all the rows: 1 900 + 31 × 20 + 17 480.
    expect(w.padTop + (w.end - w.start) * 20 + w.padBottom).toBe(1000 * 20);
  });

  it("starts at the first row when scrolled to the top", () => {
    expect(windowOf({ count: 500, rowHeight: 25, scrollTop: 0, viewport: 250, overscan: 10 })).toEqual({
      start: 0,
      end: 21, // 10 in view, 1 cut, 10 overscan
      padTop: 0,
      padBottom: (500 - 21) * 25,
    });
  });

  it("ends at the last row when scrolled to the bottom, or past it after the list shrank", () => {
    // 300 rows of 20 px = 6 000 px; a 400 px view at the end shows rows 280–299.
    const atEnd = windowOf({ count: 300, rowHeight: 20, scrollTop: 5600, viewport: 400, overscan: 3 });
    expect(atEnd).toEqual({ start: 277, end: 300, padTop: 277 * 20, padBottom: 0 });
    // Scrolled far beyond (a tree just closed): still the last rows, never an empty window.
    const past = windowOf({ count: 300, rowHeight: 20, scrollTop: 90_000, viewport: 400, overscan: 3 });
    expect(past).toEqual(atEnd);
  });

  it("draws everything when the view is taller than the list", () => {
    expect(windowOf({ count: 10, rowHeight: 20, scrollTop: 0, viewport: 1000, overscan: 2 })).toEqual({
      start: 0,
      end: 10,
      padTop: 0,
      padBottom: 0,
    });
  });

  it("draws nothing for no rows and survives a view not yet measured", () => {
    expect(windowOf({ count: 0, rowHeight: 20, scrollTop: 0, viewport: 400, overscan: 5 })).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    const w = windowOf({ count: 1000, rowHeight: 20, scrollTop: -50, viewport: 0, overscan: 5 });
    expect(w.start).toBe(0);
    expect(w.end).toBe(7); // 1 row for the unmeasured view, 1 cut, 5 overscan
  });

  it("the virtualised lists start at 200 rows", () => {
    expect(VIRTUAL_FROM).toBe(200);
  });
});

describe("revealTop", () => {
  // 20 px rows, a 400 px view with a 40 px sticky header over its top: 360 px of rows
  // (18 rows) show at a time.
  const base = { rowHeight: 20, viewport: 400, top: 40 };

  it("leaves the scroll alone when the row is already in view", () => {
    expect(revealTop({ ...base, index: 105, scrollTop: 2000 })).toBe(2000);
    // The last fully visible row: 100 + 17 = 117 (its bottom 2 360 = 2 000 + 360).
    expect(revealTop({ ...base, index: 117, scrollTop: 2000 })).toBe(2000);
  });

  it("scrolls up so a row above the view is at the top, under the header", () => {
    expect(revealTop({ ...base, index: 50, scrollTop: 2000 })).toBe(1000);
    expect(revealTop({ ...base, index: 0, scrollTop: 2000 })).toBe(0);
  });

  it("scrolls down as little as needed so a row below the view is at the bottom", () => {
    // Row 118 ends at 2 380: the view (360 px of rows) must start at 2 380 − 360 = 2 020.
    expect(revealTop({ ...base, index: 118, scrollTop: 2000 })).toBe(2020);
    // The last of 1 497 rows: ends at 29 940, scroll 29 940 − 360 = 29 580.
    expect(revealTop({ ...base, index: 1496, scrollTop: 0 })).toBe(29580);
  });

  it("a revealed row is in the window drawn for the new position", () => {
    for (const index of [0, 1, 57, 499, 999]) {
      const scrollTop = revealTop({ ...base, index, scrollTop: 4321 });
      const w = windowOf({ count: 1000, rowHeight: 20, scrollTop, viewport: 400, overscan: 0 });
      expect(isDrawn(w, index)).toBe(true);
    }
  });
});

describe("numbered", () => {
  it("gives each row its place in the whole list, so a slice keeps them", () => {
    const all = numbered(["a", "b", "c", "d"]);
    expect(all.slice(2, 4)).toEqual([
      { item: "c", index: 2 },
      { item: "d", index: 3 },
    ]);
    // The same objects in every slice: a row still drawn after a scroll is not a new one.
    expect(all.slice(1, 3)[1]).toBe(all.slice(2, 4)[0]);
  });
});

describe("sameWindow", () => {
  it("is true only for the same rows in the same places", () => {
    const w = { start: 5, end: 30, padTop: 120, padBottom: 900 };
    expect(sameWindow(w, { ...w })).toBe(true);
    expect(sameWindow(w, { ...w, end: 31 })).toBe(false);
    // The same rows with another row height (measured after the estimate) move the rows.
    expect(sameWindow(w, { ...w, padTop: 130 })).toBe(false);
    expect(sameWindow(w, { ...w, padBottom: 910 })).toBe(false);
    expect(sameWindow(w, { ...w, start: 6 })).toBe(false);
  });
});
