"""The crawler against a fixture portal served over real HTTP on 127.0.0.1.

The fixture portal (built by `build_fixture_portal`, one folder per CMS family) holds:

  /trs/nb/          TRS WCM, pages in GBK declared by <meta charset="gbk">, two list pages (createPageHTML):
                    report A (PDF), report B whose PDF is gone (404), report D posting A's PDF again under
                    another URL, a 政府信息公开指南; B's list title is truncated without a title attribute
  /hanweb/col/col88/  Hanweb jpage (UTF-8), two records in the page and three more from dataproxy.jsp:
                    report C (DOCX; the server answers 503 once), report E over the size cap, report H
                    whose detail page body is the report, a 政府信息公开制度, a notice
  /generic/         a plain list in GBK with no declaration at all (neither <meta> nor header), 下一页 to
                    list_2.html: report G (PDF), report F whose PDF robots.txt disallows, report I linked
                    straight to its PDF, a 公告
  /empty/           a column that lists nothing
"""

from __future__ import annotations

import dataclasses
import io
import json
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import docx
import pytest

from crawler import RawStore, crawl_portal, state_after
from crawler.fetcher import due_for_recheck
from crawler.filetypes import media_type_of
from crawler.pages import Page
from crawler.platforms import adapter_for
from demo_portal.server import PortalHandler, serve
from nianbao.config import CrawlerSettings
from nianbao.decoding import decode_html
from nianbao.models import CrawlState, KnownUrl, Portal

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WORD_97 = FIXTURES / "corpus" / "syn2021.doc"
EXCEL_97 = FIXTURES / "filetypes" / "xlrd-ragged.xls"  # a real workbook (fixtures/filetypes/SOURCES.md)
SIZE_CAP = 40_000
SETTINGS = CrawlerSettings(
    requests_per_second_per_host=50, retries=2, backoff_seconds=0.01, timeout_seconds=5, max_document_bytes=SIZE_CAP
)

REPORT_A = "甲县城关镇人民政府2022年政府信息公开工作年度报告"
REPORT_B = "甲县南关镇人民政府2022年政府信息公开工作年度报告"
REPORT_D = "甲县城关镇人民政府2022年政府信息公开工作年度报告（重发）"
REPORT_C = "乙区东街道办事处2022年政府信息公开工作年度报告"
REPORT_E = "乙区西园镇人民政府2022年政府信息公开工作年度报告（图片版）"
REPORT_H = "乙区农业农村局2022年政府信息公开工作年度报告"
REPORT_G = "丙县水务局2021年政府信息公开工作年度报告"
REPORT_F = "丙县教育局2021年政府信息公开工作年度报告"
REPORT_I = "丙县财政局2021年政府信息公开工作年度报告"
GUIDE = "甲县人民政府政府信息公开指南"
RULES = "乙区政府信息公开制度"
NOTICE = "关于报送2022年政府信息公开工作年度报告的通知"
ANNOUNCEMENT = "丙县人民政府网站维护公告"


# --------------------------------------------------------------------------------------- the portal


def pdf(label: str, size: int = 0) -> bytes:
    return b"%PDF-1.4\n% " + label.encode() + b"\n" + b"0" * size + b"\n%%EOF\n"


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def page(body: str, *, charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f"<html><head>{meta}<title>政府信息公开年报</title></head><body>"
            f'<ul class="nav"><li><a href="/">首页</a></li><li><a href="/xxgk/">信息公开</a></li></ul>'
            f'<div class="main">{body}</div><div class="footer">主办：县人民政府办公室 2015-2023</div></body></html>')


def dated(href: str, text: str, day: str, title: str | None = None) -> str:
    attr = f' title="{title}"' if title else ""
    return f'<li><a href="{href}"{attr}>{text}</a><span>{day}</span></li>'


def detail(title: str, index_no: str, publisher: str, day: str, body: str, *, charset: str | None = "utf-8") -> str:
    head = (f'<table class="xxgk"><tr><td>索引号：</td><td>{index_no}</td><td>发布机构：</td><td>{publisher}</td></tr>'
            f'<tr><td>名称：</td><td>{title}</td><td>发布日期：</td><td>{day}</td></tr></table>')
    return page(f"{head}<h1>{title}</h1>{body}", charset=charset)


