"""Extraction under a time limit, in a reusable worker process.

A long-lived process extracts document after document (Python, pdfminer, camelot and OpenCV are
imported once). When a document takes longer than the limit, the process is killed and a fresh one is
started for the next document; the slow document is recorded with status "timeout".

A scanned document is read twice over, each time under its own limit: first as any document (it comes back
needs_ocr), then with OCR (extraction.ocr_time_limit, far longer), unless OCR is switched off.

The worker is a fresh `python` running worker_main(), spoken to over its stdin/stdout with pickled
messages. It is not a multiprocessing child: those re-import the parent's __main__ (a flow script).
"""

from __future__ import annotations

import atexit
import os
import queue
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from dataclasses import dataclass
from pathlib import Path

from extractors import EXTRACTOR_VERSION
from nianbao.config import PROJECT_DIR, ExtractionSettings
from nianbao.extraction_store import ExtractionStore
from nianbao.models import ExtractedReport, ReportDocument

STARTUP_SECONDS = 120


def serve(requests: Connection, replies: Connection) -> None:
    """The worker's loop: (path, media_type, sha256, OCR cache root or None) in, ExtractedReport out, until
    None or EOF."""
    import camelot  # noqa: F401 - pay the table stack's imports (OpenCV) before the first document
    from extractors.document import extract_document
    from extractors.tables_scan import OcrCache

    replies.send("ready")
    while True:
        try:
            request = requests.recv()
        except EOFError:
            return
        if request is None:
            return
        path, media_type, sha256, ocr_root = request
        ocr_cache = OcrCache(Path(ocr_root)) if ocr_root else None
        replies.send(extract_document(Path(path), media_type, sha256, ocr_cache))


class ExtractionWorker:
    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._requests: Connection | None = None
        self._replies: Connection | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _start(self) -> None:
        path = os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")]))
        env = dict(os.environ, PYTHONPATH=path)
        self._process = subprocess.Popen(
            [sys.executable, "-c", "from extractors.worker import worker_main; worker_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._requests = Connection(os.dup(self._process.stdin.fileno()), readable=False)
        self._replies = Connection(os.dup(self._process.stdout.fileno()), writable=False)
        self._process.stdin.close()
        self._process.stdout.close()
        # the time limit is for extracting, not for starting Python: wait for the worker's imports
        if not self._replies.poll(STARTUP_SECONDS) or self._replies.recv() != "ready":
            self._stop()
            raise RuntimeError(f"the extraction worker did not start within {STARTUP_SECONDS} s")

    def _stop(self) -> None:
        for conn in (self._requests, self._replies):
            if conn is not None:
                conn.close()
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait(5)
        self._process, self._requests, self._replies = None, None, None

    def extract(self, path: Path, media_type: str, sha256: str, seconds: float, ocr_root: Path | None = None
                ) -> ExtractedReport:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._stop()
                self._start()
            assert self._requests is not None and self._replies is not None and self._process is not None
            try:
                self._requests.send((str(path), media_type, sha256, str(ocr_root) if ocr_root else None))
                if self._replies.poll(seconds):
                    return self._replies.recv()
            except (EOFError, OSError):
                exitcode = self._process.poll()
                self._stop()
                return ExtractedReport(sha256=sha256, extractor_version=EXTRACTOR_VERSION, status="corrupt",
                                       error=f"the extractor process died on this document (exit code {exitcode})")
            self._stop()
            return ExtractedReport(sha256=sha256, extractor_version=EXTRACTOR_VERSION, status="timeout",
                                   error=f"{'OCR' if ocr_root else 'extraction'} took longer than {seconds:g} s; "
                                         "the worker was replaced")

    def close(self) -> None:
        with self._lock:
            if self._requests is not None and self._process is not None and self._process.poll() is None:
                try:
                    self._requests.send(None)
                    self._process.wait(5)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._stop()


class WorkerPool:
    """One worker per core, started when first needed: callers in parallel threads (a Dask or Prefect task
    runner) extract in parallel; a single caller keeps reusing the same warm worker."""

    def __init__(self, size: int) -> None:
        self._workers = [ExtractionWorker() for _ in range(max(1, size))]
        self._idle: queue.LifoQueue[ExtractionWorker] = queue.LifoQueue()
        for worker in reversed(self._workers):
            self._idle.put(worker)

    def extract(self, path: Path, media_type: str, sha256: str, seconds: float, ocr_root: Path | None = None
                ) -> ExtractedReport:
        worker = self._idle.get()
        try:
            return worker.extract(path, media_type, sha256, seconds, ocr_root)
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        for worker in self._workers:
            worker.close()


_default: WorkerPool | None = None
_default_lock = threading.Lock()


def default_pool() -> WorkerPool:
    global _default
    with _default_lock:
        if _default is None:
            _default = WorkerPool(os.cpu_count() or 1)
            atexit.register(_default.close)
    return _default


def extract_with_time_limit(path: Path, media_type: str, sha256: str, seconds: float, ocr_root: Path | None = None
                            ) -> ExtractedReport:
    """With `ocr_root` (the OCR cache's folder), a scanned document is OCR'd within `seconds`."""
    return default_pool().extract(path, media_type, sha256, seconds, ocr_root)


def worker_main() -> None:
    requests_in = Connection(os.dup(0), writable=False)
    replies_out = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # a stray print() in a library must not corrupt the replies
    serve(requests_in, replies_out)


@dataclass(frozen=True)
class Extracted:
    """What an extraction hands back to its caller: a receipt, not the report (that is in the store)."""

    sha256: str
    status: str
    year: int | None


def extract_to_store(document: ReportDocument, settings: ExtractionSettings, store: ExtractionStore) -> Extracted:
    report = extract_with_time_limit(document.raw_path, document.media_type, document.sha256,
                                     settings.time_limit_seconds)
    if report.status == "needs_ocr":
        if settings.ocr:
            report = extract_with_time_limit(document.raw_path, document.media_type, document.sha256,
                                             settings.ocr_time_limit, store.root)
        else:
            report.error = f"{report.error}; OCR is switched off (extraction.ocr: false)"
    store.put(report)
    return Extracted(report.sha256, report.status, report.year)
