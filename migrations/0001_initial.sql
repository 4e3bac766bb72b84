-- 0001: the first schema of Målkart.
--
-- Months are stored as integer indices (year * 12 + month - 1, `Month::index()`), so that a
-- span or a window of months is an integer range. Texts of enums are the model's keys
-- (`høy`, `kvartal`, `brøk`, …). The schema version lives in PRAGMA user_version only.

-- A counter bumped once by every committed write transaction; caches compare it.
CREATE TABLE meta (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO meta (id, revision) VALUES (1, 0);

-- The four fixed perspectives; only the display name is editable.
CREATE TABLE perspectives (
    key  TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    sort INTEGER NOT NULL
);
INSERT INTO perspectives (key, name, sort) VALUES
    ('lokalsamfunn', 'Lokalsamfunn', 1),
    ('brukere', 'Innbyggere og brukere', 2),
    ('organisasjon', 'Organisasjon og medarbeidere', 3),
    ('økonomi', 'Økonomi', 4);

-- The org tree. The parent is checked at commit, so a file may name a parent further down.
CREATE TABLE units (
    code   TEXT PRIMARY KEY NOT NULL,
    name   TEXT NOT NULL,
    parent TEXT REFERENCES units (code) DEFERRABLE INITIALLY DEFERRED,
    level  TEXT,
    -- the order units were first created in (the order of the import file)
    sort   INTEGER NOT NULL
);
CREATE INDEX units_parent ON units (parent);

CREATE TABLE indicators (
    code        TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    perspective TEXT NOT NULL REFERENCES perspectives (key),
    goal        TEXT,
    description TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    responsible TEXT NOT NULL DEFAULT '',
    unit_label  TEXT NOT NULL DEFAULT '',
    decimals    INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 4),
    direction   TEXT NOT NULL CHECK (direction IN ('høy', 'lav')),
    frequency   TEXT NOT NULL CHECK (frequency IN ('måned', 'kvartal', 'tertial', 'halvår', 'år')),
    aggregation TEXT NOT NULL CHECK (aggregation IN ('sum', 'snitt', 'siste', 'brøk')),
    unit_rollup TEXT NOT NULL CHECK (unit_rollup IN ('sum', 'snitt', 'ingen')),
    factor      REAL NOT NULL,
    builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1))
);

-- A target per (indicator, unit, year); a NULL unit is the indicator's default target.
-- Two partial unique indexes, because a plain UNIQUE lets NULLs repeat.
CREATE TABLE targets (
    id        INTEGER PRIMARY KEY,
    indicator TEXT NOT NULL REFERENCES indicators (code),
    unit      TEXT REFERENCES units (code),
    year      INTEGER NOT NULL,
    target    REAL NOT NULL,
    red_limit REAL
);
CREATE UNIQUE INDEX targets_unit_key ON targets (indicator, unit, year) WHERE unit IS NOT NULL;
CREATE UNIQUE INDEX targets_default_key ON targets (indicator, year) WHERE unit IS NULL;
CREATE INDEX targets_unit ON targets (unit);

-- One registered figure per (indicator, span, unit). The key is ordered indicator, span,
-- unit so that a window of months is one contiguous range per indicator (`dataset_for`).
CREATE TABLE measurements (
    indicator   TEXT NOT NULL REFERENCES indicators (code),
    span_first  INTEGER NOT NULL,
    unit        TEXT NOT NULL REFERENCES units (code),
    span_last   INTEGER NOT NULL,
    value       REAL,
    numerator   REAL,
    denominator REAL,
    CHECK (span_last >= span_first),
    CHECK ((value IS NOT NULL AND numerator IS NULL AND denominator IS NULL)
        OR (value IS NULL AND numerator IS NOT NULL AND denominator IS NOT NULL)),
    PRIMARY KEY (indicator, span_first, unit)
) WITHOUT ROWID;

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    indicator  TEXT NOT NULL REFERENCES indicators (code),
    unit       TEXT NOT NULL REFERENCES units (code),
    period     TEXT NOT NULL,
    author     TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT
);
CREATE INDEX comments_key ON comments (indicator, unit, period);
CREATE INDEX comments_unit ON comments (unit);

CREATE TABLE locked_months (
    month     INTEGER PRIMARY KEY,
    locked_by TEXT NOT NULL,
    locked_at TEXT NOT NULL
);

-- The audit log: one batch per write transaction (when, who, from which source) and one
-- entry per created, changed or deleted row. No foreign keys: the log outlives what it
-- describes. Rowid order is time order. A NULL key is `indicator / unit / period`, derived
-- when read: an import of a million measurements writes a million entries, and every byte
-- of each one costs time.
CREATE TABLE audit_batches (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    user   TEXT NOT NULL,
    source TEXT NOT NULL
);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    batch     INTEGER NOT NULL,
    entity    TEXT NOT NULL,
    key       TEXT,
    indicator TEXT,
    unit      TEXT,
    period    TEXT,
    old       TEXT,
    new       TEXT,
    reason    TEXT
);
