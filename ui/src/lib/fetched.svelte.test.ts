import { describe, expect, it } from "vitest";
import { Fetched, fetchedFrom } from "./fetched.svelte";
import { type Deferred, deferred } from "./testing/deferred";

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

describe("fetchedFrom", () => {
  /** Every microtask queued (Svelte's effect flush, the answers' promise chains) has run
   * once the next macrotask starts. (`flushSync` from "svelte" is the server's no-op here.) */
  const settled = () => new Promise((r) => setTimeout(r, 0));

  it("asks again when what it reads changes, asks nothing for null, and drops the answer to the question left", async () => {
    let unit = $state("A");
    const asked: string[] = [];
    const answers = new Map<string, Deferred<string>>();
    let report!: Fetched<string>;
    const stop = $effect.root(() => {
      report = fetchedFrom(() => {
        if (!unit) return null;
        const d = deferred<string>();
        asked.push(unit);
        answers.set(unit, d);
        return d.promise;
      });
    });
    await settled();
    expect(asked).toEqual(["A"]);
    unit = "B";
    await settled();
    expect(asked).toEqual(["A", "B"]);
    answers.get("B")?.resolve("svar B");
    await settled();
    expect(report.value).toBe("svar B");
    answers.get("A")?.resolve("svar A"); // the question left, answered last
    await settled();
    expect(report.value).toBe("svar B");
    unit = "";
    await settled();
    expect(asked).toEqual(["A", "B"]);
    stop();
  });

  it("drops the answer on its way when the component is gone", async () => {
    const slow = deferred<string>();
    let report!: Fetched<string>;
    const stop = $effect.root(() => {
      report = fetchedFrom(() => slow.promise);
    });
    await settled();
    stop();
    slow.resolve("for sent");
    await settled();
    expect(report.value).toBeNull();
  });
});
