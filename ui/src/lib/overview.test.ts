import { describe, expect, it } from "vitest";
import type { GroupStatus } from "../bindings/GroupStatus";
import type { IndicatorResult } from "../bindings/IndicatorResult";
import type { PerspectiveResult } from "../bindings/PerspectiveResult";
import type { UnitNode } from "../bindings/UnitNode";
import { breadcrumb, cellCounts, isDeviation, nothingShownText, printFileName, shownIndicators, stripItems } from "./overview";

function group(over: Partial<GroupStatus>): GroupStatus {
  return { status: "no_data", provisional: false, green: 0, yellow: 0, red: 0, provisional_count: 0, without_status: 0, indicators: 0, ...over };
}

function result(code: string, status: IndicatorResult["status"], provisional = false): IndicatorResult {
  return {
    code, name: code, goal: null, unit_label: "%", decimals: 1, direction: "lav", frequency: "måned",
    aggregation: "brøk", period: "2026-10", value: 1, display: "1,0 %", display_value: 1, numerator: null,
    denominator: null, target: 2, red_limit: 3, target_source: "default", status, coverage: 1, complete: true,
    reported_cells: 1, expected_cells: 1, expected_units: 1, missing_units: 0,
    previous: { period: "2026-09", value: 1, masked: null }, last_year: { period: "2025-10", value: 1, masked: null },
    trend: "unchanged", masked: null, provisional, months_covered: 1, months_total: 1, red_without_action: false, survey: null, references: [], target_reference: null,
  };
}

function perspective(name: string, indicators: IndicatorResult[]): PerspectiveResult {
  return { key: "brukere", name, status: "green", counts: { green: 0, yellow: 0, red: 0, no_data: 0, no_target: 0 }, goals: [], indicators };
}

describe("the summary strip", () => {
  it("shows every colour with its number and word, noughts too, and those without status", () => {
    // The demo's root in October 2026: 11 grønn, 4 gul, 2 rød, 8 uten status.
    const items = stripItems(group({ status: "red", green: 11, yellow: 4, red: 2, without_status: 8, indicators: 25 }), true);
    expect(items.map((i) => `${i.mark} ${i.count} ${i.word}`)).toEqual(["● 11 grønn", "▲ 4 gul", "■ 2 rød", "○ 8 uten status"]);
    expect(stripItems(group({ green: 3 }), true).map((i) => i.count)).toEqual([3, 0, 0, 0]);
  });

  it("counts provisional colours apart when the period has not ended", () => {
    const items = stripItems(group({ provisional_count: 4, without_status: 13, indicators: 17 }), false);
    expect(items.map((i) => `${i.mark} ${i.count} ${i.word}`)).toEqual(["● 0 grønn", "▲ 0 gul", "■ 0 rød", "◔ 4 foreløpig", "○ 13 uten status"]);
  });
});

describe("«Vis bare avvik»", () => {
  const rs = [result("A", "green"), result("B", "yellow"), result("C", "red", true), result("D", "no_data"), result("E", "no_target")];

  it("keeps only yellow and red results, provisional ones too", () => {
    expect(rs.filter(isDeviation).map((r) => r.code)).toEqual(["B", "C"]);
    expect(shownIndicators(perspective("Brukere", rs), true).map((r) => r.code)).toEqual(["B", "C"]);
    expect(shownIndicators(perspective("Brukere", rs), false)).toHaveLength(5);
  });

  it("says so in a sentence when a perspective has none", () => {
    const calm = perspective("Innbyggere og brukere", [result("A", "green")]);
    expect(shownIndicators(calm, true)).toEqual([]);
    expect(nothingShownText(calm, true)).toBe("Ingen avvik i innbyggere og brukere.");
    expect(nothingShownText(perspective("Økonomi", []), true)).toBe("Ingen indikatorer i dette perspektivet.");
  });
});

describe("a grid cell", () => {
  it("gives its counts as marks for the eye and words for the ear, worst first", () => {
    expect(cellCounts(group({ status: "red", red: 1, yellow: 2, green: 3, without_status: 1 }))).toEqual({
      short: "■ 1 ▲ 2 ● 3 ○ 1",
      words: "1 rød, 2 gul, 3 grønn, 1 uten status",
    });
    expect(cellCounts(group({}))).toEqual({ short: "", words: "ingen indikatorer" });
  });
});

describe("the breadcrumb", () => {
  const units: UnitNode[] = [
    { code: "1000", name: "Demo kommune", level: null, parent: null, depth: 0 },
    { code: "3000", name: "Helse og omsorg", level: null, parent: "1000", depth: 1 },
    { code: "3100", name: "Furulund sykehjem", level: null, parent: "3000", depth: 2 },
  ];

  it("runs from the municipality to the unit", () => {
    expect(breadcrumb(units, "3100").map((u) => u.name)).toEqual(["Demo kommune", "Helse og omsorg", "Furulund sykehjem"]);
    expect(breadcrumb(units, "1000").map((u) => u.code)).toEqual(["1000"]);
    expect(breadcrumb(units, "9999")).toEqual([]);
  });

  it("ends at a loop instead of running for ever", () => {
    const loop: UnitNode[] = [
      { code: "A", name: "A", level: null, parent: "B", depth: 0 },
      { code: "B", name: "B", level: null, parent: "A", depth: 0 },
    ];
    expect(breadcrumb(loop, "A").map((u) => u.code)).toEqual(["B", "A"]);
  });
});

describe("the printout's file name", () => {
  it("names the unit, the period and the filter, without characters a file system refuses", () => {
    expect(printFileName("Furulund sykehjem", "november 2026", false)).toBe("Målkart Furulund sykehjem november 2026.pdf");
    expect(printFileName("Skole A/B", "januar–oktober 2026", true)).toBe("Målkart Skole A-B januar–oktober 2026 avvik.pdf");
  });
});
