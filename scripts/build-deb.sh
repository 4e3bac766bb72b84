#!/usr/bin/env bash
# Builds the Debian package of the desktop app (release build, UI embedded):
# target/release/bundle/deb/*.deb. Not part of the default test run. Needs the Tauri build
# packages (libwebkit2gtk-4.1-dev build-essential pkg-config libxdo-dev libssl-dev
# libayatana-appindicator3-dev librsvg2-dev) and `npm install` done in ui/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ -x ui/node_modules/.bin/tauri ] || { echo "build-deb: kjør først (cd ui && npm install)" >&2; exit 1; }
# A Debian package name is lower-case ASCII: the package is `malkart`; the window title and
# the menu entry (malkart.desktop) still say Målkart.
(cd src-tauri && "$root/ui/node_modules/.bin/tauri" build --bundles deb --config '{"productName":"malkart"}')
ls -1 target/release/bundle/deb/malkart_*.deb
