-- 005 hardening (issue 13): where a redirected request's answer came from.

ALTER TABLE fetches ADD COLUMN final_url VARCHAR;
COMMENT ON COLUMN fetches.final_url IS '最终网址：跟随重定向后实际取得内容的网址（未重定向时同 url）';
