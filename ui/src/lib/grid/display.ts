// What a registration grid says and measures around its cells, without the DOM: the
// sentences of the problem list above the grid (each bad cell named by its row and column)
// and of a refused save, and how wide a column's text is, so that equal columns (the twelve
// months) are drawn equally wide and a column is as narrow as its figures allow.

/** `1 celle har feil`, `3 celler har feil`. */
export function cellsHaveErrors(n: number): string {
  return `${n} ${n === 1 ? "celle" : "celler"} har feil`;
}

/** The save's answer when cells are wrong: `Ikke lagret: 1 celle har feil. Rett den og lagre
 * igjen.` (nothing was saved). */
export function notSavedMessage(n: number): string {
  return `Ikke lagret: ${cellsHaveErrors(n)}. Rett ${n === 1 ? "den" : "dem"} og lagre igjen.`;
}

/** A message as a sentence: a full stop at the end unless it has one (or `?`/`!`). */
export function asSentence(message: string): string {
  const t = message.trim();
  return t === "" || /[.!?]$/.test(t) ? t : `${t}.`;
}

/** One line of the problem list: `Bakken skole, januar: «abc» er ikke et beløp.` */
export function problemLine(row: string, column: string, message: string): string {
  return `${row}, ${column}: ${asSentence(message)}`;
}

/** About how wide `text` is, in `ch` (the width of a digit, which tabular figures all
 * share): a digit 1, a space, comma or point ½, the minus sign `−` 1⅓ (as wide as it is
 * drawn in DejaVu Sans, the widest of the fonts the app falls back to), any other
 * character 1. An estimate on the wide side, so a column sized by it never cuts its text. */
export function widthCh(text: string): number {
  let w = 0;
  for (const c of text) {
    if (c >= "0" && c <= "9") w += 1;
    else if (c === " " || c === "\u00a0" || c === "\u202f" || c === "," || c === ".") w += 0.5;
    else if (c === "\u2212") w += 4 / 3;
    else w += 1;
  }
  return w;
}

/** The widest of `texts` in `ch` (`min` at least). */
export function widestCh(texts: string[], min = 0): number {
  return texts.reduce((w, t) => Math.max(w, widthCh(t)), min);
}
