// The audit log's words that belong to the panel, not to one entry: how many changes are
// shown. Each entry arrives in words from the core (`AuditRow`: labels, names, local time,
// grouped numbers, only the fields that changed).

/** `1 endring, nyeste først.`, `2 endringer, nyeste først.`, and when the list was cut at
 *  `limit`: `De 500 nyeste endringene (filtrer for å se eldre).` */
export function auditCount(count: number, limit: number): string {
  if (count >= limit) return `De ${limit} nyeste endringene (filtrer for å se eldre).`;
  return `${count} ${count === 1 ? "endring" : "endringer"}, nyeste først.`;
}

/** A date as a Norwegian types it in a filter: `2.12.2026`, `02.12.2026`, `2.12.26` (this
 *  century) or `2026-12-02`; an empty field is no limit. The answer is the ISO date the core
 *  takes, or a sentence naming the field («Fra») when the text is not a date in the calendar.
 *  A plain text field rather than `<input type="date">`: the webview shows that one in its
 *  own locale (`12/02/2026`), not as Norwegians write dates. */
export function parseFilterDate(text: string, field: string): { iso: string | null } | { error: string } {
  const t = text.trim();
  if (t === "") return { iso: null };
  let m = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(t);
  let day: number, month: number, year: number;
  if (m) {
    [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m[3].length === 2) year += 2000;
  } else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    return { error: `${field}: «${t}» er ikke en dato. Skriv for eksempel 2.12.2026.` };
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { error: `${field}: ${t} finnes ikke i kalenderen.` };
  }
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return { iso: `${p(year, 4)}-${p(month)}-${p(day)}` };
}
