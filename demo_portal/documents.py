"""Report documents with known ground truth: a structured spec of one annual report, rendered as DOCX, HTML
(a CMS article body) or, through LibreOffice, PDF.

The spec is the truth: its cell texts are what the document prints, so the expected canonical cells of every
generated document come from the spec, never from an extractor. Specs come from two places:

- the five seed reports (real texts in ../shared/seeds), parsed once by `seed_spec`, keeping their flaws
  (a blank cell, a 总计 column that does not add up, header cells whose text was lost);
- `synthetic_spec`, a realistic report whose every cell holds a distinct value, so that a cell read into the
  wrong place cannot go unnoticed, while the form's identities (勾稽关系) hold.

A table is first laid out as a `Grid` (cells with row/column spans, like the official form), and the DOCX
and HTML renderers only draw grids, so both formats show the same merged cells.
"""

from __future__ import annotations

import html
import random
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from nianbao import schema

GENERATIONS = schema.GENERATIONS
TABLE_CODES = ("proactive", "application", "review_litigation", "legacy")
BLANK_TOKENS = ("", "/", "-", "—", "无")  # printed, but no value: missing, never 0


# --------------------------------------------------------------------------- the spec


@dataclass(frozen=True)
class Block:
    """One piece of the report body, in reading order."""

    kind: str  # title | heading | paragraph | caption | table | signature
    text: str  # for a table: its table code


@dataclass
class ReportSpec:
    key: str  # e.g. seed-002, synthetic-gen2021-7
    agency: str
    title: str  # the report's title as one line
    year: int
    generation: str  # legacy | gen2019 | gen2021 (of its tables; a seed without tables keeps its era's)
    written_date: date | None  # the date under the signature; None when the report is not signed
    period_sentence: str  # the 统计期限 sentence, as printed in the prose
    blocks: list[Block]
    cells: dict[tuple[str, str, str], str]  # (table_code, row_code, column_code) -> cell text as printed
    labels: dict[str, str] = field(default_factory=dict)  # form label -> label as this report prints it

    def printed(self, label: str) -> str:
        return self.labels.get(label, label)

    def tables(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "table"]


def table_keys(generation: str, table_code: str) -> list[tuple[str, str, str]]:
    """Every number cell of one table of the form, in printed order (row by row, left to right)."""
    if table_code == "application":
        cols = [c.code for c in schema.applicant_columns()]
        return [(table_code, r.code, c) for r in schema.application_rows(generation) for c in cols]
    if table_code == "review_litigation":
        groups, outcomes = schema.review_litigation()
        return [(table_code, g.code, o.code) for g in groups for o in outcomes]
    if table_code == "proactive":
        return [
            (table_code, f"{b.item}.{r.code}", m.code)
            for b in schema.proactive_blocks(generation)
            for r in b.rows
            for m in b.measures
        ]
    if table_code == "legacy":
        return [(table_code, i.code, "value") for i in schema.legacy_indicators()]
    raise ValueError(f"unknown table {table_code}")


def tables_of(generation: str) -> tuple[str, ...]:
    return ("legacy",) if generation == "legacy" else ("proactive", "application", "review_litigation")


_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:万?元)?$")


def parse_value(text: str) -> Decimal | None:
    """The number a printed cell means: None for a blank or a placeholder ("/", "—", "无"), never 0.
    A sign ("+12") and a unit suffix ("251000元") are dropped; an unreadable cell raises ValueError."""
    t = text.strip()
    if t in BLANK_TOKENS:
        return None
    t = t.removesuffix("元").removesuffix("万")
    try:
        return Decimal(t)
    except InvalidOperation:
        raise ValueError(f"not a number cell: {text!r}") from None


def expected_cells(spec: ReportSpec) -> list[dict]:
    """The canonical cells an extractor should read from a document of this spec."""
    out = []
    for table_code in spec.tables():
        for key in table_keys(spec.generation, table_code):
            raw = spec.cells[key]
            value = parse_value(raw)
            out.append(
                {
                    "table_code": key[0],
                    "row_code": key[1],
                    "column_code": key[2],
                    "value": None if value is None else str(value),
                    "raw_text": raw,
                }
            )
    return out


# --------------------------------------------------------------------------- identities (勾稽关系)


def _num(spec: ReportSpec, key: tuple[str, str, str]) -> Decimal:
    return parse_value(spec.cells[key]) or Decimal(0)


