import { describe, expect, it } from "vitest";
import type { OutboxConflict } from "../bindings/OutboxConflict";
import type { CellMark } from "../bindings/CellMark";
import {
  CellMarks,
  batchTitle,
  closeText,
  conflictValues,
  conflictsButton,
  copiedText,
  groupByBatch,
  indicatorMarkLabel,
  indicatorMarks,
  firstConflicts,
  kindLabel,
  lineText,
  shownText,
  preview,
  previewTitle,
  refusalText,
  subtree,
  valueText,
  whoWhen,
} from "./conflicts";

const NBSP = "\u00a0";

function conflict(over: Partial<OutboxConflict>): OutboxConflict {
  return {
    id: "op-1",
    batch: "b-1",
    batch_label: "appen: sykefravær",
    cell: "sykefravær 3100 2026-03 egenmeldt",
    entity: "sick_leave",
    key: '{"month":"2026-03","unit":"3100"}',
    field: "self_certified",
    kind: "conflict",
    base: "4.0",
    mine: "5.0",
    theirs: "6.0",
    who: "eva",
    when: "2026-04-02T09:00:00+02:00",
    reason: null,
    line: null,
    ...over,
  };
}

function mark(over: Partial<CellMark>): CellMark {
  return {
    state: "pending",
    id: "op-1",
    entity: "sick_leave",
    unit: "3100",
    period: "2026-03",
    field: "self_certified",
    indicators: ["SF", "SF-E"],
    cell: "sykefravær 3100 2026-03 egenmeldt",
    ...over,
  };
}

describe("a conflict's values in words", () => {
  it("writes numbers the Norwegian way with their own decimals", () => {
    expect(valueText("4.0", "sick_leave")).toBe("4,0");
    expect(valueText("12.25", "sick_leave")).toBe("12,25");
    expect(valueText("1234", "sick_leave")).toBe(`1${NBSP}234`);
    expect(valueText("-1.5", "measurements")).toBe("−1,5");
  });

  it("shows a conflict's three values with the same decimals", () => {
    expect(conflictValues(conflict({ base: "10.0", mine: "14.0", theirs: "12" }))).toEqual({ base: "10,0", mine: "14,0", theirs: "12,0" });
    expect(conflictValues(conflict({ base: null, mine: "7.25", theirs: "7" }))).toEqual({ base: "tom", mine: "7,25", theirs: "7,00" });
  });

  it("writes economy, kept in øre, as kroner and øre", () => {
    // 123 456 789 øre = 1 234 567,89 kr
    expect(valueText("123456789", "economy")).toBe(`1${NBSP}234${NBSP}567,89${NBSP}kr`);
  });

  it("says an empty cell, a lock and a text in words", () => {
    expect(valueText(null, "sick_leave")).toBe("tom");
    expect(valueText("null", "sick_leave")).toBe("tom");
    expect(valueText("true", "locked_months")).toBe("låst");
    // A tiltak's cells as the tiltak screens write them.
    expect(valueText('"pagar"', "actions", 0, "status")).toBe("◐ pågår");
    expect(valueText('"2026-03"', "actions", 0, "deadline")).toBe("mars 2026");
    expect(valueText("40", "actions", 0, "progress")).toBe("40 %");
    expect(valueText("125000050", "actions", 0, "cost_ore")).toBe(`1${NBSP}250${NBSP}000,50${NBSP}kr`);
    expect(valueText('"[\\"SF\\",\\"SF-L\\"]"', "actions", 0, "indicators")).toBe("SF, SF-L");
    expect(valueText('"Rektor"', "actions", 0, "responsible")).toBe("«Rektor»");
    expect(valueText("false", "locked_months")).toBe("ikke låst");
    expect(valueText('"Tiltak satt i gang"', "comments")).toBe("«Tiltak satt i gang»");
  });

  it("says who and when in this machine's clock (Oslo in the tests)", () => {
    // 09:00 at +02:00 = 07:00 UTC = 09:00 in Oslo (CEST, UTC+2) on 2 April.
    expect(whoWhen("eva", "2026-04-02T09:00:00+02:00")).toBe("eva, 02.04.2026 kl. 09:00");
    expect(whoWhen(null, "2026-12-01T23:30:00Z")).toBe("02.12.2026 kl. 00:30");
    expect(whoWhen(null, null)).toBeNull();
  });
});

