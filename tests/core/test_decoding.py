"""One HTML decoder for the crawler's pages and the extractors' report pages: labels are candidates, not the
truth, and GBK-family text is read with GB18030, the superset."""

from __future__ import annotations

import hashlib

import pytest

from extractors import extract_document
from nianbao.config import PROJECT_DIR
from nianbao.decoding import decode_html

REPORT_003 = PROJECT_DIR / "demo_portal" / "documents" / "003.html"  # seed 003, a TRS article body


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>平罗县年报</p>'.encode("gbk"), None),
        ('<meta charset="gbk"><p>平罗县年报</p>'.encode("gbk"), "text/html; charset=ISO-8859-1"),  # Tomcat's default
        ("<p>平罗县年报</p>".encode("gb18030"), None),  # undeclared
        ("<p>平罗县年报</p>".encode("gbk"), "text/html; charset=GBK"),
        ("<p>平罗县年报</p>".encode("utf-8"), "text/html; charset=gbk"),  # mislabelled by the server
        ('<?xml version="1.0" encoding="GB2312"?><p>平罗县年报</p>'.encode("gb2312"), None),
    ],
)
def test_chinese_pages_decode_whatever_their_declaration(data, content_type):
    assert "平罗县年报" in decode_html(data, content_type)


def test_chinese_pages_decode_whatever_their_declaration_with_characters_only_gb18030_has():
    data = '<meta charset="gb2312"><p>朱镕基 王堃</p>'.encode("gb18030")
    assert "朱镕基 王堃" in decode_html(data)


def test_a_page_no_candidate_decodes_is_read_with_replacement_characters_not_refused():
    assert "\ufffd" in decode_html(b"<p>\xff\xfe\xfd\x80</p>" * 3 + "年报".encode("utf-8"))


# A UTF-8 detail page labelled gb2312 whose bytes are also valid GB18030 (every run of Chinese text is an even
# number of characters long): trusting the label reads it as 骞崇綏鍘垮煄… without a single decoding error.
MISLABELLED = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    "<title>平罗县城关镇政府信息公开年度报告</title></head><body>"
    '<div class="TRS_Editor"><p>平罗县城关镇政府信息公开年度报告</p>'
    "<p>本报告由平罗县城关镇人民政府编制</p></div></body></html>"
).encode("utf-8")


def test_a_utf8_page_labelled_gb2312_reads_right_in_the_crawler_and_the_extractor(tmp_path):
    assert MISLABELLED.decode("gb18030").count("骞崇綏鍘垮煄") == 3  # the trap is real
    assert "<p>本报告由平罗县城关镇人民政府编制</p>" in decode_html(MISLABELLED)  # the crawler's page reading
    path = tmp_path / "t20210119_3001.html"
    path.write_bytes(MISLABELLED)
    report = extract_document(path, "html", hashlib.sha256(MISLABELLED).hexdigest())
    assert "本报告由平罗县城关镇人民政府编制" in report.pages[0].text
    assert report.title == "平罗县城关镇政府信息公开年度报告"


def test_a_whole_report_page_labelled_gb2312_gives_the_same_cells_as_read_honestly(tmp_path):
    body = REPORT_003.read_text("utf-8")
    data = ('<html><head><meta charset="gb2312"><title>西邑乡2019年政府政务公开年度报告</title></head>'
            f"<body>{body}</body></html>").encode("utf-8")
    path = tmp_path / "mislabelled.html"
    path.write_bytes(data)
    mislabelled = extract_document(path, "html", hashlib.sha256(data).hexdigest())
    honest = extract_document(REPORT_003, "html", hashlib.sha256(REPORT_003.read_bytes()).hexdigest())
    assert len(honest.cells) > 20
    assert [(c.row_code, c.column_code, c.value) for c in mislabelled.cells] == [
        (c.row_code, c.column_code, c.value) for c in honest.cells]
