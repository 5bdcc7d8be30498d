"""A table laid out as the official form does it: cells with row and column spans. The DOCX and HTML
renderers only draw grids, so both formats show the same merged cells."""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from demo_portal.report_generator.spec import ReportSpec
from nianbao import schema


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


def _proactive_grid(spec: ReportSpec) -> Grid:
    cells: list[GridCell] = []
    r = 0
    for block in schema.proactive_blocks(spec.generation):
        n = int(block.item.removeprefix("art20_"))
        cells.append(GridCell(r, 0, f"第二十条第（{cn2an.an2cn(n)}）项", colspan=4, role="head"))
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
