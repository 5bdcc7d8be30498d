-- 007 scanned reports read by OCR (extractors/tables_scan.py): the engine that read a report, and for every
-- cell read from a scan the engine's confidence and where on the page picture the cell is, so that a finding
-- resting on an unsure cell can send a person to look at that very spot instead of accusing the agency.

ALTER TABLE reports ADD COLUMN ocr_engine VARCHAR;
COMMENT ON COLUMN reports.ocr_engine IS '文字识别引擎（扫描件经文字识别读取时，如 rapidocr 3.10.0 (PP-OCRv6 small)）；有文字层的文件为空';
COMMENT ON COLUMN reports.status IS '抽取状态：parsed 已解析 | parsed_ocr 扫描件经文字识别解析（见 ocr_engine，单元格带识别置信度） | no_tables 无统计表 | needs_ocr 需要文字识别（未识别：文字识别已关闭或失败） | corrupt 文件损坏 | timeout 超时 | unsupported 格式不支持';

ALTER TABLE report_cells ADD COLUMN confidence DOUBLE;
ALTER TABLE report_cells ADD COLUMN ocr_region VARCHAR;
COMMENT ON COLUMN report_cells.confidence IS '文字识别置信度（0–1）：扫描件单元格由识别引擎给出，低于 rules.ocr_confident_at 的单元格所涉核对结果降为“需人工核对”的警告；有文字层的文件为空';
COMMENT ON COLUMN report_cells.ocr_region IS '单元格在扫描页图像上的位置（页码、像素坐标及分辨率），供人工核对；有文字层的文件为空';

-- a report read by OCR is read: not counted among those not parsed
CREATE OR REPLACE VIEW county_year_summary AS
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
       count(*) FILTER (WHERE l.status NOT IN ('parsed', 'parsed_ocr')) AS not_parsed
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
COMMENT ON COLUMN county_year_summary.not_parsed IS '未能解析统计表的报告数（需要文字识别、文件损坏、无统计表等；经文字识别解析的扫描件不计）';
