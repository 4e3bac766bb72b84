// The Tauri implementation of `Backend`: one `invoke` per command, arguments in the
// command's parameter names, errors turned into `BackendError`. `invoke` can be replaced
// (the unit tests pass a mock).

import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import { open as tauriOpen, save as tauriSave } from "@tauri-apps/plugin-dialog";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import type { Backend } from "./backend";
import { toBackendError } from "./backend";

export type Invoke = (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;

/** The two file dialogs the app uses (the capability grants no others). */
export interface Dialogs {
  open(options: { title: string; multiple: false; directory: false; filters: { name: string; extensions: string[] }[] }): Promise<string | string[] | null>;
  save(options: { title: string; defaultPath: string }): Promise<string | null>;
}

const tauriDialogs: Dialogs = {
  open: (options) => tauriOpen(options) as Promise<string | string[] | null>,
  save: (options) => tauriSave(options),
};

/** The window's close, outside the commands: the event the Rust side sends when it held a
 *  close back (`malkart://close-held`, src-tauri/src/conflicts.rs) and closing for good. */
export interface WindowControl {
  onCloseHeld(held: (pending: number) => void): Promise<() => void>;
  close(): Promise<void>;
}

const tauriWindow: WindowControl = {
  onCloseHeld: (held) => listen<number>("malkart://close-held", (e) => held(Number(e.payload))),
  close: () => getCurrentWindow().destroy(),
};

export function createTauriBackend(invoke: Invoke = tauriInvoke, dialogs: Dialogs = tauriDialogs, win: WindowControl = tauriWindow): Backend {
  async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
    try {
      return (await invoke(cmd, args)) as T;
    } catch (reason) {
      throw toBackendError(reason);
    }
  }
  return {
    appInfo: () => call("app_info"),
    loadDemo: () => call("load_demo"),
    units: () => call("units"),
    scorecard: (unit, period) => call("scorecard", { unit, period }),
    sparklines: (unit, period) => call("sparklines", { unit, period }),
    overview: (unit, period) => call("overview", { unit, period }),
    pageAhead: (unit, period, soon) => call("page_ahead", { unit, period, soon }),
    opened: (unit, period) => call("opened", { unit, period }),
    unitStatuses: (period) => call("unit_statuses", { period }),
    indicatorDetail: (indicator, unit, period) =>
      call("indicator_detail", { indicator, unit, period }),
    comments: (indicator, unit, period) => call("comments", { indicator, unit, period }),
    addComment: (indicator, unit, period, text) =>
      call("add_comment", { indicator, unit, period, text }),
    updateComment: (id, text) => call("update_comment", { id, text }),
    deleteComment: (id) => call("delete_comment", { id }),
    importFile: (kind, path, dryRun) => call("import_file", { kind, path, dryRun }),
    setTarget: (input) => call("set_target", { input }),
    lockedMonths: () => call("locked_months"),
    lockMonth: (month) => call("lock_month", { month }),
    unlockMonth: (month, reason) => call("unlock_month", { month, reason }),
    audit: (query) => call("audit", { query }),
    backup: (path, overwrite) => call("backup", { path, overwrite }),
    restore: (path) => call("restore", { path }),
    openDatabase: (path) => call("open_database", { path }),
    newDatabase: () => call("new_database"),
    sickLeaveGrid: (unit, month) => call("sick_leave_grid", { unit, month }),
    checkSickLeave: (input) => call("check_sick_leave", { input }),
    saveSickLeave: (input) => call("save_sick_leave", { input }),
    economyGrid: (unit, year, measure) => call("economy_grid", { unit, year, measure }),
    saveEconomy: (input) => call("save_economy", { input }),
    spreadBudget: (input) => call("spread_budget", { input }),
    servers: () => call("servers"),
    connectServer: (url, user, password) => call("connect_server", { url, user, password }),
    syncNow: () => call("sync_now"),
    syncStatus: () => call("sync_status"),
    useLocalDatabase: () => call("use_local_database"),
    conflicts: () => call("conflicts"),
    resolveConflict: (id, choice) => call("resolve_conflict", { id, choice }),
    resolveBatch: (batch, choice) => call("resolve_batch", { batch, choice }),
    cellMarks: () => call("cell_marks"),
    actions: (unit, period, filter) => call("actions", { unit, period, filter }),
    action: (code, period) => call("action", { code, period }),
    indicatorActions: (indicator, unit, period) =>
      call("indicator_actions", { indicator, unit, period }),
    newActionCode: () => call("new_action_code"),
    saveAction: (input, creating) => call("save_action", { input, creating }),
    addActionComment: (code, period, text) => call("add_action_comment", { code, period, text }),
    updateActionComment: (id, text) => call("update_action_comment", { id, text }),
    deleteActionComment: (id) => call("delete_action_comment", { id }),
    actionsReport: (unit, period) => call("actions_report", { unit, period }),
    exportActions: (unit, period, format, path) => call("export_actions", { unit, period, format, path }),
    surveyView: (unit, period, survey) => call("survey_view", { unit, period, survey }),
    exportSurvey: (unit, period, survey, format, path) => call("export_survey", { unit, period, survey, format, path }),
    onCloseHeld: async (held) => {
      try {
        return await win.onCloseHeld(held);
      } catch (reason) {
        throw toBackendError(reason);
      }
    },
    closeWindow: async () => {
      try {
        await win.close();
      } catch (reason) {
        throw toBackendError(reason);
      }
    },
    chooseFile: async (title, extensions) => {
      try {
        const chosen = await dialogs.open({
          title, multiple: false, directory: false,
          filters: [{ name: "Importfil", extensions }],
        });
        return Array.isArray(chosen) ? (chosen[0] ?? null) : chosen;
      } catch (reason) {
        throw toBackendError(reason);
      }
    },
    chooseSaveFile: async (title, defaultName) => {
      try {
        return await dialogs.save({ title, defaultPath: defaultName });
      } catch (reason) {
        throw toBackendError(reason);
      }
    },
    sickLeaveSummary: (unit, period, minEmployees) =>
      call("sick_leave_summary", { unit, period, minEmployees: minEmployees ?? null }),
    economyReport: (unit, period) => call("economy_report", { unit, period }),
    exportSickLeave: (unit, period, format, path, minEmployees) =>
      call("export_sick_leave", { unit, period, format, path, minEmployees: minEmployees ?? null }),
    exportEconomy: (unit, period, format, path) => call("export_economy", { unit, period, format, path }),
    exportScorecard: (unit, period, deviationsOnly, format, path) =>
      call("export_scorecard", { unit, period, deviationsOnly, format, path }),
    minEmployees: () => call("min_employees"),
    setMinEmployees: (n) => call("set_min_employees", { n }),
    setSickLeaveUnmasked: (on) => call("set_sick_leave_unmasked", { on }),
  };
}
