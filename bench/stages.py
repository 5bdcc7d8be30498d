"""One pipeline stage in a fresh process, measured: `python -m bench.stages <stage> <work dir>`.

Each stage calls the stages' plain functions as flows/nightly.py does, reads the previous stage's output
from the work dir (pickles) and writes its own there. The last line of stdout is one JSON object: the
stage's wall and CPU seconds for its work only (imports and pickling excluded: `process_s` has the whole),
the peak RSS of the largest of its processes (itself or a child such as an extraction worker), and what it
did. A fresh process per stage keeps one stage's peak from hiding another's.

The work dir holds plan.json (written by bench.run): portals, settings file, corpus folder.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

# Prefect's thread task runner submits every document at once; a few threads keep the extractors' worker
# processes (one per core) as busy as it does
EXTRACTION_THREADS = 4

STAGES = ("crawl", "extract", "load", "validate", "recrawl", "pdfminer", "pypdfium2", "prefect_nightly")


class Meter:
    """Wall and CPU seconds of a block, and the peak RSS reached by its end. CPU and memory count this
    process and its child processes, live ones (the extraction workers) read from /proc, reaped ones from
    getrusage."""

    def __enter__(self) -> Meter:
        self.started, self._cpu = time.perf_counter(), _cpu_seconds()
        return self

    def __exit__(self, *exc) -> None:
        self.wall_s = time.perf_counter() - self.started
        self.cpu_s = _cpu_seconds() - self._cpu
        self.peak_rss_mb = peak_rss_mb()


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    live = sum(cpu for cpu, _ in _live_descendants().values())
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + live


def peak_rss_mb() -> float:
    """The largest resident set that this process or any one child reached, in MiB. Our own is VmHWM, not
    getrusage's ru_maxrss: Linux carries the forking parent's peak over exec into ru_maxrss, so a stage
    started by a big parent would report the parent's memory."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    live = max((hwm for _, hwm in _live_descendants().values()), default=0)
    return max(_vm_hwm_kib("self"), children, live) / 1024


