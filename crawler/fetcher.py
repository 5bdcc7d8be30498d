"""The polite HTTP core shared by every adapter: robots.txt, per-host rate and concurrency limits, retries
with backoff, a size cap while streaming, conditional requests (or none at all for a page or document checked
less than `recheck_after_days` ago), and one Fetch record per URL.

Every wait has an end: each request as a whole (connecting, headers, body: a server that trickles a byte a
second is cut at `request_time_limit_seconds`, not kept for as long as it trickles) and the whole crawl of a
portal (`portal_time_limit_seconds`). Redirects are followed here, hop by hop, so that every hop obeys
robots.txt, the per-host limit and the portal's allowed hosts; the answer's URL is recorded beside the first.

Nothing here raises for a network or portal problem: the outcome is in the returned Fetch.
"""

from __future__ import annotations

import hashlib
import ipaddress
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego
from publicsuffixlist import PublicSuffixList

from crawler.store import RawStore
from nianbao.config import CrawlerSettings
from nianbao.models import Fetch, KnownUrl

RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_RETRY_AFTER_SECONDS = 60.0
# What may be served from the raw store without asking the portal while it is fresh. List pages always go to
# the portal: they are where new reports appear.
CACHEABLE_PURPOSES = ("detail", "document")


def due_for_recheck(known: KnownUrl, recheck_after_days: float, now: datetime) -> bool:
    """Whether a known page or document must be asked for again. Each URL's period lies between half and
    all of `recheck_after_days`, set by a hash of the URL: the URLs a first crawl found on one night come due
    spread over the nights that follow, not all on one night a week later."""
    if recheck_after_days <= 0 or known.checked_at is None:
        return True
    share = int.from_bytes(hashlib.sha256(known.url.encode()).digest()[:4], "big") / 2**32
    return now - known.checked_at >= timedelta(days=recheck_after_days * (0.5 + 0.5 * share))


@dataclass
class Response:
    fetch: Fetch
    data: bytes | None  # the body, or the stored bytes on 304; None when nothing usable came back
    content_type: str | None = None

    @property
    def ok(self) -> bool:
        return self.data is not None


# ------------------------------------------------------------------------------- whole-request deadline

_request_deadline = threading.local()  # .at: time.monotonic() by which the current request must be done


