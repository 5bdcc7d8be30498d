"""The five seed reports (real texts in ../shared/seeds) parsed into specs, keeping their flaws (a blank
cell, a 总计 column that does not add up, header cells whose text was lost)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from demo_portal.report_generator.spec import NUMBER, Block, ReportSpec, table_keys
from nianbao import schema


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
        texts = [ln.strip() for ln in region if NUMBER.match(ln.strip())]
    else:
        texts = _tab_row_cells(layout.generation, table_code, region)
    if len(texts) != len(keys):
        raise ValueError(f"{table_code}: {len(texts)} cells in the seed text, the form has {len(keys)}")
    return dict(zip(keys, texts))


def _tab_row_cells(generation: str, table_code: str, region: list[str]) -> list[str]:
    """Cells of a table exported one row a line with tab-separated cells. Merged label cells leave a varying
    number of empty fields on the left, so number cells are counted from the right (after the row's closing
    tab); a proactive row has its label first and then as many cells as its block has measures."""
    rows = [ln.split("\t") for ln in region if any(NUMBER.match(f.strip()) for f in ln.split("\t"))]
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
