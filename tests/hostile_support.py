"""What the hostile-input catalogue and the fuzz tests share: a private copy of the layouts with a
cheap test brand, one complete earlier build to prove that a refused build changes nothing, the
command run in this process, readers for every output format, and a web server on 127.0.0.1 that
records every request made to it.

The test brand `plain` is the default brand set in Roboto Slab, whose two faces make the careers
site's web fonts in a second instead of the five Inter faces' eight; everything else about it
(colours, fallbacks for other scripts, logo) is the default brand's.
"""

from __future__ import annotations

import http.server
import io
import json
import re
import shutil
import subprocess
import threading
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conftest import FIXTURE_CONTENT, REPO, Run, outputs, rolepack

LAYOUTS = REPO / "layouts"
BRAND = "plain"
FORMATS = ("pdf", "docx", "html", "md", "jsonld")
EVERY_FORMAT = tuple(arg for name in FORMATS for arg in ("-f", name))
LOCATED = re.compile(r"^(?:\S[^:]*):\d+:\d+: \S")
"""`file:line:col: …`, the shape of every problem a content check prints."""


def add_brand(layouts: Path, slug: str, **replace: str) -> Path:
    """A copy of the demo company's brand (it has a logo and a footer) under `slug`; each keyword names a
    key of its brand.yaml (at any depth, the first line that starts with it) whose line becomes `key: value`."""
    folder = layouts / "brands" / slug
    shutil.copytree(REPO / "content" / "brands" / "default", folder)
    lines = (folder / "brand.yaml").read_text(encoding="utf-8").splitlines()
    for key, value in replace.items():
        at = next(i for i, line in enumerate(lines) if line.lstrip().startswith(f"{key}:"))
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
        lines[at] = f"{indent}{key}: {value}"
    (folder / "brand.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def private_layouts(into: Path, *, fonts: Path | None = None) -> Path:
    """A copy of layouts/ holding the test brand `plain` beside the shipped ones; with `fonts`, its
    fonts folder is a link to that one (quicker to make and to digest, but a PDF build would refuse
    fonts outside the layouts, so only for builds that stop before rendering)."""
    layouts = into / "layouts"
    shutil.copytree(LAYOUTS, layouts, ignore=shutil.ignore_patterns("fonts") if fonts else None)
    if fonts:
        (layouts / "fonts").symlink_to(fonts, target_is_directory=True)
    add_brand(layouts, BRAND, name="Plain Test Brand", body="Roboto Slab", heading="Roboto Slab",
              footer="Plain Test Brand · careers.example")
    return layouts.resolve()


def build(content: Path, out: Path, layouts: Path, *args: str, brand: str = BRAND) -> Run:
    """`rolepack build` in this process, every format unless `args` names others."""
    formats = () if "-f" in args else EVERY_FORMAT
    return rolepack("build", *formats, "--content", str(content), "--layouts", str(layouts), "--out", str(out),
                    "--brand", brand, "--quiet", *args)


@dataclass(frozen=True)
class Earlier:
    """A complete build of the fixture roles in every format: the outputs a refused build must keep."""

    layouts: Path
    out: Path

    def copy_to(self, folder: Path) -> Path:
        """The earlier outputs copied into `folder`/out, times and bytes kept, for one test to build over."""
        out = folder / "out"
        shutil.copytree(self.out, out, copy_function=shutil.copy2)
        return out


_EARLIER: dict[str, Earlier] = {}


def earlier_build(tmp_path_factory) -> Earlier:
    """The one earlier build, made the first time a test asks for it in a run (about 10 s)."""
    if "build" not in _EARLIER:
        root = tmp_path_factory.mktemp("earlier")
        layouts = private_layouts(root)
        content = root / "content"
        shutil.copytree(FIXTURE_CONTENT, content)
        run = build(content, root / "out", layouts, "--role", "support-engineer")
        assert run.exit_code == 0, run.stderr
        _EARLIER["build"] = Earlier(layouts, root / "out")
    return _EARLIER["build"]


def assert_refused(run: Run, out: Path, before: dict, problems: list[str] | None = None) -> None:
    """Exit 2 with located problems (exactly `problems` when given), no traceback, nothing written."""
    assert run.exit_code == 2, run.stdout + run.stderr
    assert isinstance(run.exception, SystemExit), run.exception
    assert "Traceback" not in run.stderr
    if problems is not None:
        assert run.problems == problems, "the problems printed were:\n" + "\n".join(run.problems)
    assert all(LOCATED.match(line) or line.startswith("note: ") for line in run.problems), run.problems
    assert outputs(out) == before, "a refused build changed the output folder"


# --- a web server that records what reaches it ----------------------------------------------------

@dataclass
class Listener:
    url: str
    hits: list[str] = field(default_factory=list)


@contextmanager
def listening() -> Iterator[Listener]:
    """A web server on 127.0.0.1 that records every request; it answers each with a 1-pixel PNG, so
    a renderer that did fetch would be given something to draw."""
    pixel = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                          "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")
    listener = Listener("")

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            listener.hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(pixel)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    listener.url = f"http://127.0.0.1:{server.server_address[1]}"
    urllib.request.urlopen(f"{listener.url}/ready", timeout=5).close()
    assert listener.hits == ["/ready"], "the listener records requests, so an empty record means none was made"
    listener.hits.clear()
    try:
        yield listener
    finally:
        server.shutdown()
        server.server_close()


# --- reading each format back as its reader would ---------------------------------------------------

def squash(text: str) -> str:
    """Text with white space, soft hyphens and hyphens removed, so line breaks and hyphenation in
    a laid-out page never decide a comparison (as pdf_support.squash does)."""
    return re.sub("[\\s\u00ad\u2010\u2011-]+", "", text)


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout


def docx_text(path: Path) -> str:
    """Every run of the body, its tables, headers and footers, and the core properties, as Word reads them."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    props = document.core_properties
    parts += [props.title or "", props.subject or "", props.keywords or ""]
    return "\n".join(parts)


def docx_targets(path: Path) -> list[str]:
    """Where the document's external relationships (hyperlinks, linked images) point."""
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as package:
        rels = [package.read(name) for name in package.namelist() if name.endswith(".rels")]
    return [r.get("Target") for data in rels for r in etree.fromstring(data) if r.get("TargetMode") == "External"]


def html_tree(path: Path):
    return lxml_html.document_fromstring(path.read_bytes())


def markdown_tokens(path: Path) -> list[Token]:
    """The Markdown as a CommonMark reader with GFM tables parses it, every inline token included."""
    def flat(tokens: list[Token]) -> Iterator[Token]:
        for token in tokens:
            yield token
            yield from flat(token.children or [])

    return list(flat(MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))))


def json_strings(data) -> Iterator[str]:
    """Every string value in parsed JSON."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_strings(value)


def jsonld(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
