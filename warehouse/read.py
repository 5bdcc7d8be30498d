"""Read-only access to the published warehouse.

Each call opens the file read_only and closes it before returning: DuckDB lets many read-only processes
share a file, and a connection left open would keep a process on an old published file (see
warehouse.publish).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from nianbao.config import SqlSettings
from nianbao.models import CrawlState, KnownUrl
from warehouse.db import sql_literal

BOM = "\ufeff".encode()


@contextmanager
def reading(published: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    published = Path(published)
    if not published.exists():
        raise FileNotFoundError(f"no warehouse at {published}: run the pipeline first")
    con = duckdb.connect(str(published), read_only=True)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def sandbox(published: Path, limits: SqlSettings, writable: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for SQL typed by a person: it cannot write, read or list any file but the
    warehouse (and `writable`, the one file an export writes), cannot install or load extensions, cannot
    change these settings back (lock_configuration); each statement is stopped after
    `limits.time_limit_seconds` and held to `limits.memory_limit`."""
    published = Path(published)
    if not published.exists():
        raise FileNotFoundError(f"no warehouse at {published}: run the pipeline first")
    con = duckdb.connect(str(published), read_only=True, config={
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "memory_limit": limits.memory_limit,
        "threads": limits.threads,
        "max_execution_time": int(limits.time_limit_seconds * 1000),
    })
    try:
        # the allowed lists can only be set while external access is on, and only once the database is open
        con.execute(f"SET allowed_paths = [{sql_literal(str(writable)) if writable else ''}]")
        con.execute("SET allowed_directories = []")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        yield con
    finally:
        con.close()


def sandboxed_query(published: Path, sql: str, limits: SqlSettings) -> tuple[list[str], list[tuple], bool]:
    """Run a person's SQL in the sandbox: (column names, the first `limits.max_rows_shown` rows, whether
    there were more)."""
    with sandbox(published, limits) as con:
        cursor = con.execute(sql)
        if cursor.description is None:
            return [], [], False
        rows = cursor.fetchmany(limits.max_rows_shown + 1)
        return [d[0] for d in cursor.description], rows[: limits.max_rows_shown], len(rows) > limits.max_rows_shown


def crawl_states(published: Path, portal_ids: list[str]) -> dict[str, CrawlState]:
    """What the crawler needs to revalidate each portal's URLs: the latest successful fetch of each URL (its
    ETag and Last-Modified from the latest fetch of the same content that had them, and when the portal last
    answered for it), and how many items the column listed on the last run that listed any. Empty before
    the first run. All portals in one connection and one scan of `fetches`, before the crawl tasks start."""
    states = {portal_id: CrawlState() for portal_id in portal_ids}
    if not Path(published).exists():
        return states
    with reading(published) as con:
        known = con.execute(
            """
            WITH ok AS (
                SELECT f.portal_id, f.url, f.purpose, f.sha256, f.etag, f.last_modified, f.fetched_at,
                       row_number() OVER (ORDER BY r.started_at, f.seq) AS ord
                FROM fetches f JOIN runs r USING (run_id)
                WHERE f.portal_id IN (SELECT unnest(?::VARCHAR[])) AND f.outcome IN ('downloaded', 'not_modified')
                      AND f.sha256 IS NOT NULL
            ),
            by_content AS (
                SELECT portal_id, url, sha256, max(ord) AS last_ord, arg_max(purpose, ord) AS purpose,
                       -- stored as the session's local time (DuckDB's TIMESTAMP), read back as an instant
                       max(fetched_at)::TIMESTAMPTZ AS checked_at,
                       arg_max(etag, ord) FILTER (WHERE etag IS NOT NULL) AS etag,
                       arg_max(last_modified, ord) FILTER (WHERE last_modified IS NOT NULL) AS last_modified
                FROM ok GROUP BY portal_id, url, sha256
            ),
            latest AS (
                SELECT * FROM by_content
                QUALIFY row_number() OVER (PARTITION BY portal_id, url ORDER BY last_ord DESC) = 1
            ),
            media AS (SELECT document_sha256, min(media_type) AS media_type FROM reports GROUP BY document_sha256),
            -- a page is html; a document is known by the report made of its bytes (without one, the crawler
            -- could not rebuild its ReportDocument on a 304, so it fetches it afresh)
            typed AS (
                SELECT l.portal_id, l.url, l.etag, l.last_modified, l.sha256,
                       coalesce(m.media_type, CASE WHEN l.purpose IN ('list', 'detail') THEN 'html' END) AS media_type,
                       l.checked_at
                FROM latest l LEFT JOIN media m ON m.document_sha256 = l.sha256
            )
            SELECT * FROM typed WHERE media_type IS NOT NULL
            """,
            [portal_ids],
        ).fetchall()
        listed = con.execute(
            """
            SELECT p.portal_id, arg_max(p.items_listed, r.started_at) FROM portal_runs p JOIN runs r USING (run_id)
            -- the last run that listed anything: a column that stays empty night after night stays a problem
            WHERE p.portal_id IN (SELECT unnest(?::VARCHAR[])) AND p.reached AND p.items_listed > 0
            GROUP BY p.portal_id
            """,
            [portal_ids],
        ).fetchall()
    for portal_id, *url_state in known:
        states[portal_id].known[url_state[0]] = KnownUrl(*url_state)
    for portal_id, items_listed in listed:
        states[portal_id].previously_listed = items_listed
    return states


