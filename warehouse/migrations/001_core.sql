-- 001 core tables: runs, what each run fetched from each portal, the reports found, their extracted
-- contents and the data-quality findings on them. Every column carries its Chinese meaning as a comment:
-- docs/data-dictionary.md is generated from these comments (python -m warehouse.dictionary).

-- ---------------------------------------------------------------- runs and portals

CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR NOT NULL,
    params      JSON,
    counts      JSON,
    error       VARCHAR
);
COMMENT ON TABLE runs IS '运行记录：每次抓取—抽取—入库—校验的批处理运行一行';
COMMENT ON COLUMN runs.run_id IS '运行编号';
COMMENT ON COLUMN runs.started_at IS '开始时间';
COMMENT ON COLUMN runs.finished_at IS '结束时间（未结束为空）';
COMMENT ON COLUMN runs.status IS '运行状态：running 运行中 | succeeded 成功 | failed 失败';
COMMENT ON COLUMN runs.params IS '运行参数（JSON）';
COMMENT ON COLUMN runs.counts IS '运行计数（JSON，如抓取数、报告数、发现问题数）';
COMMENT ON COLUMN runs.error IS '运行失败时的错误信息';

CREATE TABLE portals (
    portal_id  VARCHAR PRIMARY KEY,
    province   VARCHAR NOT NULL,
    city       VARCHAR NOT NULL,
    county     VARCHAR NOT NULL,
    column_url VARCHAR NOT NULL,
    cms        VARCHAR
);
COMMENT ON TABLE portals IS '门户网站：登记在 config/portals.yaml 中、列出年度报告的县级政府网站栏目（最近一次运行时的登记信息）';
COMMENT ON COLUMN portals.portal_id IS '门户编号';
COMMENT ON COLUMN portals.province IS '省（自治区、直辖市）';
COMMENT ON COLUMN portals.city IS '市（地区、州、盟）';
COMMENT ON COLUMN portals.county IS '县（市、区、旗）';
COMMENT ON COLUMN portals.column_url IS '年度报告栏目网址';
COMMENT ON COLUMN portals.cms IS '网站内容管理系统类型：auto 自动识别 | trs 拓尔思 | hanweb 大汉 | generic 通用';

CREATE TABLE portal_runs (
    run_id          VARCHAR NOT NULL,
    portal_id       VARCHAR NOT NULL,
    reached         BOOLEAN NOT NULL,
    items_listed    INTEGER NOT NULL,
    reports_found   INTEGER NOT NULL,
    skipped         INTEGER NOT NULL,
    failed          INTEGER NOT NULL,
    health_problems INTEGER NOT NULL,
    PRIMARY KEY (run_id, portal_id)
);
COMMENT ON TABLE portal_runs IS '门户抓取情况：每次运行每个门户一行，用于查看门户健康状况的历史';
COMMENT ON COLUMN portal_runs.run_id IS '运行编号';
COMMENT ON COLUMN portal_runs.portal_id IS '门户编号';
COMMENT ON COLUMN portal_runs.reached IS '是否访问到栏目（无“无法访问”问题）';
COMMENT ON COLUMN portal_runs.items_listed IS '栏目列表页列出的条目数（无论是否为年度报告）';
COMMENT ON COLUMN portal_runs.reports_found IS '找到的年度报告数';
COMMENT ON COLUMN portal_runs.skipped IS '跳过的非年度报告条目数（公开指南、制度、通知等）';
COMMENT ON COLUMN portal_runs.failed IS '失败的网络请求数';
COMMENT ON COLUMN portal_runs.health_problems IS '健康问题数（明细见 portal_health）';

