"""Agency identity: one stable id per agency and county, whatever form of its name a year's report uses.

淮安市洪泽区人民政府 (2019) and 洪泽区人民政府 (2020) are one agency; so are 某县发改局 and 某县发展和改革局,
某镇政府 and 某镇人民政府, 某某开发区管委会 and 某某开发区管理委员会. The id is "<province>/<county>/<name>"
where <name> is the agency's name without the province, city and county it sits in, its short forms spelt
out (人民政府 alone is the county's own government). An agency renamed (洪泽县 → 洪泽区 in 2016, a bureau
merged) is declared in config, rules.agencies.renames (old name → new name), so that its chain of years
survives the rename.
"""

from __future__ import annotations

import re

from nianbao.config import RuleSettings
from nianbao.deadlines import Level, agency_level

_SPACES = re.compile(r"\s+")
# 某某县人民政府2020年度政府信息公开工作年度报告 / 2019年上海市人民政府办公厅政府信息公开工作年度报告
_NAME_BEFORE_YEAR = re.compile(r"^(.{2,40}?)(?:关于)?(?:19|20)\d\d年")
_NAME_AFTER_YEAR = re.compile(r"^(?:19|20)\d\d年度?(?!政府信息公开|政务公开|信息公开)(.{2,40}?)(?:政府信息公开|政务公开|信息公开)")
# Short forms → full forms, applied in order on the name without its place prefix.
_SPELT_OUT = (
    (re.compile(r"管委会$"), "管理委员会"),
    (re.compile(r"(?<!人民)政府办公室$|(?<!人民)政府办$|人民政府办$"), "人民政府办公室"),
    (re.compile(r"(?<!人民)政府$"), "人民政府"),
    (re.compile(r"(乡|镇)$"), r"\1人民政府"),
    (re.compile(r"街道$"), "街道办事处"),
    (re.compile(r"发改局$"), "发展和改革局"),
    (re.compile(r"发改委$"), "发展和改革委员会"),
    (re.compile(r"人社局$"), "人力资源和社会保障局"),
    (re.compile(r"住建局$"), "住房和城乡建设局"),
    (re.compile(r"市场监管局$"), "市场监督管理局"),
    (re.compile(r"卫健局$"), "卫生健康局"),
    (re.compile(r"卫健委$"), "卫生健康委员会"),
)
_PLACE_SUFFIX = re.compile(r"(省|市|自治区|回族自治区|壮族自治区|维吾尔自治区|地区|盟|自治州|州|自治县|自治旗|县|区|旗)$")


def _strip_place(name: str, place: str) -> str:
    """`name` without `place` in front; the place's short form counts when another suffix follows it
    (洪泽县人民政府 in the county now called 洪泽区: the same government)."""
    if name.startswith(place) and len(name) > len(place):
        return name[len(place):]
    short = _PLACE_SUFFIX.sub("", place)
    if len(short) >= 2 and short != place and re.match(rf"{re.escape(short)}[省市县区旗州盟]", name):
        return name[len(short) + 1:]
    return name


def canonical_name(name: str, province: str, city: str, county: str) -> str:
    """The agency's name inside its county, spelt out: the province, city and county prefixes dropped
    (the county's own government is 人民政府), short forms written in full."""
    name = _SPACES.sub("", name).replace("（", "(").replace("）", ")")
    for place in (province, city, county):
        name = _strip_place(name, place)
    # the county's own government; where the county is a zone (平潭综合实验区), its bare 管委会 governs it
    if re.fullmatch(r"[县区市旗]?(人民政府|政府|(?:党工委)?管委会|管理委员会)?", name):
        return "人民政府"
    # 县财政局: the county's 财政局; but 市场监督管理局, 市政…局, 市容…局 begin with a word, not a place
    name = re.sub(r"^(?:[县区旗]|市(?!场|容|政(?!府)))(?=.{2,})", "", name)
    for pattern, full in _SPELT_OUT:
        name = pattern.sub(full, name)
    return name


def name_in_title(title: str | None) -> str | None:
    """The agency's name in a report's title, before or right after its year (None if it names none)."""
    if not isinstance(title, str):
        return None
    title = _SPACES.sub("", title)
    m = _NAME_BEFORE_YEAR.match(title) or _NAME_AFTER_YEAR.match(title)
    return m[1] if m else None


def report_agency(heading: str | None, title: str | None, agency: str | None) -> str | None:
    """Whose report it is: the name its own heading opens with, else the title it was listed under, else
    the agency recorded for it. The title decides because a 本级政府 report is often put out by the
    government's office, whose name is then the page's 发布机构."""
    return name_in_title(heading) or name_in_title(title) or (agency if isinstance(agency, str) and agency else None)


def identify(
    heading: str | None, title: str | None, agency: str | None, province: str, city: str, county: str,
    rules: RuleSettings,
) -> tuple[str | None, Level | None]:
    """The report's agency id and level (None, None when no name is found anywhere)."""
    name = report_agency(heading, title, agency)
    identity = agency_id(name, province, city, county, rules.agencies.renames)
    level = agency_level(name, rules.deadlines.agency_levels)
    if level == "department" and identity == f"{province}/{county}/人民政府" and name not in rules.deadlines.agency_levels:
        level = "government"  # the county's own government under another name (平潭综合实验区管委会)
    return identity, level


def agency_id(name: str | None, province: str, city: str, county: str, renames: dict[str, str]) -> str | None:
    """The stable id of the agency called `name` in that county (None without a name). A declared
    rename is followed, to its latest name."""
    if not name:
        return None
    canonical = canonical_name(name, province, city, county)
    renames = {canonical_name(old, province, city, county): canonical_name(new, province, city, county)
               for old, new in renames.items()}
    seen = {canonical}
    while canonical in renames and renames[canonical] not in seen:
        canonical = renames[canonical]
        seen.add(canonical)
    return f"{province}/{county}/{canonical}"
