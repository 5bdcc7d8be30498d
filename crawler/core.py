"""crawl_portal: one portal column → its annual reports in the raw store, and a record of every request.

column page → adapter (TRS / Hanweb / gkmlpt / JSON API / generic) → list items, and sub-columns (乡镇/部门, years,
agencies, 更多>>, iframes) walked the same way within the site → classifier → detail page → metadata +
attachment (or the page itself when its body is the report) → ReportDocument, with the path it was found by.

A column that yields no report, on any run, is a health problem that says what the crawler saw: a portal
misunderstood from its first night must not stay silent.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from crawler import pages
from crawler.classify import Verdict, classify
from crawler.columns import ColumnListing, ColumnWalker, Path, page_of
from crawler.fetcher import Fetcher, Response, registrable_domain
from crawler.filetypes import DOCUMENT_TYPES, is_binary, media_type_of
from crawler.pages import ListItem
from crawler.store import RawStore
from nianbao.config import CrawlerSettings
from nianbao.models import CrawlResult, CrawlState, HealthProblem, KnownUrl, Portal, ReportDocument, SkippedItem

# a detail page without an attachment holds the report itself when its article is this long (a report
# runs to thousands of characters; a notice that "the report is attached" to a few dozen)
MIN_REPORT_BODY_CHARS = 400
# how many of the links, branches and skipped titles a column_not_understood problem quotes
QUOTED = 5
LOG = logging.getLogger("nianbao.crawler")
# a health problem's detail is read in an email and a table cell: past this it is cut, saying how much was left
MAX_HEALTH_DETAIL_CHARS = 2000
# the fetches of report pages and documents, and the outcomes that leave the crawl without one
ITEM_PURPOSES = ("detail", "document")
ITEM_PROBLEMS = ("failed", "too_large", "disallowed", "refused")


def crawl_portal(
    portal: Portal,
    settings: CrawlerSettings,
    store: RawStore,
    state: CrawlState,
    run_id: str,
    log: logging.Logger | logging.LoggerAdapter = LOG,
) -> CrawlResult:
    """Crawl one portal column and its sub-columns. Never raises for network or portal problems: they are in
    the result's fetches (outcome failed/too_large/disallowed, with the reason) and health problems. Progress
    (list pages read, items seen, reports found, documents downloaded) goes to `log` as the crawl goes."""
    result = CrawlResult(portal=portal)
    allowed = (registrable_domain(urlsplit(portal.column_url).hostname or ""), *portal.allowed_hosts)
    with Fetcher(settings, store, run_id, portal.portal_id, state.known, allowed) as fetcher:
        _PortalCrawl(portal, settings, fetcher, store, state, result, log).run()
        result.fetches = fetcher.fetches
    return result


def state_after(result: CrawlResult, earlier: CrawlState | None = None) -> CrawlState:
    """What the next run should know: every URL fetched with bytes kept, and how many items were listed.
    (The warehouse keeps the same from the fetches and documents; this is the in-memory equivalent.)"""
    known = dict(earlier.known) if earlier else {}
    media = {d.document_url: d.media_type for d in result.documents}
    for f in result.fetches:
        if f.sha256 and f.outcome in ("downloaded", "not_modified"):
            known[f.url] = KnownUrl(f.url, f.etag, f.last_modified, f.sha256, media.get(f.url, "html"), f.fetched_at)
    listed = result.items_listed or (earlier.previously_listed if earlier else 0)
    return CrawlState(known=known, previously_listed=listed)


class _PortalCrawl:
    def __init__(
        self,
        portal: Portal,
        settings: CrawlerSettings,
        fetcher: Fetcher,
        store: RawStore,
        state: CrawlState,
        result: CrawlResult,
        log: logging.Logger | logging.LoggerAdapter,
    ):
        self.portal = portal
        self.settings = settings
        self.fetcher = fetcher
        self.store = store
        self.state = state
        self.result = result
        self.log = log
        self.name = f"{portal.county}（{portal.portal_id}）"
        self.walker = ColumnWalker(fetcher, settings, portal.cms, self._problem, log, self.name)
        self.paths: dict[str, Path] = {}  # item URL -> the pages it was found by

    def run(self) -> None:
        column_url, name = self.portal.column_url, self.name
        response = self.walker.first_page(column_url)
        if not response.ok:
            self._problem(column_url, "unreachable", f"column page: {response.fetch.error}")
            self.log.warning("%s: 栏目无法访问 %s (%s)", name, column_url, response.fetch.error)
            return
        listing = self.walker.walk(page_of(response))
        self.result.items_listed = len(listing.items)
        self.log.info(
            "%s: 读取列表页 %d 个（子栏目 %d 个），列出条目 %d 个",
            name, listing.pages_read, len(listing.branches), len(listing.items),
        )
        self.paths = {url: path for url, (_, path) in listing.items.items()}
        for done, (item, _) in enumerate(listing.items.values(), start=1):
            if self.fetcher.out_of_time:
                self._problem(
                    column_url, "crawl_time_limit",
                    f"the crawl stopped at the portal's time limit ({self.settings.portal_time_limit_seconds:g} s, "
                    f"crawler.portal_time_limit_seconds): {len(listing.items) - done + 1} of {len(listing.items)} "
                    "listed items not visited",
                )
                break
            self._item(item)
            if done % 20 == 0 or done == len(listing.items):
                self.log.info(
                    "%s: 条目 %d/%d，找到年报 %d 份，下载文档 %d 个", name, done, len(listing.items),
                    len(self.result.documents), sum(d.changed for d in self.result.documents),
                )
        self._judge_column(listing)
        self._report_failed_downloads()

    def _judge_column(self, listing: ColumnListing) -> None:
        """A column that yields no report, or lists far fewer items than last time, is a health problem."""
        column_url, previously = self.portal.column_url, self.state.previously_listed
        items = len(listing.items)
        if not items and previously > 0:
            self._problem(
                column_url, "column_empty",
                f"the column lists no items ({', '.join(listing.adapters)} layout); it listed {previously} "
                "the last time it listed any",
            )
            return
        if items and previously and items < previously * self.settings.sharp_drop_ratio:
            self._problem(
                column_url, "column_shrunk",
                f"栏目条目数骤减：上次列出 {previously} 条，本次仅 {items} 条"
                f"（低于上次的 {self.settings.sharp_drop_ratio:.0%}），请核对栏目是否改版或迁移",
            )
        failed_items = any(f.purpose in ITEM_PURPOSES and f.outcome in ITEM_PROBLEMS for f in self.fetcher.fetches)
        if self.result.documents or failed_items:
            return  # reports found, or report pages not had (pages_failed, robots_disallowed, redirect_refused say which)
        branches = "；".join(f"{b.title} {b.url}" for b in listing.branches[:QUOTED]) or "无"
        skipped = "；".join(s.title for s in self.result.skipped[:QUOTED]) or "无"
        self._problem(
            column_url, "column_not_understood",
            f"栏目未能读出任何年度报告：读取列表页 {listing.pages_read} 个，栏目页上有链接 {listing.links_on_column} 个，"
            f"列出条目 {items} 个（判定为非年报而跳过 {len(self.result.skipped)} 个：{skipped}），"
            f"跟进的子栏目 {len(listing.branches)} 个（{branches}），已尝试的适配器：{'、'.join(listing.adapters)}。"
            "请核对栏目网址（nianbao discover 可重新查找）或为该网站的版式配置适配器。",
        )

    # ------------------------------------------------------------------------------------ items

    def _item(self, item: ListItem) -> None:
        verdict = classify(item.title)
        if verdict.is_report is False:
            self._skip(item.url, item.title, verdict.reason)
            return
        if pages.is_document_url(item.url):  # the list links the file itself, with no detail page
            self._document(item, item.url, item.title, {}, verdict)
            return
        response = self.fetcher.get(item.url, "detail")
        if not response.ok:
            return
        if media_type_of(response.data, item.url) in DOCUMENT_TYPES:  # a download link without an extension
            self._accept(item, item.url, item.title, {}, verdict, response)
            return
        if is_binary(response.data):  # neither a page nor a document we know: not a report, whatever it is
            response.fetch.outcome = "failed"
            response.fetch.error = "not a web page or a report document: the detail URL answered with binary bytes"
            return
        page = page_of(response)
        metadata = pages.metadata(page)
        title = metadata.get("title") or (item.title if verdict.is_report is not None else pages.heading(page))
        verdict = classify(title, metadata)
        if not verdict.is_report:
            self._skip(item.url, title, verdict.reason)
            return
        attachments = pages.attachments(page)
        cap = self.settings.max_attachments_per_page
        for url in attachments[:cap]:
            if self._document(item, url, title, metadata, verdict):
                return
        if len(attachments) > cap:
            self._problem(
                item.url, "pages_failed",
                f"the detail page links {len(attachments)} attachments; none of the first {cap} "
                "(crawler.max_attachments_per_page) was a report document, the rest were not tried",
            )
        if attachments:
            return  # every attachment tried failed; the fetches say why
        if len(pages.article_text(page)) >= MIN_REPORT_BODY_CHARS:
            self._accept(item, item.url, title, metadata, verdict, response)
        else:
            self._skip(item.url, title, "listed as a report, but the detail page has no attachment and no report text")

    def _document(self, item: ListItem, url: str, title: str, metadata: dict[str, str], verdict: Verdict) -> bool:
        response = self.fetcher.get(url, "document", referer=item.url)
        if not response.ok:
            return False
        media_type = media_type_of(response.data, url)
        if media_type not in DOCUMENT_TYPES:
            # a soft 404 or a login page served with 200 in place of the file
            response.fetch.outcome = "failed"
            response.fetch.error = f"not a report document: the bytes are {media_type or 'of an unknown type'}"
            return False
        self._accept(item, url, title, metadata, verdict, response)
        return True

    def _accept(self, item: ListItem, url: str, title: str, metadata: dict[str, str], verdict: Verdict, response: Response) -> None:
        fetch = response.fetch
        sha256 = fetch.sha256 or self.store.put(response.data)
        earlier = self.state.known.get(url)
        self.result.documents.append(
            ReportDocument(
                portal_id=self.portal.portal_id,
                detail_url=item.url,
                document_url=url,
                title=title,
                sha256=sha256,
                media_type=media_type_of(response.data, url) or "html",
                raw_path=self.store.path(sha256),
                index_no=metadata.get("index_no"),
                publisher=metadata.get("publisher"),
                published_date=pages.parse_date(metadata.get("published")) or item.listed_date,
                written_date=pages.parse_date(metadata.get("written")),
                agency=verdict.agency,
                year=verdict.year,
                changed=not (fetch.outcome == "not_modified" or (earlier is not None and earlier.sha256 == sha256)),
                discovery_path=self.paths[item.url],
            )
        )

    # ------------------------------------------------------------------------------------ records

    def _skip(self, url: str, title: str, reason: str) -> None:
        self.result.skipped.append(SkippedItem(self.portal.portal_id, url, title, reason, self.paths[url]))

    def _problem(self, url: str, problem: str, detail: str) -> None:
        if len(detail) > MAX_HEALTH_DETAIL_CHARS:
            cut = MAX_HEALTH_DETAIL_CHARS - 60
            detail = f"{detail[:cut]} … ({len(detail) - cut} more characters in the run's fetches)"
        self.result.health.append(HealthProblem(self.portal.portal_id, url, problem, detail))

    def _report_failed_downloads(self) -> None:
        """Every report page or document the crawl did not get is a health problem: failed, refused by
        robots.txt (never a silent miss: the office must know a report it cannot see), or redirected where
        the crawl may not go (the final URL said)."""
        for problem, outcomes, what in (
            ("pages_failed", ("failed", "too_large"), "failed"),
            ("robots_disallowed", ("disallowed",), "not fetched: the site's robots.txt disallows them"),
            ("redirect_refused", ("refused",), "refused: redirected where this portal's crawl may not go"),
        ):
            fetches = [f for f in self.fetcher.fetches if f.purpose in ITEM_PURPOSES and f.outcome in outcomes]
            if fetches:
                listing = "; ".join(f"{f.url}: {f.error}" for f in fetches)
                self._problem(self.portal.column_url, problem, f"{len(fetches)} item page(s) or document(s) {what}: {listing}")
