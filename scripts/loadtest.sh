#!/usr/bin/env bash
# Load and fault tests: gunicorn with production settings under wrk (Debian's `wrk`).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/kotaku_national scripts/loadtest.sh all
#
#   throughput  issue 8: the work detail page, then the district dashboard, 30 s each
#   mixed       issue 9: a rotation over the main pages, 60 s
#   fault       issue 9: the same, with PostgreSQL restarted RESTART_AT seconds in; a side
#               loop polls /health/ every 0.2 s to time the recovery
#   all         the three, in that order
#
# Tunable: PORT (8765) WORKERS (2) GUNICORN_THREADS (1) CONNECTIONS (50) THREADS (2: wrk's)
#          RESTART_AT (20)
#          THROUGHPUT_SECONDS (30) THROUGHPUT_PAGES (detail district) MIXED_SECONDS (60)
#          MIXED_PAGES OUT (/tmp/kotaku-loadtest)
# The pages are those of `manage.py bench` (the heaviest district, its busiest work, …),
# seen by the national officer through a session made for the run and deleted after it.
# Not run by CI: it takes minutes and restarts PostgreSQL. Documented in
# docs/performance.md with its figures.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to load}"
PORT=${PORT:-8765}
WORKERS=${WORKERS:-2}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
# Threads per gunicorn worker: 1 is gunicorn's sync worker, as deployed (README); more is
# its gthread worker. On this 2-core machine the sync worker was faster when the machine
# was otherwise idle, gthread when other processes competed (docs/performance.md).
GUNICORN_THREADS=${GUNICORN_THREADS:-1}
RESTART_AT=${RESTART_AT:-20}
THROUGHPUT_SECONDS=${THROUGHPUT_SECONDS:-30}
MIXED_SECONDS=${MIXED_SECONDS:-60}
OUT=${OUT:-/tmp/kotaku-loadtest}
# The rotation of the mixed runs, by the names `manage.py bench --load-test-setup` prints
# (national province district kelurahan works works_filtered detail slums slums_district
# report). The default leaves out the pages that take seconds on the national dataset
# (docs/performance.md): they would only measure that again.
MIXED_PAGES=${MIXED_PAGES:-kelurahan works works_filtered detail slums_district}
# The pages of the throughput runs, one after the other (same names).
THROUGHPUT_PAGES=${THROUGHPUT_PAGES:-detail district}
BASE="http://127.0.0.1:$PORT"
WRK_SCRIPT=scripts/wrk/pages.lua
PY=.venv/bin/python

# Production settings: only the environment differs (README, "Deploying").
export DATABASE_URL DEBUG=false ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
mkdir -p "$OUT"

GUNICORN_PID=""
SESSION=""
cleanup() {
  if [ -n "$GUNICORN_PID" ]; then
    kill "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  if [ -n "$SESSION" ]; then
    $PY manage.py bench --end-session "$SESSION" || true
  fi
}
trap cleanup EXIT

health() {  # prints the HTTP status of /health/ (000 when nothing answers)
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'X-Forwarded-Proto: https' \
    "$BASE/health/" || true
}

start_gunicorn() {
  .venv/bin/gunicorn kotaku.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --threads "$GUNICORN_THREADS" --error-logfile "$OUT/gunicorn.log" &
  GUNICORN_PID=$!
  for _ in $(seq 60); do
    [ "$(health)" = 200 ] && return 0
    sleep 0.5
  done
  echo "gunicorn did not answer /health/; see $OUT/gunicorn.log" >&2
  exit 1
}

settle() {  # wait until the workers have drained what the last run left in the backlog
  for _ in $(seq 120); do
    [ "$(health)" = 200 ] && return 0
    sleep 0.5
  done
}

warm_up() {  # each page a few times, so that no worker meets a page for the first time
  local path
  for path in "$@"; do
    for _ in $(seq "$((WORKERS * 2))"); do
      curl -s -o /dev/null --max-time 30 -H 'X-Forwarded-Proto: https' \
        -H "Cookie: $COOKIE" "$BASE$path" || true
    done
  done
}

run_wrk() {  # run_wrk NAME SECONDS PATH... → $OUT/NAME.txt
  local name=$1 seconds=$2
  shift 2
  echo "== $name: ${seconds}s, $WORKERS workers, $CONNECTIONS connections: $*"
  KOTAKU_COOKIE="$COOKIE" KOTAKU_PATHS="$*" wrk -t "$THREADS" -c "$CONNECTIONS" \
    -d "${seconds}s" --timeout 30s --latency -s "$WRK_SCRIPT" "$BASE" >"$OUT/$name.txt"
  grep '^kotaku' "$OUT/$name.txt"
}

prepare() {  # before a run: an idle server that has seen every page
  settle
  warm_up "$@"
}

throughput() {
  local name
  for name in $THROUGHPUT_PAGES; do
    [ -n "${URL[$name]:-}" ] || continue
    prepare "${URL[$name]}"
    run_wrk "throughput-$name" "$THROUGHPUT_SECONDS" "${URL[$name]}"
  done
}

mixed() {
  prepare "${MIXED[@]}"
  run_wrk mixed "$MIXED_SECONDS" "${MIXED[@]}"
}

fault() {
  local cluster log="$OUT/fault-health.log"
  cluster=$(ls /etc/postgresql)
  prepare "${MIXED[@]}"
  : >"$log"
  (
    while true; do
      printf '%s %s\n' "$(date +%s.%N)" "$(health)" >>"$log"
      sleep 0.2
    done
  ) &
  local poller=$!
  run_wrk fault "$MIXED_SECONDS" "${MIXED[@]}" &
  local load=$!
  sleep "$RESTART_AT"
  local restart_start restart_end
  restart_start=$(date +%s.%N)
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main restart
  restart_end=$(date +%s.%N)
  wait "$load"
  kill "$poller"
  wait "$poller" 2>/dev/null || true
  $PY scripts/fault_summary.py "$restart_start" "$restart_end" "$log" "$OUT/fault.txt" |
    tee "$OUT/fault-summary.txt"
}

$PY manage.py compile_translations >/dev/null
$PY manage.py collectstatic --no-input --verbosity 0
setup=$($PY manage.py bench --load-test-setup)
SESSION=$(awk '$1 == "session" {print $2}' <<<"$setup")
COOKIE="sessionid=$SESSION"
declare -A URL
while read -r kind name path; do
  if [ "$kind" = url ]; then URL[$name]=$path; fi
done <<<"$setup"
MIXED=()
for name in $MIXED_PAGES; do
  if [ -n "${URL[$name]:-}" ]; then MIXED+=("${URL[$name]}"); fi
done
echo "pages: ${MIXED[*]}"

start_gunicorn
case "${1:-all}" in
  throughput) throughput ;;
  mixed) mixed ;;
  fault) fault ;;
  all) throughput; mixed; fault ;;
  *) echo "usage: $0 throughput|mixed|fault|all" >&2; exit 2 ;;
esac
echo "figures in $OUT"
