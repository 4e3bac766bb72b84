import { describe, expect, it } from "vitest";
import { auditCount } from "./audit";

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
