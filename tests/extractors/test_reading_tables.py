"""Reading real tables right (issue 18b): labels matched by position and likeness, the template generation of
each table, regional 统计表 variants, and blank cells judged the way the form means them.

Each test is named after the real table it came from; the sources are in tests/fixtures/real_tables/SOURCES.md and tests/fixtures/real/*/SOURCE.md.
"""

from __future__ import annotations

from decimal import Decimal

from extractors.canonical import read_tables
from extractors.grid import Grid

HEADER = [
    ["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)", "", "申请人情况", "", "", "", "", "", ""],
    ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
]
WITHHELD = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
            "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]


def figures(first: int) -> list[str]:
    """Seven distinct figures, so that a row or column taken for another shows."""
    return [str(first + k) for k in range(7)]


def application_grid(withheld: list[str] | None = None, extra: list[list[str]] | None = None) -> Grid:
    rows = [*HEADER, ["一、本年新收政府信息公开申请数量", "", *figures(10)], ["三、本年度办理结果", "(一)予以公开", *figures(20)]]
    for i, label in enumerate(withheld or WITHHELD):
        rows.append(["(三)不予公开", label, *figures(100 + 10 * i)])
    rows += extra or []
    rows.append(["(七)总计", "", *figures(70)])
    return Grid.on_page(rows, 3, "t")


def application_cells(reading) -> dict[tuple[str, str], Decimal | None]:
    return {(c.row_code, c.column_code): c.value for c in reading.cells if c.table_code == "application"}


# --------------------------------------------------------------------------- labels by position and likeness


def test_issue_18_其他法律行政止公开_is_row_2_of_不予公开_and_its_typo_is_noted():
    """A real 2021 report printed 2.其他法律行政止公开 (禁 lost): the row is still second under (三)不予公开."""
    withheld = [*WITHHELD]
    withheld[1] = "2.其他法律行政止公开"
    reading = read_tables([application_grid(withheld)])
    cells = application_cells(reading)
    assert cells["withheld.prohibited_by_law", "natural_person"] == Decimal(110)
    assert cells["withheld.security_stability", "natural_person"] == Decimal(120)
    (note,) = reading.label_notes
    assert (note.table_code, note.row_code, note.printed, note.page) == (
        "application", "withheld.prohibited_by_law", "2.其他法律行政止公开", 3)
    assert note.template == "2.其他法律行政法规禁止公开"


def test_issue_18_a_label_split_over_two_rows_无_法提供_is_the_无法提供_row():
    """（四）无 | 1.本机关不掌握… on one row, 法提供 | 2.没有现成信息… on the next: the group label split in two."""
    extra = [["(四)无", "1.本机关不掌握相关政府信息", *figures(200)], ["法提供", "2.没有现成信息需要另行制作", *figures(210)],
             ["", "3.补正后申请内容仍不明确", *figures(220)]]
    reading = read_tables([application_grid(extra=extra)])
    cells = application_cells(reading)
    assert cells["unable.not_held", "total"] == Decimal(206)
    assert cells["unable.needs_creation", "total"] == Decimal(216)
    assert cells["unable.unclear", "total"] == Decimal(226)
    assert reading.label_notes == []  # the sub-labels are the template's own


def test_issue_18_其他处理_wrapped_as_其_over_他处理_is_the_2019_其他处理_row():
    extra = [["(六)其", "", *figures(60)], ["他处理", "", *[""] * 7]]
    reading = read_tables([application_grid(extra=extra)])
    assert application_cells(reading)["other_handling", "total"] == Decimal(66)
    assert reading.label_notes == []  # wrapped, not misprinted


def test_issue_18_numbering_1_comma_for_1_dot_reads_the_same_rows():
    withheld = [label.replace(".", "、", 1) for label in WITHHELD]
    reading = read_tables([application_grid(withheld)])
    cells = application_cells(reading)
    assert [cells[code, "natural_person"] for code in ("withheld.state_secret", "withheld.query_matter")] == [100, 170]
    assert reading.label_notes == []  # 1、 and 1. are the same numbering, not a typo


def test_issue_18_a_heading_printed_twice_does_not_shift_or_drop_rows():
    """The table's header repeated where the table continues on the next page (Word's repeated heading rows)."""
    page3 = Grid.on_page([*HEADER, ["一、本年新收政府信息公开申请数量", "", *figures(10)],
                          ["三、本年度办理结果", "(一)予以公开", *figures(20)]], 3, "t")
    page4 = Grid.on_page([*HEADER, ["(二)部分公开（区分处理的，只计这一情形，不计其他情形）", "", *figures(30)],
                          ["(七)总计", "", *figures(70)]], 4, "t")
    cells = application_cells(read_tables([page3, page4]))
    assert cells["partially_granted", "total"] == Decimal(36)
    assert cells["results_total", "natural_person"] == Decimal(70)
    assert ("new_received", "natural_person") in cells and len({r for r, _ in cells}) == 4


