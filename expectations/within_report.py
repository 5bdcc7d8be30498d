"""Rules checked inside one report: the 勾稽关系 of its tables (notes/report-format.md section 2.2), the
non-negativity of its counts, the year it states, its template generation and whether its tables are there.

The sum rules (row_total, stated_identity, results_total, review_total, the legacy 统计表 sums) are data: one
term per (rule, location, cell), generated from the schema, joined to report_cells in one SQL query. A
cell left blank counts as 0 where the printed figures balance without it (real forms leave zeros blank); a
location that a blank, unreadable or missing cell keeps from being judged is reported once per table, by
cell_missing, and totals left blank beside printed parts by totals_not_filled.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass
from functools import cache

import great_expectations.expectations as gxe
import pandas as pd

from expectations.rules import SCOPE, TERMS, Check, Family, Source, at_most, equal
from nianbao import schema

OBSERVED, EXPECTED = "observed", "expected"  # the side of a sum identity a cell is on


TABLES_BY_GENERATION = {
    "gen2019": ("application", "review_litigation", "proactive"),
    "gen2021": ("application", "review_litigation", "proactive"),
    "legacy": ("legacy",),
}
TABLE_LABELS = {
    "application": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
    "proactive": "主动公开政府信息情况",
    "legacy": "政府信息公开情况统计表",
}


@dataclass(frozen=True)
class Term:
    rule_code: str
    generation: str
    location: str
    label: str  # the location in the report's own words
    side: str  # OBSERVED | EXPECTED
    table_code: str
    row_code: str
    column_code: str


def _application_terms(generation: str) -> list[Term]:
    rows = {r.code: r.label for r in schema.application_rows(generation)}
    columns = {c.code: c.label for c in schema.applicant_columns()}
    applicants = [c for c in columns if c != "total"]
    outcomes = list(rows)[list(rows).index("granted") : list(rows).index("results_total")]
    terms = []

    def add(rule: str, location: str, label: str, side: str, row: str, column: str) -> None:
        terms.append(Term(rule, generation, location, label, side, "application", row, column))

    for row, row_label in rows.items():
        location, label = f"application[{row}, total]", f"{row_label}·总计"
        add("row_total", location, label, OBSERVED, row, "total")
        for column in applicants:
            add("row_total", location, label, EXPECTED, row, column)
    for column, column_label in columns.items():
        location, label = f"application[*, {column}]", f"{column_label}列"
        for row in ("new_received", "carried_over"):
            add("stated_identity", location, label, EXPECTED, row, column)
        for row in ("results_total", "carried_forward"):
            add("stated_identity", location, label, OBSERVED, row, column)
        location, label = f"application[results_total, {column}]", f"(七)总计·{column_label}"
        add("results_total", location, label, OBSERVED, "results_total", column)
        for row in outcomes:
            add("results_total", location, label, EXPECTED, row, column)
    groups, outcomes_c = schema.review_litigation()
    for group in groups:
        location, label = f"review_litigation[{group.code}, total]", f"{group.label}·总计"
        terms.append(Term("review_total", generation, location, label, OBSERVED, "review_litigation", group.code, "total"))
        for outcome in outcomes_c:
            if outcome.code != "total":
                terms.append(Term("review_total", generation, location, label, EXPECTED, "review_litigation", group.code, outcome.code))
    return terms


def _legacy_terms() -> list[Term]:
    labels = {c.code: c.label for c in schema.legacy_indicators()}
    identities = [("legacy_total", total, parts) for total, parts in schema.legacy_sums().items()]
    identities += [("legacy_channels", total, parts) for total, parts in schema.legacy_at_most().items()]
    terms = []
    for rule, total, parts in identities:
        location = f"legacy[{total}, value]"
        terms.append(Term(rule, "legacy", location, labels[total], OBSERVED, "legacy", total, "value"))
        terms += [Term(rule, "legacy", location, labels[total], EXPECTED, "legacy", part, "value") for part in parts]
    return terms


@cache
def sum_terms() -> pd.DataFrame:
    terms = _application_terms("gen2019") + _application_terms("gen2021") + _legacy_terms()
    return pd.DataFrame([astuple(t) for t in terms], columns=list(Term.__dataclass_fields__))


# The least sure OCR'd cell a row rests on (NULL for printed text): run.py makes a finding on it a warning
# for a person to look at that cell on the page picture (rules.ocr_confident_at).
_UNSURE_CELL = "table_code || '[' || row_code || ', ' || column_code || ']' || coalesce('（' || ocr_region || '）', '')"

VALUE, BLANK, UNREADABLE, ABSENT = "value", "blank", "unreadable", "absent"
JUDGED, UNFILLED, UNDECIDED = "judged", "unfilled", "undecided"

# Every input cell of every sum rule of the reports in scope whose table is printed at all (a table not read is
# reported once, by table_missing). The rule's terms are those of the table's own generation (report_tables;
# the report's when the table has no reading of its own). Each cell's state: a figure, blank (a not-stated
# mark), unreadable (prose), or absent (the row was not found).
_SUM_INPUTS = f"""
    WITH tables_printed AS (
        SELECT DISTINCT report_id, table_code FROM report_cells JOIN {SCOPE} USING (report_id)
    ),
    inputs AS (
        SELECT r.report_id, t.rule_code, t.location, t.label, t.side, t.table_code, t.row_code, t.column_code,
               c.value, c.raw_text, rt.variant, c.confidence, c.ocr_region,
               CASE WHEN c.value IS NOT NULL THEN '{VALUE}' WHEN c.report_id IS NULL THEN '{ABSENT}'
                    WHEN list_contains(?, regexp_replace(coalesce(c.raw_text, ''), '\\s+', '', 'g')) THEN '{BLANK}'
                    ELSE '{UNREADABLE}' END AS state
        FROM reports r
        JOIN {SCOPE} USING (report_id)
        JOIN tables_printed p ON p.report_id = r.report_id
        LEFT JOIN report_tables rt ON rt.report_id = r.report_id AND rt.table_code = p.table_code
        JOIN {TERMS} t ON t.table_code = p.table_code AND t.generation = coalesce(rt.generation, r.generation)
        LEFT JOIN report_cells c ON c.report_id = r.report_id AND c.table_code = t.table_code
             AND c.row_code = t.row_code AND c.column_code = t.column_code
    ),
    locations AS (
        SELECT report_id, rule_code, location, any_value(label) AS label, any_value(table_code) AS table_code,
               coalesce(sum(value) FILTER (WHERE side = '{EXPECTED}'), 0)::DOUBLE AS expected,
               coalesce(sum(value) FILTER (WHERE side = '{OBSERVED}'), 0)::DOUBLE AS observed,
               count(*) FILTER (WHERE state = '{BLANK}' AND side = '{EXPECTED}') AS blank_parts,
               count(*) FILTER (WHERE state = '{BLANK}' AND side = '{OBSERVED}') AS blank_totals,
               count(*) FILTER (WHERE side = '{OBSERVED}') AS totals,
               count(*) FILTER (WHERE state IN ('{ABSENT}', '{UNREADABLE}')) AS unknown,
               min(confidence)::DOUBLE AS least_confidence, arg_min({_UNSURE_CELL}, confidence) AS unsure_cell
        FROM inputs GROUP BY report_id, rule_code, location
    ),
    judged AS (
        SELECT *, CASE
            WHEN unknown > 0 THEN '{UNDECIDED}'
            -- blanks count as 0 when the printed figures balance without them
            WHEN blank_parts + blank_totals = 0 OR expected = observed THEN '{JUDGED}'
            -- whatever a blank holds (never below 0), printed parts above the printed totals stay above them
            WHEN blank_totals = 0 AND expected > observed THEN '{JUDGED}'
            WHEN blank_parts = 0 AND blank_totals < totals AND observed > expected THEN '{JUDGED}'
            WHEN blank_totals = totals AND expected > 0 AND list_contains(?, rule_code) THEN '{UNFILLED}'
            ELSE '{UNDECIDED}' END AS judgement
        FROM locations
    )