def extracted_versions(published: Path) -> set[tuple[str, str]]:
    """(sha256, extractor_version) of every document already extracted: extraction of these is skipped."""
    if not Path(published).exists():
        return set()
    with reading(published) as con:
        return set(con.execute("SELECT DISTINCT document_sha256, extractor_version FROM reports").fetchall())


def query(published: Path, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple]]:
    """Run one of the project's own SQL statements on the published warehouse: (column names, rows). SQL
    typed by a person goes through sandboxed_query."""
    with reading(published) as con:
        cursor = con.execute(sql, params)
        if cursor.description is None:
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()


_IDENTIFIER = re.compile(r"^[^\W\d]\w*$")  # a table or view name, Chinese ones included


def export(published: Path, sql: str, out: Path, fmt: str, limits: SqlSettings = SqlSettings()) -> int:
    """Write the result of a query (or a whole table or view, given its name) to `out` as csv, xlsx or
    parquet; return the number of rows. CSV is UTF-8 with a byte-order mark, so that Excel shows Chinese. The query
    runs in the sandbox, with `out` (its part file) as the one file it may write."""
    if fmt not in ("csv", "xlsx", "parquet"):
        raise ValueError(f"unknown export format {fmt!r}: csv, xlsx or parquet")
    source = sql.strip().rstrip(";").strip()
    if _IDENTIFIER.match(source):
        source = f'SELECT * FROM "{source}"'
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":  # DuckDB's excel extension would be a download: openpyxl writes it from the rows
        with sandbox(published, limits) as con:
            cursor = con.execute(source)
            return _write_xlsx(out, [d[0] for d in cursor.description], cursor.fetchall())
    target = out if fmt == "parquet" else out.with_name(out.name + ".part")
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    target = target.resolve()
    with sandbox(published, limits, writable=target) as con:
        (rows,) = con.execute(f"COPY ({source}) TO {sql_literal(str(target))} ({options})").fetchone()
    if fmt == "csv":
        with open(out, "wb") as dst, open(target, "rb") as src:
            dst.write(BOM)
            shutil.copyfileobj(src, dst)
        target.unlink()
    return rows


def _write_xlsx(out: Path, columns: list[str], rows: list[tuple]) -> int:
    """One sheet, the header row frozen; numbers, dates and times stay typed, anything else is text."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("查询结果")
    sheet.freeze_panes = "A2"
    sheet.append(columns)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    book.save(out)
    return len(rows)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:  # Excel has no time zones: the local time
        return value.astimezone().replace(tzinfo=None)
    if value is None or isinstance(value, (int, float, Decimal, date, datetime)):
        return value
    return str(value)


def current_report_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The reports no newer version has replaced on their portal (the ones validation judges)."""
    return [r for (r,) in con.execute("SELECT report_id FROM reports WHERE superseded_by IS NULL ORDER BY 1").fetchall()]


def flagged_report_count(con: duckdb.DuckDBPyConnection) -> int:
    """Reports with an open error finding, on a connection the caller holds (the run's building file)."""
    return con.execute(
        "SELECT count(DISTINCT report_id) FROM dq_findings WHERE status = 'open' AND severity = 'error'"
    ).fetchone()[0]
