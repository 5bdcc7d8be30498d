"""crawl_portal: one portal column → its annual reports in the raw store, and a record of every request.

column page → adapter (TRS / Hanweb / generic) → list items → classifier → detail page → metadata +
attachment (or the page itself when its body is the report) → ReportDocument.
"""

from __future__ import annotations

from crawler import pages
from crawler.classify import Verdict, classify
from crawler.fetcher import Fetcher, Response
from crawler.filetypes import DOCUMENT_TYPES, media_type_of
from crawler.pages import ListItem, Page
from crawler.platforms import adapter_for
from crawler.store import RawStore
from nianbao.config import CrawlerSettings
from nianbao.decoding import decode_html
from nianbao.models import CrawlResult, CrawlState, HealthProblem, KnownUrl, Portal, ReportDocument, SkippedItem

# a detail page without an attachment holds the report itself when its article is this long (a report
# runs to thousands of characters; a notice that "the report is attached" to a few dozen)
MIN_REPORT_BODY_CHARS = 400


def crawl_portal(portal: Portal, settings: CrawlerSettings, store: RawStore, state: CrawlState, run_id: str) -> CrawlResult:
    """Crawl one portal column. Never raises for network or portal problems: they are in the result's
    fetches (outcome failed/too_large/disallowed, with the reason) and health problems."""
    result = CrawlResult(portal=portal)
    with Fetcher(settings, store, run_id, portal.portal_id, state.known) as fetcher:
        _PortalCrawl(portal, fetcher, store, state, result).run()
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
    def __init__(self, portal: Portal, fetcher: Fetcher, store: RawStore, state: CrawlState, result: CrawlResult):
        self.portal = portal
        self.fetcher = fetcher
        self.store = store
        self.state = state
        self.result = result

    def run(self) -> None:
        column_url = self.portal.column_url
        response = self.fetcher.get(column_url, "list")
        if not response.ok:
            self._problem(column_url, "unreachable", f"column page: {response.fetch.error}")
            return
        column = self._page(response)
        adapter = adapter_for(self.portal.cms, column)
        items = list({item.url: item for item in adapter.list_items(column, self._list_page)}.values())
        self.result.items_listed = len(items)
        if not items and self.state.previously_listed > 0:
            self._problem(
                column_url, "column_empty",
                f"the column lists no items ({adapter.NAME} layout); it listed {self.state.previously_listed} last time",
            )
        for item in items:
            self._item(item)
        self._report_failed_downloads()

    # ------------------------------------------------------------------------------------ list pages

    def _list_page(self, url: str, form: dict[str, str] | None = None, referer: str | None = None) -> Page | None:
        response = self.fetcher.get(url, "list", form=form, referer=referer)
        if not response.ok:
            self._problem(url, "pages_failed", f"list page: {response.fetch.error}")
            return None
        return self._page(response)

    @staticmethod
    def _page(response: Response) -> Page:
        return Page(response.fetch.url, decode_html(response.data, response.content_type))

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
        page = self._page(response)
        metadata = pages.metadata(page)
        title = metadata.get("title") or (item.title if verdict.is_report is not None else pages.heading(page))
        verdict = classify(title, metadata)
        if not verdict.is_report:
            self._skip(item.url, title, verdict.reason)
            return
        attachments = pages.attachments(page)
        for url in attachments:
            if self._document(item, url, title, metadata, verdict):
                return
        if attachments:
            return  # every attachment failed; the fetches say why
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
            )
        )

    # ------------------------------------------------------------------------------------ records

    def _skip(self, url: str, title: str, reason: str) -> None:
        self.result.skipped.append(SkippedItem(self.portal.portal_id, url, title, reason))

    def _problem(self, url: str, problem: str, detail: str) -> None:
        self.result.health.append(HealthProblem(self.portal.portal_id, url, problem, detail))

    def _report_failed_downloads(self) -> None:
        failed = [f for f in self.fetcher.fetches if f.purpose in ("detail", "document") and f.outcome in ("failed", "too_large")]
        if failed:
            listing = "; ".join(f"{f.url}: {f.error}" for f in failed)
            self._problem(self.portal.column_url, "pages_failed", f"{len(failed)} item page(s) or document(s) failed: {listing}")
