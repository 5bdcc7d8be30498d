"""Every rule the suites apply has the Chinese name and explanation the office reads (nianbao/rules.yaml)."""

from __future__ import annotations

from expectations import FAMILIES
from expectations.publication import RULE as NOT_PUBLISHED
from nianbao.schema import printed_location, rule_texts


def test_every_rule_of_the_suites_has_a_chinese_name_and_explanation():
    codes = {check.rule_code for family in FAMILIES for check in family.checks} | {NOT_PUBLISHED}
    missing = codes - rule_texts().keys()
    assert not missing, f"add these rule codes to nianbao/rules.yaml: {sorted(missing)}"
    for name, explanation in rule_texts().values():
        assert name and explanation.endswith("。")


def test_a_location_reads_as_the_printed_table_row_and_column():
    assert printed_location("application[granted, total]") == (
        "三、收到和处理政府信息公开申请情况", "三、本年度办理结果 (一)予以公开", "总计")
    assert printed_location("application[*, natural_person]").row is None
    assert printed_location("text[new_received]").row == "一、本年新收政府信息公开申请数量"
    assert printed_location("published_on_time") == (None, None, None)