"""
# The rules whose observed side is a printed total (a 合计 cell), which a form can leave unfilled.
TOTAL_RULES = ["row_total", "results_total", "review_total", "legacy_total"]


def _sum_params() -> list:
    return [sorted(schema.NOT_STATED), TOTAL_RULES]


def sum_rows(source: Source, rule_code: str) -> pd.DataFrame:
    """One row per report x location of the rule that can be judged: its cells all figures, or blanks that the
    printed figures show to be 0 or that cannot mend the imbalance (expected and observed count them as 0)."""
    return source.frame(
        f"""{_SUM_INPUTS}
        SELECT report_id, location, label, expected, observed, least_confidence, unsure_cell FROM judged
        WHERE rule_code = ? AND judgement = '{JUDGED}'
        ORDER BY report_id, location
        """,
        [*_sum_params(), rule_code],
    )


_LISTED = 12  # cells or totals named in one finding's message; the count covers them all


def _listing(items: list[str]) -> str:
    return "、".join(items[:_LISTED]) + (f" 等 {len(items)} 处" if len(items) > _LISTED else "")


def _per_table(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """One row per report x table from one row per item (its `what` text): how many, and which."""
    rows = [
        (report_id, table_code, TABLE_LABELS.get(table_code, table_code), float(len(group)), _listing(list(group[what])))
        for (report_id, table_code), group in frame.groupby(["report_id", "table_code"], sort=True)
    ]
    return pd.DataFrame(rows, columns=["report_id", "location", "label", "observed", "which"])


def unfilled_totals(source: Source) -> pd.DataFrame:
    """Per table, the totals (合计 cells) left blank where their parts print figures: one finding, not a
    cascade of row errors."""
    frame = source.frame(
        f"""{_SUM_INPUTS}
        SELECT report_id, table_code, location, label FROM judged WHERE judgement = '{UNFILLED}'
        ORDER BY report_id, table_code, location
        """,
        _sum_params(),
    )
    return _per_table(frame, "label")


def missing_cells(source: Source) -> pd.DataFrame:
    """Per table, the cells that kept a sum rule from being judged: blank where the printed figures need a
    figure, unreadable, or not found. Not counted: totals left unfilled (unfilled_totals), and rows a regional
    variant of the 统计表 does not have, and blanks that another balanced sum shows to be 0."""
    frame = source.frame(
        f"""{_SUM_INPUTS}
        , explained AS (  -- blank totals left unfilled, and blanks a balanced location shows to be 0
            SELECT DISTINCT i.report_id, i.table_code, i.row_code, i.column_code
            FROM inputs i JOIN judged j USING (report_id, rule_code, location)
            WHERE (j.judgement = '{UNFILLED}' AND i.side = '{OBSERVED}')
               OR (j.judgement = '{JUDGED}' AND j.expected = j.observed AND i.state = '{BLANK}')
        )
        SELECT DISTINCT i.report_id, i.table_code,
               i.table_code || '[' || i.row_code || ', ' || i.column_code || ']' || CASE i.state
                   WHEN '{ABSENT}' THEN '未找到' WHEN '{BLANK}' THEN '空白'
                   ELSE '无法识别为数字（原文“' || i.raw_text || '”）' END AS cell
        FROM inputs i JOIN judged j USING (report_id, rule_code, location)
        LEFT JOIN explained u ON u.report_id = i.report_id AND u.table_code = i.table_code
             AND u.row_code = i.row_code AND u.column_code = i.column_code
        WHERE j.judgement = '{UNDECIDED}' AND i.state <> '{VALUE}' AND u.report_id IS NULL
          AND NOT (i.state = '{ABSENT}' AND i.variant IS NOT NULL)
        ORDER BY 1, 2, 3
        """,
        _sum_params(),
    )
    return _per_table(frame, "cell")


def _decimal_cells() -> tuple[list[str], list[str]]:
    """(proactive measures, legacy indicators) whose values are amounts (万元) and may have decimals."""
    measures = {m.code for g in ("gen2019", "gen2021") for b in schema.proactive_blocks(g) for m in b.measures}
    return sorted(m for m in measures if m.startswith("amount")), [c.code for c in schema.legacy_indicators() if c.unit == "万元"]


def sign_rows(source: Source) -> pd.DataFrame:
    """Every printed value, with the parts non_negative checks: the value where it must be >= 0 (all but
    本年增/减) and its fractional part where it must be whole (all but amounts in 万元)."""
    amounts, legacy_amounts = _decimal_cells()
    return source.frame(
        f"""
        WITH cells AS (
            SELECT c.*, (c.table_code = 'proactive' AND c.column_code = 'change') AS may_be_negative,
                   ((c.table_code = 'proactive' AND list_contains(?, c.column_code))
                    OR (c.table_code = 'legacy' AND list_contains(?, c.row_code))) AS may_be_fraction
            FROM report_cells c JOIN {SCOPE} USING (report_id)
            WHERE c.value IS NOT NULL
        )
        SELECT report_id, table_code || '[' || row_code || ', ' || column_code || ']' AS location,
               table_code || '.' || row_code || '.' || column_code AS label,
               CASE WHEN NOT may_be_negative AND value < 0 THEN 0
                    WHEN NOT may_be_fraction THEN round(value) ELSE value END::DOUBLE AS expected,
               value::DOUBLE AS observed,
               CASE WHEN may_be_negative THEN NULL ELSE value END::DOUBLE AS must_be_non_negative,
               CASE WHEN may_be_fraction THEN NULL ELSE value - trunc(value) END::DOUBLE AS fraction,
               confidence AS least_confidence, {_UNSURE_CELL} AS unsure_cell
        FROM cells ORDER BY report_id, location
        """,
        [amounts, legacy_amounts],
    )


_PERIOD = re.compile(r"统计(?:期限|年限|时限|时间|区间|期间)[^0-9]{0,12}((?:19|20)\d\d)")
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def period_rows(source: Source) -> pd.DataFrame:
    """The report's year against the year named in its title and in its 统计期限 sentence (when found)."""
    reports = source.frame(
        f"""
        SELECT r.report_id, r.year, r.title, string_agg(p.text, '\n' ORDER BY p.page) AS text
        FROM reports r JOIN {SCOPE} USING (report_id) LEFT JOIN report_pages p USING (report_id)
        WHERE r.year IS NOT NULL
        GROUP BY r.report_id, r.year, r.title ORDER BY r.report_id
        """
    )
    rows = []
    for report in reports.itertuples():
        # a report without pages (or title) has NULL there, which pandas makes NaN in a column of NULLs
        title = _TITLE_YEAR.search(report.title if isinstance(report.title, str) else "")
        period = _PERIOD.search(re.sub(r"\s+", "", report.text if isinstance(report.text, str) else ""))
        for location, label, found in (("title", "标题年份", title), ("text[统计期限]", "统计期限", period)):
            if found:
                rows.append((report.report_id, location, label, float(report.year), float(found[1])))
    return pd.DataFrame(rows, columns=["report_id", "location", "label", "expected", "observed"])


