"""The benchmark runs end to end on a tiny corpus and prints one JSON line per stage (figures are not
asserted: speed is measured by `python -m bench.run`, not tested). Uses copies of the committed fixture PDFs,
so it needs no LibreOffice."""

import json
import subprocess
import sys

from nianbao.config import PROJECT_DIR


def test_the_benchmark_prints_a_json_line_for_every_stage_and_the_repeated_crawl_downloads_nothing(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--n", "5", "--no-prefect", "--corpus", "fixtures", "--out", str(tmp_path)],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    by_stage = {line["stage"]: line for line in lines}
    expected = ["generate", "crawl", "extract", "load", "validate", "pdfminer", "pypdfium2", "ratio", "recrawl", "repeat"]
    assert [s for s in expected if s not in by_stage] == []
    assert [line for line in lines if "error" in line] == []
    for stage in ("crawl", "extract", "load", "validate", "pdfminer", "pypdfium2"):
        assert by_stage[stage]["n"] == 5
        assert {"documents_per_s", "pages_per_s", "cpu_s", "wall_s", "peak_rss_mb"} <= by_stage[stage].keys()
    assert by_stage["extract"]["statuses"] == {"parsed": 5}
    assert by_stage["repeat"]["documents_downloaded"] == 0
    assert by_stage["repeat"]["requests"] == by_stage["crawl"]["portals"]["p000"]["requests"]
