#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md and writes bench/results/<timestamp>.md (also printed).
#
#   bench/run.sh                          # everything: reindex, search, freshness (about 30 minutes here)
#   bench/run.sh --only search            # one part (search | reindex | freshness | bookings); repeat or comma-separate for more
#   bench/run.sh --quick                  # shorter phases and 100 price changes: for iterating, not for the record
#   bench/run.sh --no-build               # use the jars already in */target
#   bench/run.sh --api-arg spring.reactor.context-propagation=limited   # start the API with an extra --key=value
#   bench/run.sh --jfr                    # record the API with JFR (bench/target/run-<timestamp>/api.jfr, 256-frame stacks, exact lines)
#   bench/run.sh --units 100000           # synthetic units to make sure of (default 100000)
#
# Environment: BENCH_API_JAVA_OPTS (default: -XX:+UseSerialGC -Xms1g -Xmx1g -Xmn600m -Dreactor.netty.ioWorkerCount=2),
# BENCH_SEARCH_ARGS, BENCH_REINDEX_ARGS, BENCH_FRESHNESS_ARGS (extra options for bench.jar, see docs/benchmarks.md).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

PARTS=""
QUICK=""
BUILD=1
JFR=0
UNITS=100000
API_ARGS=()
COMMAND_LINE="bench/run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --only) PARTS="$PARTS,${2:?--only needs search, reindex, freshness or bookings}"; shift 2 ;;
    --only=*) PARTS="$PARTS,${1#--only=}"; shift ;;
    --quick) QUICK="--quick"; shift ;;
    --no-build) BUILD=0; shift ;;
    --jfr) JFR=1; shift ;;
    --units) UNITS="${2:?--units needs a number}"; shift 2 ;;
    --units=*) UNITS="${1#--units=}"; shift ;;
    --api-arg) API_ARGS+=("--${2:?--api-arg needs key=value}"); shift 2 ;;
    --api-arg=*) API_ARGS+=("--${1#--api-arg=}"); shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
PARTS="${PARTS#,}"
[ -n "$PARTS" ] || PARTS="reindex,search,freshness,bookings"
for p in ${PARTS//,/ }; do
  case "$p" in reindex|search|freshness|bookings) ;; *) echo "--only takes search, reindex, freshness or bookings, not '$p'" >&2; exit 2 ;; esac
done
wants() { [[ ",$PARTS," == *",$1,"* ]]; }
if ! [[ "$UNITS" =~ ^[0-9]+$ ]]; then echo "--units must be a whole number" >&2; exit 2; fi

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RUN="bench/target/run-$STAMP"
RESULT="bench/results/$STAMP.md"
mkdir -p "$RUN/jars" bench/results
log() { echo "[bench] $*"; }

# 1. Services.
bash infra/bin/services.sh start
set -a
# shellcheck disable=SC1091
. "${NOMAD_HOME:-$REPO_ROOT/.local}/services.env"
set +a

# 2. Build, then work from copies of the jars: other builds may replace */target while we run.
if [ "$BUILD" = 1 ]; then
  log "building (./mvnw -B -q -DskipTests package) ..."
  ./mvnw -B -q -DskipTests package
fi
for jar in api/target/nomad-api.jar search-indexer/target/search-indexer.jar bench/target/bench.jar; do
  [ -f "$jar" ] || { echo "missing $jar: build first (drop --no-build)" >&2; exit 1; }
  cp "$jar" "$RUN/jars/"
