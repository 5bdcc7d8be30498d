"""County sites of the layouts the crawler must understand, served over real HTTP on 127.0.0.1.

Synthetic sites, one per layout the issue names (each under its own path prefix, with a home page):

  /jiaxian/   TRS WCM: the 年报 column lists no report itself, only year sub-columns (2022年度, 2021年度); 2022 has
              two list pages (createPageHTML); one report is listed under both years
  /yixian/    Hanweb JCMS: a parent column linking two jpage sub-columns (乡镇/部门政府信息公开年报), the rest of
              the records from dataproxy.jsp
  /bingxian/  a list rendered by script from a JSON API (?columnId=77&page=N), two pages
  /dingxian/  a table-layout list (<tr><td><a></td><td>date</td></tr>) paged by numbers only (list.jsp?catid=5&page=2)
  /xinxian/   a column page listing nothing itself: a "更多>>" box for the townships, links to the agencies' own
              信息公开 pages, each with its 政府信息公开年报 column
  /gengqu/    Guangdong's gkmlpt: the category tree in window._CONFIG, each category's list from /gkmlpt/api/all/
  /wuxian/    a column whose list sits in an iframe
  /jixian/    a layout nothing understands: the list is drawn by script from an inline array

Real captures (tests/fixtures/portals/<source>/, each with its SOURCE.md), with stand-ins for what was not captured:

  /egb/xxgk/xxgknb/  鄂尔多斯恩格贝生态示范区 信息公开年报: TRS, table layout, script pager (countPage)
  /                   靖安县人民政府网站: its site navigation, whose 政务公开 panel links /Category_598/Index.aspx
  /col/col33718/      江苏省人民政府 地方动态: Hanweb jpage datastore with its nextgroup proxy link (news, no report)
  /sygfj/gknb/        沭阳县发改局: the real detail page of its 2023 report (tests/fixtures/real/shuyang-fgj-2023)
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from demo_portal.server import PortalHandler

CAPTURES = Path(__file__).resolve().parents[1] / "fixtures" / "portals"


def pdf(label: str) -> bytes:
    return b"%PDF-1.4\n% " + label.encode() + b"\n%%EOF\n"


def page(title: str, body: str, nav: str = "") -> str:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="nav">{nav}</div><div class="main">{body}</div>'
            f'<div class="footer">主办：{title.split("-")[-1]}办公室 2015-2024</div></body></html>')


def dated(href: str, text: str, day: str) -> str:
    return f'<li><a href="{href}" title="{text}">{text}</a><span>{day}</span></li>'


def detail(title: str, publisher: str, day: str, attachment: str | None) -> str:
    head = (f'<table class="xxgk"><tr><td>发布机构：</td><td>{publisher}</td><td>发布日期：</td><td>{day}</td></tr>'
            f'<tr><td>名称：</td><td>{title}</td></tr></table>')
    body = f'附件：<a href="{attachment}">{title}.pdf</a>' if attachment else "<p>" + "本单位召开会议，部署工作。" * 5 + "</p>"
    return page(title, f"{head}<h1>{title}</h1>{body}")


def write(root: Path, path: str, data: str | bytes) -> None:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def report_at(root: Path, detail_path: str, title: str, publisher: str, day: str) -> None:
    """A detail page at `detail_path` (site-absolute) with its PDF beside it."""
    pdf_path = detail_path.rsplit(".", 1)[0] + ".pdf"
    write(root, detail_path, detail(title, publisher, day, pdf_path))
    write(root, pdf_path, pdf(title))


def other_at(root: Path, detail_path: str, title: str, publisher: str, day: str) -> None:
    write(root, detail_path, detail(title, publisher, day, None))


# ------------------------------------------------------------------------------------------------ TRS years

JIA = {
    "A": "甲县城关镇人民政府2022年政府信息公开工作年度报告",
    "B": "甲县财政局2022年政府信息公开工作年度报告",
    "C": "甲县城关镇人民政府2021年政府信息公开工作年度报告",
}
JIA_NOTICE = "关于报送2022年政府信息公开工作年度报告的通知"
JIA_COLUMN = "/jiaxian/zfxxgk/zfxxgknb/index.html"


def build_trs_years(root: Path) -> None:
    nav = '<a href="/jiaxian/index.html">首页</a> <a href="/jiaxian/zfxxgk/index.html">政府信息公开</a>'
    write(root, "/jiaxian/index.html", page("首页-甲县人民政府", '<p>欢迎访问甲县人民政府网站</p>', nav))
    write(root, "/jiaxian/zfxxgk/index.html", page("政府信息公开-甲县人民政府", (
        '<ul><li><a href="/jiaxian/zfxxgk/zn/index.html">政府信息公开指南</a></li>'
        '<li><a href="/jiaxian/zfxxgk/zfxxgknb/index.html">政府信息公开年报</a></li></ul>'), nav))
    side = ('<ul class="side"><li><a href="./">政府信息公开年报</a></li>'
            '<li><a href="../zn/index.html">政府信息公开指南</a></li></ul>')
    write(root, JIA_COLUMN, page("政府信息公开年报-甲县人民政府", side + (
        '<ul class="years"><li><a href="./2022/">2022年度</a></li><li><a href="./2021/">2021年度</a></li></ul>'
        '<script>createPageHTML(1, 0, "index", "html");</script>'), nav))
    base = "/jiaxian/zfxxgk/zfxxgknb"
    write(root, f"{base}/2022/index.html", page("2022年度-甲县人民政府", side + '<ul class="list">'
        + dated("./202301/t20230120_11.html", JIA["A"], "2023-01-20")
        + dated("./202301/t20230110_12.html", JIA_NOTICE, "2023-01-10")
        + '</ul><script>createPageHTML(2, 0, "index", "html");</script>', nav))
    write(root, f"{base}/2022/index_1.html", page("2022年度-甲县人民政府", side + '<ul class="list">'
        + dated("./202301/t20230125_13.html", JIA["B"], "2023-01-25")
        + '</ul><script>createPageHTML(2, 1, "index", "html");</script>', nav))
    write(root, f"{base}/2021/index.html", page("2021年度-甲县人民政府", side + '<ul class="list">'
        + dated("./202201/t20220118_21.html", JIA["C"], "2022-01-18")
        + dated("../2022/202301/t20230120_11.html", JIA["A"], "2023-01-20")  # posted under both years
        + '</ul><script>createPageHTML(1, 0, "index", "html");</script>', nav))
    report_at(root, f"{base}/2022/202301/t20230120_11.html", JIA["A"], "甲县城关镇人民政府", "2023-01-20")
    other_at(root, f"{base}/2022/202301/t20230110_12.html", JIA_NOTICE, "甲县人民政府办公室", "2023-01-10")
    report_at(root, f"{base}/2022/202301/t20230125_13.html", JIA["B"], "甲县财政局", "2023-01-25")
    report_at(root, f"{base}/2021/202201/t20220118_21.html", JIA["C"], "甲县城关镇人民政府", "2022-01-18")


# ------------------------------------------------------------------------------------------------ Hanweb parent

YI_TOWNSHIPS = [
    "乙区东街道办事处2023年政府信息公开工作年度报告",
    "乙区西园镇人民政府2023年政府信息公开工作年度报告",
    "乙区南山乡人民政府2023年政府信息公开工作年度报告",
]
YI_DEPARTMENT = "乙区教育局2023年政府信息公开工作年度报告"
YI_RULES = "乙区教育局政府信息公开制度"
YI_COLUMN = "/yixian/col/col100/index.html"


def build_hanweb_parent(root: Path) -> None:
    nav = '<a href="/yixian/index.html">首页</a> <a href="/yixian/col/col100/index.html">信息公开年报</a>'
    write(root, "/yixian/index.html", page("乙区人民政府", "<p>乙区人民政府门户网站</p>", nav))
    write(root, YI_COLUMN, page("信息公开年报-乙区人民政府", (
        '<div class="sub"><ul><li><a href="/yixian/col/col101/index.html">乡镇政府信息公开年报</a></li>'
        '<li><a href="/yixian/col/col102/index.html">部门政府信息公开年报</a></li></ul></div>'
        '<div class="side"><a href="/yixian/col/col99/index.html">政府信息公开指南</a></div>'), nav))
    columns = {
        101: [dated(f"/yixian/art/2024/1/{20 + i}/art_101_{500 + i}.html", t, f"2024-01-{20 + i}") for i, t in enumerate(YI_TOWNSHIPS)],
        102: [dated("/yixian/art/2024/1/15/art_102_600.html", YI_DEPARTMENT, "2024-01-15"),
              dated("/yixian/art/2023/3/1/art_102_601.html", YI_RULES, "2023-03-01")],
    }
    for column, records in columns.items():
        datastore = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[:2])
        write(root, f"/yixian/col/col{column}/index.html", page("信息公开年报-乙区人民政府", (
            f'<div id="div{column}"><script type="text/xml"><datastore><recordset>{datastore}</recordset></datastore></script></div>'
            f'<script>$("#div{column}").jpage({{totalRecord: {len(records)}, perPage: 2}});</script>'), nav))
        write(root, f"/yixian/module/web/jpage/records/{column}.json", json.dumps(records, ensure_ascii=False))
    for i, title in enumerate(YI_TOWNSHIPS):
        report_at(root, f"/yixian/art/2024/1/{20 + i}/art_101_{500 + i}.html", title, title[:title.index("2023")], f"2024-01-{20 + i}")
    report_at(root, "/yixian/art/2024/1/15/art_102_600.html", YI_DEPARTMENT, "乙区教育局", "2024-01-15")
    other_at(root, "/yixian/art/2023/3/1/art_102_601.html", YI_RULES, "乙区教育局", "2023-03-01")


# ------------------------------------------------------------------------------------------------ JSON API

BING_REPORTS = [
    "丙县人民政府2023年政府信息公开工作年度报告",
    "丙县水务局2023年政府信息公开工作年度报告",
    "丙县卫生健康委员会2023年政府信息公开工作年度报告",
    "丙县人民政府2022年政府信息公开工作年度报告",
]
BING_GUIDE = "丙县人民政府政府信息公开指南"
BING_COLUMN = "/bingxian/zwgk/ndbg/index.html"


def build_json_api(root: Path) -> None:
    nav = '<a href="/bingxian/index.html">首页</a> <a href="/bingxian/zwgk/index.html">政务公开</a>'
    write(root, "/bingxian/index.html", page("丙县人民政府", "<p>丙县人民政府门户网站</p>", nav))
    write(root, "/bingxian/zwgk/index.html", page("政务公开-丙县人民政府", (
        '<a href="/bingxian/zwgk/ndbg/index.html">政府信息公开工作年度报告</a>'), nav))
    write(root, BING_COLUMN, page("政府信息公开工作年度报告-丙县人民政府", (
        '<ul id="list"></ul><div id="pager"></div><script>'
        'function load(n) { $.getJSON("/bingxian/api/xxgk/list?columnId=77&page=" + n, function (r) {'
        ' $.each(r.data.list, function (i, x) { $("#list").append("<li><a href=" + x.url + ">" + x.title + "</a></li>"); }); }); }'
        "load(1);</script>"), nav))
    records = [
        {"id": 1, "title": BING_REPORTS[0], "url": "/bingxian/zwgk/ndbg/content/post_1.html", "publishDate": "2024-03-20 09:00:00"},
        {"id": 2, "title": BING_GUIDE, "url": "/bingxian/zwgk/ndbg/content/post_2.html", "publishDate": "2024-02-01 09:00:00"},
        {"id": 3, "title": BING_REPORTS[1], "url": "/bingxian/zwgk/ndbg/content/post_3.html", "publishDate": 1706659200000},
        {"id": 4, "title": BING_REPORTS[2], "url": "/bingxian/upload/2024/wjw-nb2023.pdf", "publishDate": "2024-01-30"},
        {"id": 5, "title": BING_REPORTS[3], "url": "/bingxian/zwgk/ndbg/content/post_5.html", "publishDate": "2023-03-28"},
    ]
    for number, chunk in ((1, records[:3]), (2, records[3:])):
        answer = {"code": 0, "msg": "ok", "data": {"total": len(records), "pageNo": number, "pageSize": 3, "list": chunk}}
        write(root, f"/bingxian/api/xxgk/list@columnId=77&page={number}", json.dumps(answer, ensure_ascii=False))
    report_at(root, "/bingxian/zwgk/ndbg/content/post_1.html", BING_REPORTS[0], "丙县人民政府办公室", "2024-03-20")
    other_at(root, "/bingxian/zwgk/ndbg/content/post_2.html", BING_GUIDE, "丙县人民政府办公室", "2024-02-01")
    report_at(root, "/bingxian/zwgk/ndbg/content/post_3.html", BING_REPORTS[1], "丙县水务局", "2024-01-31")
    write(root, "/bingxian/upload/2024/wjw-nb2023.pdf", pdf(BING_REPORTS[2]))
    report_at(root, "/bingxian/zwgk/ndbg/content/post_5.html", BING_REPORTS[3], "丙县人民政府办公室", "2023-03-28")


# ------------------------------------------------------------------------------------------------ table + numbers

DING_REPORTS = [f"丁县{agency}2023年政府信息公开工作年度报告" for agency in
                ("人民政府", "发展和改革局", "教育局", "公安局", "民政局", "司法局", "财政局")]
DING_OTHERS = ["丁县2023年政务公开工作要点", "丁县人民政府关于2023年度政务公开考核结果的通报"]
DING_COLUMN = "/dingxian/xxgk/list.jsp?catid=5"


def build_table_pager(root: Path) -> None:
    nav = '<a href="/dingxian/index.html">首页</a> <a href="/dingxian/xxgk/list.jsp?catid=5">政府信息公开年报</a>'
    write(root, "/dingxian/index.html", page("丁县人民政府", "<p>丁县人民政府门户网站</p>", nav))
    rows = [(f"/dingxian/xxgk/show.jsp?id={100 + i}", t) for i, t in enumerate(DING_REPORTS[:4] + DING_OTHERS[:1] + DING_REPORTS[4:] + DING_OTHERS[1:])]
    pages_of = [rows[0:4], rows[4:8], rows[8:]]
    for number, chunk in enumerate(pages_of, start=1):
        table = "".join(f'<tr><td class="t"><a href="{href}">{title}</a></td><td class="d">2024-01-{10 + i:02d}</td></tr>'
                        for i, (href, title) in enumerate(chunk))
        pager = " ".join(f"<b>{n}</b>" if n == number else f'<a href="list.jsp?catid=5{"&page=%d" % n if n > 1 else ""}">{n}</a>'
                         for n in (1, 2, 3))
        query = "catid=5" if number == 1 else f"catid=5&page={number}"
        write(root, f"/dingxian/xxgk/list.jsp@{query}", page("政府信息公开年报-丁县人民政府",
              f'<table class="list"><tr><th>标题</th><th>日期</th></tr>{table}</table><div class="page">{pager}</div>', nav))
    for href, title in rows:
        query = href.split("?")[1]
        pdf_href = f"/dingxian/upload/{query.replace('=', '')}.pdf"
        if title in DING_REPORTS:
            write(root, f"/dingxian/xxgk/show.jsp@{query}", detail(title, title[:title.index("2023")], "2024-01-10", pdf_href))
            write(root, pdf_href, pdf(title))
        else:
            write(root, f"/dingxian/xxgk/show.jsp@{query}", detail(title, "丁县人民政府办公室", "2024-01-10", None))


# ------------------------------------------------------------------------------------------------ 更多, agencies

XIN_REPORTS = {
    "township": "辛县城关镇人民政府2023年政府信息公开工作年度报告",
    "czj": "辛县财政局2023年政府信息公开工作年度报告",
    "jyj": "辛县教育局2023年政府信息公开工作年度报告",
}
XIN_NEWS = "辛县财政局召开2024年财政工作会议"
XIN_COLUMN = "/xinxian/xxgk/nb/index.html"


def build_more_and_agencies(root: Path) -> None:
    """A column page that lists nothing itself: a 乡镇年报 box whose "更多>>" leads to the list, and the
    agencies' own 信息公开 pages (县财政局 › 政府信息公开年报)."""
    write(root, XIN_COLUMN, page("政府信息公开年报-辛县人民政府", (
        '<div class="box"><h3>乡镇政府信息公开年报</h3><span class="more"><a href="/xinxian/xxgk/nb/xz/index.html">更多&gt;&gt;</a></span></div>'
        '<div class="box"><h3>通知公告</h3><span class="more"><a href="/xinxian/tzgg/index.html">更多&gt;&gt;</a></span></div>'
        '<div class="box"><h3>部门</h3><ul><li><a href="/xinxian/bm/czj/">辛县财政局</a></li>'
        '<li><a href="/xinxian/bm/jyj/">辛县教育局</a></li></ul></div>')))
    write(root, "/xinxian/xxgk/nb/xz/index.html", page("乡镇政府信息公开年报-辛县人民政府",
          "<ul>" + dated("./c_1.html", XIN_REPORTS["township"], "2024-01-20") + "</ul>"))
    report_at(root, "/xinxian/xxgk/nb/xz/c_1.html", XIN_REPORTS["township"], "辛县城关镇人民政府", "2024-01-20")
    for agency, name in (("czj", "辛县财政局"), ("jyj", "辛县教育局")):
        news = dated("./news/c_1.html", XIN_NEWS, "2024-02-01") if agency == "czj" else ""
        write(root, f"/xinxian/bm/{agency}/index.html", page(f"{name}信息公开-辛县人民政府", (
            f'<ul class="nav"><li><a href="./zn/">政府信息公开指南</a></li><li><a href="./nb/">政府信息公开年报</a></li></ul>'
            f"<ul>{news}</ul>")))
        write(root, f"/xinxian/bm/{agency}/nb/index.html", page(f"政府信息公开年报-{name}",
              "<ul>" + dated("./c_1.html", XIN_REPORTS[agency], "2024-01-25") + "</ul>"))
        report_at(root, f"/xinxian/bm/{agency}/nb/c_1.html", XIN_REPORTS[agency], name, "2024-01-25")
    other_at(root, "/xinxian/bm/czj/news/c_1.html", XIN_NEWS, "辛县财政局", "2024-02-01")


