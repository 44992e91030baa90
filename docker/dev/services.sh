#!/usr/bin/env bash
# Local PostgreSQL, Redis and Solr for development and tests (no Docker engine).
#   services.sh install   install PostgreSQL and Redis from Debian when missing
#   services.sh start     start whichever is not answering; remember what we started
#   services.sh stop      stop exactly what `start` started (by process id)
#   services.sh status
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${BDOM_DATA:-$REPO/.data}"
RUN="$DATA/run"
# What `start` started, as lines "<service> <pid>"; `stop` stops exactly those.
# The portal supervisor passes its own file, so `make down` never stops
# services that were already running before `make up`.
STARTED="${BDOM_SERVICES_STARTED:-$RUN/services.started}"
REDIS_PORT="${REDIS_PORT:-6379}"
mkdir -p "$RUN" "$DATA/redis"

log() { printf '[services] %s\n' "$*"; }

install() {
  local missing=()
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v curl >/dev/null || missing+=(curl)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q "${missing[@]}" >/dev/null
  fi
}

pg_cluster() {  # prints "<version> <name>" of the first cluster, creating one if none
  local line
  line="$(pg_lsclusters --no-header 2>/dev/null | head -n1 || true)"
  if [[ -z "$line" ]]; then
    local version
    version="$(ls /usr/lib/postgresql | sort -n | tail -n1)"
    pg_createcluster "$version" main >/dev/null
    line="$(pg_lsclusters --no-header | head -n1)"
  fi
  awk '{print $1, $2}' <<<"$line"
}

remember() { echo "$1 $2" >>"$STARTED"; }

start_postgres() {
  if pg_isready -q -h 127.0.0.1; then return; fi
  read -r version name < <(pg_cluster)
  log "starting PostgreSQL $version/$name"
  pg_ctlcluster "$version" "$name" start
  for _ in $(seq 60); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
  pg_isready -q -h 127.0.0.1 || { log "PostgreSQL did not start"; exit 1; }
  remember postgres "$(head -n1 "/var/lib/postgresql/$version/$name/postmaster.pid")"
}

start_redis() {
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then return; fi
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$RUN/redis.pid" --dir "$DATA/redis" --save "" --appendonly no \
    --logfile "$DATA/redis/redis.log"
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  remember redis "$(cat "$RUN/redis.pid")"
}

start_solr() {
  if "$REPO/docker/solr/solr.sh" status >/dev/null 2>&1; then return; fi
  log "starting Solr"
  "$REPO/docker/solr/solr.sh" start
  remember solr "$(cat "$REPO/.solr/solr.pid")"
}

stop() {
  [[ -f "$STARTED" ]] || { log "nothing to stop"; return; }
  tac "$STARTED" | while read -r service pid; do
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping $service (pid $pid)"
      kill -TERM "$pid"
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
  rm -f "$STARTED"
}

status() {
  pg_isready -h 127.0.0.1 || true
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>&1 | sed 's/^/redis: /' || true
  "$REPO/docker/solr/solr.sh" status || true
}

case "${1:-}" in
  install) install ;;
  start) install; start_postgres; start_redis; start_solr ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
