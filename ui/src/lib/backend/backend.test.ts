import { describe, expect, it } from "vitest";
import { BackendError, toBackendError } from "./backend";

describe("toBackendError", () => {
  it("keeps the core's kind, message and refused field", () => {
    const e = toBackendError({ kind: "invalid", message: "«12,5,0» er ikke et beløp i kroner og øre", field: "beløp" });
    expect(e).toBeInstanceOf(BackendError);
    expect([e.kind, e.message, e.field]).toEqual(["invalid", "«12,5,0» er ikke et beløp i kroner og øre", "beløp"]);
  });

  it("has no field when none is to blame", () => {
    const e = toBackendError({ kind: "busy", message: "databasen er opptatt" });
    expect([e.kind, e.field]).toEqual(["busy", undefined]);
  });

  it("turns Tauri's own refusals (plain strings and errors) into kind ipc", () => {
    expect(toBackendError("Command foo not allowed").kind).toBe("ipc");
    expect(toBackendError(new Error("boom")).message).toBe("boom");
  });
});
