"""Finding a county's annual-report column from its home page (or its 政府信息公开 page), for the registry.

home page → links named like the column (政府信息公开年报, 信息公开年报, 政府信息公开工作年度报告 …) and the
gateways to it (政府信息公开, 信息公开, 政务公开), followed within the site, breadth first and bounded →
each candidate column walked like a crawl would (sub-columns included) → the ones that list annual reports,
with the CMS family that read them and the county named by the site.

Polite like the crawl: the same fetcher (robots.txt, per-host rate limit); nothing is downloaded but pages.
"""

from __future__ import annotations

import re
import tempfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler import pages
from crawler.classify import classify
from crawler.columns import ColumnWalker, page_of
from crawler.fetcher import Fetcher, registrable_domain
from crawler.pages import Page
from crawler.platforms import adapter_for
from crawler.store import RawStore
from nianbao.config import CrawlerSettings

# a link naming the column itself (no year: a link with a year names one report)
COLUMN_NAME = re.compile(r"(?:信息公开|政务公开)?(?:工作)?(?:年报|年度报告)(?:专栏)?$")
# links on the way to it
GATEWAY = re.compile(r"(?:政府信息公开|信息公开|政务公开|法定主动公开)")
YEAR = re.compile(r"(?:19|20)\d{2}")
COUNTY = re.compile(r"([\u4e00-\u9fa5]{1,8}?(?:自治县|自治旗|县|区|市|旗))人民政府")
# families whose 信息公开 page is itself the column (the adapter finds the report categories in it)
CATALOGUE_FAMILIES = ("gkmlpt",)
MAX_PAGES = 30  # pages read while looking for the column, besides the columns' own list pages
MAX_DEPTH = 3  # link levels below the page given
CANDIDATE_LIST_PAGES = 20  # list pages read of each candidate column (enough to see it holds reports)


@dataclass(frozen=True)
class Proposal:
    """A proposed registry entry: the column, the family that reads it, and what it was seen to hold."""

    column_url: str
    cms: str  # the adapter that read it: trs | hanweb | jsonapi | generic
    county: str | None
    reports_listed: int  # items of the column tree whose titles name an annual report
    items_listed: int
    found_on: str  # the page that links the column
    link_text: str


def discover(start_url: str, settings: CrawlerSettings, max_pages: int = MAX_PAGES) -> list[Proposal]:
    """The annual-report columns reachable from `start_url` that list annual reports, the ones that list the
    most first. A column found inside another proposed column's tree (a sub-column) is not proposed on its own."""
    with tempfile.TemporaryDirectory(prefix="nianbao-discover-") as scratch:
        site = (registrable_domain(urlsplit(start_url).hostname or ""),)
        with Fetcher(settings, RawStore(Path(scratch)), "discover", "discover", {}, site) as fetcher:
            return _Discovery(start_url, settings, fetcher, max_pages).run()


class _Discovery:
    def __init__(self, start_url: str, settings: CrawlerSettings, fetcher: Fetcher, max_pages: int):
        self.start_url = start_url
        self.settings = settings
        self.fetcher = fetcher
        self.max_pages = max_pages
        self.county: str | None = None
        self.trees: dict[str, set[str]] = {}  # proposed column -> the pages of its tree

    def run(self) -> list[Proposal]:
        candidates: dict[str, tuple[str, str]] = {}  # column URL -> (page linking it, link text)
        seen = {self.start_url}
        queue: deque[tuple[str, int]] = deque([(self.start_url, 0)])
        read = 0
        while queue and read < self.max_pages:
            url, depth = queue.popleft()
            response = self.fetcher.get(url, "list")
            read += 1
            if not response.ok:
                continue
            page = page_of(response)
            self.county = self.county or county_of(page)
            if (depth == 0 and _lists_reports(page)) or adapter_for("auto", page).NAME in CATALOGUE_FAMILIES:
                candidates.setdefault(page.url, (page.url, pages.heading(page)))  # given the column itself
            for link, text in pages.anchors(page):
                if not pages.same_site(link, self.start_url) or link in seen:
                    continue
                name = "".join(text.split())
                if COLUMN_NAME.search(name) and not YEAR.search(name):
                    candidates.setdefault(link, (page.url, text))
                    seen.add(link)
                elif GATEWAY.search(name) and depth + 1 <= MAX_DEPTH:
                    seen.add(link)
                    queue.append((link, depth + 1))
        proposals = [p for url, (on, text) in candidates.items() if (p := self._propose(url, on, text)) and p.reports_listed]
        return _outermost(sorted(proposals, key=lambda p: -p.reports_listed), self.trees)

    def _propose(self, column_url: str, found_on: str, link_text: str) -> Proposal | None:
        bounded = self.settings.model_copy(update={"max_list_pages": min(self.settings.max_list_pages, CANDIDATE_LIST_PAGES)})
        walker = ColumnWalker(self.fetcher, bounded, "auto", lambda *problem: None)
        response = walker.first_page(column_url)
        if not response.ok:
            return None
        column = page_of(response)
        listing = walker.walk(column)
        self.trees[column.url] = {column.url, *(b.url for b in listing.branches)}
        reports = sum(1 for item, _ in listing.items.values() if classify(item.title).is_report is not False)
        family = next((a for a in listing.adapters if a != "generic"), "generic")
        return Proposal(
            column.url, family, self.county or county_of(column), reports, len(listing.items), found_on, link_text
        )


def _outermost(proposals: list[Proposal], trees: dict[str, set[str]]) -> list[Proposal]:
    kept: list[Proposal] = []
    for p in proposals:
        inside_another = any(p.column_url in trees[q.column_url] for q in proposals if q is not p and q.reports_listed >= p.reports_listed)
        if not inside_another:
            kept.append(p)
    return kept


def _lists_reports(page: Page) -> bool:
    return any(classify(item.title).is_report for item in pages.list_items(page))


def county_of(page: Page) -> str | None:
    """The county the site names: in its <title>, else anywhere in its text (主办：某县人民政府办公室)."""
    titles = page.tree.xpath("//title")
    for text in ([titles[0].text_content()] if titles else []) + [page.tree.text_content()]:
        if m := COUNTY.search("".join(text.split())):
            return m.group(1)
    return None


def registry_entry(proposal: Proposal, province: str, city: str, taken: set[str]) -> dict:
    """The config/portals.yaml entry for a proposal; its id comes from the site's host (www.jxjaxzf.gov.cn →
    jxjaxzf), made unique against `taken` (which it joins)."""
    parts = urlsplit(proposal.column_url)
    labels = [label for label in (parts.hostname or "").split(".") if label not in ("www", "gov", "cn", "com", "org")]
    base = re.sub(r"[^a-z0-9]+", "-", "-".join(labels).lower()).strip("-") or "portal"
    if base.replace("-", "").isdigit():  # an address, not a name: the site's first path segment says more
        base = f"{base}-{re.sub(r'[^a-z0-9]+', '-', parts.path.split('/')[1].lower()).strip('-')}".rstrip("-")
    portal_id, n = base, 2
    while portal_id in taken:
        portal_id, n = f"{base}-{n}", n + 1
    taken.add(portal_id)
    entry = {"id": portal_id, "province": province, "city": city, "county": proposal.county or "（待填）",
             "column_url": proposal.column_url}
    if proposal.cms != "generic":
        entry["cms"] = proposal.cms
    return entry