def identity_breaks(spec: ReportSpec) -> list[str]:
    """The identities of report_tables.yaml that the spec's own tables break (blank counts as 0), e.g.
    'row_total application[granted,total]: 0 != 1'. The generator's self-check; the pipeline's real
    checks live in expectations/."""
    breaks: list[str] = []

    def check(rule: str, where: str, observed: Decimal, expected: Decimal) -> None:
        if observed != expected:
            breaks.append(f"{rule} {where}: {observed} != {expected}")

    tables = spec.tables()
    if "application" in tables:
        rows = [r.code for r in schema.application_rows(spec.generation)]
        cols = [c.code for c in schema.applicant_columns()]
        a = {(r, c): _num(spec, ("application", r, c)) for r in rows for c in cols}
        for r in rows:
            check("row_total", f"application[{r},total]", a[r, "total"], sum(a[r, c] for c in cols[:-1]))
        results = rows[rows.index("granted") : rows.index("results_total")]
        for c in cols:
            check(
                "stated_identity",
                f"application[*,{c}]",
                a["new_received", c] + a["carried_over", c],
                a["results_total", c] + a["carried_forward", c],
            )
            check("results_total", f"application[results_total,{c}]", a["results_total", c], sum(a[r, c] for r in results))
    if "review_litigation" in tables:
        groups, outcomes = schema.review_litigation()
        for g in groups:
            parts = sum(_num(spec, ("review_litigation", g.code, o.code)) for o in outcomes[:-1])
            check("review_total", f"review_litigation[{g.code},total]", _num(spec, ("review_litigation", g.code, "total")), parts)
    if "legacy" in tables:
        v = {i.code: _num(spec, ("legacy", i.code, "value")) for i in schema.legacy_indicators()}
        sums = {
            "request.received": ["request.in_person", "request.fax", "request.online", "request.letter"],
            "request.closed": ["request.closed_on_time", "request.closed_extended"],
            "request.answered": [c for c in v if c.startswith("answer.")],
            "answer.refused": [c for c in v if c.startswith("refused.")],
            "review.total": ["review.upheld", "review.corrected", "review.other"],
            "litigation.total": ["litigation.upheld", "litigation.corrected", "litigation.other"],
            "org.staff": ["org.staff_full_time", "org.staff_part_time"],
        }
        for total, parts in sums.items():
            check("legacy_sum", f"legacy[{total}]", v[total], sum(v[p] for p in parts))
        channels = sum(v[c] for c in v if c.startswith("channel."))
        if v["proactive.total"] > channels:
            breaks.append(f"legacy_channels legacy[proactive.total]: {v['proactive.total']} > {channels}")
    return breaks


# --------------------------------------------------------------------------- grids (the form's layout)


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    role: str = "label"  # head | label | value


@dataclass
class Grid:
    widths_cm: tuple[float, ...]
    cells: list[GridCell]
    header_rows: int = 0  # rows repeated at the top of each page the table runs onto

    @property
    def n_rows(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)


_CN_NUMERALS = "零一二三四五六七八九十"


def _proactive_grid(spec: ReportSpec) -> Grid:
    cells: list[GridCell] = []
    r = 0
    for block in schema.proactive_blocks(spec.generation):
        n = int(block.item.removeprefix("art20_"))
        cells.append(GridCell(r, 0, f"第二十条第（{_CN_NUMERALS[n]}）项", colspan=4, role="head"))
        cells.append(GridCell(r + 1, 0, spec.printed("信息内容"), role="head"))
        spans = _spread(len(block.measures), 3)
        for (col, span), m in zip(spans, block.measures):
            cells.append(GridCell(r + 1, 1 + col, spec.printed(m.label), colspan=span, role="head"))
        r += 2
        for row in block.rows:
            cells.append(GridCell(r, 0, spec.printed(row.label)))
            for (col, span), m in zip(spans, block.measures):
                text = spec.cells["proactive", f"{block.item}.{row.code}", m.code]
                cells.append(GridCell(r, 1 + col, text, colspan=span, role="value"))
            r += 1
    return Grid((4.6, 4.0, 4.0, 4.0), cells)


def _spread(n: int, width: int) -> list[tuple[int, int]]:
    """(column, span) of n cells over `width` columns: the last cell takes what is left, as the form does."""
    return [(i, 1 if i < n - 1 else width - i) for i in range(n)]


_LEVELS = (
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^\([一二三四五六七八九十]+\)"),
    re.compile(r"^\d+\."),
)


def _label_parts(label: str) -> list[tuple[int, str]]:
    """'三、本年度办理结果 (一)予以公开' -> [(0, '三、本年度办理结果'), (1, '(一)予以公开')]: the level of a part
    is the label column it is printed in."""
    parts = []
    for text in label.split(" "):
        level = next(i for i, pattern in enumerate(_LEVELS) if pattern.match(text))
        parts.append((level, text))
    return parts


APPLICATION_NOTE = "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)"


def _application_grid(spec: ReportSpec) -> Grid:
    columns = schema.applicant_columns()
    p = spec.printed
    cells = [
        GridCell(0, 0, p(APPLICATION_NOTE), rowspan=3, colspan=3, role="head"),
        GridCell(0, 3, p("申请人情况"), colspan=7, role="head"),
        GridCell(1, 3, p(columns[0].label), rowspan=2, role="head"),
        GridCell(1, 4, p("法人或其他组织"), colspan=5, role="head"),
        GridCell(1, 9, p(columns[-1].label), rowspan=2, role="head"),
    ]
    cells += [GridCell(2, 4 + i, p(c.label), role="head") for i, c in enumerate(columns[1:-1])]
    rows = schema.application_rows(spec.generation)
    parts = [_label_parts(r.label) for r in rows]
    top = 3
    for i, (row, row_parts) in enumerate(zip(rows, parts)):
        for j, (level, text) in enumerate(row_parts):
            leaf = j == len(row_parts) - 1
            span = 1
            if not leaf:  # a group label runs down until a row opens a label at its level or above
                while i + span < len(rows) and min(lv for lv, _ in parts[i + span]) > level:
                    span += 1
            cells.append(GridCell(top + i, level, p(text), rowspan=span, colspan=3 - level if leaf else 1))
        for k, c in enumerate(columns):
            cells.append(GridCell(top + i, 3 + k, spec.cells["application", row.code, c.code], role="value"))
    return Grid((1.3, 1.5, 4.4) + (1.3,) * 7, cells)


