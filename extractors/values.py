"""Cell text → value. Blank, "/", "-", "—", "无" mean "not stated" and become None, never 0."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from extractors.labels import normalise
from nianbao.schema import NOT_STATED

# A number with an optional sign, thousands separators and a unit suffix: "+12", "-3", "1,036", "251000元", "3.2万元"
_NUMBER = re.compile(r"^(?P<sign>[+-]?)(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?(?:万元|元|件|条|个|次|人次|人|篇)?$")


def parse_value(text: str | None) -> Decimal | None:
    """Decimal of a numeric cell, None for a blank or not-stated cell; raises ValueError for prose."""
    cleaned = normalise(text).replace("−", "-")
    if cleaned in NOT_STATED:
        return None
    m = _NUMBER.match(cleaned)
    if not m:
        raise ValueError(f"not a number: {text!r}")
    try:
        return Decimal(m["sign"] + m["digits"].replace(",", "") + (m["fraction"] or ""))
    except InvalidOperation as e:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"not a number: {text!r}") from e


def is_value_text(text: str | None) -> bool:
    """True for a number or a not-stated mark: what a data cell may hold."""
    try:
        parse_value(text)
    except ValueError:
        return False
    return True


def is_number_text(text: str | None) -> bool:
    try:
        return parse_value(text) is not None
    except ValueError:
        return False
