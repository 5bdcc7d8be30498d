"""The SMTP session to the server of the settings or of a prefect-email credentials block.

Every wait has an end: the connection and each SMTP command time out after `alerts.smtp.timeout_seconds`
(smtplib's timeout is per socket operation), so a relay that accepts and then says nothing fails the
attempt instead of hanging the run.
"""

from __future__ import annotations

import smtplib
import ssl

from prefect_email import EmailServerCredentials
from prefect_email.credentials import SMTPServer, SMTPType

from nianbao.config import SmtpSettings


def smtp_credentials(smtp: SmtpSettings) -> EmailServerCredentials:
    if smtp.credentials_block:
        return EmailServerCredentials.load(smtp.credentials_block)
    # A relay inside the office network, or the demo's sink: no TLS, no login (see docs/stack-notes.md).
    return EmailServerCredentials(smtp_server=smtp.host, smtp_port=smtp.port, smtp_type="INSECURE")


def smtp_connection(smtp: SmtpSettings) -> smtplib.SMTP:
    """A connected (and, with a username, logged-in) SMTP client whose every operation has a timeout.
    prefect-email's own get_server() opens its connection without one, so it is opened here from the same
    credentials."""
    credentials = smtp_credentials(smtp)
    host = credentials.smtp_server
    host = host.value if isinstance(host, SMTPServer) else host
    kind = SMTPType(credentials.smtp_type)
    port = credentials.smtp_port or kind.value
    context = ssl.create_default_context() if credentials.verify else ssl._create_unverified_context()
    if kind == SMTPType.SSL:
        server = smtplib.SMTP_SSL(host, port, timeout=smtp.timeout_seconds, context=context)
    else:
        server = smtplib.SMTP(host, port, timeout=smtp.timeout_seconds)
        if kind == SMTPType.STARTTLS:
            server.starttls(context=context)
    if credentials.username is not None:
        server.login(credentials.username, credentials.password.get_secret_value())
    return server
