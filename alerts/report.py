"""The project's own Chinese HTML report of a run: per county, the flagged reports with every open finding
and its page, and the portals' state. One self-contained page per county (only that county) and one for the
province, written next to the warehouse: <warehouse folder>/reports/<run_id>/. Inline CSS, no script, no
image, no font or stylesheet from elsewhere: it opens offline and as an email attachment.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import duckdb

from alerts.compose import Attachment
from alerts.notices import FindingNotice, PortalNotice, findings, portal_problems
from alerts.templating import render

INDEX = "index.html"


@dataclass(frozen=True)
class PortalState:
    portal_id: str
    column_url: str
    reached: bool
    items_listed: int
    reports_found: int
    failed: int


@dataclass
class CountySection:
    county: str
    portals: list[PortalState] = field(default_factory=list)
    problems: list[PortalNotice] = field(default_factory=list)
    errors: list[FindingNotice] = field(default_factory=list)
    warnings: list[FindingNotice] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "county-" + hashlib.sha1(self.county.encode()).hexdigest()[:8]

    @property
    def flagged_reports(self) -> int:
        return len({f.report_id for f in self.errors})


@dataclass(frozen=True)
class RunReport:
    """The pages written for one run, and how an email reaches them."""

    folder: Path
    run_id: str
    pages: dict[str, Path]  # county → its page
    base_url: str | None  # where folder's parent is served (alerts.report_base_url); None: attach the page

    def page(self, county: str | None) -> Path:
        return self.folder / INDEX if county is None else self.pages[county]

    def link(self, county: str | None) -> str | None:
        if self.base_url is None:
            return None
        return f"{self.base_url.rstrip('/')}/{quote(self.run_id)}/{quote(self.page(county).name)}"

    def attachment(self, county: str | None) -> Attachment | None:
        if self.base_url is not None:
            return None
        name = f"年报监测报告-{county or '全省'}-{self.run_id}.html"
        return Attachment(name, self.page(county).read_text("utf-8"))


def sections(con: duckdb.DuckDBPyConnection, run_id: str) -> list[CountySection]:
    """Every county of the registry as this run left it: portals, problems, open findings."""
    by_county: dict[str, CountySection] = {}
    for county, *state in con.execute(
        """
        SELECT p.county, p.portal_id, p.column_url, coalesce(r.reached, false), coalesce(r.items_listed, 0),
               coalesce(r.reports_found, 0), coalesce(r.failed, 0)
        FROM portals p LEFT JOIN portal_runs r ON r.portal_id = p.portal_id AND r.run_id = ?
        ORDER BY p.province, p.city, p.county, p.portal_id
        """,
        [run_id],
    ).fetchall():
        by_county.setdefault(county, CountySection(county)).portals.append(PortalState(*state))

    def section(county: str) -> CountySection:
        return by_county.setdefault(county, CountySection(county))

    for problem in portal_problems(con, run_id):
        section(problem.county).problems.append(problem)
    for f in findings(con, "f.status = 'open' AND f.severity IN ('error', 'warning')"):  # info notes stay in SQL
        (section(f.county).errors if f.severity == "error" else section(f.county).warnings).append(f)
    return list(by_county.values())


def write_run_report(con: duckdb.DuckDBPyConnection, run_id: str, reports_dir: Path, now: datetime,
                     base_url: str | None) -> RunReport:
    """Write the run's pages under reports_dir/<run_id>/ and return where they are."""
    (started_at,) = con.execute("SELECT started_at::TIMESTAMPTZ FROM runs WHERE run_id = ?", [run_id]).fetchone()
    folder = Path(reports_dir) / run_id
    folder.mkdir(parents=True, exist_ok=True)
    counties = sections(con, run_id)
    pages = {}
    for i, section in enumerate(counties, start=1):
        page = folder / f"county-{i:03d}.html"
        page.write_text(render("report.html", title=f"{section.county}政府信息公开年度报告监测报告", scope=section.county,
                                run_id=run_id, started_at=started_at, counties=[section], now=now), "utf-8")
        pages[section.county] = page
    (folder / INDEX).write_text(render("report.html", title="政府信息公开年度报告监测报告（全省）", scope="全省", run_id=run_id,
                                        started_at=started_at, counties=counties, now=now), "utf-8")
    return RunReport(folder, run_id, pages, base_url)
