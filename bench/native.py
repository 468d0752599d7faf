"""The native benchmark: the ducks CLI against DuckDB's Python package on the same files.

    python3 bench/native.py [--runs N] DUCKS_BIN DATA_DIR

ducks is timed as a whole process (start, read, print JSON); DuckDB in process,
with a warm connection, so every advantage goes to DuckDB. Both compute the sum
of line_item_unblended_cost per product_servicecode over 'Usage' rows, and the
figures are checked against each other.
"""
import json
import os
import statistics
import subprocess
import sys
import time

import duckdb

QUERY = """SELECT product_servicecode, sum(line_item_unblended_cost) FROM read_parquet(?)
WHERE line_item_line_item_type = 'Usage' GROUP BY 1"""


def timed(action, runs):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def main():
    args = sys.argv[1:]
    runs = 7
    if args[:1] == ["--runs"]:
        runs, args = int(args[1]), args[2:]
    ducks, data = args
    connection = duckdb.connect()
    print(f"# {runs} runs each; {os.cpu_count()} cores; DuckDB {duckdb.__version__} (Python, in process, warm)")
    print(f"{'case':<14}{'ducks CLI (process)':>24}{'DuckDB (in process)':>24}{'ratio':>8}  sums agree to")
    for case in sorted(os.listdir(data)):
        files = [os.path.join(data, case, f) for f in os.listdir(os.path.join(data, case)) if f.endswith(".parquet")]

        def run_ducks():
            out = subprocess.run([ducks, "costs", "--json", *files], check=True, capture_output=True, text=True).stdout
            return {s["service"]: s["undiscounted"] for s in json.loads(out)["services"]}

        def run_duckdb():
            return {k or "": v for k, v in connection.execute(QUERY, [files]).fetchall()}

        run_duckdb()  # warm: metadata and file cache
        ducks_times, ducks_sums = timed(run_ducks, runs)
        duckdb_times, duckdb_sums = timed(run_duckdb, runs)
        worst = max(abs(ducks_sums[k] - duckdb_sums[k]) / max(abs(duckdb_sums[k]), 1e-9) for k in duckdb_sums)
        assert ducks_sums.keys() == duckdb_sums.keys(), "the two found different services"
        ratio = statistics.median(ducks_times) / statistics.median(duckdb_times)

        def cell(times):
            return f"{statistics.median(times):.1f} ms ({min(times):.1f}–{max(times):.1f})"

        print(f"{case:<14}{cell(ducks_times):>24}{cell(duckdb_times):>24}{ratio:>7.2f}×  {worst:.1e}")


if __name__ == "__main__":
    main()
