"""The office's decisions on findings: confirmed (the agency must correct its report) or waived (checked, not a
problem), with who decided, when and why.

A decision is appended first to the decisions journal, a JSON-lines file beside the warehouse that is only
ever appended to; every build copies the journal into finding_decisions and sets each finding's status from
the office's latest decision on it. So decisions survive every publish (each run builds a new file) and even
a warehouse rebuilt from nothing, and a decision recorded while a run is building is never lost: at worst it
shows after the next run.

A decision holds while the finding's figures are those it was made on. A finding is one report version's
break (finding_id covers the document's bytes): a new version of the report that still breaks the rule is a
new finding, open and alerted, and its history notes that the same break was waived on the earlier version.
If re-reading the same document changes a decided finding's figures, it reopens and alerts again.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from nianbao.config import OLDEST_READABLE_STORAGE
from warehouse.db import append_json_lines, insert_rows, transaction

DECISIONS = ("confirmed", "waived")
SYSTEM = "nianbao"  # decided_by of the reopened entries a build records


class JournalError(ValueError):
    pass


@dataclass(frozen=True)
class Decision:
    decision_id: str
    finding_id: str
    decision: str  # confirmed | waived
    reason: str
    decided_by: str
    decided_at: datetime
    expected: Decimal | None  # the finding's figures the decision was made on
    observed: Decimal | None


class DecisionJournal:
    """An append-only JSON-lines file; each line one Decision, written whole with one write and fsync'd."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def append(self, decision: Decision) -> None:
        append_json_lines(self.path, [
            {k: (str(v) if isinstance(v, (Decimal, datetime)) else v) for k, v in asdict(decision).items()}])

    def decisions(self) -> list[Decision]:
        if not self.path.exists():
            return []
        found = []
        for number, line in enumerate(self.path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                if r["decision"] not in DECISIONS:
                    raise ValueError(f"unknown decision {r['decision']!r}")
                found.append(Decision(
                    r["decision_id"], r["finding_id"], r["decision"], r["reason"], r["decided_by"],
                    datetime.fromisoformat(r["decided_at"]),
                    None if r["expected"] is None else Decimal(r["expected"]),
                    None if r["observed"] is None else Decimal(r["observed"]),
                ))
            except (ValueError, KeyError, TypeError) as e:
                raise JournalError(f"{self.path}:{number}: not a decision record ({type(e).__name__}: {e})") from e
        return found


def new_decision(finding: dict, decision: str, reason: str, decided_by: str, now: datetime) -> Decision:
    """A decision on a finding as the published warehouse shows it (a row of findings_overview)."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    if not reason.strip() or not decided_by.strip():
        raise ValueError("a decision needs a reason and the name of who decided")
    if finding["status"] == "resolved":
        raise ValueError(f"finding {finding['finding_id']} is resolved: the last validation no longer finds it")
    return Decision(uuid.uuid4().hex, finding["finding_id"], decision, reason.strip(), decided_by.strip(), now,
                    finding["expected"], finding["observed"])


def apply_decisions(
    con: duckdb.DuckDBPyConnection, decisions: list[Decision], run_id: str | None, now: datetime
) -> None:
    """Copy the journal's decisions into finding_decisions and set each finding's status from them (on the
    warehouse being built, after this run's findings are loaded)."""
    with transaction(con):
        known = {d for (d,) in con.execute("SELECT decision_id FROM finding_decisions").fetchall()}
        insert_rows(
            con,
            "finding_decisions",
            ("decision_id", "finding_id", "decision", "reason", "decided_by", "decided_at", "expected", "observed"),
            [(d.decision_id, d.finding_id, d.decision, d.reason, d.decided_by, d.decided_at, d.expected, d.observed)
             for d in decisions if d.decision_id not in known],
        )
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE office_decision AS
            SELECT d.finding_id, d.decision, d.decided_at, d.expected, d.observed,
                   d.expected IS NOT DISTINCT FROM f.expected AND d.observed IS NOT DISTINCT FROM f.observed AS holds,
                   EXISTS (SELECT 1 FROM finding_decisions r WHERE r.supersedes = d.decision_id) AS reopened_since,
                   d.decision_id
            FROM finding_decisions d JOIN dq_findings f USING (finding_id)
            WHERE d.decision IN ('confirmed', 'waived') AND f.status IN ('open', 'confirmed', 'waived')
            QUALIFY row_number() OVER (PARTITION BY d.finding_id ORDER BY d.decided_at DESC, d.decision_id DESC) = 1
            """
        )
        # figures changed under a decision: the finding reopens, alerts again and says why in its history
        con.execute(
            """
            INSERT INTO finding_decisions
            SELECT gen_random_uuid()::VARCHAR, o.finding_id, 'reopened',
                   '报告中的数字已变化（处理时应为 ' || coalesce(o.expected::VARCHAR, '—') || '、实为 '
                       || coalesce(o.observed::VARCHAR, '—') || '，现应为 ' || coalesce(f.expected::VARCHAR, '—')
                       || '、实为 ' || coalesce(f.observed::VARCHAR, '—') || '），原“' || o.decision || '”处理不再适用',
                   ?, ?, f.expected, f.observed, ?, o.decision_id
            FROM office_decision o JOIN dq_findings f USING (finding_id)
            WHERE NOT o.holds AND NOT o.reopened_since
            """,
            [SYSTEM, now, run_id],
        )
        con.execute(
            """
            UPDATE dq_findings SET status = 'open', opened_run = coalesce(?, opened_run)
            FROM office_decision o
            WHERE dq_findings.finding_id = o.finding_id AND NOT o.holds AND NOT o.reopened_since
            """,
            [run_id],
        )
        con.execute(
            """
            UPDATE dq_findings SET status = o.decision
            FROM office_decision o WHERE dq_findings.finding_id = o.finding_id AND o.holds
            """
        )
        if run_id is not None:
            _note_waived_on_an_earlier_version(con, run_id, now)
        con.execute("DROP TABLE office_decision")


def _note_waived_on_an_earlier_version(con: duckdb.DuckDBPyConnection, run_id: str, now: datetime) -> None:
    """A finding opened by this run on a report whose earlier version had the same break waived: its
    history says so (it is open and alerted all the same: the waiver was for the other document)."""
    con.execute(
        """
        INSERT INTO finding_decisions
        SELECT gen_random_uuid()::VARCHAR, new.finding_id, 'reopened',
               '新版本报告仍违反此规则；旧版本（报告 ' || old.report_id || '）的同一问题曾由 ' || d.decided_by
                   || ' 于 ' || strftime(d.decided_at, '%Y-%m-%d') || ' 豁免：' || d.reason,
               ?, ?, new.expected, new.observed, ?, d.decision_id
        FROM dq_findings new
        JOIN reports rn ON rn.report_id = new.report_id
        JOIN reports ro ON ro.province = rn.province AND ro.city = rn.city AND ro.county = rn.county
             AND ro.agency = rn.agency AND ro.year = rn.year AND ro.report_id <> rn.report_id
        JOIN dq_findings old ON old.report_id = ro.report_id AND old.rule_code = new.rule_code
             AND old.location = new.location
        JOIN finding_decisions d ON d.finding_id = old.finding_id AND d.decision = 'waived'
        WHERE new.opened_run = ? AND new.status = 'open'
          AND NOT EXISTS (SELECT 1 FROM finding_decisions mine WHERE mine.finding_id = new.finding_id)
        QUALIFY row_number() OVER (PARTITION BY new.finding_id ORDER BY d.decided_at DESC) = 1
        """,
        [SYSTEM, now, run_id, run_id],
    )


def find_finding(con: duckdb.DuckDBPyConnection, finding_id: str) -> dict:
    """The finding (a row of findings_overview) whose id is, or begins with, `finding_id`."""
    cursor = con.execute(
        "SELECT * FROM findings_overview WHERE finding_id LIKE ? || '%' ORDER BY finding_id LIMIT 2", [finding_id]
    )
    names = [c[0] for c in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    if len(finding_id) < 6 or not rows:
        raise LookupError(f"no finding {finding_id!r} (give its finding_id, or at least its first 6 characters)")
    if len(rows) > 1 and rows[0]["finding_id"] != finding_id:
        raise LookupError(f"{finding_id!r} is the beginning of more than one finding id: give more of it")
    return rows[0]


def history(con: duckdb.DuckDBPyConnection, finding_id: str) -> list[tuple]:
    """(decided_at, decision, decided_by, reason, expected, observed) of a finding, oldest first."""
    return con.execute(
        """SELECT decided_at, decision, decided_by, reason, expected, observed FROM finding_decisions
           WHERE finding_id = ? ORDER BY decided_at, decision_id""",
        [finding_id],
    ).fetchall()


def record_decision(
    published: Path, journal: DecisionJournal, finding_id: str, decision: str, reason: str, decided_by: str,
    wait_seconds: float = 10, storage_version: str = OLDEST_READABLE_STORAGE,
) -> tuple[Decision, bool]:
    """Record the office's decision on a finding of the published warehouse: appended to the journal, then
    published at once unless a run is building the warehouse. Returns the decision and whether the
    published warehouse shows it already (else it shows after the run building now)."""
    from warehouse.publish import WarehouseBusy, building
    from warehouse.read import reading

    with reading(published) as con:
        finding = find_finding(con, finding_id)
    now = datetime.now()  # warehouse TIMESTAMPs are the pipeline machine's local time
    made = new_decision(finding, decision, reason, decided_by, now)
    journal.append(made)
    try:
        with building(published, wait_seconds, storage_version) as con:
            apply_decisions(con, journal.decisions(), None, now)
    except WarehouseBusy:
        return made, False
    return made, True
