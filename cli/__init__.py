"""The `nianbao` command. Every command has an example in its help; docs/cli.md shows them all."""

from __future__ import annotations

import os

import flows  # noqa: F401 - sets Prefect's defaults (flows/__init__.py) before anything imports Prefect

# The temporary Prefect server of a run without PREFECT_API_URL creates and migrates its database on the
# first run of a data folder (its Prefect home, see _flow_settings), which takes over a minute on a busy machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Optional  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from nianbao.config import (  # noqa: E402
    DEFAULT_PORTALS, DEFAULT_SETTINGS, PROJECT_DIR, ConfigError, load_expected_agencies, load_portals, load_settings,
)

app = typer.Typer(
    help="nianbao (年报): crawl county portals for 政府信息公开工作年度报告, load every figure into DuckDB, "
    "flag the reports that do not reconcile, email the alerts.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(soft_wrap=True)  # paths and SQL must stay copyable: never wrap them

PortalsOption = typer.Option(
    DEFAULT_PORTALS, "--portals", help="Portal registry (YAML).", show_default="config/portals.yaml"
)
SettingsOption = typer.Option(
    DEFAULT_SETTINGS, "--settings", help="Pipeline settings (YAML).", show_default="config/pipeline.yaml"
)


def _settings(path: Path):
    try:
        config = load_settings(path)
    except ConfigError as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(2)
    return config


def _flow_settings(path: Path):
    """The settings of a command that runs a flow. Prefect's home (its database, results, logs) is put under
    the data folder unless the user chose one, so that a run writes nothing into the user's home; a profile
    the user configured in ~/.prefect (PREFECT_API_URL, say) is still read. Prefect reads its settings once,
    on import: this must come first."""
    config = _settings(path)
    if "PREFECT_HOME" not in os.environ:
        profiles = Path.home() / ".prefect" / "profiles.toml"
        if profiles.exists():
            os.environ.setdefault("PREFECT_PROFILES_PATH", str(profiles))
        config.prefect_home.mkdir(parents=True, exist_ok=True)  # Prefect makes only the last folder
        os.environ["PREFECT_HOME"] = str(config.prefect_home)
    return config


def _registry(settings):
    try:
        return load_expected_agencies(settings.office.expected_agencies)
    except ConfigError as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(2)


def _portals(path: Path, only: list[str] | None):
    try:
        portals = load_portals(path)
    except ConfigError as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(2)
    unknown = set(only or ()) - {p.portal_id for p in portals}
    if unknown:
        console.print(f"[red]{path}: no portal with id {', '.join(sorted(unknown))}[/red]")
        raise typer.Exit(2)
    return [p for p in portals if not only or p.portal_id in only]


@app.command()
def run(
    portals: Path = PortalsOption,
    settings: Path = SettingsOption,
    portal: Optional[list[str]] = typer.Option(None, "--portal", "-p", help="Only this portal id (repeatable)."),
    dask_address: Optional[str] = typer.Option(
        None, help="Run the per-document tasks on this Dask scheduler, e.g. tcp://10.0.0.5:8786."
    ),
):
    """Run the nightly flow once: crawl → extract → load → validate → publish → alert.

    Example: nianbao run --portal pingluo
    """
    _portals(portals, portal)  # fail on a bad registry before Prefect starts
    config = _flow_settings(settings)
    if dask_address:
        # Dask workers take the flow's Prefect settings with each task: without a real server every worker
        # process would start a temporary one of its own, and the run would be seen by none of them.
        require_prefect_server("nianbao run --dask-address")
    _registry(_settings(settings))
    from flows.nightly import nightly

    flow = nightly
    if dask_address:
        from prefect_dask import DaskTaskRunner

        flow = nightly.with_options(task_runner=DaskTaskRunner(address=dask_address))
    summary = flow(portals_file=str(portals), settings_file=str(settings), portal_ids=portal)
    print_run_summary(summary, config)


@app.command()
def backfill(
    first_year: int = typer.Argument(..., help="First report year to reload."),
    last_year: int = typer.Argument(..., help="Last report year to reload."),
    portals: Path = PortalsOption,
    settings: Path = SettingsOption,
    portal: Optional[list[str]] = typer.Option(None, "--portal", "-p", help="Only this portal id (repeatable)."),
):
    """Read every document of the portals again and reload the reports on FIRST_YEAR..LAST_YEAR.

    Example: nianbao backfill 2019 2025 --portal pingluo
    """
    _portals(portals, portal)
    config = _flow_settings(settings)
    from flows.backfill import backfill as backfill_flow

    summary = backfill_flow(first_year, last_year, portal_ids=portal, portals_file=str(portals), settings_file=str(settings))
    print_run_summary(summary, config)


@app.command()
def crawl(
    portals: Path = PortalsOption,
    settings: Path = SettingsOption,
    portal: Optional[list[str]] = typer.Option(None, "--portal", "-p", help="Only this portal id (repeatable)."),
):
    """Crawl the portals into the raw store and list what was found; the warehouse is not touched.

    Example: nianbao crawl --portal xingqing
    """
    import logging

    import crawler
    import warehouse.read
    from crawler.store import RawStore

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")  # the crawl's progress, per portal
    config = _settings(settings)
    chosen = _portals(portals, portal)
    states = warehouse.read.crawl_states(config.warehouse_path, [p.portal_id for p in chosen])
    for p in chosen:
        result = crawler.crawl_portal(p, config.crawler, RawStore(config.raw_dir), states[p.portal_id], run_id="manual-crawl")
        table = Table(title=f"{p.portal_id} ({p.county}): {result.items_listed} items listed")
        for column in ("", "title", "type", "sha256", "url"):
            table.add_column(column)
        for d in result.documents:
            table.add_row("report", d.title, d.media_type, d.sha256[:12], d.document_url)
        for s in result.skipped:
            table.add_row("skipped", s.title, "", "", f"{s.url} ({s.reason})")
        for f in result.fetches:
            if f.outcome == "failed":
                table.add_row("failed", "", "", "", f"{f.url} ({f.error})")
        for h in result.health:
            table.add_row("health", h.problem, "", "", f"{h.url} ({h.detail})")
        console.print(table)


@app.command()
def extract(
    document: Path = typer.Argument(..., exists=True, dir_okay=False, help="A PDF, DOCX or HTML report."),
    as_json: bool = typer.Option(False, "--json", help="Print the extracted record as JSON."),
    settings: Path = SettingsOption,
):
    """Extract one document and print its canonical cells and narrative figures. A scan is OCR'd (unless
    extraction.ocr is false), its reading kept beside the extraction store for the next run.

    Example: nianbao extract demo_portal/documents/004.pdf
    """
    import hashlib
    from dataclasses import asdict

    from rich.markup import escape

    import extractors
    from crawler.store import media_type_of
    from extractors.tables_scan import OcrCache

    config = _settings(settings)
    ocr_cache = OcrCache(config.extracted_dir) if config.extraction.ocr else None
    data = document.read_bytes()
    report = extractors.extract_document(document, media_type_of(data), hashlib.sha256(data).hexdigest(), ocr_cache)
    if as_json:
        record = asdict(report)
        record.pop("pages")
        print(json.dumps(record, ensure_ascii=False, default=str, indent=1))
        return
    console.print(
        f"{report.status} · {report.generation} · {report.agency} · {report.year} 年度 · "
        f"{len(report.cells)} cells · {len(report.figures)} narrative figures · {report.extractor_version}"
        + (f" · OCR: {report.ocr_engine}" if report.ocr_engine else "")
    )
    if report.error:
        console.print(f"[red]{report.error}[/red]")
    for t in report.tables:  # each table's own template, and a regional 统计表's variant
        console.print(f"{t.table_code}: {t.generation or '—'}" + (f" · {t.variant}" if t.variant else ""))
    for n in report.label_notes:
        console.print(f"[yellow]label[/yellow] {escape(f'{n.table_code}[{n.row_code}]')} printed “{n.printed}”, "
                      f"read as “{n.template}” (p.{n.page})")
    table = Table()
    for column in ("table", "row", "column", "value", "raw", "page", "confidence"):
        table.add_column(column)
    for c in report.cells:
        table.add_row(c.table_code, c.row_code, c.column_code, str(c.value), c.raw_text, str(c.page),
                      "" if c.confidence is None else f"{c.confidence:.2f}")
    console.print(table)
    for f in report.figures:
        console.print(f"{f.quantity_code} = {f.value}  (p.{f.page}) {f.sentence}")


@app.command()
def validate(settings: Path = SettingsOption):
    """Run the expectation suites again over the whole published warehouse and publish the findings.

    Example: nianbao validate
    """
    import expectations
    import warehouse
    import warehouse.load
    from expectations.publication import judge_publication_and_apply_decisions, office_today
    from nianbao.run_ids import new_run_id
    from warehouse.triage import DecisionJournal

    config = _settings(settings)
    if not config.warehouse_path.exists():
        console.print(f"[red]no warehouse at {config.warehouse_path} yet: run `nianbao run` first[/red]")
        raise typer.Exit(1)
    registry = _registry(config)
    run_id = new_run_id()
    with warehouse.building(config.warehouse_path, storage_version=config.warehouse.storage_version) as con:
        warehouse.load.start_run(con, run_id, datetime.now(timezone.utc), {"command": "validate"})
        warehouse.load.assign_agencies(con, config.rules)  # the config's renames and levels may have changed
        result = expectations.validate_and_record(con, run_id, config.rules, config.data_docs_dir)
        judge_publication_and_apply_decisions(
            con, run_id, config.rules, registry, DecisionJournal(config.decisions_journal).decisions(), office_today()
        )
        counts = expectations.validation_counts(result)
        warehouse.load.finish_run(con, run_id, datetime.now(timezone.utc), counts, None)
    errors = sum(f.severity == "error" for f in result.findings)
    console.print(
        f"{len(result.reports_checked)} reports checked: {errors} error findings, "
        f"{len(result.findings) - errors} warnings. Data Docs: {result.data_docs_index}"
    )


@app.command()
def sql(
    query: Optional[str] = typer.Argument(None, help="A SQL query; none starts an interactive prompt."),
    settings: Path = SettingsOption,
    csv: Optional[Path] = typer.Option(None, help="Write the result to this CSV file (UTF-8 with BOM, for Excel)."),
    xlsx: Optional[Path] = typer.Option(None, help="Write the result to this Excel workbook."),
    parquet: Optional[Path] = typer.Option(None, help="Write the result to this Parquet file."),
    shown: int = typer.Option(200, help="Rows shown on a terminal (piped, every row is printed)."),
):
    """Query the published warehouse, read-only (the nightly run never blocks you).

    The SQL runs in a sandbox: it cannot write or read files (export with --csv/--xlsx/--parquet), install or
    load extensions, or change settings; each statement is stopped after sql.time_limit_seconds and held to
    sql.memory_limit (config/pipeline.yaml). Piped, the result is tab-separated, nothing cut. The views 报告,
    统计表数值, 数据质量问题, 门户健康, 运行记录 and 提醒邮件 have Chinese column names (for Excel).

    Example: nianbao sql "SELECT county, agency, year, status FROM reports ORDER BY county"
    Example: nianbao sql 数据质量问题 --xlsx 问题清单.xlsx
    """
    import duckdb

    import warehouse.read
    from cli.sql_prompt import describe_error, print_result, run_prompt

    config = _settings(settings)
    path = config.warehouse_path
    if not path.exists():
        console.print(f"[red]no warehouse at {path} yet: run `nianbao run` (or `nianbao demo`) first[/red]")
        raise typer.Exit(1)
    if query is None:
        return run_prompt(path, console, Path.home() / ".nianbao_sql_history", config.sql)
    try:
        if csv or xlsx or parquet:
            for out, fmt in ((csv, "csv"), (xlsx, "xlsx"), (parquet, "parquet")):
                if out:
                    rows = warehouse.read.export(path, query, out, fmt, config.sql)
                    console.print(f"wrote {out} ({rows} rows)")
            return
        columns, rows, more = warehouse.read.sandboxed_query(path, query, config.sql)
    except duckdb.Error as e:
        console.print(f"[red]{describe_error(e)}[/red]", highlight=False)
        raise typer.Exit(1) from None
    if console.is_terminal:
        print_result(console, columns, rows, more, shown)
        return
    for row in [columns, *rows]:  # piped: every column, nothing cut to a terminal's width
        print("\t".join("" if v is None else str(v) for v in row))
    print(f"{len(rows)} rows" + (" (sql.max_rows_shown reached: export with --csv for all)" if more else ""),
          file=sys.stderr)


@app.command()
def discover(
    urls: Optional[list[str]] = typer.Argument(None, help="County home pages or 政府信息公开 pages."),
    from_file: Optional[Path] = typer.Option(
        None, "--from", help="A file of home pages, one a line, optionally followed by the city (a province's counties)."
    ),
    province: str = typer.Option("（待填）", help="The province of the entries."),
    city: str = typer.Option("（待填）", help="The city of the entries (a line of --from may name its own)."),
    settings: Path = SettingsOption,
):
    """Find each county's annual-report column from its home page; print registry entries for config/portals.yaml.

    Walks the site politely (robots.txt, the crawler's rate limit, a few dozen pages), follows 政府信息公开 links to
    the 年报 column, reads it as the nightly crawl would (sub-columns included) and proposes the columns that list
    annual reports, with the CMS family that read them and the county named by the site. Exits 1 when a site
    yields no column.

    Example: nianbao discover http://www.pingluo.gov.cn/ --province 宁夏回族自治区 --city 石嘴山市
    """
    import yaml

    from crawler.discover import discover as find_columns
    from crawler.discover import registry_entry

    config = _settings(settings)
    sites = [(url, city) for url in urls or []]
    if from_file:
        for line in from_file.read_text("utf-8").splitlines():
            fields = line.split("#")[0].split()
            if fields:
                sites.append((fields[0], fields[1] if len(fields) > 1 else city))
    if not sites:
        console.print("[red]give one or more home pages, or --from FILE[/red]")
        raise typer.Exit(2)
    entries, taken, missed = [], set(), []
    for url, site_city in sites:
        proposals = find_columns(url, config.crawler)
        if not proposals:
            missed.append(url)
            continue
        for p in proposals:
            entries.append(registry_entry(p, province, site_city, taken))
            console.print(f"# {url}: {p.column_url} — {p.cms}, {p.county or '县名未知'}，"
                          f"列出条目 {p.items_listed} 个，其中年报 {p.reports_listed} 个（链接“{p.link_text}”于 {p.found_on}）")
    for url in missed:
        console.print(f"# {url}: 未找到年报栏目")
    if entries:
        print(yaml.safe_dump({"portals": entries}, allow_unicode=True, sort_keys=False), end="")
    if missed:
        raise typer.Exit(1)


@app.command("demo-portal")
def demo_portal(port: int = typer.Option(8765, help="Port on 127.0.0.1.")):
    """Serve the bundled demo portal (four county sites) on 127.0.0.1 until Ctrl-C.

    Example: nianbao demo-portal --port 8765
    """
    from demo_portal.server import serve

    server, base_url = serve(port)
    console.print(f"demo portal at {base_url} (Ctrl-C stops it)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


@app.command()
def demo(
    portals: Path = PortalsOption,
    settings: Path = SettingsOption,
):
    """Start the demo portal and an SMTP server on 127.0.0.1, run the nightly flow once, print the summary.

    Needs no internet and no account. Example: nianbao demo
    """
    config = _flow_settings(settings)
    from demo_portal.mail_sink import MailSink
    from demo_portal.server import DEMO_PORT, serve
    from flows.nightly import nightly

    server, base_url = serve(DEMO_PORT)
    try:
        with MailSink(config.outbox_dir, port=config.alerts.smtp.port) as sink:
            summary = nightly(portals_file=str(portals), settings_file=str(settings))
            print_run_summary(summary, config)
            for message in sink.received:
                console.print(f"alert email to {', '.join(message.recipients)}: {message.eml} (HTML: {message.html})")
            if not sink.received:
                console.print("no alert email: nothing new since the last run")
    finally:
        server.shutdown()


@app.command()
def deploy(
    prefect_file: Path = typer.Option(
        PROJECT_DIR / "prefect.yaml", help="The Prefect project file.", show_default="prefect.yaml"
    ),
    work_pool: str = typer.Option("nianbao", help="The process work pool the deployment runs on."),
):
    """Register the nightly deployment (02:00 Asia/Shanghai) with the Prefect server of PREFECT_API_URL.

    Start a server and a worker first (README: "Scheduling"). Refuses without a reachable PREFECT_API_URL:
    Prefect would otherwise deploy to a throw-away server of its own. Example: nianbao deploy
    """
    require_prefect_server("nianbao deploy")
    env = {**os.environ, "NIANBAO_HOME": str(PROJECT_DIR)}
    # the prefect CLI of this interpreter's environment, whether or not the venv is on PATH
    prefect = [str(Path(sys.executable).parent / "prefect"), "--no-prompt"]
    subprocess.run([*prefect, "work-pool", "create", work_pool, "--type", "process", "--overwrite"], check=True, env=env)
    subprocess.run(
        [*prefect, "deploy", "--all", "--prefect-file", str(prefect_file)], check=True, env=env, cwd=PROJECT_DIR
    )
    console.print(f"deployed; start a worker with: prefect worker start --pool {work_pool}")


def require_prefect_server(command: str) -> str:
    """The API URL of a reachable Prefect server, or exit with a one-line reason naming the command."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        console.print(f"[red]{command} needs a Prefect server: start one and set PREFECT_API_URL "
                      "(README: \"Scheduling\", \"Scaling out\")[/red]")
        raise typer.Exit(2)
    try:
        httpx.get(f"{url.rstrip('/')}/health", timeout=10).raise_for_status()
    except httpx.HTTPError as e:
        console.print(f"[red]{command}: the Prefect server at PREFECT_API_URL={url} does not answer ({e})[/red]")
        raise typer.Exit(2) from None
    return url


def print_run_summary(summary, settings) -> None:
    """What a newcomer needs after a run: where the data is, what was loaded and flagged, how to look."""
    import warehouse.read

    path = settings.warehouse_path
    console.print(f"\nwarehouse: {path}")
    console.print(
        f"run {summary.run_id}: {summary.reports_loaded} reports loaded ({summary.reports_extracted} read anew), "
        f"{summary.reports_flagged} flagged, "
        f"{summary.documents_downloaded} documents downloaded, {summary.fetch_failures} failed fetches"
    )
    _, rows = warehouse.read.query(
        path,
        """SELECT r.county, r.agency, r.year, f.rule_code, count(*) AS locations
           FROM dq_findings f JOIN reports r USING (report_id)
           WHERE f.status = 'open' AND f.severity = 'error'
           GROUP BY ALL ORDER BY ALL""",
    )
    for county, agency, year, rule, locations in rows:
        console.print(f"  flagged: {county} {agency} {year} 年度 — {rule} ({locations} locations)")
    console.print(f"alert emails: {summary.alerts_sent} sent, {summary.alerts_undelivered} undelivered"
                  + (" (kept in alert_outbox, sent again by the next run)" if summary.alerts_undelivered else ""))
    console.print(f"run report: {summary.report}")
    console.print('look inside: .venv/bin/nianbao sql "SELECT county, agency, year, generation, status FROM reports"')


# the office's commands (cli/office.py uses the options and console above)
from cli import office  # noqa: E402

app.add_typer(office.findings_app, name="findings")
app.command()(office.agencies)
app.command()(office.notices)
app.command()(office.scorecard)

if __name__ == "__main__":
    app()
