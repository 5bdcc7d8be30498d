-- 110 what an email announced besides findings: a correction notice (整改通知) sent once per set of confirmed
-- findings of an agency, and a report replaced by a corrected version told once to its county.
--
-- Rows are written with the email that announces them (alerts.outbox.queue), and once the email is sent they
-- are appended to the announcements journal (data/decisions/announcements.jsonl), which every run copies back
-- in: a warehouse rebuilt from nothing sends no notice again.

CREATE TABLE alert_announcements (
    message_id VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,
    subject    VARCHAR NOT NULL,
    covers     VARCHAR[] NOT NULL,
    queued_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (message_id, kind, subject)
);
COMMENT ON TABLE alert_announcements IS '邮件告知的事项（问题以外）：整改通知（每个机关的已确认问题集合只发一次）、报告已更正/替换（每次替换只告知一次）';
COMMENT ON COLUMN alert_announcements.message_id IS '邮件编号（alert_outbox.message_id；重建的数据仓库中可能已无该邮件）';
COMMENT ON COLUMN alert_announcements.kind IS '事项：correction_notice 整改通知 | report_replaced 报告已更正/替换';
COMMENT ON COLUMN alert_announcements.subject IS '所涉对象：整改通知为机关（省/市/县/机关），报告替换为旧版本的报告编号';
COMMENT ON COLUMN alert_announcements.covers IS '所含内容：整改通知所列问题（问题编号、应为、实为；有变化时重发），报告替换为新版本的报告编号';
COMMENT ON COLUMN alert_announcements.queued_at IS '邮件生成时间';
