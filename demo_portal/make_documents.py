"""Regenerate the demo portal's report documents and the extraction fixture corpus from the specs.

    python -m demo_portal.make_documents            # needs LibreOffice (soffice) and fonts-noto-cjk
    python -m demo_portal.make_documents --seeds ../shared/seeds

Writes demo_portal/documents/ (000.pdf 001.pdf 002.docx 003.html 004.pdf + manifest.json) and
tests/fixtures/corpus/ (documents, <spec>.cells.json with the expected canonical cells, manifest.json).
The outputs are committed, so the demo and the tests never need LibreOffice.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium

from demo_portal import report_generator as d
from nianbao import schema
from nianbao.config import PROJECT_DIR

DEFAULT_SEEDS = PROJECT_DIR.parent / "shared" / "seeds"
DEMO_DIR = PROJECT_DIR / "demo_portal" / "documents"
CORPUS_DIR = PROJECT_DIR / "tests" / "fixtures" / "corpus"


@dataclass(frozen=True)
class PortalListing:
    """How the demo portal lists a seed report (the article page's metadata block)."""

    media_type: str  # pdf | docx | html
    index_no: str  # 索引号
    published: date  # 发布日期


DEMO_LISTINGS = {
    "000": PortalListing("pdf", "640221-TFX/2019-0128001", date(2019, 1, 28)),
    "001": PortalListing("pdf", "640104-ZZZ/2019-0125002", date(2019, 1, 25)),
    "002": PortalListing("docx", "640521-XTX/2022-0120001", date(2022, 1, 20)),
    "003": PortalListing("html", "01525767-7-/2020-0131001", date(2020, 1, 31)),  # the seed's own block
    "004": PortalListing("pdf", "640221-CGZ/2021-0119003", date(2021, 1, 19)),
}

# synthetic reports of the corpus: (name, seed, generation, year, agency, prose paragraphs)
SYNTHETIC = (
    ("syn2021", 1, "gen2021", 2022, "青铜峡市叶盛镇人民政府", 4),
    ("syn2019", 2, "gen2019", 2020, "盐池县花马池镇人民政府", 10),
    ("synlegacy", 3, "legacy", 2017, "西吉县兴隆镇人民政府", 4),
    ("syn2021b", 4, "gen2021", 2023, "贺兰县习岗镇人民政府", 3),
    ("syn2019b", 343, "gen2019", 2020, "红寺堡区姚伏镇人民政府", 4),
)
SPLIT_BEFORE_ROW = 14  # grid row of 6.属于四类过程性信息: the gen2019 application table breaks there
REVIEW_DATA_ROW = 3  # grid row of the review table's 15 figures: its header ends one page, they start the next


def load_seed_specs(seeds_dir: Path) -> dict[str, d.ReportSpec]:
    specs = {}
    for path in sorted(seeds_dir.glob("[0-9][0-9][0-9]_*.txt")):
        seed_id = path.name[:3]
        specs[seed_id] = d.seed_spec(seed_id, path.read_text("utf-8"))
    missing = set(d.SEED_LAYOUTS) - set(specs)
    if missing:
        raise SystemExit(f"seed texts missing in {seeds_dir}: {sorted(missing)}")
    return specs


def make_demo(specs: dict[str, d.ReportSpec], out: Path, work: Path) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    entries, to_convert = [], []
    for seed_id, listing in DEMO_LISTINGS.items():
        spec = specs[seed_id]
        name = f"{seed_id}.{listing.media_type}"
        if listing.media_type == "html":
            (out / name).write_text(d.render_html(spec), "utf-8")
        elif listing.media_type == "docx":
            d.render_docx(spec, out / name)
        else:
            to_convert.append(d.render_docx(spec, work / "demo" / f"{seed_id}.docx"))
        entries.append(
            {
                "seed": seed_id,
                "file": name,
                "media_type": listing.media_type,
                "agency": spec.agency,
                "title": spec.title,
                "year": spec.year,
                "written_date": spec.written_date.isoformat() if spec.written_date else None,
                "index_no": listing.index_no,
                "publisher": spec.agency,
                "published_date": listing.published.isoformat(),
            }
        )
    for pdf in d.convert_to_pdf(to_convert, work / "demo-pdf"):
        shutil.copyfile(pdf, out / pdf.name)
    _write_json(out / "manifest.json", {"documents": entries})
    return entries


def make_corpus(specs: dict[str, d.ReportSpec], out: Path, work: Path) -> list[dict]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    all_specs = {f"seed{k}": s for k, s in specs.items()}
    for name, seed, generation, year, agency, paragraphs in SYNTHETIC:
        all_specs[name] = d.synthetic_spec(seed, generation, year, agency, prose_paragraphs=paragraphs)

    entries: list[dict] = []
    docx_dir = work / "corpus-docx"

    def entry(file: str, kind: str, spec_name: str, status: str = "parsed") -> None:
        spec = all_specs[spec_name]
        has_cells = status != "corrupt" and bool(spec.tables())
        entries.append(
            {
                "file": file,
                "kind": kind,
                "media_type": file.rsplit(".", 1)[1],
                "spec": spec.key,
                "generation": spec.generation,
                "year": spec.year,
                "agency": spec.agency,
                "title": spec.title,
                "written_date": spec.written_date.isoformat() if spec.written_date else None,
                "expected_status": status if spec.tables() or status != "parsed" else "no_tables",
                "cells": f"{spec_name}.cells.json" if has_cells else None,
            }
        )

    ruled = ["seed000", "seed001", "seed002", "seed003", "seed004", "syn2021", "synlegacy"]
    to_convert = [d.render_docx(all_specs[n], docx_dir / f"{n}.docx") for n in ruled]
    to_convert.append(d.render_docx(all_specs["syn2021b"], docx_dir / "syn2021b-borderless.docx", ruled=False))
    to_convert.append(
        d.render_docx(all_specs["syn2019"], docx_dir / "syn2019-split.docx",
                      break_before=("application", SPLIT_BEFORE_ROW))
    )
    to_convert.append(
        d.render_docx(all_specs["syn2019b"], docx_dir / "syn2019b-split-review.docx",
                      break_before=("review_litigation", REVIEW_DATA_ROW))
    )
    pdfs = {p.stem: p for p in d.convert_to_pdf(to_convert, work / "corpus-pdf")}
    for n in ruled:
        shutil.copyfile(pdfs[n], out / f"{n}.pdf")
        entry(f"{n}.pdf", "pdf_ruled", n)
    shutil.copyfile(pdfs["syn2021b-borderless"], out / "syn2021b-borderless.pdf")
    entry("syn2021b-borderless.pdf", "pdf_borderless", "syn2021b")
    shutil.copyfile(pdfs["syn2019-split"], out / "syn2019-split.pdf")
    check_application_split(out / "syn2019-split.pdf")
    entry("syn2019-split.pdf", "pdf_split_table", "syn2019")
    shutil.copyfile(pdfs["syn2019b-split-review"], out / "syn2019b-split-review.pdf")
    check_review_split(out / "syn2019b-split-review.pdf", all_specs["syn2019b"])
    entry("syn2019b-split-review.pdf", "pdf_split_table", "syn2019b")

    for n in ("seed002", "syn2021"):
        d.render_docx(all_specs[n], out / f"{n}.docx")
        entry(f"{n}.docx", "docx", n)
    d.convert_to_pdf([out / "syn2021.docx"], out, to="doc")  # the old Word format, as many agencies still post
    entry("syn2021.doc", "doc", "syn2021")
    for n in ("seed003", "syn2021"):
        (out / f"{n}.html").write_text(d.render_html(all_specs[n]), "utf-8")
        entry(f"{n}.html", "html", n)

    d.scan_pdf(out / "synlegacy.pdf", out / "synlegacy-scan.pdf")
    entry("synlegacy-scan.pdf", "pdf_scan", "synlegacy", status="needs_ocr")
    d.truncate(out / "syn2021.pdf", out / "syn2021-truncated.pdf")
    entry("syn2021-truncated.pdf", "pdf_corrupt", "syn2021", status="corrupt")

    for cells_file in {e["cells"] for e in entries if e["cells"]}:
        spec = all_specs[cells_file.removesuffix(".cells.json")]
        _write_json(out / cells_file, d.expected_cells(spec))
    _write_json(out / "manifest.json", {"documents": entries})
    return entries


def page_texts(pdf: Path) -> list[str]:
    """Each page's text without white space."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        return ["".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def check_application_split(pdf: Path) -> None:
    """The split fixture is only worth having if its application table really runs over two pages."""
    texts = page_texts(pdf)
    first = next(i for i, t in enumerate(texts) if "本列数据的勾稽关系" in t)  # the table's header
    last = next(i for i, t in enumerate(texts) if "(七)总计" in t)
    if first == last:
        raise RuntimeError(f"{pdf.name}: the application table fits on page {first + 1}; it should split")


def check_review_split(pdf: Path, spec: d.ReportSpec) -> None:
    """The split-review fixture is only worth having if the review table's header ends a page and its row of
    figures starts the next one."""
    texts = page_texts(pdf)
    groups, outcomes = schema.review_litigation()
    figures = "".join(spec.cells["review_litigation", g.code, o.code] for g in groups for o in outcomes)
    header = next(i for i, t in enumerate(texts) if "复议后起诉" in t)
    if header + 1 == len(texts) or not texts[header + 1].startswith(figures):
        raise RuntimeError(f"{pdf.name}: the review table's figures do not start page {header + 2}")


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of the seed report texts")
    parser.add_argument("--demo-dir", type=Path, default=DEMO_DIR)
    parser.add_argument("--corpus-dir", type=Path, default=CORPUS_DIR)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    specs = load_seed_specs(args.seeds)
    with tempfile.TemporaryDirectory(prefix="nianbao-docs-") as tmp:
        demo = make_demo(specs, args.demo_dir, Path(tmp))
        corpus = make_corpus(specs, args.corpus_dir, Path(tmp))
    size = sum(p.stat().st_size for folder in (args.demo_dir, args.corpus_dir) for p in folder.iterdir())
    print(
        f"{len(demo)} demo documents in {args.demo_dir}, {len(corpus)} corpus documents in {args.corpus_dir}; "
        f"{size / 1e6:.1f} MB; {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
