#!/usr/bin/env bash
# A real streaming standby of the local PostgreSQL cluster, for trying and
# testing read replicas (DATABASE_REPLICA_URLS) on one machine.
#
#   deployments/pg-standby/standby.sh start    # base backup (first time), start, wait until ready
#   deployments/pg-standby/standby.sh status   # running? in recovery? replay position
#   deployments/pg-standby/standby.sh stop     # stop it (the data directory stays)
#   deployments/pg-standby/standby.sh destroy  # stop and remove the data directory
#
# start is idempotent: an existing, healthy data directory is reused, a
# running standby is left alone. The primary must allow replication from
# 127.0.0.1: start adds `host replication <user> 127.0.0.1/32 trust` to its
# pg_hba.conf when missing and reloads it. Run as root (the server runs as
# the postgres OS user) or as the postgres user.
#
# Settings (environment):
#   PRIMARY_HOST (127.0.0.1)  PRIMARY_PORT (5432)  PRIMARY_USER (postgres)
#   STANDBY_PORT (5433)       STANDBY_DIR (/var/tmp/solo-pg-standby)
#   START_WAIT (600): seconds a start may spend replaying WAL before it fails
#   STANDBY_BIN: the directory of pg_ctl and postgres (default: the primary's
#     version under /usr/lib/postgresql, else the pg_ctl on PATH)
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PRIMARY_USER=${PRIMARY_USER:-postgres}
STANDBY_PORT=${STANDBY_PORT:-5433}
STANDBY_DIR=${STANDBY_DIR:-/var/tmp/solo-pg-standby}
START_WAIT=${START_WAIT:-600}
DATA="$STANDBY_DIR/data"
LOG="$STANDBY_DIR/postgres.log"
APP_NAME=solo_standby

bindir() {
  local v
  if [ -n "${STANDBY_BIN:-}" ]; then
    echo "$STANDBY_BIN"
    return
  fi
  v=$(psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -d postgres -XAtc "SHOW server_version_num")
  v=$((v / 10000))
  if [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then
    echo "/usr/lib/postgresql/$v/bin"
  else
    dirname "$(command -v pg_ctl)"
  fi
}

# as_postgres runs a command as the postgres OS user (we may be root).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

primary_sql() { psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -d postgres -XAtc "$1"; }
standby_sql() { psql -h 127.0.0.1 -p "$STANDBY_PORT" -U "$PRIMARY_USER" -d postgres -XAtc "$1"; }

running() { [ -f "$DATA/postmaster.pid" ] && as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

allow_replication() {
  local hba line
  hba=$(primary_sql "SHOW hba_file")
  line="host replication $PRIMARY_USER 127.0.0.1/32 trust"
  if ! grep -Eq "^[[:space:]]*host[[:space:]]+replication[[:space:]]+($PRIMARY_USER|all)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust" "$hba"; then
    echo "adding '$line' to $hba"
    printf '%s\n' "$line" >>"$hba"
    primary_sql "SELECT pg_reload_conf()" >/dev/null
  fi
}

base_backup() {
  echo "taking a base backup of $PRIMARY_HOST:$PRIMARY_PORT into $DATA"
  rm -rf "$DATA"
  mkdir -p "$STANDBY_DIR"
  chown postgres:postgres "$STANDBY_DIR" 2>/dev/null || true
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL
  # the backup needs; a checkpoint is forced so the backup starts at once.
  as_postgres "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" \
    -D "$DATA" -R -X stream -c fast
  # The copied configuration is the primary's: the standby listens on its
  # own port, keeps no copy of the primary's conf.d includes' ports, and
  # accepts the same trust logins from 127.0.0.1.
  # A name of its own, so readiness can be read from the primary's
  # pg_stat_replication.
  sed -i "s/^primary_conninfo = '/primary_conninfo = 'application_name=$APP_NAME /" "$DATA/postgresql.auto.conf"
  cat >>"$DATA/postgresql.auto.conf" <<EOF
port = $STANDBY_PORT
listen_addresses = '127.0.0.1'
hot_standby = on
hot_standby_feedback = on
unix_socket_directories = '$STANDBY_DIR'
EOF
  if [ ! -f "$DATA/pg_hba.conf" ]; then
    cp "$(primary_sql "SHOW hba_file")" "$DATA/pg_hba.conf"
    chown postgres:postgres "$DATA/pg_hba.conf"
  fi
  if [ ! -f "$DATA/postgresql.conf" ]; then
    # Debian keeps the configuration outside the data directory.
    : >"$DATA/postgresql.conf"
    chown postgres:postgres "$DATA/postgresql.conf"
  fi
}

# pg_start starts the server and waits until it accepts connections. A
# standby restarted with much WAL to replay (it was stopped while lagging
# behind a busy primary) accepts none until it has replayed up to where it
# stopped, which can take minutes on a loaded machine; so it may take
# START_WAIT seconds rather than pg_ctl's default minute. pg_ctl itself does
# the waiting: it knows the process it started, so a postmaster that has not
# yet written its pid file (a busy machine) is told apart from one that
# exited; a loop of our own reading the pid file cannot tell the two apart.
pg_start() {
  as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$START_WAIT" \
    -o "-c config_file=$DATA/postgresql.conf -c hba_file=$DATA/pg_hba.conf" start >/dev/null &
  local ctl=$! waited=0
  while kill -0 "$ctl" 2>/dev/null; do
    if [ "$waited" -gt 0 ] && [ $((waited % 15)) -eq 0 ]; then
      echo "still starting after ${waited}s (replaying WAL): $(grep -E 'redo starts|consistent' "$LOG" | tail -1)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  if ! wait "$ctl"; then
    echo "the standby did not start within ${START_WAIT}s or stopped while starting" >&2
    return 1
  fi
  pg_isready -q -h 127.0.0.1 -p "$STANDBY_PORT"
}

replayed() { standby_sql "SELECT coalesce(pg_last_wal_replay_lsn()::text, '')" 2>/dev/null || true; }

# streaming waits until the primary streams to the standby: "catchup" while
# it replays what it missed, "streaming" once it has caught up. A standby
# replays the WAL it already holds before it connects, so no connection is
# only a failure when replay stands still for 15 s: then it cannot stream at
# all (the WAL it needs was recycled while it was stopped).
streaming() {
  local state lsn last="" still=0 waited=0
  while [ "$waited" -lt "$START_WAIT" ]; do
    state=$(primary_sql "SELECT state FROM pg_stat_replication WHERE application_name = '$APP_NAME'" 2>/dev/null || true)
    case "$state" in
    streaming) return 0 ;;
    "")
      lsn=$(replayed)
      if [ -n "$lsn" ] && [ "$lsn" != "$last" ]; then
        still=0
        last=$lsn
      else
        still=$((still + 1))
        [ "$still" -ge 15 ] && return 1
      fi
      ;;
    *) still=0 ;;
    esac
    sleep 1
    waited=$((waited + 1))
  done
  return 1
}

