import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualRows } from "./virtual.svelte";

// The rows a long list draws before its scroller is laid out: as many as the guessed
// height shows and the overscan below, no more; once laid out, the measured height counts.
describe("the rows drawn before the first layout", () => {
  it("follow the scroller's guessed height, then its measured one", () => {
    // A grid's scroller guessed 628 px tall (a 900 px window less 17 rem), rows estimated
    // 24 px: ⌈628 / 24⌉ = 27 in view, + 1 partly shown + 8 overscan = rows 0..36.
    const rows = new VirtualRows(24, 8, () => 628);
    expect(rows.window(1500)).toEqual({ start: 0, end: 36, padTop: 0, padBottom: (1500 - 36) * 24 });
    // Laid out 300 px tall: ⌈300 / 24⌉ = 13, + 1 + 8 = rows 0..22.
    rows.viewport = 300;
    expect(rows.window(1500).end).toBe(22);
  });

  afterEach(() => vi.unstubAllGlobals());

  it("without a guess of its own, are no more than the window holds", () => {
    vi.stubGlobal("window", { innerHeight: 720 });
    // ⌈720 / 30⌉ = 24, + 1 + 8 = rows 0..33.
    expect(new VirtualRows(30).window(5000).end).toBe(33);
    // No window (tests without a DOM): 1 200 px, ⌈1200 / 30⌉ = 40, + 1 + 8 = 49.
    vi.unstubAllGlobals();
    expect(new VirtualRows(30).window(5000).end).toBe(49);
  });

  it("are all of a short list", () => {
    expect(new VirtualRows(24, 8, () => 628).window(150)).toEqual({ start: 0, end: 150, padTop: 0, padBottom: 0 });
  });
});

// A scroll within a row draws the same rows: the window given is the same object, so
// nothing that depends on it is worked out again (issue 17: scrolling at the screen's pace).
describe("the window while the list scrolls", () => {
  it("is the same object until other rows are drawn", () => {
    // Rows of 24 px, a 240 px view, overscan 8. At 0 px: ⌈240 / 24⌉ = 10 in view, + 1 + 8
    // = rows 0..19. At 23 px the first row in view is still row 0 (⌊23 / 24⌋ = 0).
    const rows = new VirtualRows(24, 8, () => 240);
    rows.viewport = 240;
    const top = rows.window(1500);
    rows.scrollTop = 23;
    expect(rows.window(1500)).toBe(top);
    // At 24 px row 1 is the first in view: rows 0..20 (start stays 0 under the overscan).
    rows.scrollTop = 24;
    const next = rows.window(1500);
    expect(next).not.toBe(top);
    expect(next).toEqual({ start: 0, end: 20, padTop: 0, padBottom: (1500 - 20) * 24 });
    // At 9 × 24 = 216 px: first 9, start 9 − 8 = 1, end 9 + 10 + 1 + 8 = 28.
    rows.scrollTop = 216;
    expect(rows.window(1500)).toEqual({ start: 1, end: 28, padTop: 24, padBottom: (1500 - 28) * 24 });
    expect(rows.window(1500)).toBe(rows.window(1500));
  });
});

describe("measuring a row", () => {
  it("asks for the row only until one is measured", () => {
    const rows = new VirtualRows(24);
    let asked = 0;
    const row = () => {
      asked += 1;
      return { getBoundingClientRect: () => ({ height: 26 }) } as unknown as Element;
    };
    let ready = 0;
    const isReady = (yes: boolean) => () => (ready++, yes);
    rows.measure(isReady(false), row);
    expect(asked).toBe(0); // not virtualised or nothing drawn: no row asked
    rows.measure(isReady(true), () => (asked++, null));
    expect(rows.rowHeight).toBe(24); // nothing found: the estimate
    rows.measure(isReady(true), row);
    rows.measure(isReady(true), row);
    expect(rows.rowHeight).toBe(26);
    expect(asked).toBe(2); // the empty try and the one measured; not the third
    // Once measured, not even `ready` is read: an effect calling this tracks nothing else.
    expect(ready).toBe(3);
  });
});
