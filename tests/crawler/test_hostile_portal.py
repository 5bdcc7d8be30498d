"""The crawler against hostile portals on 127.0.0.1: every wait has an end, redirects obey robots.txt, the
per-host limit and the portal's allowed hosts, and a page of garbage or of ten thousand links costs little."""

from __future__ import annotations

import os

import pytest

from crawler import RawStore, crawl_portal
from crawler.core import MAX_HEALTH_DETAIL_CHARS
from crawler.fetcher import Fetcher, registrable_domain
from tests.hostile import HostileSite, data, page, redirect, slow, trickle, trickle_headers
from nianbao.config import CrawlerSettings
from nianbao.models import CrawlState, Portal

REPORT = "甲县城关镇人民政府2022年政府信息公开工作年度报告"
SETTINGS = CrawlerSettings(
    requests_per_second_per_host=100, retries=1, backoff_seconds=0.01, timeout_seconds=5,
    request_time_limit_seconds=1.5,
)


def pdf(label: str) -> bytes:
    return b"%PDF-1.4\n% " + label.encode() + b"\n%%EOF\n"


def column(*items: tuple[str, str]) -> str:
    entries = "".join(f'<li><a href="{href}">{title}</a><span>2023-01-20</span></li>' for href, title in items)
    return f"<html><head><meta charset='utf-8'></head><body><ul>{entries}</ul></body></html>"


def detail(body: str) -> str:
    return f"<html><head><meta charset='utf-8'></head><body><h1>{REPORT}</h1>{body}</body></html>"


def fetcher(tmp_path, settings=SETTINGS, allowed=()) -> Fetcher:
    return Fetcher(settings, RawStore(tmp_path / "raw"), "run-1", "p", {}, allowed)


def crawl(tmp_path, site: HostileSite, settings=SETTINGS, allowed_hosts=()):
    portal = Portal("p", "甲省", "甲市", "甲县", site.base_url + "/list.html", allowed_hosts=allowed_hosts)
    return crawl_portal(portal, settings, RawStore(tmp_path / "raw"), CrawlState(), "run-1")


# ------------------------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize("answer", [trickle(0.05), trickle_headers(0.05)], ids=["body", "headers"])
def test_a_trickling_answer_is_cut_at_the_whole_request_time_limit(tmp_path, answer):
    with HostileSite() as site:
        site.routes["/slow.pdf"] = answer
        with fetcher(tmp_path) as f:
            response = f.get(site.base_url + "/slow.pdf", "document")
    assert response.fetch.outcome == "failed"
    assert "whole-request time limit of 1.5 s" in response.fetch.error
    assert site.paths().count("/slow.pdf") == 1  # a trickle is not retried: it would trickle again
    # the trickle would last 10**6 × 0.05 s; each read was quick, so only the whole-request limit ended it
    assert response.fetch.elapsed_ms < 15_000


def test_a_portal_past_its_crawl_time_limit_is_a_health_problem_and_the_crawl_ends(tmp_path):
    items = [(f"/a{i}.html", REPORT.replace("城关镇", f"第{i}镇")) for i in range(30)]
    settings = SETTINGS.model_copy(update={"portal_time_limit_seconds": 1.0})
    with HostileSite() as site:
        site.routes["/list.html"] = page(column(*items))
        site.routes["*"] = slow(0.3, page(detail("<p>正文</p>")))
        result = crawl(tmp_path, site, settings)
    (problem,) = [h for h in result.health if h.problem == "crawl_time_limit"]
    assert "crawler.portal_time_limit_seconds" in problem.detail and "of 30 listed items not visited" in problem.detail
    assert sum(p.startswith("/a") for p in site.paths()) < 10


# ------------------------------------------------------------------------------------------- a page of 10,000 links


def test_a_detail_page_with_ten_thousand_attachments_costs_a_few_requests(tmp_path):
    links = "".join(f'<a href="/f/{i}.pdf">附件{i}.pdf</a>' for i in range(10_000))
    with HostileSite() as site:
        site.routes["/list.html"] = page(column(("/d.html", REPORT)))
        site.routes["/d.html"] = page(detail(links))
        site.routes["*"] = page("<html><body>登录</body></html>")  # every "attachment" a login page
        result = crawl(tmp_path, site)
    documents = [p for p in site.paths() if p.startswith("/f/")]
    assert len(documents) == SETTINGS.max_attachments_per_page
    assert any("10000 attachments" in h.detail and "max_attachments_per_page" in h.detail for h in result.health)
    assert all(len(h.detail) <= MAX_HEALTH_DETAIL_CHARS for h in result.health)
    assert result.documents == []


