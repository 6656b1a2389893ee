# Servers for the *.int.test.ts suites, sourced by .ci/run: Redis (Debian's redis-server),
# PostgreSQL with pgvector (PGlite over the wire protocol) and PostgreSQL 15 (Debian's server,
# for the parts that need no vectors). Each listens on 127.0.0.1 on a free port; their addresses
# go into the TOKENOMICS_TEST_* variables the tests read. `stop_test_servers` undoes everything.

TEST_SERVERS_DIR=""

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

install_if_missing() { # program, package
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
    apt-get update && apt-get install -y "$2"
  fi
}

start_redis() {
  install_if_missing redis-server redis-server
  local port
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$TEST_SERVERS_DIR" --pidfile "$TEST_SERVERS_DIR/redis.pid" --logfile "$TEST_SERVERS_DIR/redis.log"
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  export TOKENOMICS_TEST_REDIS_URL="redis://127.0.0.1:$port"
}

start_pglite() {
  local port
  port=$(free_port)
  node --import tsx packages/store-postgres/scripts/serve-pglite.ts --port "$port" >"$TEST_SERVERS_DIR/pglite.log" 2>&1 &
  echo $! >"$TEST_SERVERS_DIR/pglite.pid"
  for _ in $(seq 1 180); do
    grep -q '^ready ' "$TEST_SERVERS_DIR/pglite.log" && break
    sleep 0.5
  done
  grep -q '^ready ' "$TEST_SERVERS_DIR/pglite.log" || { cat "$TEST_SERVERS_DIR/pglite.log"; return 1; }
  export TOKENOMICS_TEST_PGVECTOR_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

PG_BIN=/usr/lib/postgresql/15/bin

start_postgres() {
  install_if_missing "$PG_BIN/initdb" postgresql-15
  local port data="$TEST_SERVERS_DIR/postgres"
  port=$(free_port)
  # PostgreSQL refuses to run as root: as root, run it as the postgres user apt created.
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$TEST_SERVERS_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$PG_BIN/initdb" -D "$data" -A trust -U postgres >"$TEST_SERVERS_DIR/initdb.log"
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$data" -l "$TEST_SERVERS_DIR/postgres.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $TEST_SERVERS_DIR" start >/dev/null
  export TOKENOMICS_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

start_test_servers() {
  TEST_SERVERS_DIR=$(mktemp -d /tmp/tokenomics-test-servers.XXXXXX)
  chmod 755 "$TEST_SERVERS_DIR"
  start_redis
  start_pglite
  start_postgres
  # A missing server now fails its suite instead of skipping it.
  export TOKENOMICS_REQUIRE_SERVERS=1
}

stop_test_servers() {
  [ -n "$TEST_SERVERS_DIR" ] || return 0
  # Runs in an EXIT trap under `set -e`: a server already gone must not stop the clean-up.
  if [ -f "$TEST_SERVERS_DIR/redis.pid" ]; then kill "$(cat "$TEST_SERVERS_DIR/redis.pid")" 2>/dev/null || true; fi
  if [ -f "$TEST_SERVERS_DIR/pglite.pid" ]; then kill "$(cat "$TEST_SERVERS_DIR/pglite.pid")" 2>/dev/null || true; fi
  if [ -d "$TEST_SERVERS_DIR/postgres" ]; then
    if [ "$(id -u)" = 0 ]; then
      runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$TEST_SERVERS_DIR/postgres" -m fast stop >/dev/null 2>&1 || true
    else
      "$PG_BIN/pg_ctl" -D "$TEST_SERVERS_DIR/postgres" -m fast stop >/dev/null 2>&1 || true
    fi
  fi
  rm -rf "$TEST_SERVERS_DIR"
  TEST_SERVERS_DIR=""
}