def generation_rows(source: Source) -> pd.DataFrame:
    """The generation the year calls for (gen2021 from 2021, gen2019 for 2019–2020, legacy before) against the
    one detected, per table (a report can print table 二 on one template and table 三 on another), or per
    report when no table has a generation of its own."""
    return source.frame(
        f"""
        WITH generations AS (
            SELECT report_id, table_code || '[generation]' AS location, table_code, generation
            FROM report_tables WHERE generation IS NOT NULL
            UNION ALL
            SELECT report_id, 'reports[generation]', NULL, generation FROM reports r
            WHERE NOT EXISTS (SELECT 1 FROM report_tables t WHERE t.report_id = r.report_id AND t.generation IS NOT NULL)
        )
        SELECT g.report_id, g.location, coalesce(l.label, '表格') AS label,
               {schema.generation_of_year_sql()} AS expected,
               g.generation AS observed, r.year
        FROM generations g JOIN reports r USING (report_id) JOIN {SCOPE} USING (report_id)
        LEFT JOIN (SELECT unnest(?) AS table_code, unnest(?) AS label) l USING (table_code)
        WHERE g.generation IS NOT NULL AND r.year IS NOT NULL ORDER BY 1, 2
        """,
        [list(TABLE_LABELS), list(TABLE_LABELS.values())],
    )


