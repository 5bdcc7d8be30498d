"""The office's decisions on findings: recorded with who, when and why; kept through every publish and a
rebuild from nothing; a waived finding is not alerted again while its report is unchanged, and a new version
of the report that still breaks the rule is alerted."""

from __future__ import annotations

import dataclasses
import fcntl
import shutil
from datetime import datetime, timezone
from decimal import Decimal

import pytest

import warehouse
from alerts.notices import due_notices
from nianbao.config import OfficeSettings
from nianbao.models import Cell
from tests.warehouse.records import YONGNING, Run, crawl_result, first_run, make_report, province, publish_run, row_total_finding, unchanged_run
from warehouse.triage import DecisionJournal, JournalError, record_decision

JAN = datetime(2025, 2, 1, 2, 0)
FEB = datetime(2025, 3, 1, 2, 0)
MAR = datetime(2025, 4, 1, 2, 0)


def rows(published, sql, params=None) -> list[tuple]:
    return warehouse.read.query(published, sql, params)[1]


def to_announce(published) -> list:
    """The error findings the next alert email would announce as new (alerts.notices)."""
    with warehouse.read.reading(published) as con:
        due = due_notices(con, "none", datetime.now(timezone.utc), [], recall_after_days=10_000, include_warnings=False,
                          office=OfficeSettings())
    return [f for county in due for f in county.new]


@pytest.fixture
def office(tmp_path):
    """A warehouse after a first run (row_total open on 永宁县人民政府 2024), and the office's journal."""
    reports = province(tmp_path / "raw")
    published = tmp_path / "warehouse" / "nianbao.duckdb"
    journal = DecisionJournal(tmp_path / "decisions" / "finding_decisions.jsonl")
    run = first_run("run-1", JAN, reports)
    publish_run(published, run, journal=journal)
    return published, journal, reports, run.findings


def test_a_decision_is_recorded_with_who_when_why_and_the_figures_it_was_made_on(office):
    published, journal, reports, findings = office
    finding = row_total_finding(reports["yongning_2024"])
    decision, shown = record_decision(published, journal, finding.finding_id[:8], "confirmed", "已与县政府办核实", "王科长")
    assert shown and decision.finding_id == finding.finding_id
    assert rows(published, "SELECT status FROM dq_findings WHERE finding_id = ?", [finding.finding_id]) == [("confirmed",)]
    assert rows(published, "SELECT decision, reason, decided_by, expected, observed FROM finding_decisions") == [
        ("confirmed", "已与县政府办核实", "王科长", Decimal(13), Decimal(15))]
    assert [(d.decision, d.decided_by) for d in journal.decisions()] == [("confirmed", "王科长")]
    assert rows(published, "SELECT last_decision, decided_by FROM findings_overview WHERE finding_id = ?",
                [finding.finding_id]) == [("confirmed", "王科长")]


def test_history_is_kept_never_overwritten(office):
    published, journal, reports, _ = office
    fid = row_total_finding(reports["yongning_2024"]).finding_id
    record_decision(published, journal, fid, "confirmed", "数字有误", "王科长")
    record_decision(published, journal, fid, "waived", "县政府办说明为印刷错误，已在网页更正", "李处长")
    with warehouse.read.reading(published) as con:
        assert [(d, by) for _, d, by, *_ in warehouse.triage.history(con, fid)] == [
            ("confirmed", "王科长"), ("waived", "李处长")]
    assert rows(published, "SELECT status FROM dq_findings WHERE finding_id = ?", [fid]) == [("waived",)]


def test_a_waived_finding_is_not_alerted_again_by_later_runs_and_decisions_survive_every_publish(office):
    published, journal, reports, findings = office
    fid = row_total_finding(reports["yongning_2024"]).finding_id
    record_decision(published, journal, fid, "waived", "已核实：总计含一件转办申请", "王科长")
    for run_id, at in (("run-2", FEB), ("run-3", MAR)):
        publish_run(published, unchanged_run(run_id, at, reports, findings), journal=journal)
        assert to_announce(published) == []
        assert rows(published, "SELECT status, last_seen_run FROM dq_findings WHERE finding_id = ?", [fid]) == [
            ("waived", run_id)]


def test_decisions_survive_a_warehouse_rebuilt_from_nothing(office):
    published, journal, reports, findings = office
    fid = row_total_finding(reports["yongning_2024"]).finding_id
    record_decision(published, journal, fid, "waived", "已核实", "王科长")
    published.unlink()
    publish_run(published, first_run("run-9", MAR, reports), journal=journal)
    assert rows(published, "SELECT status FROM dq_findings WHERE finding_id = ?", [fid]) == [("waived",)]
    assert to_announce(published) == []
    assert rows(published, "SELECT count(*) FROM finding_decisions") == [(1,)]


