"""Where a stage's time goes: cProfile of extraction (in this process, no worker) or of validation over a
benchmark run's warehouse, the top functions by cumulative and by own time.

    python -m bench.profile extract --corpus bench/out/corpus-100 --documents 10
    python -m bench.profile load --run bench/out/run-100
    python -m bench.profile validate --run bench/out/run-100

Load goes into a new warehouse in a temporary folder (from the run's crawl and extraction pickles);
validation runs on a copy of the run's published warehouse. Both are thrown away, so the benchmark's
figures stay as they were.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import tempfile
from pathlib import Path


def profile_extract(corpus: Path, documents: int) -> cProfile.Profile:
    from extractors import extract_document

    files = sorted(corpus.glob("*.pdf"))[:documents]
    profiler = cProfile.Profile()
    profiler.enable()
    for path in files:
        extract_document(path, "pdf", "0" * 64)
    profiler.disable()
    return profiler


def profile_load(run: Path) -> cProfile.Profile:
    import warehouse
    import warehouse.load
    from bench.stages import Work

    work = Work(run)
    crawled, extracted = work.load("crawls"), work.load("extracted")
    documents = [(c.portal, d) for c in crawled["crawls"] for d in c.documents]
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        profiler = cProfile.Profile()
        profiler.enable()
        with warehouse.building(Path(tmp) / "warehouse.duckdb") as con:
            warehouse.load.start_run(con, crawled["run_id"], crawled["started_at"], {"bench": True})
            warehouse.load.load_crawl(con, crawled["run_id"], crawled["crawls"])
            for portal, document in documents:
                warehouse.load.load_report(con, crawled["run_id"], portal, document, extracted.get(document.sha256))
        profiler.disable()
    return profiler


def profile_validate(run: Path) -> cProfile.Profile:
    import duckdb

    import expectations
    from bench.stages import Work

    settings = Work(run).settings()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        copy = Path(tmp) / "warehouse.duckdb"
        shutil.copyfile(settings.warehouse_path, copy)
        con = duckdb.connect(str(copy))
        try:
            (run_id,) = con.execute("SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()
            profiler = cProfile.Profile()
            profiler.enable()
            expectations.validate(con, run_id, settings.rules, Path(tmp) / "data_docs")
            profiler.disable()
        finally:
            con.close()
    return profiler


def top(profiler: cProfile.Profile, lines: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(lines)
    stats.sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=("extract", "load", "validate"))
    parser.add_argument("--corpus", type=Path, default=Path("bench/out/corpus-100"))
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--run", type=Path, default=Path("bench/out/run-100"))
    parser.add_argument("--lines", type=int, default=25)
    args = parser.parse_args(argv)
    if args.stage == "extract":
        profiler = profile_extract(args.corpus, args.documents)
    else:
        profiler = profile_load(args.run) if args.stage == "load" else profile_validate(args.run)
    print(top(profiler, args.lines))


if __name__ == "__main__":
    main()
