"""The durable outbox: every email is recorded in the warehouse (alert_outbox) before any is sent, and stays
pending until the SMTP server accepts it.

The run queues its emails in the file it is building, in the transaction that records what they mention,
so they are published with the findings. deliver() sends every pending message, this run's and any an
earlier run could not send, several times within the run, recording each attempt; what is still pending is
published with the run and sent by the next one. A message goes out with the bytes it was queued with, so
a retry carries the same Message-ID and Date.

A message sent is sent, even when the run that sent it fails or dies before publishing (killed at the send
or the publish step) and its build is thrown away: so each queued message, and each attempt's outcome, is
also written at once to the delivery journal (<data_dir>/outbox_journal/, one file per message, fsynced).
The next run's alert stage first puts the journal into its build (recover()): a message the published
warehouse never got arrives with its status and what it mentions and announces (alert_announcements), so
what was sent is not sent or announced again and what was not is sent with its Message-ID; a journal file
leaves once the published warehouse holds its message as sent.
"""

from __future__ import annotations

import base64
import json
import os
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
from warehouse.db import append_json_lines, insert_rows, transaction
from warehouse.publish import fsync_dir

PENDING, SENT = "pending", "sent"


@dataclass
class Delivery:
    sent: int = 0
    undelivered: int = 0
    errors: list[str] = field(default_factory=list)  # the last error of each message still pending


_OUTBOX_COLUMNS = ("message_id", "run_id", "kind", "county", "recipients", "subject", "message", "status", "attempts",
                   "queued_at", "last_attempt_at", "last_error", "sent_at", "sent_run")


class DeliveryJournal:
    """Outbox rows as they stand (with their mentions), one JSON file per message, outside the warehouse."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, message_id: str) -> Path:
        return self.folder / f"{message_id.strip('<>').replace('/', '_')}.json"

    def write(self, con: duckdb.DuckDBPyConnection, message_id: str) -> None:
        """Copy the message's outbox row and mentions from `con`, durably (written, fsynced, renamed)."""
        row = dict(zip(_OUTBOX_COLUMNS, con.execute(
            f"SELECT {', '.join(_OUTBOX_COLUMNS)} FROM alert_outbox WHERE message_id = ?", [message_id]).fetchone()))
        row["message"] = base64.b64encode(row["message"]).decode("ascii")
        row["mentions"] = con.execute(
            "SELECT finding_id, reason, opened_run FROM alert_mentions WHERE message_id = ? ORDER BY ALL", [message_id]
        ).fetchall()
        row["announcements"] = con.execute(
            "SELECT kind, subject, covers, queued_at FROM alert_announcements WHERE message_id = ? ORDER BY kind, subject",
            [message_id],
        ).fetchall()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(message_id)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        with open(partial, "w", encoding="utf-8") as fh:
            json.dump(row, fh, ensure_ascii=False, default=str)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
        fsync_dir(self.folder)

    def entries(self) -> list[dict]:
        if not self.folder.exists():
            return []
        return [json.loads(p.read_text("utf-8")) for p in sorted(self.folder.glob("*.json"))]

    def remove(self, message_id: str) -> None:
        self._path(message_id).unlink(missing_ok=True)


def recover(con: duckdb.DuckDBPyConnection, journal: DeliveryJournal) -> int:
    """Put what the journal knows and the build (a copy of the published warehouse) does not into the build;
    drop the journal files the published warehouse has as sent. Returns the messages put in.

    A message the build lacks was queued by a run that never published, so its mentions of a finding's
    opening are of that run's own validation: this build found the same findings again, under its own
    opening, which is what the mentions now name (else they would be announced a second time)."""
    recovered = 0
    for entry in journal.entries():
        message_id = entry["message_id"]
        held = con.execute("SELECT status FROM alert_outbox WHERE message_id = ?", [message_id]).fetchone()
        if held and held[0] == SENT:
            journal.remove(message_id)
            continue
        values = dict(entry, message=base64.b64decode(entry["message"]))
        with transaction(con):
            if held:  # published pending; sent, or tried again, by a run that did not publish
                con.execute(
                    """UPDATE alert_outbox SET status = ?, attempts = greatest(attempts, ?), last_attempt_at = ?,
                           last_error = ?, sent_at = ?, sent_run = ? WHERE message_id = ?""",
                    [values[c] for c in ("status", "attempts", "last_attempt_at", "last_error", "sent_at", "sent_run",
                                         "message_id")],
                )
                continue
            insert_rows(con, "alert_outbox", _OUTBOX_COLUMNS, [[values[c] for c in _OUTBOX_COLUMNS]])
            con.execute(
                """INSERT INTO alert_mentions
                   SELECT ?, m.finding_id, m.reason,
                          coalesce((SELECT f.opened_run FROM dq_findings f WHERE f.finding_id = m.finding_id), m.opened_run)
                   FROM (SELECT unnest(?::VARCHAR[]) AS finding_id, unnest(?::VARCHAR[]) AS reason,
                                unnest(?::VARCHAR[]) AS opened_run) m""",
                [message_id, *([m[i] for m in entry["mentions"]] for i in range(3))],
            )
            insert_rows(con, "alert_announcements", _ANNOUNCEMENT_COLUMNS,
                        [(message_id, *announcement) for announcement in entry.get("announcements", [])])
        recovered += 1
    return recovered


