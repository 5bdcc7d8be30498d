"""The demo portal's web server: the static county sites of demo_portal/site/, plus what the CMSs answer
dynamically (the Hanweb jpage /module/web/jpage/dataproxy.jsp), with ETag/Last-Modified and 304s as
real portals send them.

    python -m demo_portal.server --port 8765

From code or tests (port 0 = a free port):

    server, base_url = serve(0)
    ...
    server.shutdown(); server.server_close()
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import threading
from dataclasses import replace
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from demo_portal.sites import SITE_DIR
from nianbao.config import DEFAULT_PORTALS, load_portals
from nianbao.models import Portal

CONTENT_TYPES = {
    # no charset for pages: like many county portals, the page's own <meta> declares it
    ".html": "text/html", ".shtml": "text/html", ".htm": "text/html",
    ".txt": "text/plain; charset=utf-8", ".css": "text/css", ".js": "application/javascript",
    ".json": "application/json", ".xml": "text/xml; charset=utf-8",
    ".pdf": "application/pdf", ".doc": "application/msword", ".wps": "application/vnd.ms-works",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
}
# at the site root, or under a site's path prefix (several demo counties share one server)
DATAPROXY = re.compile(r"^/(?:(?P<site>.+?)/)?module/web/jpage/dataproxy\.jsp$")
NOT_FOUND_PAGE = "<html><head><meta charset='utf-8'><title>404</title></head><body>页面不存在</body></html>"


class PortalHandler(BaseHTTPRequestHandler):
    """Serves `self.server.root`. Subclass it (and pass it to serve) to add a portal's quirks."""

    server_version = "DemoPortal/1.0"

    def do_GET(self) -> None:
        self.respond(b"")

    def do_HEAD(self) -> None:
        self.respond(b"", head=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.respond(self.rfile.read(length))

    def log_message(self, format: str, *args) -> None:  # quiet: tests and the demo run print their own
        pass

    # ------------------------------------------------------------------------------------------------

    def respond(self, body: bytes, head: bool = False) -> None:
        path = unquote(urlsplit(self.path).path)
        if m := DATAPROXY.match(path):
            self.answer_dataproxy(m.group("site") or "", body)
            return
        file = self.resolve(path)
        if file is None:
            self.send_body(404, NOT_FOUND_PAGE.encode("utf-8"), "text/html; charset=utf-8", head=head)
            return
        self.send_file(file, head=head)

    def resolve(self, path: str) -> Path | None:
        root = Path(self.server.root).resolve()
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            return None
        return target

    def send_file(self, file: Path, head: bool = False) -> None:
        data = file.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
        mtime = int(file.stat().st_mtime)
        if self.not_modified(etag, mtime):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(mtime, usegmt=True))
            self.end_headers()
            return
        content_type = CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")
        self.send_body(200, data, content_type, head=head, etag=etag, last_modified=formatdate(mtime, usegmt=True))

    def not_modified(self, etag: str, mtime: int) -> bool:
        """RFC 9110 13.2.2: If-None-Match decides when present; If-Modified-Since only without it."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return etag in tags or "*" in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                return mtime <= parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def send_body(self, status: int, data: bytes, content_type: str, *, head: bool = False,
                  etag: str | None = None, last_modified: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if etag:
            self.send_header("ETag", etag)
        if last_modified:
            self.send_header("Last-Modified", last_modified)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def answer_dataproxy(self, site: str, body: bytes) -> None:
        """Records startrecord..endrecord (1-based, inclusive) of a column, from the query or the POST form,
        as the jpage XML: <datastore><totalrecord/><totalpage/><recordset><record><![CDATA[…]]>…"""
        params = dict(parse_qsl(urlsplit(self.path).query))
        params.update(parse_qsl(body.decode("utf-8", errors="replace")))
        column = params.get("columnid", "")
        records_file = self.resolve(f"{site}/module/web/jpage/records/{column}.json") if column.isdigit() else None
        if records_file is None:
            self.send_body(404, NOT_FOUND_PAGE.encode("utf-8"), "text/html; charset=utf-8")
            return
        records = json.loads(records_file.read_text("utf-8"))
        per_page = _int(params.get("perpage"), 15)
        start = max(_int(params.get("startrecord"), 1), 1)
        end = _int(params.get("endrecord"), start + per_page - 1)
        chosen = records[start - 1 : end]
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
            f"<totalrecord>{len(records)}</totalrecord>\n<totalpage>{-(-len(records) // per_page)}</totalpage>\n"
            "<recordset>\n" + "".join(f"<record><![CDATA[{r}]]></record>\n" for r in chosen) + "</recordset>\n</datastore>\n"
        )
        self.send_body(200, xml.encode("utf-8"), "text/xml; charset=utf-8")


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


DEMO_PORT = 8765
DEMO_BASE_URL = f"http://127.0.0.1:{DEMO_PORT}"  # where config/portals.yaml expects the demo portal


def demo_portals(base_url: str) -> list[Portal]:
    """The bundled registry's portals, pointed at a demo portal served at base_url (tests, benchmarks)."""
    return [replace(p, column_url=p.column_url.replace(DEMO_BASE_URL, base_url)) for p in load_portals(DEFAULT_PORTALS)]


def serve(port: int = DEMO_PORT, root: Path = SITE_DIR, handler: type[PortalHandler] = PortalHandler,
          host: str = "127.0.0.1") -> tuple[ThreadingHTTPServer, str]:
    """Start serving `root` in a background thread; returns the server and its base URL (no trailing
    slash). Port 0 picks a free port. Stop it with server.shutdown(); server.server_close()."""
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.root = Path(root)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="demo-portal", daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the bundled demo county portals on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=DEMO_PORT)
    parser.add_argument("--root", type=Path, default=SITE_DIR, help="the site folder (default: demo_portal/site)")
    args = parser.parse_args(argv)
    server, base_url = serve(args.port, args.root)
    print(f"demo portal at {base_url}/ (columns: /pingluo/ /xingqing/ /zhongning/ /longyang/); Ctrl-C stops it")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
