#!/usr/bin/env bash
# The sharing benchmarks of issue 13 (docs/benchmarks.md §11), server and desktops on this
# machine over loopback. Not part of CI (scripts/test.sh): it takes several minutes and
# measures time, so it is run by hand:
#
#   nice cargo build --release -p malkart -p malkart-server
#   scripts/bench-sharing.sh            # all five
#   scripts/bench-sharing.sh 1 3        # only some: 1 first pull, 2 incremental pull,
#                                       # 3 push round trip, 4 200 desktops, 5 a push of
#                                       # 10 000 queued operations (1 is always set up)
#
# It starts its own PostgreSQL cluster (scripts/pg.sh, in a temporary folder), makes the
# `large` demo (malkart init --demo --size large), loads it into the server's tables
# (scripts/bench_sharing.py load: psql COPY, every row at one version as publish stores
# it; the loading is not measured), starts the release `malkart-server`, runs the desktops
# as `malkart` processes with their own XDG_DATA_HOME, prints the figures, and removes
# everything it made (trap), also when it fails. Release binaries are taken from
# $CARGO_TARGET_DIR/release (default target/release).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/release
for b in malkart malkart-server; do
  [ -x "$bin/$b" ] || { echo "bench-sharing: $bin/$b mangler; bygg med «cargo build --release -p malkart -p malkart-server»" >&2; exit 1; }
done
want=" ${*:-1 2 3 4 5} "
runs() { [[ $want == *" $1 "* ]]; }

work=$(mktemp -d /tmp/malkart-bench-XXXXXX)
chmod 755 "$work"   # PostgreSQL runs as `postgres` when this runs as root (scripts/pg.sh)
pg=$work/pg
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  scripts/pg.sh stop "$pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

pw="benk benk benk"
through=2026-10      # the demo's last month; the benchmarks write November
say() { printf '\n== %s\n' "$*"; }
timed() { /usr/bin/time -f "%e s wall, %U s user, %S s sys, peak RSS %M KB" "$@"; }

say "the large demo, the cluster, the server"
"$bin/malkart" --db "$work/large.db" init --demo --size large --through "$through" >/dev/null
sqlite3 "$work/large.db" "SELECT 'units ' || COUNT(*) FROM units; SELECT 'measurements ' || COUNT(*) FROM measurements;
  SELECT 'sick_leave ' || COUNT(*) FROM sick_leave; SELECT 'economy ' || COUNT(*) FROM economy;"
scripts/pg.sh start "$pg" >/dev/null
pgport=$(cat "$pg/port")
psql=(psql -h 127.0.0.1 -p "$pgport" -U postgres -d malkart)
sport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$sport"
cat >"$work/server.toml" <<EOF
listen = "127.0.0.1:$sport"
[log]
format = "text"
[database]
url = "host=127.0.0.1 port=$pgport dbname=malkart user=malkart_server"
owner_url = "host=127.0.0.1 port=$pgport dbname=malkart user=postgres"
pool_size = 16
EOF
cfg=$work/server.toml
"$bin/malkart-server" init --config "$cfg" >/dev/null
python3 scripts/bench_sharing.py load "$work/large.db" "${psql[@]}"
echo "$pw" | "$bin/malkart-server" add-user admin --role administrator --config "$cfg" >/dev/null
echo "$pw" | "$bin/malkart-server" add-user eva --role økonom --config "$cfg" >/dev/null
leaders=()
i=0
for unit in $(python3 scripts/bench_sharing.py units "$work/large.db" 20); do
  echo "$pw" | "$bin/malkart-server" add-user "leder$i" --role enhetsleder --units "$unit" --config "$cfg" >/dev/null
  leaders+=("leder$i:$unit")
  i=$((i + 1))
done
"$bin/malkart-server" run --config "$cfg" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  curl -sf "$url/api/v1/health" >/dev/null && break
  sleep 0.1
done
curl -sf "$url/api/v1/health" >/dev/null || { cat "$work/server.log"; exit 1; }
server_mem() { grep -E '^(VmRSS|VmHWM)' "/proc/$server_pid/status" | tr -s ' \t' ' ' | paste -sd ' '; }
name=127.0.0.1_$sport

