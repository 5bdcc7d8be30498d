"""A spec as a Word document (DOCX), in the fonts and table layout of a published report."""

from __future__ import annotations

from pathlib import Path

from demo_portal.report_generator.grids import Grid, table_grid
from demo_portal.report_generator.spec import ReportSpec


BODY_FONT = "Noto Serif CJK SC"
HEADING_FONT = "Noto Sans CJK SC"


def _set_font(run_or_style, name: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = name
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def render_docx(
    spec: ReportSpec, path: Path, *, ruled: bool = True, break_before: tuple[str, int] | None = None
) -> Path:
    """Write the report as a Word document with real tables laid out like the official form.

    ruled=False draws the tables without borders (some portals publish them so); break_before=(table code,
    grid row) forces a page break before that row of that table, so the table runs over two pages."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    _set_font(doc.styles["Normal"], BODY_FONT, 12)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.25

    for block in spec.blocks:
        if block.kind == "table":
            break_row = break_before[1] if break_before and break_before[0] == block.text else None
            _add_docx_table(doc, table_grid(spec, block.text), ruled, break_row)
            doc.add_paragraph()
            continue
        for line in block.text.split("\n"):
            para = doc.add_paragraph()
            run = para.add_run(line)
            fmt = para.paragraph_format
            if block.kind == "title":
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _set_font(run, HEADING_FONT, 18, bold=True)
            elif block.kind == "caption":
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _set_font(run, HEADING_FONT, 14, bold=True)
            elif block.kind == "heading":
                fmt.first_line_indent = Pt(24)
                fmt.keep_with_next = True
                _set_font(run, HEADING_FONT, 12, bold=True)
            elif block.kind == "signature":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                fmt.first_line_indent = Pt(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


LONGEST_UNSPLIT_TABLE = 30  # rows; the application table (28 with its header) stays whole, the 统计表 may split


def _add_docx_table(doc, grid: Grid, ruled: bool, break_before_row: int | None) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = doc.add_table(rows=grid.n_rows, cols=len(grid.widths_cm))
    table.style = doc.styles["Table Grid" if ruled else "Normal Table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, grid.widths_cm):
        column.width = Cm(width)  # the grid widths, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, grid.widths_cm):
            cell.width = Cm(width)  # the cell widths, which Word follows
    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        # A row never breaks over two pages and header rows repeat on every page; but a long table whose
        # every row is w:cantSplit loses the rows that do not fit on its first page in LibreOffice.
        flags = (["w:cantSplit"] if grid.n_rows <= LONGEST_UNSPLIT_TABLE else []) + (
            ["w:tblHeader"] if r < grid.header_rows else []
        )
        for flag in flags:
            element = OxmlElement(flag)
            element.set(qn("w:val"), "true")
            tr_pr.append(element)
    for gc in grid.cells:
        if gc.rowspan > 1 or gc.colspan > 1:
            table.cell(gc.row, gc.col).merge(table.cell(gc.row + gc.rowspan - 1, gc.col + gc.colspan - 1))
    # python-docx's table.cell() rebuilds the whole cell grid on every call (three quarters of a report's
    # rendering time): take the grid once, after the merges, and fill every cell from it
    cells, n_cols = table._cells, len(grid.widths_cm)
    for gc in grid.cells:
        cell = cells[gc.row * n_cols + gc.col]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        para.paragraph_format.first_line_indent = 0
        para.paragraph_format.line_spacing = 1.0
        if gc.role != "label":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, line in enumerate(gc.text.split("\n")):
            if i:
                para.add_run().add_break()
            _set_font(para.add_run(line), BODY_FONT, 9 if len(grid.widths_cm) > 4 else 10.5)
    if grid.n_rows <= 12:  # a small table stays on one page, as Word's "keep with next" does it
        for row in table.rows[:-1]:
            for cell in row.cells:
                for para in cell.paragraphs:
                    para.paragraph_format.keep_with_next = True
    if break_before_row is not None:
        first_cell_para = table.rows[break_before_row].cells[0].paragraphs[0]
        first_cell_para.paragraph_format.page_break_before = True
