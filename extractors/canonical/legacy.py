"""The pre-2019 统计表: one column of figures, one row per indicator."""

from __future__ import annotations

from extractors.canonical.cells import make_cell
from extractors.grid import Grid
from extractors.labels import core, normalise
from extractors.values import is_value_text
from nianbao import schema
from nianbao.models import Cell

TABLE = "legacy"


def _legacy_core(label: str) -> str:
    return core(label.split()[-1]) if label.split() else ""


# words only this table prints: "统计指标", "统计数" and the indicator names long enough to be the 统计表's own (not 兼职人员数, which any table could print)
KIND_WORDS = ("统计指标", "统计数") + tuple(
    w for w in (_legacy_core(c.label) for c in schema.legacy_indicators()) if len(w) >= 7
)


def legacy_value_offset(grid: Grid) -> int:
    for row in map(grid.distinct, range(len(grid.rows))):
        for col, text in enumerate(row):
            if normalise(text) == "统计数":
                return col - len(row)
    return -1


def map_legacy(grid: Grid) -> list[Cell]:
    """Rows matched to the 统计表's indicators in order: the same words recur (被依法纠错数 under both
    行政复议 and 行政诉讼), so each row is matched to the next indicator that fits, never to an earlier one."""
    indicators = [(c.code, _legacy_core(c.label)) for c in schema.legacy_indicators()]
    offset = legacy_value_offset(grid)
    cells: list[Cell] = []
    position = 0
    for i in range(len(grid.rows)):
        row = grid.distinct(i)
        if len(row) < -offset + 1:
            continue
        text = row[offset]
        if not is_value_text(text):  # a blank is a missing figure; prose is no figure at all
            continue
        label = core(next((c for c in row[:offset] if normalise(c) and not is_value_text(c)), ""))
        if not label:
            continue
        for j in range(position, len(indicators)):
            code, want = indicators[j]
            if label == want or (len(label) >= 4 and (want.startswith(label) or label.startswith(want))):
                cells.append(make_cell(TABLE, code, "value", text, grid.pages[i]))
                position = j + 1
                break
    return cells