def _review_grid(spec: ReportSpec) -> Grid:
    groups, outcomes = schema.review_litigation()
    p = spec.printed
    cells = [
        GridCell(0, 0, p("行政复议"), colspan=5, role="head"),
        GridCell(0, 5, p("行政诉讼"), colspan=10, role="head"),
    ]
    cells += [GridCell(1, k, p(o.label), rowspan=2, role="head") for k, o in enumerate(outcomes)]
    for g, group in enumerate(groups[1:]):
        cells.append(GridCell(1, 5 + 5 * g, p(group.label.split(" ")[-1]), colspan=5, role="head"))
        cells += [GridCell(2, 5 + 5 * g + k, p(o.label), role="head") for k, o in enumerate(outcomes)]
    for g, group in enumerate(groups):
        for k, o in enumerate(outcomes):
            cells.append(GridCell(3, 5 * g + k, spec.cells["review_litigation", group.code, o.code], role="value"))
    return Grid((1.1,) * 15, cells)


# The pre-2019 统计表 as printed: a section line (no figure) or an indicator code with its printed label.
LEGACY_FORM: tuple[tuple[str | None, str], ...] = (
    (None, "一、主动公开情况"),
    ("proactive.total", "(一) 主动公开政府信息数\n(不同渠道和方式公开相同信息计 1 条 )"),
    ("proactive.normative_docs", "其中：主动公开规范性文件数"),
    ("proactive.normative_issued", "制发规范性文件总数"),
    (None, "(二) 通过不同渠道和方式公开政府信息的情况"),
    ("channel.gazette", "1.政府公报公开政府信息数"),
    ("channel.website", "2.政府网站公开政府信息数"),
    ("channel.weibo", "3.政务微博公开政府信息数"),
    ("channel.wechat", "4.政务微信公开政府信息数"),
    ("channel.other", "5.其他方式公开政府信息数"),
    (None, "二、回应解读情况"),
    ("response.hotspots", "(一) 回应公众关注热点或重大舆情数\n(不同方式回应同一热点或舆情计 1 次 )"),
    (None, "(二) 通过不同渠道和方式回应解读的情况"),
    ("response.press_conferences", "1.参加或举办新闻发布会总次数"),
    ("response.press_conf_heads", "其中：主要负责同志参加新闻发布会次数"),
    ("response.online_interviews", "2.政府网站在线访谈次数"),
    ("response.interview_heads", "其中：主要负责同志参加政府网站在线访谈次数"),
    ("response.interpretations", "3.政策解读稿件发布数"),
    ("response.weibo_wechat", "4.微博微信回应事件数"),
    ("response.other", "5.其他方式回应事件数"),
    (None, "三、依申请公开情况"),
    ("request.received", "(一) 收到申请数"),
    ("request.in_person", "1.当面申请数"),
    ("request.fax", "2.传真申请数"),
    ("request.online", "3.网络申请数"),
    ("request.letter", "4.信函申请数"),
    ("request.closed", "(二) 申请办结数"),
    ("request.closed_on_time", "1.按时办结数"),
    ("request.closed_extended", "2.延期办结数"),
    ("request.answered", "(三) 申请答复数"),
    ("answer.already_public", "1.属于已主动公开范围数"),
    ("answer.granted", "2.同意公开答复数"),
    ("answer.partially_granted", "3.同意部分公开答复数"),
    ("answer.refused", "4.不同意公开答复数"),
    ("refused.state_secret", "其中：涉及国家秘密"),
    ("refused.commercial_secret", "涉及商业秘密"),
    ("refused.privacy", "涉及个人隐私"),
    ("refused.security_stability", "危及国家安全、公共安全、经济安全和社会稳定"),
    ("refused.not_gov_info", "不是《条例》所指政府信息"),
    ("refused.other_law", "法律法规规定的其他情形"),
    ("answer.not_this_agency", "5.不属于本行政机关公开数"),
    ("answer.not_exist", "6.申请信息不存在数"),
    ("answer.to_amend", "7.告知作出更改补充数"),
    ("answer.other_channel", "8.告知通过其他途径办理数"),
    ("review.total", "四、行政复议数量"),
    ("review.upheld", "(一) 维持具体行政行为数"),
    ("review.corrected", "(二) 被依法纠错数"),
    ("review.other", "(三) 其他情形数"),
    ("litigation.total", "五、行政诉讼数量"),
    ("litigation.upheld", "(一) 维持具体行政行为或者驳回原告诉讼请求数"),
    ("litigation.corrected", "(二) 被依法纠错数"),
    ("litigation.other", "(三) 其他情形数"),
    ("complaints", "六、举报投诉数量"),
    ("fees_10k_yuan", "七、依申请公开信息收取的费用"),
    (None, "八、机构建设和保障经费情况"),
    ("org.units", "(一) 政府信息公开工作专门机构数"),
    ("org.reading_points", "(二) 设置政府信息公开查阅点数"),
    ("org.staff", "(三) 从事政府信息公开工作人员数"),
    ("org.staff_full_time", "1.专职人员数 (不包括政府公报及政府网站工作人员数)"),
    ("org.staff_part_time", "2.兼职人员数"),
    ("org.budget_10k_yuan", "(四) 政府信息公开专项经费 (不包括用于政府公报编辑管理及政府网站建设维护等方面经费)"),
    (None, "九、政府信息公开会议和培训情况"),
    ("meetings.count", "(一) 召开政府信息公开工作会议或专题会议数"),
    ("meetings.trainings", "(二) 举办各类培训班数"),
    ("meetings.trainees", "(三) 接受培训人员数"),
)


