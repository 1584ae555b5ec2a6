#!/usr/bin/env bash
# A throw-away PostgreSQL for the fleet tests (tests/test_daemon_fleet.py).
#
# Installs PostgreSQL from Debian's packages if it is missing, starts a fresh cluster under
# /tmp owned by the `postgres` user (initdb + pg_ctl, no system service), and prints the
# URL as an `export` line, so that either of these gives the tests their database:
#
#     eval "$(bash .ci/postgres.sh)"     # or, in a script with set -e: source .ci/postgres.sh
#     .venv/bin/pytest tests/test_daemon_fleet.py
#
# Stop it with: su postgres -c "$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | tail -1)/pg_ctl -D /tmp/sheetpilot-pg/data stop"
set -euo pipefail

PGROOT="${SHEETPILOT_PG_DIR:-/tmp/sheetpilot-pg}"
PGPORT="${SHEETPILOT_PG_PORT:-55432}"

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

as_postgres() {
  if [ "$(id -un)" = postgres ]; then bash -c "$1"; else su postgres -s /bin/bash -c "$1"; fi
}

if ! as_postgres "$BIN/pg_ctl -D $PGROOT/data status" >/dev/null 2>&1; then
  rm -rf "$PGROOT"
  mkdir -p "$PGROOT"
  chown postgres "$PGROOT" 2>/dev/null || true
  as_postgres "$BIN/initdb -D $PGROOT/data -U postgres --auth=trust -E UTF8 >/dev/null"
  as_postgres "$BIN/pg_ctl -D $PGROOT/data -l $PGROOT/log -w \
    -o '-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' start >/dev/null"
fi
as_postgres "$BIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = 'sheetpilot_test'\"" | grep -q 1 ||
  as_postgres "$BIN/createdb -h 127.0.0.1 -p $PGPORT -U postgres sheetpilot_test"

export SHEETPILOT_TEST_POSTGRES="postgresql://postgres@127.0.0.1:${PGPORT}/sheetpilot_test"
echo "export SHEETPILOT_TEST_POSTGRES=${SHEETPILOT_TEST_POSTGRES}"
