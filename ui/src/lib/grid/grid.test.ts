import { describe, expect, it } from "vitest";
import { GridModel, parseTsv, describePaste } from "./grid.svelte";
import { parseAmount, parseDecimal, parseNumber, formatOre, formatFigure, formatLoadedOre, formatAmountText, groupDigits } from "./number";

/** A 3 × 4 grid whose column 2 is read-only (a computed or locked column). */
function model(values: string[][] = []) {
  return new GridModel({
    rows: 3,
    cols: 4,
    values,
    readOnly: (_r, c) => c === 2,
    validate: (_r, _c, text) => {
      const p = parseNumber(text);
      return p && !p.ok ? p.message : null;
    },
  });
}

describe("Norwegian numbers (the core's rules)", () => {
  it("reads back every amount the grid shows: a loaded grid need not be parsed", () => {
    // Odd and even øre, whole kroner, groups of three, both signs, the largest safe øre.
    const samples = [0, 1, -1, 99, 100, -100, 123456750, -123456799, 100000, 999_999_999_999, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 2000; i++) samples.push(Math.round((i * 7919 - 5_000_000) * (i % 13) * 104.729) || 0);
    for (const ore of samples) {
      // formatOre's text parsed for real (never told before: not yet through formatLoadedOre).
      expect(parseAmount(formatOre(ore))).toEqual({ ok: true, value: ore });
    }
    // A text told by formatLoadedOre reads as its amount, and twice the same answer.
    const text = formatLoadedOre(-4_321_987_654_321);
    expect(text).toBe("\u221243\u00a0219\u00a0876\u00a0543,21");
    expect(parseAmount(text)).toEqual({ ok: true, value: -4_321_987_654_321 });
    expect(parseAmount(text)).toBe(parseAmount(text));
  });

  it("reads decimal comma and point", () => {
    expect(parseDecimal("7,3")).toEqual({ digits: 73n, scale: 1 });
    expect(parseDecimal("7.3")).toEqual({ digits: 73n, scale: 1 });
    expect(parseDecimal("0,05")).toEqual({ digits: 5n, scale: 2 });
    expect(parseDecimal("007")).toEqual({ digits: 7n, scale: 0 });
  });

  it("groups digits with space, no-break space and narrow no-break space", () => {
    expect(parseDecimal("1 234 567,50")).toEqual({ digits: 123456750n, scale: 2 });
    expect(parseDecimal("1\u00a0234\u00a0567,50")).toEqual({ digits: 123456750n, scale: 2 });
    expect(parseDecimal("1\u202f234")).toEqual({ digits: 1234n, scale: 0 });
  });

  it("groups with points only when a comma is present or there are several", () => {
    expect(parseDecimal("1.234.567,50")).toEqual({ digits: 123456750n, scale: 2 });
    expect(parseDecimal("1.234.567")).toEqual({ digits: 1234567n, scale: 0 });
    // a single point and no comma is a decimal point: 1.234 = 1 + 234/1000
    expect(parseDecimal("1.234")).toEqual({ digits: 1234n, scale: 3 });
  });

  it("reads both minus signs and a trailing kr or %", () => {
    expect(parseDecimal("−500")).toEqual({ digits: -500n, scale: 0 });
    expect(parseDecimal("-500")).toEqual({ digits: -500n, scale: 0 });
    expect(parseDecimal("7,3 %")).toEqual({ digits: 73n, scale: 1 });
    expect(parseDecimal("1 200 kr")).toEqual({ digits: 1200n, scale: 0 });
    expect(parseDecimal("1200kr")).toEqual({ digits: 1200n, scale: 0 });
  });

  it("refuses what the core refuses", () => {
    for (const bad of ["7,3,1", "abc", "1e5", "NaN", "inf", "7,", ",5", "12..5", "1.23.456", "12 34", "1 234.567,5", "--5", ""]) {
      expect(parseDecimal(bad), bad).toBeNull();
    }
  });

  it("gives a Norwegian message per bad cell and nothing for an empty one", () => {
    expect(parseNumber("abc")).toEqual({ ok: false, message: "«abc» er ikke et tall" });
    expect(parseNumber("  ")).toBeNull();
    expect(parseNumber("12,5")).toEqual({ ok: true, value: 12.5 });
  });

  it("reads amounts to whole øre exactly", () => {
    // 1 234 567,50 kr = 123 456 750 øre
    expect(parseAmount("1 234 567,50")).toEqual({ ok: true, value: 123456750 });
    expect(parseAmount("−500")).toEqual({ ok: true, value: -50000 });
    // 0,1 + 0,2 would be 0.30000000000000004 in floating point; øre are exact: 10 + 20 = 30
    const a = parseAmount("0,1");
    const b = parseAmount("0,2");
    expect(a?.ok && b?.ok && a.value + b.value).toBe(30);
    expect(parseAmount("1,500")).toEqual({ ok: true, value: 150 });
    expect(parseAmount("1,005")).toEqual({ ok: false, message: "«1,005» har brøkdeler av øre" });
    expect(parseAmount("12 kr x")).toEqual({ ok: false, message: "«12 kr x» er ikke et beløp" });
  });

  it("shows amounts with øre only when there are any", () => {
    expect(formatOre(123456750)).toBe("1\u00a0234\u00a0567,50");
    expect(formatOre(123456700)).toBe("1\u00a0234\u00a0567");
    expect(formatOre(-50005)).toBe("\u2212500,05");
    expect(formatOre(0)).toBe("0");
    expect(formatFigure(1234.5)).toBe("1\u00a0234,5");
    expect(formatFigure(3)).toBe("3");
  });

  it("groups digits by three from the right", () => {
    const cases: [string, string][] = [
      ["", ""],
      ["7", "7"],
      ["123", "123"],
      ["1234", "1\u00a0234"],
      ["123456", "123\u00a0456"],
      ["1234567", "1\u00a0234\u00a0567"],
      ["12345678901", "12\u00a0345\u00a0678\u00a0901"],
    ];
    for (const [digits, grouped] of cases) expect(groupDigits(digits), digits).toBe(grouped);
  });

  it("shows a typed amount the grid's way and a loaded one as it is", () => {
    // 1 234 567,5 kr = 123 456 750 øre, shown with both øre digits.
    expect(formatAmountText("1234567,5")).toBe("1\u00a0234\u00a0567,50");
    expect(formatAmountText("abc")).toBe("abc");
    expect(formatAmountText("")).toBe("");
    const loaded = formatLoadedOre(-98765432);
    expect(loaded).toBe("\u2212987\u00a0654,32");
    expect(formatAmountText(loaded)).toBe(loaded);
  });
});

