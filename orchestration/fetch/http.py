"""`kind: http` sources: start from listing pages, follow matching links, download documents."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

import requests

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.sources import DOCUMENT_EXTENSIONS, Source

USER_AGENT = "Yusuan/0.1 (budget disclosure archive; polite nightly crawler)"
TIMEOUT = (10, 60)  # connect, read seconds
MAX_BYTES = 200 * 1024 * 1024


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.base: str | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "base" and attrs.get("href"):
            self.base = attrs["href"]
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def page_links(html: str, page_url: str) -> list[str]:
    """Absolute links of a page, honouring <base href>, without fragments."""
    parser = _Links()
    parser.feed(html)
    base = urljoin(page_url, parser.base) if parser.base else page_url
    links = []
    for href in parser.links:
        if href.startswith(("javascript:", "mailto:", "#")):
            continue
        links.append(urldefrag(urljoin(base, href.strip())).url)
    return links


def is_document(url: str) -> bool:
    return urlparse(url).path.lower().endswith(DOCUMENT_EXTENSIONS)


def fetch_http(source: Source, landing: Landing) -> list[FetchAttempt]:
    """Breadth-first from `urls`: links matching `follow` are pages to visit (to `max_depth`),
    other links with a document extension are documents to download. One failed URL never
    stops the others."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    follow = re.compile(source.follow) if source.follow else None
    allowed = set(source.extra.get("allowed_hosts") or (urlparse(u).netloc for u in source.urls))
    start_pages = [u for u in source.urls if not is_document(u) or u.endswith((".htm", ".html"))]
    queue = deque((url, 0, url in start_pages) for url in source.urls)
    seen: set[str] = set(source.urls)
    attempts: list[FetchAttempt] = []
    while queue:
        url, depth, is_page = queue.popleft()
        try:
            response = session.get(url, timeout=TIMEOUT)
            response.raise_for_status()
        except requests.RequestException as exc:
            attempts.append(
                FetchAttempt(url=url, source_name=source.name, status="failed", error=_reason(exc))
            )
            continue
        if is_page:
            if "charset" not in response.headers.get("Content-Type", "").lower():
                response.encoding = response.apparent_encoding
            for link in page_links(response.text, response.url):
                if link in seen:
                    continue
                if urlparse(link).netloc not in allowed:
                    if is_document(link):  # recorded, never requested
                        seen.add(link)
                        attempts.append(
                            FetchAttempt(
                                url=link,
                                source_name=source.name,
                                status="failed",
                                error=f"host not allowed: {urlparse(link).netloc}",
                            )
                        )
                    continue
                if follow and follow.search(link) and depth < source.max_depth:
                    seen.add(link)
                    queue.append((link, depth + 1, True))
                elif is_document(link):
                    seen.add(link)
                    queue.append((link, depth + 1, False))
            continue
        data = response.content
        if len(data) > MAX_BYTES:
            attempts.append(
                FetchAttempt(
                    url=url,
                    source_name=source.name,
                    status="failed",
                    error=f"too large: {len(data)} bytes",
                )
            )
            continue
        sha256, new = landing.store(data)
        attempts.append(
            FetchAttempt(
                url=url,
                source_name=source.name,
                status="new" if new else "unchanged",
                sha256=sha256,
                bytes=len(data),
                content_type=response.headers.get("Content-Type"),
            )
        )
    return attempts


def _reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code}"
    if isinstance(exc, requests.Timeout):
        return "timeout"
    if isinstance(exc, requests.ConnectionError):
        return "connection error"
    return f"{type(exc).__name__}: {exc}"
