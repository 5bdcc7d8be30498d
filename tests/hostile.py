"""Hostile peers on 127.0.0.1 for the hardening tests: a web server whose answers are plain functions (trickle,
redirect, stay silent, send garbage), an SMTP server that accepts a connection and then says nothing, and one
that kills the sending process while it holds a message.

Both are real servers on free ports, stopped by their context manager; every request is logged with its time.
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from demo_portal.mail_sink import free_port

Answer = Callable[[BaseHTTPRequestHandler], None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        site: HostileSite = self.server.site
        path = self.path.split("?")[0]
        site.log.append((path, time.monotonic()))
        answer = site.routes.get(path) or site.routes.get("*")
        try:
            if answer is None:
                send(self, 404, b"<html><body>404</body></html>", "text/html")
            else:
                answer(self)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up on us: what the tests want
            pass

    def log_message(self, format: str, *args) -> None:
        pass


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str, **headers: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


def page(html: str) -> Answer:
    return lambda h: send(h, 200, html.encode("utf-8"), "text/html; charset=utf-8")


def data(body: bytes, content_type: str = "application/octet-stream") -> Answer:
    return lambda h: send(h, 200, body, content_type)


def redirect(location: str, status: int = 302) -> Answer:
    return lambda h: send(h, status, b"", "text/html", Location=location)


def trickle(byte_every: float, total: int = 10**6, content_type: str = "application/pdf") -> Answer:
    """A 200 with a large Content-Length whose body comes one byte at a time: each read is quick, the whole
    never ends (within any test's patience)."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(total))
        h.end_headers()
        h.wfile.write(b"%PDF-1.4\n")
        for _ in range(total):
            time.sleep(byte_every)
            h.wfile.write(b"0")
            h.wfile.flush()

    return answer


def trickle_headers(byte_every: float) -> Answer:
    """Headers that never end: a byte of an endless header line at a time."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while True:
            time.sleep(byte_every)
            h.wfile.write(b"a")
            h.wfile.flush()

    return answer


def slow(seconds: float, then: Answer) -> Answer:
    def answer(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        then(h)

    return answer


class HostileSite:
    """`with HostileSite() as site:` — site.routes[path] = answer; site.base_url; site.log [(path, t)]."""

    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.routes: dict[str, Answer] = {}
        self.log: list[tuple[str, float]] = []

    def __enter__(self) -> HostileSite:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.site = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.log]

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class SilentSmtpServer:
    """Accepts SMTP connections and never says a word (no 220 greeting): a relay that hangs."""

    def __init__(self) -> None:
        self.connections = 0
        self._open: list[socket.socket] = []

    def __enter__(self) -> SilentSmtpServer:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        return self

    @property
    def port(self) -> int:
        return self._socket.getsockname()[1]

    def _accept(self) -> None:
        self._socket.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            self._open.append(conn)  # held open, silent, until the server stops

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)
        for conn in self._open:
            conn.close()
        self._socket.close()


@dataclass(frozen=True)
class ReceivedMessage:
    message_id: str
    subject: str


class KillingMailSink:
    """A real SMTP server on 127.0.0.1 that accepts every message (sink.received), except that after
    kill_at_message(n, pid) it SIGKILLs process `pid` when the n-th message's data has arrived, before
    answering: the sender dies waiting for the reply, the earlier messages accepted, that one not."""

    def __init__(self) -> None:
        self.received: list[ReceivedMessage] = []
        self._kill: tuple[int, int] | None = None
        self._arrived = 0
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def kill_at_message(self, n: int, pid: int) -> None:
        self._kill = (n, pid)

    async def handle_DATA(self, server, session, envelope):
        self._arrived += 1
        if self._kill and self._kill[0] == self._arrived:
            os.kill(self._kill[1], signal.SIGKILL)
            return "451 the sender was killed while this message was in flight"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(ReceivedMessage(str(message["Message-ID"]), str(message["Subject"])))
        return "250 Message accepted for delivery"

    def __enter__(self) -> KillingMailSink:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()
