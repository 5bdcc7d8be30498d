"""三、收到和处理政府信息公开申请情况: rows by their labels' keywords, the seven applicant columns by their
headers (or by position when the header is lost)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.canonical.cells import Mapped, label_of, leaf_of, make_cell, trailing_value_count
from extractors.grid import Grid
from extractors.labels import core, is_enumerated, likeness, normalise, numbering
from extractors.values import is_number_text
from nianbao import schema
from nianbao.models import Cell, LabelNote

TABLE = "application"

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
# words only this table prints
KIND_WORDS = ("本年新收", "上年结转", "予以公开", "不予公开", "无法提供", "不予处理", "其他处理", "结转下年度",
              "本年度办理结果") + tuple(w for _, words in _APPLICATION_ROW_WORDS for w in words)
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


def _value_width(row: list[str]) -> int:
    """How many value columns the row's end shows: from its leftmost printed figure to the end (blank label
    cells before the figures are not value columns)."""
    n = trailing_value_count(row)
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


def map_application(grid: Grid) -> Mapped:
    """Header, then the applicant columns, then each row's code (by keywords, then by place and likeness),
    then the cells; the generation is the (六)其他处理 the table prints: one row (2019) or three (2021)."""
    distinct = [grid.distinct(i) for i in range(len(grid.rows))]
    first_data = _first_data_row(distinct)
    offsets = applicant_columns_by_offset(distinct[:first_data], distinct[first_data:])
    if not offsets:
        return Mapped([])
    rows = _value_rows(distinct, first_data, offsets)
    matcher = _RowMatcher()
    for row in rows:
        matcher.take(row)
    notes = _match_by_place(matcher, rows, grid)
    codes = {code for code, _ in matcher.matched}
    generation = ("gen2021" if any(c.startswith("other_handling.") for c in codes)
                  else "gen2019" if "other_handling" in codes else None)
    return Mapped(_cells(matcher.matched, grid), notes, generation)


LIKE_ENOUGH = 0.6  # likeness (labels.likeness) a printed label needs to be the template row at its place
# the group headings ((三)不予公开 …): a subtotal row printing one is no row of the template
_GROUP_HEADS = {core(c.label.split()[0]) for c in schema.application_rows("gen2021") if len(c.label.split()) > 1}


def _like(printed: str, template: str) -> float:
    """likeness, but 0 when both labels are numbered and the numbers differ, and for a group heading."""
    number, wanted = numbering(printed), numbering(template)
    if core(printed) in _GROUP_HEADS or (number and wanted and number != wanted):
        return 0.0
    return likeness(printed, template)


def _match_by_place(matcher: _RowMatcher, rows: list[_Row], grid: Grid) -> list[LabelNote]:
    """Rows of figures that no keyword names (a typo: 其他法律行政止公开) are the template row at their place:
    between the rows matched above and below them, the template row not yet taken whose label is most like
    theirs, if like enough. Each is noted with its printed label."""
    generation = "gen2021" if any(c.startswith("other_handling.") for c, _ in matcher.matched) else "gen2019"
    template = schema.application_rows(generation)
    order = {c.code: i for i, c in enumerate(template)}
    taken = {id(row) for _, row in matcher.matched}
    notes = []
    for row in rows:
        if id(row) in taken or not any(is_number_text(v) for v in row.values.values()):
            continue
        above = max((order[c] for c, r in matcher.matched if r.index < row.index and c in order), default=-1)
        below = min((order[c] for c, r in matcher.matched if r.index > row.index and c in order), default=len(template))
        used = {c for c, _ in matcher.matched}
        candidates = [c for c in template[above + 1 : below] if c.code not in used]
        scored = sorted(((_like(row.leaf, c.label.split()[-1]), c) for c in candidates), key=lambda s: -s[0])
        if scored and scored[0][0] >= LIKE_ENOUGH and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            code = scored[0][1]
            matcher.matched.append((code.code, row))
            notes.append(LabelNote(TABLE, code.code, row.leaf, code.label.split()[-1], grid.pages[row.index]))
    matcher.matched.sort(key=lambda m: m[1].index)
    return notes


def _first_data_row(distinct: list[list[str]]) -> int:
    """The header ends at 一、本年新收…, or, in a piece of the table without it, at the first row it names."""
    codes = [application_row_code(label_of(row), leaf_of(row), None) for row in distinct]
    return next((i for i, c in enumerate(codes) if c == "new_received"), next((i for i, c in enumerate(codes) if c), 0))


def _value_rows(distinct: list[list[str]], first_data: int, offsets: dict[str, int]) -> list[_Row]:
    """The data rows wide enough to hold the applicant columns: label cells, and the text under each column."""
    value_width = -min(offsets.values())
    rows: list[_Row] = []
    for i in range(first_data, len(distinct)):
        row = distinct[i]
        if len(row) < value_width:
            continue
        label_cells = row[: len(row) - value_width]
        values = {code: row[len(row) + off] for code, off in offsets.items()}
        rows.append(_Row(i, label_of(label_cells), leaf_of(label_cells), values))
    return rows


class _RowMatcher:
    """Gives the rows their codes top to bottom, mending two printing accidents: a label wrapped onto the
    next line (or page) below its figures, and a label printed on its own line above its figures."""

    def __init__(self) -> None:
        self.matched: list[tuple[str, _Row]] = []
        self.previous_code: str | None = None
        self.figures_without_label: _Row | None = None  # figures whose label may continue below
        self.label_without_figures = ""  # a label whose figures may follow

    def take(self, row: _Row) -> None:
        if self._completes_wrapped_label(row):
            return
        code = self._code(row.label, row.leaf)
        if code is None and row.has_values and self.label_without_figures:
            code = self._code(self.label_without_figures + row.label, row.leaf)
        if code is None:
            self._hold(row)
            return
        self._match(code, row)
        self.label_without_figures = ""

    def _completes_wrapped_label(self, row: _Row) -> bool:
        """A row without figures that ends the label of the figures above it."""
        held = self.figures_without_label
        if row.has_values or held is None or is_enumerated(row.leaf):
            return False
        code = self._code(held.label + row.label, held.leaf + row.leaf)  # the leaf wraps too: (六)其 / 他处理
        if code:
            self._match(code, held)
        return bool(code)

    def _hold(self, row: _Row) -> None:
        if row.has_values:
            self.figures_without_label, self.label_without_figures = row, ""
        else:
            self.label_without_figures += row.label

    def _code(self, label: str, leaf: str) -> str | None:
        return application_row_code(label, leaf, self.previous_code)

    def _match(self, code: str, row: _Row) -> None:
        self.matched.append((code, row))
        self.previous_code, self.figures_without_label = code, None


def _cells(matched: list[tuple[str, _Row]], grid: Grid) -> list[Cell]:
    """One row per code, its first; a (六) subtotal row is dropped when its three sub-rows are there."""
    codes = {code for code, _ in matched}
    if any(c.startswith("other_handling.") for c in codes):
        codes.discard("other_handling")
    cells: list[Cell] = []
    seen: set[str] = set()
    for code, row in matched:
        if code not in codes or code in seen:
            continue
        seen.add(code)
        for column in APPLICANT_CODES:
            if column in row.values:
                cells.append(make_cell(TABLE, code, column, row.values[column], grid.pages[row.index]))
    return cells
