"""The project's own run report: Chinese, per county, every open finding with its page, the portals' state;
self-contained (nothing loaded from anywhere: it opens offline and as an attachment); a county's page holds
only that county."""

from __future__ import annotations

from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest

import alerts
import warehouse
from tests.alerts.test_emails import Office

NOW = datetime(2025, 2, 1, 2, 30, tzinfo=timezone.utc)
# elements that make a browser fetch something, with the attribute naming what
LOADING = {"img": "src", "script": "src", "link": "href", "iframe": "src", "frame": "src", "embed": "src",
           "object": "data", "source": "src", "video": "src", "audio": "src", "track": "src", "input": "src"}


class Resources(HTMLParser):
    """Every resource a page would load, and every inline style."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in LOADING or tag == "script":
            self.loads.append(f"<{tag} {attrs.get(LOADING.get(tag, 'src'))}>")
        if "style" in attrs:
            self.styles.append(attrs["style"])
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


@pytest.fixture
def report(tmp_path):
    office = Office(tmp_path, sink=None)  # the warehouse of test_emails; nothing is sent here
    with warehouse.building(office.published) as con:
        return alerts.write_run_report(con, "run-1", tmp_path / "reports", NOW, None)


def test_the_report_is_self_contained(report):
    for page in [report.page(None), *report.pages.values()]:
        parsed = Resources()
        parsed.feed(page.read_text("utf-8"))
        assert parsed.loads == [], page
        assert not [s for s in parsed.styles if "url(" in s or "@import" in s], page


def test_the_province_page_lists_each_county_with_its_findings_pages_and_portals(report):
    html = report.page(None).read_text("utf-8")
    assert "平罗县" in html and "永宁县" in html
    assert "未整改的错误（1 项）" in html and "第 3 页" in html and "行合计" in html
    assert "无法访问" in html  # 永宁县's portal this run
    assert "按时发布" in html  # warnings are in the report


def test_a_county_page_holds_only_that_county(report):
    pingluo, yongning = report.page("平罗县").read_text("utf-8"), report.page("永宁县").read_text("utf-8")
    assert "平罗县城关镇人民政府" in pingluo and "永宁" not in pingluo and "8802" not in pingluo
    assert "永宁县人民政府" in yongning and "平罗" not in yongning and "8801" not in yongning


def test_email_links_go_to_the_served_report_when_a_base_url_is_configured(report):
    served = alerts.RunReport(report.folder, report.run_id, report.pages, "https://intranet.example/nianbao/reports")
    assert served.link("永宁县") == f"https://intranet.example/nianbao/reports/run-1/{report.page('永宁县').name}"
    assert served.attachment("永宁县") is None and report.link("永宁县") is None
