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
