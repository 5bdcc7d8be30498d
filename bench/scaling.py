"""The scaling curve: the nightly flow on a real Dask cluster with 1, 2, … worker processes.

    python -m bench.scaling --workers 1,2 --n 40                 # generated corpus (LibreOffice), cached
    python -m bench.scaling --workers 1,2 --n 20 --corpus fixtures

For each worker count: a fresh warehouse, a Prefect API server, a `dask scheduler` and that many `dask worker`
processes (bench/local_cluster.py, one task at a time each), the bench portal served on 127.0.0.1 without a
rate limit, and one real run of flows.nightly with its tasks on the cluster. Prints one JSON line per worker
count: the flow run's wall seconds and documents/s, and the extraction span (first extract task started to
the last one finished, read from the Prefect server's task runs) with its documents/s; then the speed-up of
each count over one worker. The load average goes with each line: on a shared machine it moves the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path

from bench.corpus import FIXTURES, GENERATED, OUT_DIR, ensure_corpus, soffice_available
from bench.local_cluster import LocalProcessCluster
from bench.portal import build_site, plan_portals
from bench.run import emit, write_config


def extraction_span_seconds(cluster: LocalProcessCluster) -> float:
    """First start to last end of the flow's extract_document task runs, as the Prefect server recorded them."""
    runs = cluster.task_runs(name_like="extract")
    starts = [datetime.fromisoformat(r["start_time"]) for r in runs if r["start_time"]]
    ends = [datetime.fromisoformat(r["end_time"]) for r in runs if r["end_time"]]
    return (max(ends) - min(starts)).total_seconds()


def one_worker_count(out: Path, workers: int, portals, base_url: str, n: int, smtp_port: int) -> dict:
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect_dask import DaskTaskRunner

    from flows.nightly import nightly

    work = out / f"scale-{n}-w{workers}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    portals_file, settings_file = write_config(work, portals, base_url, 1000.0, 0, smtp_port)
    with LocalProcessCluster(workers=workers, home=work / "cluster") as cluster:
        load_average = round(os.getloadavg()[0], 2)
        with temporary_settings({PREFECT_API_URL: cluster.api_url}):
            flow = nightly.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
            started = time.perf_counter()
            summary = flow(portals_file=str(portals_file), settings_file=str(settings_file))
            wall = time.perf_counter() - started
        span = extraction_span_seconds(cluster)
    return {
        "stage": "scale_out", "workers": workers, "listed": n, "documents_extracted": summary.reports_extracted,
        "flow_run_s": round(wall, 2), "documents_per_s": round(summary.reports_extracted / wall, 3),
        "extraction_span_s": round(span, 2), "extraction_documents_per_s": round(summary.reports_extracted / span, 3),
        "load_average": load_average, "cores": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2", help="worker process counts, e.g. 1,2,4 (default 1,2)")
    parser.add_argument("--n", type=int, default=40, help="documents in the corpus (default 40)")
    parser.add_argument("--per-portal", type=int, default=10, help="reports per portal column (default 10)")
    parser.add_argument("--corpus", choices=("generated", "fixtures"), default="generated")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    made_with = GENERATED if args.corpus == "generated" and soffice_available() else FIXTURES

    from demo_portal.mail_sink import MailSink
    from demo_portal.server import serve

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    corpus, docs, _ = ensure_corpus(out, args.n, made_with, log=lambda msg: print(msg, file=sys.stderr, flush=True))
    portals = plan_portals(docs, args.per_portal)
    server, base_url = serve(0, root=build_site(out / f"site-{args.n}", corpus, docs, portals))
    lines = []
    try:
        with MailSink(out / "outbox", port=0) as sink:
            for workers in (int(w) for w in args.workers.split(",")):
                lines.append(one_worker_count(out, workers, portals, base_url, args.n, sink.port))
                emit(lines[-1])
    finally:
        server.shutdown()
        server.server_close()
    base = lines[0]
    for line in lines[1:]:
        emit({"stage": "speed_up", "workers": line["workers"], "over_workers": base["workers"],
              "flow_run": round(base["flow_run_s"] / line["flow_run_s"], 2),
              "extraction": round(base["extraction_span_s"] / line["extraction_span_s"], 2)})


if __name__ == "__main__":
    main()
