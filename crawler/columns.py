"""Walking a column tree: a registered column page, and the sub-columns it leads to (乡镇/部门, one per year,
per agency, "更多>>", iframes), each read by its family's adapter — every list item once, with the path of
pages it was found by. Bounded by `crawler.column_depth` and `crawler.max_list_pages`; each list page (URL and
form) is read once per run. Used by the crawl (crawler.core) and by `nianbao discover` (crawler.discover)."""

from __future__ import annotations

import logging
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

from crawler import pages, platforms
from crawler.fetcher import Fetcher, Response
from crawler.pages import ListItem, Page, SubColumn
from crawler.platforms import adapter_for
from nianbao.config import CrawlerSettings
from nianbao.decoding import decode_html

Path = tuple[str, ...]  # the column pages from the registered column down to the list page of an item
PROGRESS_EVERY = 10  # list pages between two progress lines
# a directory and its index page are one list page (a pager's 首页 link to index.html beside the column's dir/)
DIRECTORY_INDEX = re.compile(r"/(?:index|default)\.s?html?$", re.I)


@dataclass
class ColumnListing:
    items: dict[str, tuple[ListItem, Path]] = field(default_factory=dict)  # item URL -> (item, path)
    pages_read: int = 0
    branches: list[SubColumn] = field(default_factory=list)  # the sub-columns followed
    adapters: list[str] = field(default_factory=list)  # the adapters that read the tree's pages, in order
    links_on_column: int = 0  # links on the registered column page


def page_of(response: Response) -> Page:
    return Page(response.fetch.url, decode_html(response.data, response.content_type))


class ColumnWalker:
    """`problem(url, problem, detail)` hears of list pages that failed and of the page cap being reached;
    `log` hears of the progress every PROGRESS_EVERY list pages, under `name`."""

    def __init__(
        self,
        fetcher: Fetcher,
        settings: CrawlerSettings,
        cms: str,
        problem: Callable[[str, str, str], None],
        log: logging.Logger | logging.LoggerAdapter | None = None,
        name: str = "",
    ):
        self.fetcher = fetcher
        self.settings = settings
        self.cms = cms
        self.problem = problem
        self.log = log
        self.name = name
        self.requests: set[tuple] = set()  # (url, form) of every list page asked for this run
        self.capped = False

    def first_page(self, url: str) -> Response:
        self.requests.add(_request_key(url, None))
        return self.fetcher.get(url, "list")

    def walk(self, column: Page) -> ColumnListing:
        """Every item of the column and of its sub-columns (breadth first, `column_depth` levels down, within
        the site), each once, with the path of pages it was found by."""
        listing = ColumnListing(links_on_column=len(pages.anchors(column)))
        queue: deque[tuple[Page, Path, int]] = deque([(column, (column.url,), 0)])
        while queue:
            page, path, depth = queue.popleft()
            listed: list[ListItem] = []
            # the family's adapter first; a page it finds nothing on is read as a plain list too
            for adapter in dict.fromkeys((adapter_for(self.cms, page), platforms.generic)):
                if adapter.NAME not in listing.adapters:
                    listing.adapters.append(adapter.NAME)
                listed = list(adapter.list_items(page, self.list_page))
                if listed:
                    break
            branches, undated = pages.sub_columns(page, {i.url for i in listed}, agencies=not listed)
            for item in listed + undated:
                via = (item.listed_on,) if item.listed_on and item.listed_on != page.url else ()
                listing.items.setdefault(item.url, (item, path + via))
            if depth >= self.settings.column_depth:
                continue
            for branch in branches:
                if _request_key(branch.url, None) in self.requests:
                    continue
                sub = self.list_page(branch.url, referer=page.url)
                if sub is not None:
                    listing.branches.append(branch)
                    queue.append((sub, path + (branch.url,), depth + 1))
        listing.pages_read = len(self.requests)
        return listing

    def list_page(self, url: str, form: dict[str, str] | None = None, referer: str | None = None) -> Page | None:
        """A further list page for an adapter or a branch; None when it failed, was read already this run, or
        the run's page budget is spent."""
        key = _request_key(url, form)
        if key in self.requests or self.fetcher.out_of_time:  # past the portal's time limit: core.py says so
            return None
        if len(self.requests) >= self.settings.max_list_pages:
            if not self.capped:
                self.capped = True
                self.problem(
                    url, "list_pages_capped",
                    f"已读取列表页 {self.settings.max_list_pages} 个（crawler.max_list_pages 上限），其余列表页本次未读取",
                )
            return None
        self.requests.add(key)
        if self.log is not None and len(self.requests) % PROGRESS_EVERY == 0:
            self.log.info("%s: 已读取列表页 %d 个", self.name, len(self.requests))
        response = self.fetcher.get(url, "list", form=form, referer=referer)
        if not response.ok:
            self.problem(url, "pages_failed", f"list page: {response.fetch.error}")
            return None
        return page_of(response)


def _request_key(url: str, form: dict[str, str] | None) -> tuple:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=DIRECTORY_INDEX.sub("/", parts.path))), tuple(sorted((form or {}).items()))
