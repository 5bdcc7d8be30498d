"""The warehouse: loads are idempotent, findings keep their identity across runs, the views read like the
printed form, and the read API gives the crawler, the flows and the analysts what they need."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from datetime import datetime, timedelta
from decimal import Decimal

import duckdb
import pytest

import warehouse
from nianbao.models import Cell, CrawlResult, CrawlState, report_id_for
from tests.warehouse.records import (
    PINGLUO,
    YONGNING,
    Run,
    crawl_result,
    first_run,
    province,
    publish_run,
    row_total_finding,
    unchanged_run,
)

JAN = datetime(2025, 2, 1, 2, 0)
FEB = datetime(2025, 3, 1, 2, 0)
MAR = datetime(2025, 4, 1, 2, 0)

TABLES = ["runs", "portals", "portal_runs", "portal_health", "fetches", "skipped_items", "reports", "report_urls",
          "report_pages", "report_cells", "narrative_figures", "dq_findings"]


def row_counts(published) -> dict[str, int]:
    return {t: warehouse.read.query(published, f"SELECT count(*) FROM {t}")[1][0][0] for t in TABLES}


def rows(published, sql, params=None) -> list[tuple]:
    return warehouse.read.query(published, sql, params)[1]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return province(tmp_path_factory.mktemp("raw"))


@pytest.fixture(scope="module")
def after_first_run(tmp_path_factory, reports):
    path = tmp_path_factory.mktemp("first") / "nianbao.duckdb"
    publish_run(path, first_run("run-1", JAN, reports))
    return path


@pytest.fixture
def published(tmp_path, after_first_run):
    """A warehouse after one run that found every report of the province (a copy for each test)."""
    path = tmp_path / "warehouse" / "nianbao.duckdb"
    path.parent.mkdir()
    shutil.copyfile(after_first_run, path)
    return path


# --------------------------------------------------------------------------- idempotent loads


def test_loading_the_same_run_twice_leaves_identical_row_counts(tmp_path, reports, published):
    before = row_counts(published)
    publish_run(published, first_run("run-1", JAN, reports))
    assert row_counts(published) == before
    assert before["reports"] == 6 and before["report_cells"] == 5 * 25 * 7 - 2 * 7  # one gen2019, one scan
    # report_cells and fetches keep their keys without a PRIMARY KEY index (migration 003): the loader's doing
    assert rows(published, "SELECT count(DISTINCT (report_id, table_code, row_code, column_code)) FROM report_cells") == [
        (before["report_cells"],)]
    assert rows(published, "SELECT count(DISTINCT (run_id, portal_id, seq)) FROM fetches") == [(before["fetches"],)]


def test_a_later_run_of_unchanged_documents_adds_a_run_and_its_fetches_but_no_report_rows(reports, published):
    before = row_counts(published)
    findings = first_run("run-1", JAN, reports).findings
    publish_run(published, unchanged_run("run-2", FEB, reports, findings))
    after = row_counts(published)
    assert after["runs"] == before["runs"] + 1
    assert after["fetches"] == 2 * before["fetches"]
    assert {t: after[t] for t in ("reports", "report_cells", "report_pages", "narrative_figures", "dq_findings")} == {
        t: before[t] for t in ("reports", "report_cells", "report_pages", "narrative_figures", "dq_findings")
    }
    assert rows(published, "SELECT DISTINCT first_seen_run, last_seen_run, last_seen_at FROM reports") == [
        ("run-1", "run-2", FEB)
    ]


def test_one_document_posted_under_two_detail_pages_is_one_report_linked_to_both(tmp_path, reports, published):
    chengguan = reports["chengguan_2024"]
    repost = dataclasses.replace(chengguan.doc, detail_url=f"{PINGLUO.column_url}tzgg/t99.html")
    run = Run("run-2", FEB, [crawl_result("run-2", PINGLUO, [chengguan], FEB)], [(PINGLUO, repost, None)])
    publish_run(published, run)
    assert rows(published, "SELECT count(*) FROM reports WHERE report_id = ?", [chengguan.report_id]) == [(1,)]
    assert rows(
        published,
        "SELECT detail_url, first_seen_run, last_seen_run FROM report_urls WHERE report_id = ? ORDER BY first_seen_run",
        [chengguan.report_id],
    ) == [(chengguan.doc.detail_url, "run-1", "run-1"), (repost.detail_url, "run-2", "run-2")]


def test_a_re_extraction_replaces_the_reports_cells_instead_of_adding_to_them(reports, published):
    yongning = reports["yongning_2024"]
    fixed_cells = [c for c in yongning.extracted.cells if c.row_code != "granted"]
    fixed = dataclasses.replace(yongning.extracted, extractor_version="extract-2", cells=fixed_cells)
    run = Run("run-2", FEB, [crawl_result("run-2", YONGNING, [yongning], FEB)], [(YONGNING, yongning.doc, fixed)])
    publish_run(published, run)
    assert rows(
        published,
        "SELECT count(*), count(*) FILTER (WHERE row_code = 'granted') FROM report_cells WHERE report_id = ?",
        [yongning.report_id],
    ) == [(24 * 7, 0)]
    assert rows(published, "SELECT extractor_version, first_seen_run FROM reports WHERE report_id = ?",
                [yongning.report_id]) == [("extract-2", "run-1")]


def test_a_batch_loads_every_good_report_and_names_each_refused_document_with_why(tmp_path, reports):
    path = tmp_path / "w.duckdb"
    good, twin, bad = reports["chengguan_2023"], reports["chengguan_2024"], reports["jiaoyu_2023"]
    repost = dataclasses.replace(twin.doc, detail_url=f"{PINGLUO.column_url}tzgg/t99.html")
    wrong_bytes = dataclasses.replace(bad.extracted, sha256=good.doc.sha256)
    with warehouse.building(path) as con:
        warehouse.load.start_run(con, "run-1", JAN, {})
        refused = warehouse.load.load_reports(con, "run-1", [
            (PINGLUO, good.doc, good.extracted),
            (PINGLUO, twin.doc, twin.extracted),
            (PINGLUO, repost, twin.extracted),
            (PINGLUO, bad.doc, wrong_bytes),
            (YONGNING, reports["yongning_2024"].doc, None),
        ])
    [(wrong, why_wrong), (never_loaded, why_never)] = refused
    assert wrong == bad.doc and "the extraction is of" in why_wrong
    assert never_loaded == reports["yongning_2024"].doc and "is not in the warehouse" in why_never
    assert rows(path, "SELECT report_id, count(*) FROM report_urls GROUP BY 1 ORDER BY 2") == [
        (good.report_id, 1), (twin.report_id, 2)]
    assert rows(path, "SELECT count(DISTINCT report_id), count(*) FROM report_cells") == [(2, 2 * 25 * 7)]


def test_a_blank_cell_is_stored_as_null_with_its_raw_text(tmp_path, reports, published):
    chengguan = reports["chengguan_2024"]
    blank = [dataclasses.replace(c, value=None, raw_text="/") if (c.row_code, c.column_code) == (
        "withheld.state_secret", "research") else c for c in chengguan.extracted.cells]
    extracted = dataclasses.replace(chengguan.extracted, cells=blank)
    publish_run(published, Run("run-2", FEB, [], [(PINGLUO, chengguan.doc, extracted)]))
    assert rows(
        published,
        "SELECT value, raw_text FROM report_cells WHERE report_id = ? AND row_code = 'withheld.state_secret' "
        "AND column_code = 'research'",
        [chengguan.report_id],
    ) == [(None, "/")]


def test_a_cell_given_twice_is_refused_with_its_location_and_nothing_of_the_report_is_written(tmp_path, reports):
    path = tmp_path / "w.duckdb"
    chengguan = reports["chengguan_2024"]
    twice = dataclasses.replace(
        chengguan.extracted,
        cells=chengguan.extracted.cells + [Cell("application", "granted", "total", Decimal(1), "1", 3)],
    )
    with warehouse.building(path) as con:
        warehouse.load.start_run(con, "run-1", JAN, {})
        with pytest.raises(ValueError, match=r"application\[granted, total\] given twice"):
            warehouse.load.load_report(con, "run-1", PINGLUO, chengguan.doc, twice)
        assert con.execute("SELECT count(*) FROM reports").fetchone() == (0,)


def test_an_unchanged_document_that_the_warehouse_never_loaded_is_an_error_not_a_silent_skip(tmp_path, reports):
    with warehouse.building(tmp_path / "w.duckdb") as con:
        warehouse.load.start_run(con, "run-1", JAN, {})
        with pytest.raises(ValueError, match="not in the warehouse"):
            warehouse.load.load_report(con, "run-1", PINGLUO, reports["chengguan_2024"].doc, None)


def test_loading_into_a_run_that_was_not_started_is_refused(tmp_path, reports):
    with warehouse.building(tmp_path / "w.duckdb") as con, pytest.raises(ValueError, match="start_run"):
        warehouse.load.load_crawl(con, "run-1", [])


def test_reports_take_place_from_the_portal_agency_from_the_page_and_year_from_the_title(reports, published):
    chengguan = reports["chengguan_2024"]
    assert rows(
        published,
        "SELECT province, city, county, agency, year, generation, status, document_sha256, published_date "
        "FROM reports WHERE report_id = ?",
        [chengguan.report_id],
    ) == [("宁夏回族自治区", "石嘴山市", "平罗县", "平罗县城关镇人民政府", 2024, "gen2021", "parsed",
           chengguan.doc.sha256, chengguan.doc.published_date)]


# --------------------------------------------------------------------------- findings


def test_a_finding_keeps_its_id_across_runs_is_resolved_when_gone_and_reopened_when_back(reports, published):
    finding = row_total_finding(reports["yongning_2024"])
    late = first_run("run-1", JAN, reports).findings[1]

    publish_run(published, unchanged_run("run-2", FEB, reports, [late]))
    assert rows(published, "SELECT status, first_seen_run, last_seen_run, resolved_run FROM dq_findings "
                "WHERE finding_id = ?", [finding.finding_id]) == [("resolved", "run-1", "run-1", "run-2")]

    publish_run(published, unchanged_run("run-3", MAR, reports, [late, finding]))
    assert rows(published, "SELECT status, first_seen_run, last_seen_run, opened_run FROM dq_findings "
                "WHERE finding_id = ?", [finding.finding_id]) == [("open", "run-1", "run-3", "run-3")]
    assert rows(published, "SELECT count(*) FROM dq_findings") == [(2,)]


def test_a_finding_of_a_report_not_validated_in_this_run_stays_open(reports, published):
    chengguan = reports["chengguan_2024"]
    publish_run(published, Run("run-2", FEB, [], [(PINGLUO, chengguan.doc, None)], findings=[]))
    assert rows(published, "SELECT rule_code, status FROM dq_findings ORDER BY rule_code") == [
        ("published_on_time", "open"), ("row_total", "open")]


# --------------------------------------------------------------------------- views


def test_application_wide_lays_a_gen2021_report_out_in_printed_order(reports, published):
    columns, table = warehouse.read.query(
        published, "SELECT * FROM application_wide WHERE report_id = ? ORDER BY row_no",
        [reports["chengguan_2024"].report_id])
    assert columns[-7:] == ["natural_person", "commercial", "research", "public_interest", "legal_services",
                            "other_org", "total"]
    assert [r[columns.index("row_code")] for r in table][:3] == ["new_received", "carried_over", "granted"]
    assert [r[columns.index("row_code")] for r in table][-3:] == ["other_handling.other", "results_total",
                                                                  "carried_forward"]
    new_received = table[0]
    assert new_received[columns.index("row_label")] == "一、本年新收政府信息公开申请数量"
    assert new_received[-7:] == (2, 0, 0, 0, 0, 1, 3)


def test_application_wide_shows_the_single_other_handling_row_of_a_gen2019_report(reports, published):
    codes = rows(published, "SELECT row_code FROM application_wide WHERE report_id = ? ORDER BY row_no",
                 [reports["jiaoyu_2020"].report_id])
    assert len(codes) == 23 and ("other_handling",) in codes and ("other_handling.other",) not in codes


def test_latest_reports_keeps_the_newest_version_of_an_agencys_year(tmp_path, reports, published):
    from tests.warehouse.records import make_report
    corrected = make_report(tmp_path / "raw", PINGLUO, "平罗县城关镇人民政府", 2024, version="（更正）",
                            published=datetime(2025, 2, 10).date(), received=(2, 0, 0, 0, 0, 1),
                            carried_over=(1, 0, 0, 0, 0, 0))
    publish_run(published, Run("run-2", FEB, [], [(PINGLUO, corrected.doc, corrected.extracted)]))
    assert rows(published, "SELECT report_id, versions FROM latest_reports WHERE agency = '平罗县城关镇人民政府' "
                "AND year = 2024") == [(corrected.report_id, 2)]
    assert rows(published, "SELECT count(*) FROM latest_reports") == [(6,)]


def test_county_year_summary_counts_agencies_reports_late_flagged_and_unreadable(published):
    assert rows(published, "SELECT county, year, agencies_known, agencies_found, reports_found, on_time, late, "
                "flagged, not_parsed FROM county_year_summary WHERE year = 2024 ORDER BY county") == [
        ("平罗县", 2024, 2, 1, 1, 1, 0, 0, 0),
        ("永宁县", 2024, 2, 2, 2, 1, 1, 1, 1),
    ]


def test_county_year_summary_counts_an_agency_under_two_names_once(tmp_path):
    """Issue 18: 淮安市洪泽区人民政府 and 洪泽区人民政府 are one agency in different years; the summary counts agency
    ids, not the printed names."""
    from tests.warehouse.records import make_report
    raw = tmp_path / "raw"
    two_names = [make_report(raw, PINGLUO, "平罗县人民政府", 2023),
                 make_report(raw, PINGLUO, "石嘴山市平罗县人民政府", 2024)]
    published = tmp_path / "nianbao.duckdb"
    publish_run(published, Run("run-1", JAN, [crawl_result("run-1", PINGLUO, two_names, JAN)],
                               [(r.portal, r.doc, r.extracted) for r in two_names]))
    assert rows(published, "SELECT count(DISTINCT agency), count(DISTINCT agency_id) FROM reports") == [(2, 1)]
    assert rows(published, "SELECT year, agencies_known, agencies_found FROM county_year_summary ORDER BY year") == [
        (2023, 1, 1), (2024, 1, 1)]


# --------------------------------------------------------------------------- read API


def test_crawl_state_remembers_validators_of_the_latest_fetch_of_each_url(reports, published):
    chengguan = reports["chengguan_2024"]
    publish_run(published, unchanged_run("run-2", FEB, reports, []))  # 304s carry no ETag of their own
    state = warehouse.read.crawl_states(published, ["pingluo"])["pingluo"]
    known = state.known[chengguan.doc.document_url]
    assert (known.etag, known.sha256, known.media_type) == (f'"{chengguan.doc.sha256[:8]}"', chengguan.doc.sha256,
                                                            "pdf")
    assert state.known[chengguan.doc.detail_url].media_type == "html"
    # when the portal last answered for it (run-2's 304), as an instant, for crawler.recheck_after_days
    [(answered,)] = rows(published, f"""SELECT fetched_at::TIMESTAMPTZ FROM fetches
                                       WHERE run_id = 'run-2' AND url = '{chengguan.doc.document_url}'""")
    assert known.checked_at == answered and known.checked_at.tzinfo is not None
    assert state.previously_listed == 5  # four reports and the 公开指南
    assert not any(":8802" in u for u in state.known)  # 永宁县 is another portal
    both = warehouse.read.crawl_states(published, ["pingluo", "yongning"])
    assert both["pingluo"] == state and both["yongning"].known and set(both["yongning"].known).isdisjoint(state.known)


def test_crawl_state_keeps_the_count_listed_by_the_last_run_that_reached_the_portal(reports, published):
    publish_run(published, Run("run-2", FEB, [crawl_result("run-2", PINGLUO, [], FEB, unreachable=True)], []))
    assert warehouse.read.crawl_states(published, ["pingluo"])["pingluo"].previously_listed == 5
    assert rows(published, "SELECT reached, failed, health_problems FROM portal_runs WHERE run_id = 'run-2'") == [
        (False, 1, 1)]
    assert rows(published, """SELECT p.county, h.problem FROM portal_health h JOIN portals p USING (portal_id)
                              WHERE h.run_id = 'run-2'""") == [("平罗县", "unreachable")]


def test_a_column_empty_night_after_night_is_compared_with_the_last_night_it_listed_anything(reports, published):
    for n, night in enumerate((FEB, FEB + timedelta(days=1)), start=2):
        empty = CrawlResult(PINGLUO, fetches=crawl_result(f"run-{n}", PINGLUO, [], night).fetches[:1], items_listed=0)
        publish_run(published, Run(f"run-{n}", night, [empty], []))
        # the second empty night still compares with the 5 items of run-1, not with run-2's 0
        assert warehouse.read.crawl_states(published, ["pingluo"])["pingluo"].previously_listed == 5


def test_before_the_first_run_the_crawler_and_extractor_start_from_nothing(tmp_path):
    missing = tmp_path / "none.duckdb"
    assert warehouse.read.crawl_states(missing, ["pingluo"]) == {"pingluo": CrawlState()}
    assert warehouse.read.extracted_versions(missing) == set()
    with pytest.raises(FileNotFoundError, match="run the pipeline first"):
        warehouse.read.query(missing, "SELECT 1")


def test_extracted_versions_lists_every_document_with_its_extractor_version(reports, published):
    assert warehouse.read.extracted_versions(published) == {(r.doc.sha256, "extract-1") for r in reports.values()}


def test_the_read_api_cannot_write(published):
    with pytest.raises(duckdb.Error, match="read-only"):
        warehouse.read.query(published, "DELETE FROM reports")


def test_csv_export_has_a_bom_so_excel_shows_chinese(tmp_path, published):
    out = tmp_path / "exports" / "reports.csv"
    assert warehouse.read.export(published, "reports", out, "csv") == 6
    assert out.read_bytes().startswith(b"\xef\xbb\xbfreport_id,")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        agencies = {r["agency"] for r in csv.DictReader(fh)}
    assert "永宁县人民政府" in agencies


def test_parquet_export_of_a_query_reads_back_the_same_rows(tmp_path, published):
    out = tmp_path / "cells.parquet"
    sql = "SELECT report_id, row_code, column_code, value FROM report_cells WHERE table_code = 'application';"
    assert warehouse.read.export(published, sql, out, "parquet") == 5 * 25 * 7 - 2 * 7
    expected = sorted(rows(published, sql.rstrip(";")))
    assert sorted(duckdb.sql(f"SELECT * FROM '{out}'").fetchall()) == expected


def test_report_ids_are_the_documents_sha256_prefix(reports, published):
    assert {r for (r,) in rows(published, "SELECT report_id FROM reports")} == {
        report_id_for(r.doc.sha256) for r in reports.values()}
