"""Extracted reports as files: the hand-over from extraction to the warehouse load.

Each ExtractedReport is one JSON file, <root>/<extractor version>/<sha256[:2]>/<sha256>.json. The load streams
them back in chunks, so a run's memory does not grow with the number of documents; an extraction finished by
a run that crashed before publishing is not done again; and a person can read what the extractor produced.

The store lives in the shared core because two stages meet here: extractors/ writes it, warehouse/ reads it.
Its layout and JSON carry a format version in <root>/format_version (as dlt versions its storages), so a
store written by another format is refused with what to do, never misread.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from nianbao.models import Cell, ExtractedReport, LabelNote, NarrativeFigure, PageText, TableReading

# Bump when the file layout or the JSON of a report changes. A store without the file predates versioning
# and has version 1's layout.
FORMAT_VERSION = 1
FORMAT_FILE = "format_version"


class StoreFormatError(RuntimeError):
    """The store on disk was written in another format than this code reads."""


def _encode(value):
    if isinstance(value, Decimal):
        return str(value)  # exact: a float would turn 3.2 万元 into 3.2000000000000002
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in an extracted report")


def report_to_json(report: ExtractedReport) -> bytes:
    return json.dumps(asdict(report), default=_encode, ensure_ascii=False).encode("utf-8")


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def report_from_json(data: bytes) -> ExtractedReport:
    record = json.loads(data)
    written = record.pop("written_date")
    return ExtractedReport(
        **{k: v for k, v in record.items() if k not in ("pages", "cells", "figures", "tables", "label_notes")},
        written_date=date.fromisoformat(written) if written else None,
        pages=[PageText(**p) for p in record["pages"]],
        cells=[Cell(**{**c, "value": _decimal(c["value"])}) for c in record["cells"]],
        figures=[NarrativeFigure(**{**f, "value": _decimal(f["value"])}) for f in record["figures"]],
        tables=[TableReading(**t) for t in record.get("tables", ())],  # both added in format 1: older files have none
        label_notes=[LabelNote(**n) for n in record.get("label_notes", ())],
    )


class ExtractionStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        found = self.format_on_disk()
        if found != FORMAT_VERSION:
            raise StoreFormatError(
                f"{self.root} holds extracted reports in format {found}; this nianbao reads format "
                f"{FORMAT_VERSION}. Delete the folder: its documents are extracted again from the raw store."
            )

    def format_on_disk(self) -> int:
        marker = self.root / FORMAT_FILE
        return int(marker.read_text("utf-8").strip()) if marker.exists() else FORMAT_VERSION

    def path(self, sha256: str, extractor_version: str) -> Path:
        return self.root / extractor_version / sha256[:2] / f"{sha256}.json"

    def has(self, sha256: str, extractor_version: str) -> bool:
        return self.path(sha256, extractor_version).exists()

    def put(self, report: ExtractedReport) -> Path:
        path = self.path(report.sha256, report.extractor_version)
        path.parent.mkdir(parents=True, exist_ok=True)
        marker = self.root / FORMAT_FILE
        if not marker.exists():
            marker.write_text(f"{FORMAT_VERSION}\n", "utf-8")
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(report_to_json(report))
        os.replace(partial, path)  # a reader never sees half a file
        return path

    def get(self, sha256: str, extractor_version: str) -> ExtractedReport:
        return report_from_json(self.path(sha256, extractor_version).read_bytes())
