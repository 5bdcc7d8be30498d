"""PDF tables with camelot-py 2.0 (lattice, vector engine), on the pages whose text shows a table.

camelot 2.0 reads text with playa-pdf. LibreOffice writes CJK font descriptors with /Ascent 0 /Descent 0;
playa then takes the glyph box from the font's /FontBBox (about 1.8 em up and 1 em down for Noto CJK), and
camelot assigns every CJK label one row off its figures. pdfminer.six, for such fonts, keeps a box of one em
above the baseline. We give playa the usual CJK metrics (ascent 880, descent -120 per mille, playa's own
default for a descriptor without them) when a descriptor states both as 0. tests/extractors/test_pdf.py keeps
a LibreOffice-made PDF whose labels would shift a row if this correction were lost.
"""

from __future__ import annotations

import functools
from pathlib import Path

import playa.font
from playa.pdftypes import num_value, resolve1

from extractors.grid import Grid
from extractors.labels import normalise
from extractors.text_pdf import PdfPage

DEFAULT_ASCENT, DEFAULT_DESCENT = 880, -120


def _states_zero_metrics(descriptor) -> bool:
    try:
        metrics = [num_value(resolve1(descriptor.get(key))) for key in ("Ascent", "Descent")]
        return metrics == [0, 0]
    except (TypeError, ValueError, AttributeError):
        return False


def correct_zero_font_metrics() -> None:
    """Idempotent: wraps playa's Font.__init__ once."""
    init = playa.font.Font.__init__
    if getattr(init, "_nianbao_zero_metrics", False):
        return

    @functools.wraps(init)
    def __init__(self, descriptor, *args, **kwargs):
        init(self, descriptor, *args, **kwargs)
        if _states_zero_metrics(descriptor):
            self.ascent, self.descent = DEFAULT_ASCENT, DEFAULT_DESCENT

    __init__._nianbao_zero_metrics = True
    playa.font.Font.__init__ = __init__


correct_zero_font_metrics()

# Words printed in (or next to) the four statistical tables; a page without any has no table to read.
TABLE_MARKERS = ("第二十条", "信息内容", "本年新收", "上年结转", "予以公开", "不予公开", "不予处理", "结转下年度",
                 "结果维持", "尚未审结", "复议后起诉", "统计指标", "统计数", "申请人情况")


def table_pages(pages: list[PdfPage]) -> list[int]:
    """Pages whose text shows a table, and a ruled page right after one (the rest of a split table)."""
    chosen: list[int] = []
    for i, page in enumerate(pages):
        text = normalise(page.text)
        if any(m in text for m in TABLE_MARKERS) or (page.ruled and i > 0 and chosen and chosen[-1] == page.number - 1):
            chosen.append(page.number)
    return chosen


def read_lattice_grids(path: Path, pages: list[int]) -> list[Grid]:
    """Ruled tables on the given pages, top to bottom, page by page; spanned text copied into the span."""
    if not pages:
        return []
    import camelot  # imports OpenCV: only when a document has tables

    tables = camelot.read_pdf(
        str(path), pages=",".join(map(str, pages)), flavor="lattice", engine="vector", copy_text=["h", "v"],
        suppress_stdout=True,
    )
    ordered = sorted(tables, key=lambda t: (int(t.page), t.order))  # camelot numbers a page's tables top down
    return [Grid.on_page(t.df.values.tolist(), int(t.page), "camelot-lattice") for t in ordered]
