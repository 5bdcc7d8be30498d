"""The expectation suites, run for real (DuckDB warehouse + GX checkpoints) over a corpus of reports: the five
seeds transcribed cell by cell, clean reports of every generation, and reports each breaking one rule.

validate() runs once over the whole corpus (module fixture); each test reads the findings of its report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import great_expectations.expectations as gxe
import pytest

import expectations.run
import warehouse
from expectations import SuiteError, Validation, validate
from expectations.rules import Check, Family
from expectations.within_report import sum_rows
from nianbao import schema
from nianbao.config import AgencySettings, DeadlineSettings, RuleSettings
from nianbao.models import Finding

SEEDS = Path("/work/shared/seeds")
APPLICANTS = [c.code for c in schema.applicant_columns() if c.code != "total"]

# --------------------------------------------------------------------------- building reports


@dataclass
class Report:
    report_id: str
    year: int | None
    generation: str | None
    title: str
    agency: str = "某县某镇人民政府"
    county: str = "某县"
    status: str = "parsed"
    published_date: date | None = None
    written_date: date | None = None
    cells: dict[tuple[str, str, str], Decimal | None] = field(default_factory=dict)
    figures: list[tuple[str, int, str]] = field(default_factory=list)  # (quantity_code, value, sentence)
    text: str = ""


def application(generation: str, by_column: dict[str, dict[str, int]]) -> dict[tuple[str, str, str], Decimal | None]:
    """The application table from per-applicant figures (rows not given are 0); 总计 and (七)总计 computed."""
    rows = [r.code for r in schema.application_rows(generation)]
    outcomes = rows[rows.index("granted") : rows.index("results_total")]
    cells = {}
    for column in APPLICANTS:
        figures = by_column.get(column, {})
        for row in rows:
            cells[("application", row, column)] = Decimal(figures.get(row, 0))
        cells[("application", "results_total", column)] = sum(cells[("application", r, column)] for r in outcomes)
    for row in rows:
        cells[("application", row, "total")] = sum(cells[("application", row, c)] for c in APPLICANTS)
    return cells


def review_litigation(review: tuple[int, int, int, int] = (0, 0, 0, 0)) -> dict:
    """Table (c): the review group's upheld, corrected, other, pending; litigation all 0; totals computed."""
    groups, outcomes = schema.review_litigation()
    cells = {}
    for group in groups:
        figures = review if group.code == "review" else (0, 0, 0, 0)
        for outcome, value in zip([o.code for o in outcomes if o.code != "total"], figures):
            cells[("review_litigation", group.code, outcome)] = Decimal(value)
        cells[("review_litigation", group.code, "total")] = Decimal(sum(figures))
    return cells


def proactive(generation: str, values: dict[tuple[str, str], str] | None = None) -> dict:
    values = values or {}
    return {
        ("proactive", f"{b.item}.{row.code}", m.code): Decimal(values.get((f"{b.item}.{row.code}", m.code), "0"))
        for b in schema.proactive_blocks(generation)
        for row in b.rows
        for m in b.measures
    }


def tables(generation: str, by_column: dict, review=(0, 0, 0, 0), proactive_values=None) -> dict:
    return application(generation, by_column) | review_litigation(review) | proactive(generation, proactive_values)


def legacy(values: dict[str, str]) -> dict:
    """The pre-2019 统计表: indicators not given are blank."""
    return {("legacy", c.code, "value"): (Decimal(values[c.code]) if c.code in values else None) for c in schema.legacy_indicators()}


def period_text(year: int) -> str:
    return f"本报告所列政府信息公开数据统计期限为 {year} 年 1 月 1 日至 {year} 年 12 月 31 日。"


PLACEHOLDERS = {"VARCHAR": "test", "INTEGER": 0, "BIGINT": 0, "BOOLEAN": False, "TIMESTAMP": "2026-11-01 00:00:00",
                "DATE": "2026-11-01", "DOUBLE": 0.0, "JSON": "{}"}


