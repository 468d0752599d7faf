#!/usr/bin/env bash
# Runs every test: formatting and lints, the engine and the CLI natively, the
# browser edge in headless Chromium and Firefox, then the built page end to end
# (in Chromium, and in Firefox ESR and WebKit over WebDriver).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
source scripts/env.sh

start=$SECONDS
step() { echo "=== [$((SECONDS - start))s] $*"; }

step "formatting"
cargo fmt --all -- --check

step "lints (native and wasm32)"
cargo clippy --locked --offline --workspace --all-targets -- -D warnings
cargo clippy --locked --offline --target wasm32-unknown-unknown --lib --bins -- -D warnings

step "the fuzz target still builds (run it with scripts/fuzz.sh)"
cargo check --locked --offline --manifest-path fuzz/Cargo.toml --target-dir target

step "native tests: engine, CLI, the shared corpus"
cargo test --locked --offline --workspace

step "demo and warm-up data are what the generator writes"
made=$(mktemp -d)
trap 'rm -rf "$made"' EXIT
cargo run --locked --offline --quiet --example gen_cur -- --rows 12000 --months 3 "$made/demo" >/dev/null
for file in public/demo/*.parquet; do
  cmp "$file" "$made/demo/$(basename "$file")"
done
cargo run --locked --offline --quiet --example gen_cur -- --rows 8000 --months 1 --row-group-rows 3000 --seed 7 \
  --dictionary-page-bytes 2048 \
  --columns line_item_line_item_type,product_servicecode,line_item_unblended_cost,line_item_currency_code \
  "$made/warm-up" >/dev/null
cmp src/browser/warmup.parquet "$made/warm-up/cur-2024-01.parquet"

step "browser tests: wasm-bindgen-test in headless Chromium (the edge in a worker, components in a page)"
cargo test --locked --offline --target wasm32-unknown-unknown --test web
cargo test --locked --offline --target wasm32-unknown-unknown --test components

step "browser tests: wasm-bindgen-test in headless Firefox ESR"
# The runner takes geckodriver over chromedriver when GECKODRIVER is set.
GECKODRIVER="$HOME/.cargo/bin/geckodriver" cargo test --locked --offline --target wasm32-unknown-unknown --test web
GECKODRIVER="$HOME/.cargo/bin/geckodriver" cargo test --locked --offline --target wasm32-unknown-unknown --test components

step "release build of the page"
trunk build --release

step "end-to-end tests: Chromium (playwright-core), Firefox ESR and WebKit (WebDriver)"
(cd e2e && npm test)

step "all tests passed"
