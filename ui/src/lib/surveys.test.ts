import { describe, expect, it } from "vitest";
import { referenceLabel, relativeTargetText } from "./surveys";
import { maskReasonShort, maskReasonText, resultMinimum } from "./reports";

describe("referenceLabel", () => {
  it("writes a common noun in lower case after the value, and keeps a name's capitals", () => {
    expect(referenceLabel("Landet", "4,3")).toBe("landet 4,3");
    expect(referenceLabel("Landet uten Oslo", "4,2")).toBe("landet uten Oslo 4,2");
    expect(referenceLabel("KOSTRA-gruppe 13", "7,3 %")).toBe("KOSTRA-gruppe 13 7,3 %");
    expect(referenceLabel("Bærum", "4,0")).toBe("Bærum 4,0");
  });

  it("writes a relative target as at least as good as the series, with its shown value", () => {
    expect(relativeTargetText("Landet", "høy", "4,3")).toBe("≥ landet 4,3");
    expect(relativeTargetText("KOSTRA-gruppe 13", "lav")).toBe("≤ KOSTRA-gruppe 13");
  });
});

describe("a masked survey score", () => {
  it("names the survey's minimum respondents, not the sick-leave minimum", () => {
    const min = resultMinimum({ survey: { min_respondents: 3 } }, 5);
    expect(maskReasonText("few_respondents", min)).toBe("Skjult av personvernhensyn: færre enn 3 svar.");
    expect(maskReasonShort("few_respondents", min)).toBe("færre enn 3 svar");
    expect(resultMinimum({ survey: null }, 5)).toBe(5);
  });
});

import { barPercent, changeText } from "./surveys";

describe("the survey view's bars and changes", () => {
  it("places a score on its scale and signs a change as the app does", () => {
    // 4,1 on 1–5: (4,1 − 1) / 4 = 77,5 %.
    expect(barPercent(4.1, 1, 5)).toBeCloseTo(77.5, 9);
    expect(barPercent(0.5, 1, 5)).toBe(0);
    expect(changeText(3.8, 3.6)).toBe("+0,2");
    expect(changeText(3.6, 3.8)).toBe("−0,2");
    expect(changeText(4.0, 4.0)).toBe("0,0");
    expect(changeText(null, 4.0)).toBe("–");
    // 4,35 is 4,3499… in binary and still shows 4,4 (half away from zero, as the core):
    // 4,4 − 4,4 = 0,0, and 4,4 − 4,3 = +0,1.
    expect(changeText(4.4, 4.35)).toBe("0,0");
    expect(changeText(4.4, 4.34)).toBe("+0,1");
  });
});
