#!/usr/bin/env bash
# Issue 17's cold-start comparison (docs/benchmarks.md §14): the whole process
# `malkart status` for the root of the `large` demo, one quarter, against the sqlite3 CLI
# answering a value-only roll-up of the same målkart (a recursive CTE over the unit tree;
# scripts/bench_cold.py checks first that its values equal Målkart's for every sum and brøk
# indicator), in one run and interleaved. Not part of CI: it measures time.
#
#   scripts/bench-cold.sh [ROUNDS] [PERIOD]      # default 30 rounds, 2026-K3
#
# The release binary is built if missing ($CARGO_TARGET_DIR/release/malkart); the `large`
# demo is made once, through 2026-10, into target/bench/cold-large.db and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-30}
period=${2:-2026-K3}
target=${CARGO_TARGET_DIR:-$(pwd)/target}
bin=$target/release/malkart
[ -x "$bin" ] || cargo build --release --bin malkart -q
mkdir -p target/bench
db=target/bench/cold-large.db
if [ ! -f "$db" ]; then
  "$bin" --db "$db.new" init --demo --size large --through 2026-10 >/dev/null
  mv "$db.new" "$db"
fi
echo "== malkart status --unit 1000 --period $period (large, $(sqlite3 "$db" "SELECT COUNT(*) FROM units") enheter, $(sqlite3 "$db" "SELECT COUNT(*) FROM measurements") målinger)"
python3 scripts/bench_cold.py "$bin" "$db" 1000 "$period" "$rounds"
