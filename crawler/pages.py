"""Reading CMS pages: list items, pager links, the metadata block (索引号/发布机构/…), attachments and the
article body. Plain functions over a parsed page, shared by every adapter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Callable
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from crawler.classify import AGENCY_SUFFIX
from crawler.fetcher import registrable_domain

DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et")
# where CMS templates put the article (KIROGOVCOMPARE's list, plus common generic ids/classes)
ARTICLE_SELECTORS = (
    ".TRS_Editor", ".trs_editor", ".Custom_UnionStyle", "#zoom", "#Zoom",
    ".article-content", ".article", "#content", ".content",
)
PAGER_WORDS = ("下一页", "下页", "后页", "尾页", "末页")
# how list pages number themselves: index_2.shtml, list-3.html, ?page=2, pageIndex=, pageNo=, cur_page=…
PAGE_SUFFIX = re.compile(r"[_-]\d+(\.\w+)$")
PAGE_PARAMS = {"page", "pageindex", "pageno", "pagenum", "currpage", "curpage", "cur_page", "currentpage", "p", "pn"}
# URLs that name a column (a list), not an article: directory indexes, /col/col<id>/, Category_<id>,
# list.jsp?…&columnId=…
COLUMN_URL = re.compile(
    r"(?:/|/(?:index|list|default|more|lists?)(?:[_-]\d+)?\.(?:s?html?|aspx?|jsp|php))$"
    r"|/col/col\d+/|/category_\d+/|[?&](?:column|channel|cat|node|category|lm|chnl)_?(?:id|code)?=",
    re.I,
)
# a link naming the annual-report column or one of its branches: 乡镇政府信息公开年报, 部门年报, 政府信息公开工作年度报告
REPORT_COLUMN_NAME = re.compile(r"年报|年度报告")
YEAR_ONLY = re.compile(r"^(?:19|20)\d{2}\s*年?度?(?:年报|报告)?$")
YEAR = re.compile(r"(?:19|20)\d{2}")
MORE = re.compile(r"^(?:更多|查看更多|more)\s*[>》»+]*$|^[>》»]{2}$", re.I)
# per-agency branches (县财政局 › 政府信息公开年报): a short name, ending as an agency's does (classify.AGENCY_SUFFIX)
AGENCY_NAME = re.compile(r"^[\u4e00-\u9fa5（）()]{2,20}$")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass
class Page:
    url: str
    text: str

    @cached_property
    def tree(self) -> lxml.html.HtmlElement:
        return parse_html(self.text)


@dataclass(frozen=True)
class ListItem:
    url: str
    title: str
    listed_date: date | None = None
    listed_on: str = ""  # the list page (or list API call) that listed it


@dataclass(frozen=True)
class SubColumn:
    url: str
    title: str
    kind: str  # report_name | year | more | agency | iframe


def parse_html(text: str) -> lxml.html.HtmlElement:
    # lxml refuses str input that still carries an XML encoding declaration
    text = _XML_DECLARATION.sub("", text)
    try:
        tree = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError):  # empty or comment-only: a page with nothing on it
        tree = lxml.html.fromstring("<html></html>")
    for junk in tree.xpath("//script | //style | //noscript"):
        junk.drop_tree()
    return tree


def _href(anchor: lxml.html.HtmlElement, base_url: str) -> str | None:
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    return urljoin(base_url, href).split("#")[0]


def _anchor_title(anchor: lxml.html.HtmlElement) -> str:
    # lists truncate long titles in the text and keep the full one in the title attribute
    text = " ".join(anchor.text_content().split())
    attr = " ".join((anchor.get("title") or "").split())
    return attr if len(attr) > len(text) else text


def _entry_of(anchor: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The list entry an anchor sits in: its nearest li/tr/dd/p ancestor, else its parent."""
    node = anchor.getparent()
    for _ in range(4):
        if node is None:
            break
        if node.tag in ("li", "tr", "dd", "p"):
            return node
        node = node.getparent()
    return anchor.getparent() if anchor.getparent() is not None else anchor


