import { describe, expect, it } from "vitest";
import { recover } from "./recovery";
import { BackendError } from "./backend";
import type { AppInfo } from "../bindings/AppInfo";

/** A backend that records what it was asked and answers as told. */
function fake(over: { chosen?: string | null; restore?: () => Promise<string | null>; open?: () => Promise<AppInfo>; made?: () => Promise<string | null> } = {}) {
  const calls: string[] = [];
  const info = (path: string): AppInfo => ({
    db_path: path, open_error: null, empty: false, user: "kari", last_full_month: "2026-10", last_month_with_data: "2026-10", sick_leave_unmasked: false,
  });
  return {
    calls,
    backend: {
      chooseFile: async (title: string) => { calls.push(`velg: ${title}`); return over.chosen === undefined ? "/kopier/malkart-kopi.db" : over.chosen; },
      restore: async (path: string) => { calls.push(`restore ${path}`); return over.restore ? over.restore() : "/data/malkart.db.før-gjenoppretting-1"; },
      openDatabase: async (path: string) => { calls.push(`open ${path}`); return over.open ? over.open() : info(path); },
      newDatabase: async () => { calls.push("new"); return over.made ? over.made() : "/data/malkart.db.skadet-1"; },
    },
  };
}

describe("the broken-database screen's actions", () => {
  it("restores the chosen backup and says where the broken file is kept", async () => {
    const f = fake();
    expect(await recover(f.backend, "restore")).toEqual({
      ok: true,
      message: "Databasen er gjenopprettet fra /kopier/malkart-kopi.db. Den skadde filen er beholdt som /data/malkart.db.før-gjenoppretting-1.",
    });
    expect(f.calls).toEqual(["velg: Velg sikkerhetskopi", "restore /kopier/malkart-kopi.db"]);
  });

  it("opens another database", async () => {
    const f = fake({ chosen: "/annen/malkart.db" });
    expect(await recover(f.backend, "open")).toEqual({ ok: true, message: "Åpnet databasen /annen/malkart.db." });
    expect(f.calls).toEqual(["velg: Velg en Målkart-database", "open /annen/malkart.db"]);
  });

  it("makes a new database, the broken file kept", async () => {
    const f = fake();
    expect(await recover(f.backend, "new")).toEqual({
      ok: true, message: "En ny, tom database er laget. Den skadde filen er beholdt som /data/malkart.db.skadet-1.",
    });
    const none = fake({ made: async () => null });
    expect((await recover(none.backend, "new"))?.message).toBe("En ny, tom database er laget.");
  });

  it("does nothing when the file dialog is cancelled", async () => {
    const f = fake({ chosen: null });
    expect(await recover(f.backend, "restore")).toBeNull();
    expect(await recover(f.backend, "open")).toBeNull();
    expect(f.calls).toEqual(["velg: Velg sikkerhetskopi", "velg: Velg en Målkart-database"]);
  });

  it("says why when the backend refuses", async () => {
    const f = fake({ open: async () => { throw new BackendError("damaged", "databasen /annen/malkart.db er skadet"); } });
    expect(await recover(f.backend, "open")).toEqual({ ok: false, message: "databasen /annen/malkart.db er skadet" });
  });
});
