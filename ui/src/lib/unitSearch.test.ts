import { describe, expect, it } from "vitest";
import { highlightParts, hitCountText, normaliseQuery, unitMatches } from "./unitSearch";

describe("the unit tree's search", () => {
  const furulund = { code: "HO-FURU", name: "Furulund sykehjem" };

  it("finds a unit by any part of its name or code, whatever the case", () => {
    expect(unitMatches(furulund, normaliseQuery("  SYKEHJEM "))).toBe(true);
    expect(unitMatches(furulund, normaliseQuery("ho-fu"))).toBe(true);
    expect(unitMatches(furulund, normaliseQuery("skole"))).toBe(false);
    // An empty query finds nothing (the tree is shown whole instead).
    expect(unitMatches(furulund, normaliseQuery("   "))).toBe(false);
  });

  it("finds å typed decomposed (NFD) in a name stored composed", () => {
    const q = normaliseQuery("Bjørkås".normalize("NFD"));
    expect(unitMatches({ code: "X", name: "Bjørkås skole" }, q)).toBe(true);
  });

  it("counts hits in Norwegian", () => {
    expect(hitCountText(3)).toBe("3 treff");
    expect(hitCountText(1)).toBe("1 treff");
    expect(hitCountText(0)).toBe("0 treff");
  });

  it("splits a name around every match, keeping the name's own case", () => {
    // «u» occurs at 1, 3 and 5 in «Furulund sykehjem»: F·u·r·u·l·u·nd sykehjem.
    expect(highlightParts("Furulund sykehjem", "u")).toEqual([
      { text: "F", hit: false },
      { text: "u", hit: true },
      { text: "r", hit: false },
      { text: "u", hit: true },
      { text: "l", hit: false },
      { text: "u", hit: true },
      { text: "nd sykehjem", hit: false },
    ]);
    expect(highlightParts("Helse og omsorg", "helse")).toEqual([
      { text: "Helse", hit: true },
      { text: " og omsorg", hit: false },
    ]);
    // Matches do not overlap: «aa» in «aaa» once, then the rest.
    expect(highlightParts("aaa", "aa")).toEqual([
      { text: "aa", hit: true },
      { text: "a", hit: false },
    ]);
  });

  it("leaves a name whole when the query is empty or not in the name (a code match)", () => {
    expect(highlightParts("Furulund sykehjem", "")).toEqual([{ text: "Furulund sykehjem", hit: false }]);
    expect(highlightParts("Furulund sykehjem", "ho-furu")).toEqual([{ text: "Furulund sykehjem", hit: false }]);
  });

  it("puts the pieces back into the whole name", () => {
    const parts = highlightParts("Æsøy barnehage Øst", "ø");
    expect(parts.map((p) => p.text).join("")).toBe("Æsøy barnehage Øst");
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toEqual(["ø", "Ø"]);
  });
});
