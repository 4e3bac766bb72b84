#!/usr/bin/env bash
# Try a shared municipality on one machine (sharing.md): a throwaway PostgreSQL cluster
# (Debian's postgresql package; initdb in target/server-demo/pg), the Målkart server on
# http://127.0.0.1:8640 with the `medium` demo published, and four users, all with the
# password «demo-passord-2026»:
#
#   admin    administrator   everything, users
#   okonom   økonom          the economy of every unit
#   leder    enhetsleder     Bakken skole (2100) and below: sick leave and figures
#   radmann  leser           the whole municipality (1000), sick leave only masked
#
# Then, in the app: «Koble til server» → http://127.0.0.1:8640, a user above and the
# password; or on the command line: `malkart connect http://127.0.0.1:8640 --user leder`.
# Ctrl-C stops the server and the cluster; the data stays in target/server-demo until
# `scripts/server.sh --fresh` starts over. MALKART_SERVER_PORT chooses another port.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=target/server-demo
port=${MALKART_SERVER_PORT:-8640}
password="demo-passord-2026"
if [ "${1:-}" = "--fresh" ]; then
  scripts/pg.sh stop "$dir/pg" || true
  rm -rf "$dir"
fi
mkdir -p "$dir"

cargo build --quiet -p malkart -p malkart-server
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
malkart="$target_dir/debug/malkart"
server="$target_dir/debug/malkart-server"

pg_url=$(scripts/pg.sh start "$dir/pg")
pg_port=$(sed -E 's/.*port=([0-9]+).*/\1/' <<<"$pg_url")
config="$dir/server.toml"
cat >"$config" <<EOF
# Written by scripts/server.sh: plain HTTP on loopback only (docs/sharing-design.md §2).
listen = "127.0.0.1:$port"
[database]
url = "host=127.0.0.1 port=$pg_port dbname=malkart user=malkart_server"
owner_url = "host=127.0.0.1 port=$pg_port dbname=malkart user=postgres"
[log]
format = "text"
EOF

server_pid=""
stop() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  scripts/pg.sh stop "$dir/pg"
}
trap stop EXIT

"$server" init --config "$config" >/dev/null
add_user() { # name role [units]
  if [ ! -f "$dir/user-$1" ]; then
    local units=()
    [ -n "${3:-}" ] && units=(--units "$3")
    echo "$password" | "$server" add-user "$1" --role "$2" "${units[@]}" --config "$config"
    touch "$dir/user-$1"
  fi
}
add_user admin administrator

"$server" run --config "$config" >"$dir/server.out" 2>"$dir/server.log" &
server_pid=$!
# Ready when it has announced its address.
for _ in $(seq 1 300); do
  grep -q "lytter på" "$dir/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.1
done
url="http://127.0.0.1:$port"

if [ ! -f "$dir/published" ]; then
  rm -f "$dir/medium.db"*
  "$malkart" --db "$dir/medium.db" init --demo --size medium
  echo "$password" | "$malkart" --db "$dir/medium.db" publish "$url" --user admin
  touch "$dir/published"
fi
add_user okonom økonom
add_user leder enhetsleder 2100
add_user radmann leser 1000

cat <<EOF

Målkart-serveren kjører på $url med Demo kommune (medium).
Brukere (passord «$password»): admin (administrator), okonom (økonom),
leder (enhetsleder for 2100 Bakken skole), radmann (leser for hele kommunen).
I appen: «Koble til server». På kommandolinjen: malkart connect $url --user leder
Serverens logg: $dir/server.log. Ctrl-C stopper serveren og databasen.
EOF
wait "$server_pid"
