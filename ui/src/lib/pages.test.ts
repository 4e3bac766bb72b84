import { describe, expect, it } from "vitest";
import { PAGES_KEPT, PAGES_WAITING, PAGE_MAX_AGE_MS, Pages } from "./pages";
import { deferred, type Deferred } from "./testing/deferred";
import type { Page } from "../bindings/Page";

/** A page told apart by its unit and period (only the scorecard's are looked at). */
const page = (unit: string, period: string) => ({ scorecard: { unit: { code: unit }, period } }) as unknown as Page;

/** `Pages` over a backend whose answers the test gives, in the order it chooses. */
function setup() {
  const asked: { unit: string; period: string; soon: boolean; answer: Deferred<Page | null> }[] = [];
  let clock = 0;
  const pages = new Pages(
    (unit, period, soon) => {
      const answer = deferred<Page | null>();
      asked.push({ unit, period, soon, answer });
      return answer.promise;
    },
    () => clock,
  );
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { pages, asked, settle, advance: (ms: number) => (clock += ms) };
}

describe("Pages", () => {
  it("keeps an answered page until it is taken, and asks for it once", async () => {
    const { pages, asked, settle } = setup();
    pages.ahead("1100", "2026-K3");
    pages.ahead("1100", "2026-K3");
    expect(asked.map((a) => a.unit)).toEqual(["1100"]);
    expect(pages.take("1100", "2026-K3")).toBeUndefined(); // not answered yet
    asked[0].answer.resolve(page("1100", "2026-K3"));
    await settle();
    expect(pages.take("1100", "2026-K3")?.scorecard.unit.code).toBe("1100");
    expect(pages.take("1100", "2026-K2")).toBeUndefined(); // another period
    pages.ahead("1100", "2026-K3"); // kept: not asked again
    expect(asked).toHaveLength(1);
  });

  it("asks one at a time, the newest waiting first, and drops the oldest beyond PAGES_WAITING", async () => {
    const { pages, asked, settle } = setup();
    pages.ahead("a", "2026-K3"); // on its way at once
    const swept = Array.from({ length: PAGES_WAITING + 2 }, (_, i) => `u${i}`);
    for (const u of swept) pages.ahead(u, "2026-K3");
    expect(asked.map((a) => a.unit)).toEqual(["a"]);
    asked[0].answer.resolve(page("a", "2026-K3"));
    await settle();
    // The last the pointer crossed is asked next.
    expect(asked.map((a) => a.unit)).toEqual(["a", `u${swept.length - 1}`]);
    // The two oldest were dropped: asking for one again puts it in the queue anew.
    for (let i = 1; asked.length < PAGES_WAITING + 1; i++) {
      asked[i].answer.resolve(null);
      await settle();
    }
    expect(asked.slice(1).map((a) => a.unit)).toEqual(swept.slice(2).reverse());
    pages.ahead("u0", "2026-K3");
    asked[asked.length - 1].answer.resolve(null);
    await settle();
    expect(asked[asked.length - 1].unit).toBe("u0");
  });

  it("forgets every page, and an answer on its way, when the data version moves", async () => {
    const { pages, asked, settle } = setup();
    pages.at(1);
    pages.ahead("1100", "2026-K3");
    asked[0].answer.resolve(page("1100", "2026-K3"));
    await settle();
    pages.ahead("1200", "2026-K3");
    pages.at(1); // the same version: nothing forgotten
    expect(pages.take("1100", "2026-K3")).toBeDefined();
    pages.at(2); // a save: 1100's page is of the old data, 1200's answer too
    expect(pages.take("1100", "2026-K3")).toBeUndefined();
    asked[1].answer.resolve(page("1200", "2026-K3"));
    await settle();
    expect(pages.take("1200", "2026-K3")).toBeUndefined();
    // Asked again after the save, it is kept.
    pages.ahead("1200", "2026-K3");
    expect(asked).toHaveLength(3);
    asked[2].answer.resolve(page("1200", "2026-K3"));
    await settle();
    expect(pages.take("1200", "2026-K3")).toBeDefined();
  });

  it("asks a page the person is about to open as soon, and a guess waiting becomes soon and the newest", async () => {
    const { pages, asked, settle } = setup();
    pages.ahead("root", "2026-K2", true); // the period before: on its way at once
    pages.ahead("c1", "2026-K3"); // the children: guesses
    pages.ahead("c2", "2026-K3");
    pages.ahead("c1", "2026-K3", true); // then the pointer rests on c1
    pages.ahead("c2", "2026-K3"); // waiting already: stays where it is
    asked[0].answer.resolve(null);
    await settle();
    asked[1].answer.resolve(null);
    await settle();
    expect(asked.map((a) => [a.unit, a.soon])).toEqual([
      ["root", true],
      ["c1", true],
      ["c2", false],
    ]);
    pages.ahead("c2", "2026-K3", true); // on its way: not asked twice
    expect(asked).toHaveLength(3);
    // A guess on its way does not hold up a page about to be opened; a guess waits for both.
    pages.ahead("root", "2026-K1", true);
    pages.ahead("c3", "2026-K3");
    expect(asked.map((a) => a.unit)).toEqual(["root", "c1", "c2", "root"]);
    const coming = pages.coming("root", "2026-K1");
    asked[3].answer.resolve(page("root", "2026-K1"));
    expect((await coming)?.scorecard.period).toBe("2026-K1");
    await settle();
    expect(asked).toHaveLength(4); // c2 still on its way
    asked[2].answer.resolve(null);
    await settle();
    expect(asked.map((a) => a.unit)).toEqual(["root", "c1", "c2", "root", "c3"]);
  });

  it("gives the answer on its way to a click on that page, and none for a page waiting or of old data", async () => {
    const { pages, asked, settle } = setup();
    pages.at(1);
    pages.ahead("1100", "2026-K3"); // on its way
    pages.ahead("1200", "2026-K3"); // waiting
    expect(pages.coming("1200", "2026-K3")).toBeUndefined(); // not asked yet: the click asks
    expect(pages.coming("1100", "2026-K2")).toBeUndefined(); // another period
    const coming = pages.coming("1100", "2026-K3");
    expect(coming).toBeDefined();
    asked[0].answer.resolve(page("1100", "2026-K3"));
    expect((await coming)?.scorecard.unit.code).toBe("1100");
    await settle();
    expect(pages.coming("1100", "2026-K3")).toBeUndefined(); // answered: kept instead
    expect(pages.take("1100", "2026-K3")).toBeDefined();
    // 1200 is on its way now; a failure comes as null (the click then asks the usual way).
    const failing = pages.coming("1200", "2026-K3");
    asked[1].answer.reject(new Error("ukjent enhet"));
    expect(await failing).toBeNull();
    await settle();
    // A save while a page is on its way: that answer is of the old data, not given.
    pages.ahead("1300", "2026-K3");
    expect(pages.coming("1300", "2026-K3")).toBeDefined();
    pages.at(2);
    expect(pages.coming("1300", "2026-K3")).toBeUndefined();
  });

  it("keeps no page the backend had none for, nor one that failed, and goes on with the next", async () => {
    const { pages, asked, settle } = setup();
    pages.ahead("1100", "2019-K1");
    pages.ahead("1100", "2026-K3");
    asked[0].answer.resolve(null); // the engine built does not hold 2019
    await settle();
    asked[1].answer.reject(new Error("ukjent enhet"));
    await settle();
    expect(pages.take("1100", "2019-K1")).toBeUndefined();
    expect(pages.take("1100", "2026-K3")).toBeUndefined();
    pages.ahead("1100", "2026-K3"); // asked again
    expect(asked).toHaveLength(3);
  });

  it("keeps a page shown after the usual questions for the way back, without asking for it", () => {
    const { pages, asked } = setup();
    pages.at(3);
    pages.keep("1100", "2026-K3", page("1100", "2026-K3"));
    pages.ahead("1100", "2026-K3");
    expect(asked).toHaveLength(0);
    expect(pages.take("1100", "2026-K3")?.scorecard.period).toBe("2026-K3");
    pages.at(4);
    expect(pages.take("1100", "2026-K3")).toBeUndefined();
  });

  it("shows no page older than PAGE_MAX_AGE_MS", async () => {
    const { pages, asked, settle, advance } = setup();
    pages.ahead("1100", "2026-K3");
    asked[0].answer.resolve(page("1100", "2026-K3"));
    await settle();
    advance(PAGE_MAX_AGE_MS);
    expect(pages.take("1100", "2026-K3")).toBeDefined();
    advance(1);
    expect(pages.take("1100", "2026-K3")).toBeUndefined();
  });

  it("keeps at most PAGES_KEPT, the least recently taken forgotten first", async () => {
    const { pages, asked, settle } = setup();
    for (let i = 0; i < PAGES_KEPT; i++) {
      pages.ahead(`u${i}`, "2026-K3");
      asked[i].answer.resolve(page(`u${i}`, "2026-K3"));
      await settle();
    }
    expect(pages.take("u0", "2026-K3")).toBeDefined(); // u0 now the most recently used
    pages.ahead("new", "2026-K3");
    asked[PAGES_KEPT].answer.resolve(page("new", "2026-K3"));
    await settle();
    expect(pages.take("u0", "2026-K3")).toBeDefined();
    expect(pages.take("u1", "2026-K3")).toBeUndefined(); // the least recently used
    expect(pages.take("new", "2026-K3")).toBeDefined();
  });
});
