"""Report documents with known ground truth: a structured spec of one annual report, rendered as DOCX, HTML
(a CMS article body) or, through LibreOffice, PDF.

The spec is the truth: its cell texts are what the document prints, so the expected canonical cells of every
generated document come from the spec, never from an extractor. Specs come from two places:

- the five seed reports (real texts in ../shared/seeds), parsed once by `seed_spec`, keeping their flaws
  (a blank cell, a 总计 column that does not add up, header cells whose text was lost);
- `synthetic_spec`, a realistic report whose every cell holds a distinct value, so that a cell read into the
  wrong place cannot go unnoticed, while the form's identities (勾稽关系) hold.

A table is first laid out as a `Grid` (cells with row/column spans, like the official form), and the DOCX
and HTML renderers only draw grids, so both formats show the same merged cells.

  spec.py        ReportSpec, the cells it prints and the canonical cells expected from it
  identities.py  the form's identities (勾稽关系) a spec breaks
  grids.py       a table laid out as the form does it
  word.py, html_page.py, pdf.py   the renderers (PDF and scans through LibreOffice)
  seeds.py       seed texts → specs
  synthetic.py   synthetic specs
"""

from demo_portal.report_generator.grids import table_grid
from demo_portal.report_generator.html_page import render_html
from demo_portal.report_generator.identities import identity_breaks
from demo_portal.report_generator.pdf import convert_to_pdf, scan_pdf, truncate
from demo_portal.report_generator.seeds import SEED_LAYOUTS, seed_spec
from demo_portal.report_generator.spec import (
    BLANK_TOKENS,
    GENERATIONS,
    ReportSpec,
    expected_cells,
    parse_value,
    table_keys,
    tables_of,
)
from demo_portal.report_generator.synthetic import repeated_values, synthetic_spec
from demo_portal.report_generator.word import render_docx

__all__ = [
    "BLANK_TOKENS", "GENERATIONS", "SEED_LAYOUTS", "ReportSpec", "convert_to_pdf", "expected_cells", "identity_breaks",
    "parse_value", "render_docx", "render_html", "repeated_values", "scan_pdf", "seed_spec", "synthetic_spec",
    "table_grid", "table_keys", "tables_of", "truncate",
]
