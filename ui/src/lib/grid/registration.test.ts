import { describe, expect, it } from "vitest";
import { absencePct, changedEconomyCells, changedSickLeaveRows, economyTotals, formatPct } from "./registration";
import { createTauriBackend, type Invoke } from "../backend/tauri";

describe("sick-leave grid", () => {
  it("shows Fravær % of the row as typed", () => {
    // 100 × (14,5 + 41) / 880 = 6,306… → 6,3 %
    expect(absencePct(["880", "14,5", "41"])).toBe("6,3\u00a0%");
    // 100 × (0 + 0) / 20 = 0
    expect(absencePct(["20", "0", "0"])).toBe("0,0\u00a0%");
    expect(absencePct(["", "1", "2"])).toBe("");
    expect(absencePct(["0", "1", "2"])).toBe("");
    expect(absencePct(["abc", "1", "2"])).toBe("");
    // half away from zero: 100 × 0,5 / 40 = 1,25 → 1,3
    expect(formatPct(1.25)).toBe("1,3\u00a0%");
  });

  it("sends only the rows that changed, with every cell of the row", () => {
    const original = [
      ["880", "14,5", "41", "", "", "", "", ""],
      ["420", "6", "21", "", "", "", "", ""],
    ];
    const current = [
      ["880", "14,5", "41", "", "", "", "", "", "6,3 %"],
      ["420", "7", "21", "12", "", "", "", "", "6,4 %"],
    ];
    expect(changedSickLeaveRows(["A", "B"], original, current)).toEqual([
      {
        unit: "B",
        cells: {
          avtalte_dagsverk: "420", egenmeldt: "7", legemeldt: "21", ansatte: "12",
          dager_1_3: "", dager_4_16: "", dager_17_56: "", dager_over_56: "",
        },
      },
    ]);
  });
});

describe("economy grid", () => {
  it("sums each row and each subtree exactly in øre", () => {
    // Tree: S (0) → E1 (1) → E1a (2), S → E2 (1)
    const depths = [0, 1, 2, 1];
    const t = (jan: string, feb: string) => [jan, feb, "", "", "", "", "", "", "", "", "", ""];
    const texts = [t("100", ""), t("1 000,10", "−500"), t("0,1", "0,2"), t("2 000", "abc")];
    const totals = economyTotals(depths, texts);
    // own: S 100 kr = 10 000 øre; E1 1 000,10 − 500 = 500,10 kr = 50 010 øre;
    // E1a 0,1 + 0,2 = 0,30 kr = 30 øre; E2 2 000 kr = 200 000 øre (abc left out)
    expect(totals.own).toEqual([10000, 50010, 30, 200000]);
    // subtree: E1 = 50 010 + 30 = 50 040; S = 10 000 + 50 040 + 200 000 = 260 040
    expect(totals.subtree).toEqual([260040, 50040, 30, 200000]);
    // January: 10 000 + 100 010 + 10 + 200 000 = 310 020; February: −50 000 + 20 = −49 980
    expect(totals.months.slice(0, 2)).toEqual([310020, -49980]);
    expect(totals.bad).toBe(1);
  });

  it("sends changed cells in øre, clears emptied ones and ignores a retyped equal amount", () => {
    const row = (...m: string[]) => [...m, ...Array(12 - m.length).fill("")];
    const original = [row("1\u00a0000", "5", "7")];
    const current = [row("1000", "", "7,50", "x")];
    expect(changedEconomyCells(["A"], original, current)).toEqual([
      { unit: "A", month: 2, amount: null },
      { unit: "A", month: 3, amount: 750 },
    ]);
  });
});

describe("the grids' commands", () => {
  it("call Rust with its parameter names", async () => {
    const calls: { cmd: string; args?: Record<string, unknown> }[] = [];
    const invoke: Invoke = async (cmd, args) => {
      calls.push({ cmd, args });
      return null;
    };
    const b = createTauriBackend(invoke);
    const save = { month: "2026-10", rows: [], undo: false };
    await b.sickLeaveGrid("2000", "2026-10");
    await b.checkSickLeave(save);
    await b.saveSickLeave(save);
    await b.economyGrid("2000", 2026, "budsjett");
    await b.saveEconomy({ year: 2026, measure: "budsjett", cells: [], undo: false });
    await b.spreadBudget({ unit: "2000", year: 2026, amount: "1 200", by_last_year: true });
    expect(calls).toEqual([
      { cmd: "sick_leave_grid", args: { unit: "2000", month: "2026-10" } },
      { cmd: "check_sick_leave", args: { input: save } },
      { cmd: "save_sick_leave", args: { input: save } },
      { cmd: "economy_grid", args: { unit: "2000", year: 2026, measure: "budsjett" } },
      { cmd: "save_economy", args: { input: { year: 2026, measure: "budsjett", cells: [], undo: false } } },
      { cmd: "spread_budget", args: { input: { unit: "2000", year: 2026, amount: "1 200", by_last_year: true } } },
    ]);
  });
});
