import { describe, expect, it } from "vitest";
import { shownUnits, siblingPlaces } from "./unitTree";

// K: the kommune; two sectors under it, each with units; one sector has a unit below a unit.
//   K ─ OPP ─ OPP-A
//     │     └ OPP-B ─ OPP-B1
//     └ HEL ─ HEL-A
const units = [
  { code: "K", parent: null },
  { code: "OPP", parent: "K" },
  { code: "OPP-A", parent: "OPP" },
  { code: "OPP-B", parent: "OPP" },
  { code: "OPP-B1", parent: "OPP-B" },
  { code: "HEL", parent: "K" },
  { code: "HEL-A", parent: "HEL" },
];
const codes = (us: { code: string }[]) => us.map((u) => u.code);

describe("the units the tree shows", () => {
  it("shows a unit only when every ancestor is open, in tree order", () => {
    expect(codes(shownUnits(units, new Set()))).toEqual(["K"]);
    expect(codes(shownUnits(units, new Set(["K"])))).toEqual(["K", "OPP", "HEL"]);
    expect(codes(shownUnits(units, new Set(["K", "OPP"])))).toEqual(["K", "OPP", "OPP-A", "OPP-B", "HEL"]);
    // OPP-B open but OPP closed: OPP-B1 stays hidden under the closed OPP.
    expect(codes(shownUnits(units, new Set(["K", "OPP-B"])))).toEqual(["K", "OPP", "HEL"]);
    expect(codes(shownUnits(units, new Set(["K", "OPP", "OPP-B", "HEL"])))).toEqual(codes(units));
  });

  it("takes a unit whose parent is unknown as a top, and survives a loop in the parents", () => {
    expect(codes(shownUnits([{ code: "X", parent: "GONE" }], new Set()))).toEqual(["X"]);
    const loop = [
      { code: "A", parent: "B" },
      { code: "B", parent: "A" },
    ];
    expect(codes(shownUnits(loop, new Set(["A", "B"])))).toEqual([]);
  });

  it("opens a large tree whole in one pass", () => {
    // 1 500 units: 1 root, 30 sectors, 49 units each under them; all open.
    const big = [{ code: "R", parent: null as string | null }];
    for (let s = 0; s < 30; s++) {
      big.push({ code: `S${s}`, parent: "R" });
      for (let u = 0; u < 49; u++) big.push({ code: `S${s}-${u}`, parent: `S${s}` });
    }
    const all = new Set(["R", ...Array.from({ length: 30 }, (_, s) => `S${s}`)]);
    expect(big.length).toBe(1 + 30 * 50);
    expect(shownUnits(big, all).length).toBe(1501);
  });
});

describe("a unit's place among its siblings", () => {
  it("counts the shown siblings under the same parent", () => {
    const shown = shownUnits(units, new Set(["K", "OPP", "OPP-B", "HEL"]));
    const p = siblingPlaces(shown);
    expect(p.get("K")).toEqual({ pos: 1, size: 1 });
    expect(p.get("OPP")).toEqual({ pos: 1, size: 2 });
    expect(p.get("HEL")).toEqual({ pos: 2, size: 2 });
    expect(p.get("OPP-A")).toEqual({ pos: 1, size: 2 });
    expect(p.get("OPP-B")).toEqual({ pos: 2, size: 2 });
    expect(p.get("OPP-B1")).toEqual({ pos: 1, size: 1 });
    expect(p.get("HEL-A")).toEqual({ pos: 1, size: 1 });
  });

  it("counts only the siblings a search shows", () => {
    // A search found OPP-B1 and HEL-A: shown with their ancestors.
    const shown = units.filter((u) => ["K", "OPP", "OPP-B", "OPP-B1", "HEL", "HEL-A"].includes(u.code));
    const p = siblingPlaces(shown);
    expect(p.get("OPP-B")).toEqual({ pos: 1, size: 1 });
    expect(p.get("HEL")).toEqual({ pos: 2, size: 2 });
  });
});
