import { describe, expect, it } from "vitest";
import { formatDateTime, formatNumber, formatShare, keepNumbersTogether, orDash, roundHalfAway, valueSteps, withUnit } from "./format";

describe("Norwegian number formatting", () => {
  it("writes a percentage with decimal comma and a space before the sign", () => {
    expect(withUnit(7.2999, 1, "%")).toBe("7,3 %");
    expect(withUnit(7.25, 1, "%")).toBe("7,3 %"); // half away from zero
  });

  it("writes a negative number with the minus sign U+2212", () => {
    expect(formatNumber(-1.7, 1)).toBe("−1,7");
    expect(formatNumber(-1.7, 1).codePointAt(0)).toBe(0x2212);
  });

  it("groups thousands with spaces and drops decimals for kroner", () => {
    expect(withUnit(1234567, 0, "kr")).toBe("1 234 567 kr");
    expect(formatNumber(1000, 0)).toBe("1 000");
    expect(formatNumber(999, 0)).toBe("999");
    expect(formatNumber(1234.5, 2)).toBe("1 234,50");
    expect(formatNumber(-1234567.49, 0)).toBe("−1 234 567");
  });

  it("never shows minus zero", () => {
    expect(formatNumber(-0.04, 1)).toBe("0,0");
  });

  it("rounds half away from zero despite binary noise, as the core does", () => {
    // 6.95 is 6.9499999… in binary and must still round up to 7.0.
    expect(roundHalfAway(6.95, 1)).toBe(7.0);
    expect(roundHalfAway(-6.95, 1)).toBe(-7.0);
    expect(roundHalfAway(2.5, 0)).toBe(3);
    expect(roundHalfAway(-2.5, 0)).toBe(-3);
    expect(roundHalfAway(1.005, 2)).toBe(1.01);
    expect(roundHalfAway(6.94, 1)).toBe(6.9);
  });

  it("leaves out the suffix when there is no unit label", () => {
    expect(withUnit(4.5, 1, "")).toBe("4,5");
    expect(withUnit(4.5, 1, "  ")).toBe("4,5");
  });

  it("writes a share as whole percent and a time the Norwegian way", () => {
    expect(formatShare(11 / 12)).toBe("92 %"); // 91.67 → 92
    // The tests run in Europe/Oslo (vite.config.ts): CET in November, CEST in June.
    expect(formatDateTime("2026-11-23T16:05:42+01:00")).toBe("23.11.2026 kl. 16:05");
    expect(formatDateTime("2026-11-23T15:05:42+00:00")).toBe("23.11.2026 kl. 16:05");
    expect(formatDateTime("2026-12-01T23:30:00Z")).toBe("02.12.2026 kl. 00:30"); // past midnight in Oslo
    expect(formatDateTime("2026-06-30T22:15:00Z")).toBe("01.07.2026 kl. 00:15"); // UTC+2 in summer
    expect(formatDateTime("ikke en tid")).toBe("ikke en tid");
  });

  it("keeps the digit groups of a number on one line for display", () => {
    expect(keepNumbersTogether("100 × 10 195,00 / 13 913,00")).toBe("100 × 10\u00a0195,00 / 13\u00a0913,00");
  });

  it("never breaks a value from its unit (issue 12 §4)", () => {
    const nb = "\u00a0";
    // Every space of a value with its unit is a no-break space: the line breaks before or
    // after it, never inside.
    expect(keepNumbersTogether("8,5 %")).toBe(`8,5${nb}%`);
    expect(keepNumbersTogether("3,1 per 1 000 døgn")).toBe(`3,1${nb}per${nb}1${nb}000${nb}døgn`);
    expect(keepNumbersTogether("1 234 567 kr")).toBe(`1${nb}234${nb}567${nb}kr`);
    expect(keepNumbersTogether("−1,7 ‰")).toBe(`−1,7${nb}‰`);
    // Around it, a sentence still breaks between words.
    expect(keepNumbersTogether("mål 8,0 %")).toBe(`mål 8,0${nb}%`);
    expect(keepNumbersTogether("699 av 9 337 avtalte dagsverk")).toBe(`699${nb}av 9${nb}337${nb}avtalte dagsverk`);
    // «per» is glued to a number only as a word of its own.
    expect(keepNumbersTogether("super 12")).toBe("super 12");
    expect(keepNumbersTogether("–")).toBe("–");
  });

  it("formats a value for display on one line, or a dash", () => {
    expect(orDash(8.5, 1, "%")).toBe("8,5\u00a0%");
    expect(orDash(3.14, 1, "per 1 000 døgn")).toBe("3,1\u00a0per\u00a01\u00a0000\u00a0døgn");
    expect(orDash(1234.5, 1)).toBe("1\u00a0234,5");
    expect(orDash(null, 1, "%")).toBe("–");
  });
});

describe("valueSteps", () => {
  it("steps by 1, 2 and 5 of the last shown decimal and up, never finer", () => {
    const steps = valueSteps(1);
    expect(steps.slice(0, 6)).toEqual([0.1, 0.2, 0.5, 1, 2, 5]);
    expect(Math.min(...steps)).toBe(0.1);
    expect(valueSteps(0)[0]).toBe(1);
  });
});
