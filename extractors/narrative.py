"""Figures stated in the report's prose (主动公开政府信息358条, 收到申请3个, 行政复议1件), with the sentence.

Quantity codes are the cell codes of the table that states the same figure, so that a rule can compare
text with table: proactive.total, new_received, carried_over, carried_forward, results_total (办结),
review.total, litigation.total; a legacy report's 统计表 names the requests request.received and
request.closed.
"""

from __future__ import annotations

import re
from decimal import Decimal

import cn2an

from extractors.labels import normalise
from nianbao.models import NarrativeFigure, PageText

_NUM = r"(\d+|[零〇一二两三四五六七八九十百千万]+)"
_UNIT = r"(?:件|个|条|起|宗|次)"
_GAP = r"[^，,。；;：:]{0,24}?"
# (quantity, pattern); the request quantities are renamed for legacy reports (LEGACY_CODES)
PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("proactive.total", re.compile(rf"主动公开(?:政府)?信息(?:数)?(?:共计|共|合计|总计|累计)?{_NUM}条")),
    ("new_received", re.compile(rf"(?:新收|收到|受理){_GAP}申请(?:数量)?(?:共计|共|合计)?{_NUM}{_UNIT}")),
    ("carried_over", re.compile(rf"上年结转{_GAP}{_NUM}{_UNIT}")),
    ("carried_forward", re.compile(rf"结转下年度{_GAP}{_NUM}{_UNIT}")),
    ("results_total", re.compile(rf"办结(?:申请)?(?:共计|共)?{_NUM}{_UNIT}")),
    ("review.total", re.compile(rf"行政复议(?:案件|申请)?(?:共计|共)?{_NUM}{_UNIT}")),
    ("litigation.total", re.compile(rf"行政诉讼(?:案件)?(?:共计|共)?{_NUM}{_UNIT}")),
)
LEGACY_CODES = {"new_received": "request.received", "results_total": "request.closed"}
NONE_RECEIVED = re.compile(r"未(?:收到|接到|受理)[^，,。；;：:]{0,40}?申请")
_SENTENCE_END = re.compile(r"(?<=[。；;！!])")
_NOTE = re.compile(r"\([^()]*\)")


def numeral(text: str) -> Decimal:
    return Decimal(text) if text.isdigit() else Decimal(int(cn2an.cn2an(text, "smart")))


def sentences(page: PageText) -> list[str]:
    """The page's sentences, line breaks and spaces inside them removed (pdfminer writes 2025 年)."""
    return [s for s in _SENTENCE_END.split(normalise(page.text)) if s]


def figures_in(sentence: str, page: int | None, legacy: bool) -> list[NarrativeFigure]:
    bare = _NOTE.sub("", sentence)  # 信息数(不同渠道和方式公开相同信息计1条)358条: the note's 1条 is no figure
    found = []
    for quantity, pattern in PATTERNS:
        code = LEGACY_CODES.get(quantity, quantity) if legacy else quantity
        for m in pattern.finditer(bare):
            found.append(NarrativeFigure(code, numeral(m[1]), sentence, page))
    if NONE_RECEIVED.search(bare) and not any(f.quantity_code in ("new_received", "request.received") for f in found):
        found.append(NarrativeFigure("request.received" if legacy else "new_received", Decimal(0), sentence, page))
    return found


def narrative_figures(pages: list[PageText], legacy: bool) -> list[NarrativeFigure]:
    figures: list[NarrativeFigure] = []
    for page in pages:
        for sentence in sentences(page):
            figures.extend(figures_in(sentence, page.page, legacy))
    return figures
