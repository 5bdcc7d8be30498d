-- 012 how each statistical table of a report was read: its template generation (real reports mix them),
-- the regional variant of a 统计表, and the rows whose printed label is not the template's.

CREATE TABLE report_tables (
    report_id  VARCHAR NOT NULL,
    table_code VARCHAR NOT NULL,
    generation VARCHAR,
    variant    VARCHAR,
    PRIMARY KEY (report_id, table_code)
);
COMMENT ON TABLE report_tables IS '统计表读取情况：每份报告每张统计表一行，记录该表自身的格式（同一报告的各表可能格式不同）和地方变体';
COMMENT ON COLUMN report_tables.report_id IS '报告编号';
COMMENT ON COLUMN report_tables.table_code IS '表格代码：application | review_litigation | proactive | legacy';
COMMENT ON COLUMN report_tables.generation IS '该表的格式：legacy | gen2019 | gen2021（由该表的行列名称判断）';
COMMENT ON COLUMN report_tables.variant IS '地方变体说明（如“regional: 17 行，13 项全国指标；历年累计列”）；全国统一格式为空。变体中没有的行不算缺失';

CREATE TABLE report_label_notes (
    report_id      VARCHAR NOT NULL,
    table_code     VARCHAR NOT NULL,
    row_code       VARCHAR NOT NULL,
    raw_text       VARCHAR NOT NULL,
    template_label VARCHAR NOT NULL,
    page           INTEGER,
    PRIMARY KEY (report_id, table_code, row_code)
);
COMMENT ON TABLE report_label_notes IS '行名称与模板不符：按模板中的位置和名称相似度认定的行，其印刷的行名称与模板不同（错字、漏字、括注），供人工查看，不是错误';
COMMENT ON COLUMN report_label_notes.report_id IS '报告编号';
COMMENT ON COLUMN report_label_notes.table_code IS '表格代码';
COMMENT ON COLUMN report_label_notes.row_code IS '认定的行代码';
COMMENT ON COLUMN report_label_notes.raw_text IS '印刷的行名称原文';
COMMENT ON COLUMN report_label_notes.template_label IS '模板中该行的名称';
COMMENT ON COLUMN report_label_notes.page IS '所在页码';

COMMENT ON COLUMN dq_findings.severity IS '严重程度：error 错误 | warning 警告 | info 提示（如 label_mismatch 行名称与模板不同，供人工查看）';
COMMENT ON COLUMN narrative_figures.quantity_code IS '数量代码：申请表的行代码（new_received 本年新收、granted 予以公开……）、received 收到申请（本年新收，或本年新收加上年结转）、granted+partially_granted 予以公开与部分公开之和、withheld 不予公开各项之和、主动公开表的“行.列”（如 art20_6.penalty.decisions 行政处罚决定数）、proactive.total、review.total、litigation.total；2019年以前报告用统计表的指标代码';
