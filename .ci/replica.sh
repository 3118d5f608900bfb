#!/usr/bin/env bash
# Starts a hot-standby streaming replica of the server that .ci/postgres.sh started, for the read-replica
# test (DATABASE_READ_URL). Source it after postgres.sh: it exports NEWS_GRAPH_TEST_READ_DATABASE_URL and
# registers replica_stop_test_server for the exit trap. Databases created on the primary (one per test file)
# appear on the replica by WAL replay, under the same name.
# Under CI=true a replica that cannot start fails the run; elsewhere the test skips and says why.
set -euo pipefail

: "${PG_BIN:?source .ci/postgres.sh first}"
: "${PG_PORT:?source .ci/postgres.sh first}"

REPLICA_TMP=$(mktemp -d /tmp/news-graph-replica.XXXXXX)
chown postgres:postgres "$REPLICA_TMP"
REPLICA_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

replica_stop_test_server() {
  su postgres -c "cd / && $PG_BIN/pg_ctl -D '$REPLICA_TMP/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$REPLICA_TMP"
}

# The primary needs no change: initdb's default pg_hba.conf admits replication connections from 127.0.0.1, and
# PostgreSQL 15's default wal_level is `replica` (checked first, so a minimal wal_level fails fast).
replica_started=false
if su postgres -c "cd / && $PG_BIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres -Atqc 'show wal_level'" 2>/dev/null | grep -Eq '^(replica|logical)$' &&
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL written during the backup too.
  su postgres -c "cd / && $PG_BIN/pg_basebackup -h 127.0.0.1 -p $PG_PORT -U postgres -D '$REPLICA_TMP/data' -R -X stream -c fast" \
    >"$REPLICA_TMP/basebackup.log" 2>&1 &&
  su postgres -c "cd / && $PG_BIN/pg_ctl -D '$REPLICA_TMP/data' -l '$REPLICA_TMP/server.log' -w -t 60 \
    -o \"-c listen_addresses=127.0.0.1 -p $REPLICA_PORT -k $REPLICA_TMP -c fsync=off -c max_connections=200 -c hot_standby=on\" start" \
    >/dev/null 2>&1; then
  # Ready once it answers as a standby and the primary lists it as a streaming receiver.
  for _ in $(seq 1 100); do
    standby=$(su postgres -c "cd / && $PG_BIN/psql -h 127.0.0.1 -p $REPLICA_PORT -U postgres -Atqc 'select pg_is_in_recovery()'" 2>/dev/null || true)
    streaming=$(su postgres -c "cd / && $PG_BIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres -Atqc \"select count(*) from pg_stat_replication where state = 'streaming'\"" 2>/dev/null || true)
    if [ "$standby" = t ] && [ "${streaming:-0}" -ge 1 ]; then replica_started=true; break; fi
    sleep 0.1
  done
fi

if [ "$replica_started" = true ]; then
  export NEWS_GRAPH_TEST_READ_DATABASE_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres"
  echo "PostgreSQL streaming replica of :$PG_PORT listening on 127.0.0.1:$REPLICA_PORT" >&2
elif [ "${CI:-}" = true ]; then
  echo "the streaming replica could not start on 127.0.0.1:$REPLICA_PORT" >&2
  cat "$REPLICA_TMP/basebackup.log" "$REPLICA_TMP/server.log" >&2 2>/dev/null || true
  replica_stop_test_server
  exit 1
else
  echo "the streaming replica could not start; the read-replica test will be skipped" >&2
fi
