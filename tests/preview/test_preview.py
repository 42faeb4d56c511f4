"""`rolepack preview`: a real server in a subprocess, a copy of the content and layouts, and the
system's Chromium (through Playwright) as the reader.

The tests share one server and run in file order: each edit is undone before the next test, and
the Ctrl-C test stops it (the SIGTERM test starts and stops its own).
"""

from __future__ import annotations

import http.client
import io
import os
import queue
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, REPO, rolepack

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium")

ROLE = "support-engineer"
RELOAD_MS = 20_000  # how long Playwright waits for a save, its rebuild and the page's reload
ROLE_FILE = Path("content/roles/support-engineer.yaml")


@dataclass
class Preview:
    process: subprocess.Popen
    url: str
    port: int
    folder: Path
    work: Path
    stderr: Path

    def edit(self, old: str, new: str) -> None:
        file = self.folder / ROLE_FILE
        text = file.read_text(encoding="utf-8")
        assert old in text
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    def get(self, path: str, host: str | None = None) -> http.client.HTTPResponse:
        """A raw request, the path sent exactly as written."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{self.port}" if host is None else host)
        connection.endheaders()
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        connection.close()
        return response


def _first_line(stream, timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


def _end(running: Preview) -> None:
    """Stop a server a test left running, the polite way first (so that it removes its folder)."""
    if running.process.poll() is None:
        running.process.terminate()
        try:
            running.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            running.process.kill()
            running.process.wait()


def _start(folder: Path) -> Preview:
    """`rolepack preview` on a free port, in `folder` (with content/ and layouts/), once it prints its URL."""
    stderr = folder / "stderr.txt"
    with stderr.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "preview", ROLE, "--port", "0", "--content", "content",
             "--layouts", "layouts"], cwd=folder, stdout=subprocess.PIPE, stderr=errors, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = _first_line(process.stdout, timeout=30)
    found = re.fullmatch(r"Previewing support-engineer at (http://127\.0\.0\.1:(\d+)/) \(Ctrl-C to stop\)\n", line)
    if not found:
        process.kill()
        pytest.fail(f"no URL printed: {line!r}\n{stderr.read_text()}")
    work = Path(re.search(r"building into (\S+)", stderr.read_text()).group(1))  # type: ignore[union-attr]
    return Preview(process, found.group(1), int(found.group(2)), folder, work, stderr)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    folder = tmp_path_factory.mktemp("preview")
    shutil.copytree(FIXTURE_CONTENT, folder / "content")
    shutil.copytree(REPO / "layouts", folder / "layouts")
    running = _start(folder)
    yield running
    _end(running)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A tab that fails the test on any Content-Security-Policy violation it reports."""
    tab = browser.new_page()
    violations: list[str] = []
    tab.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield tab
    tab.close()
    assert violations == []


