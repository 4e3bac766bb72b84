#!/usr/bin/env bash
# The desktop app's performance figures for docs/benchmarks.md, on the `medium` demo and a
# release build: start to a painted målkart, switching unit and period to a repainted
# målkart, and the memory (PSS) of the app with its WebKit processes
# (e2e/test_performance.py); then the size of the .deb (scripts/build-deb.sh).
# Needs what scripts/setup.sh installs. Not part of the test run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
(cd src-tauri && "$root/ui/node_modules/.bin/tauri" build --no-bundle)
mkdir -p target/perf
cp target/release/malkart-app target/perf/malkart-app
cargo build --release --bin malkart

export TAURI_DRIVER=${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}
export MALKART_APP="$root/target/perf/malkart-app"
export MALKART_CLI="$root/target/release/malkart"
export MALKART_SCREENSHOTS="$root/target/e2e-screenshots"
export MALKART_PERF=1 NO_AT_BRIDGE=1
xvfb-run -a -s "-screen 0 1440x900x24" python3 -m pytest e2e/test_performance.py -s -q
cat target/e2e-screenshots/ytelse.txt

if [ "${1:-}" = "--deb" ]; then
  scripts/build-deb.sh
  ls -l target/release/bundle/deb/*.deb | awk '{printf "%s: %.1f MiB\n", $9, $5 / 1048576}'
fi
