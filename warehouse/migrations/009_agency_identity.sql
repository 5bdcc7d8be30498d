-- 009 agency identity and level: each report's agency as one stable id per county (whatever form of the
-- name a year's report uses, renames declared in config followed) and its level, which decides its
-- publication deadline (nianbao/agencies.py, nianbao/deadlines.py). Both are (re)computed from the name
-- and config/pipeline.yaml on every run (warehouse.load.assign_agencies), so a config change applies to
-- every report at the next run. latest_reports groups a report's versions by agency_id.

ALTER TABLE reports ADD COLUMN agency_id VARCHAR;
ALTER TABLE reports ADD COLUMN agency_level VARCHAR;
COMMENT ON COLUMN reports.agency_id IS '机关编号：省/县/规范化的机关名称（去掉省市县前缀、简称写全、按配置的更名合并），同一机关各年度相同；无机关名称为空';
COMMENT ON COLUMN reports.agency_level IS '机关层级（决定公布时限）：government 本级政府（3月31日）| department 部门（1月31日）| township 乡镇、街道（按地方规定，默认1月31日）；无机关名称为空';

CREATE OR REPLACE VIEW latest_reports AS
SELECT report_id, portal_id, province, city, county, agency, agency_id, agency_level, year, generation, title,
       heading, detail_url, document_url, document_sha256, media_type, index_no, published_date, written_date,
       title_year, period_year, status, error, page_count, extractor_version, first_seen_at, last_seen_at,
       first_seen_run, last_seen_run, versions
FROM (
    SELECT r.*,
           row_number() OVER version_group AS version_rank,
           count(*) OVER (PARTITION BY province, county, agency_id, year,
                          CASE WHEN agency_id IS NULL OR year IS NULL THEN report_id END) AS versions
    FROM reports r
    WINDOW version_group AS (
        PARTITION BY province, county, agency_id, year, CASE WHEN agency_id IS NULL OR year IS NULL THEN report_id END
        ORDER BY coalesce(published_date, written_date) DESC NULLS LAST, first_seen_at DESC, report_id
    )
)
WHERE version_rank = 1;
COMMENT ON VIEW latest_reports IS '最新版本报告：每个机关（agency_id）每个年度只取最新发布的一个版本（其余列同 reports）';
COMMENT ON COLUMN latest_reports.versions IS '该机关该年度共发现的报告版本数';
