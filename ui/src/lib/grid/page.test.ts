import { describe, expect, it } from "vitest";
import { RegistrationPage, type RegistrationSpec } from "./page.svelte";
import { parseNumber } from "./number";
import { type Deferred, deferred } from "../testing/deferred";

/** A grid of one unit's row of two figures. */
interface FakeGrid {
  unit: string;
  values: string[];
}
type Change = { unit: string; col: number; text: string };

/** A fake backend: a database of rows by unit, loads answered at once unless a test holds
 * them, saves recorded. */
function setup(db: Record<string, string[]> = { A: ["1", "2"], B: ["3", "4"] }) {
  const held = new Map<string, Deferred<FakeGrid>>();
  const saves: Change[][] = [];
  let refuse: string | null = null;
  let savedCount = 0;
  const spec: RegistrationSpec<string, FakeGrid, Change> = {
    load: (unit) => {
      const d = held.get(unit);
      return d ? d.promise : Promise.resolve({ unit, values: [...db[unit]] });
    },
    keyOf: (g) => g.unit,
    sameKey: (a, b) => a === b,
    texts: (g) => [g.values],
    model: () => ({
      rows: 1,
      cols: 2,
      readOnly: () => false,
      validate: (_r, _c, t) => {
        const p = parseNumber(t);
        return p && !p.ok ? p.message : null;
      },
    }),
    changes: (g, loaded, now) =>
      [0, 1].filter((c) => loaded[0][c] !== now[0][c]).map((c) => ({ unit: g.unit, col: c, text: now[0][c] })),
    save: async (g, changes) => {
      if (refuse !== null) return { ok: false, message: refuse };
      saves.push(changes);
      const before = [...db[g.unit]];
      for (const c of changes) db[c.unit][c.col] = c.text;
      return {
        ok: true,
        message: `Lagret ${changes.length}.`,
        undo: async () => {
          db[g.unit] = before;
          return { ok: true, message: "Angret." };
        },
      };
    },
    saved: () => {
      savedCount += 1;
    },
  };
  const page = new RegistrationPage(spec);
  return {
    page,
    db,
    saves,
    held,
    refuseWith: (m: string | null) => (refuse = m),
    savedCount: () => savedCount,
  };
}

/** Types `text` into cell (0, col) as a person does: select, type, Enter. */
function type(page: RegistrationPage<string, FakeGrid, Change>, col: number, text: string) {
  const m = page.model!;
  m.select(0, col);
  m.beginEdit(text);
  m.commitEdit();
}