# ------------------------------------------------------------------------------------------------ gkmlpt

GENG_REPORTS = [
    "庚区人民政府2023年政府信息公开工作年度报告",
    "庚区人民政府2022年政府信息公开工作年度报告",
    "庚区人民政府2021年政府信息公开工作年度报告",
    "庚区教育局2023年政府信息公开工作年度报告",
]
GENG_OTHER = "庚区教育局关于调整政府信息公开工作领导小组的通知"
GENG_COLUMN = "/gengqu/gkmlpt/index"


def build_gkmlpt(root: Path) -> None:
    """Guangdong's gkmlpt as public crawlers describe it (crawlers/gkmlpt.py of a public GitHub crawler of
    Guangdong sites: `SID: '…'` and `TREE: […], SERVICE_AREA_ID` in window._CONFIG, /gkmlpt/api/all/<id>?page=&sid=
    answering {classify: {post_count}, articles: [{title, url, display_publish_time}]})."""
    nav = '<a href="/gengqu/index.html">首页</a> <a href="/gengqu/gkmlpt/index">政府信息公开</a>'
    write(root, "/gengqu/index.html", page("庚区人民政府", "<p>庚区人民政府门户网站</p>", nav))
    tree = [
        {"id": 2650, "name": "机构职能", "children": []},
        {"id": 2653, "name": "政府信息公开年报", "children": [
            {"id": 2654, "name": "区政府信息公开年报", "children": []},
            {"id": 2655, "name": "部门信息公开年报", "children": []}]},
        {"id": 2660, "name": "政府信息公开指南", "jump_url": "/gengqu/gkmlpt/guide", "children": []},
    ]
    write(root, GENG_COLUMN, page("政府信息公开-庚区人民政府", (
        '<div id="app"></div><script src="/gkmlpt/static/js/app.js"></script><script>'
        f"window._CONFIG = {{ SID: '7', TREE: {json.dumps(tree, ensure_ascii=False)}, SERVICE_AREA_ID: 44, "
        "GKMLPT_ROOT: '/gengqu/gkmlpt/' };</script>"), nav))
    posts = {2654: [(1001, GENG_REPORTS[0], 1711000000), (1002, GENG_REPORTS[1], 1679000000), (1003, GENG_REPORTS[2], 1647000000)],
             2655: [(1004, GENG_REPORTS[3], 1706000000), (1005, GENG_OTHER, 1700000000)]}
    write(root, "/gengqu/gkmlpt/api/all/2653@page=1&sid=7", json.dumps({"classify": {"post_count": 0}, "articles": []}))
    for category, articles in posts.items():
        for number, start in enumerate(range(0, len(articles), 2), start=1):
            chunk = [{"id": i, "title": t, "url": f"/gengqu/gkmlpt/content/0/{category}/post_{i}.html",
                      "display_publish_time": when, "publisher": "庚区人民政府办公室"} for i, t, when in articles[start:start + 2]]
            answer = {"classify": {"id": category, "post_count": len(articles)}, "articles": chunk}
            write(root, f"/gengqu/gkmlpt/api/all/{category}@page={number}&sid=7", json.dumps(answer, ensure_ascii=False))
        for i, title, _ in articles:
            (report_at if title in GENG_REPORTS else other_at)(
                root, f"/gengqu/gkmlpt/content/0/{category}/post_{i}.html", title, "庚区人民政府办公室", "2024-03-01")


