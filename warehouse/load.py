"""Load one run's records into the warehouse being built (see warehouse.publish.building).

Every load is idempotent: loading the same records again, or re-running a run after a crash, replaces what
that run or that report wrote before, so nothing is duplicated and nothing is lost. Each function works in
one transaction.

A run calls, in order: record_runs (or start_run), load_crawl, load_reports (all the reports found, or a batch
at a time; load_report loads one), assign_agencies, load_findings, record_runs (or finish_run).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import duckdb

from nianbao.agencies import identify
from nianbao.config import RuleSettings
from nianbao.extraction_store import ExtractionStore
from nianbao.models import CrawlResult, ExtractedReport, Finding, Portal, ReportDocument, report_id_for
from nianbao.runs import RunRecord
from warehouse.db import insert_rows, transaction


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _run_started_at(con: duckdb.DuckDBPyConnection, run_id: str) -> datetime:
    row = con.execute("SELECT started_at FROM runs WHERE run_id = ?", [run_id]).fetchone()
    if row is None:
        raise ValueError(f"run {run_id!r} is not in the warehouse: call start_run first")
    return row[0]


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, started_at: datetime, params: dict) -> None:
    """A run's row, status `started`, for a run without a journal (a run that keeps one: record_runs)."""
    con.execute(
        """
        INSERT INTO runs (run_id, started_at, status, params) VALUES (?, ?, 'started', ?)
        ON CONFLICT (run_id) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL,
            status = 'started', params = excluded.params, counts = NULL, error = NULL
        """,
        [run_id, started_at, _json(params)],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, finished_at: datetime, counts: dict, error: str | None
) -> None:
    _run_started_at(con, run_id)
    con.execute(
        "UPDATE runs SET finished_at = ?, counts = ?, error = ?, status = ? WHERE run_id = ?",
        [finished_at, _json(counts), error, "failed" if error else "succeeded", run_id],
    )


def record_runs(con: duckdb.DuckDBPyConnection, records: Iterable[RunRecord]) -> None:
    """Copy run records (nianbao.runs) into `runs`: a run's row follows its record, whatever it said before."""
    rows = [
        (r.run_id, r.started_at, r.finished_at, r.status, _json(r.params), None if r.counts is None else _json(r.counts),
         r.error, r.stage, r.flow_run_id, r.process)
        for r in records
    ]
    columns = ("run_id", "started_at", "finished_at", "status", "params", "counts", "error", "stage", "flow_run_id",
               "process")
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    with transaction(con):
        insert_rows(con, "runs", columns, rows, on_conflict=f"ON CONFLICT (run_id) DO UPDATE SET {updates}")


def _upsert_portal(con: duckdb.DuckDBPyConnection, portal: Portal) -> None:
    con.execute(
        """
        INSERT INTO portals VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (portal_id) DO UPDATE SET province = excluded.province, city = excluded.city,
            county = excluded.county, column_url = excluded.column_url, cms = excluded.cms
        """,
        [portal.portal_id, portal.province, portal.city, portal.county, portal.column_url, portal.cms],
    )


# --------------------------------------------------------------------------- crawl


