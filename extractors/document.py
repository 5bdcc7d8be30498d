"""One document → ExtractedReport. Never raises: a broken document is a recorded status, not a crash.

    read_content(path, media_type)   text per page + raw grids (format-specific readers)
    read_tables(grids)               canonical cells + generation (canonical/)
    read_metadata(text)              title, agency, years, signature date (metadata.py)
    narrative_figures(pages)         figures stated in the prose (narrative.py)
"""

from __future__ import annotations

import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from extractors import (
    EXTRACTOR_VERSION, convert, ocr, tables_docx, tables_html, tables_pdf, tables_scan, tables_text, text_docx,
    text_html, text_pdf,
)
from extractors.canonical import read_tables
from extractors.canonical.grouping import table_kind
from extractors.grid import Grid
from extractors.limits import TooLargeInflated, check_inflated_size
from extractors.metadata import read_metadata
from extractors.narrative import narrative_figures
from extractors.tables_scan import OcrCache
from extractors.values import is_number_text
from nianbao import schema
from nianbao.models import ExtractedReport, PageText

@dataclass
class Content:
    pages: list[PageText]
    grids: list[Grid]
    heading: str | None = None  # an HTML page's own heading
    page_text: str | None = None  # the whole HTML page (metadata fields sit outside the article)
    scanned: bool = False  # no text layer
    scanned_pages: list[int] = field(default_factory=list)  # pages that are pictures in a document with text
    ocr_engine: str | None = None  # the engine that read the pictures, when they were OCR'd
    notes: list[str] = field(default_factory=list)  # problems that did not stop the reading


def read_pdf(path: Path) -> Content:
    pages = text_pdf.read_pdf_pages(path)
    if not text_pdf.has_text_layer(pages):
        return Content(text_pdf.page_texts(pages), [], scanned=True)
    notes: list[str] = []
    wanted = tables_pdf.table_pages(pages)
    try:  # camelot's lattice only where lines are drawn; a borderless page goes to the second path at once
        ruled = tables_pdf.read_lattice_grids(path, [p.number for p in pages if p.number in wanted and p.ruled])
    except Exception as e:  # noqa: BLE001 - camelot failing leaves the text and the second path
        ruled, notes = [], [f"ruled table reading failed: {_error(e)}"]
    scanned_pages = [p.number for p in pages if text_pdf.is_scanned(p)]
    return Content(text_pdf.page_texts(pages), pdf_grids(pages, wanted, ruled), scanned_pages=scanned_pages,
                   notes=notes)


def pdf_grids(pages: list[text_pdf.PdfPage], wanted: list[int], ruled: list[Grid]) -> list[Grid]:
    """Ruled grids where camelot found them; on a table page without any (or with only ruled boxes holding
    no figure), the borderless reading of the page's characters (tables_text). A ruled table header without
    figures is kept: its figures may start the next page (the review table's one row of 15)."""
    by_page: dict[int, list[Grid]] = {}
    for grid in ruled:
        if has_figure(grid) or table_kind(grid):
            by_page.setdefault(grid.pages[0], []).append(grid)
    grids: list[Grid] = []
    for page in pages:
        if page.number not in wanted:
            continue
        kept = by_page.get(page.number, [])
        if any(map(has_figure, kept)) or page.layout is None:
            grids.extend(kept)
        else:
            grids.extend(tables_text.text_grids(page.layout, page.number) or kept)
    return grids


def has_figure(grid: Grid) -> bool:
    return any(is_number_text(text) for row in grid.rows for text in row)


def read_docx(path: Path) -> Content:
    body = text_docx.docx_body(path)
    return Content(text_docx.docx_pages(body), tables_docx.docx_grids(body))


def read_html(path: Path) -> Content:
    root = text_html.parse_html(path.read_bytes())
    article = text_html.article_element(root)
    return Content(
        text_html.html_pages(root),
        tables_html.html_grids(article),
        heading=text_html.page_heading(root),
        page_text=text_html.element_text(root),
    )


READERS = {"pdf": read_pdf, "docx": read_docx, "html": read_html}


