-- Stable ids that can cross machines (sync, sharing.md): every row can be addressed on
-- another machine. Tables with a natural key keep it (units, indicators, perspectives,
-- measurements, targets, sick_leave, economy, locked_months, settings); the rows without
-- one get a UUID: each comment, and each audit batch (one write transaction) — an audit
-- entry is then `<batch uid>/<its position in the batch>`, without 36 bytes more on each
-- of the million entries a large import writes. New rows get a time-ordered UUID v7 from
-- Målkart; the rows that exist already get a random one (version 4) here.

ALTER TABLE comments ADD COLUMN uid TEXT;
UPDATE comments SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2)))
    || '-4' || substr(lower(hex(randomblob(2))), 2)
    || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2)
    || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX comments_uid ON comments (uid);

ALTER TABLE audit_batches ADD COLUMN uid TEXT;
-- The id of the batch's first entry: an entry's position is `id - first_entry + 1`.
ALTER TABLE audit_batches ADD COLUMN first_entry INTEGER;
UPDATE audit_batches SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2)))
    || '-4' || substr(lower(hex(randomblob(2))), 2)
    || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2)
    || '-' || lower(hex(randomblob(6)));
UPDATE audit_batches SET first_entry = f.first
    FROM (SELECT batch, MIN(id) AS first FROM audit GROUP BY batch) AS f
    WHERE f.batch = audit_batches.id;
CREATE UNIQUE INDEX audit_batches_uid ON audit_batches (uid);
