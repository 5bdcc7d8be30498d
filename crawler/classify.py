"""Is a listed item an annual report (政府信息公开工作年度报告), and of which agency and year?

Decided from the title, helped by the detail page's metadata (分类 "政府信息公开年报", 发布机构).
The columns that hold the reports also hold their neighbours — 政府信息公开指南, 制度, notices about
reporting — which must never be loaded as reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

# a title naming the report: 政府信息公开(工作)年度报告, 政务公开年度报告, 信息公开年报, 年度工作报告
REPORT = re.compile(r"(信息|政务)公开.{0,6}(年度报告|年报|年度工作报告)|公开工作年度报告")
# neighbours in the same column, with the reason they are skipped
NOTICE = (re.compile(r"^关于.*(通知|公告|函|通报|公示)$|(通知|公告|通报)$"), "a notice about reporting, not an annual report")
NOT_REPORTS = (
    (re.compile(r"指南"), "政府信息公开指南 (a guide), not an annual report"),
    (re.compile(r"制度|办法|规定|细则"), "政府信息公开制度 (rules), not an annual report"),
    (re.compile(r"目录"), "政府信息公开目录 (a catalogue), not an annual report"),
    NOTICE,
    (re.compile(r"要点|方案|计划|考核|评估|测评"), "a work plan or assessment, not an annual report"),
)
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
CHINESE_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=\s*年)")
AGENCY_SUFFIX = re.compile(r"(人民政府|政府|办公室|委员会|局|委|办|镇|乡|街道|街道办事处|中心|院|所|厅|县|区|市|旗)$")
TRUNCATED = ("...", "…", "..")


@dataclass(frozen=True)
class Verdict:
    is_report: bool | None  # None: the title alone cannot tell (truncated); look at the detail page
    reason: str
    agency: str | None = None
    year: int | None = None


def classify(title: str, metadata: dict[str, str] | None = None) -> Verdict:
    metadata = metadata or {}
    text = _normalise(title)
    if text.endswith(TRUNCATED):
        return Verdict(None, "title truncated in the list")
    if not REPORT.search(text):
        for pattern, reason in NOT_REPORTS:
            if pattern.search(text):
                return Verdict(False, reason)
        return Verdict(False, "title names no 政府信息公开年度报告")
    if NOTICE[0].search(text):  # "关于报送…年度报告的通知" names the report but is a notice
        return Verdict(False, NOTICE[1])
    year_match = YEAR.search(text)
    year = int(year_match.group(1)) if year_match else None
    return Verdict(True, "annual report", _agency(text, year_match, metadata.get("publisher")), year)


def _normalise(title: str) -> str:
    text = "".join(title.split()).strip("《》\"“”")
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    # 二〇二〇年 → 2020年
    return CHINESE_YEAR.sub(lambda m: str(int(cn2an.cn2an(m.group(0), "smart"))), text)


def _agency(text: str, year_match: re.Match | None, publisher: str | None) -> str | None:
    """The agency named before the year in the title, completed by 发布机构 when the title shortens it
    (西邑乡 → 隆阳区西邑乡人民政府)."""
    named = text[: year_match.start()].strip("（(") if year_match else ""
    named = named if AGENCY_SUFFIX.search(named) else ""
    if publisher and (not named or named in publisher):
        return publisher
    return named or None