# ------------------------------------------------------------------------------------------------ iframe

WU_REPORT = "戊县人民政府2023年政府信息公开工作年度报告"
WU_COLUMN = "/wuxian/nb/index.html"


def build_iframe(root: Path) -> None:
    write(root, WU_COLUMN, page("政府信息公开年报-戊县人民政府",
          '<iframe src="/wuxian/nb/list.html" width="800" height="600" frameborder="0"></iframe>'))
    write(root, "/wuxian/nb/list.html", page("列表-戊县人民政府", '<ul>' + dated("./c_1.html", WU_REPORT, "2024-03-01") + "</ul>"))
    report_at(root, "/wuxian/nb/c_1.html", WU_REPORT, "戊县人民政府办公室", "2024-03-01")


# ------------------------------------------------------------------------------------------------ not understood

JI_COLUMN = "/jixian/gk/nb/index.html"
JI_NEWS_COLUMN = "/jixian/gk/news/index.html"
JI_NEWS = ["己县召开2024年政务公开工作会议", "己县人民政府关于做好春节期间安全生产工作的通知"]


def build_not_understood(root: Path) -> None:
    """The list is an inline script array the page draws itself (as 国家疾控局's list pages do, `var itemObj =
    [{"aT": title, "aPd": date, "aU": …}]`): no link, no endpoint, nothing an adapter reads."""
    items = [{"aT": "己县人民政府2023年政府信息公开工作年度报告", "aPd": "2024-03-01", "aU": "{\"common\": \"/jixian/gk/nb/1.html\"}"}]
    write(root, JI_COLUMN, page("政府信息公开年报-己县人民政府", (
        '<div class="tab"><a href="javascript:show(0)">本级年报</a><a href="javascript:show(1)">部门年报</a></div>'
        f'<ul id="list"></ul><script>var itemObj = {json.dumps(items, ensure_ascii=False)};'
        ' itemObj.forEach(function (x) { draw(x.aT, JSON.parse(x.aU).common, x.aPd); });</script>'),
        '<a href="/jixian/index.html">首页</a> <a href="/jixian/gk/index.html">信息公开</a>'))
    write(root, "/jixian/index.html", page("己县人民政府", "<p>己县人民政府门户网站</p>"))
    # a news column registered by mistake: it lists items, none of them a report
    write(root, JI_NEWS_COLUMN, page("工作动态-己县人民政府", "<ul>" + "".join(
        dated(f"./c_{i}.html", title, "2024-02-0%d" % (i + 1)) for i, title in enumerate(JI_NEWS)) + "</ul>"))
    for i, title in enumerate(JI_NEWS):
        other_at(root, f"/jixian/gk/news/c_{i}.html", title, "己县人民政府办公室", "2024-02-01")


