# Shared helpers of hostpanel-test/app (sourced by its scripts).
: "${APP_VERSION:?APP_VERSION is not set}"
: "${DB_HOST:?DB_HOST is required}"
: "${DB_USER:?DB_USER is required}"
: "${DB_PASSWORD:?DB_PASSWORD is required}"
export PGHOST="$DB_HOST" PGPORT="${DB_PORT:-5432}" PGUSER="$DB_USER" \
    PGPASSWORD="$DB_PASSWORD" PGDATABASE="${DB_NAME:-$DB_USER}" \
    PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-3}" PGAPPNAME="hostpanel-test-app-$APP_VERSION"
BB=/bin/busybox
TAB=$(printf '\t')
MIGRATION_STATUS=/run/app/migration-status

sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# Prints the schema version of the database (0 when no migration ran yet).
schema_version() {
    exists=$(sql -c "SELECT to_regclass('public.schema_version') IS NOT NULL") || return 1
    if [ "$exists" = t ]; then
        sql -c "SELECT coalesce(max(version), 0) FROM schema_version"
    else
        echo 0
    fi
}
