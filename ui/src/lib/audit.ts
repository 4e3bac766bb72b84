// One audit entry's change in words: "opprettet: …", "… → …", "slettet: …". The old and new
// values are JSON from the core; objects are written as `key: value` pairs.

import type { AuditEntry } from "../bindings/AuditEntry";

function show(json: string | null): string {
  if (json === null) return "–";
  try {
    const value: unknown = JSON.parse(json);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== null && v !== "")
        .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
        .join(", ");
    }
    return String(value);
  } catch {
    return json;
  }
}

export function describeChange(e: Pick<AuditEntry, "old" | "new">): string {
  if (e.old === null && e.new !== null) return `opprettet: ${show(e.new)}`;
  if (e.old !== null && e.new === null) return `slettet: ${show(e.old)}`;
  if (e.old === null && e.new === null) return "–";
  return `${show(e.old)} → ${show(e.new)}`;
}
