import { describe, expect, it } from "vitest";
import { flushSync } from "svelte";
import { GridModel } from "./grid.svelte";

// The model's reactivity as a view sees it: a derived value that reads cells follows every
// change of their rows (an edit, a paste, an undo), and a snapshot follows every row.
describe("the grid model as a view follows it", () => {
  it("a cell read in a derived value follows edits, pastes and undo", () => {
    const g = new GridModel({ rows: 300, cols: 4, values: [], readOnly: () => false });
    const cleanup = $effect.root(() => {
      const cell = $derived(g.value(250, 1));
      const row = $derived(g.rowTexts(250).join("|"));
      const total = $derived(g.snapshot().flat().filter((t) => t !== "").length);
      expect([cell, row, total]).toEqual(["", "|||", 0]);

      g.select(250, 1);
      g.key({ key: "7" });
      g.key({ key: "Enter" });
      flushSync();
      expect([cell, row, total]).toEqual(["7", "|7||", 1]);

      g.select(249, 0);
      g.paste("a\tb\nc\td\n"); // (249,0) (249,1) (250,0) (250,1)
      flushSync();
      expect([cell, row, total]).toEqual(["d", "c|d||", 4]);

      g.undo();
      flushSync();
      expect([cell, row, total]).toEqual(["7", "|7||", 1]);
    });
    cleanup();
  });
});
