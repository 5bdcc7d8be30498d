"""A scanned PDF → text per page and raw Grids, from OCR'd characters placed in the ruling grid found in the picture.

The cells of a ruled table are the boxes between its drawn lines: where a line is missing between two
neighbouring boxes, they are one (spanning) cell. Each OCR'd character goes to the cell holding its centre. The
Grids then go through the same canonical mapping as every other table (canonical.py); their texts are
ScannedText, which carry each cell's confidence and picture region through the mapping to the Cell.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from extractors import ocr, scan_image
from extractors.grid import Grid, ScannedText
from extractors.values import is_value_text
from nianbao.models import PageText

# What a cached reading depends on: the engine and its models (ocr.py), the page cleaning and grid finding
# (scan_image.py) and this module. A change to any of them is a new OCR version: older readings are not used.
OCR_VERSION = "2"
SOURCE = "ocr-lattice"
LINE_OVERLAP = 0.5  # two glyphs are on one row when their heights overlap by half the smaller one
NOISE_SCORE = 0.5
INK_PIXELS = 25  # dark pixels in a cell that OCR found no glyph in: something is printed there, unread
SECOND_LOOK_BELOW = 0.95
SECOND_LOOK_LENGTH = 8  # a figure, a "/" or "无": not a label (labels are matched by likeness anyway)
SLASH_TILT = 10  # degrees from upright: a printed "1" leans 0-3, a "/" 16-18 (Noto Serif CJK, 150-300 dpi)


def in_rows(glyphs: list[ocr.Glyph]) -> list[list[ocr.Glyph]]:
    """Glyphs grouped into printed rows, top to bottom, each row left to right."""
    rows: list[list[ocr.Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: g.centre[1]):
        if rows:
            last = rows[-1]
            top, bottom = min(g.box[1] for g in last), max(g.box[3] for g in last)
            overlap = min(bottom, glyph.box[3]) - max(top, glyph.box[1])
            if overlap >= LINE_OVERLAP * min(bottom - top, glyph.box[3] - glyph.box[1]):
                last.append(glyph)
                continue
        rows.append([glyph])
    return [sorted(row, key=lambda g: g.box[0]) for row in rows]


def text_of(glyphs: list[ocr.Glyph]) -> str:
    """Rows joined by newlines; within a row, a space where one detected line ends and another begins."""
    lines = []
    for row in in_rows(glyphs):
        lines.append("".join((" " if i and g.line != row[i - 1].line else "") + g.text for i, g in enumerate(row)))
    return "\n".join(lines)


def kept(glyphs: list[ocr.Glyph]) -> list[ocr.Glyph]:
    """Without the specks a seal or a stain leaves in a cell (an "M" at 0.35 beside 11). A digit is never
    dropped, however unsure: a figure must not vanish silently."""
    return [g for g in glyphs if g.confidence >= NOISE_SCORE or g.text.isdigit()]


class _Spans:
    """Union-find over the boxes of a table: boxes not parted by a drawn line are one cell."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        self.parent[max(self.root(a), self.root(b))] = min(self.root(a), self.root(b))


def table_grid(table: scan_image.TableLines, lines: scan_image.Ruling, glyphs: list[ocr.Glyph],
               erased: np.ndarray, page: int, engine) -> Grid:
    ys, xs = table.ys, table.xs
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    spans = _Spans(n_rows * n_cols)
    for i in range(n_rows):
        for j in range(n_cols):
            if j + 1 < n_cols and not scan_image.has_line(lines.vertical, xs[j + 1], ys[i], ys[i + 1], along_x=False):
                spans.join(i * n_cols + j, i * n_cols + j + 1)
            if i + 1 < n_rows and not scan_image.has_line(lines.horizontal, ys[i + 1], xs[j], xs[j + 1], along_x=True):
                spans.join(i * n_cols + j, (i + 1) * n_cols + j)
    cell_glyphs: dict[int, list[ocr.Glyph]] = {}
    for glyph in kept(glyphs):
        x, y = glyph.centre
        if xs[0] <= x < xs[-1] and ys[0] <= y < ys[-1]:
            i = int(np.searchsorted(ys, y, side="right")) - 1
            j = int(np.searchsorted(xs, x, side="right")) - 1
            cell_glyphs.setdefault(spans.root(i * n_cols + j), []).append(glyph)
    boxes: dict[int, list[int]] = {}
    for i in range(n_rows):
        for j in range(n_cols):
            root = spans.root(i * n_cols + j)
            x0, y0, x1, y1 = boxes.setdefault(root, [xs[j], ys[i], xs[j + 1], ys[i + 1]])
            boxes[root] = [min(x0, xs[j]), min(y0, ys[i]), max(x1, xs[j + 1]), max(y1, ys[i + 1])]
    texts = {root: cell_text(cell_glyphs.get(root, []), box, erased, page, engine) for root, box in boxes.items()}
    rows = [[texts[spans.root(i * n_cols + j)] for j in range(n_cols)] for i in range(n_rows)]
    ids = [[spans.root(i * n_cols + j) for j in range(n_cols)] for i in range(n_rows)]
    return Grid.on_page(rows, page, SOURCE, ids)


