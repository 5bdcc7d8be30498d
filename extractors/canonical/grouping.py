"""Which table a grid is, and the pieces of one table (split over pages) joined: done once per report."""

from __future__ import annotations

from extractors.canonical import application, legacy, proactive, review
from extractors.grid import Grid, concatenate
from extractors.labels import normalise

# checked in this order: the 统计表 also names 行政复议
KIND_WORDS = {
    legacy.TABLE: legacy.KIND_WORDS,
    review.TABLE: review.KIND_WORDS,
    proactive.TABLE: proactive.KIND_WORDS,
    application.TABLE: application.KIND_WORDS,
}


def table_kind(grid: Grid) -> str | None:
    text = normalise(grid.text())
    for kind, words in KIND_WORDS.items():
        if any(word in text for word in words):
            return kind
    return None


def group_tables(grids: list[Grid]) -> dict[str, Grid]:
    """Join the pieces of each table in document order. A grid of no recognisable kind continues the grid
    before it (the rest of a table split over pages), except after a review table, whose only row without
    header words is its row of 15 figures: a review header that ends a page takes that row from the top of
    the next page (the first row of that page's first grid, whatever follows it), and nothing else."""
    pieces: dict[str, list[Grid]] = {}
    previous: str | None = None
    for grid in grids:
        review_so_far = pieces[review.TABLE] if previous == review.TABLE else None
        if review_so_far and review_awaits_figures(review_so_far, grid):
            review_so_far.append(grid.part(0, 1))
            grid = grid.part(1)
        kind = table_kind(grid) or (None if previous == review.TABLE else previous)
        if kind is None or not grid.rows:
            continue
        pieces.setdefault(kind, []).append(grid)
        previous = kind
    return {kind: concatenate(parts) for kind, parts in pieces.items()}


def review_awaits_figures(review_so_far: list[Grid], grid: Grid) -> bool:
    """The review table so far is a header without figures ending one page, and the grid's first row, at
    the top of the next page, is a row of 15 figures."""
    last_page = review_so_far[-1].pages[-1]
    return (
        bool(grid.rows)
        and review.review_data_index(concatenate(review_so_far)) is None
        and (last_page is None or grid.pages[0] == last_page + 1)
        and review.is_review_data_row(grid.distinct(0))
    )
