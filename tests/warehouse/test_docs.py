"""The warehouse's documentation is part of the product: every column is explained in Chinese, the data
dictionary is generated from the schema and up to date, and every example query runs and answers its
question."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

import warehouse
from tests.helpers import example_queries
from tests.warehouse.records import PINGLUO, Run, first_run, make_report, province, publish_run
from warehouse import dictionary
from warehouse.schema import migrate

JAN = datetime(2025, 2, 1, 2, 0)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docs")
    path = tmp / "nianbao.duckdb"
    publish_run(path, first_run("run-1", JAN, province(tmp / "raw")))
    return path


def answer(published: Path, name: str) -> list[dict]:
    columns, rows = warehouse.read.query(published, example_queries()[name])
    return [dict(zip(columns, row)) for row in rows]


def test_every_table_and_view_column_has_a_chinese_comment():
    con = duckdb.connect()
    migrate(con)
    uncommented = con.execute(
        "SELECT table_name || '.' || column_name FROM duckdb_columns() WHERE NOT internal AND "
        "NOT regexp_matches(coalesce(comment, ''), '[\\x{4e00}-\\x{9fff}]')"
    ).fetchall()
    objects = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT regexp_matches(coalesce(comment, ''), '[\\x{4e00}-\\x{9fff}]') "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal "
        "AND NOT regexp_matches(coalesce(comment, ''), '[\\x{4e00}-\\x{9fff}]')"
    ).fetchall()
    assert uncommented == [] and objects == []


def test_the_committed_data_dictionary_is_generated_from_the_current_schema():
    assert dictionary.DICTIONARY.read_text("utf-8") == dictionary.generate(), (
        "docs/data-dictionary.md is out of date: run python -m warehouse.dictionary")


def test_the_data_dictionary_documents_the_public_tables_and_tells_which_duckdb_opens_the_file():
    text = dictionary.DICTIONARY.read_text("utf-8")
    for name in ("reports", "report_cells", "narrative_figures", "dq_findings", "fetches", "runs", "report_urls",
                 "report_pages", "portal_runs", "skipped_items", "application_wide", "county_year_summary",
                 "latest_reports"):
        assert f"\n## {name} (" in text
    assert "DuckDB 1.1 及以上版本均可打开" in text


def test_docs_queries_holds_ten_named_questions():
    assert len(example_queries()) == 10


@pytest.mark.parametrize("name", sorted(example_queries()))
def test_every_example_query_runs_on_a_loaded_warehouse(published, name):
    columns, _ = warehouse.read.query(published, example_queries()[name])
    assert columns


def test_agencies_not_published_this_year_names_the_education_bureau(published):
    assert [(r["county"], r["agency"], r["last_year_published"]) for r in
            answer(published, "agencies_not_published_this_year")] == [("平罗县", "平罗县教育局", 2023)]


def test_reports_failing_rules_lists_errors_before_warnings(published):
    assert [(r["agency"], r["rule_code"], r["imbalance"]) for r in answer(published, "reports_failing_rules")] == [
        ("永宁县人民政府", "row_total", 2), ("永宁县财政局", "published_on_time", None)]


def test_application_trends_sum_new_applications_per_county_and_year(published):
    assert [(r["county"], r["year"], r["new_applications"]) for r in
            answer(published, "application_trends_by_county")] == [
        ("平罗县", 2020, 4), ("平罗县", 2023, 6), ("平罗县", 2024, 3), ("永宁县", 2024, 13)]


def test_the_scanned_report_needs_attention_to_be_read(published):
    assert [(r["status"], r["agency"]) for r in answer(published, "reports_needing_attention_to_be_read")] == [
        ("needs_ocr", "永宁县财政局")]


def test_the_application_table_of_one_report_has_its_printed_rows(published):
    table = answer(published, "application_table_of_one_report")
    assert len(table) == 25 and table[0]["row_label"] == "一、本年新收政府信息公开申请数量"


def test_a_carry_over_that_does_not_match_last_years_carry_forward_is_a_chain_break(tmp_path, published):
    copy = tmp_path / "nianbao.duckdb"
    copy.write_bytes(published.read_bytes())
    jiaoyu_2024 = make_report(tmp_path / "raw", PINGLUO, "平罗县教育局", 2024, carried_over=(2, 0, 0, 0, 0, 0))
    publish_run(copy, Run("run-2", datetime(2025, 3, 1), [], [(PINGLUO, jiaoyu_2024.doc, jiaoyu_2024.extracted)]))
    assert [(r["agency"], r["year"], r["carried_over_this_year"], r["carried_forward_last_year"], r["imbalance"])
            for r in answer(copy, "carry_over_chain_breaks")] == [("平罗县教育局", 2024, 2, 0, 2)]
    assert answer(copy, "agencies_not_published_this_year") == []