# ------------------------------------------------------------------------------------------------ real captures

ORDOS_COLUMN = "/egb/xxgk/xxgknb/index.html"
ORDOS_REPORTS = [  # the four on the captured page, and one on the stand-in second page
    ("./202009/t20200903_2748784.html", "鄂尔多斯市2019年政府信息公开工作年度报告"),
    ("./202003/t20200311_2593126.html", "鄂尔多斯市人民政府办公室2019年政府信息公开工作年度报告"),
    ("./201905/t20190530_2380968.html", "鄂尔多斯市2018年政府信息公开年度报告"),
    ("./201905/t20190530_2380967.html", "内蒙古自治区2018年政府信息公开工作年度报告"),
    ("./201803/t20180320_2100001.html", "鄂尔多斯市2017年政府信息公开工作年度报告"),
]
ORDOS_OTHERS = [
    ("./202005/t20200506_2633371.html", "恩格贝生态示范区召开2020年度工作会暨党风廉政建设会议"),
    ("./201906/t20190614_2389850.html", "恩格贝生态示范区召开目标责任制考核表彰大会"),
    ("./201811/t20181102_2290635.html", "恩格贝生态示范区召开2018年度工作会议暨党风廉政建设会议"),
    ("./201811/t20181102_2290607.html", "恩格贝生态示范区：栽下梧桐引凤来"),
    ("./201805/t20180525_2166460.html", "一图读懂示范区2017年重点工作"),
    ("./201802/t20180205_2082017.html", "2016，恩格贝，精彩继续！"),
    ("./201801/t20180105_2000002.html", "恩格贝生态示范区召开2017年度总结大会"),
]
JINGAN_COLUMN = "/Category_598/Index.aspx"
JINGAN_REPORTS = ["靖安县人民政府2016年政府信息公开工作年度报告", "靖安县财政局2016年政府信息公开工作年度报告"]