describe("tab-separated blocks", () => {
  it("splits rows by LF or CRLF and cells by tab, ignoring Excel's trailing line break", () => {
    expect(parseTsv("1\t2\r\n3\t4\r\n")).toEqual([["1", "2"], ["3", "4"]]);
    expect(parseTsv("1\t2\n3\t4")).toEqual([["1", "2"], ["3", "4"]]);
    expect(parseTsv("5")).toEqual([["5"]]);
    // an empty cell in the middle is kept: it clears that cell
    expect(parseTsv("1\t\t3\n")).toEqual([["1", "", "3"]]);
  });
});

describe("navigation", () => {
  it("moves with the arrows and stops at the edges", () => {
    const g = model();
    g.key({ key: "ArrowLeft" });
    g.key({ key: "ArrowUp" });
    expect(g.sel).toEqual({ row: 0, col: 0 });
    g.key({ key: "ArrowRight" });
    g.key({ key: "ArrowDown" });
    expect(g.sel).toEqual({ row: 1, col: 1 });
    for (let i = 0; i < 9; i++) g.key({ key: "ArrowDown" });
    expect(g.sel).toEqual({ row: 2, col: 1 });
  });

  it("Tab wraps to the next row and Shift+Tab back; Home and End go to the row's ends", () => {
    const g = model();
    g.select(0, 3);
    g.key({ key: "Tab" });
    expect(g.sel).toEqual({ row: 1, col: 0 });
    g.key({ key: "Tab", shiftKey: true });
    expect(g.sel).toEqual({ row: 0, col: 3 });
    g.key({ key: "Home" });
    expect(g.sel).toEqual({ row: 0, col: 0 });
    g.key({ key: "End" });
    expect(g.sel).toEqual({ row: 0, col: 3 });
    g.key({ key: "End", ctrlKey: true });
    expect(g.sel).toEqual({ row: 2, col: 3 });
    g.key({ key: "Home", ctrlKey: true });
    expect(g.sel).toEqual({ row: 0, col: 0 });
    // Tab at the last cell (and Shift+Tab at the first) is left to the page: focus leaves
    // the grid rather than being trapped in it.
    g.select(2, 3);
    expect(g.key({ key: "Tab" })).toBe(false);
    expect(g.sel).toEqual({ row: 2, col: 3 });
    g.select(0, 0);
    expect(g.key({ key: "Tab", shiftKey: true })).toBe(false);
  });

  it("leaves keys it does not use to the page", () => {
    const g = model();
    expect(g.key({ key: "c", ctrlKey: true })).toBe(false);
    expect(g.key({ key: "F5" })).toBe(false);
  });
});

