-- 0002: push (docs/sharing-design.md §3 "Push, precisely"). A value the core's rules
-- refuse is answered as its own kind, `ugyldig`, with the core's message; like the other
-- refusals it is stored with its operation, so a resend gets the same answer.
ALTER TABLE operations DROP CONSTRAINT operations_status_check;
ALTER TABLE operations ADD CONSTRAINT operations_status_check
    CHECK (status IN ('applied', 'conflict', 'låst', 'ingen tilgang', 'ugyldig'));
