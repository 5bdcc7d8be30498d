"""PDF → text per page, with pdfminer.six (it reads LibreOffice/Word-made Chinese PDFs correctly)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTCurve, LTFigure, LTImage, LTPage, LTTextContainer

from nianbao.models import PageText


@dataclass
class PdfPage:
    """What later steps need to know of a page: its text, and whether it is ruled or a picture."""

    number: int  # 1-based
    text: str
    ruled: bool  # has drawn lines or rectangles (a lattice table may be there)
    has_picture: bool  # an image covering a quarter of the page or more
    layout: LTPage | None = field(default=None, repr=False)  # kept for reading a borderless table


def _largest_image_area(obj) -> float:
    if isinstance(obj, LTImage):
        return obj.width * obj.height
    if isinstance(obj, LTFigure):
        return max((_largest_image_area(child) for child in obj), default=0.0)
    return 0.0


def describe_page(page: LTPage) -> PdfPage:
    text = "".join(obj.get_text() for obj in page if isinstance(obj, LTTextContainer))
    ruled = sum(1 for obj in page if isinstance(obj, LTCurve)) >= 4  # LTLine and LTRect are LTCurves
    picture = max((_largest_image_area(obj) for obj in page), default=0.0) >= 0.25 * page.width * page.height
    return PdfPage(page.pageid, text, ruled, picture, page)


def read_pdf_pages(path: Path) -> list[PdfPage]:
    """Raises pdfminer's own exception on a corrupt file; the caller records it."""
    return [describe_page(p) for p in extract_pages(path, laparams=LAParams())]


def page_texts(pages: list[PdfPage]) -> list[PageText]:
    return [PageText(p.number, p.text) for p in pages]


def is_scanned(page: PdfPage) -> bool:
    """A picture of a page: a large image and (almost) no characters."""
    return page.has_picture and len("".join(page.text.split())) < 20


def has_text_layer(pages: list[PdfPage]) -> bool:
    chars = sum(len("".join(p.text.split())) for p in pages)
    return chars >= 20 * max(len(pages), 1) or not any(p.has_picture for p in pages)
