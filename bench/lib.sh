# Shared by the bench/load-* scripts (source it): builds the release binaries, runs the local
# stack from them on the usual ports with warnings-only logs, and stops it when the script ends.
# A running debug stack is stopped first; its data stays.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"

PARLEY_BUILD_DIR="$ROOT/.build/debug" "$ROOT/compose/down" >/dev/null 2>&1 || true
export PARLEY_BUILD_DIR="$ROOT/.build/release"
# shellcheck source=compose/lib.sh
source "$ROOT/compose/lib.sh"
export LOG_LEVEL=warning

start_release_stack() {
    command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
    (cd "$ROOT" && swift build -c release)
    start_dependencies
    trap finish_run EXIT
    start_services
}

# Commands a script adds to run at its end, after the closing check and before the stack stops
# (stopping a helper process, removing a temporary folder).
on_run_end=()

# At the end of a load run: the closing check (a fresh mention is notified within 2 s, so a
# consumer the load left behind fails the run), then `on_run_end`, then the stack stops.
finish_run() {
    local status=$? command
    if (( status == 0 )); then
        "$ROOT/bench/mention-check.py" "http://127.0.0.1:${SERVICE_PORT[gateway]}" || status=1
    fi
    for command in "${on_run_end[@]}"; do eval "$command" || true; done
    "$ROOT/compose/down" >/dev/null 2>&1 || true
    exit "$status"
}

# The release stack over an empty search index (the rest of .data stays), for bench/searchgen
# to fill: its one user creates every room, far more than a person's room creation limit.
start_with_empty_search_index() {
    start_postgres
    psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_SUPERUSER" -d "$POSTGRES_DATABASE" -qc 'DROP SCHEMA IF EXISTS search CASCADE'
    # An empty schema again, owned by search's role.
    psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_SUPERUSER" -d "$POSTGRES_DATABASE" -q -v ON_ERROR_STOP=1 -f "$ROOT/compose/postgres-roles.sql"
    export BCRYPT_COST=4 ROOM_CREATE_RATE_LIMIT=1000000
    start_release_stack
}

# Prints a JSON reply's top-level key: `curl ... | json_field token`.
json_field() {
    python3 -c 'import sys,json; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# Registers a fresh user through the gateway; prints "<id> <token>".
register_user() {
    curl -sf -X POST "http://127.0.0.1:${SERVICE_PORT[gateway]}/auth/register" -H 'content-type: application/json' \
        -d "{\"username\":\"bench_$(date +%s%N | tail -c 10)\",\"password\":\"benchmark password\"}" |
        python3 -c 'import sys,json; r=json.load(sys.stdin); print(r["user"]["id"], r["token"])'
}

# wrk_run LABEL BEARER URL: one wrk run; prints requests/s, p50, p99 and non-2xx replies.
wrk_run() {
    local out
    out=$(wrk -t"$(( CONNECTIONS < 2 ? 1 : 2 ))" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $2" "$3")
    printf '%-12s %s req/s  p50 %s  p99 %s  non-2xx %s\n' "$1" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
        "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
        "$(awk '/Non-2xx/ {print $5}' <<<"$out" | grep . || echo 0)"
}
