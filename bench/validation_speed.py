"""Time one validate() over a warehouse of ~100 reports: 20 agencies x 5 years (legacy, gen2019, gen2021),
each with a full page of text, one in ten with a broken cell.

    .venv/bin/python bench/validation_speed.py [agencies]

Prints the seconds per validate() (the GX import not included) and the findings per rule.
"""

from __future__ import annotations

import collections
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "tests"))  # the corpus builders of the suites' tests

import duckdb  # noqa: E402

import warehouse  # noqa: E402
from expectations import validate  # noqa: E402
from nianbao.config import RuleSettings  # noqa: E402
from test_expectations import clean_2019, clean_2021, clean_legacy, insert, seed_text  # noqa: E402


def corpus(agencies: int) -> list:
    texts = [seed_text(n) for n in ("000", "001", "002", "003", "004")]
    reports = []
    for a in range(agencies):
        agency = f"第{a}镇人民政府"
        for i, (build, year) in enumerate(((clean_legacy, 2017), (clean_2019, 2019), (clean_2019, 2020),
                                           (clean_2021, 2021), (clean_2021, 2022))):
            text = re.sub(r"20\d\d", str(year), texts[(a + i) % 5])  # a text of realistic length, in its year
            report = build(f"{a:08d}{year:08d}", agency, year=year, text=text)
            if (a + i) % 10 == 0:  # a typo somewhere in one report in ten
                table = "legacy" if year < 2019 else "application"
                cell = ("legacy", "request.received", "value") if year < 2019 else ("application", "granted", "total")
                report.cells[cell] += 1
                report.published_date = date(year + 1, 3, 1) if table == "legacy" else report.published_date
            reports.append(report)
    return reports


def main(agencies: int = 20) -> None:
    con = duckdb.connect()
    warehouse.migrate(con)
    reports = corpus(agencies)
    for report in reports:
        insert(con, report)
    with tempfile.TemporaryDirectory() as docs:
        validate(con, "warm-up", RuleSettings(), Path(docs))  # first use of GX's renderers
        runs = []
        for run in range(3):
            started = time.perf_counter()
            validation = validate(con, f"bench-{run}", RuleSettings(), Path(docs))
            runs.append(time.perf_counter() - started)
    print(f"{len(reports)} reports, {sum(len(r.cells) for r in reports)} cells")
    print(f"validate(): best {min(runs):.2f} s, worst {max(runs):.2f} s over {len(runs)} runs")
    for (rule, severity), count in sorted(collections.Counter((f.rule_code, f.severity) for f in validation.findings).items()):
        print(f"  {rule:22} {severity:8} {count}")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