describe("the registration page", () => {
  it("loads what is asked for and tracks the changes since", async () => {
    const { page } = setup();
    await page.follow("A");
    expect(page.grid?.unit).toBe("A");
    expect(page.dirty).toBe(false);
    type(page, 1, "7");
    expect(page.changes).toEqual([{ unit: "A", col: 1, text: "7" }]);
    expect(page.dirty).toBe(true);
    // Typing the loaded text back is no change.
    type(page, 1, "2");
    expect(page.dirty).toBe(false);
  });

  it("saves the changes in one go, reloads, and undoes the last save", async () => {
    const { page, db, saves, savedCount } = setup();
    await page.follow("A");
    type(page, 0, "10");
    type(page, 1, "20");
    expect(await page.save()).toBe(true);
    expect(saves).toEqual([[{ unit: "A", col: 0, text: "10" }, { unit: "A", col: 1, text: "20" }]]);
    expect(page.message).toBe("Lagret 2.");
    expect(page.grid?.values).toEqual(["10", "20"]); // reloaded from the database
    expect(page.dirty).toBe(false);
    expect(page.canUndoSave).toBe(true);
    expect(savedCount()).toBe(1);
    await page.undoLastSave();
    expect(db.A).toEqual(["1", "2"]);
    expect(page.grid?.values).toEqual(["1", "2"]);
    expect(page.message).toBe("Angret.");
    expect(page.canUndoSave).toBe(false);
    expect(savedCount()).toBe(2);
  });

  it("saves nothing while a cell is not a number, or when the core refuses", async () => {
    const { page, saves, refuseWith } = setup();
    await page.load("A");
    type(page, 0, "abc");
    expect(await page.save()).toBe(false);
    expect(page.message).toBe("Ikke lagret: 1 celle har feil. Rett den og lagre igjen.");
    expect(saves).toEqual([]);
    type(page, 0, "5");
    refuseWith("Ikke lagret: 1 feil må rettes.");
    expect(await page.save()).toBe(false);
    expect(page.message).toBe("Ikke lagret: 1 feil må rettes.");
    expect(page.dirty).toBe(true); // the typed text stays
    expect(page.canUndoSave).toBe(false);
  });

  it("follows the model's state: an undo makes the page clean again", async () => {
    const { page } = setup();
    await page.follow("A");
    type(page, 0, "9");
    type(page, 1, "8");
    expect(page.changes.length).toBe(2);
    page.model!.undo();
    expect(page.changes).toEqual([{ unit: "A", col: 0, text: "9" }]);
    page.model!.undo();
    expect(page.dirty).toBe(false);
    expect(page.model!.canUndo()).toBe(false);
  });

  it("a change clears the last message", async () => {
    const { page } = setup();
    await page.load("A");
    page.message = "Lagret 1.";
    type(page, 0, "9");
    expect(page.message).toBe("");
  });

  it("a save's message does not follow the person to another grid", async () => {
    const { page } = setup();
    await page.follow("A");
    type(page, 0, "10");
    expect(await page.save()).toBe(true);
    // The reload after the save keeps the news.
    expect(page.message).toBe("Lagret 1.");
    // The same grid asked for again (e.g. the measure switched back and forth before the
    // answer came) keeps it too.
    await page.follow("A");
    expect(page.message).toBe("Lagret 1.");
    // Another grid: the message was about A, so it is gone.
    await page.follow("B");
    expect(page.grid?.unit).toBe("B");
    expect(page.message).toBe("");
  });

  it("an undone save's message stays with the grid it was said on", async () => {
    const { page } = setup();
    await page.follow("A");
    type(page, 0, "10");
    await page.save();
    await page.undoLastSave();
    expect(page.message).toBe("Angret.");
  });

  it("drops a slower answer for an earlier unit: switching quickly shows the last unit asked for", async () => {
    const { page, held } = setup();
    const slowA = deferred<FakeGrid>();
    const slowB = deferred<FakeGrid>();
    held.set("A", slowA);
    held.set("B", slowB);
    const loadA = page.load("A");
    const loadB = page.load("B");
    slowB.resolve({ unit: "B", values: ["3", "4"] });
    await loadB;
    slowA.resolve({ unit: "A", values: ["1", "2"] }); // the older answer, last
    await loadA;
    expect(page.grid?.unit).toBe("B");
    expect(page.model?.value(0, 0)).toBe("3");
  });

  it("holds unsaved changes when another unit is asked for, until saved or discarded", async () => {
    const { page, saves } = setup();
    await page.follow("A");
    type(page, 0, "8");
    page.follow("B"); // the person picks another unit in the tree
    expect(page.grid?.unit).toBe("A");
    expect(page.pending).toBe(true);
    await page.discard();
    expect(page.grid?.unit).toBe("B");
    expect(page.pending).toBe(false);
    expect(saves).toEqual([]);

    type(page, 1, "40");
    page.follow("A");
    expect(page.pending).toBe(true);
    await page.saveAndSwitch();
    expect(saves).toEqual([[{ unit: "B", col: 1, text: "40" }]]);
    expect(page.grid?.unit).toBe("A");
    expect(page.pending).toBe(false);
  });

  it("follows a new unit at once when nothing is unsaved", async () => {
    const { page } = setup();
    await page.follow("A");
    expect(page.grid?.unit).toBe("A");
    await page.follow("B");
    expect(page.grid?.unit).toBe("B");
    expect(page.pending).toBe(false);
  });

  it("drops the answer for a unit left behind when following quickly", async () => {
    const { page, held } = setup();
    await page.follow("A");
    const slowB = deferred<FakeGrid>();
    const slowC = deferred<FakeGrid>();
    held.set("B", slowB);
    held.set("C", slowC);
    const toB = page.follow("B");
    const toC = page.follow("C"); // the person clicks on before B came
    slowC.resolve({ unit: "C", values: ["5", "6"] });
    slowB.resolve({ unit: "B", values: ["3", "4"] }); // B's slower answer, last
    await Promise.all([toB, toC]);
    expect(page.grid?.unit).toBe("C");
  });

  it("shows a failed load's message and keeps the grid", async () => {
    const { page, held } = setup();
    await page.load("A");
    const failing = deferred<FakeGrid>();
    held.set("B", failing);
    const load = page.load("B");
    failing.reject({ kind: "not_found", message: "Fant ikke enheten B." });
    await load;
    expect(page.error).toBe("Fant ikke enheten B.");
    expect(page.grid?.unit).toBe("A");
  });
});
