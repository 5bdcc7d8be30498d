"""What the office must hear after a run, read from the warehouse the run is building.

Per county: the error findings not yet announced, the unresolved errors (open, or confirmed by the office)
last announced `recall_after_days` ago or more, the announced findings since resolved, the warnings not yet
announced (only in the weekly digest), the reports replaced by a corrected version not yet told, the
correction notices (整改通知) whose findings have not been sent in a notice, and this run's portal problems.
A finding counts as announced once a queued email mentions it (alert_mentions), a notice or a replacement
once a queued email carries it (alert_announcements): queued emails are never lost (alerts.outbox), so
"announced" never depends on a run having been the one that found it. What the office waived is never told.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb

from alerts.correction import Notice, confirmed_notices
from expectations.publication import OFFICE_TIME_ZONE
from nianbao.config import OfficeSettings
from nianbao.models import Portal
from nianbao.schema import printed_location

NEW, RECALL, RESOLVED, WARNING = "new", "recall", "resolved", "warning"
CORRECTION_NOTICE, REPORT_REPLACED = "correction_notice", "report_replaced"  # alert_announcements.kind

HEALTH_TITLES = {
    "unreachable": "门户无法访问",
    "column_empty": "栏目突然无内容",
    "column_shrunk": "栏目条目骤减",
    "column_not_understood": "栏目未能读出年报",
    "list_pages_capped": "列表页超出上限",
    "pages_failed": "列表页抓取失败",
    "robots_disallowed": "年报页面被网站爬虫协议禁止抓取",
    "redirect_refused": "年报网址跳转到不允许抓取的网址",
    "crawl_time_limit": "抓取超出时限，部分条目未访问",
}


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    reports_loaded: int
    reports_flagged: int
    documents_downloaded: int
    fetch_failures: int
    reports_extracted: int = 0  # read this run: new, changed, or new to this extractor version
    alerts_sent: int = 0  # emails the SMTP server accepted in this run (queued by this run or an earlier one)
    alerts_undelivered: int = 0  # emails still in the outbox after this run's attempts
    report: str | None = None  # the run's HTML report for the province (alerts.report)


@dataclass(frozen=True)
class FindingNotice:
    """One finding as the people who must fix the report read it."""

    finding_id: str
    opened_run: str
    severity: str
    rule_code: str
    rule_name: str
    rule_explanation: str
    county: str
    agency: str | None
    title: str
    year: int | None
    report_id: str
    media_type: str
    location: str
    page: int | None
    expected: Decimal | None
    observed: Decimal | None
    imbalance: Decimal | None
    message: str
    document_url: str | None  # None: the report was not found (not_published)
    detail_url: str | None
    opened_at: datetime
    status: str

    @property
    def where(self) -> str:
        """The printed table, row and column, e.g. 三、收到和处理政府信息公开申请情况 · 行“(一)予以公开” · 列“总计”."""
        table, row, column = printed_location(self.location)
        parts = [table or "—"]
        if row:
            parts.append(f"“{row}”" if self.location.startswith("reports[") else f"行“{row}”")
        if column:
            parts.append(f"列“{column}”")
        return " · ".join(parts)

    @property
    def document_link(self) -> str:
        """The document, opened at the finding's page where the format allows (a PDF viewer honours #page=)."""
        if self.page and self.media_type == "pdf":
            return f"{self.document_url}#page={self.page}"
        return self.document_url

    def days_open(self, now: datetime) -> int:
        return max(0, (now - self.opened_at).days)


@dataclass(frozen=True)
class PortalNotice:
    county: str
    portal_id: str
    problem: str
    url: str
    detail: str

    @property
    def title(self) -> str:
        return HEALTH_TITLES.get(self.problem, self.problem)

    @property
    def reason(self) -> str:
        """The crawler's technical detail, said in Chinese first (the detail itself follows for the IT staff)."""
        if re.search(r"[\u4e00-\u9fff]", self.detail):  # the crawler said it in Chinese already
            return self.detail
        said = "；".join(dict.fromkeys(chinese for pattern, chinese in _REASONS if re.search(pattern, self.detail, re.I)))
        technical = self.detail if len(self.detail) <= 300 else self.detail[:300] + "…"
        if not technical:
            return said
        return f"{said}（技术细节：{technical}）" if said else f"技术细节：{technical}"


