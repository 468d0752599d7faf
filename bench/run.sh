#!/usr/bin/env bash
# The benchmarks (BENCHMARKS.md): makes the CUR-like files once (1M rows in one
# row group and in ten, 10M rows in one; 110+ columns, snappy; and the same rows
# as pyarrow and parquet-mr write them), builds the
# release page and CLI, then runs the browser benchmark against DuckDB-WASM and
# hyparquet and the native one against DuckDB.
#
#   bash bench/run.sh [--runs N] [--only 1m-one-rg,...] [--tools ducks,hyparquet,...]
#
# The files go to $BENCH_DATA (default bench/data): about 1.5 GB.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
source scripts/env.sh
data=${BENCH_DATA:-bench/data}

(cd bench && npm ci --no-audit --no-fund --loglevel=error)

generate() { # name rows row-group-rows (0: one row group)
  [ -f "$data/$1/.complete" ] && return
  echo "=== bench: generating $1"
  rm -rf "${data:?}/$1"
  cargo run --locked --offline --release --quiet --example gen_cur -- --rows "$2" --months 1 --row-group-rows "$3" "$data/$1"
  touch "$data/$1/.complete"
}
generate 1m-one-rg 1000000 0
generate 1m-rgs 1000000 100000
generate 10m-one-rg 10000000 0

# The same rows as AWS's and pyarrow's writers lay them out (bench/aws_style.py).
python3 -c "import pyarrow" 2>/dev/null || python3 -m pip install --quiet pyarrow==26.0.1
for source in 1m-one-rg 10m-one-rg; do
  base=${source%-one-rg}
  [ -f "$data/$base-mr/.complete" ] && continue
  echo "=== bench: writing $base as pyarrow and parquet-mr do"
  python3 bench/aws_style.py "$data/$source/cur-2024-01.parquet" "$data"
done

echo "=== bench: release builds"
cargo build --locked --offline --release --bin ducks
trunk build --release

echo "=== bench: in Chromium"
node bench/run.mjs "$@" "$data"
echo "=== bench: native"
python3 bench/native.py target/release/ducks "$data"