done
API_JAR="$RUN/jars/nomad-api.jar"
INDEXER_JAR="$RUN/jars/search-indexer.jar"
BENCH=(java -Xms512m -Xmx1536m -XX:+UseSerialGC -jar "$RUN/jars/bench.jar")

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git --no-optional-locks status --porcelain 2>/dev/null | wc -l | tr -d ' ')"
es_version="$(curl -s "${NOMAD_ES_URL%/}/_nodes/_local?filter_path=nodes.*.version" 2>/dev/null | grep -o '"version":"[^"]*"' | head -1 | cut -d'"' -f4 || true)"
"${BENCH[@]}" meta --out "$RUN" \
  "started=$(date -u '+%Y-%m-%d %H:%M:%S UTC')" \
  "command=$COMMAND_LINE" \
  "commit=$commit ($dirty uncommitted paths in the working tree)" \
  "machine=$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')), $(free -g 2>/dev/null | awk '/Mem/{print $2}') GB" \
  "java=$(java -version 2>&1 | head -1)" \
  "elasticsearch=${es_version:-?} at $NOMAD_ES_URL; PostgreSQL at $NOMAD_PG_HOST:$NOMAD_PG_PORT/$NOMAD_PG_DATABASE" \
  "load average at start=$(cut -d' ' -f1-3 /proc/loadavg)"

# 3. Data: 100,000 published synthetic units (the generator is resumable and quick when they exist).
published="$("${BENCH[@]}" units)"
if [ "$published" -lt "$UNITS" ]; then
  log "$published published units; generating up to $UNITS synthetic units ..."
  if ! NOMAD_SKIP_BUILD=1 bash infra/bin/demo.sh --units "$UNITS" --no-serve; then
    # demo.sh runs the generator without a web server, which the security configuration refuses:
    # run it with one on a free loopback port instead.
    log "infra/bin/demo.sh failed; running the generator directly"
    java -XX:+UseSerialGC -Xms256m -Xmx1g -jar "$API_JAR" --spring.profiles.active=demo \
      --server.port="$("${BENCH[@]}" free-port)" --server.address=127.0.0.1 \
      --generate-units="$UNITS" --exit-after-command > "$RUN/generate.log" 2>&1 \
      || { tail -30 "$RUN/generate.log" >&2; exit 1; }
  fi
  published="$("${BENCH[@]}" units)"
fi
log "$published published units"

# 4. Exchange rates (the API loads them when the table is empty, but the reindex runs before the API).
if [ "$("${BENCH[@]}" rates)" = 0 ]; then
  log "loading the shipped exchange rates"
  java -jar "$INDEXER_JAR" refresh-rates api/src/main/resources/rates/exchange-rates.csv > "$RUN/rates.log" 2>&1 \
    || { tail -20 "$RUN/rates.log" >&2; exit 1; }
fi

# 5. An index in a steady state: no outbox backlog (the generator and a rates load enqueue every unit), every unit indexed.
backlog="$("${BENCH[@]}" outbox-backlog)"
if [ "$backlog" -gt 0 ]; then
  log "$backlog outbox events pending: draining them with the standalone indexer first"
  java -jar "$INDEXER_JAR" run > "$RUN/drain-indexer.log" 2>&1 &
  DRAIN_PID=$!
  "${BENCH[@]}" wait-outbox --timeout 1800 || { kill "$DRAIN_PID"; exit 1; }
  kill "$DRAIN_PID"; wait "$DRAIN_PID" 2>/dev/null || true
fi
indexed="$("${BENCH[@]}" docs)"
if [ "$indexed" -lt "$published" ] && ! wants reindex; then
  log "$indexed documents for $published published units: reindexing (not timed)"
  java -jar "$INDEXER_JAR" reindex --fresh > "$RUN/setup-reindex.log" 2>&1 || { tail -20 "$RUN/setup-reindex.log" >&2; exit 1; }
fi

# Runs one part, keeping its output; a failure is written into the report rather than ending the run.
run_part() {
  local part="$1"; shift
  log "=== $part"
  if ! "$@" 2>&1 | tee "$RUN/$part.log"; then
    "${BENCH[@]}" fail --out "$RUN" --part "$part" --message "\`bench.jar $part\` failed" --log "$RUN/$part.log" || true
  fi
}

# 6. Reindex: its own processes, before the API starts.
if wants reindex; then
  # shellcheck disable=SC2086
  run_part reindex "${BENCH[@]}" reindex --out "$RUN" --indexer-jar "$INDEXER_JAR" $QUICK ${BENCH_REINDEX_ARGS:-}
fi

# 7. The API as its own JVM on a free loopback port.
API_PID=""
stop_api() {
  if [ -n "$API_PID" ] && kill -0 "$API_PID" 2>/dev/null; then
    kill "$API_PID"; wait "$API_PID" 2>/dev/null || true
  fi
  API_PID=""
  if [ -n "${STRIPE_FAKE_PORT:-}" ]; then bash infra/bin/stripe-fake.sh stop || true; fi
}
trap stop_api EXIT
if wants search || wants freshness || wants bookings; then
  PORT="$("${BENCH[@]}" free-port)"
  read -r -a API_JAVA <<< "${BENCH_API_JAVA_OPTS:--XX:+UseSerialGC -Xms1g -Xmx1g -Xmn600m -Dreactor.netty.ioWorkerCount=2}"
  if [ "$JFR" = 1 ]; then
    # DebugNonSafepoints: without it, samples of inlined code land on the nearest safepoint's frame
    # and line (CompletableFuture.handle, graphql-java's memoised suppliers), not where the time went.
    API_JAVA+=("-XX:+UnlockDiagnosticVMOptions" "-XX:+DebugNonSafepoints" "-XX:FlightRecorderOptions:stackdepth=256"
      "-XX:StartFlightRecording=filename=$RUN/api.jfr,settings=profile,dumponexit=true")
  fi
  "${BENCH[@]}" meta --out "$RUN" "api=java ${API_JAVA[*]} -jar nomad-api.jar --spring.profiles.active=demo --server.port=$PORT ${API_ARGS[*]:-}"
  # Bookings start a first payment: the local Stripe fake answers it (as in the demo).
  export STRIPE_FAKE_PORT
  STRIPE_FAKE_PORT="$("${BENCH[@]}" free-port)"
  bash infra/bin/stripe-fake.sh start "$PORT"
  eval "$(bash infra/bin/stripe-fake.sh env | sed 's/^/export /')"
  log "starting the API on 127.0.0.1:$PORT"
  java "${API_JAVA[@]}" -jar "$API_JAR" --spring.profiles.active=demo --server.port="$PORT" --server.address=127.0.0.1 \
    ${API_ARGS[@]+"${API_ARGS[@]}"} > "$RUN/api.log" 2>&1 &
  API_PID=$!
  if ! "${BENCH[@]}" wait-http "http://127.0.0.1:$PORT/actuator/health" --timeout 300; then
    tail -40 "$RUN/api.log" >&2
    exit 1
  fi
  # Start-up seeds the demo data (idempotent); let the in-process indexer catch up before measuring.
  "${BENCH[@]}" wait-outbox --timeout 300 || log "the outbox still has a backlog; measuring anyway"
  API="http://127.0.0.1:$PORT"
  if wants search; then
    # shellcheck disable=SC2086
    run_part search "${BENCH[@]}" search --out "$RUN" --api "$API" --api-pid "$API_PID" $QUICK ${BENCH_SEARCH_ARGS:-}
  fi
  if wants freshness; then
    # shellcheck disable=SC2086
    run_part freshness "${BENCH[@]}" freshness --out "$RUN" --api "$API" --api-pid "$API_PID" --indexer-jar "$INDEXER_JAR" $QUICK ${BENCH_FRESHNESS_ARGS:-}
  fi
  if wants bookings; then
    # shellcheck disable=SC2086
    run_part bookings "${BENCH[@]}" bookings --out "$RUN" --api "$API" --api-pid "$API_PID" $QUICK ${BENCH_BOOKINGS_ARGS:-}
  fi
  stop_api
fi

# 8. The report.
"${BENCH[@]}" meta --out "$RUN" "load average at end=$(cut -d' ' -f1-3 /proc/loadavg)" "work folder=$RUN (logs, latency histograms)"
"${BENCH[@]}" report --out "$RUN" --file "$RESULT" --title "Nomad Stays benchmarks, $STAMP"
echo
log "report: $RESULT"
