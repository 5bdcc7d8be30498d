"""Column trees, lists that are not plain HTML, real portal layouts, "not understood" as a health problem, and
`discover` — against the sites of tests/crawler/portal_sites.py served over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from crawler import RawStore, crawl_portal
from crawler.discover import discover
from demo_portal.server import serve
from nianbao.config import CrawlerSettings
from nianbao.models import CrawlState, Portal
from tests.crawler import portal_sites as sites

SETTINGS = CrawlerSettings(requests_per_second_per_host=200, retries=1, backoff_seconds=0.01, timeout_seconds=5)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("portals")
    sites.build_sites(root)
    server, base_url = serve(0, root, sites.QueryHandler)
    server.log = []
    yield base_url, server
    server.shutdown()
    server.server_close()


def crawl(base_url: str, column: str, county: str = "甲县", state: CrawlState | None = None, tmp_path=None, **settings):
    portal = Portal(column.strip("/").split("/")[0] or "root", "甲省", "甲市", county, base_url + column)
    store = RawStore(tmp_path / "raw")
    return crawl_portal(portal, SETTINGS.model_copy(update=settings), store, state or CrawlState(), "run-1")


def titles(result) -> set[str]:
    return {d.title for d in result.documents}


def path_of(result, title: str, base_url: str) -> tuple[str, ...]:
    found = [d.discovery_path for d in result.documents if d.title == title]
    found += [s.discovery_path for s in result.skipped if s.title == title]
    return tuple(url.removeprefix(base_url) for url in found[0])


def list_fetches(result) -> Counter:
    return Counter(f.url for f in result.fetches if f.purpose == "list")


# --------------------------------------------------------------------------------------- column trees


def test_a_trs_column_of_year_sub_columns_yields_every_years_reports(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.JIA_COLUMN, tmp_path=tmp_path)

    assert titles(result) == set(sites.JIA.values())
    assert [s.title for s in result.skipped] == [sites.JIA_NOTICE]
    assert result.health == []
    # listed under both years, found once; the path says which branch and page listed each
    assert [d.title for d in result.documents].count(sites.JIA["A"]) == 1
    column = sites.JIA_COLUMN
    assert path_of(result, sites.JIA["A"], base_url) == (column, "/jiaxian/zfxxgk/zfxxgknb/2022/")
    assert path_of(result, sites.JIA["B"], base_url) == (
        column, "/jiaxian/zfxxgk/zfxxgknb/2022/", "/jiaxian/zfxxgk/zfxxgknb/2022/index_1.html")
    assert path_of(result, sites.JIA["C"], base_url) == (column, "/jiaxian/zfxxgk/zfxxgknb/2021/")
    assert max(list_fetches(result).values()) == 1  # every list page read once


def test_a_hanweb_parent_column_with_two_jpage_sub_columns_yields_both(site, tmp_path):
    base_url, server = site
    result = crawl(base_url, sites.YI_COLUMN, county="乙区", tmp_path=tmp_path)

    assert titles(result) == {*sites.YI_TOWNSHIPS, sites.YI_DEPARTMENT}
    assert [s.title for s in result.skipped] == [sites.YI_RULES]
    assert result.health == []
    assert path_of(result, sites.YI_TOWNSHIPS[2], base_url) == (sites.YI_COLUMN, "/yixian/col/col101/index.html")
    assert path_of(result, sites.YI_DEPARTMENT, base_url) == (sites.YI_COLUMN, "/yixian/col/col102/index.html")
    # the third township report came from the sub-column's dataproxy.jsp, the guide beside them was not a branch
    assert any("/yixian/module/web/jpage/dataproxy.jsp?startrecord=3" in p for p in server.log)
    assert not any("col99" in url for url in list_fetches(result))


def test_more_links_and_agency_columns_are_followed_to_their_reports(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.XIN_COLUMN, county="辛县", tmp_path=tmp_path)

    assert titles(result) == set(sites.XIN_REPORTS.values())
    assert [s.title for s in result.skipped] == [sites.XIN_NEWS]
    assert result.health == []
    assert path_of(result, sites.XIN_REPORTS["township"], base_url) == (sites.XIN_COLUMN, "/xinxian/xxgk/nb/xz/index.html")
    assert path_of(result, sites.XIN_REPORTS["czj"], base_url) == (sites.XIN_COLUMN, "/xinxian/bm/czj/", "/xinxian/bm/czj/nb/")
    # not the 通知公告 box's 更多, not the agencies' guides
    assert not any("tzgg" in url or "/zn/" in url for url in list_fetches(result))


def test_sub_columns_are_followed_only_as_deep_as_configured(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.JIA_COLUMN, tmp_path=tmp_path, column_depth=0)

    assert titles(result) == set()
    [problem] = result.health
    assert problem.problem == "column_not_understood"


def test_the_list_page_budget_stops_the_walk_and_says_so(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.JIA_COLUMN, tmp_path=tmp_path, max_list_pages=2)

    assert sum(list_fetches(result).values()) == 2
    assert "list_pages_capped" in [h.problem for h in result.health]


# --------------------------------------------------------------------------------------- lists that are not plain HTML


def test_a_list_rendered_from_a_json_api_is_read_page_by_page(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.BING_COLUMN, county="丙县", tmp_path=tmp_path)

    assert titles(result) == set(sites.BING_REPORTS)
    assert [s.title for s in result.skipped] == [sites.BING_GUIDE]
    assert result.health == []
    api = "/bingxian/api/xxgk/list?columnId=77&page="
    assert set(list_fetches(result)) == {base_url + sites.BING_COLUMN, base_url + api + "1", base_url + api + "2"}
    assert path_of(result, sites.BING_REPORTS[3], base_url) == (sites.BING_COLUMN, api + "2")
    linked_file = next(d for d in result.documents if d.title == sites.BING_REPORTS[2])
    assert linked_file.document_url.endswith("wjw-nb2023.pdf") and linked_file.published_date == date(2024, 1, 30)


def test_a_table_layout_list_with_a_numbered_pager_is_read_to_its_last_page(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.DING_COLUMN, county="丁县", tmp_path=tmp_path)

    assert titles(result) == set(sites.DING_REPORTS)
    assert {s.title for s in result.skipped} == set(sites.DING_OTHERS)
    assert result.health == []
    assert path_of(result, sites.DING_OTHERS[-1], base_url) == (sites.DING_COLUMN, "/dingxian/xxgk/list.jsp?catid=5&page=3")
    assert max(list_fetches(result).values()) == 1 and len(list_fetches(result)) == 3


def test_a_gkmlpt_site_yields_the_report_categories_of_its_tree(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.GENG_COLUMN, county="庚区", tmp_path=tmp_path)

    assert titles(result) == set(sites.GENG_REPORTS)
    assert [s.title for s in result.skipped] == [sites.GENG_OTHER]
    assert result.health == []
    api = "/gengqu/gkmlpt/api/all/"
    assert set(list_fetches(result)) == {base_url + u for u in (
        sites.GENG_COLUMN, api + "2653?page=1&sid=7", api + "2654?page=1&sid=7", api + "2654?page=2&sid=7",
        api + "2655?page=1&sid=7")}  # not 机构职能, not the guide that jumps elsewhere
    assert path_of(result, sites.GENG_REPORTS[2], base_url) == (sites.GENG_COLUMN, api + "2654?page=2&sid=7")
    first = next(d for d in result.documents if d.title == sites.GENG_REPORTS[0])
    assert first.published_date == date(2024, 3, 1)  # the detail page's 发布日期 wins over the list's


def test_a_list_held_in_an_iframe_is_read(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.WU_COLUMN, county="戊县", tmp_path=tmp_path)

    assert titles(result) == {sites.WU_REPORT}
    assert path_of(result, sites.WU_REPORT, base_url) == (sites.WU_COLUMN, "/wuxian/nb/list.html")


# --------------------------------------------------------------------------------------- real layouts


def test_the_real_ordos_trs_table_column_yields_its_reports_and_none_of_its_news(site, tmp_path):
    base_url, server = site
    result = crawl(base_url, "/egb/xxgk/xxgknb/", county="恩格贝生态示范区", tmp_path=tmp_path)

    assert titles(result) == {title for _, title in sites.ORDOS_REPORTS}
    assert {s.title for s in result.skipped} == {title for _, title in sites.ORDOS_OTHERS}
    assert result.health == []
    assert path_of(result, sites.ORDOS_REPORTS[4][1], base_url) == ("/egb/xxgk/xxgknb/", "/egb/xxgk/xxgknb/index_1.html")
    assert set(list_fetches(result)) == {base_url + "/egb/xxgk/xxgknb/", base_url + "/egb/xxgk/xxgknb/index_1.html"}
    assert not any("tianqi" in p or "2345" in p for p in server.log)  # the weather iframe is another site


def test_the_crawl_logs_its_progress_per_portal(site, tmp_path, caplog):
    base_url, _ = site
    with caplog.at_level("INFO", logger="nianbao.crawler"):
        crawl(base_url, "/egb/xxgk/xxgknb/", county="恩格贝", tmp_path=tmp_path)

    assert [r.getMessage() for r in caplog.records] == [
        "恩格贝（egb）: 读取列表页 2 个（子栏目 0 个），列出条目 12 个",
        "恩格贝（egb）: 条目 12/12，找到年报 5 份，下载文档 5 个",
    ]


def test_the_real_jingan_column_linked_from_its_navigation_yields_its_reports(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.JINGAN_COLUMN, county="靖安县", tmp_path=tmp_path)

    assert titles(result) == set(sites.JINGAN_REPORTS)
    assert result.health == []


def test_the_real_shuyang_detail_page_is_the_report_with_its_catalogue_header(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.SHUYANG_COLUMN, county="沭阳县", tmp_path=tmp_path)

    [report] = result.documents
    assert (report.title, report.media_type, report.document_url) == (
        sites.SHUYANG_REPORT, "html", base_url + sites.SHUYANG_DETAIL)
    assert (report.index_no, report.publisher, report.published_date) == (
        "014314799/2024-00002", "沭阳县发展和改革局", date(2024, 1, 17))
    assert (report.agency, report.year) == ("沭阳县发展和改革局", 2023)


def test_the_real_jiangsu_jpage_news_column_yields_no_report_and_says_so(site, tmp_path):
    base_url, server = site
    result = crawl(base_url, sites.JIANGSU_COLUMN, county="江苏省", tmp_path=tmp_path)

    assert result.documents == [] and result.items_listed == 2
    assert {s.title for s in result.skipped} == {"连云港跨里海班列运输提质提速", "徐州以产业集群培育赋能中小企业高质量发展"}
    [problem] = result.health
    assert problem.problem == "column_not_understood" and "已尝试的适配器：hanweb" in problem.detail
    # the rest was asked of dataproxy.jsp with the parameters of the page's own <nextgroup> link
    [proxy] = [p for p in server.log if p.startswith("/module/web/jpage/dataproxy.jsp")]
    assert proxy == "/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=59&perpage=19"


# --------------------------------------------------------------------------------------- not understood, sharp drops


def test_a_layout_no_adapter_understands_is_a_health_problem_on_its_first_crawl(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.JI_COLUMN, county="己县", tmp_path=tmp_path)

    assert result.documents == [] and result.items_listed == 0
    [problem] = result.health
    assert problem.problem == "column_not_understood"
    assert "读取列表页 1 个" in problem.detail and "列出条目 0 个" in problem.detail
    assert "已尝试的适配器：generic" in problem.detail

    # that it reaches the email, in Chinese with the county's name: tests/flows/test_crawl_health.py


def test_a_column_that_lists_only_non_reports_is_not_understood_and_says_what_it_skipped(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.JI_NEWS_COLUMN, county="己县", tmp_path=tmp_path)

    assert result.documents == [] and result.items_listed == 2
    [problem] = result.health
    assert problem.problem == "column_not_understood"
    assert f"判定为非年报而跳过 2 个：{sites.JI_NEWS[0]}；{sites.JI_NEWS[1]}" in problem.detail


def test_a_sharp_drop_in_listed_items_is_a_health_problem(site, tmp_path):
    base_url, _ = site
    result = crawl(base_url, sites.DING_COLUMN, county="丁县", state=CrawlState(previously_listed=30), tmp_path=tmp_path)

    assert titles(result) == set(sites.DING_REPORTS)
    [problem] = result.health
    assert problem.problem == "column_shrunk" and "上次列出 30 条，本次仅 9 条" in problem.detail
    steady = crawl(base_url, sites.DING_COLUMN, county="丁县", state=CrawlState(previously_listed=10), tmp_path=tmp_path)
    assert steady.health == []


# --------------------------------------------------------------------------------------- discover


@pytest.mark.parametrize(
    ("home", "column", "cms", "county"),
    [
        ("/jiaxian/index.html", sites.JIA_COLUMN, "trs", "甲县"),
        ("/yixian/index.html", sites.YI_COLUMN, "hanweb", "乙区"),
        ("/bingxian/index.html", sites.BING_COLUMN, "jsonapi", "丙县"),
        ("/dingxian/index.html", sites.DING_COLUMN, "generic", "丁县"),
        ("/gengqu/index.html", sites.GENG_COLUMN, "gkmlpt", "庚区"),
        ("/", sites.JINGAN_COLUMN, "generic", "靖安县"),  # the real navigation of 靖安县's site
    ],
)
def test_discover_finds_the_column_from_the_home_page(site, home, column, cms, county):
    base_url, _ = site
    [proposal, *_] = discover(base_url + home, SETTINGS)

    assert (proposal.column_url, proposal.cms, proposal.county) == (base_url + column, cms, county)
    assert proposal.reports_listed > 0


def test_discover_proposes_nothing_for_a_site_without_a_report_column(site):
    base_url, _ = site
    assert discover(base_url + "/jixian/index.html", SETTINGS) == []
