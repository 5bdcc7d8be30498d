"""Raw grids → canonical cells (the codes of nianbao/report_tables.yaml).

Steps, each a plain function on printable data:
  table_kind(grid)            which of the four statistical tables a grid is (or None: a continuation)
  group_tables(grids)         pieces of one table (split over pages) joined, one Grid per kind
  map_application(grid)       三、收到和处理政府信息公开申请情况  → application cells
  map_review_litigation(grid) 四、行政复议、行政诉讼              → review_litigation cells
  map_proactive(grid)         二、主动公开政府信息情况 (第二十条)  → proactive cells + generation
  map_legacy(grid)            the pre-2019 统计表                 → legacy cells
  detect_generation(...)      from the tables themselves, never from the year

Rows and columns are found by their labels, with keyword matching on normalised labels (labels.py), so
that spaces inside CJK, vertical headers, wrapped labels and quote variants do not matter. A grid whose
labels cannot be understood yields no cells: a figure read wrong is worse than a figure not read.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from extractors.grid import Grid, concatenate
from extractors.labels import core, is_enumerated, normalise
from extractors.values import is_value_text, parse_value
from nianbao import schema
from nianbao.models import Cell

APPLICATION, REVIEW, PROACTIVE, LEGACY = "application", "review_litigation", "proactive", "legacy"
KINDS = (LEGACY, REVIEW, PROACTIVE, APPLICATION)

# Words that only appear in one table kind, checked in KINDS order (the 统计表 also names 行政复议).
_KIND_WORDS = {
    LEGACY: ("统计指标", "统计数"),  # and every indicator's own words: _LEGACY_WORDS
    REVIEW: ("结果维持", "结果纠正", "尚未审结", "复议后起诉", "未经复议直接起诉"),
    PROACTIVE: ("第二十条", "信息内容", "行政许可", "行政处罚", "行政事业性收费", "政府集中采购"),
    APPLICATION: ("本年新收", "上年结转", "予以公开", "不予公开", "无法提供", "不予处理", "其他处理",
                  "结转下年度", "本年度办理结果"),  # and every row's own words: _APPLICATION_ROW_WORDS
}


def table_kind(grid: Grid) -> str | None:
    text = normalise(grid.text())
    for kind in KINDS:
        words = _KIND_WORDS[kind] + {APPLICATION: _APPLICATION_WORDS, LEGACY: _LEGACY_WORDS}.get(kind, ())
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
        review = pieces[REVIEW] if previous == REVIEW else None
        if review and review_awaits_figures(review, grid):
            review.append(grid.part(0, 1))
            grid = grid.part(1)
        kind = table_kind(grid) or (None if previous == REVIEW else previous)
        if kind is None or not grid.rows:
            continue
        pieces.setdefault(kind, []).append(grid)
        previous = kind
    return {kind: concatenate(parts) for kind, parts in pieces.items()}


def review_awaits_figures(review: list[Grid], grid: Grid) -> bool:
    """The review table so far is a header without figures ending one page, and the grid's first row, at
    the top of the next page, is a row of 15 figures."""
    last_page = review[-1].pages[-1]
    return (
        bool(grid.rows)
        and review_data_index(concatenate(review)) is None
        and (last_page is None or grid.pages[0] == last_page + 1)
        and _is_review_data_row(grid.distinct(0))
    )


def _cell(table: str, row: str, column: str, text: str, page: int | None) -> Cell:
    try:
        value = parse_value(text)
    except ValueError:  # prose in a data cell: keep the text, state no figure
        value = None
    # a number's raw text without the spaces text extraction puts inside it (762064 元)
    raw = "".join(text.split()) if value is not None else text.strip()
    return Cell(table, row, column, value, raw, page)


def _label_of(cells: list[str]) -> str:
    """The normalised label of a row's label cells; a span repeated over several cells counts once."""
    parts = [normalise(c) for c in cells]
    return "".join(p for i, p in enumerate(parts) if p and p not in parts[:i])


