"""Send an Alert with prefect-email, to the SMTP server of the settings or of a Prefect credentials block."""

from __future__ import annotations

from email.message import Message

from prefect.utilities.asyncutils import run_coro_as_sync
from prefect_email import EmailServerCredentials, email_send_message

from alerts.compose import Alert
from nianbao.config import SmtpSettings


def smtp_credentials(smtp: SmtpSettings) -> EmailServerCredentials:
    if smtp.credentials_block:
        return EmailServerCredentials.load(smtp.credentials_block)
    # A relay inside the office network, or the demo's sink: no TLS, no login (see docs/stack-notes.md).
    return EmailServerCredentials(smtp_server=smtp.host, smtp_port=smtp.port, smtp_type="INSECURE")


def send_alert(alert: Alert, smtp: SmtpSettings) -> Message:
    """Send one alert (HTML with a plain-text part); must run inside a Prefect flow or task.
    email_send_message is an async task: from a sync task its call is a coroutine to run to the end."""
    return run_coro_as_sync(email_send_message(
        subject=alert.subject,
        msg=alert.html,
        msg_plain=alert.text,
        email_server_credentials=smtp_credentials(smtp),
        email_from=smtp.sender,
        email_to=list(alert.recipients),
    ))