CREATE TABLE portal_health (
    run_id    VARCHAR NOT NULL,
    portal_id VARCHAR NOT NULL,
    seq       INTEGER NOT NULL,
    url       VARCHAR NOT NULL,
    problem   VARCHAR NOT NULL,
    detail    VARCHAR,
    PRIMARY KEY (run_id, portal_id, seq)
);
COMMENT ON TABLE portal_health IS '门户健康问题：网站无法访问、栏目突然为空、页面抓取失败';
COMMENT ON COLUMN portal_health.run_id IS '运行编号';
COMMENT ON COLUMN portal_health.portal_id IS '门户编号';
COMMENT ON COLUMN portal_health.seq IS '本次运行该门户内的序号';
COMMENT ON COLUMN portal_health.url IS '出问题的网址';
COMMENT ON COLUMN portal_health.problem IS '问题类型：unreachable 无法访问 | column_empty 栏目为空 | pages_failed 页面抓取失败';
COMMENT ON COLUMN portal_health.detail IS '问题说明';

CREATE TABLE fetches (
    run_id        VARCHAR NOT NULL,
    portal_id     VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,
    url           VARCHAR NOT NULL,
    purpose       VARCHAR NOT NULL,
    outcome       VARCHAR NOT NULL,
    status        INTEGER,
    bytes         BIGINT NOT NULL,
    etag          VARCHAR,
    last_modified VARCHAR,
    sha256        VARCHAR,
    error         VARCHAR,
    fetched_at    TIMESTAMP,
    elapsed_ms    DOUBLE,
    PRIMARY KEY (run_id, portal_id, seq)
);
COMMENT ON TABLE fetches IS '网络请求记录：每次运行抓取的每个网址一行';
COMMENT ON COLUMN fetches.run_id IS '运行编号';
COMMENT ON COLUMN fetches.portal_id IS '门户编号';
COMMENT ON COLUMN fetches.seq IS '本次运行该门户内的请求序号';
COMMENT ON COLUMN fetches.url IS '请求的网址';
COMMENT ON COLUMN fetches.purpose IS '用途：robots 爬虫协议 | list 栏目列表页 | detail 详情页 | document 附件';
COMMENT ON COLUMN fetches.outcome IS '结果：downloaded 已下载 | not_modified 未变化(304) | failed 失败 | disallowed 爬虫协议禁止 | too_large 文件过大';
COMMENT ON COLUMN fetches.status IS 'HTTP 状态码';
COMMENT ON COLUMN fetches.bytes IS '下载字节数';
COMMENT ON COLUMN fetches.etag IS '服务器返回的 ETag';
COMMENT ON COLUMN fetches.last_modified IS '服务器返回的 Last-Modified';
COMMENT ON COLUMN fetches.sha256 IS '内容的 SHA-256 摘要';
COMMENT ON COLUMN fetches.error IS '失败原因';
COMMENT ON COLUMN fetches.fetched_at IS '请求时间';
COMMENT ON COLUMN fetches.elapsed_ms IS '耗时（毫秒）';

CREATE TABLE skipped_items (
    run_id    VARCHAR NOT NULL,
    portal_id VARCHAR NOT NULL,
    seq       INTEGER NOT NULL,
    url       VARCHAR NOT NULL,
    title     VARCHAR,
    reason    VARCHAR NOT NULL,
    PRIMARY KEY (run_id, portal_id, seq)
);
COMMENT ON TABLE skipped_items IS '跳过的条目：栏目中列出但不是年度报告的条目（公开指南、制度、通知等）';
COMMENT ON COLUMN skipped_items.run_id IS '运行编号';
COMMENT ON COLUMN skipped_items.portal_id IS '门户编号';
COMMENT ON COLUMN skipped_items.seq IS '本次运行该门户内的序号';
COMMENT ON COLUMN skipped_items.url IS '条目网址';
COMMENT ON COLUMN skipped_items.title IS '条目标题';
COMMENT ON COLUMN skipped_items.reason IS '跳过原因';

-- ---------------------------------------------------------------- reports and their contents

