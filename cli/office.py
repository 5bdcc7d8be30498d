"""The office's commands: triage of findings (`nianbao findings`), the expected-agencies registry
(`nianbao agencies`), correction notices (`nianbao notices`) and the scorecard site (`nianbao scorecard`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

# cli/__init__.py registers these commands after defining what they share
from cli import SettingsOption, console
from cli import _settings as load_config

findings_app = typer.Typer(
    no_args_is_help=False,
    invoke_without_command=True,
    rich_markup_mode=None,
)

_LIST_SQL = """
    SELECT finding_id, status, severity, rule_code, county, agency, year, age_days, message, decided_by,
           decision_reason
    FROM findings_overview
    WHERE status IN (SELECT unnest(?::VARCHAR[]))
      AND (? IS NULL OR county = ?) AND (? IS NULL OR rule_code = ?) AND (? IS NULL OR severity = ?)
      AND (? IS NULL OR age_days >= ?)
    ORDER BY province, city, county, agency NULLS LAST, year, rule_code, location
"""


def _published(settings: Path) -> Path:
    path = load_config(settings).warehouse_path
    if not path.exists():
        console.print(f"[red]no warehouse at {path} yet: run `nianbao run` first[/red]")
        raise typer.Exit(1)
    return path


@findings_app.callback()
def findings(
    ctx: typer.Context,
    county: Optional[str] = typer.Option(None, help="Only this county (县、区), e.g. 平罗县."),
    rule: Optional[str] = typer.Option(None, help="Only this rule code, e.g. not_published, row_total."),
    severity: Optional[str] = typer.Option(None, help="Only error or warning."),
    min_age: Optional[int] = typer.Option(None, "--min-age", help="Only findings first seen at least this many days ago."),
    status: list[str] = typer.Option(["open"], help="Statuses to list (repeatable): open, confirmed, waived, resolved, superseded."),
    csv: Optional[Path] = typer.Option(None, help="Write the list to this CSV file (UTF-8 with BOM, for Excel)."),
    settings: Path = SettingsOption,
):
    """List the findings to work through (open ones unless --status says otherwise); confirm or waive one,
    or see its history, with the commands below.

    Example: nianbao findings --county 平罗县 --rule not_published
    Example: nianbao findings --status confirmed --csv confirmed.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    import warehouse.read

    path = _published(settings)
    params = [status, county, county, rule, rule, severity, severity, min_age, min_age]
    columns, rows = warehouse.read.query(path, _LIST_SQL, params)
    if csv:
        _write_csv(csv, columns, rows)
        console.print(f"wrote {csv} ({len(rows)} findings)")
        return
    table = Table("id", "status", "severity", "rule", "county", "agency", "year", "days", "message", "decided")
    for fid, st, sev, rule_code, cty, agency, year, age, message, by, reason in rows:
        table.add_row(fid, st, sev, rule_code, cty or "", agency or "", str(year or ""), str(age or 0), message,
                      f"{by}: {reason}" if by else "")
    console.print(table)
    console.print(f"{len(rows)} findings. Decide one with: nianbao findings confirm|waive ID --reason … --by …")


def _write_csv(out: Path, columns: list[str], rows: list[tuple]) -> None:
    import csv as csv_module

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv_module.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)


def _decide(finding_id: str, decision: str, reason: str, by: str, settings: Path) -> None:
    from warehouse.triage import DecisionJournal, record_decision

    config = load_config(settings)
    path = _published(settings)
    try:
        made, shown = record_decision(path, DecisionJournal(config.decisions_journal), finding_id, decision, reason,
                                      by, storage_version=config.warehouse.storage_version)
    except (LookupError, ValueError) as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(1)
    console.print(f"{made.finding_id}: {decision} by {made.decided_by} at {made.decided_at:%Y-%m-%d %H:%M} — {made.reason}")
    if not shown:
        console.print("a run is building the warehouse now: the decision is recorded and shows once that run has published")


ReasonOption = typer.Option(..., "--reason", help="Why (kept in the finding's history).")
ByOption = typer.Option(..., "--by", help="Who decides.")


