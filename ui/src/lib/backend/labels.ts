// The Norwegian labels of the enums the commands take. The enums are generated from Rust
// (ui/src/bindings); each label map is checked against its union by the compiler
// (`satisfies Record<…>`: a kind added in Rust without a label here fails `npm run check`),
// and the lists the UI offers are the maps' keys, in the order written.

import type { ImportKind } from "../../bindings/ImportKind";
import type { Measure } from "../../bindings/Measure";

export const IMPORT_KIND_LABEL = {
  units: "Enheter",
  indicators: "Indikatorer",
  targets: "Mål",
  measurements: "Målinger",
  sick_leave: "Sykefravær",
  economy: "Økonomi",
  actions: "Tiltak",
  surveys: "Undersøkelser (10-FAKTOR, bedrekommune)",
  references: "Referanseserier",
  kostra: "KOSTRA fra SSB",
} as const satisfies Record<ImportKind, string>;

/**
 * The import kinds in the order the import panel offers them. A KOSTRA file comes with its
 * mapping file, which the panel's one file field cannot take yet: the command line imports
 * it (`malkart import kostra FIL --kobling KOBLINGSFIL`).
 */
export const IMPORT_KINDS = (Object.keys(IMPORT_KIND_LABEL) as ImportKind[]).filter((k) => k !== "kostra");

export const MEASURE_LABEL = {
  budsjett: "Budsjett",
  regnskap: "Regnskap",
  prognose: "Prognose",
} as const satisfies Record<Measure, string>;

/** The economy measures in the order the economy grid offers them. */
export const MEASURES = Object.keys(MEASURE_LABEL) as Measure[];
