-- 105 (issue 13, after 007 restated the column): a document refused before parsing because it would inflate
-- past the limits (extractors/limits.py) has status refused.
COMMENT ON COLUMN reports.status IS '抽取状态：parsed 已解析 | parsed_ocr 扫描件经文字识别解析（见 ocr_engine，单元格带识别置信度） | no_tables 无统计表 | needs_ocr 需要文字识别（未识别：文字识别已关闭或失败） | corrupt 文件损坏 | timeout 超时 | unsupported 格式不支持 | refused 解压后过大，拒绝解析（疑似压缩炸弹）';
