#!/usr/bin/env bash
# Runs the marketplace locally with demo data: starts PostgreSQL and Elasticsearch (infra/bin/services.sh),
# builds the application, seeds the demo operators, optionally adds synthetic units, and serves
# GraphiQL. Usage:
#
#   infra/bin/demo.sh                 # demo operators, then serve on port 8080 (PORT=... to change)
#   infra/bin/demo.sh --units 100000  # also generate 100,000 synthetic units (resumable), then serve
#   infra/bin/demo.sh --units 100000 --no-serve   # generate only
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

UNITS=""
SERVE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --units) UNITS="${2:?--units needs a number}"; shift 2 ;;
    --units=*) UNITS="${1#--units=}"; shift ;;
    --no-serve) SERVE=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -n "$UNITS" ] && ! [[ "$UNITS" =~ ^[0-9]+$ ]]; then
  echo "--units must be a whole number, got '$UNITS'" >&2; exit 2
fi

bash infra/bin/services.sh start
set -a
# shellcheck disable=SC1091
. "${NOMAD_HOME:-$REPO_ROOT/.local}/services.env"
set +a

JAR=api/target/nomad-api.jar
if [ "${NOMAD_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; then
  echo "[demo] building (./mvnw -DskipTests package) ..."
  ./mvnw -B -q -DskipTests package
fi

# A large young generation: every young collection copies the objects of the requests in flight,
# so fewer of them cost less CPU (a search allocates about half a megabyte; docs/benchmarks.md, "Profiling").
JAVA_OPTS=(-XX:+UseSerialGC -Xms1g -Xmx1g -Xmn600m -Dreactor.netty.ioWorkerCount=2)

if [ -n "$UNITS" ]; then
  echo "[demo] generating $UNITS synthetic units ..."
  # A throwaway port: the command runs inside the application context, then exits.
  java "${JAVA_OPTS[@]}" -jar "$JAR" --spring.profiles.active=demo --server.port=0 \
    --nomad.search.indexer.enabled=false --generate-units="$UNITS" --exit-after-command
fi

if [ "$SERVE" = 1 ]; then
  API_ARGS=()
  if [ -z "${NOMAD_STRIPE_SECRET_KEY:-}" ]; then
    # No Stripe key: the local Stripe fake takes payments, so the demo books and pays end to end.
    bash infra/bin/stripe-fake.sh start "${PORT:-8080}"
    set -a
    eval "$(bash infra/bin/stripe-fake.sh env)"
    set +a
    # Demo operators get accounts the fake knows: destination charges, commission and payouts as in production.
    API_ARGS+=(--nomad.demo.fake-payout-accounts=true)
    echo "[demo] payments: the local Stripe fake (http://127.0.0.1:${STRIPE_FAKE_PORT:-12111}). After createBooking, pay with:"
    echo "[demo]   curl -X POST http://127.0.0.1:${STRIPE_FAKE_PORT:-12111}/_fake/pay/<payment.paymentIntentId>   (-d outcome=declined|requires_action)"
  else
    echo "[demo] payments: Stripe with NOMAD_STRIPE_SECRET_KEY (docs/payments.md: running with a real Stripe test key)"
  fi
  exec java "${JAVA_OPTS[@]}" -jar "$JAR" --spring.profiles.active=demo --server.port="${PORT:-8080}" ${API_ARGS[@]+"${API_ARGS[@]}"}
fi
