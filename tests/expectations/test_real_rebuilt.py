"""The real documents rebuilt from a stored text (tests/fixtures/real/_pingtan, _shuyang: a public archive kept the
page's text whole, its HTML only in part) are exactly what their script builds from that text, so a cell in
document.html is, digit for digit, what the stored text prints after the row's label."""

from __future__ import annotations

import importlib.util

import pytest

from tests.expectations.test_real_corpus import REAL

_spec = importlib.util.spec_from_file_location("pingtan_rebuild", REAL / "_pingtan" / "rebuild.py")
rebuild = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rebuild)


@pytest.mark.parametrize("case", sorted(rebuild.PAGES))
def test_the_committed_page_is_the_stored_text_rebuilt(case):
    assert (REAL / case / "document.html").read_text("utf-8") == rebuild.page_html(case)


def test_a_split_that_is_not_the_stored_digits_is_refused(monkeypatch):
    case = "pingtan-gov-2022"
    page = dict(rebuild.PAGES[case], application=["71 3 0 0 0 0 75", *rebuild.PAGES[case]["application"][1:]])
    monkeypatch.setitem(rebuild.PAGES, case, page)
    with pytest.raises(AssertionError, match="一、本年新收政府信息公开申请数量"):
        rebuild.page_html(case)


def test_the_ocr_text_page_is_its_stored_text_rebuilt():
    spec = importlib.util.spec_from_file_location("shuyang_rebuild", REAL / "_shuyang" / "rebuild.py")
    shuyang = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shuyang)
    assert (REAL / "shuyang-gov-2025" / "document.html").read_text("utf-8") == shuyang.page_html()
