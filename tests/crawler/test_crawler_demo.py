"""The bundled demo portal (demo_portal/site/ served by demo_portal.server) crawled as the registry says."""

from __future__ import annotations

import hashlib
import pytest

from crawler import RawStore, crawl_portal
from demo_portal.server import demo_portals, serve
from demo_portal.sites import DOCUMENTS_DIR, SITE_DIR, build_sites, load_reports
from nianbao.config import CrawlerSettings
from nianbao.models import CrawlState

@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory):
    """Every registry portal crawled once from the demo server on a free port."""
    server, base_url = serve(0)
    store = RawStore(tmp_path_factory.mktemp("raw"))
    settings = CrawlerSettings(requests_per_second_per_host=50, backoff_seconds=0.01)
    try:
        results = {
            p.portal_id: crawl_portal(p, settings, store, CrawlState(), "demo-run") for p in demo_portals(base_url)
        }
    finally:
        server.shutdown()
        server.server_close()
    return results


def test_the_demo_portal_yields_exactly_the_five_seed_reports(demo_crawl):
    reports = load_reports()
    documents = [d for result in demo_crawl.values() for d in result.documents]
    expected = {hashlib.sha256((DOCUMENTS_DIR / r.file).read_bytes()).hexdigest(): r for r in reports.values() if r.seed != "003"}

    assert len(documents) == 5
    assert {d.sha256 for d in documents if d.media_type != "html"} == set(expected)
    assert {d.portal_id: d.media_type for d in documents if d.portal_id != "pingluo"} == {
        "xingqing": "pdf", "zhongning": "docx", "longyang": "html"
    }
    for d in documents:
        if d.sha256 in expected:
            seed = expected[d.sha256]
            assert (d.title, d.index_no, d.published_date) == (seed.title, seed.index_no, seed.published)


def test_the_html_report_is_the_longyang_detail_page_with_its_index_number(demo_crawl):
    [doc] = demo_crawl["longyang"].documents
    assert doc.document_url == doc.detail_url and doc.detail_url.endswith("/202001/t20200131_3151.shtml")
    assert (doc.index_no, doc.publisher, str(doc.published_date)) == ("01525767-7-/2020-0131001", "隆阳区西邑乡人民政府", "2020-01-31")
    assert (DOCUMENTS_DIR / "003.html").read_text("utf-8").strip() in doc.raw_path.read_text("utf-8")


def test_every_other_listed_item_is_skipped_as_no_report_and_nothing_fails(demo_crawl):
    for result in demo_crawl.values():
        assert len(result.documents) + len(result.skipped) == result.items_listed
    skipped = {s.title: s.reason for result in demo_crawl.values() for s in result.skipped}
    assert skipped["平罗县人民政府政府信息公开指南"] == "政府信息公开指南 (a guide), not an annual report"
    assert skipped["兴庆区政府信息公开制度"] == "政府信息公开制度 (rules), not an annual report"
    assert not set(skipped) & {r.title for r in load_reports().values()}
    assert [h for result in demo_crawl.values() for h in result.health] == []
    assert {f.outcome for result in demo_crawl.values() for f in result.fetches} == {"downloaded"}


def test_the_committed_demo_site_is_built_from_the_current_documents(tmp_path):
    rebuilt = build_sites(DOCUMENTS_DIR, tmp_path / "site")
    assert tree_bytes(rebuilt) == tree_bytes(SITE_DIR), "run `python -m demo_portal.sites` and commit demo_portal/site/"


def tree_bytes(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
