"""The alert emails as the people who fix the reports read them, sent to a real SMTP server on 127.0.0.1 from
a real warehouse: MIME structure and headers, Chinese rule names, the printed table/row/column, the page, the
printed figure and what it should be, a county's email holding only that county, recalls, resolutions and
the weekly warnings digest."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import alerts
import warehouse
from alerts import RunSummary
from demo_portal.mail_sink import MailSink
from nianbao.config import AlertSettings, OfficeSettings, SmtpSettings
from nianbao.models import Finding, HealthProblem
from tests.warehouse.records import PINGLUO, YONGNING, Run, first_run, province, publish_run, unchanged_run
from warehouse.triage import DecisionJournal, record_decision

JAN = datetime(2025, 2, 1, 2, 0, tzinfo=timezone.utc)
PORTALS = [replace(PINGLUO, recipients=("pingluo@example.test",)), replace(YONGNING, recipients=("yongning@example.test",))]


class Office:
    """A published warehouse of two counties and an SMTP server; each alert() is one run's alert stage."""

    def __init__(self, folder: Path, sink: MailSink | None):
        self.folder, self.sink = folder, sink
        self.published = folder / "warehouse" / "nianbao.duckdb"
        self.journal = DecisionJournal(folder / "decisions" / "finding_decisions.jsonl")
        self.reports = province(folder / "raw")
        self.first = self.first_run("run-1", JAN)
        publish_run(self.published, self.first)

    def first_run(self, run_id: str, at: datetime) -> Run:
        run = first_run(run_id, at, self.reports)
        chengguan = self.reports["chengguan_2024"]
        # an error in the other county, so that each county's email has something the other must not see
        run.findings.append(Finding(chengguan.report_id, "stated_identity", "error", "application[*, natural_person]",
                                    Decimal(3), Decimal(4), "[stated_identity] 勾稽关系不符：自然人列 本年新收+上年结转=3，办理结果总计+结转下年度=4（差 1）"))
        next(c for c in run.crawl if c.portal == YONGNING).health.append(
            HealthProblem("yongning", YONGNING.column_url, "unreachable",
                          "column page: connection error (ConnectError: [Errno 111] Connection refused) after 2 attempts"))
        return run

    def alert(self, run_id: str, now: datetime, **settings) -> alerts.AlertOutcome:
        smtp = SmtpSettings(port=self.sink.port, sender="nianbao@example.test", retry_seconds=0)
        config = AlertSettings(provincial_recipients=["office@example.test"], smtp=smtp, **settings)
        with warehouse.building(self.published) as con:
            return alerts.alert_run(con, RunSummary(run_id, 6, 2, 6, 0), PORTALS, config, OfficeSettings(),
                                    self.folder / "reports", self.folder / "outbox_journal",
                                    self.folder / "decisions" / "announcements.jsonl", now)

    def next_run(self, run_id: str, now: datetime, findings: list[Finding] | None = None, **settings):
        """A later night: nothing changed on the portals; `findings` are what validation still finds."""
        still = self.first.findings if findings is None else findings
        publish_run(self.published, unchanged_run(run_id, now, self.reports, still), journal=self.journal)
        return self.alert(run_id, now, **settings)

    def decide(self, finding: Finding, decision: str) -> None:
        record_decision(self.published, self.journal, finding.finding_id, decision, "已与县政府办核实", "王科长")

    def received(self, weekly: bool = False) -> dict[tuple[str, ...], email.message.EmailMessage]:
        """The daily (or the weekly warnings) email each recipient list got."""
        return {tuple(m.recipients): email.message_from_bytes(m.eml.read_bytes(), policy=email.policy.default)
                for m in self.sink.received if ("每周警告汇总" in m.subject) == weekly}


@pytest.fixture
def office(tmp_path):
    with MailSink(tmp_path / "outbox", port=0) as sink:
        yield Office(tmp_path, sink)


def bodies(message: email.message.EmailMessage) -> str:
    """Every text part and attachment of a message, decoded."""
    return "\n".join(part.get_content() for part in message.walk() if part.get_content_maintype() == "text")


