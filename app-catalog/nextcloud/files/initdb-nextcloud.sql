-- Runs once, when the database volume is created.
-- Nextcloud gets its own role WITHOUT superuser or CREATEROLE rights: given a superuser, its
-- installer creates an extra role ("oc_admin") with a random password and writes that role into
-- config.php, so a backup restored onto a fresh database server could no longer log in.
CREATE ROLE nextcloud LOGIN PASSWORD '${secrets.db_password}';
CREATE DATABASE nextcloud OWNER nextcloud ENCODING 'UTF8' TEMPLATE template0;
