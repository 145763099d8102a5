#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL cluster on localhost for the test suite.
#   scripts/postgres.sh start   -> prints the URL to use as NIGEHBAN_TEST_POSTGRES_URL
#   scripts/postgres.sh stop
# Installs Debian's postgresql when missing. The cluster runs as the unprivileged user
# 'nigehban-test' in a directory of its own outside the repository (the repository may sit under
# a directory that user cannot enter; NIGEHBAN_PG_DIR overrides it), on a free port (or
# NIGEHBAN_PG_PORT), and is removed by 'stop'. Exits non-zero when PostgreSQL cannot be started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PGDIR="${NIGEHBAN_PG_DIR:-${TMPDIR:-/tmp}/nigehban-pg-$(printf %s "$ROOT" | sha256sum | cut -c1-12)}"
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PORT="${NIGEHBAN_PG_PORT:-$(free_port)}"
RUN_USER=nigehban-test

find_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

as_user() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u "$RUN_USER" -- "$@")
  else
    "$@"
  fi
}

start() {
  BIN=$(find_bin || true)
  if [ -z "$BIN" ]; then
    echo "installing PostgreSQL from Debian packages..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BIN=$(find_bin)
  fi
  if [ "$(id -u)" = 0 ] && ! id "$RUN_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_USER"
  fi
  stop_quiet
  mkdir -p "$PGDIR"
  [ "$(id -u)" = 0 ] && chown "$RUN_USER" "$PGDIR"
  chmod 700 "$PGDIR"
  as_user "$BIN/initdb" -D "$PGDIR/data" -U nigehban --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_user "$BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -t 60 \
    -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  as_user "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U nigehban nigehban_test
  echo "postgresql+psycopg://nigehban@127.0.0.1:$PORT/nigehban_test"
}

stop_quiet() {
  BIN=$(find_bin || true)
  if [ -n "$BIN" ] && [ -f "$PGDIR/data/postmaster.pid" ]; then
    as_user "$BIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PGDIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quiet ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
