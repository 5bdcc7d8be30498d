"""Scanned copies of the fixture reports, as agencies post them: the signed and sealed paper copy put through
a scanner or photographed, then wrapped as an image-only PDF.

    python -m demo_portal.make_scans            # needs fonts-noto-cjk (the seal's lettering)

Writes tests/fixtures/scans/<report>.<condition>.pdf and manifest.json (which text PDF and which cells file
each scan was made from). The outputs are committed, so the tests never need the fonts. Every condition is
deterministic (fixed random seed), so a re-run writes the same pictures.

A condition is one way a real scan goes wrong: resolution (150/200/300 dpi), grey or colour, JPEG loss, a
slight rotation, a red round seal (公章) stamped over the bottom of a table or the signature, uneven light
(a phone photo of the page).
"""

from __future__ import annotations

import argparse
import json
import math
import random
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw, ImageFilter, ImageFont

PROJECT_DIR = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_DIR / "tests" / "fixtures" / "corpus"
SCANS_DIR = PROJECT_DIR / "tests" / "fixtures" / "scans"
SEAL_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
SEAL_RED = (214, 34, 40)


@dataclass(frozen=True)
class ScanCondition:
    name: str
    dpi: int
    colour: bool
    skew_degrees: float
    seal: bool
    uneven_light: bool
    jpeg_quality: int


CONDITIONS = (
    ScanCondition("150dpi-grey", 150, False, 0.4, False, False, 70),
    ScanCondition("200dpi-grey", 200, False, -0.6, False, False, 70),
    ScanCondition("200dpi-colour-seal", 200, True, 0.8, True, False, 75),
    ScanCondition("300dpi-colour-seal", 300, True, -1.2, True, False, 70),
    ScanCondition("200dpi-photo-seal", 200, True, 1.5, True, True, 60),
)

# (scan name, text PDF in the corpus, its expected cells): the three table generations
REPORTS = (
    ("syn2021", "syn2021.pdf", "syn2021.cells.json"),
    ("syn2019", "syn2019-split.pdf", "syn2019.cells.json"),
    ("synlegacy", "synlegacy.pdf", "synlegacy.cells.json"),
)


def table_bottom(page: pdfium.PdfPage) -> float | None:
    """The lowest ruling line's height on the page, in PDF points from the bottom (None: no table)."""
    paths = [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])]
    return min((bounds[1] for bounds in paths), default=None)


