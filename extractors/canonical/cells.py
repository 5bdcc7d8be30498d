"""What every table's mapping shares: a Cell from a printed text, a row's label, a row's trailing figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.labels import normalise
from extractors.values import is_value_text, parse_value
from nianbao.models import Cell, LabelNote


@dataclass
class Mapped:
    """What one table's mapping read: its cells, the rows read by place and likeness whose printed label is not
    the template's, the template generation its labels show, and the regional variant of a 统计表."""

    cells: list[Cell]
    label_notes: list[LabelNote] = field(default_factory=list)
    generation: str | None = None
    variant: str | None = None


def make_cell(table: str, row: str, column: str, text: str, page: int | None) -> Cell:
    try:
        value = parse_value(text)
    except ValueError:  # prose in a data cell: keep the text, state no figure
        value = None
    # a number's raw text without the spaces text extraction puts inside it (762064 元)
    raw = "".join(text.split()) if value is not None else text.strip()
    # a scanned cell's text (grid.ScannedText) brings its OCR confidence and picture region along
    return Cell(table, row, column, value, raw, page, getattr(text, "confidence", None), getattr(text, "region", None))


def label_of(cells: list[str]) -> str:
    """The normalised label of a row's label cells; a span repeated over several cells counts once."""
    parts = [normalise(c) for c in cells]
    return "".join(p for i, p in enumerate(parts) if p and p not in parts[:i])


def leaf_of(cells: list[str]) -> str:
    """The innermost (rightmost) label of a row's label cells."""
    for c in reversed(cells):
        if normalise(c):
            return normalise(c)
    return ""


def trailing_value_count(row: list[str]) -> int:
    """How many cells at the row's end are figures or blanks."""
    n = 0
    for text in reversed(row):
        if not is_value_text(text):
            break
        n += 1
    return n