CREATE TABLE reports (
    report_id         VARCHAR PRIMARY KEY,
    portal_id         VARCHAR NOT NULL,
    province          VARCHAR NOT NULL,
    city              VARCHAR NOT NULL,
    county            VARCHAR NOT NULL,
    agency            VARCHAR,
    year              INTEGER,
    generation        VARCHAR,
    title             VARCHAR NOT NULL,
    heading           VARCHAR,
    detail_url        VARCHAR NOT NULL,
    document_url      VARCHAR NOT NULL,
    document_sha256   VARCHAR NOT NULL,
    media_type        VARCHAR NOT NULL,
    index_no          VARCHAR,
    published_date    DATE,
    written_date      DATE,
    title_year        INTEGER,
    period_year       INTEGER,
    status            VARCHAR NOT NULL,
    error             VARCHAR,
    page_count        INTEGER,
    extractor_version VARCHAR NOT NULL,
    first_seen_at     TIMESTAMP NOT NULL,
    last_seen_at      TIMESTAMP NOT NULL,
    first_seen_run    VARCHAR NOT NULL,
    last_seen_run     VARCHAR NOT NULL
);
COMMENT ON TABLE reports IS '年度报告：每个报告版本（一份文件的字节内容）一行；同一文件挂在两个页面下仍是一份报告';
COMMENT ON COLUMN reports.report_id IS '报告编号（文件 SHA-256 的前 16 位十六进制）';
COMMENT ON COLUMN reports.portal_id IS '门户编号（最近一次发现该报告的门户）';
COMMENT ON COLUMN reports.province IS '省（自治区、直辖市）';
COMMENT ON COLUMN reports.city IS '市（地区、州、盟）';
COMMENT ON COLUMN reports.county IS '县（市、区、旗）';
COMMENT ON COLUMN reports.agency IS '发布机关（网页“发布机构”，无则取报告正文中的机关名称）';
COMMENT ON COLUMN reports.year IS '报告年度（标题中的年份，无则取统计期限的年份）';
COMMENT ON COLUMN reports.generation IS '统计表格式：legacy 2019年以前统计表 | gen2019 2019版模板 | gen2021 2021版模板';
COMMENT ON COLUMN reports.title IS '栏目中列出的标题';
COMMENT ON COLUMN reports.heading IS '报告正文的标题';
COMMENT ON COLUMN reports.detail_url IS '详情页网址（最近一次发现）';
COMMENT ON COLUMN reports.document_url IS '报告文件网址（附件网址；正文即报告时同详情页网址）';
COMMENT ON COLUMN reports.document_sha256 IS '报告文件的 SHA-256 摘要';
COMMENT ON COLUMN reports.media_type IS '文件类型：pdf | docx | doc | wps | xls | html';
COMMENT ON COLUMN reports.index_no IS '索引号';
COMMENT ON COLUMN reports.published_date IS '发布日期';
COMMENT ON COLUMN reports.written_date IS '成文日期（网页所列，无则取报告落款日期）';
COMMENT ON COLUMN reports.title_year IS '标题中的年份';
COMMENT ON COLUMN reports.period_year IS '统计期限中的年份';
COMMENT ON COLUMN reports.status IS '抽取状态：parsed 已解析 | no_tables 无统计表 | needs_ocr 需要文字识别 | corrupt 文件损坏 | timeout 超时 | unsupported 格式不支持';
COMMENT ON COLUMN reports.error IS '抽取失败原因';
COMMENT ON COLUMN reports.page_count IS '页数';
COMMENT ON COLUMN reports.extractor_version IS '抽取程序版本';
COMMENT ON COLUMN reports.first_seen_at IS '首次发现时间（该次运行的开始时间）';
COMMENT ON COLUMN reports.last_seen_at IS '最近一次发现时间（该次运行的开始时间）';
COMMENT ON COLUMN reports.first_seen_run IS '首次发现的运行编号';
COMMENT ON COLUMN reports.last_seen_run IS '最近一次发现的运行编号';

CREATE TABLE report_urls (
    report_id      VARCHAR NOT NULL,
    detail_url     VARCHAR NOT NULL,
    document_url   VARCHAR NOT NULL,
    portal_id      VARCHAR NOT NULL,
    first_seen_run VARCHAR NOT NULL,
    last_seen_run  VARCHAR NOT NULL,
    PRIMARY KEY (report_id, detail_url, document_url)
);
COMMENT ON TABLE report_urls IS '报告网址：报告在门户上出现过的每个位置（同一文件可挂在多个详情页下）';
COMMENT ON COLUMN report_urls.report_id IS '报告编号';
COMMENT ON COLUMN report_urls.detail_url IS '详情页网址';
COMMENT ON COLUMN report_urls.document_url IS '报告文件网址';
COMMENT ON COLUMN report_urls.portal_id IS '门户编号';
COMMENT ON COLUMN report_urls.first_seen_run IS '首次发现的运行编号';
COMMENT ON COLUMN report_urls.last_seen_run IS '最近一次发现的运行编号';

