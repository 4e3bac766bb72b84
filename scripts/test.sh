#!/usr/bin/env bash
# Sets up and runs every test: formatting (`cargo fmt --check`), the core's unit, property
# and integration tests (CLI on real database files, the crash test), the desktop shell's
# tests, the server's tests against throwaway PostgreSQL clusters (with desktops' replicas), clippy with every warning an error (the workspace lints), a check that the generated
# TypeScript bindings are up to date, svelte-check over the UI, the UI's unit tests, and the
# end-to-end tests of the real app window under Xvfb.
#
# No test may depend on today's date: the Rust suite and the end-to-end suite run three
# times, with the clock (`MALKART_TODAY`, read by src/clock.rs and by e2e/conftest.py) set
# to dates at different points of a quarter — the first day after a quarter ends, a month
# into one, two months into one. Set MALKART_TEST_DATES="2027-05-10" to run fewer.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each phase's heading says how long the run has taken so far, to see where CI's time goes.
phase() { printf '== [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

scripts/setup.sh

DATES=(${MALKART_TEST_DATES:-2027-01-01 2026-11-15 2027-03-31})

# The gates that need no build come first, so a formatting slip fails in seconds.
phase "Rust-koden er formatert (cargo fmt --check)"
cargo fmt --all --check

# Clippy rides on the test build: cargo passes the workspace's own crates through
# clippy-driver (what `cargo clippy` does, but with code generation), with every warning an
# error, so the workspace lints in Cargo.toml (no unsafe, no unwrap/expect outside tests) and
# clippy's warnings are enforced without compiling the dependencies a second time for a
# `cargo check`. Same result as `cargo clippy --workspace --all-targets -- -D warnings`.
phase "Rust: bygger alle mål gjennom clippy (advarsler er feil)"
command -v clippy-driver >/dev/null || { echo "clippy mangler: kjør 'rustup component add clippy'" >&2; exit 1; }
export RUSTC_WORKSPACE_WRAPPER="${RUSTC_WORKSPACE_WRAPPER:-$(command -v clippy-driver)}"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
cargo test --workspace --all-targets --no-run
for today in "${DATES[@]}"; do
  phase "Rust: kjernen, kommandolinjen og appen (i dag = $today)"
  MALKART_TODAY=$today cargo test --workspace --exclude malkart-server
done
# The server's tests fix their own clock (MALKART_SERVER_NOW, and MALKART_TODAY for the
# desktops they run), so one run is enough. Each starts its own PostgreSQL cluster
# (postgresql is installed by scripts/setup.sh) and stops it, also when it fails.
phase "Rust: serveren og skrivebordenes kopier mot PostgreSQL"
cargo test -p malkart-server

phase "TypeScript-typene er generert fra Rust (ui/src/bindings)"
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
  phase "UI: komponentene stemmer med typene (svelte-check, ingen feil og ingen advarsler)"
  (cd ui && npm run check)
  phase "UI: enhetstester (vitest)"
  (cd ui && npm test)
fi

if [ -d e2e ]; then
  first=1
  for today in "${DATES[@]}"; do
    phase "Ende-til-ende: appen i et ekte vindu under Xvfb (i dag = $today)"
    # The app is built once; the later runs test the same binary on another date.
    if [ $first = 1 ]; then
      MALKART_TODAY=$today scripts/e2e.sh
      first=0
    else
      MALKART_TODAY=$today MALKART_E2E_BUILT=1 scripts/e2e.sh
    fi
  done
fi
phase "Alle tester bestått"
