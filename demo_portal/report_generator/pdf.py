"""DOCX to PDF through LibreOffice, and the damaged variants: a scan (a picture per page) and a truncated file."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def convert_to_pdf(docx_paths: list[Path], outdir: Path, to: str = "pdf") -> list[Path]:
    """Convert many DOCX files to PDF (or to `to`, e.g. the old Word format "doc") with ONE LibreOffice run
    (a run costs seconds to start), in a private profile so that a desktop LibreOffice or a parallel run
    cannot lock it."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                *map(str, docx_paths),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    pdfs = [outdir / f"{p.stem}.{to}" for p in docx_paths]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}")
    return pdfs


def scan_pdf(pdf: Path, out: Path, *, dpi: int = 110, skew_degrees: float = 0.4) -> Path:
    """An image-only copy of a PDF, as a scanned paper report: every page rendered to a grey JPEG, slightly
    skewed, with no text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        images = [
            page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L").rotate(skew_degrees, fillcolor=255)
            for page in document
        ]
    finally:
        document.close()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:], quality=55)
    return out


def truncate(src: Path, out: Path, keep: float = 0.45) -> Path:
    """A corrupt download: the first part of a file's bytes only."""
    data = src.read_bytes()
    out.write_bytes(data[: int(len(data) * keep)])
    return out