# Technical failure texts of the crawler (crawler/fetcher.py, crawler/core.py) → what they mean, in Chinese.
_REASONS = (
    (r"HTTP 404", "网页不存在（HTTP 404），栏目或文件可能已改版或删除"),
    (r"HTTP 403", "网站拒绝访问（HTTP 403）"),
    (r"HTTP 5\d\d", "网站服务器出错（HTTP 5xx）"),
    (r"HTTP 429", "网站限制访问频率（HTTP 429）"),
    (r"timeout|timed out", "网站响应超时"),
    (r"refused|ConnectError", "无法连接网站服务器"),
    (r"name or service not known|getaddrinfo|nodename", "网站域名无法解析"),
    (r"certificate|SSL", "网站证书错误"),
    (r"lists no items", "栏目页没有列出任何条目（上次运行时有条目）"),
    (r"failed:", "部分详情页或报告文件下载失败"),
    (r"too large|exceeds", "文件超过大小上限"),
    (r"robots", "网站的爬虫协议（robots.txt）禁止抓取"),
    (r"whose host is not allowed", "网址跳转到本门户登记之外的网站（如属正常，可在门户登记的 allowed_hosts 中加入该网站）"),
)


@dataclass(frozen=True)
class ReportVersion:
    report_id: str
    agency: str | None
    year: int | None
    title: str
    published: date | None
    document_url: str
    first_seen_at: datetime


@dataclass
class ReplacedReport:
    """A report its portal replaced under the same URL (a corrected version), and what became of the old
    version's findings: gone from the new version (resolved by the correction) or still there."""

    county: str
    old: ReportVersion
    new: ReportVersion
    resolved: list[FindingNotice] = field(default_factory=list)
    still: list[FindingNotice] = field(default_factory=list)


@dataclass
class CountyNotices:
    """Everything one county must hear after a run (recipients: the county's own, possibly none)."""

    county: str
    recipients: tuple[str, ...] = ()
    new: list[FindingNotice] = field(default_factory=list)
    recalls: list[FindingNotice] = field(default_factory=list)
    resolved: list[FindingNotice] = field(default_factory=list)
    warnings: list[FindingNotice] = field(default_factory=list)
    replaced: list[ReplacedReport] = field(default_factory=list)
    correction_notices: list[Notice] = field(default_factory=list)
    portal_problems: list[PortalNotice] = field(default_factory=list)

    @property
    def has_daily_news(self) -> bool:
        return bool(self.new or self.recalls or self.resolved or self.replaced or self.correction_notices
                    or self.portal_problems)

    def announcements(self) -> list[tuple[str, str, list[str]]]:
        """(kind, subject, covers) of the replacements and correction notices the daily email tells."""
        return ([(REPORT_REPLACED, r.old.report_id, [r.new.report_id]) for r in self.replaced]
                + [(CORRECTION_NOTICE, n.subject, n.covers) for n in self.correction_notices])

    def mentions(self, daily: bool) -> list[tuple[str, str, str]]:
        """(finding_id, reason, opened_run) of what the daily email (or the warnings digest) tells."""
        groups = ((NEW, self.new), (RECALL, self.recalls), (RESOLVED, self.resolved)) if daily else ((WARNING, self.warnings),)
        return [(f.finding_id, reason, f.opened_run) for reason, fs in groups for f in fs]


