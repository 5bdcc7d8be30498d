-- 010 the alert outbox (every email the office must get, with its delivery status), what each email said
-- about which finding, the rule and table titles as code tables, and views with Chinese names and Chinese
-- column names for Excel and SQL users.

-- ---------------------------------------------------------------- code tables (filled from nianbao/ on every build)

CREATE TABLE dq_rules (
    rule_code   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    explanation VARCHAR NOT NULL
);
COMMENT ON TABLE dq_rules IS '校验规则：每个规则代码的中文名称和说明（取自 nianbao/rules.yaml）';
COMMENT ON COLUMN dq_rules.rule_code IS '规则代码';
COMMENT ON COLUMN dq_rules.name IS '规则名称';
COMMENT ON COLUMN dq_rules.explanation IS '规则说明';

CREATE TABLE code_tables (
    table_code VARCHAR PRIMARY KEY,
    title      VARCHAR NOT NULL
);
COMMENT ON TABLE code_tables IS '表格代码表：统计表代码及报告中印刷的表名';
COMMENT ON COLUMN code_tables.table_code IS '表格代码';
COMMENT ON COLUMN code_tables.title IS '报告中印刷的表名';

-- ---------------------------------------------------------------- the outbox

-- A message is queued in the same build that found what it reports, so it is published with the findings
-- or not at all; it stays pending (and is sent again by every later run) until the SMTP server accepts it.
CREATE TABLE alert_outbox (
    message_id      VARCHAR PRIMARY KEY,
    run_id          VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    county          VARCHAR,
    recipients      VARCHAR[] NOT NULL,
    subject         VARCHAR NOT NULL,
    message         BLOB NOT NULL,
    status          VARCHAR NOT NULL,
    attempts        INTEGER NOT NULL,
    queued_at       TIMESTAMP NOT NULL,
    last_attempt_at TIMESTAMP,
    last_error      VARCHAR,
    sent_at         TIMESTAMP,
    sent_run        VARCHAR
);
COMMENT ON TABLE alert_outbox IS '提醒邮件发件箱：每封应发出的邮件一行及其发送状态；未发出的邮件由之后的每次运行重发，直到发出';
COMMENT ON COLUMN alert_outbox.message_id IS '邮件编号（邮件头 Message-ID，重发时不变）';
COMMENT ON COLUMN alert_outbox.run_id IS '生成该邮件的运行编号';
COMMENT ON COLUMN alert_outbox.kind IS '邮件类型：county 县区提醒 | province 全省汇总 | warnings 每周警告汇总';
COMMENT ON COLUMN alert_outbox.county IS '县（市、区、旗）；全省邮件为空';
COMMENT ON COLUMN alert_outbox.recipients IS '收件人';
COMMENT ON COLUMN alert_outbox.subject IS '邮件主题';
COMMENT ON COLUMN alert_outbox.message IS '完整邮件（RFC 5322 格式，重发时原样发送）';
COMMENT ON COLUMN alert_outbox.status IS '发送状态：pending 待发送 | sent 已发送';
COMMENT ON COLUMN alert_outbox.attempts IS '已尝试发送次数';
COMMENT ON COLUMN alert_outbox.queued_at IS '生成时间';
COMMENT ON COLUMN alert_outbox.last_attempt_at IS '最近一次尝试发送的时间';
COMMENT ON COLUMN alert_outbox.last_error IS '最近一次发送失败的原因';
COMMENT ON COLUMN alert_outbox.sent_at IS '发出时间（邮件服务器接收的时间）';
COMMENT ON COLUMN alert_outbox.sent_run IS '发出该邮件的运行编号';

CREATE TABLE alert_mentions (
    message_id VARCHAR NOT NULL,
    finding_id VARCHAR NOT NULL,
    reason     VARCHAR NOT NULL,
    opened_run VARCHAR NOT NULL,
    PRIMARY KEY (message_id, finding_id, reason)
);
COMMENT ON TABLE alert_mentions IS '邮件提及的问题：哪封邮件以什么理由提到了哪个问题（用于不重复提醒、到期再提醒、整改后告知）';
COMMENT ON COLUMN alert_mentions.message_id IS '邮件编号';
COMMENT ON COLUMN alert_mentions.finding_id IS '问题编号';
COMMENT ON COLUMN alert_mentions.reason IS '提及理由：new 新发现 | recall 仍未整改再次提醒 | resolved 已整改 | warning 警告汇总';
COMMENT ON COLUMN alert_mentions.opened_run IS '所提及问题本次出现的运行编号（dq_findings.opened_run）';

-- ---------------------------------------------------------------- Chinese views (中文列名)

CREATE VIEW 报告 AS
SELECT r.report_id AS 报告编号, r.province AS 省, r.city AS 市, r.county AS 县区, r.agency AS 发布机关,
       r.year AS 报告年度, r.title AS 标题, r.generation AS 统计表格式, r.status AS 抽取状态,
       r.published_date AS 发布日期, r.written_date AS 成文日期, r.page_count AS 页数, r.versions AS 版本数,
       r.detail_url AS 详情页网址, r.document_url AS 报告文件网址
