"""What an analyst of the provincial office does with the warehouse the demo run built: SQL, exports, the
first ten questions of docs/queries.sql, a re-validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import warehouse.read
from cli import app
from nianbao.config import PROJECT_DIR
from tests.helpers import example_queries

runner = CliRunner()


@pytest.fixture
def settings_for_copy(demo_runs, tmp_path) -> Path:
    """Settings pointing at a copy of the demo warehouse, so a test may write to it."""
    copy = tmp_path / "nianbao.duckdb"
    shutil.copyfile(demo_runs.config.warehouse, copy)
    settings = yaml.safe_load(demo_runs.config.settings_file.read_text("utf-8"))
    settings |= {"warehouse": str(copy), "data_dir": str(tmp_path / "data")}
    path = tmp_path / "config" / "pipeline.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    return path


@pytest.mark.parametrize("name", sorted(example_queries()))
def test_every_example_query_runs_on_the_demo_warehouse(demo_runs, name):
    columns, _ = warehouse.read.query(demo_runs.config.warehouse, example_queries()[name])
    assert columns


def test_the_failing_reports_query_names_seed_004s_rules(demo_runs):
    columns, rows = warehouse.read.query(demo_runs.config.warehouse, example_queries()["reports_failing_rules"])
    text = " ".join(str(v) for row in rows for v in row)
    assert "平罗县城关镇人民政府" in text and "row_total" in text and "stated_identity" in text


def test_seed_004s_application_table_reads_like_the_printed_form(demo_runs):
    _, rows = warehouse.read.query(
        demo_runs.config.warehouse,
        """SELECT a.natural_person, a.total FROM application_wide a JOIN reports r USING (report_id)
           WHERE r.agency = '平罗县城关镇人民政府' AND a.row_code = 'granted'""",
    )
    assert [tuple(int(v) for v in row) for row in rows] == [(1, 0)]


def test_nianbao_sql_prints_the_reports(settings_for_copy):
    result = runner.invoke(app, ["sql", "SELECT county, agency FROM reports ORDER BY 1, 2", "--settings", str(settings_for_copy)])
    assert result.exit_code == 0, result.output
    assert "隆阳区西邑乡人民政府" in result.output and "5 rows" in result.output


def test_an_export_to_csv_opens_in_excel_with_its_chinese(settings_for_copy, tmp_path):
    out = tmp_path / "reports.csv"
    result = runner.invoke(app, ["sql", "SELECT county, agency FROM reports", "--csv", str(out), "--settings", str(settings_for_copy)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "平罗县".encode() in data


def test_nianbao_validate_finds_the_same_findings_again_under_the_same_ids(settings_for_copy, demo_runs):
    query = "SELECT finding_id FROM dq_findings WHERE status = 'open' ORDER BY 1"
    _, before = warehouse.read.query(demo_runs.config.warehouse, query)
    result = runner.invoke(app, ["validate", "--settings", str(settings_for_copy)])
    assert result.exit_code == 0, result.output
    copy = Path(yaml.safe_load(settings_for_copy.read_text("utf-8"))["warehouse"])
    _, after = warehouse.read.query(copy, query)
    assert after == before and before


def test_nianbao_extract_shows_what_is_read_from_one_document():
    document = PROJECT_DIR / "demo_portal" / "documents" / "004.pdf"
    result = runner.invoke(app, ["extract", str(document)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "parsed · gen2019 · 平罗县城关镇人民政府 · 2020" in result.output
