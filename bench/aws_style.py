"""Rewrites a generator file the way AWS's and pyarrow's writers lay out Parquet.

    python3 bench/aws_style.py SOURCE.parquet OUT_DIR

Writes these cases beside each other under OUT_DIR, with the same rows and columns:

- ``<name>-pyarrow/``: pyarrow's defaults (every column dictionary-encoded, falling
  back to plain pages once a column's dictionary passes 1 MB; 1 MB data pages, v1
  pages, snappy, row groups of 1,048,576 rows; statistics, no page index).
- ``<name>-mr/``: as parquet-mr writes for AWS Data Exports and CUR-for-Athena,
  as far as pyarrow can: the same dictionary rule and v1 pages, and row groups cut
  at about 128 MB of encoded data (parquet-mr's ``parquet.block.size``), so a
  million-row CUR comes in a few row groups instead of one. (parquet-mr itself
  needs Java packages this machine cannot fetch.)
- ``<name>-pyarrow-rgs/`` (under 10M rows): pyarrow's defaults in ten row groups
  (as a writer that flushes by rows, or a file appended to over a month, gives).

The generator's own files are written by arrow-rs, with its page and dictionary
limits; both kinds are benchmarked (BENCHMARKS.md).
"""

import os
import sys

import pyarrow.parquet as pq

MB = 1 << 20
BLOCK = 128 * MB


def main(source, out_dir):
    # 1m-one-rg -> 1m-pyarrow, 1m-mr, 1m-pyarrow-rgs
    name = os.path.basename(os.path.dirname(os.path.abspath(source))).removesuffix("-one-rg")
    table = pq.read_table(source)
    common = dict(
        use_dictionary=True,
        dictionary_pagesize_limit=MB,
        data_page_size=MB,
        data_page_version="1.0",
        compression="snappy",
        write_statistics=True,
    )
    # Rows per row group for ~128 MB encoded: measured from a pyarrow write of a sample.
    sample = table.slice(0, min(table.num_rows, 100_000))
    probe = os.path.join(out_dir, ".probe.parquet")
    os.makedirs(out_dir, exist_ok=True)
    pq.write_table(sample, probe, compression="none", **{k: v for k, v in common.items() if k != "compression"})
    encoded_per_row = os.path.getsize(probe) / sample.num_rows
    os.remove(probe)
    mr_rows = max(1, int(BLOCK / encoded_per_row))
    ten = max(1, -(-table.num_rows // 10))
    styles = [("pyarrow", 1024 * 1024), ("mr", mr_rows)]
    if table.num_rows < 10 * 1024 * 1024:  # else pyarrow's defaults already give ten or more
        styles.append(("pyarrow-rgs", ten))
    for style, rows in styles:
        folder = os.path.join(out_dir, f"{name}-{style}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, os.path.basename(source))
        pq.write_table(table, path, row_group_size=rows, **common)
        meta = pq.ParquetFile(path).metadata
        print(f"{path}: {meta.num_rows} rows, {meta.num_row_groups} row groups, {os.path.getsize(path) / MB:.0f} MB")
        open(os.path.join(folder, ".complete"), "w").close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
