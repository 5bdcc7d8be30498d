"""A portal with health problems ends its Prefect crawl task non-green, and the alert email names its county —
real flow runs on Prefect's test server, the portal sites of tests/crawler/portal_sites.py on 127.0.0.1, a real
SMTP exchange."""

from __future__ import annotations

import duckdb
import pytest
import yaml
from prefect import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, FlowRunFilterParentFlowRunId

from demo_portal.mail_sink import MailSink, free_port
from demo_portal.server import serve
from flows.nightly import nightly
from tests.crawler import portal_sites as sites

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_a_column_not_understood_and_an_unreachable_portal_fail_their_crawl_tasks_and_are_named_in_the_email(tmp_path):
    root = tmp_path / "sites"
    sites.build_sites(root)
    server, base_url = serve(0, root, sites.QueryHandler)
    server.log = []
    place = {"province": "甲省", "city": "甲市"}
    registry = {"portals": [
        {"id": "jixian", "county": "己县", "column_url": base_url + sites.JI_COLUMN, "recipients": ["jixian@example.test"], **place},
        {"id": "dingxian", "county": "丁县", "column_url": base_url + sites.DING_COLUMN, **place},
        {"id": "gengxian", "county": "庚县", "column_url": f"http://127.0.0.1:{free_port()}/xxgk/nb/index.html", **place},
    ]}
    (tmp_path / "portals.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), "utf-8")
    try:
        with MailSink(tmp_path / "outbox", port=0) as sink:
            settings = {
                "data_dir": str(tmp_path / "data"),
                "crawler": {"requests_per_second_per_host": 200, "retries": 1, "backoff_seconds": 0.05, "timeout_seconds": 5},
                "alerts": {"provincial_recipients": ["office@example.test"],
                           "smtp": {"host": "127.0.0.1", "port": sink.port, "sender": "nianbao@example.test"}},
            }
            (tmp_path / "pipeline.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
            state = nightly(portals_file=str(tmp_path / "portals.yaml"), settings_file=str(tmp_path / "pipeline.yaml"),
                            return_state=True)
    finally:
        server.shutdown()
        server.server_close()

    assert state.is_completed()  # the run goes on: the good portal's reports are loaded and the alerts sent
    nightly_run = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:  # the crawl tasks run in the nianbao-crawl subflow
        subflows = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[nightly_run])))
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(
            id=FlowRunFilterId(any_=[nightly_run, *(r.id for r in subflows)])))
    crawl_states = {r.name: r.state for r in runs if r.name.startswith("crawl ")}
    assert {name: s.type.value for name, s in crawl_states.items()} == {
        "crawl 己县 (jixian)": "FAILED", "crawl 丁县 (dingxian)": "COMPLETED", "crawl 庚县 (gengxian)": "FAILED"}
    assert "己县（jixian）门户健康问题 1 个：column_not_understood" in crawl_states["crawl 己县 (jixian)"].message
    assert "unreachable" in crawl_states["crawl 庚县 (gengxian)"].message

    by_recipient = {tuple(m.recipients): m.html.read_text("utf-8") for m in sink.received if "每周警告汇总" not in m.subject}
    province, county = by_recipient[("office@example.test",)], by_recipient[("jixian@example.test",)]
    assert "<b>己县</b>：栏目未能读出年报" in province and "<b>庚县</b>：门户无法访问" in province
    assert "<b>己县</b>：栏目未能读出年报" in county and "栏目未能读出任何年度报告" in county and "庚县" not in county

    with duckdb.connect(str(tmp_path / "data" / "warehouse" / "nianbao.duckdb"), read_only=True) as con:
        problems = con.execute("SELECT portal_id, problem FROM portal_health ORDER BY portal_id").fetchall()
        paths = con.execute("SELECT discovery_path FROM report_urls WHERE portal_id = 'dingxian'").fetchall()
    assert problems == [("gengxian", "unreachable"), ("jixian", "column_not_understood")]
    assert len(paths) == len(sites.DING_REPORTS) and all(p[0][0] == base_url + sites.DING_COLUMN for p in paths)


