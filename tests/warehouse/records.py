"""Input records for the warehouse tests: a small province of two county portals whose reports are real model
records (Portal, ReportDocument with its bytes in a raw store, ExtractedReport with cells, Finding), and a
helper that loads a whole run the way the nightly flow does.

Also a command-line entry used by the tests' subprocesses:
    python -m tests.warehouse.records load <run.pickle> <published> [--pause-inside <marker>]
    python -m tests.warehouse.records watch <published> <observations.txt> <stop-file>
"""

from __future__ import annotations

import hashlib
import pickle
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

import warehouse
import warehouse.triage
from nianbao import schema
from nianbao.config import OLDEST_READABLE_STORAGE, RuleSettings
from nianbao.models import (
    Cell,
    CrawlResult,
    ExpectedAgency,
    ExtractedReport,
    Fetch,
    Finding,
    HealthProblem,
    NarrativeFigure,
    PageText,
    Portal,
    ReportDocument,
    SkippedItem,
    report_id_for,
)

EXTRACTOR_VERSION = "extract-1"
PINGLUO = Portal("pingluo", "宁夏回族自治区", "石嘴山市", "平罗县", "http://127.0.0.1:8801/xxgk/ndbg/")
YONGNING = Portal("yongning", "宁夏回族自治区", "银川市", "永宁县", "http://127.0.0.1:8802/zfxxgk/nb/")
APPLICANTS = [c.code for c in schema.applicant_columns() if c.code != "total"]


@dataclass
class Report:
    """One annual report as found on a portal and as extracted."""

    portal: Portal
    doc: ReportDocument
    extracted: ExtractedReport

    @property
    def report_id(self) -> str:
        return report_id_for(self.doc.sha256)


@dataclass
class Run:
    run_id: str
    started_at: datetime
    crawl: list[CrawlResult]
    reports: list[tuple[Portal, ReportDocument, ExtractedReport | None]]
    findings: list[Finding] = field(default_factory=list)


def application_cells(generation: str, received: list[int], carried_over: list[int], carried_forward: list[int],
                      skew: dict[tuple[str, str], int] | None = None) -> list[Cell]:
    """A reconciled application table: per applicant column, what was received plus carried over is granted
    except what is carried forward; `skew` then adds to chosen cells to break the reconciliation."""
    by_column = {}
    for col, new, old, forward in zip(APPLICANTS, received, carried_over, carried_forward):
        by_column[col] = {"new_received": new, "carried_over": old, "granted": new + old - forward,
                          "results_total": new + old - forward, "carried_forward": forward}
    cells = []
    for row in schema.application_rows(generation):
        values = {col: by_column[col].get(row.code, 0) for col in APPLICANTS}
        values["total"] = sum(values.values())
        for col, value in values.items():
            value += (skew or {}).get((row.code, col), 0)
            cells.append(Cell("application", row.code, col, Decimal(value), str(value), 3))
    return cells


def make_report(raw_dir: Path, portal: Portal, agency: str, year: int, *, generation: str = "gen2021",
                received: tuple[int, ...] = (3, 1, 0, 0, 0, 0), carried_over: tuple[int, ...] = (0,) * 6,
                carried_forward: tuple[int, ...] = (0,) * 6, skew: dict | None = None, status: str = "parsed",
                published: date | None = None, version: str = "", page: str = "") -> Report:
    """A report whose document bytes are written to the raw store under their SHA-256."""
    text = f"{agency}{year}年政府信息公开工作年度报告{version}\n统计期限为{year}年1月1日至{year}年12月31日。"
    content = text.encode("utf-8")
    sha = hashlib.sha256(content).hexdigest()
    raw_path = raw_dir / sha
    raw_path.parent.mkdir(parents=True, exist_ok=True)
    raw_path.write_bytes(content)
    page = page or sha[:8]
    doc = ReportDocument(
        portal_id=portal.portal_id,
        detail_url=f"{portal.column_url}{year}/t{page}.html",
        document_url=f"{portal.column_url}{year}/P0{page}.pdf",
        title=f"{agency}{year}年政府信息公开工作年度报告{version}",
        sha256=sha,
        media_type="pdf",
        raw_path=raw_path,
        index_no=f"640221/{year}-{page}",
        publisher=agency,
        published_date=published or date(year + 1, 1, 20),
    )
    parsed = status == "parsed"
    cells = application_cells(generation, list(received), list(carried_over), list(carried_forward), skew)
    extracted = ExtractedReport(
        sha256=sha,
        extractor_version=EXTRACTOR_VERSION,
        status=status,
        error=None if parsed else "no text layer: the pages are scanned images",
        page_count=4,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        agency=agency,
        title_year=year,
        period_year=year if parsed else None,
        generation=generation if parsed else None,
        written_date=date(year + 1, 1, 15),
        pages=[PageText(1, text), PageText(2, f"本年新收政府信息公开申请{sum(received)}件。")] if parsed else [],
        cells=cells if parsed else [],
        figures=[NarrativeFigure("new_received", Decimal(sum(received)), f"收到申请{sum(received)}件。", 2)]
        if parsed else [],
    )
    return Report(portal, doc, extracted)


