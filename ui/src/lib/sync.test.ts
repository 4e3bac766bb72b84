import { describe, expect, it } from "vitest";
import { conflictText, connectProblem, pendingText, serverLabel, syncLine, syncTime } from "./sync";

// The tests run in Europe/Oslo (vite.config.ts): UTC+1 in winter, UTC+2 in summer.
const now = new Date("2026-12-02T15:00:00+01:00");

describe("the sync line", () => {
  it("says when the replica was last synchronised, in local clock time", () => {
    // 13:32 UTC = 14:32 in Oslo (CET, UTC+1), the same day as `now`.
    expect(syncLine({ running: false, offline: false, lastSyncAt: "2026-12-02T13:32:10Z" }, now)).toBe("Sist synkronisert 14:32");
  });

  it("says offline in words, with the time of the data shown", () => {
    expect(syncLine({ running: false, offline: true, lastSyncAt: "2026-12-02T14:32:00+01:00" }, now)).toBe("Frakoblet — viser data fra 14:32");
    expect(syncLine({ running: false, offline: true, lastSyncAt: null }, now)).toBe("Frakoblet — ikke synkronisert ennå");
  });

  it("says a sync is running over every other state", () => {
    expect(syncLine({ running: true, offline: true, lastSyncAt: "2026-12-02T14:32:00+01:00" }, now)).toBe("Synkroniserer …");
  });

  it("says so before the first sync", () => {
    expect(syncLine({ running: false, offline: false, lastSyncAt: null }, now)).toBe("Ikke synkronisert ennå");
  });
});

describe("sync times", () => {
  it("adds the day when it is not today, and the year when it is not this year", () => {
    // 23:30 UTC on 1 December = 00:30 on 2 December in Oslo: today.
    expect(syncTime("2026-12-01T23:30:00Z", now)).toBe("00:30");
    // 22:59 UTC on 1 December = 23:59 on 1 December in Oslo: yesterday.
    expect(syncTime("2026-12-01T22:59:00Z", now)).toBe("1.12. 23:59");
    // 12:15 UTC in June = 14:15 CEST (UTC+2).
    expect(syncTime("2026-06-30T12:15:00Z", now)).toBe("30.6. 14:15");
    expect(syncTime("2025-12-30T08:05:00+01:00", now)).toBe("30.12.2025 08:05");
    expect(syncTime("ikke en tid", now)).toBe("ikke en tid");
  });
});

describe("what waits", () => {
  it("counts pending changes in words, nothing when none", () => {
    expect(pendingText(0)).toBeNull();
    expect(pendingText(1)).toBe("1 endring venter på å bli sendt");
    expect(pendingText(2)).toBe("2 endringer venter på å bli sendt");
  });

  it("counts conflicts in words, nothing when none", () => {
    expect(conflictText(0)).toBeNull();
    expect(conflictText(1)).toBe("1 konflikt");
    expect(conflictText(3)).toBe("3 konflikter");
  });
});

describe("the «Koble til server» form", () => {
  it("names every empty field in one sentence", () => {
    expect(connectProblem("", "", "")).toBe("Fyll inn serverens adresse, brukernavn og passord.");
    expect(connectProblem("https://m.kommune.no", "", "")).toBe("Fyll inn brukernavn og passord.");
    expect(connectProblem("https://m.kommune.no", "kari", "")).toBe("Fyll inn passord.");
  });

  it("refuses an address that is no server address, and accepts one that is", () => {
    expect(connectProblem("malkart.kommune.no", "kari", "hemmelig123")).toBe(
      "Adressen «malkart.kommune.no» er ikke en serveradresse. Skriv den slik: https://malkart.kommune.no",
    );
    expect(connectProblem(" http://127.0.0.1:8640 ", "kari", "hemmelig123")).toBeNull();
    // A password is taken as typed: spaces are part of it.
    expect(connectProblem("https://m.kommune.no", "kari", " ")).toBeNull();
  });

  it("names a server by its host", () => {
    expect(serverLabel("https://malkart.kommune.no:8443/")).toBe("malkart.kommune.no:8443");
    expect(serverLabel("http://127.0.0.1:8640")).toBe("127.0.0.1:8640");
    expect(serverLabel("ikke en adresse")).toBe("ikke en adresse");
  });
});