def build_ordos(root: Path) -> None:
    """The captured page, plus stand-ins: its second list page (one more report, one more news item, the same
    template's table rows and script pager) and the detail pages with their PDFs."""
    folder = "/egb/xxgk/xxgknb"
    shutil.copytree(CAPTURES / "ordos-enggebei-trs-table" / "egb", root / "egb", dirs_exist_ok=True)
    captured = (root / ORDOS_COLUMN.lstrip("/")).read_text("utf-8")
    rows = "".join(
        f'<tr valign="top"><td width="25"><img src="../../images/ico2.jpg"></td><td width="550"><a href="{href}">{title}</a></td>'
        f"<td>{day}</td></tr>"
        for (href, title), day in ((ORDOS_REPORTS[4], "2018-03-20"), (ORDOS_OTHERS[6], "2018-01-05"))
    )
    start, end = captured.index('<tbody><tr valign="top" style="padding-bottom:10px;">'), captured.index("</tbody></table>\n\n\t\t</td>")
    second = (captured[:start] + f"<tbody>{rows}" + captured[end:]).replace("var currentPage = 0;", "var currentPage = 1;")
    write(root, f"{folder}/index_1.html", second)
    for href, title in ORDOS_REPORTS:
        report_at(root, folder + href[1:], title, "鄂尔多斯市人民政府办公室", "2020-03-11")
    for href, title in ORDOS_OTHERS:
        other_at(root, folder + href[1:], title, "恩格贝生态示范区管委会", "2019-06-14")


