"""二、主动公开政府信息情况 (第二十条): blocks of items, each with its measures; the measures a block's header
prints tell the template generation."""

from __future__ import annotations

import re

import cn2an

from extractors.canonical.cells import Mapped, make_cell
from extractors.grid import Grid
from extractors.labels import likeness, normalise
from extractors.values import is_value_text
from nianbao import schema
from nianbao.models import LabelNote

TABLE = "proactive"
# words only this table prints
KIND_WORDS = ("第二十条", "信息内容", "行政许可", "行政处罚", "行政事业性收费", "政府集中采购")

_ITEM = re.compile(r"第二十条第\(([一二三四五六七八九十])\)项")


def _label_matches(printed: str, label: str) -> bool:
    """Printed header vs schema label; a printed label may have lost its tail (本年增/ for 本年增/减)."""
    target = normalise(label)
    return printed == target or (len(printed) >= 3 and target.startswith(printed))


def _match_code(printed: str, codes: tuple[schema.Code, ...]) -> str | None:
    for c in codes:  # exact first: 规范性文件 must not take 行政规范性文件's row
        if printed == normalise(c.label):
            return c.code
    for c in codes:
        if _label_matches(printed, c.label):
            return c.code
    return None


LIKE_ENOUGH = 0.9  # a row label's likeness to the block's row (labels.likeness): its words, some lost or a note added


def _match_row(printed: str, rows: tuple[schema.Code, ...]) -> tuple[str | None, bool]:
    """The block row a printed label is, and whether by likeness only (规范性文件 in a 2021 block is its
    行政规范性文件, 规章(县级无此项) its 规章): the likest row, if like enough and likest alone."""
    code = _match_code(printed, rows)
    if code or not printed:
        return code, False
    scored = sorted(((likeness(printed, r.label), r.code) for r in rows), reverse=True)
    if scored and scored[0][0] >= LIKE_ENOUGH and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1], True
    return None, False


def _block_generation(item: str, header: list[str]) -> str | None:
    """gen2021 or gen2019, by which template's measure names the header row prints."""
    scores = {}
    for generation in ("gen2021", "gen2019"):
        block = next((b for b in schema.proactive_blocks(generation) if b.item == item), None)
        if block is None:
            continue
        exact = sum(1 for h in header if any(h == normalise(m.label) for m in block.measures))
        scores[generation] = exact
    best = max(scores, key=lambda g: scores[g], default=None)
    return best if best and scores[best] > 0 else None


def proactive_values(row: list[str], measure_cols: dict[int, str]) -> dict[int, str]:
    """Column → cell text of a data row. A row continued on the next page can come with columns of its
    own (a borderless table read from its characters): then its value cells, left to right, stand for
    the block's measures when there are exactly as many."""
    if measure_cols and max(measure_cols) < len(row):
        return {col: row[col] for col in measure_cols}
    label_at = next((j for j, t in enumerate(row) if normalise(t) and not is_value_text(t)), 0)
    values = [t for t in row[label_at + 1:] if normalise(t)]
    if len(values) == len(measure_cols) and all(is_value_text(t) for t in values):
        return dict(zip(sorted(measure_cols), values))
    return {}


def map_proactive(grid: Grid) -> Mapped:
    """Block by block (第二十条第(N)项, its header of measures, its rows); the table's generation is the one
    most of its blocks' headers show."""
    mapped = Mapped([])
    generations: list[str] = []
    item: str | None = None
    block: schema.ProactiveBlock | None = None
    measure_cols: dict[int, str] = {}
    seen: set[tuple[str, str]] = set()
    for i in range(len(grid.rows)):
        row = grid.distinct(i)
        texts = [normalise(c) for c in row]
        m = _ITEM.search("".join(texts))
        if m:
            item, block, measure_cols = f"art20_{int(cn2an.cn2an(m[1], 'smart'))}", None, {}
            continue
        if item is None:
            continue
        if any(t == "信息内容" for t in texts):
            generation = _block_generation(item, texts)
            blocks = schema.proactive_blocks(generation) if generation else ()
            block = next((b for b in blocks if b.item == item), None)
            measure_cols = {}
            if block is not None:
                generations.append(generation)
                for col, text in enumerate(texts):
                    code = _match_code(text, block.measures) if text else None
                    if code and code not in measure_cols.values():
                        measure_cols[col] = code
            continue
        if block is None:
            continue
        label = next((t for t in texts if t and not is_value_text(t)), "")
        row_code, by_likeness = _match_row(label, block.rows)
        if row_code is None:
            continue
        if by_likeness and all(n.row_code != f"{item}.{row_code}" for n in mapped.label_notes):
            template = next(r.label for r in block.rows if r.code == row_code)
            mapped.label_notes.append(LabelNote(TABLE, f"{item}.{row_code}", label, template, grid.pages[i]))
        for col, text in proactive_values(row, measure_cols).items():
            key = (f"{item}.{row_code}", measure_cols[col])
            if key not in seen:
                seen.add(key)
                mapped.cells.append(make_cell(TABLE, key[0], key[1], text, grid.pages[i]))
    mapped.generation = max(set(generations), key=generations.count) if generations else None
    return mapped