def write(root: Path, path: str, data: str | bytes, encoding: str = "utf-8") -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def build_fixture_portal(root: Path) -> None:
    write(root, "robots.txt", "User-agent: *\nDisallow: /generic/private/\n")

    # TRS, GBK declared in <meta>
    gbk = {"charset": "gbk"}
    write(root, "trs/nb/index.html", page(
        '<ul class="list">'
        + dated("./202301/t20230120_101.html", REPORT_A[:20] + "...", "2023-01-20", title=REPORT_A)
        + dated("./202301/t20230118_102.html", REPORT_B[:20] + "...", "2023-01-18")
        + '</ul><script>createPageHTML(2, 0, "index", "html");</script>', **gbk), "gbk")
    write(root, "trs/nb/index_1.html", page(
        '<ul class="list">'
        + dated("./202301/t20230115_103.html", REPORT_D, "2023-01-15")
        + dated("./202201/t20220110_100.html", GUIDE, "2022-01-10")
        + '</ul><script>createPageHTML(2, 1, "index", "html");</script>', **gbk), "gbk")
    write(root, "trs/nb/202301/t20230120_101.html", detail(
        REPORT_A, "000000001/2023-00001", "甲县城关镇人民政府", "2023-01-20",
        '<div class="TRS_Editor">现予公布。</div>附件：<a href="./P020230120a.pdf">年度报告.pdf</a>', **gbk), "gbk")
    write(root, "trs/nb/202301/t20230118_102.html", detail(
        REPORT_B, "000000002/2023-00002", "甲县南关镇人民政府", "2023-01-18",
        '附件：<a href="./P020230118gone.pdf">年度报告.pdf</a>', **gbk), "gbk")
    write(root, "trs/nb/202301/t20230115_103.html", detail(
        REPORT_D, "000000001/2023-00003", "甲县城关镇人民政府", "2023-01-15",
        '附件：<a href="/trs/upload/copy-of-a.pdf">年度报告.pdf</a>', **gbk), "gbk")
    write(root, "trs/nb/202201/t20220110_100.html", detail(GUIDE, "000000000/2022-00001", "甲县人民政府", "2022-01-10", "指南正文", **gbk), "gbk")
    write(root, "trs/nb/202301/P020230120a.pdf", pdf("report A"))
    write(root, "trs/upload/copy-of-a.pdf", pdf("report A"))

    # Hanweb jpage, UTF-8; no <nextgroup> and no totalRecord: the crawler asks dataproxy.jsp until it runs dry
    records = [
        dated("/hanweb/art/2023/1/30/art_88_201.html", REPORT_C, "2023-01-30"),
        dated("/hanweb/art/2023/1/29/art_88_202.html", RULES, "2023-01-29"),
        dated("/hanweb/art/2023/1/28/art_88_203.html", REPORT_E, "2023-01-28"),
        dated("/hanweb/art/2023/1/27/art_88_204.html", REPORT_H, "2023-01-27"),
        dated("/hanweb/art/2023/1/5/art_88_205.html", NOTICE, "2023-01-05"),
    ]
    datastore = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[:2])
    write(root, "hanweb/col/col88/index.html", page(
        f'<div id="88"><script type="text/xml"><datastore><recordset>{datastore}</recordset></datastore></script></div>'
        '<script>$("#88").jpage({perPage: 2, proxyUrl: "/hanweb/module/web/jpage/dataproxy.jsp"});</script>'))
    write(root, "hanweb/module/web/jpage/records/88.json", json.dumps(records, ensure_ascii=False))
    write(root, "hanweb/art/2023/1/30/art_88_201.html", detail(
        REPORT_C, "11000000AAAAAAAA1X/2023-00011", "乙区东街道办事处", "2023-01-30",
        '<div id="zoom">现予发布。</div><a href="/hanweb/picture/0/2301301.docx">附件下载</a>'))
    write(root, "hanweb/art/2023/1/28/art_88_203.html", detail(
        REPORT_E, "11000000AAAAAAAA1X/2023-00012", "乙区西园镇人民政府", "2023-01-28",
        '<a href="/hanweb/picture/0/2301281.pdf">年度报告（图片版）.pdf</a>'))
    write(root, "hanweb/art/2023/1/27/art_88_204.html", detail(
        REPORT_H, "11000000AAAAAAAA1X/2023-00013", "乙区农业农村局", "2023-01-27",
        '<div id="zoom"><h2>乙区农业农村局2022年政府信息公开工作年度报告</h2>'
        + "<p>本报告由乙区农业农村局编制，所列数据的统计期限为2022年1月1日至2022年12月31日。</p>" * 12
        + "<table><tr><td>收到申请</td><td>3</td></tr></table></div>"))
    write(root, "hanweb/picture/0/2301301.docx", docx_bytes(REPORT_C))
    write(root, "hanweb/picture/0/2301281.pdf", pdf("report E, scanned", size=SIZE_CAP))

    # generic list, GBK with no declaration anywhere
    write(root, "generic/list.html", page(
        '<ul>' + dated("content_301.html", REPORT_G, "2022-01-25") + dated("content_302.html", REPORT_F, "2022-01-24")
        + '</ul><div class="pager"><a href="list.html">1</a> <a href="list_2.html">2</a> <a href="list_2.html">下一页</a></div>',
        charset=None), "gbk")
    write(root, "generic/list_2.html", page(
        '<ul>' + dated("/generic/files/i.pdf", REPORT_I, "2022-01-20") + dated("content_304.html", ANNOUNCEMENT, "2022-01-02")
        + '</ul><div class="pager"><a href="list.html">1</a> <a href="list.html">上一页</a></div>', charset=None), "gbk")
    write(root, "generic/content_301.html", detail(
        REPORT_G, "000000301/2022-00001", "丙县水务局", "2022-01-25", '<a href="files/g.pdf">g.pdf</a>', charset=None), "gbk")
    write(root, "generic/content_302.html", detail(
        REPORT_F, "000000302/2022-00001", "丙县教育局", "2022-01-24", '<a href="private/f.pdf">f.pdf</a>', charset=None), "gbk")
    write(root, "generic/files/g.pdf", pdf("report G"))
    write(root, "generic/files/i.pdf", pdf("report I"))
    write(root, "generic/private/f.pdf", pdf("report F"))

    write(root, "empty/list.html", page("<p>暂无信息</p>"))


