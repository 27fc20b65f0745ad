# shellcheck shell=bash
# Common settings and helpers for the local Parley stack without Docker.
# Sourced by compose/up and compose/down; not meant to be run on its own.
#
# Everything lives under $DATA (default: <repo>/.data, gitignored), so `compose/down` followed
# by `compose/up` keeps all users, rooms and messages. Every default below can be overridden
# from the environment (e.g. `POSTGRES_PORT=55433 compose/up`).

# Repo root = parent of this file's folder, whatever the caller's working directory is.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${PARLEY_DATA:-$ROOT/.data}"
# Where the service binaries are: the debug build by default; bench/ runs the release build.
BUILD_DIR="${PARLEY_BUILD_DIR:-$ROOT/.build/debug}"

# Services in start order, as name=port. Adding a service is one line here (and one in
# compose/docker-compose.yml and compose/Dockerfile for the Docker variant).
SERVICE_SPECS=(
    auth=8081
    rooms=8082
    messages=8083
    media=8084
    search=8085
    notify=8086
    games=8088
    calls=8089
    gateway=8080
)
# MESSAGES_INSTANCES=2 runs a second messages instance, messages-2 on port 8087, sharing Postgres
# and Redis with the first; the gateway takes the two in turn (gateway/README.md "Several
# instances"). Events for messages still go to the first.
if [ "${MESSAGES_INSTANCES:-1}" = 2 ]; then
    SERVICE_SPECS=("${SERVICE_SPECS[@]/#gateway=8080/messages-2=8087}" gateway=8080)
elif [ "${MESSAGES_INSTANCES:-1}" != 1 ]; then
    printf '[parley] error: MESSAGES_INSTANCES is 1 or 2, not %s\n' "$MESSAGES_INSTANCES" >&2
    exit 1
fi
# GATEWAY_INSTANCES=2 runs a second gateway, gateway-2 on port 8090 (internal port 9090), on the
# same Redis: the services post their events to the first, and the second gets them over the
# backplane, as a second gateway behind a load balancer would (bench/faults).
if [ "${GATEWAY_INSTANCES:-1}" = 2 ]; then
    SERVICE_SPECS+=(gateway-2=8090)
elif [ "${GATEWAY_INSTANCES:-1}" != 1 ]; then
    printf '[parley] error: GATEWAY_INSTANCES is 1 or 2, not %s\n' "$GATEWAY_INSTANCES" >&2
    exit 1
fi
SERVICES=()
declare -A SERVICE_PORT=()
for _spec in "${SERVICE_SPECS[@]}"; do
    SERVICES+=("${_spec%%=*}")
    SERVICE_PORT[${_spec%%=*}]="${_spec#*=}"
done
unset _spec

# The gateway's internal listener: its event intake, /metrics and /health/ready (never public).
# Only the gateway reads INTERNAL_HTTP_PORT.
export INTERNAL_HTTP_PORT="${INTERNAL_HTTP_PORT:-9080}"

# Where a service answers /health/ready: its own port, except the gateway's internal one.
ready_url() {
    if [ "$1" = gateway ]; then
        echo "http://127.0.0.1:$INTERNAL_HTTP_PORT"
    elif [ "$1" = gateway-2 ]; then
        echo "http://127.0.0.1:9090"
    else
        echo "http://127.0.0.1:${SERVICE_PORT[$1]}"
    fi
}

