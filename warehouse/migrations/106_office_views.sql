-- 106 the views of the office's work (tables in 006): after 009, whose agency ids they count by.

-- ---------------------------------------------------------------- views

-- Every finding with what it is about (its report's, or its own for a finding without a report), its age and
-- the office's latest decision on it: what `nianbao findings` lists.
CREATE VIEW findings_overview AS
WITH latest_decision AS (
    SELECT finding_id, decision, reason, decided_by, decided_at
    FROM finding_decisions
    QUALIFY row_number() OVER (PARTITION BY finding_id ORDER BY decided_at DESC, decision_id DESC) = 1
)
SELECT f.finding_id,
       f.status,
       f.rule_code,
       f.severity,
       coalesce(r.province, f.province) AS province,
       coalesce(r.city, f.city) AS city,
       coalesce(r.county, f.county) AS county,
       coalesce(r.agency, f.agency) AS agency,
       coalesce(r.year, f.year) AS year,
       f.report_id,
       r.title,
       r.document_url,
       r.detail_url,
       f.location,
       f.expected,
       f.observed,
       f.imbalance,
       f.message,
       first_run.started_at AS first_seen_at,
       date_diff('day', first_run.started_at, current_localtimestamp()) AS age_days,
       f.first_seen_run,
       f.last_seen_run,
       d.decision AS last_decision,
       d.reason AS decision_reason,
       d.decided_by,
       d.decided_at
FROM dq_findings f
LEFT JOIN reports r USING (report_id)
LEFT JOIN runs first_run ON first_run.run_id = f.first_seen_run
LEFT JOIN latest_decision d USING (finding_id);
COMMENT ON VIEW findings_overview IS '问题一览：每个问题及其所属县、机关、年度（有报告的取自报告），发现天数和办公室最近一次处理';
COMMENT ON COLUMN findings_overview.finding_id IS '问题编号';
COMMENT ON COLUMN findings_overview.status IS '状态：open 待核实 | confirmed 已确认 | waived 已豁免 | resolved 已解决';
COMMENT ON COLUMN findings_overview.rule_code IS '规则代码';
COMMENT ON COLUMN findings_overview.severity IS '严重程度：error 错误 | warning 警告';
COMMENT ON COLUMN findings_overview.province IS '省（自治区、直辖市）';
COMMENT ON COLUMN findings_overview.city IS '市（地区、州、盟）';
COMMENT ON COLUMN findings_overview.county IS '县（市、区、旗）';
COMMENT ON COLUMN findings_overview.agency IS '机关';
COMMENT ON COLUMN findings_overview.year IS '报告年度';
COMMENT ON COLUMN findings_overview.report_id IS '报告编号（应报未报为空）';
COMMENT ON COLUMN findings_overview.title IS '报告标题';
COMMENT ON COLUMN findings_overview.document_url IS '报告文件网址';
COMMENT ON COLUMN findings_overview.detail_url IS '详情页网址';
COMMENT ON COLUMN findings_overview.location IS '位置';
COMMENT ON COLUMN findings_overview.expected IS '按规则应有的数值';
COMMENT ON COLUMN findings_overview.observed IS '报告中的数值';
COMMENT ON COLUMN findings_overview.imbalance IS '差额';
COMMENT ON COLUMN findings_overview.message IS '问题说明';
COMMENT ON COLUMN findings_overview.first_seen_at IS '首次发现时间';
COMMENT ON COLUMN findings_overview.age_days IS '首次发现至今的天数';
COMMENT ON COLUMN findings_overview.first_seen_run IS '首次发现的运行编号';
COMMENT ON COLUMN findings_overview.last_seen_run IS '最近一次发现的运行编号';
COMMENT ON COLUMN findings_overview.last_decision IS '最近一次处理：confirmed | waived | reopened（无处理为空）';
COMMENT ON COLUMN findings_overview.decision_reason IS '最近一次处理的理由';
COMMENT ON COLUMN findings_overview.decided_by IS '最近一次处理的处理人';
COMMENT ON COLUMN findings_overview.decided_at IS '最近一次处理的时间';

-- Per county and year: who was expected, who published (on time or late), who is missing, whose report
-- reconciles. Counted on the latest version of each agency's report; a finding counts while it is open or
-- confirmed (a waived one was judged no problem).
CREATE OR REPLACE VIEW county_year_summary AS
WITH county_agencies AS (
    SELECT province, city, county, count(DISTINCT agency_id) AS agencies_known
    FROM reports GROUP BY province, city, county
),
unresolved AS (
    SELECT report_id,
           bool_or(severity = 'error') AS has_error,
           bool_or(rule_code = 'published_on_time') AS late
    FROM dq_findings WHERE status IN ('open', 'confirmed') AND report_id IS NOT NULL GROUP BY report_id
),
found AS (
    SELECT l.province, l.city, l.county, l.year,
           count(DISTINCT l.agency_id) AS agencies_found,
           count(*) AS reports_found,
           count(*) FILTER (WHERE NOT coalesce(u.late, false)) AS on_time,
           count(*) FILTER (WHERE u.late) AS late,
           count(*) FILTER (WHERE l.status LIKE 'parsed%' AND NOT coalesce(u.has_error, false)) AS reconciled,
           count(*) FILTER (WHERE u.has_error) AS flagged,
           count(*) FILTER (WHERE l.status NOT LIKE 'parsed%') AS not_parsed
    FROM latest_reports l LEFT JOIN unresolved u USING (report_id)
    WHERE l.year IS NOT NULL
    GROUP BY ALL
),
missing AS (
    SELECT province, city, county, year, count(*) AS missing
    FROM dq_findings WHERE rule_code = 'not_published' AND status IN ('open', 'confirmed')
    GROUP BY ALL
),
expected AS (
    SELECT e.province, e.city, e.county, y.year, count(*) AS expected
    FROM expected_agencies e
    JOIN (SELECT DISTINCT year FROM found UNION SELECT DISTINCT year FROM missing) y
      ON y.year >= e.first_year AND (e.last_year IS NULL OR y.year <= e.last_year)
    GROUP BY ALL
),
places AS (  -- a year whose only missing report was waived still has its row
    SELECT province, city, county, year FROM found
    UNION SELECT province, city, county, year FROM dq_findings WHERE rule_code = 'not_published' AND status <> 'resolved'
)
SELECT p.province,
       p.city,
       p.county,
       p.year,
       coalesce(a.agencies_known, 0) AS agencies_known,
       coalesce(e.expected, 0) AS expected,
       coalesce(f.agencies_found, 0) AS agencies_found,
       coalesce(f.reports_found, 0) AS reports_found,
       coalesce(f.on_time, 0) AS on_time,
       coalesce(f.late, 0) AS late,
       coalesce(m.missing, 0) AS missing,
       coalesce(f.reconciled, 0) AS reconciled,
       coalesce(f.flagged, 0) AS flagged,
       coalesce(f.not_parsed, 0) AS not_parsed
FROM places p
LEFT JOIN county_agencies a USING (province, city, county)
LEFT JOIN expected e USING (province, city, county, year)
LEFT JOIN found f USING (province, city, county, year)
LEFT JOIN missing m USING (province, city, county, year)
ORDER BY p.province, p.city, p.county, p.year;
COMMENT ON VIEW county_year_summary IS '县年度汇总：每个县每个年度应发布、已发布（按时、逾期）、应报未报的机关数，勾稽相符和有错误的报告数（按最新版本报告统计；已豁免的问题不计）';
COMMENT ON COLUMN county_year_summary.province IS '省（自治区、直辖市）';
COMMENT ON COLUMN county_year_summary.city IS '市（地区、州、盟）';
COMMENT ON COLUMN county_year_summary.county IS '县（市、区、旗）';
COMMENT ON COLUMN county_year_summary.year IS '报告年度';
COMMENT ON COLUMN county_year_summary.agencies_known IS '任一年度在该县发布过报告的机关数';
COMMENT ON COLUMN county_year_summary.expected IS '本年度应发布的机关数（应发布机关名录 expected_agencies）';
COMMENT ON COLUMN county_year_summary.agencies_found IS '本年度找到报告的机关数';
COMMENT ON COLUMN county_year_summary.reports_found IS '本年度找到的报告数（每个机关取最新版本）';
COMMENT ON COLUMN county_year_summary.on_time IS '按时发布的报告数（无未解决的 published_on_time 问题）';
COMMENT ON COLUMN county_year_summary.late IS '未按时发布的报告数（有待核实或已确认的 published_on_time 问题）';
COMMENT ON COLUMN county_year_summary.missing IS '应报未报的机关数（期限已过仍未发现报告，有待核实或已确认的 not_published 问题）';
COMMENT ON COLUMN county_year_summary.reconciled IS '统计表已解析且无未解决错误的报告数';
COMMENT ON COLUMN county_year_summary.flagged IS '有待核实或已确认错误（error）的报告数';
COMMENT ON COLUMN county_year_summary.not_parsed IS '未能解析统计表的报告数（需要文字识别、文件损坏、无统计表等）';
