"""Rules that compare a report with the same agency's report on the year before, or with the calendar.

The report "on the year before" is the latest version (last seen) of the same agency's report on year − 1,
wherever it is in the warehouse: a run that validates only its new reports still checks them against
reports loaded by earlier runs.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

import great_expectations.expectations as gxe
import pandas as pd

from expectations.rules import SCOPE, Check, Family, Source, at_most, equal
from nianbao import deadlines, schema

SAME_TEXT = 0.9  # Jaccard similarity of 5-character shingles above which two years' texts are one text
SHINGLE = 5
MIN_TEXT = 200  # characters: shorter texts (scans, failed extractions) are not compared
# A publication date this long after the date under the signature is a site migration's re-posting date,
# not the day the report went out: the written date (成文日期) stands for it then.
MIGRATION_GAP = timedelta(days=365)

_PREVIOUS = f"""
    WITH versions AS (
        SELECT report_id, province, city, county, agency_id, year,
               row_number() OVER (PARTITION BY province, city, county, agency_id, year
                                  ORDER BY last_seen_at DESC, first_seen_at DESC, report_id) AS newest
        FROM reports WHERE agency_id IS NOT NULL AND year IS NOT NULL
    )
    SELECT r.report_id, p.report_id AS previous_id, r.year
    FROM reports r JOIN {SCOPE} USING (report_id)
    JOIN versions p ON p.newest = 1 AND p.year = r.year - 1 AND p.agency_id = r.agency_id AND p.county = r.county
         AND p.city = r.city AND p.province = r.province
"""


def carry_over_rows(source: Source) -> pd.DataFrame:
    """上年结转 of each column against 结转下年度继续办理 of the same column in the year before."""
    labels = pd.DataFrame([(c.code, c.label) for c in schema.applicant_columns()], columns=["column_code", "label"])
    source.con.register("dq_applicant_labels", labels)
    try:
        return source.frame(
            f"""
            SELECT pairs.report_id, 'application[carried_over, ' || now.column_code || ']' AS location,
                   l.label || '列' AS label, pairs.previous_id, pairs.year,
                   before.value::DOUBLE AS expected, now.value::DOUBLE AS observed
            FROM ({_PREVIOUS}) pairs
            JOIN report_cells now ON now.report_id = pairs.report_id AND now.table_code = 'application'
                 AND now.row_code = 'carried_over'
            JOIN report_cells before ON before.report_id = pairs.previous_id AND before.table_code = 'application'
                 AND before.row_code = 'carried_forward' AND before.column_code = now.column_code
            JOIN dq_applicant_labels l ON l.column_code = now.column_code
            WHERE now.value IS NOT NULL AND before.value IS NOT NULL
            ORDER BY 1, 2
            """
        )
    finally:
        source.con.unregister("dq_applicant_labels")


def in_force_rows(source: Source) -> pd.DataFrame:
    """现行有效件数 (gen2021 规章, 行政规范性文件) against last year's plus 本年制发 minus 本年废止."""
    return source.frame(
        f"""
        WITH cell AS (SELECT report_id, row_code, column_code, value FROM report_cells
                      WHERE table_code = 'proactive' AND row_code IN ('art20_1.rules', 'art20_1.normative_docs'))
        SELECT pairs.report_id, 'proactive[' || now.row_code || ', in_force]' AS location,
               CASE now.row_code WHEN 'art20_1.rules' THEN '规章' ELSE '行政规范性文件' END AS label,
               pairs.previous_id, pairs.year, before.value::DOUBLE AS in_force_before,
               issued.value::DOUBLE AS issued, repealed.value::DOUBLE AS repealed,
               (before.value + issued.value - repealed.value)::DOUBLE AS expected, now.value::DOUBLE AS observed
        FROM ({_PREVIOUS}) pairs
        JOIN cell now ON now.report_id = pairs.report_id AND now.column_code = 'in_force'
        JOIN cell issued ON issued.report_id = pairs.report_id AND issued.row_code = now.row_code AND issued.column_code = 'issued'
        JOIN cell repealed ON repealed.report_id = pairs.report_id AND repealed.row_code = now.row_code
             AND repealed.column_code = 'repealed'
        JOIN cell before ON before.report_id = pairs.previous_id AND before.row_code = now.row_code
             AND before.column_code = 'in_force'
        WHERE now.value IS NOT NULL AND issued.value IS NOT NULL AND repealed.value IS NOT NULL AND before.value IS NOT NULL
        ORDER BY 1, 2
        """
    )