def load_crawl(con: duckdb.DuckDBPyConnection, run_id: str, results: Iterable[CrawlResult]) -> None:
    """Record what the run fetched from each portal: fetches, skipped items, health problems and a
    portal_runs summary. Loading a portal's result again for the same run replaces the earlier one."""
    _run_started_at(con, run_id)
    for result in results:
        portal_id = result.portal.portal_id
        with transaction(con):
            _upsert_portal(con, result.portal)
            for table in ("fetches", "skipped_items", "portal_health", "portal_runs"):
                con.execute(f"DELETE FROM {table} WHERE run_id = ? AND portal_id = ?", [run_id, portal_id])
            insert_rows(
                con,
                "fetches",
                ("run_id", "portal_id", "seq", "url", "purpose", "outcome", "status", "bytes", "etag",
                 "last_modified", "sha256", "error", "fetched_at", "elapsed_ms", "final_url"),
                [
                    (run_id, portal_id, seq, f.url, f.purpose, f.outcome, f.status, f.bytes, f.etag,
                     f.last_modified, f.sha256, f.error, f.fetched_at, f.elapsed_ms, f.final_url)
                    for seq, f in enumerate(result.fetches, start=1)
                ],
            )
            insert_rows(
                con,
                "skipped_items",
                ("run_id", "portal_id", "seq", "url", "title", "reason", "discovery_path"),
                [(run_id, portal_id, seq, s.url, s.title, s.reason, list(s.discovery_path))
                 for seq, s in enumerate(result.skipped, 1)],
            )
            insert_rows(
                con,
                "portal_health",
                ("run_id", "portal_id", "seq", "url", "problem", "detail"),
                [(run_id, portal_id, seq, h.url, h.problem, h.detail) for seq, h in enumerate(result.health, 1)],
            )
            con.execute(
                "INSERT INTO portal_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    portal_id,
                    not any(h.problem == "unreachable" for h in result.health),
                    result.items_listed,
                    len(result.documents),
                    len(result.skipped),
                    sum(f.outcome == "failed" for f in result.fetches),
                    len(result.health),
                ],
            )


# --------------------------------------------------------------------------- reports

ReportItem = tuple[Portal, ReportDocument, "ExtractedReport | None"]

_REPORT_COLUMNS = (
    "report_id", "portal_id", "province", "city", "county", "agency", "year", "generation", "title", "heading",
    "detail_url", "document_url", "document_sha256", "media_type", "index_no", "published_date", "written_date",
    "title_year", "period_year", "status", "error", "page_count", "extractor_version", "first_seen_at",
    "last_seen_at", "first_seen_run", "last_seen_run", "ocr_engine",
)
_KEPT_ON_RELOAD = {"report_id", "first_seen_at", "first_seen_run"}


def _problem_with(doc: ReportDocument, extracted: ExtractedReport | None) -> str | None:
    """Why an extraction cannot be loaded as it is, or None."""
    if extracted is None:
        return None
    if extracted.sha256 != doc.sha256:
        return (f"{doc.document_url}: the extraction is of {extracted.sha256[:16]}, not of this document "
                f"({doc.sha256[:16]})")
    seen: set[tuple[str, str, str]] = set()
    for c in extracted.cells:
        key = (c.table_code, c.row_code, c.column_code)
        if key in seen:
            return f"{doc.document_url}: cell {c.table_code}[{c.row_code}, {c.column_code}] given twice"
        seen.add(key)
    return None


def _report_row(run_id: str, seen_at: datetime, portal: Portal, doc: ReportDocument, ex: ExtractedReport) -> tuple:
    values = {
        "report_id": report_id_for(doc.sha256),
        "portal_id": portal.portal_id,
        "province": portal.province,
        "city": portal.city,
        "county": portal.county,
        "agency": doc.publisher or ex.agency,
        "year": ex.year,
        "generation": ex.generation,
        "title": doc.title,
        "heading": ex.title,
        "detail_url": doc.detail_url,
        "document_url": doc.document_url,
        "document_sha256": doc.sha256,
        "media_type": doc.media_type,
        "index_no": doc.index_no,
        "published_date": doc.published_date,
        "written_date": doc.written_date or ex.written_date,
        "title_year": ex.title_year,
        "period_year": ex.period_year,
        "status": ex.status,
        "error": ex.error,
        "page_count": ex.page_count,
        "extractor_version": ex.extractor_version,
        "first_seen_at": seen_at,
        "last_seen_at": seen_at,
        "first_seen_run": run_id,
        "last_seen_run": run_id,
        "ocr_engine": ex.ocr_engine,
    }
    return tuple(values[c] for c in _REPORT_COLUMNS)


