-- 005 hardening (issue 13): where a redirected request's answer came from.

ALTER TABLE fetches ADD COLUMN final_url VARCHAR;
COMMENT ON COLUMN fetches.final_url IS '最终网址：跟随重定向后实际取得内容的网址（未重定向时同 url）';

-- Every run leaves a row (nianbao/runs.py keeps the journal; each build copies it here): the stage a run
-- was in when it ended, its Prefect flow run, and the process that ran it.
ALTER TABLE runs ADD COLUMN stage VARCHAR;
ALTER TABLE runs ADD COLUMN flow_run_id VARCHAR;
ALTER TABLE runs ADD COLUMN process VARCHAR;
UPDATE runs SET status = 'started' WHERE status = 'running';
COMMENT ON COLUMN runs.status IS '运行状态：started 已开始（未结束）| succeeded 成功 | succeeded_with_undelivered_alerts 成功但有提醒邮件未送达 | failed 失败（见 error、stage）| abandoned 中断（进程被终止，由之后的运行关闭）';
COMMENT ON COLUMN runs.error IS '失败、中断的原因，或未送达的提醒邮件';
COMMENT ON COLUMN runs.stage IS '运行所处（或结束时所处）的阶段：crawl 抓取 | extract 抽取 | load 入库 | validate 校验 | publish 发布 | alerts 发送提醒';
COMMENT ON COLUMN runs.flow_run_id IS 'Prefect 流程运行编号';
COMMENT ON COLUMN runs.process IS '执行运行的主机和进程号（主机:进程号）';

-- A report replaced on its portal under the same URL by a new version: the old version is superseded, and so
-- are its open findings (they are about a document the portal no longer publishes).
ALTER TABLE reports ADD COLUMN superseded_by VARCHAR;
ALTER TABLE reports ADD COLUMN superseded_run VARCHAR;
ALTER TABLE dq_findings ADD COLUMN superseded_by VARCHAR;
COMMENT ON COLUMN reports.superseded_by IS '被替换：门户在同一网址换上新版本后，新版本的报告编号（现行版本为空）';
COMMENT ON COLUMN reports.superseded_run IS '发现被替换的运行编号';
COMMENT ON COLUMN dq_findings.status IS '状态：open 未解决 | resolved 已解决（之后对同一报告的校验不再发现）| superseded 已作废（报告已被新版本替换，见 superseded_by）';
COMMENT ON COLUMN dq_findings.superseded_by IS '作废原因：替换该报告的新版本的报告编号';
