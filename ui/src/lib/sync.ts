// The words of the header's sync line (sharing.md §3–4) and of the «Koble til server»
// dialog: when the replica was last synchronised, offline, running, and what waits to be
// sent. Times in this machine's local time, as the rest of the app (format.ts).

/** What the sync line needs to know (the fields of the backend's `SyncState`). */
export interface SyncLineInput {
  /** A sync is under way now. */
  running: boolean;
  /** The server could not be reached at the last attempt. */
  offline: boolean;
  /** The last successful sync, RFC 3339; `null` when there has been none. */
  lastSyncAt: string | null;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A sync time as a person reads it: `14:32` today, `1.12. 14:32` another day this year,
 *  `30.12.2025 14:32` in another year (`now` is passed in, never read here). A text that is
 *  not an RFC 3339 time is shown as it is. */
export function syncTime(rfc3339: string, now: Date): string {
  const at = new Date(rfc3339);
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(rfc3339) || Number.isNaN(at.getTime())) return rfc3339;
  const clock = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  if (sameDay) return clock;
  if (at.getFullYear() === now.getFullYear()) return `${at.getDate()}.${at.getMonth() + 1}. ${clock}`;
  return `${at.getDate()}.${at.getMonth() + 1}.${at.getFullYear()} ${clock}`;
}

/** The sync line: «Synkroniserer …», «Frakoblet — viser data fra 14:32», «Sist
 *  synkronisert 14:32», or what is true before the first sync. Offline is said in words,
 *  never by a colour alone. */
export function syncLine(input: SyncLineInput, now: Date): string {
  if (input.running) return "Synkroniserer …";
  const at = input.lastSyncAt === null ? null : syncTime(input.lastSyncAt, now);
  if (input.offline) return at === null ? "Frakoblet — ikke synkronisert ennå" : `Frakoblet — viser data fra ${at}`;
  return at === null ? "Ikke synkronisert ennå" : `Sist synkronisert ${at}`;
}

/** «2 endringer venter på å bli sendt»; `null` when nothing waits. */
export function pendingText(pending: number): string | null {
  if (pending <= 0) return null;
  return pending === 1 ? "1 endring venter på å bli sendt" : `${pending} endringer venter på å bli sendt`;
}

/** «1 konflikt», «3 konflikter»; `null` when there is none. */
export function conflictText(conflicts: number): string | null {
  if (conflicts <= 0) return null;
  return conflicts === 1 ? "1 konflikt" : `${conflicts} konflikter`;
}

/** The host a server is known by in the app (`https://malkart.kommune.no:8443/` →
 *  `malkart.kommune.no:8443`); the text as typed when it is no URL. */
export function serverLabel(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** What is missing in the «Koble til server» form, as one sentence, checked before asking
 *  the server; `null` when every field is filled. The server checks the rest. */
export function connectProblem(url: string, user: string, password: string): string | null {
  const missing: string[] = [];
  if (url.trim() === "") missing.push("serverens adresse");
  if (user.trim() === "") missing.push("brukernavn");
  if (password === "") missing.push("passord");
  if (missing.length === 0) {
    const u = url.trim();
    if (!/^https?:\/\/[^\s/]+/i.test(u)) return `Adressen «${u}» er ikke en serveradresse. Skriv den slik: https://malkart.kommune.no`;
    return null;
  }
  const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} og ${missing[missing.length - 1]}`;
  return `Fyll inn ${list}.`;
}
