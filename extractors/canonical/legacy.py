"""The pre-2019 统计表: one column of figures, one row per indicator. Besides the national form (统计指标 | 单位 |
统计数, 2014–2018) provinces and cities printed their own: fewer or other rows, a 历年累计 column beside the
year's, fees in 元. Such a variant maps the rows it shares with the national form and says what it is; the
rows it does not have are not missing."""

from __future__ import annotations

import re
from decimal import Decimal

from extractors.canonical.cells import Mapped, make_cell
from extractors.grid import Grid
from extractors.labels import core, likeness, normalise
from extractors.values import is_number_text, is_value_text
from nianbao import schema
from nianbao.models import Cell

TABLE = "legacy"


def _legacy_core(label: str) -> str:
    return core(label.split()[-1]) if label.split() else ""


# words only this table prints: "统计指标", "统计数" and the indicator names long enough to be the 统计表's own (not 兼职人员数, which any table could print)
KIND_WORDS = ("统计指标", "统计数") + tuple(
    w for w in (_legacy_core(c.label) for c in schema.legacy_indicators()) if len(w) >= 7
)
# The column of the year's figures: the national 统计数, else a regional header naming the year (2009年度,
# 本年度, 本期实际, 本年累计); never 历年累计, the running total since the first year.
_YEAR_COLUMN = re.compile(r"^(?:统计数|(?:19|20)\d\d年(?:度)?|本年度?|本期(?:实际)?|本年累计)$")
_RUNNING_TOTAL = "历年累计"
LIKE_ENOUGH = 0.9  # an indicator's printed label against the national one: its words, some lost (labels.likeness)
_TEN_THOUSAND = Decimal(10000)


def legacy_value_offset(grid: Grid) -> tuple[int, bool]:
    """The offset from a row's end of the year's figures, and whether the table is the national form (its
    header prints 统计数)."""
    for row in map(grid.distinct, range(len(grid.rows))):
        texts = [normalise(t) for t in row]
        for col, text in enumerate(texts):
            if _YEAR_COLUMN.match(text):
                return col - len(row), text == "统计数"
    return -1, False


def _indicator(label: str, indicators: list[tuple[str, str]], position: int, used: set[str]) -> int | None:
    """The index of the indicator a row's label names: the one a regional form's own words stand for
    (report_tables.yaml legacy_regional_labels), the only one it can name, wherever it stands (a
    regional form prints 政府公报 after 政府网站), or, for words that recur (被依法纠错数 under both 行政复议
    and 行政诉讼), the next one after the last matched."""
    regional = schema.legacy_regional_labels().get(label)
    if regional is not None and regional not in used:
        return next(j for j, (code, _) in enumerate(indicators) if code == regional)
    fits = [j for j, (code, want) in enumerate(indicators) if code not in used and (
        label == want or (len(label) >= 4 and (want.startswith(label) or label.startswith(want)))
        or likeness(label, want) >= LIKE_ENOUGH)]
    if len(fits) == 1:
        return fits[0]
    return next((j for j in fits if j >= position), None)


def map_legacy(grid: Grid) -> Mapped:
    """Each row with a figure (or a blank) in the year's column, matched to an indicator (_indicator)."""
    indicators = [(c.code, _legacy_core(c.label)) for c in schema.legacy_indicators()]
    units = {c.code: c.unit for c in schema.legacy_indicators()}
    offset, national = legacy_value_offset(grid)
    cells: list[Cell] = []
    used: set[str] = set()
    rows_with_figures = 0
    fees_in_yuan = False
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
        rows_with_figures += is_number_text(text)
        j = _indicator(label, indicators, position, used)
        if j is None:
            continue
        code = indicators[j][0]
        cell = make_cell(TABLE, code, "value", text, grid.pages[i])
        if units[code] == "万元" and "元" in map(normalise, row[:offset]) and cell.value is not None:
            cell.value, fees_in_yuan = cell.value / _TEN_THOUSAND, True  # the form's own unit: 元
        cells.append(cell)
        used.add(code)
        position = max(position, j + 1)
    return Mapped(cells, generation="legacy", variant=_variant(grid, national, len(cells), rows_with_figures, fees_in_yuan))


def _variant(grid: Grid, national: bool, mapped: int, rows_with_figures: int, fees_in_yuan: bool) -> str | None:
    """None for the national form with every indicator; else what this form is."""
    running_total = _RUNNING_TOTAL in normalise(grid.text())
    if national and mapped == len(schema.legacy_indicators()) and not (running_total or fees_in_yuan):
        return None
    parts = [f"regional: {rows_with_figures} rows of figures, {mapped} national indicators"]
    if running_total:
        parts.append("历年累计 column")
    if fees_in_yuan:
        parts.append("fees in 元")
    return "; ".join(parts)
