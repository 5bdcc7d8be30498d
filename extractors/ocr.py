"""OCR of scanned pages, offline on the CPU: RapidOCR (PP-OCRv6 small, ONNX models shipped inside the
`rapidocr` wheel; run by onnxruntime). Chosen over Tesseract 5 + chi_sim by measurement on the scan corpus
(python -m bench.ocr; docs/stack-notes.md "OCR").

An engine reads two things (tables_scan.py takes any object with these, so the bench can measure another):
    engine.name                  recorded with the report (reports.ocr_engine)
    engine.page_glyphs(image)    the characters on a cleaned page picture, each with its box, confidence and
                                 the printed line it was read in
    engine.cell(image)           a one-line table cell's picture read on its own: (text, confidence)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from importlib.metadata import version

import numpy as np

# RapidOCR drops lines scoring under 0.5 by default: a figure read badly must come back with its low score
# (to be flagged), not vanish (to be read as blank)
LOWEST_LINE_SCORE = 0.1


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


class RapidOcr:
    name = f"rapidocr {version('rapidocr')} (PP-OCRv6 small, onnxruntime {version('onnxruntime')})"

    @cached_property
    def _engine(self):
        from rapidocr import RapidOCR

        return RapidOCR(params={
            "Global.log_level": "warning",  # RapidOCR logs every page at info
            "Global.text_score": LOWEST_LINE_SCORE,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,  # the pool already runs one worker per core
        })

    def page_glyphs(self, image: np.ndarray) -> list[Glyph]:
        # every flag stated on every call: RapidOCR keeps a call's flags for the calls after it
        result = self._engine(image, use_det=True, use_cls=False, use_rec=True, return_word_box=True,
                              return_single_char_box=True)
        if result.boxes is None:
            return []
        glyphs = []
        for line, chars in enumerate(result.word_results):
            for text, score, box in chars:
                xs, ys = [float(p[0]) for p in box], [float(p[1]) for p in box]
                glyphs.append(Glyph(text, round(float(score), 4),
                                    (int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))), line))
        return glyphs

    def cell(self, image: np.ndarray) -> tuple[str, float]:
        """Recognition only: detection would blow a 40-pixel-high crop up to 736 pixels and take seconds. Out
        of the page's context the engine reads a lone "/" as "/", where on the whole page it said "1" at 0.5."""
        result = self._engine(image, use_det=False, use_cls=False, use_rec=True, return_word_box=False,
                              return_single_char_box=False)
        if not result.txts or not result.txts[0]:
            return "", 0.0
        return result.txts[0], round(float(result.scores[0]), 4)


@cache
def default_engine() -> RapidOcr:
    return RapidOcr()