def test_a_new_version_of_the_report_still_breaking_the_rule_is_alerted_and_says_it_was_waived_before(office, tmp_path):
    published, journal, reports, findings = office
    old = reports["yongning_2024"]
    record_decision(published, journal, row_total_finding(old).finding_id, "waived", "印刷错误", "王科长")
    corrected = make_report(tmp_path / "raw", YONGNING, "永宁县人民政府", 2024, received=(9, 2, 1, 0, 1, 0),
                            skew={("granted", "total"): 3}, version="（更正版）", page="v2")
    again = row_total_finding(corrected)
    run = Run("run-2", FEB, [crawl_result("run-2", YONGNING, [corrected], FEB)],
              [(YONGNING, corrected.doc, corrected.extracted)], [again])
    publish_run(published, run, journal=journal)
    [alert] = to_announce(published)
    assert alert.finding_id == again.finding_id and alert.observed == Decimal(16)
    [(decision, by, reason)] = rows(published, "SELECT decision, decided_by, reason FROM finding_decisions "
                                    "WHERE finding_id = ?", [again.finding_id])
    assert (decision, by) == ("reopened", "nianbao") and old.report_id in reason and "印刷错误" in reason
    # the old version's finding keeps its waiver
    assert rows(published, "SELECT status FROM dq_findings WHERE finding_id = ?", [row_total_finding(old).finding_id]) == [
        ("waived",)]


def test_a_decided_finding_whose_figures_change_on_a_new_reading_reopens_once_and_alerts(office):
    published, journal, reports, findings = office
    report = reports["yongning_2024"]
    fid = row_total_finding(report).finding_id
    record_decision(published, journal, fid, "waived", "已核实", "王科长")
    reread = dataclasses.replace(row_total_finding(report), observed=Decimal(17))  # same id, other figure
    for run_id, at in (("run-2", FEB), ("run-3", MAR)):
        publish_run(published, unchanged_run(run_id, at, reports, [findings[1], reread]), journal=journal)
    assert rows(published, "SELECT status, opened_run FROM dq_findings WHERE finding_id = ?", [fid]) == [("open", "run-2")]
    assert [(a.finding_id, a.opened_run) for a in to_announce(published)] == [(fid, "run-2")]
    assert rows(published, "SELECT decision FROM finding_decisions WHERE finding_id = ? ORDER BY decided_at",
                [fid]) == [("waived",), ("reopened",)]


def test_a_decision_made_while_a_run_builds_is_journalled_and_shown_after_that_run(office):
    published, journal, reports, findings = office
    fid = row_total_finding(reports["yongning_2024"]).finding_id
    with open(published.with_name(published.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # what a run building the warehouse holds
        decision, shown = record_decision(published, journal, fid, "confirmed", "核实", "王科长", wait_seconds=0.5)
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert not shown and rows(published, "SELECT status FROM dq_findings WHERE finding_id = ?", [fid]) == [("open",)]
    publish_run(published, unchanged_run("run-2", FEB, reports, findings), journal=journal)
    assert rows(published, "SELECT status FROM dq_findings WHERE finding_id = ?", [fid]) == [("confirmed",)]


def test_unknown_resolved_and_unexplained_decisions_are_refused(office):
    published, journal, reports, findings = office
    with pytest.raises(LookupError, match="no finding"):
        record_decision(published, journal, "ffffffff", "waived", "x", "y")
    fid = row_total_finding(reports["yongning_2024"]).finding_id
    with pytest.raises(ValueError, match="reason"):
        record_decision(published, journal, fid, "waived", " ", "王科长")
    publish_run(published, unchanged_run("run-2", FEB, reports, [findings[1]]), journal=journal)  # row_total gone
    with pytest.raises(ValueError, match="resolved"):
        record_decision(published, journal, fid, "confirmed", "核实", "王科长")
    assert journal.decisions() == []


def test_a_damaged_journal_line_is_named(office):
    published, journal, reports, findings = office
    record_decision(published, journal, row_total_finding(reports["yongning_2024"]).finding_id, "confirmed", "核实", "王科长")
    with open(journal.path, "a", encoding="utf-8") as fh:
        fh.write('{"decision_id": "x", "finding_id": \n')
    with pytest.raises(JournalError, match=r"finding_decisions.jsonl:2"):
        journal.decisions()
