import { describe, expect, it } from "vitest";
import { Latest, STALE } from "./latest";
import { deferred } from "./testing/deferred";

describe("Latest", () => {
  it("drops a slower earlier answer that arrives after a newer one", async () => {
    const latest = new Latest();
    const first = deferred<string>();
    const second = deferred<string>();
    const a = latest.take(first.promise);
    const b = latest.take(second.promise);
    second.resolve("2026-10");
    expect(await b).toBe("2026-10");
    first.resolve("2026-09"); // the older question, answered last
    expect(await a).toBe(STALE);
  });

  it("drops an earlier answer even when it arrives first", async () => {
    const latest = new Latest();
    const first = deferred<number>();
    const second = deferred<number>();
    const a = latest.take(first.promise);
    const b = latest.take(second.promise);
    first.resolve(1);
    expect(await a).toBe(STALE);
    second.resolve(2);
    expect(await b).toBe(2);
  });

  it("throws the latest question's failure and swallows a stale one's", async () => {
    const latest = new Latest();
    const first = deferred<number>();
    const second = deferred<number>();
    const a = latest.take(first.promise);
    const b = latest.take(second.promise);
    first.reject(new Error("gammel feil"));
    expect(await a).toBe(STALE);
    second.reject(new Error("ny feil"));
    await expect(b).rejects.toThrow("ny feil");
  });

  it("run paints only the latest answer; drop silences everything on its way", async () => {
    const latest = new Latest();
    const painted: string[] = [];
    const errors: unknown[] = [];
    const paint = (v: string) => painted.push(v);
    const fail = (e: unknown) => errors.push(e);
    const first = deferred<string>();
    const second = deferred<string>();
    const one = latest.run(first.promise, paint, fail);
    const two = latest.run(second.promise, paint, fail);
    second.resolve("ny");
    first.resolve("gammel");
    await Promise.all([one, two]);
    expect(painted).toEqual(["ny"]);

    const third = deferred<string>();
    const three = latest.run(third.promise, paint, fail);
    latest.drop(); // the view went away
    third.reject(new Error("for sent"));
    await three;
    expect(painted).toEqual(["ny"]);
    expect(errors).toEqual([]);

    const fourth = deferred<string>();
    const four = latest.run(fourth.promise, paint, fail);
    fourth.reject("feil");
    await four;
    expect(errors).toEqual(["feil"]);
  });
});
