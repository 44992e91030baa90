#!/usr/bin/env bash
# First-start initialisation of the `db` service (official postgres image).
#
# The image runs the scripts of /docker-entrypoint-initdb.d once, when the data
# volume is empty, as the superuser $POSTGRES_USER. This one creates:
#
#   role $CKAN_DB_USER              owner of database $CKAN_DB_NAME (CKAN's tables)
#   role $DATASTORE_WRITE_USER      owner of database $DATASTORE_DB_NAME
#                                   (the DataStore; CKAN and xloader write with it)
#   role $DATASTORE_READONLY_USER   may only connect to $DATASTORE_DB_NAME; its
#                                   SELECT rights are granted by
#                                   `ckan datastore set-permissions` (docker/README.md)
#
# Nobody else may connect to either database (CONNECT is revoked from PUBLIC),
# so the read-only DataStore user cannot read CKAN's tables (user accounts,
# API token ids, ...).
#
# Both databases use the ICU collation $POSTGRES_ICU_LOCALE (default pl-PL), so
# that DataStore tables sort Polish text correctly (ą after a, ł after l, ...).
# Set it to an empty value to keep the cluster's default collation.
#
# Changing the variables later has no effect on an existing volume: rename or
# re-password roles with ALTER ROLE, or start from an empty volume.

bdom_init() (
  set -euo pipefail
  die() { echo "bdom-init: ERROR: $*" >&2; exit 1; }

  need_secret() {
    local name=$1 value=${!1:-}
    case "$value" in
      "") die "$name is empty: set it in docker/.env before the first start" ;;
      change-me*|changeme*) die "$name is still the placeholder '$value': set it in docker/.env" ;;
    esac
    [[ $value =~ ^[A-Za-z0-9._~-]+$ ]] || die "$name may contain only letters, digits and . _ ~ -"
  }
  need_name() {
    [[ ${!1} =~ ^[a-z_][a-z0-9_]*$ ]] || die "$1='${!1}' must be a lower-case SQL identifier"
  }

  : "${CKAN_DB_NAME:=ckan}" "${CKAN_DB_USER:=ckan}"
  : "${DATASTORE_DB_NAME:=datastore}" "${DATASTORE_WRITE_USER:=datastore_write}"
  : "${DATASTORE_READONLY_USER:=datastore_ro}"
  : "${POSTGRES_ICU_LOCALE=pl-PL}"
  for v in CKAN_DB_NAME CKAN_DB_USER DATASTORE_DB_NAME DATASTORE_WRITE_USER DATASTORE_READONLY_USER; do
    need_name "$v"
  done
  for v in CKAN_DB_PASSWORD DATASTORE_WRITE_PASSWORD DATASTORE_READONLY_PASSWORD; do
    need_secret "$v"
  done
  [[ $POSTGRES_ICU_LOCALE =~ ^[A-Za-z0-9_@=-]*$ ]] || die "POSTGRES_ICU_LOCALE='$POSTGRES_ICU_LOCALE' is not a locale name"

  local collation=""
  if [[ -n $POSTGRES_ICU_LOCALE ]]; then
    collation="LOCALE_PROVIDER icu ICU_LOCALE '$POSTGRES_ICU_LOCALE'"
  fi

  echo "bdom-init: creating $CKAN_DB_NAME (owner $CKAN_DB_USER), $DATASTORE_DB_NAME" \
       "(owner $DATASTORE_WRITE_USER, reader $DATASTORE_READONLY_USER)"

  # psql variables (:"name" quotes an identifier, :'name' a literal) keep the
  # values out of the SQL text. CREATE DATABASE cannot take them inside a DO
  # block, hence plain statements: this runs once, on an empty cluster.
  psql --no-psqlrc -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" \
    --dbname "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" \
    -v ckan_db="$CKAN_DB_NAME" -v ckan_user="$CKAN_DB_USER" \
    -v ckan_password="$CKAN_DB_PASSWORD" \
    -v ds_db="$DATASTORE_DB_NAME" -v ds_write_user="$DATASTORE_WRITE_USER" \
    -v ds_write_password="$DATASTORE_WRITE_PASSWORD" \
    -v ds_read_user="$DATASTORE_READONLY_USER" \
    -v ds_read_password="$DATASTORE_READONLY_PASSWORD" \
    -v collation="$collation" <<'SQL'
CREATE ROLE :"ckan_user" LOGIN PASSWORD :'ckan_password';
CREATE ROLE :"ds_write_user" LOGIN PASSWORD :'ds_write_password';
CREATE ROLE :"ds_read_user" LOGIN PASSWORD :'ds_read_password';

CREATE DATABASE :"ckan_db" OWNER :"ckan_user" ENCODING 'UTF8' TEMPLATE template0 :collation;
CREATE DATABASE :"ds_db" OWNER :"ds_write_user" ENCODING 'UTF8' TEMPLATE template0 :collation;

-- Only the owners (and the DataStore reader, for its database) may connect.
REVOKE ALL ON DATABASE :"ckan_db" FROM PUBLIC;
REVOKE ALL ON DATABASE :"ds_db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"ds_db" TO :"ds_read_user";

-- Inside the DataStore database: nobody but its owner creates objects in
-- schema public (PostgreSQL 15+ already revokes CREATE from PUBLIC; this also
-- covers older servers). The reader's USAGE and SELECT grants, and the default
-- privileges for new tables, come from `ckan datastore set-permissions`.
\connect :"ds_db"
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
  echo "bdom-init: done"
)

bdom_init || exit 1
