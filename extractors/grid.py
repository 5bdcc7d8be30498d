"""A raw grid: what a table looks like before its labels are understood.

Every table reader (camelot for PDFs, lxml for HTML, the DOCX XML) produces Grids, so that the mapping to
canonical cells (canonical.py) is written once. Merged cells are expanded: a spanning cell's text is
repeated in every position it covers, so a row always has the label of its group.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Grid:
    rows: list[list[str]]
    pages: list[int | None] = field(default_factory=list)  # the page of each row (a table can span pages)
    source: str = ""  # which reader made it: camelot-lattice, text-columns, html, docx

    def __post_init__(self) -> None:
        if not self.pages:
            self.pages = [None] * len(self.rows)

    @classmethod
    def on_page(cls, rows: list[list[str]], page: int | None, source: str) -> Grid:
        return cls(rows, [page] * len(rows), source)

    def text(self) -> str:
        return "\n".join("\t".join(row) for row in self.rows)

    def __str__(self) -> str:  # printable, for debugging a mapping
        return f"Grid[{self.source}, pages {sorted({p for p in self.pages if p})}]\n{self.text()}"


def concatenate(grids: list[Grid]) -> Grid:
    """One table printed as several pieces (split over pages): rows in order, each keeping its page."""
    rows: list[list[str]] = []
    pages: list[int | None] = []
    for g in grids:
        rows.extend(g.rows)
        pages.extend(g.pages)
    return Grid(rows, pages, "+".join(dict.fromkeys(g.source for g in grids)))


def expand_spans(spans: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Rows of (text, colspan, rowspan) as in HTML → a rectangular grid with spanned text repeated."""
    grid: dict[tuple[int, int], str] = {}
    width = 0
    for r, row in enumerate(spans):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(max(rowspan, 1)):
                for dc in range(max(colspan, 1)):
                    grid.setdefault((r + dr, c + dc), text)
            c += max(colspan, 1)
            width = max(width, c)
    height = max((r for r, _ in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
