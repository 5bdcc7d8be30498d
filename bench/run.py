"""The benchmark: N generated report PDFs, served by a local portal, through the pipeline's stages.

    python -m bench.run --n 100                  # one size
    python -m bench.run --sizes 100,500,2000     # growth: time per document and peak RSS at each size
    python -m bench.run --n 5 --no-prefect --corpus fixtures --out /tmp/b   # a smoke run without LibreOffice

Prints one JSON line per stage (each stage runs in a fresh process, in the order of flows/nightly.py:
crawl → extract → load → validate), then the floors on the same corpus (pdfminer.six text, pypdfium2 text),
the ratio of extract+load+validate to pdfminer.six, the repeated run with nothing new per portal (in-process,
and through a real Prefect run of flows.nightly, with Prefect's own start-up apart), and with several sizes
the growth figures. Generating the corpus is timed apart: it is not part of the pipeline.

The crawl is not rate-limited by default (--rate 1000 requests/s): the figures are the pipeline's own cost.
`polite_floor_s` says what the registry's politeness limit (config/pipeline.yaml) adds by itself. The repeated
run re-validates every known URL, unless --recheck-after-days (crawler.recheck_after_days) lets it use the
copies checked by the first run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from bench.corpus import FIXTURES, GENERATED, OUT_DIR, ensure_corpus, soffice_available
from bench.portal import BenchPortal, build_site, plan_portals
from flows import with_prefect_defaults
from nianbao.config import DEFAULT_SETTINGS, PROJECT_DIR, load_settings

PIPELINE_STAGES = ("crawl", "extract", "load", "validate")
FLOOR_STAGES = ("pdfminer", "pypdfium2")
RATIO_STAGES = ("extract", "load", "validate")  # extraction includes table mapping


def emit(line: dict) -> None:
    print(json.dumps(line, ensure_ascii=False, default=str), flush=True)


def child_env(out: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(out / "prefect-home"))  # warm across benchmarks, apart from the user's
    with_prefect_defaults(env)
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # a cold PREFECT_HOME migrates its database
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
    return env


def run_child(stage: str, work: Path) -> dict:
    """Run one stage in a fresh process; its stderr goes to <work>/<stage>.log. The load average when it
    starts goes with its figures: on a shared machine wall seconds grow with it, CPU seconds much less."""
    log = work / f"{stage}.log"
    load_average = round(os.getloadavg()[0], 2)
    with open(log, "w") as err:
        done = subprocess.run(
            [sys.executable, "-m", "bench.stages", stage, str(work)],
            cwd=PROJECT_DIR, env=child_env(work.parent), stdout=subprocess.PIPE, stderr=err, text=True,
        )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        return {"stage": stage, "error": f"exit code {done.returncode}", "log": str(log), "stderr_tail": tail}
    return {**json.loads(lines[-1]), "load_average_1m": load_average}


def with_rates(figures: dict, pages_by_n: dict[int, int]) -> dict:
    """Add documents/s and pages/s (pages from the corpus manifest, or those the stage itself counted)."""
    if "error" in figures:
        return figures
    n, wall = figures["n"], figures["wall_s"]
    pages = figures.get("pages") or pages_by_n.get(n, 0)
    head = {
        "stage": figures.pop("stage"),
        "n": n,
        "documents_per_s": round(n / wall, 2) if wall and n else None,
        "pages_per_s": round(pages / wall, 2) if wall and pages else None,
        "cpu_s": figures.pop("cpu_s"),
        "wall_s": figures.pop("wall_s"),
        "peak_rss_mb": figures.pop("peak_rss_mb"),
    }
    return {**head, **figures}


# --------------------------------------------------------------------------- configuration of a bench run


def write_config(
    work: Path, portals: list[BenchPortal], base_url: str, rate: float, recheck_after_days: float, smtp_port: int
) -> tuple[Path, Path]:
    """A registry and pipeline settings of the bench's own (data under <work>/data), as an office writes them."""
    portals_file, settings_file = work / "config" / "portals.yaml", work / "config" / "pipeline.yaml"
    portals_file.parent.mkdir(parents=True, exist_ok=True)
    registry = {"portals": [
        {"id": p.portal_id, "province": bp.province, "city": bp.city, "county": bp.county, "column_url": bp.column_url,
         "cms": bp.cms}
        for p in portals for bp in [p.portal(base_url)]
    ]}
    portals_file.write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), "utf-8")
    settings = {
        "data_dir": str(work / "data"),
        "crawler": {"requests_per_second_per_host": rate, "concurrency_per_host": 1, "recheck_after_days": recheck_after_days},
        "alerts": {"provincial_recipients": ["bench@example.test"], "smtp": {"host": "127.0.0.1", "port": smtp_port}},
    }
    settings_file.write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    return portals_file, settings_file


