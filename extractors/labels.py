"""Label normalisation: make the printed labels of real reports comparable with the schema's labels.

Real tables write the same label many ways: 自 然 人 (spaces inside CJK), 法\\n律\\n服\\n务 (a vertical header
broken into single characters), （一） vs (一), “三安全一稳定” vs "三安全一稳定", １ vs 1, a label wrapped
over two lines. normalise() maps all of them to one form.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

_QUOTES = str.maketrans({c: "" for c in "\"'“”‘’「」『』〝〞＂＇"})
_SPACE = re.compile(r"\s+")
# Leading enumerators: 一、 (一) 1. 1、 其中：
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、]|其中:)+")
_PARENTHETICAL = re.compile(r"\([^()]*\)")


def normalise(text: str | None) -> str:
    """NFKC (full width → half width), no whitespace at all, no quote marks, 、 kept."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("．", ".").replace("：", ":")
    return _SPACE.sub("", text).translate(_QUOTES)


def is_enumerated(text: str | None) -> bool:
    """The label opens with its own number (一、 (三) 2. 其中：): it is a row of its own, not the rest of one."""
    return bool(_ENUMERATOR.match(normalise(text)))


def core(text: str | None) -> str:
    """The words of a label without its enumerators and parenthetical notes:
    "(一) 主动公开政府信息数 (不同渠道和方式公开相同信息计 1 条 )" → "主动公开政府信息数"."""
    label = normalise(text)
    label = _ENUMERATOR.sub("", label)
    previous = None
    while previous != label:  # nested or repeated notes
        previous, label = label, _PARENTHETICAL.sub("", label)
    return _ENUMERATOR.sub("", label)


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\(([一二三四五六七八九十]+)\)|(\d+)[.、])")


def numbering(text: str | None) -> str | None:
    """A label's own number, whatever its punctuation: "(三)" → "三", "2." and "2、" → "2"; None without one."""
    m = _NUMBERING.match(normalise(text))
    if not m:
        return None
    return m[1] or m[2] or m[0].rstrip("、")


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def likeness(printed: str | None, template: str | None) -> float:
    """How alike a printed label is to a template's, 0 … 1, on their cores (numbering 1、 or 1. and notes in
    brackets aside): 1 for the same words; 0.9 when the printed words are the template's with some lost
    (规范性文件 for 行政规范性文件, 主动公开信息数 for 主动公开政府信息数: every printed character in the
    template's order, covering three quarters of it or one word of two); else the share of characters in
    common (其他法律行政止公开 for 其他法律行政法规禁止公开: 0.86)."""
    a, b = core(printed), core(template)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if len(a) >= 2 and _is_subsequence(a, b) and (len(a) >= 0.75 * len(b) or b.endswith(a) or b.startswith(a)):
        return 0.9
    return SequenceMatcher(None, a, b, autojunk=False).ratio()
