"""Charts as inline SVG, made here: the pages need no script, no chart library and no network to show them."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 20, 36  # room for the axis labels and the legend on the right
COLOURS = ("#1f5fa8", "#d9822b", "#3a9d5d", "#a83a3a", "#7a5aa8")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per x label; None leaves a gap


def _nice_top(value: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten, at or above `value`."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def line_chart(title: str, labels: list[str], series: list[Series]) -> str:
    """A line chart with a point per value, its number beside it, and a legend; "" when there is no value."""
    values = [v for s in series for v in s.values if v is not None]
    if not values or not labels:
        return ""
    top = _nice_top(max(values))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)
    x = lambda i: LEFT + (i * step if len(labels) > 1 else plot_w / 2)  # noqa: E731
    y = lambda v: TOP + plot_h - v / top * plot_h  # noqa: E731
    out = [f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
           f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i in range(5):
        v = top * i / 4
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
                   f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">{v:g}</text>')
    for i, label in enumerate(labels):
        out.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11">{escape(label)}</text>')
    for n, s in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        points = [(x(i), y(v), v) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
            out.append(f'<polyline class="series" data-series="{escape(s.name)}" fill="none" stroke="{colour}" '
                       f'stroke-width="2" points="{path}"/>')
        for px, py, v in points:
            out.append(f'<circle class="point" data-series="{escape(s.name)}" cx="{px:.1f}" cy="{py:.1f}" r="3" '
                       f'fill="{colour}"/><text x="{px + 5:.1f}" y="{py - 5:.1f}" font-size="10" fill="{colour}">{v:g}</text>')
        legend_y = TOP + 16 * n + 8
        out.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{legend_y - 8}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{WIDTH - RIGHT + 28}" y="{legend_y + 1}" font-size="12">{escape(s.name)}</text>')
    out.append("</svg>")
    return "".join(out)
