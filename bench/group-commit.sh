#!/usr/bin/env bash
# Creates per second in one tenant, 32 connections for 10 s, by PostgreSQL group commit setting and process count, with
# SQLite's in the same run for the ratio (docs/scaling.md, "Group commit on PostgreSQL"). Builds first; needs a
# PostgreSQL database to fill:
#   npm run build && WITH_POSTGRES_DURABLE=1 scripts/with-postgres.sh bash -c 'bash bench/group-commit.sh "$OPENCASE_TEST_PG_URL"'
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${1:?usage: bench/group-commit.sh POSTGRES_URL}
WORK=$(mktemp -d)
trap 'pkill -f "serve --db .* --port 18283" || true; rm -rf "$WORK"' EXIT
AUTOCANNON=node_modules/.bin/autocannon
PORT=18283
node dist/cli.js generate --db "$PG" --tasks 2000 > "$WORK/pg.json"
node dist/cli.js generate --db "$WORK/sqlite.db" --tasks 2000 > "$WORK/sqlite.json"
psql "$PG" -qc 'vacuum analyze' && psql "$PG" -qc checkpoint
field() { node -e "console.log(JSON.parse(require('fs').readFileSync('$1','utf8')).$2)"; }

# run LABEL DB GENERATED WORKERS GROUP_COMMIT
run() {
  OPENCASE_PG_GROUP_COMMIT=$5 OPENCASE_LOG_LEVEL=warn OPENCASE_RATE_LIMIT=0 OPENCASE_TOKEN_RATE_LIMIT=0 \
    node dist/cli.js serve --db "$2" --port $PORT --workers "$4" > "$WORK/serve.log" 2>&1 &
  until curl -s -o /dev/null "http://127.0.0.1:$PORT/readyz"; do sleep 0.2; done
  local token user body url
  token=$(curl -s -X POST "http://127.0.0.1:$PORT/baas/auth/v1.0/oauth2/token" -d grant_type=client_credentials \
    -d "client_id=$(field "$3" clientId)" -d "client_secret=$(field "$3" clientSecret)" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  user=$(curl -s "http://127.0.0.1:$PORT/opencase/v1/users?limit=1" -H "access-token: $token" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  body="{\"taskInfo\":{\"title\":\"bench\",\"ownerId\":\"$user\",\"creatorId\":\"$user\",\"priority\":\"Low\"}}"
  url="http://127.0.0.1:$PORT/service/AICC__Case/1.0.0/openapi/task"
  $AUTOCANNON -c 32 -d 3 -m POST -H "access-token: $token" -H 'content-type: application/json' -b "$body" "$url" > /dev/null 2>&1
  $AUTOCANNON -j -c 32 -d 10 -m POST -H "access-token: $token" -H 'content-type: application/json' -b "$body" "$url" 2>/dev/null \
    | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s);console.log('| $1 | '+Math.round(r.requests.average)+' | '+r.latency.p50+' | '+r.latency.p99+' | '+(r.errors+r.non2xx)+' |')})"
  pkill -f "serve --db .* --port $PORT" || true
  while curl -s -o /dev/null "http://127.0.0.1:$PORT/readyz"; do sleep 0.2; done
}

echo '| setup | creates/s | p50 (ms) | p99 (ms) | errors |'
echo '|---|---|---|---|---|'
run 'SQLite' "$WORK/sqlite.db" "$WORK/sqlite.json" 1 0
for batches in 0 1 2 4; do run "PostgreSQL, group commit $batches" "$PG" "$WORK/pg.json" 1 $batches; done
for batches in 0 1 2; do run "PostgreSQL, group commit $batches, --workers 2" "$PG" "$WORK/pg.json" 2 $batches; done
