import { describe, expect, it } from "vitest";
import {
  LATE_TEXT,
  NO_ACTION_TEXT,
  costInput,
  costText,
  countsText,
  inputFrom,
  isOwnComment,
  monthText,
  newInput,
  nextMonth,
  progressText,
  sameInput,
  statusText,
} from "./actions";
import type { Action } from "../bindings/Action";

const stored: Action = {
  code: "T-012", title: "Nærværsprosjekt i hjemmetjenesten", description: "Tett oppfølging av langtidsfravær",
  goal: "Sykefravær", success_factor: "God ledelse", unit: "3100", responsible: "Enhetsleder", kind: "investering",
  decision_ref: "KST 45/26", start: "2026-03", deadline: "2026-12", status: "pagar", progress: 40,
  cost_ore: 123_456_750, indicators: ["SF", "SF-LANG"],
};

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

  it("marks late and red without tiltak by shape and word, and progress in per cent", () => {
    expect(LATE_TEXT).toBe("⚠ forsinket");
    expect(NO_ACTION_TEXT).toBe("⚑ rød uten tiltak");
    expect(progressText(40)).toBe("40 %");
    expect(progressText(0)).toBe("0 %");
  });

  it("writes kroner from øre with Norwegian grouping, øre only when there are any", () => {
    expect(costText(123_456_750)).toBe("1 234 567,50 kr");
    expect(costText(123_456_700)).toBe("1 234 567 kr");
    expect(costText(0)).toBe("0 kr");
    expect(costInput(-150)).toBe("−1,50");
  });

  it("fills every field of the form from a stored tiltak, and saving it unchanged changes nothing", () => {
    const input = inputFrom(stored);
    expect(input).toEqual({
      code: "T-012", title: "Nærværsprosjekt i hjemmetjenesten", description: "Tett oppfølging av langtidsfravær",
      goal: "Sykefravær", success_factor: "God ledelse", unit: "3100", responsible: "Enhetsleder", kind: "investering",
      decision_ref: "KST 45/26", start: "2026-03", deadline: "2026-12", status: "pagar", progress: "40",
      cost: "1 234 567,50", indicators: ["SF", "SF-LANG"],
    });
    // The form's copy is its own: ticking an indicator leaves the stored tiltak alone.
    input.indicators.push("X");
    expect(stored.indicators).toEqual(["SF", "SF-LANG"]);
    expect(sameInput(inputFrom(stored), inputFrom(stored))).toBe(true);
    expect(sameInput(inputFrom(stored), { ...inputFrom(stored), title: " Nærværsprosjekt i hjemmetjenesten " })).toBe(true);
    expect(sameInput(inputFrom(stored), { ...inputFrom(stored), progress: "50" })).toBe(false);
    expect(sameInput(inputFrom(stored), { ...inputFrom(stored), indicators: ["SF"] })).toBe(false);
    expect(sameInput(inputFrom(stored), { ...inputFrom(stored), status: "fullfort" })).toBe(false);
  });

  it("prefills a new tiltak from a red indicator, and leaves the rest empty", () => {
    const fresh = newInput("T-013", { goal: "Sykefravær", unit: "3100", indicators: ["SF"], start: nextMonth("2026-10") });
    expect(fresh).toEqual({
      code: "T-013", title: "", description: "", goal: "Sykefravær", success_factor: "", unit: "3100",
      responsible: "", kind: "tiltak", decision_ref: "", start: "2026-11", deadline: "", status: "ikke_startet",
      progress: "0", cost: "", indicators: ["SF"],
    });
    // From the Tiltak view: no goal, no indicator; no month known, no start.
    const empty = newInput("T-014", { unit: "1000", start: nextMonth("") });
    expect([empty.goal, empty.indicators, empty.start]).toEqual(["", [], ""]);
  });

  it("offers changing a status comment to its author only", () => {
    expect(isOwnComment("kari", "kari")).toBe(true);
    expect(isOwnComment("ola", "kari")).toBe(false);
    expect(isOwnComment("", "")).toBe(false);
  });
});
