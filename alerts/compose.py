"""The morning email: new error findings grouped by county and agency, portal-health problems, one summary line.

Plain functions from records to `Alert`s (subject, HTML, text); sending is alerts.send. Every text that came
from the web (titles, agencies, URLs, sentences) is escaped before it enters the HTML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from itertools import groupby

from nianbao.models import HealthProblem, Portal
from nianbao.runs import RunRecord
from nianbao.schema import location_label


@dataclass(frozen=True)
class FlaggedFinding:
    """A new error finding with the report facts an office needs to act on it (warehouse.read.new_findings)."""

    finding_id: str
    rule_code: str
    location: str
    expected: object
    observed: object
    imbalance: object
    message: str
    county: str
    agency: str
    title: str
    year: int | None
    document_url: str
    detail_url: str

    @classmethod
    def from_row(cls, row: dict) -> "FlaggedFinding":
        """From a row of warehouse.read.new_findings."""
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    reports_loaded: int
    reports_flagged: int
    documents_downloaded: int
    fetch_failures: int
    reports_extracted: int = 0  # read this run: new, changed, or new to this extractor version


@dataclass(frozen=True)
class Alert:
    recipients: tuple[str, ...]
    subject: str
    html: str
    text: str


HEALTH_TITLES = {
    "unreachable": "门户无法访问",
    "column_empty": "栏目突然无内容",
    "column_shrunk": "栏目条目骤减",
    "column_not_understood": "栏目未能读出年报",
    "list_pages_capped": "列表页超出上限",
    "pages_failed": "列表页抓取失败",
    "crawl_time_limit": "门户抓取超时",
}
STAGE_NAMES = {"crawl": "抓取", "extract": "抽取", "load": "入库", "validate": "校验", "publish": "发布", "alerts": "发送提醒"}


def compose_run_failed(record: RunRecord, provincial_recipients: list[str]) -> list[Alert]:
    """The email that a run failed: nothing it found was published, and why."""
    if not provincial_recipients:
        return []
    stage = STAGE_NAMES.get(record.stage or "", record.stage or "开始")
    line = f"运行 {record.run_id} 在“{stage}”阶段失败，本次运行的结果未发布。原因：{record.error}"
    return [Alert(
        tuple(provincial_recipients),
        f"[年报监测·全省] 运行失败（{stage}阶段，运行 {record.run_id}）",
        f'<html><body style="font-family: sans-serif"><p>{escape(line)}</p>'
        "<p>修复原因后可重新运行 <code>nianbao run</code>；运行记录见 <code>nianbao sql \"SELECT * FROM runs\"</code>。</p>"
        "</body></html>",
        line + '\n修复原因后可重新运行 nianbao run；运行记录见 nianbao sql "SELECT * FROM runs"。',
    )]


def compose_alerts(
    summary: RunSummary,
    findings: list[FlaggedFinding],
    health: list[HealthProblem],
    portals: list[Portal],
    provincial_recipients: list[str],
    data_docs_url: str,
    send_when_nothing_new: bool = False,
) -> list[Alert]:
    """One email to the provincial catch-all with everything, and one to each county that has its own
    recipients with that county's part. Nothing new → no email, unless configured."""
    county_of_portal = {p.portal_id: p.county for p in portals}
    health_by_county: dict[str, list[HealthProblem]] = defaultdict(list)
    for problem in health:
        health_by_county[county_of_portal.get(problem.portal_id, problem.portal_id)].append(problem)

    place = {p.portal_id: f"{p.county}（{p.portal_id}）" for p in portals}
    alerts = []
    if provincial_recipients and (findings or health or send_when_nothing_new):
        alerts.append(_alert(tuple(provincial_recipients), summary, findings, health, data_docs_url, "全省", place))
    for portal in portals:
        county_findings = [f for f in findings if f.county == portal.county]
        county_health = health_by_county.get(portal.county, [])
        if portal.recipients and (county_findings or county_health):
            alerts.append(
                _alert(portal.recipients, summary, county_findings, county_health, data_docs_url, portal.county, place)
            )
    return alerts


