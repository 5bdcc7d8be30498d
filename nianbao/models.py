"""The records that pass from one stage to the next.

portal ─crawler→ ReportDocument ─extractors→ ExtractedReport ─warehouse→ tables
                                                              ─expectations→ Finding ─alerts→ email

Stages exchange only these plain records (and files in the raw store), never each other's internals.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Portal:
    """One county portal column that lists annual reports (an entry of config/portals.yaml)."""

    portal_id: str
    province: str
    city: str
    county: str
    column_url: str
    cms: str = "auto"  # auto | trs | hanweb | gkmlpt | jsonapi | generic
    recipients: tuple[str, ...] = ()  # county recipients of alert emails, besides the provincial catch-all
    allowed_hosts: tuple[str, ...] = ()  # domains the crawl may be redirected to besides the column's own


# --------------------------------------------------------------------------- crawler → warehouse / extractors


@dataclass
class Fetch:
    """What happened to one HTTP request of a run; becomes a row of the warehouse's `fetches`."""

    run_id: str
    portal_id: str
    url: str
    purpose: str  # robots | list | detail | document
    # downloaded | not_modified | fresh (not requested: checked recently) | failed | disallowed (robots.txt) |
    # refused (redirected to a URL robots.txt or the portal's allowed hosts forbid; final_url says where) | too_large
    outcome: str
    status: int | None = None
    bytes: int = 0
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    error: str | None = None
    fetched_at: datetime | None = None
    elapsed_ms: float = 0.0
    final_url: str | None = None  # where the answer came from, after redirects (the URL itself when none)

    @property
    def sent(self) -> bool:
        """Whether a request went to the portal (not refused by robots.txt, not served fresh from the store)."""
        return self.outcome not in ("disallowed", "fresh")


@dataclass
class ReportDocument:
    """A report found on a portal whose bytes sit in the raw store under their SHA-256."""

    portal_id: str
    detail_url: str
    document_url: str  # the attachment's URL, or detail_url when the page body is the report
    title: str
    sha256: str
    media_type: str  # pdf | docx | doc | wps | xls | html
    raw_path: Path
    index_no: str | None = None  # 索引号
    publisher: str | None = None  # 发布机构
    published_date: date | None = None  # 发布日期
    written_date: date | None = None  # 成文日期
    agency: str | None = None  # the agency the listing names (title, completed by 发布机构)
    year: int | None = None  # the report year the listing's title names
    changed: bool = True  # False when the portal answered 304 or served the bytes already stored
    # the column pages from the registered column down to the list page that listed it (sub-columns, pages)
    discovery_path: tuple[str, ...] = ()


@dataclass
class SkippedItem:
    """A listed item that is not an annual report (政府信息公开指南, 制度, notices…)."""

    portal_id: str
    url: str
    title: str
    reason: str
    discovery_path: tuple[str, ...] = ()  # as ReportDocument.discovery_path


@dataclass
class HealthProblem:
    """A portal or column that failed, that yields no report, or whose list suddenly shrinks."""

    portal_id: str
    url: str
    # unreachable | column_empty | column_shrunk | column_not_understood | list_pages_capped | pages_failed |
    # robots_disallowed | redirect_refused | crawl_time_limit
    problem: str
    detail: str


@dataclass(frozen=True)
class KnownUrl:
    """What the warehouse remembers of a URL from earlier runs: enough to revalidate it (If-None-Match /
    If-Modified-Since) and, on 304, to read its bytes back from the raw store."""

    url: str
    etag: str | None
    last_modified: str | None
    sha256: str
    media_type: str  # pdf | docx | doc | wps | xls | html
    checked_at: datetime | None = None  # when the portal last answered for it (200 or 304)


@dataclass
class CrawlState:
    """A portal's memory from the published warehouse, handed to the crawler at the start of a run."""

    known: dict[str, KnownUrl] = field(default_factory=dict)
    previously_listed: int = 0  # items the column listed on the last run that listed any; 0 if never


@dataclass
class CrawlResult:
    portal: Portal
    fetches: list[Fetch] = field(default_factory=list)
    documents: list[ReportDocument] = field(default_factory=list)
    skipped: list[SkippedItem] = field(default_factory=list)
    health: list[HealthProblem] = field(default_factory=list)
    items_listed: int = 0  # items on the column's list pages, reports or not


# --------------------------------------------------------------------------- extractors → warehouse