FROM latest_reports r;
COMMENT ON VIEW 报告 IS '报告（中文列名）：每个机关每个年度的最新版本报告';
COMMENT ON COLUMN 报告.报告编号 IS '对应 report_id';
COMMENT ON COLUMN 报告.省 IS '对应 province';
COMMENT ON COLUMN 报告.市 IS '对应 city';
COMMENT ON COLUMN 报告.县区 IS '对应 county';
COMMENT ON COLUMN 报告.发布机关 IS '对应 agency';
COMMENT ON COLUMN 报告.报告年度 IS '对应 year';
COMMENT ON COLUMN 报告.标题 IS 'title：栏目中列出的标题';
COMMENT ON COLUMN 报告.统计表格式 IS 'generation：legacy 2019年以前统计表 | gen2019 | gen2021';
COMMENT ON COLUMN 报告.抽取状态 IS 'status：parsed 已解析 | no_tables 无统计表 | needs_ocr 需要文字识别 | corrupt 文件损坏 | timeout 超时 | unsupported 格式不支持';
COMMENT ON COLUMN 报告.发布日期 IS '对应 published_date';
COMMENT ON COLUMN 报告.成文日期 IS '对应 written_date';
COMMENT ON COLUMN 报告.页数 IS '对应 page_count';
COMMENT ON COLUMN 报告.版本数 IS 'versions：该机关该年度共发现的报告版本数';
COMMENT ON COLUMN 报告.详情页网址 IS '对应 detail_url';
COMMENT ON COLUMN 报告.报告文件网址 IS '对应 document_url';

CREATE VIEW 统计表数值 AS
SELECT c.report_id AS 报告编号, r.county AS 县区, r.agency AS 发布机关, r.year AS 报告年度,
       coalesce(t.title, c.table_code) AS 表格, coalesce(cr.label, c.row_code) AS 行,
       coalesce(cc.label, c.column_code) AS 列, c.value AS 数值, c.raw_text AS 单元格原文, c.page AS 页码
FROM report_cells c
JOIN reports r USING (report_id)
LEFT JOIN code_tables t ON t.table_code = c.table_code
LEFT JOIN code_rows cr
  ON cr.generation = r.generation AND cr.table_code = c.table_code AND cr.row_code = c.row_code
LEFT JOIN code_columns cc
  ON cc.generation = r.generation AND cc.table_code = c.table_code AND cc.block = cr.block
 AND cc.column_code = c.column_code;
COMMENT ON VIEW 统计表数值 IS '统计表数值（中文列名）：每个单元格一行，表名、行名、列名为报告中印刷的名称';
COMMENT ON COLUMN 统计表数值.报告编号 IS '对应 report_id';
COMMENT ON COLUMN 统计表数值.县区 IS '对应 county';
COMMENT ON COLUMN 统计表数值.发布机关 IS '对应 agency';
COMMENT ON COLUMN 统计表数值.报告年度 IS '对应 year';
COMMENT ON COLUMN 统计表数值.表格 IS 'table_code 的印刷表名';
COMMENT ON COLUMN 统计表数值.行 IS 'row_code 的印刷行名';
COMMENT ON COLUMN 统计表数值.列 IS 'column_code 的印刷列名';
COMMENT ON COLUMN 统计表数值.数值 IS 'value：空白、“/”、“—”、“无”为空值（缺失，不是 0）';
COMMENT ON COLUMN 统计表数值.单元格原文 IS '对应 raw_text';
COMMENT ON COLUMN 统计表数值.页码 IS '对应 page';

CREATE VIEW 数据质量问题 AS
SELECT f.finding_id AS 问题编号, r.county AS 县区, r.agency AS 发布机关, r.year AS 报告年度, r.title AS 报告标题,
       coalesce(q.name, f.rule_code) AS 规则, q.explanation AS 规则说明,
       CASE f.severity WHEN 'error' THEN '错误' WHEN 'warning' THEN '警告' ELSE f.severity END AS 严重程度,
       f.location AS 位置, f.expected AS 应为, f.observed AS 报告数值, f.imbalance AS 差额, f.message AS 问题说明,
       CASE f.status WHEN 'open' THEN '未解决' WHEN 'resolved' THEN '已解决' ELSE f.status END AS 状态,
       f.first_seen_run AS 首次发现运行, f.resolved_run AS 解决运行, r.document_url AS 报告文件网址
