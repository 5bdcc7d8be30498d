"""The scorecard site, opened in a real headless Chromium from its files, with no network: the overview
counts are the warehouse's, a county page lists its late and missing agencies and its open findings with
links to the documents, and the pages ask for nothing outside their folder."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from selenium.webdriver.common.by import By

import warehouse
from scorecard import browser, write_site
from tests.helpers import require_chromium
from tests.warehouse.records import first_run, province, publish_run, row_total_finding
from warehouse.triage import DecisionJournal, record_decision


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """平罗县: 教育局 missing on 2021, 2022 and 2024 (2021 waived by the office); 永宁县: 财政局 late on 2024,
    永宁县人民政府's 2024 report flagged (row_total, confirmed)."""
    folder = tmp_path_factory.mktemp("office")
    reports = province(folder / "raw")
    published = folder / "warehouse" / "nianbao.duckdb"
    journal = DecisionJournal(folder / "decisions.jsonl")
    publish_run(published, first_run("run-1", datetime(2025, 2, 2, 2), reports), judged_on=date(2025, 2, 2))
    [(waived,)] = warehouse.read.query(
        published, "SELECT finding_id FROM dq_findings WHERE rule_code = 'not_published' AND year = 2021")[1]
    record_decision(published, journal, waived, "waived", "2021年机构改革期间由县政府统一发布", "王科长")
    record_decision(published, journal, row_total_finding(reports["yongning_2024"]).finding_id, "confirmed",
                    "已核实", "王科长")
    index = write_site(published, folder / "scorecard", "run-1")
    return index, published, reports


@pytest.fixture(scope="module")
def chromium():
    require_chromium()
    with browser.chromium() as driver:
        yield driver


def _open_county(chromium, index, county: str):
    chromium.get(index.as_uri())
    chromium.find_element(By.LINK_TEXT, county).click()
    assert chromium.find_element(By.TAG_NAME, "h1").text.endswith(county)


def test_the_overview_shows_the_warehouse_counts_for_every_county_and_year(chromium, site):
    index, published, _ = site
    chromium.get(index.as_uri())
    shown = {}
    for cell in chromium.find_elements(By.CSS_SELECTOR, "#overview tr.county td.cell"):
        county = cell.find_element(By.XPATH, "..").get_attribute("data-county")
        spans = cell.find_elements(By.CSS_SELECTOR, "span[data-k]")
        if spans:
            shown[(county, int(cell.get_attribute("data-year")))] = tuple(
                int(s.text.split()[-1]) for s in spans)
    columns, rows = warehouse.read.query(
        published, "SELECT county, year, expected, on_time, late, missing, reconciled, flagged FROM county_year_summary")
    assert shown == {(county, year): tuple(values) for county, year, *values in rows}
    assert shown[("平罗县", 2024)] == (2, 1, 0, 1, 1, 0)  # 教育局 missing, 城关镇 on time and reconciling
    assert shown[("平罗县", 2021)][3] == 0  # the office waived 教育局's 2021 report
    assert shown[("永宁县", 2024)] == (2, 1, 1, 0, 0, 1)  # 财政局 late, 县政府 flagged


def test_a_county_page_lists_its_late_agencies(chromium, site):
    index, _, _ = site
    _open_county(chromium, index, "永宁县")
    assert [li.text for li in chromium.find_elements(By.CSS_SELECTOR, "#late li")] == ["永宁县财政局（2024 年度）"]
    cell = chromium.find_element(By.CSS_SELECTOR, 'tr[data-agency="永宁县财政局"] td[data-year="2024"]')
    assert cell.get_attribute("data-state") == "late" and cell.text.startswith("逾期发布")


def test_a_county_page_lists_its_missing_agencies_but_not_the_waived_year(chromium, site):
    index, _, _ = site
    _open_county(chromium, index, "平罗县")
    assert [li.text for li in chromium.find_elements(By.CSS_SELECTOR, "#missing li")] == [
        "平罗县教育局（2022 年度）", "平罗县教育局（2024 年度）"]
    states = [td.get_attribute("data-state")
              for td in chromium.find_elements(By.CSS_SELECTOR, 'tr[data-agency="平罗县教育局"] td[data-year]')]
    assert states == ["on_time", "waived", "missing", "on_time", "missing"]  # 2020 … 2024


def test_open_findings_link_to_the_document_page_and_the_detail_page(chromium, site):
    index, _, reports = site
    _open_county(chromium, index, "永宁县")
    report = reports["yongning_2024"]
    row = chromium.find_element(By.CSS_SELECTOR, f'tr[data-finding="{row_total_finding(report).finding_id}"]')
    assert "已确认" in row.text and "王科长" in row.text
    assert row.find_element(By.CSS_SELECTOR, "a.document").get_attribute("href") == report.doc.document_url + "#page=3"
    assert row.find_element(By.CSS_SELECTOR, "a.detail").get_attribute("href") == report.doc.detail_url


def test_the_pages_and_their_charts_need_nothing_outside_the_folder(chromium, site):
    index, _, _ = site
    chromium.get(index.as_uri())
    assert chromium.find_elements(By.CSS_SELECTOR, "svg.chart polyline.series")  # the overview's chart, inline
    _open_county(chromium, index, "平罗县")
    assert len(chromium.find_elements(By.CSS_SELECTOR, "svg.chart circle.point")) > 0
    asked = browser.requested_urls(chromium)
    assert asked and all(url.startswith(index.parent.as_uri() + "/") for url in asked), asked
    external = chromium.execute_script(
        "return [...document.querySelectorAll('script[src], link[href], img, iframe')].map(e => e.src || e.href)")
    assert external == []
