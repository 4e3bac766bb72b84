#!/usr/bin/env bash
# Sets up and runs every test: formatting (`cargo fmt --check`), the core's unit, property
# and integration tests (CLI on real database files, the crash test), the desktop shell's
# tests, the server's tests against throwaway PostgreSQL clusters (with desktops' replicas),
# clippy with every warning an error (the workspace lints), a check that the generated
# TypeScript bindings are up to date, svelte-check over the UI, the UI's unit tests, and the
# end-to-end tests of the real app window under Xvfb.
#
# No test may depend on today's date: the Rust suite and the end-to-end suite run three
# times, with the clock (`MALKART_TODAY`, read by src/clock.rs and by e2e/conftest.py) set
# to dates at different points of a quarter — the first day after a quarter ends, a month
# into one, two months into one (end-to-end tests marked `any_date`, which check nothing
# that turns on the date, at the first only). Set MALKART_TEST_DATES="2027-05-10" to run
# fewer. Everything is built once (one `cargo test --no-run`, its programs run per date by
# scripts/test_binaries.py), so CI stays under 40 minutes on 2 cores (docs/benchmarks.md §9).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each phase's heading says how long the run has taken so far, to see where CI's time goes.
phase() { printf '== [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

scripts/setup.sh

DATES=(${MALKART_TEST_DATES:-2027-01-01 2026-11-15 2027-03-31})

# The gates that need no build come first, so a formatting slip fails in seconds.
phase "Rust-koden er formatert (cargo fmt --check)"
cargo fmt --all --check

# The UI first: its checks need no Rust build, and the app's test build embeds ui/dist.
if [ -f ui/package.json ]; then
  # svelte-check before the UI's unit tests: components must match the committed bindings
  # (that the bindings match the Rust types is checked below, after the Rust tests).
  phase "UI: komponentene stemmer med typene (svelte-check, ingen feil og ingen advarsler)"
  (cd ui && npm run check)
  phase "UI: enhetstester (vitest)"
  (cd ui && npm test)
  phase "UI: bygges til ui/dist (appen bygges med den innebygd)"
  (cd ui && npm run build)
fi

# One build of every test target, run below as often as needed: a `cargo test` per date with
# another package selection resolved features anew and rebuilt 176 dependencies twice (12 of
# CI's 59 minutes, docs/benchmarks.md §9). The app is built with the UI embedded
# (malkart-app/custom-protocol, what `tauri build` turns on), so the end-to-end tests drive
# the binary of this same build.
#
# Clippy rides on this build: cargo passes the workspace's own crates through clippy-driver
# (what `cargo clippy` does, but with code generation), with every warning an error, so the
# workspace lints in Cargo.toml (no unsafe, no unwrap/expect outside tests) and clippy's
# warnings are enforced without compiling the dependencies a second time for a `cargo check`.
# Same result as `cargo clippy --workspace --all-targets -- -D warnings`.
phase "Rust: bygger alle mål gjennom clippy (advarsler er feil)"
command -v clippy-driver >/dev/null || { echo "clippy mangler: kjør 'rustup component add clippy'" >&2; exit 1; }
export RUSTC_WORKSPACE_WRAPPER="${RUSTC_WORKSPACE_WRAPPER:-$(command -v clippy-driver)}"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
features=()
[ -d ui/dist ] && features=(--features malkart-app/custom-protocol)
mkdir -p target
cargo test --workspace --all-targets "${features[@]}" --no-run \
  --message-format=json-render-diagnostics >target/test-build.json
for today in "${DATES[@]}"; do
  phase "Rust: kjernen, kommandolinjen og appen (i dag = $today)"
  MALKART_TODAY=$today python3 scripts/test_binaries.py target/test-build.json --except server
done
# The server's tests fix their own clock (MALKART_SERVER_NOW, and MALKART_TODAY for the
# desktops they run), so one run is enough. Each starts its own PostgreSQL cluster
# (postgresql is installed by scripts/setup.sh) and stops it, also when it fails.
phase "Rust: serveren og skrivebordenes kopier mot PostgreSQL"
python3 scripts/test_binaries.py target/test-build.json --only server
phase "Rust: eksemplene i dokumentasjonen (doctests)"
cargo test --workspace "${features[@]}" --doc

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

if [ -d e2e ]; then
  # The app binary of the test build above (UI embedded), kept aside: a later plain
  # `cargo build` writes a dev binary to the same path.
  mkdir -p target/e2e
  cp target/debug/malkart-app target/e2e/malkart-app
  first=1
  for today in "${DATES[@]}"; do
    phase "Ende-til-ende: appen i et ekte vindu under Xvfb (i dag = $today)"
    # Tests marked any_date check nothing that turns on the date (layout, the audit log's
    # words, the server's own clock, the large demo drawn): they run at the first date only.
    if [ $first = 1 ]; then
      MALKART_TODAY=$today MALKART_E2E_BUILT=1 scripts/e2e.sh
      first=0
    else
      MALKART_TODAY=$today MALKART_E2E_BUILT=1 scripts/e2e.sh -m "not any_date"
    fi
  done
fi
phase "Alle tester bestått"
