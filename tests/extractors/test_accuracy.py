"""Cell-level accuracy of the extractors over the fixture corpus and the five demo documents.

The expected cells come from the specs the documents were made from (demo_portal/report_generator/), never from an
extractor. Accuracy = cells read right / (cells expected + cells read that should not exist); a cell read
with a wrong value counts against it like a missing one, and is also reported on its own (a figure read
wrong is worse than a figure not read).
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from bench.scan_accuracy import Score
from extractors import EXTRACTOR_VERSION, extract_document
from extractors.labels import core, normalise
from nianbao import schema
from nianbao.config import PROJECT_DIR
from nianbao.models import ExtractedReport

CORPUS = PROJECT_DIR / "tests" / "fixtures" / "corpus"
DEMO = PROJECT_DIR / "demo_portal" / "documents"
REQUIRED_ACCURACY = Decimal("0.995")


@dataclass(frozen=True)
class Fixture:
    name: str
    kind: str  # the corpus's rendering kind (pdf_ruled, pdf_borderless, html, …) or demo_<media type>
    path: Path
    media_type: str
    expected_status: str
    expected_generation: str | None
    cells_file: Path | None
    title: str
    year: int
    written_date: str | None


# DOC, WPS and XLS are read through LibreOffice; where it is not installed (`make test` on a bare machine;
# CI installs it) those fixtures leave the corpus and tests/extractors/test_doc.py checks the refusal instead.
HAS_LIBREOFFICE = shutil.which("soffice") is not None
NEEDS_LIBREOFFICE = {"doc", "wps", "xls"}


def _corpus_entries() -> list[dict]:
    entries = json.loads((CORPUS / "manifest.json").read_text("utf-8"))["documents"]
    return [e for e in entries if HAS_LIBREOFFICE or e["media_type"] not in NEEDS_LIBREOFFICE]


@cache
def fixtures() -> tuple[Fixture, ...]:
    found = []
    by_spec = {}
    for e in _corpus_entries():
        by_spec.setdefault(e["spec"], e)
        found.append(Fixture(
            e["file"], e["kind"], CORPUS / e["file"], e["media_type"], e["expected_status"],
            e["generation"] if e["expected_status"] == "parsed" else None,
            CORPUS / e["cells"] if e["cells"] else None, e["title"], e["year"], e["written_date"],
        ))
    for d in json.loads((DEMO / "manifest.json").read_text("utf-8"))["documents"]:
        spec = by_spec[f"seed-{d['seed']}"]  # the demo document renders the same seed spec as the corpus
        found.append(Fixture(
            f"demo/{d['file']}", f"demo_{d['media_type']}", DEMO / d["file"], d["media_type"],
            spec["expected_status"], spec["generation"] if spec["expected_status"] == "parsed" else None,
            CORPUS / spec["cells"] if spec["cells"] else None, d["title"], d["year"], d["written_date"],
        ))
    return tuple(found)


@cache
def extracted(name: str) -> ExtractedReport:
    fixture = next(f for f in fixtures() if f.name == name)
    return extract_document(fixture.path, fixture.media_type, "0" * 64)


def expected_cells(fixture: Fixture) -> dict[tuple[str, str, str], Decimal | None]:
    """The cells the fixture's spec puts in the document, less those of 统计表 rows the document does not
    print (a defect of the fixture, which test_every_统计表_row_expected_is_printed_in_its_fixture names)."""
    if fixture.cells_file is None or fixture.expected_status != "parsed":
        return {}
    cells = json.loads(fixture.cells_file.read_text("utf-8"))
    lost = set(unprinted_legacy_rows(fixture))
    return {
        (c["table_code"], c["row_code"], c["column_code"]): None if c["value"] is None else Decimal(c["value"])
        for c in cells if c["row_code"] not in lost or c["table_code"] != "legacy"
    }


def unprinted_legacy_rows(fixture: Fixture) -> list[str]:
    """统计表 indicators whose names the document's text does not contain at all."""
    if fixture.expected_generation != "legacy":
        return []
    text = normalise("".join(p.text for p in extracted(fixture.name).pages))
    return [c.code for c in schema.legacy_indicators() if core(c.label.split()[-1]) not in text]


@pytest.mark.parametrize("fixture", [f for f in fixtures() if f.expected_generation == "legacy"], ids=lambda f: f.name)
def test_every_统计表_row_expected_is_printed_in_its_fixture(fixture):
    """Checks the fixture, not the extractor: a row missing from the document cannot be read from it."""
    assert unprinted_legacy_rows(fixture) == [], f"{fixture.path} does not print these rows; regenerate it"


def score(fixture: Fixture) -> Score:
    want = expected_cells(fixture)
    got = {(c.table_code, c.row_code, c.column_code): c.value for c in extracted(fixture.name).cells}
    s = Score()
    for key, value in want.items():
        where = f"{fixture.name} {key}"
        if key not in got:
            s.missing.append(where)
        elif got[key] != value:
            s.wrong.append(f"{where}: read {got[key]}, printed {value}")
        else:
            s.right += 1
    s.extra = [f"{fixture.name} {key}" for key in got if key not in want]
    return s


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda f: f.name)
def test_each_document_gets_its_expected_status_and_generation(fixture):
    report = extracted(fixture.name)
    assert report.extractor_version == EXTRACTOR_VERSION
    assert (report.status, report.generation) == (fixture.expected_status, fixture.expected_generation), report.error


@pytest.mark.parametrize("fixture", [f for f in fixtures() if f.expected_status in ("parsed", "no_tables")],
                         ids=lambda f: f.name)
def test_each_readable_document_gets_its_title_year_and_signature_date(fixture):
    report = extracted(fixture.name)
    written = report.written_date.isoformat() if report.written_date else None
    assert (report.title, report.title_year, report.period_year, written) == (
        fixture.title, fixture.year, fixture.year, fixture.written_date)


def test_cell_accuracy_over_the_corpus_and_the_demo_documents_is_at_least_99_5_percent():
    total = Score()
    by_kind: dict[str, Score] = defaultdict(Score)
    for fixture in fixtures():
        s = score(fixture)
        by_kind[fixture.kind].add(s)
        total.add(s)
    lines = [f"{kind:16s} {s.right:5d}/{s.counted:<5d} {s.accuracy:.2%}  wrong {len(s.wrong)}  missing "
             f"{len(s.missing)}  extra {len(s.extra)}" for kind, s in sorted(by_kind.items()) if s.counted]
    lines.append(f"{'all':16s} {total.right:5d}/{total.counted:<5d} {total.accuracy:.2%}")
    print("\n" + "\n".join(lines))
    problems = (total.wrong + total.missing + total.extra)[:15]
    assert total.accuracy >= REQUIRED_ACCURACY, "\n".join(lines + problems)


def test_no_figure_in_the_corpus_is_read_wrong():
    """A cell may be missed (it counts against accuracy); it may never carry another cell's figure."""
    wrong = [w for f in fixtures() for w in score(f).wrong]
    assert wrong == []


def test_every_cell_and_figure_carries_the_page_it_was_read_on():
    for fixture in fixtures():
        report = extracted(fixture.name)
        pages = {p.page for p in report.pages}
        assert all(c.page in pages for c in report.cells), fixture.name
        assert all(f.page in pages for f in report.figures), fixture.name
