-- 0001: the Målkart server's first schema (docs/sharing-design.md §3).
--
-- Every table of the desktop's SQLite schema (migrations/0001–0003 of the core), with the
-- same names, columns and checks, plus the sync columns of every replicated row:
--   version        nextval('malkart_version') at the row's last change (never goes back)
--   cell_versions  {"field": version}: the version of each cell, the unit of conflict
--   xid            the transaction that last wrote the row (stamped by a trigger on
--                  every insert and update): the change feed (pull)
-- and the server's own tables: users, their units, sessions, operations (idempotent push),
-- deletions (tombstones for pull). SQLite REAL is double precision here (the same f64),
-- times are timestamptz. The schema version lives in malkart_schema (db.rs).

-- One number for every change on the server.
CREATE SEQUENCE malkart_version;

-- {"f1": v, "f2": v, …}: every named cell at version v (a new row, a seed).
CREATE FUNCTION malkart_cells(fields text[], v bigint) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT coalesce(jsonb_object_agg(f, v), '{}'::jsonb) FROM unnest(fields) AS f $$;

CREATE TABLE perspectives (
    key           text PRIMARY KEY,
    name          text NOT NULL,
    sort          integer NOT NULL,
    version       bigint NOT NULL,
    cell_versions jsonb NOT NULL,
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX perspectives_xid ON perspectives (xid);
WITH v AS (SELECT nextval('malkart_version') AS v)
INSERT INTO perspectives (key, name, sort, version, cell_versions)
SELECT p.key, p.name, p.sort, v.v, malkart_cells('{name}', v.v)
FROM v, (VALUES
    ('lokalsamfunn', 'Lokalsamfunn', 1),
    ('brukere', 'Innbyggere og brukere', 2),
    ('organisasjon', 'Organisasjon og medarbeidere', 3),
    ('økonomi', 'Økonomi', 4)) AS p (key, name, sort);

-- The org tree; the parent is checked at commit, so a batch may name a parent further down.
CREATE TABLE units (
    code          text PRIMARY KEY,
    name          text NOT NULL,
    parent        text REFERENCES units (code) DEFERRABLE INITIALLY DEFERRED,
    level         text,
    sort          bigint NOT NULL,
    version       bigint NOT NULL,
    cell_versions jsonb NOT NULL,
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX units_parent ON units (parent);
CREATE INDEX units_xid ON units (xid);

-- Bumped whenever a unit moves (its parent changes): a unit moved into a reader's subtree
-- brings older rows the reader's replica never had, so every limited reader's pull scope
-- changes and their replica is refilled (access.rs). New units need no bump: their rows
-- are new to the feed anyway.
CREATE TABLE tree_epoch (
    id    integer PRIMARY KEY CHECK (id = 1),
    epoch bigint NOT NULL
);
INSERT INTO tree_epoch (id, epoch) VALUES (1, 0);
CREATE FUNCTION malkart_tree_moved() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN
        UPDATE tree_epoch SET epoch = epoch + 1;
        RETURN NULL;
    END $$;
CREATE TRIGGER units_moved AFTER UPDATE OF parent ON units
    FOR EACH ROW WHEN (OLD.parent IS DISTINCT FROM NEW.parent)
    EXECUTE FUNCTION malkart_tree_moved();

CREATE TABLE indicators (
    code          text PRIMARY KEY,
    name          text NOT NULL,
    perspective   text NOT NULL REFERENCES perspectives (key),
    goal          text,
    description   text NOT NULL DEFAULT '',
    source        text NOT NULL DEFAULT '',
    responsible   text NOT NULL DEFAULT '',
    unit_label    text NOT NULL DEFAULT '',
    decimals      integer NOT NULL CHECK (decimals BETWEEN 0 AND 4),
    direction     text NOT NULL CHECK (direction IN ('høy', 'lav')),
    frequency     text NOT NULL CHECK (frequency IN ('måned', 'kvartal', 'tertial', 'halvår', 'år')),
    aggregation   text NOT NULL CHECK (aggregation IN ('sum', 'snitt', 'siste', 'brøk')),
    unit_rollup   text NOT NULL CHECK (unit_rollup IN ('sum', 'snitt', 'ingen')),
    factor        double precision NOT NULL,
    builtin       boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL,
    cell_versions jsonb NOT NULL,
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX indicators_xid ON indicators (xid);

-- A target per (indicator, unit, year); a NULL unit is «alle enheter», the default target.
CREATE TABLE targets (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    indicator     text NOT NULL REFERENCES indicators (code),
    unit          text REFERENCES units (code),
    year          integer NOT NULL,
    target        double precision NOT NULL,
    red_limit     double precision,
    version       bigint NOT NULL,
    cell_versions jsonb NOT NULL,
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id(),
    UNIQUE NULLS NOT DISTINCT (indicator, unit, year)
);
CREATE INDEX targets_unit ON targets (unit);
CREATE INDEX targets_xid ON targets (xid);

-- Months are integer indices (year * 12 + month - 1), as in the core.
CREATE TABLE measurements (
    indicator     text NOT NULL REFERENCES indicators (code),
    span_first    integer NOT NULL,
    unit          text NOT NULL REFERENCES units (code),
    span_last     integer NOT NULL,
    value         double precision,
    numerator     double precision,
    denominator   double precision,
    version       bigint NOT NULL,
    cell_versions jsonb NOT NULL,
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CHECK (span_last >= span_first),
    CHECK ((value IS NOT NULL AND numerator IS NULL AND denominator IS NULL)
        OR (value IS NULL AND numerator IS NOT NULL AND denominator IS NOT NULL)),
    PRIMARY KEY (indicator, span_first, unit)
);
CREATE INDEX measurements_unit ON measurements (unit);
CREATE INDEX measurements_xid ON measurements (xid);

CREATE TABLE sick_leave (
    unit             text NOT NULL REFERENCES units (code),
    month            integer NOT NULL,
    contracted_days  double precision NOT NULL CHECK (contracted_days > 0),
    self_certified   double precision NOT NULL CHECK (self_certified >= 0),
    doctor_certified double precision NOT NULL CHECK (doctor_certified >= 0),
    employees        bigint CHECK (employees >= 0),
    days_1_3         double precision,
    days_4_16        double precision,
    days_17_56       double precision,
    days_over_56     double precision,
    version          bigint NOT NULL,
    cell_versions    jsonb NOT NULL,
    xid              xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CHECK ((days_1_3 IS NULL AND days_4_16 IS NULL AND days_17_56 IS NULL AND days_over_56 IS NULL)
        OR (days_1_3 IS NOT NULL AND days_4_16 IS NOT NULL AND days_17_56 IS NOT NULL AND days_over_56 IS NOT NULL)),
    PRIMARY KEY (month, unit)
);
CREATE INDEX sick_leave_unit ON sick_leave (unit, month);
CREATE INDEX sick_leave_xid ON sick_leave (xid);

-- Amounts in integer øre (net: expenses positive, income negative); NULL: not registered.
CREATE TABLE economy (
    unit          text NOT NULL REFERENCES units (code),
    month         integer NOT NULL,
    budget        bigint,
    actual        bigint,
    forecast      bigint,
    version       bigint NOT NULL,
    cell_versions jsonb NOT NULL,
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (month, unit)
);
CREATE INDEX economy_unit ON economy (unit, month);
CREATE INDEX economy_xid ON economy (xid);

-- A comment is addressed by its uid on every machine (core migration 0003).
CREATE TABLE comments (
    uid           uuid PRIMARY KEY,
    indicator     text NOT NULL REFERENCES indicators (code),
    unit          text NOT NULL REFERENCES units (code),
    period        text NOT NULL,
    author        text NOT NULL,
    text          text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz,
    version       bigint NOT NULL,
    cell_versions jsonb NOT NULL,
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX comments_key ON comments (indicator, unit, period);
CREATE INDEX comments_unit ON comments (unit);
CREATE INDEX comments_xid ON comments (xid);

CREATE TABLE locked_months (
    month         integer PRIMARY KEY,
    locked_by     text NOT NULL,
    locked_at     timestamptz NOT NULL,
    version       bigint NOT NULL,
    cell_versions jsonb NOT NULL,
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX locked_months_xid ON locked_months (xid);

CREATE TABLE settings (
    key           text PRIMARY KEY,
    value         text NOT NULL,
    version       bigint NOT NULL,
    cell_versions jsonb NOT NULL,
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX settings_xid ON settings (xid);
WITH v AS (SELECT nextval('malkart_version') AS v)
INSERT INTO settings (key, value, version, cell_versions)
SELECT 'min_employees', '5', v.v, malkart_cells('{value}', v.v) FROM v;

-- The built-in indicators, as the core's migration 0002 seeds them.
WITH v AS (SELECT nextval('malkart_version') AS v)
INSERT INTO indicators (code, name, perspective, goal, description, source, responsible,
    unit_label, decimals, direction, frequency, aggregation, unit_rollup, factor, builtin,
    version, cell_versions)
SELECT i.*, true, v.v, malkart_cells('{name,perspective,goal,description,source,responsible,unit_label,decimals,direction,frequency,aggregation,unit_rollup,factor}', v.v)
FROM v, (VALUES
    ('SF', 'Sykefravær totalt', 'organisasjon', 'Sykefravær',
     '100 × (egenmeldt + legemeldt) / avtalte dagsverk; tellere og nevnere summeres over måneder og enheter før brøken',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100.0),
    ('SF-E', 'Egenmeldt sykefravær', 'organisasjon', 'Sykefravær',
     '100 × egenmeldte fraværsdagsverk / avtalte dagsverk',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100.0),
    ('SF-L', 'Legemeldt sykefravær', 'organisasjon', 'Sykefravær',
     '100 × legemeldte fraværsdagsverk (gradert) / avtalte dagsverk',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100.0),
    ('SF-KORT', 'Korttidsfravær (1–16 dager)', 'organisasjon', 'Sykefravær',
     '100 × (dager 1–3 + dager 4–16) / avtalte dagsverk, bare over rader med fordeling på lengde',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100.0),
    ('SF-LANG', 'Langtidsfravær (over 16 dager)', 'organisasjon', 'Sykefravær',
     '100 × (dager 17–56 + dager over 56) / avtalte dagsverk, bare over rader med fordeling på lengde',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100.0),
    ('SF-N', 'Nærvær', 'organisasjon', 'Sykefravær',
     '100 × (avtalte dagsverk − egenmeldt − legemeldt) / avtalte dagsverk',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'høy', 'måned', 'brøk', 'sum', 100.0),
    ('OK-AVVIK', 'Avvik fra periodisert budsjett', 'økonomi', 'Økonomi i balanse',
     '100 × Σ(budsjett − regnskap) / |Σ budsjett| over månedene som har regnskap; positivt er mindreforbruk',
     'Regnskap og budsjett', 'Økonomisjef', '%', 1, 'høy', 'måned', 'brøk', 'sum', 100.0),
    ('OK-FORBRUK', 'Forbruksprosent', 'økonomi', 'Økonomi i balanse',
     '100 × Σ regnskap i perioden / årsbudsjettet for periodens år',
     'Regnskap og budsjett', 'Økonomisjef', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100.0),
    ('OK-PROGNOSE', 'Prognostisert avvik ved årsslutt', 'økonomi', 'Økonomi i balanse',
     '100 × (årsbudsjett − prognose) / |årsbudsjett| per periodens siste måned; enheter uten prognose regnes som i balanse',
     'Prognoser fra enhetene', 'Økonomisjef', '%', 1, 'høy', 'måned', 'brøk', 'sum', 100.0))
    AS i (code, name, perspective, goal, description, source, responsible, unit_label,
          decimals, direction, frequency, aggregation, unit_rollup, factor);

-- Every write stamps the row with its transaction, whatever the code that wrote it forgot:
-- the change feed cannot miss an UPDATE that did not set `xid`.
CREATE FUNCTION malkart_stamp_xid() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN
        NEW.xid := pg_current_xact_id();
        RETURN NEW;
    END $$;
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['perspectives', 'units', 'indicators', 'targets', 'measurements',
                             'sick_leave', 'economy', 'comments', 'locked_months', 'settings']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %I FOR EACH ROW
                        EXECUTE FUNCTION malkart_stamp_xid()', t || '_stamp_xid', t);
    END LOOP;
END $$;

-- Tombstones: a deleted row (a comment, an unlocked month) reaches replicas through pull.
CREATE TABLE deletions (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity  text NOT NULL,
    key     jsonb NOT NULL,
    version bigint NOT NULL,
    xid     xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX deletions_xid ON deletions (xid);

-- Accounts (sharing.md §2). The password hash is an Argon2id PHC string; no route reads it.
CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    role            text NOT NULL CHECK (role IN ('leser', 'enhetsleder', 'økonom', 'administrator')),
    password_hash   text NOT NULL,
    disabled        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL
);

-- Wrong passwords in a row per name typed at login — existing or not, so the throttle does
-- not tell which names exist — and until when further logins are refused (sessions.rs).
CREATE TABLE login_throttle (
    name            text PRIMARY KEY,
    failed_logins   integer NOT NULL,
    throttled_until timestamptz,
    last_failed_at  timestamptz NOT NULL
);

-- The units given to a `leser` or `enhetsleder` (with their subtrees).
CREATE TABLE user_units (
    user_id bigint NOT NULL REFERENCES users (id),
    unit    text NOT NULL REFERENCES units (code),
    PRIMARY KEY (user_id, unit)
);

-- A session token is stored only as its SHA-256.
CREATE TABLE sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    token_hash   bytea NOT NULL UNIQUE,
    device       text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Every pushed operation, by its id: a resend finds its row and gets the same answer.
CREATE TABLE operations (
    op_id           uuid PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id),
    session_id      bigint REFERENCES sessions (id),
    device          text NOT NULL,
    batch           uuid NOT NULL,
    seq_in_batch    integer NOT NULL,
    entity          text NOT NULL,
    key             jsonb NOT NULL,
    field           text NOT NULL,
    base_version    bigint,
    base_value      jsonb,
    new_value       jsonb,
    received_at     timestamptz NOT NULL,
    status          text NOT NULL CHECK (status IN ('applied', 'conflict', 'låst', 'ingen tilgang')),
    applied_version bigint,
    result          jsonb
);
CREATE INDEX operations_batch ON operations (batch, seq_in_batch);
-- A conflict names who changed the cell and when: the operation that wrote its version.
CREATE INDEX operations_applied_version ON operations (applied_version);

-- The audit log, as the core's (one batch per write transaction, one entry per changed
-- row or cell) with who (`user_id`), from which desktop (`device`), and the operation id.
-- `user_name` is the core's `user` (a reserved word in PostgreSQL); an entry's position in
-- its batch (the core's `first_entry`) is counted when read. Append-only: see below.
CREATE TABLE audit_batches (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid         uuid NOT NULL UNIQUE,
    at          timestamptz NOT NULL,
    user_name   text NOT NULL,
    user_id     bigint,
    device      text,
    source      text NOT NULL
);

CREATE TABLE audit (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch     bigint NOT NULL REFERENCES audit_batches (id),
    entity    text NOT NULL,
    key       text,
    indicator text,
    unit      text,
    period    text,
    old       text,
    new       text,
    reason    text,
    op_id     uuid,
    -- a conflict's resolution names the operation it resolves
    resolves  uuid
);
CREATE INDEX audit_batch ON audit (batch);

-- Append-only, second guard: refused even for the owner (the first guard is the grants).
CREATE FUNCTION malkart_audit_is_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN
        RAISE EXCEPTION 'revisjonsloggen kan bare utvides, ikke endres eller slettes'
            USING ERRCODE = 'insufficient_privilege';
    END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION malkart_audit_is_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION malkart_audit_is_append_only();
CREATE TRIGGER audit_batches_append_only BEFORE UPDATE OR DELETE ON audit_batches
    FOR EACH ROW EXECUTE FUNCTION malkart_audit_is_append_only();
CREATE TRIGGER audit_batches_no_truncate BEFORE TRUNCATE ON audit_batches
    FOR EACH STATEMENT EXECUTE FUNCTION malkart_audit_is_append_only();

-- The role the server runs as is a member of `malkart_app` (roles are per cluster, so it
-- may exist from another Målkart database). It may read and write the data, and only
-- append to the audit log.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'malkart_app') THEN
        CREATE ROLE malkart_app NOLOGIN;
    END IF;
END $$;
GRANT USAGE ON SCHEMA public TO malkart_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON perspectives, units, indicators, targets,
    measurements, sick_leave, economy, comments, locked_months, settings, deletions, users,
    user_units, login_throttle, sessions, operations TO malkart_app;
GRANT SELECT, INSERT ON audit TO malkart_app;
GRANT SELECT, INSERT ON audit_batches TO malkart_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO malkart_app;
GRANT SELECT ON malkart_schema TO malkart_app;
GRANT SELECT, UPDATE ON tree_epoch TO malkart_app;
