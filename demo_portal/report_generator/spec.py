"""The spec of one annual report: its blocks in reading order and every cell as printed; the cells an
extractor should read from it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from nianbao import schema


GENERATIONS = schema.GENERATIONS
TABLE_CODES = ("proactive", "application", "review_litigation", "legacy")
BLANK_TOKENS = ("", "/", "-", "—", "无")  # printed, but no value: missing, never 0


@dataclass(frozen=True)
class Block:
    """One piece of the report body, in reading order."""

    kind: str  # title | heading | paragraph | caption | table | signature
    text: str  # for a table: its table code


@dataclass
class ReportSpec:
    key: str  # e.g. seed-002, synthetic-gen2021-7
    agency: str
    title: str  # the report's title as one line
    year: int
    generation: str  # legacy | gen2019 | gen2021 (of its tables; a seed without tables keeps its era's)
    written_date: date | None  # the date under the signature; None when the report is not signed
    period_sentence: str  # the 统计期限 sentence, as printed in the prose
    blocks: list[Block]
    cells: dict[tuple[str, str, str], str]  # (table_code, row_code, column_code) -> cell text as printed
    labels: dict[str, str] = field(default_factory=dict)  # form label -> label as this report prints it

    def printed(self, label: str) -> str:
        return self.labels.get(label, label)

    def tables(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "table"]


def table_keys(generation: str, table_code: str) -> list[tuple[str, str, str]]:
    """Every number cell of one table of the form, in printed order (row by row, left to right)."""
    if table_code == "application":
        cols = [c.code for c in schema.applicant_columns()]
        return [(table_code, r.code, c) for r in schema.application_rows(generation) for c in cols]
    if table_code == "review_litigation":
        groups, outcomes = schema.review_litigation()
        return [(table_code, g.code, o.code) for g in groups for o in outcomes]
    if table_code == "proactive":
        return [
            (table_code, f"{b.item}.{r.code}", m.code)
            for b in schema.proactive_blocks(generation)
            for r in b.rows
            for m in b.measures
        ]
    if table_code == "legacy":
        return [(table_code, i.code, "value") for i in schema.legacy_indicators()]
    raise ValueError(f"unknown table {table_code}")


def tables_of(generation: str) -> tuple[str, ...]:
    return ("legacy",) if generation == "legacy" else ("proactive", "application", "review_litigation")


NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:万?元)?$")


def parse_value(text: str) -> Decimal | None:
    """The number a printed cell means: None for a blank or a placeholder ("/", "—", "无"), never 0.
    A sign ("+12") and a unit suffix ("251000元") are dropped; an unreadable cell raises ValueError."""
    t = text.strip()
    if t in BLANK_TOKENS:
        return None
    t = t.removesuffix("元").removesuffix("万")
    try:
        return Decimal(t)
    except InvalidOperation:
        raise ValueError(f"not a number cell: {text!r}") from None


def expected_cells(spec: ReportSpec) -> list[dict]:
    """The canonical cells an extractor should read from a document of this spec."""
    out = []
    for table_code in spec.tables():
        for key in table_keys(spec.generation, table_code):
            raw = spec.cells[key]
            value = parse_value(raw)
            out.append(
                {
                    "table_code": key[0],
                    "row_code": key[1],
                    "column_code": key[2],
                    "value": None if value is None else str(value),
                    "raw_text": raw,
                }
            )
    return out
