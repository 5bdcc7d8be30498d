"""The benchmark's portals: the corpus laid out as plain county columns (a dated list of links paged by
下一页, detail pages with a 信息公开目录 header and the PDF attached), one column per county, all under one
local server (demo_portal.server serves any folder, with ETag/Last-Modified and 304s).

    site-<N>/robots.txt
    site-<N>/<portal_id>/list.html, list_2.html, …      LIST_PAGE_SIZE items a page, newest first
    site-<N>/<portal_id>/content_<index>.html            a report's detail page (or the column's guide)
    site-<N>/<portal_id>/files/doc-<index>.pdf           the report, hard-linked from the corpus
"""

from __future__ import annotations

import html
import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.corpus import CorpusDocument
from demo_portal.sites import ROBOTS_TXT, chrome, dated_list, metadata_table
from nianbao.models import Portal

LIST_PAGE_SIZE = 20
PROVINCE, CITY = "宁夏回族自治区", "基准市"


@dataclass(frozen=True)
class BenchPortal:
    portal_id: str
    county: str
    path: str  # the column's path on the server, e.g. /p000/list.html
    documents: tuple[int, ...]  # corpus indexes listed by this column

    def portal(self, base_url: str) -> Portal:
        return Portal(self.portal_id, PROVINCE, CITY, self.county, base_url + self.path, "auto")


def plan_portals(docs: list[CorpusDocument], per_portal: int) -> list[BenchPortal]:
    """Consecutive documents (one county's units and years) share a column, `per_portal` to a column."""
    portals = []
    for k, start in enumerate(range(0, len(docs), per_portal)):
        chunk = docs[start : start + per_portal]
        portals.append(BenchPortal(f"p{k:03d}", chunk[0].county, f"/p{k:03d}/list.html", tuple(d.index for d in chunk)))
    return portals


def published_on(doc: CorpusDocument) -> date:
    return date(doc.year + 1, 1, 10 + doc.index % 20)


def build_site(site: Path, corpus: Path, docs: list[CorpusDocument], portals: list[BenchPortal]) -> Path:
    """Write the static site (rewritten from scratch: it is cheap, and the corpus is the truth)."""
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    (site / "robots.txt").write_text(ROBOTS_TXT, "utf-8")
    by_index = {d.index: d for d in docs}
    for portal in portals:
        _build_column(site / portal.portal_id, corpus, portal, [by_index[i] for i in portal.documents])
    return site


def _build_column(column: Path, corpus: Path, portal: BenchPortal, docs: list[CorpusDocument]) -> None:
    (column / "files").mkdir(parents=True)
    entries: list[tuple[str, str, date]] = []
    for doc in sorted(docs, key=published_on, reverse=True):
        title = f"{doc.agency}{doc.year}年政府信息公开工作年度报告"
        os.link(corpus / doc.file, column / "files" / doc.file)
        meta = [("索引号", f"640000-{portal.portal_id}/{doc.year + 1}-{doc.index:05d}"), ("发布机构", doc.agency),
                ("发布日期", published_on(doc).isoformat()), ("信息分类", "政府信息公开年报")]
        body = (f'<div class="content"><p>现将《{html.escape(title)}》予以公布。</p>'
                f'<p>附件下载：<a href="files/{doc.file}">{html.escape(title)}.pdf</a></p></div>')
        page = chrome(portal.county, "政府信息公开年报", f'<h1 class="title">{html.escape(title)}</h1>{metadata_table(meta)}{body}', title=title)
        (column / f"content_{doc.index}.html").write_text(page, "utf-8")
        entries.append((f"content_{doc.index}.html", title, published_on(doc)))
    # every real column also lists items that are not reports
    guide = f"{portal.county}人民政府政府信息公开指南"
    (column / "content_guide.html").write_text(
        chrome(portal.county, "政府信息公开年报", f'<h1 class="title">{guide}</h1><div class="content"><p>本指南由县人民政府办公室编制。</p></div>', title=guide),
        "utf-8",
    )
    entries.append(("content_guide.html", guide, date(2019, 1, 2)))
    pages = [entries[i : i + LIST_PAGE_SIZE] for i in range(0, len(entries), LIST_PAGE_SIZE)]
    names = ["list.html"] + [f"list_{i}.html" for i in range(2, len(pages) + 1)]
    for index, page_entries in enumerate(pages):
        links = [f'<a href="{names[0]}">首页</a>'] + [f'<a href="{n}">{i + 1}</a>' for i, n in enumerate(names)]
        if index + 1 < len(names):
            links.append(f'<a href="{names[index + 1]}">下一页</a>')
        links.append(f'<a href="{names[-1]}">尾页</a>')
        main = dated_list(page_entries) + f'<div class="pager">{" ".join(links)}</div>'
        (column / names[index]).write_text(chrome(portal.county, "政府信息公开年报", main), "utf-8")