describe("editing", () => {
  it("typing replaces the cell's text; Enter commits and moves down", () => {
    const g = model([["1", "2", "x", "4"]]);
    g.key({ key: "7" });
    expect(g.editing).toEqual({ row: 0, col: 0, text: "7" });
    g.setEditText("7,3");
    g.key({ key: "Enter" });
    expect(g.value(0, 0)).toBe("7,3");
    expect(g.editing).toBeNull();
    expect(g.sel).toEqual({ row: 1, col: 0 });
  });

  it("F2 and Enter edit the current text; Escape cancels", () => {
    const g = model([["1", "2", "x", "4"]]);
    g.key({ key: "F2" });
    expect(g.editing?.text).toBe("1");
    g.setEditText("99");
    g.key({ key: "Escape" });
    expect(g.value(0, 0)).toBe("1");
    expect(g.editing).toBeNull();
    expect(g.canUndo()).toBe(false);
    g.key({ key: "Enter" });
    expect(g.editing?.text).toBe("1");
  });

  it("Tab commits and moves right; the editor keeps ← → for its caret", () => {
    const g = model();
    g.key({ key: "5" });
    expect(g.key({ key: "ArrowLeft" })).toBe(false);
    g.key({ key: "Tab" });
    expect(g.value(0, 0)).toBe("5");
    expect(g.sel).toEqual({ row: 0, col: 1 });
  });

  it("Delete clears a cell; a read-only cell is neither cleared nor edited", () => {
    const g = model([["1", "2", "x", "4"]]);
    g.key({ key: "Delete" });
    expect(g.value(0, 0)).toBe("");
    g.select(0, 2);
    g.key({ key: "Delete" });
    g.key({ key: "8" });
    expect(g.value(0, 2)).toBe("x");
    expect(g.editing).toBeNull();
    expect(g.notice).toMatch(/kan ikke endres/);
  });

  it("reports a message per bad cell, in reading order", () => {
    const g = model([["abc", "2", "", "1,2,3"], ["", "", "", "7,5"]]);
    expect(g.errors()).toEqual([
      { row: 0, col: 0, message: "«abc» er ikke et tall" },
      { row: 0, col: 3, message: "«1,2,3» er ikke et tall" },
    ]);
    expect(g.error(1, 3)).toBeNull();
  });

  it("keeps the messages up to date through edits, pastes and undo, checking only the changed cells", () => {
    let checked = 0;
    const g = new GridModel({
      rows: 500,
      cols: 14,
      values: [],
      readOnly: (_r, c) => c >= 12,
      validate: (_r, _c, text) => {
        checked += 1;
        const p = parseNumber(text);
        return p && !p.ok ? p.message : null;
      },
    });
    // Loading checks each editable cell once: 500 × 12.
    expect(checked).toBe(6000);
    checked = 0;
    g.select(499, 11);
    g.key({ key: "x" });
    g.key({ key: "Enter" });
    expect(g.errors()).toEqual([{ row: 499, col: 11, message: "«x» er ikke et tall" }]);
    g.select(3, 0);
    g.paste("abc\t7\n");
    expect(g.errors().map((e) => [e.row, e.col])).toEqual([[3, 0], [499, 11]]);
    g.undo();
    expect(g.error(3, 0)).toBeNull();
    expect(g.errors()).toEqual([{ row: 499, col: 11, message: "«x» er ikke et tall" }]);
    g.select(499, 11);
    g.key({ key: "Delete" });
    expect(g.errors()).toEqual([]);
    // The edit, the paste's two cells, their undo and the Delete: 1 + 2 + 2 + 1 checks.
    expect(checked).toBe(6);
  });
});