def queue(con: duckdb.DuckDBPyConnection, run_id: str, emails: list[Email], now: datetime,
          journal: DeliveryJournal) -> None:
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
        insert_rows(con, "alert_announcements", ("message_id", "kind", "subject", "covers", "queued_at"),
                    [(e.message_id, kind, subject, covers, now) for e in emails for kind, subject, covers in e.announcements])
    for e in emails:
        journal.write(con, e.message_id)


# alert_announcements as the announcements journal keeps them: a warehouse rebuilt from nothing gets them back
_ANNOUNCEMENT_COLUMNS = ("message_id", "kind", "subject", "covers", "queued_at")


def _journalled(journal: Path) -> list[dict]:
    if not journal.exists():
        return []
    return [json.loads(line) for line in journal.read_text("utf-8").splitlines() if line.strip()]


def restore_announcements(con: duckdb.DuckDBPyConnection, journal: Path) -> None:
    """Copy into alert_announcements what the journal holds and the warehouse does not (it was rebuilt)."""
    insert_rows(con, "alert_announcements", _ANNOUNCEMENT_COLUMNS,
                [tuple(r[c] for c in _ANNOUNCEMENT_COLUMNS) for r in _journalled(journal)],
                on_conflict="ON CONFLICT DO NOTHING")


def journal_sent_announcements(con: duckdb.DuckDBPyConnection, journal: Path) -> None:
    """Append to the journal what the emails the SMTP server has taken announced, once: a notice counts as
    sent for good only when it was (a queued one is sent by a later run, or lost with a failed build)."""
    journalled = {(r["message_id"], r["kind"], r["subject"]) for r in _journalled(journal)}
    cursor = con.execute(
        """SELECT a.message_id, a.kind, a.subject, a.covers, a.queued_at::VARCHAR FROM alert_announcements a
           JOIN alert_outbox o USING (message_id) WHERE o.status = 'sent' ORDER BY a.queued_at, a.message_id, a.kind, a.subject"""
    )
    append_json_lines(journal, [dict(zip(_ANNOUNCEMENT_COLUMNS, row)) for row in cursor.fetchall()
                                if tuple(row[:3]) not in journalled])


def _recipients(email: Email) -> tuple[str, ...]:
    return tuple(address.strip() for address in str(email.message["To"]).split(",") if address.strip())


def deliver(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    smtp: SmtpSettings,
    attempts: int,
    retry_seconds: float,
    journal: DeliveryJournal,
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
        errors = _send_round(con, run_id, smtp, pending, journal)
        delivery.sent += len(pending) - len(errors)
        delivery.errors = list(errors.values())
    delivery.undelivered = con.execute("SELECT count(*) FROM alert_outbox WHERE status = ?", [PENDING]).fetchone()[0]
    return delivery


def _send_round(con, run_id: str, smtp: SmtpSettings, pending: list[tuple], journal: DeliveryJournal) -> dict[str, str]:
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
                    _record(con, message_id, run_id, SENT, f"refused recipients: {refused}" if refused else None, journal)
    for message_id, error in errors.items():
        _record(con, message_id, run_id, PENDING, error, journal)
    return errors


def _record(con, message_id: str, run_id: str, status: str, error: str | None, journal: DeliveryJournal) -> None:
    now = datetime.now(timezone.utc)
    con.execute(
        """UPDATE alert_outbox SET status = ?, attempts = attempts + 1, last_attempt_at = ?, last_error = ?,
               sent_at = CASE WHEN ? = 'sent' THEN ? END, sent_run = CASE WHEN ? = 'sent' THEN ? END
           WHERE message_id = ?""",
        [status, now, error, status, now, status, run_id, message_id],
    )
    journal.write(con, message_id)


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
