"""Lists rendered by JavaScript from a JSON endpoint: the column page holds an empty list and a script that
asks something like /api/xxgk/list?columnId=…&page=… (or $.ajax({url: '…/list.json', data: {pageNo: 1}})).
The endpoint is read from the page's script, asked page by page, and its records are found in the JSON
wherever they sit, by their field names."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from typing import Any, Iterator
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.pages import ListItem, Page, parse_date

NAME = "jsonapi"
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
# a string literal in a script naming a list endpoint by path (not a script or style file)
ENDPOINT = re.compile(
    r"""["'](?P<url>(?:https?://|/|\.\.?/)[^"'\s<>]*?(?:/api/|\.json|[/_]list|getList|queryList)[^"'\s<>]*)["']""", re.I
)
NEARBY = 400  # characters after the endpoint where the script names its page parameter (data: {pageNo: 1})
STATIC = re.compile(r"\.(?:js|css|png|jpe?g|gif|svg|ico)(?:\?|$)", re.I)
PAGE_PARAMS = ("page", "pageNo", "pageIndex", "pageNum", "currentPage", "curPage", "pn")
PAGE_PARAM_IN_SCRIPT = re.compile(r"""["']?\b(""" + "|".join(PAGE_PARAMS) + r""")\b["']?\s*[:=]\s*\d""")
TITLE_KEYS = ("title", "docTitle", "doc_title", "articleTitle", "name", "bt", "subject")
URL_KEYS = ("url", "post_url", "link", "href", "docUrl", "doc_url", "linkUrl", "detailUrl", "pageUrl")
DATE_KEYS = (
    "publishDate", "publish_date", "pubDate", "pub_date", "publishTime", "publish_time", "display_publish_time",
    "releaseTime", "docreltime", "fbrq", "date", "createTime", "created_at", "time",
)
TOTAL_PAGE_KEYS = ("totalPage", "totalPages", "pageCount", "total_page", "pagecount", "pages")
TOTAL_RECORD_KEYS = ("total", "totalCount", "totalRecord", "recordCount", "totalElements", "count")


def detect(page: Page) -> bool:
    return endpoint(page) is not None


def endpoint(page: Page) -> tuple[str, str] | None:
    """The list endpoint the page's script asks (absolute URL without the page number) and its page parameter."""
    for script in SCRIPT.findall(page.text):
        for m in ENDPOINT.finditer(script):
            url = m.group("url")
            if STATIC.search(url):
                continue
            parts = urlsplit(urljoin(page.url, url))
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            named = next((p for p in PAGE_PARAMS if p in params), None)
            if named is None and (in_script := PAGE_PARAM_IN_SCRIPT.search(script, m.end(), m.end() + NEARBY)):
                named = in_script.group(1)
            if named is None:
                continue
            params.pop(named, None)
            return urlunsplit(parts._replace(query=urlencode(params))), named
    return None


def list_items(first: Page, fetch_page) -> Iterator[ListItem]:
    found = endpoint(first)
    if found is None:
        return
    url, page_param = found
    total_pages, number = None, 1
    while total_pages is None or number <= total_pages:
        separator = "&" if urlsplit(url).query else "?"
        call = f"{url}{separator}{urlencode({page_param: number})}"
        answer = fetch_page(call, referer=first.url)
        try:
            data = json.loads(answer.text) if answer is not None else None
        except ValueError:
            data = None
        records = _records(data) if data is not None else []
        if not records:
            return
        yield from (item for r in records if (item := _item(r, call)) is not None)
        total_pages = total_pages or _total_pages(data, len(records))
        number += 1


def _records(data: Any) -> list[dict]:
    """The first list of objects, breadth first, whose objects carry a title and a link."""
    queue = [data]
    while queue:
        node = queue.pop(0)
        if isinstance(node, list):
            objects = [x for x in node if isinstance(x, dict)]
            if objects and any(_field(x, TITLE_KEYS) and _field(x, URL_KEYS) for x in objects):
                return objects
            queue.extend(node)
        elif isinstance(node, dict):
            queue.extend(node.values())
    return []


def _field(record: dict, keys: tuple[str, ...]) -> Any:
    lowered = {k.lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key.lower())
        if value not in (None, ""):
            return value
    return None


def _item(record: dict, call: str) -> ListItem | None:
    title, link = _field(record, TITLE_KEYS), _field(record, URL_KEYS)
    if not isinstance(title, str) or not isinstance(link, str):
        return None
    title = re.sub(r"<[^>]+>", "", title).strip()  # search APIs highlight with <em>
    return ListItem(urljoin(call, link.strip()), title, date_of(_field(record, DATE_KEYS)), call)


def date_of(value: Any) -> date | None:
    if isinstance(value, (int, float)) and value > 0:  # epoch seconds or milliseconds
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, timezone.utc).date()
    if isinstance(value, str):
        return parse_date(value) or (date_of(int(value)) if value.isdigit() else None)
    return None


def _total_pages(data: Any, page_size: int) -> int | None:
    """The page count the answer states, or its record total over the size of this page."""
    queue = [data]
    while queue:
        node = queue.pop(0)
        if isinstance(node, dict):
            pages = _number(_field(node, TOTAL_PAGE_KEYS))
            if pages:
                return pages
            total = _number(_field(node, TOTAL_RECORD_KEYS))
            if total:
                return -(-total // page_size)
            queue.extend(v for v in node.values() if isinstance(v, dict))
    return None


def _number(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