def label_rows(source: Source) -> pd.DataFrame:
    """Rows read by their place in the template whose printed label is not the template's."""
    return source.frame(
        f"""
        SELECT n.report_id, n.table_code || '[' || n.row_code || ']' AS location, n.template_label AS label,
               n.raw_text, n.page
        FROM report_label_notes n JOIN {SCOPE} USING (report_id) ORDER BY 1, 2
        """
    )


def table_rows(source: Source) -> pd.DataFrame:
    """The tables a report's generation requires (by its year when no table was detected), with how many of
    their cells were read and how many of those are blank."""
    required = pd.DataFrame(
        [(g, t, TABLE_LABELS[t]) for g, tables in TABLES_BY_GENERATION.items() for t in tables],
        columns=["generation", "table_code", "label"],
    )
    source.con.register("dq_required_tables", required)
    try:
        return source.frame(
            f"""
            WITH scoped AS (
                SELECT report_id, coalesce(generation, {schema.generation_of_year_sql()}) AS generation
                FROM reports JOIN {SCOPE} USING (report_id)
                WHERE status IN ('parsed', 'parsed_ocr', 'no_tables') AND (generation IS NOT NULL OR year IS NOT NULL)
            )
            SELECT s.report_id, q.table_code AS location, any_value(q.label) AS label,
                   count(c.report_id)::DOUBLE AS cells, count(c.report_id) FILTER (WHERE c.value IS NULL)::DOUBLE AS observed,
                   count(c.report_id)::DOUBLE AS expected,
                   CASE WHEN count(c.report_id) = 0 THEN NULL
                        ELSE count(c.report_id) FILTER (WHERE c.value IS NULL) / count(c.report_id) END AS blank_share
            FROM scoped s JOIN dq_required_tables q USING (generation)
            LEFT JOIN report_cells c ON c.report_id = s.report_id AND c.table_code = q.table_code
            GROUP BY s.report_id, q.table_code ORDER BY s.report_id, q.table_code
            """
        )
    finally:
        source.con.unregister("dq_required_tables")


