import { describe, expect, it } from "vitest";
import { SIDEBAR_DEFAULT, SIDEBAR_MAX, SIDEBAR_MIN, clampWidth, widthAfterKey, widthFromStored } from "./sidebar.svelte";

describe("the sidebar's width", () => {
  it("stays within its limits, in whole pixels", () => {
    expect(clampWidth(100)).toBe(SIDEBAR_MIN);
    expect(clampWidth(10_000)).toBe(SIDEBAR_MAX);
    expect(clampWidth(300.6)).toBe(301);
    expect(clampWidth(Number.NaN)).toBe(SIDEBAR_DEFAULT);
  });

  it("is read back from what was stored, or is the default", () => {
    expect(widthFromStored(null)).toBe(SIDEBAR_DEFAULT);
    expect(widthFromStored("")).toBe(SIDEBAR_DEFAULT);
    expect(widthFromStored("bred")).toBe(SIDEBAR_DEFAULT);
    expect(widthFromStored("320")).toBe(320);
    expect(widthFromStored("9999")).toBe(SIDEBAR_MAX);
  });

  it("follows the arrow keys on the handle", () => {
    // 240 − 16 = 224; 240 + 16 = 256; with Shift 240 + 64 = 304.
    expect(widthAfterKey(240, "ArrowLeft", false)).toBe(224);
    expect(widthAfterKey(240, "ArrowRight", false)).toBe(256);
    expect(widthAfterKey(240, "ArrowRight", true)).toBe(304);
    expect(widthAfterKey(SIDEBAR_MIN, "ArrowLeft", false)).toBe(SIDEBAR_MIN);
    expect(widthAfterKey(300, "Home", false)).toBe(SIDEBAR_MIN);
    expect(widthAfterKey(300, "End", false)).toBe(SIDEBAR_MAX);
    expect(widthAfterKey(300, "Enter", false)).toBeNull();
  });
});
