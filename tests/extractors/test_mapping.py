"""From printed labels to canonical codes: the mess of real tables, one rule at a time, on small grids."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from docx import Document

from extractors.canonical import read_tables
from extractors.canonical.legacy import map_legacy
from extractors.grid import Grid
from extractors.labels import core, normalise
from extractors.metadata import read_metadata
from extractors.narrative import narrative_figures
from extractors.tables_docx import docx_grids
from extractors.tables_html import html_grids
from extractors.text_docx import docx_body
from extractors.text_html import article_element, html_pages, parse_html
from extractors.values import parse_value
from nianbao.models import PageText

HEADER = [
    ["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)", "申请人情况", "", "", "", "", "", ""],
    ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
]


def row(label: str, first: int) -> list[str]:
    """A data row whose seven figures are first, first+1, … (distinct, so a shifted column shows)."""
    return [label, *(str(first + k) for k in range(7))]


def cells_of(*grids: Grid) -> dict[tuple[str, str], Decimal | None]:
    cells = read_tables(list(grids)).cells
    return {(c.row_code, c.column_code): c.value for c in cells if c.table_code == "application"}


@pytest.mark.parametrize("text, value", [
    ("0", Decimal(0)), ("12", Decimal(12)), ("+12", Decimal(12)), ("-3", Decimal(-3)), ("３", Decimal(3)),
    ("3.2", Decimal("3.2")), ("251000元", Decimal(251000)), ("1,036", Decimal(1036)), (" 7\n", Decimal(7)),
    ("", None), ("/", None), ("-", None), ("—", None), ("无", None), ("\xa0", None),
])
def test_a_cell_reads_as_a_number_or_as_missing_never_as_0(text, value):
    assert parse_value(text) == value


def test_a_cell_of_prose_is_not_a_number():
    with pytest.raises(ValueError):
        parse_value("详见附件")


def test_labels_compare_without_spaces_widths_or_quote_styles():
    assert normalise("自 然\n人") == "自然人"
    assert normalise("3.危及“三安全一稳定”") == normalise('3．危及"三安全一稳定"') == "3.危及三安全一稳定"
    assert normalise("（一）予以公开") == "(一)予以公开"
    assert core("(一) 主动公开政府信息数\n(不同渠道和方式公开相同信息计 1 条 )") == "主动公开政府信息数"


def test_a_label_wrapped_onto_the_next_page_joins_its_figures():
    """Seed 004: 5.要求行政机关 | figures ends page 4; 确认或重新出具已获取信息 | blank cells opens page 5."""
    page4 = Grid.on_page([*HEADER, row("一、本年新收政府信息公开申请数量", 10), row("5.要求行政机关", 50)], 4, "t")
    page5 = Grid.on_page([["确认或重新出具已获取信息", *[""] * 7], row("(七)总计", 70)], 5, "t")
    cells = cells_of(page4, page5)
    assert cells["not_processed.confirmation", "natural_person"] == Decimal(50)
    assert cells["results_total", "total"] == Decimal(76)


def test_a_label_printed_above_its_figures_joins_them():
    grid = Grid.on_page([*HEADER, row("2.没有现成信息需要另行制作", 20), ["3.补正后申请内容仍", *[""] * 7],
                         row("不明确", 30)], 1, "t")
    assert cells_of(grid)["unable.unclear", "total"] == Decimal(36)


def test_a_subtotal_row_of_不予公开_is_not_read_as_one_of_its_sub_rows():
    grid = Grid.on_page([*HEADER, row("(三)不予公开", 90), row("1.属于国家秘密", 10), row("2.其他法律行政法规禁止公开", 20)],
                        1, "t")
    cells = cells_of(grid)
    assert cells["withheld.state_secret", "natural_person"] == Decimal(10)
    assert Decimal(90) not in cells.values()


def test_a_blank_sub_row_below_a_subtotal_does_not_take_the_subtotals_figures():
    grid = Grid.on_page([*HEADER, row("一、本年新收政府信息公开申请数量", 10), row("(三)不予公开", 90),
                         ["1.属于国家秘密", *[""] * 7], row("2.其他法律行政法规禁止公开", 20)], 1, "t")
    cells = cells_of(grid)
    assert cells["withheld.state_secret", "natural_person"] is None
    assert cells["withheld.prohibited_by_law", "natural_person"] == Decimal(20)


def test_a_vertical_header_broken_into_single_characters_still_names_the_columns():
    header = [
        ["", "自\n然", "商\n业", "科\n研", "社\n会", "法\n律", "", "总"],
        ["", "人", "企\n业", "机\n构", "公\n益\n组\n织", "服\n务\n机\n构", "其\n他", "计"],
    ]
    # the columns are in an unusual order; the names, not the positions, decide
    header = [[r[0], r[7], *r[1:7]] for r in header]
    cells = cells_of(Grid.on_page([*header, row("一、本年新收政府信息公开申请数量", 10)], 1, "t"))
    assert cells["new_received", "total"] == Decimal(10)
    assert cells["new_received", "natural_person"] == Decimal(11)
    assert cells["new_received", "other_org"] == Decimal(16)


def test_a_header_that_contradicts_the_seven_positions_maps_nothing_and_says_so():
    header = [["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "自然人"]]  # 总计 lost
    grid = Grid.on_page([*header, row("一、本年新收政府信息公开申请数量", 10)], 1, "t")
    assert cells_of(grid) == {}
    assert read_tables([grid]).unread == ["application"]


def test_the_2019_其他处理_is_one_row_and_the_2021_one_three():
    rows_2019 = [*HEADER, row("一、本年新收政府信息公开申请数量", 10), row("(六)其他处理", 60)]
    rows_2021 = [*HEADER, row("一、本年新收政府信息公开申请数量", 10), row("(六)其他处理", 99),
                 ["(六)其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", *row("", 61)[1:]],
                 ["", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", *row("", 62)[1:]],
                 ["", "3.其他", *row("", 63)[1:]]]
    for rows, generation in ((rows_2019, "gen2019"), (rows_2021, "gen2021")):
        rows = [[r[0], "", *r[1:]] if len(r) == 8 else r for r in rows]  # two label columns, as printed
        tables = read_tables([Grid.on_page(rows, 1, "t")])
        cells, found = tables.cells, tables.generation
        assert found == generation
    assert {c.row_code for c in cells if c.row_code.startswith("other")} == {
        "other_handling.no_correction", "other_handling.unpaid_fee", "other_handling.other"}


def test_the_统计表s_repeated_words_are_matched_in_order():
    """被依法纠错数 closes both 行政复议 and 行政诉讼: each row takes the next indicator that fits."""
    rows = [["统计指标", "单位", "统计数"], ["四、行政复议数量", "件", "4"], ["(二)被依法纠错数", "件", "1"],
            ["五、行政诉讼数量", "件", "5"], ["(二) 被依法纠错数", "件", "2"], ["(三)其他情形数", "件", "3"]]
    cells = {c.row_code: c.value for c in map_legacy(Grid.on_page(rows, 1, "t")).cells}
    assert cells == {"review.total": 4, "review.corrected": 1, "litigation.total": 5, "litigation.corrected": 2,
                     "litigation.other": 3}


def test_a_review_table_row_with_blank_行政复议_cells_keeps_its_lawsuits_in_place():
    header = [["行政复议", "", "", "", "", "行政诉讼", *[""] * 9]]
    figures = ["", "", "", "", "", *(str(k) for k in range(6, 16))]
    cells = read_tables([Grid.on_page([*header, ["结果维持"] * 15, figures], 1, "t")]).cells
    got = {(c.row_code, c.column_code): c.value for c in cells}
    assert got["review", "total"] is None
    assert (got["litigation_direct", "upheld"], got["litigation_after_review", "total"]) == (6, 15)


REVIEW_HEADER = [
    ["行政复议", *[""] * 4, "行政诉讼", *[""] * 9],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", *[""] * 4, "复议后起诉", *[""] * 4],
    [*["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3],
]
REVIEW_FIGURES = [str(k) for k in range(101, 116)]


def review_cells(*grids: Grid) -> dict[tuple[str, str], tuple[Decimal | None, int | None]]:
    cells = read_tables(list(grids)).cells
    return {(c.row_code, c.column_code): (c.value, c.page) for c in cells if c.table_code == "review_litigation"}


def test_a_review_header_ending_a_page_takes_its_figures_from_the_top_of_the_next_page():
    got = review_cells(Grid.on_page(REVIEW_HEADER, 4, "t"), Grid.on_page([REVIEW_FIGURES], 5, "t"))
    assert got["review", "upheld"] == (101, 5) and got["litigation_after_review", "total"] == (115, 5)


def test_the_review_figures_atop_a_page_are_taken_from_the_first_row_of_a_longer_first_table():
    prose_table = [["其他需要报告的事项", "无"]]
    got = review_cells(Grid.on_page(REVIEW_HEADER, 4, "t"), Grid.on_page([REVIEW_FIGURES, *prose_table], 5, "t"))
    assert len(got) == 15 and got["litigation_direct", "upheld"] == (106, 5)


def test_a_review_header_broken_over_two_pages_is_read_as_one_table():
    got = review_cells(Grid.on_page(REVIEW_HEADER[:2], 4, "t"), Grid.on_page([REVIEW_HEADER[2], REVIEW_FIGURES], 5, "t"))
    assert got["review", "total"] == (105, 5)


def test_a_row_of_15_figures_atop_a_page_is_not_a_review_row_unless_the_review_header_ended_the_page_before():
    application = Grid.on_page([*HEADER, row("一、本年新收政府信息公开申请数量", 1)], 4, "t")
    assert review_cells(application, Grid.on_page([REVIEW_FIGURES], 5, "t")) == {}
    # the header a page earlier, with something else between: the figures are not its continuation
    assert review_cells(Grid.on_page(REVIEW_HEADER, 3, "t"), Grid.on_page([REVIEW_FIGURES], 5, "t")) == {}


def test_a_review_table_with_its_figures_takes_no_further_row_of_figures():
    complete = Grid.on_page([*REVIEW_HEADER, REVIEW_FIGURES], 4, "t")
    later = Grid.on_page([[str(k) for k in range(201, 216)]], 5, "t")
    got = review_cells(complete, later)
    assert got["review", "upheld"] == (101, 4) and got["litigation_after_review", "total"] == (115, 4)


def test_html_rowspans_and_colspans_are_expanded_even_when_an_exporter_adds_a_colspan():
    html = """<div class="TRS_Editor"><table>
      <tr><td colspan="5">行政复议</td><td colspan="11">行政诉讼</td></tr>
      <tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td colspan="2">总计</td>
          <td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
      <tr>""" + "".join(f'<td{" colspan=2" if k == 5 else ""}>{k}</td>' for k in range(1, 16)) + """</tr>
    </table></div>"""
    grids = html_grids(article_element(parse_html(html.encode())))
    cells = read_tables(grids).cells
    got = {(c.row_code, c.column_code): c.value for c in cells}
    assert (got["review", "total"], got["litigation_direct", "upheld"], got["litigation_after_review", "total"]) == (
        5, 6, 15)


def test_a_gbk_detail_page_gives_the_article_without_the_portals_navigation():
    page = """<html><head><meta charset="gbk"><title>西邑乡2019年政府信息公开年度报告</title></head><body>
      <nav>首页 政务公开 办事服务</nav><div class="meta">发布机构：隆阳区西邑乡人民政府</div>
      <div class="TRS_Editor"><p>西邑乡2019年政府信息公开年度报告</p>
      <p>本报告中所列数据的统计期限自2019年1月1日起，至2019年12月31日止。我乡主动公开政府信息共计501条。</p></div>
      <footer>网站标识码 5305020001</footer></body></html>"""
    root = parse_html(page.encode("gbk"))
    text = html_pages(root)[0].text
    assert "主动公开政府信息共计501条" in text and "首页" not in text and "网站标识码" not in text
    meta = read_metadata(text, None, "发布机构：隆阳区西邑乡人民政府")
    assert (meta.title, meta.agency, meta.title_year, meta.period_year) == (
        "西邑乡2019年政府信息公开年度报告", "隆阳区西邑乡人民政府", 2019, 2019)


def test_docx_merged_cells_repeat_their_text_and_count_once_per_row(tmp_path):
    doc = Document()
    table = doc.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "三、本年度办理结果"  # vertical merge
    table.cell(0, 1).merge(table.cell(0, 3)).text = "第二十条第（五）项"  # horizontal merge
    table.cell(1, 1).text, table.cell(1, 2).text, table.cell(1, 3).text = "a", "b", "c"
    doc.save(tmp_path / "t.docx")
    grid = docx_grids(docx_body(tmp_path / "t.docx"))[0]
    assert [r[0] for r in grid.rows] == ["三、本年度办理结果"] * 3
    assert grid.distinct(0) == ["三、本年度办理结果", "第二十条第（五）项"]
    assert grid.distinct(1) == ["三、本年度办理结果", "a", "b", "c"]


def test_narrative_figures_read_chinese_numerals_and_skip_notes():
    page = PageText(2, "全年发生行政复议一件，行政诉讼 2 件。主动公开政府信息数（不同渠道和方式公开相同信息计1条）358条。")
    got = [(f.quantity_code, f.value, f.page) for f in narrative_figures([page], legacy=False)]
    assert got == [("review.total", 1, 2), ("litigation.total", 2, 2), ("proactive.total", 358, 2)]


def test_a_total_followed_by_its_share_is_a_part_and_not_read_as_the_total():
    """平潭综合实验区 2017 (real corpus): 2122 in all; the departments' 1509 and the townships' 613 are parts."""
    page = PageText(1, "2017年全区主动公开政府信息2122条。其中，区管委会及区直各部门主动公开政府信息1509条，占71.11%。"
                       "各乡镇主动公开政府信息613条，占28.89%。予以公开5件，占50%。")
    got = [(f.quantity_code, f.value) for f in narrative_figures([page], legacy=False)]
    assert got == [("proactive.total", 2122), ("granted", 5)]


def test_applications_the_service_hall_took_are_not_requests_for_information():
    """平潭综合实验区 2015 (real corpus): the windows' 136437 applications are 办件; a request under the 条例 named
    as such in the same kind of sentence is still read."""
    page = PageText(1, "建立窗口服务大厅，开设窗口24个，共受理申请136437件。政务服务中心受理政府信息公开申请2件。全年收到申请3件。")
    got = [(f.quantity_code, f.value) for f in narrative_figures([page], legacy=False)]
    assert got == [("received", 2), ("received", 3)]


def test_no_review_applications_is_not_no_requests():
    """平潭综合实验区 2014 (real corpus): one request received; "未收到…行政复议的申请" says nothing of requests."""
    page = PageText(1, "2014年全区收到有关政府信息公开的信函申请1条，已受理回复；未收到有关政府信息公开行政复议的申请。"
                       "2015年未收到政府信息公开申请。")
    got = [(f.quantity_code, f.value) for f in narrative_figures([page], legacy=True)]
    assert got == [("request.received", 1), ("request.received", 0)]


def test_a_signature_date_in_chinese_numerals_is_read():
    text = "平罗县城关镇人民政府2020年政府信息公开年度报告\n……\n平罗县城关镇人民政府\n二〇二一年一月十四日"
    assert read_metadata(text).written_date == date(2021, 1, 14)
