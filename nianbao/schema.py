"""The canonical codes of the statistical tables, read from report_tables.yaml (the project's contract).

report_tables.yaml is ../shared/schema/report_tables.yaml word for word plus a block of project additions at
its end (the legacy sums as data), shipped inside the package so that an installed nianbao does not depend on
the shared folder; tests/core/test_schema.py keeps it so. The project's copy is the contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple
from importlib import resources

import yaml

GENERATIONS = ("legacy", "gen2019", "gen2021")
# What a cell prints when it states no figure (report_tables.yaml: NULL, never 0). Real forms leave zeros blank,
# so the sum rules count such a cell as 0 where the printed figures around it balance (expectations).
NOT_STATED = frozenset({"", "/", "-", "--", "—", "——", "－", "无", "不适用"})
# The generation a report on a year normally uses (report_tables.yaml's header), by the first year of each,
# newest first; before them, legacy. Normally: the extractors detect it from the tables themselves.
FIRST_YEAR = {"gen2021": 2021, "gen2019": 2019}


def generation_of_year(year: int) -> str:
    return next((generation for generation, first in FIRST_YEAR.items() if year >= first), "legacy")


def generation_of_year_sql(year: str = "year") -> str:
    """generation_of_year as a SQL expression over the column `year`."""
    whens = " ".join(f"WHEN {year} >= {first} THEN '{generation}'" for generation, first in FIRST_YEAR.items())
    return f"CASE {whens} ELSE 'legacy' END"


@dataclass(frozen=True)
class Code:
    code: str
    label: str  # the printed label, as the schema gives it
    unit: str | None = None  # legacy indicators only: 条, 件, 万元, …


@cache
def raw() -> dict:
    return yaml.safe_load(resources.files("nianbao").joinpath("report_tables.yaml").read_text("utf-8"))


def _codes(mapping: dict) -> tuple[Code, ...]:
    return tuple(Code(code, str(label)) for code, label in mapping.items())


@cache
def applicant_columns() -> tuple[Code, ...]:
    return _codes(raw()["applicant_columns"])


def application_rows(generation: str) -> tuple[Code, ...]:
    """Rows of 三、收到和处理政府信息公开申请情况 in printed order: gen2019 has one (六)其他处理 row,
    gen2021 its three sub-rows."""
    rows = _codes(raw()["application_rows"])
    if generation == "gen2019":
        return tuple(r for r in rows if not r.code.startswith("other_handling."))
    if generation == "gen2021":
        return tuple(r for r in rows if r.code != "other_handling")
    raise ValueError(f"the application table has no {generation} layout")


@cache
def review_litigation() -> tuple[tuple[Code, ...], tuple[Code, ...]]:
    """(groups, outcomes) of 四、行政复议、行政诉讼: 3 x 5 cells, printed group by group."""
    spec = raw()["review_litigation"]
    return _codes(spec["groups"]), _codes(spec["outcomes"])


@dataclass(frozen=True)
class ProactiveBlock:
    item: str  # art20_1 …
    rows: tuple[Code, ...]
    measures: tuple[Code, ...]


def proactive_blocks(generation: str) -> tuple[ProactiveBlock, ...]:
    spec = raw()["proactive"][generation]
    return tuple(
        ProactiveBlock(item, _codes(block["rows"]), _codes(block["measures"])) for item, block in spec.items()
    )


_UNIT = re.compile(r"^(?P<label>.*?)\s*\[(?P<unit>[^\]]+)\]$")


@cache
def legacy_indicators() -> tuple[Code, ...]:
    codes = []
    for code, text in raw()["legacy_indicators"].items():
        m = _UNIT.match(str(text))
        codes.append(Code(code, m["label"], m["unit"]) if m else Code(code, str(text)))
    return tuple(codes)


def _legacy_identities(key: str) -> dict[str, tuple[str, ...]]:
    codes = [c.code for c in legacy_indicators()]
    return {
        total: tuple(c for part in parts for c in (
            [c for c in codes if c.startswith(part[:-1])] if part.endswith(".*") else [part]))
        for total, parts in raw()[key].items()
    }


@cache
def legacy_sums() -> dict[str, tuple[str, ...]]:
    """The 统计表's sums: total indicator → the indicators that add up to it (the `x.*` of the file expanded)."""
    return _legacy_identities("legacy_sums")


