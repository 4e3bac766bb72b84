-- The desktop replica of a shared municipality (sharing.md §3–4; docs/sharing-design.md §7).
-- A replica is an ordinary Målkart database with one row in `replica`; in a single-user
-- file these tables stay empty and the triggers below never fire.
--
-- Every local write in a replica (a grid save, an import, a target, a comment, a lock) is
-- recorded by the triggers as a row change in `row_changes`, inside the write's own
-- transaction; before that transaction commits, the core turns them into one `outbox`
-- operation per changed cell (src/storage/replica.rs). A crash leaves both or neither.
-- While a pull is applied `replica.applying` is 1 and nothing is recorded.

CREATE TABLE replica (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    server_url      TEXT NOT NULL,
    user_name       TEXT NOT NULL,
    role            TEXT NOT NULL,
    units           TEXT NOT NULL,          -- JSON array of the unit codes given
    watermark       TEXT,                   -- xid8 as text; NULL before the first pull
    scope           TEXT,                   -- the server's scope of the last pull
    last_sync_at    TEXT,                   -- the last pull that reached the server
    last_attempt_at TEXT,
    last_error      TEXT,                   -- why the last attempt failed (NULL: it did not)
    applying        INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1))
);

-- The server's versions of each replicated row: `cells` is the server's cell_versions
-- ({"field": version}); a cell's base version is taken from here when it is edited.
CREATE TABLE row_versions (
    entity  TEXT NOT NULL,
    key     TEXT NOT NULL,                  -- JSON array of the primary key's values
    version INTEGER NOT NULL,
    cells   TEXT NOT NULL,
    PRIMARY KEY (entity, key)
) WITHOUT ROWID;

-- Row changes of the transaction being written (always empty between transactions).
CREATE TABLE row_changes (
    id     INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    old    TEXT,                            -- the row before, as a JSON object; NULL: new
    new    TEXT                             -- the row after; NULL: deleted
);

-- A leser's masked sick-leave summary (design §4): per readable unit and month, the
-- subtree's totals as the server computed and masked them. Empty in every other file.
CREATE TABLE sick_leave_summary (
    unit                  TEXT NOT NULL,
    month                 INTEGER NOT NULL,
    masked                INTEGER NOT NULL CHECK (masked IN (0, 1)),
    mask_reason           TEXT CHECK (mask_reason IN ('few_employees', 'unknown_employees', 'secondary')),
    employees             INTEGER,
    contracted_days       REAL NOT NULL,
    self_certified        REAL,
    doctor_certified      REAL,
    split_contracted_days REAL,
    short_days            REAL,
    long_days             REAL,
    PRIMARY KEY (month, unit)
) WITHOUT ROWID;

CREATE TABLE outbox (
    seq           INTEGER PRIMARY KEY,      -- push order
    op_id         TEXT NOT NULL UNIQUE,     -- UUID v7, made when written, resent unchanged
    batch         TEXT NOT NULL,            -- one local write transaction
    batch_label   TEXT NOT NULL,            -- its source: "manuell", a file name, …
    line          INTEGER,
    entity        TEXT NOT NULL,            -- the table, as push names it
    key           TEXT NOT NULL,            -- JSON: the key object push takes
    row_key       TEXT NOT NULL,            -- JSON array: the local primary key (row_versions.key)
    field         TEXT NOT NULL,
    base_version  INTEGER,                  -- NULL: the cell did not exist on the server
    base_value    TEXT,                     -- JSON
    new_value     TEXT,                     -- JSON; NULL deletes
    created_at    TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'conflict', 'resolved')),
    kind          TEXT CHECK (kind IN ('conflict', 'låst', 'ingen tilgang', 'ugyldig')),
    their_value   TEXT,
    their_version INTEGER,
    their_by      TEXT,
    their_at      TEXT,
    reason        TEXT,
    resolution    TEXT CHECK (resolution IN ('mine', 'theirs', 'discarded')),
    resolves      TEXT
);
CREATE INDEX outbox_state ON outbox (state, seq);
CREATE INDEX outbox_cell ON outbox (entity, row_key, field);

CREATE TRIGGER units_replica_insert AFTER INSERT ON units WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('units', NULL,
        json_object('code', NEW.code, 'name', NEW.name, 'parent', NEW.parent, 'level', NEW.level, 'sort', NEW.sort));
END;
CREATE TRIGGER units_replica_update AFTER UPDATE ON units WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('units',
        json_object('code', OLD.code, 'name', OLD.name, 'parent', OLD.parent, 'level', OLD.level, 'sort', OLD.sort),
        json_object('code', NEW.code, 'name', NEW.name, 'parent', NEW.parent, 'level', NEW.level, 'sort', NEW.sort));
END;
CREATE TRIGGER units_replica_delete AFTER DELETE ON units WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('units',
        json_object('code', OLD.code, 'name', OLD.name, 'parent', OLD.parent, 'level', OLD.level, 'sort', OLD.sort), NULL);
