"""A raw grid: what a table looks like before its labels are understood.

Every table reader (camelot for PDFs, lxml for HTML, the DOCX XML) produces Grids, so that the mapping to
canonical cells (canonical.py) is written once. Merged cells are expanded: a spanning cell's text is
repeated in every position it covers, so a row always carries the label of its group.

Real HTML and DOCX tables are often not geometrically regular: an exporter aligns column borders with
extra colspans (a 总计 cell with colspan=2 in one row only). So each position also records which source
cell it came from, and distinct(i) gives a row as its source cells, left to right, each once.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Grid:
    rows: list[list[str]]
    pages: list[int | None] = field(default_factory=list)  # the page of each row (a table can span pages)
    source: str = ""  # which reader made it: camelot-lattice, html, docx
    ids: list[list[int]] = field(default_factory=list)  # source cell of each position; [] = all distinct

    def __post_init__(self) -> None:
        if not self.pages:
            self.pages = [None] * len(self.rows)

    @classmethod
    def on_page(cls, rows: list[list[str]], page: int | None, source: str, ids: list[list[int]] | None = None) -> Grid:
        return cls(rows, [page] * len(rows), source, ids or [])

    def distinct(self, i: int) -> list[str]:
        """Row i with a horizontally spanning cell counted once."""
        row = self.rows[i]
        if not self.ids:
            return list(row)
        ids = self.ids[i]
        return [text for j, text in enumerate(row) if j == 0 or ids[j] != ids[j - 1]]

    def part(self, start: int, stop: int | None = None) -> Grid:
        """Rows start:stop, each keeping its page and source cells."""
        return Grid(self.rows[start:stop], self.pages[start:stop], self.source, self.ids[start:stop])

    def text(self) -> str:
        return "\n".join("\t".join(row) for row in self.rows)

    def __str__(self) -> str:  # printable, for debugging a mapping
        return f"Grid[{self.source}, pages {sorted({p for p in self.pages if p})}]\n{self.text()}"


def concatenate(grids: list[Grid]) -> Grid:
    """One table printed as several pieces (split over pages): rows in order, each keeping its page."""
    rows: list[list[str]] = []
    pages: list[int | None] = []
    ids: list[list[int]] = []
    for g in grids:
        rows.extend(g.rows)
        pages.extend(g.pages)
        ids.extend(g.ids or [list(range(len(r))) for r in g.rows])
    return Grid(rows, pages, "+".join(dict.fromkeys(g.source for g in grids)), ids)


def expand_spans(spans: list[list[tuple[str, int, int]]]) -> tuple[list[list[str]], list[list[int]]]:
    """Rows of (text, colspan, rowspan) as in HTML → a rectangular grid with spanned text repeated, and
    the id of the source cell of every position."""
    grid: dict[tuple[int, int], tuple[str, int]] = {}
    width = 0
    cell_id = 0
    for r, row in enumerate(spans):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(max(rowspan, 1)):
                for dc in range(max(colspan, 1)):
                    grid.setdefault((r + dr, c + dc), (text, cell_id))
            cell_id += 1
            c += max(colspan, 1)
            width = max(width, c)
    height = max((r for r, _ in grid), default=-1) + 1
    empty = ("", -1)
    cells = [[grid.get((r, c), empty) for c in range(width)] for r in range(height)]
    # a hole (a row shorter than the table) gets its own id so that it never merges with a neighbour
    ids = [[cid if cid >= 0 else -(r * width + c) - 2 for c, (_, cid) in enumerate(row)] for r, row in enumerate(cells)]
    return [[text for text, _ in row] for row in cells], ids


class ScannedText(str):
    """A cell's text as OCR read it: the text itself, and how sure the engine was and where on the page picture
    it stands, so that the canonical mapping (which handles texts) hands both on to the Cell it makes."""

    confidence: float
    region: str

    def __new__(cls, text: str, confidence: float, region: str) -> ScannedText:
        made = super().__new__(cls, text)
        made.confidence, made.region = confidence, region
        return made

    def __reduce__(self):  # pickled between the worker and its caller like any str, keeping both
        return ScannedText, (str(self), self.confidence, self.region)
