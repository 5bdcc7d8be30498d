"""`nianbao sql` for the office's SQL and Excel users: a prompt with history, line editing, completion of
table names, a row limit and one-line errors (a real prompt_toolkit session fed keystrokes through a pipe);
piped output that is never cut; exports to Excel with the Chinese views."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

import warehouse.read
from cli.sql_prompt import run_prompt
from nianbao.config import PROJECT_DIR, SqlSettings
from tests.warehouse.records import first_run, province, publish_run

UP, TAB, ENTER = "\x1b[A", "\t", "\r"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sql")
    path = folder / "warehouse" / "nianbao.duckdb"
    publish_run(path, first_run("run-1", datetime(2025, 2, 1, 2, 0), province(folder / "raw")))
    return path


def session(published, history, *keys: str, shown: int = 50) -> str:
    """What the prompt printed for these keystrokes (then Ctrl-D), typed in chunks as a person would: a
    completion shows up before the next key."""
    out = io.StringIO()
    with create_pipe_input() as pipe:
        def type_keys():
            for chunk in (*keys, "\x04"):
                time.sleep(0.5)
                pipe.send_text(chunk)

        typist = threading.Thread(target=type_keys)
        typist.start()
        run_prompt(published, Console(file=out, width=200), history, SqlSettings(), shown=shown, input=pipe,
                   output=DummyOutput())
        typist.join()
    return out.getvalue()


def test_a_query_typed_over_two_lines_runs_at_its_semicolon(published, tmp_path):
    printed = session(published, tmp_path / "h", "SELECT count(*) AS n" + ENTER, "FROM reports;" + ENTER)
    assert "│ 6 │" in printed.replace(" ", "").replace("│6│", "│ 6 │") and "1 rows" in printed


def test_tab_completes_a_table_name(published, tmp_path):
    printed = session(published, tmp_path / "h", "SELECT county FROM latest_rep" + TAB, " LIMIT 1;" + ENTER)
    assert "1 rows" in printed and "county" in printed


def test_up_recalls_the_query_of_an_earlier_session(published, tmp_path):
    history = tmp_path / "history"
    session(published, history, "SELECT 'remembered' AS word;" + ENTER)
    assert "remembered" in session(published, history, UP, ENTER)


def test_a_typo_is_one_red_line_and_the_prompt_goes_on(published, tmp_path):
    printed = session(published, tmp_path / "h", "SELEC 1;" + ENTER, "SELECT 2 AS two;" + ENTER)
    error = [line for line in printed.splitlines() if "Parser Error" in line]
    assert len(error) == 1 and "Traceback" not in printed
    assert "two" in printed  # the session went on


def test_a_long_result_shows_the_row_limit_and_says_what_is_left(published, tmp_path):
    printed = session(published, tmp_path / "h", "SELECT * FROM range(120);" + ENTER, shown=10)
    assert "120 rows (110 more not shown" in printed


def nianbao_sql(published, *args: str) -> subprocess.CompletedProcess:
    settings = published.parent / "pipeline.yaml"
    settings.write_text(f"warehouse: {published}\n", "utf-8")
    return subprocess.run([str(Path(sys.executable).parent / "nianbao"), "sql", *args, "--settings", str(settings)],
                          capture_output=True, text=True, cwd=PROJECT_DIR, timeout=120)


def test_piped_output_is_tab_separated_and_never_cut(published):
    done = nianbao_sql(published, "SELECT report_id, title, detail_url, document_url FROM reports ORDER BY report_id")
    lines = done.stdout.splitlines()
    assert lines[0] == "report_id\ttitle\tdetail_url\tdocument_url" and len(lines) == 7
    assert done.stderr.strip() == "6 rows"  # the count beside the data, not in it
    assert all(len(line.split("\t")) == 4 and line.split("\t")[3].startswith("http") for line in lines[1:])


def test_bad_sql_on_the_command_line_is_one_line_and_exit_1(published):
    done = nianbao_sql(published, "SELECT * FROM no_such_table")
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert len((done.stdout + done.stderr).strip().splitlines()) == 1 and "no_such_table" in done.stdout
    assert 'Did you mean "' in done.stdout


def test_a_chinese_view_exports_to_an_excel_workbook_with_its_chinese_headers(published, tmp_path):
    out = tmp_path / "问题清单.xlsx"
    assert warehouse.read.export(published, "数据质量问题", out, "xlsx") == 2
    sheet = openpyxl.load_workbook(out).active
    header, *rows = list(sheet.values)
    assert header[:7] == ("问题编号", "县区", "发布机关", "报告年度", "报告标题", "规则", "规则说明")
    by_rule = {row[5]: row for row in rows}
    assert by_rule["行合计"][header.index("严重程度")] == "错误" and by_rule["行合计"][header.index("应为")] == 13
    assert by_rule["按时发布"][header.index("状态")] == "未解决"
