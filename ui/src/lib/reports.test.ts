import { describe, expect, it } from "vitest";
import type { SickLeaveSummary } from "../bindings/SickLeaveSummary";
import type { SickLeaveSummaryRow } from "../bindings/SickLeaveSummaryRow";
import type { EconomyReport } from "../bindings/EconomyReport";
import type { EconomyReportRow } from "../bindings/EconomyReportRow";
import {
  columnWidthsCh,
  defaultFileName,
  deviationMark,
  forecastFootnote,
  kroner,
  lastFullQuarter,
  lastFullTertial,
  maskCounts,
  maskFootnote,
  maskReasonText,
  monthLabel,
  num,
  pathForFormat,
  sickCell,
  signedPp,
} from "./reports";

function slRow(code: string, over: Partial<SickLeaveSummaryRow> = {}): SickLeaveSummaryRow {
  return {
    code, name: `Enhet ${code}`, depth: 1, employees: 12, contracted_days: 1234.5, absence_days: 90.1,
    absence_pct: 7.298, self_certified_pct: 1.25, doctor_certified_pct: 6.05, short_pct: null, long_pct: null,
    last_year_pct: 6.9, change_pp: 0.4, target: 6.5, status: "red", masked: false, mask_reason: null,
    ...over,
  };
}

const maskedRow = (code: string, reason: SickLeaveSummaryRow["mask_reason"]) =>
  slRow(code, {
    employees: null, absence_days: null, absence_pct: null, self_certified_pct: null, doctor_certified_pct: null,
    last_year_pct: null, change_pp: null, status: null, masked: true, mask_reason: reason,
  });

function summary(rows: SickLeaveSummaryRow[], min = 5): SickLeaveSummary {
  return { unit: { code: "2000", name: "Oppvekst" }, period: "2026-K3", min_employees: min, rows, masked_primary: 0, masked_secondary: 0 };
}

describe("a long report's column widths", () => {
  it("takes each column's widest text over all rows, in digit widths", () => {
    // «1 234 567» is 7 digits + 2 spaces of ½ = 8; «−12,5» is 1⅓ + 3 + ½ = 4⅚; «*» is 1.
    const w = columnWidthsCh([
      ["12", "−12,5", "*"],
      ["1\u00a0234\u00a0567", "3,0", "grønn"],
    ]);
    expect(w[0]).toBe(8);
    expect(w[1]).toBeCloseTo(4 + 5 / 6);
    expect(w[2]).toBe(5);
    expect(columnWidthsCh([])).toEqual([]);
  });
});

describe("sick-leave cells", () => {
  it("writes figures the Norwegian way with one decimal", () => {
    const r = slRow("2100");
    expect(sickCell(r, r.absence_pct, 1)).toBe("7,3"); // 7.298 → 7,3
    expect(sickCell(r, r.contracted_days, 1)).toBe("1 234,5");
    expect(sickCell(r, r.short_pct, 1)).toBe("–"); // no split registered: no value, not hidden
    expect(sickCell(r, r.employees, 0)).toBe("12");
  });

  it("shows * for what the core hid on a masked row, and keeps what it kept", () => {
    const r = maskedRow("2110", "few_employees");
    expect(sickCell(r, r.absence_pct, 1)).toBe("*");
    expect(sickCell(r, r.employees, 0)).toBe("*");
    // Avtalte dagsverk stays visible on a masked row (sick-leave.md).
    expect(sickCell(r, r.contracted_days, 1)).toBe("1 234,5");
  });

  it("signs the change in percentage points", () => {
    expect(signedPp(0.4)).toBe("+0,4");
    expect(signedPp(-1.25)).toBe("−1,3"); // half away from zero
    expect(signedPp(0)).toBe("0,0");
    expect(signedPp(-0.04)).toBe("0,0"); // rounds to zero: no sign at all
    expect(signedPp(null)).toBe("–");
  });

  it("says why a row is hidden", () => {
    expect(maskReasonText("few_employees", 5)).toBe("Skjult av personvernhensyn: færre enn 5 ansatte.");
    expect(maskReasonText("unknown_employees", 5)).toContain("antall ansatte er ikke registrert");
    expect(maskReasonText("secondary", 5)).toContain("trekke rader fra hverandre");
  });
});

describe("the masking footnote", () => {
  it("counts the hidden rows by reason", () => {
    const s = summary([
      slRow("2000", { depth: 0 }),
      maskedRow("2110", "few_employees"),
      maskedRow("2120", "few_employees"),
      maskedRow("2130", "unknown_employees"),
      maskedRow("2140", "secondary"),
      slRow("2150"),
    ]);
    expect(maskCounts(s)).toEqual({ few: 2, unknown: 1, secondary: 1, total: 4 });
    expect(maskFootnote(s)).toBe(
      "* Skjult av personvernhensyn: 2 rader har færre enn 5 ansatte, 1 rad har ukjent antall ansatte og " +
        "1 rad er skjult i tillegg, så de skjulte tallene ikke kan regnes ut ved å trekke rader fra hverandre. " +
        "Skjulte enheter er likevel med i summene over dem.",
    );
  });

  it("names the minimum in force", () => {
    const s = summary([slRow("2000", { depth: 0 }), maskedRow("2110", "few_employees")], 10);
    expect(maskFootnote(s)).toBe(
      "* Skjult av personvernhensyn: 1 rad har færre enn 10 ansatte. Skjulte enheter er likevel med i summene over dem.",
    );
  });

  it("is absent when nothing is hidden, and says so when masking is off", () => {
    expect(maskFootnote(summary([slRow("2000")]))).toBeNull();
    expect(maskFootnote(summary([slRow("2000")], 0))).toContain("slått av");
  });
});