def _leaf_of(cells: list[str]) -> str:
    for c in reversed(cells):
        if normalise(c):
            return normalise(c)
    return ""


# --------------------------------------------------------------------------- application table

# Row codes by keyword, most specific first; matched against the row's whole label (group labels
# included when spans were expanded).
_APPLICATION_ROW_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("new_received", ("本年新收",)),
    ("carried_over", ("上年结转",)),
    ("carried_forward", ("结转下年度",)),
    ("partially_granted", ("部分公开",)),
    ("granted", ("予以公开",)),
    ("withheld.state_secret", ("国家秘密",)),
    ("withheld.prohibited_by_law", ("禁止公开",)),
    ("withheld.security_stability", ("三安全一稳定",)),
    ("withheld.third_party", ("第三方合法权益",)),
    ("withheld.internal_affairs", ("内部事务",)),
    ("withheld.process_info", ("过程性信息",)),
    ("withheld.enforcement_file", ("行政执法案卷",)),
    ("withheld.query_matter", ("行政查询",)),
    ("unable.not_held", ("不掌握",)),
    ("unable.needs_creation", ("另行制作",)),
    ("unable.unclear", ("仍不明确",)),
    ("not_processed.petition", ("信访举报投诉",)),
    ("not_processed.duplicate", ("重复申请",)),
    ("not_processed.publication", ("公开出版物",)),
    ("not_processed.repetitive", ("大量反复",)),
    ("not_processed.confirmation", ("确认或重新出具",)),
    ("other_handling.no_correction", ("逾期不补正",)),
    ("other_handling.unpaid_fee", ("收费通知", "缴纳费用")),
)
_APPLICATION_WORDS = tuple(w for _, words in _APPLICATION_ROW_WORDS for w in words)
_OTHER_SUBROW = re.compile(r"^(?:3[.、]?)?其他$")


def application_row_code(label: str, leaf: str, previous_code: str | None) -> str | None:
    """The application_rows code of a row, from its whole label and its innermost (leaf) label."""
    for code, words in _APPLICATION_ROW_WORDS:
        if any(w in label for w in words):
            return code
    if _OTHER_SUBROW.match(leaf) and previous_code and previous_code.startswith("other_handling."):
        return "other_handling.other"
    if "其他处理" in leaf:
        return "other_handling"
    if "总计" in leaf:
        return "results_total"
    return None


_APPLICANT_HEADER_WORDS = (
    ("legal_services", "法律服务机构"),
    ("public_interest", "社会公益组织"),
    ("research", "科研机构"),
    ("commercial", "商业企业"),
    ("natural_person", "自然人"),
    ("total", "总计"),
)
APPLICANT_CODES = tuple(c.code for c in schema.applicant_columns())


def applicant_column_code(header: str) -> str | None:
    """The applicant column a header text names; the group headings above the columns name none."""
    for group in ("申请人情况", "法人或其他组织"):
        header = header.replace(group, "")
    for code, word in _APPLICANT_HEADER_WORDS:
        if word in header:
            return code
    return "other_org" if "其他" in header else None


def _trailing_value_count(row: list[str]) -> int:
    """How many cells at the row's end are figures or blanks."""
    n = 0
    for text in reversed(row):
        if not is_value_text(text):
            break
        n += 1
    return n


def _value_width(row: list[str]) -> int:
    """How many value columns the row's end shows: from its leftmost printed figure to the end (blank label
    cells before the figures are not value columns)."""
    n = _trailing_value_count(row)
    while n and not normalise(row[-n]):
        n -= 1
    return n