# Who receives each service's events (its EVENT_SUBSCRIBERS): name=url pairs, comma-separated.
# Producers post to the gateway's internal port.
declare -A EVENT_SUBSCRIBERS_OF=(
    [auth]="gateway=http://127.0.0.1:${INTERNAL_HTTP_PORT},notify=http://127.0.0.1:${SERVICE_PORT[notify]}"
    [rooms]="gateway=http://127.0.0.1:${INTERNAL_HTTP_PORT},messages=http://127.0.0.1:${SERVICE_PORT[messages]},notify=http://127.0.0.1:${SERVICE_PORT[notify]}"
    [messages]="gateway=http://127.0.0.1:${INTERNAL_HTTP_PORT},rooms=http://127.0.0.1:${SERVICE_PORT[rooms]},media=http://127.0.0.1:${SERVICE_PORT[media]},search=http://127.0.0.1:${SERVICE_PORT[search]},notify=http://127.0.0.1:${SERVICE_PORT[notify]}"
    [notify]="gateway=http://127.0.0.1:${INTERNAL_HTTP_PORT}"
    [games]="gateway=http://127.0.0.1:${INTERNAL_HTTP_PORT},messages=http://127.0.0.1:${SERVICE_PORT[messages]}"
    [calls]="gateway=http://127.0.0.1:${INTERNAL_HTTP_PORT},messages=http://127.0.0.1:${SERVICE_PORT[messages]},notify=http://127.0.0.1:${SERVICE_PORT[notify]}"
)
EVENT_SUBSCRIBERS_OF[messages-2]="${EVENT_SUBSCRIBERS_OF[messages]}"

# coturn, the TURN server calls hands out credentials for: loopback only, UDP and TCP.
TURN_PORT="${TURN_PORT:-53478}"

# Extra environment of one service (NAME=value pairs, space-separated), beyond what all share.
# Everything here signs up and signs in from 127.0.0.1, so auth's per-address limits are high
# (a script may register hundreds of users); per-account limits stay as in production.
declare -A SERVICE_ENV_OF=(
    [auth]="REGISTER_RATE_LIMIT=${REGISTER_RATE_LIMIT:-1000000} LOGIN_ADDRESS_MAX_FAILURES=${LOGIN_ADDRESS_MAX_FAILURES:-1000000}"
    [gateway]="WEB_ROOT=${WEB_ROOT:-$ROOT/web/dist}"
    [calls]="TURN_URIS=${TURN_URIS:-turn:127.0.0.1:$TURN_PORT?transport=udp,turn:127.0.0.1:$TURN_PORT?transport=tcp}"
)
if [ -n "${SERVICE_PORT[messages-2]:-}" ]; then
    SERVICE_ENV_OF[gateway]+=" MESSAGES_URL=http://127.0.0.1:${SERVICE_PORT[messages]},http://127.0.0.1:${SERVICE_PORT[messages-2]}"
fi
SERVICE_ENV_OF[gateway-2]="${SERVICE_ENV_OF[gateway]} INTERNAL_HTTP_PORT=9090"

# Environment shared by every service. Exported so the services inherit them.
export POSTGRES_HOST="${POSTGRES_HOST:-127.0.0.1}"
export POSTGRES_PORT="${POSTGRES_PORT:-55432}"
# The cluster's superuser: it makes the database and the services' roles. Services connect as
# their own role (parley_<name>, their POSTGRES_USER default), owning only their schema.
POSTGRES_SUPERUSER="${POSTGRES_SUPERUSER:-parley}"
export POSTGRES_DATABASE="${POSTGRES_DATABASE:-parley}"
export REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
export REDIS_PORT="${REDIS_PORT:-56379}"
export AUTH_URL="${AUTH_URL:-http://127.0.0.1:${SERVICE_PORT[auth]}}"
export ROOMS_URL="${ROOMS_URL:-http://127.0.0.1:${SERVICE_PORT[rooms]}}"
export LOG_LEVEL="${LOG_LEVEL:-info}"
export CLAMD_PORT="${CLAMD_PORT:-53310}"
# Media keeps uploaded files under the data folder (OBJECT_STORE=s3 and S3_* point it at a bucket).
export LOCAL_STORE_DIRECTORY="${LOCAL_STORE_DIRECTORY:-$DATA/media}"
export SPOOL_DIRECTORY="${SPOOL_DIRECTORY:-$DATA/spool}"
# SERVICE_TOKEN is exported by load_service_token (it is kept in $DATA, which may not exist yet).