END;
CREATE TRIGGER indicators_replica_insert AFTER INSERT ON indicators WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('indicators', NULL,
        json_object('code', NEW.code, 'name', NEW.name, 'perspective', NEW.perspective, 'goal', NEW.goal, 'description', NEW.description, 'source', NEW.source, 'responsible', NEW.responsible, 'unit_label', NEW.unit_label, 'decimals', NEW.decimals, 'direction', NEW.direction, 'frequency', NEW.frequency, 'aggregation', NEW.aggregation, 'unit_rollup', NEW.unit_rollup, 'factor', NEW.factor, 'builtin', NEW.builtin));
END;
CREATE TRIGGER indicators_replica_update AFTER UPDATE ON indicators WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('indicators',
        json_object('code', OLD.code, 'name', OLD.name, 'perspective', OLD.perspective, 'goal', OLD.goal, 'description', OLD.description, 'source', OLD.source, 'responsible', OLD.responsible, 'unit_label', OLD.unit_label, 'decimals', OLD.decimals, 'direction', OLD.direction, 'frequency', OLD.frequency, 'aggregation', OLD.aggregation, 'unit_rollup', OLD.unit_rollup, 'factor', OLD.factor, 'builtin', OLD.builtin),
        json_object('code', NEW.code, 'name', NEW.name, 'perspective', NEW.perspective, 'goal', NEW.goal, 'description', NEW.description, 'source', NEW.source, 'responsible', NEW.responsible, 'unit_label', NEW.unit_label, 'decimals', NEW.decimals, 'direction', NEW.direction, 'frequency', NEW.frequency, 'aggregation', NEW.aggregation, 'unit_rollup', NEW.unit_rollup, 'factor', NEW.factor, 'builtin', NEW.builtin));
END;
CREATE TRIGGER indicators_replica_delete AFTER DELETE ON indicators WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('indicators',
        json_object('code', OLD.code, 'name', OLD.name, 'perspective', OLD.perspective, 'goal', OLD.goal, 'description', OLD.description, 'source', OLD.source, 'responsible', OLD.responsible, 'unit_label', OLD.unit_label, 'decimals', OLD.decimals, 'direction', OLD.direction, 'frequency', OLD.frequency, 'aggregation', OLD.aggregation, 'unit_rollup', OLD.unit_rollup, 'factor', OLD.factor, 'builtin', OLD.builtin), NULL);
END;
CREATE TRIGGER targets_replica_insert AFTER INSERT ON targets WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('targets', NULL,
        json_object('indicator', NEW.indicator, 'unit', NEW.unit, 'year', NEW.year, 'target', NEW.target, 'red_limit', NEW.red_limit));
END;
CREATE TRIGGER targets_replica_update AFTER UPDATE ON targets WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('targets',
        json_object('indicator', OLD.indicator, 'unit', OLD.unit, 'year', OLD.year, 'target', OLD.target, 'red_limit', OLD.red_limit),
        json_object('indicator', NEW.indicator, 'unit', NEW.unit, 'year', NEW.year, 'target', NEW.target, 'red_limit', NEW.red_limit));
END;
CREATE TRIGGER targets_replica_delete AFTER DELETE ON targets WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('targets',
        json_object('indicator', OLD.indicator, 'unit', OLD.unit, 'year', OLD.year, 'target', OLD.target, 'red_limit', OLD.red_limit), NULL);
END;
CREATE TRIGGER measurements_replica_insert AFTER INSERT ON measurements WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('measurements', NULL,
        json_object('indicator', NEW.indicator, 'span_first', NEW.span_first, 'unit', NEW.unit, 'span_last', NEW.span_last, 'value', NEW.value, 'numerator', NEW.numerator, 'denominator', NEW.denominator));
END;
CREATE TRIGGER measurements_replica_update AFTER UPDATE ON measurements WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('measurements',
        json_object('indicator', OLD.indicator, 'span_first', OLD.span_first, 'unit', OLD.unit, 'span_last', OLD.span_last, 'value', OLD.value, 'numerator', OLD.numerator, 'denominator', OLD.denominator),
        json_object('indicator', NEW.indicator, 'span_first', NEW.span_first, 'unit', NEW.unit, 'span_last', NEW.span_last, 'value', NEW.value, 'numerator', NEW.numerator, 'denominator', NEW.denominator));
END;
CREATE TRIGGER measurements_replica_delete AFTER DELETE ON measurements WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('measurements',
        json_object('indicator', OLD.indicator, 'span_first', OLD.span_first, 'unit', OLD.unit, 'span_last', OLD.span_last, 'value', OLD.value, 'numerator', OLD.numerator, 'denominator', OLD.denominator), NULL);
END;
CREATE TRIGGER sick_leave_replica_insert AFTER INSERT ON sick_leave WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('sick_leave', NULL,
        json_object('unit', NEW.unit, 'month', NEW.month, 'contracted_days', NEW.contracted_days, 'self_certified', NEW.self_certified, 'doctor_certified', NEW.doctor_certified, 'employees', NEW.employees, 'days_1_3', NEW.days_1_3, 'days_4_16', NEW.days_4_16, 'days_17_56', NEW.days_17_56, 'days_over_56', NEW.days_over_56));
