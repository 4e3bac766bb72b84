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

-- In a replica every local write of a tiltak or a status comment is recorded like the other
-- replicated tables' (migration 0004): a row change turned into outbox operations per cell.

CREATE TRIGGER actions_replica_insert AFTER INSERT ON actions WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('actions', NULL,
        json_object('code', NEW.code, 'title', NEW.title, 'description', NEW.description, 'goal', NEW.goal, 'success_factor', NEW.success_factor, 'unit', NEW.unit, 'responsible', NEW.responsible, 'kind', NEW.kind, 'decision_ref', NEW.decision_ref, 'start', NEW.start, 'deadline', NEW.deadline, 'status', NEW.status, 'progress', NEW.progress, 'cost_ore', NEW.cost_ore, 'indicators', NEW.indicators));
END;
CREATE TRIGGER actions_replica_update AFTER UPDATE ON actions WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('actions',
        json_object('code', OLD.code, 'title', OLD.title, 'description', OLD.description, 'goal', OLD.goal, 'success_factor', OLD.success_factor, 'unit', OLD.unit, 'responsible', OLD.responsible, 'kind', OLD.kind, 'decision_ref', OLD.decision_ref, 'start', OLD.start, 'deadline', OLD.deadline, 'status', OLD.status, 'progress', OLD.progress, 'cost_ore', OLD.cost_ore, 'indicators', OLD.indicators),
        json_object('code', NEW.code, 'title', NEW.title, 'description', NEW.description, 'goal', NEW.goal, 'success_factor', NEW.success_factor, 'unit', NEW.unit, 'responsible', NEW.responsible, 'kind', NEW.kind, 'decision_ref', NEW.decision_ref, 'start', NEW.start, 'deadline', NEW.deadline, 'status', NEW.status, 'progress', NEW.progress, 'cost_ore', NEW.cost_ore, 'indicators', NEW.indicators));
END;
CREATE TRIGGER actions_replica_delete AFTER DELETE ON actions WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('actions',
        json_object('code', OLD.code, 'title', OLD.title, 'description', OLD.description, 'goal', OLD.goal, 'success_factor', OLD.success_factor, 'unit', OLD.unit, 'responsible', OLD.responsible, 'kind', OLD.kind, 'decision_ref', OLD.decision_ref, 'start', OLD.start, 'deadline', OLD.deadline, 'status', OLD.status, 'progress', OLD.progress, 'cost_ore', OLD.cost_ore, 'indicators', OLD.indicators), NULL);
END;

CREATE TRIGGER action_comments_replica_insert AFTER INSERT ON action_comments WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('action_comments', NULL,
        json_object('uid', NEW.uid, 'action', NEW.action, 'period', NEW.period, 'author', NEW.author, 'text', NEW.text, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
CREATE TRIGGER action_comments_replica_update AFTER UPDATE ON action_comments WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('action_comments',
        json_object('uid', OLD.uid, 'action', OLD.action, 'period', OLD.period, 'author', OLD.author, 'text', OLD.text, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        json_object('uid', NEW.uid, 'action', NEW.action, 'period', NEW.period, 'author', NEW.author, 'text', NEW.text, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
CREATE TRIGGER action_comments_replica_delete AFTER DELETE ON action_comments WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('action_comments',
        json_object('uid', OLD.uid, 'action', OLD.action, 'period', OLD.period, 'author', OLD.author, 'text', OLD.text, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), NULL);
END;
