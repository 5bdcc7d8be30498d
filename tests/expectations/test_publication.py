"""应报未报 (not_published): an expected agency without a report is found once its deadline has passed, by
the agency's level, and not the day before; the office's registry says who is expected and until when."""

from __future__ import annotations

from datetime import date, datetime

import pytest

import warehouse
from nianbao.models import ExpectedAgency
from tests.warehouse.records import PINGLUO, Run, crawl_result, first_run, make_report, province, publish_run

JAN = datetime(2025, 2, 1, 2, 0)


def missing(published) -> list[tuple]:
    return warehouse.read.query(
        published,
        "SELECT county, agency, year, status FROM dq_findings WHERE rule_code = 'not_published' ORDER BY ALL",
    )[1]


@pytest.fixture
def reports(tmp_path):
    return province(tmp_path / "raw")


def test_a_department_missing_its_report_is_found_the_day_after_the_deadline_and_not_on_it(tmp_path, reports):
    """平罗县教育局 published on 2020 and 2023: 2021, 2022 and (from 1 February 2025) 2024 are missing."""
    published = tmp_path / "w.duckdb"
    publish_run(published, first_run("run-1", JAN, reports), judged_on=date(2025, 1, 31))
    assert missing(published) == [("平罗县", "平罗县教育局", 2021, "open"), ("平罗县", "平罗县教育局", 2022, "open")]
    publish_run(published, first_run("run-2", JAN, reports), judged_on=date(2025, 2, 1))
    assert missing(published)[-1] == ("平罗县", "平罗县教育局", 2024, "open")
    [message] = warehouse.read.query(
        published, "SELECT message FROM dq_findings WHERE rule_code = 'not_published' AND year = 2024")[1][0]
    assert "2025-01-31" in message and "第四十九条" in message


def test_a_county_government_has_until_31_march(tmp_path, reports):
    published = tmp_path / "w.duckdb"
    registry = [ExpectedAgency("宁夏回族自治区", "石嘴山市", "平罗县", "平罗县人民政府", 2024)]
    publish_run(published, first_run("run-1", JAN, reports), judged_on=date(2025, 3, 31), registry=registry)
    assert ("平罗县", "平罗县人民政府", 2024, "open") not in missing(published)
    publish_run(published, first_run("run-2", JAN, reports), judged_on=date(2025, 4, 1), registry=registry)
    assert ("平罗县", "平罗县人民政府", 2024, "open") in missing(published)
    assert warehouse.read.query(published, "SELECT level, source FROM expected_agencies WHERE agency = '平罗县人民政府'")[1] == [
        ("government", "office")]


def test_the_office_registry_ends_an_abolished_agency_and_wins_over_what_was_seen(tmp_path, reports):
    published = tmp_path / "w.duckdb"
    registry = [ExpectedAgency("宁夏回族自治区", "石嘴山市", "平罗县", "平罗县教育局", 2020, 2022, note="2023年撤并")]
    publish_run(published, first_run("run-1", JAN, reports), judged_on=date(2025, 6, 1), registry=registry)
    assert missing(published) == [("平罗县", "平罗县教育局", 2021, "open"), ("平罗县", "平罗县教育局", 2022, "open")]
    assert warehouse.read.query(published, "SELECT first_year, last_year, source, note FROM expected_agencies "
                                "WHERE agency = '平罗县教育局'")[1] == [(2020, 2022, "office", "2023年撤并")]


def test_a_report_that_turns_up_resolves_its_not_published_finding(tmp_path, reports):
    published = tmp_path / "w.duckdb"
    publish_run(published, first_run("run-1", JAN, reports), judged_on=date(2025, 2, 1))
    late = make_report(tmp_path / "raw", PINGLUO, "平罗县教育局", 2024, published=date(2025, 2, 20))
    run = Run("run-2", datetime(2025, 3, 1, 2), [crawl_result("run-2", PINGLUO, [late], datetime(2025, 3, 1, 2))],
              [(PINGLUO, late.doc, late.extracted)])
    publish_run(published, run, judged_on=date(2025, 3, 1))
    assert ("平罗县", "平罗县教育局", 2024, "resolved") in missing(published)
    assert warehouse.read.query(published, "SELECT missing FROM county_year_summary WHERE county = '平罗县' AND year = 2024")[1] == [(0,)]


def test_county_year_summary_counts_expected_published_late_missing_reconciled_and_flagged(tmp_path, reports):
    published = tmp_path / "w.duckdb"
    publish_run(published, first_run("run-1", JAN, reports), judged_on=date(2025, 2, 1))
    assert warehouse.read.query(
        published,
        "SELECT county, year, expected, agencies_found, on_time, late, missing, reconciled, flagged "
        "FROM county_year_summary WHERE year IN (2022, 2024) ORDER BY county, year",
    )[1] == [
        ("平罗县", 2022, 1, 0, 0, 0, 1, 0, 0),
        ("平罗县", 2024, 2, 1, 1, 0, 1, 1, 0),
        ("永宁县", 2024, 2, 2, 1, 1, 0, 0, 1),
    ]


def test_a_report_under_another_spelling_of_the_agency_name_counts_as_published(tmp_path, reports):
    """The 2024 report of 平罗县教育局 signed 县教育局: one agency (nianbao.agencies), so nothing is missing."""
    published = tmp_path / "w.duckdb"
    spelt = make_report(tmp_path / "raw", PINGLUO, "县教育局", 2024)
    run = first_run("run-1", JAN, reports)
    run.reports.append((PINGLUO, spelt.doc, spelt.extracted))
    publish_run(published, run, judged_on=date(2025, 2, 1))
    assert [(agency, year) for county, agency, year, _ in missing(published) if county == "平罗县"] == [
        ("县教育局", 2021), ("县教育局", 2022)]  # named as its latest report names it