CREATE TABLE report_pages (
    report_id VARCHAR NOT NULL,
    page      INTEGER NOT NULL,
    text      VARCHAR NOT NULL,
    PRIMARY KEY (report_id, page)
);
COMMENT ON TABLE report_pages IS '报告全文：每页一行（HTML、DOCX 报告为一页），供全文检索和内容雷同比对';
COMMENT ON COLUMN report_pages.report_id IS '报告编号';
COMMENT ON COLUMN report_pages.page IS '页码（从 1 开始）';
COMMENT ON COLUMN report_pages.text IS '该页文字';

CREATE TABLE report_cells (
    report_id   VARCHAR NOT NULL,
    table_code  VARCHAR NOT NULL,
    row_code    VARCHAR NOT NULL,
    column_code VARCHAR NOT NULL,
    value       DECIMAL(18, 4),
    raw_text    VARCHAR NOT NULL,
    page        INTEGER,
    PRIMARY KEY (report_id, table_code, row_code, column_code)
);
COMMENT ON TABLE report_cells IS '统计表单元格：按 nianbao/report_tables.yaml 的代码记录的每个数字（代码说明见 code_rows、code_columns）';
COMMENT ON COLUMN report_cells.report_id IS '报告编号';
COMMENT ON COLUMN report_cells.table_code IS '表格代码：application 收到和处理政府信息公开申请情况 | review_litigation 行政复议、行政诉讼情况 | proactive 主动公开政府信息情况 | legacy 2019年以前统计表';
COMMENT ON COLUMN report_cells.row_code IS '行代码（如 new_received 本年新收申请数量）';
COMMENT ON COLUMN report_cells.column_code IS '列代码（如 natural_person 自然人、total 总计）';
COMMENT ON COLUMN report_cells.value IS '数值；空白、“/”、“—”、“无”为空值（缺失，不是 0）';
COMMENT ON COLUMN report_cells.raw_text IS '单元格原文';
COMMENT ON COLUMN report_cells.page IS '所在页码';

CREATE TABLE narrative_figures (
    report_id     VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,
    quantity_code VARCHAR NOT NULL,
    value         DECIMAL(18, 4) NOT NULL,
    sentence      VARCHAR NOT NULL,
    page          INTEGER,
    PRIMARY KEY (report_id, seq)
);
COMMENT ON TABLE narrative_figures IS '正文数字：报告文字中陈述的数量（如“收到申请3件”），供与统计表核对';
COMMENT ON COLUMN narrative_figures.report_id IS '报告编号';
COMMENT ON COLUMN narrative_figures.seq IS '在报告中的先后序号';
COMMENT ON COLUMN narrative_figures.quantity_code IS '数量代码（如 new_received 本年新收申请数量、proactive.total 主动公开政府信息数）';
COMMENT ON COLUMN narrative_figures.value IS '数值';
COMMENT ON COLUMN narrative_figures.sentence IS '所在句子';
COMMENT ON COLUMN narrative_figures.page IS '所在页码';

-- ---------------------------------------------------------------- data quality

