"""PDFs the way counties make them: LibreOffice-made ruled tables, a borderless table, a table split over two
pages, a scan, a truncated file; and documents that cannot be read at all."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import playa
import pypdfium2 as pdfium
import pytest
from pdfminer.high_level import extract_pages

from extractors import extract_document
from extractors.tables_pdf import read_lattice_grids
from extractors.text_pdf import read_pdf_pages
from nianbao.config import PROJECT_DIR

CORPUS = PROJECT_DIR / "tests" / "fixtures" / "corpus"
LIBREOFFICE_PDF = CORPUS / "syn2021.pdf"  # every cell of its tables holds a distinct figure


def printed(spec: str, table: str, row: str) -> list[str]:
    cells = json.loads((CORPUS / f"{spec}.cells.json").read_text("utf-8"))
    return [c["raw_text"] for c in cells if (c["table_code"], c["row_code"]) == (table, row)]


def application_page(path: Path) -> int:
    return next(p.number for p in read_pdf_pages(path) if "本年新收" in "".join(p.text.split()))


def test_the_libreoffice_fixture_declares_ascent_0_and_descent_0_for_its_cjk_fonts():
    """The hazard the table reader corrects for must stay in the fixture, or the next test proves nothing."""
    with playa.open(LIBREOFFICE_PDF) as pdf:
        fonts = [f for page in pdf.pages for f in page.fonts.values() if "CJK" in f.fontname]
        assert fonts and all(f.descriptor.get("Ascent") == 0 and f.descriptor.get("Descent") == 0 for f in fonts)


def test_camelot_reads_each_label_of_a_libreoffice_pdf_beside_its_own_figures():
    page = application_page(LIBREOFFICE_PDF)
    grid = next(g for g in read_lattice_grids(LIBREOFFICE_PDF, [page]) if "本年新收" in g.text())
    for label, row_code in (("本年新收", "new_received"), ("上年结转", "carried_over"), ("予以公开", "granted"),
                            ("保护第三方", "withheld.third_party")):
        row = next(r for r in grid.rows if label in "".join(r))
        assert row[-7:] == printed("syn2021", "application", row_code), label


def test_without_the_font_correction_camelot_2_puts_the_figures_a_row_off():
    """Documents why tables_pdf corrects playa's font metrics; if camelot/playa ever read these fonts right,
    this fails and the correction can go."""
    page = application_page(LIBREOFFICE_PDF)
    script = (
        "import camelot, sys\n"
        f"tables = camelot.read_pdf({str(LIBREOFFICE_PDF)!r}, pages='{page}', flavor='lattice', engine='vector')\n"
        "rows = [r for t in tables for r in t.df.values.tolist() if '予以公开' in ''.join(r)]\n"
        "print('|'.join(rows[0][-7:]) if rows else '')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()
    assert out.split("|") != printed("syn2021", "application", "granted")


def test_a_borderless_table_is_read_from_the_positions_of_its_characters():
    report = extract_document(CORPUS / "syn2021b-borderless.pdf", "pdf", "b" * 64)
    assert report.status == "parsed" and report.generation == "gen2021"
    got = {(c.row_code, c.column_code): c for c in report.cells if c.table_code == "application"}
    assert [got["new_received", col].raw_text for col in ("natural_person", "total")] == ["4162", "26188"]
    # blank cells print nothing or a dash: they are missing, and the figures beside them stay in their columns
    assert (got["not_processed.duplicate", "research"].value, got["not_processed.duplicate", "research"].raw_text) == (
        None, "—")
    assert got["withheld.prohibited_by_law", "legal_services"].value is None
    assert got["withheld.prohibited_by_law", "other_org"].value == Decimal(45)
    review = [c for c in report.cells if c.table_code == "review_litigation"]
    assert [c.raw_text for c in review[:3]] == ["", "26", "8"]


def test_an_application_table_split_over_two_pages_maps_as_one_with_each_row_on_its_own_page():
    report = extract_document(CORPUS / "syn2019-split.pdf", "pdf", "c" * 64)
    pages = {c.row_code: c.page for c in report.cells if c.table_code == "application"}
    assert len(pages) == 23
    assert pages["new_received"] < pages["withheld.process_info"] == pages["carried_forward"]
    assert [c.raw_text for c in report.cells if c.row_code == "withheld.process_info"] == printed(
        "syn2019", "application", "withheld.process_info")


def test_a_review_table_whose_data_row_starts_the_next_page_is_read_with_the_page_of_its_numbers():
    """LibreOffice put the 四、行政复议、行政诉讼 header at the foot of one page and its 15 figures atop the next."""
    path = CORPUS / "syn2019b-split-review.pdf"
    header_page = next(p.number for p in read_pdf_pages(path) if "复议后起诉" in "".join(p.text.split()))
    report = extract_document(path, "pdf", "e" * 64)
    review = [c for c in report.cells if c.table_code == "review_litigation"]
    assert [c.raw_text for c in review] == [
        text for group in ("review", "litigation_direct", "litigation_after_review")
        for text in printed("syn2019b", "review_litigation", group)]
    assert {c.page for c in review} == {header_page + 1}
    assert report.error is None  # no table left unread


def test_the_scan_has_no_text_layer_and_needs_ocr():
    report = extract_document(CORPUS / "synlegacy-scan.pdf", "pdf", "d" * 64)
    assert (report.status, report.cells) == ("needs_ocr", [])
    assert report.page_count == len(report.pages) > 0


def test_the_truncated_pdf_is_corrupt_with_pdfminers_own_error():
    path = CORPUS / "syn2021-truncated.pdf"
    with pytest.raises(Exception) as raised:
        list(extract_pages(path))
    report = extract_document(path, "pdf", "e" * 64)
    assert report.status == "corrupt"
    assert report.error == f"{type(raised.value).__name__}: {raised.value}"


def test_a_docx_that_is_not_a_zip_is_corrupt(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"%PDF-1.4 not a word document")
    report = extract_document(path, "docx", "f" * 64)
    assert report.status == "corrupt" and report.error.startswith("BadZipFile")


def test_an_unknown_media_type_is_unsupported(tmp_path):
    report = extract_document(tmp_path / "x.ofd", "ofd", "0" * 64)
    assert (report.status, report.error) == ("unsupported", "no reader for media type 'ofd'")


def test_a_doc_without_libreoffice_installed_is_unsupported_and_says_why(tmp_path, monkeypatch):
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old word file")
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on this PATH
    report = extract_document(path, "doc", "0" * 64)
    assert report.status == "unsupported" and "LibreOffice" in report.error


def test_a_report_whose_only_table_page_is_a_picture_needs_ocr_and_says_which_page(tmp_path):
    """Seed 000's text pages followed by a scanned 统计表 page: no table in the text is no proof of none."""
    report_pdf = pdfium.PdfDocument(CORPUS / "seed000.pdf")
    report_pdf.import_pages(pdfium.PdfDocument(CORPUS / "synlegacy-scan.pdf"), [1])
    report_pdf.save(tmp_path / "mixed.pdf")
    report = extract_document(tmp_path / "mixed.pdf", "pdf", "0" * 64)
    assert (report.status, report.page_count) == ("needs_ocr", 5)
    assert report.error == "no table in the text; page(s) 5 are pictures"
    assert report.title == "平罗县通伏乡人民政府2018年政府信息公开年度报告"  # the text is still read