log() { printf '[parley] %s\n' "$*" >&2; }
die() { printf '[parley] error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Creates the data folders. $DATA/run holds pid files and the Postgres socket.
ensure_dirs() {
    mkdir -p "$DATA/logs" "$DATA/run" "$DATA/redis" "$DATA/postgres"
}

# Installs PostgreSQL, Redis and curl from Debian's packages if any of them is missing.
# What the stack needs from Debian: the backing services, libvips, and the web app's toolchain.
STACK_PACKAGES=(postgresql redis-server curl clamav-daemon libvips-dev libvips-tools coturn
    nodejs node-typescript esbuild unicode-data unicode-cldr-core python3-markdown)

ensure_packages() {
    local missing=0
    compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing=1
    command -v redis-server >/dev/null || missing=1
    command -v redis-cli >/dev/null || missing=1
    command -v curl >/dev/null || missing=1
    command -v clamd >/dev/null || [ -x /usr/sbin/clamd ] || missing=1
    pkg-config --exists vips 2>/dev/null || missing=1
    command -v turnserver >/dev/null || missing=1
    # The web app's build (web/build): node, tsc, esbuild, Unicode's emoji data, and
    # python3-markdown for the user manual (docs/manual).
    command -v node >/dev/null || missing=1
    command -v tsc >/dev/null || missing=1
    command -v esbuild >/dev/null || missing=1
    [ -f /usr/share/unicode/emoji/emoji-test.txt ] || missing=1
    [ -f /usr/share/unicode/cldr/common/annotations/en.xml ] || missing=1
    /usr/bin/python3 -c 'import markdown' 2>/dev/null || missing=1
    [ "$missing" -eq 0 ] && return 0

    local sudo=()
    if ! is_root; then
        command -v sudo >/dev/null || die "a package this needs is missing and I am not root (and there is no sudo): install ${STACK_PACKAGES[*]}, then run me again"
        sudo=(sudo)
    fi
    log "installing ${STACK_PACKAGES[*]}"
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${STACK_PACKAGES[@]}"
}

# Prints the PostgreSQL bin folder, e.g. /usr/lib/postgresql/15/bin. An existing cluster pins the
# major version (a newer server cannot open an older cluster), otherwise the newest one installed.
pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then
        printf '%s\n' "$PG_BIN"
        return 0
    fi
    local version dir
    if [ -f "$DATA/postgres/PG_VERSION" ]; then
        version="$(cat "$DATA/postgres/PG_VERSION")"
        dir="/usr/lib/postgresql/$version/bin"
        [ -x "$dir/postgres" ] || die "$DATA/postgres was created by PostgreSQL $version, which is not installed"
        printf '%s\n' "$dir"
        return 0
    fi
    dir="$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -n 1)"
    [ -n "$dir" ] || die "no PostgreSQL server found under /usr/lib/postgresql (run ensure_packages)"
    printf '%s\n' "${dir%/postgres}"
}

# Runs a command as the user that owns the cluster. PostgreSQL refuses to run as root, so as root
# the command runs as Debian's `postgres` system user; otherwise it runs as the caller.
# `cd /` first: the caller's folder may not be readable by postgres (initdb/pg_ctl complain).
as_pg_user() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# As root, hands the cluster's folder, the socket folder and the server log to `postgres`.
# The top folder's owner tells whether a recursive chown is needed (it is cheap to skip).
pg_prepare_ownership() {
    is_root || return 0
    getent passwd postgres >/dev/null || die "running as root needs the 'postgres' system user (apt-get install postgresql creates it)"
    if [ "$(stat -c %U "$DATA/postgres")" != postgres ]; then
        chown -R postgres: "$DATA/postgres"
    fi
    chown postgres: "$DATA/run" "$DATA/logs/postgres.log"
    # Every parent of $DATA must be searchable by postgres (a repo under /root is not).
    as_pg_user test -w "$DATA/postgres" -a -w "$DATA/run" ||
        die "the postgres user cannot write $DATA/postgres: a parent folder is not searchable by it; move the repo or set PARLEY_DATA to a folder it can reach"
}

