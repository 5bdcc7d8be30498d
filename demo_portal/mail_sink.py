"""A local SMTP server that keeps every message it receives as an .eml file and its HTML part.

The demo sends its alert email here so a newcomer can open what the office would get; the tests use it as
the real SMTP peer of the alert stage.
"""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A free port on 127.0.0.1 (aiosmtpd's Controller cannot start on port 0: it probes its own port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SavedMessage:
    eml: Path
    html: Path | None
    subject: str
    recipients: list[str]


@dataclass
class _SaveHandler:
    outbox: Path
    received: list[SavedMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        stem = self.outbox / f"{datetime.now():%Y%m%d-%H%M%S}-{len(self.received) + 1:03d}"
        eml = stem.with_suffix(".eml")
        eml.write_bytes(envelope.content)
        html_part = message.get_body(preferencelist=("html",))
        html = None
        if html_part is not None:
            html = stem.with_suffix(".html")
            html.write_text(html_part.get_content(), "utf-8")
        self.received.append(SavedMessage(eml, html, str(message["Subject"]), list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class MailSink:
    """`with MailSink(outbox, port=0) as sink:` — sink.port, sink.received."""

    def __init__(self, outbox: Path, port: int = 8025):
        outbox.mkdir(parents=True, exist_ok=True)
        self.handler = _SaveHandler(outbox)
        self.port = port or free_port()
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def received(self) -> list[SavedMessage]:
        return self.handler.received

    def __enter__(self) -> "MailSink":
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()
