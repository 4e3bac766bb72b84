#!/usr/bin/env bash
# End-to-end tests of the desktop app: builds the UI and the app with the UI embedded
# (`tauri build --debug --no-bundle`) and the `malkart` command line, then drives the real
# window under Xvfb with tauri-driver + WebKitWebDriver (e2e/, pytest + selenium).
# Screenshots go to target/e2e-screenshots/.
#
# Installs nothing. It needs: the apt packages of the Tauri build and xvfb, xauth,
# webkit2gtk-driver, dbus-x11; `npm install` done in ui/; `pip install selenium pytest`;
# `cargo install tauri-driver@2.1.0 --locked`. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

missing=()
[ -x ui/node_modules/.bin/tauri ] || missing+=("ui/node_modules (cd ui && npm install)")
command -v xvfb-run >/dev/null || missing+=("xvfb-run (apt: xvfb xauth)")
command -v WebKitWebDriver >/dev/null || missing+=("WebKitWebDriver (apt: webkit2gtk-driver)")
driver=${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}
[ -x "$driver" ] || missing+=("tauri-driver (cargo install tauri-driver@2.1.0 --locked)")
python3 -c "import selenium, pytest" 2>/dev/null || missing+=("selenium, pytest (pip install selenium pytest)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'e2e: mangler %s\n' "${missing[@]}" >&2
  exit 1
fi

# The app with ui/dist embedded (beforeBuildCommand runs `npm run build` in ui/). A plain
# `cargo build`/`cargo test` of src-tauri writes a dev binary (it loads the Vite dev server
# instead) to the same path, so the tested binary is copied aside at once.
# MALKART_E2E_BUILT=1 uses target/e2e/malkart-app and target/debug/{malkart,malkart-server}
# as they are: scripts/test.sh puts its own test build's app there (built with the UI
# embedded, feature malkart-app/custom-protocol) and runs the suite on several dates.
if [ "${MALKART_E2E_BUILT:-}" != 1 ] || [ ! -x target/e2e/malkart-app ]; then
  (cd src-tauri && "$root/ui/node_modules/.bin/tauri" build --debug --no-bundle)
  mkdir -p target/e2e
  cp target/debug/malkart-app target/e2e/malkart-app
  # --workspace: features unified as in `cargo test --workspace`, so its build is reused.
  # malkart-server: test_sharing.py runs one (on a throwaway PostgreSQL cluster).
  cargo build --workspace --bin malkart --bin malkart-server
fi

export TAURI_DRIVER="$driver"
export MALKART_APP="$root/target/e2e/malkart-app"
export MALKART_CLI="$root/target/debug/malkart"
export MALKART_SERVER="$root/target/debug/malkart-server"
export MALKART_SCREENSHOTS="$root/target/e2e-screenshots"
mkdir -p "$MALKART_SCREENSHOTS"
# No accessibility bus under Xvfb: keep GTK from waiting for one.
export NO_AT_BRIDGE=1
exec xvfb-run -a -s "-screen 0 1920x1200x24" python3 -m pytest e2e -v "$@"
