"""Build the bundled demo portal: four county sites laid out like the CMS families the crawler meets.

    python -m demo_portal.sites          # rewrites demo_portal/site/ from demo_portal/documents/

Each site lives under its own path prefix of one server (config/portals.yaml points at them):

  /pingluo/    TRS WCM: index.html + index_1.html (createPageHTML, 0-based), ./YYYYMM/tYYYYMMDD_<id>.html
               detail pages with a PDF attachment (seeds 004 and 000) and a 政府信息公开指南
  /xingqing/   Hanweb jpage: /col/col4521/index.html with the first records as XML, the rest from
               /module/web/jpage/dataproxy.jsp (answered by demo_portal.server); seed 001 as a PDF
  /zhongning/  a plain list (list.html, list_2.html) with 下一页 links, pages in GB2312; seed 002 as DOCX
  /longyang/   TRS, the 1-based customised pager (index.shtml, index_2.shtml); seed 003 is the detail
               page's own body

Pages carry navigation, a sidebar and a footer, as real portals do, so that readers must find the article.
The documents come from demo_portal/documents/ (000.pdf … 004.pdf, 002.docx, 003.html and manifest.json);
titles, agencies, 索引号 and dates come from the manifest when it has them, else from DEFAULTS below.
"""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCUMENTS_DIR = HERE / "documents"
SITE_DIR = HERE / "site"

ROBOTS_TXT = """\
# demo portal: crawlers welcome, except the site search
User-agent: *
Disallow: /search/
Disallow: /*/search/
"""


@dataclass(frozen=True)
class Report:
    seed: str  # 000 … 004
    file: str  # the document's file name in the documents folder
    title: str
    agency: str
    index_no: str  # 索引号
    published: date  # 发布日期
    written: date | None  # 成文日期, when the report states it


# used where the manifest does not say (the seed texts' own titles, agencies and dates)
DEFAULTS = {
    "000": Report("000", "000.pdf", "平罗县通伏乡人民政府2018年政府信息公开年度报告", "平罗县通伏乡人民政府",
                  "11640221MB1949703X/2019-00012", date(2019, 1, 30), date(2019, 1, 29)),
    "001": Report("001", "001.pdf", "兴庆区掌政镇2018年政府信息公开工作年度报告", "银川市兴庆区掌政镇人民政府",
                  "11640104MB1F12345A/2019-00003", date(2019, 1, 28), date(2019, 1, 25)),
    "002": Report("002", "002.docx", "中宁县徐套乡人民政府2021年政府信息公开工作年度报告", "中宁县徐套乡人民政府",
                  "11640521010002345K/2022-00005", date(2022, 1, 28), date(2022, 1, 26)),
    "003": Report("003", "003.html", "西邑乡2019年政府信息公开年度报告", "隆阳区西邑乡人民政府",
                  "01525767-7-/2020-0131001", date(2020, 1, 31), date(2020, 1, 31)),
    "004": Report("004", "004.pdf", "平罗县城关镇人民政府2020年政府信息公开年度报告", "平罗县城关镇人民政府",
                  "11640221010001234P/2021-00007", date(2021, 1, 28), date(2021, 1, 27)),
}


@dataclass(frozen=True)
class Other:
    """A non-report item of the same column (guide, rules, notice): it must never be loaded as a report."""

    title: str
    published: date
    text: str


# --------------------------------------------------------------------------------------- documents


def load_reports(documents_dir: Path = DOCUMENTS_DIR) -> dict[str, Report]:
    """The five reports, with the manifest's titles, agencies, 索引号 and dates where it gives them."""
    manifest_path = documents_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    entries = manifest.get("documents", manifest) if isinstance(manifest, dict) else manifest
    if isinstance(entries, dict):
        entries = [dict(entry, seed=key) for key, entry in entries.items() if isinstance(entry, dict)]
    by_seed = {str(e.get("seed", e.get("seed_id", ""))).split("_")[0][-3:]: e for e in entries}
    reports = {}
    for seed, default in DEFAULTS.items():
        entry = by_seed.get(seed, {})
        reports[seed] = replace(
            default,
            file=entry.get("file", default.file),
            title=entry.get("title", default.title),
            agency=entry.get("publisher") or entry.get("agency") or default.agency,
            index_no=entry.get("index_no", default.index_no),
            published=_date(entry["published_date"]) if entry.get("published_date") else default.published,
            written=_date(entry["written_date"]) if "written_date" in entry else default.written,
        )
        if not (documents_dir / reports[seed].file).exists():
            raise FileNotFoundError(f"{documents_dir / reports[seed].file}: the demo document of seed {seed} is missing")
    return reports


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# --------------------------------------------------------------------------------------- page chrome