def seal_image(diameter: int, agency: str) -> Image.Image:
    """A round red seal: ring, star, the agency's name along the upper arc; the ink is uneven, as stamped."""
    size = diameter
    seal = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    ring = max(3, size // 28)
    draw.ellipse((ring, ring, size - ring, size - ring), outline=SEAL_RED + (235,), width=ring)
    centre, star_r = size / 2, size * 0.16
    points = [(centre + star_r * (1 if k % 2 == 0 else 0.4) * math.sin(k * math.pi / 5),
               centre - star_r * (1 if k % 2 == 0 else 0.4) * math.cos(k * math.pi / 5)) for k in range(10)]
    draw.polygon(points, fill=SEAL_RED + (235,))
    font = ImageFont.truetype(str(SEAL_FONT), size // 9, index=2)  # index 2: the SC face of the collection
    radius = size / 2 - ring * 2 - size // 16
    span = math.radians(230)
    for k, char in enumerate(agency):
        angle = -span / 2 + span * (k + 0.5) / len(agency)
        glyph = Image.new("RGBA", (size // 8, size // 8), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size // 16, size // 16), char, font=font, fill=SEAL_RED + (235,), anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.BICUBIC)
        x = centre + radius * math.sin(angle) - glyph.width / 2
        y = centre - radius * math.cos(angle) - glyph.height / 2
        seal.alpha_composite(glyph, (int(x), int(y)))
    # stamped ink: some of it missing
    alpha = np.asarray(seal.getchannel("A"), dtype=np.float32)
    speckle = np.random.default_rng(size).uniform(0.55, 1.0, alpha.shape)
    seal.putalpha(Image.fromarray((alpha * speckle).astype(np.uint8)))
    return seal


def stamp(image: Image.Image, seal: Image.Image, centre: tuple[int, int]) -> Image.Image:
    """Red ink multiplied over the page: the printed black shows through it, as on paper."""
    layer = Image.new("RGB", image.size, (255, 255, 255))
    layer.paste(seal.convert("RGB"), (centre[0] - seal.width // 2, centre[1] - seal.height // 2), seal)
    page = np.asarray(image.convert("RGB"), dtype=np.float32)
    ink = np.asarray(layer, dtype=np.float32)
    return Image.fromarray((page * ink / 255).astype(np.uint8))


def uneven_light(image: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo: light falling off from one corner, a warm cast, a little blur."""
    w, h = image.size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0, w), rng.uniform(0, h * 0.3)
    distance = np.hypot(xs - cx, ys - cy) / math.hypot(w, h)
    light = 1.0 - 0.45 * distance  # the far corner at about 55-65% of the light
    page = np.asarray(image.convert("RGB"), dtype=np.float32)
    cast = np.array([1.0, 0.96, 0.88], dtype=np.float32)
    lit = page * light[..., None] * cast
    return Image.fromarray(np.clip(lit, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))


def scan_page(page: pdfium.PdfPage, condition: ScanCondition, agency: str, seal_here: bool,
              rng: random.Random) -> Image.Image:
    scale = condition.dpi / 72
    image = page.render(scale=scale).to_pil().convert("RGB")
    if condition.seal and seal_here:
        bottom = table_bottom(page)
        height_pt = page.get_height()
        # over the table's last rows when the page has a table, else over the signature at the page's foot
        y_pt = height_pt - bottom if bottom is not None else height_pt * 0.8
        diameter = int(42 / 25.4 * condition.dpi)  # a 42 mm seal, the usual size for a township government
        centre = (int(image.width * rng.uniform(0.55, 0.7)), int(y_pt * scale - diameter * rng.uniform(0.1, 0.3)))
        image = stamp(image, seal_image(diameter, agency), centre)
    if condition.uneven_light:
        image = uneven_light(image, rng)
    image = image.rotate(condition.skew_degrees, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    return image if condition.colour else image.convert("L")


def scan_pdf(pdf: Path, out: Path, condition: ScanCondition, agency: str) -> Path:
    """An image-only PDF of every page of `pdf` under `condition`; the seal goes on the last page with a table."""
    rng = random.Random(f"{pdf.name}/{condition.name}")
    document = pdfium.PdfDocument(str(pdf))
    try:
        with_table = [i for i, page in enumerate(document) if table_bottom(page) is not None]
        seal_page = with_table[-1] if with_table else len(document) - 1
        images = [scan_page(page, condition, agency, i == seal_page, rng) for i, page in enumerate(document)]
    finally:
        document.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(out, "PDF", resolution=condition.dpi, save_all=True, append_images=images[1:],
                   quality=condition.jpeg_quality)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SCANS_DIR)
    args = parser.parse_args()
    corpus = {e["file"]: e for e in json.loads((CORPUS_DIR / "manifest.json").read_text("utf-8"))["documents"]}
    scans = []
    for name, pdf, cells in REPORTS:
        entry = corpus[pdf]
        for condition in CONDITIONS:
            out = scan_pdf(CORPUS_DIR / pdf, args.out / f"{name}.{condition.name}.pdf", condition, entry["agency"])
            scans.append({"file": out.name, "source": pdf, "cells": cells, "condition": asdict(condition),
                          "generation": entry["generation"], "title": entry["title"], "year": entry["year"]})
            print(out.relative_to(PROJECT_DIR), f"{out.stat().st_size // 1024} KiB")
    (args.out / "manifest.json").write_text(json.dumps({"scans": scans}, ensure_ascii=False, indent=1) + "\n",
                                            "utf-8")


if __name__ == "__main__":
    main()
