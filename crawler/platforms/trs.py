"""TRS WCM (拓尔思): pages index.html, index_1.html, … counted by createPageHTML(...); items are
./YYYYMM/tYYYYMMDD_<id>.html detail pages relative to the column."""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import urljoin

from crawler.pages import ListItem, Page, list_items as dated_items

NAME = "trs"
DETAIL_URL = re.compile(r"/\d{6}/t\d{8}_\d+\.s?html?$")
# classic createPageHTML(count, current, "index", "html"); the customised variant puts a div name first
# and a record total last: createPageHTML('page_div', count, current, 'index', 'shtml', total)
CREATE_PAGE_HTML = re.compile(
    r"""createPageHTML\(\s*(?:['"][^'"]*['"]\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*['"]([\w.-]+)['"]\s*,\s*['"](\w+)['"]"""
)

# the older template writes its pager from script variables: var currentPage = 0; var countPage = 2
COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
CURRENT_PAGE = re.compile(r"var\s+currentPage\s*=\s*(\d+)")
PAGE_NAME = re.compile(r"/(\w+?)(?:_\d+)?\.(s?html?)$")


def detect(page: Page) -> bool:
    return "createPageHTML" in page.text or bool(COUNT_PAGE.search(page.text))


def list_items(first: Page, fetch_page) -> Iterator[ListItem]:
    yield from _items(first)
    for url in page_urls(first):
        page = fetch_page(url)
        if page is not None:
            yield from _items(page)


def page_urls(first: Page) -> list[str]:
    """The other list pages. The first page's own index tells the base: the classic call is 0-based
    (index.html, index_1 … index_{n-1}), the customised one 1-based (index.shtml, index_2 … index_n)."""
    m = CREATE_PAGE_HTML.search(first.text)
    if m:
        count, current, name, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
        return [urljoin(first.url, f"{name}_{i}.{ext}") for i in range(current + 1, current + count)]
    if count_match := COUNT_PAGE.search(first.text):  # 0-based like the classic createPageHTML
        current = int(m.group(1)) if (m := CURRENT_PAGE.search(first.text)) else 0
        named = PAGE_NAME.search(first.url)
        name, ext = (named.group(1), named.group(2)) if named else ("index", "html")
        return [urljoin(first.url, f"{name}_{i}.{ext}") for i in range(current + 1, int(count_match.group(1)))]
    return []


def _items(page: Page) -> list[ListItem]:
    return dated_items(page, also=lambda url: bool(DETAIL_URL.search(url)))
