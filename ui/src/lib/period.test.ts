import { describe, expect, it } from "vitest";
import {
  type PeriodSel, anchorOf, isAfter, labelOfId, latestComplete, nextPeriod, openingMonth,
  parsePeriodId, periodId, periodLabel, previousPeriod, provisionalText, shortLabelOfId,
  stepWay, switchKind, yearOfId,
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

  it("tells the way the person steps from the period before", () => {
    // From October back to September: back; the period after the next that way is July.
    const back = stepWay("2026-10", sel("month", 2026, 9));
    expect(back).toBe(previousPeriod);
    expect(periodId(back!(back!(sel("month", 2026, 9))))).toBe("2026-07");
    // Forward across the year: 2025-K4 to 2026-K1.
    expect(stepWay("2025-K4", sel("quarter", 2026, 1))).toBe(nextPeriod);
    // A jump, the same period, or another kind: no way.
    expect(stepWay("2026-06", sel("month", 2026, 9))).toBeNull();
    expect(stepWay("2026-09", sel("month", 2026, 9))).toBeNull();
    expect(stepWay("2026-K3", sel("month", 2026, 9))).toBeNull();
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

describe("honest periods: switching kind lands on the latest complete period", () => {
  const november = { year: 2026, month: 11 };
  const id = (kind: PeriodSel["kind"], anchor: { year: number; month: number }) => periodId(latestComplete(kind, anchor));

  it("from November 2026: 3. kvartal, 2. tertial, 1. halvår, 2025, januar–november", () => {
    expect(id("month", november)).toBe("2026-11");
    // 4. kvartal (October–December) has not ended; 3. kvartal has.
    expect(id("quarter", november)).toBe("2026-K3");
    // 3. tertial is September–December: not ended.
    expect(id("tertial", november)).toBe("2026-T2");
    expect(id("half", november)).toBe("2026-H1");
    expect(id("year", november)).toBe("2025");
    // Hittil i år runs January to the anchor, never past it.
    expect(id("ytd", november)).toBe("2026-01..2026-11");
  });

  it("from December the whole year and its last spans are complete", () => {
    const december = { year: 2026, month: 12 };
    expect(id("quarter", december)).toBe("2026-K4");
    expect(id("tertial", december)).toBe("2026-T3");
    expect(id("half", december)).toBe("2026-H2");
    expect(id("year", december)).toBe("2026");
    expect(id("ytd", december)).toBe("2026-01..2026-12");
  });

  it("from January and February the complete spans are last year's", () => {
    const january = { year: 2027, month: 1 };
    expect(id("quarter", january)).toBe("2026-K4");
    expect(id("tertial", january)).toBe("2026-T3");
    expect(id("half", january)).toBe("2026-H2");
    expect(id("year", january)).toBe("2026");
    expect(id("ytd", january)).toBe("2027-01..2027-01");
    expect(id("quarter", { year: 2027, month: 3 })).toBe("2027-K1");
    expect(id("tertial", { year: 2027, month: 3 })).toBe("2026-T3");
  });

  it("going back to Måned from År lands on the anchor, not December", () => {
    // The anchor stays November 2026 while switching kind: År shows 2025, Måned again
    // november 2026.
    const year = latestComplete("year", november);
    expect(periodId(year)).toBe("2025");
    expect(periodId(latestComplete("month", november))).toBe("2026-11");
    // Stepping moves the anchor to the period stepped to, but never past the latest month.
    expect(anchorOf(previousPeriod(year), november)).toEqual({ year: 2024, month: 12 });
    expect(anchorOf(nextPeriod(year), november)).toEqual(november);
    expect(anchorOf(sel("quarter", 2026, 2), november)).toEqual({ year: 2026, month: 6 });
  });

  it("opens on the last month with data, never after the last full month", () => {
    expect(openingMonth("2026-11", "2026-10")).toEqual({ year: 2026, month: 10 });
    expect(openingMonth("2026-11", "2026-11")).toEqual(november);
    expect(openingMonth("2026-11", null)).toEqual(november);
  });

  it("words a provisional period as the core does", () => {
    expect(provisionalText(2, 3)).toBe("Foreløpig · 2 av 3 måneder");
    expect(provisionalText(0, 1)).toBe("Foreløpig · 0 av 1 måned");
  });
});
