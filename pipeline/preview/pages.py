"""What the preview adds to the pages it serves: a bar of links, the reload script, the page that
shows content errors, and each page's Content-Security-Policy.

Pages stay readable without JavaScript: the script only reloads the page when the server says a
rebuild is ready (server-sent events on `/events`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

RELOAD_SCRIPT = ('new EventSource("/events?since=" + document.currentScript.dataset.generation)'
                 '.onmessage = function () { location.reload(); };')
"""Reloads the page once the server has a rebuild newer than the one the page shows; the
generation is an attribute, so the script's text (and its CSP hash) never changes."""

STYLESHEET = """\
body.preview-page { margin: 0; }
.rolepack-preview { all: revert; box-sizing: border-box; display: flex; flex-wrap: wrap; align-items: center;
  gap: 4px 16px; margin: 0; padding: 7px 16px; background: #1f2430; color: #e8eaf0;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; hyphens: manual; }
.rolepack-preview strong { font-weight: 700; color: #fff; }
.rolepack-preview a { color: #9fd3ff; text-decoration: underline; }
.rolepack-preview a:focus-visible { outline: 2px solid #fff; outline-offset: 2px; }
.rolepack-preview .files { display: inline-flex; flex-wrap: wrap; gap: 4px 10px; }
.preview-problems { max-width: 60rem; margin: 32px auto; padding: 0 20px; color: #1d2733;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
.preview-problems h1 { font-size: 1.6rem; color: #8a1f11; margin: 0 0 0.5rem; }
.preview-problems ol { padding: 0; list-style: none; }
.preview-problems li { margin: 0 0 8px; padding: 8px 12px; background: #fdf0ee; border-left: 4px solid #b4442f;
  font: 14px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
.preview-problems li.warning { background: #fff8e5; border-left-color: #a86b00; }
@media print { .rolepack-preview { display: none; } }
"""
"""The preview's own styles: its bar and the error page, set apart from the brand's."""

ASSET_POLICY = "default-src 'self'; frame-ancestors 'self'"
"""The policy for everything that is not a page (stylesheets, fonts, images, PDF, DOCX)."""

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def bar(role: str, brand: str, downloads: tuple[str, ...]) -> str:
    """Links to the three views of the role, on top of every page."""
    files = " ".join(f'<a href="/files/{html.escape(name)}">{html.escape(name)}</a>' for name in downloads)
    return (f'<nav class="rolepack-preview" aria-label="Preview">'
            f'<strong>Preview: {html.escape(role)} ({html.escape(brand)} brand)</strong>'
            f'<a href="/">Job page</a><a href="/packet">Printed documents</a>'
            + (f'<span class="files">Files: {files}</span>' if files else "") + "</nav>")


def reload_tag(generation: int) -> str:
    return f'<script data-generation="{generation}">{RELOAD_SCRIPT}</script>'


def decorate(page: str, *, generation: int, top: str) -> str:
    """`page` with the preview's stylesheet, its bar at the top of the body, and the reload script."""
    link = '<link rel="stylesheet" href="/preview.css">\n'
    page, found = re.subn(r"</head>", lambda _: link + "</head>", page, count=1, flags=re.I)
    if not found:
        page = link + page
    page, found = re.subn(r"<body\b[^>]*>", lambda m: m.group(0) + "\n" + top, page, count=1, flags=re.I)
    if not found:
        page = top + page
    script = reload_tag(generation) + "\n"
    page, found = re.subn(r"</body>", lambda _: script + "</body>", page, count=1, flags=re.I)
    return page if found else page + script


def problems_page(heading: str, lines: tuple[str, ...], *, generation: int, top: str) -> str:
    """The located problems in place of a page: every line HTML-escaped, warnings told apart."""
    items = "\n".join(f'<li class="{"warning" if ": warning: " in line else "error"}">{html.escape(line)}</li>'
                      for line in lines)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(heading)}</title>
<link rel="stylesheet" href="/preview.css">
</head>
<body class="preview-page">
{top}
<main class="preview-problems">
<h1>{html.escape(heading)}</h1>
<p>Fix the file and save it: this page rebuilds and reloads by itself.</p>
<ol>
{items}
</ol>
</main>
{reload_tag(generation)}
</body>
</html>
"""


def page_policy(page: str) -> str:
    """A Content-Security-Policy allowing only this server, plus the page's own inline scripts
    (the JSON-LD data and the reload script) by their SHA-256."""
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
                     for attributes, text in _SCRIPT.findall(page) if "src=" not in attributes.lower()})
    return "; ".join(["default-src 'self'", " ".join(["script-src 'self'"] + hashes), "style-src 'self'",
                      "img-src 'self'", "font-src 'self'", "connect-src 'self'", "object-src 'none'",
                      "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"])
