"""Headless Debian Chromium for browser tests, fully offline.

Use from a test::

    from playwright.sync_api import sync_playwright
    from tests.support import browser

    with sync_playwright() as p:
        b = browser.launch(p)                       # skips locally / fails in CI without chromium
        ctx = b.new_context()
        routes = browser.install_offline_routes(ctx)   # every non-localhost request is aborted
        page = ctx.new_page()
        ...
        assert not routes.off_localhost(allow=browser.TILE_URL), routes.blocked

Every request to a host other than localhost is aborted and logged: nothing is substituted, so a
page that needs a CDN file fails exactly as it would for a student without internet.
Under ``CI=true`` a missing Chromium is a test failure, never a skip.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


from nkteach import settings
from tests.support.paths import require

DEFAULT_CHROMIUM = settings.SETTINGS["NKTEACH_CHROMIUM"].default

# Flags: no sandbox (containers), and no background traffic that would try the network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}

# Base-map tiles: the one thing a lesson may ask the internet for (optional; aborted in tests).
TILE_URL = re.compile(
    r"^https?://([a-z0-9-]+\.)*(tile\.openstreetmap\.org|basemaps\.cartocdn\.com)/"
    r".*\d+/\d+/\d+(@2x)?\.(png|jpe?g|webp)(\?.*)?$",
    re.I,
)


def _missing(what: str):
    require(False, f"{what}; run `make browser-deps` to enable the browser tests")


def chromium_path() -> str:
    """Path of Debian's Chromium ($NKTEACH_CHROMIUM or /usr/bin/chromium): fail in CI, skip otherwise."""
    path = settings.get("NKTEACH_CHROMIUM")
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        found = shutil.which("chromium") if path == DEFAULT_CHROMIUM else None
        if not found:
            _missing(f"Chromium not found at {path} (apt-get install chromium)")
        path = found
    return path


def launch(playwright, **kwargs):
    """Launch headless Debian Chromium through Playwright with the offline-friendly flags."""
    kwargs.setdefault("headless", True)
    return playwright.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS), **kwargs)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "about", "blob", "chrome-error"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class OfflineRoutes:
    """What the route handler aborted (every request that did not go to localhost)."""

    blocked: list[str] = field(default_factory=list)

    def off_localhost(self, start: int = 0, allow: re.Pattern | None = None) -> list[str]:
        """Blocked URLs from index ``start`` on that ``allow`` (e.g. :data:`TILE_URL`) does not match."""
        return [u for u in self.blocked[start:] if not (allow and allow.match(u))]


def install_offline_routes(target) -> OfflineRoutes:
    """Route every request of a Playwright BrowserContext or Page: localhost (and data:, blob:,
    about:) passes, everything else is aborted ("blockedbyclient") and logged."""
    log = OfflineRoutes()

    def handle(route, request):
        url = request.url
        if is_local(url):
            route.continue_()
            return
        log.blocked.append(url)
        route.abort("blockedbyclient")

    target.route("**/*", handle)
    return log
