import { describe, expect, it } from "vitest";
import { costInput, costText, countsText, inputFrom, monthText, newInput, nextMonth, statusText } from "./actions";

const counts = (total: number, late: number) => ({
  total, late, ikke_startet: 0, pagar: total, fullfort: 0, utsatt: 0, avbrutt: 0,
});

describe("tiltak in words", () => {
  it("marks every status with a shape and a word", () => {
    expect(statusText("pagar")).toBe("◐ pågår");
    expect(statusText("ikke_startet")).toBe("○ ikke startet");
    expect(statusText("fullfort")).toBe("● fullført");
    expect(statusText("utsatt")).toBe("‖ utsatt");
    expect(statusText("avbrutt")).toBe("✕ avbrutt");
  });
  it("counts a goal's tiltak and the late ones, and says nothing of none", () => {
    expect(countsText(counts(3, 1))).toBe("3 tiltak · 1 forsinket");
    expect(countsText(counts(1, 0))).toBe("1 tiltak");
    expect(countsText(counts(0, 0))).toBe("");
  });
  it("writes a month as people say it", () => {
    expect(monthText("2026-03")).toBe("mars 2026");
    expect(monthText("2026-12")).toBe("desember 2026");
    expect(monthText(null)).toBe("–");
  });

  it("writes a cost from øre, exactly", () => {
    // 125 000 050 øre = 1 250 000,50 kr.
    expect(costInput(125_000_050)).toBe("1 250 000,50");
    expect(costInput(18_000_000)).toBe("180 000");
    expect(costInput(5)).toBe("0,05");
    expect(costText(null)).toBe("–");
    expect(costText(18_000_000)).toBe("180 000 kr");
  });
  it("fills the form from a tiltak and prefills a new one", () => {
    const input = inputFrom({
      code: "T-1", title: "Tittel", description: null, goal: "Sykefravær", success_factor: null,
      unit: "2100", responsible: "Rektor", kind: "tiltak", decision_ref: "KST 1/26", start: "2026-01",
      deadline: null, status: "pagar", progress: 40, cost_ore: 125_000_050, indicators: ["SF"],
    });
    expect(input.progress).toBe("40");
    expect(input.cost).toBe("1 250 000,50");
    expect(input.deadline).toBe("");
    expect(input.description).toBe("");
    const fresh = newInput("T-007", { goal: "Sykefravær", unit: "1000", indicators: ["SF"], start: "2026-12" });
    expect([fresh.code, fresh.status, fresh.progress, fresh.start]).toEqual(["T-007", "ikke_startet", "0", "2026-12"]);
    expect(nextMonth("2026-11")).toBe("2026-12");
    expect(nextMonth("2026-12")).toBe("2027-01");
  });
});
