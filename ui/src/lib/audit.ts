// The audit log's words that belong to the panel, not to one entry: how many changes are
// shown. Each entry arrives in words from the core (`AuditRow`: labels, names, local time,
// grouped numbers, only the fields that changed).

/** `1 endring, nyeste først.`, `2 endringer, nyeste først.`, and when the list was cut at
 *  `limit`: `De 500 nyeste endringene (filtrer for å se eldre).` */
export function auditCount(count: number, limit: number): string {
  if (count >= limit) return `De ${limit} nyeste endringene (filtrer for å se eldre).`;
  return `${count} ${count === 1 ? "endring" : "endringer"}, nyeste først.`;
}
