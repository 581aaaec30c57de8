-- Version 2 changes existing data: every note gets a title (its former body) and its
-- body is rewritten with a "[v2] " prefix. Version 1 cannot read this back faithfully,
-- so a rollback to version 1 needs the pre-update backup of the database.
ALTER TABLE notes ADD COLUMN title text;
UPDATE notes SET title = body, body = '[v2] ' || body;
ALTER TABLE notes ALTER COLUMN title SET NOT NULL;
UPDATE schema_version SET version = 2;
