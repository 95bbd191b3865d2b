"""`kind: http` sources: a polite, robust, incremental crawler of government portals.

From a source's `urls` (always read as pages) it visits pages (links matching `follow`, to
`max_depth` hops and at most `max_pages`, each page past them a failed attempt saying so) and
downloads documents (links matching `documents`, or with a document extension, unless an
.htm/.html link matches `follow`; at most `max_documents`, the rest deferred to the next run),
only on `allowed_hosts`. A page whose
bytes turn out to be a document (PDF, DOC/XLS, DOCX/XLSX) is stored as a document. Every
request waits `delay` seconds after the previous answer from its host, is retried with
exponential backoff on connection errors, 429 and 5xx (honouring Retry-After up to
`max_retry_after`), and conditional (ETag / Last-Modified) when the URL was fetched before.
Each URL has `deadline` seconds from its first request to the end of its body (a watchdog
shuts its connection down, however steadily a server trickles); bodies stream with a size
limit; a body shorter than its Content-Length is refused; the real type is sniffed from the
bytes; a page over `PAGE_LIMIT` is refused, its links unread. Every URL ends as one attempt,
yielded as it ends: new, changed, unchanged or failed with a reason (an unexpected error fails
its URL alone); nothing stored earlier is touched.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urljoin, urlparse

import lxml.etree
import lxml.html
import requests
import urllib3

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.formats import EXTENSION_FORMATS, MB, decode_html, over_limit, sniff_format
from orchestration.sources import DOCUMENT_EXTENSIONS, Source

USER_AGENT = (
    "Yusuan/0.1 (archive of published budget disclosures; nightly, one request per host per second)"
)
CONNECT_TIMEOUT = 10
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
PAGE_EXTENSIONS = (".htm", ".html")
DOCUMENT_BYTES = ("pdf", "ole2", "zip")  # never a page, whatever the link looked like
PAGE_LIMIT = 10 * MB  # bytes of a page whose links are read
DEFERRED = "deferred:"  # how a document left for the next run (over max_documents) begins
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


class FetchError(Exception):
    """A URL that could not be fetched; the message is the reason recorded in the log."""

    def __init__(self, reason: str, http_status: int | None = None, tries: int = 1):
        super().__init__(reason)
        self.http_status = http_status
        self.tries = tries


@dataclass(frozen=True)
class Link:
    url: str
    kind: str  # page | document
    depth: int
    title: str | None = None
    found_on: str | None = None


def page_links(html: str, page_url: str) -> list[tuple[str, str]]:
    """(absolute URL without fragment, link text) for each link, honouring <base href>. Parsed
    by lxml (libxml2), which reads a tag of millions of attributes in linear time and memory."""
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html))
    except (lxml.etree.ParserError, ValueError):
        return []  # no elements (a blank page)
    bases = [href for href in root.xpath("//base/@href") if href]
    base = _join(page_url, bases[0]) if bases else page_url
    links = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")):
            continue
        # portals put the full title in title="…" when truncating the text
        text = (anchor.get("title") or "").strip() or anchor.text_content()
        url = _join(base, href)
        if url.split(":", 1)[0].lower() in ("http", "https"):
            links.append((url, " ".join(text.split())))
    return links


def _join(base: str, href: str) -> str:
    """`href` made absolute against `base`, without fragment; a malformed link (such as
    "http://[::1") is kept as written, to fail as its own URL when fetched."""
    try:
        return urldefrag(urljoin(base, href)).url
    except ValueError:
        return href


def has_document_extension(url: str, extensions: tuple[str, ...] = DOCUMENT_EXTENSIONS) -> bool:
    try:
        path = urlparse(url).path
    except ValueError:  # malformed: judge by the text before any query
        path = url.split("?", 1)[0]
    return path.lower().endswith(extensions)


def _kind(link: Link, sniffed: str) -> str:
    """What a fetched link is: a page whose bytes are PDF, DOC/XLS, DOCX/XLSX (or text at a
    .txt link) is a document."""
    if link.kind == "page" and (
        sniffed in DOCUMENT_BYTES
        or (sniffed == "txt" and has_document_extension(link.url, (".txt",)))
    ):
        return "document"
    return link.kind


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
        return max(0.0, moment.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _http_date(value: str | None) -> str | None:
    """An HTTP date as ISO 8601 UTC, or None."""
    try:
        moment = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds")


class _Tracked:
    """A connection that tells its crawler it is the one in use (for the deadline watchdog)."""

    crawler: Crawler

    def request(self, *args, **kwargs):
        self.crawler.connection = self
        return super().request(*args, **kwargs)


class Crawler:
    """Crawl one source once. `run()` yields every attempt as it ends, in the order made."""

    def __init__(self, source: Source, landing: Landing, sleep=time.sleep):
        self.source = source
        self.landing = landing
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
        self.allowed = set(source.allowed_hosts or (urlparse(u).netloc for u in source.urls))
        self.follow = re.compile(source.follow) if source.follow else None
        self.documents = re.compile(source.documents) if source.documents else None
        self.previous = landing.latest_by_url(source.name)
        self.next_request_at: dict[str, float] = {}
        self.connection, self.expired, self.started = None, False, 0.0
        pools = {  # this session's connections report to this crawler when used
            "http": (urllib3.HTTPConnectionPool, urllib3.connection.HTTPConnection),
            "https": (urllib3.HTTPSConnectionPool, urllib3.connection.HTTPSConnection),
        }
        tracked = {}
        for scheme, (pool, connection) in pools.items():
            connection = type("Connection", (_Tracked, connection), {"crawler": self})
            tracked[scheme] = type("Pool", (pool,), {"ConnectionCls": connection})
        for adapter in self.session.adapters.values():
            adapter.poolmanager.pool_classes_by_scheme = tracked

    # -- discovery ---------------------------------------------------------------------------
    def classify(self, url: str) -> str | None:
        """document (matches `documents`, default: a document extension), page (matches
        `follow`) or None; an .htm/.html link matching both is a page."""
        followed = bool(self.follow and self.follow.search(url))
        named = self.documents.search(url) if self.documents else has_document_extension(url)
        if named and not (followed and has_document_extension(url, PAGE_EXTENSIONS)):
            return "document"
        return "page" if followed else None

    def start_links(self) -> list[Link]:
        links = [Link(u, "page", 0) for u in self.source.urls]  # a start URL's links are read
        starts = {link.url for link in links}
        for url, entry in self.previous.items():  # documents that failed last time: retry
            last = entry["last"]
            if last["status"] == "failed" and last.get("kind") == "document" and url not in starts:
                links.append(
                    Link(
                        url,
                        "document",
                        self.source.max_depth,
                        last.get("title"),
                        last.get("found_on"),
                    )
                )
        return links

    def run(self) -> Iterator[FetchAttempt]:
        """Every attempt, yielded as it ends, in the order made."""
        queue = deque(self.start_links())
        seen = {link.url for link in queue}
        pages = documents = 0
        while queue:
            link = queue.popleft()
            if link.kind == "page":
                if pages >= self.source.max_pages:
                    yield self.not_visited(link)
                    continue
                pages += 1
            elif documents >= self.source.max_documents:
                yield self.deferred(link)
                continue
            else:
                documents += 1
            try:
                attempt, data = self.fetch(link)
            except Exception as exc:  # this URL fails alone
                attempt, data = self.new_attempt(link), None
                attempt.error = f"{type(exc).__name__}: {exc}"
            yield attempt
            if attempt.kind != "page" or data is None:
                continue
            html, _ = decode_html(data, attempt.content_type)
            for url, text in page_links(html, attempt.final_url or link.url):
                if url in seen:
                    continue
                kind = self.classify(url)
                if kind is None or (kind == "page" and link.depth + 1 > self.source.max_depth):
                    continue
                seen.add(url)
                title = text or (link.title if kind == "document" else None)
                queue.append(Link(url, kind, link.depth + 1, title, link.url))

    def deferred(self, link: Link) -> FetchAttempt:
        """A document over `max_documents`: failed now, so the next run tries it first."""
        attempt = self.new_attempt(link)
        limit = self.source.max_documents
        attempt.error = f"{DEFERRED} max_documents ({limit}) reached; fetched next run"
        return attempt

    def not_visited(self, link: Link) -> FetchAttempt:
        """A page over `max_pages`: failed, so the fetch log and the run summary show it (the next
        run starts from the same pages: raise `max_pages` to reach it)."""
        attempt = self.new_attempt(link)
        limit = self.source.max_pages
        attempt.error = f"not visited: max_pages ({limit}) reached; raise max_pages to visit it"
        return attempt

    def new_attempt(self, link: Link) -> FetchAttempt:
        return FetchAttempt(
            url=link.url,
            source_name=self.source.name,
            status="failed",
            kind=link.kind,
            title=link.title,
            found_on=link.found_on,
        )

    # -- one URL -----------------------------------------------------------------------------
    def fetch(self, link: Link) -> tuple[FetchAttempt, bytes | None]:
        """Fetch one URL within `deadline` seconds."""
        self.expired, self.started = False, time.monotonic()
        watchdog = threading.Timer(self.source.deadline, self.expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            return self.fetch_once(link)
        finally:
            watchdog.cancel()

    def expire(self) -> None:
        """The deadline passed: shut the connection in use down, ending any read on it."""
        self.expired = True
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def deadline_error(self, status: int | None = None, tries: int = 1) -> FetchError:
        return FetchError(f"deadline exceeded after {self.source.deadline:g} s", status, tries)

    def fetch_once(self, link: Link) -> tuple[FetchAttempt, bytes | None]:
        attempt = self.new_attempt(link)
        before = self.previous.get(link.url, {}).get("ok")
        headers = {}
        if before and self.landing.has(before["sha256"]):
            if before.get("etag"):
                headers["If-None-Match"] = before["etag"]
            if before.get("last_modified"):
                headers["If-Modified-Since"] = before["last_modified"]
        try:
            response, final_url, tries = self.request(link.url, headers)
            attempt.tries, attempt.final_url = tries, final_url
            attempt.http_status = response.status_code
            attempt.content_type = response.headers.get("Content-Type")
            attempt.etag = response.headers.get("ETag")
            attempt.last_modified = response.headers.get("Last-Modified")
            attempt.modified_at = _http_date(attempt.last_modified)
            if response.status_code == 304 and before:
                response.close()
                attempt.status, attempt.sha256 = "unchanged", before["sha256"]
                attempt.bytes, attempt.sniffed_format = before["bytes"], before["sniffed_format"]
                attempt.etag = attempt.etag or before.get("etag")
                attempt.last_modified = attempt.last_modified or before.get("last_modified")
                attempt.modified_at = attempt.modified_at or before.get("modified_at")
                attempt.kind = _kind(link, attempt.sniffed_format)
                return attempt, self.landing.read(before["sha256"])
            data = self.read_body(response)
        except FetchError as exc:
            attempt.error, attempt.http_status = str(exc), exc.http_status or attempt.http_status
            attempt.tries = attempt.tries or exc.tries
            return attempt, None
        attempt.sniffed_format = sniff_format(data)
        attempt.kind = _kind(link, attempt.sniffed_format)
        problem = self.refused(attempt.kind, link.url, attempt.sniffed_format, len(data))
        if problem:
            attempt.error, attempt.bytes = problem, len(data)
            return attempt, None
        attempt.sha256, attempt.stored = self.landing.store(data)
        attempt.bytes = len(data)
        if before is None:
            attempt.status = "new"
        else:
            attempt.status = "unchanged" if before["sha256"] == attempt.sha256 else "changed"
        return attempt, data

    def refused(self, kind: str, url: str, sniffed: str, size: int = 0) -> str | None:
        """Why bytes fetched as a page or a document cannot be kept as one, if they cannot."""
        if kind == "page":
            if sniffed not in ("html", "txt"):
                return f"not a page: the bytes are {sniffed}"
            if size > PAGE_LIMIT:
                return over_limit("page", size, PAGE_LIMIT)
            return None
        if sniffed == "binary":
            return "not a document: unrecognised bytes"
        extension = "." + urlparse(url).path.rsplit(".", 1)[-1].lower()
        expected = EXTENSION_FORMATS.get(extension)
        if expected and sniffed not in expected:
            return f"not a document: {extension} link returned {sniffed}"
        return None

    def request(self, url: str, headers: dict) -> tuple[requests.Response, str, int]:
        """GET with manual redirects (each hop must stay on an allowed host)."""
        tries = 0
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlparse(url)
            if parts.scheme not in ("http", "https"):
                raise FetchError(f"not an http(s) URL: {url}", tries=tries)
            host = parts.netloc
            if "@" in host:  # never send, nor log, a password a page put in a link
                raise FetchError("credentials in the URL are not allowed", tries=tries)
            if host not in self.allowed:
                raise FetchError(f"host not allowed: {host}", tries=tries)
            response, used = self.send(url, headers)
            tries += used
            if response.is_redirect:
                location = response.headers.get("Location", "")
                response.close()
                url = urldefrag(urljoin(url, location)).url
                continue
            return response, url, tries
        raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})", tries=tries)

    def send(self, url: str, headers: dict) -> tuple[requests.Response, int]:
        """One GET, retried on connection errors, 429 and 5xx; returns (response, tries)."""
        retries = self.source.retries
        for attempt in range(retries + 1):
            try:
                response = self.get(url, headers)
            except requests.ReadTimeout:
                raise FetchError(
                    f"timeout: no answer within {self.source.timeout:g} s", tries=attempt + 1
                ) from None
            except requests.ConnectionError as exc:
                reason = f"connection error: {type(exc).__name__}"
                if attempt == retries:
                    raise FetchError(
                        f"{reason} (after {attempt + 1} tries)", tries=attempt + 1
                    ) from None
                self.sleep(self.source.backoff * 2**attempt)
                continue
            code = response.status_code
            if code == 429 or code >= 500:
                wait = _retry_after(response)
                response.close()
                if attempt == retries:
                    raise FetchError(f"HTTP {code} (after {attempt + 1} tries)", code, attempt + 1)
                limit = self.source.max_retry_after
                if wait is not None and wait > limit:
                    raise FetchError(
                        f"HTTP {code}: Retry-After {wait:.0f} s is over max_retry_after "
                        f"({limit:g} s); tried again next run",
                        code,
                        attempt + 1,
                    )
                self.sleep(wait if wait is not None else self.source.backoff * 2**attempt)
                continue
            if code >= 400:
                response.close()
                raise FetchError(f"HTTP {code}", code, attempt + 1)
            return response, attempt + 1
        raise AssertionError("unreachable")

    def get(self, url: str, headers: dict) -> requests.Response:
        """One GET, sent `delay` seconds or more after the previous answer from its host (or the
        previous request's failure): the host sees requests at least `delay` seconds apart."""
        host = urlparse(url).netloc
        wait = self.next_request_at.get(host, 0.0) - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        if self.expired:
            raise self.deadline_error()
        try:
            return self.session.get(
                url,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=(CONNECT_TIMEOUT, self.source.timeout),
            )
        except requests.RequestException:
            if self.expired:  # the watchdog shut the connection down
                raise self.deadline_error() from None
            raise
        finally:
            self.next_request_at[host] = time.monotonic() + self.source.delay

    def read_body(self, response: requests.Response) -> bytes:
        """The body, streamed; refused past `max_bytes` or the deadline, and when shorter than its
        Content-Length."""
        limit, deadline = self.source.max_bytes, self.source.deadline
        status = response.status_code
        declared = response.headers.get("Content-Length")
        declared = int(declared) if declared and declared.isdigit() else None
        if declared is not None and declared > limit:
            response.close()
            raise FetchError(f"too large: {declared} bytes (limit {limit})", status)
        raw = response.raw
        raw.enforce_content_length = False  # count the bytes ourselves, below
        chunks, size, broken = [], 0, False
        try:
            while chunk := raw.read1(CHUNK, decode_content=True):
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"too large: over {limit} bytes", status)
                if time.monotonic() - self.started > deadline:
                    raise self.deadline_error(status)
                chunks.append(chunk)
        except urllib3.exceptions.DecodeError:
            encoding = response.headers.get("Content-Encoding")
            reason = f"corrupt body: cannot decode Content-Encoding {encoding}"
            raise FetchError(reason, status) from None
        except urllib3.exceptions.ReadTimeoutError:
            raise FetchError("timeout while reading the body", status) from None
        except urllib3.exceptions.HTTPError:
            broken = True  # the connection broke before the end of the body
        finally:
            got = raw.tell()  # bytes as sent, before any Content-Encoding is undone
            response.close()
        if self.expired or time.monotonic() - self.started > deadline:
            raise self.deadline_error(status)
        if broken or (declared is not None and got < declared):
            raise FetchError(f"truncated body: got {got} of {declared or '?'} bytes", status)
        return b"".join(chunks)


def fetch_http(source: Source, landing: Landing) -> Iterator[FetchAttempt]:
    return Crawler(source, landing).run()
