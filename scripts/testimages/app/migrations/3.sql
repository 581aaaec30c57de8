-- Version 3 ships a broken migration: it refers to a column that does not exist, so
-- the transaction fails and is rolled back (the database stays at version 2), and the
-- app's health check fails.
ALTER TABLE notes ADD COLUMN created_at timestamptz;
UPDATE notes SET created_at = published_at;
UPDATE schema_version SET version = 3;