def _bounded(timeout: float | None) -> float:
    """httpx bounds each socket operation by its own timeout; this also bounds it by what is left of the
    request's deadline, so that the sum of many short reads cannot outlast the deadline."""
    remaining = getattr(_request_deadline, "at", float("inf")) - time.monotonic()
    if remaining <= 0:
        raise httpcore.ReadTimeout("the whole-request time limit passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None) -> httpcore.NetworkStream:
        return _DeadlineStream(super().connect_tcp(host, port, _bounded(timeout), local_address, socket_options))


def _deadline_transport() -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport()
    # httpx does not take a network backend; its pool does (httpcore's documented extension point), and
    # tests/crawler/test_hostile_portal.py fails if an upgrade stops honouring it
    transport._pool._network_backend = _DeadlineBackend()
    return transport


# ------------------------------------------------------------------------------- allowed hosts

_public_suffixes = PublicSuffixList()  # the list ships with the package: no download


def registrable_domain(host: str) -> str:
    """pingluo.gov.cn for www.pingluo.gov.cn (gov.cn is a public suffix); an IP address or a single label
    is its own domain."""
    host = host.lower().rstrip(".").strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return _public_suffixes.privatesuffix(host) or host


def host_allowed(url: str, allowed: tuple[str, ...]) -> bool:
    """Whether the URL's host is one of `allowed` or below one of them (`allowed` holds domains)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in allowed)


class HostLimit:
    """At most `concurrency` requests in flight to a host, and request starts at least `interval` apart."""

    def __init__(self, interval: float, concurrency: int):
        self.interval = interval
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._next_start = 0.0

    @contextmanager
    def slot(self):
        with self._slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self.interval
            time.sleep(start - now)
            yield


_host_limits: dict[tuple[str, float, int], HostLimit] = {}
_host_limits_lock = threading.Lock()


def host_limit(host: str, interval: float, concurrency: int) -> HostLimit:
    """One limit per host for the whole process, so that portals crawled in parallel that share a host
    (several counties on one provincial platform) still share its budget."""
    key = (host, interval, concurrency)
    with _host_limits_lock:
        return _host_limits.setdefault(key, HostLimit(interval, concurrency))


class GaveUp(Exception):
    def __init__(self, status: int | None, message: str):
        super().__init__(message)
        self.status = status


class TooLarge(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class RedirectRefused(Exception):
    """A redirect to a URL this portal's crawl may not fetch (robots.txt, or a host it is not allowed): the
    fetch is refused (outcome `refused`, `target` its final URL), for a reason the office can act on."""

    def __init__(self, status: int, target: str, message: str):
        super().__init__(message)
        self.status = status
        self.target = target


class Fetcher:
    """Fetches the URLs of one portal crawl and records what happened to each."""

    def __init__(
        self,
        settings: CrawlerSettings,
        store: RawStore,
        run_id: str,
        portal_id: str,
        known: dict[str, KnownUrl],
        allowed_domains: tuple[str, ...] = (),
    ):
        """`allowed_domains`: the domains whose hosts the crawl may be redirected to (the portal's own
        registrable domain and those its registry entry adds); empty allows every host."""
        self.settings = settings
        self.store = store
        self.run_id = run_id
        self.portal_id = portal_id
        self.known = known
        self.fetches: list[Fetch] = []
        self._robots: dict[str, Protego | str] = {}  # host -> rules, or the reason robots.txt is unusable
        # one request per URL and run: its record and Content-Type; the bytes stay in the raw store only, or a
        # column's documents would all be held in memory until the crawl ends
        self._seen: dict[tuple[str, str], tuple[Fetch, str | None]] = {}
        self.allowed_domains = allowed_domains
        self.deadline = time.monotonic() + settings.portal_time_limit_seconds
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent},
            timeout=settings.timeout_seconds,
            follow_redirects=False,  # followed in _follow, hop by hop
            transport=_deadline_transport(),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ----------------------------------------------------------------------------------------- public

    @property
    def out_of_time(self) -> bool:
        """Whether the portal's crawl time limit has passed: the crawl must stop asking."""
        return time.monotonic() >= self.deadline

    def get(self, url: str, purpose: str, *, form: dict[str, str] | None = None, referer: str | None = None) -> Response:
        """GET the URL (POST when a form is given). Within a run each URL is requested once: asking again
        returns the first answer without a new request or a new Fetch record."""
        key = (url, repr(sorted(form.items())) if form else "")
        if key in self._seen:
            fetch, content_type = self._seen[key]
            return Response(fetch, self.store.get(fetch.sha256) if fetch.sha256 else None, content_type)
        refusal = self._robots_refusal(url)
        if refusal:
            response = Response(self._record(url, purpose, "disallowed", error=refusal), None)
        else:
            response = self._fetch(url, purpose, form, referer)
        self._seen[key] = (response.fetch, response.content_type)
        return response

    # ---------------------------------------------------------------------------------------- robots

    def _robots_refusal(self, url: str) -> str | None:
        parts = urlsplit(url)
        host = parts.netloc
        if host not in self._robots:
            self._robots[host] = self._load_robots(f"{parts.scheme}://{host}/robots.txt")
        rules = self._robots[host]
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(url, self.settings.user_agent):
            return "robots.txt disallows this URL"
        return None

    def _load_robots(self, robots_url: str) -> Protego | str:
        response = self._fetch(robots_url, "robots", None, None, conditional=False, keep=False)
        status = response.fetch.status
        if response.ok:
            return Protego.parse(response.data.decode("utf-8", errors="replace"))
        if status is not None and 400 <= status < 500:
            return Protego.parse("")  # no robots.txt: everything is allowed (RFC 9309 2.3.1.3)
        # RFC 9309 2.3.1.4: an unreachable robots.txt means the site may not be crawled at all
        return f"robots.txt unreachable ({response.fetch.error}); the site is not crawled"

    def _interval(self, host: str) -> float:
        interval = 1.0 / self.settings.requests_per_second_per_host
        rules = self._robots.get(host)
        if isinstance(rules, Protego):
            delay = rules.crawl_delay(self.settings.user_agent)
            if delay:
                interval = max(interval, float(delay))
        return interval

    # ---------------------------------------------------------------------------------------- fetch

    def _fetch(
        self,
        url: str,
        purpose: str,
        form: dict[str, str] | None,
        referer: str | None,
        *,
        conditional: bool = True,
        keep: bool = True,
    ) -> Response:
        known = self.known.get(url) if conditional and form is None else None
        if known is not None and not self.store.has(known.sha256):
            known = None  # the stored copy is gone: a 304 would leave us without the bytes
        now = datetime.now(timezone.utc)
        if known is not None and purpose in CACHEABLE_PURPOSES and not due_for_recheck(known, self.settings.recheck_after_days, now):
            fetch = self._record(
                url, purpose, "fresh", sha256=known.sha256, etag=known.etag, last_modified=known.last_modified, fetched_at=now,
            )
            return Response(fetch, self.store.get(known.sha256))
        headers = {}
        if referer:
            headers["Referer"] = referer
        if known is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified

        timing = {"started": time.monotonic(), "fetched_at": now}
        try:
            status, resp_headers, data, final_url = self._request_with_retries(url, form, headers, purpose)
        except RedirectRefused as e:
            return Response(self._record(url, purpose, "refused", status=e.status, error=str(e), final_url=e.target,
                                         **timing), None)
        except TooLarge as e:
            return Response(self._record(url, purpose, "too_large", status=e.status, error=str(e), **timing), None)
        except GaveUp as e:
            return Response(self._record(url, purpose, "failed", status=e.status, error=str(e), **timing), None)

        etag = resp_headers.get("etag")
        last_modified = resp_headers.get("last-modified")
        content_type = resp_headers.get("content-type")
        timing["final_url"] = final_url
        if status == 304 and known is not None:
            fetch = self._record(
                url, purpose, "not_modified", status=304, sha256=known.sha256,
                etag=etag or known.etag, last_modified=last_modified or known.last_modified, **timing,
            )
            return Response(fetch, self.store.get(known.sha256), content_type)
        if status != 200:
            return Response(self._record(url, purpose, "failed", status=status, error=f"HTTP {status}", **timing), None)
        sha256 = self.store.put(data) if keep else None
        fetch = self._record(
            url, purpose, "downloaded", status=200, nbytes=len(data), sha256=sha256,
            etag=etag, last_modified=last_modified, **timing,
        )
        return Response(fetch, data, content_type)

    def _request_with_retries(
        self, url: str, form: dict[str, str] | None, headers: dict[str, str], purpose: str
    ) -> tuple[int, httpx.Headers, bytes, str]:
        """The final answer and its URL, after retrying timeouts, connection errors, 429 and 5xx with
        backoff; raises GaveUp when every attempt failed (or the portal's time is up), TooLarge as soon as
        the body passes the cap, RedirectRefused for a redirect the crawl may not follow."""
        attempts = self.settings.retries + 1
        failure, status, retry_after = "", None, None
        for attempt in range(attempts):
            if attempt:
                delay = self._backoff(attempt, retry_after)
                if time.monotonic() + delay >= self.deadline:
                    failure += "; no retry: the portal's crawl time limit would pass"
                    break
                time.sleep(delay)
            try:
                status, resp_headers, data, final_url = self._follow(url, form, headers, purpose)
            except httpx.TimeoutException as e:
                status, retry_after = None, None
                if time.monotonic() >= _request_deadline.at:  # a trickle: it would trickle again
                    limit = self.settings.request_time_limit_seconds
                    failure = (f"cut at the whole-request time limit of {limit:g} s" if time.monotonic() < self.deadline
                               else "cut at the portal's crawl time limit")
                    break
                failure = f"timeout ({type(e).__name__})"
                continue
            except (httpx.HTTPError, httpx.InvalidURL) as e:  # connection, protocol, redirect loops, bad gzip
                failure, status, retry_after = f"connection error ({type(e).__name__}: {e})", None, None
                continue
            if status not in RETRY_STATUSES:
                return status, resp_headers, data, final_url
            failure, retry_after = f"HTTP {status}", resp_headers.get("retry-after")
        raise GaveUp(status, failure + (f" after {attempt + 1} attempts" if attempt else ""))

    def _follow(
        self, url: str, form: dict[str, str] | None, headers: dict[str, str], purpose: str
    ) -> tuple[int, httpx.Headers, bytes, str]:
        """One attempt: the request and the redirects it leads to, each hop under the limit of its own host
        and, but for robots.txt's own redirects, under that host's robots.txt and the allowed hosts."""
        current = url
        for hop in range(self.settings.max_redirects + 1):
            if hop:
                self._check_redirect(current, status, purpose)
            host = urlsplit(current).netloc
            with host_limit(host, self._interval(host), self.settings.concurrency_per_host).slot():
                status, resp_headers, data = self._request(current, form, headers)
            location = resp_headers.get("location")
            if status not in REDIRECT_STATUSES or not location:
                return status, resp_headers, data, current
            current = urljoin(current, location).split("#")[0]
            if status == 303 or (status in (301, 302) and form is not None):
                form = None  # what browsers do: the redirected request is a GET
            headers = {k: v for k, v in headers.items() if k.lower() not in ("if-none-match", "if-modified-since")}
        raise GaveUp(status, f"more than {self.settings.max_redirects} redirects (last to {current})")

    def _check_redirect(self, target: str, status: int, purpose: str) -> None:
        if self.allowed_domains and not host_allowed(target, self.allowed_domains):
            raise RedirectRefused(
                status, target,
                f"redirected to {target}, whose host is not allowed for this portal "
                f"(allowed: {', '.join(self.allowed_domains)}; add it to the portal's allowed_hosts)",
            )
        if purpose != "robots":
            refusal = self._robots_refusal(target)
            if refusal:
                raise RedirectRefused(status, target, f"redirected to {target}: {refusal}")

    def _request(self, url: str, form: dict[str, str] | None, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        cap = self.settings.max_document_bytes
        method = "POST" if form is not None else "GET"
        _request_deadline.at = min(time.monotonic() + self.settings.request_time_limit_seconds, self.deadline)
        with self._client.stream(method, url, data=form, headers=headers) as resp:
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > cap:
                raise TooLarge(resp.status_code, f"Content-Length {declared} exceeds the cap of {cap} bytes")
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > cap:
                    raise TooLarge(resp.status_code, f"more than the cap of {cap} bytes")
                chunks.append(chunk)
            return resp.status_code, resp.headers, b"".join(chunks)

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        delay = self.settings.backoff_seconds * 2 ** (attempt - 1)
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after), MAX_RETRY_AFTER_SECONDS))
        return delay

    def _record(
        self,
        url: str,
        purpose: str,
        outcome: str,
        *,
        status: int | None = None,
        nbytes: int = 0,
        sha256: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
        started: float | None = None,
        fetched_at: datetime | None = None,
        final_url: str | None = None,
    ) -> Fetch:
        fetch = Fetch(
            run_id=self.run_id,
            portal_id=self.portal_id,
            url=url,
            final_url=final_url or url,
            purpose=purpose,
            outcome=outcome,
            status=status,
            bytes=nbytes,
            etag=etag,
            last_modified=last_modified,
            sha256=sha256,
            error=error,
            fetched_at=fetched_at or datetime.now(timezone.utc),
            elapsed_ms=(time.monotonic() - started) * 1000 if started is not None else 0.0,
        )
        self.fetches.append(fetch)
        return fetch