# Initialises the cluster once, starts it unless running, creates the database if missing.
start_postgres() {
    ensure_dirs
    touch "$DATA/logs/postgres.log"
    local bin pgdata="$DATA/postgres" sockdir="$DATA/run"
    bin="$(pg_bin)"
    # A Unix socket path may hold at most 107 bytes.
    local sock="$sockdir/.s.PGSQL.$POSTGRES_PORT"
    [ "${#sock}" -le 107 ] || die "socket path $sock is too long for Unix sockets; set PARLEY_DATA to a shorter folder"
    pg_prepare_ownership

    if [ ! -f "$pgdata/PG_VERSION" ]; then
        log "initialising PostgreSQL cluster in $pgdata"
        as_pg_user "$bin/initdb" -D "$pgdata" -U "$POSTGRES_SUPERUSER" --auth=trust -E UTF8 --locale=C.UTF-8 >>"$DATA/logs/postgres.log"
    fi

    # pg_ctl status: 0 = running, 3 = not running, 4 = no usable data folder.
    if as_pg_user "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        log "PostgreSQL already running on port $POSTGRES_PORT"
    else
        log "starting PostgreSQL on 127.0.0.1:$POSTGRES_PORT"
        # pg_ctl hands -o to a shell: quote the socket folder in case the path has spaces.
        if ! as_pg_user "$bin/pg_ctl" -D "$pgdata" -w -t 60 -l "$DATA/logs/postgres.log" \
            -o "-p $POSTGRES_PORT -c listen_addresses=127.0.0.1 -k '$sockdir'" start >/dev/null; then
            tail -n 20 "$DATA/logs/postgres.log" >&2 || true
            die "PostgreSQL did not start (log: $DATA/logs/postgres.log)"
        fi
    fi

    # Trust authentication over TCP on loopback, so psql can run as the calling user (even root).
    # -X: ignore any ~/.psqlrc. Database name passed as a psql variable to get it quoted.
    local psql=("$bin/psql" -X -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_SUPERUSER" -d postgres
        -v ON_ERROR_STOP=1 -v "db=$POSTGRES_DATABASE")
    local exists
    exists="$("${psql[@]}" -tA <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")"
    if [ "$exists" != 1 ]; then
        log "creating database $POSTGRES_DATABASE"
        "${psql[@]}" <<<'CREATE DATABASE :"db";'
    fi
    # Each service's role and schema (only what is missing changes).
    "$bin/psql" -X -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_SUPERUSER" -d "$POSTGRES_DATABASE" \
        -v ON_ERROR_STOP=1 -f "$ROOT/compose/postgres-roles.sql"
}

stop_postgres() {
    local bin pgdata="$DATA/postgres"
    [ -f "$pgdata/PG_VERSION" ] || return 0
    bin="$(pg_bin)"
    if as_pg_user "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        log "stopping PostgreSQL"
        as_pg_user "$bin/pg_ctl" -D "$pgdata" -w -t 60 -m fast stop >/dev/null
    fi
}

