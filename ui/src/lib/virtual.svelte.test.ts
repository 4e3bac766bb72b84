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
