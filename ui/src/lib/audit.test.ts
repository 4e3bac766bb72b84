import { describe, expect, it } from "vitest";
import { auditCount, parseFilterDate } from "./audit";

describe("audit log count", () => {
  it("says endring for one and endringer for more", () => {
    expect(auditCount(1, 500)).toBe("1 endring, nyeste først.");
    expect(auditCount(2, 500)).toBe("2 endringer, nyeste først.");
    expect(auditCount(499, 500)).toBe("499 endringer, nyeste først.");
  });
  it("says the list was cut when it reached the limit", () => {
    expect(auditCount(500, 500)).toBe("De 500 nyeste endringene (filtrer for å se eldre).");
  });
});

describe("a date typed in the audit filter", () => {
  it("reads dates as Norwegians write them, and ISO dates", () => {
    expect(parseFilterDate("2.12.2026", "Fra")).toEqual({ iso: "2026-12-02" });
    expect(parseFilterDate(" 02.12.2026 ", "Fra")).toEqual({ iso: "2026-12-02" });
    expect(parseFilterDate("2.12.26", "Fra")).toEqual({ iso: "2026-12-02" });
    expect(parseFilterDate("2026-12-02", "Fra")).toEqual({ iso: "2026-12-02" });
  });
  it("takes an empty field as no limit", () => {
    expect(parseFilterDate("", "Til")).toEqual({ iso: null });
    expect(parseFilterDate("   ", "Til")).toEqual({ iso: null });
  });
  it("names the field and says what is wrong", () => {
    expect(parseFilterDate("12/02/2026", "Fra")).toEqual({ error: "Fra: «12/02/2026» er ikke en dato. Skriv for eksempel 2.12.2026." });
    // 2026 is not a leap year: 29 February does not exist; nor does a 13th month.
    expect(parseFilterDate("29.2.2026", "Til")).toEqual({ error: "Til: 29.2.2026 finnes ikke i kalenderen." });
    expect(parseFilterDate("1.13.2026", "Til")).toEqual({ error: "Til: 1.13.2026 finnes ikke i kalenderen." });
    expect(parseFilterDate("29.2.2028", "Til")).toEqual({ iso: "2028-02-29" });
  });
});