# The table figures a narrative quantity code can stand for, `rank` 1 the one it names first. An application
# row's figure is its 总计, or the sum of its printed applicant cells where 总计 is left blank (the form's
# meaning); 收到申请 may count 本年新收 alone or with 上年结转; table 二's 2019 本年新制作数量 is the 制发 of 2021.
_TABLE_QUANTITIES = """
    WITH application_rows AS (
        SELECT report_id, row_code, coalesce(max(value) FILTER (WHERE column_code = 'total'),
                                             sum(value) FILTER (WHERE column_code <> 'total')) AS value
        FROM report_cells WHERE table_code = 'application' GROUP BY report_id, row_code
    ),
    received AS (
        SELECT report_id, max(value) FILTER (WHERE row_code = 'new_received') AS new,
               coalesce(max(value) FILTER (WHERE row_code = 'carried_over'), 0) AS carried
        FROM application_rows GROUP BY report_id
    )
    SELECT report_id, row_code AS quantity_code, value, 1 AS rank FROM application_rows
    UNION ALL
    SELECT report_id, code, new, 1 FROM received, (VALUES ('received'), ('request.received')) AS q(code)
    UNION ALL
    SELECT report_id, code, new + carried, 2 FROM received, (VALUES ('received'), ('request.received')) AS q(code)
    UNION ALL
    SELECT report_id, 'granted+partially_granted', sum(value), 1 FROM application_rows
    WHERE row_code IN ('granted', 'partially_granted') GROUP BY report_id
    UNION ALL
    SELECT report_id, 'withheld', sum(value), 1 FROM application_rows
    WHERE row_code LIKE 'withheld.%' GROUP BY report_id
    UNION ALL
    SELECT report_id, row_code || '.' || CASE column_code WHEN 'made' THEN 'issued' ELSE column_code END, value, 1
    FROM report_cells WHERE table_code = 'proactive'
    UNION ALL
    SELECT report_id, row_code, value, 1 FROM report_cells WHERE table_code = 'legacy'
    UNION ALL
    SELECT report_id, 'review.total', value, 1 FROM report_cells
    WHERE table_code = 'review_litigation' AND row_code = 'review' AND column_code = 'total'
    UNION ALL
    SELECT report_id, 'litigation.total', sum(value), 1 FROM report_cells
    WHERE table_code = 'review_litigation' AND row_code IN ('litigation_direct', 'litigation_after_review')
      AND column_code = 'total'
    GROUP BY report_id HAVING count(value) = 2
"""


