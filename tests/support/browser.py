"""Headless Debian Chromium for browser tests, fully offline.

Use from a test::

    from playwright.sync_api import sync_playwright
    from tests.support import browser

    with sync_playwright() as p:
        b = browser.launch(p)                       # skips locally / fails in CI without chromium
        ctx = b.new_context()
        routes = browser.install_offline_routes(ctx)   # block the internet, serve CDN assets locally
        page = ctx.new_page()
        ...
        assert not routes.missing_assets, routes.missing_assets

Every request to a host other than localhost is aborted, except the CDN URLs listed in
``CDN_MAP``, which are answered from ``tests/browser/node_modules`` (installed by
``make browser-deps`` = ``npm ci --prefix tests/browser``; pinned in tests/browser/package-lock.json).
Under ``CI=true`` a missing Chromium or node_modules is a test failure, never a skip.
"""
from __future__ import annotations

import mimetypes
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import IN_CI, ROOT

NODE_MODULES = ROOT / "tests" / "browser" / "node_modules"
DEFAULT_CHROMIUM = "/usr/bin/chromium"

# Flags: no sandbox (containers), and no background traffic that would try the network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-sync", "--disable-dev-shm-usage",
]

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}

# URL regex -> path under tests/browser/node_modules (``\1`` etc. are the regex groups).
# Versions are those folium 0.20 writes into its HTML; a folium upgrade that asks for other
# versions shows up in ``OfflineRoutes.missing_assets`` instead of being silently served.
CDN_MAP: list[tuple[str, str]] = [
    (r"https://cdn\.jsdelivr\.net/npm/leaflet@1\.9\.3/dist/(.+)", r"leaflet/dist/\1"),
    (r"https://code\.jquery\.com/jquery-3\.7\.1\.min\.js", r"jquery/dist/jquery.min.js"),
    (r"https://cdn\.jsdelivr\.net/npm/bootstrap@5\.2\.2/dist/(.+)", r"bootstrap/dist/\1"),
    (r"https://cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@6\.2\.0/(.+)",
     r"@fortawesome/fontawesome-free/\1"),
    # cdnjs keeps the awesome-markers js and css side by side; the npm package splits them.
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/2\.0\.2/(leaflet\.awesome-markers(?:\.min)?\.js)",
     r"drmonty-leaflet-awesome-markers/js/\1"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/2\.0\.2/(leaflet\.awesome-markers\.css)",
     r"drmonty-leaflet-awesome-markers/css/\1"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/2\.0\.2/images/(.+)",
     r"drmonty-leaflet-awesome-markers/css/images/\1"),
]

# Assets folium links that no pinned npm package provides. They are cosmetic stylesheets
# (Bootstrap 3 glyphicons; folium's marker-rotation CSS); aborting them does not stop a map
# from drawing, so they are not reported as missing.
KNOWN_UNSERVED: list[str] = [
    r"https://netdna\.bootstrapcdn\.com/bootstrap/3\.0\.0/css/bootstrap-glyphicons\.css",
    r"https://cdn\.jsdelivr\.net/gh/python-visualization/folium/folium/templates/leaflet\.awesome\.rotate\.min\.css",
]

_COMPILED = [(re.compile(p + r"(?:[?#].*)?$"), target) for p, target in CDN_MAP]
_UNSERVED = [re.compile(p + r"(?:[?#].*)?$") for p in KNOWN_UNSERVED]
_CDN_HOSTS = {urlsplit(p.replace("\\", "")).hostname for p, _ in CDN_MAP + [(u, "") for u in KNOWN_UNSERVED]}


def _missing(what: str):
    if IN_CI:
        pytest.fail(f"{what} (CI=true: browser tests must run; run `make browser-deps`)")
    pytest.skip(f"{what}; run `make browser-deps` to enable the browser tests")


def chromium_path() -> str:
    """Path of Debian's Chromium ($NKTEACH_CHROMIUM or /usr/bin/chromium): fail in CI, skip otherwise."""
    path = os.environ.get("NKTEACH_CHROMIUM", DEFAULT_CHROMIUM)
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        found = shutil.which("chromium") if path == DEFAULT_CHROMIUM else None
        if not found:
            _missing(f"Chromium not found at {path} (apt-get install chromium)")
        path = found
    return path


def node_modules() -> Path:
    """tests/browser/node_modules with every package CDN_MAP needs: fail in CI, skip otherwise."""
    needed = {t.split("/")[0] if not t.startswith("@") else "/".join(t.split("/")[:2]) for _, t in CDN_MAP}
    absent = sorted(n for n in needed if not (NODE_MODULES / n / "package.json").is_file())
    if absent:
        _missing(f"offline CDN assets missing from {NODE_MODULES}: {', '.join(absent)} "
                 f"(npm ci --prefix tests/browser)")
    return NODE_MODULES


def launch(playwright, **kwargs):
    """Launch headless Debian Chromium through Playwright with the offline-friendly flags."""
    kwargs.setdefault("headless", True)
    return playwright.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS), **kwargs)


def local_asset(url: str) -> Path | None:
    """The node_modules file answering CDN ``url``, or None when CDN_MAP has no entry for it."""
    for rx, target in _COMPILED:
        m = rx.match(url)
        if m:
            rel = m.expand(target)
            path = (NODE_MODULES / rel).resolve()
            # Never serve outside node_modules (a "../" in a URL must not escape).
            if NODE_MODULES.resolve() not in path.parents:
                return None
            return path
    return None


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "about", "blob", "chrome-error"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class OfflineRoutes:
    """What the route handler did, for assertions: served CDN files, blocked and missing URLs."""

    served: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)          # every aborted URL
    missing_assets: list[str] = field(default_factory=list)   # CDN URLs we should serve but cannot


def install_offline_routes(target, *, require_assets: bool = True) -> OfflineRoutes:
    """Route every request of a Playwright BrowserContext or Page: localhost passes, known CDN
    URLs are answered from node_modules, everything else is aborted ("blockedbyclient").

    Returns an :class:`OfflineRoutes` log. With ``require_assets`` (default) the node_modules
    folder must exist (fails under CI=true, skips otherwise).
    """
    if require_assets:
        node_modules()
    log = OfflineRoutes()

    def handle(route, request):
        url = request.url
        if is_local(url):
            route.continue_()
            return
        path = local_asset(url)
        if path is not None and path.is_file():
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".woff2":
                ctype = "font/woff2"
            log.served.append(url)
            route.fulfill(status=200, path=str(path), content_type=ctype,
                          headers={"Access-Control-Allow-Origin": "*"})
            return
        log.blocked.append(url)
        host = urlsplit(url).hostname or ""
        if (path is not None or host in _CDN_HOSTS) and not any(rx.match(url) for rx in _UNSERVED):
            log.missing_assets.append(url)
        route.abort("blockedbyclient")

    target.route("**/*", handle)
    return log
