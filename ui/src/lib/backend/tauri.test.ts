import { describe, expect, it } from "vitest";
import { BackendError } from "./backend";
import { createTauriBackend, type Invoke } from "./tauri";
import COMMANDS from "../../bindings/commands.json";

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
  it("invokes every Rust command, each with exactly the arguments of its signature", async () => {
    // commands.json is written by src-tauri/tests/commands.rs from the #[tauri::command]
    // functions (argument names as Tauri expects them from JavaScript: camelCase).
    const { calls, invoke } = recorder(() => null);
    const b = createTauriBackend(invoke, { open: async () => null, save: async () => null });
    // The window's close is no command (an event and the window's own API).
    const notCommands = new Set(["onCloseHeld", "closeWindow"]);
    for (const [method, fn] of Object.entries(b) as [string, (...a: unknown[]) => Promise<unknown>][]) {
      if (notCommands.has(method)) continue;
      // Distinct placeholder arguments, as many as the method takes.
      const args = Array.from({ length: fn.length }, (_, i) => `${method}-${i}`);
      await fn(...args);
    }
    const invoked = Object.fromEntries(calls.map((c) => [c.cmd, Object.keys(c.args ?? {}).sort()]));
    const rust = Object.fromEntries(
      Object.entries(COMMANDS as Record<string, string[]>).map(([cmd, args]) => [cmd, [...args].sort()]),
    );
    expect(invoked).toEqual(rust);
    expect(calls.length).toBe(Object.keys(rust).length);
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

  it("calls the tiltak commands with the form, the filter and the comment as Rust names them", async () => {
    const { calls, invoke } = recorder(() => null);
    const b = createTauriBackend(invoke);
    const filter = { status: "pagar" as const, goal: "Sykefravær", late_only: true };
    const input = {
      code: "T-013", title: "Nærværsprosjekt", description: "", goal: "Sykefravær", success_factor: "", unit: "3100",
      responsible: "Enhetsleder", kind: "tiltak" as const, decision_ref: "KST 45/26", start: "2026-03", deadline: "2026-12",
      status: "ikke_startet" as const, progress: "0", cost: "1 234 567,50", indicators: ["SF"],
    };
    await b.actions("3000", "2026-10", filter);
    await b.action("T-013", "2026-T2");
    await b.indicatorActions("SF", "3000", "2026-10");
    await b.newActionCode();
    await b.saveAction(input, true);
    await b.saveAction(input, false);
    await b.addActionComment("T-013", "2026-10", "Startet i oktober.");
    await b.updateActionComment(7, "Startet i november.");
    await b.deleteActionComment(7);
    await b.actionsReport("1000", "2026-T2");
    await b.exportActions("1000", "2026-T2", "pdf", "/tmp/tiltak-1000-2026-T2.pdf");
    await b.surveyView("3100", "2026-K3", "10-FAKTOR");
    await b.exportSurvey("3100", "2026-K3", null, "pdf", "/tmp/10-faktor-3100-2026.pdf");
    expect(calls).toEqual([
      { cmd: "actions", args: { unit: "3000", period: "2026-10", filter } },
      { cmd: "action", args: { code: "T-013", period: "2026-T2" } },
      { cmd: "indicator_actions", args: { indicator: "SF", unit: "3000", period: "2026-10" } },
      { cmd: "new_action_code", args: undefined },
      { cmd: "save_action", args: { input, creating: true } },
      { cmd: "save_action", args: { input, creating: false } },
      { cmd: "add_action_comment", args: { code: "T-013", period: "2026-10", text: "Startet i oktober." } },
      { cmd: "update_action_comment", args: { id: 7, text: "Startet i november." } },
      { cmd: "delete_action_comment", args: { id: 7 } },
      { cmd: "actions_report", args: { unit: "1000", period: "2026-T2" } },
      { cmd: "export_actions", args: { unit: "1000", period: "2026-T2", format: "pdf", path: "/tmp/tiltak-1000-2026-T2.pdf" } },
      { cmd: "survey_view", args: { unit: "3100", period: "2026-K3", survey: "10-FAKTOR" } },
      { cmd: "export_survey", args: { unit: "3100", period: "2026-K3", survey: null, format: "pdf", path: "/tmp/10-faktor-3100-2026.pdf" } },
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

  it("resolves conflicts by id or batch with the choice as Rust names it, and asks for the marks", async () => {
    const { calls, invoke } = recorder(() => null);
    const b = createTauriBackend(invoke);
    await b.conflicts();
    await b.resolveConflict("op-1", "mine");
    await b.resolveBatch("b-1", "theirs");
    await b.cellMarks();
    expect(calls).toEqual([
      { cmd: "conflicts", args: undefined },
      { cmd: "resolve_conflict", args: { id: "op-1", choice: "mine" } },
      { cmd: "resolve_batch", args: { batch: "b-1", choice: "theirs" } },
      { cmd: "cell_marks", args: undefined },
    ]);
  });

  it("hands the held close to the window and closes through the window, not a command", async () => {
    const { calls, invoke } = recorder(() => null);
    const heard: number[] = [];
    let closed = 0;
    let fire: (pending: number) => void = () => {};
    const b = createTauriBackend(invoke, undefined, {
      onCloseHeld: async (held) => {
        fire = held;
        return () => (fire = () => {});
      },
      close: async () => {
        closed += 1;
      },
    });
    const stop = await b.onCloseHeld((n) => heard.push(n));
    fire(3);
    stop();
    fire(4);
    await b.closeWindow();
    expect(heard).toEqual([3]);
    expect(closed).toBe(1);
    expect(calls).toEqual([]);
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
