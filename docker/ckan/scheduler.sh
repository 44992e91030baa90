#!/usr/bin/env bash
# Command of the `scheduler` service: CKAN's periodic tasks, without cron.
#
# Every SCHEDULER_INTERVAL seconds (default 300) it runs each command of
# SCHEDULER_COMMANDS, and once a day each command of SCHEDULER_DAILY_COMMANDS.
# Commands are `ckan` sub-commands separated by ";", for example
#   SCHEDULER_COMMANDS="harvester run"
#   SCHEDULER_DAILY_COMMANDS="harvester clean-harvest-log; bdom <task>"
# `ckan harvester run` starts the jobs of harvest sources that are due (their
# frequency is set per source) and closes finished ones; the gather and fetch
# consumers do the work.
#
# A failing command is logged and retried next round; it does not stop the
# loop. After each round the file $SCHEDULER_HEARTBEAT is touched, which the
# container's health check watches.
set -uo pipefail

interval=${SCHEDULER_INTERVAL:-300}
commands=${SCHEDULER_COMMANDS-harvester run}
daily_commands=${SCHEDULER_DAILY_COMMANDS-harvester clean-harvest-log}
heartbeat=${SCHEDULER_HEARTBEAT:-/tmp/bdom-scheduler.heartbeat}

[[ $interval =~ ^[1-9][0-9]*$ ]] || { echo "SCHEDULER_INTERVAL must be a number of seconds" >&2; exit 64; }

log() { echo "[bdom-scheduler] $(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >&2; }

run_all() {  # run_all "cmd1; cmd2"
  local cmd
  local -a words
  IFS=';' read -r -a cmds <<<"$1"
  for cmd in "${cmds[@]}"; do
    read -r -a words <<<"$cmd"
    ((${#words[@]})) || continue
    log "ckan ${words[*]}"
    ckan -c "$CKAN_INI" "${words[@]}" || log "FAILED (exit $?): ckan ${words[*]}"
  done
}

stop() { log "stopping"; exit 0; }
trap stop TERM INT

log "every ${interval}s: ${commands:-nothing}; daily: ${daily_commands:-nothing}"
last_daily=0
while true; do
  run_all "$commands"
  now=$(date +%s)
  if ((now - last_daily >= 86400)); then
    run_all "$daily_commands"
    last_daily=$now
  fi
  touch "$heartbeat"
  sleep "$interval" &
  wait $!
done
