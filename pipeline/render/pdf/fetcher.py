"""The only way WeasyPrint may read anything: files inside the allowed folders, nothing else.

WeasyPrint's own fetcher reads any local file and any URL. A layout or a brand override could
then embed /etc/passwd as an attachment or call out to the network; here that fails the build
with the URL and the file that referenced it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class ForbiddenResource(FatalURLFetchingError):
    """A URL outside the allowed folders; BaseException, so WeasyPrint stops instead of skipping it."""

    def __init__(self, url: str, referrer: str | None) -> None:
        self.url = url
        self.referrer = referrer
        where = f" (referenced in {referrer})" if referrer else ""
        super().__init__(f"forbidden resource {url}{where}: only files inside the layouts and content asset folders may be used")


def _referrer(url: str, search: tuple[Path, ...]) -> str | None:
    """The layout, stylesheet or brand file that most likely wrote `url`, to name it in the error:
    the one holding the whole URL, else the longest tail of its path (`fonts/x.otf`, then `x.otf`)."""
    segments = [s for s in unquote(urlsplit(url).path).split("/") if s]
    needles = [url] + ["/".join(segments[i:]) for i in range(len(segments))]
    sources = [p for root in search for p in sorted(root.rglob("*"))
               if p.suffix in {".j2", ".css", ".html", ".yaml"} and p.is_file()]
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in sources}
    for needle in needles:
        for path, text in texts.items():
            if needle in text:
                return str(path)
    return None


class RestrictedFetcher(URLFetcher):
    """Serves `file:` URLs under `roots`; refuses everything else, redirects and all."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            try:
                path = Path(unquote(parts.path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in self.roots):
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})
            except (OSError, ValueError):  # a NUL byte (%00), a name too long, an unreadable file
                pass
        raise ForbiddenResource(url, _referrer(url, self.roots))