def _shingles(text: str) -> set[str]:
    """The text's 5-character pieces, whitespace dropped and every year (19xx/20xx) made alike, so that a
    text copied with only its years changed is the same set."""
    text = re.sub(r"(?:19|20)\d\d", "#", re.sub(r"\s+", "", text))
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def copied_rows(source: Source) -> pd.DataFrame:
    """Each report against its agency's report of the year before: how alike their texts are."""
    texts = source.frame(
        f"""
        WITH pairs AS ({_PREVIOUS})
        SELECT pairs.report_id, pairs.previous_id, pairs.year,
               (SELECT string_agg(text, '' ORDER BY page) FROM report_pages p WHERE p.report_id = pairs.report_id) AS text,
               (SELECT string_agg(text, '' ORDER BY page) FROM report_pages p WHERE p.report_id = pairs.previous_id) AS previous_text
        FROM pairs ORDER BY 1
        """
    )
    rows = []
    for pair in texts.itertuples():
        if len(pair.text or "") < MIN_TEXT or len(pair.previous_text or "") < MIN_TEXT:
            continue
        now, before = _shingles(pair.text), _shingles(pair.previous_text)
        similarity = round(len(now & before) / len(now | before), 3)
        rows.append((pair.report_id, "text", "全文", pair.previous_id, pair.year, SAME_TEXT, similarity))
    return pd.DataFrame(rows, columns=["report_id", "location", "label", "previous_id", "year", "expected", "observed"])


# Two agencies' texts this alike, once the template's words and the county's shared boilerplate are left out,
# are one text (内容雷同): lower than SAME_TEXT, as they differ at least by the agency's name and figures.
SAME_TEXT_BETWEEN_AGENCIES = 0.8
MIN_OWN_SHINGLES = 100  # a text with fewer shingles of its own (after the template is left out) is not compared
SHARED_BY = 0.5  # a shingle found in this share of a county-year's reports (3 or more) is the county's boilerplate


@cache
def _template_shingles() -> frozenset[str]:
    """The 5-character pieces of the template's own words: every label of nianbao/report_tables.yaml and the
    section headings, which every report prints."""
    words: list[str] = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
                        "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"]

    def walk(node: object) -> None:
        if isinstance(node, str):
            words.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema.raw())
    return frozenset(piece for word in words for piece in _shingles(word))


def _own_shingles(text: str) -> set[str]:
    """A text's shingles without the template's, every figure made alike (tables of zeros are not text)."""
    return {piece for piece in _shingles(re.sub(r"\d+(?:\.\d+)?", "0", text)) if piece not in _template_shingles()}


def copied_between_agencies_rows(source: Source) -> pd.DataFrame:
    """Each report against the other agencies' reports of its county and year: its highest similarity, once
    the template's words and the county's shared boilerplate are left out, and the report it is that alike."""
    texts = source.frame(
        f"""
        WITH scoped AS (SELECT DISTINCT r.province, r.county, r.year FROM reports r JOIN {SCOPE} USING (report_id)
                        WHERE r.agency_id IS NOT NULL AND r.year IS NOT NULL)
        SELECT r.report_id, r.province, r.county, r.year, r.agency_id, r.report_id IN (SELECT report_id FROM {SCOPE}) AS judged,
               (SELECT string_agg(text, '' ORDER BY page) FROM report_pages p WHERE p.report_id = r.report_id) AS text
        FROM latest_reports r JOIN scoped USING (province, county, year)
        ORDER BY r.report_id
        """
    )
    rows = []
    for _, group in texts.groupby(["province", "county", "year"]):
        own = {r.report_id: _own_shingles(r.text if isinstance(r.text, str) else "") for r in group.itertuples()}
        if len(group) >= 3:
            counts: dict[str, int] = {}
            for pieces in own.values():
                for piece in pieces:
                    counts[piece] = counts.get(piece, 0) + 1
            shared = {piece for piece, n in counts.items() if n >= SHARED_BY * len(group)}
            own = {rid: pieces - shared for rid, pieces in own.items()}
        for r in group[group.judged].itertuples():
            if len(own[r.report_id]) < MIN_OWN_SHINGLES:
                continue
            best, twin = 0.0, None
            for other in group.itertuples():
                if other.agency_id == r.agency_id or len(own[other.report_id]) < MIN_OWN_SHINGLES:
                    continue
                a, b = own[r.report_id], own[other.report_id]
                similarity = round(len(a & b) / len(a | b), 3)
                if similarity > best:
                    best, twin = similarity, other.report_id
            if twin is not None:
                rows.append((r.report_id, "text", "全文", twin, int(r.year), SAME_TEXT_BETWEEN_AGENCIES, best))
    return pd.DataFrame(rows, columns=["report_id", "location", "label", "twin_id", "year", "expected", "observed"])


