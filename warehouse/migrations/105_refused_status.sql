-- 105 (issue 13): status texts restated after 006 and 007 restated the columns. A document refused before
-- parsing because it would inflate past the limits (extractors/limits.py) has status refused.
COMMENT ON COLUMN reports.status IS '抽取状态：parsed 已解析 | parsed_ocr 扫描件经文字识别解析（见 ocr_engine，单元格带识别置信度） | no_tables 无统计表 | needs_ocr 需要文字识别（未识别：文字识别已关闭或失败） | corrupt 文件损坏 | timeout 超时 | unsupported 格式不支持 | refused 解压后过大，拒绝解析（疑似压缩炸弹）';

-- after 006 restated it: a finding of a report replaced by a new version is superseded (migration 005)
COMMENT ON COLUMN dq_findings.status IS '状态：open 待核实 | confirmed 已确认（需整改） | waived 已豁免（核实后不属问题） | resolved 已解决（之后对同一报告的校验不再发现） | superseded 已作废（报告已被新版本替换，见 superseded_by）';
