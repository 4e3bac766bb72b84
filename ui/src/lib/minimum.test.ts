import { describe, expect, it } from "vitest";
import { minimumStep } from "./minimum";

describe("changing the masking minimum", () => {
  it("refuses what is not a whole number from 0 to 1000", () => {
    for (const text of ["", "tre", "-1", "2,5", "1001"]) {
      expect(minimumStep(text, 5).kind).toBe("error");
    }
  });
  it("says so when the value is what it was, and asks nothing", () => {
    expect(minimumStep(" 5 ", 5)).toEqual({ kind: "unchanged", message: "Minstegrensen er allerede 5; ingenting er endret." });
    expect(minimumStep("0", 0)).toEqual({ kind: "unchanged", message: "Minstegrensen er allerede av; ingenting er endret." });
  });
  it("asks before turning masking off", () => {
    const step = minimumStep("0", 5);
    expect(step.kind).toBe("confirm");
    if (step.kind !== "confirm") return;
    expect(step.n).toBe(0);
    expect(step.question).toMatch(/^Endre minstegrensen fra 5 til av \(0\)\? Da slås maskeringen av/);
    expect(step.question).toContain("skrives i endringsloggen");
  });
  it("says which groups a lower minimum shows", () => {
    // From 5 to 3: groups of 3 and 4 employees (3 … 5 − 1) are shown from now on.
    const step = minimumStep("3", 5);
    expect(step.kind === "confirm" && step.question).toContain("grupper med 3–4 ansatte, som i dag er skjult");
  });
  it("says what a higher minimum hides", () => {
    const step = minimumStep("10", 5);
    expect(step.kind === "confirm" && step.question).toContain("Endre minstegrensen fra 5 til 10? Da skjules sykefraværet for grupper med færre enn 10 ansatte.");
    const fromOff = minimumStep("5", 0);
    expect(fromOff.kind === "confirm" && fromOff.question).toContain("Endre minstegrensen fra av til 5?");
  });
});
