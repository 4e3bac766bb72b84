import { describe, expect, it } from "vitest";
import { describeChange } from "./audit";

describe("audit change text", () => {
  it("writes a changed value as old → new", () => {
    expect(describeChange({ old: '{"value":6.9}', new: '{"value":7.3}' })).toBe("value: 6.9 → value: 7.3");
  });
  it("writes a creation and a deletion", () => {
    expect(describeChange({ old: null, new: '{"target":7,"red_limit":null}' })).toBe("opprettet: target: 7");
    expect(describeChange({ old: '"Tekst"', new: null })).toBe("slettet: Tekst");
  });
  it("keeps text that is not JSON as it is", () => {
    expect(describeChange({ old: "ikke json", new: "annet" })).toBe("ikke json → annet");
  });
});