describe("refusals", () => {
  it("explain a locked month and a missing right in words, with the server's reason", () => {
    const locked = refusalText("låst", "måneden 2026-03 er låst");
    expect(locked).toContain("Måneden er låst på serveren");
    expect(locked).toContain("Serveren sa: måneden 2026-03 er låst.");
    expect(locked).toContain("Kopier verdien");
    const access = refusalText("ingen tilgang", "Du har ikke skrivetilgang til enhet «3100»");
    expect(access).toContain("ikke skrivetilgang");
    expect(access).toContain("«3100»");
    expect(refusalText("conflict", "endret på serveren")).toBeNull();
    expect([kindLabel("conflict"), kindLabel("låst"), kindLabel("ingen tilgang"), kindLabel("ugyldig")]).toEqual([
      "Konflikt",
      "Låst måned",
      "Ingen tilgang",
      "Avvist",
    ]);
  });

  it("copy the cell and this desktop's value, with plain spaces", () => {
    expect(copiedText(conflict({ kind: "låst", mine: "1234.5" }))).toBe("sykefravær 3100 2026-03 egenmeldt: 1 234,5");
  });
});

describe("batches", () => {
  const list = [
    conflict({ id: "a", batch: "import", batch_label: "fravær-mars.csv", field: "self_certified" }),
    conflict({ id: "b", batch: "grid", cell: "sykefravær 3100 2026-04 egenmeldt" }),
    conflict({ id: "c", batch: "import", batch_label: "fravær-mars.csv", cell: "sykefravær 3100 2026-03 legemeldt", mine: "12.0", theirs: "12.0" }),
    conflict({ id: "d", batch: "import", batch_label: "fravær-mars.csv", kind: "låst", cell: "sykefravær 3200 2026-03 egenmeldt" }),
  ];

  it("group conflicts by the write they came from, in the order they came, counting refusals", () => {
    const batches = groupByBatch(list);
    expect(batches.map((b) => [b.batch, b.conflicts.map((c) => c.id), b.refusals])).toEqual([
      ["import", ["a", "c", "d"], 1],
      ["grid", ["b"], 0],
    ]);
    expect(batchTitle(batches[0])).toBe("Import: fravær-mars.csv · 3 konflikter");
    expect(batchTitle(batches[1])).toBe("Lagret i Målkart: sykefravær · 1 konflikt");
  });

  it("preview what a choice for the whole batch changes, leaving out cells that stay the same", () => {
    const [imp] = groupByBatch(list);
    // «Behold min»: the server's 6,0 becomes 5,0; legemeldt is 12,0 on both sides (left out).
    expect(preview(imp, "mine")).toEqual([
      { id: "a", cell: "sykefravær 3100 2026-03 egenmeldt", from: "6,0", to: "5,0" },
      { id: "d", cell: "sykefravær 3200 2026-03 egenmeldt", from: "6,0", to: "5,0" },
    ]);
    // «Bruk deres»: this desktop's 5,0 becomes 6,0.
    expect(preview(imp, "theirs").map((l) => [l.id, l.from, l.to])).toEqual([
      ["a", "5,0", "6,0"],
      ["d", "5,0", "6,0"],
    ]);
    expect(previewTitle(imp, "mine")).toContain("«Behold min» for 3 celler");
    expect(previewTitle(imp, "theirs")).toContain("Endringene dine forkastes");
  });

  it("show the top bar's button only when there are conflicts", () => {
    expect(conflictsButton(0)).toBeNull();
    expect(conflictsButton(1)).toBe("Konflikter (1)");
    expect(conflictsButton(200)).toBe("Konflikter (200)");
  });
});

