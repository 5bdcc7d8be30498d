"""Raw grids → canonical cells (the codes of nianbao/report_tables.yaml).

Steps, each a plain function on printable data:
  grouping.group_tables(grids)        pieces of one table (split over pages) joined, one Grid per kind
  application.map_application(grid)   三、收到和处理政府信息公开申请情况  → application cells
  review.map_review_litigation(grid)  四、行政复议、行政诉讼              → review_litigation cells
  proactive.map_proactive(grid)       二、主动公开政府信息情况 (第二十条)  → proactive cells + generation
  legacy.map_legacy(grid)             the pre-2019 统计表                 → legacy cells
  detect_generation(...)              from the tables themselves, never from the year

Rows and columns are found by their labels, with keyword matching on normalised labels (labels.py), so
that spaces inside CJK, vertical headers, wrapped labels and quote variants do not matter. A grid whose
labels cannot be understood yields no cells: a figure read wrong is worse than a figure not read.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.canonical import application, legacy, proactive, review
from extractors.canonical.grouping import group_tables
from extractors.grid import Grid
from nianbao.models import Cell


@dataclass(frozen=True)
class TablesRead:
    cells: list[Cell]
    generation: str | None  # the template generation the tables show
    unread: list[str]  # kinds of table the document shows whose labels could not be mapped: for a person


def read_tables(grids: list[Grid]) -> TablesRead:
    """All canonical cells of a report's grids."""
    tables = group_tables(grids)
    cells: list[Cell] = []
    proactive_generation = None
    if legacy.TABLE in tables:
        cells += legacy.map_legacy(tables[legacy.TABLE])
    if proactive.TABLE in tables:
        proactive_cells, proactive_generation = proactive.map_proactive(tables[proactive.TABLE])
        cells += proactive_cells
    if application.TABLE in tables:
        cells += application.map_application(tables[application.TABLE])
    if review.TABLE in tables:
        cells += review.map_review_litigation(tables[review.TABLE])
    read = {c.table_code for c in cells}
    unread = [kind for kind in tables if kind not in read]
    return TablesRead(cells, detect_generation(cells, proactive_generation), unread)


def detect_generation(cells: list[Cell], proactive_generation: str | None) -> str | None:
    rows = {c.row_code for c in cells if c.table_code == application.TABLE}
    if any(r.startswith("other_handling.") for r in rows):
        return "gen2021"
    if "other_handling" in rows:
        return "gen2019"
    if proactive_generation:
        return proactive_generation
    if any(c.table_code == legacy.TABLE for c in cells):
        return "legacy"
    return None