# The display fields of a finding (f: dq_findings, r: its report), with the page of the cells its location
# names (table[row, column]; `*` for a whole row or column) or of the sentence (text[quantity]).
_FINDING_ROWS = r"""
    WITH located AS (
        SELECT *, regexp_extract(location, '^(\w+)\[([^,\]]+)(?:,\s*([^\]]+))?\]$', ['t', 'r', 'c']) AS l
        FROM dq_findings
    )
    SELECT f.finding_id, f.opened_run, f.severity, f.rule_code, coalesce(q.name, f.rule_code) AS rule_name,
           coalesce(q.explanation, '') AS rule_explanation, coalesce(r.county, f.county) AS county,
           coalesce(r.agency, f.agency) AS agency, coalesce(r.title, f.year || ' 年度报告（未在门户网站发现）') AS title,
           coalesce(r.year, f.year) AS year,
           coalesce(r.report_id, 'missing:' || f.agency_id || ':' || f.year) AS report_id,
           coalesce(r.media_type, '') AS media_type, f.location,
           coalesce(
               (SELECT min(c.page) FROM report_cells c
                WHERE c.report_id = f.report_id AND c.table_code = f.l.t
                  AND f.l.r IN ('*', c.row_code) AND f.l.c IN ('', '*', c.column_code)),
               (SELECT min(n.page) FROM narrative_figures n
                WHERE f.l.t = 'text' AND n.report_id = f.report_id AND n.quantity_code = f.l.r)
           ) AS page,
           f.expected, f.observed, f.imbalance, f.message, r.document_url, r.detail_url,
           coalesce(o.started_at, r.first_seen_at)::TIMESTAMPTZ AS opened_at, f.status
    FROM located f
    LEFT JOIN reports r USING (report_id)  -- a finding without a report (not_published) names its own place
    LEFT JOIN dq_rules q USING (rule_code)
    LEFT JOIN runs o ON o.run_id = f.opened_run
"""
_ORDER = " ORDER BY 7, 8 NULLS LAST, 10, 11, f.rule_code, f.location"  # county, agency, year, report


def _unannounced(*reasons: str) -> str:
    """No email mentions this opening of the finding for any of `reasons`."""
    listed = ", ".join(f"'{reason}'" for reason in reasons)
    return f"""NOT EXISTS (SELECT 1 FROM alert_mentions m WHERE m.finding_id = f.finding_id
                           AND m.opened_run = f.opened_run AND m.reason IN ({listed}))"""


# The office's latest decision on the finding is to waive it (kept through resolution and supersession).
_WAIVED = """coalesce((SELECT d.decision FROM finding_decisions d WHERE d.finding_id = f.finding_id
                       ORDER BY d.decided_at DESC, d.decision_id DESC LIMIT 1), '') = 'waived'"""

_LAST_ANNOUNCED = """(SELECT max(o.queued_at)::TIMESTAMPTZ FROM alert_mentions m JOIN alert_outbox o USING (message_id)
                      WHERE m.finding_id = f.finding_id AND m.opened_run = f.opened_run
                        AND m.reason IN ('new', 'recall'))"""


def findings(con: duckdb.DuckDBPyConnection, where: str, params: Iterable = ()) -> list[FindingNotice]:
    """Findings with their display fields, filtered by a condition on f (dq_findings) and r (reports)."""
    rows = con.execute(_FINDING_ROWS + f" WHERE {where}" + _ORDER, list(params)).fetchall()
    return [FindingNotice(*row) for row in rows]


def portal_problems(con: duckdb.DuckDBPyConnection, run_id: str) -> list[PortalNotice]:
    rows = con.execute(
        """
        SELECT p.county, h.portal_id, h.problem, h.url, coalesce(h.detail, '')
        FROM portal_health h JOIN portals p USING (portal_id)
        WHERE h.run_id = ? ORDER BY p.county, h.portal_id, h.seq
        """,
        [run_id],
    ).fetchall()
    return [PortalNotice(*row) for row in rows]


def warnings_digest_due(con: duckdb.DuckDBPyConnection, now: datetime, every_days: float) -> bool:
    """Whether the weekly warnings digest is due: none queued in the last `every_days` days."""
    (last,) = con.execute("SELECT max(queued_at)::TIMESTAMPTZ FROM alert_outbox WHERE kind = 'warnings'").fetchone()
    return last is None or now - last >= timedelta(days=every_days)


def _version(con: duckdb.DuckDBPyConnection, report_id: str) -> ReportVersion:
    return ReportVersion(*con.execute(
        """SELECT report_id, agency, year, title, coalesce(published_date, written_date), document_url,
                  first_seen_at::TIMESTAMPTZ FROM reports WHERE report_id = ?""",
        [report_id],
    ).fetchone())