@cache
def legacy_at_most() -> dict[str, tuple[str, ...]]:
    """Totals at most their parts' sum (an item published on several channels counts once)."""
    return _legacy_identities("legacy_at_most")


@cache
def legacy_regional_labels() -> dict[str, str]:
    """A regional 统计表's own words for national indicators: label (its core) → indicator code."""
    return dict(raw()["legacy_regional_labels"])


_LOCATION = re.compile(r"^(?P<table>\w+)\[(?P<row>[\w.*]+)(?:,\s*(?P<column>[\w.*]+))?\]$")


@cache
def _labels() -> dict[tuple[str, str], str]:
    """(table_code, code) → printed label, for rows and columns of every table."""
    labels = {("application", c.code): c.label for c in _codes(raw()["application_rows"])}
    labels |= {("application", c.code): c.label for c in applicant_columns()}
    groups, outcomes = review_litigation()
    labels |= {("review_litigation", c.code): c.label for c in (*groups, *outcomes)}
    for generation in ("gen2019", "gen2021"):
        for block in proactive_blocks(generation):
            labels |= {("proactive", f"{block.item}.{r.code}"): r.label for r in block.rows}
            labels |= {("proactive", m.code): m.label for m in block.measures}
    labels |= {("legacy", c.code): c.label for c in legacy_indicators()}
    return labels


# The printed titles of the statistical tables, as headed in the report (2019 and 2021 templates).
TABLE_TITLES = {
    "proactive": "二、主动公开政府信息情况",
    "application": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
    "legacy": "政府信息公开情况统计表（2019年以前格式）",
    "text": "报告正文",
    "reports": "报告基本信息",
}
# The report facts a finding can be about (location reports[field]).
REPORT_FIELDS = {"published_date": "发布日期", "agency_id": "发布机关", "generation": "统计表格式", "year": "报告年度"}


class PrintedLocation(NamedTuple):
    """Where a finding is, in the report's own words: table title, row and column labels (None when the
    finding concerns a whole row, a whole column or no cell at all)."""

    table: str | None
    row: str | None
    column: str | None


def printed_location(location: str) -> PrintedLocation:
    """'application[granted, total]' → (三、收到和处理政府信息公开申请情况, 三、本年度办理结果 (一)予以公开, 总计);
    'application[*, natural_person]' → the whole 自然人 column; a location of no table → all None."""
    m = _LOCATION.match(location)
    if not m:
        return PrintedLocation(None, None, None)
    table = m["table"]
    if table == "text":  # a quantity stated in the prose: named as the table row it is compared with
        labels = {code: label for (_, code), label in reversed(_labels().items())}
        return PrintedLocation(TABLE_TITLES["text"], labels.get(m["row"]), None)
    if table == "reports":
        return PrintedLocation(TABLE_TITLES["reports"], REPORT_FIELDS.get(m["row"]), None)
    # a code that is no row or column (e.g. application[generation], the table as a whole) names none
    label = lambda code: _labels().get((table, code))  # noqa: E731
    return PrintedLocation(TABLE_TITLES.get(table), label(m["row"]), label(m["column"]))


@cache
def rule_texts() -> dict[str, tuple[str, str]]:
    """rule_code → (Chinese name, one-sentence explanation), from nianbao/rules.yaml."""
    spec = yaml.safe_load(resources.files("nianbao").joinpath("rules.yaml").read_text("utf-8"))
    return {code: (text["name"], text["explanation"]) for code, text in spec.items()}


def location_label(location: str) -> str:
    """'application[granted, total]' → '(一)予以公开 × 总计'; other locations are returned as they are."""
    m = _LOCATION.match(location)
    if not m:
        return location
    names = [_labels().get((m["table"], code), code) for code in (m["row"], m["column"]) if code and code != "*"]
    return " × ".join(names)