def polite_floor_seconds(requests: int) -> float:
    """The seconds the registry's own rate limit alone needs for this many requests to one host."""
    return round(requests / load_settings(DEFAULT_SETTINGS).crawler.requests_per_second_per_host, 1)


# --------------------------------------------------------------------------- one size


def bench_size(
    out: Path, n: int, made_with: str, per_portal: int, rate: float, recheck_after_days: float, prefect: bool, smtp_port: int
) -> dict[str, dict]:
    from demo_portal.server import serve

    corpus, docs, generation = ensure_corpus(out, n, made_with, log=lambda msg: print(msg, file=sys.stderr, flush=True))
    pages = sum(d.pages for d in docs)
    emit({"stage": "generate", "n": n, "pages": pages, "wall_s": generation["generation_s"], **generation,
          "note": "not part of the pipeline" if made_with == GENERATED
          else "copies of the committed fixture PDFs: generating new reports needs soffice (LibreOffice)"})
    pages_by_n = {n: pages}

    work = out / f"run-{n}"
    if work.exists():
        shutil.rmtree(work)  # a clean warehouse and raw store: the first run downloads everything
    work.mkdir(parents=True)
    portals = plan_portals(docs, per_portal)
    site = build_site(out / f"site-{n}", corpus, docs, portals)
    server, base_url = serve(0, root=site)
    try:
        portals_file, settings_file = write_config(work, portals, base_url, rate, recheck_after_days, smtp_port)
        plan = {"corpus": str(corpus), "files": [d.file for d in docs],
                "portals_file": str(portals_file), "settings_file": str(settings_file)}
        (work / "plan.json").write_text(json.dumps(plan, ensure_ascii=False, indent=1), "utf-8")

        results = {}
        for stage in PIPELINE_STAGES + FLOOR_STAGES:
            results[stage] = with_rates(run_child(stage, work), pages_by_n)
            emit(results[stage])
        emit(ratio_line(results))

        results["recrawl"] = with_rates(run_child("recrawl", work), pages_by_n)
        emit(results["recrawl"])
        for line in repeat_lines(results["recrawl"]):
            emit(line)
        if prefect:
            results["prefect_nightly"] = with_rates(run_child("prefect_nightly", work), pages_by_n)
            emit(results["prefect_nightly"])
            emit(prefect_repeat_line(results["prefect_nightly"], settings_file, len(portals)))
    finally:
        server.shutdown()
        server.server_close()
    return results


def ratio_line(results: dict[str, dict]) -> dict:
    """(extract + load + validate) / pdfminer.six text over the same corpus: the issue's target is ≤ 2."""
    if any("error" in results[s] for s in RATIO_STAGES + ("pdfminer",)):
        return {"stage": "ratio", "error": "a stage failed; no ratio"}
    wall = sum(results[s]["wall_s"] for s in RATIO_STAGES)
    cpu = sum(results[s]["cpu_s"] for s in RATIO_STAGES)
    floor, fastest = results["pdfminer"], results["pypdfium2"]
    return {
        "stage": "ratio",
        "extract_load_validate_wall_s": round(wall, 3),
        "pdfminer_wall_s": floor["wall_s"],
        "ratio_to_pdfminer_wall": round(wall / floor["wall_s"], 2),
        "ratio_to_pdfminer_cpu": round(cpu / floor["cpu_s"], 2),
        "ratio_to_pypdfium2_wall": round(wall / fastest["wall_s"], 1) if "error" not in fastest else None,
        "target": "ratio_to_pdfminer_wall <= 2",
    }


def repeat_lines(recrawl: dict) -> list[dict]:
    """The repeated run with nothing new, per portal: requests, bytes and documents downloaded, seconds."""
    if "error" in recrawl:
        return []
    return [
        {"stage": "repeat", "portal": portal_id, **figures, "polite_floor_s": polite_floor_seconds(figures["requests"])}
        for portal_id, figures in recrawl["portals"].items()
    ]