def replaced_reports(con: duckdb.DuckDBPyConnection) -> list[ReplacedReport]:
    """The replacements of a report by a new version under its URL that no email has told yet."""
    pairs = con.execute(
        f"""SELECT r.county, r.report_id, r.superseded_by FROM reports r
            WHERE r.superseded_by IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM alert_announcements a WHERE a.kind = '{REPORT_REPLACED}' AND a.subject = r.report_id
                  AND list_contains(a.covers, r.superseded_by))
            ORDER BY r.county, r.agency, r.year, r.report_id"""
    ).fetchall()
    # the new version breaks the same rule at the same place: the correction did not fix it
    still = """EXISTS (SELECT 1 FROM dq_findings n WHERE n.report_id = f.superseded_by AND n.rule_code = f.rule_code
                       AND n.location = f.location AND n.status IN ('open', 'confirmed', 'waived'))"""
    replaced = []
    for county, old, new in pairs:
        superseded = f"f.report_id = ? AND f.status = 'superseded' AND NOT {_WAIVED}"
        replaced.append(ReplacedReport(
            county, _version(con, old), _version(con, new),
            resolved=findings(con, f"{superseded} AND NOT {still}", [old]),
            still=findings(con, f"{superseded} AND {still}", [old]),
        ))
    return replaced


def unsent_notices(con: duckdb.DuckDBPyConnection, now: datetime, office: OfficeSettings) -> list[Notice]:
    """The correction notices whose findings differ from those of the last notice the agency was sent (or
    that were never sent): a notice goes out once, and again only when its findings change."""
    sent = dict(con.execute(
        f"""SELECT subject, list_sort(covers) FROM alert_announcements WHERE kind = '{CORRECTION_NOTICE}'
            QUALIFY row_number() OVER (PARTITION BY subject ORDER BY queued_at DESC, message_id DESC) = 1"""
    ).fetchall())
    issued = now.astimezone(OFFICE_TIME_ZONE).date()
    return [n for n in confirmed_notices(con, issued, office.correction_days, office.issuer)
            if sent.get(n.subject) != n.covers]


def due_notices(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    now: datetime,
    portals: list[Portal],
    recall_after_days: float,
    include_warnings: bool,
    office: OfficeSettings,
) -> list[CountyNotices]:
    """Per county (in registry order, then any other county with news), what it must hear now."""
    recipients: dict[str, list[str]] = {}
    for portal in portals:  # a county may have several portals (government and departments)
        listed = recipients.setdefault(portal.county, [])
        listed += [r for r in portal.recipients if r not in listed]
    by_county = {county: CountyNotices(county, tuple(rs)) for county, rs in recipients.items()}

    def county(name: str) -> CountyNotices:
        return by_county.setdefault(name, CountyNotices(name))

    for f in findings(con, f"f.status = 'open' AND f.severity = 'error' AND {_unannounced(NEW)}"):
        county(f.county).new.append(f)
    recall_before = now - timedelta(days=recall_after_days)
    for f in findings(con, f"f.status IN ('open', 'confirmed') AND f.severity = 'error' AND {_LAST_ANNOUNCED} <= ?",
                      [recall_before]):
        county(f.county).recalls.append(f)
    # a resolution is news only to those who were told of the finding
    for f in findings(con, f"f.status = 'resolved' AND NOT {_unannounced(NEW, WARNING)} AND {_unannounced(RESOLVED)}"
                           f" AND NOT {_WAIVED}"):
        county(f.county).resolved.append(f)
    if include_warnings:
        for f in findings(con, f"f.status = 'open' AND f.severity = 'warning' AND {_unannounced(WARNING)}"):
            county(f.county).warnings.append(f)
    for replaced in replaced_reports(con):
        county(replaced.county).replaced.append(replaced)
    for notice in unsent_notices(con, now, office):
        county(notice.county).correction_notices.append(notice)
    for problem in portal_problems(con, run_id):
        county(problem.county).portal_problems.append(problem)
    return list(by_county.values())