# Tables of migration 012: a warehouse not yet migrated to it (an older file being loaded before its upgrade)
# keeps no table readings.
_READINGS = ("report_tables", "report_label_notes")


def _replace_contents(con: duckdb.DuckDBPyConnection, extractions: dict[str, ExtractedReport]) -> None:
    report_ids = list(extractions)
    readings = con.execute(
        "SELECT count(*) = 2 FROM duckdb_tables() WHERE table_name IN (SELECT unnest(?::VARCHAR[]))", [list(_READINGS)]
    ).fetchone()[0]
    for table in ("report_cells", "narrative_figures", "report_pages", *(_READINGS if readings else ())):
        con.execute(f"DELETE FROM {table} WHERE report_id IN (SELECT unnest(?::VARCHAR[]))", [report_ids])
    insert_rows(
        con,
        "report_cells",
        ("report_id", "table_code", "row_code", "column_code", "value", "raw_text", "page", "confidence", "ocr_region"),
        [(rid, c.table_code, c.row_code, c.column_code, c.value, c.raw_text, c.page, c.confidence, c.region)
         for rid, ex in extractions.items() for c in ex.cells],
    )
    insert_rows(
        con,
        "narrative_figures",
        ("report_id", "seq", "quantity_code", "value", "sentence", "page"),
        [(rid, seq, f.quantity_code, f.value, f.sentence, f.page)
         for rid, ex in extractions.items() for seq, f in enumerate(ex.figures, start=1)],
    )
    if readings:
        _insert_readings(con, extractions)
    insert_rows(
        con,
        "report_pages",
        ("report_id", "page", "text"),
        [(rid, p.page, p.text) for rid, ex in extractions.items() for p in ex.pages],
    )


def _insert_readings(con: duckdb.DuckDBPyConnection, extractions: dict[str, ExtractedReport]) -> None:
    insert_rows(
        con,
        "report_tables",
        ("report_id", "table_code", "generation", "variant"),
        [(rid, t.table_code, t.generation, t.variant) for rid, ex in extractions.items() for t in ex.tables],
    )
    insert_rows(
        con,
        "report_label_notes",
        ("report_id", "table_code", "row_code", "raw_text", "template_label", "page"),
        [(rid, n.table_code, n.row_code, n.printed, n.template, n.page)
         for rid, ex in extractions.items() for n in ex.label_notes],
    )


LOAD_CHUNK = 100  # reports per batch: big enough to be fast, small enough to keep a run's memory flat


def load_extracted(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    documents: list[tuple[Portal, ReportDocument]],
    to_load: set[str],
    store: ExtractionStore,
    extractor_version: str,
) -> list[tuple[ReportDocument, str]]:
    """Load a run's documents from the extraction store, LOAD_CHUNK at a time: the documents in `to_load`
    with their extraction, the others (already loaded by an earlier run) as a sighting only. Returns the
    documents refused, with the reason."""
    refused: list[tuple[ReportDocument, str]] = []
    for i in range(0, len(documents), LOAD_CHUNK):
        items = [
            (portal, d, store.get(d.sha256, extractor_version) if d.sha256 in to_load else None)
            for portal, d in documents[i : i + LOAD_CHUNK]
        ]
        refused += load_reports(con, run_id, items)
    return refused