def _legacy_grid(spec: ReportSpec) -> Grid:
    units = {i.code: i.unit for i in schema.legacy_indicators()}
    p = spec.printed
    cells = [GridCell(0, k, p(t), role="head") for k, t in enumerate(("统计指标", "单位", "统计数"))]
    for r, (code, label) in enumerate(LEGACY_FORM, start=1):
        if code is None:
            cells.append(GridCell(r, 0, p(label), colspan=3))
        else:
            cells += [
                GridCell(r, 0, p(label)),
                GridCell(r, 1, units[code] or ""),
                GridCell(r, 2, spec.cells["legacy", code, "value"], role="value"),
            ]
    return Grid((10.6, 2.4, 3.0), cells, header_rows=1)


GRID_BUILDERS = {
    "proactive": _proactive_grid,
    "application": _application_grid,
    "review_litigation": _review_grid,
    "legacy": _legacy_grid,
}


def table_grid(spec: ReportSpec, table_code: str) -> Grid:
    return GRID_BUILDERS[table_code](spec)


# --------------------------------------------------------------------------- DOCX


BODY_FONT = "Noto Serif CJK SC"
HEADING_FONT = "Noto Sans CJK SC"


def _set_font(run_or_style, name: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = name
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def render_docx(
    spec: ReportSpec, path: Path, *, ruled: bool = True, break_before: tuple[str, int] | None = None
) -> Path:
    """Write the report as a Word document with real tables laid out like the official form.

    ruled=False draws the tables without borders (some portals publish them so); break_before=(table code,
    grid row) forces a page break before that row of that table, so the table runs over two pages."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    _set_font(doc.styles["Normal"], BODY_FONT, 12)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.25

    for block in spec.blocks:
        if block.kind == "table":
            break_row = break_before[1] if break_before and break_before[0] == block.text else None
            _add_docx_table(doc, table_grid(spec, block.text), ruled, break_row)
            doc.add_paragraph()
            continue
        for line in block.text.split("\n"):
            para = doc.add_paragraph()
            run = para.add_run(line)
            fmt = para.paragraph_format
            if block.kind == "title":
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _set_font(run, HEADING_FONT, 18, bold=True)
            elif block.kind == "caption":
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _set_font(run, HEADING_FONT, 14, bold=True)
            elif block.kind == "heading":
                fmt.first_line_indent = Pt(24)
                fmt.keep_with_next = True
                _set_font(run, HEADING_FONT, 12, bold=True)
            elif block.kind == "signature":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                fmt.first_line_indent = Pt(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


LONGEST_UNSPLIT_TABLE = 30  # rows; the application table (28 with its header) stays whole, the 统计表 may split


def _add_docx_table(doc, grid: Grid, ruled: bool, break_before_row: int | None) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = doc.add_table(rows=grid.n_rows, cols=len(grid.widths_cm))
    table.style = doc.styles["Table Grid" if ruled else "Normal Table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, grid.widths_cm):
        column.width = Cm(width)  # the grid widths, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, grid.widths_cm):
            cell.width = Cm(width)  # the cell widths, which Word follows
    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        # A row never breaks over two pages and header rows repeat on every page; but a long table whose
        # every row is w:cantSplit loses the rows that do not fit on its first page in LibreOffice.
        flags = (["w:cantSplit"] if grid.n_rows <= LONGEST_UNSPLIT_TABLE else []) + (
            ["w:tblHeader"] if r < grid.header_rows else []
        )
        for flag in flags:
            element = OxmlElement(flag)
            element.set(qn("w:val"), "true")
            tr_pr.append(element)
    for gc in grid.cells:
        if gc.rowspan > 1 or gc.colspan > 1:
            table.cell(gc.row, gc.col).merge(table.cell(gc.row + gc.rowspan - 1, gc.col + gc.colspan - 1))
    # python-docx's table.cell() rebuilds the whole cell grid on every call (three quarters of a report's
    # rendering time): take the grid once, after the merges, and fill every cell from it
    cells, n_cols = table._cells, len(grid.widths_cm)
    for gc in grid.cells:
        cell = cells[gc.row * n_cols + gc.col]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        para.paragraph_format.first_line_indent = 0
        para.paragraph_format.line_spacing = 1.0
        if gc.role != "label":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, line in enumerate(gc.text.split("\n")):
            if i:
                para.add_run().add_break()
            _set_font(para.add_run(line), BODY_FONT, 9 if len(grid.widths_cm) > 4 else 10.5)
    if grid.n_rows <= 12:  # a small table stays on one page, as Word's "keep with next" does it
        for row in table.rows[:-1]:
            for cell in row.cells:
                for para in cell.paragraphs:
                    para.paragraph_format.keep_with_next = True
    if break_before_row is not None:
        first_cell_para = table.rows[break_before_row].cells[0].paragraphs[0]
        first_cell_para.paragraph_format.page_break_before = True


# --------------------------------------------------------------------------- HTML (a CMS article body)


def render_html(spec: ReportSpec) -> str:
    """The report as the body of a CMS article page: <div class="TRS_Editor"> with <p> and ruled <table>s
    using rowspan/colspan, as TRS-family portals publish a report pasted from Word."""
    out = ['<div class="TRS_Editor">']
    for block in spec.blocks:
        if block.kind == "table":
            out.append(_grid_html(table_grid(spec, block.text)))
            continue
        for line in block.text.split("\n"):
            text = html.escape(line)
            if block.kind in ("title", "caption"):
                out.append(f'<p style="text-align: center;"><strong>{text}</strong></p>')
            elif block.kind == "heading":
                out.append(f'<p style="text-indent: 2em;"><strong>{text}</strong></p>')
            elif block.kind == "signature":
                out.append(f'<p style="text-align: right;">{text}</p>')
            else:
                out.append(f'<p style="text-indent: 2em;">{text}</p>')
    out.append("</div>")
    return "\n".join(out) + "\n"


def _grid_html(grid: Grid) -> str:
    rows: list[list[str]] = [[] for _ in range(grid.n_rows)]
    for gc in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        spans = "".join(
            f' {name}="{n}"' for name, n in (("rowspan", gc.rowspan), ("colspan", gc.colspan)) if n > 1
        )
        text = "<br/>".join(html.escape(line) for line in gc.text.split("\n")) or "&nbsp;"
        rows[gc.row].append(f'<td{spans} style="text-align: center;"><p>{text}</p></td>')
    body = "\n".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return (
        '<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse: collapse;">\n'
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


# --------------------------------------------------------------------------- PDF (LibreOffice) and scans


def convert_to_pdf(docx_paths: list[Path], outdir: Path, to: str = "pdf") -> list[Path]:
    """Convert many DOCX files to PDF (or to `to`, e.g. the old Word format "doc") with ONE LibreOffice run
    (a run costs seconds to start), in a private profile so that a desktop LibreOffice or a parallel run
    cannot lock it."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                *map(str, docx_paths),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    pdfs = [outdir / f"{p.stem}.{to}" for p in docx_paths]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}")
    return pdfs


