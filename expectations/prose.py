"""Rules on a report's prose: the 统计期限 covers the whole year, the body speaks of the report's year, and
section 五 (存在的主要问题及改进情况, required by 条例(2019) 第五十条(四)) is there and says something. All are
warnings (issue 18: the evaluators' rules are warnings unless the law makes them errors).

A report is judged on its text only when there is enough of it (MIN_TEXT): a scan or a failed extraction is
not "missing a section". Section rules apply to the six-part template (reports on 2019 and later); older
reports were free-form.
"""

from __future__ import annotations

import re
from datetime import date

import great_expectations.expectations as gxe
import pandas as pd

from expectations.rules import SCOPE, Check, Family, Source, equal

MIN_TEXT = 200  # characters of text below which the prose is not judged
FIRST_TEMPLATE_YEAR = 2019  # the six-part structure (国办公开办函〔2019〕60号) from the reports on 2019
# the six headings, by their key words; a report whose text shows fewer than HEADINGS_SEEN of them is not
# judged on its sections (its text is incomplete or laid out another way)
_HEADINGS = {
    "一": r"总体情况",
    "二": r"主动公开",
    "三": r"(?:收到|处理).{0,6}申请",
    "四": r"行政复议|行政诉讼",
    "五": r"问题|不足",
    "六": r"其他需要报告|其他事项",
}
HEADINGS_SEEN = 4
_HEADING = r"(?:^|[\n。；;：:])\s*{n}\s*[、.．]\s*[^\n。]{{0,30}}?(?:{words})"
_SIX = re.compile(r"(?:^|[\n。；;])\s*六\s*[、.．]")
_HEADING_REST = re.compile(r"^[^\n。：:]{0,12}?(?:情况|措施|方向|打算)[。：:]?")
MIN_SECTION = 15  # characters (punctuation and spaces left out) below which section 五 says nothing

_DATE = r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_END = r"(?:((?:19|20)\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_PERIOD = re.compile(rf"统计(?:期限|年限|时限|时间|区间|期间|周期)[^0-9。]{{0,12}}{_DATE}[^0-9。]{{0,8}}?{_END}")
# a narrative opener naming a year: "2020年，我局…" / "2020年度，…" at the start of a sentence or line
_OPENER = re.compile(r"(?:^|[\n。；;）)])\s*((?:19|20)\d\d)\s*年度?\s*[，,]")


def _texts(source: Source) -> pd.DataFrame:
    return source.frame(
        f"""
        SELECT r.report_id, r.year, string_agg(p.text, '\n' ORDER BY p.page) AS text
        FROM reports r JOIN {SCOPE} USING (report_id) JOIN report_pages p USING (report_id)
        WHERE r.year IS NOT NULL
        GROUP BY r.report_id, r.year ORDER BY r.report_id
        """
    )


def _judged(text: object) -> bool:
    return isinstance(text, str) and len(re.sub(r"\s+", "", text)) >= MIN_TEXT


def period_coverage_rows(source: Source) -> pd.DataFrame:
    """The 统计期限 sentence's dates against 1月1日–12月31日 of the year it names (reports that state one)."""
    rows = []
    for r in _texts(source).itertuples():
        m = _PERIOD.search(r.text) if isinstance(r.text, str) else None
        if not m:
            continue
        start_year = int(m[1])
        try:
            start = date(start_year, int(m[2]), int(m[3]))
            end = date(int(m[4] or start_year), int(m[5]), int(m[6]))
        except ValueError:  # a date the text layer garbled: nothing to judge
            continue
        whole = f"{start_year}年1月1日至{start_year}年12月31日"
        stated = f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
        rows.append((r.report_id, "text[统计期限]", "统计期限", whole, stated, re.sub(r"\s+", "", m[0])))
    return pd.DataFrame(rows, columns=["report_id", "location", "label", "expected", "observed", "sentence"])


def body_year_rows(source: Source) -> pd.DataFrame:
    """Each narrative opener's year ("2020年，我局…") against the report's year: a year before it is last
    year's text left in (a year after it is the plans for next year, and allowed)."""
    rows = []
    for r in _texts(source).itertuples():
        if not _judged(r.text):
            continue
        year = int(r.year)
        for m in _OPENER.finditer(r.text):
            found = int(m[1])
            if found != year and found != year + 1:
                sentence = r.text[m.start(1): m.start(1) + 40].split("\n")[0]
                rows.append((r.report_id, "text[年份]", "正文年份", float(year), float(found), sentence))
                break  # one finding per report: the first such sentence
    return pd.DataFrame(rows, columns=["report_id", "location", "label", "expected", "observed", "sentence"])


def problems_section_rows(source: Source) -> pd.DataFrame:
    """Section 五 of a six-part report: found (1) or not (0), and how many characters it says."""
    rows = []
    for r in _texts(source).itertuples():
        if int(r.year) < FIRST_TEMPLATE_YEAR or not _judged(r.text):
            continue
        text = r.text
        seen = [n for n, words in _HEADINGS.items() if re.search(_HEADING.format(n=n, words=words), text)]
        heading = re.search(_HEADING.format(n="五", words=_HEADINGS["五"]), text)
        if heading is None and len(seen) < HEADINGS_SEEN:
            continue  # an incomplete text or another layout: not judged
        if heading is None:
            rows.append((r.report_id, "text[五]", "五、存在的主要问题及改进情况", 0.0, None))
            continue
        following = _SIX.search(text, heading.end())
        body = text[heading.end(): following.start() if following else len(text)]
        # the heading's rest ("…及改进情况") is part of the heading, not of what the section says
        body = _HEADING_REST.sub("", body)
        said = len(re.sub(r"[\s\W_]+", "", body))
        rows.append((r.report_id, "text[五]", "五、存在的主要问题及改进情况", 1.0, float(said)))
    return pd.DataFrame(rows, columns=["report_id", "location", "label", "found", "said"])


FAMILIES = (
    Family(
        "period_covers_year",
        period_coverage_rows,
        (
            Check(
                "period_covers_year",
                "warning",
                lambda: gxe.ExpectColumnPairValuesToBeEqual(column_A="expected", column_B="observed"),
                "统计期限不是全年：正文“{sentence}”为 {observed}，应为 {expected}",
                expected_field=None,
                observed_field=None,
            ),
        ),
    ),
    Family(
        "body_year",
        body_year_rows,
        (equal("body_year", "warning", "正文年份不符：“{sentence}…”写的是 {observed} 年，报告年度为 {expected} 年（疑为沿用往年文字）"),),
    ),
    Family(
        "problems_section",
        problems_section_rows,
        (
            # a warning: 第五十条(四) requires the content, and what is judged here is a heading; a report that
            # numbers or words its sections its own way says its problems without "五、…问题"
            Check(
                "problems_section_missing",
                "warning",
                lambda: gxe.ExpectColumnValuesToBeBetween(column="found", min_value=1),
                "缺少“五、存在的主要问题及改进情况”：《政府信息公开条例》第五十条第（四）项要求年度报告包括该项内容",
                expected_field=None,
                observed_field=None,
            ),
            Check(
                "problems_section_empty",
                "warning",
                lambda: gxe.ExpectColumnValuesToBeBetween(column="said", min_value=MIN_SECTION),
                "“五、存在的主要问题及改进情况”几乎没有内容（{said} 个字）",
                expected_field=None,
                observed_field="said",
            ),
        ),
    ),
)
