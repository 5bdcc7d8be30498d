"""Milliseconds per page of the extractors' steps, next to pdfminer.six's own extract_text on the same PDFs.

    .venv/bin/python bench/extraction_speed.py [--repeat 3] [PDF ...]

Default files: the PDFs of tests/fixtures/corpus and demo_portal/documents that have a text layer. Each step
is timed warm (imports paid before), best of --repeat runs. The target: a whole extraction (text + tables +
mapping) within 2x pdfminer.six's text time for the same report.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from pdfminer.high_level import extract_text

from extractors.canonical import read_tables
from extractors.document import extract_document, pdf_grids
from extractors.tables_pdf import read_lattice_grids, table_pages
from extractors.text_pdf import has_text_layer, read_pdf_pages

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DIRS = (PROJECT / "tests" / "fixtures" / "corpus", PROJECT / "demo_portal" / "documents")


def best_ms(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def default_pdfs() -> list[Path]:
    pdfs = []
    for folder in DEFAULT_DIRS:
        for path in sorted(folder.glob("*.pdf")):
            try:
                if has_text_layer(read_pdf_pages(path)):
                    pdfs.append(path)
            except Exception:  # noqa: BLE001 - a corrupt fixture is not a speed sample
                continue
    return pdfs


def measure(path: Path, repeat: int) -> dict[str, float]:
    pages = read_pdf_pages(path)
    wanted = table_pages(pages)
    lattice_pages = [p.number for p in pages if p.number in wanted and p.ruled]
    grids = pdf_grids(pages, wanted, read_lattice_grids(path, lattice_pages))
    return {
        "pages": len(pages),
        "table_pages": len(wanted),
        "pdfminer": best_ms(lambda: extract_text(path), repeat),
        "text": best_ms(lambda: read_pdf_pages(path), repeat),
        "tables": best_ms(lambda: pdf_grids(pages, wanted, read_lattice_grids(path, lattice_pages)), repeat),
        "mapping": best_ms(lambda: read_tables(grids), repeat),
        "whole": best_ms(lambda: extract_document(path, "pdf", "0" * 64), repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import camelot  # noqa: F401 - imports are paid once per worker process, not per document

    rows = [(path.name, measure(path, args.repeat)) for path in (args.pdfs or default_pdfs())]
    print(f"{'file':28s} {'pages':>5s} {'tbl':>3s} | ms/page: {'pdfminer':>8s} {'text':>6s} {'tables':>6s} "
          f"{'mapping':>7s} {'whole':>6s} | whole/pdfminer")
    totals = dict.fromkeys(("pages", "pdfminer", "text", "tables", "mapping", "whole"), 0.0)
    for name, m in rows:
        n = m["pages"]
        print(f"{name:28s} {n:5d} {m['table_pages']:3d} |          {m['pdfminer'] / n:8.1f} {m['text'] / n:6.1f} "
              f"{m['tables'] / n:6.1f} {m['mapping'] / n:7.2f} {m['whole'] / n:6.1f} | "
              f"{m['whole'] / m['pdfminer']:.2f}x")
        for key in totals:
            totals[key] += m[key]
    n = totals["pages"]
    print(f"{'all':28s} {int(n):5d}     |          {totals['pdfminer'] / n:8.1f} {totals['text'] / n:6.1f} "
          f"{totals['tables'] / n:6.1f} {totals['mapping'] / n:7.2f} {totals['whole'] / n:6.1f} | "
          f"{totals['whole'] / totals['pdfminer']:.2f}x")


if __name__ == "__main__":
    main()