def test_each_message_is_multipart_alternative_with_date_and_message_id(office):
    office.alert("run-1", JAN, report_base_url="https://nianbao.example.gov.cn/reports/")
    for message in [*office.received().values(), *office.received(weekly=True).values()]:
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
        assert email.utils.parsedate_to_datetime(message["Date"]) == JAN
        assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith("@example.test>")
        assert message["From"] == "nianbao@example.test"
    ids = [m["Message-ID"] for m in office.received().values()]
    assert len(set(ids)) == len(ids)


def test_without_a_report_url_the_report_page_is_attached_and_no_link_points_to_this_machine(office):
    office.alert("run-1", JAN)
    county = office.received()[("yongning@example.test",)]
    assert county.get_content_type() == "multipart/mixed"
    body, attachment = county.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    assert attachment.get_filename() == "年报监测报告-永宁县-run-1.html"
    assert "永宁县人民政府" in attachment.get_content()
    for message in office.received().values():
        assert "file://" not in bodies(message) and str(office.folder) not in bodies(message)


def test_a_finding_reads_in_chinese_with_printed_labels_page_figures_and_a_link_to_the_document(office):
    office.alert("run-1", JAN, report_base_url="https://nianbao.example.gov.cn/reports/")
    message = office.received()[("yongning@example.test",)]
    html, text = message.get_body(("html",)).get_content(), message.get_body(("plain",)).get_content()
    yongning = office.reports["yongning_2024"]
    for body in (html, text):
        assert "行合计" in body and "row_total" not in body  # the rule by its Chinese name
        assert "申请情况表每一行的“总计”应等于自然人和五类法人或其他组织六列之和" in body  # and what it means
        assert "三、收到和处理政府信息公开申请情况" in body and "(一)予以公开" in body and "总计" in body
        assert "第 3 页" in body
        assert f"{yongning.doc.document_url}#page=3" in body  # the document, opened at that page
        assert "https://nianbao.example.gov.cn/reports/run-1/" in body
    assert '<td style="text-align:right">15</td>\n<td style="text-align:right">13</td>' in html  # printed, should be
    assert "报告所印数字 15，应为 13，差额 2" in text
    assert "[永宁县] 1 份年报新发现问题" in message["Subject"].replace("年报监测·", "")


def test_a_county_email_holds_only_that_county(office):
    office.alert("run-1", JAN)
    pingluo = bodies(office.received()[("pingluo@example.test",)])
    yongning = bodies(office.received()[("yongning@example.test",)])
    assert "平罗县城关镇人民政府" in pingluo and "自然人" in pingluo
    assert "永宁" not in pingluo and "yongning" not in pingluo and "8802" not in pingluo
    assert "永宁县人民政府" in yongning and "平罗" not in yongning and "pingluo" not in yongning
    digest = bodies(office.received()[("office@example.test",)])
    assert "平罗县城关镇人民政府" in digest and "永宁县人民政府" in digest


def test_a_portal_problem_is_told_in_chinese_with_the_county_name(office):
    office.alert("run-1", JAN)
    text = office.received()[("yongning@example.test",)].get_body(("plain",)).get_content()
    assert "永宁县：门户无法访问" in text and "无法连接网站服务器" in text
    assert "门户" not in office.received()[("pingluo@example.test",)].get_body(("plain",)).get_content()


def test_text_from_the_web_is_escaped_in_the_html(office, tmp_path):
    with warehouse.building(office.published) as con:
        con.execute("UPDATE reports SET title = '<script>alert(1)</script>年报', agency = 'A&B' WHERE county = '永宁县'")
    office.alert("run-1", JAN)
    html = office.received()[("yongning@example.test",)].get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html and "A&amp;B" in html


def test_an_error_is_told_once_recalled_after_the_configured_days_and_its_resolution_announced(office):
    office.alert("run-1", JAN, recall_after_days=7)
    assert len(office.sink.received) == 5  # 2 counties, the province, the warnings digests of 永宁县 and province

    office.sink.received.clear()
    office.next_run("run-2", JAN + timedelta(days=1), recall_after_days=7)
    assert office.sink.received == []  # nothing new: nothing sent

    office.next_run("run-3", JAN + timedelta(days=8), recall_after_days=7)
    recall = office.received()[("yongning@example.test",)].get_body(("plain",)).get_content()
    assert "仍未整改的问题（再次提醒，1 项）" in recall and "已发现 8 天" in recall

    # the report was corrected: the next run no longer finds 永宁县's error, and says so once
    still = [f for f in office.first.findings if f.rule_code != "row_total"]
    office.sink.received.clear()
    office.next_run("run-4", JAN + timedelta(days=9), still, recall_after_days=7)
    resolved = office.received()[("yongning@example.test",)].get_body(("plain",)).get_content()
    assert "已整改的问题（1 项）" in resolved and "仍未整改" not in resolved and "行合计" in resolved
    office.sink.received.clear()
    office.next_run("run-5", JAN + timedelta(days=10), still, recall_after_days=7)
    assert office.sink.received == []


