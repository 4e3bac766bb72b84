import { describe, expect, it } from "vitest";
import { asSentence, cellsHaveErrors, notSavedMessage, problemLine, widestCh, widthCh } from "./display";
import { formatFigureText, formatThousands, parseAmount, parseNumber } from "./number";
import { GridModel } from "./grid.svelte";

describe("the «i 1 000 kr» view", () => {
  it("rounds øre to whole thousands of kroner, half away from zero", () => {
    // 1 234 567,50 kr = 123 456 750 øre; 1 234,56750 thousand → 1 235
    expect(formatThousands(123456750)).toBe("1\u00a0235");
    // 1 234 499,99 kr = 123 449 999 øre → 1 234,49999 thousand → 1 234
    expect(formatThousands(123449999)).toBe("1\u00a0234");
    // exactly half: 1 500 kr = 150 000 øre → 1,5 thousand → 2 (away from zero)
    expect(formatThousands(150000)).toBe("2");
    expect(formatThousands(-150000)).toBe("\u22122");
    // 499,99 kr → 0,49999 thousand → 0; −499,99 kr → 0, never «−0»
    expect(formatThousands(49999)).toBe("0");
    expect(formatThousands(-49999)).toBe("0");
    // −500 kr = −50 000 øre → −0,5 thousand → −1
    expect(formatThousands(-50000)).toBe("\u22121");
    expect(formatThousands(0)).toBe("0");
    // 19 151 631 221,37 kr (the large demo's year) → 19 151 631,22137 thousand → 19 151 631
    expect(formatThousands(1915163122137)).toBe("19\u00a0151\u00a0631");
  });

  it("is only a view: the cells keep their exact text while it is on", () => {
    const m = new GridModel({ rows: 1, cols: 2, values: [["1 234 567,50", ""]], readOnly: () => false });
    m.blocked = "Slå av «i 1 000 kr» for å skrive inn beløp.";
    m.select(0, 0);
    expect(m.key({ key: "9" })).toBe(true);
    expect(m.editing).toBe(null);
    expect(m.notice).toBe("Slå av «i 1 000 kr» for å skrive inn beløp.");
    expect(m.key({ key: "Delete" })).toBe(true);
    expect(m.paste("1\t2")).toEqual({ written: 0, skipped: [], clipped: 0 });
    expect(m.setCells([{ row: 0, col: 1, text: "5" }])).toBe(0);
    expect(m.snapshot()).toEqual([["1 234 567,50", ""]]);
    expect(m.canUndo()).toBe(false);
    // Turned off: typing works again, and the text is still the exact amount.
    m.blocked = null;
    expect(parseAmount(m.value(0, 0))).toEqual({ ok: true, value: 123456750 });
    m.key({ key: "9" });
    expect(m.editing).toEqual({ row: 0, col: 0, text: "9" });
  });
});

describe("figures shown grouped", () => {
  it("groups digits with no-break spaces and keeps the decimals as typed", () => {
    expect(formatFigureText("10027,4")).toBe("10\u00a0027,4");
    expect(formatFigureText("10 027,4")).toBe("10\u00a0027,4");
    expect(formatFigureText("10027.4")).toBe("10\u00a0027,4");
    expect(formatFigureText("1234567")).toBe("1\u00a0234\u00a0567");
    expect(formatFigureText("12,50")).toBe("12,50");
    expect(formatFigureText("0,05")).toBe("0,05");
    expect(formatFigureText("500")).toBe("500");
    expect(formatFigureText("-3,5")).toBe("\u22123,5");
    // not a number: as typed (the message says why)
    expect(formatFigureText("abc")).toBe("abc");
    expect(formatFigureText("")).toBe("");
  });

  it("reads grouped and plain input with a decimal comma alike", () => {
    expect(parseNumber("10 027,4")).toEqual({ ok: true, value: 10027.4 });
    expect(parseNumber("10\u00a0027,4")).toEqual({ ok: true, value: 10027.4 });
    expect(parseNumber("10027,4")).toEqual({ ok: true, value: 10027.4 });
  });
});

describe("the grid's messages", () => {
  it("are sentences with the plural right", () => {
    expect(cellsHaveErrors(1)).toBe("1 celle har feil");
    expect(cellsHaveErrors(3)).toBe("3 celler har feil");
    expect(notSavedMessage(1)).toBe("Ikke lagret: 1 celle har feil. Rett den og lagre igjen.");
    expect(notSavedMessage(2)).toBe("Ikke lagret: 2 celler har feil. Rett dem og lagre igjen.");
    expect(asSentence("«abc» er ikke et beløp")).toBe("«abc» er ikke et beløp.");
    expect(asSentence("Fravær er over avtalte dagsverk.")).toBe("Fravær er over avtalte dagsverk.");
    expect(problemLine("Bakken skole", "mars", "«abc» er ikke et beløp")).toBe("Bakken skole, mars: «abc» er ikke et beløp.");
  });
});

describe("column widths", () => {
  it("estimates text width in digit widths", () => {
    // 8 digits + 1 space (½) + 1 comma (½) = 9
    expect(widthCh("34\u00a0608,979")).toBe(9);
    // − (1⅓) + 3 digits + comma (½) + 2 digits = 6⅚
    expect(widthCh("\u2212500,05")).toBeCloseTo(6 + 5 / 6, 10);
    expect(widthCh("jan")).toBe(3);
    expect(widestCh(["1", "22\u00a0222", "333"], 4)).toBe(5.5);
    expect(widestCh([], 4)).toBe(4);
  });
});
