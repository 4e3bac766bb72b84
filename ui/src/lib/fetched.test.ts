import { describe, expect, it } from "vitest";
import { Fetched } from "./fetched.svelte";
import { deferred } from "./testing/deferred";

describe("Fetched", () => {
  it("shows the latest answer; an older one arriving later is dropped", async () => {
    const report = new Fetched<string>();
    const september = deferred<string>();
    const october = deferred<string>();
    const first = report.settle(september.promise);
    const second = report.settle(october.promise);
    october.resolve("oktober");
    await second;
    september.resolve("september");
    await first;
    expect(report.value).toBe("oktober");
  });

  it("shows the latest failure's message, keeps the last answer, and clears the message on the next answer", async () => {
    const report = new Fetched<string>();
    await report.settle(Promise.resolve("K3"));
    await report.settle(Promise.reject({ kind: "not_found", message: "Fant ikke enheten 9999." }));
    expect(report.error).toBe("Fant ikke enheten 9999.");
    expect(report.value).toBe("K3");
    await report.settle(Promise.resolve("K4"));
    expect(report.error).toBeNull();
    expect(report.value).toBe("K4");
  });

  it("the teardown of an effect drops the answer on its way, and a stale failure is not shown", async () => {
    const report = new Fetched<string>();
    const slow = deferred<string>();
    const drop = report.ask(slow.promise);
    drop();
    slow.reject(new Error("for sent"));
    await report.settle(Promise.resolve("ny")); // a later question settles after the dropped one
    expect(report.error).toBeNull();
    expect(report.value).toBe("ny");
  });
});
