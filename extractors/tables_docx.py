"""DOCX tables → Grids, merged cells expanded (w:gridSpan across, w:vMerge down)."""

from __future__ import annotations

from lxml import etree

from extractors.grid import Grid
from extractors.text_docx import W, cell_text


def _int_attr(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    return int(el.get(f"{W}val", default))


def table_grid(tbl: etree._Element) -> tuple[list[list[str]], list[list[int]]]:
    """A vertically merged continuation cell (w:vMerge without val="restart") repeats the text above;
    a cell spanning grid columns (w:gridSpan) keeps one id over its columns."""
    grid: list[dict[int, str]] = []
    ids: list[dict[int, int]] = []
    cell_id = 0
    for tr in tbl.findall(f"{W}tr"):
        row: dict[int, str] = {}
        row_ids: dict[int, int] = {}
        col = _int_attr(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        for tc in tr.findall(f"{W}tc"):
            span = _int_attr(tc.find(f"{W}tcPr/{W}gridSpan"), 1)
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            text = cell_text(tc)
            if vmerge is not None and vmerge.get(f"{W}val") != "restart" and grid:
                text = grid[-1].get(col, "")
            for c in range(col, col + span):
                row[c], row_ids[c] = text, cell_id
            cell_id += 1
            col += span
        grid.append(row)
        ids.append(row_ids)
    width = max((max(r) + 1 for r in grid if r), default=0)
    holes = iter(range(-2, -2 - width * len(grid) - 1, -1))  # a missing position never merges with a neighbour
    return (
        [[r.get(c, "") for c in range(width)] for r in grid],
        [[r.get(c, next(holes)) for c in range(width)] for r in ids],
    )


def docx_grids(body: etree._Element) -> list[Grid]:
    """Top-level tables in body order (a table nested in a cell is read as that cell's text)."""
    grids = []
    for tbl in body.iter(f"{W}tbl"):
        if tbl.getparent().tag != f"{W}tc":
            rows, ids = table_grid(tbl)
            grids.append(Grid.on_page(rows, 1, "docx", ids))
    return grids