def _vm_hwm_kib(pid: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


_TICKS = os.sysconf("SC_CLK_TCK")


def _live_descendants() -> dict[int, tuple[float, int]]:
    """pid -> (CPU seconds including its reaped children, peak RSS in KiB) of every live descendant."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        parents[int(stat.parent.name)] = int(fields[1])
    mine, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - mine
        mine |= frontier
    usage = {}
    for pid in mine:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            # after the ")": state is field 3, utime/stime/cutime/cstime fields 14-17 of stat(5)
            usage[pid] = (sum(int(x) for x in fields[11:15]) / _TICKS, _vm_hwm_kib(str(pid)))
        except OSError:
            continue  # the process ended meanwhile
    return usage


# --------------------------------------------------------------------------- inputs and outputs


class Work:
    def __init__(self, folder: Path):
        self.folder = folder
        self.plan = json.loads((folder / "plan.json").read_text("utf-8"))

    @property
    def corpus_files(self) -> list[Path]:
        corpus = Path(self.plan["corpus"])
        return [corpus / name for name in self.plan["files"]]

    def settings(self):
        from nianbao.config import load_settings

        return load_settings(Path(self.plan["settings_file"]))

    def portals(self):
        from nianbao.config import load_portals

        return load_portals(Path(self.plan["portals_file"]))

    def save(self, name: str, value) -> None:
        (self.folder / f"{name}.pkl").write_bytes(pickle.dumps(value))

    def load(self, name: str):
        return pickle.loads((self.folder / f"{name}.pkl").read_bytes())


def _crawl_figures(crawls) -> dict:
    """Per portal: requests sent, bytes downloaded, documents downloaded, seconds spent in requests."""
    per_portal = {}
    for c in crawls:
        sent = [f for f in c.fetches if f.sent]
        per_portal[c.portal.portal_id] = {
            "requests": len(sent),
            "not_modified": sum(f.outcome == "not_modified" for f in sent),
            "fresh": sum(f.outcome == "fresh" for f in c.fetches),
            "bytes_downloaded": sum(f.bytes for f in sent if f.outcome == "downloaded"),
            "documents_downloaded": sum(f.outcome == "downloaded" and f.purpose == "document" for f in sent),
            "documents_found": len(c.documents),
            "failures": sum(f.outcome == "failed" for f in sent),
            "health": [h.problem for h in c.health],
        }
    return per_portal


# --------------------------------------------------------------------------- the stages


def crawl(work: Work, save_as: str = "crawls") -> dict:
    import crawler
    import warehouse.read
    from crawler.store import RawStore
    from nianbao.run_ids import new_run_id

    settings, portals = work.settings(), work.portals()
    run_id = new_run_id("bench-")
    crawls, seconds = [], {}
    with Meter() as m:
        states = warehouse.read.crawl_states(settings.warehouse_path, [p.portal_id for p in portals])
        for portal in portals:
            started = time.perf_counter()
            state = states[portal.portal_id]
            crawls.append(crawler.crawl_portal(portal, settings.crawler, RawStore(settings.raw_dir), state, run_id))
            seconds[portal.portal_id] = round(time.perf_counter() - started, 3)
    work.save(save_as, {"run_id": run_id, "started_at": datetime.now(timezone.utc), "crawls": crawls})
    per_portal = _crawl_figures(crawls)
    for portal_id, figures in per_portal.items():
        figures["wall_s"] = seconds[portal_id]
    return {"meter": m, "n": sum(len(c.documents) for c in crawls), "portals": per_portal}


def extract(work: Work) -> dict:
    """Every pending document through the flow's own extract_to_store, submitted from threads as the flow's
    task runner does (the extractors decide how many worker processes serve them)."""
    import warehouse.read
    from extractors import EXTRACTOR_VERSION
    from extractors.worker import extract_to_store
    from nianbao.extraction_store import ExtractionStore

    settings = work.settings()
    store = ExtractionStore(settings.extracted_dir)
    crawls = work.load("crawls")["crawls"]
    already = warehouse.read.extracted_versions(settings.warehouse_path)
    pending = {d.sha256: d for c in crawls for d in c.documents if (d.sha256, EXTRACTOR_VERSION) not in already}

    def one(document):
        return extract_to_store(document, settings.extraction, store)

    first_s = None
    with Meter() as m:  # worker processes start with the first documents, as in a nightly run
        with ThreadPoolExecutor(EXTRACTION_THREADS) as pool:
            receipts = []
            for receipt in pool.map(one, pending.values()):
                receipts.append(receipt)
                first_s = first_s or time.perf_counter() - m.started
    work.save("extracted", sorted(pending))
    pages, statuses, cells = 0, Counter(), 0
    for receipt in receipts:  # the figures, after the meter, one report at a time
        report = store.get(receipt.sha256, EXTRACTOR_VERSION)
        pages, cells = pages + (report.page_count or 0), cells + len(report.cells)
        statuses[report.status] += 1
    return {
        "meter": m,
        "n": len(pending),
        "first_document_s": round(first_s or 0, 3),  # includes starting a worker and its imports
        "pages": pages,
        "statuses": dict(statuses),
        "cells": cells,
    }


def load(work: Work) -> dict:
    """The flow's load: the extraction store streamed into the building warehouse, LOAD_CHUNK at a time."""
    import warehouse
    import warehouse.load
    from extractors import EXTRACTOR_VERSION
    from nianbao.extraction_store import ExtractionStore

    settings = work.settings()
    crawled, to_load = work.load("crawls"), set(work.load("extracted"))
    run_id, crawls = crawled["run_id"], crawled["crawls"]
    documents = [(c.portal, d) for c in crawls for d in c.documents]
    store = ExtractionStore(settings.extracted_dir)
    with Meter() as m:  # building() copies, migrates and (on exit) publishes: the run pays it once
        with warehouse.building(settings.warehouse_path, storage_version=settings.warehouse.storage_version) as con:
            warehouse.load.start_run(con, run_id, crawled["started_at"], {"bench": True})
            warehouse.load.load_crawl(con, run_id, crawls)
            warehouse.load.load_extracted(con, run_id, documents, to_load, store, EXTRACTOR_VERSION)
            warehouse.load.assign_agencies(con, settings.rules)
    return {"meter": m, "n": len({d.sha256 for _, d in documents})}


def validate(work: Work) -> dict:
    """Validation, findings and the run's closing, in a second building of the warehouse: the nightly flow
    does them in the load's building, so this second copy-and-publish is timed apart (not part of the stage)."""
    import expectations
    import warehouse
    import warehouse.load

    settings = work.settings()
    run_id = work.load("crawls")["run_id"]
    opened = time.perf_counter()
    with warehouse.building(settings.warehouse_path, storage_version=settings.warehouse.storage_version) as con:
        reopen_s = time.perf_counter() - opened
        with Meter() as m:
            validation = expectations.validate_and_record(con, run_id, settings.rules, settings.data_docs_dir)
            counts = expectations.validation_counts(validation)
            warehouse.load.finish_run(con, run_id, datetime.now(timezone.utc), counts, None)
        closing = time.perf_counter()
    return {
        "meter": m,
        "n": len(validation.reports_checked),
        "findings": dict(Counter(f.rule_code for f in validation.findings)),
        "excluded_s": {"second_building_open": round(reopen_s, 3), "second_publish": round(time.perf_counter() - closing, 3)},
    }


def recrawl(work: Work) -> dict:
    """The crawl of a repeated run with nothing new: the state read back from the published warehouse."""
    return crawl(work, save_as="recrawls")


def pdfminer(work: Work) -> dict:
    from pdfminer.high_level import extract_text

    with Meter() as m:
        chars = sum(len(extract_text(str(path))) for path in work.corpus_files)
    return {"meter": m, "n": len(work.corpus_files), "chars": chars}


def pypdfium2(work: Work) -> dict:
    import pypdfium2 as pdfium

    chars = 0
    with Meter() as m:
        for path in work.corpus_files:
            pdf = pdfium.PdfDocument(str(path))
            try:
                for page in pdf:
                    chars += len(page.get_textpage().get_text_range())
            finally:
                pdf.close()
    return {"meter": m, "n": len(work.corpus_files), "chars": chars}


def prefect_nightly(work: Work) -> dict:
    """A real run of flows.nightly (a repeated run with nothing new when it follows the bench's run), with
    Prefect's start-up apart in the same process: importing Prefect and one empty flow run start the temporary
    API server, which then serves the nightly run too (measured apart in two processes, the start-up varied
    by ±1.5 s, as much as a small run costs)."""
    with Meter() as m:
        with Meter() as startup:
            from prefect import flow

            @flow(name="bench-empty")
            def empty() -> int:
                return 0

            empty()
        with Meter() as imported:  # the pipeline's own modules and libraries beyond Prefect
            from flows.nightly import nightly
        with Meter() as run:
            summary = nightly(portals_file=work.plan["portals_file"], settings_file=work.plan["settings_file"])
    return {"meter": m, "n": summary.reports_loaded, "prefect_startup_s": round(startup.wall_s, 3),
            "import_pipeline_s": round(imported.wall_s, 3), "flow_run_s": round(run.wall_s, 3),
            "run_id": summary.run_id, "documents_downloaded": summary.documents_downloaded}


# --------------------------------------------------------------------------- entry point


def run_stage(stage: str, folder: Path) -> dict:
    if stage not in STAGES:
        raise SystemExit(f"unknown stage {stage!r}; one of {', '.join(STAGES)}")
    started = time.perf_counter()
    result = globals()[stage](Work(folder))
    meter = result.pop("meter")
    return {
        "stage": stage,
        "wall_s": round(meter.wall_s, 3),
        "cpu_s": round(meter.cpu_s, 3),
        "peak_rss_mb": round(meter.peak_rss_mb, 1),  # the work's, not the figures' gathering after it
        "process_s": round(time.perf_counter() - started, 3),  # the work plus imports, pickles, set-up
        **result,
    }


def main(argv: list[str] | None = None) -> None:
    stage, folder = (argv or sys.argv[1:])[:2]
    print(json.dumps(run_stage(stage, Path(folder)), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
