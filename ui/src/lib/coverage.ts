// The warning a director must see: "green, but 3 of 12 schools have not reported
// September" (engine.md §4).

import type { IndicatorResult } from "../bindings/IndicatorResult";
import { labelOfId } from "./period";

/** `3 av 12 enheter mangler tall for september 2026`, or `null` when nothing is missing. */
export function coverageWarning(
  r: Pick<IndicatorResult, "complete" | "missing_units" | "expected_units" | "period">,
): string | null {
  if (r.complete || r.missing_units === 0 || r.expected_units === 0) return null;
  const noun = r.expected_units === 1 ? "enhet" : "enheter";
  const verb = `${r.missing_units} av ${r.expected_units} ${noun} mangler tall`;
  return `${verb} for ${labelOfId(r.period)}`;
}
