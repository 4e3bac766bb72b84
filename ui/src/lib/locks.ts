// Unlocking a month: the reason is required (it is written in the audit log), so «Lås opp»
// without one says why nothing happened instead of doing nothing; and the answer says what
// happened.

import { labelOfId } from "./period";

/** Why `month` cannot be unlocked with `reason` yet; `null` when it can. */
export function unlockProblem(month: string, reason: string): string | null {
  if (reason.trim() !== "") return null;
  return `Skriv en grunn før du låser opp ${labelOfId(month)}. Grunnen skrives i endringsloggen; ingenting er endret.`;
}

/** What an unlock did: `changed` is the backend's answer (`false`: it was not locked). */
export function unlockedText(month: string, changed: boolean): string {
  const label = labelOfId(month);
  const name = label.charAt(0).toUpperCase() + label.slice(1);
  return changed ? `${name} er låst opp.` : `${name} var ikke låst; ingenting er endret.`;
}
