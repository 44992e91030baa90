#!/usr/bin/env bash
# Command of the `ckan` service: bring the database schema up to date, then
# serve CKAN with uWSGI on port 5000 (HTTP; TLS is the reverse proxy's job).
set -euo pipefail

log() { echo "[bdom-web] $*" >&2; }

if [[ ${BDOM_AUTO_MIGRATE:-true} == true ]]; then
  # `ckan db upgrade` creates or upgrades CKAN's tables and then applies the
  # pending migrations of every enabled plugin (activity, harvest, ...), the
  # same as `ckan db pending-migrations --apply`. Only this service migrates:
  # the workers start once it is healthy. With several web containers, set
  # BDOM_AUTO_MIGRATE=false and run the migration once by hand.
  log "migrating the database"
  ckan -c "$CKAN_INI" db upgrade
fi

# uWSGI also reads UWSGI_* variables as options; the base image sets
# UWSGI_HARAKIRI. Everything is passed explicitly below instead.
unset UWSGI_HARAKIRI

log "starting uWSGI with ${WEB_PROCESSES:-4} processes"
exec uwsgi \
  --http 0.0.0.0:5000 \
  --wsgi-file /srv/app/bdom/wsgi.py \
  --callable application \
  --need-app \
  --master \
  --lazy-apps \
  --enable-threads \
  --processes "${WEB_PROCESSES:-4}" \
  --harakiri "${WEB_HARAKIRI:-60}" \
  --http-timeout "${WEB_HARAKIRI:-60}" \
  --max-requests "${WEB_MAX_REQUESTS:-5000}" \
  --buffer-size 32768 \
  --post-buffering 65536 \
  --die-on-term \
  --vacuum \
  --disable-logging \
  --ignore-sigpipe \
  --ignore-write-errors \
  --disable-write-exception
