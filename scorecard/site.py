"""Render the scorecard site: index.html (counties × years) and one page per county, every page one file with
its styles and charts inline, so the folder can be copied to a shared drive or any web server as it is."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from scorecard import data
from scorecard.charts import Series, line_chart
from warehouse.read import reading

STATES = {
    "on_time": "按时发布",
    "late": "逾期发布",
    "unknown_date": "已发布（日期不明）",
    "missing": "应报未报",
    "waived": "未报（已豁免）",
    "not_due": "未到期",
    "not_expected": "—",
}
STATUSES = {"open": "待核实", "confirmed": "已确认，待整改"}

_env = Environment(
    loader=PackageLoader("scorecard", "templates"),
    autoescape=select_autoescape(["html"]),  # titles, agencies and messages come from the web
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _overview_chart(counties: list[data.County], years: list[int]) -> str:
    def total(field: str) -> tuple[float, ...]:
        return tuple(float(sum(getattr(c.years[y], field) for c in counties if y in c.years)) for y in years)

    return line_chart(
        "全省各年度发布情况",
        [str(y) for y in years],
        [Series("按时发布", total("on_time")), Series("逾期发布", total("late")),
         Series("应报未报", total("missing")), Series("有错误", total("flagged"))],
    )


def _trend_chart(trends: list[data.Trend]) -> str:
    labels = [str(t.year) for t in trends]
    return line_chart(
        "申请与办理趋势",
        labels,
        [Series("本年新收申请", tuple(t.received for t in trends)),
         Series("办理结果总计", tuple(t.results for t in trends)),
         Series("予以公开", tuple(t.granted for t in trends)),
         Series("行政复议", tuple(t.reviews for t in trends))],
    )


def _replace_dir(built: Path, out: Path) -> None:
    """Swap the new site in for the old one: a reader sees one or the other, each whole."""
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.replace(out, old)
    os.replace(built, out)
    shutil.rmtree(old, ignore_errors=True)


def write_site(published: Path, out: Path, run_id: str = "") -> Path:
    """Write the site for the published warehouse into `out` (replaced whole); returns its index.html."""
    out = Path(out)
    built = out.with_name(out.name + ".building")
    shutil.rmtree(built, ignore_errors=True)
    built.mkdir(parents=True)
    common = {"generated": datetime.now().strftime("%Y-%m-%d %H:%M"), "run_id": run_id,
              "states": STATES, "statuses": STATUSES}
    with reading(published) as con:
        counties = data.counties(con)
        years = sorted({y for c in counties for y in c.years})
        (built / "index.html").write_text(
            _env.get_template("index.html").render(
                counties=counties, years=years, chart=_overview_chart(counties, years), **common),
            "utf-8",
        )
        for c in counties:
            county_years = list(range(min(c.years), max(c.years) + 1)) if c.years else years
            grid = data.agency_grid(con, c, county_years)
            cells = [(agency, y, cell.state) for agency, row in grid.items() for y, cell in row.items()]
            (built / c.page).write_text(
                _env.get_template("county.html").render(
                    county=c, years=county_years, grid=grid,
                    late=[(a, y) for a, y, state in cells if state == "late"],
                    missing=[(a, y) for a, y, state in cells if state == "missing"],
                    chart=_trend_chart(data.trends(con, c)),
                    findings=data.open_findings(con, c), **common),
                "utf-8",
            )
    _replace_dir(built, out)
    return out / "index.html"