def load_reports(
    con: duckdb.DuckDBPyConnection, run_id: str, items: Iterable[ReportItem]
) -> list[tuple[ReportDocument, str]]:
    """Load the reports found by a run, in one transaction; return the documents refused, with the reason.

    Each item is (portal, document, extraction). An extraction of None means the document is unchanged and
    already extracted with the current extractor version: the report only gets this URL linked and its
    last-seen run bumped. Otherwise the report's row is written and its cells, narrative figures and pages
    replace the ones loaded before. Refused: an extraction of other bytes, a cell given twice, an unchanged
    document the warehouse never loaded. One statement per table for the whole batch: DuckDB spends
    milliseconds on each statement and each commit, so loading report by report is ~10 times slower."""
    seen_at = _run_started_at(con, run_id)
    refused: list[tuple[ReportDocument, str]] = []
    accepted: list[ReportItem] = []
    for item in items:
        problem = _problem_with(item[1], item[2])
        if problem:
            refused.append((item[1], problem))
        else:
            accepted.append(item)
    extracted = {report_id_for(doc.sha256): (portal, doc, ex) for portal, doc, ex in accepted if ex is not None}
    unchanged = {report_id_for(doc.sha256): (portal, doc) for portal, doc, ex in accepted if ex is None}
    unchanged = {rid: item for rid, item in unchanged.items() if rid not in extracted}
    known = {rid for (rid,) in con.execute(
        "SELECT report_id FROM reports WHERE report_id IN (SELECT unnest(?::VARCHAR[]))", [list(unchanged)]
    ).fetchall()}
    for rid in sorted(set(unchanged) - known):
        doc = unchanged.pop(rid)[1]
        refused.append((doc, f"report {rid} ({doc.document_url}) is not in the warehouse: load it with its extraction"))
    links = {
        (report_id_for(doc.sha256), doc.detail_url, doc.document_url): (portal.portal_id, list(doc.discovery_path))
        for portal, doc, _ in accepted
        if report_id_for(doc.sha256) in extracted or report_id_for(doc.sha256) in unchanged
    }
    updates = ", ".join(f"{c} = excluded.{c}" for c in _REPORT_COLUMNS if c not in _KEPT_ON_RELOAD)
    with transaction(con):
        insert_rows(
            con,
            "reports",
            _REPORT_COLUMNS,
            [_report_row(run_id, seen_at, portal, doc, ex) for portal, doc, ex in extracted.values()],
            on_conflict=f"ON CONFLICT (report_id) DO UPDATE SET {updates}",
        )
        _replace_contents(con, {rid: ex for rid, (_, _, ex) in extracted.items()})
        if unchanged:
            rows = [(rid, p.portal_id, p.province, p.city, p.county, d.detail_url, d.document_url)
                    for rid, (p, d) in unchanged.items()]
            con.execute(
                """
                UPDATE reports SET portal_id = v.portal_id, province = v.province, city = v.city, county = v.county,
                    detail_url = v.detail_url, document_url = v.document_url, last_seen_at = ?, last_seen_run = ?
                FROM (SELECT unnest(?) AS report_id, unnest(?) AS portal_id, unnest(?) AS province,
                             unnest(?) AS city, unnest(?) AS county, unnest(?) AS detail_url,
                             unnest(?) AS document_url) v
                WHERE reports.report_id = v.report_id
                """,
                [seen_at, run_id, *[list(column) for column in zip(*rows)]],
            )
        insert_rows(
            con,
            "report_urls",
            ("report_id", "detail_url", "document_url", "portal_id", "first_seen_run", "last_seen_run", "discovery_path"),
            [(*key, portal_id, run_id, run_id, path) for key, (portal_id, path) in links.items()],
            on_conflict="""ON CONFLICT (report_id, detail_url, document_url) DO UPDATE
                SET portal_id = excluded.portal_id, last_seen_run = excluded.last_seen_run,
                    discovery_path = excluded.discovery_path""",
        )
    return refused


def load_report(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    portal: Portal,
    doc: ReportDocument,
    extracted: ExtractedReport | None,
) -> str:
    """Load one report (see load_reports) and return its report_id; a refused document raises ValueError."""
    refused = load_reports(con, run_id, [(portal, doc, extracted)])
    if refused:
        raise ValueError(refused[0][1])
    return report_id_for(doc.sha256)


