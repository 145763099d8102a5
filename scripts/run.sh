#!/usr/bin/env bash
# The main job: migrate the SQLite database, load the demo data, create a demo API key,
# and serve the API on 127.0.0.1:8000 (NIGEHBAN_HOST / NIGEHBAN_PORT to change).
set -euo pipefail
cd "$(dirname "$0")/.."
N=.venv/bin/nigehban
$N db upgrade
$N demo load >/dev/null
# decide the demo posts under the Pakistan policy, so /v1/decisions and the cases have content
$N --json scan src/nigehban/demo/posts.jsonl --policy pk >/dev/null
echo "demo data loaded ($($N --json audit verify | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["events"])') audit events, chain verified)"
TOKEN=$($N --json keys create "demo $(date -u +%Y-%m-%dT%H:%M:%SZ)" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["token"])')
HOST="${NIGEHBAN_HOST:-127.0.0.1}"
PORT="${NIGEHBAN_PORT:-8000}"
cat <<MSG

  Nigehban is serving at http://$HOST:$PORT   (OpenAPI docs: http://$HOST:$PORT/docs)
  Demo API key (shown once): $TOKEN

  curl -H "Authorization: Bearer $TOKEN" http://$HOST:$PORT/v1/items/telegram/post/-1001987654321/101
  curl -H "Authorization: Bearer $TOKEN" "http://$HOST:$PORT/v1/decisions?action=review"

MSG
exec $N serve --host "$HOST" --port "$PORT"
