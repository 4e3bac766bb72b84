import { describe, expect, it } from "vitest";
import { count, failureSummary, importedText, sentence, splitProblems } from "./importText";

const nbsp = "\u00a0";

describe("import messages", () => {
  it("write counts with the right plural", () => {
    expect(count(1, "linje", "linjer")).toBe("1 linje");
    expect(count(2, "linje", "linjer")).toBe("2 linjer");
    expect(count(0, "linje", "linjer")).toBe("0 linjer");
    // Grouped, kept together: 12 345 rader.
    expect(count(12345, "rad", "rader")).toBe(`12${nbsp}345 rader`);
  });

  it("say what an import stored", () => {
    expect(importedText({ file: "enheter.csv", created: 1, changed: 2, unchanged: 3 })).toBe(
      "«enheter.csv» er importert: 1 ny rad, 2 endret og 3 uendret.",
    );
    expect(importedText({ file: "mål.xlsx", created: 4, changed: 0, unchanged: 1 })).toBe(
      "«mål.xlsx» er importert: 4 nye rader, 0 endret og 1 uendret.",
    );
  });

  it("sum up a refused file by errors and lines", () => {
    const e = (line: number) => ({ line, column: null, message: "feil" });
    expect(failureSummary([e(3)], 1)).toBe("1 feil i filen på 1 linje. Rett den og forhåndsvis på nytt.");
    // Three errors on two lines (3, 3, 5).
    expect(failureSummary([e(3), e(3), e(5)], 3)).toBe("3 feil i filen på 2 linjer. Rett dem og forhåndsvis på nytt.");
    // A problem of the whole file has no line.
    expect(failureSummary([e(0)], 1)).toBe("1 feil i filen. Rett den og forhåndsvis på nytt.");
    // When only the first errors are listed, the lines are not counted.
    expect(failureSummary([e(2), e(3)], 250)).toBe("250 feil i filen. Rett dem og forhåndsvis på nytt.");
  });

  it("writes a whole-file problem as a sentence", () => {
    expect(sentence("filen «x.csv» er tom")).toBe("Filen «x.csv» er tom.");
    expect(sentence("Filen er passordbeskyttet.")).toBe("Filen er passordbeskyttet.");
    expect(sentence("")).toBe("");
  });

  it("keeps problems of the whole file out of the line table", () => {
    const whole = { line: 0, column: null, message: "filen «x.pdf» er verken CSV eller XLSX" };
    const line = { line: 4, column: "verdi", message: "«7,3,1» er ikke et tall" };
    expect(splitProblems([whole, line])).toEqual({ file: [whole], lines: [line] });
  });
});
