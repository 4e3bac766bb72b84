#!/usr/bin/env bash
# Sets up and runs every test: the core's unit, property and integration tests (CLI on real
# database files, the crash test), the desktop shell's tests, a check that the generated
# TypeScript bindings are up to date, the UI's unit tests, and the end-to-end tests of the
# real app window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "== Rust: kjernen, kommandolinjen og appen"
cargo test --workspace

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
  echo "== UI: enhetstester (vitest)"
  (cd ui && npm test)
fi

if [ -d e2e ]; then
  echo "== Ende-til-ende: appen i et ekte vindu under Xvfb"
  scripts/e2e.sh
fi