def assign_agencies(con: duckdb.DuckDBPyConnection, rules: RuleSettings) -> None:
    """Every report's agency id and level (reports.agency_id, agency_level) from its title and agency name
    and the config (renames, level overrides): recomputed for all reports, so a config change applies to
    the reports of earlier runs too. A few milliseconds per thousand reports."""
    reports = con.execute(
        "SELECT report_id, heading, title, agency, province, city, county FROM reports ORDER BY report_id"
    ).fetchall()
    rows = [(rid, *identify(heading, title, agency, province, city, county, rules))
            for rid, heading, title, agency, province, city, county in reports]
    if not rows:
        return
    with transaction(con):
        con.execute(
            """
            UPDATE reports SET agency_id = v.agency_id, agency_level = v.agency_level
            FROM (SELECT unnest(?::VARCHAR[]) AS report_id, unnest(?::VARCHAR[]) AS agency_id,
                         unnest(?::VARCHAR[]) AS agency_level) v
            WHERE reports.report_id = v.report_id
              AND (reports.agency_id IS DISTINCT FROM v.agency_id OR reports.agency_level IS DISTINCT FROM v.agency_level)
            """,
            [list(column) for column in zip(*rows)],
        )


# --------------------------------------------------------------------------- replaced reports


def supersede_replaced(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple[str, str]]:
    """A portal that replaces a report under the same URL: the report this run found at a document URL
    supersedes the other reports seen at that URL before (unless this run saw them somewhere too), and their
    unresolved findings (open, confirmed or waived: the office's decision was on the old document) are
    superseded with it (a report superseded already keeps pointing to the version that
    first replaced it). A report found again at its URL after being superseded (the portal went back) is
    current again, and its superseded findings are open again until it is validated. Returns the (old, new)
    report ids superseded by this run."""
    with transaction(con):
        replaced = con.execute(
            """
            WITH current AS (SELECT DISTINCT report_id, portal_id, document_url FROM report_urls WHERE last_seen_run = ?)
            SELECT DISTINCT o.report_id, c.report_id
            FROM report_urls o JOIN current c ON o.portal_id = c.portal_id AND o.document_url = c.document_url
            WHERE o.report_id <> c.report_id AND o.report_id NOT IN (SELECT report_id FROM current)
            ORDER BY ALL
            """,
            [run_id],
        ).fetchall()
        current = con.execute(
            "SELECT DISTINCT report_id FROM report_urls WHERE last_seen_run = ?", [run_id]
        ).fetchall()
        reinstated = [rid for (rid,) in current]
        con.execute(
            """UPDATE dq_findings SET status = 'open', superseded_by = NULL
               WHERE status = 'superseded' AND report_id IN (
                   SELECT report_id FROM reports WHERE superseded_by IS NOT NULL AND report_id IN (SELECT unnest(?::VARCHAR[])))""",
            [reinstated],
        )
        con.execute(
            "UPDATE reports SET superseded_by = NULL, superseded_run = NULL WHERE report_id IN (SELECT unnest(?::VARCHAR[]))",
            [reinstated],
        )
        new = replaced
        if new:
            con.execute(
                """
                UPDATE reports SET superseded_by = v.new_id, superseded_run = ?
                FROM (SELECT unnest(?::VARCHAR[]) AS old_id, unnest(?::VARCHAR[]) AS new_id) v
                WHERE reports.report_id = v.old_id AND reports.superseded_by IS NULL
                """,
                [run_id, [o for o, _ in new], [n for _, n in new]],
            )
            con.execute(
                """
                UPDATE dq_findings SET status = 'superseded', superseded_by = v.new_id
                FROM (SELECT unnest(?::VARCHAR[]) AS old_id, unnest(?::VARCHAR[]) AS new_id) v
                WHERE dq_findings.report_id = v.old_id AND dq_findings.status IN ('open', 'confirmed', 'waived')
                """,
                [[o for o, _ in new], [n for _, n in new]],
            )
        superseded_now = con.execute(
            "SELECT report_id, superseded_by FROM reports WHERE superseded_run = ? ORDER BY ALL", [run_id]
        ).fetchall()
    return superseded_now