def build_jingan(root: Path) -> None:
    """The captured navigation as the site's home page, and a stand-in for the column it links."""
    shutil.copy(CAPTURES / "jingan-county-jiangxi-nav" / "index.html", root / "index.html")
    items = "".join(dated(f"/Item/{9000 + i}.aspx", title, f"2017-03-{20 + i}") for i, title in enumerate(JINGAN_REPORTS))
    write(root, JINGAN_COLUMN, page("政府信息公开年报-靖安县人民政府网站", f'<ul class="infoList">{items}</ul>'))
    for i, title in enumerate(JINGAN_REPORTS):
        pdf_path = f"/UploadFiles/2017/{9000 + i}.pdf"
        write(root, f"/Item/{9000 + i}.aspx", detail(title, title[:title.index("2016")], f"2017-03-{20 + i}", pdf_path))
        write(root, pdf_path, pdf(title))


SHUYANG_COLUMN = "/sygfj/gknb/index.shtml"
SHUYANG_DETAIL = "/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml"
SHUYANG_REPORT = "沭阳县发展和改革局2023年政府信息公开年度报告"
REAL_REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def build_shuyang(root: Path) -> None:
    """The real detail page of 沭阳县发改局's 2023 report (UCAP CMS, the corpus of tests/fixtures/real/
    shuyang-fgj-2023, its original address http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecf….shtml) at its own
    path, under a stand-in of its column's list page (the report's body is the page: no attachment)."""
    write(root, SHUYANG_DETAIL, (REAL_REPORTS / "shuyang-fgj-2023" / "document.html").read_bytes())
    write(root, SHUYANG_COLUMN, page("信息公开年报-沭阳县发改局", "<ul>"
          + dated("./202401/2ecfb31a335f4d689220a3a23e24a986.shtml", SHUYANG_REPORT, "2024-01-17") + "</ul>"))