FROM dq_findings f
JOIN reports r USING (report_id)
LEFT JOIN dq_rules q USING (rule_code);
COMMENT ON VIEW 数据质量问题 IS '数据质量问题（中文列名）：规则名称和说明为中文';
COMMENT ON COLUMN 数据质量问题.问题编号 IS '对应 finding_id';
COMMENT ON COLUMN 数据质量问题.县区 IS '对应 county';
COMMENT ON COLUMN 数据质量问题.发布机关 IS '对应 agency';
COMMENT ON COLUMN 数据质量问题.报告年度 IS '对应 year';
COMMENT ON COLUMN 数据质量问题.报告标题 IS '对应 title';
COMMENT ON COLUMN 数据质量问题.规则 IS 'rule_code 的中文名称（dq_rules）';
COMMENT ON COLUMN 数据质量问题.规则说明 IS '对应 dq_rules.explanation';
COMMENT ON COLUMN 数据质量问题.严重程度 IS 'severity：错误 error | 警告 warning';
COMMENT ON COLUMN 数据质量问题.位置 IS '对应 location';
COMMENT ON COLUMN 数据质量问题.应为 IS 'expected：按规则应有的数值';
COMMENT ON COLUMN 数据质量问题.报告数值 IS 'observed：报告中印刷的数值';
COMMENT ON COLUMN 数据质量问题.差额 IS 'imbalance：报告数值减应有数值';
COMMENT ON COLUMN 数据质量问题.问题说明 IS '对应 message';
COMMENT ON COLUMN 数据质量问题.状态 IS 'status：未解决 open | 已解决 resolved';
COMMENT ON COLUMN 数据质量问题.首次发现运行 IS '对应 first_seen_run';
COMMENT ON COLUMN 数据质量问题.解决运行 IS '对应 resolved_run';
COMMENT ON COLUMN 数据质量问题.报告文件网址 IS '对应 document_url';

CREATE VIEW 门户健康 AS
SELECT h.run_id AS 运行编号, r.started_at AS 运行时间, p.county AS 县区, h.portal_id AS 门户编号,
       h.problem AS 问题类型, h.url AS 网址, h.detail AS 说明
FROM portal_health h
JOIN runs r USING (run_id)
JOIN portals p USING (portal_id);
COMMENT ON VIEW 门户健康 IS '门户健康问题（中文列名）';
COMMENT ON COLUMN 门户健康.运行编号 IS '对应 run_id';
COMMENT ON COLUMN 门户健康.运行时间 IS '对应 runs.started_at';
COMMENT ON COLUMN 门户健康.县区 IS '对应 county';
COMMENT ON COLUMN 门户健康.门户编号 IS '对应 portal_id';
COMMENT ON COLUMN 门户健康.问题类型 IS 'problem：unreachable 无法访问 | column_empty 栏目为空 | pages_failed 页面抓取失败';
COMMENT ON COLUMN 门户健康.网址 IS '对应 url';
COMMENT ON COLUMN 门户健康.说明 IS '对应 detail';

CREATE VIEW 运行记录 AS
SELECT run_id AS 运行编号, started_at AS 开始时间, finished_at AS 结束时间, status AS 运行状态, error AS 错误信息
FROM runs;
COMMENT ON VIEW 运行记录 IS '运行记录（中文列名）';
COMMENT ON COLUMN 运行记录.运行编号 IS '对应 run_id';
COMMENT ON COLUMN 运行记录.开始时间 IS '对应 started_at';
COMMENT ON COLUMN 运行记录.结束时间 IS '对应 finished_at';
COMMENT ON COLUMN 运行记录.运行状态 IS 'status：succeeded 成功 | succeeded_with_undelivered_alerts 成功但有提醒邮件未送达 | failed 失败';
COMMENT ON COLUMN 运行记录.错误信息 IS '对应 error';

CREATE VIEW 提醒邮件 AS
SELECT message_id AS 邮件编号, run_id AS 运行编号,
       CASE kind WHEN 'county' THEN '县区提醒' WHEN 'province' THEN '全省汇总' WHEN 'warnings' THEN '每周警告汇总'
            ELSE kind END AS 类型,
       county AS 县区, array_to_string(recipients, ', ') AS 收件人, subject AS 主题,
       CASE status WHEN 'sent' THEN '已发送' WHEN 'pending' THEN '待发送' ELSE status END AS 发送状态,
       attempts AS 尝试次数, last_error AS 最近错误, queued_at AS 生成时间, sent_at AS 发出时间
FROM alert_outbox;
COMMENT ON VIEW 提醒邮件 IS '提醒邮件（中文列名）：发件箱中的每封邮件及其发送状态';
COMMENT ON COLUMN 提醒邮件.邮件编号 IS '对应 message_id';
COMMENT ON COLUMN 提醒邮件.运行编号 IS '对应 run_id';
COMMENT ON COLUMN 提醒邮件.类型 IS '对应 kind';
COMMENT ON COLUMN 提醒邮件.县区 IS '对应 county';
COMMENT ON COLUMN 提醒邮件.收件人 IS '对应 recipients';
COMMENT ON COLUMN 提醒邮件.主题 IS '对应 subject';
COMMENT ON COLUMN 提醒邮件.发送状态 IS 'status：已发送 sent | 待发送 pending';
COMMENT ON COLUMN 提醒邮件.尝试次数 IS '对应 attempts';
COMMENT ON COLUMN 提醒邮件.最近错误 IS '对应 last_error';
COMMENT ON COLUMN 提醒邮件.生成时间 IS '对应 queued_at';
COMMENT ON COLUMN 提醒邮件.发出时间 IS '对应 sent_at';

