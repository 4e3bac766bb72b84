-- 0003: tiltak (tiltak.md) and their status comments, replicated like every other row
-- (docs/sharing-design.md §9). A tiltak is keyed by its code and read by its unit; a status
-- comment is keyed by its uid and read by its tiltak's unit (pull joins). Months are `YYYY-MM` text, the cost whole
-- øre, the linked indicators one JSON array as text (one cell).
CREATE TABLE actions (
    code           text PRIMARY KEY,
    title          text NOT NULL,
    description    text,
    goal           text NOT NULL,
    success_factor text,
    unit           text NOT NULL REFERENCES units (code),
    responsible    text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('tiltak', 'oppdrag', 'investering')),
    decision_ref   text,
    start          text,
    deadline       text,
    status         text NOT NULL
        CHECK (status IN ('ikke_startet', 'pagar', 'fullfort', 'utsatt', 'avbrutt')),
    progress       bigint NOT NULL CHECK (progress BETWEEN 0 AND 100),
    cost_ore       bigint,
    indicators     text NOT NULL DEFAULT '[]',
    version        bigint NOT NULL,
    cell_versions  jsonb NOT NULL,
    xid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CHECK (status <> 'fullfort' OR progress = 100),
    CHECK (deadline IS NULL OR start IS NULL OR deadline >= start)
);
CREATE INDEX actions_unit ON actions (unit);
CREATE INDEX actions_xid ON actions (xid);

CREATE TABLE action_comments (
    uid           uuid PRIMARY KEY,
    action        text NOT NULL REFERENCES actions (code),
    period        text NOT NULL,
    author        text NOT NULL,
    text          text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz,
    version       bigint NOT NULL,
    cell_versions jsonb NOT NULL,
    xid           xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX action_comments_action ON action_comments (action, period);
CREATE INDEX action_comments_xid ON action_comments (xid);

CREATE TRIGGER actions_stamp_xid BEFORE INSERT OR UPDATE ON actions FOR EACH ROW
    EXECUTE FUNCTION malkart_stamp_xid();
CREATE TRIGGER action_comments_stamp_xid BEFORE INSERT OR UPDATE ON action_comments FOR EACH ROW
    EXECUTE FUNCTION malkart_stamp_xid();

GRANT SELECT, INSERT, UPDATE, DELETE ON actions, action_comments TO malkart_app;