def crawl_result(run_id: str, portal: Portal, reports: list[Report], started_at: datetime, *,
                 not_modified: bool = False, unreachable: bool = False) -> CrawlResult:
    """What the crawler returns for a portal: the list page, then each report's detail page and document."""
    if unreachable:
        return CrawlResult(
            portal,
            fetches=[Fetch(run_id, portal.portal_id, portal.column_url, "list", "failed", None, 0,
                           error="ConnectError: connection refused", fetched_at=started_at)],
            health=[HealthProblem(portal.portal_id, portal.column_url, "unreachable", "connection refused")],
        )
    at = started_at
    fetches = [Fetch(run_id, portal.portal_id, portal.column_url, "list", "downloaded", 200, 5120,
                     sha256=hashlib.sha256(portal.column_url.encode()).hexdigest(), fetched_at=at)]
    for r in reports:
        at += timedelta(seconds=1)
        fetches.append(Fetch(run_id, portal.portal_id, r.doc.detail_url, "detail", "downloaded", 200, 2048,
                             sha256=hashlib.sha256(r.doc.detail_url.encode()).hexdigest(), fetched_at=at))
        if not_modified:
            fetches.append(Fetch(run_id, portal.portal_id, r.doc.document_url, "document", "not_modified", 304, 0,
                                 sha256=r.doc.sha256, fetched_at=at))
        else:
            fetches.append(Fetch(run_id, portal.portal_id, r.doc.document_url, "document", "downloaded", 200,
                                 r.doc.raw_path.stat().st_size, etag=f'"{r.doc.sha256[:8]}"',
                                 last_modified="Mon, 20 Jan 2025 08:00:00 GMT", sha256=r.doc.sha256,
                                 fetched_at=at))
    skipped = [SkippedItem(portal.portal_id, f"{portal.column_url}guide.html", "政府信息公开指南", "not an annual report")]
    return CrawlResult(portal, fetches=fetches, documents=[r.doc for r in reports], skipped=skipped,
                       items_listed=len(reports) + len(skipped))


def row_total_finding(report: Report, row: str = "granted") -> Finding:
    cell = next(c for c in report.extracted.cells if c.row_code == row and c.column_code == "total")
    expected = sum(c.value for c in report.extracted.cells if c.row_code == row and c.column_code in APPLICANTS)
    return Finding(report.report_id, "row_total", "error", f"application[{row}, total]", expected, cell.value,
                   f"总计列 {cell.value} 不等于各类申请人之和 {expected}")


def province(raw_dir: Path) -> dict[str, Report]:
    """The reports of two counties. 城关镇 carries one application from 2023 into 2024; 教育局 has not
    published on 2024; 永宁县人民政府's 2024 予以公开 总计 is 2 too high; 财政局's 2024 report is a scan
    published late."""
    return {
        "chengguan_2023": make_report(raw_dir, PINGLUO, "平罗县城关镇人民政府", 2023, received=(4, 1, 0, 0, 0, 0),
                                      carried_forward=(1, 0, 0, 0, 0, 0)),
        "chengguan_2024": make_report(raw_dir, PINGLUO, "平罗县城关镇人民政府", 2024, received=(2, 0, 0, 0, 0, 1),
                                      carried_over=(1, 0, 0, 0, 0, 0)),
        "jiaoyu_2020": make_report(raw_dir, PINGLUO, "平罗县教育局", 2020, generation="gen2019"),
        "jiaoyu_2023": make_report(raw_dir, PINGLUO, "平罗县教育局", 2023, received=(1, 0, 0, 0, 0, 0)),
        "yongning_2024": make_report(raw_dir, YONGNING, "永宁县人民政府", 2024, received=(9, 2, 1, 0, 1, 0),
                                     skew={("granted", "total"): 2}),
        "caizheng_2024": make_report(raw_dir, YONGNING, "永宁县财政局", 2024, status="needs_ocr",
                                     published=date(2025, 3, 10)),
    }


