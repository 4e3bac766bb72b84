#!/usr/bin/env bash
# The economy benchmarks (issue #5):
#  1. the economy report for the root of the `large` demo for a tertial, no file written
#     (criterion, benches/economy.rs); goal ≤ 100 ms;
#  2. importing a 500 000-line accounting export (Visma-like: extra columns, U+2212 minus,
#     summed per ansvar and month) through `malkart import økonomi`; goal ≤ 3 s end to end;
#     then the same file again (nothing changes).
# Figures go to docs/benchmarks.md by hand, with the date and this command.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench
mkdir -p "$out"
lines=${BENCH_LINES:-500000}

echo "== 1. økonomirapport for roten av «large», 2026-T2"
cargo bench -p malkart --bench economy -- --noplot "economy_report" 2>&1 | grep -E "^economy|time:|units|rows"

echo "== 2. import av $lines regnskapslinjer (økonomi)"
cargo build --release --bin malkart -q
bin=target/release/malkart
python3 scripts/bench_economy_data.py "$out/economy" "$lines"
rm -f "$out/economy.db"*
$bin --db "$out/economy.db" init >/dev/null
$bin --db "$out/economy.db" import enheter "$out/economy/enheter.csv" >/dev/null
/usr/bin/time -f "malkart import økonomi: %e s, %M KiB" \
  $bin --db "$out/economy.db" import økonomi "$out/economy/økonomi.csv"
/usr/bin/time -f "malkart import økonomi på nytt (alt uendret): %e s, %M KiB" \
  $bin --db "$out/economy.db" import økonomi "$out/economy/økonomi.csv"