def applicant_columns_by_offset(header_rows: list[list[str]], data_rows: list[list[str]]) -> dict[str, int]:
    """Column code → offset from the right end of a row (-7 … -1). From the header when it names all seven
    columns (a column's name is read upwards from the lowest header row: 自然 + 人 of a vertical header); from
    position when the header is lost (seed 003 has no 自然人/总计) and the data rows end in exactly seven
    value cells, provided the names that are there agree with the positions."""
    width = max((len(r) for r in header_rows), default=0)
    named: dict[str, int] = {}
    for offset in range(-width, 0):
        header = ""
        for row in reversed(header_rows):  # the lowest name wins: 商业企业 under 法人或其他组织
            header = (normalise(row[offset]) if len(row) >= -offset else "") + header
            code = applicant_column_code(header)
            if code:
                named.setdefault(code, offset)
                break
    if len(named) == len(APPLICANT_CODES):
        return named
    counts = [w for w in map(_value_width, data_rows) if w]
    typical = max(set(counts), key=counts.count) if counts else 0
    positional = {code: i - len(APPLICANT_CODES) for i, code in enumerate(APPLICANT_CODES)}
    if typical == len(APPLICANT_CODES) and all(positional[c] == off for c, off in named.items()):
        return positional
    return {}


@dataclass
class _Row:
    index: int
    label: str
    leaf: str
    values: dict[str, str]
    has_values: bool = field(init=False)

    def __post_init__(self) -> None:
        self.has_values = any(normalise(v) for v in self.values.values())


def map_application(grid: Grid) -> list[Cell]:
    distinct = [grid.distinct(i) for i in range(len(grid.rows))]
    codes = [application_row_code(_label_of(row), _leaf_of(row), None) for row in distinct]
    # the header ends at 一、本年新收…, or, in a piece of the table without it, at the first row it names
    first_data = next((i for i, c in enumerate(codes) if c == "new_received"),
                      next((i for i, c in enumerate(codes) if c), 0))
    header, data = distinct[:first_data], distinct[first_data:]
    offsets = applicant_columns_by_offset(header, data)
    if not offsets:
        return []
    value_width = -min(offsets.values())

    rows: list[_Row] = []
    for i, row in enumerate(data, start=first_data):
        if len(row) < value_width:
            continue
        label_cells = row[: len(row) - value_width]
        values = {code: row[len(row) + off] for code, off in offsets.items()}
        rows.append(_Row(i, _label_of(label_cells), _leaf_of(label_cells), values))

    matched: list[tuple[str, _Row]] = []
    previous_code: str | None = None
    unmatched_with_values: _Row | None = None
    unmatched_label = ""  # a label printed on its own line above its values
    for row in rows:
        if not row.has_values and unmatched_with_values is not None and not is_enumerated(row.leaf):
            # the rest of a label wrapped onto the next line or page, below its figures
            code = application_row_code(unmatched_with_values.label + row.label, row.leaf, previous_code)
            if code:
                matched.append((code, unmatched_with_values))
                previous_code, unmatched_with_values = code, None
                continue
        code = application_row_code(row.label, row.leaf, previous_code)
        if code is None and row.has_values and unmatched_label:
            code = application_row_code(unmatched_label + row.label, row.leaf, previous_code)
        if code is None:
            if row.has_values:
                unmatched_with_values, unmatched_label = row, ""
            else:
                unmatched_label += row.label
            continue
        matched.append((code, row))
        previous_code, unmatched_with_values, unmatched_label = code, None, ""

    codes = {code for code, _ in matched}
    if any(c.startswith("other_handling.") for c in codes):
        codes.discard("other_handling")  # a (六) subtotal above its three sub-rows
    cells: list[Cell] = []
    seen: set[str] = set()
    for code, row in matched:
        if code not in codes or code in seen:
            continue
        seen.add(code)
        for column in APPLICANT_CODES:
            if column in row.values:
                cells.append(_cell(APPLICATION, code, column, row.values[column], grid.pages[row.index]))
    return cells


# --------------------------------------------------------------------------- review / litigation table

# (group, outcome) of the 15 figures in printed order: 5 outcomes of 行政复议, of 未经复议直接起诉, of 复议后起诉
REVIEW_SLOTS = tuple((g.code, o.code) for g, o in itertools.product(*schema.review_litigation()))

