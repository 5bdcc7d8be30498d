"""四、行政复议、行政诉讼: one data row of 15 figures in the template's fixed order."""

from __future__ import annotations

import itertools

from extractors.canonical.cells import Mapped, make_cell, trailing_value_count
from extractors.grid import Grid
from extractors.labels import normalise
from nianbao import schema

TABLE = "review_litigation"
# words only this table prints
KIND_WORDS = ("结果维持", "结果纠正", "尚未审结", "复议后起诉", "未经复议直接起诉")

# (group, outcome) of the 15 figures in printed order: 5 outcomes of 行政复议, of 未经复议直接起诉, of 复议后起诉
REVIEW_SLOTS = tuple((g.code, o.code) for g, o in itertools.product(*schema.review_litigation()))


def map_review_litigation(grid: Grid) -> Mapped:
    """The one data row of 15 figures: 5 outcomes of 行政复议, of 未经复议直接起诉, of 复议后起诉. The
    header's vertical text is no help (it breaks into single characters); the template's order is fixed, and
    the same in 2019 and 2021 (no generation of its own)."""
    data_index = review_data_index(grid)
    if data_index is None:
        return Mapped([])
    row = grid.distinct(data_index)[-len(REVIEW_SLOTS):]
    return Mapped([
        make_cell(TABLE, group, outcome, text, grid.pages[data_index])
        for (group, outcome), text in zip(REVIEW_SLOTS, row, strict=True)
    ])


def is_review_data_row(row: list[str]) -> bool:
    """A row ending in 15 figures or blanks, at least one of them printed."""
    width = len(REVIEW_SLOTS)
    return trailing_value_count(row) >= width and any(normalise(c) for c in row[-width:])


def review_data_index(grid: Grid) -> int | None:
    """The last row of the review table's 15 figures, or None."""
    return next((i for i in reversed(range(len(grid.rows))) if is_review_data_row(grid.distinct(i))), None)


