// The broken-database screen's three ways out: restore a backup over the broken file, open
// another database, or start a new, empty one (the broken file kept beside it). Each asks
// the backend and answers with what happened, in words; `null` when the person cancelled
// the file dialog.

import type { Backend } from "./backend";
import { toBackendError } from "./backend";

export type Recovery = "restore" | "open" | "new";

export interface Recovered {
  /** The database opens now: the app can start over. */
  ok: boolean;
  message: string;
}

type RecoveryBackend = Pick<Backend, "chooseFile" | "restore" | "openDatabase" | "newDatabase">;

export async function recover(backend: RecoveryBackend, action: Recovery): Promise<Recovered | null> {
  try {
    switch (action) {
      case "restore": {
        const from = await backend.chooseFile("Velg sikkerhetskopi", ["db"]);
        if (!from) return null;
        const kept = await backend.restore(from);
        return {
          ok: true,
          message: kept
            ? `Databasen er gjenopprettet fra ${from}. Den skadde filen er beholdt som ${kept}.`
            : `Databasen er gjenopprettet fra ${from}.`,
        };
      }
      case "open": {
        const path = await backend.chooseFile("Velg en Målkart-database", ["db"]);
        if (!path) return null;
        const info = await backend.openDatabase(path);
        return { ok: true, message: `Åpnet databasen ${info.db_path}.` };
      }
      case "new": {
        const kept = await backend.newDatabase();
        return {
          ok: true,
          message: kept
            ? `En ny, tom database er laget. Den skadde filen er beholdt som ${kept}.`
            : "En ny, tom database er laget.",
        };
      }
    }
  } catch (e) {
    return { ok: false, message: toBackendError(e).message };
  }
}