describe("paste", () => {
  it("lands at the selected cell, skips read-only cells and clips at the edges", () => {
    const g = model([["a", "b", "x", "d"], ["e", "f", "y", "h"], ["i", "j", "z", "l"]]);
    g.select(1, 1);
    // 2 rows × 3 values from (1,1): (1,1) (1,2)ro (1,3) and (2,1) (2,2)ro (2,3); a third
    // row falls below the grid and a fourth value per row to the right of it.
    const r = g.paste("1\t2\t3\t9\r\n4\t5\t6\t9\r\n7\t8\t9\t9\r\n");
    expect(r.written).toBe(4);
    expect(r.skipped).toEqual([{ row: 1, col: 2 }, { row: 2, col: 2 }]);
    // clipped: row 1 and row 2 each one value past col 3 (2), and the whole third line (4)
    expect(r.clipped).toBe(6);
    expect(g.snapshot()).toEqual([
      ["a", "b", "x", "d"],
      ["e", "1", "y", "3"],
      ["i", "4", "z", "6"],
    ]);
    expect(describePaste(r)).toBe(
      "4 celler limt inn; 2 låste celler hoppet over; 6 verdier utenfor tabellen ble ikke limt inn.",
    );
  });

  it("keeps Norwegian numbers with grouping as they were pasted, and marks bad ones", () => {
    const g = model();
    g.paste("1\u00a0234,5\tabc\n");
    expect(g.value(0, 0)).toBe("1\u00a0234,5");
    expect(g.error(0, 0)).toBeNull();
    expect(g.error(0, 1)).toBe("«abc» er ikke et tall");
  });

  it("is one change: Ctrl+Z undoes the whole paste", () => {
    const g = model([["a", "b", "x", "d"]]);
    g.key({ key: "9" });
    g.key({ key: "Enter" }); // (0,0) = 9, selection (1,0)
    g.select(0, 0);
    g.paste("1\t2\n3\t4");
    expect(g.value(1, 1)).toBe("4");
    g.key({ key: "z", ctrlKey: true });
    expect(g.snapshot()[0]).toEqual(["9", "b", "x", "d"]);
    expect(g.value(1, 0)).toBe("");
    expect(g.value(1, 1)).toBe("");
    // and the typed 9 is the change before it
    g.key({ key: "z", ctrlKey: true });
    expect(g.value(0, 0)).toBe("a");
    expect(g.canUndo()).toBe(false);
    expect(g.undo()).toBe(false);
  });

  it("an unchanged paste is no change to undo", () => {
    const g = model([["1", "2"]]);
    g.paste("1\t2");
    expect(g.canUndo()).toBe(false);
  });
});
