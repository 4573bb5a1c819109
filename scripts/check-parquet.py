#!/usr/bin/env python3
"""Reads zhongdian's Parquet exports with the engines researchers load them into and
holds each against the CSV of the same command.

    scripts/check-parquet.py FILE.parquet FILE.csv   # one export and its CSV
    scripts/check-parquet.py --all [CORPUS]          # every long-form export of CORPUS
                                                     # (default: data/), made here

With DuckDB, the CSV is read with the types DuckDB finds in the Parquet file and the
rows must be equal, in order, nulls where the CSV is empty; the same with Polars. pandas
(with pyarrow), if present, must read the file with the CSV's columns and row count. An
engine that is not installed is skipped and said so; with none of DuckDB and Polars the
script exits 2, with a difference 1.

`--all` runs `target/release/zhongdian` (or --bin PATH; build it with `cargo build
--release`).
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile

# What `--all` exports: each long-form table of `report`, `trend` and `adoption`.
EXPORTS = {
    "report-district-year": ["report", "{corpus}"],
    "report-meeting": ["report", "{corpus}", "--by", "meeting"],
    "report-tenure": ["report", "{corpus}", "--by", "tenure"],
    "report-prefecture": ["report", "{corpus}", "--level", "prefecture"],
    "trend-year": ["trend", "{corpus}", "项目,招商引资", "--smooth", "1"],
    "trend-district-year": ["trend", "{corpus}", "项目", "--by", "district-year"],
    "adoption": ["adoption", "{corpus}", "项目"],
    "adoption-curve": ["adoption", "{corpus}", "项目", "--curve"],
}


def csv_header_and_count(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], len(rows) - 1


def with_duckdb(parquet, table):
    import duckdb

    con = duckdb.connect()
    described = con.execute(
        "DESCRIBE SELECT * FROM read_parquet(?)", [parquet]
    ).fetchall()
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind, *_ in described)
    from_parquet = con.execute("SELECT * FROM read_parquet(?)", [parquet]).fetchall()
    from_csv = con.execute(
        f"SELECT * FROM read_csv(?, header = true, columns = {{{columns}}})", [table]
    ).fetchall()
    schema = ", ".join(f"{name} {kind}" for name, kind, *_ in described)
    return from_parquet == from_csv, f"{len(from_parquet)} rows: {schema}"


def with_polars(parquet, table):
    import polars as pl

    frame = pl.read_parquet(parquet)
    from_csv = pl.read_csv(table, schema=frame.schema)
    schema = ", ".join(f"{name} {kind}" for name, kind in frame.schema.items())
    return frame.equals(from_csv), f"{frame.height} rows: {schema}"


def with_pandas(parquet, table):
    import pandas as pd

    frame = pd.read_parquet(parquet)
    header, count = csv_header_and_count(table)
    schema = ", ".join(f"{name} {kind}" for name, kind in frame.dtypes.items())
    return list(frame.columns) == header and len(frame) == count, f"{len(frame)} rows: {schema}"


ENGINES = [("duckdb", with_duckdb), ("polars", with_polars), ("pandas", with_pandas)]


def compare(parquet, table):
    """Each installed engine's verdict on one export; None if no engine that compares
    values (DuckDB, Polars) is installed."""
    ok, compared = True, False
    for name, check in ENGINES:
        try:
            same, seen = check(parquet, table)
        except ImportError:
            print(f"  {name}: not installed, skipped")
            continue
        compared |= name != "pandas"
        ok &= same
        print(f"  {name}: {'same as the CSV' if same else 'DIFFERS from the CSV'} ({seen})")
    return ok if compared else None


def export_all(binary, corpus):
    ok, compared = True, True
    with tempfile.TemporaryDirectory() as out:
        for name, args in EXPORTS.items():
            args = [a.format(corpus=corpus) for a in args]
            parquet = os.path.join(out, name + ".parquet")
            table = os.path.join(out, name + ".csv")
            for fmt, path in (("parquet", parquet), ("csv", table)):
                subprocess.run(
                    [binary, *args, "--no-cache", "--format", fmt, "-o", path], check=True
                )
            print(f"{name}: {' '.join(args)}")
            verdict = compare(parquet, table)
            compared &= verdict is not None
            ok &= verdict is not False
    return ok if compared else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help="FILE.parquet FILE.csv, or the corpus with --all")
    parser.add_argument("--all", action="store_true", help="export every long-form table of a corpus")
    parser.add_argument("--bin", default="target/release/zhongdian", help="the zhongdian binary")
    args = parser.parse_args()
    if args.all:
        verdict = export_all(args.bin, args.files[0] if args.files else "data")
    elif len(args.files) == 2:
        verdict = compare(*args.files)
    else:
        parser.error("give FILE.parquet FILE.csv, or --all [CORPUS]")
    if verdict is None:
        print("neither DuckDB nor Polars is installed (pip install duckdb polars): nothing compared")
        sys.exit(2)
    sys.exit(0 if verdict else 1)


if __name__ == "__main__":
    main()
