# Sourced by the scripts: where the tools are, and no tool downloads.
export PATH="$HOME/.cargo/bin:$PWD/e2e/node_modules/.bin:$PATH"
# trunk: never download a tool, never check crates.io for updates.
export TRUNK_OFFLINE=true
# wasm-bindgen-test: Debian's chromedriver drives Debian's Chromium, headless.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=180
export CARGO_TERM_PROGRESS_WHEN=never
