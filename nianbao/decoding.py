"""Decoding the HTML pages of Chinese government sites: UTF-8 or GBK/GB2312/GB18030, declared or not. One
decoder for the crawler's list pages and the extractors' report pages, so a page reads the same in both.

The labels are often wrong (templates copied from GBK sites), so a label is a candidate, not the answer:
charset-normalizer (a maintained detector) picks among UTF-8, GB18030 and the declared charset by which
decoding reads as language. Left to guess from every charset it picks Big5 for a short GBK page and
trusts a GBK label on UTF-8 bytes; the candidates keep it to what county portals really serve."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-]+)", re.I)

# GB18030 is a superset of GBK, which is a superset of GB2312: pages labelled with the smaller sets often
# use characters only the larger ones define (e.g. 镕, 堃), so always decode with the largest.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030"}  # by Python's codec names (cp936 is gbk)
# a Latin-1 label is a server default (Tomcat's), never the truth on a Chinese page, and it would "decode"
# any bytes without error
_SERVER_DEFAULTS = {"iso8859-1", "ascii", "cp1252"}
_ALIASES = {"x-gbk": "gbk", "gb_2312-80": "gb2312"}  # labels seen on pages that Python does not know


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """The page as text: a UTF-8 BOM wins; else the most readable of UTF-8, GB18030 and the charset the
    Content-Type header or the page itself declares; bytes no candidate decodes as GB18030 with
    replacement characters."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    best = charset_normalizer.from_bytes(data, cp_isolation=_candidates(data, content_type),
                                         preemptive_behaviour=False).best()
    if best is None:
        return data.decode("gb18030", errors="replace")
    return data.decode(_superset(best.encoding))


def _superset(encoding: str) -> str:
    name = codecs.lookup(_ALIASES.get(encoding.lower(), encoding)).name
    return _SUPERSETS.get(name, name)


def _candidates(data: bytes, content_type: str | None) -> list[str]:
    declared = []
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        declared.append(m.group(1))
    head = data[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        if m := pattern.search(head):
            declared.append(m.group(1).decode("ascii"))
    found = ["utf-8", "gb18030"]
    for label in declared:
        try:
            name = _superset(label)
        except LookupError:  # a label Python does not know names no charset
            continue
        if name not in _SERVER_DEFAULTS and name not in found:
            found.append(name)
    return found
