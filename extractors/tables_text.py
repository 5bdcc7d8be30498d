"""Borderless PDF tables → Grids, from the positions of pdfminer.six's characters (the second path, used on a
table page where camelot's lattice finds no ruled table).

    page_lines(layout)        characters → lines (same baseline) → words (split at wide gaps)
    table_regions(lines)      runs of lines between section headings (二、…情况) that hold figures
    column_centres(region)    x-centres of the value columns, from the figures and the short header words
    region_grid(region)       one row per line of figures: [label, column 1 … column N]; a wrapped label's
                              other lines join the row whose figures they are nearest to

A blank cell prints nothing, so columns come from the whole region, never from one row: a row with a
blank cell still puts each figure under its own column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from pdfminer.layout import LTChar, LTContainer, LTPage

from extractors.grid import Grid
from extractors.labels import is_enumerated, normalise
from extractors.values import is_value_text

_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、.*(?:情况|问题|事项|措施)$")
_KEEP_OWN_ROW = ("第二十条", "信息内容")


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def is_value(self) -> bool:
        return is_value_text(self.text) and bool(normalise(self.text))


Line = list[Word]


def _chars(obj) -> list[LTChar]:
    if isinstance(obj, LTChar):
        return [obj] if obj.get_text().strip() else []
    if isinstance(obj, LTContainer):
        return [c for child in obj for c in _chars(child)]
    return []


def page_lines(layout: LTPage) -> list[Line]:
    """Lines top to bottom; a gap wider than 0.8 em inside a line starts a new word."""
    chars = sorted(_chars(layout), key=lambda c: -(c.y0 + c.y1) / 2)
    rows: list[list[LTChar]] = []
    for c in chars:
        yc = (c.y0 + c.y1) / 2
        if rows and abs((rows[-1][0].y0 + rows[-1][0].y1) / 2 - yc) <= 0.4 * max(c.size, 1):
            rows[-1].append(c)
        else:
            rows.append([c])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        words: Line = []
        for c in row:
            size = max(c.size, 1)
            if words and c.x0 - words[-1].x1 <= 0.8 * size:
                w = words[-1]
                w.text += c.get_text()
                w.x1, w.y0, w.y1 = max(w.x1, c.x1), min(w.y0, c.y0), max(w.y1, c.y1)
            else:
                words.append(Word(c.get_text(), c.x0, c.x1, c.y0, c.y1, size))
        lines.append(words)
    return lines


def is_figure_line(line: Line) -> bool:
    """A table row with figures: a label followed by figures, or two figures or more."""
    values = sum(1 for w in line if w.is_value)
    return values >= 2 or (values == 1 and not line[0].is_value)


def is_prose(line: Line, page_width: float) -> bool:
    """A sentence (a paragraph, or a caption near a table), never part of one: it ends in 。 or runs in one
    piece over most of the page's width."""
    text = normalise("".join(w.text for w in line))
    wide = len(line) == 1 and line[0].x1 - line[0].x0 > 0.6 * page_width
    return not any(w.is_value for w in line) and (text.endswith("。") or wide)


def table_regions(lines: list[Line], page_width: float) -> list[list[Line]]:
    """Runs of table lines between section headings (二、…情况), sentences left out; kept when they hold
    figures."""
    regions: list[list[Line]] = [[]]
    for line in lines:
        if not any(w.is_value for w in line) and _SECTION_HEADING.match(normalise("".join(w.text for w in line))):
            regions.append([])
        elif not is_prose(line, page_width):
            regions[-1].append(line)
    return [r for r in regions if any(is_figure_line(line) for line in r)]


def label_edge(region: list[Line]) -> float:
    """Right edge of the label column: the widest leading label of a line of figures (−inf: no labels)."""
    edges = [line[0].x1 for line in region if is_figure_line(line) and not line[0].is_value]
    return max(edges, default=float("-inf"))


