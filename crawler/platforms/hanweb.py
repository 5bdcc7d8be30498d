"""Hanweb 大汉 JCMS "jpage" columns: /col/col<id>/index.html carries the first records as XML
(<datastore><recordset><record><![CDATA[<li>…]]>), the rest come from /module/web/jpage/dataproxy.jsp
asked for startrecord..endrecord by POST, as the site's own script does."""

from __future__ import annotations

import html
import re
from typing import Iterator
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from crawler.pages import ListItem, Page, list_items as dated_items

NAME = "hanweb"
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
TOTAL = re.compile(r"<totalrecord>\s*(\d+)|totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
PER_PAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
NEXT_GROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=['\"]([^'\"]+)['\"]", re.S)
COLUMN_ID = re.compile(r"/col/col(\d+)/")
DEFAULT_PER_PAGE = 15
BATCH_PAGES = 3  # jpage asks for three pages' worth of records at a time


def detect(page: Page) -> bool:
    return "<datastore>" in page.text or "dataproxy.jsp" in page.text


def list_items(first: Page, fetch_page) -> Iterator[ListItem]:
    records = RECORD.findall(first.text)
    yield from _items(first.url, records)
    total = _total(first.text)
    per_page = int(m.group(1)) if (m := PER_PAGE.search(first.text)) else DEFAULT_PER_PAGE
    proxy, form = proxy_request(first)
    start = len(records) + 1
    while total is None or start <= total:
        end = start + per_page * BATCH_PAGES - 1
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
        page = fetch_page(f"{proxy}?{query}", form=form, referer=first.url)
        batch = RECORD.findall(page.text) if page is not None else []
        if not batch:
            return
        yield from _items(first.url, batch)
        total = total or _total(page.text)
        start += len(batch)


def proxy_request(first: Page) -> tuple[str, dict[str, str]]:
    """The dataproxy URL and the POST form, from the page's <nextgroup> link when it has one, else the
    module path beside the column (a site under a path prefix keeps its prefix)."""
    m = NEXT_GROUP.search(first.text)
    params: dict[str, str] = {}
    if m:
        link = urljoin(first.url, html.unescape(m.group(1)))
        proxy = link.split("?")[0]
        params = dict(parse_qsl(urlsplit(link).query))
    else:
        site_root = first.url.split("/col/col")[0]
        proxy = f"{site_root}/module/web/jpage/dataproxy.jsp"
    column = COLUMN_ID.search(first.url)
    form = {
        "col": "1", "appid": "1", "webid": "1", "path": "/", "sourceContentType": "1", "permissiontype": "0",
        **{k: v for k, v in params.items() if k not in ("page", "startrecord", "endrecord", "perpage")},
    }
    if "columnid" not in form and column:
        form["columnid"] = column.group(1)
    return proxy, form


def _total(text: str) -> int | None:
    m = TOTAL.search(text)
    return int(m.group(1) or m.group(2)) if m else None


def _items(base_url: str, records: list[str]) -> list[ListItem]:
    return [item for record in records for item in dated_items(Page(base_url, record), also=lambda url: "/art/" in url)]
