"""The command line: every command documented with an example, and the documentation generated from it."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime

import pytest
import yaml
from typer.testing import CliRunner

from cli import app
from cli.docs import CLI_DOC, command_names, render
from nianbao.config import PROJECT_DIR
from tests.warehouse.records import first_run, province, publish_run

runner = CliRunner()


def test_every_command_the_readme_and_docs_show_is_registered():
    shown = {m for path in (PROJECT_DIR / "README.md", *(PROJECT_DIR / "docs").glob("*.md"))
             for m in re.findall(r"(?:`|bin/)nianbao ([a-z][a-z-]*)", path.read_text("utf-8"))}
    assert shown and shown <= set(command_names())


@pytest.mark.parametrize("command", command_names())
def test_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [*command.split(), "--help"], terminal_width=120)
    assert result.exit_code == 0
    assert "Example: nianbao " in result.output


def test_docs_cli_md_is_the_current_help_output():
    assert CLI_DOC.read_text("utf-8") == render(), "run: python -m cli.docs"


def test_a_broken_registry_stops_before_anything_runs(tmp_path):
    registry = tmp_path / "portals.yaml"
    registry.write_text("portals:\n  - id: x\n", "utf-8")
    result = runner.invoke(app, ["run", "--portals", str(registry)])
    assert result.exit_code == 2
    assert f"{registry}:2" in result.output


def test_sql_without_a_warehouse_says_how_to_make_one(tmp_path):
    settings = tmp_path / "config" / "pipeline.yaml"
    settings.parent.mkdir()
    settings.write_text("data_dir: empty\n", "utf-8")
    result = runner.invoke(app, ["sql", "SELECT 1", "--settings", str(settings)])
    assert result.exit_code == 1
    assert "nianbao demo" in result.output


def test_run_on_a_dask_cluster_refuses_without_a_prefect_server(tmp_path, monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))  # else `run` sets this process's for the tests after it

    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        result = runner.invoke(app, ["run", "--dask-address", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2
    assert "needs a Prefect server" in result.output and "PREFECT_API_URL" in result.output


def test_run_on_a_dask_cluster_refuses_a_prefect_server_that_does_not_answer(tmp_path, monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from demo_portal.mail_sink import free_port

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))  # as above

    url = f"http://127.0.0.1:{free_port()}/api"  # nothing listens there
    with temporary_settings({PREFECT_API_URL: url}):
        result = runner.invoke(app, ["run", "--dask-address", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2
    assert f"PREFECT_API_URL={url} does not answer" in result.output


def test_nianbao_validate_checks_the_warehouse_without_importing_prefect(tmp_path):
    published = tmp_path / "warehouse" / "nianbao.duckdb"
    publish_run(published, first_run("run-1", datetime(2025, 2, 1, 2, 0), province(tmp_path / "raw")))
    settings = tmp_path / "config" / "pipeline.yaml"
    settings.parent.mkdir()
    settings.write_text(yaml.safe_dump({"warehouse": str(published), "data_dir": str(tmp_path / "data")}), "utf-8")
    program = ("import sys; from typer.testing import CliRunner; from cli import app; "
               "result = CliRunner().invoke(app, ['validate', '--settings', sys.argv[1]]); "
               "print(result.output, repr(result.exception)); print('prefect imported:', 'prefect' in sys.modules); sys.exit(result.exit_code)")
    done = subprocess.run([sys.executable, "-c", program, str(settings)], cwd=PROJECT_DIR, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reports checked" in done.stdout
    assert "prefect imported: False" in done.stdout


@pytest.mark.parametrize("api_url", [None, "unreachable"])
def test_deploy_refuses_without_a_reachable_prefect_server(api_url):
    """Prefect would otherwise deploy to a throw-away server of its own that no worker ever asks."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from demo_portal.mail_sink import free_port

    url = f"http://127.0.0.1:{free_port()}/api" if api_url else None  # nothing listens there
    with temporary_settings({PREFECT_API_URL: url} if url else {}, restore_defaults=set() if url else {PREFECT_API_URL}):
        result = runner.invoke(app, ["deploy"])
    assert result.exit_code == 2
    assert ("does not answer" if url else "needs a Prefect server") in result.output
    assert "deployed" not in result.output