def test_the_job_page_shows_the_role_and_the_packet_shows_both_printed_documents(preview: Preview, page) -> None:
    expect = playwright_api.expect
    page.goto(preview.url)
    expect(page).to_have_title(re.compile("^Support Engineer"))
    expect(page.locator("h1")).to_have_text("Support Engineer")
    expect(page.get_by_text("Reproduce bugs")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") == "solid"

    page.goto(preview.url + "packet")
    documents = page.locator("article.packet-document")
    expect(documents).to_have_count(2)
    expect(page.locator("article.job-description .doc-title")).to_have_text("Support Engineer")
    expect(page.locator("article.hiring-guide #scorecard")).to_be_visible()
    assert page.locator("article.hiring-guide .sheet").count() > 3  # a sheet where the print starts a page
    expect(page.get_by_text("page breaks, running headers and page numbers are only in the PDF")).to_be_visible()


def test_files_are_built_by_the_real_engine_as_pdf_and_docx(preview: Preview) -> None:
    pdf = preview.get(f"/files/{ROLE}-hiring-guide.pdf")
    assert (pdf.status, pdf.getheader("Content-Type")) == (200, "application/pdf")
    assert pdf.body.startswith(b"%PDF-")  # type: ignore[attr-defined]
    docx = preview.get(f"/files/{ROLE}-job-description.docx")
    assert docx.status == 200
    with zipfile.ZipFile(io.BytesIO(docx.body)) as package:  # type: ignore[attr-defined]
        assert "word/document.xml" in package.namelist()
    assert preview.get(f"/files/{ROLE}-hiring-guide.md").status == 404


def test_a_saved_title_shows_in_the_open_page_without_navigating(preview: Preview, page) -> None:
    expect = playwright_api.expect
    page.goto(preview.url)
    expect(page.locator("h1")).to_have_text("Support Engineer")
    preview.edit("title: Support Engineer\n", "title: Support Engineer II\n")
    try:
        expect(page.locator("h1")).to_have_text("Support Engineer II", timeout=RELOAD_MS)
    finally:
        preview.edit("title: Support Engineer II\n", "title: Support Engineer\n")
    expect(page.locator("h1")).to_have_text("Support Engineer", timeout=RELOAD_MS)


def test_a_broken_key_shows_the_located_error_escaped_and_fixing_it_brings_the_page_back(preview: Preview, page) -> None:
    expect = playwright_api.expect
    page.goto(preview.url)
    preview.edit("title: Support Engineer\n", '"<i>title</i>": Support Engineer\n')
    try:
        expect(page.locator("h1")).to_have_text(re.compile("^2 problems keep this role from building"), timeout=RELOAD_MS)
        problem = page.locator("li", has_text="unknown key")
        expect(problem).to_contain_text(f"{ROLE_FILE}:4:1: error: <i>title</i>: unknown key '<i>title</i>'")
        assert problem.locator("i").count() == 0  # the key is shown as text, not markup
        assert preview.get("/").status == 200
        assert preview.get(f"/files/{ROLE}-job-description.pdf").status == 409
    finally:
        preview.edit('"<i>title</i>": Support Engineer\n', "title: Support Engineer\n")
    expect(page.locator("h1")).to_have_text("Support Engineer", timeout=RELOAD_MS)
    expect(page.get_by_text("Reproduce bugs")).to_be_visible()


def test_a_complete_draft_previews_and_an_unfinished_one_shows_what_it_lacks(preview: Preview, page) -> None:
    expect = playwright_api.expect
    page.goto(preview.url)
    preview.edit("title: Support Engineer\n", "state: draft\ntitle: Support Engineer\n")
    try:
        page.wait_for_timeout(1500)  # a rebuild, then the same page: a complete draft previews as it would print
        expect(page.locator("h1")).to_have_text("Support Engineer", timeout=RELOAD_MS)
        preview.edit("department: Customer Support\n", "department: <<REPLACE>> Department\n")
        expect(page.locator("h1")).to_have_text(f"'{ROLE}' is a draft; this is what it still lacks", timeout=RELOAD_MS)
        expect(page.locator("li", has_text="<<REPLACE>>")).to_contain_text(f"{ROLE_FILE}:")
    finally:
        file = preview.folder / ROLE_FILE
        file.write_text(file.read_text(encoding="utf-8").replace("state: draft\n", "").replace(
            "department: <<REPLACE>> Department\n", "department: Customer Support\n"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Support Engineer", timeout=RELOAD_MS)


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/%2E%2E/%2E%2E/etc/passwd",
                                  "/files/..%2f..%2fetc%2fpasswd", "/assets/..\\..\\etc\\passwd", "//etc/passwd",
                                  "/etc/passwd", "/index.html", "/%252e%252e/etc/passwd", "http://127.0.0.1/etc/passwd"])
def test_paths_outside_what_the_preview_built_are_refused(preview: Preview, path: str) -> None:
    response = preview.get(path)
    assert response.status in (400, 403, 404)
    assert b"root:" not in response.body  # type: ignore[attr-defined]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}",
                                  "127.0.0.1:1", ""])
def test_a_host_header_other_than_this_server_is_refused(preview: Preview, host: str) -> None:
    assert preview.get("/", host=host.format(port=preview.port)).status == 400


def test_every_response_is_nosniff_and_pages_allow_only_this_server(preview: Preview) -> None:
    for path in ("/", "/packet", "/assets/site.css", "/nothing-here"):
        response = preview.get(path)
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        policy = response.getheader("Content-Security-Policy")
        assert policy.startswith("default-src 'self'")
        assert "unsafe-inline" not in policy and "*" not in policy
    assert preview.get("/", host=f"localhost:{preview.port}").status == 200