class FixturePortalHandler(PortalHandler):
    """The demo server's handler, plus what the tests need: a DOCX that fails once with 503, and a log of
    every request (method, path, status)."""

    fail_once = {"/hanweb/picture/0/2301301.docx"}

    def respond(self, body: bytes, head: bool = False) -> None:
        path = self.path.split("?")[0]
        with self.server.lock:
            first_time = path not in self.server.failed
            if path in self.fail_once and first_time:
                self.server.failed.add(path)
        if path in self.fail_once and first_time:
            self.send_body(503, b"busy", "text/plain")
            return
        super().respond(body, head)

    def send_response(self, code: int, message: str | None = None) -> None:
        self.server.log.append((self.command, self.path, code))
        super().send_response(code, message)


@pytest.fixture
def portal_site(tmp_path):
    """The fixture portal built into a fresh folder and served on a free port; yields (root, base_url, server)."""
    root = tmp_path / "site"
    build_fixture_portal(root)
    server, base_url = serve(0, root, FixturePortalHandler)
    server.lock, server.failed, server.log = threading.Lock(), set(), []
    yield root, base_url, server
    server.shutdown()
    server.server_close()


@pytest.fixture
def store(tmp_path):
    return RawStore(tmp_path / "raw")


def portal(base_url: str, path: str, cms: str = "auto") -> Portal:
    return Portal(path.split("/")[1], "甲省", "甲市", "甲县", base_url + path, cms)


TRS, HANWEB, GENERIC = "/trs/nb/index.html", "/hanweb/col/col88/index.html", "/generic/list.html"


def crawl(base_url, path, store, state=None, cms="auto", run_id="run-1"):
    return crawl_portal(portal(base_url, path, cms), SETTINGS, store, state or CrawlState(), run_id)


def titles(result) -> set[str]:
    return {d.title for d in result.documents}


def failures(result) -> dict[str, tuple[str, str]]:
    """URL path -> (outcome, error) of every fetch that did not bring usable bytes."""
    return {f.url.split("/", 3)[3]: (f.outcome, f.error) for f in result.fetches if f.outcome not in ("downloaded", "not_modified")}


