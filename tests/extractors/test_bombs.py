"""Decompression bombs are refused before parsing, with the reason, and the worker's memory stays small.

The bombs are made here, as the issue's probes made them: a DOCX whose document.xml inflates to 538 MB (the
file is under a megabyte) and a PDF whose content stream inflates to 250 MB. Each test prints the extraction
worker's peak resident memory (VmHWM); it is not asserted as a figure, only that it stays below the size the
bomb would inflate to.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from extractors.worker import ExtractionWorker

MB = 1024**2


def docx_bomb(path: Path, inflated: int = 538 * MB) -> Path:
    """A real DOCX (made by python-docx) whose word/document.xml is padded to `inflated` bytes of XML."""
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("某县人民政府2023年政府信息公开工作年度报告")
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                bomb.writestr(item, source.read(item))
        xml = source.read("word/document.xml")
        head, tail = xml.split(b"<w:body>")
        with bomb.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head + b"<w:body>")
            filler = b"<w:p/>" * (MB // 6)
            for _ in range(inflated // len(filler)):
                member.write(filler)
            member.write(tail)
    return path


def pdf_bomb(path: Path, inflated: int = 250 * MB) -> Path:
    """A one-page PDF whose content stream is `inflated` bytes of text operators, Flate-compressed."""
    compressor = zlib.compressobj(9)
    operators = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" * (MB // 34)
    stream = b"".join(compressor.compress(operators) for _ in range(inflated // len(operators))) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.fixture(scope="module")
def worker():
    w = ExtractionWorker()
    yield w
    w.close()


@pytest.mark.parametrize(("make", "media_type", "inflated", "reason"), [
    (docx_bomb, "docx", 538 * MB, "member word/document.xml inflates to 538 MB"),
    (pdf_bomb, "pdf", 250 * MB, "the stream of object 4 0 inflates to more than 64 MB"),
], ids=["docx-538MB", "pdf-250MB"])
def test_a_bomb_is_refused_before_parsing_with_the_reason(worker, tmp_path, make, media_type, inflated, reason):
    bomb = make(tmp_path / f"bomb.{media_type}", inflated)
    sha256 = hashlib.sha256(bomb.read_bytes()).hexdigest()
    report = worker.extract(bomb, media_type, sha256, 120)
    peak = peak_rss(worker.pid)
    print(f"\n{media_type} bomb: {bomb.stat().st_size / 1024:,.0f} KB on disk, {inflated / MB:,.0f} MB inflated; "
          f"extraction worker peak RSS {peak / MB:,.0f} MB; {report.status}: {report.error}")
    assert bomb.stat().st_size < 2 * MB  # a small file …
    assert report.status == "refused" and reason in report.error and "refused before parsing" in report.error
    assert peak < inflated  # … that never got inflated in the worker