def insert(con: duckdb.DuckDBPyConnection, report: Report) -> None:
    """Rows of the public interface; the warehouse's other required columns (its own bookkeeping) get
    placeholders, so that the test follows the warehouse's schema as it grows."""
    row = {
        "report_id": report.report_id, "portal_id": "demo", "province": "宁夏回族自治区", "city": "某市",
        "county": report.county, "agency": report.agency, "year": report.year, "generation": report.generation,
        "title": report.title, "detail_url": f"http://127.0.0.1/{report.report_id}.html",
        "document_url": f"http://127.0.0.1/{report.report_id}.pdf", "document_sha256": report.report_id * 4,
        "media_type": "pdf", "published_date": report.published_date, "written_date": report.written_date,
        "status": report.status, "page_count": 1, "extractor_version": "test",
    }
    required = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'reports' "
        "AND is_nullable = 'NO' AND column_default IS NULL"
    ).fetchall()
    row |= {name: PLACEHOLDERS[kind] for name, kind in required if name not in row}
    con.execute(f"INSERT INTO reports ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    cells = pd.DataFrame(
        [(report.report_id, t, r, c, v, "" if v is None else str(v)) for (t, r, c), v in report.cells.items()],
        columns=["report_id", "table_code", "row_code", "column_code", "value", "raw_text"],
    ).astype({"value": "float64"})  # executemany costs ~2 ms a row; a frame is one statement
    figures = pd.DataFrame(
        [(report.report_id, i, q, v, s) for i, (q, v, s) in enumerate(report.figures)],
        columns=["report_id", "seq", "quantity_code", "value", "sentence"],
    )
    con.execute("INSERT INTO report_cells (report_id, table_code, row_code, column_code, value, raw_text, page) "
                "SELECT report_id, table_code, row_code, column_code, value::DECIMAL(18, 4), raw_text, 1 FROM cells")
    con.execute("INSERT INTO narrative_figures (report_id, seq, quantity_code, value, sentence, page) "
                "SELECT report_id, seq, quantity_code, value, sentence, 1 FROM figures")
    if report.text:
        con.execute("INSERT INTO report_pages (report_id, page, text) VALUES (?, 1, ?)", [report.report_id, report.text])


# --------------------------------------------------------------------------- the seeds, transcribed