function ecRow(code: string, over: Partial<EconomyReportRow> = {}): EconomyReportRow {
  return {
    code, name: code, depth: 0, annual_budget: 1_200_000, budget_ytd: 800_000, actual_ytd: 812_345.5,
    deviation: -12_345.5, deviation_pct: -1.54, spent_pct: 67.7, forecast: 1_200_000, forecast_is_budget: false,
    units_without_forecast: 0, forecast_deviation: 0, status: "yellow",
    ...over,
  };
}
const ecReport = (rows: EconomyReportRow[]): EconomyReport => ({ unit: { code: "1000", name: "Demo kommune" }, period: "2026-T2", through: "2026-08", rows });

describe("economy cells", () => {
  it("writes whole kroner with digit groups, rounding half away from zero", () => {
    expect(kroner(812_345.5)).toBe("812 346");
    expect(kroner(-12_345.5)).toBe("−12 346");
    expect(kroner(1_234_567)).toBe("1 234 567");
  });

  it("marks a deviation with a shape and a word that read in black and white", () => {
    // avvik = budsjett − regnskap: positive is under-spend.
    expect(deviationMark(5_000)).toEqual({ mark: "▼", word: "mindreforbruk", kind: "under" });
    expect(deviationMark(-12_345.5)).toEqual({ mark: "▲", word: "merforbruk", kind: "over" });
    expect(deviationMark(0.49)).toBeNull(); // shows as 0 kr: no mark
  });

  it("explains forecasts that are the budget, with the number of units without one", () => {
    expect(forecastFootnote(ecReport([ecRow("1000")]))).toBeNull();
    const r = ecReport([ecRow("1000", { forecast_is_budget: true, units_without_forecast: 3 }), ecRow("2000", { depth: 1, forecast_is_budget: true, units_without_forecast: 1 })]);
    expect(forecastFootnote(r)).toBe(
      "† Prognose = budsjett: 3 enheter har ikke levert prognose hittil i år og regnes som i balanse ved årsslutt.",
    );
  });

  it("names the month a report runs through", () => {
    expect(monthLabel("2026-08")).toBe("august 2026");
    expect(monthLabel("2026-13")).toBe("2026-13");
  });
});

describe("report periods and files", () => {
  it("defaults sick leave to the last quarter that has ended", () => {
    expect(lastFullQuarter({ year: 2026, month: 9 })).toEqual({ kind: "quarter", year: 2026, n: 3 });
    expect(lastFullQuarter({ year: 2026, month: 10 })).toEqual({ kind: "quarter", year: 2026, n: 3 });
    expect(lastFullQuarter({ year: 2026, month: 2 })).toEqual({ kind: "quarter", year: 2025, n: 4 });
  });

  it("finds the last tertial that has ended", () => {
    expect(lastFullTertial({ year: 2026, month: 8 })).toEqual({ kind: "tertial", year: 2026, n: 2 });
    expect(lastFullTertial({ year: 2026, month: 7 })).toEqual({ kind: "tertial", year: 2026, n: 1 });
    expect(lastFullTertial({ year: 2026, month: 3 })).toEqual({ kind: "tertial", year: 2025, n: 3 });
  });

  it("names the file after the report, the unit and the period", () => {
    expect(defaultFileName("sykefravær", "2000", "2026-K3", "csv")).toBe("sykefravær-2000-2026-K3.csv");
    expect(defaultFileName("økonomi", "1000", "2026-T2", "xlsx")).toBe("økonomi-1000-2026-T2.xlsx");
    expect(defaultFileName("tiltak", "1000", "2026-10", "pdf")).toBe("tiltak-1000-2026-10.pdf");
    // Nothing a file system refuses: a range and a code with a slash.
    expect(defaultFileName("økonomi", "A/B 1", "2026-01..2026-09", "pdf")).toBe("økonomi-A_B_1-2026-01_2026-09.pdf");
  });

  it("gives one typed path the extension of the button pressed", () => {
    expect(pathForFormat(" /tmp/rapport.csv ", "pdf")).toBe("/tmp/rapport.pdf");
    expect(pathForFormat("/tmp/rapport.XLSX", "json")).toBe("/tmp/rapport.json");
    expect(pathForFormat("/tmp/rapport", "xlsx")).toBe("/tmp/rapport");
    expect(pathForFormat("/tmp/rapport.txt", "csv")).toBe("/tmp/rapport.txt");
  });

  it("writes a missing value as a dash", () => {
    expect(num(null, 1)).toBe("–");
    expect(num(7.25, 1)).toBe("7,3");
  });
});
