"""Raw grids → canonical cells (the codes of nianbao/report_tables.yaml).

Steps, each a plain function on printable data:
  grouping.group_tables(grids)        pieces of one table (split over pages) joined, one Grid per kind
  application.map_application(grid)   三、收到和处理政府信息公开申请情况  → application cells
  review.map_review_litigation(grid)  四、行政复议、行政诉讼              → review_litigation cells
  proactive.map_proactive(grid)       二、主动公开政府信息情况 (第二十条)  → proactive cells + generation
  legacy.map_legacy(grid)             the pre-2019 统计表                 → legacy cells + variant
  detect_generation(...)              from the tables themselves, never from the year; each table keeps its own

Each mapping returns a Mapped (cells.py): cells, label notes, generation, variant.

Rows and columns are found by their labels, with keyword matching on normalised labels (labels.py), so
that spaces inside CJK, vertical headers, wrapped labels and quote variants do not matter; a row no keyword
names is the template row at its place if its label is like that row's (a printed typo), and is noted. A grid whose
labels cannot be understood yields no cells: a figure read wrong is worse than a figure not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.canonical import application, legacy, proactive, review
from extractors.canonical.cells import Mapped
from extractors.canonical.grouping import group_tables
from extractors.grid import Grid
from nianbao.models import Cell, LabelNote, TableReading


@dataclass(frozen=True)
class TablesRead:
    cells: list[Cell]
    generation: str | None  # the template generation the tables show
    unread: list[str]  # kinds of table the document shows whose labels could not be mapped: for a person
    tables: list[TableReading] = field(default_factory=list)  # each table read: its own generation, its variant
    label_notes: list[LabelNote] = field(default_factory=list)  # rows read by place and likeness, not label


def read_tables(grids: list[Grid]) -> TablesRead:
    """All canonical cells of a report's grids, and how each table was read."""
    mappers = {legacy.TABLE: legacy.map_legacy, proactive.TABLE: proactive.map_proactive,
               application.TABLE: application.map_application, review.TABLE: review.map_review_litigation}
    tables = group_tables(grids)
    mapped = {kind: mappers[kind](tables[kind]) for kind in mappers if kind in tables}
    cells = [c for m in mapped.values() for c in m.cells]
    readings = [TableReading(kind, m.generation, m.variant) for kind, m in mapped.items() if m.cells]
    notes = [n for m in mapped.values() for n in m.label_notes]
    unread = [kind for kind in tables if kind not in {c.table_code for c in cells}]
    return TablesRead(cells, detect_generation(mapped), unread, readings, notes)


def detect_generation(mapped: dict[str, Mapped]) -> str | None:
    """The report's generation: its application table's (the one whose rows the sums depend on), else its
    proactive table's, else legacy for a 统计表."""
    for kind in (application.TABLE, proactive.TABLE, legacy.TABLE):
        if kind in mapped and mapped[kind].cells and mapped[kind].generation:
            return mapped[kind].generation
    return None
