// The Tauri implementation of `Backend`: one `invoke` per command, arguments in the
// command's parameter names, errors turned into `BackendError`. `invoke` can be replaced
// (the unit tests pass a mock).

import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import type { Backend } from "./backend";
import { toBackendError } from "./backend";

export type Invoke = (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;

export function createTauriBackend(invoke: Invoke = tauriInvoke): Backend {
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
    indicatorDetail: (indicator, unit, period) =>
      call("indicator_detail", { indicator, unit, period }),
    comments: (indicator, unit, period) => call("comments", { indicator, unit, period }),
    addComment: (indicator, unit, period, text) =>
      call("add_comment", { indicator, unit, period, text }),
    updateComment: (id, text) => call("update_comment", { id, text }),
    deleteComment: (id) => call("delete_comment", { id }),
  };
}
