"""HTML detail pages → the article's text. Input is bytes: county portals serve GBK as often as UTF-8."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from nianbao.decoding import decode_html
from nianbao.models import PageText

# Article containers of the common county CMSs (TRS, Hanweb, …), most specific first.
ARTICLE_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    "//*[@id='zoom']",
    "//*[@id='UCAP-CONTENT']",
    "//*[@id='Zoom']",
    "//article",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article ')]",
    "//*[@id='content']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' content ')]",
)
NOT_ARTICLE = ("script", "style", "nav", "header", "footer", "form", "noscript", "iframe")
_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "ul",
          "ol", "dl", "dt", "dd", "blockquote", "pre", "hr"}


def parse_html(data: bytes) -> etree._Element:
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_html(data))
    root = lxml.html.document_fromstring(text or "<html></html>")
    for el in root.iter(*NOT_ARTICLE):
        el.drop_tree() if el.getparent() is not None else None
    return root


def element_text(el: etree._Element) -> str:
    """Text with a line break around block elements and a tab between table cells."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCK:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in ("td", "th"):
            parts.append("\t")
        if tag in _BLOCK:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(el)
    lines = (re.sub(r"[ \u3000\xa0]+", " ", line).strip(" \t") for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def article_element(root: etree._Element) -> etree._Element:
    """The report's own body: a known CMS container holding the report text, else the whole <body>."""
    for xpath in ARTICLE_XPATHS:
        for el in root.xpath(xpath):
            if len("".join(el.itertext()).strip()) >= 50:
                return el
    body = root.find("body")
    return body if body is not None else root


def html_pages(root: etree._Element) -> list[PageText]:
    return [PageText(1, element_text(article_element(root)))]


def page_heading(root: etree._Element) -> str | None:
    """The article heading (h1, a title element, else <title>)."""
    for xpath in ("//h1", "//*[contains(@class, 'title')]", "//title"):
        for el in root.xpath(xpath):
            text = " ".join("".join(el.itertext()).split())
            if "报告" in text or "年报" in text:
                return text
    return None
