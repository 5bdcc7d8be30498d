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
from email.policy import SMTP
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
class EmailLimits:
    """At most `items_per_section` items listed in each section, and at most `max_bytes` bytes as sent."""

    items_per_section: int
    max_bytes: int


@dataclass(frozen=True)
class Email:
    """A composed email and what it tells: alert_mentions rows (finding_id, reason, opened_run) and
    alert_announcements rows (kind, subject, covers)."""

    kind: str  # county | province | warnings
    county: str | None
    message: EmailMessage
    mentions: tuple[tuple[str, str, str], ...]
    announcements: tuple[tuple[str, str, list[str]], ...] = ()

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]



def _new_counts(new: list) -> tuple[int, int]:
    """(reports with new findings, reports not published): a missing report is not a report with a problem."""
    missing = {f.report_id for f in new if f.rule_code == NOT_PUBLISHED}
    return len({f.report_id for f in new} - missing), len(missing)

def _caps(cap: int):
    """The number of items per section tried, largest first: the configured cap, halved down to none."""
    while cap:
        yield cap
        cap //= 2
    yield 0


def _message(kind: str, county: str | None, recipients: tuple[str, ...], subject: str, sender: str,
             now: datetime, attachment: Attachment | None, limits: EmailLimits | None, mentions, announcements=(),
             **context) -> Email:
    """The message, within its limits (None: a message without lists): every section capped at
    limits.items_per_section; if it is still too large, first without the attachment, then with half as many
    items listed per section, down to none (the counts and the subject always tell everything, so nothing is
    silently dropped)."""
    message_id = make_msgid(idstring=kind, domain=sender.rpartition("@")[2] or "nianbao.localhost")
    context |= {"subject": subject, "message_id": message_id, "now": now}
    if limits is None:
        tries = [(None, attachment)]
    else:
        tries = [(limits.items_per_section, attachment)] if attachment is not None else []
        tries += [(cap, None) for cap in _caps(limits.items_per_section)]
    for cap, attached in tries:
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = sender
        message["To"] = ", ".join(recipients)
        message["Date"] = format_datetime(now)
        message["Message-ID"] = message_id
        message.set_content(render(f"{kind}.txt", cap=cap, attached=attached is not None, **context))
        message.add_alternative(render(f"{kind}.html", cap=cap, attached=attached is not None, **context), subtype="html")
        if attached is not None:
            message.add_attachment(attached.html, subtype="html", filename=attached.filename)
        if limits is None or len(message.as_bytes(policy=SMTP)) <= limits.max_bytes:
            break
    return Email(kind, county, message, tuple(mentions), tuple(announcements))


def _counted(parts: list[tuple[int, str]]) -> str:
    return "，".join(text.format(count) for count, text in parts if count) or "无新情况"


def county_email(n: CountyNotices, run_id: str, sender: str, now: datetime,
                 report_link: str | None, attachment: Attachment | None, limits: EmailLimits) -> Email:
    """The county's own email: only its findings, replaced reports, correction notices and portals."""
    reports, missing = _new_counts(n.new)
    subject = f"[年报监测·{n.county}] " + _counted([
        (reports, "{} 份年报新发现问题"), (missing, "{} 份年报应报未报"), (len(n.recalls), "{} 项问题仍未整改"),
        (len(n.resolved), "{} 项问题已整改"), (len(n.replaced), "{} 份年报已更正/替换"),
        (len(n.correction_notices), "{} 份整改通知"), (len(n.portal_problems), "{} 个门户网站问题"),
    ]) + f"（{now:%Y-%m-%d}）"
    return _message(COUNTY, n.county, n.recipients, subject, sender, now, attachment, limits, n.mentions(daily=True),
                    n.announcements(), n=n, run_id=run_id, report_link=report_link)


def province_email(counties: list[CountyNotices], summary: RunSummary, recipients: tuple[str, ...], sender: str,
                   now: datetime, report_link: str | None, attachment: Attachment | None, limits: EmailLimits) -> Email:
    """The province's digest: every county's counts and details."""
    reports, missing = _new_counts([f for n in counties for f in n.new])
    subject = "[年报监测·全省汇总] " + _counted([
        (reports, "{} 份年报新发现问题"), (missing, "{} 份年报应报未报"),
        (sum(len(n.recalls) for n in counties), "{} 项问题仍未整改"),
        (sum(len(n.resolved) for n in counties), "{} 项问题已整改"),
        (sum(len(n.replaced) for n in counties), "{} 份年报已更正/替换"),
        (sum(len(n.correction_notices) for n in counties), "{} 份整改通知"),
        (sum(len(n.portal_problems) for n in counties), "{} 个门户网站问题"),
    ]) + f"（{now:%Y-%m-%d}）"
    mentions = [m for n in counties for m in n.mentions(daily=True)]
    announcements = [a for n in counties for a in n.announcements()]
    return _message(PROVINCE, None, recipients, subject, sender, now, attachment, limits, mentions, announcements,
                    counties=counties, summary=summary, run_id=summary.run_id, report_link=report_link)


def warnings_email(counties: list[CountyNotices], recipients: tuple[str, ...], sender: str, now: datetime,
                   report_link: str | None, limits: EmailLimits, county: str | None = None) -> Email:
    """The weekly digest of warnings not yet told: of one county (`county`) or of the province."""
    count = sum(len(n.warnings) for n in counties)
    scope = county or "全省"
    subject = f"[年报监测·{scope}·每周警告汇总] {count} 项警告（{now:%Y-%m-%d}）"
    mentions = [m for n in counties for m in n.mentions(daily=False)]
    return _message(WARNINGS, county, recipients, subject, sender, now, None, limits, mentions,
                    counties=counties, scope="" if county else "全省", report_link=report_link)


def run_failed_email(record: RunRecord, recipients: tuple[str, ...], sender: str, now: datetime) -> Email:
    """The province is told that a run failed, at which stage and why: nothing it found was published."""
    stage = STAGE_NAMES.get(record.stage or "", record.stage or "开始")
    subject = f"[年报监测·全省] 运行失败（{stage}阶段，运行 {record.run_id}）"
    return _message(RUN_FAILED, None, recipients, subject, sender, now, None, None, (),
                    record=record, stage=stage)
