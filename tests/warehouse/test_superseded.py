"""A portal that replaces a report under the same URL: the old version and its open findings are superseded by
the new version, which is the one judged from then on; a portal that goes back makes the old version current."""

from __future__ import annotations

from datetime import datetime

import duckdb

import warehouse.read
from tests.warehouse.records import PINGLUO, Run, crawl_result, make_report, publish_run, row_total_finding

JAN, FEB, MAR = datetime(2025, 2, 1, 2), datetime(2025, 3, 1, 2), datetime(2025, 4, 1, 2)
AGENCY = "平罗县城关镇人民政府"


def rows(published, sql):
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_report_replaced_under_its_url_supersedes_the_old_versions_findings(tmp_path):
    published = tmp_path / "w.duckdb"
    first = make_report(tmp_path / "raw", PINGLUO, AGENCY, 2024, page="u1", skew={("granted", "total"): 1})
    second = make_report(tmp_path / "raw", PINGLUO, AGENCY, 2024, page="u1", version="（更正）")
    assert first.doc.document_url == second.doc.document_url and first.report_id != second.report_id

    publish_run(published, Run("run-1", JAN, [crawl_result("run-1", PINGLUO, [first], JAN)],
                               [(PINGLUO, first.doc, first.extracted)], [row_total_finding(first)]))
    assert rows(published, "SELECT status FROM dq_findings") == [("open",)]

    publish_run(published, Run("run-2", FEB, [crawl_result("run-2", PINGLUO, [second], FEB)],
                               [(PINGLUO, second.doc, second.extracted)]))
    assert rows(published, "SELECT report_id, status, superseded_by FROM dq_findings") == [
        (first.report_id, "superseded", second.report_id)]
    assert rows(published, "SELECT report_id, superseded_by, superseded_run FROM reports ORDER BY first_seen_at") == [
        (first.report_id, second.report_id, "run-2"), (second.report_id, None, None)]
    with duckdb.connect(str(published), read_only=True) as con:
        assert warehouse.read.current_report_ids(con) == [second.report_id]
        assert warehouse.read.flagged_report_count(con) == 0  # the run summary no longer counts the old version

    # the portal goes back to the first version: it is current again, its finding open until it is judged
    publish_run(published, Run("run-3", MAR, [crawl_result("run-3", PINGLUO, [first], MAR)],
                               [(PINGLUO, first.doc, None)], [row_total_finding(first)]))
    assert rows(published, "SELECT report_id, superseded_by FROM reports ORDER BY first_seen_at") == [
        (first.report_id, None), (second.report_id, first.report_id)]
    assert rows(published, "SELECT status FROM dq_findings") == [("open",)]
    assert rows(published, "SELECT report_id FROM reports WHERE superseded_run = 'run-3'") == [(second.report_id,)]


def test_the_same_bytes_under_a_second_url_supersede_nothing(tmp_path):
    published = tmp_path / "w.duckdb"
    report = make_report(tmp_path / "raw", PINGLUO, AGENCY, 2024, page="u1", skew={("granted", "total"): 1})
    publish_run(published, Run("run-1", JAN, [crawl_result("run-1", PINGLUO, [report], JAN)],
                               [(PINGLUO, report.doc, report.extracted)], [row_total_finding(report)]))
    publish_run(published, Run("run-2", FEB, [crawl_result("run-2", PINGLUO, [report], FEB)],
                               [(PINGLUO, report.doc, None)], [row_total_finding(report)]))
    assert rows(published, "SELECT status, superseded_by FROM dq_findings") == [("open", None)]
    assert rows(published, "SELECT count(*) FROM reports WHERE superseded_by IS NOT NULL") == [(0,)]
