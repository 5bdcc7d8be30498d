"""The benchmark corpus: N realistic report PDFs made the way county offices make them (Word → LibreOffice),
with the fixture generator demo_portal.report_generator, cached under bench/out/corpus-<N>/.

Document i is the same whatever N is (its spec depends on i only), so a larger corpus hard-links the files
a smaller one already made and converts only the rest. LibreOffice is started once per batch of documents
(starting it costs seconds); two batches convert at once, one per core.

Without soffice (CI machines), or when asked, the corpus is made of copies of the committed LibreOffice PDFs
of tests/fixtures/corpus/ instead (bench/out/fixtures-<N>/): the portal lists them under agency and year
names of their own, which their contents do not match.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from demo_portal import report_generator

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"  # the default; gitignored
FIXTURE_CORPUS = BENCH_DIR.parent / "tests" / "fixtures" / "corpus"
# LibreOffice PDFs of the fixture corpus that hold a whole, readable report
FIXTURE_PDFS = ("syn2021.pdf", "syn2019-split.pdf", "synlegacy.pdf", "syn2021b-borderless.pdf", "seed004.pdf")

BATCH_SIZE = 60  # documents per LibreOffice run
PARALLEL_BATCHES = 2  # one per core

# A county portal lists the reports of its townships and departments; each county is one portal.
COUNTIES = (
    "平罗县", "贺兰县", "永宁县", "中宁县", "海原县", "西吉县", "隆德县", "泾源县", "彭阳县", "同心县",
    "盐池县", "灵武市", "青铜峡市", "沙坡头区", "红寺堡区", "原州区", "惠农区", "大武口区", "兴庆区", "金凤区",
)
TOWNSHIPS = (
    "城关镇", "新华镇", "通伏乡", "红崖乡", "黄渠桥镇", "宝丰镇", "头闸镇", "姚伏镇", "崇岗镇", "陶乐镇",
    "高庄乡", "灵沙乡", "渠口乡", "高仁乡", "东风乡", "石嘴山镇",
)
DEPARTMENTS = ("发展和改革局", "教育局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局", "农业农村局", "卫生健康局")


@dataclass(frozen=True)
class CorpusDocument:
    index: int
    file: str  # name inside the corpus folder
    county: str
    agency: str
    year: int
    generation: str
    pages: int


def document_plan(index: int) -> tuple[str, str, int, str]:
    """(county, agency, year, generation) of document `index`: mostly the current forms, a tenth legacy."""
    county = COUNTIES[(index // len(TOWNSHIPS + DEPARTMENTS)) % len(COUNTIES)]
    units = TOWNSHIPS + DEPARTMENTS
    unit = units[index % len(units)]
    agency = f"{county}{unit}人民政府" if unit in TOWNSHIPS else f"{county}{unit}"
    slot = index % 10
    if slot == 0:
        return county, agency, 2014 + index % 5, "legacy"
    if slot <= 3:
        return county, agency, 2019 + index % 2, "gen2019"
    return county, agency, 2021 + index % 4, "gen2021"


GENERATED, FIXTURES = "soffice", "fixture-copies"  # how a corpus is made


def _folder_prefix(made_with: str) -> str:
    return "corpus-" if made_with == GENERATED else "fixtures-"


def corpus_dir(out: Path, n: int, made_with: str) -> Path:
    return out / f"{_folder_prefix(made_with)}{n}"


def file_name(index: int) -> str:
    return f"doc-{index:05d}.pdf"


def soffice_available() -> bool:
    return shutil.which("soffice") is not None


def load_manifest(folder: Path) -> dict | None:
    path = folder / "manifest.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def ensure_corpus(out: Path, n: int, made_with: str, log=print) -> tuple[Path, list[CorpusDocument], dict]:
    """The corpus of N documents, made once; returns (folder, documents, generation figures)."""
    folder = corpus_dir(out, n, made_with)
    manifest = load_manifest(folder)
    if manifest and len(manifest["documents"]) == n:
        docs = [CorpusDocument(**d) for d in manifest["documents"]]
        # the time it took to make (when it was made), for the record: a cached corpus costs nothing now
        return folder, docs, {"cached": True, "made_with": made_with, "generation_s": 0.0,
                              "generation_s_when_made": manifest.get("generation_s")}
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    reused = _link_from_other_corpora(out, folder, n, made_with)
    missing = [i for i in range(n) if not (folder / file_name(i)).exists()]
    log(f"{folder.name}: {reused} documents reused, {len(missing)} to make ({made_with})")
    if missing:
        if made_with == GENERATED:
            _convert(folder, missing, log)
        else:
            _copy_fixtures(folder, missing)
    docs = [_describe(folder, i) for i in range(n)]
    figures = {"cached": False, "made_with": made_with, "generation_s": round(time.perf_counter() - started, 2),
               "reused": reused, "made": len(missing)}
    manifest = {"made_with": made_with, "generation_s": figures["generation_s"], "made": len(missing),
                "documents": [asdict(d) for d in docs]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return folder, docs, figures


def _link_from_other_corpora(out: Path, folder: Path, n: int, made_with: str) -> int:
    """Hard-link documents made for other corpora of the same kind (the same index is the same document)."""
    reused = 0
    for other in sorted(out.glob(_folder_prefix(made_with) + "*")):
        manifest = load_manifest(other)
        if other == folder or not manifest:
            continue
        for d in manifest["documents"][:n]:
            target = folder / d["file"]
            if not target.exists() and (other / d["file"]).exists():
                os.link(other / d["file"], target)
                reused += 1
    return reused


def _convert(folder: Path, indexes: list[int], log) -> None:
    # render_docx spends most of its time in python-docx (Table.cell rebuilds the whole cell grid on every
    # call), so the DOCX are rendered in worker processes too, not only converted
    batches = [indexes[i : i + BATCH_SIZE] for i in range(0, len(indexes), BATCH_SIZE)]
    with ProcessPoolExecutor(PARALLEL_BATCHES, mp_context=multiprocessing.get_context("spawn")) as pool:
        for batch in pool.map(make_batch, [folder] * len(batches), batches):
            log(f"  made documents {batch[0]}…{batch[-1]}")


def make_batch(folder: Path, batch: list[int]) -> list[int]:
    """Render a batch of reports as DOCX and convert them with one LibreOffice run."""
    with tempfile.TemporaryDirectory(prefix="bench-docx-") as tmp:
        docx = []
        for i in batch:
            county, agency, year, generation = document_plan(i)
            spec = report_generator.synthetic_spec(i, generation, year, agency, prose_paragraphs=3 + i % 6)
            docx.append(report_generator.render_docx(spec, Path(tmp) / f"doc-{i:05d}.docx"))
        report_generator.convert_to_pdf(docx, folder)
    return batch


def _copy_fixtures(folder: Path, indexes: list[int]) -> None:
    for i in indexes:
        shutil.copyfile(FIXTURE_CORPUS / FIXTURE_PDFS[i % len(FIXTURE_PDFS)], folder / file_name(i))


def _describe(folder: Path, index: int) -> CorpusDocument:
    import pypdfium2 as pdfium

    county, agency, year, generation = document_plan(index)
    pdf = pdfium.PdfDocument(str(folder / file_name(index)))
    try:
        pages = len(pdf)
    finally:
        pdf.close()
    return CorpusDocument(index, file_name(index), county, agency, year, generation, pages)