def test_a_long_health_detail_is_cut_and_says_so(tmp_path):
    items = [(f"/d{i}.html", REPORT.replace("城关镇", f"第{i}镇")) for i in range(200)]
    with HostileSite() as site:
        site.routes["/list.html"] = page(column(*items))
        site.routes["/robots.txt"] = lambda h: h.send_error(404)
        site.routes["*"] = lambda h: h.send_error(500)
        result = crawl(tmp_path, site, SETTINGS.model_copy(update={"retries": 0}))
    (failed,) = [h for h in result.health if h.problem == "pages_failed"]
    assert failed.detail.startswith("200 item page(s) or document(s) failed")
    assert len(failed.detail) <= MAX_HEALTH_DETAIL_CHARS and "more characters in the run's fetches" in failed.detail


# ------------------------------------------------------------------------------------------- redirects


def test_a_redirect_to_another_domain_is_not_followed(tmp_path):
    with HostileSite() as portal_site, HostileSite(host="localhost") as elsewhere:
        elsewhere.routes["/r.pdf"] = data(pdf("elsewhere"))
        portal_site.routes["/r.pdf"] = redirect(elsewhere.base_url + "/r.pdf")
        with fetcher(tmp_path, allowed=(registrable_domain("127.0.0.1"),)) as f:
            response = f.get(portal_site.base_url + "/r.pdf", "document")
    assert (response.fetch.outcome, response.fetch.status) == ("refused", 302)
    assert response.fetch.final_url == elsewhere.base_url + "/r.pdf"
    assert "not allowed for this portal" in response.fetch.error and "allowed_hosts" in response.fetch.error
    assert elsewhere.log == []


def test_each_redirect_hop_obeys_its_hosts_robots_txt(tmp_path):
    with HostileSite() as portal_site, HostileSite(host="localhost") as elsewhere:
        elsewhere.routes["/robots.txt"] = data(b"User-agent: *\nDisallow: /\n", "text/plain")
        elsewhere.routes["/r.pdf"] = data(pdf("elsewhere"))
        portal_site.routes["/r.pdf"] = redirect(elsewhere.base_url + "/r.pdf")
        with fetcher(tmp_path, allowed=("127.0.0.1", "localhost")) as f:
            response = f.get(portal_site.base_url + "/r.pdf", "document")
    assert (response.fetch.outcome, response.fetch.final_url) == ("refused", f"{elsewhere.base_url}/r.pdf")
    assert response.fetch.error == f"redirected to {elsewhere.base_url}/r.pdf: robots.txt disallows this URL"
    assert elsewhere.paths() == ["/robots.txt"]


def test_redirect_hops_keep_to_the_per_host_limit_and_the_final_url_is_recorded(tmp_path):
    settings = SETTINGS.model_copy(update={"requests_per_second_per_host": 5})  # 0.2 s between starts
    with HostileSite() as portal_site, HostileSite(host="localhost") as files:
        for i in range(4):
            portal_site.routes[f"/r{i}.pdf"] = redirect(f"{files.base_url}/files/{i}.pdf", 301)
            files.routes[f"/files/{i}.pdf"] = data(pdf(f"file {i}"))
        with fetcher(tmp_path, settings, allowed=("127.0.0.1", "localhost")) as f:
            responses = [f.get(f"{portal_site.base_url}/r{i}.pdf", "document") for i in range(4)]
    assert [r.fetch.outcome for r in responses] == ["downloaded"] * 4
    assert [r.fetch.final_url for r in responses] == [f"{files.base_url}/files/{i}.pdf" for i in range(4)]
    assert responses[0].fetch.url == f"{portal_site.base_url}/r0.pdf"
    starts = [t for path, t in files.log if path.startswith("/files/")]
    # the limit spaces request starts 0.2 s apart (seen here through the server's arrival times, which jitter
    # by a connection set-up); without it they come milliseconds apart
    assert all(b - a >= 0.1 for a, b in zip(starts, starts[1:])), starts


def test_a_redirect_loop_ends(tmp_path):
    with HostileSite() as site:
        site.routes["/a"] = redirect("/b")
        site.routes["/b"] = redirect("/a")
        with fetcher(tmp_path, SETTINGS.model_copy(update={"retries": 0})) as f:
            response = f.get(site.base_url + "/a", "detail")
    assert response.fetch.outcome == "failed" and "more than 5 redirects" in response.fetch.error
    assert len([p for p in site.paths() if p != "/robots.txt"]) == 6


# ------------------------------------------------------------------------------------------- garbage


def test_binary_garbage_on_a_detail_url_is_no_report(tmp_path):
    with HostileSite() as site:
        site.routes["/list.html"] = page(column(("/d.html", REPORT)))
        site.routes["/d.html"] = data(os.urandom(50_000), "text/html")
        result = crawl(tmp_path, site)
    assert result.documents == []
    (fetch,) = [f for f in result.fetches if f.purpose == "detail"]
    assert fetch.outcome == "failed" and "binary bytes" in fetch.error
    assert any(h.problem == "pages_failed" and "binary bytes" in h.detail for h in result.health)
