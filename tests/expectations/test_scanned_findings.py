"""Findings on scanned reports: the scans of the fixture corpus read by OCR, loaded into a real warehouse beside
the text PDFs they were made from, and validated by the real suites. A misread digit must never become an
error against the agency: an error on a scan must be one its text original has too, and a break resting on a
cell OCR read unsure is a warning that sends a person to that cell on the page picture.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest

import warehouse
import warehouse.load
from expectations import validate
from extractors import extract_document
from nianbao.config import RuleSettings
from nianbao.models import ExtractedReport, Portal, ReportDocument
from tests.extractors.test_ocr import GATE_CONDITION, MEASURED, ocr_read

pytestmark = pytest.mark.slow

PORTAL = Portal("qingtongxia", "宁夏回族自治区", "吴忠市", "青铜峡市", "http://127.0.0.1:8801/xxgk/ndbg/")
RULES = RuleSettings()


def _loaded(con, run_id: str, path, extracted: ExtractedReport) -> str:
    sha = hashlib.sha256(path.read_bytes() + extracted.sha256.encode()).hexdigest()
    doc = ReportDocument(PORTAL.portal_id, f"{PORTAL.column_url}{sha[:8]}.html", f"{PORTAL.column_url}{sha[:8]}.pdf",
                         extracted.title or path.name, sha, "pdf", path)
    return warehouse.load.load_report(con, run_id, PORTAL, doc, replace(extracted, sha256=sha))


def _validated(tmp_path, reports: list[tuple]) -> tuple[list[str], list]:
    published = tmp_path / "warehouse.duckdb"
    with warehouse.building(published) as con:
        warehouse.load.start_run(con, "run-1", datetime(2025, 2, 1, tzinfo=timezone.utc), {})
        ids = [_loaded(con, "run-1", path, extracted) for path, extracted in reports]
        warehouse.load.assign_agencies(con, RULES)
        findings = validate(con, "run-1", RULES, tmp_path / "docs", report_ids=ids).findings
    return ids, findings


def test_no_error_on_a_scan_that_its_text_original_does_not_have(tmp_path):
    pairs = [(s, ocr_read(s.path.name), extract_document(s.source, "pdf", "1" * 64)) for s in MEASURED]
    reports = [(s.path, scanned) for s, scanned, _ in pairs] + [(s.source, text) for s, _, text in pairs]
    ids, findings = _validated(tmp_path, reports)
    errors: dict[str, set[tuple[str, str]]] = {}
    for f in findings:
        if f.severity == "error":
            errors.setdefault(f.report_id, set()).add((f.rule_code, f.location))
    scan_ids, text_ids = ids[: len(pairs)], ids[len(pairs):]
    only_on_scan = {
        pairs[i][0].path.name: sorted(errors.get(scan_id, set()) - errors.get(text_id, set()))
        for i, (scan_id, text_id) in enumerate(zip(scan_ids, text_ids))
    }
    assert {name: found for name, found in only_on_scan.items() if found} == {}


def test_a_break_resting_on_an_unsure_ocr_cell_is_a_warning_naming_the_cell_and_where_to_look(tmp_path):
    """The same misread twice: once read sure (an error, as for any report), once read unsure (a warning)."""
    found = next(s for s in MEASURED if s.report == "syn2021" and s.condition == GATE_CONDITION)
    read = ocr_read(found.path.name)

    def misread(confidence: float) -> ExtractedReport:
        cells = [replace(c, value=c.value + 5, raw_text=str(c.value + 5), confidence=confidence)
                 if (c.row_code, c.column_code) == ("granted", "natural_person") else c for c in read.cells]
        return replace(read, cells=cells, sha256=f"{confidence}")

    (sure_id, unsure_id), findings = _validated(tmp_path, [(found.path, misread(0.99)), (found.path, misread(0.42))])
    on = {rid: [f for f in findings if f.report_id == rid and f.location == "application[granted, total]"]
          for rid in (sure_id, unsure_id)}
    assert [(f.rule_code, f.severity) for f in on[sure_id]] == [("row_total", "error")]
    (look,) = on[unsure_id]
    assert (look.rule_code, look.severity, look.imbalance) == ("row_total", "warning", Decimal(-5))
    region = next(c.region for c in read.cells if (c.row_code, c.column_code) == ("granted", "natural_person"))
    assert "需要人工核对" in look.message and "application[granted, natural_person]" in look.message
    assert region in look.message and "0.42" in look.message