def _other_addresses() -> set[str]:
    """This machine's addresses that are not 127.0.0.1: another loopback one, and the one a route
    out would use (found without sending anything)."""
    found = {"127.0.0.2"}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: connecting a UDP socket sends nothing
            found.add(probe.getsockname()[0])
        except OSError:
            pass
    return found - {"127.0.0.1", "0.0.0.0"}


def test_the_server_listens_on_127_0_0_1_only(preview: Preview) -> None:
    assert preview.url == f"http://127.0.0.1:{preview.port}/"
    for address in _other_addresses():
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((address, preview.port), timeout=5).close()


def test_a_browser_that_leaves_during_a_download_is_not_an_error(preview: Preview) -> None:
    """A tab closed while the packet's PDF is still being sent (the peer resets the connection)."""
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", preview.port), timeout=10) as conn:
            conn.sendall(f"GET /files/{ROLE}-hiring-guide.pdf HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\n\r\n".encode())
            assert conn.recv(64).startswith(b"HTTP/1.")
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
    assert preview.get("/").status == 200
    time.sleep(0.3)
    assert "Traceback" not in preview.stderr.read_text()


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"(?m)^Threads:\s+(\d+)", status).group(1))


def test_connections_that_say_nothing_get_a_bounded_number_of_threads(preview: Preview) -> None:
    """Half-open connections (opened, never a request) hold a thread each up to the limit; past it,
    a connection is told to retry at once, and the preview answers again once they go."""
    from pipeline.preview.server import MAX_CONNECTIONS

    before = _threads(preview.process.pid)
    held = [socket.create_connection(("127.0.0.1", preview.port), timeout=10) for _ in range(MAX_CONNECTIONS + 20)]
    try:
        time.sleep(0.5)
        assert _threads(preview.process.pid) <= before + MAX_CONNECTIONS
        with socket.create_connection(("127.0.0.1", preview.port), timeout=10) as extra:
            assert extra.recv(64).startswith(b"HTTP/1.1 503")
    finally:
        for conn in held:
            conn.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if preview.get("/").status == 200:
                break
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    assert preview.get("/").status == 200
    assert "Traceback" not in preview.stderr.read_text()


def _stops_cleanly(running: Preview, sig: signal.Signals) -> None:
    assert running.work.is_dir()
    started = time.monotonic()
    running.process.send_signal(sig)
    assert running.process.wait(timeout=10) == 0, running.stderr.read_text()
    assert time.monotonic() - started < 3
    assert not running.work.exists()
    assert "Traceback" not in running.stderr.read_text()


def test_ctrl_c_stops_it_with_exit_code_0_and_removes_its_folder(preview: Preview) -> None:
    _stops_cleanly(preview, signal.SIGINT)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", preview.port), timeout=5).close()


def test_sigterm_stops_it_the_same_way(preview: Preview) -> None:
    again = _start(preview.folder)
    try:
        _stops_cleanly(again, signal.SIGTERM)
    finally:
        _end(again)


def test_an_unknown_role_or_brand_or_a_busy_port_stops_before_serving(content: Path) -> None:
    role = rolepack("preview", "suport-engineer", "--content", str(content))
    assert role.exit_code == 2
    assert "no role 'suport-engineer' (did you mean 'support-engineer'?)" in role.stderr
    brand = rolepack("preview", ROLE, "--brand", "defualt", "--content", str(content))
    assert brand.exit_code == 2 and "no brand 'defualt' (did you mean 'default'?)" in brand.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = rolepack("preview", ROLE, "--port", str(taken.getsockname()[1]), "--content", str(content))
    assert busy.exit_code == 1 and "cannot listen on 127.0.0.1:" in busy.stderr


def test_the_error_page_lists_the_errors_before_the_warnings() -> None:
    from pipeline.preview.builder import _problems
    from pipeline.problems import ContentError, Problem

    warning = Problem("content/roles/a.yaml", 1, 1, "compensation", "old pay data", "warning", "stale-pay")
    error = Problem("content/roles/b.yaml", 2, 3, "title", "missing required key 'title'")
    lines, heading = _problems(ContentError([warning, error]))
    assert lines == (str(error), str(warning))
    assert heading == "1 problem keeps this role from building"

