import { describe, expect, it } from "vitest";
import {
  type PeriodSel, isAfter, labelOfId, nextPeriod, parsePeriodId, periodId, periodLabel,
  previousPeriod, shortLabelOfId, switchKind, yearOfId,
} from "./period";

const sel = (kind: PeriodSel["kind"], year: number, n: number): PeriodSel => ({ kind, year, n });

describe("period navigation", () => {
  it("steps months across the year boundary both ways", () => {
    expect(periodId(previousPeriod(sel("month", 2026, 1)))).toBe("2025-12");
    expect(periodId(nextPeriod(sel("month", 2025, 12)))).toBe("2026-01");
    expect(periodId(nextPeriod(sel("month", 2026, 9)))).toBe("2026-10");
  });

  it("steps quarters, tertials and halves across the year boundary", () => {
    expect(periodId(previousPeriod(sel("quarter", 2026, 1)))).toBe("2025-K4");
    expect(periodId(nextPeriod(sel("quarter", 2025, 4)))).toBe("2026-K1");
    expect(periodId(previousPeriod(sel("tertial", 2026, 1)))).toBe("2025-T3");
    expect(periodId(nextPeriod(sel("tertial", 2025, 3)))).toBe("2026-T1");
    expect(periodId(previousPeriod(sel("half", 2026, 1)))).toBe("2025-H2");
    expect(periodId(nextPeriod(sel("half", 2025, 2)))).toBe("2026-H1");
    expect(periodId(nextPeriod(sel("half", 2026, 1)))).toBe("2026-H2");
  });

  it("steps years", () => {
    expect(periodId(previousPeriod(sel("year", 2026, 1)))).toBe("2025");
    expect(periodId(nextPeriod(sel("year", 2026, 1)))).toBe("2027");
  });

  it("steps hittil i år by one month, into the previous year from January", () => {
    expect(periodId(sel("ytd", 2026, 9))).toBe("2026-01..2026-09");
    expect(periodId(previousPeriod(sel("ytd", 2026, 9)))).toBe("2026-01..2026-08");
    expect(periodId(previousPeriod(sel("ytd", 2026, 1)))).toBe("2025-01..2025-12");
    expect(periodId(nextPeriod(sel("ytd", 2025, 12)))).toBe("2026-01..2026-01");
  });

  it("previous then next returns to the same period for every kind", () => {
    for (const kind of ["month", "quarter", "tertial", "half", "year", "ytd"] as const) {
      const p = sel(kind, 2026, 1);
      expect(nextPeriod(previousPeriod(p))).toEqual(p);
    }
  });

  it("switching kind keeps the last month", () => {
    const september = sel("month", 2026, 9);
    expect(periodId(switchKind(september, "quarter"))).toBe("2026-K3");
    expect(periodId(switchKind(september, "tertial"))).toBe("2026-T3");
    expect(periodId(switchKind(september, "half"))).toBe("2026-H2");
    expect(periodId(switchKind(september, "year"))).toBe("2026");
    expect(periodId(switchKind(september, "ytd"))).toBe("2026-01..2026-09");
    expect(periodId(switchKind(sel("quarter", 2026, 2), "month"))).toBe("2026-06");
    expect(periodId(switchKind(sel("tertial", 2026, 2), "ytd"))).toBe("2026-01..2026-08");
  });

  it("knows when a period lies after the last full month", () => {
    const october = { year: 2026, month: 10 };
    expect(isAfter(sel("month", 2026, 10), october)).toBe(false);
    expect(isAfter(sel("month", 2026, 11), october)).toBe(true);
    expect(isAfter(sel("quarter", 2026, 4), october)).toBe(true); // ends in December
    expect(isAfter(sel("quarter", 2026, 3), october)).toBe(false);
  });
});

describe("period labels", () => {
  it("labels each kind as the core does", () => {
    expect(periodLabel(sel("month", 2026, 9))).toBe("september 2026");
    expect(periodLabel(sel("quarter", 2026, 3))).toBe("3. kvartal 2026");
    expect(periodLabel(sel("tertial", 2026, 1))).toBe("1. tertial 2026");
    expect(periodLabel(sel("half", 2026, 1))).toBe("1. halvår 2026");
    expect(periodLabel(sel("year", 2026, 1))).toBe("2026");
    expect(periodLabel(sel("ytd", 2026, 9))).toBe("januar–september 2026");
  });

  it("labels canonical ids from the core, including ranges across years", () => {
    expect(labelOfId("2026-09")).toBe("september 2026");
    expect(labelOfId("2026-K3")).toBe("3. kvartal 2026");
    expect(labelOfId("2025")).toBe("2025");
    expect(labelOfId("2026-01..2026-09")).toBe("januar–september 2026");
    expect(labelOfId("2025-10..2026-09")).toBe("oktober 2025–september 2026");
    expect(labelOfId("noe annet")).toBe("noe annet");
    expect(parsePeriodId("2026-K5")).toBeNull();
  });

  it("finds the year whose targets apply: the year of the last month", () => {
    expect(yearOfId("2026-K3")).toBe(2026);
    expect(yearOfId("2025-10..2026-09")).toBe(2026);
    expect(yearOfId("2026")).toBe(2026);
    expect(yearOfId("2026-13")).toBeNull();
  });

  it("writes short axis labels", () => {
    expect(shortLabelOfId("2026-09")).toBe("sep. 26");
    expect(shortLabelOfId("2026-K3")).toBe("K3 26");
    expect(shortLabelOfId("2025")).toBe("2025");
  });
});