# Names of the quantities that are no single cell of the schema.
_QUANTITY_LABELS = {
    "received": "收到申请数（本年新收，或本年新收加上年结转）",
    "granted+partially_granted": "予以公开与部分公开之和",
    "withheld": "不予公开（各项之和）",
}


def quantity_label(code: str) -> str:
    """A narrative quantity code in the report's words: application rows and legacy indicators by their printed
    label, table 二's row.measure by row × measure."""
    if code in _QUANTITY_LABELS:
        return _QUANTITY_LABELS[code]
    if code.startswith("art20_"):
        row, measure = code.rsplit(".", 1)
        return schema.location_label(f"proactive[{row}, {measure}]")
    for table in ("application", "legacy"):
        label = schema.location_label(f"{table}[{code}]")
        if label != code:
            return label
    return code


def text_rows(source: Source) -> pd.DataFrame:
    """Figures stated in the prose against the table figure of the same quantity (one row per quantity and
    distinct stated value): expected is the table figure the text matches, if any, else the first it names."""
    rows = _text_rows(source)
    rows["label"] = [quantity_label(code) for code in rows["label"]]
    return rows


def _text_rows(source: Source) -> pd.DataFrame:
    return source.frame(
        f"""
        SELECT n.report_id, 'text[' || n.quantity_code || ']' AS location, n.quantity_code AS label,
               coalesce(max(t.value) FILTER (WHERE t.value = n.value), arg_min(t.value, t.rank))::DOUBLE AS expected,
               n.value::DOUBLE AS observed, first(n.sentence ORDER BY n.page, n.sentence) AS sentence
        FROM narrative_figures n JOIN {SCOPE} USING (report_id)
        JOIN ({_TABLE_QUANTITIES}) t ON t.report_id = n.report_id AND t.quantity_code = n.quantity_code
        WHERE t.value IS NOT NULL AND n.value IS NOT NULL
        GROUP BY n.report_id, n.quantity_code, n.value
        ORDER BY 1, 2, 5
        """
    )


def _sum_family(rule_code: str, message: str) -> Family:
    return Family(rule_code, lambda source: sum_rows(source, rule_code), (equal(rule_code, "error", message),))


def _per_table_family(rule_code: str, rows, message: str) -> Family:
    """One warning per report x table that has any of the items `rows` counts (observed: how many)."""
    check = Check(rule_code, "warning", lambda: gxe.ExpectColumnValuesToBeBetween(column="observed", max_value=0),
                  message, expected_field=None)
    return Family(rule_code, rows, (check,))