def list_items(page: Page, also: Callable[[str], bool] = lambda url: False) -> list[ListItem]:
    """The items of a list page: links that sit in an entry carrying a date (how every government list
    looks; menus and footers carry none), plus links whose URL the adapter recognises as an item."""
    items: dict[str, ListItem] = {}
    for anchor in page.tree.iter("a"):
        url = _href(anchor, page.url)
        if url is None or url in items:
            continue
        entry_text = _entry_of(anchor).text_content()
        dated = DATE.search(entry_text)
        if dated or also(url):
            items[url] = ListItem(url, _anchor_title(anchor), _to_date(dated) if dated else None, page.url)
    return list(items.values())


def pager_urls(page: Page) -> list[str]:
    """Links of the pager: 下一页/尾页, and numbered links to the same list under another page number
    (index_2.shtml, ?page=2, pageIndex=2 …), wherever the template puts them."""
    urls: list[str] = []
    this_list = _list_identity(page.url)
    for anchor in page.tree.iter("a"):
        label = anchor.text_content().strip()
        url = _href(anchor, page.url)
        if not url or url == page.url or url in urls:
            continue
        if label in PAGER_WORDS or (label.isdigit() and _list_identity(url) == this_list):
            urls.append(url)
    return urls


def _list_identity(url: str) -> tuple:
    """A list page's URL without its page number: index_3.html ~ index.html, list.jsp?id=4&page=2 ~ list.jsp?id=4."""
    parts = urlsplit(url)
    path = PAGE_SUFFIX.sub(r"\1", parts.path)
    if path.endswith("/"):
        path += "index.html"
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in PAGE_PARAMS)
    return parts.netloc, path, tuple(query)


def is_column_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(COLUMN_URL.search(parts.path + ("?" + parts.query if parts.query else "")))


def same_site(url: str, other: str) -> bool:
    """On one site: hosts of one registrable domain (xxgk.<county>.gov.cn beside www.<county>.gov.cn), as the
    fetcher's allowed hosts are."""
    return registrable_domain(urlsplit(url).hostname or "") == registrable_domain(urlsplit(other).hostname or "")


def sub_columns(page: Page, listed: set[str], *, agencies: bool) -> tuple[list[SubColumn], list[ListItem]]:
    """The branches of a column page: links (and iframes) within the site that lead to further lists of
    reports, and the undated links that name a report themselves.

    A branch is a link named like the report column (乡镇政府信息公开年报; no year: a report title always
    names its year), a year (2021年度), a "更多>>" whose block is about the reports, an iframe, or — when
    `agencies`, for a page that lists nothing itself — an agency (县财政局) whose link is a column URL.
    A link naming a report and a year is a sub-column when its URL is a column's, else an undated item."""
    branches: dict[str, SubColumn] = {}
    undated: dict[str, ListItem] = {}
    for frame in page.tree.iter("iframe"):
        url = urljoin(page.url, (frame.get("src") or "").strip()).split("#")[0]
        if frame.get("src") and same_site(url, page.url) and url != page.url:
            branches.setdefault(url, SubColumn(url, frame.get("title") or frame.get("name") or "iframe", "iframe"))
    for anchor in page.tree.iter("a"):
        url = _href(anchor, page.url)
        if url is None or url in listed or url == page.url or not same_site(url, page.url) or is_document_url(url):
            continue
        title = _anchor_title(anchor)
        text = "".join(title.split())
        kind = None
        if YEAR_ONLY.match(text):
            kind = "year"
        elif REPORT_COLUMN_NAME.search(text) and len(text) <= 60:
            if not YEAR.search(text):
                kind = "report_name"
            elif is_column_url(url):
                kind = "year"
            else:
                undated.setdefault(url, ListItem(url, title, None, page.url))
        elif MORE.match(text) and REPORT_COLUMN_NAME.search(_block_text(anchor)):
            kind = "more"
        elif agencies and AGENCY_NAME.match(text) and AGENCY_SUFFIX.search(text) and is_column_url(url):
            kind = "agency"
        if kind and url not in branches:
            branches[url] = SubColumn(url, title, kind)
    return list(branches.values()), list(undated.values())


