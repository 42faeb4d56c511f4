"""The preview's HTTP server: the role's pages, the files the preview built, and reload events.

It listens on 127.0.0.1 only and answers only to `127.0.0.1:PORT` and `localhost:PORT` (a page
elsewhere cannot reach it by rebinding a DNS name). Every URL is looked up in a table of what the
preview built; nothing is ever joined onto a folder path, and paths that try (`..`, backslashes,
`//`, NUL) are refused before the lookup.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from pipeline.preview import pages
from pipeline.preview.builder import Builder, Snapshot

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
         ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
         ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf", ".pdf": "application/pdf",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
HEARTBEAT_SECONDS = 15.0


def refused(path: str) -> bool:
    """A request path that tries to leave the table: traversal, encoded or not, backslashes, empty
    segments (`//etc/passwd`), NUL, or a target that is not a path at all."""
    if not path.startswith("/"):
        return True
    decoded = unquote(path)
    return ("\\" in decoded or "\x00" in decoded or "//" in decoded
            or any(part in {".", ".."} for part in decoded.split("/")) or unquote(decoded) != decoded)


MAX_CONNECTIONS = 32
"""Connections served at once: each has a thread, and a browser holds a few per tab (the page, its
assets, the reload events). One more is told to retry (503) rather than given a thread."""
IDLE_SECONDS = 30.0
"""How long a connection may say nothing (a request never finished, a reader that stopped reading)."""
BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
        b"Connection: close\r\n\r\n")


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a PDF being built must not hold up Ctrl-C; event streams end by themselves
    # Connections the kernel completes before they are accepted. socketserver's 5 drops a burst's
    # sixth connection, which then waits out TCP's retransmission (1 s, then 3 s, …): 52 connections
    # opened at once took 7.1 s to connect.
    request_queue_size = 2 * MAX_CONNECTIONS

    def __init__(self, port: int, builder: Builder) -> None:
        self.builder = builder
        self.stopping = threading.Event()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(("127.0.0.1", port), Handler)

    def process_request(self, request, client_address) -> None:
        """A thread for the connection while there is a slot; else a 503, at once, and no thread."""
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(BUSY)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def hosts(self) -> frozenset[str]:
        return frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})

    def handle_error(self, request: object, client_address: object) -> None:
        """A request cut short by the stop (its render workers killed, its folder removed, its
        socket closed under it) is how stopping works, and a browser that leaves while a document
        is still being sent (a tab closed during a PDF's download) is how browsing works: neither
        is an error to print. Any other error is printed with its traceback, as socketserver does."""
        if not self.stopping.is_set() and not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    timeout = IDLE_SECONDS  # the socket's: a silent connection ends instead of holding its thread
    server_version = "rolepack-preview"
    sys_version = ""
    _policy = pages.ASSET_POLICY

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows rebuilds, not every request."""

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", self._policy)
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _serve(self, *, body: bool) -> None:
        if self.headers.get("Host", "").lower() not in self.server.hosts():
            return self._text(HTTPStatus.BAD_REQUEST, "This preview answers only to "
                              + " and ".join(sorted(self.server.hosts())) + ".\n", body)
        if refused(self.path):
            return self._text(HTTPStatus.BAD_REQUEST, "This path is not allowed.\n", body)
        target = urlsplit(self.path)
        path = unquote(target.path)
        builder = self.server.builder
        generation = builder.generation  # before the snapshot: a page is never older than its number
        snapshot = builder.current
        top = pages.bar(builder.role, builder.brand, tuple(snapshot.downloads))
        if path == "/events":
            return self._events(target.query)
        if path == "/preview.css":
            return self._send(HTTPStatus.OK, TYPES[".css"], pages.STYLESHEET.encode("utf-8"), body)
        if path in ("/", "/packet") and snapshot.problems:
            return self._page(HTTPStatus.OK, pages.problems_page(snapshot.heading, snapshot.problems,
                                                                 generation=generation, top=top), body)
        if path.startswith("/files/"):
            return self._file(path.removeprefix("/files/"), snapshot, generation, top, body)
        file = snapshot.routes.get(path) or builder.fonts.get(path)
        if file is None:
            return self._not_found(path, generation, top, body)
        try:
            data = file.read_bytes()
        except OSError:
            return self._not_found(path, generation, top, body)
        if file.suffix == ".html":
            return self._page(HTTPStatus.OK, pages.decorate(data.decode("utf-8"), generation=generation, top=top), body)
        return self._send(HTTPStatus.OK, TYPES.get(file.suffix, "application/octet-stream"), data, body)

    def _file(self, name: str, snapshot: Snapshot, generation: int, top: str, body: bool) -> None:
        if name not in snapshot.downloads:
            return self._not_found("/files/" + name, generation, top, body)
        files, problems = self.server.builder.files(snapshot)
        if problems:
            return self._page(HTTPStatus.CONFLICT, pages.problems_page(
                snapshot.heading or "The files could not be built", problems, generation=generation, top=top), body)
        try:
            data = files[name].read_bytes()
        except OSError:
            return self._not_found("/files/" + name, generation, top, body)
        disposition = "inline" if name.endswith(".pdf") else "attachment"
        self._send(HTTPStatus.OK, TYPES.get(Path(name).suffix, "application/octet-stream"), data, body,
                   {"Content-Disposition": f'{disposition}; filename="{name}"'})

    def _not_found(self, path: str, generation: int, top: str, body: bool) -> None:
        page = pages.problems_page("Not part of this preview", (f"{path}: the preview serves the job page (/), "
                                   "the printed documents (/packet) and the role's files (/files/…) only",),
                                   generation=generation, top=top)
        self._page(HTTPStatus.NOT_FOUND, page, body)

    def _page(self, status: HTTPStatus, page: str, body: bool) -> None:
        self._policy = pages.page_policy(page)
        self._send(status, TYPES[".html"], page.encode("utf-8"), body)

    def _text(self, status: HTTPStatus, text: str, body: bool) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode("utf-8"), body)

    def _send(self, status: HTTPStatus, content_type: str, data: bytes, body: bool,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, query: str) -> None:
        """Server-sent events: `reload` whenever the preview holds a newer rebuild than the page's."""
        try:
            since = int(parse_qs(query).get("since", ["0"])[0])
        except ValueError:
            since = 0
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        builder, quiet = self.server.builder, 0.0
        if since > builder.generation:  # a page from an earlier run of the preview: reload it now
            since = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not self.server.stopping.is_set() and not builder.closed:
                current = builder.wait_newer(since, timeout=0.5)
                if current > since:
                    since, quiet = current, 0.0
                    self.wfile.write(b"data: reload\n\n")
                elif (quiet := quiet + 0.5) >= HEARTBEAT_SECONDS:  # finds browsers that left
                    quiet = 0.0
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return