# --------------------------------------------------------------------------------------- TRS


def test_trs_column_in_gbk_yields_its_reports_across_both_list_pages(portal_site, store):
    _, base_url, _ = portal_site
    result = crawl(base_url, TRS, store)

    assert titles(result) == {REPORT_A, REPORT_D}
    assert result.items_listed == 4
    assert [(s.title, s.reason) for s in result.skipped] == [(GUIDE, "政府信息公开指南 (a guide), not an annual report")]
    a = next(d for d in result.documents if d.title == REPORT_A)
    assert (a.index_no, a.publisher, str(a.published_date)) == ("000000001/2023-00001", "甲县城关镇人民政府", "2023-01-20")
    assert (a.agency, a.year, a.media_type) == ("甲县城关镇人民政府", 2022, "pdf")
    assert a.detail_url == base_url + "/trs/nb/202301/t20230120_101.html"
    assert a.document_url == base_url + "/trs/nb/202301/P020230120a.pdf"
    assert a.raw_path.read_bytes() == pdf("report A")


def test_a_report_posted_twice_is_stored_once_and_linked_to_both_detail_pages(portal_site, store):
    _, base_url, _ = portal_site
    result = crawl(base_url, TRS, store)

    a, d = (next(doc for doc in result.documents if doc.title == t) for t in (REPORT_A, REPORT_D))
    assert a.sha256 == d.sha256 and a.raw_path == d.raw_path
    assert a.detail_url != d.detail_url
    assert len(list((store.root / "sha256").rglob("*"))) == len({f.sha256 for f in result.fetches if f.sha256}) + len(
        {f.sha256[:2] for f in result.fetches if f.sha256}
    )


def test_a_missing_attachment_is_a_recorded_failure_and_the_crawl_goes_on(portal_site, store):
    _, base_url, _ = portal_site
    result = crawl(base_url, TRS, store)

    assert failures(result) == {"trs/nb/202301/P020230118gone.pdf": ("failed", "HTTP 404")}
    assert REPORT_B not in titles(result)
    [problem] = result.health
    assert problem.problem == "pages_failed" and "P020230118gone.pdf: HTTP 404" in problem.detail


# --------------------------------------------------------------------------------------- Hanweb


def test_hanweb_column_reads_the_embedded_records_and_the_rest_from_dataproxy(portal_site, store):
    _, base_url, server = portal_site
    result = crawl(base_url, HANWEB, store)

    assert titles(result) == {REPORT_C, REPORT_H}
    assert result.items_listed == 5
    assert {s.title for s in result.skipped} == {RULES, NOTICE}
    proxy_calls = [(method, path) for method, path, _ in server.log if "dataproxy.jsp" in path]
    assert proxy_calls[0] == ("POST", "/hanweb/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=8&perpage=2")
    assert len(proxy_calls) == 1  # its answer's <totalrecord>5</totalrecord> says that was the rest


def test_a_503_is_retried_and_the_document_arrives(portal_site, store):
    _, base_url, server = portal_site
    result = crawl(base_url, HANWEB, store)

    assert [code for _, path, code in server.log if path == "/hanweb/picture/0/2301301.docx"] == [503, 200]
    c = next(d for d in result.documents if d.title == REPORT_C)
    assert c.media_type == "docx" and c.publisher == "乙区东街道办事处"


def test_a_document_over_the_size_cap_is_refused_while_streaming(portal_site, store):
    _, base_url, _ = portal_site
    result = crawl(base_url, HANWEB, store)

    outcome, error = failures(result)["hanweb/picture/0/2301281.pdf"]
    assert outcome == "too_large" and str(SIZE_CAP) in error
    assert REPORT_E not in titles(result)


def test_a_detail_page_whose_body_is_the_report_is_the_document(portal_site, store):
    _, base_url, _ = portal_site
    result = crawl(base_url, HANWEB, store)

    h = next(d for d in result.documents if d.title == REPORT_H)
    assert h.media_type == "html" and h.document_url == h.detail_url
    assert "统计期限" in h.raw_path.read_text("utf-8")


# --------------------------------------------------------------------------------------- generic


