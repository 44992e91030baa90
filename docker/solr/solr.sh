#!/usr/bin/env bash
# A local Apache Solr 9 for CKAN (development, tests, single-machine demos), run from Maven jars.
#
#   docker/solr/solr.sh fetch    resolve the Solr jars into $SOLR_LIB and compile the launcher (once)
#   docker/solr/solr.sh start    start in the background; returns once every core answers
#   docker/solr/solr.sh run      start in the foreground (for a supervisor; Ctrl-C / SIGTERM stops)
#   docker/solr/solr.sh stop     stop the Solr recorded in the pid file
#   docker/solr/solr.sh status   exit 0 if every core answers
#
# CKAN: solr_url = http://127.0.0.1:8983/solr/ckan (tests: .../solr/ckan_test)
# Settings (environment): SOLR_PORT (8983), SOLR_CORES ("ckan ckan_test"), SOLR_HOME
# ($REPO/.solr/home), SOLR_LIB ($REPO/.solr/lib), SOLR_HEAP (512m), SOLR_SOFT_COMMIT_MS (1000;
# -1 = off), SOLR_START_TIMEOUT (120 s), SOLR_JAVA_OPTS (extra JVM options), SOLR_CDS (1; 0 =
# no class data sharing), PYTHON (the interpreter whose ckan package supplies schema.xml;
# $REPO/.venv/bin/python). A second instance needs its own SOLR_PORT, SOLR_HOME, SOLR_PID_FILE
# and SOLR_LOG_FILE.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DIR=$REPO/.solr
SOLR_LIB=${SOLR_LIB:-$DIR/lib}
SOLR_HOME=${SOLR_HOME:-$DIR/home}
SOLR_PORT=${SOLR_PORT:-8983}
SOLR_CORES=${SOLR_CORES:-ckan ckan_test}
SOLR_HEAP=${SOLR_HEAP:-512m}
SOLR_SOFT_COMMIT_MS=${SOLR_SOFT_COMMIT_MS:-1000}
SOLR_START_TIMEOUT=${SOLR_START_TIMEOUT:-120}
PYTHON=${PYTHON:-$REPO/.venv/bin/python}
PID_FILE=${SOLR_PID_FILE:-$DIR/solr.pid}
LOG_FILE=${SOLR_LOG_FILE:-$DIR/solr.log}
CLASSES=$DIR/classes
URL=http://127.0.0.1:$SOLR_PORT/solr

die() { echo "solr.sh: $*" >&2; exit 1; }

# -- jars and launcher ---------------------------------------------------------------------------
fetch() {
  local marker="$SOLR_LIB/.complete-$(sha1sum "$HERE/pom.xml" | cut -c1-12)"
  [[ -f $marker ]] && return 0
  echo "solr.sh: fetching Solr jars into $SOLR_LIB ..."
  local tmp="$SOLR_LIB.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$SOLR_LIB")"
  local out
  out=$(mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$tmp" 2>&1) \
    || { echo "$out" >&2; rm -rf "$tmp"; die "mvn could not resolve the Solr jars"; }
  touch "$tmp/${marker##*/}"
  rm -rf "$SOLR_LIB"
  mv "$tmp" "$SOLR_LIB"
}

build() {  # compile BdomSolr.java once: Java's source launcher spends seconds on it every start
  local jar=$DIR/bdom-solr.jar
  if [[ ! -f $jar || $HERE/BdomSolr.java -nt $jar || $SOLR_LIB -nt $jar ]]; then
    rm -rf "$CLASSES" "$DIR"/cds-*.jsa
    javac -nowarn -cp "$SOLR_LIB/*" -d "$CLASSES" "$HERE/BdomSolr.java"
    jar cf "$jar" -C "$CLASSES" .  # a jar, because class data sharing ignores class directories
  fi
}

