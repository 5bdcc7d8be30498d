"""When an agency's annual report is due: its level (本级政府, 部门, 乡镇/街道) from its name, and the
deadline the law sets for that level and report year.

- 条例(2019) 第四十九条: 县级以上人民政府部门 publish by 1月31日; the 本级政府 report of a 县级以上地方人民政府
  (compiled by its office) by 3月31日. Reports on 2019 and later.
- 条例(2007) 第三十一条: every agency by 3月31日. Reports on 2018 and earlier.
- 乡镇/街道 are not named in 第四十九条: 1月31日 unless a province, city or county notice sets its own date
  (rules.deadlines.township_by_place).
Sources: ../shared/notes/report-format.md §3.1, §4.1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from nianbao.config import DeadlineSettings

Level = Literal["government", "department", "township"]
LEVEL_LABELS: dict[str, str] = {"government": "本级政府", "department": "部门", "township": "乡镇（街道）"}

LAST_YEAR_UNDER_2007_RULES = 2018
_LAW_2019 = "《政府信息公开条例》（2019）第四十九条"
_LAW_2007 = "《政府信息公开条例》（2007）第三十一条"

_PLACE = r"(?:省|自治区|市|州|盟|地区|县|区|旗|自治县|自治旗|特区|林区)"
_TOWNSHIP = re.compile(r"(?:乡|镇|街道|苏木)(?:人民政府|政府|办事处|街道办事处)?$")
_GOVERNMENT = re.compile(rf"{_PLACE}(?:人民政府|政府)?$")


def agency_level(name: str | None, overrides: dict[str, Level] | None = None) -> Level | None:
    """The level of the agency called `name`: "township" for a 乡/镇/街道 (or 苏木), "government" for a
    people's government as a whole (某某县人民政府, 某某区政府, or the bare place name a county-wide report
    goes by), "department" for anything else (局, 委, 办公室 — a government's own office publishes its own
    report as a department —, 中心, 管委会 …). `overrides` (name → level, from config) win. None when
    there is no name."""
    if not name:
        return None
    name = re.sub(r"\s+", "", name)
    if overrides and name in overrides:
        return overrides[name]
    if _TOWNSHIP.search(name):
        return "township"
    if _GOVERNMENT.search(name):
        return "government"
    return "department"


@dataclass(frozen=True)
class Deadline:
    due: date
    rule: str  # the rule that applied, in Chinese, e.g. "部门报告应于次年1月31日前公布（…第四十九条）"


def _month_day(year: int, month_day: str) -> date:
    month, day = map(int, month_day.split("-"))
    try:
        return date(year, month, day)
    except ValueError:  # 02-29 in a common year
        return date(year, month, day - 1)


def _shown(month_day: str) -> str:
    month, day = map(int, month_day.split("-"))
    return f"{month}月{day}日"


def publication_deadline(
    level: Level | None, report_year: int, settings: DeadlineSettings, places: tuple[str, ...] = ()
) -> Deadline:
    """The deadline of a report on `report_year` by an agency of `level`. `places` are the agency's
    county, city and province (most specific first): the first one named in settings.township_by_place
    sets a township's date. An unknown level gets the latest date the law allows (3月31日), so that a
    report is never called late on a guess."""
    if report_year <= LAST_YEAR_UNDER_2007_RULES:
        month_day, rule = "03-31", f"{LAST_YEAR_UNDER_2007_RULES}年及以前年度的报告应于次年3月31日前公布（{_LAW_2007}）"
    elif level == "department":
        month_day, rule = "01-31", f"部门报告应于次年1月31日前公布（{_LAW_2019}）"
    elif level == "township":
        place = next((p for p in places if p in settings.township_by_place), None)
        if place:
            month_day = settings.township_by_place[place]
            rule = f"乡镇（街道）报告按{place}规定应于次年{_shown(month_day)}前公布"
        else:
            month_day = settings.township
            rule = f"乡镇（街道）报告应于次年{_shown(month_day)}前公布（{_LAW_2019}未作规定，按部门时限）"
    elif level == "government":
        month_day, rule = "03-31", f"本级政府报告应于次年3月31日前公布（{_LAW_2019}）"
    else:
        month_day, rule = "03-31", f"机关层级不明，按法定最晚时限次年3月31日前公布（{_LAW_2019}）"
    return Deadline(_month_day(report_year + 1, month_day), rule)