def test_generic_list_in_undeclared_gbk_follows_next_page_links(portal_site, store):
    _, base_url, _ = portal_site
    result = crawl(base_url, GENERIC, store)

    assert titles(result) == {REPORT_G, REPORT_I}
    assert {s.title for s in result.skipped} == {ANNOUNCEMENT}
    g = next(d for d in result.documents if d.title == REPORT_G)
    assert (g.publisher, g.agency, g.year) == ("丙县水务局", "丙县水务局", 2021)
    i = next(d for d in result.documents if d.title == REPORT_I)
    assert i.detail_url == i.document_url == base_url + "/generic/files/i.pdf"  # linked straight from the list


def test_robots_txt_disallow_is_obeyed_and_recorded(portal_site, store):
    _, base_url, server = portal_site
    result = crawl(base_url, GENERIC, store)

    assert failures(result) == {"generic/private/f.pdf": ("disallowed", "robots.txt disallows this URL")}
    assert not any(path.startswith("/generic/private/") for _, path, _ in server.log)
    # not a silent miss: the office hears of the report it cannot see
    [problem] = [h for h in result.health if h.problem == "robots_disallowed"]
    assert f"{base_url}/generic/private/f.pdf: robots.txt disallows this URL" in problem.detail


# --------------------------------------------------------------------------------------- detection


@pytest.mark.parametrize(("path", "family"), [(TRS, "trs"), (HANWEB, "hanweb"), (GENERIC, "generic")])
def test_the_family_is_detected_from_the_column_page(portal_site, store, path, family):
    root, base_url, _ = portal_site
    column = Page(base_url + path, decode_html((root / path.lstrip("/")).read_bytes()))
    assert adapter_for("auto", column).NAME == family
    # and detection finds what the registry's explicit choice finds
    assert titles(crawl(base_url, path, store)) == titles(crawl(base_url, path, RawStore(store.root.parent / "forced"), cms=family))


# --------------------------------------------------------------------------------------- incremental


def test_a_second_crawl_of_an_unchanged_portal_downloads_no_document_bytes(portal_site, store):
    _, base_url, _ = portal_site
    for path in (TRS, HANWEB, GENERIC):
        first = crawl(base_url, path, store)
        second = crawl(base_url, path, store, state_after(first), run_id="run-2")

        documents = [f for f in second.fetches if f.purpose == "document"]
        assert sum(f.bytes for f in documents) == 0
        assert {f.outcome for f in documents if f.url in {d.document_url for d in first.documents}} == {"not_modified"}
        assert [(d.title, d.sha256) for d in second.documents] == [(d.title, d.sha256) for d in first.documents]
        assert not any(d.changed for d in second.documents)
        assert {f.outcome for f in second.fetches if f.purpose == "detail"} <= {"not_modified"}
        revalidated = [f for f in second.fetches if f.outcome == "not_modified"]
        assert revalidated and all(f.sha256 and f.etag and f.status == 304 for f in revalidated)


def test_a_changed_document_is_a_new_version_and_the_old_file_stays(portal_site, store):
    root, base_url, _ = portal_site
    first = crawl(base_url, TRS, store)
    (root / "trs/nb/202301/P020230120a.pdf").write_bytes(pdf("report A, corrected"))

    second = crawl(base_url, TRS, store, state_after(first), run_id="run-2")

    old = next(d for d in first.documents if d.title == REPORT_A)
    new = next(d for d in second.documents if d.title == REPORT_A)
    assert new.document_url == old.document_url and new.sha256 != old.sha256 and new.changed
    assert old.raw_path.read_bytes() == pdf("report A") and new.raw_path.read_bytes() == pdf("report A, corrected")
    assert not next(d for d in second.documents if d.title == REPORT_D).changed


