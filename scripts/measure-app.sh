#!/usr/bin/env bash
# The desktop app's performance figures for docs/benchmarks.md, on a demo and a release
# build: start to a painted målkart, the first and later switches of unit and period to a
# repainted målkart (the municipality's own målkart stepped through periods too), and the
# memory (PSS) of the app with its WebKit processes
# (e2e/test_performance.py); with --size large also the long lists' first paint and
# scrolling (e2e/test_large_lists.py); then the size of the .deb (scripts/build-deb.sh).
#
#   scripts/measure-app.sh [--size medium|large] [--deb]
#
# Needs what scripts/setup.sh installs. Not part of the test run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
size=medium
deb=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --deb) deb=1; shift ;;
    *) echo "ukjent valg: $1 (bruk --size medium|large og --deb)" >&2; exit 2 ;;
  esac
done
(cd src-tauri && "$root/ui/node_modules/.bin/tauri" build --no-bundle)
mkdir -p target/perf
cp target/release/malkart-app target/perf/malkart-app
cargo build --release --bin malkart

export TAURI_DRIVER=${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}
export MALKART_APP="$root/target/perf/malkart-app"
export MALKART_CLI="$root/target/release/malkart"
export MALKART_SCREENSHOTS="$root/target/e2e-screenshots"
export MALKART_PERF=1 NO_AT_BRIDGE=1 MALKART_PERF_SIZE=$size
xvfb-run -a -s "-screen 0 1440x900x24" python3 -m pytest e2e/test_performance.py -s -q
cat target/e2e-screenshots/ytelse.txt
if [ "$size" = large ]; then
  xvfb-run -a -s "-screen 0 1440x900x24" python3 -m pytest e2e/test_large_lists.py -s -q -k "first_paint or scrolling"
  cat target/e2e-screenshots/ytelse-store-lister.txt target/e2e-screenshots/ytelse-rulling.txt
fi

if [ "$deb" = 1 ]; then
  scripts/build-deb.sh
  ls -l target/release/bundle/deb/*.deb | awk '{printf "%s: %.1f MiB\n", $9, $5 / 1048576}'
fi
