"""A scanned page as a clean picture for OCR, and the ruling grid of its tables (OpenCV).

    page_image(pdf, page_index)   the page rendered at RENDER_DPI, grey, red seal gone, light evened, deskewed
    ruling(image)                 the table lines found in it (tables, as row and column line positions)
    without_lines(image, lines)   the picture with the ruling erased, so that OCR reads no "|" as a 1

Why each step: a red seal (公章) stamped over figures hides them from OCR, but red ink is nearly as bright
as paper in the red channel while black print stays black there, so the red channel is the grey picture.
A phone photo is darker in one corner: dividing by the page's own blurred background evens it. A slight
rotation (up to a few degrees) breaks line detection by rows and columns: the angle of the long ruling
lines is measured and turned back.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium

RENDER_DPI = 200  # OCR and grid work on this resolution whatever the scan's own (150-300 dpi seen)
MAX_SKEW_DEGREES = 5.0
INK_LEVEL = 180  # darker than this on the evened page is print (a blurred photo's thin stroke is ~140)


def page_image(document: pdfium.PdfDocument, index: int) -> np.ndarray:
    bitmap = document[index].render(scale=RENDER_DPI / 72)
    rgb = bitmap.to_numpy()[..., :3]  # pypdfium2 renders BGR(A)
    red = rgb[..., 2] if bitmap.mode.startswith("BGR") else rgb[..., 0]
    return deskew(even_light(np.ascontiguousarray(red)))


def even_light(grey: np.ndarray) -> np.ndarray:
    """Divide by the background (the page blurred far beyond any stroke): uneven light becomes white paper."""
    kernel = max(31, (grey.shape[1] // 20) | 1)
    background = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    background = cv2.GaussianBlur(background, (kernel, kernel), 0)
    evened = cv2.divide(grey, background, scale=255)
    return cv2.normalize(evened, None, 0, 255, cv2.NORM_MINMAX)


def skew_angle(grey: np.ndarray) -> float:
    """Degrees the page is turned, from its long straight lines (ruling, underlines); 0 when there are none."""
    half = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)  # the angle is the same, 4x faster
    binary = cv2.threshold(half, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    width = half.shape[1]
    # only the pixels of flat runs (a turned line still runs flat for 30 px): Hough on them alone is fast
    flat = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (30, 1)))
    lines = cv2.HoughLinesP(flat, 1, np.pi / 1800, threshold=width // 8, minLineLength=width // 4, maxLineGap=20)
    if lines is None:
        return 0.0
    angles = [np.degrees(np.arctan2(y2 - y1, x2 - x1)) for x1, y1, x2, y2 in lines.reshape(-1, 4)]
    near_flat = [a for a in angles if abs(a) <= MAX_SKEW_DEGREES]
    return float(np.median(near_flat)) if near_flat else 0.0


def deskew(grey: np.ndarray) -> np.ndarray:
    angle = skew_angle(grey)
    if abs(angle) < 0.05:
        return grey
    h, w = grey.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, turn, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


@dataclass(frozen=True)
class TableLines:
    """One ruled table: the y of every horizontal line, the x of every vertical one, and the line masks."""

    ys: list[int]
    xs: list[int]
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 of the table on the page image


@dataclass(frozen=True)
class Ruling:
    tables: list[TableLines]
    mask: np.ndarray  # every ruling pixel of the tables (for erasing before OCR)
    horizontal: np.ndarray
    vertical: np.ndarray


def _line_positions(profile: np.ndarray, minimum: float) -> list[int]:
    """Centres of the runs of profile values at or above minimum (one run = one drawn line)."""
    positions: list[int] = []
    start = None
    for i, value in enumerate(np.append(profile, 0)):
        if value >= minimum and start is None:
            start = i
        elif value < minimum and start is not None:
            positions.append((start + i - 1) // 2)
            start = None
    return positions


def ruling(grey: np.ndarray) -> Ruling:
    binary = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    unit = RENDER_DPI / 72  # pixels per point
    # longer than any stroke of a 10.5 pt character, shorter than the narrowest cell / lowest row
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (int(20 * unit), 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(13 * unit))))
    mask = cv2.bitwise_or(horizontal, vertical)
    joined = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    tables = []
    for x, y, w, h, _area in stats[1:count]:
        if w < grey.shape[1] / 4 or h < 2 * 13 * unit:  # a table, not an underline or a box around a word
            continue
        region_h = horizontal[y:y + h, x:x + w]
        region_v = vertical[y:y + h, x:x + w]
        ys = [y + p for p in _line_positions((region_h > 0).sum(axis=1), 20 * unit)]
        xs = [x + p for p in _line_positions((region_v > 0).sum(axis=0), 13 * unit)]
        if len(ys) >= 2 and len(xs) >= 2:
            tables.append(TableLines(ys, xs, (int(x), int(y), int(x + w), int(y + h))))
    tables.sort(key=lambda t: t.box[1])
    # only the lines of tables: a bold heading's strokes are as tall as a row, and must not be erased
    in_tables = np.zeros_like(mask)
    for t in tables:
        x0, y0, x1, y1 = t.box
        in_tables[y0:y1, x0:x1] = 255
    return Ruling(tables, cv2.bitwise_and(mask, in_tables), cv2.bitwise_and(horizontal, in_tables),
                  cv2.bitwise_and(vertical, in_tables))


def without_lines(grey: np.ndarray, lines: Ruling) -> np.ndarray:
    erased = grey.copy()
    erased[cv2.dilate(lines.mask, np.ones((3, 3), np.uint8)) > 0] = 255
    return erased


def has_line(mask: np.ndarray, fixed: int, start: int, stop: int, along_x: bool) -> bool:
    """Is a ruling line drawn at `fixed` (a y when along_x, else an x) over most of start..stop?"""
    inset = (stop - start) // 5  # the ends meet crossing lines: judge the middle
    lo, hi = start + inset, max(start + inset + 1, stop - inset)
    band = mask[max(0, fixed - 4):fixed + 5, lo:hi] if along_x else mask[lo:hi, max(0, fixed - 4):fixed + 5]
    covered = (band > 0).any(axis=0 if along_x else 1)
    return covered.mean() >= 0.6


def stroke_tilt(cell: np.ndarray) -> float | None:
    """Degrees the ink in a cell leans from upright (0 for a "1", about 25-35 for a "/"), from the ink's
    second moments; None when the cell holds no ink."""
    ink = (cell < INK_LEVEL).astype(np.uint8)
    moments = cv2.moments(ink, binaryImage=True)
    if moments["m00"] < 10:
        return None
    orientation = 0.5 * np.degrees(np.arctan2(2 * moments["mu11"], moments["mu20"] - moments["mu02"]))
    return float(90 - abs(orientation))
