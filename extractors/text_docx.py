"""DOCX → text, read from word/document.xml in body order (paragraphs and tables)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from nianbao.models import PageText

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_body(path: Path) -> etree._Element:
    """The w:body element; raises zipfile.BadZipFile / KeyError / XMLSyntaxError on a broken file."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(f"{W}body")
    if body is None:
        raise ValueError("word/document.xml has no w:body")
    return body


def paragraph_text(p: etree._Element) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        parts.append(node.text or "" if node.tag == f"{W}t" else "\t" if node.tag == f"{W}tab" else "\n")
    return "".join(parts)


def cell_text(tc: etree._Element) -> str:
    return "\n".join(paragraph_text(p) for p in tc.iter(f"{W}p")).strip()


def body_text(body: etree._Element) -> str:
    """Paragraphs as lines; a table as one line per row, cells separated by tabs (as the seeds show)."""
    lines: list[str] = []
    for child in body:
        if child.tag == f"{W}tbl":
            for tr in child.iter(f"{W}tr"):
                lines.append("\t".join(cell_text(tc).replace("\n", "") for tc in tr.findall(f"{W}tc")))
        else:  # w:p, or a content control (w:sdt) holding paragraphs
            paragraphs = [child] if child.tag == f"{W}p" else child.iter(f"{W}p")
            lines.extend(paragraph_text(p) for p in paragraphs)
    return "\n".join(lines)


def docx_pages(body: etree._Element) -> list[PageText]:
    return [PageText(1, body_text(body))]