def scan_pdf(pdf: Path, out: Path, *, dpi: int = 110, skew_degrees: float = 0.4) -> Path:
    """An image-only copy of a PDF, as a scanned paper report: every page rendered to a grey JPEG, slightly
    skewed, with no text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        images = [
            page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L").rotate(skew_degrees, fillcolor=255)
            for page in document
        ]
    finally:
        document.close()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:], quality=55)
    return out


def truncate(src: Path, out: Path, keep: float = 0.45) -> Path:
    """A corrupt download: the first part of a file's bytes only."""
    data = src.read_bytes()
    out.write_bytes(data[: int(len(data) * keep)])
    return out


# --------------------------------------------------------------------------- seeds → specs


@dataclass(frozen=True)
class SeedLayout:
    """What cannot be read generically from a seed's text: where things are and how it prints its labels."""

    agency: str
    year: int
    generation: str
    title_lines: int  # non-empty lines that make the title, after `body_starts_after`
    signature_lines: int  # non-empty lines at the end that make the signature
    written_date: date | None
    cell_text: str  # tabs: one table row a line, cells by tabs | lines: one cell a line
    tables: dict[str, str]  # heading or caption that a table follows -> table code
    body_starts_after: str | None = None
    fixes: dict[str, str] = field(default_factory=dict)  # characters lost by the seed's text export
    labels: dict[str, str] = field(default_factory=dict)


# the headings that introduce the three tables of the 2019 and 2021 templates
TEMPLATE_TABLES = {
    "二、主动公开政府信息情况": "proactive",
    "三、收到和处理政府信息公开申请情况": "application",
    "四、政府信息公开行政复议、行政诉讼情况": "review_litigation",
}

SEED_LAYOUTS: dict[str, SeedLayout] = {
    "000": SeedLayout(
        agency="平罗县通伏乡人民政府",
        year=2018,
        generation="legacy",
        title_lines=2,
        signature_lines=2,
        written_date=date(2019, 1, 24),
        cell_text="lines",
        tables={},
    ),
    "001": SeedLayout(
        agency="银川市兴庆区掌政镇人民政府",
        year=2018,
        generation="legacy",
        title_lines=1,
        signature_lines=0,
        written_date=None,
        cell_text="lines",
        tables={"银川市兴庆区掌政镇 2018 年度政府信息 公开情况统计表": "legacy"},
        fixes={"[bookmark: _GoBack]": ""},
    ),
    "002": SeedLayout(
        agency="中宁县徐套乡人民政府",
        year=2021,
        generation="gen2021",
        title_lines=1,
        signature_lines=0,
        written_date=None,
        cell_text="tabs",
        tables=TEMPLATE_TABLES,
    ),
    "003": SeedLayout(
        agency="隆阳区西邑乡人民政府",
        year=2019,
        generation="gen2019",
        title_lines=1,
        signature_lines=0,
        written_date=None,
        cell_text="lines",
        tables=TEMPLATE_TABLES,
        body_starts_after="2020-01-31",
        # the seed's text export lost the characters of one font (年, 月, 〕, 一); the page shows them
        fixes={
            "\n、总体情况": "\n一、总体情况",
            "2019 11日起,至20191231 日止": "2019 年1月1日起,至2019年12月31日止",
            "〔201948)": "〔2019〕48号)",
            "〔201949号)": "〔2019〕49号)",
            "2016420日": "2016年4月20日",
        },
        # header cells whose text the page does not carry (the seed has no 自然人/总计 header text)
        labels={
            "自然人": "",
            "总计": "",
            "三、本年度办理结果": "三、",
            "(三)不予公开": "(三)",
            "(五)不予处理": "(五)",
            "本年增/减": "本年增/",
        },
    ),
    "004": SeedLayout(
        agency="平罗县城关镇人民政府",
        year=2020,
        generation="gen2019",
        title_lines=1,
        signature_lines=2,
        written_date=date(2021, 1, 14),
        cell_text="tabs",
        tables=TEMPLATE_TABLES,
        # header labels typed with spaces to spread them over narrow cells
        labels={
            "自然人": "自 然 人",
            "总计": "总 计",
            "商业企业": "商业 企业",
            "科研机构": "科研 机构",
            "社会公益组织": "社会 公益 组织",
            "法律服务机构": "法 律 服 务 机 构",
            "其他": "其 他",
            "结果维持": "结 果 维 持",
            "结果纠正": "结 果 纠 正",
            "其他结果": "其 他 结 果",
            "尚未审结": "尚 未 审 结",
            "本年新制作数量": "本年新 制作数量",
            "本年新公开数量": "本年新 公开数量",
            "对外公开总数量": "对外公开 总数量",
            "上一年项目数量": "上一年 项目数量",
        },
    ),
}