NAV = ("首页", "政务公开", "政府信息公开", "政务服务", "互动交流", "走进{county}")
SIDEBAR = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报")


def chrome(county: str, crumbs: str, main: str, *, charset: str = "utf-8", title: str = "") -> str:
    """A county portal page around `main`: header, navigation, breadcrumb, sidebar, footer."""
    nav = "".join(f'<li><a href="#">{html.escape(n.format(county=county))}</a></li>' for n in NAV)
    side = "".join(f'<li><a href="#">{s}</a></li>' for s in SIDEBAR)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title or "政府信息公开年报")}_{county}人民政府</title>
<link rel="stylesheet" href="/static/portal.css">
</head>
<body>
<div class="header"><div class="logo">{county}人民政府</div>
<form class="search" action="/search/"><input name="q" placeholder="请输入关键字"><button>搜索</button></form></div>
<ul class="nav">{nav}</ul>
<div class="crumbs">当前位置：<a href="#">首页</a> &gt; <a href="#">政府信息公开</a> &gt; {crumbs}</div>
<div class="wrap">
<div class="side"><h3>政府信息公开</h3><ul>{side}</ul></div>
<div class="main">
{main}
</div>
</div>
<div class="footer"><p>主办：{county}人民政府办公室　承办：{county}信息化服务中心</p>
<p>网站标识码：6402000001　宁ICP备05000001号　<a href="#">网站地图</a>　<a href="#">联系我们</a></p></div>
</body>
</html>
"""


def metadata_table(rows: list[tuple[str, str]]) -> str:
    """The 信息公开目录 header of a detail page, two label/value pairs per row."""
    cells = [f"<th>{label}：</th><td>{html.escape(value)}</td>" for label, value in rows]
    trs = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>" for i in range(0, len(cells), 2))
    return f'<table class="xxgk-head">{trs}</table>'


def dated_list(entries: list[tuple[str, str, date]]) -> str:
    """A list column's entries: (href, title, date)."""
    lis = "".join(
        f'<li><a href="{href}" target="_blank" title="{html.escape(t)}">{html.escape(t)}</a><span>{d.isoformat()}</span></li>'
        for href, t, d in entries
    )
    return f'<ul class="list">{lis}</ul>'


def release_note(report: Report) -> str:
    return (f"<p>根据《中华人民共和国政府信息公开条例》规定，现将《{html.escape(report.title)}》予以公布。"
            f"本报告电子版可在本网站下载。如对本报告有疑问，请与{html.escape(report.agency)}联系。</p>")


def other_body(other: Other, container: str = 'class="TRS_Editor"') -> str:
    return f"<div {container}><p>{html.escape(other.text)}</p></div>"


def article(item: Report | Other, container: str, docs: Path, site: Path, attachment: str, href: str | None = None) -> str:
    """A detail page's article: for a report, a release note and the link to its document, which is
    copied to `attachment` (a path on the site; `href` when the page links it relatively); for another
    item, its text. `container` is the template's article element attributes, e.g. 'id="zoom"'."""
    if isinstance(item, Other):
        return other_body(item, container)
    _copy(docs / item.file, site / attachment.lstrip("/"))
    name = html.escape(item.title) + Path(attachment).suffix
    return f'<div {container}>{release_note(item)}<p class="attach">附件：<a href="{href or attachment}">{name}</a></p></div>'


def header_values(item: Report | Other, organ_code: str, office: str) -> tuple[str, str, date | None]:
    """索引号, 发布机构 and 成文日期 of an item: a report's own, or the county office's for other items."""
    if isinstance(item, Report):
        return item.index_no, item.agency, item.written
    return f"{organ_code}/{item.published.year}-{item.published:%m%d}0", office, item.published


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def trs_detail_stamp(d: date, article_id: int, ext: str = "html") -> str:
    """./YYYYMM/tYYYYMMDD_<id>.html, relative to the column."""
    return f"{d:%Y%m}/t{d:%Y%m%d}_{article_id}.{ext}"


# --------------------------------------------------------------------------------------- 平罗 (TRS)


