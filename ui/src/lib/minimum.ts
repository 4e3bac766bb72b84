// The sick-leave masking minimum is changed only deliberately: a typed value is checked,
// and a change is put as a question the person must confirm (what it means for whom),
// before anything is saved.

export type MinimumStep =
  | { kind: "error"; message: string }
  | { kind: "unchanged"; message: string }
  | { kind: "confirm"; n: number; question: string };

/** What to do with `text` typed over the stored minimum `current`. */
export function minimumStep(text: string, current: number | null): MinimumStep {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) > 1000) {
    return { kind: "error", message: "Skriv et helt tall fra 0 til 1000 (0 slår maskeringen av)." };
  }
  const n = Number(t);
  if (n === current) {
    return { kind: "unchanged", message: `Minstegrensen er allerede ${n === 0 ? "av" : n}; ingenting er endret.` };
  }
  const from = current === null ? "" : current === 0 ? " fra av" : ` fra ${current}`;
  const what =
    n === 0
      ? "Da slås maskeringen av: sykefraværet for små grupper vises for alle som bruker denne databasen, også der enkeltpersoner kan kjennes igjen."
      : current !== null && current !== 0 && n < current
        ? `Da vises sykefraværet for grupper med ${n}–${current - 1} ansatte, som i dag er skjult.`
        : `Da skjules sykefraværet for grupper med færre enn ${n} ansatte.`;
  return {
    kind: "confirm",
    n,
    question: `Endre minstegrensen${from} til ${n === 0 ? "av (0)" : n}? ${what} Endringen gjelder alle rapporter og skrives i endringsloggen.`,
  };
}
