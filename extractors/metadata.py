"""Report metadata from its text: title, agency, the year in the title, the year of the 统计期限 sentence,
and the date under the signature. Title year and period year are kept apart so that they can be compared."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import cn2an

from extractors.labels import normalise
from nianbao.agencies import name_in_title


@dataclass
class Metadata:
    title: str | None = None
    agency: str | None = None
    title_year: int | None = None
    period_year: int | None = None
    written_date: date | None = None


_TITLE_END = re.compile(r"(年度报告|年报|工作报告)$")
_YEAR = re.compile(r"(\d{4})年")
_AGENCY_FIELD = re.compile(r"(?:发布机构|发文机构|发文单位|发布单位)[:：]?\s*([^\s:：]{2,40})")
_PERIOD = re.compile(r"统计(?:期限|年限|时限|区间|时间|范围)?[^。；]{0,40}?(\d{4})年1月1日")
_CN = "〇零一二三四五六七八九"  # the digits of a date written out (二〇一九年十二月三十一日), read by cn2an
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_CN_DATE = re.compile(rf"([{_CN}]{{4}})年([十{_CN}]{{1,3}})月([十{_CN}]{{1,3}})日")


def find_title(text: str, heading: str | None = None) -> str | None:
    """The report's heading: a line near the top ending in 年度报告. A line above it that is only the
    agency's name (平罗县通伏乡人民政府 / 2018 年政府信息公开年度报告) belongs to it, and so does a short
    line below it that ends the wrapped title (…工作年度报 / 告)."""
    if heading:
        return normalise(heading)
    lines = [normalise(line) for line in text.splitlines() if normalise(line)][:20]
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if len(following) <= 4 and not _TITLE_END.search(line) and _TITLE_END.search(line + following):
            line += following
        if len(line) <= 60 and "公开" in line and _TITLE_END.search(line):
            if i > 0 and line[:4].isdigit() and len(lines[i - 1]) <= 30 and not re.search(r"[。，,；]", lines[i - 1]):
                return lines[i - 1] + line
            return line
    return None


def find_agency(title: str | None, text: str) -> str | None:
    """发布机构 when the page states it; else the name the title gives (before or right after its year), completed to the
    government's full name where the text writes it out (兴庆区掌政镇 → 银川市兴庆区掌政镇人民政府)."""
    m = _AGENCY_FIELD.search(text)
    if m:
        return m[1]
    short = name_in_title(title)
    if not short:
        return None
    if short.endswith(("政府", "局", "委员会", "办公室", "厅", "委", "院", "中心")):
        return short
    compact = normalise(text)
    full = re.search(rf"(?:地址:)([^;；,，。()]{{0,20}}{re.escape(short)}人民政府)", compact)
    if full:
        return full[1]
    return f"{short}人民政府" if f"{short}人民政府" in compact else short


def _cn_int(s: str) -> int:
    return int(cn2an.cn2an(s, "smart"))


def find_written_date(text: str) -> date | None:
    """The last date in the closing lines (the date under the signature)."""
    tail = normalise("".join(text.splitlines()[-8:]))[-120:]
    found: list[date] = []
    for m in _DATE.finditer(tail):
        try:
            found.append(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            continue
    for m in _CN_DATE.finditer(tail):
        try:
            year = _cn_int(m[1])
            found.append(date(year, _cn_int(m[2]), _cn_int(m[3])))
        except (ValueError, KeyError):
            continue
    return found[-1] if found else None


def read_metadata(text: str, heading: str | None = None, page_text: str | None = None) -> Metadata:
    """text: the report's text; heading: an HTML page's heading; page_text: the whole HTML page (its
    发布机构 field sits outside the article)."""
    title = find_title(text, heading)
    compact = normalise(text)
    year = _YEAR.search(title or "")
    period = _PERIOD.search(compact)
    return Metadata(
        title=title,
        agency=find_agency(title, page_text or text),
        title_year=int(year[1]) if year else None,
        period_year=int(period[1]) if period else None,
        written_date=find_written_date(text),
    )