start() {
  allow_replication
  if ! running; then
    if [ ! -f "$DATA/standby.signal" ] || [ ! -f "$DATA/PG_VERSION" ]; then
      base_backup
    fi
    echo "starting the standby on port $STANDBY_PORT (log: $LOG)"
    pg_start || { tail -5 "$LOG" >&2; return 1; }
  else
    echo "standby already running on port $STANDBY_PORT"
  fi
  if ! streaming; then
    # Stopped for too long: the primary no longer has the WAL it needs. A
    # standby is disposable: take a new base backup, once.
    echo "the standby cannot stream from the primary; taking a new base backup"
    stop
    base_backup
    pg_start || { tail -5 "$LOG" >&2; return 1; }
    streaming || { echo "standby does not stream; see $LOG" >&2; return 1; }
  fi
  status
}

stop() {
  if running; then
    as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    echo "standby stopped"
  else
    echo "standby not running"
  fi
}

status() {
  if ! running; then
    echo "standby not running (data: $DATA)"
    return 3
  fi
  echo "standby running on 127.0.0.1:$STANDBY_PORT (data: $DATA)"
  standby_sql "SELECT 'in recovery: ' || pg_is_in_recovery() || ', replayed up to ' || coalesce(pg_last_wal_replay_lsn()::text, '-') || ', replay paused: ' || pg_is_wal_replay_paused()"
  primary_sql "SELECT 'primary sees: ' || state || ', replay lag ' || coalesce(replay_lag::text, '0') FROM pg_stat_replication WHERE client_addr = '127.0.0.1'" || true
}

BIN=$(bindir)
case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
destroy)
  stop
  rm -rf "$STANDBY_DIR"
  echo "removed $STANDBY_DIR"
  ;;
*)
  echo "usage: $0 start|stop|status|destroy" >&2
  exit 2
  ;;
esac
