"""The nightly run the office relies on: crawl → extract → load → validate → publish → alert.

Thin wiring: every task calls one stage's plain functions. The warehouse has one writer (the load task).
Crawls run in threads of the flow's own process (the crawl subflow), where the per-host politeness limits
are kept; extraction fans out over the flow's task runner (threads, or a Dask cluster when given).

Every run leaves a record in the run journal (nianbao/runs.py) before it does anything else, and ends it
succeeded, succeeded_with_undelivered_alerts or failed (with the reason and the stage); a run killed on the
way is closed as abandoned by the next one, which also tells Prefect.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, runtime, task
from prefect.artifacts import create_markdown_artifact
from prefect.futures import as_completed
from prefect.states import Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

import alerts
import crawler
import warehouse
import warehouse.load
import warehouse.read
from alerts import RunSummary
from alerts.correction import confirmed_notices, write_notices
from crawler.store import RawStore
from expectations.publication import judge_publication_and_apply_decisions, office_today
from extractors import EXTRACTOR_VERSION
from extractors.worker import Extracted, extract_to_store
from nianbao.config import (
    DEFAULT_PORTALS, DEFAULT_SETTINGS, ExtractionSettings, Settings, load_expected_agencies, load_portals, load_settings,
)
from nianbao.extraction_store import ExtractionStore
from nianbao.models import CrawlResult, CrawlState, ExpectedAgency, Portal, ReportDocument
from nianbao.run_ids import new_run_id
from nianbao.runs import RunJournal, RunRecord
from scorecard import write_site
from warehouse.triage import DecisionJournal


def _crashed(task, task_run, state) -> bool:
    """Retry a crawl that raised, not one that ended Failed over its portal's health problems."""
    return isinstance(state.data, BaseException)


@task(retries=1, retry_delay_seconds=10, retry_condition_fn=_crashed, task_run_name="crawl {portal.county} ({portal.portal_id})")
def crawl_portal(portal: Portal, settings: Settings, state: CrawlState, run_id: str) -> CrawlResult | State:
    """One portal's crawl. A portal with health problems (unreachable, a column not understood, …) ends the
    task Failed, so the operator sees it in the UI; its result still goes on to be loaded and alerted."""
    result = crawler.crawl_portal(
        portal, settings.crawler, RawStore(settings.raw_dir), state, run_id, log=get_run_logger()
    )
    if result.health:
        problems = "；".join(f"{h.problem}：{h.detail}" for h in result.health)
        return Failed(data=result, message=f"{portal.county}（{portal.portal_id}）门户健康问题 {len(result.health)} 个：{problems}")
    return result


def crawl_result(future) -> CrawlResult:
    """The CrawlResult of a crawl task, whether it ended Completed or Failed over health problems."""
    result = future.result(raise_on_failure=False)
    if isinstance(result, BaseException):  # the crawler itself crashed, twice
        raise result
    return result


@flow(name="nianbao-crawl", task_runner=ThreadPoolTaskRunner())
def crawl_portals(portals: list[Portal], settings: Settings, states: dict[str, CrawlState], run_id: str) -> list[CrawlResult]:
    """Every portal's crawl, in threads of this process whatever the run's task runner: the per-host rate and
    concurrency limits live in the crawler's process, so crawls spread over Dask workers would each keep
    their own and a shared host would get several times its limit."""
    return [crawl_result(f) for f in [crawl_portal.submit(p, settings, states[p.portal_id], run_id) for p in portals]]


def _extract_task_name() -> str:
    """e.g. "extract 平罗县 · 平罗县城关镇人民政府 · 2024 (3f2a9c01)": what an operator looks for in the UI."""
    parameters = runtime.task_run.parameters
    document = parameters["document"]
    return (f"extract {parameters['county']} · {document.agency or '机关未识别'} · {document.year or '年度未识别'}"
            f" ({document.sha256[:8]})")


@task(task_run_name=_extract_task_name)
def extract_document(document: ReportDocument, county: str, extraction: ExtractionSettings, extracted_dir: Path) -> Extracted:
    return extract_to_store(document, extraction, ExtractionStore(extracted_dir))


