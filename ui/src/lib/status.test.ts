import { describe, expect, it } from "vitest";
import { isProvisional } from "./status";

describe("a provisional status", () => {
  it("is shown only for a colour, never for ingen data or ingen mål", () => {
    expect(isProvisional("green", true)).toBe(true);
    expect(isProvisional("yellow", true)).toBe(true);
    expect(isProvisional("red", true)).toBe(true);
    expect(isProvisional("no_data", true)).toBe(false);
    expect(isProvisional("no_target", true)).toBe(false);
    expect(isProvisional("red", false)).toBe(false);
  });
});
