#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server on 127.0.0.1 and a free port, for the integration suite.
# Source it: it exports NEWS_GRAPH_TEST_DATABASE_URL and registers pg_stop_test_server for the exit trap.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL 15 server binaries not found; installing Debian's postgresql-15" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql-15 >/dev/null
fi

PG_TMP=$(mktemp -d /tmp/news-graph-pg.XXXXXX)
chown postgres:postgres "$PG_TMP"
PG_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
su postgres -c "cd / && $PG_BIN/initdb -D '$PG_TMP/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >"$PG_TMP/initdb.log" 2>&1 ||
  { cat "$PG_TMP/initdb.log" >&2; exit 1; }
su postgres -c "cd / && $PG_BIN/pg_ctl -D '$PG_TMP/data' -l '$PG_TMP/server.log' -w -t 60 \
  -o \"-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_TMP -c fsync=off -c max_connections=200\" start" >/dev/null ||
  { cat "$PG_TMP/server.log" >&2; exit 1; }

export NEWS_GRAPH_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$PG_PORT" >&2

pg_stop_test_server() {
  su postgres -c "cd / && $PG_BIN/pg_ctl -D '$PG_TMP/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
}
