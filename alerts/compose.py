"""The emails, written for the people who must fix the reports: one per county with only that county's data,
the province's digest, and the weekly warnings digest.

Each is a standard-library EmailMessage: text and HTML as multipart/alternative (inside multipart/mixed when
the run report travels as an attachment), with Date and Message-ID. The HTML is rendered by Jinja2 with
autoescape on, so text from the web (titles, agencies, URLs, sentences) cannot inject markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from alerts.notices import CountyNotices, RunSummary
from nianbao.runs import RunRecord
from alerts.templating import render
from expectations.publication import RULE as NOT_PUBLISHED

COUNTY, PROVINCE, WARNINGS, RUN_FAILED = "county", "province", "warnings", "run_failed"
STAGE_NAMES = {"crawl": "抓取", "extract": "抽取", "load": "入库", "validate": "校验", "publish": "发布", "alerts": "发送提醒", "office_pages": "写入记分卡网站和整改通知"}


@dataclass(frozen=True)
class Attachment:
    filename: str
    html: str


@dataclass(frozen=True)
class Email:
    """A composed email and what it tells (alert_mentions rows: finding_id, reason, opened_run)."""

    kind: str  # county | province | warnings
    county: str | None
    message: EmailMessage
    mentions: tuple[tuple[str, str, str], ...]

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]



def _new_counts(new: list) -> tuple[int, int]:
    """(reports with new findings, reports not published): a missing report is not a report with a problem."""
    missing = {f.report_id for f in new if f.rule_code == NOT_PUBLISHED}
    return len({f.report_id for f in new} - missing), len(missing)

def _message(kind: str, county: str | None, recipients: tuple[str, ...], subject: str, sender: str,
             now: datetime, attachment: Attachment | None, mentions, **context) -> Email:
    message_id = make_msgid(idstring=kind, domain=sender.rpartition("@")[2] or "nianbao.localhost")
    context |= {"subject": subject, "message_id": message_id, "now": now}
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message.set_content(render(f"{kind}.txt", **context))
    message.add_alternative(render(f"{kind}.html", **context), subtype="html")
    if attachment is not None:
        message.add_attachment(attachment.html, subtype="html", filename=attachment.filename)
    return Email(kind, county, message, tuple(mentions))


def _counted(parts: list[tuple[int, str]]) -> str:
    return "，".join(text.format(count) for count, text in parts if count) or "无新情况"


def county_email(n: CountyNotices, run_id: str, sender: str, now: datetime,
                 report_link: str | None, attachment: Attachment | None) -> Email:
    """The county's own email: only its findings and portals."""
    reports, missing = _new_counts(n.new)
    subject = f"[年报监测·{n.county}] " + _counted([
        (reports, "{} 份年报新发现问题"), (missing, "{} 份年报应报未报"), (len(n.recalls), "{} 项问题仍未整改"),
        (len(n.resolved), "{} 项问题已整改"), (len(n.portal_problems), "{} 个门户网站问题"),
    ]) + f"（{now:%Y-%m-%d}）"
    return _message(COUNTY, n.county, n.recipients, subject, sender, now, attachment, n.mentions(daily=True),
                    n=n, run_id=run_id, report_link=report_link)


def province_email(counties: list[CountyNotices], summary: RunSummary, recipients: tuple[str, ...], sender: str,
                   now: datetime, report_link: str | None, attachment: Attachment | None) -> Email:
    """The province's digest: every county's counts and details."""
    reports, missing = _new_counts([f for n in counties for f in n.new])
    subject = "[年报监测·全省汇总] " + _counted([
        (reports, "{} 份年报新发现问题"), (missing, "{} 份年报应报未报"),
        (sum(len(n.recalls) for n in counties), "{} 项问题仍未整改"),
        (sum(len(n.resolved) for n in counties), "{} 项问题已整改"),
        (sum(len(n.portal_problems) for n in counties), "{} 个门户网站问题"),
    ]) + f"（{now:%Y-%m-%d}）"
    mentions = [m for n in counties for m in n.mentions(daily=True)]
    return _message(PROVINCE, None, recipients, subject, sender, now, attachment, mentions,
                    counties=counties, summary=summary, run_id=summary.run_id, report_link=report_link)


def warnings_email(counties: list[CountyNotices], recipients: tuple[str, ...], sender: str, now: datetime,
                   report_link: str | None, county: str | None = None) -> Email:
    """The weekly digest of warnings not yet told: of one county (`county`) or of the province."""
    count = sum(len(n.warnings) for n in counties)
    scope = county or "全省"
    subject = f"[年报监测·{scope}·每周警告汇总] {count} 项警告（{now:%Y-%m-%d}）"
    mentions = [m for n in counties for m in n.mentions(daily=False)]
    return _message(WARNINGS, county, recipients, subject, sender, now, None, mentions,
                    counties=counties, scope="" if county else "全省", report_link=report_link)


def run_failed_email(record: RunRecord, recipients: tuple[str, ...], sender: str, now: datetime) -> Email:
    """The province is told that a run failed, at which stage and why: nothing it found was published."""
    stage = STAGE_NAMES.get(record.stage or "", record.stage or "开始")
    subject = f"[年报监测·全省] 运行失败（{stage}阶段，运行 {record.run_id}）"
    return _message(RUN_FAILED, None, recipients, subject, sender, now, None, (), record=record, stage=stage)
