"""`kind: http` sources: a polite, robust, incremental crawler of government portals.

From a source's `urls` (always read as pages) it visits pages (links matching `follow`, to
`max_depth` hops and at most `max_pages`) and downloads documents (links matching `documents`,
or with a document extension, unless an .htm/.html link matches `follow`), only on
`allowed_hosts`. A page whose bytes turn out to be a document (PDF, DOC/XLS, DOCX/XLSX) is
stored as a document. Every request waits `delay` seconds after the previous answer from its
host, is retried with exponential backoff on connection errors, 429 and 5xx (honouring
Retry-After), and conditional (ETag / Last-Modified) when the URL was fetched before. Bodies
stream with a size limit; the real type is sniffed from the bytes. Every URL ends as one logged
attempt: new, changed, unchanged or failed with a reason; nothing stored earlier is ever touched.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

import requests

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.formats import EXTENSION_FORMATS, decode_html, sniff_format
from orchestration.sources import DOCUMENT_EXTENSIONS, Source

USER_AGENT = (
    "Yusuan/0.1 (archive of published budget disclosures; nightly, one request per host per second)"
)
CONNECT_TIMEOUT = 10
MAX_RETRY_AFTER = 300  # seconds; a server asking for longer is tried again next run
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
PAGE_EXTENSIONS = (".htm", ".html")
DOCUMENT_BYTES = ("pdf", "ole2", "zip")  # never a page, whatever the link looked like


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


class _Anchors(HTMLParser):
    """Links of a page with their text, and its <base href>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.anchors: list[list[str]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "base" and attrs.get("href") and self.base is None:
            self.base = attrs["href"]
        elif tag == "a" and attrs.get("href"):
            self._open = [attrs["href"], "", attrs.get("title") or ""]
            self.anchors.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def page_links(html: str, page_url: str) -> list[tuple[str, str]]:
    """(absolute URL without fragment, link text) for each link, honouring <base href>."""
    parser = _Anchors()
    parser.feed(html)
    base = urljoin(page_url, parser.base) if parser.base else page_url
    links = []
    for href, text, title in parser.anchors:
        text = title.strip() or text  # portals put the full title in title="…" when truncating
        href = href.strip()
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")):
            continue
        url = urldefrag(urljoin(base, href)).url
        if urlparse(url).scheme in ("http", "https"):
            links.append((url, " ".join(text.split())))
    return links


def has_document_extension(url: str, extensions: tuple[str, ...] = DOCUMENT_EXTENSIONS) -> bool:
    return urlparse(url).path.lower().endswith(extensions)


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


class Crawler:
    """Crawl one source once. `run()` returns every attempt, in the order made."""

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

    def run(self) -> list[FetchAttempt]:
        queue = deque(self.start_links())
        seen = {link.url for link in queue}
        attempts: list[FetchAttempt] = []
        pages = 0
        while queue:
            link = queue.popleft()
            if link.kind == "page":
                if pages >= self.source.max_pages:
                    continue
                pages += 1
            attempt, data = self.fetch(link)
            attempts.append(attempt)
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
        return attempts

    # -- one URL -----------------------------------------------------------------------------
    def fetch(self, link: Link) -> tuple[FetchAttempt, bytes | None]:
        attempt = FetchAttempt(
            url=link.url,
            source_name=self.source.name,
            status="failed",
            kind=link.kind,
            title=link.title,
            found_on=link.found_on,
        )
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
        problem = self.refused(attempt.kind, link.url, attempt.sniffed_format)
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

    def refused(self, kind: str, url: str, sniffed: str) -> str | None:
        """Why bytes fetched as a page or a document cannot be kept as one, if they cannot."""
        if kind == "page":
            return None if sniffed in ("html", "txt") else f"not a page: the bytes are {sniffed}"
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
            host = urlparse(url).netloc
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
                if wait is not None and wait > MAX_RETRY_AFTER:
                    raise FetchError(
                        f"HTTP {code}: Retry-After {wait:.0f} s is too long", code, attempt + 1
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
        try:
            return self.session.get(
                url,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=(CONNECT_TIMEOUT, self.source.timeout),
            )
        finally:
            self.next_request_at[host] = time.monotonic() + self.source.delay

    def read_body(self, response: requests.Response) -> bytes:
        """The body, streamed; refused past `max_bytes`; checked against Content-Length."""
        limit = self.source.max_bytes
        declared = response.headers.get("Content-Length")
        declared = int(declared) if declared and declared.isdigit() else None
        if declared is not None and declared > limit:
            response.close()
            raise FetchError(f"too large: {declared} bytes (limit {limit})", response.status_code)
        chunks, size = [], 0
        response.raw.enforce_content_length = False  # count the bytes ourselves, below
        try:
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"too large: over {limit} bytes", response.status_code)
                chunks.append(chunk)
        except requests.exceptions.ChunkedEncodingError:
            raise FetchError(
                f"truncated body: got {size} of {declared or '?'} bytes", response.status_code
            ) from None
        except requests.ConnectionError:
            if declared is not None and size < declared:
                raise FetchError(
                    f"truncated body: got {size} of {declared} bytes", response.status_code
                ) from None
            raise FetchError("timeout while reading the body", response.status_code) from None
        finally:
            response.close()
        if declared is not None and size < declared:
            raise FetchError(
                f"truncated body: got {size} of {declared} bytes", response.status_code
            )
        return b"".join(chunks)


def fetch_http(source: Source, landing: Landing) -> list[FetchAttempt]:
    return Crawler(source, landing).run()