def seed_text(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text("utf-8")


def without_section_five(text: str, instead: str = "") -> str:
    """The text with its section 五 (up to 六) replaced."""
    start, end = text.index("五、存在的主要问题"), text.index("六、其他需要报告")
    return text[:start] + instead + text[end:]


def copied_between(county: str) -> list[Report]:
    """Two townships of one county and year whose reports are one text with the names changed (内容雷同)."""
    text = seed_text("002")
    return [clean_2021(f"d00000000000{i:04d}", name, county=county, text=text.replace("徐套乡", name))
            for i, name in enumerate(("甲镇", "乙镇"))]


def seed_004() -> Report:
    """平罗县城关镇 2020 (gen2019): 予以公开 1 and 本机关不掌握 2 under 自然人, but 0 in 总计; (七)总计 3 | 0."""
    cells = application("gen2019", {"natural_person": {"new_received": 3, "granted": 1, "unable.not_held": 2}})
    for row in ("granted", "unable.not_held", "results_total"):
        cells[("application", row, "total")] = Decimal(0)  # as printed
    cells |= review_litigation() | proactive("gen2019")
    return Report(
        "4a9f0c09b0a07c9d", 2020, "gen2019", "平罗县城关镇人民政府2020年政府信息公开年度报告",
        agency="平罗县城关镇人民政府", county="平罗县", published_date=date(2021, 1, 20), written_date=date(2021, 1, 14),
        cells=cells, figures=[("new_received", 3, "2020 年度我镇收到政府信息公开依申请公开申请 3 个")], text=seed_text("004"),
    )


def seed_reports() -> list[Report]:
    seed_002 = tables(
        "gen2021", {},
        proactive_values={("art20_1.normative_docs", "issued"): "2", ("art20_1.normative_docs", "in_force"): "2",
                          ("art20_6.penalty", "decisions"): "51", ("art20_8.fees", "amount_10k_yuan"): "3.2"},
    )
    seed_002[("application", "carried_forward", "legal_services")] = None  # printed blank
    seed_001 = legacy({
        "proactive.total": "135", "proactive.normative_docs": "0", "proactive.normative_issued": "0",
        "channel.gazette": "0", "channel.website": "135", "channel.weibo": "65", "channel.wechat": "110",
        "channel.other": "70", "response.hotspots": "0", "response.press_conferences": "0",
        "response.press_conf_heads": "0", "response.online_interviews": "0", "response.interview_heads": "0",
        "response.interpretations": "0", "response.weibo_wechat": "33", "response.other": "15",
        **{c.code: "0" for c in schema.legacy_indicators() if c.code.split(".")[0] in ("request", "answer", "refused", "review", "litigation")},
        "complaints": "0", "fees_10k_yuan": "0", "org.units": "1", "org.reading_points": "2", "org.staff": "2",
        "org.staff_full_time": "0", "org.staff_part_time": "2", "org.budget_10k_yuan": "0", "meetings.count": "3",
        "meetings.trainings": "1", "meetings.trainees": "13",
    })
    return [
        Report("e59fbb59a1f12693", 2018, None, "平罗县通伏乡人民政府2018年政府信息公开年度报告", agency="平罗县通伏乡人民政府",
               county="平罗县", status="no_tables", written_date=date(2019, 1, 24), published_date=date(2019, 1, 28),
               figures=[("proactive.total", 358, "2018年通伏乡主动公开政府信息 358 条")], text=seed_text("000")),
        Report("1d12c8f2ad5a04e8", 2018, "legacy", "兴庆区掌政镇2018年政府信息公开工作年度报告", agency="兴庆区掌政镇人民政府",
               county="兴庆区", published_date=date(2019, 1, 30), cells=seed_001, text=seed_text("001")),
        Report("e7764d80f1cd94c2", 2021, "gen2021", "中宁县徐套乡人民政府2021年政府信息公开工作年度报告",
               agency="中宁县徐套乡人民政府", county="中宁县", published_date=date(2022, 1, 25), cells=seed_002,
               text=seed_text("002")),
        Report("6f0460d6ccc8a243", 2019, "gen2019", "西邑乡2019年政府信息公开年度报告", agency="隆阳区西邑乡人民政府",
               county="隆阳区", published_date=date(2020, 1, 31), cells=tables("gen2019", {}), text=seed_text("003")),
        seed_004(),
    ]


# --------------------------------------------------------------------------- clean reports and broken ones

BUSY_2021 = {  # a gen2021 year with every kind of outcome, (六) spread over its sub-rows
    "natural_person": {"new_received": 9, "carried_over": 1, "granted": 4, "partially_granted": 1,
                       "withheld.third_party": 1, "unable.not_held": 1, "not_processed.duplicate": 1,
                       "other_handling.no_correction": 1, "carried_forward": 1},
    "commercial": {"new_received": 3, "carried_over": 1, "granted": 2, "other_handling.other": 1, "carried_forward": 1},
}  # 结转 in = 结转 out, so that consecutive years chain
BUSY_2019 = {
    "natural_person": {"new_received": 4, "carried_over": 1, "granted": 2, "other_handling": 1, "unable.unclear": 1,
                       "carried_forward": 1},
    "commercial": {"new_received": 1, "carried_over": 1, "granted": 1, "carried_forward": 1},
}


def changed(report: Report, cells: dict | None = None, **fields) -> Report:
    """The report with some cells overwritten ((table, row, column) -> value, None for blank) or fields replaced."""
    for key, value in (cells or {}).items():
        report.cells[key] = None if value is None else Decimal(str(value))
    for name, value in fields.items():
        setattr(report, name, value)
    return report


def clean_2021(report_id: str, agency: str = "清洁镇人民政府", year: int = 2021, **fields) -> Report:
    cells = tables("gen2021", BUSY_2021, review=(1, 1, 0, 1),
                   proactive_values={("art20_8.fees", "amount_10k_yuan"): "12.75", ("art20_1.rules", "in_force"): "4"})
    report = Report(report_id, year, "gen2021", f"{agency}{year}年政府信息公开工作年度报告", agency=agency,
                    published_date=date(year + 1, 1, 20), cells=cells, text=period_text(year) + "收到申请后依法答复。",
                    figures=[("new_received", 12, "本年新收政府信息公开申请 12 件"), ("review.total", 3, "行政复议 3 件")])
    return changed(report, **fields)


def clean_2019(report_id: str, agency: str = "清洁乡人民政府", year: int = 2020, **fields) -> Report:
    cells = tables("gen2019", BUSY_2019, proactive_values={("art20_5.licensing", "change"): "-2",
                                                           ("art20_9.central_procurement", "amount"): "30.5"})
    report = Report(report_id, year, "gen2019", f"{agency}{year}年政府信息公开年度报告", agency=agency,
                    published_date=date(year + 1, 1, 31), cells=cells, text=period_text(year))
    return changed(report, **fields)


def clean_legacy(report_id: str, agency: str = "清洁街道办事处", year: int = 2017, **fields) -> Report:
    values = {c.code: "0" for c in schema.legacy_indicators()}
    values |= {"proactive.total": "300", "channel.website": "200", "channel.wechat": "150", "request.received": "4",
               "request.online": "3", "request.letter": "1", "request.closed": "4", "request.closed_on_time": "4",
               "request.answered": "4", "answer.granted": "3", "answer.refused": "1", "refused.privacy": "1",
               "org.staff": "3", "org.staff_full_time": "1", "org.staff_part_time": "2", "org.budget_10k_yuan": "1.5"}
    report = Report(report_id, year, "legacy", f"{agency}{year}年政府信息公开工作年度报告", agency=agency,
                    published_date=date(year + 1, 1, 15), cells=legacy(values), text=period_text(year))
    return changed(report, **fields)


# Each case: reports (earlier years first) and the findings (rule, location, expected, observed) the last one
# must produce, and nothing else; the earlier ones produce none.
REVIEW_CELLS = [("review_litigation", g.code, o.code) for g in schema.review_litigation()[0] for o in schema.review_litigation()[1]]
BROKEN: dict[str, tuple[list[Report], set[tuple[str, str, Decimal | None, Decimal | None]]]] = {
    "a total typed wrong breaks its row and (七)总计's column": (
        [clean_2021("b0000000000000a1", "行合计镇", cells={("application", "granted", "total"): 7})],
        {("row_total", "application[granted, total]", 6, 7), ("results_total", "application[results_total, total]", 13, 12)},
    ),
    "an outcome counted in its row but not in (七)总计": (
        [clean_2019("b0000000000000a2", "办理结果乡", cells={("application", "granted", "natural_person"): 3,
                                                      ("application", "granted", "total"): 4})],
        {("results_total", "application[results_total, natural_person]", 5, 4),
         ("results_total", "application[results_total, total]", 6, 5)},
    ),
    "上年结转 that the year's work does not account for": (
        [clean_2021("b0000000000000a3", "勾稽镇", cells={("application", "carried_over", "natural_person"): 2,
                                                   ("application", "carried_over", "total"): 3})],
        {("stated_identity", "application[*, natural_person]", 11, 10), ("stated_identity", "application[*, total]", 15, 14)},
    ),
    "行政复议 total short of its outcomes": (
        [clean_2021("b0000000000000a4", "复议镇", cells={("review_litigation", "review", "upheld"): 2})],
        {("review_total", "review_litigation[review, total]", 4, 3)},
    ),
    "a negative count and a fractional count": (
        [clean_2021("b0000000000000a5", "符号镇", cells={("proactive", "art20_6.penalty", "decisions"): -3,
                                                   ("proactive", "art20_1.normative_docs", "issued"): 2.5})],
        {("non_negative", "proactive[art20_6.penalty, decisions]", 0, -3),
         ("non_negative", "proactive[art20_1.normative_docs, issued]", 3, Decimal("2.5"))},
    ),
    "收到申请数 not the sum of its channels (legacy)": (
        [clean_legacy("b0000000000000a6", "统计街道", cells={("legacy", "request.received", "value"): 5})],
        {("legacy_total", "legacy[request.received, value]", 4, 5)},
    ),
    "more items published than on all channels together (legacy)": (
        [clean_legacy("b0000000000000a7", "渠道街道", cells={("legacy", "proactive.total", "value"): 400})],
        {("legacy_channels", "legacy[proactive.total, value]", 350, 400)},
    ),
    "a 2021 report whose 统计期限 is 2020": (
        [clean_2021("b0000000000000a8", "期限镇", text=period_text(2020))],
        {("period_matches_year", "text[统计期限]", 2021, 2020)},
    ),
    "a 2022 report on the 2019 template": (
        [clean_2019("b0000000000000a9", "版式乡", year=2022)],
        {("generation_year", "reports[generation]", None, None)},
    ),
    "table (c) printed but left blank": (
        [clean_2021("b0000000000000b1", "空表镇", cells={cell: None for cell in REVIEW_CELLS})],
        {("table_blank", "review_litigation", 15, 15)},
    ),
    "the text says 13 applications, the table 12": (
        [clean_2021("b0000000000000b2", "正文镇", figures=[("new_received", 13, "本年共收到政府信息公开申请 13 件")])],
        {("text_matches_table", "text[new_received]", 12, 13)},
    ),
    "上年结转 is not last year's 结转下年度": (
        [clean_2021("b0000000000000c1", "断链镇"),
         clean_2021("b0000000000000c2", "断链镇", year=2022, figures=[], cells={
             ("application", "carried_over", "natural_person"): 2, ("application", "carried_over", "total"): 3,
             ("application", "new_received", "natural_person"): 8, ("application", "new_received", "total"): 11})],
        {("carry_over_chain", "application[carried_over, natural_person]", 1, 2),
         ("carry_over_chain", "application[carried_over, total]", 2, 3)},
    ),
    "上年结转 broken across a rename declared in config": (
        [clean_2021("b0000000000000cf", "改名县农牧局", county="改名县"),
         clean_2021("b0000000000000d0", "改名县农业农村局", county="改名县", year=2022, figures=[], cells={
             ("application", "carried_over", "natural_person"): 2, ("application", "carried_over", "total"): 3,
             ("application", "new_received", "natural_person"): 8, ("application", "new_received", "total"): 11})],
        {("carry_over_chain", "application[carried_over, natural_person]", 1, 2),
         ("carry_over_chain", "application[carried_over, total]", 2, 3)},
    ),
    "规章 in force not last year's plus those issued": (
        [clean_2021("b0000000000000c3", "有效镇"),
         clean_2021("b0000000000000c4", "有效镇", year=2022, cells={("proactive", "art20_1.rules", "issued"): 2})],
        {("in_force_chain", "proactive[art20_1.rules, in_force]", 6, 4)},
    ),
    "last year's text with the years changed (内容雷同)": (
        [clean_2021("b0000000000000c5", "雷同镇", county="雷同县", text=seed_text("002")),
         clean_2021("b0000000000000c6", "雷同镇", county="雷同县", year=2022, text=seed_text("002").replace("2021", "2022"))],
        {("copied_report", "text", Decimal("0.9"), 1)},
    ),
    "published a month after 31 January": (
        [clean_2021("b0000000000000c7", "迟发镇", published_date=date(2022, 3, 1))],
        {("published_on_time", "reports[published_date]", 0, 29)},
    ),
    "a department's report published on 8 February": (
        [clean_2021("b0000000000000c8", "某县财政局", published_date=date(2022, 2, 8))],
        {("published_on_time", "reports[published_date]", 0, 8)},
    ),
    "a government's report published in April": (
        [clean_2021("b0000000000000c9", "某县人民政府", published_date=date(2022, 4, 1))],
        {("published_on_time", "reports[published_date]", 0, 1)},
    ),
    "a page date two years late on a report that is not signed (a site migration's re-posting)": (
        [clean_legacy("b0000000000000d1", "迁站镇人民政府", year=2013, published_date=date(2015, 7, 27))],
        {("published_on_time", "reports[published_date]", 0, 483)},
    ),
    "a 统计期限 short of the whole year": (
        [clean_2021("b0000000000000cb", "短期镇", text="本报告所列政府信息公开数据统计期限为 2021 年 1 月 1 日至 2021 年 11 月 30 日。")],
        {("period_covers_year", "text[统计期限]", None, None)},
    ),
    "last year's sentence left in the body": (
        [clean_2021("b0000000000000cc", "旧年镇", county="旧年县", text=seed_text("002").replace("2021年，", "2020年，", 1))],
        {("body_year", "text[年份]", 2021, 2020)},
    ),
    "no section 五 (存在的主要问题及改进情况)": (
        [clean_2021("b0000000000000cd", "无五镇", county="无五县", text=without_section_five(seed_text("002")))],
        {("problems_section_missing", "text[五]", None, None)},
    ),
    "section 五 that says nothing": (
        [clean_2021("b0000000000000ce", "空五镇", county="空五县", text=without_section_five(seed_text("002"), "五、存在的主要问题及改进情况\n\n无。\n\n"))],
        {("problems_section_empty", "text[五]", None, 1)},
    ),
    "no agency named anywhere": (
        [clean_2021("b0000000000000ca", "", title="2021年政府信息公开工作年度报告")],
        {("agency_known", "reports[agency_id]", None, None)},
    ),
}
CLEAN = [
    clean_2021("c000000000002021"), clean_2019("c000000000002019"), clean_legacy("c000000000002017"),
    # two years of one agency that chain, with texts of their own
    clean_2021("c000000000012021", "连续镇", county="连续县", text=seed_text("002")),
    clean_2021("c000000000012022", "连续镇", county="连续县", year=2022, text=seed_text("001").replace("2018", "2022")),
    # re-posted in 2020 by a site migration, signed in time
    clean_legacy("c000000000002016", "迁移街道", year=2016, published_date=date(2020, 6, 1), written_date=date(2017, 1, 20)),
    # late by the default deadline, in time by its county's
    clean_2021("c000000000022021", "宽限镇", county="宽限县", published_date=date(2022, 2, 15)),
    # 本级政府 (its report put out by its office): 3月31日
    clean_2021("c000000000032021", "某县人民政府办公室", title="某县人民政府2021年政府信息公开工作年度报告",
               published_date=date(2022, 3, 20)),
    # 2017 under 条例(2007): 3月31日 for a department too
    clean_legacy("c000000000042017", "某县财政局", published_date=date(2018, 3, 30)),
    # one agency under two forms of its name: its chain is checked (and holds)
    clean_2021("c000000000052021", "某市连名县连名镇人民政府", county="连名县", text=seed_text("002")),
    clean_2021("c000000000052022", "连名镇", county="连名县", year=2022, text=seed_text("001").replace("2018", "2022")),
]
COPIED = copied_between("抄袭县")
RULES = RuleSettings(deadlines=DeadlineSettings(township_by_place={"宽限县": "02-20"}),
                     agencies=AgencySettings(renames={"改名县农牧局": "改名县农业农村局"}))


def key(f: Finding) -> tuple:
    return (f.rule_code, f.location, f.expected, f.observed)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    warehouse.migrate(con)
    for report in seed_reports() + CLEAN + COPIED + [report for reports, _ in BROKEN.values() for report in reports]:
        insert(con, report)
    warehouse.load.assign_agencies(con, RULES)
    yield con
    con.close()


@pytest.fixture(scope="module")
def validation(con, tmp_path_factory) -> Validation:
    return validate(con, "test-run", RULES, tmp_path_factory.mktemp("data_docs"))


def findings_of(validation: Validation, report_id: str, severity: str | None = None) -> list[Finding]:
    return [f for f in validation.findings if f.report_id == report_id and severity in (None, f.severity)]


def test_seed_004_fails_row_total_in_the_total_column_and_stated_identity_of_the_total_column(validation):
    errors = {key(f) for f in findings_of(validation, "4a9f0c09b0a07c9d", "error")}
    assert errors == {
        ("row_total", "application[granted, total]", 1, 0),  # (一)予以公开: 自然人 1, 总计 0
        ("row_total", "application[unable.not_held, total]", 2, 0),  # (四)1.本机关不掌握: 自然人 2, 总计 0
        ("row_total", "application[results_total, total]", 3, 0),  # (七)总计: 自然人 3, 总计 0
        ("stated_identity", "application[*, total]", 3, 0),  # 3 + 0 received, 0 + 0 accounted for
    }
    assert findings_of(validation, "4a9f0c09b0a07c9d", "warning") == []


@pytest.mark.parametrize("seed", ["e59fbb59a1f12693", "1d12c8f2ad5a04e8", "e7764d80f1cd94c2", "6f0460d6ccc8a243"])
def test_seeds_000_to_003_have_no_error(validation, seed):
    assert findings_of(validation, seed, "error") == []


def test_seed_002_blank_结转下年度_cell_counts_as_0_where_its_row_and_column_balance(con, validation):
    """Its 结转下年度·法律服务机构 cell is printed blank: the warehouse keeps NULL, and since the row's 总计 and the
    column's identity balance with it as 0, the form means 0 and nothing is found (issue 18: zeros left blank)."""
    assert findings_of(validation, "e7764d80f1cd94c2") == []
    assert con.execute("SELECT value FROM report_cells WHERE report_id = 'e7764d80f1cd94c2' AND row_code = "
                       "'carried_forward' AND column_code = 'legal_services'").fetchall() == [(None,)]


def test_seed_000_without_its_statistics_table_is_reported(validation):
    assert [(f.rule_code, f.severity, f.location) for f in findings_of(validation, "e59fbb59a1f12693")] == [
        ("table_missing", "warning", "legacy")]


@pytest.mark.parametrize("report", CLEAN, ids=lambda r: f"{r.agency}{r.year}")
def test_clean_reports_of_every_generation_raise_nothing(validation, report):
    assert findings_of(validation, report.report_id) == []


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_report_fires_its_rule_once_at_the_right_location(validation, case):
    *earlier, report = BROKEN[case][0]
    found = findings_of(validation, report.report_id)
    assert sorted(map(key, found), key=str) == sorted(BROKEN[case][1], key=str)
    assert [f for e in earlier for f in findings_of(validation, e.report_id)] == []


def test_the_evaluators_rules_are_warnings(validation):
    """Issue 18: 内容雷同 between agencies, the 统计期限 covering the year, last year's year in the body and section
    五 missing or empty are warnings; the law makes none of them an error (第五十条(四) asks for the content, and
    what is judged is a heading, which a report may number or word its own way)."""
    evaluators = {"copied_between_agencies", "period_covers_year", "body_year", "problems_section_missing",
                  "problems_section_empty"}
    assert {(f.rule_code, f.severity) for f in validation.findings if f.rule_code in evaluators} == {
        (rule, "warning") for rule in evaluators}


def test_a_late_report_names_the_rule_that_applied(validation):
    (department,) = findings_of(validation, "b0000000000000c8")
    assert "部门报告应于次年1月31日前公布（《政府信息公开条例》（2019）第四十九条），实际 2月8日公布（发布日期），逾期 8 天" in department.message
    (government,) = findings_of(validation, "b0000000000000c9")
    assert "本级政府报告应于次年3月31日前公布" in government.message


def test_a_page_date_over_a_year_late_without_a_signed_date_is_doubted_not_charged(validation):
    """谢塘镇 2013 (real corpus): 公开日期 2015-07-27, the day its site moved every report; the report is not
    signed. Over a year past the deadline with nothing to weigh it against, the date is a warning to check,
    not an error; a month late stays an error."""
    (reposted,) = findings_of(validation, "b0000000000000d1")
    assert reposted.severity == "warning" and "多为网站迁移后重新发布的日期" in reposted.message
    assert [f.severity for f in findings_of(validation, "b0000000000000c7")] == ["error"]


def test_one_agency_under_two_names_keeps_its_chain(con):
    ids = con.execute("SELECT DISTINCT agency_id, agency_level FROM reports WHERE report_id LIKE 'c00000000005%'").fetchall()
    assert ids == [("宁夏回族自治区/连名县/连名镇人民政府", "township")]


def test_two_agencies_with_one_text_are_both_told_whose_text_it_is(validation):
    first, second = COPIED
    (a,) = findings_of(validation, first.report_id)
    (b,) = findings_of(validation, second.report_id)
    assert (a.rule_code, a.severity, b.rule_code) == ("copied_between_agencies", "warning", "copied_between_agencies")
    assert second.report_id in a.message and first.report_id in b.message and a.observed > Decimal("0.8")


def test_template_words_alone_do_not_make_two_reports_alike():
    from expectations.across_reports import MIN_OWN_SHINGLES, _own_shingles

    template = "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）本年新收政府信息公开申请数量 12 上年结转政府信息公开申请数量 0"
    assert len(_own_shingles(template)) < MIN_OWN_SHINGLES  # only pieces across the words' seams are left


def test_findings_say_where_by_how_much_and_in_chinese(validation):
    (finding,) = findings_of(validation, BROKEN["行政复议 total short of its outcomes"][0][-1].report_id)
    assert finding.imbalance == -1
    assert finding.message.startswith("[review_total] 行政复议/诉讼总计不符：行政复议·总计 为 3，各结果之和为 4（差 -1）")
    assert len({f.finding_id for f in validation.findings}) == len(validation.findings)


def test_each_failing_expectation_speaks_for_its_own_check(validation):
    """non_negative has two expectations; GX returns results in its own order."""
    messages = {f.location: f.message for f in findings_of(validation, "b0000000000000a5")}
    assert messages["proactive[art20_6.penalty, decisions]"].startswith("[non_negative] 数值为负")
    assert messages["proactive[art20_1.normative_docs, issued]"].startswith("[non_negative] 数值非整数")


def test_every_report_is_checked_and_data_docs_are_built(validation):
    assert len(validation.reports_checked) == 5 + len(CLEAN) + len(COPIED) + sum(len(reports) for reports, _ in BROKEN.values())
    index = validation.data_docs_index.read_text("utf-8")
    assert "row_total" in index and "stated_identity" in index
    (row_total_page,) = validation.data_docs_index.parent.glob("validations/row_total/**/*.html")
    assert "4a9f0c09b0a07c9d" in row_total_page.read_text("utf-8")  # the page names the failing report


def test_severity_is_configurable_and_finding_ids_are_stable_across_runs(con, validation, tmp_path):
    report_id = BROKEN["the text says 13 applications, the table 12"][0][-1].report_id
    rules = RuleSettings(severities={"text_matches_table": "error"})
    again = validate(con, "second-run", rules, tmp_path, report_ids=[report_id])
    assert again.reports_checked == [report_id]
    assert [(f.severity, f.finding_id) for f in again.findings] == [
        ("error", f.finding_id) for f in findings_of(validation, report_id)]


def test_a_suite_that_errors_fails_the_run_instead_of_finding_nothing(con, tmp_path):
    misspelt = Family("misspelt", lambda source: sum_rows(source, "row_total"), (
        Check("row_total", "error", lambda: gxe.ExpectColumnValuesToBeBetween(column="obsreved", min_value=0), "x"),))
    with pytest.raises(SuiteError, match="misspelt"):
        validate(con, "broken-run", RuleSettings(), tmp_path, families=(misspelt,))
    bad_sql = Family("bad_sql", lambda source: source.frame("SELECT no_such_column FROM reports"), ())
    with pytest.raises(SuiteError, match="bad_sql"):
        validate(con, "broken-run", RuleSettings(), tmp_path, families=(bad_sql,))


def test_validating_a_few_reports_per_pass_finds_the_same(con, validation, tmp_path, monkeypatch):
    """Memory stays flat because validate() judges REPORTS_PER_PASS reports at a time; the passes must not
    change what is found, the cross-report rules included (a report's previous year is often in another pass)."""
    monkeypatch.setattr(expectations.run, "REPORTS_PER_PASS", 3)
    in_passes = validate(con, "test-run", RULES, tmp_path)
    assert len(validation.reports_checked) > 3 * 5
    assert sorted((f.finding_id, f.severity, f.message) for f in in_passes.findings) == sorted(
        (f.finding_id, f.severity, f.message) for f in validation.findings)
