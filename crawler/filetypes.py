"""What a file is, decided from its first bytes (magic numbers), never from its URL or Content-Type."""

from __future__ import annotations

import io
import zipfile

import olefile

DOCUMENT_TYPES = ("pdf", "docx", "doc", "wps", "xls", "xlsx")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def media_type_of(data: bytes, url: str = "") -> str | None:
    """pdf | docx | xlsx | doc | wps | xls | html, or None when the bytes are none of these.

    The URL is consulted only to tell DOC from WPS: Kingsoft WPS files are OLE2 containers with a
    WordDocument stream just like DOC, so their bytes alone cannot tell them apart."""
    head = data[:1024]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_office_type(data)
    if head.startswith(_OLE2):
        return _ole2_office_type(data, url)
    if _looks_like_html(head):
        return "html"
    return None


def _zip_office_type(data: bytes) -> str | None:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def _ole2_office_type(data: bytes, url: str) -> str | None:
    """By the container's stream names (its directory), never by strings in the body: a Word file that
    mentions a "Book" is still a Word file."""
    try:
        streams = {entry[0] for entry in olefile.OleFileIO(data).listdir()}
    except (OSError, ValueError):  # olefile's errors for a damaged container
        return None
    if "WordDocument" in streams:
        return "wps" if url.lower().split("?")[0].endswith(".wps") else "doc"
    if streams & {"Workbook", "Book"}:
        return "xls"
    return None


def is_binary(data: bytes) -> bool:
    """Bytes that are no text in any encoding: a NUL, or control characters that no web page holds."""
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in b"\t\n\r\f\x1b")
    return b"\x00" in head or controls > len(head) // 100


def _looks_like_html(head: bytes) -> bool:
    lowered = head.lower()
    return lowered.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<!doctype html") or b"<html" in lowered
