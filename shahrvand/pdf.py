"""HTML -> PDF with WeasyPrint, and nothing else: the renderer may read the bundled static files
(fonts, logo, print CSS) and no other file, and never the network. A hostile string in an inquiry
cannot make it fetch anything.

WeasyPrint is imported inside the functions: it is slow to import, and only PDF workers need it.
"""

from __future__ import annotations

import atexit
import base64
import functools
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def asset_root() -> Path:
    return Path(settings.PDF_ASSET_ROOT).resolve()


class AssetRefused(ValueError):
    pass


def asset_path(url: str) -> Path:
    """The bundled file a URL names, or AssetRefused: only file: URLs inside the asset folder."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise AssetRefused(f"refused to fetch {parts.scheme or 'relative'} URL")
    path = Path(unquote(parts.path)).resolve()
    root = asset_root()
    if not path.is_relative_to(root) or not path.is_file():
        raise AssetRefused("refused to read a file outside the bundled assets")
    return path


_DATA_PNG = "data:image/png;base64,"


def asset_fetch(url: str) -> tuple[str, bytes]:
    """What the renderer may load: a bundled file, or a PNG inlined by our own code (the QR code).
    Anything else raises AssetRefused."""
    if url.startswith(_DATA_PNG):
        try:
            return url, base64.b64decode(url[len(_DATA_PNG) :], validate=True)
        except ValueError:
            raise AssetRefused("refused a malformed inline image") from None
    path = asset_path(url)
    return path.as_uri(), path.read_bytes()


@functools.cache
def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class BundledAssetsFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            final_url, body = asset_fetch(url)
            return URLFetcherResponse(final_url, body)

    return BundledAssetsFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


@functools.cache
def _font_config():
    # One font configuration per process: fonts declared in the print CSS are loaded once.
    from weasyprint.text.fonts import FontConfiguration

    # Released while the interpreter is still whole (its finaliser needs its modules).
    atexit.register(_font_config.cache_clear)
    return FontConfiguration()


@functools.cache
def _stylesheet(name: str):
    """Print stylesheets parsed once per process."""
    from weasyprint import CSS

    path = asset_root() / name
    return CSS(
        string=path.read_text(encoding="utf-8"),
        base_url=path.as_uri(),
        url_fetcher=_fetcher(),
        font_config=_font_config(),
    )


def html_to_pdf(html: str, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    from weasyprint import HTML

    document = HTML(
        string=html,
        base_url=asset_root().as_uri() + "/",
        url_fetcher=_fetcher(),
    )
    return document.write_pdf(
        stylesheets=[_stylesheet(name) for name in stylesheets],
        font_config=_font_config(),
    )


def pdf_render(template_name: str, context: dict, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    """Render a print template to PDF bytes. ``stylesheets`` are paths inside the asset folder."""
    return html_to_pdf(render_to_string(template_name, context), stylesheets=stylesheets)