def _block_text(anchor: lxml.html.HtmlElement) -> str:
    """The text of the box a "更多" link sits in (its heading and list), at most three levels up."""
    node = anchor.getparent()
    for _ in range(3):
        if node is None:
            return ""
        text = "".join(node.text_content().split())
        if len(text) > len("".join(anchor.text_content().split())):
            return text
        node = node.getparent()
    return ""


def anchors(page: Page) -> list[tuple[str, str]]:
    """(URL, title) of every link of the page."""
    return [(url, _anchor_title(anchor)) for anchor in page.tree.iter("a") if (url := _href(anchor, page.url))]


def attachments(page: Page) -> list[str]:
    """URLs of document attachments: links whose path, query or text names a document file."""
    found: list[str] = []
    for anchor in page.tree.iter("a"):
        url = _href(anchor, page.url)
        if url and url not in found and (is_document_url(url) or anchor.text_content().strip().lower().endswith(DOCUMENT_EXTENSIONS)):
            found.append(url)
    return found


def is_document_url(url: str) -> bool:
    parts = urlsplit(url)
    return unquote(parts.path).lower().endswith(DOCUMENT_EXTENSIONS) or any(
        unquote(value).lower().endswith(DOCUMENT_EXTENSIONS) for value in re.split(r"[&=]", parts.query)
    )


def article_text(page: Page) -> str:
    """The text of the article container, or of the whole body when the template has no known one."""
    for selector in ARTICLE_SELECTORS:
        found = page.tree.xpath(_xpath_of(selector))
        if found:
            return " ".join(found[0].text_content().split())
    return " ".join(page.tree.text_content().split())


def _xpath_of(selector: str) -> str:
    """`.class` or `#id` as XPath (lxml's CSS selectors need the cssselect package)."""
    if selector.startswith("#"):
        return f"//*[@id='{selector[1:]}']"
    return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {selector[1:]} ')]"


def heading(page: Page) -> str:
    for xpath in ("//h1", "//*[contains(@class, 'title')]", "//title"):
        found = page.tree.xpath(xpath)
        if found and found[0].text_content().strip():
            return " ".join(found[0].text_content().split())
    return ""


# ------------------------------------------------------------------------------------ metadata block

# label synonyms (report-format.md 4.3), including the traditional forms of mirror pages
METADATA_LABELS = {
    "index_no": ("索引号", "索引號"),
    "publisher": ("发布机构", "發布機構", "发文机构", "发文机关", "發文機關", "发布单位", "信息来源"),
    "written": ("成文日期", "生成日期"),
    "published": ("发布日期", "發布日期", "公开日期", "公開日期", "发文日期", "發文日期", "发布时间", "日期"),
    "title": ("信息名称", "名称", "名稱", "标题", "標題"),
    "category": ("组配分类", "主题分类", "信息分类", "公开目录", "主题导航", "分类", "分類"),
}
# a label is followed by a colon, by space, or ends its text node ("名称变更…" in prose is no label)
_LABEL_PATTERNS = {
    field: [re.compile(r"^" + r"\s*".join(label) + r"(?:\s*[:：]\s*|\s+|$)") for label in labels]
    for field, labels in METADATA_LABELS.items()
}


def metadata(page: Page) -> dict[str, str]:
    """The 信息公开目录 header of a detail page, as field -> value (fields of METADATA_LABELS).

    Labels and values come as `索引号：xxx` in one text node or as a label node followed by a value
    node (tables, <span>s, definition lists); the first occurrence of each field wins."""
    tokens = [" ".join(t.split()) for t in page.tree.itertext()]
    tokens = [t for t in tokens if t]
    found: dict[str, str] = {}
    for i, token in enumerate(tokens):
        field, rest = _label_of(token)
        if field is None or field in found:
            continue
        if not rest and i + 1 < len(tokens) and _label_of(tokens[i + 1])[0] is None:
            rest = tokens[i + 1]
        if rest:
            found[field] = rest
    return found


def _label_of(token: str) -> tuple[str | None, str]:
    for field, patterns in _LABEL_PATTERNS.items():
        for pattern in patterns:
            if m := pattern.match(token):
                return field, token[m.end():].strip()
    return None, ""


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    m = DATE.search(text)
    return _to_date(m) if m else None


def _to_date(m: re.Match) -> date | None:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