JIANGSU_COLUMN = "/col/col33718/index.html"


def build_jiangsu(root: Path) -> None:
    """The captured jpage column at the site root, and a stand-in dataproxy.jsp that answers with its two records."""
    shutil.copytree(CAPTURES / "jiangsu-gov-hanweb-jpage" / "col", root / "col", dirs_exist_ok=True)
    captured = (root / JIANGSU_COLUMN.lstrip("/")).read_text("utf-8")
    records = re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", captured)
    write(root, "/module/web/jpage/records/33718.json", json.dumps(records, ensure_ascii=False))


def build_sites(root: Path) -> None:
    for build in (build_trs_years, build_hanweb_parent, build_json_api, build_table_pager, build_more_and_agencies, build_gkmlpt, build_iframe,
                  build_not_understood, build_ordos, build_jingan, build_jiangsu, build_shuyang):
        build(root)


class QueryHandler(PortalHandler):
    """The demo portal's handler, plus lists addressed by query string: /a/list.jsp?x=1&page=2 is the file
    `a/list.jsp@x=1&page=2` (JSON when it starts like JSON, else HTML). Logs every request."""

    def respond(self, body: bytes, head: bool = False) -> None:
        self.server.log.append(self.path)
        parts = urlsplit(self.path)
        if parts.query:
            file = self.resolve(unquote(parts.path) + "@" + unquote(parts.query))
            if file is not None:
                data = file.read_bytes()
                kind = "application/json; charset=utf-8" if data[:1] in (b"{", b"[") else "text/html; charset=utf-8"
                self.send_body(200, data, kind, head=head)
                return
        super().respond(body, head)
