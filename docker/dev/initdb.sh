#!/usr/bin/env bash
# Create the CKAN and DataStore databases and users, run every migration and
# set the DataStore permissions. Idempotent.
#   initdb.sh CKAN_INI CKAN_DB DATASTORE_DB
# Migrates core and every plugin enabled in CKAN_INI that has migrations.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INI="$1"; CKAN_DB="$2"; DS_DB="$3"
CKAN="${CKAN:-$REPO/.venv/bin/ckan}"
DB_USER="${BDOM_DB_USER:-bdom}"; DB_PASS="${BDOM_DB_PASSWORD:-bdom}"
RO_USER="${BDOM_DS_RO_USER:-bdom_datastore_ro}"; RO_PASS="${BDOM_DS_RO_PASSWORD:-bdom_ro}"

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt "$@"; }

role() {  # role NAME PASSWORD
  if [[ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$1'")" ]]; then
    psql_admin -c "CREATE ROLE \"$1\" LOGIN PASSWORD '$2'"
  fi
}

database() {  # database NAME OWNER
  if [[ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" ]]; then
    psql_admin -c "CREATE DATABASE \"$1\" OWNER \"$2\" ENCODING 'UTF8' TEMPLATE template0"
  fi
}

role "$DB_USER" "$DB_PASS"
role "$RO_USER" "$RO_PASS"
database "$CKAN_DB" "$DB_USER"
database "$DS_DB" "$DB_USER"

# the databases named on the command line are the ones migrated, whatever the ini says
HOST="${BDOM_DB_HOST:-127.0.0.1}"
export CKAN_SQLALCHEMY_URL="postgresql://$DB_USER:$DB_PASS@$HOST/$CKAN_DB"
export CKAN_DATASTORE_WRITE_URL="postgresql://$DB_USER:$DB_PASS@$HOST/$DS_DB"
export CKAN_DATASTORE_READ_URL="postgresql://$RO_USER:$RO_PASS@$HOST/$DS_DB"

# core and every enabled plugin's pending migrations (activity, harvest, ours)
"$CKAN" -c "$INI" db upgrade >/dev/null
"$CKAN" -c "$INI" datastore set-permissions | psql_admin -d "$DS_DB" >/dev/null
echo "[initdb] $CKAN_DB and $DS_DB ready"