@findings_app.command()
def confirm(
    finding_id: str = typer.Argument(..., help="The finding's id (or its first 6+ characters)."),
    reason: str = ReasonOption,
    by: str = ByOption,
    settings: Path = SettingsOption,
):
    """Confirm a finding: the agency must correct its report (it goes into its 整改通知).

    Example: nianbao findings confirm 960a9378 --reason "已电话核实，总计列有误" --by 王科长
    """
    _decide(finding_id, "confirmed", reason, by, settings)


@findings_app.command()
def waive(
    finding_id: str = typer.Argument(..., help="The finding's id (or its first 6+ characters)."),
    reason: str = ReasonOption,
    by: str = ByOption,
    settings: Path = SettingsOption,
):
    """Waive a finding: checked, not a problem. It is not alerted again while the report stays the same.

    Example: nianbao findings waive cf1d6fd4 --reason "该局2024年已撤并" --by 王科长
    """
    _decide(finding_id, "waived", reason, by, settings)


@findings_app.command("history")
def finding_history(
    finding_id: str = typer.Argument(..., help="The finding's id (or its first 6+ characters)."),
    settings: Path = SettingsOption,
):
    """Show a finding and every decision on it, oldest first.

    Example: nianbao findings history 960a9378
    """
    import warehouse.read
    from warehouse.triage import find_finding, history

    with warehouse.read.reading(_published(settings)) as con:
        try:
            finding = find_finding(con, finding_id)
        except LookupError as e:
            console.print(f"[red]{e}[/red]")
            raise typer.Exit(1)
        entries = history(con, finding["finding_id"])
    console.print(f"{finding['finding_id']} [{finding['status']}] {finding['county']} {finding['agency'] or ''} "
                  f"{finding['year'] or ''} — {finding['message']}")
    table = Table("when", "decision", "by", "reason", "expected", "observed")
    for at, decision, by, reason, expected, observed in entries:
        table.add_row(f"{at:%Y-%m-%d %H:%M}", decision, by, reason, str(expected or ""), str(observed or ""))
    console.print(table)


def agencies(
    csv: Optional[Path] = typer.Option(None, help="Write the registry as the office's CSV (a start for config/expected_agencies.csv)."),
    settings: Path = SettingsOption,
):
    """Show the agencies each county must have publish (the office's registry plus agencies seen publishing).

    Example: nianbao agencies --csv config/expected_agencies.csv
    """
    import warehouse.read
    from warehouse.registry import export_registry

    path = _published(settings)
    if csv:
        with warehouse.read.reading(path) as con:
            count = export_registry(con, csv)
        console.print(f"wrote {csv} ({count} agencies): edit first_year/last_year/note, keep it as "
                      "office.expected_agencies in config/pipeline.yaml")
        return
    columns, rows = warehouse.read.query(
        path, "SELECT county, agency, level, first_year, last_year, source, note FROM expected_agencies ORDER BY ALL")
    table = Table(*columns)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def notices(settings: Path = SettingsOption):
    """Write a draft 整改通知 (DOCX) for each agency with confirmed findings, now (each run also does).

    Example: nianbao notices
    """
    import warehouse.read
    from alerts.correction import confirmed_notices, write_notices
    from expectations.publication import office_today

    config = load_config(settings)
    with warehouse.read.reading(_published(settings)) as con:
        drafted = confirmed_notices(con, office_today(), config.office.correction_days, config.office.issuer)
    for path in write_notices(drafted, config.notices_dir):
        console.print(f"wrote {path}")
    if not drafted:
        console.print("no confirmed findings: no notice")


def scorecard(settings: Path = SettingsOption):
    """Write the county scorecard site from the published warehouse, now (each run also does).

    Example: nianbao scorecard
    """
    from scorecard import write_site

    config = load_config(settings)
    index = write_site(_published(settings), config.scorecard_dir, f"manual {datetime.now():%Y-%m-%d %H:%M}")
    console.print(f"wrote {index} (open it in a browser; copy the folder to a shared drive or web server)")