def test_a_label_that_is_like_no_template_row_stays_unread():
    """Likeness is not a licence: a label that resembles nothing at its place maps nothing."""
    withheld = [*WITHHELD]
    withheld[1] = "备注：本表数据截至12月31日"
    cells = application_cells(read_tables([application_grid(withheld)]))
    assert ("withheld.prohibited_by_law", "natural_person") not in cells


PROACTIVE_2021 = [
    ["第二十条第（一）项", "", "", ""], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
]


def proactive_cells(reading) -> dict[tuple[str, str], Decimal | None]:
    return {(c.row_code, c.column_code): c.value for c in reading.cells if c.table_code == "proactive"}


def test_issue_18_规范性文件_in_a_2021_table_is_the_行政规范性文件_row():
    grid = Grid.on_page([*PROACTIVE_2021, ["规章", "0", "0", "0"], ["规范性文件", "2", "1", "9"]], 2, "t")
    reading = read_tables([grid])
    assert proactive_cells(reading)["art20_1.normative_docs", "in_force"] == Decimal(9)
    assert [(n.row_code, n.printed, n.template) for n in reading.label_notes] == [
        ("art20_1.normative_docs", "规范性文件", "行政规范性文件")]


def test_baokang_agriculture_2021_规章_with_a_note_in_brackets_is_the_规章_row():
    """保康县农业农村局 2021: 规章(县级无此项) | 0 | 0 | 0, and 行政许可 with its cell left blank."""
    grid = Grid.on_page([*PROACTIVE_2021, ["规章(县级无此项)", "0", "0", "0"], ["行政规范性文件", "0", "0", "0"],
                         ["第二十条第（五）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
                         ["行政许可", "", "", ""], ["第二十条第（六）项", "", "", ""],
                         ["信息内容", "本年处理决定数量", "", ""], ["行政处罚", "5", "", ""], ["行政强制", "0", "", ""]],
                        2, "html")
    reading = read_tables([grid])
    cells = proactive_cells(reading)
    assert cells["art20_1.rules", "issued"] == Decimal(0)
    assert cells["art20_6.penalty", "decisions"] == Decimal(5)
    assert cells["art20_5.licensing", "decisions"] is None  # blank stays blank
    assert [(n.row_code, n.printed) for n in reading.label_notes] == [("art20_1.rules", "规章(县级无此项)")]


# --------------------------------------------------------------------------- generation per table


def test_issue_18_a_2021_table_二_with_the_2019_single_其他处理_row_in_table_三():
    proactive = Grid.on_page([*PROACTIVE_2021, ["规章", "0", "0", "0"], ["行政规范性文件", "1", "0", "1"]], 2, "t")
    application = application_grid(extra=[["(六)其他处理", "", *figures(60)]])
    reading = read_tables([proactive, application])
    assert {t.table_code: t.generation for t in reading.tables} == {"proactive": "gen2021", "application": "gen2019"}
    assert ("other_handling", "total") in application_cells(reading)


# --------------------------------------------------------------------------- regional 统计表 variants

# 莆田市 2009 附表 (the form its 政府信息公开工作年度报告 appended): 17 rows, a 历年累计 column beside the year's.
PUTIAN_2009 = [
    ["指标名称", "计量单位", "2009年度", "历年累计"],
    ["主动公开信息数", "条", "1520", "6830"],
    ["其中:1.政府网站", "条", "1400", "6100"],
    ["2.政府公报", "条", "120", "730"],
    ["受理依申请公开信息总数", "件", "12", "40"],
    ["其中:1.当面申请数", "件", "5", "20"],
    ["2.传真申请数", "件", "0", "1"],
    ["3.电子邮件申请数", "件", "2", "5"],
    ["4.网上申请数", "件", "4", "11"],
    ["5.信函申请数", "件", "1", "3"],
    ["6.其它形式申请数", "件", "0", "0"],
    ["本年度对申请的答复总数", "件", "12", "40"],
    ["其中:1.同意公开答复数", "件", "9", "30"],
    ["2.同意部分公开答复数", "件", "1", "4"],
    ["3.否决公开答复总数", "件", "2", "6"],
    ["行政复议数", "件", "0", "1"],
    ["行政诉讼数", "件", "0", "0"],
    ["行政申诉数", "件", "0", "0"],
]


def legacy_cells(reading) -> dict[str, Decimal | None]:
    return {c.row_code: c.value for c in reading.cells if c.table_code == "legacy"}


def test_putian_2009_附表_reads_the_years_column_not_历年累计_and_records_its_variant():
    reading = read_tables([Grid.on_page(PUTIAN_2009, 9, "t")])
    cells = legacy_cells(reading)
    assert cells["proactive.total"] == Decimal(1520)
    assert cells["channel.website"] == Decimal(1400)
    assert cells["channel.gazette"] == Decimal(120)  # printed after 政府网站, before it in the national form
    assert cells["request.in_person"] == Decimal(5) and cells["request.letter"] == Decimal(1)
    assert cells["answer.granted"] == Decimal(9) and cells["answer.partially_granted"] == Decimal(1)
    assert cells["review.total"] == Decimal(0) and cells["litigation.total"] == Decimal(0)
    # 网上申请数 beside 电子邮件申请数 is not the national 网络申请数: not mapped, so 收到申请数's sum is not judged
    assert "request.online" not in cells
    (table,) = reading.tables
    assert (table.table_code, table.generation) == ("legacy", "legacy")
    assert table.variant.startswith("regional") and "历年累计" in table.variant


# 平潭综合实验区 2017 (福建's form, the real corpus's pingtan-gov-2017): 15 rows in words of its own.
FUJIAN_2017 = [
    ["指标名称", "计量单位", "2017年度", "历年累计"],
    ["主动公开文件数", "条", "2122", "10037"], ["其中：1、政府网站公开数", "条", "2122", "10037"],
    ["2、政府公报公开数", "条", "0", "0"], ["受理政府信息依申请公开总数", "条", "3", "9"],
    ["其中：1、当面申请数", "条", "1", "4"], ["2、网上申请数", "条", "2", "5"], ["3、信函、传真申请数", "条", "0", "0"],
    ["对申请的答复总数", "条", "3", "9"], ["其中：1、同意公开答复数", "条", "2", "6"], ["2、同意部分公开答复数", "条", "0", "1"],
    ["3、不予公开答复数", "条", "1", "2"], ["4、其他类型答复数", "条", "0", "0"], ["接受行政诉讼、举报数", "件", "0", "0"],
    ["行政复议数", "件", "0", "0"], ["行政诉讼数", "件", "0", "0"],
]


def test_fujian_统计表_words_of_its_own_name_the_national_indicators():
    """主动公开文件数 is 主动公开政府信息数 (the report's prose gives the same 2122), 受理…依申请公开总数 is 收到申请数;
    rows the national form has no place for (信函、传真 together, 其他类型答复数, 接受行政诉讼、举报数) stay unmapped."""
    cells = legacy_cells(read_tables([Grid.on_page(FUJIAN_2017, 3, "t")]))
    assert cells == {
        "proactive.total": Decimal(2122), "channel.website": Decimal(2122), "channel.gazette": Decimal(0),
        "request.received": Decimal(3), "request.in_person": Decimal(1), "request.answered": Decimal(3),
        "answer.granted": Decimal(2), "answer.partially_granted": Decimal(0), "answer.refused": Decimal(1),
        "review.total": Decimal(0), "litigation.total": Decimal(0),
    }


def test_pingtan_county_2013_统计表_of_the_putian_kind():
    """平潭县人民政府 2013 (real corpus): 1.网站公开 and 对申请的答复数 are the national rows; 网上申请数 beside
    电子邮件申请数 and 否决公开答复数 are not."""
    rows = [["指标名称", "计量单位", "2013年度", "历年累计"], ["主动公开信息数", "条", "1853", "5395"],
            ["其中：1.网站公开", "条", "1713", "5017"], ["2.政府公报公开", "条", "0", "7"],
            ["受理依申请公开信息总数", "条", "7", "28"], ["其中：1.当面申请数", "条", "0", "18"], ["2.传真申请数", "条", "0", "0"],
            ["3.电子邮件申请数", "条", "3", "6"], ["4.网上申请数", "条", "4", "4"], ["5.信函申请数", "条", "0", "0"],
            ["6.其它形式申请数", "条", "0", "0"], ["对申请的答复数", "条", "3", "24"], ["其中：1.同意公开答复数", "条", "2", "19"],
            ["2.同意部分公开答复数", "条", "1", "3"], ["3.否决公开答复数", "条", "0", "2"], ["行政复议数", "条", "0", "0"],
            ["行政诉讼数", "条", "0", "0"], ["行政申诉数", "条", "0", "0"]]
    cells = legacy_cells(read_tables([Grid.on_page(rows, 4, "t")]))
    assert (cells["channel.website"], cells["request.answered"]) == (Decimal(1713), Decimal(3))
    assert "request.online" not in cells and "answer.refused" not in cells


def test_a_regional_统计表_with_its_fees_in_元_stores_them_in_万元():
    rows = [["统计指标", "单位", "统计数"], ["四、行政复议数量", "件", "1"], ["七、依申请公开信息收取的费用", "元", "350"]]
    reading = read_tables([Grid.on_page(rows, 2, "t")])
    fee = next(c for c in reading.cells if c.row_code == "fees_10k_yuan")
    assert (fee.value, fee.raw_text) == (Decimal("0.035"), "350")
    assert "元" in reading.tables[0].variant
