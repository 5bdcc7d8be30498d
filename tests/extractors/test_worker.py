"""A pathological document cannot stall the run: it times out, its worker is replaced, the next one is read."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from extractors.worker import ExtractionWorker, WorkerPool
from nianbao.config import PROJECT_DIR

CORPUS = PROJECT_DIR / "tests" / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def worker():
    w = ExtractionWorker()
    yield w
    w.close()


@pytest.fixture(scope="module")
def huge_html(tmp_path_factory) -> Path:
    """A detail page with a 20,000-row table: seconds of work, far beyond a limit of a fraction of one."""
    rows = "".join(f"<tr><td>本年新收{i}</td>{'<td>1</td>' * 30}</tr>" for i in range(20_000))
    path = tmp_path_factory.mktemp("slow") / "huge.html"
    path.write_text(f'<div class="TRS_Editor"><table>{rows}</table></div>', "utf-8")
    return path


def test_one_worker_process_reads_document_after_document(worker):
    first = worker.extract(CORPUS / "seed002.docx", "docx", "1" * 64, 60)
    pid = worker.pid
    second = worker.extract(CORPUS / "syn2021.html", "html", "2" * 64, 60)
    assert (first.status, second.status) == ("parsed", "parsed")
    assert worker.pid == pid  # no process start, no imports paid again


def test_a_timeout_does_not_stop_the_next_document(worker, huge_html):
    before = worker.extract(CORPUS / "seed002.docx", "docx", "1" * 64, 60)
    slow = worker.extract(huge_html, "html", "3" * 64, 0.3)
    assert (slow.status, slow.sha256, slow.cells) == ("timeout", "3" * 64, [])
    assert "0.3 s" in slow.error
    assert worker.pid is None  # the stuck process is gone
    after = worker.extract(CORPUS / "seed002.docx", "docx", "4" * 64, 60)
    assert (after.status, after.sha256, len(after.cells)) == ("parsed", "4" * 64, len(before.cells))


def test_a_broken_document_in_the_worker_is_a_record_not_an_exception(worker, tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n%broken")
    report = worker.extract(path, "pdf", "5" * 64, 60)
    assert report.status == "corrupt" and report.error


def test_documents_extracted_from_parallel_threads_each_get_their_own_report():
    pool = WorkerPool(2)
    try:
        files = [("seed002.docx", "docx"), ("syn2021.html", "html"), ("seed003.html", "html"), ("syn2021.docx", "docx")]
        with ThreadPoolExecutor(4) as threads:
            reports = list(threads.map(
                lambda f: pool.extract(CORPUS / f[0], f[1], f[0].ljust(64, "0"), 60), files))
        assert [r.sha256 for r in reports] == [f[0].ljust(64, "0") for f in files]
        assert [r.generation for r in reports] == ["gen2021", "gen2021", "gen2019", "gen2021"]
    finally:
        pool.close()