END;
CREATE TRIGGER sick_leave_replica_update AFTER UPDATE ON sick_leave WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('sick_leave',
        json_object('unit', OLD.unit, 'month', OLD.month, 'contracted_days', OLD.contracted_days, 'self_certified', OLD.self_certified, 'doctor_certified', OLD.doctor_certified, 'employees', OLD.employees, 'days_1_3', OLD.days_1_3, 'days_4_16', OLD.days_4_16, 'days_17_56', OLD.days_17_56, 'days_over_56', OLD.days_over_56),
        json_object('unit', NEW.unit, 'month', NEW.month, 'contracted_days', NEW.contracted_days, 'self_certified', NEW.self_certified, 'doctor_certified', NEW.doctor_certified, 'employees', NEW.employees, 'days_1_3', NEW.days_1_3, 'days_4_16', NEW.days_4_16, 'days_17_56', NEW.days_17_56, 'days_over_56', NEW.days_over_56));
END;
CREATE TRIGGER sick_leave_replica_delete AFTER DELETE ON sick_leave WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('sick_leave',
        json_object('unit', OLD.unit, 'month', OLD.month, 'contracted_days', OLD.contracted_days, 'self_certified', OLD.self_certified, 'doctor_certified', OLD.doctor_certified, 'employees', OLD.employees, 'days_1_3', OLD.days_1_3, 'days_4_16', OLD.days_4_16, 'days_17_56', OLD.days_17_56, 'days_over_56', OLD.days_over_56), NULL);
END;
CREATE TRIGGER economy_replica_insert AFTER INSERT ON economy WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('economy', NULL,
        json_object('unit', NEW.unit, 'month', NEW.month, 'budget', NEW.budget, 'actual', NEW.actual, 'forecast', NEW.forecast));
END;
CREATE TRIGGER economy_replica_update AFTER UPDATE ON economy WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('economy',
        json_object('unit', OLD.unit, 'month', OLD.month, 'budget', OLD.budget, 'actual', OLD.actual, 'forecast', OLD.forecast),
        json_object('unit', NEW.unit, 'month', NEW.month, 'budget', NEW.budget, 'actual', NEW.actual, 'forecast', NEW.forecast));
END;
CREATE TRIGGER economy_replica_delete AFTER DELETE ON economy WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('economy',
        json_object('unit', OLD.unit, 'month', OLD.month, 'budget', OLD.budget, 'actual', OLD.actual, 'forecast', OLD.forecast), NULL);
END;
CREATE TRIGGER comments_replica_insert AFTER INSERT ON comments WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('comments', NULL,
        json_object('uid', NEW.uid, 'indicator', NEW.indicator, 'unit', NEW.unit, 'period', NEW.period, 'author', NEW.author, 'text', NEW.text, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
CREATE TRIGGER comments_replica_update AFTER UPDATE ON comments WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('comments',
        json_object('uid', OLD.uid, 'indicator', OLD.indicator, 'unit', OLD.unit, 'period', OLD.period, 'author', OLD.author, 'text', OLD.text, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        json_object('uid', NEW.uid, 'indicator', NEW.indicator, 'unit', NEW.unit, 'period', NEW.period, 'author', NEW.author, 'text', NEW.text, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
CREATE TRIGGER comments_replica_delete AFTER DELETE ON comments WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('comments',
        json_object('uid', OLD.uid, 'indicator', OLD.indicator, 'unit', OLD.unit, 'period', OLD.period, 'author', OLD.author, 'text', OLD.text, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), NULL);
END;
CREATE TRIGGER locked_months_replica_insert AFTER INSERT ON locked_months WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('locked_months', NULL,
        json_object('month', NEW.month, 'locked_by', NEW.locked_by, 'locked_at', NEW.locked_at));
END;
CREATE TRIGGER locked_months_replica_update AFTER UPDATE ON locked_months WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('locked_months',
        json_object('month', OLD.month, 'locked_by', OLD.locked_by, 'locked_at', OLD.locked_at),
        json_object('month', NEW.month, 'locked_by', NEW.locked_by, 'locked_at', NEW.locked_at));
END;
CREATE TRIGGER locked_months_replica_delete AFTER DELETE ON locked_months WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('locked_months',
        json_object('month', OLD.month, 'locked_by', OLD.locked_by, 'locked_at', OLD.locked_at), NULL);
END;
CREATE TRIGGER settings_replica_insert AFTER INSERT ON settings WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('settings', NULL,
        json_object('key', NEW.key, 'value', NEW.value));
END;
CREATE TRIGGER settings_replica_update AFTER UPDATE ON settings WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('settings',
        json_object('key', OLD.key, 'value', OLD.value),
        json_object('key', NEW.key, 'value', NEW.value));
END;
CREATE TRIGGER settings_replica_delete AFTER DELETE ON settings WHEN (SELECT applying FROM replica WHERE id = 1) = 0
BEGIN
    INSERT INTO row_changes (entity, old, new) VALUES ('settings',
        json_object('key', OLD.key, 'value', OLD.value), NULL);
END;
