"""The extraction store hands extracted reports to the load as files, exactly as extracted."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

import extractors
from nianbao.config import PROJECT_DIR
from nianbao.extraction_store import FORMAT_FILE, FORMAT_VERSION, ExtractionStore, StoreFormatError

DEMO = PROJECT_DIR / "demo_portal" / "documents"


def extract(name: str, media_type: str):
    path = DEMO / name
    return extractors.extract_document(path, media_type, hashlib.sha256(path.read_bytes()).hexdigest())


def test_a_stored_report_comes_back_equal_blanks_decimals_and_dates_included(tmp_path):
    report = extract("002.docx", "docx")  # 3.2 万元 and a blank 结转下年度 cell
    assert any(c.value is None for c in report.cells)
    assert any(c.value == Decimal("3.2") for c in report.cells)
    store = ExtractionStore(tmp_path)
    store.put(report)
    assert store.has(report.sha256, report.extractor_version)
    assert store.get(report.sha256, report.extractor_version) == report


def test_reports_are_kept_per_extractor_version(tmp_path):
    report = extract("004.pdf", "pdf")
    store = ExtractionStore(tmp_path)
    store.put(report)
    assert report.written_date is not None
    assert store.get(report.sha256, report.extractor_version).written_date == report.written_date
    assert not store.has(report.sha256, "another-version")


def test_a_store_written_in_another_format_is_refused_with_what_to_do(tmp_path):
    store = ExtractionStore(tmp_path)
    store.put(extract("003.html", "html"))
    assert (tmp_path / FORMAT_FILE).read_text("utf-8").strip() == str(FORMAT_VERSION)
    (tmp_path / FORMAT_FILE).write_text(f"{FORMAT_VERSION + 1}\n", "utf-8")
    with pytest.raises(StoreFormatError, match="Delete the folder"):
        ExtractionStore(tmp_path)
