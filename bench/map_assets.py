"""Inlined vs served Leaflet: bytes a map delivers to the browser and time until it is drawn.

    python bench/map_assets.py [--runs 5]

For every nkteach map this renders two pages:

* ``inline``: what nkteach ships: Leaflet's CSS and JS inside the page (``nkteach.mapkit``);
* ``served``: the same page with the inline block replaced by ``<link>``/``<script src>`` to
  ``/static/leaflet/…``, as a Jupyter server extension would serve them (same files, with
  ``Cache-Control: max-age=3600`` like Jupyter's static handler).

Both are served from one local HTTP server (127.0.0.1) and loaded in headless Chromium; a
request to any other host fails the run. ``cold`` = a fresh browser context (empty cache),
``warm`` = the second load in the same context. Bytes are what the server actually sent.
Time = navigation start → every Leaflet path drawn.
Prints a Markdown table (medians); never part of ``make test``.
"""

from __future__ import annotations

import argparse
import http.server
import statistics
import sys
import threading
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nkteach import mapkit, maps  # noqa: E402
from tests.support import browser  # noqa: E402
from tests.support.foliumtree import walk  # noqa: E402

MAPS = {
    "overview": lambda: maps.overview(tiles=None),
    "control_1994": lambda: maps.control_by_period("1994", tiles=None),
    "control_2020": lambda: maps.control_by_period("2020", tiles=None),
    "control_2023": lambda: maps.control_by_period("2023", tiles=None),
    "corridors": lambda: maps.corridors(tiles=None),
    "places": lambda: maps.places_map(
        ["stepanakert", "shusha", "lachin", "hadrut", "nagorno_karabakh"], tiles=None
    ),
    "georgia": lambda: maps.country_map("Georgia", tiles=None),
}
SERVED_TAGS = (
    '<link rel="stylesheet" href="/static/leaflet/leaflet.css"/>\n'
    '<script src="/static/leaflet/leaflet.js"></script>'
)


SENT = {"bytes": 0, "requests": 0}  # what the server really sent (a cached file is not sent again)


class Handler(http.server.SimpleHTTPRequestHandler):
    def copyfile(self, source, outputfile):
        data = source.read()
        SENT["bytes"] += len(data)
        SENT["requests"] += 1
        outputfile.write(data)

    def end_headers(self):
        # A map page is new each time (a new notebook output); the static files can be cached.
        self.send_header("Cache-Control", "max-age=3600" if "/static/" in self.path else "no-store")
        super().end_headers()

    def log_message(self, *args):  # quiet
        pass


def write_pages(out: Path) -> dict[str, int]:
    """Both variants of every map into ``out``; returns map name → number of paths to wait for."""
    (out / "static").mkdir(parents=True, exist_ok=True)
    static = out / "static" / "leaflet"
    if not static.exists():
        static.symlink_to(mapkit.STATIC / "leaflet")
    inline = mapkit.leaflet_assets()
    counts = {}
    for name, make in MAPS.items():
        m = make()
        page = m.get_root().render()
        assert inline in page
        (out / f"{name}-inline.html").write_text(page, encoding="utf-8")
        (out / f"{name}-served.html").write_text(page.replace(inline, SERVED_TAGS), encoding="utf-8")
        counts[name] = sum(len(g.data["features"]) for g in walk(m, mapkit.Area)) + len(walk(m, mapkit.Line))
    return counts


def load(ctx, url: str, n_paths: int) -> tuple[float, int]:
    """(ms until drawn, bytes the server sent) for one page load."""
    SENT["bytes"] = SENT["requests"] = 0
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_function(
        f"document.querySelectorAll('path.leaflet-interactive').length >= {n_paths}",
        polling="raf",
        timeout=30_000,
    )
    ms = page.evaluate("performance.now()")
    page.wait_for_load_state("load")
    page.close()
    return ms, SENT["bytes"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "map-assets")
    args = ap.parse_args()
    counts = write_pages(args.out)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(args.out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    from playwright.sync_api import sync_playwright

    rows = []
    try:
        with sync_playwright() as p:
            b = browser.launch(p)
            for name, n in counts.items():
                res = {}
                for variant in ("inline", "served"):
                    cold_t, warm_t, cold_b, warm_b = [], [], [], []
                    for _ in range(args.runs):
                        # No request routing here: Playwright turns the HTTP cache off for routed
                        # contexts, and "warm" is about that cache. Requests are only logged.
                        ctx = b.new_context()
                        remote: list[str] = []
                        ctx.on("request", lambda r, remote=remote: remote.append(r.url)
                               if not browser.is_local(r.url) else None)
                        t, nb = load(ctx, f"{base}/{name}-{variant}.html", n)
                        cold_t.append(t), cold_b.append(nb)
                        t, nb = load(ctx, f"{base}/{name}-{variant}.html", n)
                        warm_t.append(t), warm_b.append(nb)
                        ctx.close()
                        assert not remote, remote
                    res[variant] = (
                        statistics.median(cold_b),
                        statistics.median(warm_b),
                        statistics.median(cold_t),
                        statistics.median(warm_t),
                    )
                page_kb = (args.out / f"{name}-inline.html").stat().st_size / 1024
                repr_kb = len(MAPS[name]()._repr_html_().encode()) / 1024
                rows.append((name, page_kb, repr_kb, res))
            b.close()
    finally:
        server.shutdown()
    print(
        "| map | inline page KB | in notebook (srcdoc) KB | inline cold KB / ms | inline warm KB / ms "
        "| served cold KB / ms | served warm KB / ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, page_kb, repr_kb, r in rows:
        cells = [f"{r[v][i] / 1024:.0f} / {r[v][i + 2]:.0f}" for v in ("inline", "served") for i in (0, 1)]
        print(f"| {name} | {page_kb:.0f} | {repr_kb:.0f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
