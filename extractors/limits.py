"""Inflated-size limits, checked before a document is parsed: a small file that inflates to gigabytes (a zip
bomb in a DOCX or XLSX, a Flate bomb in a PDF) is refused with the reason instead of taking the worker's
memory. The checks read sizes and inflate with a bounded buffer: their own memory stays small.

Real reports are far below the limits: a DOCX report's document.xml is a few hundred kilobytes, a PDF
report's content streams are a few hundred kilobytes a page, its images a few megabytes.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

# a zip container (DOCX/XLSX): every member is loaded by python-docx; XML members are parsed into a tree
# taking about ten times their size
MAX_ZIP_INFLATED_BYTES = 512 * 1024**2
MAX_ZIP_XML_MEMBER_BYTES = 64 * 1024**2
# a PDF stream that pdfminer decodes and parses (content streams, object streams, fonts); images are not
# decoded by the text reader and get the larger limit
MAX_PDF_STREAM_BYTES = 64 * 1024**2
MAX_PDF_IMAGE_STREAM_BYTES = 512 * 1024**2

_CHUNK = 1024**2
# an object's header up to its `stream` keyword, within the object (never across an endobj)
_STREAM = re.compile(rb"(\d+)\s+(\d+)\s+obj\b((?:(?!endobj).){0,4096}?)\bstream\r?\n", re.S)


class TooLargeInflated(ValueError):
    """The document inflates past a limit; the message says which part, how much, and which limit."""


def check_inflated_size(path: Path, media_type: str) -> None:
    """Raise TooLargeInflated when the document would inflate past a limit; return quietly otherwise (a
    damaged container is left to the parser, which records it as corrupt)."""
    if media_type in ("docx", "xlsx"):
        _check_zip(Path(path))
    elif media_type == "pdf":
        _check_pdf(Path(path))


def _mb(size: int) -> str:
    return f"{size / 1024**2:,.0f} MB"


def _check_zip(path: Path) -> None:
    try:
        members = zipfile.ZipFile(path).infolist()
    except (zipfile.BadZipFile, OSError):
        return
    # zipfile never yields more than a member's declared file_size, so the directory's sizes bound it
    for m in members:
        if m.filename.endswith((".xml", ".rels")) and m.file_size > MAX_ZIP_XML_MEMBER_BYTES:
            raise TooLargeInflated(
                f"refused before parsing: member {m.filename} inflates to {_mb(m.file_size)} "
                f"(limit {_mb(MAX_ZIP_XML_MEMBER_BYTES)} for an XML part; a zip bomb?)"
            )
    total = sum(m.file_size for m in members)
    if total > MAX_ZIP_INFLATED_BYTES:
        raise TooLargeInflated(
            f"refused before parsing: the {path.stat().st_size:,}-byte file inflates to {_mb(total)} "
            f"(limit {_mb(MAX_ZIP_INFLATED_BYTES)}; a zip bomb?)"
        )


def _check_pdf(path: Path) -> None:
    data = path.read_bytes()  # the raw file, already bounded by crawler.max_document_bytes
    for match in _STREAM.finditer(data):
        image = b"/Image" in match.group(3)
        limit = MAX_PDF_IMAGE_STREAM_BYTES if image else MAX_PDF_STREAM_BYTES
        end = data.find(b"endstream", match.end())
        inflated = _inflated_size(data[match.end() : end if end >= 0 else len(data)], limit)
        if inflated > limit:
            kind = "image stream" if image else "stream"
            raise TooLargeInflated(
                f"refused before parsing: the {kind} of object {int(match.group(1))} {int(match.group(2))} "
                f"inflates to more than {_mb(limit)} (limit for a PDF {kind}; a Flate bomb?)"
            )


def _inflated_size(raw: bytes, limit: int) -> int:
    """How many bytes a Flate stream inflates to, counted up to just past `limit` with a 1 MB buffer; 0 for
    a stream that is not Flate (a JPEG, a plain one)."""
    inflater = zlib.decompressobj()
    size, pending = 0, raw
    try:
        while size <= limit:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            size += len(chunk)
            if not chunk and not pending:
                break
    except zlib.error:
        pass
    return size