def map_review_litigation(grid: Grid) -> list[Cell]:
    """The one data row of 15 figures: 5 outcomes of 行政复议, of 未经复议直接起诉, of 复议后起诉. The
    header's vertical text is no help (it breaks into single characters); the template's order is fixed."""
    data_index = review_data_index(grid)
    if data_index is None:
        return []
    row = grid.distinct(data_index)[-len(REVIEW_SLOTS):]
    return [
        _cell(REVIEW, group, outcome, text, grid.pages[data_index])
        for (group, outcome), text in zip(REVIEW_SLOTS, row, strict=True)
    ]


def _is_review_data_row(row: list[str]) -> bool:
    """A row ending in 15 figures or blanks, at least one of them printed."""
    width = len(REVIEW_SLOTS)
    return _trailing_value_count(row) >= width and any(normalise(c) for c in row[-width:])


def review_data_index(grid: Grid) -> int | None:
    """The last row of the review table's 15 figures, or None."""
    return next((i for i in reversed(range(len(grid.rows))) if _is_review_data_row(grid.distinct(i))), None)


# --------------------------------------------------------------------------- proactive table (第二十条)

_ITEM = re.compile(r"第二十条第\(([一二三四五六七八九十])\)项")
_CN_DIGIT = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


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


def map_proactive(grid: Grid) -> tuple[list[Cell], str | None]:
    cells: list[Cell] = []
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
            item, block, measure_cols = f"art20_{_CN_DIGIT[m[1]]}", None, {}
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
        row_code = _match_code(label, block.rows)
        if row_code is None:
            continue
        for col, text in proactive_values(row, measure_cols).items():
            key = (f"{item}.{row_code}", measure_cols[col])
            if key not in seen:
                seen.add(key)
                cells.append(_cell(PROACTIVE, key[0], key[1], text, grid.pages[i]))
    generation = max(set(generations), key=generations.count) if generations else None
    return cells, generation


# --------------------------------------------------------------------------- legacy 统计表


def _legacy_core(label: str) -> str:
    return core(label.split()[-1]) if label.split() else ""


# indicator names long enough to be the 统计表's own (not 兼职人员数, which any table could print)
_LEGACY_WORDS = tuple(w for w in (_legacy_core(c.label) for c in schema.legacy_indicators()) if len(w) >= 7)


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
                cells.append(_cell(LEGACY, code, "value", text, grid.pages[i]))
                position = j + 1
                break
    return cells


# --------------------------------------------------------------------------- the whole report


def detect_generation(cells: list[Cell], proactive_generation: str | None) -> str | None:
    rows = {c.row_code for c in cells if c.table_code == APPLICATION}
    if any(r.startswith("other_handling.") for r in rows):
        return "gen2021"
    if "other_handling" in rows:
        return "gen2019"
    if proactive_generation:
        return proactive_generation
    if any(c.table_code == LEGACY for c in cells):
        return "legacy"
    return None


def unread_tables(grids: list[Grid], cells: list[Cell]) -> list[str]:
    """Kinds of table the document shows but whose labels could not be mapped: worth a look by a person."""
    read = {c.table_code for c in cells}
    return [kind for kind in group_tables(grids) if kind not in read]


def grids_to_cells(grids: list[Grid]) -> tuple[list[Cell], str | None]:
    """All canonical cells of a report's grids, and the template generation they show."""
    tables = group_tables(grids)
    cells: list[Cell] = []
    proactive_generation = None
    if LEGACY in tables:
        cells += map_legacy(tables[LEGACY])
    if PROACTIVE in tables:
        proactive_cells, proactive_generation = map_proactive(tables[PROACTIVE])
        cells += proactive_cells
    if APPLICATION in tables:
        cells += map_application(tables[APPLICATION])
    if REVIEW in tables:
        cells += map_review_litigation(tables[REVIEW])
    return cells, detect_generation(cells, proactive_generation)
