-- A replica's row versions after a reset pull, kept short (docs/sharing-design.md §7;
-- docs/benchmarks.md §11). A reset pull brings every row anew, most of them (a publish, an
-- import) at one version with every cell at it. Such rows of a table at its first such
-- version get no `row_versions` row: their version is the table's row here. Every other
-- row the replica has, and every row it made itself (a marker: version 0, no cells), has
-- its own `row_versions` row, so a row without one is always a row of the last reset at
-- this version. Emptied by the next reset.
CREATE TABLE reset_versions (
    entity  TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) WITHOUT ROWID;
