"""Figures stated in the report's prose (主动公开政府信息358条, 收到申请3个, 行政复议1件), with the sentence.

Quantity codes are the cell codes of the table that states the same figure, so that a rule can compare
text with table: proactive.total, new_received, carried_over, carried_forward, results_total (办结), granted,
partially_granted, withheld (the sum of its sub-rows), art20_*.<row>.<measure> of table 二, review.total,
litigation.total; `received` (收到/受理申请) may mean new_received or new_received + carried_over, and
granted+partially_granted is stated as one figure. A legacy report's 统计表 names the requests
request.received and request.closed, its answers answer.*.
"""

from __future__ import annotations

import re
from decimal import Decimal

import cn2an

from extractors.labels import normalise
from nianbao.models import NarrativeFigure, PageText

_NUM = r"(\d+|[零〇一二两三四五六七八九十百千万]+)"
_AMOUNT = r"(\d+(?:\.\d+)?)(万元|元)"
_UNIT = r"(?:件|个|条|起|宗|次)"
_GAP = r"[^，,。；;：:]{0,24}?"
_SHORT = r"(?:的|申请|政府信息公开申请)?(?:共计|共|合计|总计)?(?:为)?"
# (quantity, pattern), most specific first: a span one pattern reads is not read again by a later one
# (予以公开及部分公开258件 is one figure, not 予以公开 258). The request quantities are renamed for legacy
# reports (LEGACY_CODES). 收到/受理申请 is `received`: the year's new requests, or new plus carried over.
PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("proactive.total", re.compile(rf"主动公开(?:政府)?信息(?:数)?(?:共计|共|合计|总计|累计)?{_NUM}条")),
    ("new_received", re.compile(rf"新收{_GAP}申请(?:数量)?(?:共计|共|合计)?{_NUM}{_UNIT}")),
    ("received", re.compile(rf"(?:收到|受理){_GAP}申请(?:数量|(?:政府)?信息公开)?(?:共计|共|合计)?{_NUM}{_UNIT}")),
    ("carried_over", re.compile(rf"上年度?结转{_GAP}{_NUM}{_UNIT}")),
    ("carried_forward", re.compile(rf"结转下年度{_GAP}{_NUM}{_UNIT}")),
    ("results_total", re.compile(rf"办结(?:申请)?(?:共计|共)?{_NUM}{_UNIT}")),
    ("granted+partially_granted", re.compile(rf"予以公开(?:及|和|与|、)部分公开{_SHORT}{_NUM}{_UNIT}")),
    ("granted", re.compile(rf"予以公开{_SHORT}{_NUM}{_UNIT}")),
    ("partially_granted", re.compile(rf"部分公开{_SHORT}{_NUM}{_UNIT}")),
    ("withheld", re.compile(rf"不予公开{_SHORT}{_NUM}{_UNIT}")),
    ("art20_1.rules.issued", re.compile(rf"(?:本年)?制发(?:政府)?规章{_NUM}件")),
    ("art20_1.rules.in_force", re.compile(rf"现行有效(?:的)?(?:政府)?规章{_NUM}件")),
    ("art20_1.normative_docs.issued", re.compile(rf"(?:本年)?制发(?:行政)?规范性文件{_NUM}件")),
    ("art20_1.normative_docs.in_force", re.compile(rf"现行有效(?:的)?(?:行政)?规范性文件{_NUM}件")),
    ("art20_5.licensing.decisions", re.compile(rf"行政许可(?:处理)?决定(?:数量)?(?:共计|共)?{_NUM}{_UNIT}")),
    ("art20_6.penalty.decisions", re.compile(rf"行政处罚(?:处理)?决定(?:数量)?(?:共计|共)?{_NUM}{_UNIT}")),
    ("art20_6.coercion.decisions", re.compile(rf"行政强制(?:处理)?决定(?:数量)?(?:共计|共)?{_NUM}{_UNIT}")),
    ("art20_8.fees.amount_10k_yuan", re.compile(rf"行政事业性收费(?:金额)?(?:共计|共|为)?{_AMOUNT}")),
    ("review.total", re.compile(rf"行政复议(?:案件|申请)?(?:共计|共)?{_NUM}{_UNIT}")),
    ("litigation.total", re.compile(rf"行政诉讼(?:案件)?(?:共计|共)?{_NUM}{_UNIT}")),
)
LEGACY_CODES = {"received": "request.received", "new_received": "request.received", "results_total": "request.closed",
                "granted": "answer.granted", "partially_granted": "answer.partially_granted", "withheld": "answer.refused"}
