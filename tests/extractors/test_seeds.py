"""The five seed reports, as the demo portal serves them, read like the reports they are."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extractors import extract_document
from extractors.canonical.application import applicant_columns_by_offset, map_application
from extractors.tables_html import html_grids
from extractors.text_html import article_element, parse_html
from nianbao.config import PROJECT_DIR
from nianbao.models import ExtractedReport

DEMO = PROJECT_DIR / "demo_portal" / "documents"
MEDIA = {"000": "pdf", "001": "pdf", "002": "docx", "003": "html", "004": "pdf"}


@pytest.fixture(scope="module")
def seed():
    reports: dict[str, ExtractedReport] = {}

    def read(seed_id: str) -> ExtractedReport:
        if seed_id not in reports:
            media = MEDIA[seed_id]
            reports[seed_id] = extract_document(DEMO / f"{seed_id}.{media}", media, f"{seed_id}".ljust(64, "0"))
        return reports[seed_id]

    return read


def cell(report: ExtractedReport, table: str, row: str, column: str):
    return next(c for c in report.cells if (c.table_code, c.row_code, c.column_code) == (table, row, column))


def figures(report: ExtractedReport, quantity: str) -> list[Decimal]:
    return [f.value for f in report.figures if f.quantity_code == quantity]


def test_seed_000_has_no_tables_but_states_its_figures_in_the_text(seed):
    report = seed("000")
    assert (report.status, report.cells, report.generation) == ("no_tables", [], None)
    assert figures(report, "proactive.total") == [Decimal(358), Decimal(358)]
    # a 2018 report: the request count is the 统计表's request.received, even without the table
    received = [f for f in report.figures if f.quantity_code == "request.received"]
    assert [f.value for f in received] == [Decimal(0)] and "未收到依申请公开政府信息的申请" in received[0].sentence


def test_seed_000_is_signed_on_24_january_2019_for_the_year_2018(seed):
    report = seed("000")
    assert (report.agency, report.title_year, report.period_year, report.written_date) == (
        "平罗县通伏乡人民政府", 2018, 2018, date(2019, 1, 24))


def test_seed_001_is_the_legacy_统计表_with_all_58_indicators(seed):
    report = seed("001")
    assert report.generation == "legacy"
    assert {c.table_code for c in report.cells} == {"legacy"} and len(report.cells) == 58
    assert cell(report, "legacy", "proactive.total", "value").value == Decimal(135)
    assert cell(report, "legacy", "channel.wechat", "value").value == Decimal(110)
    assert cell(report, "legacy", "meetings.trainees", "value").value == Decimal(13)


def test_seed_002s_blank_结转下年度_法律服务机构_cell_is_missing_not_0(seed):
    blank = cell(seed("002"), "application", "carried_forward", "legal_services")
    assert (blank.value, blank.raw_text) == (None, "")
    assert cell(seed("002"), "application", "carried_forward", "other_org").value == Decimal(0)


def test_seed_002_is_gen2021_with_the_three_其他处理_sub_rows(seed):
    report = seed("002")
    rows = {c.row_code for c in report.cells if c.table_code == "application"}
    assert report.generation == "gen2021"
    assert {"other_handling.no_correction", "other_handling.unpaid_fee", "other_handling.other"} <= rows
    assert "other_handling" not in rows
    assert cell(report, "proactive", "art20_8.fees", "amount_10k_yuan").value == Decimal("3.2")
    assert cell(report, "proactive", "art20_6.penalty", "decisions").value == Decimal(51)


def test_seed_003s_application_table_maps_without_its_header_row(seed):
    """Seed 003's header lost 自然人 and 总计: the seven value columns are placed by position."""
    root = parse_html((DEMO / "003.html").read_bytes())
    grid = next(g for g in html_grids(article_element(root)) if "本年新收" in g.text())
    assert "自然人" not in grid.text() and "总计" not in grid.text().split("(七)")[0]
    header = [grid.distinct(i) for i in range(3)]
    assert applicant_columns_by_offset(header, [grid.distinct(3)]) == {
        "natural_person": -7, "commercial": -6, "research": -5, "public_interest": -4, "legal_services": -3,
        "other_org": -2, "total": -1}
    assert len(map_application(grid).cells) == 23 * 7
    report = seed("003")
    assert report.generation == "gen2019" and report.status == "parsed"
    assert cell(report, "application", "results_total", "total").value == Decimal(0)


def test_seed_004_is_gen2019_and_its_予以公开_总计_reads_0(seed):
    report = seed("004")
    assert report.generation == "gen2019"
    assert cell(report, "application", "granted", "natural_person").value == Decimal(1)
    assert cell(report, "application", "granted", "total").value == Decimal(0)  # as printed, though 1 ≠ 0
    assert cell(report, "application", "unable.not_held", "natural_person").value == Decimal(2)
    assert cell(report, "application", "other_handling", "total").value == Decimal(0)


def test_seed_004s_blank_行政复议_cells_are_missing_and_its_lawsuits_are_0(seed):
    report = seed("004")
    review = [c for c in report.cells if c.table_code == "review_litigation" and c.row_code == "review"]
    lawsuits = [c for c in report.cells if c.table_code == "review_litigation" and c.row_code != "review"]
    assert [c.value for c in review] == [None] * 5
    assert [c.value for c in lawsuits] == [Decimal(0)] * 10


def test_seed_004_states_1252_items_published_and_3_requests_in_its_text(seed):
    report = seed("004")
    assert figures(report, "proactive.total") == [Decimal(1252)]
    received = next(f for f in report.figures if f.quantity_code == "received")  # 收到: new, or new + carried over
    assert received.value == Decimal(3) and "依申请公开申请 3 个" in next(
        p.text for p in report.pages if p.page == received.page)
    assert (report.period_year, report.written_date) == (2020, date(2021, 1, 14))
