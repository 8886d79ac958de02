#!/usr/bin/env bash
# `make cluster`: the production topology on one machine, without containers.
#
#   nginx on 127.0.0.1:$CLUSTER_PORT (default 8080)
#     -> gunicorn "app1" on 127.0.0.1:$APP1_PORT (8001) and "app2" on 127.0.0.1:$APP2_PORT (8002)
#   one Celery worker, one Celery beat; PostgreSQL ($DATABASE_URL) and Redis ($REDIS_URL).
#
# Every process runs in its own process group and is started again when it dies (as systemd or
# the container runtime would). Ctrl-C (or SIGTERM) stops them all. The process ids are written to
# $CLUSTER_DIR/<name>.pid (app1, app2, worker, beat, nginx); logs to $CLUSTER_DIR/<name>.log.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${BIN:-$ROOT/.venv/bin}"
CLUSTER_PORT="${CLUSTER_PORT:-8080}"
APP1_PORT="${APP1_PORT:-8001}"
APP2_PORT="${APP2_PORT:-8002}"
CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/var/cluster}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/crm}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export DB_POOL_MIN="${DB_POOL_MIN:-1}" DB_POOL_MAX="${DB_POOL_MAX:-4}"
export TRUSTED_PROXIES="${TRUSTED_PROXIES:-127.0.0.1/32}"
export GUNICORN_WORKERS="${GUNICORN_WORKERS:-2}" GUNICORN_THREADS="${GUNICORN_THREADS:-4}"
WORKER_CONCURRENCY="${WORKER_CONCURRENCY:-2}"
NAMES=(app1 app2 worker beat)

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -q nginx >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q nginx >/dev/null; }
    else
        echo "nginx is not installed: run as root (it is installed with apt-get) or install Debian's nginx." >&2
        exit 1
    fi
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

mkdir -p "$CLUSTER_DIR"/{tmp,metrics/app1,metrics/app2}
cd "$ROOT/backend"
echo "cluster: migrating $DATABASE_URL"
"$BIN/python" manage.py migrate --noinput -v0
if [ -z "${CLUSTER_SKIP_STATIC:-}" ]; then "$BIN/python" manage.py collectstatic --noinput -v0; fi

{
    [ "$(id -u)" = 0 ] && echo "user root;"
    sed -e "s#@APP1@#127.0.0.1:$APP1_PORT#; s#@APP2@#127.0.0.1:$APP2_PORT#; s#@LISTEN@#127.0.0.1:$CLUSTER_PORT#" \
        -e "s#@DIR@#$CLUSTER_DIR#g" "$ROOT/deploy/nginx-cluster.conf"
} >"$CLUSTER_DIR/nginx.conf"

declare -A PID
start() {
    local name=$1
    case $name in
        app1 | app2)
            local port=$APP1_PORT
            [ "$name" = app2 ] && port=$APP2_PORT
            (CRM_INSTANCE=$name GUNICORN_BIND=127.0.0.1:$port PROMETHEUS_MULTIPROC_DIR="$CLUSTER_DIR/metrics/$name" \
                exec setsid "$BIN/gunicorn" -c "$ROOT/deploy/gunicorn.conf.py" >>"$CLUSTER_DIR/$name.log" 2>&1) &
            ;;
        worker)
            (exec setsid "$BIN/celery" -A config worker --concurrency "$WORKER_CONCURRENCY" --loglevel info \
                -n "worker@%h" >>"$CLUSTER_DIR/worker.log" 2>&1) &
            ;;
        beat)
            (exec setsid "$BIN/celery" -A config beat --loglevel info \
                --pidfile "$CLUSTER_DIR/celerybeat.pid" >>"$CLUSTER_DIR/beat.log" 2>&1) &
            ;;
        nginx)
            (exec setsid "$NGINX" -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -g "daemon off;" \
                >>"$CLUSTER_DIR/nginx.log" 2>&1) &
            ;;
    esac
    PID[$name]=$!
    echo "${PID[$name]}" >"$CLUSTER_DIR/$name.pid"
}

alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }

stopping=0
stop_all() {
    stopping=1
    trap - INT TERM EXIT
    echo "cluster: stopping"
    for name in nginx "${NAMES[@]}"; do
        [ -n "${PID[$name]:-}" ] && kill -TERM -- "-${PID[$name]}" 2>/dev/null || true
    done
    for _ in $(seq 1 40); do
        local any=0
        for name in nginx "${NAMES[@]}"; do alive "${PID[$name]:-0}" && any=1; done
        [ $any = 0 ] && break
        sleep 0.25
    done
    for name in nginx "${NAMES[@]}"; do
        [ -n "${PID[$name]:-}" ] && kill -KILL -- "-${PID[$name]}" 2>/dev/null || true
        rm -f "$CLUSTER_DIR/$name.pid"
    done
    rm -f "$CLUSTER_DIR/celerybeat.pid"
    wait 2>/dev/null || true
    exit 0
}
trap stop_all INT TERM EXIT

"$NGINX" -t -q -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -g "daemon off;"
for name in "${NAMES[@]}" nginx; do start "$name"; done
echo "cluster: http://127.0.0.1:$CLUSTER_PORT (app1 :$APP1_PORT, app2 :$APP2_PORT, worker, beat); Ctrl-C stops"

while [ $stopping = 0 ]; do
    for name in "${NAMES[@]}" nginx; do
        if ! alive "${PID[$name]}"; then
            wait "${PID[$name]}" 2>/dev/null || true
            echo "cluster: $name exited; starting it again"
            [ "$name" = beat ] && rm -f "$CLUSTER_DIR/celerybeat.pid"
            start "$name"
        fi
    done
    sleep 0.3
done