FAMILIES = (
    _sum_family("row_total", "行合计不符：{label} 为 {observed}，六类申请人之和为 {expected}（差 {imbalance}）"),
    _sum_family(
        "stated_identity",
        "勾稽关系不符（第一项+第二项=第三项+第四项）：{label} 本年新收+上年结转={expected}，办理结果总计+结转下年度={observed}（差 {imbalance}）",
    ),
    _sum_family("results_total", "办理结果总计不符：{label} 为 {observed}，各项办理结果之和为 {expected}（差 {imbalance}）"),
    _sum_family("review_total", "行政复议/诉讼总计不符：{label} 为 {observed}，各结果之和为 {expected}（差 {imbalance}）"),
    _sum_family("legacy_total", "统计表合计不符：{label}（{location}）为 {observed}，分项之和为 {expected}（差 {imbalance}）"),
    Family(
        "legacy_channels",
        lambda source: sum_rows(source, "legacy_channels"),
        (at_most("legacy_channels", "error", "主动公开政府信息数 {observed} 条多于各渠道公开数之和 {expected} 条"),),
    ),
    _per_table_family(
        "cell_missing", missing_cells,
        "单元格缺失：“{label}”中 {observed} 个单元格缺失或无法识别（{which}），涉及它们的勾稽关系未核对",
    ),
    _per_table_family(
        "totals_not_filled", unfilled_totals, "合计未填：“{label}”中 {observed} 处合计空白而分项有数（{which}），这些合计未核对"
    ),
    Family(
        "non_negative",
        sign_rows,
        (
            Check(
                "non_negative",
                "error",
                lambda: gxe.ExpectColumnValuesToBeBetween(column="must_be_non_negative", min_value=0),
                "数值为负：{location} 为 {observed}，应为非负数",
            ),
            Check(
                "non_negative",
                "error",
                lambda: gxe.ExpectColumnValuesToBeBetween(column="fraction", min_value=0, max_value=0),
                "数值非整数：{location} 为 {observed}，件数应为整数",
            ),
        ),
    ),
    Family(
        "period_matches_year",
        period_rows,
        (equal("period_matches_year", "error", "年份不符：{label} 为 {observed} 年，报告年度为 {expected} 年"),),
    ),
    Family(
        "generation_year",
        generation_rows,
        (
            Check(
                "generation_year",
                "warning",
                lambda: gxe.ExpectColumnPairValuesToBeEqual(column_A="expected", column_B="observed"),
                "表格版式与年度不符：{year} 年度报告应使用 {expected} 版式，“{label}”实际为 {observed}",
                expected_field=None,
                observed_field=None,
            ),
        ),
    ),
    Family(
        "tables",
        table_rows,
        (
            Check(
                "table_missing",
                "warning",
                lambda: gxe.ExpectColumnValuesToBeBetween(column="cells", min_value=1),
                "缺少统计表：未读到“{label}”（{location}）",
                expected_field=None,
                observed_field="cells",
            ),
            Check(
                "table_blank",
                "warning",
                # zeros are often left blank: a table is unfilled only when it prints no figure at all
                lambda: gxe.ExpectColumnValuesToBeBetween(column="blank_share", max_value=1, strict_max=True),
                "统计表空白：“{label}”（{location}）{expected} 个单元格全部为空",
            ),
        ),
    ),
    Family(
        "label_mismatch",
        label_rows,
        (
            Check(
                "label_mismatch",
                "info",
                lambda: gxe.ExpectColumnValuesToBeNull(column="raw_text"),
                "行名称与模板不同：第 {page} 页印作“{raw_text}”，按位置和相似度读作“{label}”",
                expected_field=None,
                observed_field=None,
            ),
        ),
    ),
    Family(
        "text_matches_table",
        text_rows,
        (equal("text_matches_table", "warning", "正文与表格不符：正文“{sentence}”为 {observed}，表格中 {label} 为 {expected}"),),
    ),
)
