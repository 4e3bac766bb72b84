import { describe, expect, it } from "vitest";
import { BackendError } from "./backend";
import { createTauriBackend, type Invoke } from "./tauri";

/** A mock `invoke` that records each call and answers from `reply`. */
function recorder(reply: (cmd: string, args?: Record<string, unknown>) => unknown) {
  const calls: { cmd: string; args?: Record<string, unknown> }[] = [];
  const invoke: Invoke = async (cmd, args) => {
    calls.push({ cmd, args });
    return reply(cmd, args);
  };
  return { calls, invoke };
}

describe("the Tauri backend", () => {
  it("calls each command with the Rust parameter names", async () => {
    const { calls, invoke } = recorder(() => null);
    const b = createTauriBackend(invoke);
    await b.appInfo();
    await b.units();
    await b.scorecard("2000", "2026-K3");
    await b.sparklines("2000", "2026-K3");
    await b.indicatorDetail("SF", "2000", "2026-K3");
    await b.comments("SF", "2000", "2026-K3");
    await b.addComment("SF", "2000", "2026-K3", "Tiltak satt i gang");
    await b.updateComment(7, "Ny tekst");
    await b.deleteComment(7);
    await b.loadDemo();
    expect(calls).toEqual([
      { cmd: "app_info", args: undefined },
      { cmd: "units", args: undefined },
      { cmd: "scorecard", args: { unit: "2000", period: "2026-K3" } },
      { cmd: "sparklines", args: { unit: "2000", period: "2026-K3" } },
      { cmd: "indicator_detail", args: { indicator: "SF", unit: "2000", period: "2026-K3" } },
      { cmd: "comments", args: { indicator: "SF", unit: "2000", period: "2026-K3" } },
      { cmd: "add_comment", args: { indicator: "SF", unit: "2000", period: "2026-K3", text: "Tiltak satt i gang" } },
      { cmd: "update_comment", args: { id: 7, text: "Ny tekst" } },
      { cmd: "delete_comment", args: { id: 7 } },
      { cmd: "load_demo", args: undefined },
    ]);
  });

  it("calls the housekeeping commands with camelCase arguments Tauri maps to snake_case", async () => {
    const { calls, invoke } = recorder(() => null);
    const b = createTauriBackend(invoke);
    await b.importFile("measurements", "/tmp/målinger.csv", true);
    await b.setTarget({ indicator: "SF", unit: null, year: 2026, target: "7,0", red_limit: "8" });
    await b.lockMonth("2026-09");
    await b.unlockMonth("2026-09", "Rettet feil i september");
    await b.audit({ unit: "2000", indicator: null, from: "2026-01-01", to: null, limit: 200 });
    await b.backup("/tmp/kopi.db", true);
    await b.restore("/tmp/kopi.db");
    expect(calls).toEqual([
      { cmd: "import_file", args: { kind: "measurements", path: "/tmp/målinger.csv", dryRun: true } },
      { cmd: "set_target", args: { input: { indicator: "SF", unit: null, year: 2026, target: "7,0", red_limit: "8" } } },
      { cmd: "lock_month", args: { month: "2026-09" } },
      { cmd: "unlock_month", args: { month: "2026-09", reason: "Rettet feil i september" } },
      { cmd: "audit", args: { query: { unit: "2000", indicator: null, from: "2026-01-01", to: null, limit: 200 } } },
      { cmd: "backup", args: { path: "/tmp/kopi.db", overwrite: true } },
      { cmd: "restore", args: { path: "/tmp/kopi.db" } },
    ]);
  });

  it("calls the report commands; an absent minimum is null so the stored setting applies", async () => {
    const { calls, invoke } = recorder(() => null);
    const b = createTauriBackend(invoke);
    await b.sickLeaveSummary("2000", "2026-K3");
    await b.sickLeaveSummary("2000", "2026-K3", 0);
    await b.economyReport("1000", "2026-T2");
    await b.exportSickLeave("2000", "2026-K3", "csv", "/tmp/sykefravær.csv");
    await b.exportEconomy("1000", "2026-T2", "pdf", "/tmp/økonomi.pdf");
    await b.minEmployees();
    await b.setMinEmployees(7);
    await b.setSickLeaveUnmasked(true);
    expect(calls).toEqual([
      { cmd: "sick_leave_summary", args: { unit: "2000", period: "2026-K3", minEmployees: null } },
      { cmd: "sick_leave_summary", args: { unit: "2000", period: "2026-K3", minEmployees: 0 } },
      { cmd: "economy_report", args: { unit: "1000", period: "2026-T2" } },
      { cmd: "export_sick_leave", args: { unit: "2000", period: "2026-K3", format: "csv", path: "/tmp/sykefravær.csv", minEmployees: null } },
      { cmd: "export_economy", args: { unit: "1000", period: "2026-T2", format: "pdf", path: "/tmp/økonomi.pdf" } },
      { cmd: "min_employees", args: undefined },
      { cmd: "set_min_employees", args: { n: 7 } },
      { cmd: "set_sick_leave_unmasked", args: { on: true } },
    ]);
  });

  it("returns the chosen file, or null when the dialog is cancelled", async () => {
    const opened: unknown[] = [];
    const dialogs = {
      open: async (o: unknown) => {
        opened.push(o);
        return opened.length === 1 ? "/home/leder/målinger.xlsx" : null;
      },
      save: async () => null,
    };
    const b = createTauriBackend(async () => null, dialogs);
    expect(await b.chooseFile("Velg fil", ["csv", "xlsx"])).toBe("/home/leder/målinger.xlsx");
    expect(await b.chooseFile("Velg fil", ["csv"])).toBeNull();
    expect(opened[0]).toEqual({
      title: "Velg fil", multiple: false, directory: false,
      filters: [{ name: "Importfil", extensions: ["csv", "xlsx"] }],
    });
  });

  it("returns what the command returned", async () => {
    const units = [{ code: "1000", name: "Demo kommune", parent: null, level: "kommune", depth: 0 }];
    const { invoke } = recorder((cmd) => (cmd === "units" ? units : null));
    expect(await createTauriBackend(invoke).units()).toEqual(units);
  });

  it("turns the core's { kind, message } into a BackendError", async () => {
    const { invoke } = recorder(() => {
      throw { kind: "unknown_unit", message: "ukjent enhet «9999»" };
    });
    const err = await createTauriBackend(invoke).scorecard("9999", "2026-K3").catch((e) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.kind).toBe("unknown_unit");
    expect(err.message).toBe("ukjent enhet «9999»");
  });

  it("turns a plain string refusal from Tauri into a BackendError of kind ipc", async () => {
    const { invoke } = recorder(() => {
      throw "Command scorecard not allowed by ACL";
    });
    const err = await createTauriBackend(invoke).scorecard("1000", "2026").catch((e) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.kind).toBe("ipc");
    expect(err.message).toContain("not allowed");
  });
});
