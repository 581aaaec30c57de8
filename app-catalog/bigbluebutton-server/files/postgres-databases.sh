#!/bin/sh
# Creates each database named in POSTGRES_MULTIPLE_DATABASES (comma-separated)
# on the first start of an empty data directory.
set -eu
for database in $(echo "$POSTGRES_MULTIPLE_DATABASES" | tr ',' ' '); do
    echo "Creating database $database"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -c "CREATE DATABASE \"$database\";"
done
