#!/usr/bin/env bash
# Sets up and runs every test: the core's unit, property and integration tests (CLI on real
# database files, the crash test), the desktop shell's tests, a check that the generated
# TypeScript bindings are up to date, the UI's type check (svelte-check) and unit tests,
# and the end-to-end tests of the real app window under Xvfb.
#
# No test may depend on today's date: the Rust suite and the end-to-end suite run three
# times, with the clock (`MALKART_TODAY`, read by src/clock.rs and by e2e/conftest.py) set
# to dates at different points of a quarter — the first day after a quarter ends, a month
# into one, two months into one. Set MALKART_TEST_DATES="2027-05-10" to run fewer.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

DATES=(${MALKART_TEST_DATES:-2027-01-01 2026-11-15 2027-03-31})

cargo test --workspace --no-run
for today in "${DATES[@]}"; do
  echo "== Rust: kjernen, kommandolinjen og appen (i dag = $today)"
  MALKART_TODAY=$today cargo test --workspace
done

echo "== TypeScript-typene er generert fra Rust (ui/src/bindings)"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  changed=$(git status --porcelain -- ui/src/bindings)
  if [ -n "$changed" ]; then
    echo "ui/src/bindings er ikke i takt med Rust-typene; kjør 'cargo test --lib export_bindings' og commit:" >&2
    echo "$changed" >&2
    git --no-pager diff --stat -- ui/src/bindings >&2
    exit 1
  fi
fi

if [ -f ui/package.json ]; then
  # svelte-check first: a Rust change that regenerates the bindings must not pass while
  # components no longer match them.
  echo "== UI: komponentene stemmer med typene (svelte-check, ingen feil og ingen advarsler)"
  (cd ui && npm run check)
  echo "== UI: enhetstester (vitest)"
  (cd ui && npm test)
fi

if [ -d e2e ]; then
  first=1
  for today in "${DATES[@]}"; do
    echo "== Ende-til-ende: appen i et ekte vindu under Xvfb (i dag = $today)"
    # The app is built once; the later runs test the same binary on another date.
    if [ $first = 1 ]; then
      MALKART_TODAY=$today scripts/e2e.sh
      first=0
    else
      MALKART_TODAY=$today MALKART_E2E_BUILT=1 scripts/e2e.sh
    fi
  done
fi