# --------------------------------------------------------------------------- findings


_FINDING_COLUMNS = (
    "finding_id", "report_id", "rule_code", "severity", "location", "expected", "observed", "imbalance", "message",
    "province", "city", "county", "agency", "agency_id", "year", "first_seen_run", "last_seen_run", "opened_run", "status",
)
# Found again: the figures and wording follow the new validation; a resolved finding reopens (and alerts
# again); an open, confirmed or waived one keeps its status (warehouse.triage re-applies the office's
# decision, or reopens it when its figures changed).
_FOUND_AGAIN = """
    ON CONFLICT (finding_id) DO UPDATE SET severity = excluded.severity, location = excluded.location,
        expected = excluded.expected, observed = excluded.observed, imbalance = excluded.imbalance,
        message = excluded.message, last_seen_run = excluded.last_seen_run,
        opened_run = CASE WHEN dq_findings.status = 'resolved' THEN excluded.opened_run ELSE dq_findings.opened_run END,
        status = CASE WHEN dq_findings.status = 'resolved' THEN 'open' ELSE dq_findings.status END,
        resolved_run = NULL
"""
_UNRESOLVED = ("open", "confirmed", "waived")


def _upsert_findings(con: duckdb.DuckDBPyConnection, run_id: str, findings: Iterable[Finding]) -> list[str]:
    """Insert or update the findings (inside the caller's transaction); returns their ids."""
    unique = {f.finding_id: f for f in reversed(list(findings))}  # the first of duplicates wins
    rows = []
    for fid, f in unique.items():
        s = f.subject
        place = (s.province, s.city, s.county, s.agency, s.agency_id, s.year) if s else (None,) * 6
        rows.append((fid, f.report_id, f.rule_code, f.severity, f.location, f.expected, f.observed, f.imbalance,
                     f.message, *place, run_id, run_id, run_id, "open"))
    insert_rows(con, "dq_findings", _FINDING_COLUMNS, rows, on_conflict=_FOUND_AGAIN)
    return list(unique)


def load_findings(
    con: duckdb.DuckDBPyConnection, run_id: str, report_ids_validated: Iterable[str], findings: Iterable[Finding]
) -> None:
    """Record the findings of a validation of `report_ids_validated`. A finding found again keeps its
    finding_id and first_seen_run; an unresolved finding of a validated report that was not found again is
    resolved; a resolved finding found again is reopened (opened_run = this run)."""
    _run_started_at(con, run_id)
    validated = sorted(set(report_ids_validated))
    with transaction(con):
        found = _upsert_findings(con, run_id, findings)
        con.execute(
            """
            UPDATE dq_findings SET status = 'resolved', resolved_run = ?
            WHERE status IN (SELECT unnest(?::VARCHAR[]))
              AND report_id IN (SELECT unnest(?::VARCHAR[]))
              AND finding_id NOT IN (SELECT unnest(?::VARCHAR[]))
            """,
            [run_id, list(_UNRESOLVED), validated, found],
        )


def load_rule_findings(con: duckdb.DuckDBPyConnection, run_id: str, rule_code: str, findings: Iterable[Finding]) -> None:
    """Record the findings of a rule judged over the whole warehouse at once (not_published): every
    unresolved finding of that rule not found again is resolved (the report turned up, or the registry
    no longer expects it)."""
    _run_started_at(con, run_id)
    findings = [f for f in findings if f.rule_code == rule_code]
    with transaction(con):
        found = _upsert_findings(con, run_id, findings)
        con.execute(
            """
            UPDATE dq_findings SET status = 'resolved', resolved_run = ?
            WHERE rule_code = ? AND status IN (SELECT unnest(?::VARCHAR[]))
              AND finding_id NOT IN (SELECT unnest(?::VARCHAR[]))
            """,
            [run_id, rule_code, list(_UNRESOLVED), found],
        )
