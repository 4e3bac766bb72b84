#!/usr/bin/env bash
# Fuzzes everything a hostile file or argument reaches: the CSV and XLSX readers (arbitrary
# bytes, arbitrary Unicode, generated and bit-flipped workbooks), the number and period
# parsers, the header matcher, and every import kind. The targets are the property tests
# in src/import/fuzz.rs (`cargo test` runs them with 64 cases each); here each runs round
# after round with PROPTEST_CASES cases and a fresh random seed until its time is up.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 600 (10 minutes); also FUZZ_SECONDS
#   TARGET              default: all (fuzz_reader_arbitrary_bytes, fuzz_reader_arbitrary_unicode,
#                       fuzz_import_csv_every_kind, fuzz_import_xlsx_every_kind,
#                       fuzz_xlsx_flipped_bytes, fuzz_number, fuzz_period, fuzz_header)
#   PROPTEST_CASES      cases per round, default 5000
#   FUZZ_MEMORY_KB      address-space limit of each round (ulimit -v), default 4000000
#                       (4 GB): an allocation past it aborts the round and fails the run
#
# A failing case is shrunk by proptest, printed, and saved to
# proptest-regressions/import/fuzz.txt, which every later `cargo test` tries first: commit
# it, and add a named regression test for the fix. The script exits 1 on the first failure.
# Per target it prints the rounds, the cases tried and the peak memory of a round.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-${FUZZ_SECONDS:-600}}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_reader_arbitrary_bytes fuzz_reader_arbitrary_unicode fuzz_import_csv_every_kind
    fuzz_import_xlsx_every_kind fuzz_xlsx_flipped_bytes fuzz_number fuzz_period fuzz_header)
fi
cases=${PROPTEST_CASES:-5000}
memory_kb=${FUZZ_MEMORY_KB:-4000000}

# Build once; find the library's test binary.
binary=$(cargo test -p malkart --lib --no-run --message-format=json 2>/dev/null \
  | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "malkart" \
       and m.get("profile", {}).get("test") and m.get("executable"):
        print(m["executable"])')
if [ -z "$binary" ]; then
  echo "fant ikke testprogrammet til malkart (cargo test --no-run)" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
total_failures=0
for target in "${targets[@]}"; do
  end=$((SECONDS + seconds))
  rounds=0
  peak=0
  while [ $SECONDS -lt $end ]; do
    if ! (ulimit -v "$memory_kb"; PROPTEST_CASES=$cases /usr/bin/time -f '%M' -o "$log.mem" \
          "$binary" --exact "import::fuzz::$target" --test-threads 1 -q) >"$log" 2>&1; then
      echo "== $target: FEIL etter $rounds runder (${cases} tilfeller per runde)"
      cat "$log"
      total_failures=$((total_failures + 1))
      break
    fi
    if ! grep -q "1 passed" "$log"; then
      echo "== $target: testen finnes ikke" >&2
      cat "$log" >&2
      exit 1
    fi
    rounds=$((rounds + 1))
    kb=$(tail -n 1 "$log.mem")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  echo "== $target: $rounds runder, $((rounds * cases)) tilfeller, ingen panikk; høyeste minne i en runde $((peak / 1024)) MB"
done
rm -f "$log.mem"
[ $total_failures -eq 0 ] || exit 1
