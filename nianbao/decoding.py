"""Decoding the pages of Chinese government sites: UTF-8 or GBK/GB2312/GB18030, declared or not."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-]+)", re.I)

# GB18030 is a superset of GBK, which is a superset of GB2312: pages labelled with the smaller sets often
# use characters only the larger ones define (e.g. 镕, 堃), so always decode with the largest.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_SERVER_DEFAULTS = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "windows-1252"}


def decode_page(data: bytes, content_type: str | None = None) -> str:
    """The page as text. Candidates in order: BOM, UTF-8, Content-Type charset, <meta>/XML declaration,
    GB18030; the first that decodes the whole page without error wins.

    UTF-8 is tried before any label because labels are often wrong (templates copied from GBK sites) while
    GBK text is practically never valid UTF-8; the converse does not hold (UTF-8 bytes often decode
    as GBK into nonsense), so a GBK label cannot be trusted over valid UTF-8."""
    for encoding in _candidates(data, content_type):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def _candidates(data: bytes, content_type: str | None) -> list[str]:
    found = ["utf-8-sig"] if data.startswith(codecs.BOM_UTF8) else []
    found.append("utf-8")
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        found.append(m.group(1))
    head = data[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        if m := pattern.search(head):
            found.append(m.group(1).decode("ascii"))
    found.append("gb18030")
    # a Latin-1 label is a server default (Tomcat's), never the truth on a Chinese page, and it would
    # "decode" any bytes without error
    return [_SUPERSETS.get(e.lower(), e.lower()) for e in found if e.lower() not in _SERVER_DEFAULTS]