def test_warnings_go_in_a_weekly_digest_only(office):
    office.alert("run-1", JAN)
    daily = office.received()[("yongning@example.test",)]
    assert "按时发布" not in daily.get_body(("html",)).get_content()  # a warning: not in the daily email
    assert "按时发布" not in daily.get_body(("plain",)).get_content()
    weekly = office.received(weekly=True)
    assert sorted(weekly) == [("office@example.test",), ("yongning@example.test",)]
    assert "按时发布" in bodies(weekly[("yongning@example.test",)]) and "平罗" not in bodies(weekly[("yongning@example.test",)])
    office.sink.received.clear()
    office.next_run("run-2", JAN + timedelta(days=8))
    assert office.received(weekly=True) == {}  # no new warning since the last digest


def _texts(office) -> dict[tuple[str, ...], str]:
    """The plain text of each daily email of the run, by recipients."""
    return {to: message.get_body(("plain",)).get_content() for to, message in office.received().items()}


NOTICE = "关于永宁县人民政府政府信息公开工作年度报告存在问题的整改通知（草稿）"


def test_a_correction_notice_goes_out_once_and_again_only_when_its_findings_change(office):
    row_total = office.first.findings[0]
    office.alert("run-1", JAN)
    office.decide(row_total, "confirmed")
    office.sink.received.clear()
    office.next_run("run-2", JAN + timedelta(days=1))
    message = office.received()[("yongning@example.test",)]
    assert "1 份整改通知" in message["Subject"]
    for body in (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()):
        assert "整改通知（草稿，1 份）" in body and NOTICE in body
        assert "报告中印为“15”" in body and "永宁县人民政府：" in body  # the notice's own text, as in its DOCX
    assert NOTICE in _texts(office)[("office@example.test",)]
    assert ("pingluo@example.test",) not in office.received()  # 平罗县 has nothing new

    office.sink.received.clear()
    office.next_run("run-3", JAN + timedelta(days=2))
    assert office.sink.received == []  # sent: not again

    # a new break of the same report, confirmed too: the notice now covers two findings and goes out again
    identity = Finding(row_total.report_id, "stated_identity", "error", "application[*, legal_person_other]",
                       Decimal(1), Decimal(0), "[stated_identity] 勾稽关系不符：其他组织列 收到+结转=1，结果+结转=0（差 1）")
    office.next_run("run-4", JAN + timedelta(days=3), [*office.first.findings, identity])
    office.decide(identity, "confirmed")
    office.sink.received.clear()
    office.next_run("run-5", JAN + timedelta(days=4), [*office.first.findings, identity])
    text = _texts(office)[("yongning@example.test",)]
    assert text.count(NOTICE) == 1 and "1. " in text and "2. " in text and "报告中印为“15”" in text

    # the warehouse rebuilt from nothing: the notices' journal keeps them told
    office.published.unlink()
    rebuilt = office.first_run("run-6", JAN + timedelta(days=5))
    rebuilt.findings.append(identity)
    publish_run(office.published, rebuilt, journal=office.journal)
    office.sink.received.clear()
    office.alert("run-6", JAN + timedelta(days=5))
    assert office.sink.received and all(NOTICE not in bodies(m) for m in office.received().values())


