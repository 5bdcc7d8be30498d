"""What the scorecard pages show, read from the published warehouse (a read-only connection)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import duckdb

from nianbao.schema import location_label

UNRESOLVED = ("open", "confirmed")  # a finding the office has not waived and the reports have not fixed


@dataclass(frozen=True)
class CountyYear:
    """A cell of the province overview: one county's reports on one year (a row of county_year_summary)."""

    year: int
    expected: int
    published: int
    on_time: int
    late: int
    missing: int
    reconciled: int
    flagged: int
    not_parsed: int


@dataclass
class County:
    province: str
    city: str
    county: str
    page: str  # file name of its page
    years: dict[int, CountyYear] = field(default_factory=dict)


@dataclass(frozen=True)
class AgencyYearCell:
    """What the county page says of one agency's report on one year."""

    state: str  # on_time | late | missing | waived | not_due | unknown_date | not_expected
    report_id: str | None = None
    document_url: str | None = None
    errors: int = 0  # unresolved error findings of the report


@dataclass(frozen=True)
class OpenFinding:
    finding_id: str
    status: str
    rule_code: str
    severity: str
    agency: str | None
    year: int | None
    where: str  # the location in words
    page: int | None  # page of the document where the figure is printed
    message: str
    document_url: str | None
    detail_url: str | None
    decided_by: str | None
    decision_reason: str | None


@dataclass(frozen=True)
class Trend:
    year: int
    received: float | None  # 本年新收政府信息公开申请数量（总计）
    results: float | None  # 办理结果总计
    granted: float | None  # 予以公开
    reviews: float | None  # 行政复议总计


def page_name(province: str, city: str, county: str) -> str:
    """A county page's file name: ASCII, so it survives zip files, shared folders and any web server."""
    return "county-" + hashlib.sha1(f"{province}|{city}|{county}".encode()).hexdigest()[:10] + ".html"


def counties(con: duckdb.DuckDBPyConnection) -> list[County]:
    """Every county with reports, findings or a registry entry, with its county_year_summary rows."""
    places = con.execute(
        """SELECT province, city, county FROM county_year_summary
           UNION SELECT province, city, county FROM expected_agencies ORDER BY ALL"""
    ).fetchall()
    by_place = {p: County(*p, page_name(*p)) for p in places}
    for row in con.execute(
        """SELECT province, city, county, year, expected, agencies_found, on_time, late, missing, reconciled, flagged,
                  not_parsed FROM county_year_summary ORDER BY ALL"""
    ).fetchall():
        by_place[row[:3]].years[row[3]] = CountyYear(*row[3:])
    return list(by_place.values())


def agency_grid(con: duckdb.DuckDBPyConnection, c: County, years: list[int]) -> dict[str, dict[int, AgencyYearCell]]:
    """Agency name → year → what happened: the registry's agencies and any other agency that published,
    matched by agency id (a year's report may spell the name another way)."""
    place = [c.province, c.city, c.county]
    registry = con.execute(
        """SELECT agency_id, agency, first_year, last_year FROM expected_agencies
           WHERE province = ? AND city = ? AND county = ?""",
        place,
    ).fetchall()
    reports = con.execute(
        f"""
        SELECT l.agency_id, any_value(l.agency), l.year, l.report_id, l.document_url,
               bool_or(f.rule_code = 'published_on_time' AND f.status IN {UNRESOLVED}) AS late,
               count(*) FILTER (WHERE f.severity = 'error' AND f.status IN {UNRESOLVED}) AS errors,
               coalesce(l.published_date, l.written_date) IS NULL AS undated
        FROM latest_reports l LEFT JOIN dq_findings f USING (report_id)
        WHERE l.province = ? AND l.city = ? AND l.county = ? AND l.agency_id IS NOT NULL AND l.year IS NOT NULL
        GROUP BY l.agency_id, l.year, l.report_id, l.document_url, l.published_date, l.written_date
        """,
        place,
    ).fetchall()
    missing = {(aid, year): status for aid, year, status in con.execute(
        """SELECT agency_id, year, status FROM dq_findings
           WHERE rule_code = 'not_published' AND status <> 'resolved' AND province = ? AND city = ? AND county = ?""",
        place,
    ).fetchall()}
    names: dict[str, str] = {}
    grid: dict[str, dict[int, AgencyYearCell]] = {}
    for aid, agency, first_year, last_year in registry:
        names[aid] = agency
        grid[aid] = {}
        for year in years:
            if year < first_year or (last_year is not None and year > last_year):
                state = "not_expected"
            else:
                status = missing.get((aid, year))
                state = "not_due" if status is None else ("waived" if status == "waived" else "missing")
            grid[aid][year] = AgencyYearCell(state)
    for aid, agency, year, report_id, document_url, late, errors, undated in reports:
        state = "late" if late else ("unknown_date" if undated else "on_time")
        names.setdefault(aid, agency)
        grid.setdefault(aid, {y: AgencyYearCell("not_expected") for y in years})
        grid[aid][year] = AgencyYearCell(state, report_id, document_url, errors)
    return dict(sorted((names[aid], row) for aid, row in grid.items()))


def open_findings(con: duckdb.DuckDBPyConnection, c: County) -> list[OpenFinding]:
    """The county's findings that are open or confirmed, with the page where the figure is printed."""
    rows = con.execute(
        f"""
        SELECT o.finding_id, o.status, o.rule_code, o.severity, o.agency, o.year, o.report_id, o.location, o.message,
               o.document_url, o.detail_url, o.decided_by, o.decision_reason,
               (SELECT min(page) FROM report_cells rc
                WHERE rc.report_id = o.report_id
                  AND o.location = rc.table_code || '[' || rc.row_code || ', ' || rc.column_code || ']') AS page
        FROM findings_overview o
        WHERE o.status IN {UNRESOLVED} AND o.province = ? AND o.city = ? AND o.county = ?
        ORDER BY o.severity, o.agency, o.year, o.rule_code, o.location
        """,
        [c.province, c.city, c.county],
    ).fetchall()
    return [
        OpenFinding(fid, status, rule, severity, agency, year, "" if report_id is None else location_label(location),
                    page, message, doc, detail, by, reason)
        for fid, status, rule, severity, agency, year, report_id, location, message, doc, detail, by, reason, page in rows
    ]


def trends(con: duckdb.DuckDBPyConnection, c: County) -> list[Trend]:
    """The county's requests and their results per year, summed over its agencies' latest reports."""
    rows = con.execute(
        """
        SELECT l.year,
               sum(v.value) FILTER (WHERE v.table_code = 'application' AND v.row_code = 'new_received'),
               sum(v.value) FILTER (WHERE v.table_code = 'application' AND v.row_code = 'results_total'),
               sum(v.value) FILTER (WHERE v.table_code = 'application' AND v.row_code = 'granted'),
               sum(v.value) FILTER (WHERE v.table_code = 'review_litigation' AND v.row_code = 'review')
        FROM latest_reports l
        JOIN report_cells v ON v.report_id = l.report_id AND v.column_code = 'total'
        WHERE l.province = ? AND l.city = ? AND l.county = ? AND l.year IS NOT NULL
        GROUP BY l.year ORDER BY l.year
        """,
        [c.province, c.city, c.county],
    ).fetchall()
    return [Trend(year, *(None if v is None else float(v) for v in values)) for year, *values in rows]
