-- The ten questions a disclosure office asks first, as SQL on the nianbao warehouse.
--
-- Open the warehouse read-only with a DuckDB CLI 1.1 or later (`pip install duckdb-cli` gives 1.5):
--     duckdb -readonly data/warehouse/nianbao.duckdb
-- or run one query with `nianbao sql "..."`. Tables and columns: docs/data-dictionary.md.
-- "This year" below is the newest report year in the warehouse; replace it with a literal (e.g. 2024) to ask
-- about another year. Every query here runs in tests/warehouse/test_docs.py, and in DuckDB 1.5 in
-- tests/warehouse/test_duckdb_clients.py.

-- name: agencies_not_published_this_year
-- 今年尚未发布年度报告的机关：以前年度在本县发布过报告，今年（最新报告年度）没有找到报告。
WITH this_year AS (SELECT max(year) AS year FROM reports)
SELECT r.province, r.city, r.county, r.agency, max(r.year) AS last_year_published
FROM reports r, this_year t
WHERE r.agency IS NOT NULL
GROUP BY r.province, r.city, r.county, r.agency, t.year
HAVING max(r.year) < t.year
ORDER BY r.province, r.city, r.county, r.agency;

-- name: reports_failing_rules
-- 哪些报告违反了哪些规则：未解决的问题，错误在前，给出位置、应有值、报告值、差额和原文链接。
SELECT r.county, r.agency, r.year, f.rule_code, f.severity, f.location, f.expected, f.observed, f.imbalance,
       f.message, f.first_seen_run, r.document_url
FROM dq_findings f
JOIN reports r USING (report_id)
WHERE f.status = 'open'
ORDER BY f.severity = 'error' DESC, r.county, r.agency, r.year, f.rule_code, f.location;

-- name: application_trends_by_county
-- 各县历年收到的政府信息公开申请数（本年新收申请“总计”列，每个机关取最新版本报告）。
SELECT l.province, l.city, l.county, l.year, count(*) AS reports, sum(c.value) AS new_applications
FROM latest_reports l
JOIN report_cells c
  ON c.report_id = l.report_id AND c.table_code = 'application' AND c.row_code = 'new_received'
 AND c.column_code = 'total'
GROUP BY l.province, l.city, l.county, l.year
ORDER BY l.province, l.city, l.county, l.year;

-- name: reports_not_on_time
-- 未按时发布的报告（按 published_on_time 规则：部门次年1月31日、本级政府3月31日，2018年及以前年度3月31日；乡镇可按地区配置）。
SELECT r.county, r.agency, r.agency_level, r.year, r.published_date, r.written_date, f.message, r.detail_url
FROM dq_findings f
JOIN reports r USING (report_id)
WHERE f.rule_code = 'published_on_time' AND f.status = 'open'
ORDER BY r.year DESC, r.county, r.agency;

-- name: biggest_imbalances
-- 差额最大的勾稽关系错误（未解决）。
SELECT r.county, r.agency, r.year, f.rule_code, f.location, f.expected, f.observed, f.imbalance, r.document_url
FROM dq_findings f
JOIN reports r USING (report_id)
WHERE f.status = 'open' AND f.severity = 'error' AND f.imbalance IS NOT NULL
ORDER BY abs(f.imbalance) DESC, r.county, r.agency
LIMIT 20;

-- name: carry_over_chain_breaks
-- 结转衔接断裂：某年“上年结转”总计不等于同一机关上一年度报告的“结转下年度继续办理”总计。
WITH totals AS (
    SELECT l.province, l.county, l.agency, l.year, l.report_id,
           max(c.value) FILTER (WHERE c.row_code = 'carried_over') AS carried_over,
           max(c.value) FILTER (WHERE c.row_code = 'carried_forward') AS carried_forward
    FROM latest_reports l
    JOIN report_cells c ON c.report_id = l.report_id AND c.table_code = 'application' AND c.column_code = 'total'
    GROUP BY l.province, l.county, l.agency, l.year, l.report_id
)
SELECT cur.county, cur.agency, cur.year, cur.carried_over AS carried_over_this_year,
       prev.carried_forward AS carried_forward_last_year, cur.carried_over - prev.carried_forward AS imbalance
FROM totals cur
JOIN totals prev
  ON prev.province = cur.province AND prev.county = cur.county AND prev.agency = cur.agency
 AND prev.year = cur.year - 1
WHERE cur.carried_over IS DISTINCT FROM prev.carried_forward
ORDER BY cur.county, cur.agency, cur.year;

-- name: reports_needing_attention_to_be_read
-- 需要人工处理的报告：扫描件需要文字识别、文件损坏、超时、格式不支持、找不到统计表。
SELECT r.status, r.county, r.agency, r.year, r.media_type, r.page_count, r.error, r.document_url
FROM latest_reports r
WHERE r.status NOT IN ('parsed', 'parsed_ocr')
ORDER BY r.status, r.county, r.agency, r.year;

-- name: portals_with_health_problems
-- 出过问题的门户：无法访问、栏目突然为空、页面抓取失败；按最近一次出问题的时间排列。
SELECT p.county, h.portal_id, h.problem, count(DISTINCT h.run_id) AS runs_with_problem,
       max(r.started_at) AS last_seen, arg_max(h.detail, r.started_at) AS last_detail, p.column_url
FROM portal_health h
JOIN runs r USING (run_id)
JOIN portals p USING (portal_id)
GROUP BY p.county, h.portal_id, h.problem, p.column_url
ORDER BY last_seen DESC, p.county, h.problem;

-- name: application_table_of_one_report
-- 一份报告的“收到和处理政府信息公开申请情况”表，按印刷格式排列（改机关名称和年度即可查看其他报告）。
-- The report is chosen first into a variable: compared with a subquery, application_wide would be built for
-- every report before the filter (24 s at 60,000 reports instead of 0.5 s; bench/national.py).
SET VARIABLE report = (
    SELECT report_id FROM latest_reports
    WHERE agency LIKE '%城关镇%' AND generation IS NOT NULL
    ORDER BY year DESC LIMIT 1
);
SELECT row_no, row_label, natural_person, commercial, research, public_interest, legal_services, other_org, total
FROM application_wide
WHERE report_id = getvariable('report')
ORDER BY row_no;

-- name: narrative_differs_from_table
-- 正文数字与统计表不一致：报告文字中陈述的数量（收到申请、予以公开、办结、行政处罚决定……）与统计表中同一数量
-- 不同（规则 text_matches_table；“收到申请”与本年新收或本年新收加上年结转之一相符即不算不一致）。
SELECT r.county, r.agency, r.year, f.location, f.observed AS stated_in_text, f.expected AS in_table, f.message
FROM dq_findings f
JOIN reports r USING (report_id)
WHERE f.rule_code = 'text_matches_table' AND f.status = 'open'
ORDER BY r.county, r.agency, r.year, f.location;