# A total followed by its share ("各乡镇主动公开政府信息613条，占28.89%") is a part of the whole, not the whole
# the table states (平潭综合实验区 2017: 2122 in all, 1509 by the departments, 613 by the townships). Only
# totals: 予以公开5件，占50% is the whole of 予以公开, a share of all requests.
_SHARE = re.compile(r"[，,]?占[^，,。；;]{0,8}?\d+(?:\.\d+)?%")
_TOTALS = {"proactive.total", "new_received", "received", "results_total", "review.total", "litigation.total"}
# 受理申请N件 in a sentence about the service hall's windows or approvals counts 办件, not requests under the
# 条例 (平潭综合实验区 2015: 窗口…共受理申请136437件); a phrase naming 公开 is a request whatever the sentence.
_SERVICE = re.compile(r"审批|窗口|政务服务|便民服务|办件")
# "none received" of requests, not of 行政复议/行政诉讼 申请 (未收到有关政府信息公开行政复议的申请: 平潭 2014)
NONE_RECEIVED = re.compile(r"未(?:收到|接到|受理)(?:(?!复议|诉讼)[^，,。；;：:]){0,40}?申请")
_SENTENCE_END = re.compile(r"(?<=[。；;！!])")
_NOTE = re.compile(r"\([^()]*\)")
_TEN_THOUSAND = Decimal(10000)


def numeral(text: str) -> Decimal:
    return Decimal(text) if text.isdigit() else Decimal(int(cn2an.cn2an(text, "smart")))


def sentences(page: PageText) -> list[str]:
    """The page's sentences, line breaks and spaces inside them removed (pdfminer writes 2025 年)."""
    return [s for s in _SENTENCE_END.split(normalise(page.text)) if s]


def _value(match: re.Match) -> Decimal:
    """The figure of a match; an amount in 元 is stated in 万元, the unit of the table's cell."""
    if match.re.pattern.endswith(_AMOUNT):
        amount = Decimal(match[1])
        return amount / _TEN_THOUSAND if match[2] == "元" else amount
    return numeral(match[1])


def figures_in(sentence: str, page: int | None, legacy: bool) -> list[NarrativeFigure]:
    bare = _NOTE.sub("", sentence)  # 信息数(不同渠道和方式公开相同信息计1条)358条: the note's 1条 is no figure
    found = []
    for quantity, pattern in PATTERNS:
        code = LEGACY_CODES.get(quantity, quantity) if legacy else quantity
        for m in pattern.finditer(bare):
            if quantity in _TOTALS and _SHARE.match(bare, m.end()):
                continue
            if quantity == "received" and "公开" not in m[0] and _SERVICE.search(bare):
                continue
            found.append(NarrativeFigure(code, _value(m), sentence, page))
        bare = pattern.sub(lambda m: "\0" * len(m[0]), bare)  # read once
    received = ("new_received", "received", "request.received")
    if NONE_RECEIVED.search(bare) and not any(f.quantity_code in received for f in found):
        found.append(NarrativeFigure("request.received" if legacy else "new_received", Decimal(0), sentence, page))
    return found


def narrative_figures(pages: list[PageText], legacy: bool) -> list[NarrativeFigure]:
    figures: list[NarrativeFigure] = []
    for page in pages:
        for sentence in sentences(page):
            figures.extend(figures_in(sentence, page.page, legacy))
    return figures
