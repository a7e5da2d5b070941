#!/usr/bin/env bash
# The local Stripe fake (io.nomadstays.infra.stripe.StripeFakeServer): the same WireMock stubs and
# stateful fake the tests use, so the demo and the benchmarks book and pay with no Stripe key.
#
#   stripe-fake.sh start [api port]   start it (if not running) for an api on that port (default 8080)
#   stripe-fake.sh stop
#   stripe-fake.sh env                the NOMAD_STRIPE_* settings that point the api at it
#
# Needs infra compiled (./mvnw package does it). Port: STRIPE_FAKE_PORT (default 12111).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NOMAD_HOME="${NOMAD_HOME:-$REPO_ROOT/.local}"
case "$NOMAD_HOME" in /*) ;; *) NOMAD_HOME="$PWD/$NOMAD_HOME" ;; esac
PORT="${STRIPE_FAKE_PORT:-12111}"
PID_FILE="$NOMAD_HOME/stripe-fake-$PORT.pid"
LOG="$NOMAD_HOME/stripe-fake-$PORT.log"
# Fixed, public test values: the fake accepts any key; the webhook secret signs the fake's events.
SECRET_KEY="sk_test_local_fake"
WEBHOOK_SECRET="whsec_local_fake_demo_only"

log() { echo "[stripe-fake] $*"; }

running() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

start() {
  local api_port="${1:-8080}"
  mkdir -p "$NOMAD_HOME"
  if running; then
    log "already running (pid $(cat "$PID_FILE")) on port $PORT"
    return 0
  fi
  local cp_file="$REPO_ROOT/infra/target/runtime-classpath.txt"
  if [ ! -f "$cp_file" ] || [ ! -d "$REPO_ROOT/infra/target/classes" ]; then
    log "infra is not compiled: run ./mvnw -q -pl infra compile first" >&2
    return 1
  fi
  nohup java -XX:+UseSerialGC -Xmx256m -cp "$REPO_ROOT/infra/target/classes:$(cat "$cp_file")" \
    io.nomadstays.infra.stripe.StripeFakeServer "$PORT" "http://127.0.0.1:$api_port/webhooks/stripe" "$WEBHOOK_SECRET" \
    >"$LOG" 2>&1 &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$PORT/__admin/health" >/dev/null 2>&1; then
      log "up on http://127.0.0.1:$PORT (pid $(cat "$PID_FILE")), webhooks to the api on port $api_port"
      return 0
    fi
    if ! running; then
      log "failed to start; see $LOG" >&2
      tail -20 "$LOG" >&2
      return 1
    fi
    sleep 0.5
  done
  log "not healthy after 30 s; see $LOG" >&2
  return 1
}

stop() {
  if running; then
    kill "$(cat "$PID_FILE")" 2>/dev/null || true
    log "stopped"
  fi
  rm -f "$PID_FILE"
}

env_vars() {
  echo "NOMAD_STRIPE_SECRET_KEY=$SECRET_KEY"
  echo "NOMAD_STRIPE_WEBHOOK_SECRET=$WEBHOOK_SECRET"
  echo "NOMAD_STRIPE_CONNECT_WEBHOOK_SECRET=$WEBHOOK_SECRET"
  echo "NOMAD_STRIPE_API_BASE=http://127.0.0.1:$PORT"
}

case "${1:-}" in
  start) start "${2:-8080}" ;;
  stop) stop ;;
  env) env_vars ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
