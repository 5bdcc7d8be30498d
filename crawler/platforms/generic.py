"""Any other CMS: a plain list of dated links, paged by 下一页 / numbered pager links."""

from __future__ import annotations

from typing import Iterator

from crawler.pages import ListItem, Page, list_items as dated_items, pager_urls

NAME = "generic"
MAX_PAGES = 200  # a pager that never ends (calendar-like links) must not keep the crawl going forever


def detect(page: Page) -> bool:
    return True


def list_items(first: Page, fetch_page) -> Iterator[ListItem]:
    seen = {first.url}
    queue = [first]
    while queue:
        page = queue.pop(0)
        yield from dated_items(page)
        for url in pager_urls(page):
            if url not in seen and len(seen) < MAX_PAGES:
                seen.add(url)
                more = fetch_page(url)
                if more is not None:
                    queue.append(more)
