#!/usr/bin/env bash
# Entrypoint of every container built from docker/Dockerfile (web, job worker,
# harvest consumers, scheduler). It prepares the environment that
# /srv/app/ckan.ini (config/ckan.ini) reads through %(CKAN_...)s, then runs the
# container's command ("$@").
#
#  * assembles CKAN_SQLALCHEMY_URL, CKAN_DATASTORE_WRITE_URL and
#    CKAN_DATASTORE_READ_URL from the user/password variables of docker/.env,
#    unless the URL itself is given (an external database);
#  * refuses to start when a secret is missing or still a change-me
#    placeholder, or contains characters that would break a URL or CKAN's ini
#    interpolation;
#  * gives the optional variables their defaults; those of the ckanext.bdom.*
#    options come from the installed plugin's config_declaration.yaml, so they
#    never drift from the plugin.
set -euo pipefail

log() { echo "[bdom-entrypoint] $*" >&2; }
die() { log "ERROR: $*"; exit 64; }

# Letters, digits and URL-unreserved punctuation: safe inside
# postgresql://user:password@host/db and in CKAN's %-interpolating ini parser.
SAFE_VALUE='^[A-Za-z0-9._~-]+$'
SQL_NAME='^[a-z_][a-z0-9_]*$'

require_secret() {  # require_secret VAR
  local name=$1 value=${!1:-}
  case "$value" in
    "") die "$name is empty: set it in docker/.env (docker/init-env.sh generates all of them)" ;;
    change-me*|changeme*) die "$name is still the placeholder '$value': set a real value in docker/.env" ;;
  esac
  [[ $value =~ $SAFE_VALUE ]] \
    || die "$name may contain only letters, digits and . _ ~ - (it is used in URLs and in ckan.ini)"
}

require_name() {  # require_name VAR DEFAULT -> exports VAR (a PostgreSQL identifier)
  local name=$1 value=${!1:-$2}
  [[ $value =~ $SQL_NAME ]] || die "$name='$value' must be a lower-case SQL identifier"
  export "$name=$value"
}

# -- databases ---------------------------------------------------------------
DB_HOST=${DB_HOST:-db}
DB_PORT=${DB_PORT:-5432}
require_name CKAN_DB_NAME ckan
require_name CKAN_DB_USER ckan
require_name DATASTORE_DB_NAME datastore
require_name DATASTORE_WRITE_USER datastore_write
require_name DATASTORE_READONLY_USER datastore_ro

if [[ -z ${CKAN_SQLALCHEMY_URL:-} ]]; then
  require_secret CKAN_DB_PASSWORD
  export CKAN_SQLALCHEMY_URL="postgresql://${CKAN_DB_USER}:${CKAN_DB_PASSWORD}@${DB_HOST}:${DB_PORT}/${CKAN_DB_NAME}"
fi
if [[ -z ${CKAN_DATASTORE_WRITE_URL:-} ]]; then
  require_secret DATASTORE_WRITE_PASSWORD
  export CKAN_DATASTORE_WRITE_URL="postgresql://${DATASTORE_WRITE_USER}:${DATASTORE_WRITE_PASSWORD}@${DB_HOST}:${DB_PORT}/${DATASTORE_DB_NAME}"
fi
if [[ -z ${CKAN_DATASTORE_READ_URL:-} ]]; then
  require_secret DATASTORE_READONLY_PASSWORD
  export CKAN_DATASTORE_READ_URL="postgresql://${DATASTORE_READONLY_USER}:${DATASTORE_READONLY_PASSWORD}@${DB_HOST}:${DB_PORT}/${DATASTORE_DB_NAME}"