def build_pingluo(site: Path, docs: Path, reports: dict[str, Report]) -> None:
    county, column = "平罗县", site / "pingluo/xxgk/zfxxgknb"
    guide = Other("平罗县人民政府政府信息公开指南", date(2020, 1, 10),
                  "为了更好地提供政府信息公开服务，方便公民、法人和其他组织获取政府信息，编制本指南。")
    # newest first, two per page, as the column shows them
    entries = [(reports["004"], 3001), (guide, 2901), (reports["000"], 2501)]
    listed = []
    for item, article_id in entries:
        href = trs_detail_stamp(item.published, article_id)
        listed.append((f"./{href}", item.title, item.published))
        index_no, agency, written = header_values(item, "11640221MB1949703X", "平罗县人民政府办公室")
        meta = [("索引号", index_no), ("分类", "政府信息公开年报" if isinstance(item, Report) else "政府信息公开指南"),
                ("发布机构", agency), ("成文日期", written.isoformat() if written else ""),
                ("发布日期", item.published.isoformat()), ("名称", item.title)]
        attachment = f"P0{item.published:%Y%m%d}{article_id}1234.pdf"  # beside the detail page
        body = article(item, 'class="TRS_Editor"', docs, column / href.rsplit("/", 1)[0], attachment, f"./{attachment}")
        main = f'{metadata_table(meta)}<h1 class="title">{html.escape(item.title)}</h1>{body}'
        _write(column / href, chrome(county, "政府信息公开年报", main, title=item.title))
    pages = [listed[0:2], listed[2:]]
    for index, page_entries in enumerate(pages):
        pager = f'<div class="page"><script>createPageHTML({len(pages)}, {index}, "index", "html");</script></div>'
        name = "index.html" if index == 0 else f"index_{index}.html"
        _write(column / name, chrome(county, "政府信息公开年报", dated_list(page_entries) + pager))


# --------------------------------------------------------------------------------------- 兴庆 (Hanweb)


HANWEB_PER_PAGE = 3  # records embedded in the column page; the rest come from dataproxy.jsp


def build_xingqing(site: Path, docs: Path, reports: dict[str, Report]) -> None:
    county, column_id, root = "兴庆区", 4521, site / "xingqing"
    report = reports["001"]
    others = [
        Other("兴庆区政府信息公开制度", date(2019, 3, 5), "为规范政府信息公开工作，制定本制度。"),
        Other("兴庆区人民政府政府信息公开指南", date(2019, 2, 20), "本指南适用于兴庆区人民政府及其工作部门。"),
        Other("关于做好2018年政府信息公开工作年度报告编制发布工作的通知", date(2019, 1, 8),
              "各乡镇、街道，区直各部门：请于1月31日前完成年度报告的编制和发布。"),
    ]
    items = [(others[0], 58101), (others[1], 58002), (report, 57961), (others[2], 57720)]
    records = []
    for item, article_id in items:
        d = item.published
        href = f"/xingqing/art/{d.year}/{d.month}/{d.day}/art_{column_id}_{article_id}.html"
        records.append(f'<li><a href="{href}" target="_blank" title="{html.escape(item.title)}">'
                       f'{html.escape(item.title)}</a><span class="bt-data-time">{d.isoformat()}</span></li>')
        index_no, agency, _ = header_values(item, "11640104MB1F12345A", "兴庆区人民政府办公室")
        meta = [("索引号", index_no), ("分类", "政府信息公开年报"), ("发布机构", agency),
                ("发文日期", d.isoformat()), ("文号", ""), ("有效性", "有效")]
        body = article(item, 'id="zoom"', docs, site, f"/xingqing/picture/0/{d:%y%m%d}1015348420.pdf")
        main = f'{metadata_table(meta)}<h1 class="title">{html.escape(item.title)}</h1>{body}'
        _write(root / href.removeprefix("/xingqing/"), chrome(county, "政府信息公开年报", main, title=item.title))

    datastore = "".join(f"<record><![CDATA[{r}]]></record>\n" for r in records[:HANWEB_PER_PAGE])
    proxy = "/xingqing/module/web/jpage/dataproxy.jsp"
    main = f"""<div id="{column_id}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{proxy}?page=1&appid=1&webid=3&path=/&columnid={column_id}&unitid=17650&webname=%E5%85%B4%E5%BA%86%E5%8C%BA&permissiontype=0"></a>]]></nextgroup>
<recordset>
{datastore}</recordset>
</datastore></script></div>
<script type="text/javascript">
$(document).ready(function () {{
  $("#{column_id}").jpage({{ dataStore: dataStore, perPage: {HANWEB_PER_PAGE}, totalRecord: {len(records)},
    proxyUrl: "{proxy}", groupSize: 3, barPosition: "bottom", webid: "3", columnid: "{column_id}" }});
}});
</script>"""
    _write(root / f"col/col{column_id}/index.html", chrome(county, "政府信息公开年报", main))
    # every record of the column, for the server's dataproxy.jsp answer
    _write(root / f"module/web/jpage/records/{column_id}.json", json.dumps(records, ensure_ascii=False, indent=1))


# --------------------------------------------------------------------------------------- 中宁 (generic)


