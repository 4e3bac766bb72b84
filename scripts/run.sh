#!/usr/bin/env bash
# Sets up and runs Målkart: installs what is missing, builds the desktop app with the UI
# embedded, fills the database with the demo municipality if it is empty, and opens the
# window. The database is found as everywhere: --db FILE, else MALKART_DB, else
# ~/.local/share/no.malkart.app/malkart.db.
#
#   scripts/run.sh                      # the demo municipality in the default database
#   scripts/run.sh --db /tmp/test.db    # another database
#   xvfb-run -a scripts/run.sh          # on a machine without a display (nothing to see,
#                                       # but the app runs; take a screenshot with `import`)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

db_args=()
if [ "${1:-}" = "--db" ] && [ -n "${2:-}" ]; then
  db_args=(--db "$2")
fi

scripts/setup.sh
cargo build --release --bin malkart
(cd src-tauri && "$root/ui/node_modules/.bin/tauri" build --no-bundle)

# `init` creates and migrates; `--demo` fills only an empty database and refuses otherwise,
# so an existing municipality is never touched.
if target/release/malkart "${db_args[@]}" init --demo 2>/dev/null; then
  echo "Demo kommune er lagt inn."
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "Ingen skjerm (DISPLAY): start under xvfb-run, se README." >&2
  exit 1
fi
exec target/release/malkart-app "${db_args[@]}"