_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_SENTENCE_END = tuple("。：；！？）)”")
_STARTS_ITEM = re.compile(r"^(\(|（|[一二三四五六七八九十]+是|\d+[.、]|[一二三四五六七八九十]+、)")
_PERIOD = re.compile(r"[^。，,:：\n]*统计(?:期限|年限)[^。\n]*")


def seed_spec(seed_id: str, text: str) -> ReportSpec:
    """Parse one seed report's text into a spec: title, prose blocks, tables in place, cell texts, quirks."""
    layout = SEED_LAYOUTS[seed_id]
    for lost, restored in layout.fixes.items():
        text = text.replace(lost, restored)
    text = text.replace("**", "").replace("<http", "http").replace(".cn>", ".cn")
    lines = text.split("\n")
    if layout.body_starts_after:
        lines = lines[lines.index(layout.body_starts_after) + 1 :]
    content = [ln.strip() for ln in lines if ln.strip()]
    title = content[: layout.title_lines]
    signature = content[len(content) - layout.signature_lines :] if layout.signature_lines else []

    blocks = [Block("title", "\n".join(title))]
    cells: dict[tuple[str, str, str], str] = {}
    table_code: str | None = None
    region: list[str] = []
    for raw_line in _after_title(lines, layout.title_lines):
        line = raw_line.strip()
        # a table runs to the next table's heading or to section 五 (a row label such as "四、结转下年度继续办理"
        # or a tab-indented "五、行政诉讼数量" of the 统计表 does not end it)
        if table_code and not (line in layout.tables or raw_line.startswith("五、")):
            region.append(raw_line)
            continue
        if table_code:
            cells.update(_region_cells(layout, table_code, region))
            table_code, region = None, []
        if not line or line in signature:
            continue
        if line in layout.tables:
            table_code = layout.tables[line]
            kind = "heading" if _HEADING.match(line) else "caption"
            blocks += [Block(kind, line), Block("table", table_code)]
        else:
            _add_prose(blocks, line)
    if table_code:
        cells.update(_region_cells(layout, table_code, region))
    if signature:
        blocks.append(Block("signature", "\n".join(signature)))
    period = _PERIOD.search(text)
    return ReportSpec(
        key=f"seed-{seed_id}",
        agency=layout.agency,
        title="".join(title).replace(" ", ""),
        year=layout.year,
        generation=layout.generation,
        written_date=layout.written_date,
        period_sentence=period.group(0).strip() if period else "",
        blocks=blocks,
        cells=cells,
        labels=dict(layout.labels),
    )


def _after_title(lines: list[str], title_lines: int) -> list[str]:
    """The raw lines after the title (table regions need them raw: tabs and blank cells matter)."""
    seen = 0
    for i, line in enumerate(lines):
        seen += bool(line.strip())
        if seen == title_lines:
            return lines[i + 1 :]
    return []


def _add_prose(blocks: list[Block], line: str) -> None:
    """Add a line of prose, joining it to the previous paragraph when a page break had cut a sentence."""
    last = blocks[-1]
    cut = last.kind in ("paragraph", "heading") and not last.text.endswith(_SENTENCE_END)
    # a short unpunctuated paragraph is a subheading or a picture caption, not a cut sentence
    cut_paragraph = last.kind == "paragraph" and len(last.text) > 20 and not _STARTS_ITEM.match(line)
    cut_heading = last.kind == "heading" and len(line) <= 2 and not line.endswith(_SENTENCE_END)
    if cut and (cut_paragraph or cut_heading):
        blocks[-1] = Block(last.kind, last.text + line)
    else:
        blocks.append(Block("heading" if _HEADING.match(line) and len(line) <= 40 else "paragraph", line))


def _region_cells(layout: SeedLayout, table_code: str, region: list[str]) -> dict[tuple[str, str, str], str]:
    keys = table_keys(layout.generation, table_code)
    if layout.cell_text == "lines":
        texts = [ln.strip() for ln in region if _NUMBER.match(ln.strip())]
    else:
        texts = _tab_row_cells(layout.generation, table_code, region)
    if len(texts) != len(keys):
        raise ValueError(f"{table_code}: {len(texts)} cells in the seed text, the form has {len(keys)}")
    return dict(zip(keys, texts))


def _tab_row_cells(generation: str, table_code: str, region: list[str]) -> list[str]:
    """Cells of a table exported one row a line with tab-separated cells. Merged label cells leave a varying
    number of empty fields on the left, so number cells are counted from the right (after the row's closing
    tab); a proactive row has its label first and then as many cells as its block has measures."""
    rows = [ln.split("\t") for ln in region if any(_NUMBER.match(f.strip()) for f in ln.split("\t"))]
    if table_code == "proactive":
        widths = [len(b.measures) for b in schema.proactive_blocks(generation) for _ in b.rows]
        return [f.strip() for fields, n in zip(rows, widths, strict=True) for f in fields[1 : 1 + n]]
    width = 7 if table_code == "application" else 15
    texts = []
    for fields in rows:
        if fields[-1] == "":
            fields = fields[:-1]
        texts += [f.strip() for f in fields[-width:]]
    return texts


