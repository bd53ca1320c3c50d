#!/usr/bin/env bash
# The embedded private PostgreSQL 15 (+PostGIS) cluster: no system service, a project-local
# data folder, a Unix socket in that folder and a loopback TCP port.
#
#   scripts/pg.sh start|stop|status|url|psql [args]     (env: EMBEDDED_PG_DIR, EMBEDDED_PG_PORT)
#
# start is idempotent (a running cluster is left alone); stop leaves no process behind.
# PostgreSQL refuses to run as root, so under root the cluster runs as the unprivileged
# system user `reos-pg`, created on first use.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${EMBEDDED_PG_DIR:-$REPO/.reos}
PORT=${EMBEDDED_PG_PORT:-54329}
PG_BIN=${EMBEDDED_PG_BIN:-/usr/lib/postgresql/15/bin}
DB_NAME=reos
DB_USER=reos
RUN_AS=""

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

log() { echo "pg.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL 15 not found in $PG_BIN (run scripts/install-deps.sh)"

if [ "$(id -u)" -eq 0 ]; then
  RUN_AS=reos-pg
  if ! id "$RUN_AS" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_AS"
  fi
  # The data folder must be reachable by the unprivileged user; a clone under a private home
  # (e.g. /root, mode 700) is not, so the cluster then lives in /var/tmp with links to it.
  if ! runuser -u "$RUN_AS" -- test -x "$DIR" 2>/dev/null; then
    real=/var/tmp/reos-pg-$(printf '%s' "$DIR" | sha1sum | cut -c1-12)
    mkdir -p "$real"
    for sub in pgdata run; do
      [ -L "$DIR/$sub" ] || { rm -rf "${DIR:?}/$sub"; ln -s "$real/$sub" "$DIR/$sub"; }
    done
    DATA_REAL=$real/pgdata RUN_REAL=$real/run
  fi
fi
DATA=$DIR/pgdata
SOCK=$DIR/run
DATA_REAL=${DATA_REAL:-$DATA}
RUN_REAL=${RUN_REAL:-$SOCK}

as_owner() {
  if [ -n "$RUN_AS" ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi
}

conninfo() { echo "host=$SOCK port=$PORT dbname=${1:-$DB_NAME} user=$DB_USER"; }

is_running() { as_owner "$PG_BIN/pg_ctl" -D "$DATA_REAL" status >/dev/null 2>&1; }

init_cluster() {
  mkdir -p "$DATA_REAL" "$RUN_REAL"
  [ -n "$RUN_AS" ] && chown "$RUN_AS" "$DATA_REAL" "$RUN_REAL"
  chmod 700 "$DATA_REAL"
  log "initdb $DATA_REAL"
  # Local (socket) connections are trusted: the socket folder is private to its owner (and
  # root). TCP on loopback needs the password written to $DIR/pg-password.
  local pwfile=$RUN_REAL/.pwinit
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$DIR/pg-password"
  chmod 600 "$DIR/pg-password"
  install -m 600 "$DIR/pg-password" "$pwfile"
  [ -n "$RUN_AS" ] && chown "$RUN_AS" "$pwfile"
  as_owner "$PG_BIN/initdb" -D "$DATA_REAL" -U "$DB_USER" --pwfile="$pwfile" -E UTF8 \
    --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 ||
    { cat "$DIR/initdb.log" >&2; rm -f "$pwfile"; die "initdb failed"; }
  rm -f "$pwfile"
  cat >>"$DATA_REAL/postgresql.conf" <<CONF
# reos embedded cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$RUN_REAL'
unix_socket_permissions = 0770
max_connections = 200
shared_buffers = 128MB
fsync = on
logging_collector = off
CONF
}

start() {
  [ -f "$DATA_REAL/PG_VERSION" ] || init_cluster
  if is_running; then
    log "already running (port $PORT, socket $SOCK)"
  else
    mkdir -p "$RUN_REAL"
    [ -n "$RUN_AS" ] && chown "$RUN_AS" "$RUN_REAL"
    as_owner "$PG_BIN/pg_ctl" -D "$DATA_REAL" -l "$DATA_REAL/server.log" -w -t 60 \
      -o "-p $PORT -k $RUN_REAL" start >/dev/null ||
      { tail -20 "$DATA_REAL/server.log" >&2; die "start failed (port $PORT in use?)"; }
    log "started (port $PORT, socket $SOCK)"
  fi
  # The hub's database and PostGIS; both statements are no-ops once done.
  if ! psql_q postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1; then
    psql_q postgres -c "CREATE DATABASE $DB_NAME" >/dev/null
  fi
  psql_q "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null 2>&1 ||
    die "PostGIS is missing (package postgresql-15-postgis-3)"
}

stop() {
  if [ -f "$DATA_REAL/PG_VERSION" ] && is_running; then
    as_owner "$PG_BIN/pg_ctl" -D "$DATA_REAL" -w -t 60 -m fast stop >/dev/null
    log "stopped"
  else
    log "not running"
  fi
}

psql_q() {
  local db=$1
  shift
  PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$(conninfo "$db")" "$@"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if is_running; then echo "running port=$PORT socket=$SOCK"; else echo "stopped"; exit 3; fi ;;
  url) conninfo "${2:-$DB_NAME}" ;;
  psql) shift; psql_q "$DB_NAME" "$@" ;;
  *) echo "usage: scripts/pg.sh start|stop|status|url [db]|psql [args]" >&2; exit 2 ;;
esac