def _alert(recipients, summary, findings, health, data_docs_url, scope, place) -> Alert:
    reports = {(f.county, f.agency, f.title) for f in findings}
    parts = []
    if findings:
        parts.append(f"{len(reports)} 份年报勾稽不符")
    if health:
        parts.append(f"{len(health)} 个门户异常")
    subject = f"[年报监测·{scope}] " + ("，".join(parts) or "本次运行无新问题") + f"（运行 {summary.run_id}）"
    line = (
        f"本次运行载入年报 {summary.reports_loaded} 份（新读取 {summary.reports_extracted} 份），"
        f"其中 {summary.reports_flagged} 份存在勾稽问题；"
        f"新下载文档 {summary.documents_downloaded} 个，抓取失败 {summary.fetch_failures} 次。"
    )
    return Alert(
        recipients, subject,
        _html(line, findings, health, data_docs_url, place), _text(line, findings, health, data_docs_url, place),
    )


def _by_report(findings: list[FlaggedFinding]):
    """(county, agency) → report → findings, in a stable order."""
    key = lambda f: (f.county, f.agency, f.title, f.rule_code, f.location)  # noqa: E731
    for (county, agency), group in groupby(sorted(findings, key=key), key=lambda f: (f.county, f.agency)):
        yield county, agency, [(title, list(fs)) for title, fs in groupby(group, key=lambda f: f.title)]


def _number(value) -> str:
    """DECIMAL(18,4) from the warehouse prints as 3.0000; the office reads 3 (and 3.2 for 万元)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _html(line: str, findings, health, data_docs_url: str, place: dict[str, str]) -> str:
    e = lambda v: escape("" if v is None else str(v))  # noqa: E731
    out = [
        '<html><body style="font-family: sans-serif">',
        f"<p>{e(line)}</p>",
    ]
    if findings:
        out.append("<h2>新发现的勾稽错误</h2>")
        for county, agency, reports in _by_report(findings):
            out.append(f"<h3>{e(county)} · {e(agency)}</h3>")
            for title, fs in reports:
                first = fs[0]
                out.append(
                    f'<p><b>{e(title)}</b>（{e(first.year)} 年度）'
                    f' <a href="{e(first.document_url)}">原文</a>'
                    f' · <a href="{e(first.detail_url)}">发布页</a></p>'
                )
                out.append(
                    '<table border="1" cellpadding="4" style="border-collapse: collapse">'
                    "<tr><th>规则</th><th>位置</th><th>应为</th><th>实为</th><th>差额</th><th>说明</th></tr>"
                )
                for f in fs:
                    out.append(
                        f"<tr><td>{e(f.rule_code)}</td><td>{e(location_label(f.location))}</td>"
                        f"<td>{_number(f.expected)}</td><td>{_number(f.observed)}</td><td>{_number(f.imbalance)}</td>"
                        f"<td>{e(f.message)}</td></tr>"
                    )
                out.append("</table>")
        out.append(f'<p>校验详情（Data Docs）：<a href="{e(data_docs_url)}">{e(data_docs_url)}</a></p>')
    if health:
        out.append("<h2>门户健康问题</h2><ul>")
        for h in health:
            out.append(
                f"<li>{e(HEALTH_TITLES.get(h.problem, h.problem))}：{e(place.get(h.portal_id, h.portal_id))} "
                f'<a href="{e(h.url)}">{e(h.url)}</a> — {e(h.detail)}</li>'
            )
        out.append("</ul>")
    out.append("<p>nianbao 年报监测 · 数据仓库可用 <code>nianbao sql</code> 查询</p></body></html>")
    return "\n".join(out)


def _text(line: str, findings, health, data_docs_url: str, place: dict[str, str]) -> str:
    out = [line, ""]
    if findings:
        out.append("新发现的勾稽错误：")
        for county, agency, reports in _by_report(findings):
            out.append(f"【{county} · {agency}】")
            for title, fs in reports:
                out.append(f"  {title}（{fs[0].year} 年度） 原文：{fs[0].document_url}")
                for f in fs:
                    out.append(
                        f"    - {f.rule_code} {location_label(f.location)}：应为 {_number(f.expected)}，"
                        f"实为 {_number(f.observed)}，差额 {_number(f.imbalance)}。{f.message}"
                    )
        out.append(f"校验详情（Data Docs）：{data_docs_url}")
        out.append("")
    if health:
        out.append("门户健康问题：")
        for h in health:
            out.append(f"  - {HEALTH_TITLES.get(h.problem, h.problem)}：{place.get(h.portal_id, h.portal_id)} {h.url} — {h.detail}")
    return "\n".join(out)
