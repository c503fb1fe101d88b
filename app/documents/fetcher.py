"""What WeasyPrint may load while printing a paper: the app's bundled assets and data: URIs.

WeasyPrint's default fetcher opens any URL a stylesheet or a tag names (http, https, ftp,
file), so a paper could make the server send requests or read its own disk. Every paper is
made through `html_document()`, whose fetcher serves only files under `static/` (fonts,
stylesheets, images) and `data:` URIs, and refuses everything else with a French reason
(WeasyPrint then logs a warning, which the tests turn into a failure).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
ASSET_TYPES = {
    ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
    ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


def bundled_asset(url: str) -> Path | None:
    """The file under static/ that a file: URL names, or None (outside, absent, other type)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    root = STATIC_DIR.resolve()
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(root) or path.suffix.lower() not in ASSET_TYPES:
        return None
    return path if path.is_file() else None


def safe_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher limited to the bundled assets and data: URIs."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # late: heavy import

    class BundledOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            path = bundled_asset(url)
            if path is None:
                raise ValueError(f"ressource refusée (seuls les fichiers de l'application "
                                 f"sont chargés) : {url[:200]}")
            media_type = ASSET_TYPES[path.suffix.lower()]
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    return BundledOnly(allowed_protocols=("data", "file"), allow_redirects=False)


def html_document(html: str) -> Any:
    """A WeasyPrint HTML document whose relative URLs resolve under static/, safely."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(STATIC_DIR), url_fetcher=safe_url_fetcher())
