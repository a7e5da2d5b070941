#!/usr/bin/env bash
# A/B of the search benchmark between builds of the API: runs the search part of bench.jar against
# each API jar in turn, in the order given, and prints one line per run (docs/benchmarks.md, "Profiling").
#
#   bench/tools/search-ab.sh before=/tmp/before.jar after=api/target/nomad-api.jar before=/tmp/before.jar after=api/target/nomad-api.jar
#   bench/tools/search-ab.sh jdk17=api/target/nomad-api.jar jdk25=api/target/nomad-api.jar@/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
#
# Each NAME=JAR[@JAVA] starts that jar as the benchmark starts the API (same JVM options; with the
# java binary after @, else the PATH's, so a jar's path must not hold an @), warms it up with a mix
# of the queries, measures them with 1 and 32 clients against raw Elasticsearch in the same run, and
# stops it. Copy a jar aside before rebuilding: the runs read it when they start. ARGS_<NAME>, when
# set, adds application arguments to that name's runs, to compare settings of one jar:
#   ARGS_nogate=--nomad.search.query.gate=0 bench/tools/search-ab.sh nogate=/tmp/a.jar gate=/tmp/a.jar
# Expects what bench/run.sh leaves behind: the services running (infra/bin/services.sh start),
# the 100,000 demo units indexed and bench/target/bench.jar built.
#
# Environment: QUERIES (default a,c), WARMUP (seconds, default 200), DURATION (seconds per phase,
# default 20), BENCH_API_JAVA_OPTS (as for run.sh; add -XX:StartFlightRecording=... to profile a run).
# Reports: bench/target/ab-<timestamp>/<NAME>-<n>/ (the bench's report.md, the API's log).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"
[ $# -gt 0 ] || { sed -n '2,15p' "$0"; exit 2; }
set -a; . .local/services.env; set +a

QUERIES=${QUERIES:-a,c}
OUT="bench/target/ab-$(date -u +%Y%m%dT%H%M%SZ)"
BENCH=(java -Xms512m -Xmx1536m -XX:+UseSerialGC -jar bench/target/bench.jar)
read -r -a API_JAVA <<< "${BENCH_API_JAVA_OPTS:--XX:+UseSerialGC -Xms1g -Xmx1g -Xmn600m -Dreactor.netty.ioWorkerCount=2}"
mkdir -p "$OUT"

n=0
for run in "$@"; do
  n=$((n + 1))
  name=${run%%=*}
  jar=${run#*=}
  java_bin=java
  if [[ $jar == *@* ]]; then
    java_bin=${jar#*@}
    jar=${jar%@*}
  fi
  [ -f "$jar" ] || { echo "no such jar: $jar" >&2; exit 2; }
  args_var="ARGS_$name"
  read -r -a extra_args <<< "${!args_var:-}"
  dir="$OUT/$name-$n"
  mkdir -p "$dir"
  port=$("${BENCH[@]}" free-port)
  "$java_bin" "${API_JAVA[@]}" -jar "$jar" --spring.profiles.active=demo --server.port="$port" --server.address=127.0.0.1 \
    ${extra_args[@]+"${extra_args[@]}"} > "$dir/api.log" 2>&1 &
  api=$!
  trap 'kill $api 2>/dev/null || true' EXIT
  "${BENCH[@]}" wait-http "http://127.0.0.1:$port/actuator/health" --timeout 300 > /dev/null
  "${BENCH[@]}" wait-outbox --timeout 300 > /dev/null || true
  "${BENCH[@]}" search --out "$dir" --api "http://127.0.0.1:$port" --api-pid "$api" --queries "$QUERIES" \
    --api-warmup "${WARMUP:-200}" --api-warmup-max "$(( ${WARMUP:-200} + 60 ))" --duration "${DURATION:-20}" \
    --single-requests 300 --slice 5 > "$dir/bench.log" 2>&1
  kill "$api" 2>/dev/null || true
  wait "$api" 2>/dev/null || true
  trap - EXIT
  python3 - "$name" "$dir" <<'PY'
import glob, re, sys
name, run = sys.argv[1], sys.argv[2]
report = open(glob.glob(run + '/*.md')[0]).read()
parts = []
for q in sorted(set(re.findall(r'^\| ([a-c]) \| API \|', report, re.M))):
    load = re.search(rf'^\| {q} \| (\d+) \| (\d+) \| ([\d.]+) \| ([\d.]+ ms) \| ([\d.]+ ms) \|', report, re.M)
    api = re.search(rf'^\| {q} \| API \| ([\d.]+) \| ([\d.]+) \| [\d.]+ \| ([\d.]+) \|', report, re.M)
    raw = re.search(rf'^\| {q} \| raw \| [\d.]+ \| [\d.]+ \| [\d.]+ \| ([\d.]+) \|', report, re.M)
    one = re.search(rf'^\| {q} \| ([\d.]+) ms \| ([\d.]+) ms \| ([\d.]+)x \|', report, re.M)
    parts.append(f'{q}: 32 clients {load[1]}/{load[2]} req/s = {load[3]}, p99 {load[4]}/{load[5]}, API CPU {float(api[1]) - float(api[2]):.2f} ms '
                 f'(+{api[2]} JIT), ES CPU {api[3]}/{raw[1]} ms; 1 client {one[1]}/{one[2]} ms = {one[3]}x')
print(f'{name:>10}  ' + ' | '.join(parts))
PY
done
echo "reports: $OUT"
