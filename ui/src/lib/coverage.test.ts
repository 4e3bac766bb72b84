import { describe, expect, it } from "vitest";
import { coverageWarning } from "./coverage";

describe("coverage warning", () => {
  it("names how many units lack figures and for which period", () => {
    expect(coverageWarning({ complete: false, missing_units: 3, expected_units: 12, period: "2026-09" }))
      .toBe("3 av 12 enheter mangler tall for september 2026");
    expect(coverageWarning({ complete: false, missing_units: 1, expected_units: 1, period: "2026-K3" }))
      .toBe("1 av 1 enhet mangler tall for 3. kvartal 2026");
  });

  it("says nothing when every expected unit reported or none was expected", () => {
    expect(coverageWarning({ complete: true, missing_units: 0, expected_units: 12, period: "2026-09" })).toBeNull();
    expect(coverageWarning({ complete: false, missing_units: 0, expected_units: 0, period: "2026-09" })).toBeNull();
  });
});
