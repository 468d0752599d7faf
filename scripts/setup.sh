#!/usr/bin/env bash
# Installs what building, serving and testing ducks needs, skipping whatever is
# already in place (a second run takes a second). Only package registries are
# used: Debian apt, crates.io, npm.
#
#   scripts/setup.sh          everything (the tests need a browser)
#   scripts/setup.sh serve    only what building and serving the page needs
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

TRUNK_VERSION=0.21.14 # 0.22 needs rustc >= 1.96.1
WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
purpose=${1:-test}

say() { echo "=== setup: $*"; }

packages=()
# zstd is C code; for wasm32 it must be compiled by clang (gcc builds a broken wasm).
command -v clang >/dev/null || packages+=(clang)
if [ "$purpose" = test ]; then
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  [ -x /usr/bin/chromedriver ] || packages+=(chromium-driver)
  # Firefox ESR and WebKitGTK (its WebDriver brings MiniBrowser), which needs a display: xvfb.
  [ -x /usr/bin/firefox-esr ] || packages+=(firefox-esr)
  [ -x /usr/bin/WebKitWebDriver ] || packages+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null || packages+=(xvfb xauth)
fi
if [ ${#packages[@]} -gt 0 ]; then
  say "apt packages: ${packages[*]}"
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  say "trunk $TRUNK_VERSION (about 6 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Its own lock pins a webpki-roots release the registry no longer serves; an
  # unlocked install of the same version resolves one that exists.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked ||
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

GECKODRIVER_VERSION=0.37.1
if [ "$purpose" = test ] && ! geckodriver --version 2>/dev/null | grep -q "^geckodriver $GECKODRIVER_VERSION"; then
  say "geckodriver $GECKODRIVER_VERSION (about 4 minutes)"
  cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked
fi

# npm: wasm-opt (binaryen 132; Debian's 108 breaks the wasm) and playwright-core.
if [ ! -x e2e/node_modules/.bin/wasm-opt ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  say "npm packages"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

# The end-to-end tests run the SQL the page exports in DuckDB to check it gives the same figures.
if [ "$purpose" = test ] && ! python3 -c "import duckdb" 2>/dev/null; then
  say "python duckdb"
  python3 -m pip install --quiet duckdb==2.0.1
fi

say "fetching crates"
cargo fetch --locked
cargo fetch --locked --manifest-path fuzz/Cargo.toml