# A desktop: its own data folder, so its own replica.
desk() {
  local who=$1
  shift
  XDG_DATA_HOME=$work/$who HOME=$work/$who "$@"
}

say "1. the first pull of large into an empty replica"
token=$(curl -sf -H 'Content-Type: application/json' \
  -d "{\"user\":\"admin\",\"password\":\"$pw\",\"device\":\"curl\"}" "$url/api/v1/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
echo "the answer alone (curl, discarded): $(curl -sf -o /dev/null -H "Authorization: Bearer $token" \
  -w '%{size_download} bytes in %{time_total} s, first byte after %{time_starttransfer} s' "$url/api/v1/pull")"
echo "server: $(server_mem)"
echo "malkart connect $url --user admin (login, first pull, replica filled):"
echo "$pw" | desk admin timed "$bin/malkart" connect "$url" --user admin
echo "server: $(server_mem)"
ls -l "$work/admin/no.malkart.app/servers/$name/replica.db" | awk '{print "replica file", $5, "bytes"}'

if runs 2; then
  say "2. an incremental pull after an economy import of one month for every unit"
  echo "$pw" | desk eva "$bin/malkart" connect "$url" --user eva >/dev/null
  python3 scripts/bench_sharing.py economy "$work/large.db" 2026-11 >"$work/økonomi-2026-11.csv"
  echo "the economist imports $(($(wc -l <"$work/økonomi-2026-11.csv") - 1)) lines into her replica:"
  desk eva timed "$bin/malkart" --server "$name" import økonomi "$work/økonomi-2026-11.csv" | tail -1
  echo "her sync (the push):"
  desk eva timed "$bin/malkart" --server "$name" sync
  echo "the administrator's sync (the incremental pull):"
  desk admin timed "$bin/malkart" --server "$name" sync
fi

if runs 3; then
  say "3. a grid save's push round trip (one sick-leave row, 8 cells), 100 saves"
  first=${leaders[0]}
  python3 scripts/bench_sharing.py push "$url" "${first%%:*}" "$pw" "${first#*:}" 2026-11 100
fi

if runs 4; then
  say "4. 200 desktops pulling every 10 s for 2 minutes"
  python3 scripts/bench_sharing.py clients "$url" "$pw" "$server_pid" 200 10 120 "${leaders[@]}"
fi

if runs 5; then
  say "5. pushing 10 000 queued operations after a long offline period"
  # The economist, offline, imports seven months of accounts for every unit (1 497 units ×
  # 7 = 10 479 lines, one `actual` cell each: May–October replace figures the server
  # has, November is new); her outbox queues them; then she comes back and syncs.
  [ -d "$work/eva" ] || echo "$pw" | desk eva "$bin/malkart" connect "$url" --user eva >/dev/null
  file=$work/økonomi-borte.csv
  python3 scripts/bench_sharing.py economy "$work/large.db" 2026-05 >"$file"
  for m in 06 07 08 09 10 11; do
    python3 scripts/bench_sharing.py economy "$work/large.db" "2026-$m" | tail -n +2 >>"$file"
  done
  desk eva "$bin/malkart" --server "$name" import økonomi "$file" | tail -1
  replica=$work/eva/no.malkart.app/servers/$name/replica.db
  echo "queued in her outbox: $(sqlite3 "$replica" "SELECT COUNT(*) FROM outbox") operations"
  echo "her sync (the push of the queue, then the pull of what changed):"
  before=$(wc -l <"$work/server.log")
  desk eva timed "$bin/malkart" --server "$name" sync
  echo "left in her outbox: $(sqlite3 "$replica" "SELECT COUNT(*) FROM outbox")"
  # The server's own time for each request of that sync (its log line per request: the
  # push requests' whole time; the pull's until its answer starts streaming).
  tail -n +"$((before + 1))" "$work/server.log" | python3 -c '
import re, sys
push = []
for line in sys.stdin:
    m = re.search(r"path=\S*?/api/v1/(\w+).*?ms=([0-9.]+)", line)
    if m:
        print(f"  server: {m.group(1)} {float(m.group(2)):.0f} ms")
        if m.group(1) == "push":
            push.append(float(m.group(2)))
print(f"  server: the push requests together {sum(push) / 1000:.2f} s")
'

fi
