"""The durable outbox: every email is recorded in the warehouse (alert_outbox) before any is sent, and stays
pending until the SMTP server accepts it.

The run queues its emails in the file it is building, in the transaction that records what they mention,
so they are published with the findings or, if the run fails, not at all (the next run then finds the same
findings unannounced and queues them again). deliver() sends every pending message, this run's and any an
earlier run could not send, several times within the run, recording each attempt; what is still pending is
published with the run and sent by the next one. A message goes out with the bytes it was queued with, so
a retry carries the same Message-ID and Date.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.policy import SMTP
from pathlib import Path

import duckdb

from alerts.compose import Email
from alerts.send import smtp_connection
from nianbao.config import SmtpSettings
from warehouse.db import insert_rows, transaction

PENDING, SENT = "pending", "sent"


@dataclass
class Delivery:
    sent: int = 0
    undelivered: int = 0
    errors: list[str] = field(default_factory=list)  # the last error of each message still pending


def queue(con: duckdb.DuckDBPyConnection, run_id: str, emails: list[Email], now: datetime) -> None:
    with transaction(con):
        insert_rows(
            con, "alert_outbox",
            ("message_id", "run_id", "kind", "county", "recipients", "subject", "message", "status", "attempts",
             "queued_at"),
            [(e.message_id, run_id, e.kind, e.county, list(_recipients(e)), str(e.message["Subject"]),
              e.message.as_bytes(policy=SMTP), PENDING, 0, now) for e in emails],
        )
        insert_rows(con, "alert_mentions", ("message_id", "finding_id", "reason", "opened_run"),
                    [(e.message_id, *mention) for e in emails for mention in e.mentions])


def _recipients(email: Email) -> tuple[str, ...]:
    return tuple(address.strip() for address in str(email.message["To"]).split(",") if address.strip())


def deliver(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    smtp: SmtpSettings,
    attempts: int,
    retry_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """Send every pending message, up to `attempts` rounds `retry_seconds` apart (doubling), each attempt
    recorded. Returns what was sent and what is still pending."""
    delivery = Delivery()
    for attempt in range(attempts):
        pending = con.execute(
            "SELECT message_id, recipients, message FROM alert_outbox WHERE status = ? ORDER BY queued_at, message_id",
            [PENDING],
        ).fetchall()
        if not pending:
            break
        if attempt:
            sleep(retry_seconds * 2 ** (attempt - 1))
        errors = _send_round(con, run_id, smtp, pending)
        delivery.sent += len(pending) - len(errors)
        delivery.errors = list(errors.values())
    delivery.undelivered = con.execute("SELECT count(*) FROM alert_outbox WHERE status = ?", [PENDING]).fetchone()[0]
    return delivery


def _send_round(con, run_id: str, smtp: SmtpSettings, pending: list[tuple]) -> dict[str, str]:
    """One attempt at each pending message over one SMTP session; message_id → error of those that failed."""
    errors: dict[str, str] = {}
    try:
        session = smtp_connection(smtp)
    except (OSError, smtplib.SMTPException) as e:
        errors = {message_id: _describe(e) for message_id, _, _ in pending}
    else:
        with session:
            for message_id, recipients, message in pending:
                try:
                    refused = session.sendmail(smtp.sender, recipients, message)
                except (OSError, smtplib.SMTPException) as e:
                    errors[message_id] = _describe(e)
                else:  # accepted for some recipients at least: sending again would duplicate it for them
                    _record(con, message_id, run_id, SENT, f"refused recipients: {refused}" if refused else None)
    for message_id, error in errors.items():
        _record(con, message_id, run_id, PENDING, error)
    return errors


def _record(con, message_id: str, run_id: str, status: str, error: str | None) -> None:
    now = datetime.now(timezone.utc)
    con.execute(
        """UPDATE alert_outbox SET status = ?, attempts = attempts + 1, last_attempt_at = ?, last_error = ?,
               sent_at = CASE WHEN ? = 'sent' THEN ? END, sent_run = CASE WHEN ? = 'sent' THEN ? END
           WHERE message_id = ?""",
        [status, now, error, status, now, status, run_id, message_id],
    )


def send_now(email: Email, smtp: SmtpSettings, keep_dir: Path) -> str | None:
    """Send an email that has no warehouse to wait in (a failed run's): None once sent, else why not, the
    email itself then kept as an .eml file in keep_dir for the operator."""
    try:
        with smtp_connection(smtp) as session:
            session.send_message(email.message)
        return None
    except (OSError, smtplib.SMTPException) as e:
        keep_dir.mkdir(parents=True, exist_ok=True)
        kept = keep_dir / f"{email.message_id.strip('<>')}.eml"
        kept.write_bytes(email.message.as_bytes(policy=SMTP))
        return f"{_describe(e)} (kept as {kept})"


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]
