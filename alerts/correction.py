"""整改通知: for each agency with confirmed findings, a draft correction notice, as text (for the email) and as a
DOCX (python-docx) the office edits, signs and sends: the reports, each problem in plain Chinese with the page
and the printed figures, what the rule requires, and the date by which a corrected report is expected.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from nianbao.schema import location_label, rule_texts

_RULE_PREFIX = re.compile(r"^\[[a-z_]+\]\s*")
_TABLE_LOCATION = re.compile(r"^(application|review_litigation|proactive|legacy)\[")


@dataclass(frozen=True)
class Problem:
    finding_id: str
    expected: Decimal | None  # the finding's figures: a notice is sent again when they change
    observed: Decimal | None
    rule_code: str
    where: str  # the location in words ("" for a report that is missing)
    page: int | None
    printed: str | None  # the figure as printed in the report
    message: str
    requirement: str  # what the rule requires (nianbao/rules.yaml)


@dataclass
class ReportProblems:
    year: int | None
    title: str | None  # None: the report was not found at all
    document_url: str | None
    published: date | None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Notice:
    province: str
    city: str
    county: str
    agency: str
    issued: date
    due: date  # a corrected report is expected by then
    issuer: str
    reports: list[ReportProblems] = field(default_factory=list)

    @property
    def subject(self) -> str:
        """The agency it is addressed to, as alert_announcements.subject records it."""
        return "/".join((self.province, self.city, self.county, self.agency))

    @property
    def covers(self) -> list[str]:
        """The findings it lists with their figures ("<finding_id> <expected> <observed>"): a notice is sent
        again only when these change."""
        return sorted(f"{p.finding_id} {_shown(p.expected)} {_shown(p.observed)}" for r in self.reports for p in r.problems)


def _shown(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def confirmed_notices(con: duckdb.DuckDBPyConnection, issued: date, correction_days: int, issuer: str) -> list[Notice]:
    """One notice per agency that has confirmed findings, its problems grouped by report."""
    rows = con.execute(
        """
        SELECT o.finding_id, o.expected, o.observed, o.province, o.city, o.county, o.agency, o.year, o.report_id, o.title, o.document_url,
               coalesce(r.published_date, r.written_date) AS published, o.rule_code, o.location, o.message,
               c.page, c.raw_text
        FROM findings_overview o
        LEFT JOIN reports r USING (report_id)
        LEFT JOIN report_cells c ON c.report_id = o.report_id
             AND o.location = c.table_code || '[' || c.row_code || ', ' || c.column_code || ']'
        WHERE o.status = 'confirmed' AND o.agency IS NOT NULL
        ORDER BY o.province, o.city, o.county, o.agency, o.year, o.report_id NULLS FIRST, o.rule_code, o.location
        """
    ).fetchall()
    requirements = rule_texts()  # what each rule requires, in the office's words
    notices: dict[tuple, Notice] = {}
    for finding_id, expected, observed, province, city, county, agency, year, report_id, title, url, published, rule, location, message, page, raw in rows:
        notice = notices.setdefault(
            (province, city, county, agency),
            Notice(province, city, county, agency, issued, issued + timedelta(days=correction_days), issuer),
        )
        if not notice.reports or (notice.reports[-1].year, notice.reports[-1].title) != (year, title):
            notice.reports.append(ReportProblems(year, title, url, published))
        notice.reports[-1].problems.append(Problem(
            finding_id, expected, observed, rule, location_label(location) if _TABLE_LOCATION.match(location) else "", page, raw,
            _RULE_PREFIX.sub("", message), requirements.get(rule, ("", ""))[1],
        ))
    return list(notices.values())


_NUMERALS = "一二三四五六七八九十"


def _numeral(i: int) -> str:
    return _NUMERALS[i] if i < 10 else str(i + 1)


def notice_paragraphs(notice: Notice) -> tuple[str, list[str]]:
    """(title, paragraphs) of a notice: the text of both the DOCX and the email."""
    title = f"关于{notice.agency}政府信息公开工作年度报告存在问题的整改通知（草稿）"
    out = [
        f"{notice.agency}：",
        f"经核查你单位在{notice.county}政府门户网站发布的政府信息公开工作年度报告，发现以下问题，请予整改。",
    ]
    for i, report in enumerate(notice.reports):
        if report.title is None:
            out.append(f"{_numeral(i)}、{report.year} 年度政府信息公开工作年度报告")
        else:
            published = f"，发布日期 {report.published.isoformat()}" if report.published else ""
            out.append(f"{_numeral(i)}、《{report.title}》（{report.year} 年度{published}；原文：{report.document_url}）")
        for n, p in enumerate(report.problems, start=1):
            where = p.where + (f"（第 {p.page} 页）" if p.page else "")
            printed = f"报告中印为“{p.printed}”。" if p.printed else ""
            lead = f"{where}：" if where else ""
            out.append(f"{n}. {lead}{p.message}。{printed}{p.requirement}".replace("。。", "。"))
    out.append(
        f"请于 {notice.due.isoformat()} 前核实并更正上述问题，在原发布位置公布更正后的年度报告"
        "（未发布的，请补充公布），并将整改情况书面报送。"
    )
    out += [notice.issuer, notice.issued.isoformat()]
    return title, out


def notice_text(notice: Notice) -> str:
    title, paragraphs = notice_paragraphs(notice)
    return "\n".join([title, "", *paragraphs])


def _chinese_font(run, name: str, size: float) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)  # Word uses it for 汉字


def write_docx(notice: Notice, path: Path) -> Path:
    title, paragraphs = notice_paragraphs(notice)
    doc = Document()
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _chinese_font(heading.add_run(title), "方正小标宋简体", 18)
    for i, text in enumerate(paragraphs):
        paragraph = doc.add_paragraph()
        if i >= len(paragraphs) - 2:  # the issuer and the date, on the right as on an official letter
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _chinese_font(paragraph.add_run(text), "仿宋_GB2312", 14)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _file_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text)


def write_notices(notices: list[Notice], out: Path) -> list[Path]:
    """Write every notice as DOCX into `out` (emptied first: a notice whose findings were resolved or
    waived goes away); returns the files."""
    shutil.rmtree(out, ignore_errors=True)
    return [write_docx(n, out / _file_name(f"{n.county}-{n.agency}-整改通知.docx")) for n in notices]
