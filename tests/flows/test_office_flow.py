"""The office's part of the nightly run on the demo portal: every agency seen publishing is expected in the
years after, found missing once each year's deadline has passed; the scorecard site is written with the run
and opens in a real browser with no network."""

from __future__ import annotations

import duckdb
import pytest

from expectations.publication import office_today
from nianbao.config import RuleSettings
from nianbao.deadlines import agency_level, publication_deadline
from scorecard import browser
from selenium.webdriver.common.by import By
from tests.helpers import require_chromium

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _sql(config, query):
    with duckdb.connect(str(config.warehouse), read_only=True) as con:
        return con.execute(query).fetchall()


def test_each_demo_agency_is_missing_on_every_later_year_whose_deadline_has_passed(demo_runs):
    config = demo_runs.config
    rules, today = RuleSettings(), office_today()
    expected = set()
    for province, city, county, agency, year in _sql(
            config, "SELECT province, city, county, agency, min(year) FROM reports GROUP BY ALL"):
        level = agency_level(agency)
        later = year + 1
        while publication_deadline(level, later, rules.deadlines, (county, city, province)).due < today:
            expected.add((county, agency, later))
            later += 1
    found = _sql(config, "SELECT county, agency, year FROM dq_findings WHERE rule_code = 'not_published' AND status = 'open'")
    assert expected and set(found) == expected
    # found by the first run, and not opened again by the second
    assert _sql(config, f"""SELECT DISTINCT opened_run FROM dq_findings WHERE rule_code = 'not_published'""") == [
        (demo_runs.first.run_id,)]


def test_the_run_writes_the_scorecard_site_which_lists_each_countys_missing_agencies(demo_runs):
    require_chromium()
    config = demo_runs.config
    index = config.data_dir / "scorecard" / "index.html"
    counties = [c for (c,) in _sql(config, "SELECT DISTINCT county FROM reports ORDER BY 1")]
    with browser.chromium() as driver:
        driver.get(index.as_uri())
        assert sorted(a.text for a in driver.find_elements(By.CSS_SELECTOR, "#overview tr.county a")) == sorted(counties)
        for county in counties:
            driver.get(index.as_uri())
            driver.find_element(By.LINK_TEXT, county).click()
            shown = sorted(li.text for li in driver.find_elements(By.CSS_SELECTOR, "#missing li"))
            assert shown == sorted(f"{agency}（{year} 年度）" for agency, year in _sql(
                config, f"SELECT agency, year FROM dq_findings WHERE rule_code = 'not_published' "
                        f"AND status = 'open' AND county = '{county}'"))
        assert all(url.startswith(index.parent.as_uri()) for url in browser.requested_urls(driver))
