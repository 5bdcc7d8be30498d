"""HTML <table>s → Grids with rowspan/colspan expanded."""

from __future__ import annotations

from lxml import etree

from extractors.grid import Grid, expand_spans
from extractors.text_html import element_text


def _span(cell: etree._Element, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1").strip() or 1), 200))
    except ValueError:
        return 1


def table_grid(table: etree._Element) -> tuple[list[list[str]], list[list[int]]]:
    rows = []
    for tr in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        rows.append([
            (element_text(td).replace("\t", " "), _span(td, "colspan"), _span(td, "rowspan"))
            for td in tr.xpath("./td | ./th")
        ])
    return expand_spans(rows)


def html_grids(article: etree._Element) -> list[Grid]:
    """The innermost tables (a table used for page layout around the report's tables is skipped)."""
    tables = [t for t in article.iter("table") if not t.xpath(".//table")]
    grids = []
    for table in tables:
        rows, ids = table_grid(table)
        grids.append(Grid.on_page(rows, 1, "html", ids))
    return grids
