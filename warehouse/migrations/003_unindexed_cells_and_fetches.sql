-- 003 report_cells and fetches without a PRIMARY KEY, and the fetch outcome 'fresh'.
--
-- DuckDB keeps a primary key as an ART index: a second copy of the key columns that a load holds in memory in
-- full ("ART indexes must fit in memory", DuckDB's documentation), and these two tables grow by ~185 rows per
-- report and by a row per URL every night. Their keys stay unique by construction: the loader deletes a
-- report's cells (a run's fetches of a portal) and inserts them again in one transaction (warehouse/load.py);
-- tests/test_warehouse.py loads twice and checks. DuckDB cannot drop a constraint, so each table is made
-- again, its rows copied and its comments restated.
--
-- A crawl may use its stored copy of a detail page or document checked recently, without a request
-- (crawler.recheck_after_days); that use is a fetch with outcome 'fresh'.

CREATE TABLE report_cells_unindexed (
    report_id   VARCHAR NOT NULL,
    table_code  VARCHAR NOT NULL,
    row_code    VARCHAR NOT NULL,
    column_code VARCHAR NOT NULL,
    value       DECIMAL(18, 4),
    raw_text    VARCHAR NOT NULL,
    page        INTEGER
);
INSERT INTO report_cells_unindexed SELECT * FROM report_cells;
DROP TABLE report_cells;
ALTER TABLE report_cells_unindexed RENAME TO report_cells;
COMMENT ON TABLE report_cells IS '统计表单元格：按 nianbao/report_tables.yaml 的代码记录的每个数字（代码说明见 code_rows、code_columns）；每个 (report_id, table_code, row_code, column_code) 一行';
COMMENT ON COLUMN report_cells.report_id IS '报告编号';
COMMENT ON COLUMN report_cells.table_code IS '表格代码：application 收到和处理政府信息公开申请情况 | review_litigation 行政复议、行政诉讼情况 | proactive 主动公开政府信息情况 | legacy 2019年以前统计表';
COMMENT ON COLUMN report_cells.row_code IS '行代码（如 new_received 本年新收申请数量）';
COMMENT ON COLUMN report_cells.column_code IS '列代码（如 natural_person 自然人、total 总计）';
COMMENT ON COLUMN report_cells.value IS '数值；空白、“/”、“—”、“无”为空值（缺失，不是 0）';
COMMENT ON COLUMN report_cells.raw_text IS '单元格原文';
COMMENT ON COLUMN report_cells.page IS '所在页码';

CREATE TABLE fetches_unindexed (
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
    elapsed_ms    DOUBLE
);
INSERT INTO fetches_unindexed SELECT * FROM fetches;
DROP TABLE fetches;
ALTER TABLE fetches_unindexed RENAME TO fetches;
COMMENT ON TABLE fetches IS '网络请求记录：每次运行抓取的每个网址一行（每个 (run_id, portal_id, seq) 一行）';
COMMENT ON COLUMN fetches.run_id IS '运行编号';
COMMENT ON COLUMN fetches.portal_id IS '门户编号';
COMMENT ON COLUMN fetches.seq IS '本次运行该门户内的请求序号';
COMMENT ON COLUMN fetches.url IS '请求的网址';
COMMENT ON COLUMN fetches.purpose IS '用途：robots 爬虫协议 | list 栏目列表页 | detail 详情页 | document 附件';
COMMENT ON COLUMN fetches.outcome IS '结果：downloaded 已下载 | not_modified 未变化(304) | fresh 近期已核对，未请求，沿用已存内容 | failed 失败 | disallowed 爬虫协议禁止 | too_large 文件过大';
COMMENT ON COLUMN fetches.status IS 'HTTP 状态码（fresh 时为空：未发出请求）';
COMMENT ON COLUMN fetches.bytes IS '下载字节数';
COMMENT ON COLUMN fetches.etag IS '服务器返回的 ETag';
COMMENT ON COLUMN fetches.last_modified IS '服务器返回的 Last-Modified';
COMMENT ON COLUMN fetches.sha256 IS '内容的 SHA-256 摘要';
COMMENT ON COLUMN fetches.error IS '失败原因';
COMMENT ON COLUMN fetches.fetched_at IS '请求时间';
COMMENT ON COLUMN fetches.elapsed_ms IS '耗时（毫秒）';