def test_confirmed_findings_are_recalled_as_confirmed_and_waived_ones_are_never_told(office):
    row_total, _, identity = office.first.findings  # 永宁县 row_total, a warning, 平罗县 stated_identity
    office.alert("run-1", JAN, recall_after_days=7)
    office.decide(row_total, "confirmed")
    office.decide(identity, "waived")
    office.sink.received.clear()
    office.next_run("run-2", JAN + timedelta(days=8), recall_after_days=7)
    texts = _texts(office)
    yongning = texts[("yongning@example.test",)]
    assert "仍未整改的问题（再次提醒，1 项）" in yongning and "行合计（已确认，需整改）" in yongning
    assert "新发现的问题" not in yongning
    assert "已确认，需整改" in office.received()[("yongning@example.test",)].get_body(("html",)).get_content()
    assert ("pingluo@example.test",) not in texts  # the waived error is not recalled
    assert "平罗县城关镇人民政府" not in texts[("office@example.test",)]

    # the waived finding's report was corrected: its resolution is not told either (it was no problem)
    office.sink.received.clear()
    office.next_run("run-3", JAN + timedelta(days=9), [row_total, office.first.findings[1]], recall_after_days=7)
    assert ("pingluo@example.test",) not in _texts(office)
    assert "已整改" not in _texts(office).get(("office@example.test",), "")


@pytest.mark.parametrize("max_bytes", [1_000_000, 150_000])
def test_an_email_of_thousands_of_problems_lists_the_cap_says_how_many_are_left_out_and_keeps_its_size(office, max_bytes):
    yongning = office.reports["yongning_2024"]
    many = [Finding(yongning.report_id, "row_total", "error", f"application[row{i}, total]", Decimal(i), Decimal(i + 1),
                    f"[row_total] 总计列 {i + 1} 不等于各类申请人之和 {i}") for i in range(3000)]
    run = unchanged_run("run-2", JAN, office.reports, [*office.first.findings, *many])
    next(c for c in run.crawl if c.portal == YONGNING).health.extend(
        HealthProblem("yongning", f"{YONGNING.column_url}{i}.html", "pages_failed", "HTTP 404 " + "x" * 400)
        for i in range(2000))
    publish_run(office.published, run)
    office.alert("run-2", JAN, max_email_bytes=max_bytes)

    [saved] = [m for m in office.sink.received if m.recipients == ["yongning@example.test"] and "每周" not in m.subject]
    size = saved.eml.stat().st_size
    print(f"\n永宁县's email of 3001 errors and 2000 portal problems, bound {max_bytes} bytes: {size} bytes")
    assert size <= max_bytes
    message = email.message_from_bytes(saved.eml.read_bytes(), policy=email.policy.default)
    assert "1 份年报新发现问题" in message["Subject"] and "2000 个门户网站问题" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    new, portal = text.split("门户网站问题（2000 项）")
    assert "一、新发现的问题（3001 项）" in new
    [left_out] = re.findall(r"另有 (\d+) 项未列出，见 nianbao findings / 数据仓库", new)
    assert 0 < new.count("    报告所印数字 ") <= 200 and new.count("    报告所印数字 ") + int(left_out) == 3001
    [left_out] = re.findall(r"另有 (\d+) 项未列出，见 nianbao findings / 数据仓库", portal)
    assert portal.count("  - 永宁县：") <= 200 and portal.count("  - 永宁县：") + int(left_out) == 2000
    html = message.get_body(("html",)).get_content()
    assert html.count("项未列出，见 nianbao findings / 数据仓库") == 2
    # told, all of them: the next run announces none again
    office.sink.received.clear()
    office.next_run("run-3", JAN + timedelta(days=1), [*office.first.findings, *many])
    assert office.sink.received == []


def test_a_notice_sent_by_a_run_that_did_not_publish_is_not_sent_again(office):
    office.alert("run-1", JAN)
    office.decide(office.first.findings[0], "confirmed")
    publish_run(office.published, unchanged_run("run-2", JAN + timedelta(days=1), office.reports, office.first.findings),
                journal=office.journal)
    office.sink.received.clear()
    with pytest.raises(RuntimeError), warehouse.building(office.published) as con:  # sent, then the build dies
        smtp = SmtpSettings(port=office.sink.port, sender="nianbao@example.test", retry_seconds=0)
        alerts.alert_run(con, RunSummary("run-2", 6, 2, 6, 0), PORTALS,
                         AlertSettings(provincial_recipients=["office@example.test"], smtp=smtp), OfficeSettings(),
                         office.folder / "reports", office.folder / "outbox_journal",
                         office.folder / "decisions" / "killed-before-journalling.jsonl", JAN + timedelta(days=1))
        raise RuntimeError("killed before publishing")
    assert NOTICE in _texts(office)[("yongning@example.test",)]
    office.sink.received.clear()
    office.next_run("run-3", JAN + timedelta(days=2))  # the delivery journal brings the message and its notice
    assert office.sink.received == []