describe("a long list is drawn a page at a time", () => {
  it("draws the first conflicts in order across batches and says how many are shown", () => {
    // Batch a has 3 conflicts, batch b 2: a limit of 4 draws a's three and b's first.
    const list = [
      conflict({ id: "a1", batch: "a" }),
      conflict({ id: "a2", batch: "a" }),
      conflict({ id: "b1", batch: "b" }),
      conflict({ id: "a3", batch: "a" }),
      conflict({ id: "b2", batch: "b" }),
    ];
    const drawn = firstConflicts(groupByBatch(list), 4);
    expect(drawn.map((d) => [d.batch.batch, d.shown.map((c) => c.id)])).toEqual([
      ["a", ["a1", "a2", "a3"]],
      ["b", ["b1"]],
    ]);
    // The batch keeps all its conflicts: its choice for all covers the whole batch.
    expect(drawn[1].batch.conflicts.length).toBe(2);
    expect(firstConflicts(groupByBatch(list), 3).map((d) => d.batch.batch)).toEqual(["a"]);
    expect(shownText(50, 1000)).toBe("Viser 50 av 1000 konflikter.");
  });
});

describe("a conflict from an imported file names its line", () => {
  it("says «linje 14» for a cell from line 14, nothing for a grid save", () => {
    expect(lineText(conflict({ batch_label: "fravær-mars.csv", line: 14 }))).toBe("linje 14");
    expect(lineText(conflict({}))).toBeNull();
  });
});

describe("marks where the cell is", () => {
  it("find a grid cell's mark by unit, month and field; a conflict wins over a change waiting", () => {
    const marks = new CellMarks(
      [
        mark({ state: "pending", field: "self_certified" }),
        mark({ state: "conflict", id: "op-2", field: "self_certified" }),
        mark({ state: "pending", field: "doctor_certified" }),
        mark({ entity: "economy", field: "budget" }),
      ],
      "sick_leave",
    );
    expect(marks.size).toBe(2);
    expect(marks.get("3100", "2026-03", "self_certified")?.state).toBe("conflict");
    expect(marks.get("3100", "2026-03", "self_certified")?.label).toContain("Konflikt");
    expect(marks.get("3100", "2026-03", "doctor_certified")?.state).toBe("pending");
    expect(marks.get("3100", "2026-03", "doctor_certified")?.label).toContain("Venter på å bli sendt");
    expect(marks.get("3100", "2026-04", "self_certified")).toBeNull();
    expect(marks.get("3200", "2026-03", "self_certified")).toBeNull();
  });

  it("count an indicator's conflicts and waiting cells over the målkart's subtree", () => {
    const units = [
      { code: "1000", parent: null },
      { code: "2000", parent: "1000" },
      { code: "3100", parent: "2000" },
      { code: "3200", parent: "1000" },
    ];
    expect([...subtree(units, "2000")].sort()).toEqual(["2000", "3100"]);
    expect([...subtree(units, "1000")].sort()).toEqual(["1000", "2000", "3100", "3200"]);
    const list = [
      mark({ state: "conflict", unit: "3100" }),
      mark({ state: "pending", unit: "3100", field: "doctor_certified" }),
      mark({ state: "pending", unit: "3200", indicators: ["SF"] }),
    ];
    const in2000 = indicatorMarks(list, subtree(units, "2000"));
    expect(in2000.get("SF")).toEqual({ conflicts: 1, pending: 1 });
    expect(in2000.get("SF-E")).toEqual({ conflicts: 1, pending: 1 });
    expect(indicatorMarks(list, subtree(units, "1000")).get("SF")).toEqual({ conflicts: 1, pending: 2 });
    expect(indicatorMarkLabel({ conflicts: 1, pending: 2 })).toBe("1 konflikt i tallene bak indikatoren; 2 endringer venter på å bli sendt");
    expect(indicatorMarkLabel({ conflicts: 3, pending: 0 })).toBe("3 konflikter i tallene bak indikatoren");
    expect(indicatorMarkLabel(undefined)).toBeNull();
  });
});

describe("closing with changes waiting", () => {
  it("says they are safe on this machine and sent at the next sync, in the right number", () => {
    expect(closeText(1)).toBe(
      "1 endring venter på å bli sendt til serveren. Den er trygt lagret på denne maskinen og sendes neste gang Målkart synkroniserer, også om du lukker nå.",
    );
    expect(closeText(3)).toMatch(/^3 endringer venter på å bli sendt til serveren\. De er trygt lagret/);
  });
});
