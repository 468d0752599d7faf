#!/usr/bin/env bash
# Runs every test: formatting and lints, the engine and the CLI natively, the
# browser edge in headless Chromium, then the built page end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
source scripts/env.sh

start=$SECONDS
step() { echo "=== [$((SECONDS - start))s] $*"; }

step "formatting"
cargo fmt --all -- --check

step "lints (native and wasm32)"
cargo clippy --locked --offline --all-targets -- -D warnings
cargo clippy --locked --offline --target wasm32-unknown-unknown --lib --bins -- -D warnings

step "native tests: engine, CLI"
cargo test --locked --offline

step "demo data is what the generator writes"
demo=$(mktemp -d)
trap 'rm -rf "$demo"' EXIT
cargo run --locked --offline --quiet --example gen_cur -- --rows 12000 --months 3 "$demo" >/dev/null
for file in public/demo/*.parquet; do
  cmp "$file" "$demo/$(basename "$file")"
done

step "browser tests: wasm-bindgen-test in headless Chromium"
cargo test --locked --offline --target wasm32-unknown-unknown --test web

step "release build of the page"
trunk build --release

step "end-to-end tests in Chromium"
(cd e2e && npm test)

step "all tests passed"
