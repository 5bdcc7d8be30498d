"""The generated report documents: the committed demo documents and extraction corpus are what their
manifests say, and the specs behind them carry the truth (the seeds' flaws, the synthetic reports' identities)."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document
from lxml import html as lxml_html

from demo_portal import report_generator as d
from nianbao import schema
from nianbao.config import PROJECT_DIR

DEMO = PROJECT_DIR / "demo_portal" / "documents"
CORPUS = PROJECT_DIR / "tests" / "fixtures" / "corpus"
SEEDS = PROJECT_DIR.parent / "shared" / "seeds"

MAGIC = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}


def _manifest(folder: Path) -> list[dict]:
    return json.loads((folder / "manifest.json").read_text("utf-8"))["documents"]


CORPUS_ENTRIES = _manifest(CORPUS)
DEMO_ENTRIES = _manifest(DEMO)


def _pdf_texts(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def _seed(seed_id: str) -> d.ReportSpec:
    path = next(SEEDS.glob(f"{seed_id}_*.txt"), None)
    if path is None:
        pytest.skip(f"seed text {seed_id} not available in {SEEDS}")
    return d.seed_spec(seed_id, path.read_text("utf-8"))


# --------------------------------------------------------------------------- committed files


@pytest.mark.parametrize("entry", DEMO_ENTRIES + CORPUS_ENTRIES, ids=lambda e: e["file"])
def test_every_listed_document_exists_and_starts_like_its_type(entry):
    folder = DEMO if "seed" in entry else CORPUS
    data = (folder / entry["file"]).read_bytes()
    if entry["media_type"] == "html":
        assert data.startswith(b'<div class="TRS_Editor">')
        assert b"</table>" in data or entry.get("expected_status") == "no_tables"
    else:
        assert data.startswith(MAGIC[entry["media_type"]])


def test_the_demo_lists_the_five_seeds_in_their_formats():
    formats = {e["seed"]: e["file"] for e in DEMO_ENTRIES}
    assert formats == {"000": "000.pdf", "001": "001.pdf", "002": "002.docx", "003": "003.html", "004": "004.pdf"}
    seed003 = next(e for e in DEMO_ENTRIES if e["seed"] == "003")
    assert (seed003["index_no"], seed003["publisher"], seed003["published_date"]) == (
        "01525767-7-/2020-0131001",
        "隆阳区西邑乡人民政府",
        "2020-01-31",
    )


@pytest.mark.parametrize("entry", DEMO_ENTRIES, ids=lambda e: e["file"])
def test_every_demo_report_is_published_by_31_january_after_its_year(entry):
    published = entry["published_date"]
    assert f"{entry['year'] + 1}-01-01" <= published <= f"{entry['year'] + 1}-01-31"
    assert entry["written_date"] is None or entry["written_date"] <= published


def test_the_corpus_has_every_rendering_kind():
    kinds = Counter(e["kind"] for e in CORPUS_ENTRIES)
    assert set(kinds) == {"pdf_ruled", "pdf_borderless", "pdf_split_table", "docx", "doc", "html", "pdf_scan", "pdf_corrupt"}
    ruled_seeds = {e["spec"] for e in CORPUS_ENTRIES if e["kind"] == "pdf_ruled"}
    assert {"seed-001", "seed-002", "seed-003", "seed-004"} <= ruled_seeds


@pytest.mark.parametrize(
    "entry", [e for e in CORPUS_ENTRIES if e["media_type"] == "pdf"], ids=lambda e: e["file"]
)
def test_pdfs_open_with_a_text_layer_unless_scanned_or_corrupt(entry):
    path = CORPUS / entry["file"]
    if entry["expected_status"] == "corrupt":
        with pytest.raises(pdfium.PdfiumError):
            _pdf_texts(path)
        return
    text = "".join("".join(_pdf_texts(path)).split())
    if entry["expected_status"] == "needs_ocr":
        assert text == ""
    else:
        assert entry["title"][:6] in text or entry["agency"][:4] in text
    if entry["cells"] and entry["expected_status"] == "parsed":
        assert "统计" in text or "申请人情况" in text


def test_the_split_fixture_runs_its_application_table_over_two_pages():
    pages = ["".join(t.split()) for t in _pdf_texts(CORPUS / "syn2019-split.pdf")]
    header = next(i for i, t in enumerate(pages) if "申请人情况" in t)
    assert "(七)总计" not in pages[header]
    assert "(七)总计" in pages[header + 1]


@pytest.mark.parametrize("entry", [e for e in CORPUS_ENTRIES if e["cells"]], ids=lambda e: e["file"])
def test_expected_cells_cover_every_cell_of_the_report_tables(entry):
    cells = json.loads((CORPUS / entry["cells"]).read_text("utf-8"))
    keys = [(c["table_code"], c["row_code"], c["column_code"]) for c in cells]
    tables = d.tables_of(entry["generation"])
    assert keys == [k for t in tables for k in d.table_keys(entry["generation"], t)]
    for c in cells:
        value = d.parse_value(c["raw_text"])
        assert c["value"] == (None if value is None else str(value))


def test_a_docx_report_has_real_merged_tables():
    document = Document(str(CORPUS / "syn2021.docx"))
    application = next(t for t in document.tables if "申请人情况" in t.cell(0, 3).text)
    assert len(application.rows) == 3 + len(schema.application_rows("gen2021"))
    assert application.cell(0, 0).text == application.cell(2, 2).text  # the note spans 3 x 3
    assert application.cell(5, 0).text == application.cell(26, 0).text == "三、本年度办理结果"  # rows 5..26
    with zipfile.ZipFile(CORPUS / "syn2021.docx") as z:
        assert "Noto" in z.read("word/document.xml").decode() + z.read("word/styles.xml").decode()


def test_an_html_report_uses_rowspan_and_colspan():
    tree = lxml_html.fragment_fromstring((CORPUS / "seed003.html").read_text("utf-8"))
    assert tree.get("class") == "TRS_Editor"
    tables = tree.findall(".//table")
    assert len(tables) == 3
    assert tables[1].xpath(".//td[@rowspan='3'][@colspan='3']")


# --------------------------------------------------------------------------- the specs


def test_seed_002_keeps_the_blank_legal_services_cell_of_carried_forward():
    spec = _seed("002")
    assert spec.cells["application", "carried_forward", "legal_services"] == ""
    assert spec.cells["proactive", "art20_8.fees", "amount_10k_yuan"] == "3.2"
    assert spec.cells["proactive", "art20_6.penalty", "decisions"] == "51"


def test_seed_004_fails_row_total_in_the_total_column_of_granted():
    spec = _seed("004")
    assert spec.cells["application", "granted", "natural_person"] == "1"
    assert spec.cells["application", "granted", "total"] == "0"
    assert "row_total application[granted,total]: 0 != 1" in d.identity_breaks(spec)
    assert [spec.cells["review_litigation", "review", o.code] for o in schema.review_litigation()[1]] == [""] * 5


def test_seed_003_prints_no_natural_person_or_total_header():
    spec = _seed("003")
    grid = d.table_grid(spec, "application")
    header = {(c.row, c.col): c.text for c in grid.cells if c.role == "head"}
    assert header[1, 3] == "" and header[1, 9] == ""
    assert header[2, 4] == "商业企业"
    assert spec.generation == "gen2019" and len(spec.cells) == 22 + 23 * 7 + 15


def test_seed_001_is_a_legacy_statistics_table_and_seed_000_has_no_table():
    legacy = _seed("001")
    assert legacy.tables() == ["legacy"]
    assert legacy.cells["legacy", "proactive.total", "value"] == "135"
    assert legacy.cells["legacy", "meetings.trainees", "value"] == "13"
    assert _seed("000").tables() == []


@pytest.mark.parametrize("seed_id", ["000", "001", "002", "003", "004"])
def test_every_seed_states_its_statistics_period(seed_id):
    spec = _seed(seed_id)
    assert str(spec.year) in spec.period_sentence
    assert any(spec.period_sentence in b.text for b in spec.blocks)


@pytest.mark.parametrize("generation", d.GENERATIONS)
def test_synthetic_reports_hold_their_identities_with_distinct_values(generation):
    for seed in range(3):
        spec = d.synthetic_spec(seed, generation, 2020, "测试县某某镇人民政府")
        assert d.identity_breaks(spec) == []
        assert d.repeated_values(spec.cells) == []
        raw = list(spec.cells.values())
        assert any(t in d.BLANK_TOKENS for t in raw), "some cells are blank or '/'"
        assert sum(t in d.BLANK_TOKENS for t in raw) <= 8  # a few, not a sparse table


def test_synthetic_reports_differ_by_seed():
    a, b = (d.synthetic_spec(s, "gen2021", 2022, "测试县某某镇人民政府") for s in (1, 2))
    assert a.cells != b.cells
    assert d.synthetic_spec(1, "gen2021", 2022, "测试县某某镇人民政府").cells == a.cells


def test_a_broken_identity_is_reported():
    spec = d.synthetic_spec(1, "gen2019", 2020, "测试县某某镇人民政府")
    spec.cells["application", "granted", "commercial"] = str(d.parse_value(spec.cells["application", "granted", "commercial"]) + 1)
    breaks = d.identity_breaks(spec)
    assert any(b.startswith("row_total application[granted,total]") for b in breaks)
    assert any(b.startswith("results_total application[results_total,commercial]") for b in breaks)


@pytest.mark.parametrize("text, value", [("0", "0"), ("+12", "12"), ("-3", "-3"), ("3.2", "3.2"), ("251000元", "251000")])
def test_printed_numbers_parse(text, value):
    assert str(d.parse_value(text)) == value


@pytest.mark.parametrize("text", ["", " ", "/", "-", "—", "无"])
def test_blank_and_placeholder_cells_are_missing_not_zero(text):
    assert d.parse_value(text) is None


def test_a_docx_renders_in_memory_with_the_forms_row_count(tmp_path):
    spec = d.synthetic_spec(5, "gen2019", 2019, "测试县某某镇人民政府")
    path = d.render_docx(spec, tmp_path / "r.docx")
    document = Document(io.BytesIO(path.read_bytes()))
    sizes = sorted(len(t.rows) for t in document.tables)
    assert sizes == sorted([4, 3 + 23, 2 * 5 + 8])  # review, application, proactive (5 blocks, 8 rows)
