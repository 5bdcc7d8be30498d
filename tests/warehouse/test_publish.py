"""Publishing: analysts are never blocked and never see a half-loaded run; a killed run leaves the published
warehouse whole; an older warehouse upgrades in place. Real DuckDB files, real processes."""

from __future__ import annotations

import ast
import os
import pickle
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

import warehouse
from nianbao.config import PROJECT_DIR
from tests.warehouse.records import first_run, province, publish_run, snapshot, unchanged_run
from warehouse.publish import building_path
from warehouse.schema import applied_versions, migrate, migrations

RECORDS = [sys.executable, "-m", "tests.warehouse.records"]
JAN = datetime(2025, 2, 1, 2, 0)
FEB = datetime(2025, 3, 1, 2, 0)


def wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def two_runs(tmp_path):
    """A published warehouse after run-1, and run-2 (the next night: nothing changed) pickled for a
    subprocess."""
    reports = province(tmp_path / "raw")
    published = tmp_path / "warehouse" / "nianbao.duckdb"
    run1 = first_run("run-1", JAN, reports)
    publish_run(published, run1)
    run2 = unchanged_run("run-2", FEB, reports, run1.findings[:1])
    pickled = tmp_path / "run-2.pickle"
    pickled.write_bytes(pickle.dumps(run2))
    return published, run2, pickled


def load_in_subprocess(pickled: Path, published: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([*RECORDS, "load", str(pickled), str(published), *extra], cwd=PROJECT_DIR)


def test_a_run_killed_inside_the_build_leaves_the_published_warehouse_whole_and_the_next_run_completes(
    tmp_path, two_runs
):
    published, run2, pickled = two_runs
    before = snapshot(published)
    marker = tmp_path / "inside"
    writer = load_in_subprocess(pickled, published, "--pause-inside", str(marker))
    try:
        wait_for(marker.exists, "the run to be halfway through its reports")
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.wait()
    assert writer.returncode == -signal.SIGKILL
    assert building_path(published).exists()  # the killed run's half-built file
    assert snapshot(published) == before

    publish_run(published, run2)
    after = snapshot(published)
    assert after[0] == "run-1,run-2" and after[1:3] == before[1:3] and after[3] == 2 * before[3]
    assert not building_path(published).exists()


def test_a_failing_run_publishes_nothing(two_runs):
    published, _, _ = two_runs
    before = snapshot(published)
    with pytest.raises(RuntimeError, match="extraction crashed"):
        with warehouse.building(published) as con:
            warehouse.load.start_run(con, "run-2", FEB, {})
            raise RuntimeError("extraction crashed")
    assert snapshot(published) == before
    assert not building_path(published).exists()


def test_a_reader_querying_in_a_loop_during_a_run_never_errors_and_sees_the_old_or_the_new_run(tmp_path, two_runs):
    published, _, pickled = two_runs
    old = snapshot(published)
    observations, stop = tmp_path / "observations.txt", tmp_path / "stop"
    reader = subprocess.Popen([*RECORDS, "watch", str(published), str(observations), str(stop)], cwd=PROJECT_DIR)
    try:
        wait_for(lambda: observations.exists() and observations.stat().st_size > 0, "the reader's first query")
        writer = load_in_subprocess(pickled, published)
        assert writer.wait(timeout=120) == 0
        new = snapshot(published)
        wait_for(lambda: repr(new) in observations.read_text("utf-8"), "the reader to see the new run")
    finally:
        stop.touch()
        reader.wait(timeout=60)
    seen = observations.read_text("utf-8").splitlines()
    errors = [line for line in seen if line.startswith("ERROR")]
    assert errors == []
    assert {ast.literal_eval(line) for line in seen} == {old, new}
    assert new != old


def test_an_analyst_session_opened_for_writing_blocks_the_publish_with_a_clear_error(two_runs):
    published, _, _ = two_runs
    analyst = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; con = duckdb.connect({str(published)!r}); print('open', "
                               "flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert analyst.stdout.readline().strip() == "open"
        with pytest.raises(warehouse.WarehouseBusy, match="open for writing"):
            with warehouse.building(published):
                pass
    finally:
        analyst.kill()
        analyst.wait()


def test_an_older_warehouse_upgrades_in_place_and_keeps_its_data(tmp_path):
    reports = province(tmp_path / "raw")
    # today's loader fills today's schema; the old warehouse gets the rows its version-1 tables can hold
    current = tmp_path / "current.duckdb"
    with duckdb.connect(str(current)) as con:
        migrate(con)
        run1 = first_run("run-1", JAN, reports)
        warehouse.load.start_run(con, "run-1", JAN, {})
        for portal, doc, extracted in run1.reports:
            warehouse.load.load_report(con, "run-1", portal, doc, extracted)
    published = tmp_path / "old.duckdb"
    con = duckdb.connect(str(published))
    migrate(con, target=1)  # a warehouse made before the views existed
    con.execute(f"ATTACH '{current}' AS current (READ_ONLY)")
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'old' AND table_name != 'schema_migrations'"
    ).fetchall()
    for (table,) in tables:
        columns = ", ".join(name for (name,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'old' AND table_name = ? ORDER BY column_index",
            [table]).fetchall())
        con.execute(f"INSERT OR IGNORE INTO old.{table} ({columns}) SELECT {columns} FROM current.{table}")
    con.execute("DETACH current")
    con.execute("CHECKPOINT")
    con.close()

    every_version = [m.version for m in migrations()]
    assert every_version[:3] == [1, 2, 3]
    with warehouse.building(published) as con:
        assert applied_versions(con) == every_version
    assert warehouse.read.query(published, "SELECT count(*) FROM reports")[1] == [(6,)]
    assert warehouse.read.query(published, "SELECT count(*) FROM latest_reports")[1] == [(6,)]
    assert warehouse.read.query(published, "SELECT version FROM schema_migrations ORDER BY 1")[1] == [(v,) for v in every_version]
    (outcome_comment,) = warehouse.read.query(
        published, "SELECT comment FROM duckdb_columns() WHERE table_name = 'fetches' AND column_name = 'outcome'")[1][0]
    assert "fresh" in outcome_comment  # 003 re-described a column of 001


def test_a_new_connection_sees_the_new_run_only_once_every_connection_of_the_process_is_closed(tmp_path):
    """What the data dictionary tells analysts: DuckDB shares one open database per path within a process."""
    reports = province(tmp_path / "raw")
    published = tmp_path / "w.duckdb"
    publish_run(published, first_run("run-1", JAN, reports))
    runs = "SELECT string_agg(run_id, ',' ORDER BY run_id) FROM runs"
    held = duckdb.connect(str(published), read_only=True)
    publish_run(published, unchanged_run("run-2", FEB, reports, []))
    while_held = duckdb.connect(str(published), read_only=True)
    assert while_held.execute(runs).fetchone() == ("run-1",)  # the old file, though connected after the publish
    while_held.close()
    held.close()
    with duckdb.connect(str(published), read_only=True) as fresh:
        assert fresh.execute(runs).fetchone() == ("run-1,run-2",)
