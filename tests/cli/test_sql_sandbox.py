"""`nianbao sql` is read-only for real: each operation that would write, read or fetch outside the warehouse is
refused, on a real warehouse file, through the command itself."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import yaml
from typer.testing import CliRunner

import warehouse
import warehouse.load
from cli import app
from tests.hostile import HostileSite, data

runner = CliRunner()


@pytest.fixture(scope="module")
def analyst(tmp_path_factory):
    """A published warehouse with one run, and settings whose statement time limit is 2 s."""
    folder = tmp_path_factory.mktemp("sandbox")
    settings = folder / "config" / "pipeline.yaml"
    settings.parent.mkdir()
    settings.write_text(yaml.safe_dump({"data_dir": str(folder / "data"), "sql": {"time_limit_seconds": 2}}), "utf-8")
    with warehouse.building(folder / "data" / "warehouse" / "nianbao.duckdb") as con:
        warehouse.load.start_run(con, "run-1", datetime.now(timezone.utc), {})
    return folder, settings


def sql(analyst, query: str, *options: str):
    return runner.invoke(app, ["sql", query, "--settings", str(analyst[1]), *options], terminal_width=200)


def test_a_query_is_answered(analyst):
    result = sql(analyst, "SELECT run_id, status FROM runs")
    assert result.exit_code == 0 and "run-1" in result.output and "1 rows" in result.output


@pytest.mark.parametrize("statement", [
    "COPY runs TO '{out}/runs.csv'",
    "COPY (SELECT 1) TO '{out}/one.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '{out}/everything'",
    "ATTACH '{out}/other.duckdb' AS other",
], ids=["copy-csv", "copy-parquet", "export-database", "attach"])
def test_no_file_is_written(analyst, tmp_path, statement):
    result = sql(analyst, statement.format(out=tmp_path))
    assert result.exit_code == 1 and "refused: nianbao sql is read-only" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("query", [
    "SELECT * FROM read_text('/etc/shadow')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM glob('/etc/*')",
], ids=["read_text", "read_csv", "glob"])
def test_no_file_outside_the_warehouse_is_read(analyst, query):
    result = sql(analyst, query)
    assert result.exit_code == 1 and "file system operations are disabled" in result.output
    assert "root:" not in result.output


def test_a_file_path_is_no_table(analyst):
    result = sql(analyst, "SELECT * FROM '/etc/passwd'")  # without external access, no replacement scan
    assert result.exit_code == 1 and "Table with name /etc/passwd does not exist" in result.output
    assert "root:" not in result.output


def test_no_extension_is_installed_or_fetched(analyst, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    with HostileSite() as site:
        site.routes["*"] = data(b"\x7fELF not an extension")
        installed = sql(analyst, f"INSTALL '{site.base_url}/httpfs.duckdb_extension'")
        forced = sql(analyst, "FORCE INSTALL json")
    loaded = sql(analyst, "LOAD httpfs")
    for result in (installed, forced, loaded):
        assert result.exit_code == 1 and "refused" in result.output
    assert site.log == [] and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("statement", [
    "SET enable_external_access = true",
    "SET memory_limit = '100GB'",
    "SET max_execution_time = 0",
    "RESET lock_configuration",
], ids=["external-access", "memory", "time-limit", "unlock"])
def test_the_sandbox_cannot_be_switched_off(analyst, statement):
    result = sql(analyst, statement)
    assert result.exit_code == 1 and "the configuration has been locked" in result.output


def test_the_warehouse_cannot_be_changed(analyst):
    for statement in ("CREATE TABLE mine (i INTEGER)", "DELETE FROM runs", "UPDATE runs SET status = 'x'"):
        result = sql(analyst, statement)
        assert result.exit_code == 1 and "read-only mode" in result.output
    assert "run-1" in sql(analyst, "SELECT run_id FROM runs").output


def test_a_runaway_statement_is_stopped_at_the_time_limit(analyst):
    result = sql(analyst, "SELECT sum(a.range % 7 + b.range % 5) FROM range(100000) a, range(100000) b")  # 10¹⁰ rows
    assert result.exit_code == 1 and "sql.time_limit_seconds" in result.output


def test_a_statement_past_the_memory_limit_is_stopped(analyst, tmp_path):
    settings = tmp_path / "pipeline.yaml"
    settings.write_text(yaml.safe_dump({"data_dir": str(analyst[0] / "data"), "sql": {"memory_limit": "100MB"}}), "utf-8")
    # a list of 10⁸ integers (800 MB) cannot spill to disk: held to sql.memory_limit, it is stopped
    result = runner.invoke(app, ["sql", "SELECT len(list(range)) FROM range(100000000)", "--settings", str(settings)])
    assert result.exit_code == 1 and "Out of Memory Error" in result.output
    assert "100000000" not in result.output


def test_an_export_writes_its_own_file_and_nothing_else(analyst, tmp_path):
    out = tmp_path / "runs.csv"
    assert sql(analyst, "runs", "--csv", str(out)).exit_code == 0
    assert "run-1" in out.read_text("utf-8-sig")
    sneaky = sql(analyst, f"SELECT * FROM read_text('/etc/shadow'), (SELECT 1) x", "--csv", str(tmp_path / "s.csv"))
    assert sneaky.exit_code == 1 and "file system operations are disabled" in sneaky.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.csv"]
