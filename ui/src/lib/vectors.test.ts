// @vitest-environment node
// (The plain Node environment reads ../tests/vectors from outside ui/; nothing here is reactive.)
// The golden cases of tests/vectors/rules.json, which `cargo test` checks against the core
// too (tests/shared_vectors.rs): the TypeScript copies of the core's rules for numbers,
// display formats, periods and the sick-leave percentage give the core's answers.
import { describe, expect, it } from "vitest";
import raw from "../../../tests/vectors/rules.json?raw";
import { parseAmount, parseDecimal } from "./grid/number";
import { formatDecimal, roundHalfAway, withUnit } from "./format";
import { labelOfId, nextPeriod, parsePeriodId, periodId, previousPeriod } from "./period";
import { absencePct } from "./grid/registration";

interface Case {
  [key: string]: string | number | boolean | null | undefined;
  why: string;
}

const rules = JSON.parse(raw) as Record<string, Case[]>;
const s = (c: Case, key: string) => String(c[key]);

describe("shared vectors: numbers", () => {
  it("are read exactly, or refused", () => {
    expect(rules.numbers.length).toBeGreaterThan(30);
    for (const c of rules.numbers) {
      const got = parseDecimal(s(c, "text"));
      if (c.error) expect(got, c.why).toBeNull();
      else expect(got, c.why).toEqual({ digits: BigInt(s(c, "digits")), scale: c.scale });
    }
  });

  it("reach whole øre, or are refused", () => {
    for (const c of rules.ore) {
      const got = parseAmount(s(c, "text"));
      if (c.ore === null) expect(got?.ok, c.why).toBe(false);
      else expect(got, c.why).toEqual({ ok: true, value: c.ore });
    }
  });
});

describe("shared vectors: display", () => {
  it("rounds half away from zero on the decimal a number stands for", () => {
    for (const c of rules.round) {
      const got = roundHalfAway(Number(s(c, "value")), Number(c.decimals));
      // Object.is tells −0 from 0.
      expect(Object.is(got, Number(s(c, "rounded"))), `${c.why}: got ${got}`).toBe(true);
    }
  });

  it("formats numbers with their unit", () => {
    for (const c of rules.format) {
      expect(withUnit(Number(s(c, "value")), Number(c.decimals), s(c, "unit")), c.why).toBe(c.text);
    }
    for (const c of rules.decimals) {
      const d = { digits: BigInt(s(c, "digits")), scale: Number(c.scale) };
      expect(formatDecimal(d, Number(c.decimals)), c.why).toBe(c.text);
    }
  });
});

describe("shared vectors: periods", () => {
  it("parse canonical ids, label them and step them as the core does", () => {
    for (const c of rules.periods) {
      const parsed = parsePeriodId(s(c, "id"));
      if (c.error) {
        expect(parsed, c.why).toBeNull();
        continue;
      }
      expect(parsed, c.why).not.toBeNull();
      expect(labelOfId(s(c, "id")), c.why).toBe(c.label);
      if (parsed && !("range" in parsed)) {
        expect(periodId(parsed), c.why).toBe(c.id);
        if (c.previous !== undefined) expect(periodId(previousPeriod(parsed)), c.why).toBe(c.previous);
        if (c.next !== undefined) expect(periodId(nextPeriod(parsed)), c.why).toBe(c.next);
      }
    }
  });
});

describe("shared vectors: the sick-leave percentage", () => {
  it("is the core's SF figure, shown with a no-break space before %", () => {
    for (const c of rules.absence_pct) {
      const got = absencePct([s(c, "contracted"), s(c, "self"), s(c, "doctor")]);
      expect(got, c.why).toBe(s(c, "text").replace(" %", "\u00a0%"));
    }
  });
});