@dataclass
class Cell:
    """One cell of a statistical table, under the codes of nianbao/report_tables.yaml."""

    table_code: str  # application | review_litigation | proactive | legacy
    row_code: str  # e.g. new_received, review, art20_1.rules, request.received
    column_code: str  # e.g. natural_person, upheld, issued, value
    value: Decimal | None  # None for a blank, "/", "—", "-", "无" cell: missing, never 0
    raw_text: str
    page: int | None
    confidence: float | None = None  # OCR's certainty, 0..1, for a cell read from a scan; None when printed text
    region: str | None = None  # where on the scanned page picture the cell is, for a person to look


@dataclass
class TableReading:
    """How one statistical table of a report was read: the template generation its own labels show (a report
    can mix them), and, for a 统计表 that is not the national form, which variant it is."""

    table_code: str  # application | review_litigation | proactive | legacy
    generation: str | None  # gen2019 | gen2021 | legacy
    variant: str | None = None  # e.g. "regional: 17 rows, 13 national indicators; 历年累计 column"


@dataclass
class LabelNote:
    """A row read by its place in the template and the likeness of its label, whose printed label is not the
    template's (a typo, a lost word, a note in brackets): worth a person's look, not an error."""

    table_code: str
    row_code: str
    printed: str  # the label as printed
    template: str  # the template's label of that row
    page: int | None


@dataclass
class NarrativeFigure:
    """A quantity stated in the report's prose, e.g. 收到申请3件."""

    quantity_code: str  # e.g. new_received, proactive.total, review.total
    value: Decimal
    sentence: str
    page: int | None


@dataclass
class PageText:
    page: int  # 1-based; an HTML or DOCX report is one page
    text: str


@dataclass
class ExtractedReport:
    """Everything read from one document; one per (sha256, extractor_version)."""

    sha256: str
    extractor_version: str
    status: str  # parsed | parsed_ocr | no_tables | needs_ocr | corrupt | timeout | unsupported | refused
    error: str | None = None
    ocr_engine: str | None = None  # the engine that read a scanned document (status parsed_ocr)
    page_count: int | None = None
    title: str | None = None  # the report's own heading
    agency: str | None = None
    title_year: int | None = None  # the year named in the title
    period_year: int | None = None  # the year of the 统计期限 sentence
    generation: str | None = None  # legacy | gen2019 | gen2021, detected from the tables
    written_date: date | None = None  # the date under the signature
    pages: list[PageText] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    figures: list[NarrativeFigure] = field(default_factory=list)
    tables: list[TableReading] = field(default_factory=list)
    label_notes: list[LabelNote] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.title_year or self.period_year


# --------------------------------------------------------------------------- expectations → warehouse / alerts


def report_id_for(sha256: str) -> str:
    """A report version is one document's bytes: the same bytes under two URLs are one report."""
    return sha256[:16]


@dataclass
class Finding:
    report_id: str | None  # None for a finding about a report that is not there (not_published)
    rule_code: str  # row_total, stated_identity, …
    severity: str  # error | warning | info
    location: str  # e.g. application[granted, total]
    expected: Decimal | None
    observed: Decimal | None
    message: str
    subject: "AgencyYear | None" = None  # what a finding without a report is about

    @property
    def imbalance(self) -> Decimal | None:
        if self.expected is None or self.observed is None:
            return None
        return self.observed - self.expected

    @property
    def finding_id(self) -> str:
        """Stable across runs: the same break found again tomorrow is the same finding."""
        about = self.report_id if self.subject is None else self.subject.key
        key = f"{about}|{self.rule_code}|{self.location}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- the office's registry


@dataclass(frozen=True)
class AgencyYear:
    """One agency's report on one year, named by place and agency (for a report that may not exist)."""

    province: str
    city: str
    county: str
    agency: str
    agency_id: str  # the agency's stable id (nianbao.agencies): its findings keep their ids when its name changes
    year: int

    @property
    def key(self) -> str:
        return f"{self.agency_id}|{self.year}"


@dataclass(frozen=True)
class ExpectedAgency:
    """An agency that must publish an annual report in its county from first_year to last_year (a row of
    config/expected_agencies.csv, or an agency seen publishing in an earlier year)."""

    province: str
    city: str
    county: str
    agency: str
    first_year: int
    last_year: int | None = None  # the last year before it was abolished or merged; None while it exists
    source: str = "office"  # office (the office's registry) | seen (found publishing, not in the registry)
    note: str | None = None
