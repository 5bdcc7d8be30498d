"""Guangdong's 政府信息公开目录管理平台 (gkmlpt), on every Guangdong county site: /gkmlpt/index carries
`window._CONFIG = {SID: '<site>', TREE: [<category nodes>], …}` and draws each category's list from
/gkmlpt/api/all/<category>?page=<n>&sid=<site>, JSON {classify: {post_count}, articles: [{title, url,
display_publish_time, …}]}. The annual-report categories are the tree's nodes named like the column (年报,
年度报告), or the one the registered URL names after its # (…/gkmlpt/index#2653)."""

from __future__ import annotations

import json
import re
from typing import Iterator
from urllib.parse import urlencode, urljoin, urlsplit

from crawler.pages import REPORT_COLUMN_NAME, ListItem, Page
from crawler.platforms import jsonapi

NAME = "gkmlpt"
SID = re.compile(r"""SID\s*:\s*['"](\d+)['"]""")
TREE = re.compile(r"TREE\s*:\s*(\[.*?\])\s*,\s*[A-Z_]+\s*:", re.S)


def detect(page: Page) -> bool:
    return "gkmlpt" in page.text and bool(SID.search(page.text))


def list_items(first: Page, fetch_page) -> Iterator[ListItem]:
    sid = SID.search(first.text)
    if sid is None:
        return
    for category in categories(first):
        yield from _category_items(first, sid.group(1), category, fetch_page)


def categories(first: Page) -> list[int]:
    """The category named after the URL's #, else every node of the tree named like the report column
    (and its children), leaving out nodes that only jump elsewhere."""
    fragment = urlsplit(first.url).fragment
    if fragment.isdigit():
        return [int(fragment)]
    m = TREE.search(first.text)
    try:
        tree = json.loads(m.group(1)) if m else []
    except ValueError:
        return []
    found: list[int] = []

    def visit(nodes: list, inside: bool) -> None:
        for node in nodes:
            named = inside or bool(REPORT_COLUMN_NAME.search(node.get("name", "")))
            if named and not node.get("jump_url") and node.get("id") not in found:
                found.append(node["id"])
            visit(node.get("children") or [], named)

    visit(tree, False)
    return found


def _category_items(first: Page, sid: str, category: int, fetch_page) -> Iterator[ListItem]:
    api = urljoin(first.url, f"api/all/{category}")
    number, listed = 1, 0
    while True:
        call = f"{api}?{urlencode({'page': number, 'sid': sid})}"
        answer = fetch_page(call, referer=first.url)
        try:
            data = json.loads(answer.text) if answer is not None else {}
        except ValueError:
            return
        articles = (data.get("articles") if isinstance(data, dict) else None) or []
        if not articles:
            return
        for article in articles:
            link = article.get("url") or article.get("post_url")
            if isinstance(link, str) and isinstance(article.get("title"), str):
                yield ListItem(urljoin(call, link), article["title"].strip(),
                               jsonapi.date_of(article.get("display_publish_time")), call)
        listed += len(articles)
        if listed >= ((data.get("classify") or {}).get("post_count") or 0):
            return
        number += 1
