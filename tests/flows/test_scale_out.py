"""The nightly flow scaled out as in production: a real Prefect API server, a `dask scheduler` and two
`dask worker` processes on 127.0.0.1 (bench/local_cluster.py). The warehouse it builds must be the one a
single-process run builds, and a worker killed in the middle of an extraction must cost nothing."""

from __future__ import annotations

import threading
import time
from collections import Counter

import duckdb
import pytest

from bench.local_cluster import LocalProcessCluster
from demo_portal.mail_sink import MailSink

pytestmark = pytest.mark.slow

# What a run adds to the warehouse, without the columns that name the run itself or its clock.
CONTENT = {
    "reports": "SELECT report_id, agency, year, generation, status, page_count, extractor_version FROM reports",
    "report_cells": "SELECT * FROM report_cells",
    "narrative_figures": "SELECT * FROM narrative_figures",
    "dq_findings": "SELECT finding_id, report_id, rule_code, severity, location, status FROM dq_findings",
}


def warehouse_content(path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {table: sorted(con.execute(query).fetchall(), key=repr) for table, query in CONTENT.items()}


def run_on_cluster(cluster: LocalProcessCluster, config):
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect_dask import DaskTaskRunner

    from flows.nightly import nightly

    # The flow reports to the cluster's Prefect server; the workers receive that setting with every task.
    with temporary_settings({PREFECT_API_URL: cluster.api_url}):
        on_dask = nightly.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
        return on_dask(portals_file=str(config.portals_file), settings_file=str(config.settings_file))


def test_two_worker_processes_build_the_warehouse_a_single_process_builds(
    tmp_path, demo_runs, demo_portal_url, pipeline_config
):
    single = warehouse_content(demo_runs.config.warehouse)
    with LocalProcessCluster(workers=2, home=tmp_path / "cluster") as cluster:
        with MailSink(tmp_path / "outbox", port=0) as sink:
            config = pipeline_config(tmp_path / "run", demo_portal_url, sink.port)
            summary = run_on_cluster(cluster, config)
        worked = cluster.client.run(lambda dask_worker: dask_worker.state.executed_count)
        states = Counter(run["state_type"] for run in cluster.task_runs())
    assert summary.reports_loaded == 5 and summary.reports_flagged == 1
    assert warehouse_content(config.warehouse) == single
    assert len(sink.received) == len(demo_runs.first_emails)  # the same alerts as the single-process run
    assert all(count > 0 for count in worked.values()), worked  # both worker processes ran extractions
    assert sum(worked.values()) == 5  # the five documents: the crawls stayed in the flow's process
    assert set(states) == {"COMPLETED"}, states  # every task reported to the one real Prefect server


def test_a_worker_killed_mid_extraction_costs_nothing(tmp_path, demo_runs, demo_portal_url, pipeline_config):
    single = warehouse_content(demo_runs.config.warehouse)
    killed: list[int] = []

    with LocalProcessCluster(workers=2, home=tmp_path / "cluster") as cluster:

        def kill_the_first_worker_that_extracts() -> None:
            deadline = time.monotonic() + 300
            try:
                while time.monotonic() < deadline and not killed:
                    index = cluster.worker_running("extract_document")
                    if index is not None:
                        cluster.kill_worker(index)
                        killed.append(index)
                    time.sleep(0.02)
            except Exception as e:  # seen by the assertion below, not lost in the thread
                killed.append(e)

        killer = threading.Thread(target=kill_the_first_worker_that_extracts, daemon=True)
        killer.start()
        with MailSink(tmp_path / "outbox", port=0) as sink:
            config = pipeline_config(tmp_path / "run", demo_portal_url, sink.port)
            summary = run_on_cluster(cluster, config)
        killer.join(timeout=5)
        survivors = len(cluster.client.scheduler_info()["workers"])
        states = Counter(run["state_type"] for run in cluster.task_runs())

    assert killed and isinstance(killed[0], int), killed or "no worker was seen extracting"
    assert survivors == 1
    assert set(states) == {"COMPLETED"}, states  # the killed task's run was taken over, not left RUNNING
    # Dask ran the killed worker's extraction again on the other worker: nothing lost, nothing doubled.
    assert summary.reports_loaded == 5 and summary.reports_flagged == 1
    assert warehouse_content(config.warehouse) == single
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT report_id) FROM reports").fetchone() == (5, 5)
    assert len(sink.received) == len(demo_runs.first_emails)  # the same alerts as the single-process run
