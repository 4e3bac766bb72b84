#!/usr/bin/env bash
# The foundation's benchmarks, beside the same work done by the sqlite3 command-line tool:
#  1. the målkart of the root of the `large` demo for one quarter (every indicator, full
#     roll-up): cold (load + index + first målkart) and warm (each målkart after that);
#     sqlite3: one SQL roll-up query over the same measurements for the quarter, its
#     previous quarter and the same quarter last year;
#  2. importing 1 000 000 measurement rows from CSV (all or nothing, audited);
#     sqlite3: `.import` of the same CSV into a plain table.
# Figures go to docs/benchmarks.md by hand, with the date and this command.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench
mkdir -p "$out"
cargo build --release --bin malkart -q
bin=target/release/malkart

period=${BENCH_PERIOD:-2026-K3}
echo "== 1. målkart for roten av «large», $period"
rm -f "$out/large.db"*
/usr/bin/time -f "init --demo --size large: %e s, %M KiB" $bin --db "$out/large.db" init --demo --size large
$bin --db "$out/large.db" bench --unit 1000 --period "$period" --repeat 200 --cold 5

# The quarter 2026-K3 is months 24 318–24 320 (2026 × 12 + 6 …), the previous quarter
# 24 315–24 317, last year's 24 306–24 308.
q=$(python3 -c "
import sys
y, k = '$period'.split('-K'); f = int(y) * 12 + (int(k) - 1) * 3
print(f, f + 2, f - 3, f - 1, f - 12, f - 10)")
read -r a b c d e f <<<"$q"
sql="SELECT indicator,
  sum(CASE WHEN span_first >= $a AND span_last <= $b THEN coalesce(value, 0) END),
  100.0 * sum(CASE WHEN span_first >= $a AND span_last <= $b THEN numerator END)
        / sum(CASE WHEN span_first >= $a AND span_last <= $b THEN denominator END),
  100.0 * sum(CASE WHEN span_first >= $c AND span_last <= $d THEN numerator END)
        / sum(CASE WHEN span_first >= $c AND span_last <= $d THEN denominator END),
  100.0 * sum(CASE WHEN span_first >= $e AND span_last <= $f THEN numerator END)
        / sum(CASE WHEN span_first >= $e AND span_last <= $f THEN denominator END),
  count(*)
FROM measurements
WHERE (span_first >= $a AND span_last <= $b) OR (span_first >= $c AND span_last <= $d)
   OR (span_first >= $e AND span_last <= $f)
GROUP BY indicator;"
echo "-- sqlite3, én roll-up-spørring (inkludert oppstart av sqlite3):"
hyperfine -N --warmup 3 --runs 30 "sqlite3 $out/large.db \"$sql\"" 2>/dev/null | grep -E "Time|Range"

echo "== 2. import av 1 000 000 målinger fra CSV"
python3 scripts/bench_data.py "$out/import" 1000000
rm -f "$out/import.db"*
$bin --db "$out/import.db" init >/dev/null
$bin --db "$out/import.db" import enheter "$out/import/enheter.csv" >/dev/null
$bin --db "$out/import.db" import indikatorer "$out/import/indikatorer.csv" >/dev/null
/usr/bin/time -f "malkart import målinger: %e s, %M KiB" \
  $bin --db "$out/import.db" import målinger "$out/import/målinger.csv"
/usr/bin/time -f "malkart import målinger på nytt (alt uendret): %e s, %M KiB" \
  $bin --db "$out/import.db" import målinger "$out/import/målinger.csv"
rm -f "$out/plain.db"
/usr/bin/time -f "sqlite3 .import av samme fil: %e s, %M KiB" \
  sqlite3 "$out/plain.db" ".mode csv" ".separator ;" ".import '$out/import/målinger.csv' m"
ls -l "$out/import.db" "$out/plain.db" | awk '{print $5, $9}'
