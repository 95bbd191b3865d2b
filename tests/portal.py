"""A fake county portal served over real HTTP on 127.0.0.1 (an ephemeral port).

Three GBK listing pages (charset in a <meta> tag, in the header, and nowhere), detail pages,
attachments in several formats, and the faults real portals have: 404s, a 500 that succeeds on
retry, a 429 with Retry-After, a response slower than the timeout, a body shorter than its
Content-Length, a redirect, an off-host link, an oversized file, the same file at two URLs, an
HTML error page served for a PDF link. Files carry an ETag and honour If-None-Match.

Hostile answers under /hostile/: a gzip body that is garbage, a redirect to a file: URL on the
portal's own host, a redirect to a URL carrying a user name and password, headers or a body
trickling in a byte at a time, a Retry-After of an hour, and a well-formed gzip body.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLE = (
    Path(__file__).resolve().parent.parent
    / "sample"
    / "hebei"
    / "nangong_party_committee_2021_department_budget.txt"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
XLSX = b"PK\x03\x04" + b"\x00" * 26 + b"[Content_Types].xml fake workbook"
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + b"fake word document"
OVERSIZED = 300 * 1024  # bytes; the tests' sources set max_bytes below this
SLOW_SECONDS = 1.5  # longer than the tests' read timeout
TRICKLE = (0.05, 400)  # seconds between bytes, bytes declared: 20 s in all


def _listing(page: int, charset_in_meta: bool) -> str:
    meta = (
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        if (charset_in_meta)
        else ""
    )
    rows = {
        0: ['<a href="../detail/1.html">南宫市委部门2021年部门预算信息公开</a>'],
        1: ['<a href="/detail/2.html" title="南宫市财政局2021年部门预算">财政局…</a>'],
        2: [
            '<a href="http://127.0.0.2:9/detail/9.html">外站链接</a>',
            '<a href="/detail/3.html">南宫市信访局2021年部门预算（附件）</a>',
        ],
    }[page]
    pager = f'<a href="index_{page + 1}.html">下一页</a>' if page < 2 else "末页"
    return (
        f"<html><head>{meta}<title>预决算公开 第{page + 1}页</title></head><body>"
        f"<h1>财政预决算公开</h1><ul><li>{'</li><li>'.join(rows)}</li></ul>{pager}"
        "</body></html>"
    )


class Portal:
    """Start with `with Portal() as portal:`; `portal.url` is its base URL.

    `portal.log` lists (path, status, seconds since start) for every request answered, timed
    when the request arrived (before any work), in the order answered.
    `portal.replace(path, data)` re-publishes a file under the same address.
    """

    def __init__(self):
        base = '<html><head><base href="/files/"></head><body>{}</body></html>'
        self.files: dict[str, tuple[str, bytes]] = {
            "/files/budget.txt": ("text/plain; charset=utf-8", SAMPLE.read_bytes()),
            "/files/report.pdf": ("application/pdf", PDF),
            "/files/copy-of-report.pdf": ("application/pdf", PDF),
            "/files/table.xlsx": ("application/octet-stream", XLSX),
            "/files/old.doc": ("application/msword", DOC),
            "/files/final.pdf": ("application/pdf", PDF + b"% final version\n"),
            "/files/flaky.pdf": ("application/pdf", PDF + b"% flaky\n"),
            "/files/busy.pdf": ("application/pdf", PDF + b"% busy\n"),
            "/files/huge.pdf": ("application/pdf", PDF + b"0" * OVERSIZED),
            "/files/fake.pdf": ("text/html", "<html><body>系统维护中</body></html>".encode()),
        }
        self.pages: dict[str, tuple[str, bytes]] = {
            "/list/index.html": ("text/html", _listing(0, True).encode("gbk")),
            "/list/index_1.html": ("text/html; charset=GBK", _listing(1, False).encode("gbk")),
            "/list/index_2.html": ("text/html", _listing(2, False).encode("gbk")),
            "/detail/1.html": (
                "text/html; charset=utf-8",
                base.format('<a href="budget.txt">附件：部门预算.txt</a>').encode(),
            ),
            "/detail/2.html": (
                "text/html; charset=utf-8",
                base.format(
                    '<a href="report.pdf">预算报告</a><a href="table.xlsx">预算表</a>'
                    '<a href="old.doc">说明</a><a href="copy-of-report.pdf">预算报告（副本）</a>'
                ).encode(),
            ),
            "/detail/3.html": (
                "text/html; charset=utf-8",
                base.format(
                    '<a href="missing.pdf">缺失</a><a href="flaky.pdf">偶发错误</a>'
                    '<a href="busy.pdf">限流</a><a href="slow.pdf">超时</a>'
                    '<a href="short.pdf">截断</a><a href="moved.pdf">已迁移</a>'
                    '<a href="http://127.0.0.2:9/files/elsewhere.pdf">外站附件</a>'
                    '<a href="huge.pdf">超大</a><a href="fake.pdf">假PDF</a>'
                ).encode(),
            ),
        }
        self.pages["/hostile/index.html"] = (
            "text/html",
            b'<a href="/files/report.pdf">good</a><a href="gzip.pdf">gzip</a>'
            b'<a href="http://[::1/broken.pdf">malformed</a><a href="to-file.pdf">file:</a>'
            b'<a href="/files/short.pdf">short</a><a href="userinfo.pdf">userinfo</a>',
        )
        self.hooks: dict[str, object] = {}  # path: called when a request for it arrives
        self.log: list[tuple[str, int, float]] = []
        self.failures_left = {"/files/flaky.pdf": 1, "/files/busy.pdf": 1}
        self.started = time.monotonic()
        self.lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # answer at once, not after a delayed ACK

            def do_GET(self):  # noqa: N802 (http.server API)
                self.arrived = time.monotonic() - portal.started
                portal.answer(self)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # clients that time out or hang up are part of the tests

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def write_sources(self, path: Path, start: str = "/list/index.html", **options) -> Path:
        """A sources file crawling this portal from `start` (fast settings for tests; `options`
        override them, None leaves a key out)."""
        settings = {
            "follow": '"/(list|detail)/"',
            "max_depth": 3,
            "delay": 0,
            "timeout": 0.5,
            "retries": 2,
            "backoff": 0.05,
            "max_bytes": 200_000,
            **options,
        }
        lines = "".join(
            f"    {key}: {value}\n" for key, value in settings.items() if value is not None
        )
        head = (
            "sources:\n  - name: portal\n    kind: http\n    province: 河北省\n"
            "    prefecture: 邢台市\n    county: 南宫市\n"
        )
        urls = f'    urls: ["{self.url}{start}"]\n'
        path.write_text(head + urls + lines, encoding="utf-8")
        return path

    def replace(self, path: str, data: bytes) -> None:
        with self.lock:
            self.files[path] = (self.files[path][0], data)

    def requests_for(self, path: str) -> list[int]:
        return [status for p, status, _ in self.log if p == path]

    def _send(
        self,
        handler,
        status: int,
        content_type: str,
        body: bytes,
        headers: dict | None = None,
        declared: int | None = None,
    ) -> None:
        with self.lock:
            self.log.append((handler.path, status, handler.arrived))
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body) if declared is None else declared))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()

    def answer(self, handler) -> None:
        path = handler.path
        if path in self.hooks:
            self.hooks[path]()
        if path.startswith("/hostile/") and path != "/hostile/index.html":
            return self.hostile(handler, path)
        with self.lock:
            left = self.failures_left.get(path, 0)
            if left:
                self.failures_left[path] = left - 1
        if left and path == "/files/flaky.pdf":
            return self._send(handler, 500, "text/plain", b"internal error")
        if left and path == "/files/busy.pdf":
            return self._send(handler, 429, "text/plain", b"slow down", {"Retry-After": "1"})
        if path == "/files/slow.pdf":
            time.sleep(SLOW_SECONDS)
            return self._send(handler, 200, "application/pdf", PDF)
        if path == "/files/short.pdf":
            self._send(handler, 200, "application/pdf", PDF[:20], declared=len(PDF))
            handler.close_connection = True
            return None
        if path == "/files/moved.pdf":
            return self._send(handler, 302, "text/plain", b"", {"Location": "/files/final.pdf"})
        entry = self.files.get(path) or self.pages.get(path)
        if entry is None:
            return self._send(handler, 404, "text/html", b"<html>404 Not Found</html>")
        content_type, body = entry
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if handler.headers.get("If-None-Match") == etag:
            return self._send(handler, 304, content_type, b"", {"ETag": etag})
        return self._send(handler, 200, content_type, body, {"ETag": etag})

    def hostile(self, handler, path: str) -> None:
        if path == "/hostile/gzip.pdf":
            headers = {"Content-Encoding": "gzip"}
            return self._send(handler, 200, "application/pdf", b"not gzip at all" * 10, headers)
        if path == "/hostile/to-file.pdf":
            location = f"file://127.0.0.1:{self.server.server_address[1]}/etc/passwd"
            return self._send(handler, 302, "text/plain", b"", {"Location": location})
        if path == "/hostile/userinfo.pdf":  # a password in the redirect: never sent nor logged
            location = f"http://user:secret@127.0.0.1:{self.server.server_address[1]}/files/a.pdf"
            return self._send(handler, 302, "text/plain", b"", {"Location": location})
        if path == "/hostile/retry-later.pdf":
            return self._send(handler, 503, "text/plain", b"busy", {"Retry-After": "3600"})
        if path == "/hostile/gzipped.pdf":
            headers = {"Content-Encoding": "gzip"}
            return self._send(handler, 200, "application/pdf", gzip.compress(PDF), headers)
        if path == "/hostile/trickle.pdf":
            pause, size = TRICKLE
            self._send(handler, 200, "application/pdf", b"", declared=size)
            return self._trickle(handler, (PDF * (size // len(PDF) + 1))[:size])
        if path == "/hostile/trickle-headers.pdf":
            with self.lock:
                self.log.append((handler.path, 200, handler.arrived))
            head = "HTTP/1.1 200 OK\r\n" + "".join(f"X-Pad-{i}: {i}\r\n" for i in range(90))
            return self._trickle(handler, head.encode())
        return self._send(handler, 404, "text/html", b"<html>404 Not Found</html>")

    def _trickle(self, handler, data: bytes) -> None:
        """Send `data` a byte at a time, TRICKLE[0] seconds apart, until the client hangs up."""
        try:
            for byte in data:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(TRICKLE[0])
        except OSError:
            pass
        handler.close_connection = True

    def __enter__(self) -> Portal:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
