-- Version 1: the notes table and the schema version.
CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);
CREATE TABLE schema_version (version integer NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
