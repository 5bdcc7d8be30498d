"""The nightly run the office relies on: crawl → extract → load → validate → publish → alert.

Thin wiring: every task calls one stage's plain functions. The warehouse has one writer (the load task);
crawling and extraction fan out over the flow's task runner (threads, or a Dask cluster when given).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.futures import as_completed

import crawler
import expectations
import extractors
import warehouse
import warehouse.load
import warehouse.read
from alerts import FlaggedFinding, RunSummary, compose_alerts
from alerts.send import send_alert
from crawler.store import RawStore
from nianbao.config import DEFAULT_PORTALS, DEFAULT_SETTINGS, Settings, load_portals, load_settings
from nianbao.models import CrawlResult, ExtractedReport, Portal, ReportDocument


@task(retries=1, retry_delay_seconds=10, task_run_name="crawl {portal.portal_id}")
def crawl_portal(portal: Portal, settings: Settings, run_id: str) -> CrawlResult:
    # crawl_portal records portal problems instead of raising; the retry covers a crash of the crawler itself
    state = warehouse.read.crawl_state(settings.warehouse_path, portal.portal_id)
    return crawler.crawl_portal(portal, settings.crawler, RawStore(settings.raw_dir), state, run_id)


@task(task_run_name="extract {document.sha256:.12}")
def extract_document(document: ReportDocument, time_limit_seconds: float) -> ExtractedReport:
    return extractors.extract_with_time_limit(
        document.raw_path, document.media_type, document.sha256, time_limit_seconds
    )


@task
def load_validate_publish(
    run_id: str,
    started_at: datetime,
    parameters: dict,
    crawls: list[CrawlResult],
    documents: list[tuple[Portal, ReportDocument]],
    extracted: dict[str, ExtractedReport],
    settings: Settings,
) -> RunSummary:
    """The run's single writer: everything goes into a new warehouse file that replaces the published one
    only once loaded and validated, so analysts never see half a run."""
    with warehouse.building(settings.warehouse_path) as con:
        warehouse.load.start_run(con, run_id, started_at, parameters)
        warehouse.load.load_crawl(con, run_id, crawls)
        refused = warehouse.load.load_reports(
            con, run_id, [(portal, document, extracted.get(document.sha256)) for portal, document in documents]
        )
        for document, reason in refused:
            get_run_logger().warning("not loaded: %s (%s)", document.document_url, reason)
        validation = expectations.validate(con, run_id, settings.rules, settings.data_docs_dir)
        warehouse.load.load_findings(con, run_id, validation.reports_checked, validation.findings)
        flagged = {f.report_id for f in validation.findings if f.severity == "error"}
        summary = RunSummary(
            run_id=run_id,
            reports_loaded=len({d.sha256 for _, d in documents} - {d.sha256 for d, _ in refused}),
            reports_flagged=len(flagged),
            documents_downloaded=sum(1 for _, d in documents if d.changed),
            fetch_failures=sum(1 for c in crawls for f in c.fetches if f.outcome == "failed"),
            reports_extracted=len(extracted),
        )
        warehouse.load.finish_run(con, run_id, datetime.now(timezone.utc), summary.__dict__, None)
    return summary


@task
def send_alerts(summary: RunSummary, crawls: list[CrawlResult], portals: list[Portal], settings: Settings) -> int:
    findings = [FlaggedFinding.from_row(row) for row in warehouse.read.new_findings(settings.warehouse_path, summary.run_id)]
    health = [h for c in crawls for h in c.health]
    docs_url = settings.alerts.data_docs_url or (settings.data_docs_dir / "index.html").resolve().as_uri()
    alerts = compose_alerts(
        summary, findings, health, portals, settings.alerts.provincial_recipients, docs_url,
        settings.alerts.send_when_nothing_new,
    )
    for alert in alerts:
        send_alert(alert, settings.alerts.smtp)
    return len(alerts)


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")


def run_pipeline(
    portals: list[Portal],
    settings: Settings,
    parameters: dict,
    reextract: bool = False,
    years: tuple[int, int] | None = None,
) -> RunSummary:
    """The body shared by the nightly and the backfill flows (call it inside a flow). `reextract` reads
    every document again, whatever the extraction cache says; `years` loads only reports on those years."""
    logger = get_run_logger()
    run_id, started_at = new_run_id(), datetime.now(timezone.utc)
    crawls = [f.result() for f in [crawl_portal.submit(p, settings, run_id) for p in portals]]

    # one extraction per distinct document; skip the ones this extractor version already read
    already = set() if reextract else warehouse.read.extracted_versions(settings.warehouse_path)
    pending = {
        d.sha256: d
        for c in crawls
        for d in c.documents
        if (d.sha256, extractors.EXTRACTOR_VERSION) not in already
    }
    futures = [extract_document.submit(d, settings.extraction.time_limit_seconds) for d in pending.values()]
    extracted: dict[str, ExtractedReport] = {}
    for done, future in enumerate(as_completed(futures), start=1):
        report = future.result()
        extracted[report.sha256] = report
        logger.info("extracted %d/%d documents (%s: %s)", done, len(futures), report.sha256[:12], report.status)

    documents = [(c.portal, d) for c in crawls for d in c.documents]
    if years:
        first, last = years
        documents = [(p, d) for p, d in documents if (y := extracted[d.sha256].year) and first <= y <= last]
    summary = load_validate_publish(run_id, started_at, parameters, crawls, documents, extracted, settings)
    sent = send_alerts(summary, crawls, portals, settings)
    logger.info(
        "run %s: %d reports loaded, %d flagged, %d alert emails sent",
        run_id, summary.reports_loaded, summary.reports_flagged, sent,
    )
    return summary


@flow(name="nianbao-nightly")
def nightly(
    portals_file: str = str(DEFAULT_PORTALS),
    settings_file: str = str(DEFAULT_SETTINGS),
    portal_ids: list[str] | None = None,
) -> RunSummary:
    """Crawl every registered portal (or the ones named), load what is new, validate, publish, alert."""
    settings = load_settings(Path(settings_file))
    portals = [p for p in load_portals(Path(portals_file)) if not portal_ids or p.portal_id in portal_ids]
    return run_pipeline(portals, settings, {"portals_file": portals_file, "portal_ids": portal_ids})
