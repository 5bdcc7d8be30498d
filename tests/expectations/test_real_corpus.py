"""Real published reports (tests/fixtures/real/<name>/: the document, SOURCE.md, a hand-checked expected.json)
read, loaded and judged as the nightly run does them: every hand-checked cell read right, every real violation
found, and no error-severity finding a careful reader of the document would reject.

A document that is not committed (see its SOURCE.md) is read from ../shared/real/ or from the folder named by
$NIANBAO_REAL_DOCUMENTS; without it, its tests are skipped with the reason. `pytest -s` prints the accuracy.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import warehouse
import warehouse.load
from expectations import validate
from extractors.document import extract_document
from nianbao import schema
from nianbao.config import PROJECT_DIR, RuleSettings
from nianbao.models import ExtractedReport, Finding, Portal, ReportDocument, report_id_for

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
ELSEWHERE = [Path(p) for p in (os.environ.get("NIANBAO_REAL_DOCUMENTS"), PROJECT_DIR.parent / "shared" / "real") if p]
APPLICANTS = [c.code for c in schema.applicant_columns()]
REVIEW_COLUMNS = [c.code for c in schema.review_litigation()[1]]


@dataclass
class Case:
    name: str
    expected: dict
    path: Path | None  # None: the document is not here

    @property
    def why_missing(self) -> str:
        return (f"{self.name}: {self.expected.get('shared_document')} is not committed (see its SOURCE.md) and not "
                f"in {', '.join(map(str, ELSEWHERE))}")


def _case(folder: Path) -> Case:
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    if expected.get("document"):
        path: Path | None = folder / expected["document"]
    else:
        path = next((p / expected["shared_document"] for p in ELSEWHERE if (p / expected["shared_document"]).is_file()), None)
    if path is not None and hashlib.sha256(path.read_bytes()).hexdigest() != expected["sha256"]:
        raise AssertionError(f"{path} is not the document {folder.name}/expected.json was checked against")
    return Case(folder.name, expected, path)


CASES = [_case(folder) for folder in sorted(REAL.iterdir()) if (folder / "expected.json").is_file()]

# Known gaps in reading, each owned by the issue that closes it; strict, so a closed gap fails until removed here.
PENDING: dict[tuple[str, str], str] = {
}


def cases_for(test: str) -> list:
    return [pytest.param(c, id=c.name, marks=[pytest.mark.xfail(reason=PENDING[(test, c.name)], strict=True)]
                         if (test, c.name) in PENDING else []) for c in CASES]


def expected_cells(expected: dict) -> dict[tuple[str, str, str], Decimal | None]:
    """(table, row, column) → the printed value (None: the cell is blank)."""
    cells: dict[tuple[str, str, str], Decimal | None] = {}
    for row, values in expected.get("application", {}).items():
        cells |= {("application", row, c): v for c, v in zip(APPLICANTS, values)}
    for row, values in expected.get("review_litigation", {}).items():
        cells |= {("review_litigation", row, c): v for c, v in zip(REVIEW_COLUMNS, values)}
    for row, values in expected.get("proactive", {}).items():
        cells |= {("proactive", row, c): v for c, v in values.items()}
    for row, value in expected.get("legacy", {}).items():
        cells[("legacy", row, "value")] = value
    return {key: None if v is None else Decimal(str(v)) for key, v in cells.items()}


@dataclass
class Judged:
    extracted: dict[str, ExtractedReport]
    findings: dict[str, list[Finding]]
    reports: dict[str, dict]


@pytest.fixture(scope="module")
def judged(tmp_path_factory) -> Judged:
    """Every document here extracted, loaded into one warehouse (so that an agency's years meet), its
    agencies assigned and validated with the default rules."""
    present = [case for case in CASES if case.path is not None]
    con = duckdb.connect()
    warehouse.migrate(con)
    run_id = "real-corpus"
    warehouse.load.start_run(con, run_id, datetime(2026, 12, 1), {"test": "real corpus"})
    items, extracted = [], {}
    for case in present:
        sha = case.expected["sha256"]
        report = extract_document(case.path, case.expected["media_type"], sha)
        place = case.expected["portal"]
        portal = Portal(f"real-{case.name}", place["province"], place["city"], place["county"], "http://127.0.0.1/")
        listing = case.expected["listing"]
        doc = ReportDocument(
            portal_id=portal.portal_id, detail_url=f"http://127.0.0.1/{case.name}.html",
            document_url=f"http://127.0.0.1/{case.name}/{case.path.name}", title=listing["title"], sha256=sha,
            media_type=case.expected["media_type"], raw_path=case.path, publisher=listing.get("publisher"),
            published_date=date.fromisoformat(listing["published_date"]) if listing.get("published_date") else None,
        )
        items.append((portal, doc, report))
        extracted[case.name] = report
    assert warehouse.load.load_reports(con, run_id, items) == []
    rules = RuleSettings()
    warehouse.load.assign_agencies(con, rules)
    validation = validate(con, run_id, rules, tmp_path_factory.mktemp("data_docs"))
    by_report: dict[str, list[Finding]] = {}
    for f in validation.findings:
        by_report.setdefault(f.report_id, []).append(f)
    columns = [d[0] for d in con.execute("SELECT * FROM reports LIMIT 0").description]
    reports = {}
    for case in present:
        rid = report_id_for(case.expected["sha256"])
        reports[case.name] = dict(zip(columns, con.execute("SELECT * FROM reports WHERE report_id = ?", [rid]).fetchone()))
    con.close()
    return Judged(extracted, {c.name: by_report.get(report_id_for(c.expected["sha256"]), []) for c in present}, reports)


def misread(case: Case, report: ExtractedReport) -> list[str]:
    read = {(c.table_code, c.row_code, c.column_code): c.value for c in report.cells}
    wrong = []
    for key, value in expected_cells(case.expected).items():
        if key not in read and value is not None:
            wrong.append(f"{'/'.join(key)}: not read, printed {value}")
        elif key in read and read[key] != value:
            wrong.append(f"{'/'.join(key)}: read {read[key]}, printed {'blank' if value is None else value}")
    return wrong


def _present(case: Case) -> None:
    if case.path is None:
        pytest.skip(case.why_missing)


@pytest.mark.parametrize("case", cases_for("cells"))
def test_every_hand_checked_cell_is_read_right(judged, case):
    _present(case)
    assert misread(case, judged.extracted[case.name]) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_year_agency_and_level_are_the_documents(judged, case):
    _present(case)
    report = judged.reports[case.name]
    assert {k: report[k] for k in case.expected["expect"]} == case.expected["expect"]


@pytest.mark.parametrize("case", cases_for("violations"))
def test_every_real_violation_is_found(judged, case):
    _present(case)
    found = judged.findings[case.name]
    missed = [v for v in case.expected["violations"]
              if not any(f.rule_code == v["rule"] and v.get("location", f.location) == f.location for f in found)]
    assert missed == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_no_error_a_careful_reader_would_reject(judged, case):
    """An error-severity finding must be one of the document's real violations (hand-checked in expected.json)."""
    _present(case)
    real = case.expected["violations"]
    rejected = [f"{f.rule_code} {f.location}: {f.message}" for f in judged.findings[case.name]
                if f.severity == "error"
                and not any(f.rule_code == v["rule"] and v.get("location", f.location) == f.location for v in real)]
    assert rejected == []


def test_accuracy_over_the_corpus(judged):
    """The share of hand-checked cells read right, printed (pytest -s) for the closing note."""
    total = wrong = 0
    for case in CASES:
        if case.path is None:
            continue
        total += len(expected_cells(case.expected))
        wrong += len(misread(case, judged.extracted[case.name]))
    skipped = [c.name for c in CASES if c.path is None]
    print(f"\nreal corpus: {len(CASES) - len(skipped)} documents read, {total - wrong}/{total} hand-checked cells right "
          f"({(total - wrong) / total:.1%}); not here: {', '.join(skipped) or 'none'}")
    rules: dict[tuple[str, str], int] = {}
    for found in judged.findings.values():
        for f in found:
            rules[(f.rule_code, f.severity)] = rules.get((f.rule_code, f.severity), 0) + 1
    print("findings per rule: " + ", ".join(f"{r} ({s}) {n}" for (r, s), n in sorted(rules.items())))
    assert total > 0
