"""A spec as HTML: a CMS article body."""

from __future__ import annotations

import html

from demo_portal.report_generator.grids import Grid, table_grid
from demo_portal.report_generator.spec import ReportSpec


def render_html(spec: ReportSpec) -> str:
    """The report as the body of a CMS article page: <div class="TRS_Editor"> with <p> and ruled <table>s
    using rowspan/colspan, as TRS-family portals publish a report pasted from Word."""
    out = ['<div class="TRS_Editor">']
    for block in spec.blocks:
        if block.kind == "table":
            out.append(_grid_html(table_grid(spec, block.text)))
            continue
        for line in block.text.split("\n"):
            text = html.escape(line)
            if block.kind in ("title", "caption"):
                out.append(f'<p style="text-align: center;"><strong>{text}</strong></p>')
            elif block.kind == "heading":
                out.append(f'<p style="text-indent: 2em;"><strong>{text}</strong></p>')
            elif block.kind == "signature":
                out.append(f'<p style="text-align: right;">{text}</p>')
            else:
                out.append(f'<p style="text-indent: 2em;">{text}</p>')
    out.append("</div>")
    return "\n".join(out) + "\n"


def _grid_html(grid: Grid) -> str:
    rows: list[list[str]] = [[] for _ in range(grid.n_rows)]
    for gc in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        spans = "".join(
            f' {name}="{n}"' for name, n in (("rowspan", gc.rowspan), ("colspan", gc.colspan)) if n > 1
        )
        text = "<br/>".join(html.escape(line) for line in gc.text.split("\n")) or "&nbsp;"
        rows[gc.row].append(f'<td{spans} style="text-align: center;"><p>{text}</p></td>')
    body = "\n".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return (
        '<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse: collapse;">\n'
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )
