import { describe, expect, it } from "vitest";
import type { IndicatorResult } from "../bindings/IndicatorResult";
import { explain, ruleText } from "./explain";

const base: IndicatorResult = {
  code: "SF", name: "Sykefravær totalt", goal: null, unit_label: "%", decimals: 1,
  direction: "lav", frequency: "måned", aggregation: "brøk", period: "2026-K3",
  value: 7.2463, display: "7,2 %", display_value: 7.2, numerator: 123.19, denominator: 1700,
  target: 7, red_limit: 8, target_source: "default", status: "yellow",
  coverage: 11 / 12, complete: false, reported_cells: 11, expected_cells: 12,
  expected_units: 4, missing_units: 1,
  previous: { period: "2026-K2", value: 6.91, masked: null }, last_year: { period: "2025-K3", value: 7.84, masked: null },
  trend: "worse", masked: null,
};

describe("why this status", () => {
  it("writes a ratio as factor × Σ numerator / Σ denominator", () => {
    const lines = explain(base, "2026-K3", "Oppvekst", 100);
    // 100 × 123.19 / 1700 = 7.2465 (the engine's value is given, not recomputed here)
    expect(lines.find((l) => l.label === "Utregning")?.text)
      .toBe("100 × Σ teller / Σ nevner = 100 × 123,19 / 1 700,00 = 7,2463");
    expect(lines.find((l) => l.label === "Mål")?.text)
      .toBe("7,0 % (standardmålet for alle enheter), rød grense 8,0 %.");
    expect(lines.find((l) => l.label === "Dekning")?.text)
      .toBe("11 av 12 forventede tall er registrert (92 %); 1 av 4 enheter mangler tall.");
  });

  it("names the unit's own target and the rule for higher-is-better", () => {
    const r: IndicatorResult = { ...base, direction: "høy", target: 90, red_limit: 80, target_source: "unit", status: "green" };
    expect(explain(r, "2026-K3", "Skole A", 100).find((l) => l.label === "Mål")?.text)
      .toBe("90,0 % (Skole A sitt eget mål), rød grense 80,0 %.");
    expect(ruleText(r)).toBe("Høyere er bedre: grønn når verdien er minst 90,0 %, gul fra 80,0 % opp til 90,0 %, rød under 80,0 %.");
  });

  it("says which period a coarser indicator was evaluated for", () => {
    const r: IndicatorResult = { ...base, frequency: "kvartal", period: "2026-K1" };
    expect(explain(r, "2026-05", "Oppvekst", 100)[0].text)
      .toBe("Indikatoren måles per kvartal; for mai 2026 vises siste hele periode: 1. kvartal 2026.");
  });
});
