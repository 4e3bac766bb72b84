#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with only the Rust and Node toolchains lacks:
# the system libraries Tauri 2 builds against, the tools the tests drive (Xvfb, WebKit's
# WebDriver, tauri-driver, poppler, sqlite3, PostgreSQL for the server's tests), and the
# UI's npm packages. Idempotent: a second run installs nothing and takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Tauri 2 on Linux
  libwebkit2gtk-4.1-dev build-essential pkg-config libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev
  # Norwegian hyphenation for WebKitGTK (long indicator names; the .deb recommends it too)
  hyphen-no
  # end-to-end tests: a real window under Xvfb, driven over WebDriver
  xvfb xauth webkit2gtk-driver dbus-x11 at-spi2-core
  # screenshots, PDF text (export tests), XLSX parts (unzip), benchmarks beside sqlite3
  imagemagick poppler-utils unzip sqlite3 hyperfine
  # the Målkart server's tests start their own throwaway PostgreSQL cluster (scripts/pg.sh)
  postgresql
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installerer ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -f ui/package.json ]; then
  # `npm install`, not `npm ci`: the registry lacks other platforms' Tauri CLI packages, so
  # the lock file is partial and `npm ci` would reject it.
  (cd ui && npm install --no-audit --no-fund --loglevel=error)
fi

if [ -d e2e ] && ! command -v tauri-driver >/dev/null 2>&1; then
  cargo install tauri-driver@2.1.0 --locked --quiet
fi

if [ -d e2e ] && ! python3 -c "import selenium, pytest" 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check "selenium>=4.20" "pytest>=8"
fi
echo "setup: ferdig"