def build_zhongning(site: Path, docs: Path, reports: dict[str, Report]) -> None:
    county, column = "中宁县", site / "zhongning/xxgk/gknb"
    report = reports["002"]
    others = [
        Other("关于开展2021年度政府信息公开工作年度报告检查的通知", date(2022, 3, 1),
              "各乡镇人民政府，县直各部门：现将年度报告检查有关事项通知如下。"),
        Other("中宁县人民政府政府信息公开指南", date(2022, 2, 15), "本指南由中宁县人民政府办公室编制。"),
    ]
    # newest first, two per page: the report is on the second page
    pages = [[(others[0], 7250), (others[1], 7163)], [(report, 7102)]]
    for item, article_id in [e for page in pages for e in page]:
        index_no, agency, _ = header_values(item, "11640521010002345K", "中宁县人民政府办公室")
        meta = [("索引号", index_no), ("发布机构", agency),
                ("发布日期", item.published.isoformat()), ("信息分类", "政府信息公开年报")]
        body = article(item, 'class="content"', docs, site,
                       f"/zhongning/uploadfiles/{item.published:%Y%m}/{item.published:%Y%m%d}100355.docx")
        main = f'<h1 class="title">{html.escape(item.title)}</h1>{metadata_table(meta)}{body}'
        _write(column / f"content_{article_id}.html",
               chrome(county, "政府信息公开年报", main, charset="gb2312", title=item.title), "gb2312")
    names = ["list.html", "list_2.html"]
    for index, page in enumerate(pages):
        links = [f'<a href="{names[0]}">首页</a>']
        links += [f'<a href="{names[i]}">{i + 1}</a>' for i in range(len(names))]
        if index + 1 < len(names):
            links.append(f'<a href="{names[index + 1]}">下一页</a>')
        links.append(f'<a href="{names[-1]}">尾页</a>')
        entries = [(f"content_{article_id}.html", item.title, item.published) for item, article_id in page]
        main = dated_list(entries) + f'<div class="pager">{" ".join(links)}</div>'
        _write(column / names[index], chrome(county, "政府信息公开年报", main, charset="gb2312"), "gb2312")


# --------------------------------------------------------------------------------------- 隆阳 (TRS, 1-based)


def build_longyang(site: Path, docs: Path, reports: dict[str, Report]) -> None:
    county, column = "隆阳区", site / "longyang/zfxxgk/zfxxgknb"
    report = reports["003"]
    others = [
        Other("隆阳区人民政府政府信息公开指南", date(2019, 12, 20), "为方便公民、法人和其他组织获取政府信息，编制本指南。"),
        Other("隆阳区2020年政务公开工作要点", date(2020, 4, 15), "2020年全区政务公开工作要以习近平新时代中国特色社会主义思想为指导。"),
    ]
    pages = [[(others[1], 3290), (report, 3151)], [(others[0], 3012)]]
    for item, article_id in [e for page in pages for e in page]:
        href = trs_detail_stamp(item.published, article_id, "shtml")
        if isinstance(item, Report):
            meta = [("索引号", item.index_no), ("发文机构", item.agency), ("公开目录", "政府信息公开年报"),
                    ("文　　号", ""), ("浏览量", "326"), ("日期", item.published.isoformat())]
            body = (docs / item.file).read_text("utf-8")
        else:
            index_no, agency, _ = header_values(item, "01525767-7-", "隆阳区人民政府办公室")
            meta = [("索引号", index_no), ("发文机构", agency), ("公开目录", "政府信息公开"),
                    ("日期", item.published.isoformat())]
            body = other_body(item)
        main = f'<h1 class="title">{html.escape(item.title)}</h1>{metadata_table(meta)}{body}'
        _write(column / href, chrome(county, "政府信息公开年报", main, title=item.title))
    for index, page in enumerate(pages, start=1):
        entries = [(f"./{trs_detail_stamp(i.published, a, 'shtml')}", i.title, i.published) for i, a in page]
        pager = (f"<div id=\"page_div\"></div><script>createPageHTML('page_div', {len(pages)}, {index}, "
                 f"'index', 'shtml', {sum(len(p) for p in pages)});</script>")
        name = "index.shtml" if index == 1 else f"index_{index}.shtml"
        _write(column / name, chrome(county, "政府信息公开年报", dated_list(entries) + pager))


# --------------------------------------------------------------------------------------- all


def build_sites(documents_dir: Path = DOCUMENTS_DIR, site_dir: Path = SITE_DIR) -> Path:
    reports = load_reports(documents_dir)
    if site_dir.exists():
        shutil.rmtree(site_dir)
    site_dir.mkdir(parents=True)
    _write(site_dir / "robots.txt", ROBOTS_TXT)
    _write(site_dir / "static/portal.css", "body{font-family:sans-serif}.nav li{display:inline;margin:0 1em}\n")
    for build in (build_pingluo, build_xingqing, build_zhongning, build_longyang):
        build(site_dir, documents_dir, reports)
    return site_dir


def main() -> None:
    print(f"demo portal built in {build_sites()}")


if __name__ == "__main__":
    main()
