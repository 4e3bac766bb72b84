#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for trying and testing the Målkart server
# (docs/sharing-design.md §8). Not for real data: it trusts every local connection.
#
#   scripts/pg.sh start [DIR]   initdb (first time) and start; prints the connection string
#   scripts/pg.sh stop  [DIR]   stop it; harmless when it is not running
#   scripts/pg.sh url   [DIR]   print the connection string of a running cluster
#
# DIR defaults to target/pg. The cluster listens on 127.0.0.1 only (port: PGPORT, else a free
# one), with its Unix socket in DIR/socket. `start` also makes the database `malkart` and the
# login role `malkart_server` the server runs as (docs/sharing-design.md §3: not the owner).
# As root, PostgreSQL runs as the `postgres` user (it refuses to run as root), so DIR is
# handed to that user.
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:-}
dir=${2:-target/pg}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data="$dir/data"
socket="$dir/socket"

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  echo "pg.sh: fant ikke PostgreSQL (initdb); kjør scripts/setup.sh, som installerer pakken postgresql" >&2
  exit 1
}
BIN=$(bindir)

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

url() {
  local port
  port=$(cat "$dir/port")
  echo "host=127.0.0.1 port=$port dbname=malkart user=postgres"
}

running() {
  [ -f "$data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

case "$cmd" in
  start)
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir"
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        echo "pg.sh: initdb feilet; se $dir/initdb.log" >&2
        exit 1
      }
    fi
    if running; then
      url
      exit 0
    fi
    port=${PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    as_owner mkdir -p "$socket"
    echo "$port" | as_owner tee "$dir/port" >/dev/null
    as_owner "$BIN/pg_ctl" -D "$data" -l "$dir/postgres.log" \
      -o "-p $port -k $socket -c listen_addresses=127.0.0.1" -w start >/dev/null || {
      echo "pg.sh: PostgreSQL startet ikke; se $dir/postgres.log" >&2
      exit 1
    }
    psql=("$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1)
    if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'malkart'")" ]; then
      "${psql[@]}" -c "CREATE DATABASE malkart"
    fi
    if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'malkart_server'")" ]; then
      "${psql[@]}" -c "CREATE ROLE malkart_server LOGIN"
    fi
    url
    ;;
  stop)
    if running; then
      as_owner "$BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    ;;
  url)
    running || { echo "pg.sh: klyngen i $dir kjører ikke; start den med «scripts/pg.sh start»" >&2; exit 1; }
    url
    ;;
  *)
    echo "bruk: scripts/pg.sh start|stop|url [MAPPE]" >&2
    exit 2
    ;;
esac
