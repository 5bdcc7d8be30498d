"""应报未报 (not_published): every agency of the registry (expected_agencies) must have a report on every
year it is expected for, once that year's publication deadline has passed.

Judged on every run, whatever the run loaded: the calendar, not a new document, is what makes a report
missing. A plain query rather than a GX suite, so that a night with nothing new (which skips the suites and
their seconds of import) still finds the agencies whose deadline passed at midnight.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import duckdb

import warehouse.load
import warehouse.registry
import warehouse.triage
from nianbao.config import RuleSettings
from nianbao.deadlines import LEVEL_LABELS, publication_deadline
from nianbao.models import AgencyYear, ExpectedAgency, Finding

RULE = "not_published"
LOCATION = "report[missing]"
OFFICE_TIME_ZONE = ZoneInfo("Asia/Shanghai")  # deadlines are days of the Chinese calendar


def office_today() -> date:
    return datetime.now(OFFICE_TIME_ZONE).date()


def not_published(con: duckdb.DuckDBPyConnection, today: date, rules: RuleSettings) -> list[Finding]:
    """A finding for each expected agency and year whose deadline (nianbao.deadlines, by the agency's level)
    is before `today` and for which the warehouse holds no report of that agency (by agency id; any version,
    read or not: a published scan is published)."""
    published = set(con.execute(
        "SELECT DISTINCT agency_id, year FROM reports WHERE agency_id IS NOT NULL AND year IS NOT NULL"
    ).fetchall())
    registry = con.execute(
        """SELECT agency_id, province, city, county, agency, level, first_year, last_year FROM expected_agencies
           ORDER BY province, city, county, agency"""
    ).fetchall()
    severity = rules.severities.get(RULE, "error")
    findings = []
    for aid, province, city, county, agency, level, first_year, last_year in registry:
        year = first_year
        while last_year is None or year <= last_year:
            deadline = publication_deadline(level, year, rules.deadlines, (county, city, province))
            if deadline.due >= today:  # not yet due: the deadline day itself still counts as on time
                break
            if (aid, year) not in published:
                findings.append(Finding(
                    report_id=None,
                    rule_code=RULE,
                    severity=severity,
                    location=LOCATION,
                    expected=None,
                    observed=None,
                    message=(f"[{RULE}] 应报未报：{agency}（{LEVEL_LABELS.get(level, level)}）{year} 年度报告"
                             f"应于 {deadline.due.isoformat()} 前公布，截至 {today.isoformat()} 未在{county}门户网站发现"
                             f"（{deadline.rule}）"),
                    subject=AgencyYear(province, city, county, agency, aid, year),
                ))
            year += 1
    return findings


def judge_publication_and_apply_decisions(
    con: duckdb.DuckDBPyConnection, run_id: str, rules: RuleSettings, registry: list[ExpectedAgency],
    decisions: list[warehouse.triage.Decision], today: date,
) -> None:
    """The last steps of every build (the nightly flow, `nianbao validate`), on the warehouse being built,
    after reports.agency_id is assigned: the registry refreshed and 应报未报 judged as of `today` (every
    run: a deadline passing, not a new document, makes a report missing), then the office's decisions
    applied to the findings as they now are."""
    warehouse.registry.refresh_expected_agencies(con, registry, rules)
    warehouse.load.load_rule_findings(con, run_id, RULE, not_published(con, today, rules))
    warehouse.triage.apply_decisions(con, decisions, run_id, datetime.now())
