-- 107 (issue 13): a redirect to a URL the portal's crawl may not fetch is its own outcome, refused (with the
-- final URL), and report pages or documents the crawl did not get because of robots.txt or such a redirect
-- are health problems of their own.
COMMENT ON COLUMN fetches.outcome IS '结果：downloaded 已下载 | not_modified 未变化(304) | fresh 近期已核对，未请求，沿用已存内容 | failed 失败 | disallowed 爬虫协议禁止 | refused 跳转到不允许抓取的网址，已拒绝（见 final_url、error） | too_large 文件过大';
COMMENT ON COLUMN portal_health.problem IS '问题类型：unreachable 无法访问 | column_empty 栏目为空 | column_shrunk 栏目条目骤减 | column_not_understood 栏目未能读出年报 | list_pages_capped 列表页超出上限 | pages_failed 页面抓取失败 | robots_disallowed 年报页面被爬虫协议禁止抓取 | redirect_refused 跳转到不允许抓取的网址 | crawl_time_limit 抓取超出时限';
COMMENT ON COLUMN fetches.final_url IS '最终网址：跟随重定向后实际取得内容的网址（未重定向时同 url；refused 时为被拒绝的跳转目标）';
