"""The office's clients open the published warehouse: DuckDB 1.5.x (the newest 1.x, what `pip install duckdb<2`
and the `duckdb-cli` package give) runs every query of docs/queries.sql on it and gets the same answers as
the pipeline's DuckDB. The 1.5.x packages are installed from the registry into their own venv, and the
queries run in that interpreter and that CLI, never in the pipeline's."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

import warehouse.read
from tests.helpers import example_queries
from nianbao.config import OLDEST_READABLE_STORAGE
from tests.warehouse.records import first_run, province, publish_run, unchanged_run
from warehouse.publish import file_storage

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
CLIENT_VENV = PROJECT / ".venv-duckdb15"
CLIENT_PACKAGES = ("duckdb>=1.5,<1.6", "duckdb-cli>=1.5,<1.6")

# Runs in the 1.5.x interpreter: every query, its rows as text (the same rendering on both sides).
RUN_QUERIES = """
import json, sys, duckdb
path, queries = sys.argv[1], json.loads(sys.stdin.read())
con = duckdb.connect(path, read_only=True)
out = {"version": duckdb.__version__, "answers": {}}
for name, sql in queries.items():
    out["answers"][name] = [[None if v is None else str(v) for v in row] for row in con.execute(sql).fetchall()]
print(json.dumps(out))
"""


@pytest.fixture(scope="session")
def client_venv() -> Path:
    """A venv holding DuckDB 1.5.x and its CLI from the package registry (kept between test sessions)."""
    python = CLIENT_VENV / "bin" / "python"
    if not (CLIENT_VENV / "bin" / "duckdb").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(CLIENT_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *CLIENT_PACKAGES], check=True)
    return CLIENT_VENV


def answers_of_pipeline_duckdb(published: Path) -> dict[str, list[list[str | None]]]:
    out = {}
    for name, sql in example_queries().items():
        _, rows = warehouse.read.query(published, sql)
        out[name] = [[None if v is None else str(v) for v in row] for row in rows]
    return out


def answers_of_client(venv: Path, published: Path) -> dict:
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", RUN_QUERIES, str(published)],
        input=json.dumps(example_queries()), capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_duckdb_1_5_runs_every_example_query_on_the_published_warehouse(client_venv, demo_runs):
    published = demo_runs.config.warehouse
    assert file_storage(published) == "v1.0.0+"  # the oldest format 2.0 writes: DuckDB 1.1 on reads it
    client = answers_of_client(client_venv, published)
    assert client["version"].startswith("1.5.")
    expected = answers_of_pipeline_duckdb(published)
    assert client["answers"] == expected
    assert expected["reports_failing_rules"], "the demo warehouse has findings to show"


def test_the_duckdb_1_5_cli_from_the_registry_runs_every_example_query_read_only(client_venv, demo_runs):
    published = demo_runs.config.warehouse
    cli = [str(client_venv / "bin" / "duckdb"), "-readonly", "-json", str(published)]
    version = subprocess.run([*cli, "-c", "SELECT version() AS v"], capture_output=True, text=True, check=True)
    assert json.loads(version.stdout)[0]["v"].startswith("v1.5.")
    expected = answers_of_pipeline_duckdb(published)
    rows = {}
    for name, sql in example_queries().items():
        done = subprocess.run([*cli, "-c", sql], capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{name}: {done.stderr}"
        rows[name] = json.loads(done.stdout) if done.stdout.strip() else []
        assert len(rows[name]) == len(expected[name]), name
    assert rows["reports_failing_rules"][0]["county"] == expected["reports_failing_rules"][0][0]  # its Chinese


def test_a_warehouse_published_in_duckdb_2_format_is_converted_by_the_next_run(client_venv, tmp_path):
    published = tmp_path / "nianbao.duckdb"
    reports = province(tmp_path / "raw")
    run1 = first_run("run-1", datetime(2025, 2, 1, 2), reports)
    publish_run(published, run1, storage_version="latest")
    assert file_storage(published) == "v2.0.0+"
    before = answers_of_pipeline_duckdb(published)
    with duckdb.connect(str(published), read_only=True) as con:
        comments = con.execute("SELECT count(*) FROM duckdb_columns() WHERE comment IS NOT NULL").fetchone()

    publish_run(published, unchanged_run("run-2", datetime(2025, 3, 1, 2), reports, run1.findings[:1]),
                storage_version=OLDEST_READABLE_STORAGE)

    assert file_storage(published) == "v1.0.0+"
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM duckdb_columns() WHERE comment IS NOT NULL").fetchone() == comments
        assert [r for (r,) in con.execute("SELECT run_id FROM runs ORDER BY run_id").fetchall()] == ["run-1", "run-2"]
    after = answers_of_client(client_venv, published)["answers"]
    assert after["reports_failing_rules"] == before["reports_failing_rules"][:1]
    assert after["application_trends_by_county"] == before["application_trends_by_county"]
