"""The Jinja2 environment of the emails and the run report: templates in alerts/templates/, autoescape on
for HTML (text from the web cannot inject markup), and the filters that print the warehouse's values."""

from __future__ import annotations

import re
from decimal import Decimal

import jinja2

from alerts.correction import notice_paragraphs

_RULE_CODE_PREFIX = re.compile(r"^\[[a-z_]+\]\s*")


def number(value) -> str:
    """DECIMAL(18,4) from the warehouse prints as 3.0000; the office reads 3 (and 3.2 for 万元)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


templates = jinja2.Environment(
    loader=jinja2.PackageLoader("alerts", "templates"),
    autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=True),  # not .txt/.md
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
templates.filters["number"] = number
templates.filters["day"] = lambda moment: f"{moment:%Y年%m月%d日}"
templates.filters["minute"] = lambda moment: f"{moment:%Y-%m-%d %H:%M}"
# a finding's message starts with its rule code for SQL users; the email names the rule in Chinese instead
templates.filters["without_rule_code"] = lambda message: _RULE_CODE_PREFIX.sub("", message)
templates.filters["notice_paragraphs"] = notice_paragraphs  # 整改通知: the same text as its DOCX


def render(template: str, **context) -> str:
    return templates.get_template(template).render(**context)
