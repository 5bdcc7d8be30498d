-- 002 convenience views that analysts ask for first.

-- The newest version of each agency's report on each year: a corrected re-publication replaces the
-- first one. A report without agency or year cannot be grouped and stands alone.
CREATE VIEW latest_reports AS
SELECT report_id, portal_id, province, city, county, agency, year, generation, title, heading, detail_url,
       document_url, document_sha256, media_type, index_no, published_date, written_date, title_year,
       period_year, status, error, page_count, extractor_version, first_seen_at, last_seen_at, first_seen_run,
       last_seen_run, versions
FROM (
    SELECT r.*,
           row_number() OVER version_group AS version_rank,
           count(*) OVER (PARTITION BY province, county, agency, year,
                          CASE WHEN agency IS NULL OR year IS NULL THEN report_id END) AS versions
    FROM reports r
    WINDOW version_group AS (
        PARTITION BY province, county, agency, year, CASE WHEN agency IS NULL OR year IS NULL THEN report_id END
        ORDER BY coalesce(published_date, written_date) DESC NULLS LAST, first_seen_at DESC, report_id
    )
)
WHERE version_rank = 1;
COMMENT ON VIEW latest_reports IS '最新版本报告：每个机关每个年度只取最新发布的一个版本（其余列同 reports）';
COMMENT ON COLUMN latest_reports.versions IS '该机关该年度共发现的报告版本数';

-- One report's application table laid out like the printed form: the rows of its generation in printed
-- order (and any other row the report has cells for), one column per applicant column.
CREATE VIEW application_wide AS
WITH report_rows AS (
    SELECT r.report_id, c.row_code
    FROM reports r
    JOIN code_rows c ON c.table_code = 'application' AND c.generation = r.generation
    UNION
    SELECT report_id, row_code FROM report_cells WHERE table_code = 'application'
),
row_labels AS (
    SELECT row_code, min(position) AS position, min(label) AS label
    FROM code_rows WHERE table_code = 'application' GROUP BY row_code
)
SELECT rr.report_id,
       r.county,
       r.agency,
       r.year,
       r.generation,
       row_number() OVER (PARTITION BY rr.report_id ORDER BY coalesce(l.position, 1000), rr.row_code) AS row_no,
       rr.row_code,
       l.label AS row_label,
       max(v.value) FILTER (WHERE v.column_code = 'natural_person') AS natural_person,
       max(v.value) FILTER (WHERE v.column_code = 'commercial') AS commercial,
       max(v.value) FILTER (WHERE v.column_code = 'research') AS research,
       max(v.value) FILTER (WHERE v.column_code = 'public_interest') AS public_interest,
       max(v.value) FILTER (WHERE v.column_code = 'legal_services') AS legal_services,
       max(v.value) FILTER (WHERE v.column_code = 'other_org') AS other_org,
       max(v.value) FILTER (WHERE v.column_code = 'total') AS total
FROM report_rows rr
JOIN reports r USING (report_id)
LEFT JOIN row_labels l USING (row_code)
LEFT JOIN report_cells v ON v.report_id = rr.report_id AND v.table_code = 'application' AND v.row_code = rr.row_code
GROUP BY rr.report_id, r.county, r.agency, r.year, r.generation, rr.row_code, l.position, l.label
ORDER BY rr.report_id, row_no;
COMMENT ON VIEW application_wide IS '申请情况宽表：一份报告的“收到和处理政府信息公开申请情况”表，按印刷格式每行一行、每类申请人一列';
COMMENT ON COLUMN application_wide.report_id IS '报告编号';
COMMENT ON COLUMN application_wide.county IS '县（市、区、旗）';
COMMENT ON COLUMN application_wide.agency IS '发布机关';
COMMENT ON COLUMN application_wide.year IS '报告年度';
COMMENT ON COLUMN application_wide.generation IS '统计表格式：gen2019 | gen2021';
COMMENT ON COLUMN application_wide.row_no IS '行序号（印刷顺序）';
COMMENT ON COLUMN application_wide.row_code IS '行代码';
COMMENT ON COLUMN application_wide.row_label IS '表中印刷的行名称';
COMMENT ON COLUMN application_wide.natural_person IS '自然人';
COMMENT ON COLUMN application_wide.commercial IS '法人或其他组织：商业企业';
COMMENT ON COLUMN application_wide.research IS '法人或其他组织：科研机构';
COMMENT ON COLUMN application_wide.public_interest IS '法人或其他组织：社会公益组织';
COMMENT ON COLUMN application_wide.legal_services IS '法人或其他组织：法律服务机构';
COMMENT ON COLUMN application_wide.other_org IS '法人或其他组织：其他';
COMMENT ON COLUMN application_wide.total IS '总计';

-- Per county and year: agencies and reports found, on time, flagged. An agency is expected in a county
-- once it has published a report there for any year; on time and late follow the published_on_time rule.
CREATE VIEW county_year_summary AS
WITH county_agencies AS (
    SELECT province, city, county, count(DISTINCT agency) AS agencies_known
    FROM reports GROUP BY province, city, county
),
open_findings AS (
    SELECT report_id,
           bool_or(severity = 'error') AS has_error,
           bool_or(rule_code = 'published_on_time') AS late
    FROM dq_findings WHERE status = 'open' GROUP BY report_id
)
SELECT l.province,
       l.city,
       l.county,
       l.year,
       any_value(a.agencies_known) AS agencies_known,
       count(DISTINCT l.agency) AS agencies_found,
       count(*) AS reports_found,
       count(*) FILTER (WHERE NOT coalesce(f.late, false)) AS on_time,
       count(*) FILTER (WHERE f.late) AS late,
       count(*) FILTER (WHERE f.has_error) AS flagged,
       count(*) FILTER (WHERE l.status <> 'parsed') AS not_parsed
FROM latest_reports l
JOIN county_agencies a USING (province, city, county)
LEFT JOIN open_findings f USING (report_id)
WHERE l.year IS NOT NULL
GROUP BY l.province, l.city, l.county, l.year
ORDER BY l.province, l.city, l.county, l.year;
COMMENT ON VIEW county_year_summary IS '县年度汇总：每个县每个年度找到的机关和报告数、按时发布数、有错误的报告数（按最新版本报告统计）';
COMMENT ON COLUMN county_year_summary.province IS '省（自治区、直辖市）';
COMMENT ON COLUMN county_year_summary.city IS '市（地区、州、盟）';
COMMENT ON COLUMN county_year_summary.county IS '县（市、区、旗）';
COMMENT ON COLUMN county_year_summary.year IS '报告年度';
COMMENT ON COLUMN county_year_summary.agencies_known IS '应发布机关数：任一年度在该县发布过报告的机关数';
COMMENT ON COLUMN county_year_summary.agencies_found IS '本年度找到报告的机关数';
COMMENT ON COLUMN county_year_summary.reports_found IS '本年度找到的报告数（每个机关取最新版本）';
COMMENT ON COLUMN county_year_summary.on_time IS '按时发布的报告数（无未解决的 published_on_time 问题）';
COMMENT ON COLUMN county_year_summary.late IS '未按时发布的报告数（有未解决的 published_on_time 问题）';
COMMENT ON COLUMN county_year_summary.flagged IS '有未解决错误（error）的报告数';
COMMENT ON COLUMN county_year_summary.not_parsed IS '未能解析统计表的报告数（需要文字识别、文件损坏、无统计表等）';