def test_a_report_robots_txt_forbids_and_one_redirected_off_the_portal_are_health_problems_in_the_email(tmp_path):
    from nianbao.config import PROJECT_DIR
    from tests.hostile import HostileSite, data, page, redirect

    documents = PROJECT_DIR / "demo_portal" / "documents"
    titles = [f"戊县{town}人民政府2022年政府信息公开工作年度报告" for town in ("城关镇", "东乡", "西乡")]
    with HostileSite() as site, HostileSite(host="localhost") as elsewhere, MailSink(tmp_path / "outbox", port=0) as sink:
        site.routes["/robots.txt"] = data(b"User-agent: *\nDisallow: /private/\n", "text/plain")
        site.routes["/nb/index.html"] = page("<ul>" + "".join(
            f'<li><a href="/nb/t{i}.html">{t}</a><span>2023-01-20</span></li>' for i, t in enumerate(titles)) + "</ul>")
        for i, (title, href) in enumerate(zip(titles, ["/nb/0.pdf", "/private/1.pdf", "/nb/2.pdf"])):
            site.routes[f"/nb/t{i}.html"] = page(f"<h1>{title}</h1><a href='{href}'>年度报告.pdf</a>")
        site.routes["/nb/0.pdf"] = data((documents / "001.pdf").read_bytes(), "application/pdf")
        site.routes["/private/1.pdf"] = data((documents / "004.pdf").read_bytes(), "application/pdf")
        site.routes["/nb/2.pdf"] = redirect(elsewhere.base_url + "/2.pdf")  # another host, not in allowed_hosts
        elsewhere.routes["/2.pdf"] = data((documents / "000.pdf").read_bytes(), "application/pdf")
        registry = {"portals": [{"id": "wuxian", "province": "甲省", "city": "甲市", "county": "戊县",
                                 "column_url": site.base_url + "/nb/index.html"}]}
        (tmp_path / "portals.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), "utf-8")
        settings = {
            "data_dir": str(tmp_path / "data"),
            "crawler": {"requests_per_second_per_host": 200, "retries": 0, "timeout_seconds": 5},
            "alerts": {"provincial_recipients": ["office@example.test"],
                       "smtp": {"host": "127.0.0.1", "port": sink.port, "sender": "nianbao@example.test"}},
        }
        (tmp_path / "pipeline.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
        nightly(portals_file=str(tmp_path / "portals.yaml"), settings_file=str(tmp_path / "pipeline.yaml"))
        asked_elsewhere = elsewhere.paths()
    assert "/private/1.pdf" not in site.paths() and "/2.pdf" not in asked_elsewhere

    with duckdb.connect(str(tmp_path / "data" / "warehouse" / "nianbao.duckdb"), read_only=True) as con:
        problems = dict(con.execute("SELECT problem, detail FROM portal_health").fetchall())
        refused = con.execute("SELECT url, final_url, error FROM fetches WHERE outcome = 'refused'").fetchall()
        loaded = con.execute("SELECT document_url FROM reports").fetchall()
    assert set(problems) == {"robots_disallowed", "redirect_refused"}
    assert f"{site.base_url}/private/1.pdf: robots.txt disallows this URL" in problems["robots_disallowed"]
    assert f"{site.base_url}/nb/2.pdf: redirected to {elsewhere.base_url}/2.pdf" in problems["redirect_refused"]
    assert refused == [(f"{site.base_url}/nb/2.pdf", f"{elsewhere.base_url}/2.pdf", refused[0][2])]
    assert "not allowed for this portal" in refused[0][2]
    assert loaded == [(f"{site.base_url}/nb/0.pdf",)]  # the one the crawl may fetch is loaded
    [province] = [m.html.read_text("utf-8") for m in sink.received if "每周警告汇总" not in m.subject]
    assert "<b>戊县</b>：年报页面被网站爬虫协议禁止抓取" in province
    assert "<b>戊县</b>：年报网址跳转到不允许抓取的网址" in province and "allowed_hosts" in province
