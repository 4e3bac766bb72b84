-- Tiltak (tiltak.md): the actions a unit takes to reach a goal, and their status comments
-- per period. A tiltak's key is its code, like units and indicators; a status comment has
-- a UUID (v7), like an indicator's comment, so both can be addressed on another machine.
-- Months are stored as `YYYY-MM` (text order is time order); the cost in whole øre.
-- `forsinket` (late) is derived from the deadline and the period shown, never stored.

CREATE TABLE actions (
    code           TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    description    TEXT,
    goal           TEXT NOT NULL,
    success_factor TEXT,
    unit           TEXT NOT NULL REFERENCES units (code),
    responsible    TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('tiltak', 'oppdrag', 'investering')),
    decision_ref   TEXT,
    start          TEXT,
    deadline       TEXT,
    status         TEXT NOT NULL
        CHECK (status IN ('ikke_startet', 'pagar', 'fullfort', 'utsatt', 'avbrutt')),
    progress       INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    cost_ore       INTEGER,
    -- The indicator codes it is meant to move: a JSON array, in the order given.
    indicators     TEXT NOT NULL DEFAULT '[]',
    CHECK (status <> 'fullfort' OR progress = 100),
    CHECK (deadline IS NULL OR start IS NULL OR deadline >= start)
);
CREATE INDEX actions_unit ON actions (unit);

CREATE TABLE action_comments (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    action     TEXT NOT NULL REFERENCES actions (code),
    period     TEXT NOT NULL,
    author     TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT
);
CREATE INDEX action_comments_action ON action_comments (action, period);
