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


# Rules of WeasyPrint's HTML user-agent stylesheet that match *every* element: each gives every
# element a pseudo-element style to compute (six per element), which was most of the style work
# of a letter. Print templates use no footnotes or notes, and list markers only on list items.
UA_RULES_DROPPED = (
    "::footnote-call",
    "::footnote-marker",
    "::note-call",
    "::note-marker",
    "::note-callback",
)
UA_RULES_SCOPED = {"::marker {": "li::marker {"}


def user_agent_css_text() -> str:
    """WeasyPrint's HTML user-agent stylesheet with the rules above dropped or scoped. Fails loudly
    if a WeasyPrint upgrade changed them, rather than silently keeping the slow rules."""
    from importlib.resources import files

    import weasyprint.css

    lines = (files(weasyprint.css) / "html5_ua.css").read_text("utf-8").splitlines()
    kept, dropped, scoped = [], set(), set()
    for line in lines:
        start = line.split(" ", 1)[0]
        if start in UA_RULES_DROPPED:
            dropped.add(start)
            continue
        for old, new in UA_RULES_SCOPED.items():
            if line.startswith(old):
                line = new + line[len(old) :]
                scoped.add(old)
        kept.append(line)
    if dropped != set(UA_RULES_DROPPED) or scoped != set(UA_RULES_SCOPED):
        raise RuntimeError("WeasyPrint's user-agent stylesheet changed: review UA_RULES_*")
    return "\n".join(kept)


@functools.cache
def _document_class():
    """WeasyPrint's HTML document with the lighter user-agent stylesheet. The two methods are not
    public API (WeasyPrint's docs: rely on them only with a pinned version): requirements.txt pins
    WeasyPrint, and a test fails if the hook stops being called after an upgrade."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle

    counter_style = CounterStyle()
    stylesheet = CSS(string=user_agent_css_text(), counter_style=counter_style)

    class PrintHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [stylesheet]

        def _ua_counter_style(self):
            return [counter_style.copy()]

    return PrintHTML


def html_to_pdf(html: str, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    document = _document_class()(
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