@task(task_run_name="load, validate, alert and publish run {run_id}")
def load_validate_publish(
    run_id: str,
    crawls: list[CrawlResult],
    documents: list[tuple[Portal, ReportDocument]],
    to_load: set[str],
    portals: list[Portal],
    settings: Settings,
    registry: list[ExpectedAgency],
) -> RunSummary:
    """The run's single writer: everything goes into a new warehouse file that replaces the published one
    only once loaded, validated and alerted, so analysts never see half a run. `to_load` are the documents
    whose extraction (in the extraction store) the warehouse does not hold yet; the others only get this
    run's sighting. The alert emails are queued in that file with what they announce, then sent (with any
    an earlier run could not send); what the SMTP server did not take stays queued for the next run."""
    journal = RunJournal(settings.runs_dir)
    journal.stage(run_id, "load")  # taking the writer lock is the first step of the load
    with warehouse.building(
        settings.warehouse_path, settings.warehouse.writer_lock_wait_seconds, settings.warehouse.storage_version
    ) as con:
        warehouse.load.record_runs(con, journal.records())
        warehouse.load.load_crawl(con, run_id, crawls)
        refused = warehouse.load.load_extracted(
            con, run_id, documents, to_load, ExtractionStore(settings.extracted_dir), EXTRACTOR_VERSION
        )
        for document, reason in refused:
            get_run_logger().warning("not loaded: %s (%s)", document.document_url, reason)
        warehouse.load.assign_agencies(con, settings.rules)
        superseded = warehouse.load.supersede_replaced(con, run_id)
        if to_load or superseded:
            # Imported here: Great Expectations costs seconds to import, and a run with nothing new to
            # check (the usual night) does not need it; `nianbao validate` re-checks everything on demand.
            import expectations

            journal.stage(run_id, "validate")
            expectations.validate_and_record(con, run_id, settings.rules, settings.data_docs_dir)
        judge_publication_and_apply_decisions(
            con, run_id, settings.rules, registry, DecisionJournal(settings.decisions_journal).decisions(),
            office_today(),
        )
        summary = RunSummary(
            run_id=run_id,
            reports_loaded=len({d.sha256 for _, d in documents} - {d.sha256 for d, _ in refused}),
            reports_flagged=warehouse.read.flagged_report_count(con),
            documents_downloaded=sum(1 for _, d in documents if d.changed),
            fetch_failures=sum(1 for c in crawls for f in c.fetches if f.outcome == "failed"),
            reports_extracted=len(to_load),
        )
        journal.stage(run_id, "alerts")
        outcome = alerts.alert_run(con, summary, portals, settings.alerts, settings.office, settings.reports_dir,
                                   settings.outbox_journal_dir, settings.announcements_journal,
                                   datetime.now(timezone.utc))
        for error in outcome.delivery.errors:
            get_run_logger().error("alert email not delivered (kept in the outbox for the next run): %s", error)
        summary = replace(summary, alerts_sent=outcome.delivery.sent, alerts_undelivered=outcome.delivery.undelivered,
                          report=str(outcome.report.page(None)))
        journal.stage(run_id, "publish", counts=asdict(summary))
        warehouse.load.record_runs(con, journal.records())
    return summary


@task
def write_office_pages(summary: RunSummary, settings: Settings) -> Path:
    """The scorecard site and the draft correction notices, from the warehouse just published."""
    with warehouse.read.reading(settings.warehouse_path) as con:
        notices = confirmed_notices(con, office_today(), settings.office.correction_days, settings.office.issuer)
    write_notices(notices, settings.notices_dir)
    return write_site(settings.warehouse_path, settings.scorecard_dir, summary.run_id)


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
    journal = RunJournal(settings.runs_dir)
    journal.start(run_id, started_at, parameters, flow_run_id=runtime.flow_run.id)
    for abandoned in journal.close_abandoned():
        logger.warning("run %s was abandoned: %s", abandoned.run_id, abandoned.error)
        tell_prefect_abandoned(abandoned)
    try:
        summary = _run_stages(run_id, journal, portals, settings, reextract, years)
    except BaseException as e:
        record = journal.finish(run_id, "failed", error=f"{type(e).__name__}: {e}")
        logger.error("run %s failed during %s: %s", run_id, record.stage, record.error)
        record_run_ends(settings, journal)
        tell_run_failed(record, settings)
        raise
    undelivered = summary.alerts_undelivered
    status = "succeeded_with_undelivered_alerts" if undelivered else "succeeded"
    journal.finish(run_id, status, error=f"{undelivered} 封提醒邮件未送达，留在 alert_outbox，下次运行重发" if undelivered else None)
    record_run_ends(settings, journal)
    logger.info(
        "run %s %s: %d reports loaded, %d flagged, %d alert emails sent, %d undelivered",
        run_id, status, summary.reports_loaded, summary.reports_flagged, summary.alerts_sent, undelivered,
    )
    create_markdown_artifact(key="nianbao-run-summary", markdown=alerts.run_summary_markdown(summary),
                             description=f"年报监测运行 {run_id}")
    return summary


def final_state(summary: RunSummary) -> RunSummary | State:
    """The flow run's end: Completed, or Completed named SucceededWithUndeliveredAlerts (what runs.status
    says too) when emails wait in the outbox, so the Prefect UI shows it; the summary is the result either way."""
    if not summary.alerts_undelivered:
        return summary
    return Completed(
        name="SucceededWithUndeliveredAlerts", data=summary,
        message=f"{summary.alerts_undelivered} 封提醒邮件未送达，已留在 alert_outbox，下次运行重发",
    )