# --------------------------------------------------------------------------- synthetic reports


def synthetic_spec(seed: int, generation: str, year: int, agency: str, *, prose_paragraphs: int = 4) -> ReportSpec:
    """A realistic report whose every cell holds a distinct value (a cell read into the wrong place shows),
    with a few blank or "/" cells, and with the form's identities holding (blank counts as 0)."""
    rng = random.Random(f"{seed}|{generation}|{year}|{agency}")
    for _ in range(2000):  # sums can collide with drawn values: draw again until every table is distinct
        cells = _synthetic_cells(rng, generation)
        if not repeated_values(cells):
            break
    else:
        raise RuntimeError(f"no draw with distinct cell values for {generation}")
    written = date(year + 1, 1, rng.randint(8, 22))
    period = f"本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止"
    spec = ReportSpec(
        key=f"synthetic-{generation}-{seed}",
        agency=agency,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        year=year,
        generation=generation,
        written_date=written,
        period_sentence=period,
        blocks=[],
        cells=cells,
    )
    spec.blocks = _synthetic_blocks(spec, rng, prose_paragraphs)
    breaks = identity_breaks(spec)
    if breaks:
        raise AssertionError(f"synthetic spec breaks its identities: {breaks}")
    return spec


def repeated_values(cells: dict[tuple[str, str, str], str]) -> list[tuple[str, Decimal]]:
    """(table, value) pairs printed in more than one cell of the same table (blanks aside)."""
    seen: set[tuple[str, Decimal]] = set()
    repeats = []
    for (table_code, _, _), text in cells.items():
        value = parse_value(text)
        if value is not None:
            if (table_code, value) in seen:
                repeats.append((table_code, value))
            seen.add((table_code, value))
    return repeats


def _distinct(rng: random.Random, n: int, low: int, high: int) -> list[int]:
    return rng.sample(range(low, high), n)


def _synthetic_cells(rng: random.Random, generation: str) -> dict[tuple[str, str, str], str]:
    if generation == "legacy":
        return _synthetic_legacy(rng)
    return {**_synthetic_proactive(rng, generation), **_synthetic_application(rng, generation), **_synthetic_review(rng)}


def _blank_some(rng: random.Random, values: dict, keys: list, count: int) -> dict:
    """Print `count` of these cells (zero in truth) as a blank, "/" or "—", as real forms do."""
    texts = {k: str(v) for k, v in values.items()}
    for k in rng.sample(keys, count):
        values[k] = 0
        texts[k] = rng.choice(["", "/", "—"])
    return texts