# -- solr home -----------------------------------------------------------------------------------
prepare_home() {
  local ckan_dir schema core
  ckan_dir=$("$PYTHON" -c 'import ckan,os;print(os.path.dirname(ckan.__file__))') \
    || die "cannot import ckan with $PYTHON (set PYTHON)"
  schema=$ckan_dir/config/solr/schema.xml
  [[ -f $schema ]] || die "no $schema"
  mkdir -p "$SOLR_HOME"
  cp "$HERE/solr.xml" "$SOLR_HOME/solr.xml"
  for core in $SOLR_CORES; do
    mkdir -p "$SOLR_HOME/$core/conf"
    [[ -f $SOLR_HOME/$core/core.properties ]] || echo "name=$core" > "$SOLR_HOME/$core/core.properties"
    cp "$HERE"/conf/* "$SOLR_HOME/$core/conf/"      # refreshed on every start,
    cp "$schema" "$SOLR_HOME/$core/conf/schema.xml"  # so a CKAN upgrade is picked up
  done
}

# -- process -------------------------------------------------------------------------------------
java_cmd() {  # sets JAVA_CMD, and NEW_JSA when this run will write a class data sharing archive
  local extra=() cds=() jsa
  read -ra extra <<< "${SOLR_JAVA_OPTS:-}"
  # Class data sharing: the first run records the classes Solr loads into an archive (written
  # when it stops), later runs map it and start ~40% faster. Keyed by JVM; SOLR_CDS=0 turns it off.
  jsa=$DIR/cds-$(java -version 2>&1 | cksum | cut -d' ' -f1).jsa
  NEW_JSA=
  if [[ ${SOLR_CDS:-1} != 0 && -f $jsa ]]; then
    cds=(-Xlog:cds=off -Xlog:cds+dynamic=off "-XX:SharedArchiveFile=$jsa")
  elif [[ ${SOLR_CDS:-1} != 0 ]]; then
    cds=(-Xlog:cds=off -Xlog:cds+dynamic=off "-XX:ArchiveClassesAtExit=$jsa")
    NEW_JSA=$jsa
  fi
  JAVA_CMD=(java -Xms64m "-Xmx$SOLR_HEAP" "${cds[@]}" "${extra[@]}"
    "-Dlog4j2.configurationFile=$HERE/log4j2.xml" "-Dsolr.log.dir=$DIR" "-Dsolr.install.dir=$DIR"
    "-Dsolr.autoSoftCommit.maxTime=$SOLR_SOFT_COMMIT_MS" "-Dbdom.pidFile=$PID_FILE"
    -cp "$DIR/bdom-solr.jar:$SOLR_LIB/*" BdomSolr "$SOLR_HOME" "$SOLR_PORT" 127.0.0.1)
}

pid() {  # the pid from the pid file, if that process is alive and is our launcher
  local p
  p=$(cat "$PID_FILE" 2>/dev/null) || return 1
  [[ $p =~ ^[0-9]+$ ]] && kill -0 "$p" 2>/dev/null \
    && tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q BdomSolr && echo "$p"
}

ready() {  # every core answers its ping
  local core
  for core in $SOLR_CORES; do
    curl -fsS -o /dev/null --max-time 5 "$URL/$core/admin/ping" 2>/dev/null || return 1
  done
}

prepare() {
  mkdir -p "$DIR"
  fetch
  build
  prepare_home
  cd "$DIR"
}

start() {
  mkdir -p "$DIR"
  exec 9> "$DIR/start.lock"  # one start at a time; a second one waits, then finds Solr running
  flock -w "$((SOLR_START_TIMEOUT + 30))" 9 || die "another solr.sh start holds $DIR/start.lock"
  if ready; then echo "Solr already running at $URL (cores: $SOLR_CORES)"; return 0; fi
  local p
  NEW_JSA=
  if ! p=$(pid); then
    prepare
    java_cmd
    # own session: a Ctrl-C in the calling terminal must not reach the background Solr
    setsid "${JAVA_CMD[@]}" > "$LOG_FILE" 2>&1 < /dev/null 9>&- &
    p=$!
    echo "$p" > "$PID_FILE"
  fi
  local deadline=$((SECONDS + SOLR_START_TIMEOUT))
  until ready; do
    if ! kill -0 "$p" 2>/dev/null; then
      rm -f "$PID_FILE" ${NEW_JSA:+"$NEW_JSA"}  # an archive of a failed start is of no use
      tail -n 30 "$LOG_FILE" >&2
      die "Solr exited during start-up (log: $LOG_FILE)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$LOG_FILE" >&2
      stop >&2
      die "Solr did not answer within ${SOLR_START_TIMEOUT}s (log: $LOG_FILE)"
    fi
    sleep 0.5
  done
  echo "Solr running at $URL (pid $p, cores: $SOLR_CORES, log: $LOG_FILE)"
}

run() {
  if ready; then die "a Solr is already answering at $URL; stop it first"; fi
  prepare
  java_cmd
  echo $$ > "$PID_FILE"
  exec "${JAVA_CMD[@]}"
}

stop() {
  local p i
  if ! p=$(pid); then
    rm -f "$PID_FILE"
    echo "Solr not running (no live pid in $PID_FILE)"
    return 0
  fi
  kill -TERM "$p"
  for ((i = 0; i < 120; i++)); do
    kill -0 "$p" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$p" 2>/dev/null; then
    echo "Solr (pid $p) ignored SIGTERM for 60 s; killing it" >&2
    kill -KILL "$p"
    rm -f "$DIR"/cds-*.jsa  # may be half written
  fi
  rm -f "$PID_FILE"
  echo "Solr stopped (pid $p)"
}

status() {
  local p
  p=$(pid) || p=
  if ready; then
    echo "Solr running at $URL${p:+ (pid $p)}, cores: $SOLR_CORES"
  elif [[ -n $p ]]; then
    echo "Solr process $p is alive but not answering at $URL (starting? log: $LOG_FILE)"
    return 1
  else
    echo "Solr not running"
    return 3
  fi
}

case ${1:-} in
  fetch) fetch; build ;;
  start | run | stop | status) "$1" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
