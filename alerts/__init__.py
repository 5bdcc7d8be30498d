"""Stage 6: findings and portal health → the emails the office acts on, through a durable outbox in the
warehouse, and the run's own Chinese HTML report.

Inside the run's warehouse build (warehouse.building), once the findings are loaded:

    outcome = alerts.alert_run(con, summary, portals, settings.alerts, settings.office, settings.reports_dir,
                               settings.outbox_journal_dir, settings.announcements_journal, now)

Layout: notices (what is due, read from the warehouse) → compose (EmailMessage from templates/) → plan (which
emails) → outbox (queue, deliver, record) → send (the SMTP session); report (the HTML run report);
templating (the Jinja2 environment of templates/).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from alerts.compose import Email, run_failed_email
from alerts.notices import RunSummary
from alerts.outbox import (
    Delivery, DeliveryJournal, deliver, journal_sent_announcements, queue, recover, restore_announcements, send_now,
)
from alerts.plan import emails_for_run
from alerts.report import RunReport, write_run_report
from alerts.templating import render
from nianbao.config import AlertSettings, OfficeSettings
from nianbao.models import Portal


@dataclass(frozen=True)
class AlertOutcome:
    report: RunReport
    queued: list[Email]
    delivery: Delivery


def alert_run(con: duckdb.DuckDBPyConnection, summary: RunSummary, portals: list[Portal], settings: AlertSettings,
              office: OfficeSettings, reports_dir: Path, outbox_journal_dir: Path, announcements_journal: Path,
              now: datetime) -> AlertOutcome:
    """Write the run report, queue the emails due, and send every pending email (this run's and any an
    earlier run could not send), on the connection of the run's warehouse build; first, what runs that did
    not publish sent or queued (the delivery journal in outbox_journal_dir, alerts.outbox). The correction
    notices and replaced reports the sent emails told are journalled too (announcements_journal), so that
    not even a rebuilt warehouse tells them again."""
    journal = DeliveryJournal(outbox_journal_dir)
    recover(con, journal)
    restore_announcements(con, announcements_journal)
    report = write_run_report(con, summary.run_id, reports_dir, now, settings.report_base_url)
    emails = emails_for_run(con, summary, now, portals, settings, office, report)
    queue(con, summary.run_id, emails, now, journal)
    delivery = deliver(con, summary.run_id, settings.smtp, settings.smtp.attempts, settings.smtp.retry_seconds, journal)
    journal_sent_announcements(con, announcements_journal)
    return AlertOutcome(report, emails, delivery)


def run_summary_markdown(summary: RunSummary) -> str:
    """The run's summary for the Prefect UI (a markdown artifact)."""
    return render("run_summary.md", s=summary)


__all__ = ["AlertOutcome", "Delivery", "Email", "RunReport", "RunSummary", "alert_run", "run_failed_email",
           "run_summary_markdown", "send_now"]
