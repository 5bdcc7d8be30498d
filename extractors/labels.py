"""Label normalisation: make the printed labels of real reports comparable with the schema's labels.

Real tables write the same label many ways: 自 然 人 (spaces inside CJK), 法\\n律\\n服\\n务 (a vertical header
broken into single characters), （一） vs (一), “三安全一稳定” vs "三安全一稳定", １ vs 1, a label wrapped
over two lines. normalise() maps all of them to one form.
"""

from __future__ import annotations

import re
import unicodedata

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
