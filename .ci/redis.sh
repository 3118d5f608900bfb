#!/usr/bin/env bash
# Starts a throwaway redis-server on 127.0.0.1 and a free port, for the live-update test (two instances over Redis).
# Source it: it exports NEWS_GRAPH_TEST_REDIS_URL and registers redis_stop_test_server for the exit trap.
# Under CI=true a Redis that cannot start fails the run; elsewhere the test skips and says why.
set -euo pipefail

REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}
if [ ! -x "$REDIS_SERVER" ]; then
  echo "redis-server not found; installing Debian's redis-server" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; } || true
  REDIS_SERVER=$(command -v redis-server || echo /usr/bin/redis-server)
fi

REDIS_TMP=$(mktemp -d /tmp/news-graph-redis.XXXXXX)
REDIS_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

redis_stop_test_server() {
  if [ -f "$REDIS_TMP/redis.pid" ]; then kill "$(cat "$REDIS_TMP/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$REDIS_TMP"
}

redis_started=false
if [ -x "$REDIS_SERVER" ] &&
  "$REDIS_SERVER" --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --dir "$REDIS_TMP" --pidfile "$REDIS_TMP/redis.pid" --logfile "$REDIS_TMP/redis.log"; then
  # Ready once it answers PING (bash's /dev/tcp, so redis-cli is not needed).
  for _ in $(seq 1 50); do
    if exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" 2>/dev/null; then
      printf 'PING\r\n' >&3
      if read -r -t 2 reply <&3 && [[ $reply == +PONG* ]]; then redis_started=true; fi
      exec 3>&- 3<&-
      [ "$redis_started" = true ] && break
    fi
    sleep 0.1
  done
fi

if [ "$redis_started" = true ]; then
  export NEWS_GRAPH_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  echo "Redis $("$REDIS_SERVER" --version | awk '{print $3}' | cut -d= -f2) listening on 127.0.0.1:$REDIS_PORT" >&2
elif [ "${CI:-}" = true ]; then
  echo "redis-server could not start on 127.0.0.1:$REDIS_PORT" >&2
  cat "$REDIS_TMP/redis.log" >&2 2>/dev/null || true
  redis_stop_test_server
  exit 1
else
  echo "redis-server could not start; the live-update test over Redis will be skipped" >&2
fi
