import { describe, expect, it } from "vitest";
import { unlockProblem, unlockedText } from "./locks";

describe("unlocking a month", () => {
  it("says why nothing happens without a reason", () => {
    const problem = "Skriv en grunn før du låser opp november 2026. Grunnen skrives i endringsloggen; ingenting er endret.";
    expect(unlockProblem("2026-11", "")).toBe(problem);
    expect(unlockProblem("2026-11", "   ")).toBe(problem);
    expect(unlockProblem("2026-11", "Rettet regnskap")).toBeNull();
  });
  it("says what the unlock did", () => {
    expect(unlockedText("2026-11", true)).toBe("November 2026 er låst opp.");
    expect(unlockedText("2026-11", false)).toBe("November 2026 var ikke låst; ingenting er endret.");
  });
});
