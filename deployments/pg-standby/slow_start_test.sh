#!/usr/bin/env bash
# A standby whose postmaster is slow to start (a busy machine: it has not
# written its pid file when pg_ctl returns) must still start. standby.sh
# once read a missing pid file as "stopped while starting" and failed.
#
# The postmaster here is a wrapper that waits 3 s before it runs the real
# one; pg_ctl finds it beside itself, as it finds the real postgres. It
# uses its own port and directory, so a standby on 5433 is left alone.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
v=$(psql -h "${PRIMARY_HOST:-127.0.0.1}" -p "${PRIMARY_PORT:-5432}" -U "${PRIMARY_USER:-postgres}" -d postgres -XAtc "SHOW server_version_num")
real=/usr/lib/postgresql/$((v / 10000))/bin
[ -x "$real/pg_ctl" ] || real=$(dirname "$(command -v pg_ctl)")

shim=$(mktemp -d /var/tmp/solo-pg-slow-bin.XXXXXX)
export STANDBY_PORT=5434 STANDBY_DIR=/var/tmp/solo-pg-standby-slow START_WAIT=60 STANDBY_BIN=$shim
cleanup() {
  "$here/standby.sh" destroy >/dev/null 2>&1 || true
  rm -rf "$shim"
}
trap cleanup EXIT

# pg_ctl looks for postgres in its own directory, so it is copied, not linked.
cp "$real/pg_ctl" "$shim/pg_ctl"
ln -s "$real/pg_basebackup" "$shim/pg_basebackup"
cat >"$shim/postgres" <<WRAP
#!/bin/sh
# pg_ctl asks for the version first; only the server itself is slow.
case "\${1:-}" in -V | --version) exec "$real/postgres" "\$@" ;; esac
sleep 3
exec "$real/postgres" "\$@"
WRAP
chmod 755 "$shim" "$shim/postgres"

"$here/standby.sh" destroy >/dev/null 2>&1 || true
"$here/standby.sh" start
"$here/standby.sh" stop
# A restart of the existing data directory takes the same path.
"$here/standby.sh" start
echo "slow start: the standby started both times"
