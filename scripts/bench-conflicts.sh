#!/usr/bin/env bash
# Issue 14's benchmark of the conflict list (docs/benchmarks.md §15): 1 000 real conflicts
# in the app window under Xvfb — the time from the click on «Konflikter (1000)» to the list
# painted, and the frames while it is scrolled to its end (e2e/bench_conflicts.py). Not
# part of CI: it measures time. Builds what the end-to-end tests build (scripts/e2e.sh)
# unless MALKART_E2E_BUILT=1 says the test build is there already.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/e2e.sh -o python_files="bench_*.py" -k conflict_list -s "$@"