def _day(d: date, due: date) -> str:
    return f"{d.month}月{d.day}日" if d.year == due.year else f"{d.year}年{d.month}月{d.day}日"


def publication_rows(source: Source) -> pd.DataFrame:
    """Days between the deadline of the report's agency level (reports.agency_level) and year
    (nianbao.deadlines) and the day the report went out."""
    settings = source.rules.deadlines
    reports = source.frame(
        f"""SELECT report_id, province, city, county, agency_level, year, published_date, written_date
            FROM reports JOIN {SCOPE} USING (report_id)
            WHERE year IS NOT NULL AND (published_date IS NOT NULL OR written_date IS NOT NULL) ORDER BY report_id"""
    )
    rows = []
    for r in reports.itertuples():
        published = None if pd.isna(r.published_date) else pd.Timestamp(r.published_date).date()
        written = None if pd.isna(r.written_date) else pd.Timestamp(r.written_date).date()
        if published is None or (written is not None and published - written > MIGRATION_GAP):
            used, which = written, "成文日期"
        else:
            used, which = published, "发布日期"
        level = r.agency_level if isinstance(r.agency_level, str) else None
        due = deadlines.publication_deadline(level, int(r.year), settings, (r.county, r.city, r.province))
        late = float((used - due.due).days)
        # a page date over a year past the deadline, with no signed date to weigh it against, is more often a
        # site migration's re-posting (谢塘镇 2013: 公开日期 2015-07-27, the day the whole column was moved)
        reposted = written is None and used - due.due > MIGRATION_GAP
        rows.append((r.report_id, "reports[published_date]", which, int(r.year), due.rule, due.due.isoformat(),
                     _day(used, due.due), 0.0, None if reposted else late, late if reposted else None))
    return pd.DataFrame(
        rows, columns=["report_id", "location", "label", "year", "rule", "deadline", "date", "expected", "observed",
                       "reposted_late"]
    )


def agency_rows(source: Source) -> pd.DataFrame:
    """Each report's agency id: without one (no name in the title, the heading or the page) the report
    cannot be compared with its agency's other years."""
    return source.frame(
        f"""SELECT report_id, 'reports[agency_id]' AS location, '发布机关' AS label, agency_id, title
            FROM reports JOIN {SCOPE} USING (report_id) ORDER BY report_id"""
    )


FAMILIES = (
    Family(
        "agency_known",
        agency_rows,
        (
            Check(
                "agency_known",
                "warning",
                lambda: gxe.ExpectColumnValuesToNotBeNull(column="agency_id"),
                "未识别发布机关：标题“{title}”、正文和网页均未写明机关名称，该报告无法与本机关其他年度的报告核对（结转衔接、内容雷同）",
                expected_field=None,
                observed_field=None,
            ),
        ),
    ),
    Family(
        "carry_over_chain",
        carry_over_rows,
        (equal("carry_over_chain", "error",
               "跨年度结转不符：{label} 上年结转为 {observed}，上一年度报告（{previous_id}）结转下年度继续办理为 {expected}（差 {imbalance}）"),),
    ),
    Family(
        "in_force_chain",
        in_force_rows,
        (equal("in_force_chain", "warning",
               "现行有效件数不连续：{label} 为 {observed}，上年 {in_force_before} + 本年制发 {issued} − 本年废止 {repealed} = {expected}"),),
    ),
    Family(
        "copied_report",
        copied_rows,
        (at_most("copied_report", "warning",
                 "内容雷同：除年份外，正文与上一年度报告（{previous_id}）的相似度为 {observed}（阈值 {expected}）"),),
    ),
    Family(
        "copied_between_agencies",
        copied_between_agencies_rows,
        (at_most("copied_between_agencies", "warning",
                 "内容雷同：除模板文字外，正文与同县同年度另一机关的报告（{twin_id}）的相似度为 {observed}（阈值 {expected}）"),),
    ),
    Family(
        "published_on_time",
        publication_rows,
        (
            Check(
                "published_on_time",
                "error",
                lambda: gxe.ExpectColumnValuesToBeBetween(column="observed", max_value=0),
                "未按时发布：{rule}，实际 {date}公布（{label}），逾期 {observed} 天",
            ),
            Check(
                "published_on_time",
                "warning",
                lambda: gxe.ExpectColumnValuesToBeBetween(column="reposted_late", max_value=0),
                "发布日期存疑：{rule}，网页所示 {date}（{label}）晚 {reposted_late} 天，超过一年且报告未写成文日期，"
                "多为网站迁移后重新发布的日期；请核实原始发布日期",
                observed_field="reposted_late",
            ),
        ),
    ),
)
