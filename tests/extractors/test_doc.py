"""Old Word documents (.doc), which many agencies still post, are read through LibreOffice."""

from __future__ import annotations

import shutil

import pytest

from extractors import extract_document
from nianbao.config import PROJECT_DIR

DOC = PROJECT_DIR / "tests" / "fixtures" / "corpus" / "syn2021.doc"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (CI installs it)")
def test_a_doc_report_is_converted_and_read_like_its_docx(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    doc = extract_document(DOC, "doc", "0" * 64)
    assert list(tmp_path.iterdir()) == []  # LibreOffice's profile and home are the conversion's own
    docx = extract_document(DOC.with_suffix(".docx"), "docx", "0" * 64)
    assert doc.status == "parsed" and doc.generation == "gen2021"
    assert [(c.table_code, c.row_code, c.column_code, c.value) for c in doc.cells] == [
        (c.table_code, c.row_code, c.column_code, c.value) for c in docx.cells
    ]


@pytest.mark.skipif(shutil.which("soffice") is not None, reason="LibreOffice is installed: the .doc is read")
def test_without_libreoffice_a_doc_report_is_unsupported_and_says_why():
    report = extract_document(DOC, "doc", "0" * 64)
    assert report.status == "unsupported"
    assert "LibreOffice" in report.error
