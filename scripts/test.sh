#!/usr/bin/env bash
# The full quality gate, as CI runs it: format, lint, strict typing, and every test on SQLite
# and on a throwaway PostgreSQL cluster (installed from Debian packages when missing).
# Fails if PostgreSQL cannot be started. Where the third-party corpora are (../shared), it
# also checks the stance model against its sources: it rebuilds the fast tier (every head and
# its calibration, a few minutes) and compares it array by array with the shipped model's; then
# it rebuilds the whole model and compares it byte for byte, unless the record of a verified
# rebuild beside the model (rebuild.json, written by `nigehban train --check --record`) covers
# the same inputs and the same model. A full rebuild takes about 30 minutes on a 2-core machine
# (most of it embedding 31,000 texts).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
echo "== format and lint"
$BIN/ruff format --check src tests bench
$BIN/ruff check src tests bench
echo "== types (mypy --strict)"
$BIN/mypy
$BIN/mypy tests bench  # the tests and benchmarks, strict too
echo "== PostgreSQL"
URL=$(scripts/postgres.sh start) || { echo "PostgreSQL could not be started" >&2; exit 1; }
trap 'scripts/postgres.sh stop' EXIT
echo "started at $URL"
echo "== tests"
NIGEHBAN_TEST_POSTGRES_URL="$URL" NIGEHBAN_REQUIRE_POSTGRES=1 $BIN/pytest -p no:cacheprovider "$@"
echo "== stance model: rebuild and compare with the shipped one"
CORPORA="${NIGEHBAN_CORPORA_DIR:-../shared/data/corpora}"
if [ -d "$CORPORA" ]; then
  NIGEHBAN_CORPORA_DIR="$CORPORA" $BIN/nigehban train --check --fast-tier
  NIGEHBAN_CORPORA_DIR="$CORPORA" $BIN/nigehban train --check --if-changed
else
  echo "skipped: no third-party corpora at $CORPORA (set NIGEHBAN_CORPORA_DIR)"
fi
