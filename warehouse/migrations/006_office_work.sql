-- 006 the office's work: who must publish (expected_agencies), findings without a report (not_published),
-- the office's decisions on findings (finding_decisions, with their history) and the views the office reads.
--
-- Decisions are written first to the decisions journal (data/decisions/finding_decisions.jsonl, see
-- warehouse/triage.py) and copied into finding_decisions by every build, so a warehouse rebuilt from
-- nothing still holds them; a finding's status follows its latest decision while its figures are unchanged.

-- ---------------------------------------------------------------- findings without a report

ALTER TABLE dq_findings ALTER COLUMN report_id DROP NOT NULL;
ALTER TABLE dq_findings ADD COLUMN province VARCHAR;
ALTER TABLE dq_findings ADD COLUMN city VARCHAR;
ALTER TABLE dq_findings ADD COLUMN county VARCHAR;
ALTER TABLE dq_findings ADD COLUMN agency VARCHAR;
ALTER TABLE dq_findings ADD COLUMN agency_id VARCHAR;
ALTER TABLE dq_findings ADD COLUMN year INTEGER;
COMMENT ON COLUMN dq_findings.report_id IS '报告编号（无报告的问题为空，如 not_published 应报未报）';
COMMENT ON COLUMN dq_findings.province IS '无报告的问题所指的省（有报告的问题为空，见 reports）';
COMMENT ON COLUMN dq_findings.city IS '无报告的问题所指的市（有报告的问题为空，见 reports）';
COMMENT ON COLUMN dq_findings.county IS '无报告的问题所指的县（有报告的问题为空，见 reports）';
COMMENT ON COLUMN dq_findings.agency IS '无报告的问题所指的机关（有报告的问题为空，见 reports）';
COMMENT ON COLUMN dq_findings.agency_id IS '无报告的问题所指的机关编号（同 reports.agency_id；有报告的问题为空）';
COMMENT ON COLUMN dq_findings.year IS '无报告的问题所指的报告年度（有报告的问题为空，见 reports）';
COMMENT ON COLUMN dq_findings.rule_code IS '规则代码（如 row_total 行合计、stated_identity 表内恒等式、carry_over_chain 结转衔接、published_on_time 按时发布、not_published 应报未报）';
COMMENT ON COLUMN dq_findings.status IS '状态：open 待核实 | confirmed 已确认（需整改） | waived 已豁免（核实后不属问题） | resolved 已解决（之后对同一报告的校验不再发现）';

COMMENT ON COLUMN runs.stage IS '运行所处（或结束时所处）的阶段：crawl 抓取 | extract 抽取 | load 入库 | validate 校验 | publish 发布 | alerts 发送提醒 | office_pages 写入记分卡网站和整改通知';

-- ---------------------------------------------------------------- the registry of who must publish

CREATE TABLE expected_agencies (
    agency_id  VARCHAR PRIMARY KEY,
    province   VARCHAR NOT NULL,
    city       VARCHAR NOT NULL,
    county     VARCHAR NOT NULL,
    agency     VARCHAR NOT NULL,
    level      VARCHAR NOT NULL,
    first_year INTEGER NOT NULL,
    last_year  INTEGER,
    source     VARCHAR NOT NULL,
    note       VARCHAR
);
COMMENT ON TABLE expected_agencies IS '应发布机关名录：每个县每年应发布年度报告的机关（办公室维护的 config/expected_agencies.csv，加上以往年度发布过报告、名录中没有的机关）；每次运行重新生成';
COMMENT ON COLUMN expected_agencies.agency_id IS '机关编号（同 reports.agency_id：同一机关各种写法、更名前后为同一编号）';
COMMENT ON COLUMN expected_agencies.province IS '省（自治区、直辖市）';
COMMENT ON COLUMN expected_agencies.city IS '市（地区、州、盟）';
COMMENT ON COLUMN expected_agencies.county IS '县（市、区、旗）';
COMMENT ON COLUMN expected_agencies.agency IS '机关名称（名录所写，或最近一份报告所用的名称）';
COMMENT ON COLUMN expected_agencies.level IS '机关层级（决定发布期限）：government 本级政府 | department 政府部门 | township 乡镇（街道）';
COMMENT ON COLUMN expected_agencies.first_year IS '应发布的第一个报告年度（设立年份，或首次发现其报告的年度）';
COMMENT ON COLUMN expected_agencies.last_year IS '应发布的最后一个报告年度（撤销、合并前的最后一年；空为仍存在）';
COMMENT ON COLUMN expected_agencies.source IS '来源：office 办公室名录 | seen 以往年度发布过报告（名录中没有）';
COMMENT ON COLUMN expected_agencies.note IS '备注（如撤并、更名说明）';

-- ---------------------------------------------------------------- the office's decisions

CREATE TABLE finding_decisions (
    decision_id VARCHAR PRIMARY KEY,
    finding_id  VARCHAR NOT NULL,
    decision    VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    decided_by  VARCHAR NOT NULL,
    decided_at  TIMESTAMP NOT NULL,
    expected    DECIMAL(18, 4),
    observed    DECIMAL(18, 4),
    run_id      VARCHAR,
    supersedes  VARCHAR
);
COMMENT ON TABLE finding_decisions IS '问题处理记录：办公室对每个问题的确认、豁免，以及因报告数字变化而重新打开的记录；只追加，不修改';
COMMENT ON COLUMN finding_decisions.decision_id IS '记录编号';
COMMENT ON COLUMN finding_decisions.finding_id IS '问题编号（dq_findings.finding_id）';
COMMENT ON COLUMN finding_decisions.decision IS '处理：confirmed 确认（需整改） | waived 豁免（核实后不属问题） | reopened 重新打开（报告中的数字已变，原处理不再适用）';
COMMENT ON COLUMN finding_decisions.reason IS '理由';
COMMENT ON COLUMN finding_decisions.decided_by IS '处理人（reopened 为 nianbao）';
COMMENT ON COLUMN finding_decisions.decided_at IS '处理时间';
COMMENT ON COLUMN finding_decisions.expected IS '处理时问题的应有数值';
COMMENT ON COLUMN finding_decisions.observed IS '处理时报告中的数值';
COMMENT ON COLUMN finding_decisions.run_id IS '重新打开该问题的运行编号（办公室的处理为空）';
COMMENT ON COLUMN finding_decisions.supersedes IS 'reopened 记录所针对的办公室处理的记录编号（不再适用的确认或豁免）';
