#!/bin/sh
# Creates the application's database role when the postgres container initialises an empty data
# directory (the official image runs /docker-entrypoint-initdb.d/* once, as POSTGRES_USER, the owner).
# The role logs in and owns nothing; the `migrate` service grants it the rows of every table
# (manage.py db_grant_app_role thidua_app). An existing server: README, "Vai trò cơ sở dữ liệu".
set -eu

# The password from a file (a Docker secret, as the compose file gives it) or the variable itself.
if [ -n "${POSTGRES_APP_PASSWORD_FILE:-}" ]; then
    POSTGRES_APP_PASSWORD="$(cat "$POSTGRES_APP_PASSWORD_FILE")"
fi
: "${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD or POSTGRES_APP_PASSWORD_FILE}"

# psql sends the password as a quoted literal (:'app_password'), so no character of it is read as SQL.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set app_password="$POSTGRES_APP_PASSWORD" <<'SQL'
CREATE ROLE thidua_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'app_password';
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