def _synthetic_application(rng: random.Random, generation: str) -> dict:
    rows = [r.code for r in schema.application_rows(generation)]
    cols = [c.code for c in schema.applicant_columns()][:-1]
    results = rows[rows.index("granted") : rows.index("results_total")]
    free_rows = results + ["carried_over", "carried_forward"]
    draw = iter(_distinct(rng, len(free_rows) * len(cols), 1, 3 * len(free_rows) * len(cols)))
    a = {(r, c): next(draw) for r in free_rows for c in cols}
    leaves = [(r, c) for r in results for c in cols]
    texts = _blank_some(rng, a, leaves, 3)
    for c in cols:
        a["results_total", c] = sum(a[r, c] for r in results)
        # carried_over is drawn below results_total, so the stated identity leaves new_received positive
        a["carried_over", c] = a["carried_over", c] % max(a["results_total", c] // 3, 1) + 1
        a["new_received", c] = a["results_total", c] + a["carried_forward", c] - a["carried_over", c]
        for r in ("results_total", "carried_over", "new_received"):
            texts[r, c] = str(a[r, c])
    out = {}
    for r in rows:
        for c in cols:
            out["application", r, c] = texts[r, c]
        out["application", r, "total"] = str(sum(a[r, c] for c in cols))
    return out


def _synthetic_review(rng: random.Random) -> dict:
    groups, outcomes = schema.review_litigation()
    parts = [o.code for o in outcomes[:-1]]
    draw = iter(_distinct(rng, len(groups) * len(parts), 1, 40))
    v = {(g.code, o): next(draw) for g in groups for o in parts}
    texts = _blank_some(rng, v, list(v), 1)
    out = {("review_litigation", g, o): t for (g, o), t in texts.items()}
    for g in groups:
        out["review_litigation", g.code, "total"] = str(sum(v[g.code, o] for o in parts))
    return out


def _synthetic_proactive(rng: random.Random, generation: str) -> dict:
    keys = table_keys(generation, "proactive")
    draw = iter(_distinct(rng, len(keys), 3, 900))
    out = {}
    for key in keys:
        _, row, measure = key
        n = next(draw)
        if row == "art20_1.rules":
            text = "/"  # a county has no power to make 规章
        elif measure == "change":
            text = f"{rng.choice('+-')}{n % 50 + 1}" if row != "art20_8.fees" else "0"
        elif measure == "amount_10k_yuan":
            text = f"{n / 7:.2f}"
        elif measure == "amount":
            text = f"{n * 1000 + rng.randint(1, 999)}元"
        else:
            text = str(n)
        out[key] = text
    return out


def _synthetic_legacy(rng: random.Random) -> dict:
    codes = [i.code for i in schema.legacy_indicators()]
    draw = iter(_distinct(rng, len(codes), 2, 400))
    v = {c: next(draw) for c in codes}
    v["fees_10k_yuan"], v["org.budget_10k_yuan"] = Decimal(rng.randint(1, 99)) / 100, Decimal(rng.randint(101, 999)) / 10
    texts = _blank_some(rng, v, ["channel.gazette", "response.interview_heads", "refused.commercial_secret"], 2)
    sums = {
        "request.received": ["request.in_person", "request.fax", "request.online", "request.letter"],
        "request.closed": ["request.closed_on_time", "request.closed_extended"],
        "answer.refused": [c for c in codes if c.startswith("refused.")],
        "request.answered": [c for c in codes if c.startswith("answer.")],  # after answer.refused
        "review.total": ["review.upheld", "review.corrected", "review.other"],
        "litigation.total": ["litigation.upheld", "litigation.corrected", "litigation.other"],
        "org.staff": ["org.staff_full_time", "org.staff_part_time"],
    }
    for total, parts in sums.items():
        v[total] = sum(v[p] for p in parts)
        texts[total] = str(v[total])
    channels = sum(v[c] for c in codes if c.startswith("channel."))
    v["proactive.total"] = channels - rng.randint(1, 9)  # one item on several channels counts once
    texts["proactive.total"] = str(v["proactive.total"])
    return {("legacy", c, "value"): texts[c] for c in codes}


_WORK_PARAGRAPHS = (
    "{short}严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，全年未发生泄密事件。",
    "{short}按照“谁公开、谁解读”的原则，对涉及群众切身利益的政策文件同步开展解读，通过图文、问答等形式提高政策知晓度。",
    "{short}进一步规范政府信息公开专栏，及时更新机构职能、规划计划、财政预决算、重点领域信息等栏目内容。",
    "{short}将政务公开工作纳入年度目标责任考核，定期通报各站所、各村（社区）信息发布情况，推动工作落实。",
    "{short}加强政务新媒体管理，严格执行信息发布“三审三校”制度，确保发布内容准确、规范、及时。",
    "{short}在便民服务中心设置政府信息公开查阅点，配备查阅设备，方便群众查阅和申请政府信息。",
    "{short}围绕乡村振兴、社会救助、惠农补贴等群众关注领域，按季度公示资金发放和项目实施情况。",
    "{short}组织工作人员参加政务公开业务培训，学习《中华人民共和国政府信息公开条例》，提升依法公开能力。",
)


def _synthetic_blocks(spec: ReportSpec, rng: random.Random, prose_paragraphs: int) -> list[Block]:
    short = spec.agency.removesuffix("人民政府")
    short = short[short.find("县") + 1 :] if "县" in short else short
    work = [t.format(short=short if i == 0 else "") for i, t in enumerate(rng.sample(_WORK_PARAGRAPHS, k=len(_WORK_PARAGRAPHS)))]
    work = (work * (prose_paragraphs // len(work) + 1))[:prose_paragraphs]
    intro = (
        f"根据《中华人民共和国政府信息公开条例》规定，现公布{spec.agency}{spec.year}年政府信息公开工作年度报告。"
        f"{spec.period_sentence}。本报告电子版可在县人民政府门户网站查阅或下载。如有疑问或意见建议，请与{spec.agency}党政办公室联系。"
    )
    blocks = [Block("title", spec.title), Block("paragraph", intro)]
    if spec.generation == "legacy":
        v = lambda code: spec.cells["legacy", code, "value"]  # noqa: E731
        blocks += [
            Block("heading", "一、概述"),
            *[Block("paragraph", p) for p in work],
            Block("heading", "二、主动公开政府信息情况"),
            Block("paragraph", f"{spec.year}年，{short}主动公开政府信息{v('proactive.total')}条，其中主动公开规范性文件{v('proactive.normative_docs')}条。"),
            Block("heading", "三、依申请公开政府信息情况"),
            Block("paragraph", f"{spec.year}年，共收到政府信息公开申请{v('request.received')}件，办结{v('request.closed')}件。"),
            Block("heading", "四、因政府信息公开申请行政复议、提起行政诉讼情况"),
            Block("paragraph", f"全年发生政府信息公开行政复议{v('review.total')}件，行政诉讼{v('litigation.total')}件。"),
            Block("heading", "五、存在的主要问题及改进措施"),
            Block("paragraph", "主要问题是公开内容的深度和广度还有待拓展，信息发布的时效性有待提高。下一步将进一步完善工作机制，加强人员培训。"),
            Block("caption", f"{short}{spec.year}年度政府信息公开情况统计表"),
            Block("table", "legacy"),
        ]
    else:
        a = lambda row: spec.cells["application", row, "total"]  # noqa: E731
        blocks += [
            Block("heading", "一、总体情况"),
            *[Block("paragraph", p) for p in work],
            Block("heading", "二、主动公开政府信息情况"),
            Block("table", "proactive"),
            Block("heading", "三、收到和处理政府信息公开申请情况"),
            Block("paragraph", f"{spec.year}年，共收到政府信息公开申请{a('new_received')}件，上年结转{a('carried_over')}件，办结{a('results_total')}件，结转下年度继续办理{a('carried_forward')}件。"),
            Block("table", "application"),
            Block("heading", "四、政府信息公开行政复议、行政诉讼情况"),
            Block("table", "review_litigation"),
            Block("heading", "五、存在的主要问题及改进情况"),
            Block("paragraph", "一是政策解读的形式还不够丰富；二是基层政务公开标准化规范化水平有待提升。下一步将加强业务培训，完善公开目录，提升公开质量。"),
            Block("heading", "六、其他需要报告的事项"),
            Block("paragraph", "本年度未收取信息处理费。"),
        ]
    blocks.append(Block("signature", f"{spec.agency}\n{spec.written_date.year}年{spec.written_date.month}月{spec.written_date.day}日"))
    return blocks
