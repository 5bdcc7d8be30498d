"""Helpers the tests of several stages share: the documented example queries and warehouse row counts."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from nianbao.config import PROJECT_DIR

QUERIES = PROJECT_DIR / "docs" / "queries.sql"


def example_queries() -> dict[str, str]:
    """docs/queries.sql split at its `-- name: …` comments."""
    parts = re.split(r"^-- name: *(\S+) *$", QUERIES.read_text("utf-8"), flags=re.MULTILINE)
    return {name: sql.strip() for name, sql in zip(parts[1::2], parts[2::2])}


WAREHOUSE_TABLES = ("reports", "report_cells", "narrative_figures", "dq_findings")


def row_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in WAREHOUSE_TABLES}


def require_chromium() -> None:
    """Skip where Debian's chromium and chromium-driver are not installed; fail in CI, which installs them."""
    import os

    import pytest

    from scorecard import browser

    if browser.available():
        return
    if os.environ.get("CI"):
        pytest.fail("CI must install chromium and chromium-driver (.ci/run)", pytrace=False)
    pytest.skip("no /usr/bin/chromium or /usr/bin/chromedriver (apt-get install chromium chromium-driver)")


def one_report_portal(site, pipeline_config, folder: Path, smtp_port: int, pdf: bytes, title: str,
                      recipients: list[str] = ()):
    """The pipeline's settings with one portal, 平罗县's, on the hostile site: a column listing one report
    whose detail page links `pdf` at /xxgk/nb/report.pdf (set site.routes there again to replace it)."""
    import yaml

    from tests.hostile import data, page

    site.routes["/xxgk/nb/index.html"] = page(
        f'<ul><li><a href="/xxgk/nb/t1.html">{title}</a><span>2021-01-20</span></li></ul>')
    site.routes["/xxgk/nb/t1.html"] = page(f'<h1>{title}</h1><a href="/xxgk/nb/report.pdf">年度报告.pdf</a>')
    site.routes["/xxgk/nb/report.pdf"] = data(pdf, "application/pdf")
    config = pipeline_config(folder, "http://unused.invalid", smtp_port, extra_portals=[{
        "id": "one_report", "province": "宁夏回族自治区", "city": "石嘴山市", "county": "平罗县",
        "column_url": f"{site.base_url}/xxgk/nb/index.html", "recipients": list(recipients)}])
    registry = yaml.safe_load(config.portals_file.read_text("utf-8"))
    registry["portals"] = [p for p in registry["portals"] if p["id"] == "one_report"]
    config.portals_file.write_text(yaml.safe_dump(registry, allow_unicode=True), "utf-8")
    return config
