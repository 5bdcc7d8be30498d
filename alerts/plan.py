"""Which emails a run queues: each county with its own recipients gets its email when it has news, the
province its digest (also on a quiet night if configured), and, once in `warnings_every_days`, the warnings
digests. Counties without recipients are told through the province's digest."""

from __future__ import annotations

from datetime import datetime

import duckdb

from alerts.compose import Email, EmailLimits, county_email, province_email, warnings_email
from alerts.notices import RunSummary, due_notices, warnings_digest_due
from alerts.report import RunReport
from nianbao.config import AlertSettings, OfficeSettings
from nianbao.models import Portal


def emails_for_run(con: duckdb.DuckDBPyConnection, summary: RunSummary, now: datetime, portals: list[Portal],
                   settings: AlertSettings, office: OfficeSettings, report: RunReport) -> list[Email]:
    with_warnings = warnings_digest_due(con, now, settings.warnings_every_days)
    counties = due_notices(con, summary.run_id, now, portals, settings.recall_after_days, with_warnings, office)
    sender, province = settings.smtp.sender, tuple(settings.provincial_recipients)
    limits = EmailLimits(settings.max_items_per_section, settings.max_email_bytes)
    emails = [
        county_email(n, summary.run_id, sender, now, report.link(n.county), report.attachment(n.county), limits)
        for n in counties if n.recipients and n.has_daily_news
    ]
    if province and (any(n.has_daily_news for n in counties) or settings.send_when_nothing_new):
        emails.append(province_email(counties, summary, province, sender, now, report.link(None),
                                     report.attachment(None), limits))
    if any(n.warnings for n in counties):
        emails += [
            warnings_email([n], n.recipients, sender, now, report.link(n.county), limits, county=n.county)
            for n in counties if n.recipients and n.warnings
        ]
        if province:
            emails.append(warnings_email(counties, province, sender, now, report.link(None), limits))
    return emails
