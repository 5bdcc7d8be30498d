"""OCR of scanned pages, offline on the CPU: RapidOCR (PP-OCRv6 small, ONNX models shipped inside the
`rapidocr` wheel; run by onnxruntime). Chosen over Tesseract 5 + chi_sim by measurement on the scan corpus
(bench/ocr.py; docs/stack-notes.md "OCR").

    read_page_glyphs(image)    the characters on a cleaned page picture, each with its box, confidence and
                               the printed line (detection box) it belongs to
    OcrCache                   glyphs per page of a document, kept beside the extraction store, so that a
                               document OCR'd once is not OCR'd again, even by a newer extractor version
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

import numpy as np

ENGINE_MODELS = "PP-OCRv6 small"


@dataclass(frozen=True)
class Glyph:
    """One character: placed in a table cell on its own, since a detection box can run across a ruling line
    erased before OCR (38 and 25 in two cells read as one 3825)."""

    text: str
    confidence: float  # the engine's score, 0..1
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 on the page picture (scan_image.RENDER_DPI)
    line: int  # the detection box it was read in: glyphs of one line are one phrase

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2


@cache
def engine_name() -> str:
    return f"rapidocr {version('rapidocr')} ({ENGINE_MODELS}, onnxruntime {version('onnxruntime')})"


@cache
def _engine():
    from rapidocr import RapidOCR

    return RapidOCR(params={
        "Global.log_level": "warning",  # RapidOCR logs every page at info
        "Global.text_score": LOWEST_LINE_SCORE,
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,  # the pool already runs one worker per core
    })


# RapidOCR drops lines scoring under 0.5 by default: a figure read badly must come back with its low score
# (to be flagged), not vanish (to be read as blank)
LOWEST_LINE_SCORE = 0.1


def read_page_glyphs(image: np.ndarray) -> list[Glyph]:
    # every flag stated on every call: RapidOCR keeps a call's flags for the calls after it
    result = _engine()(image, use_det=True, use_cls=False, use_rec=True, return_word_box=True,
                       return_single_char_box=True)
    if result.boxes is None:
        return []
    glyphs = []
    for line, chars in enumerate(result.word_results):
        for text, score, box in chars:
            xs, ys = [float(p[0]) for p in box], [float(p[1]) for p in box]
            glyphs.append(Glyph(text, round(float(score), 4), (int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))),
                                line))
    return glyphs


def read_cell(image: np.ndarray) -> tuple[str, float]:
    """A one-line cell's picture read on its own (recognition only: detection would blow a 40-pixel-high crop
    up to 736 pixels and take seconds), with its score. Out of the page's context the engine reads a lone
    "/" as "/", where on the whole page it said "1" at 0.5."""
    result = _engine()(image, use_det=False, use_cls=False, use_rec=True, return_word_box=False,
                       return_single_char_box=False)
    if not result.txts or not result.txts[0]:
        return "", 0.0
    return result.txts[0], round(float(result.scores[0]), 4)
