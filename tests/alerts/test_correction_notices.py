"""整改通知: a DOCX per agency with confirmed findings, holding each problem with its page, printed figure and
what the rule requires, and the date by which a corrected report is expected; the same text for the email."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from docx import Document

import warehouse
from alerts.correction import confirmed_notices, notice_text, write_notices
from tests.warehouse.records import first_run, province, publish_run, row_total_finding
from warehouse.triage import DecisionJournal, record_decision


@pytest.fixture(scope="module")
def notices(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notices")
    reports = province(folder / "raw")
    published = folder / "nianbao.duckdb"
    journal = DecisionJournal(folder / "decisions.jsonl")
    publish_run(published, first_run("run-1", datetime(2025, 2, 2, 2), reports), judged_on=date(2025, 2, 2))
    record_decision(published, journal, row_total_finding(reports["yongning_2024"]).finding_id, "confirmed", "已核实", "王科长")
    [(missing,)] = warehouse.read.query(
        published, "SELECT finding_id FROM dq_findings WHERE rule_code = 'not_published' AND year = 2024")[1]
    record_decision(published, journal, missing, "confirmed", "门户网站确无", "王科长")
    with warehouse.read.reading(published) as con:
        drafted = confirmed_notices(con, date(2025, 2, 10), 30, "宁夏回族自治区人民政府办公厅")
    return drafted, write_notices(drafted, folder / "out"), reports


def docx_text(path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_one_notice_per_agency_with_confirmed_findings_only(notices):
    drafted, paths, _ = notices
    assert [(n.county, n.agency) for n in drafted] == [("平罗县", "平罗县教育局"), ("永宁县", "永宁县人民政府")]
    assert [p.name for p in paths] == ["平罗县-平罗县教育局-整改通知.docx", "永宁县-永宁县人民政府-整改通知.docx"]


def test_the_docx_holds_the_report_the_problem_its_page_and_figures_the_rule_and_the_date(notices):
    drafted, paths, reports = notices
    text = docx_text(paths[1])
    report = reports["yongning_2024"]
    assert "关于永宁县人民政府政府信息公开工作年度报告存在问题的整改通知" in text
    assert f"《{report.doc.title}》（2024 年度，发布日期 2025-01-20；原文：{report.doc.document_url}）" in text
    assert "(一)予以公开 × 总计（第 3 页）" in text and "报告中印为“15”" in text and "13" in text
    assert "申请情况表每一行的“总计”应等于自然人和五类法人或其他组织六列之和" in text
    assert "请于 2025-03-12 前核实并更正" in text and "宁夏回族自治区人民政府办公厅" in text


def test_a_missing_report_is_a_problem_of_its_year(notices):
    _, paths, _ = notices
    text = docx_text(paths[0])
    assert "2024 年度政府信息公开工作年度报告" in text and "应报未报" in text and "第四十九条" in text


def test_the_email_text_is_the_docx_text(notices):
    drafted, paths, _ = notices
    for notice, path in zip(drafted, paths):
        assert notice_text(notice).replace("\n\n", "\n") == docx_text(path)