def test_within_the_recheck_window_known_pages_and_documents_are_not_requested(portal_site, store):
    root, base_url, server = portal_site
    settings = SETTINGS.model_copy(update={"recheck_after_days": 7})
    first = crawl_portal(portal(base_url, TRS), settings, store, CrawlState(), "run-1")
    (root / "trs/nb/202301/P020230120a.pdf").write_bytes(pdf("report A, corrected"))
    server.log.clear()

    second = crawl_portal(portal(base_url, TRS), settings, store, state_after(first), "run-2")

    # only the column's list pages (new reports show up there), robots.txt and the attachment that failed
    # last time went to the portal
    assert {path for _, path, _ in server.log} == {
        "/robots.txt", "/trs/nb/index.html", "/trs/nb/index_1.html", "/trs/nb/202301/P020230118gone.pdf"}
    used = [f for f in second.fetches if f.purpose in ("detail", "document") and not f.url.endswith("gone.pdf")]
    assert used and all(f.outcome == "fresh" and f.status is None and f.bytes == 0 and f.sha256 for f in used)
    # the same reports, unchanged as far as this run can tell: the correction waits for its recheck
    assert [(d.title, d.sha256, d.changed) for d in second.documents] == [(d.title, d.sha256, False) for d in first.documents]

    a_week_later = state_after(second, state_after(first))
    for url, known in a_week_later.known.items():
        a_week_later.known[url] = dataclasses.replace(known, checked_at=known.checked_at - timedelta(days=7))
    third = crawl_portal(portal(base_url, TRS), settings, store, a_week_later, "run-3")

    corrected = next(d for d in third.documents if d.title == REPORT_A)
    assert corrected.changed and corrected.raw_path.read_bytes() == pdf("report A, corrected")
    assert "fresh" not in {f.outcome for f in third.fetches}


def test_urls_checked_on_one_night_come_due_spread_over_the_second_half_of_the_window():
    checked = datetime(2026, 2, 1, 2, 0, tzinfo=timezone.utc)
    known = [KnownUrl(f"http://county.example/content_{i}.html", None, None, "0" * 64, "html", checked) for i in range(1000)]
    due_by_night = [sum(due_for_recheck(k, 8, checked + timedelta(days=night)) for k in known) for night in range(10)]
    assert due_by_night[:4] == [0, 0, 0, 0] and due_by_night[8:] == [1000, 1000]
    newly_due = [b - a for a, b in zip(due_by_night[4:8], due_by_night[5:9])]
    assert all(200 <= n <= 300 for n in newly_due)  # about a quarter of them on each of nights 5 to 8
    assert all(due_for_recheck(k, 0, checked) for k in known)  # 0: every run re-validates everything


# --------------------------------------------------------------------------------------- health


def test_an_unreachable_column_is_a_health_problem_not_an_exception(portal_site, store):
    _, base_url, _ = portal_site
    result = crawl(base_url, "/gone/index.html", store)

    assert [(h.problem, h.detail) for h in result.health] == [("unreachable", "column page: HTTP 404")]
    assert result.documents == [] and result.items_listed == 0


def test_a_column_that_suddenly_lists_nothing_is_a_health_problem(portal_site, store):
    _, base_url, _ = portal_site
    result = crawl(base_url, "/empty/list.html", store, CrawlState(previously_listed=4))

    [problem] = result.health
    assert problem.problem == "column_empty" and "listed 4 the last time it listed any" in problem.detail


def test_a_portal_whose_server_is_down_is_reported_unreachable(store):
    settings = SETTINGS.model_copy(update={"retries": 1, "timeout_seconds": 1})
    result = crawl_portal(Portal("down", "甲省", "甲市", "甲县", "http://127.0.0.1:9/xxgk/index.html"), settings, store, CrawlState(), "run-1")

    [problem] = result.health
    assert problem.problem == "unreachable" and "robots.txt unreachable" in problem.detail
    assert result.fetches[0].purpose == "robots" and "connection error" in result.fetches[0].error


# --------------------------------------------------------------------------------------- bytes


@pytest.mark.parametrize(
    ("data", "url", "media_type"),
    [
        (pdf("x"), "http://x/a.doc", "pdf"),  # the bytes decide, not the extension
        (docx_bytes("x"), "http://x/download.jsp?id=1", "docx"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html></html>", "http://x/a.pdf", "html"),  # a soft 404 under a .pdf name
        (WORD_97.read_bytes(), "http://x/a.doc", "doc"),  # it mentions a "Book": it is still a Word file
        (WORD_97.read_bytes(), "http://x/a.wps", "wps"),  # WPS is a Word container: only the name tells
        (EXCEL_97.read_bytes(), "http://x/a.xls", "xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "http://x/a.doc", None),  # damaged
        (b"\x89PNG\r\n", "http://x/a.pdf", None),
    ],
)
def test_the_file_type_comes_from_the_magic_bytes(data, url, media_type):
    assert media_type_of(data, url) == media_type