def prefect_repeat_line(nightly: dict, settings_file: Path, portals: int) -> dict:
    """The Prefect run's cost beyond Prefect's own start-up (the pipeline's imports and the flow run, which
    includes Prefect's own bookkeeping of the flow and task runs), per portal, and what it fetched (from the
    warehouse's fetch log of that run)."""
    import warehouse.read

    if "error" in nightly:
        return {"stage": "prefect_repeat", "error": "the Prefect run failed; see its log"}
    _, rows = warehouse.read.query(
        load_settings(settings_file).warehouse_path,
        "SELECT count(*) FILTER (WHERE outcome NOT IN ('fresh', 'disallowed')), "
        "coalesce(sum(bytes) FILTER (WHERE outcome = 'downloaded'), 0), "
        "count(*) FILTER (WHERE outcome = 'downloaded' AND purpose = 'document') FROM fetches WHERE run_id = ?",
        [nightly["run_id"]],
    )
    requests, downloaded_bytes, documents = rows[0]
    beyond = nightly["import_pipeline_s"] + nightly["flow_run_s"]
    return {
        "stage": "prefect_repeat",
        "portals": portals,
        "prefect_startup_s": nightly["prefect_startup_s"],
        "beyond_startup_s": round(beyond, 3),
        "beyond_startup_per_portal_s": round(beyond / portals, 3),
        "of_which_pipeline_imports_s": nightly["import_pipeline_s"],
        "requests": requests,
        "bytes_downloaded": downloaded_bytes,
        "documents_downloaded": documents,
        "target": "documents_downloaded == 0 and beyond_startup_per_portal_s < 2",
    }


# --------------------------------------------------------------------------- growth


def growth_lines(by_size: dict[int, dict[str, dict]]) -> list[dict]:
    """Per stage: milliseconds per document at each N (linear growth keeps it flat) and peak RSS at the
    largest N over the smallest (the target is ≤ 1.5)."""
    sizes = sorted(by_size)
    lines = []
    for stage in PIPELINE_STAGES + FLOOR_STAGES + ("recrawl",):
        figures = {n: by_size[n].get(stage, {}) for n in sizes}
        if any("error" in f or not f.get("n") for f in figures.values()):
            continue
        ms = {n: round(1000 * f["wall_s"] / f["n"], 2) for n, f in figures.items()}
        rss = {n: f["peak_rss_mb"] for n, f in figures.items()}
        lines.append({
            "stage": "growth", "of": stage, "ms_per_document": ms,
            "time_per_document_largest_over_smallest": round(ms[sizes[-1]] / ms[sizes[0]], 2),
            "peak_rss_mb": rss,
            "peak_rss_largest_over_smallest": round(rss[sizes[-1]] / rss[sizes[0]], 2),
        })
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="documents in the corpus (default 100)")
    parser.add_argument("--sizes", help="several corpus sizes, e.g. 100,500,2000 (overrides --n)")
    parser.add_argument("--per-portal", type=int, default=50, help="reports listed by each portal column (default 50)")
    parser.add_argument("--rate", type=float, default=1000.0, help="requests/s per host for the crawl (default 1000: unthrottled)")
    parser.add_argument("--recheck-after-days", type=float, default=0,
                        help="crawler.recheck_after_days of the bench's settings (default 0: the repeated run re-validates every URL)")
    parser.add_argument("--no-prefect", action="store_true", help="skip the Prefect flow run (and Prefect's start-up)")
    parser.add_argument("--corpus", choices=("generated", "fixtures"), default="generated",
                        help="generated: new reports made with LibreOffice (default); fixtures: copies of the "
                             "committed fixture PDFs (no LibreOffice needed)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"where corpora and runs go (default {OUT_DIR})")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.n]
    made_with = GENERATED if args.corpus == "generated" else FIXTURES
    if made_with == GENERATED and not soffice_available():
        print("soffice (LibreOffice) is not installed: it is needed to generate the corpus; falling back to copies "
              "of the committed fixture PDFs (--corpus fixtures)", file=sys.stderr)
        made_with = FIXTURES

    from demo_portal.mail_sink import MailSink

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with MailSink(out / "outbox", port=0) as sink:
        by_size = {
            n: bench_size(out, n, made_with, args.per_portal, args.rate, args.recheck_after_days, not args.no_prefect, sink.port)
            for n in sizes
        }
    if len(sizes) > 1:
        for line in growth_lines(by_size):
            emit(line)


if __name__ == "__main__":
    main()