CREATE TABLE dq_findings (
    finding_id     VARCHAR PRIMARY KEY,
    report_id      VARCHAR NOT NULL,
    rule_code      VARCHAR NOT NULL,
    severity       VARCHAR NOT NULL,
    location       VARCHAR NOT NULL,
    expected       DECIMAL(18, 4),
    observed       DECIMAL(18, 4),
    imbalance      DECIMAL(18, 4),
    message        VARCHAR NOT NULL,
    first_seen_run VARCHAR NOT NULL,
    last_seen_run  VARCHAR NOT NULL,
    opened_run     VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,
    resolved_run   VARCHAR
);
COMMENT ON TABLE dq_findings IS '数据质量问题：校验规则（勾稽关系等）发现的每个问题一行，跨运行保持同一编号';
COMMENT ON COLUMN dq_findings.finding_id IS '问题编号（由报告编号、规则代码、位置决定，次日再次发现仍是同一问题）';
COMMENT ON COLUMN dq_findings.report_id IS '报告编号';
COMMENT ON COLUMN dq_findings.rule_code IS '规则代码（如 row_total 行合计、stated_identity 表内恒等式、carry_over_chain 结转衔接、published_on_time 按时发布）';
COMMENT ON COLUMN dq_findings.severity IS '严重程度：error 错误 | warning 警告';
COMMENT ON COLUMN dq_findings.location IS '位置（如 application[granted, total] 表示申请表“予以公开”行“总计”列）';
COMMENT ON COLUMN dq_findings.expected IS '按规则应有的数值';
COMMENT ON COLUMN dq_findings.observed IS '报告中的数值';
COMMENT ON COLUMN dq_findings.imbalance IS '差额（报告数值减应有数值）';
COMMENT ON COLUMN dq_findings.message IS '问题说明';
COMMENT ON COLUMN dq_findings.first_seen_run IS '首次发现的运行编号';
COMMENT ON COLUMN dq_findings.last_seen_run IS '最近一次发现的运行编号';
COMMENT ON COLUMN dq_findings.opened_run IS '本次（重新）出现的运行编号：已解决的问题再次出现时更新';
COMMENT ON COLUMN dq_findings.status IS '状态：open 未解决 | resolved 已解决（之后对同一报告的校验不再发现）';
COMMENT ON COLUMN dq_findings.resolved_run IS '确认解决的运行编号';

-- ---------------------------------------------------------------- the codes of nianbao/report_tables.yaml
-- Filled from the contract by warehouse.migrate on every build, so labels follow the contract.

CREATE TABLE code_rows (
    generation VARCHAR NOT NULL,
    table_code VARCHAR NOT NULL,
    block      VARCHAR NOT NULL,
    row_code   VARCHAR NOT NULL,
    position   INTEGER NOT NULL,
    label      VARCHAR NOT NULL,
    unit       VARCHAR,
    PRIMARY KEY (generation, table_code, row_code)
);
COMMENT ON TABLE code_rows IS '行代码表：各格式统计表的行，按印刷顺序（取自 nianbao/report_tables.yaml）';
COMMENT ON COLUMN code_rows.generation IS '统计表格式：legacy | gen2019 | gen2021';
COMMENT ON COLUMN code_rows.table_code IS '表格代码';
COMMENT ON COLUMN code_rows.block IS '所属分块（主动公开表为第二十条的项，如 art20_1；其他表同表格代码）';
COMMENT ON COLUMN code_rows.row_code IS '行代码';
COMMENT ON COLUMN code_rows.position IS '印刷顺序（从 1 开始）';
COMMENT ON COLUMN code_rows.label IS '表中印刷的行名称';
COMMENT ON COLUMN code_rows.unit IS '计量单位（仅 2019年以前统计表）';

CREATE TABLE code_columns (
    generation  VARCHAR NOT NULL,
    table_code  VARCHAR NOT NULL,
    block       VARCHAR NOT NULL,
    column_code VARCHAR NOT NULL,
    position    INTEGER NOT NULL,
    label       VARCHAR NOT NULL,
    PRIMARY KEY (generation, table_code, block, column_code)
);
COMMENT ON TABLE code_columns IS '列代码表：各格式统计表的列，按印刷顺序（取自 nianbao/report_tables.yaml）';
COMMENT ON COLUMN code_columns.generation IS '统计表格式：legacy | gen2019 | gen2021';
COMMENT ON COLUMN code_columns.table_code IS '表格代码';
COMMENT ON COLUMN code_columns.block IS '所属分块（同 code_rows.block）';
COMMENT ON COLUMN code_columns.column_code IS '列代码';
COMMENT ON COLUMN code_columns.position IS '印刷顺序（从 1 开始）';
COMMENT ON COLUMN code_columns.label IS '表中印刷的列名称';