def column_centres(region: list[Line], edge: float) -> list[float]:
    """Centres of the figures, of short words beside them (units: 件, 条), and of short header words
    (自然/人, 结果/维持) that stand over a column whose figure is blank; centres closer than 0.6 em are one
    column."""
    first_figures = next(i for i, line in enumerate(region) if is_figure_line(line))
    points = []
    for i, line in enumerate(region):
        for w in line:
            short = w.x1 - w.x0 <= 2.5 * w.size  # a unit (件) or a piece of a vertical header
            if w.x0 > edge and ((is_figure_line(line) and (w.is_value or short)) or (i < first_figures and short)):
                points.append((w.xc, w.size))
    points.sort()
    centres: list[list[float]] = []
    for x, size in points:
        if centres and x - centres[-1][-1] <= 0.6 * size:
            centres[-1].append(x)
        else:
            centres.append([x])
    return [median(c) for c in centres]


def label_columns(region: list[Line], edge: float) -> list[float]:
    """Left edges of the label columns (三、本年度办理结果 | (三)不予公开 | 1.属于国家秘密): a wrapped label's
    pieces are joined column by column, so that 另行制 + 作 stay one label beside the group's 法提供."""
    lefts = sorted((w.x0, w.size) for line in region for w in line if w.x0 <= edge)
    columns: list[float] = []
    for x, size in lefts:
        if not columns or x - columns[-1] > 1.2 * size:
            columns.append(x)
    return columns


@dataclass
class _Cells:
    labels: list[str]  # one text per label column
    columns: list[str]  # one text per value column


def _cells(line: Line, edge: float, lefts: list[float], centres: list[float]) -> _Cells:
    labels = [""] * len(lefts)
    columns = [""] * len(centres)
    for w in line:
        if w.x0 <= edge:
            labels[max(k for k in range(len(lefts)) if lefts[k] <= w.x0 + 0.01)] += w.text
        else:
            columns[min(range(len(centres)), key=lambda k: abs(centres[k] - w.xc))] += w.text
    return _Cells(labels, columns)


def _joins_row(piece: _Cells, row: _Cells) -> bool:
    """A label line without figures belongs to the nearest row of figures unless, in a label column where
    both have text, it opens a label (1. …, (三) …) beside a row whose label there opens one too."""
    for mine, theirs in zip(piece.labels, row.labels):
        if is_enumerated(mine) and is_enumerated(theirs):
            return False
    return True


def region_grid(region: list[Line], page: int) -> Grid | None:
    edge = label_edge(region)
    centres = column_centres(region, edge)
    if not centres:  # figures that do not stand right of the labels: no table this reading understands
        return None
    lefts = label_columns(region, edge)
    cells = [_cells(line, edge, lefts, centres) for line in region]
    figure_rows = [i for i, line in enumerate(region) if is_figure_line(line)]
    members: dict[int, list[int]] = {i: [i] for i in figure_rows}
    own_rows: list[int] = []
    for i, line in enumerate(region):
        if i in members:
            continue
        text = normalise("".join(cells[i].labels))
        nearest = min(figure_rows, key=lambda f: abs(region[f][0].yc - line[0].yc))
        header = i < figure_rows[0] and not (  # a header line, unless the first row's label starts above it
            i == figure_rows[0] - 1 and abs(line[0].yc - region[i + 1][0].yc) <= 1.5 * line[0].size
        )
        if (
            header
            or any(cells[i].columns)
            or any(k in text for k in _KEEP_OWN_ROW)
            or not _joins_row(cells[i], cells[nearest])
        ):
            own_rows.append(i)
        else:
            members[nearest].append(i)
    rows: list[list[str]] = []
    for i in sorted(own_rows + figure_rows):
        parts = sorted(members.get(i, [i]))
        labels = ["".join(cells[j].labels[k] for j in parts) for k in range(len(lefts))]
        rows.append([*labels, *cells[i].columns])
    return Grid.on_page(rows, page, "text-columns")


def text_grids(layout: LTPage, page: int) -> list[Grid]:
    grids = (region_grid(region, page) for region in table_regions(page_lines(layout), layout.width))
    return [g for g in grids if g is not None]
