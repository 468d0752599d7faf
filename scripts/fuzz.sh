#!/usr/bin/env bash
# Fuzzes the engine's entry point for SECONDS (default 300), seeded from the
# shared Parquet corpus, on every core. It keeps going after a crash, an
# out-of-memory or a timeout; each lands in fuzz/artifacts/open_and_scan/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
corpus_root=${DUCKS_CORPUS:-../shared/parquet-corpus}

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

# The seeds: every file of the shared corpus, copied once (libFuzzer adds its finds here).
mkdir -p fuzz/corpus/open_and_scan
if [ -z "$(ls -A fuzz/corpus/open_and_scan)" ]; then
  find "$corpus_root" -type f ! -name '*.py' ! -name '*.json' ! -name '*.md' ! -name '*.txt' -size -1M \
    -exec cp {} fuzz/corpus/open_and_scan/ \;
  cp public/demo/*.parquet src/browser/warmup.parquet fuzz/corpus/open_and_scan/ 2>/dev/null || true
fi

cd fuzz
exec cargo +nightly fuzz run open_and_scan -- \
  -max_total_time="$seconds" -malloc_limit_mb=512 -rss_limit_mb=2048 -timeout=10 -max_len=2000000 \
  -fork="$(nproc)" -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1