redis_ping() {
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

# Writes the config on every start (so a changed port or folder is picked up), starts Redis
# unless something already answers on the port, and waits until it answers.
start_redis() {
    ensure_dirs
    # Quoted values: Redis config accepts "..." strings, so paths with spaces work.
    cat >"$DATA/redis.conf" <<EOF
# Written by compose/lib.sh on every start: edit that file, not this one.
bind 127.0.0.1
port $REDIS_PORT
dir "$DATA/redis"
appendonly yes
# Bounded, and nothing is ever evicted: revocations and rate limits must not vanish under
# pressure. A full Redis refuses writes instead, and what needs them fails closed (503).
maxmemory ${REDIS_MAXMEMORY:-512mb}
maxmemory-policy noeviction
daemonize yes
pidfile "$DATA/run/redis.pid"
logfile "$DATA/logs/redis.log"
EOF
    if redis_ping; then
        log "Redis already answering on port $REDIS_PORT"
        return 0
    fi
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server "$DATA/redis.conf"
    await_answer redis_ping "Redis on port $REDIS_PORT" "$DATA/logs/redis.log"
}

# await_answer CHECK WHAT LOG: waits up to 10 s for the command CHECK to succeed; otherwise shows
# the end of LOG and stops with "WHAT did not answer".
await_answer() {
    local i
    for ((i = 0; i < 50; i++)); do
        "$1" && return 0
        sleep 0.2
    done
    tail -n 20 "$3" >&2 || true
    die "$2 did not answer (log: $3)"
}

stop_redis() {
    local pidfile="$DATA/run/redis.pid"
    if ! pid_alive "$pidfile"; then
        # Without our pid file, whatever answers on the port is not ours: leave it alone.
        redis_ping && log "Redis on port $REDIS_PORT was not started by compose/up; leaving it running"
        return 0
    fi
    log "stopping Redis"
    # SHUTDOWN flushes the append-only file; the pid file then only tells when it is gone.
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
    stop_pidfile "$pidfile"
}

clamd_ping() {
    [ "$(printf 'zPING\0' | timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$CLAMD_PORT; cat >&3; head -c 4 <&3" 2>/dev/null)" = PONG ]
}

# Starts clamd with the project's own signature database (compose/clamav: the EICAR test file;
# nothing is downloaded). A deployment points DatabaseDirectory at freshclam's databases instead.
start_clamd() {
    ensure_dirs
    cat >"$DATA/clamd.conf" <<EOF
# Written by compose/lib.sh on every start: edit that file, not this one.
DatabaseDirectory $ROOT/compose/clamav
TCPSocket $CLAMD_PORT
TCPAddr 127.0.0.1
PidFile $DATA/run/clamd.pid
LogFile $DATA/logs/clamd.log
StreamMaxLength 12M
MaxFileSize 12M
MaxScanSize 48M
AlertExceedsMax yes
EOF
    if clamd_ping; then
        log "clamd already answering on port $CLAMD_PORT"
        return 0
    fi
    log "starting clamd on 127.0.0.1:$CLAMD_PORT"
    local clamd
    clamd="$(command -v clamd || echo /usr/sbin/clamd)"
    "$clamd" --config-file="$DATA/clamd.conf"
    await_answer clamd_ping "clamd on port $CLAMD_PORT" "$DATA/logs/clamd.log"
}

stop_clamd() {
    local pidfile="$DATA/run/clamd.pid"
    pid_alive "$pidfile" || return 0
    log "stopping clamd"
    stop_pidfile "$pidfile"
}

turn_ping() {
    (exec 3<>"/dev/tcp/127.0.0.1/$TURN_PORT") 2>/dev/null
}

# Starts coturn from Debian's package on loopback, with the secret calls signs credentials with
# (coturn's REST scheme: `use-auth-secret`). Loopback peers are allowed, since both ends of a
# local call are on 127.0.0.1; a deployment keeps coturn's default and its public relay-ip.
start_coturn() {
    ensure_dirs
    load_turn_secret
    (umask 077 && cat >"$DATA/turnserver.conf" <<EOF
# Written by compose/lib.sh on every start: edit that file, not this one.
listening-ip=127.0.0.1
relay-ip=127.0.0.1
listening-port=$TURN_PORT
realm=parley.local
use-auth-secret
static-auth-secret=$TURN_SECRET
fingerprint
no-tls
no-dtls
no-cli
no-multicast-peers
allow-loopback-peers
userdb=$DATA/turndb
pidfile=$DATA/run/turnserver.pid
log-file=$DATA/logs/turnserver.log
simple-log
EOF
    )
    if turn_ping; then
        log "coturn already answering on port $TURN_PORT"
        return 0
    fi
    log "starting coturn on 127.0.0.1:$TURN_PORT"
    turnserver -c "$DATA/turnserver.conf" -o >/dev/null
    await_answer turn_ping "coturn on port $TURN_PORT" "$DATA/logs/turnserver.log"
}

stop_coturn() {
    local pidfile="$DATA/run/turnserver.pid"
    pid_alive "$pidfile" || return 0
    log "stopping coturn"
    stop_pidfile "$pidfile"
}

# Prints the secret kept in $DATA/NAME: 32 random bytes in base64 (without / + =), made once so
# it survives restarts.
kept_secret() {
    ensure_dirs
    local file="$DATA/$1"
    if [ ! -s "$file" ]; then
        (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$file")
    fi
    cat "$file"
}

# Exports SERVICE_TOKEN (the credential services use on /internal/... calls), unless set by the
# caller: $DATA/service-token.
load_service_token() {
    SERVICE_TOKEN="${SERVICE_TOKEN:-$(kept_secret service-token)}"
    export SERVICE_TOKEN
}

# Exports TURN_SECRET (the secret calls signs TURN credentials with, coturn's
# static-auth-secret), unless set by the caller: $DATA/turn-secret.
load_turn_secret() {
    TURN_SECRET="${TURN_SECRET:-$(kept_secret turn-secret)}"
    export TURN_SECRET
}

# Gives auth AUTH_ENCRYPTION_KEYS (the key that seals its signing keys and TOTP secrets at rest),
# unless set by the caller: read from $DATA/auth-encryption-keys, generated once (kid `local1`,
# 32 random bytes) so it survives restarts. Only auth gets it.
load_auth_encryption_keys() {
    ensure_dirs
    local file="$DATA/auth-encryption-keys"
    if [ ! -s "$file" ]; then
        (umask 077 && printf 'local1:%s\n' "$(head -c 32 /dev/urandom | base64 -w 0)" >"$file")
    fi
    SERVICE_ENV_OF[auth]+=" AUTH_ENCRYPTION_KEYS=${AUTH_ENCRYPTION_KEYS:-$(cat "$file")}"
}

# True if PID is a running process. A zombie (exited, not yet reaped by a parent that is not
# init, as in some sandboxes) still answers kill -0, so it is checked for and counted as gone.
proc_running() {
    local pid="$1" state
    kill -0 "$pid" 2>/dev/null || return 1
    if [ -r "/proc/$pid/stat" ]; then
        # Field 3 of /proc/PID/stat is the state; field 2 "(comm)" may hold spaces, so cut after ")".
        state="$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)"
        [ "$state" != Z ] || return 1
    fi
    return 0
}

# True if FILE names a live process; with EXPECTED, also if that process's program (argv[0]) has
# EXPECTED's file name, so a pid reused after a reboot by another program is not taken for ours.
pid_alive() {
    local file="$1" expected="${2:-}" pid
    [ -s "$file" ] || return 1
    pid="$(cat "$file")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    proc_running "$pid" || return 1
    if [ -n "$expected" ] && [ -r "/proc/$pid/cmdline" ]; then
        # The program, or what its supervisor runs (compose/supervise); any build of the service
        # counts (debug for the stack, release for bench/).
        local argument
        while IFS= read -r argument; do
            [ "$(basename "$argument")" = "$(basename "$expected")" ] && return 0
        done < <(tr '\0' '\n' <"/proc/$pid/cmdline" | head -n 3)
        return 1
    fi
    return 0
}

# The binary of a service or of one of its further instances (messages-2 runs messages).
service_binary() {
    echo "$BUILD_DIR/${1%-[0-9]}"
}

# start_service NAME [ARGS...]: starts $BUILD_DIR/NAME in the background with its port in
# HTTP_PORT, its event subscribers in EVENT_SUBSCRIBERS and its own SERVICE_ENV_OF, unless already
# running. Output goes to $DATA/logs/NAME.log.
start_service() {
    local name="$1"
    shift
    local bin
    bin="$(service_binary "$name")"
    local pidfile="$DATA/run/$name.pid" logfile="$DATA/logs/$name.log"
    local port="${SERVICE_PORT[$name]:-}"
    [ -n "$port" ] || die "unknown service $name (add it to SERVICE_SPECS in compose/lib.sh)"
    [ -x "$bin" ] || die "$bin not found: run 'swift build' first"
    ensure_dirs
    if pid_alive "$pidfile" "$bin"; then
        # A running service keeps its old binary: `compose/down && compose/up` to pick up a build.
        log "$name already running (pid $(cat "$pidfile")); restart with compose/down && compose/up to run a new build"
        return 0
    fi
    log "starting $name on port $port"
    printf '\n===== %s starting %s =====\n' "$(date '+%F %T')" "$name" >>"$logfile"
    local extra=()
    read -r -a extra <<<"${SERVICE_ENV_OF[$name]:-}"
    # Under compose/supervise, which starts it again after a crash; setsid gives the supervisor
    # a process group of its own, so stop_pidfile can end both at once if they do not stop.
    HTTP_PORT="$port" EVENT_SUBSCRIBERS="${EVENT_SUBSCRIBERS_OF[$name]:-}" \
        setsid nohup env "${extra[@]}" "$ROOT/compose/supervise" "$bin" "$@" </dev/null >>"$logfile" 2>&1 &
    echo "$!" >"$pidfile"
}

stop_service() {
    local name="$1"
    local pidfile="$DATA/run/$name.pid"
    if pid_alive "$pidfile" "$(service_binary "$name")"; then
        log "stopping $name"
        stop_pidfile "$pidfile"
    else
        rm -f "$pidfile"
    fi
}

# wait_ready URL NAME: polls URL/health/ready (URL from ready_url NAME) for up to 60 s. Fails early if the service died,
# and shows the end of its log either way.
wait_ready() {
    local url="$1" name="$2" i
    local pidfile="$DATA/run/$name.pid" logfile="$DATA/logs/$name.log"
    for ((i = 0; i < 120; i++)); do
        if curl -fsS -o /dev/null --max-time 2 "$url/health/ready" 2>/dev/null; then
            log "$name is ready"
            return 0
        fi
        if [ -f "$pidfile" ] && ! pid_alive "$pidfile"; then
            tail -n 40 "$logfile" >&2 || true
            die "$name exited before it was ready (log: $logfile)"
        fi
        sleep 0.5
    done
    tail -n 40 "$logfile" >&2 || true
    die "$name was not ready at $url/health/ready after 60 s (log: $logfile)"
}

# stop_pidfile FILE: SIGTERM, up to 15 s for a graceful exit, then SIGKILL. Removes FILE.
stop_pidfile() {
    local file="$1" pid i
    if ! pid_alive "$file"; then
        rm -f "$file"
        return 0
    fi
    pid="$(cat "$file")"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 30; i++)); do
        proc_running "$pid" || {
            rm -f "$file"
            return 0
        }
        sleep 0.5
    done
    log "pid $pid ($file) did not stop within 15 s: sending SIGKILL"
    # To its whole process group when it leads one (a supervised service and its supervisor).
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    rm -f "$file"
}

# What the services need before they start: the packages, PostgreSQL, Redis, clamd, the service
# token, the TURN secret and auth's encryption key. compose/up and the benchmarks (bench/lib.sh)
# start with it.
start_dependencies() {
    ensure_packages
    start_postgres
    start_redis
    start_clamd
    start_coturn
    load_service_token
    load_auth_encryption_keys
}

# Every service from $BUILD_DIR, in the order of SERVICE_SPECS, each ready before the next.
start_services() {
    local name
    for name in "${SERVICES[@]}"; do
        start_service "$name"
        wait_ready "$(ready_url "$name")" "$name"
    done
}