def first_run(run_id: str, started_at: datetime, reports: dict[str, Report]) -> Run:
    """A run that finds and extracts every report: row_total fires on 永宁县人民政府 2024, published_on_time
    on 财政局 2024."""
    late = reports["caizheng_2024"]
    return Run(
        run_id,
        started_at,
        crawl=[crawl_result(run_id, portal, [r for r in reports.values() if r.portal == portal], started_at)
               for portal in (PINGLUO, YONGNING)],
        reports=[(r.portal, r.doc, r.extracted) for r in reports.values()],
        findings=[
            row_total_finding(reports["yongning_2024"]),
            Finding(late.report_id, "published_on_time", "warning", "reports[published_date]", None, None,
                    "2024年度报告发布日期2025-03-10晚于2025-01-31"),
        ],
    )


def unchanged_run(run_id: str, started_at: datetime, reports: dict[str, Report], findings: list[Finding]) -> Run:
    """A later run where every document answers 304 and is already extracted."""
    return Run(
        run_id,
        started_at,
        crawl=[crawl_result(run_id, portal, [r for r in reports.values() if r.portal == portal], started_at,
                            not_modified=True) for portal in (PINGLUO, YONGNING)],
        reports=[(r.portal, r.doc, None) for r in reports.values()],
        findings=findings,
    )


def publish_run(published: Path, run: Run, pause_inside: Path | None = None,
                storage_version: str = OLDEST_READABLE_STORAGE,
                journal: warehouse.triage.DecisionJournal | None = None, judged_on: date | None = None,
                registry: list[ExpectedAgency] = ()) -> None:
    """Load a whole run as the nightly flow does, the office's decisions in `journal` applied last (and, on
    `judged_on`, 应报未报 judged first against the seen agencies and `registry`, as the flow does). With
    `pause_inside`, stop halfway through the reports, touch that file and wait to be killed."""
    with warehouse.building(published, storage_version=storage_version) as con:
        warehouse.load.start_run(con, run.run_id, run.started_at, {"portals": [r.portal.portal_id for r in run.crawl]})
        warehouse.load.load_crawl(con, run.run_id, run.crawl)
        for i, (portal, doc, extracted) in enumerate(run.reports):
            if pause_inside is not None and i == len(run.reports) // 2:
                pause_inside.touch()
                time.sleep(600)
            warehouse.load.load_report(con, run.run_id, portal, doc, extracted)
        warehouse.load.assign_agencies(con, RuleSettings())
        warehouse.load.supersede_replaced(con, run.run_id)
        validated = {report_id_for(doc.sha256) for _, doc, _ in run.reports}
        warehouse.load.load_findings(con, run.run_id, validated, run.findings)
        decisions = journal.decisions() if journal else []
        if judged_on is None:
            warehouse.triage.apply_decisions(con, decisions, run.run_id, datetime.now())
        else:
            from expectations.publication import judge_publication_and_apply_decisions

            judge_publication_and_apply_decisions(con, run.run_id, RuleSettings(), list(registry), decisions, judged_on)
        warehouse.load.finish_run(con, run.run_id, run.started_at + timedelta(minutes=5),
                                  {"reports": len(run.reports), "findings": len(run.findings)}, None)


SNAPSHOT_SQL = """
    SELECT (SELECT string_agg(run_id, ',' ORDER BY run_id) FROM runs),
           (SELECT count(*) FROM reports), (SELECT count(*) FROM report_cells),
           (SELECT count(*) FROM fetches), (SELECT count(*) FROM dq_findings WHERE status = 'open')
"""


def snapshot(published: Path) -> tuple:
    """What a reader sees of the runs loaded: run ids and row counts, from one connection."""
    return warehouse.read.query(published, SNAPSHOT_SQL)[1][0]


def _watch(published: Path, observations: Path, stop: Path) -> None:
    """Query the published warehouse in a loop, read-only, recording each snapshot or error, until `stop`."""
    with open(observations, "a", encoding="utf-8") as out:
        while not stop.exists():
            try:
                con = duckdb.connect(str(published), read_only=True)
                try:
                    out.write(repr(con.execute(SNAPSHOT_SQL).fetchone()) + "\n")
                finally:
                    con.close()
            except Exception as e:  # recorded, for the test to fail on
                out.write(f"ERROR {type(e).__name__}: {e}\n")
            out.flush()


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "load":
        pause = Path(args[3]) if len(args) > 3 and args[2] == "--pause-inside" else None
        publish_run(Path(args[1]), pickle.loads(Path(args[0]).read_bytes()), pause)
    elif command == "watch":
        _watch(Path(args[0]), Path(args[1]), Path(args[2]))
