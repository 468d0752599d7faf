"""The CLI's questions on a big bill (issue 27) against DuckDB's Python package.

    python3 bench/questions.py [--runs N] DUCKS_BIN FILE

ducks is timed as a whole process (start, read, print JSON) with its peak
resident set; DuckDB in process with a warm connection. Both answer cost by
team and the top 20 resources over 'Usage' rows, and the figures are checked
against each other.
"""
import json
import statistics
import subprocess
import sys
import time

import duckdb

QUESTIONS = {
    "tag:team": (["--by", "tag:team"], "SELECT resource_tags_user_team, sum(line_item_unblended_cost) "
                 "FROM read_parquet(?) WHERE line_item_line_item_type = 'Usage' GROUP BY 1"),
    "resource": (["--by", "resource", "--top", "20"], "SELECT line_item_resource_id, sum(line_item_unblended_cost) s "
                 "FROM read_parquet(?) WHERE line_item_line_item_type = 'Usage' GROUP BY 1 ORDER BY s DESC LIMIT 20"),
}


def main():
    args = sys.argv[1:]
    runs = 3
    if args[:1] == ["--runs"]:
        runs, args = int(args[1]), args[2:]
    ducks, path = args
    connection = duckdb.connect()
    print(f"# {runs} runs each; DuckDB {duckdb.__version__} (Python, in process, warm); {path}")
    for name, (by, sql) in QUESTIONS.items():
        connection.execute(sql, [path]).fetchall()
        theirs, duckdb_times = None, []
        for _ in range(runs):
            started = time.perf_counter()
            theirs = dict(connection.execute(sql, [path]).fetchall())
            duckdb_times.append(time.perf_counter() - started)
        ducks_times, peaks, out = [], [], None
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run(["/usr/bin/time", "-f", "%M", ducks, "group", "--json", *by, path],
                                  capture_output=True, text=True, check=True)
            ducks_times.append(time.perf_counter() - started)
            peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
            out = json.loads(done.stdout)
        ours = {list(g["keys"].values())[0]: g["cost"] for g in out["groups"]}
        worst = max(abs(ours[k] - v) / max(abs(v), 1e-9) for k, v in theirs.items())
        ratio = statistics.median(ducks_times) / statistics.median(duckdb_times)
        print(f"{name:<10} ducks {statistics.median(ducks_times):.2f} s (peak {max(peaks):.0f} MB)"
              f"  DuckDB {statistics.median(duckdb_times):.2f} s  ratio {ratio:.1f}x  agree to {worst:.1e}")


if __name__ == "__main__":
    main()
