-- 008 column trees: the path by which the crawler reached each report and each skipped item (the registered
-- column, the sub-columns followed, the pager page), so an analyst can see why a report was, or was not, found.

ALTER TABLE report_urls ADD COLUMN discovery_path VARCHAR[];
COMMENT ON COLUMN report_urls.discovery_path IS '发现路径：从登记的栏目起，依次经过的子栏目和翻页列表页网址，直到列出该报告的那一页（最近一次发现时）';

ALTER TABLE skipped_items ADD COLUMN discovery_path VARCHAR[];
COMMENT ON COLUMN skipped_items.discovery_path IS '发现路径：从登记的栏目起，依次经过的子栏目和翻页列表页网址，直到列出该条目的那一页';

COMMENT ON TABLE portal_health IS '门户健康问题：网站无法访问、栏目突然为空或条目骤减、栏目读不出任何年报、列表页超出上限、页面抓取失败';
COMMENT ON COLUMN portal_health.problem IS '问题类型：unreachable 无法访问 | column_empty 栏目为空 | column_shrunk 栏目条目骤减 | column_not_understood 栏目未能读出年报 | list_pages_capped 列表页超出上限 | pages_failed 页面抓取失败';
COMMENT ON COLUMN portals.cms IS '网站内容管理系统类型：auto 自动识别 | trs 拓尔思 | hanweb 大汉 | gkmlpt 广东政府信息公开目录平台 | jsonapi 脚本调用JSON接口的列表 | generic 通用';