def cell_text(glyphs: list[ocr.Glyph], box: list[int], erased: np.ndarray, page: int, engine) -> ScannedText:
    """The cell's glyphs, with the lowest of their confidences. An empty cell is sure (1.0) when its picture is
    blank paper. A short text read unsure, or an empty cell with something printed in it, gets a second look:
    the cell's picture read on its own, kept when that reading is surer (a seal's ink over a figure, a "/")."""
    x0, y0, x1, y1 = box
    region = f"第{page}页 ({x0},{y0})-({x1},{y1}) 像素，{scan_image.RENDER_DPI} dpi"
    inside = erased[y0 + 3:y1 - 2, x0 + 3:x1 - 2]
    text = text_of(glyphs).replace(" ", "")
    if glyphs:
        confidence = min(g.confidence for g in glyphs)
    else:
        printed = int((inside < scan_image.INK_LEVEL).sum()) if inside.size else 0
        confidence = 0.0 if printed > INK_PIXELS else 1.0
    if confidence < SECOND_LOOK_BELOW and len(text) <= SECOND_LOOK_LENGTH and inside.size:
        margin = cv2.copyMakeBorder(inside, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)
        again, surer = engine.cell(margin)
        if surer > confidence:
            text, confidence = again.replace(" ", ""), surer
    if text in ("1", "/") and confidence < SECOND_LOOK_BELOW:
        # the engine's usual doubt: one stroke, upright or leaning. Its tilt decides; the doubt stays recorded.
        tilt = scan_image.stroke_tilt(inside)
        if tilt is not None:
            text = "/" if tilt > SLASH_TILT else "1"
    if confidence < SECOND_LOOK_BELOW and text.isascii() and not is_value_text(text):
        # Latin letters read unsure in a Chinese report's cell ("hi" for an 11 under a seal) are no reading:
        # the cell is unread (blank, its low confidence kept), so the row's other figures are still read
        text = ""
    return ScannedText(text, confidence, region)


@dataclass
class ScannedPage:
    number: int  # 1-based
    text: str
    grids: list[Grid]


def read_scanned_page(image: np.ndarray, page: int, engine) -> ScannedPage:
    lines = scan_image.ruling(image)
    erased = scan_image.without_lines(image, lines)
    glyphs = engine.page_glyphs(erased)
    return ScannedPage(page, text_of(glyphs), [table_grid(t, lines, glyphs, erased, page, engine) for t in lines.tables])


class OcrCache:
    """<root>/ocr-<OCR_VERSION>/<sha256[:2]>/<sha256>.json: the text and raw grids of every page of one scanned
    document. Kept beside the extraction store: a document OCR'd once is not OCR'd again, not even by a newer
    extractor version (which maps the same grids anew)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / f"ocr-{OCR_VERSION}" / sha256[:2] / f"{sha256}.json"

    def get(self, sha256: str) -> list[ScannedPage] | None:
        path = self.path(sha256)
        if not path.exists():
            return None
        return [ScannedPage(page["number"], page["text"], [
            Grid([[ScannedText(*cell) for cell in row] for row in g["rows"]], g["pages"], g["source"], g["ids"])
            for g in page["grids"]]) for page in json.loads(path.read_text("utf-8"))["pages"]]

    def put(self, sha256: str, pages: list[ScannedPage], engine_name: str) -> None:
        record = {"engine": engine_name, "pages": [{"number": page.number, "text": page.text, "grids": [
            {"rows": [[(str(t), t.confidence, t.region) for t in row] for row in g.rows], "pages": g.pages,
             "source": g.source, "ids": g.ids} for g in page.grids]} for page in pages]}
        path = self.path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
        os.replace(partial, path)


def read_scanned_pdf(path: Path, sha256: str, cache: OcrCache | None, page_numbers: list[int] | None = None,
                     engine=None) -> tuple[list[PageText], list[Grid]]:
    """The pages (all, or the 1-based page_numbers) OCR'd and their ruled tables read, or both taken from the
    cache. The engine is RapidOCR (ocr.default_engine) unless another is given."""
    engine = engine or ocr.default_engine()
    scanned = cache.get(sha256) if cache is not None else None
    if scanned is None:
        document = pdfium.PdfDocument(str(path))
        try:
            numbers = page_numbers or list(range(1, len(document) + 1))
            scanned = [read_scanned_page(scan_image.page_image(document, n - 1), n, engine) for n in numbers]
        finally:
            document.close()
        if cache is not None:
            cache.put(sha256, scanned, engine.name)
    return [PageText(page.number, page.text) for page in scanned], [g for page in scanned for g in page.grids]