def read_content(path: Path, media_type: str) -> Content:
    """Raises TooLargeInflated, before any parsing, for a document that would inflate past the limits."""
    if media_type in convert.TARGET:
        with tempfile.TemporaryDirectory(prefix="nianbao-convert-") as workdir:
            converted = convert.convert_with_libreoffice(path, media_type, Path(workdir))
            target = convert.TARGET[media_type]
            check_inflated_size(converted, target)
            return READERS[target](converted)
    check_inflated_size(path, media_type)
    return READERS[media_type](path)


def _error(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}".strip().rstrip(":")


def with_ocr(path: Path, sha256: str, content: Content, ocr_cache: OcrCache) -> Content:
    """The content with its picture pages OCR'd: every page of a scan, or the picture pages of a PDF with text."""
    pictures = None if content.scanned else content.scanned_pages
    pages, grids = tables_scan.read_scanned_pdf(path, sha256, ocr_cache, pictures)
    read = {p.page: p for p in pages}
    return Content([read.get(p.page, p) for p in content.pages] if pictures else pages, content.grids + grids,
                   notes=content.notes, ocr_engine=ocr.default_engine().name)


def extract_document(path: Path, media_type: str, sha256: str, ocr_cache: OcrCache | None = None) -> ExtractedReport:
    """With `ocr_cache`, the pictures of a scanned PDF are OCR'd (or their reading taken from the cache);
    without, such a document gets status needs_ocr."""
    report = ExtractedReport(sha256=sha256, extractor_version=EXTRACTOR_VERSION, status="parsed")
    if media_type not in READERS and media_type not in convert.TARGET:
        report.status, report.error = "unsupported", f"no reader for media type {media_type!r}"
        return report
    try:
        content = read_content(Path(path), media_type)
    except convert.NoConverter as e:
        report.status, report.error = "unsupported", str(e)
        return report
    except TooLargeInflated as e:
        report.status, report.error = "refused", str(e)
        return report
    except Exception as e:  # noqa: BLE001 - the parser's own error is the record
        report.status, report.error = "corrupt", _error(e)
        return report
    try:
        if ocr_cache is not None and (content.scanned or content.scanned_pages):
            content = with_ocr(Path(path), sha256, content, ocr_cache)
    except Exception as e:  # noqa: BLE001 - OCR failing on one document must not stop the run
        content.notes.append(f"OCR failed: {_error(e)}")
    report.pages, report.page_count = content.pages, len(content.pages)
    if content.scanned and content.ocr_engine is None:
        report.status, report.error = "needs_ocr", "; ".join(["no text layer (a scanned document)", *content.notes])
        return report
    try:
        fill_report(report, content)
    except Exception as e:  # noqa: BLE001 - a bug on one document must not stop the run
        report.status = "corrupt"
        report.error = f"extraction failed: {_error(e)} at {traceback.extract_tb(e.__traceback__)[-1].name}"
    return report


def fill_report(report: ExtractedReport, content: Content) -> None:
    text = "\n".join(p.text for p in content.pages)
    meta = read_metadata(text, content.heading, content.page_text)
    report.title, report.agency = meta.title, meta.agency
    report.title_year, report.period_year, report.written_date = meta.title_year, meta.period_year, meta.written_date
    tables = read_tables(content.grids)
    report.cells, report.generation = tables.cells, tables.generation
    report.tables, report.label_notes = tables.tables, tables.label_notes
    legacy = (report.generation or (report.year and schema.generation_of_year(report.year))) == "legacy"
    report.figures = narrative_figures(content.pages, legacy)
    report.ocr_engine = content.ocr_engine
    report.status = ("parsed_ocr" if content.ocr_engine else "parsed") if report.cells else "no_tables"
    if tables.unread:
        content.notes.append(f"table(s) found but not understood: {', '.join(tables.unread)}")
    if not report.cells and content.scanned_pages:  # the tables may be in pictures not OCR'd: tell, do not guess
        report.status = "needs_ocr"
        content.notes.append(f"no table in the text; page(s) {', '.join(map(str, content.scanned_pages))} are pictures")
    if content.notes:
        report.error = "; ".join(content.notes)
