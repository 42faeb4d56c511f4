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
    """The first layout or stylesheet whose text contains `url`, to name it in the error."""
    name = url.rsplit("/", 1)[-1] or url
    for root in search:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".j2", ".css", ".html", ".yaml"} and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                if url in text or name in text:
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
            path = Path(unquote(parts.path)).resolve()
            if path.is_file() and any(path.is_relative_to(root) for root in self.roots):
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})
        raise ForbiddenResource(url, _referrer(url, self.roots))