def tell_run_failed(record: RunRecord, settings: Settings) -> None:
    """Email the province that the run failed; a failed run has no warehouse to queue it in, so it is sent
    at once and, if the SMTP server does not take it, kept as an .eml in the data folder's undelivered/."""
    recipients = tuple(settings.alerts.provincial_recipients)
    if not recipients:
        return
    email = alerts.run_failed_email(record, recipients, settings.alerts.smtp.sender, datetime.now(timezone.utc))
    error = alerts.send_now(email, settings.alerts.smtp, settings.undelivered_dir)
    if error:
        get_run_logger().error("the run-failed email was not delivered: %s", error)


def _run_stages(
    run_id: str,
    journal: RunJournal,
    portals: list[Portal],
    settings: Settings,
    reextract: bool,
    years: tuple[int, int] | None,
) -> RunSummary:
    logger = get_run_logger()
    journal.stage(run_id, "crawl")
    registry = load_expected_agencies(settings.office.expected_agencies)  # a bad file fails the run, named
    states = warehouse.read.crawl_states(settings.warehouse_path, [p.portal_id for p in portals])
    crawls = crawl_portals(portals, settings, states, run_id)

    # One extraction per distinct document, unless this extractor version already read it: loaded in the
    # warehouse, or in the extraction store by a run that failed before publishing.
    journal.stage(run_id, "extract")
    loaded = set() if reextract else warehouse.read.extracted_versions(settings.warehouse_path)
    store = ExtractionStore(settings.extracted_dir)
    documents = [(c.portal, d) for c in crawls for d in c.documents]
    to_load = {d.sha256 for _, d in documents if (d.sha256, EXTRACTOR_VERSION) not in loaded}
    pending = {
        d.sha256: (p, d) for p, d in documents
        if d.sha256 in to_load and (reextract or not store.has(d.sha256, EXTRACTOR_VERSION))
    }
    futures = [
        extract_document.submit(d, p.county, settings.extraction, settings.extracted_dir)
        for p, d in pending.values()
    ]
    years_of: dict[str, int | None] = {}
    for done, future in enumerate(as_completed(futures), start=1):
        receipt = future.result()
        years_of[receipt.sha256] = receipt.year
        logger.info("extracted %d/%d documents (%s: %s)", done, len(futures), receipt.sha256[:12], receipt.status)

    if years:  # a backfill re-extracts every document, so every year is known
        first, last = years
        documents = [(p, d) for p, d in documents if (y := years_of[d.sha256]) and first <= y <= last]
    summary = load_validate_publish(run_id, crawls, documents, to_load, portals, settings, registry)
    journal.stage(run_id, "office_pages")
    logger.info("scorecard site: %s", write_office_pages(summary, settings))
    return summary


def record_run_ends(settings: Settings, journal: RunJournal) -> None:
    """Put the journal's latest word into the published warehouse. When another run is building it (or
    someone holds it open for writing), that run's build, or the next, copies the journal instead."""
    try:
        with warehouse.building(
            settings.warehouse_path, settings.warehouse.writer_lock_wait_seconds, settings.warehouse.storage_version
        ) as con:
            warehouse.load.record_runs(con, journal.records())
    except warehouse.WarehouseBusy as e:
        get_run_logger().warning("the run's end is in the journal %s only for now: %s", journal.folder, e)


def tell_prefect_abandoned(record: RunRecord) -> None:
    """A killed run's Prefect flow run stays RUNNING for ever: mark it Crashed."""
    if not record.flow_run_id:
        return
    from prefect.client.orchestration import get_client
    from prefect.states import Crashed

    try:
        with get_client(sync_client=True) as client:
            flow_run = client.read_flow_run(record.flow_run_id)
            if flow_run.state is None or not flow_run.state.is_final():
                client.set_flow_run_state(record.flow_run_id, Crashed(message=record.error), force=True)
    except Exception as e:  # noqa: BLE001 - the record is closed either way; Prefect is told when it can be
        get_run_logger().warning("could not tell Prefect that flow run %s was abandoned: %s", record.flow_run_id, e)


@flow(name="nianbao-nightly")
def nightly(
    portals_file: str = str(DEFAULT_PORTALS),
    settings_file: str = str(DEFAULT_SETTINGS),
    portal_ids: list[str] | None = None,
) -> RunSummary | State:
    """Crawl every registered portal (or the ones named), load what is new, validate, publish, alert."""
    settings = load_settings(Path(settings_file))
    portals = [p for p in load_portals(Path(portals_file)) if not portal_ids or p.portal_id in portal_ids]
    return final_state(run_pipeline(portals, settings, {"portals_file": portals_file, "portal_ids": portal_ids}))
