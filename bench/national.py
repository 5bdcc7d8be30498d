"""Sizing a national back-fill: a synthetic warehouse of N reports, made from a real one, measured.

    make demo && python -m bench.national --reports 1200000           # ~1.2 M reports: the whole country
    python -m bench.national --reports 60000 --seed data/warehouse/nianbao.duckdb --out /tmp/national

The seed is a warehouse built by the pipeline (the demo's, or a bench run's). Every table that is keyed by a
report is copied N / (reports in the seed) times under new report ids, spread over ~2,900 counties, so the
synthetic warehouse has the seed's own cells, pages, findings and URLs per report — the real shapes and string
lengths, at national size (each copy's page text is made unique, or DuckDB would store it once). One night's crawl log (`fetches`, `portal_runs`) is replicated the same way, since a
nightly re-validation writes about two fetch rows per known report.

Prints JSON lines: the build; the file's size and bytes per report; the cost of publishing as the pipeline does
it (copy the published file, open and migrate the copy, CHECKPOINT, replace: warehouse.publish.building with
nothing loaded); and each of the office's ten questions (docs/queries.sql) with its seconds and rows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

import duckdb

from nianbao.config import OLDEST_READABLE_STORAGE, PROJECT_DIR
from warehouse.publish import building
from warehouse.read import query

COUNTIES = 2_900  # 县级行政区 in China, about

# Tables with one group of rows per report, and the key columns that must stay unique in the copies.
PER_REPORT = {
    "reports": ("report_id",),
    "report_urls": ("report_id",),
    "report_cells": ("report_id",),
    "report_pages": ("report_id",),
    "narrative_figures": ("report_id",),
    "dq_findings": ("report_id", "finding_id"),
}
PER_NIGHT = ("fetches", "portal_runs")  # one night's crawl log, scaled with the reports it re-validated


def emit(line: dict) -> None:
    print(json.dumps(line, ensure_ascii=False, default=str), flush=True)


def seed_reports(seed: Path) -> int:
    with duckdb.connect(str(seed), read_only=True) as con:
        return con.execute("SELECT count(*) FROM reports").fetchone()[0]


def columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> list[str]:
    return [name for (name,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND table_name = ? ORDER BY column_index",
        [database, table],
    ).fetchall()]


def replicated(con, table: str, copies: int, renamed: dict[str, str]) -> None:
    """INSERT the seed's rows of `table` `copies` times, each copy's columns in `renamed` rewritten by an SQL
    expression of the copy number i."""
    names = columns(con, "seed", table)
    select = ", ".join(f"{renamed[c]} AS {c}" if c in renamed else c for c in names)
    con.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} FROM seed.{table}, range({copies}) AS copy(i)")


def build(seed: Path, target: Path, copies: int, storage_version: str) -> dict:
    started = time.perf_counter()
    with building(target, storage_version=storage_version) as con:
        con.execute(f"ATTACH '{seed}' AS seed (READ_ONLY)")
        for table, keys in PER_REPORT.items():
            # a copy's ids are the seed's with the copy number appended: unique, and joins stay joins
            renamed = {key: f"{key} || '-' || i" for key in keys}
            if table == "report_pages":  # no two reports share a page's text: keep DuckDB from storing it once
                renamed["text"] = "i || ' ' || text"
            if table == "reports":
                renamed |= {"county": f"county || '-' || (i % {COUNTIES})", "portal_id": f"portal_id || '-' || (i % {COUNTIES})"}
            replicated(con, table, copies, renamed)
        # one night: every report's fetches, and one portal_runs row per county
        replicated(con, "fetches", copies, {"portal_id": f"portal_id || '-' || (i % {COUNTIES})"})
        replicated(con, "portal_runs", min(copies, COUNTIES), {"portal_id": "portal_id || '-' || i"})
        con.execute("DETACH seed")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (*PER_REPORT, *PER_NIGHT)}
    return {"stage": "build", "copies": copies, "rows": counts, "wall_s": round(time.perf_counter() - started, 1)}


def publish_cost(target: Path, storage_version: str) -> dict:
    """One publish with nothing new, as every nightly run does it: copy, migrate, CHECKPOINT, replace."""
    started = time.perf_counter()
    with building(target, storage_version=storage_version):
        copied = time.perf_counter() - started
    return {"stage": "publish", "copy_s": round(copied, 2), "publish_s": round(time.perf_counter() - started, 2),
            "file_bytes": target.stat().st_size}


def office_queries(target: Path) -> list[dict]:
    from tests.helpers import example_queries  # the ten questions as docs/queries.sql has them

    lines = []
    for name, sql in example_queries().items():
        started = time.perf_counter()
        _, rows = query(target, sql)
        lines.append({"stage": "query", "name": name, "seconds": round(time.perf_counter() - started, 3), "rows": len(rows)})
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_200_000, help="reports in the synthetic warehouse")
    parser.add_argument("--seed", type=Path, default=PROJECT_DIR / "data" / "warehouse" / "nianbao.duckdb",
                        help="a warehouse the pipeline built (default: the demo's)")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "bench" / "out" / "national")
    parser.add_argument("--storage-version", default=OLDEST_READABLE_STORAGE,
                        help=f"warehouse.storage_version of the file (default {OLDEST_READABLE_STORAGE})")
    parser.add_argument("--reuse", action="store_true", help="measure the warehouse --out holds; build nothing")
    args = parser.parse_args(argv)
    if not args.reuse and not args.seed.exists():
        sys.exit(f"{args.seed}: no seed warehouse; run `make demo` first, or name one with --seed")
    target = args.out.resolve() / "national.duckdb"
    if args.reuse:
        reports = seed_reports(target)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        line = build(args.seed, target, max(1, round(args.reports / seed_reports(args.seed))), args.storage_version)
        reports = line["rows"]["reports"]
        size = target.stat().st_size
        emit(line | {"storage_version": args.storage_version, "reports": reports, "file_bytes": size, "bytes_per_report": round(size / reports),
                     "cells_per_report": round(line["rows"]["report_cells"] / reports, 1)})
    # twice: a file in another storage format is converted by the first publish, as a real run does once
    for _ in range(2):
        emit(publish_cost(target, args.storage_version) | {"reports": reports, "free_disk_bytes": shutil.disk_usage(target.parent).free})
    for line in office_queries(target):
        emit(line)
    emit({"stage": "peak", "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
          "load_average": round(os.getloadavg()[0], 2)})


if __name__ == "__main__":
    main()
