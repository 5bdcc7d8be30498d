"""OCR on the scan fixture corpus: cell accuracy per scan condition and seconds per page, per engine.

    nice -n 19 python -m bench.ocr                              # every scan, RapidOCR and (if installed) Tesseract
    nice -n 19 python -m bench.ocr --engines rapidocr --conditions 200dpi-colour-seal
    nice -n 19 python -m bench.ocr --engines rapidocr --real DIR    # also scans of the real PDFs in DIR

With --real, every text PDF in DIR (real published reports, e.g. the real corpus's documents kept outside the
repository: tests/fixtures/real/*/SOURCE.md) is scanned under each condition by demo_portal/make_scans.py and
its OCR reading compared with the reading of its own text layer: real page layouts, scanned as we scan ours.

Both engines get the same pages (scan_image: red channel, evened light, deskew, table lines erased), the same
grid from the picture and the same canonical mapping (tables_scan, canonical); only the reading of characters
differs. Tesseract is Debian's tesseract-ocr 5 with tesseract-ocr-chi-sim, through pytesseract when both are
installed (`apt-get install tesseract-ocr tesseract-ocr-chi-sim`, `pip install pytesseract`); the pipeline
itself needs neither. Prints one JSON line per engine and condition, then one per engine overall.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.scan_accuracy import Score, expected_cells, scans, score
from extractors import tables_scan
from extractors.canonical import read_tables
from extractors.ocr import Glyph, RapidOcr
from nianbao.models import ExtractedReport


class Tesseract:
    """Tesseract 5 LSTM, chi_sim (+eng for digits), page segmentation as one block of text per page."""

    def __init__(self) -> None:
        import pytesseract

        self._tesseract = pytesseract
        self.name = f"tesseract {pytesseract.get_tesseract_version()} (chi_sim+eng)"

    def page_glyphs(self, image: np.ndarray) -> list[Glyph]:
        data = self._tesseract.image_to_data(image, lang="chi_sim+eng", config="--psm 3",
                                             output_type=self._tesseract.Output.DICT)
        glyphs = []
        for i, text in enumerate(data["text"]):
            if text.strip() and float(data["conf"][i]) >= 0:
                x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
                line = data["block_num"][i] * 10000 + data["par_num"][i] * 100 + data["line_num"][i]
                glyphs.append(Glyph(text.strip(), round(float(data["conf"][i]) / 100, 4), (x, y, x + w, y + h), line))
        return glyphs

    def cell(self, image: np.ndarray) -> tuple[str, float]:
        data = self._tesseract.image_to_data(image, lang="chi_sim+eng", config="--psm 7",
                                             output_type=self._tesseract.Output.DICT)
        words = [(t.strip(), float(c)) for t, c in zip(data["text"], data["conf"]) if t.strip() and float(c) >= 0]
        if not words:
            return "", 0.0
        return "".join(t for t, _ in words), round(min(c for _, c in words) / 100, 4)


def engines(names: list[str]) -> list:
    chosen = []
    for name in names:
        if name == "rapidocr":
            chosen.append(RapidOcr())
        elif name == "tesseract":
            try:
                import pytesseract  # noqa: F401
            except ImportError:
                print(json.dumps({"engine": "tesseract", "skipped": "pytesseract is not installed"}))
                continue
            if shutil.which("tesseract") is None:
                print(json.dumps({"engine": "tesseract", "skipped": "tesseract-ocr is not installed"}))
                continue
            chosen.append(Tesseract())
    return chosen


def read(path: Path, engine) -> tuple[ExtractedReport, int]:
    """The scan's cells as the pipeline reads them, with this engine (no cache)."""
    pages, grids = tables_scan.read_scanned_pdf(path, "0" * 64, None, engine=engine)
    report = ExtractedReport(sha256="0" * 64, extractor_version="bench", status="parsed_ocr")
    tables = read_tables(grids)
    report.cells, report.generation = tables.cells, tables.generation
    return report, len(pages)


def real_scans(folder: Path, conditions: list[str], out: Path) -> list[tuple[str, str, Path, dict]]:
    """(name, condition, scan, expected cells from the text layer) for every PDF in `folder`."""
    from demo_portal import make_scans
    from extractors import extract_document

    found = []
    for pdf in sorted(folder.glob("*.pdf")):
        text = extract_document(pdf, "pdf", "0" * 64)
        want = {(c.table_code, c.row_code, c.column_code): c.value for c in text.cells}
        for condition in make_scans.CONDITIONS:
            if conditions and condition.name not in conditions:
                continue
            scan = make_scans.scan_pdf(pdf, out / f"{pdf.stem}.{condition.name}.pdf", condition, text.agency or "人民政府")
            found.append((f"real/{pdf.stem}", condition.name, scan, want))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="rapidocr,tesseract")
    parser.add_argument("--conditions", default="", help="comma-separated condition names (default: all)")
    parser.add_argument("--reports", default="", help="comma-separated report names (default: all)")
    parser.add_argument("--real", type=Path, help="a folder of real text PDFs to scan and read as well")
    args = parser.parse_args()
    conditions = args.conditions.split(",") if args.conditions else []
    wanted = [(s.path.name, s.condition, s.path, expected_cells(s.cells_file)) for s in scans()
              if (not conditions or s.condition in conditions)
              and (not args.reports or s.report in args.reports.split(","))]
    if args.real:
        with tempfile.TemporaryDirectory(prefix="nianbao-real-scans-") as out:
            wanted += real_scans(args.real, conditions, Path(out))
            measure(args.engines.split(","), wanted)
    else:
        measure(args.engines.split(","), wanted)


def measure(engine_names: list[str], wanted: list[tuple[str, str, Path, dict]]) -> None:
    for engine in engines(engine_names):
        by_condition: dict[str, Score] = defaultdict(Score)
        seconds: dict[str, float] = defaultdict(float)
        pages: dict[str, int] = defaultdict(int)
        for name, condition, path, want in wanted:
            group = f"real {condition}" if name.startswith("real/") else condition
            started = time.perf_counter()
            report, page_count = read(path, engine)
            seconds[group] += time.perf_counter() - started
            pages[group] += page_count
            by_condition[group].add(score(name, want, report))
        total = Score()
        for condition, s in sorted(by_condition.items()):
            total.add(s)
            print(json.dumps({
                "engine": engine.name, "condition": condition, "cells_right": s.right, "cells_counted": s.counted,
                "accuracy": round(float(s.accuracy), 4), "wrong": len(s.wrong), "missing": len(s.missing),
                "extra": len(s.extra), "pages": pages[condition],
                "seconds_per_page": round(seconds[condition] / pages[condition], 2),
                "wrong_cells": s.wrong[:5],
            }, ensure_ascii=False), flush=True)
        print(json.dumps({
            "engine": engine.name, "condition": "all", "accuracy": round(float(total.accuracy), 4),
            "cells_counted": total.counted, "wrong": len(total.wrong), "missing": len(total.missing),
            "pages": sum(pages.values()), "seconds_per_page": round(sum(seconds.values()) / max(1, sum(pages.values())), 2),
        }, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
