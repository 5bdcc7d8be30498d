"""Cell accuracy of OCR on the scan fixture corpus (tests/fixtures/scans, made by demo_portal/make_scans.py).

The expected cells are those of the text PDF each scan was made from (its <spec>.cells.json, written from the
spec, never by an extractor). Accuracy = cells read right / (cells expected + cells read that should not
exist); a cell read with another figure counts against it, and is listed on its own (a figure read wrong is
worse than a figure not read). Used by tests/extractors/test_ocr.py (which asserts) and bench/ocr.py (which
prints); Score is the same tally tests/extractors/test_accuracy.py keeps over the text corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from nianbao.models import ExtractedReport

PROJECT_DIR = Path(__file__).resolve().parent.parent
SCANS_DIR = PROJECT_DIR / "tests" / "fixtures" / "scans"
CORPUS_DIR = PROJECT_DIR / "tests" / "fixtures" / "corpus"


@dataclass(frozen=True)
class Scan:
    path: Path
    report: str  # the report it is a scan of (syn2021, …)
    condition: str  # 200dpi-colour-seal, …
    source: Path  # the text PDF it was made from
    cells_file: Path
    generation: str
    title: str
    year: int


def scans() -> list[Scan]:
    entries = json.loads((SCANS_DIR / "manifest.json").read_text("utf-8"))["scans"]
    return [Scan(SCANS_DIR / e["file"], e["file"].split(".")[0], e["condition"]["name"], CORPUS_DIR / e["source"],
                 CORPUS_DIR / e["cells"], e["generation"], e["title"], e["year"]) for e in entries]


@dataclass
class Score:
    right: int = 0
    missing: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return self.right + len(self.missing) + len(self.wrong) + len(self.extra)

    @property
    def accuracy(self) -> Decimal:
        return Decimal(self.right) / self.counted if self.counted else Decimal(1)

    def add(self, other: Score) -> None:
        self.right += other.right
        self.missing += other.missing
        self.wrong += other.wrong
        self.extra += other.extra


def expected_cells(cells_file: Path) -> dict[tuple[str, str, str], Decimal | None]:
    return {(c["table_code"], c["row_code"], c["column_code"]): None if c["value"] is None else Decimal(c["value"])
            for c in json.loads(cells_file.read_text("utf-8"))}


def score(name: str, want: dict[tuple[str, str, str], Decimal | None], report: ExtractedReport) -> Score:
    got = {(c.table_code, c.row_code, c.column_code): c for c in report.cells}
    s = Score()
    for key, value in want.items():
        if key not in got:
            s.missing.append(f"{name} {key}")
        elif got[key].value != value:
            cell = got[key]
            s.wrong.append(f"{name} {key}: read {cell.value} ({cell.raw_text!r}, confidence {cell.confidence}), "
                           f"printed {value}")
        else:
            s.right += 1
    s.extra = [f"{name} {key}" for key in got if key not in want]
    return s