fi
# The passwords now live in the URLs only. (Every CKAN_* variable also becomes
# a key of CKAN's config object, so do not leave copies lying around.)
unset CKAN_DB_PASSWORD DATASTORE_WRITE_PASSWORD DATASTORE_READONLY_PASSWORD
for url in CKAN_SQLALCHEMY_URL CKAN_DATASTORE_WRITE_URL CKAN_DATASTORE_READ_URL; do
  [[ ${!url} != *%* ]] || die "$url must not contain '%' (CKAN's ini parser would read it as interpolation)"
done

# -- other services ----------------------------------------------------------
export CKAN_SOLR_URL=${CKAN_SOLR_URL:-http://solr:8983/solr/ckan}
export CKAN_REDIS_URL=${CKAN_REDIS_URL:-redis://redis:6379/0}

# -- site --------------------------------------------------------------------
export CKAN_SITE_URL=${CKAN_SITE_URL:-http://localhost:5000}
[[ $CKAN_SITE_URL =~ ^https?://[^/]+$ ]] \
  || die "CKAN_SITE_URL='$CKAN_SITE_URL' must be scheme://host[:port], without a path or trailing slash"
export CKAN_SITE_ID=${CKAN_SITE_ID:-bdom}
export CKAN_SITE_TITLE=${CKAN_SITE_TITLE:-Bank Danych o Mieście}
export CKAN_STORAGE_PATH=${CKAN_STORAGE_PATH:-/var/lib/ckan}
if [[ -z ${CKAN_SESSION_COOKIE_SECURE:-} ]]; then
  if [[ $CKAN_SITE_URL == https://* ]]; then
    CKAN_SESSION_COOKIE_SECURE=true
  else
    CKAN_SESSION_COOKIE_SECURE=false
  fi
fi
export CKAN_SESSION_COOKIE_SECURE

# -- keys and tokens ---------------------------------------------------------
require_secret CKAN_SECRET_KEY
if [[ -z ${CKAN_JWT_SECRET:-} ]]; then
  export CKAN_JWT_SECRET=$CKAN_SECRET_KEY
else
  require_secret CKAN_JWT_SECRET
fi
if [[ -z ${CKAN_XLOADER_API_TOKEN:-} || ${CKAN_XLOADER_API_TOKEN} == NOT_SET ]]; then
  # xloader's own "unset" marker: the portal runs, loading into the DataStore
  # fails with "please provide valid api token" until the token is set.
  export CKAN_XLOADER_API_TOKEN=NOT_SET
  [[ ${1:-} != */start-web.sh ]] || log "CKAN_XLOADER_API_TOKEN is not set yet: see docker/README.md, step 5"
else
  [[ $CKAN_XLOADER_API_TOKEN =~ $SAFE_VALUE ]] || die "CKAN_XLOADER_API_TOKEN does not look like an API token"
fi
export CKAN_XLOADER_SITE_URL=${CKAN_XLOADER_SITE_URL:-http://ckan:5000}

# -- ckanext.bdom.* ----------------------------------------------------------
# ckanext.bdom.<key> is read from CKAN_BDOM_<KEY>; an unset or empty variable
# takes the default declared by the plugin.
bdom_defaults=$(python3 - <<'PY'
import os
import shlex
from importlib import resources

import yaml

text = (resources.files("ckanext.bdom") / "config_declaration.yaml").read_text("utf-8")
for group in yaml.safe_load(text).get("groups", []):
    for option in group.get("options", []):
        key = option["key"]
        if not key.startswith("ckanext.bdom."):
            continue
        var = "CKAN_BDOM_" + key[len("ckanext.bdom."):].upper().replace(".", "__")
        if not os.environ.get(var):
            default = option.get("default")
            print(f"export {var}={shlex.quote('' if default is None else str(default))}")
PY
) || die "could not read the defaults of ckanext.bdom (is the package installed?)"
eval "$bdom_defaults"
for var in $(compgen -e); do
  if [[ $var == CKAN_* && ${!var} == *%* ]]; then
    die "$var must not contain '%' (CKAN's ini parser would read it as interpolation)"
  fi
done

exec "$@"
