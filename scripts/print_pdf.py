"""Print every lesson page of a built course website to PDF — ``make pdf``.

Serves the site folder (default ``build/site``, made by ``make site``) on 127.0.0.1, opens each
``lessons/NN-*.html`` page in headless Chromium (Playwright, with the system's Chromium: no browser
is downloaded), waits until every chart is drawn (plotly draws SVG, which prints as vector
graphics) and every map has its layers, and writes ``build/pdf/NN-*.pdf`` with the site's print
stylesheet: no navigation or launch buttons, exercise buttons hidden and ruled answer lines under
each question. Every request outside the local server is aborted, so printing works offline.

The PDFs are tagged (structure tree, reading order, ``/Lang`` from ``<html lang>``, the page's
``<title>`` as document title) and carry an outline of the headings. Each chart and each map is
one ``/Figure`` whose alternative text is "Chart: TITLE. Summary: …" / "Map: TITLE. Summary: …";
maps are printed as a screenshot of themselves for that (docs/accessibility.md).

Chromium: ``$NKTEACH_CHROMIUM``, else ``/usr/bin/chromium``, else ``chromium`` on the PATH.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import os
import shutil
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--disable-dev-shm-usage"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
# JavaScript: true once every chart has its SVG and every map its drawn layers.
DRAWN_JS = """() => {
  const charts = document.querySelectorAll('div.nkteach-plotly, div.nkl-chart');
  const drawn = [...charts].filter(d => d.querySelector('svg.main-svg')).length;
  return drawn === charts.length;
}"""


# Live explorers (nkteach.live): those whose states load lazily load when scrolled near; the page
# is printed once every one has drawn its first view (or said why it could not).
LIVE_PENDING_JS = """() => [...document.querySelectorAll('div.nkteach-live')]
  .filter(r => !r.hasAttribute('data-nkl-ready') && !r.hasAttribute('data-nkl-error'))
  .map(r => r.getAttribute('data-explorer'))"""
# A live map explorer keeps the maps it drew last hidden in the page (to go back to them at once):
# they are not printed.
DROP_HIDDEN_MAPS_JS = """() => document.querySelectorAll('.nkl-view .nkl-map[hidden]')
  .forEach(e => e.remove())"""
RESIZE_JS = """() => { if (window.Plotly) {
  document.querySelectorAll('.nkteach-plotly-canvas').forEach(el => Plotly.Plots.resize(el)); } }"""
# Alternative text for the tagged PDF (Chromium tags an element with role=img as a /Figure whose
# /Alt is its accessible name). Each chart (div.nkteach-plotly, or a live explorer's div.nkl-chart:
# role=img, named by its title) is
# named "Chart: TITLE. Summary: …" from the text summary printed under it, and plotly's SVG
# inside it gets role=none, so it does not become a stack of nested /Figure elements without
# /Alt. Maps: see MAP_IMAGE_JS.
ALT_TEXT_JS = """() => {
  const clean = t => (t || '').replace(/\\s+/g, ' ').trim();
  const summaryAfter = el => {
    const cell = el.closest('.nkteach-live, .cell_output, .cell, .nkteach-explorer-static') || document.body;
    return [...cell.querySelectorAll('.nkteach-summary')].find(
      s => el.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING);
  };
  let named = 0;
  document.querySelectorAll('div.nkteach-plotly, div.nkl-chart').forEach(div => {
    const title = clean(div.getAttribute('aria-label')) || 'chart';
    const s = summaryAfter(div);
    div.setAttribute('role', 'img');
    div.setAttribute('aria-label', 'Chart: ' + title + (s ? '. ' + clean(s.textContent) : ''));
    div.querySelectorAll('svg, svg *').forEach(c => c.setAttribute('role', 'none'));
    named += 1;
  });
  return named;
}"""
# Chromium does not tag what an <iframe> prints, so a folium map (an iframe whose srcdoc is the
# map page) would print with no /Figure. Each map is printed as a picture of itself instead: an
# <img> (a screenshot at twice the resolution) whose alt is "Map: TITLE. Summary: …" (the title
# the site script gives the iframe, and the summary printed under the map).
MAP_FRAMES_JS = """() => [...document.querySelectorAll('iframe')].map((f, i) => {
  const src = f.getAttribute('srcdoc') || '';
  if (src.indexOf('leaflet') < 0 && src.indexOf('folium') < 0) return -1;
  f.setAttribute('data-nkteach-print', String(i));
  return i;
}).filter(i => i >= 0)"""
MAP_IMAGE_JS = """([index, dataUrl]) => {
  const clean = t => (t || '').replace(/\\s+/g, ' ').trim();
  const frame = document.querySelector('iframe[data-nkteach-print="' + index + '"]');
  // the summary the frame is described by (nkteach.display, or the site script's labelMap, which
  // knows a live explorer's one summary), else the first summary after it in its cell
  const cell = frame.closest('.cell_output, .cell, .nkteach-explorer-static') || document.body;
  const s = document.getElementById(frame.getAttribute('aria-describedby') || '') ||
    [...cell.querySelectorAll('.nkteach-summary')]
      .find(e => frame.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
  const img = document.createElement('img');
  img.src = dataUrl;
  img.alt = (clean(frame.getAttribute('title')) || 'Map') + (s ? '. ' + clean(s.textContent) : '');
  img.className = 'nkteach-map-print';
  img.style.cssText = 'position:absolute;left:0;top:0;width:100%;height:100%';
  frame.replaceWith(img);
}"""
# true once every map frame has drawn its layers or markers
MAP_DRAWN_JS = """() => !!document.querySelector(
  '.leaflet-pane path, .leaflet-marker-icon, .leaflet-pane svg')"""
PRINT_WIDTH = 700   # CSS px: A4 (794 px at 96 dpi) less the 14 mm side margins


class PrintError(RuntimeError):
    """The PDFs cannot be made (no site, no Chromium, a page that does not load)."""


def chromium_path() -> str:
    path = os.environ.get("NKTEACH_CHROMIUM", "/usr/bin/chromium")
    if Path(path).is_file() and os.access(path, os.X_OK):
        return path
    found = shutil.which("chromium")
    if not found:
        raise PrintError(f"Chromium not found at {path} or on the PATH (install Debian's chromium)")
    return found


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "about", "blob"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and (parts.hostname or "") in LOCAL_HOSTS


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):   # keep test and build output readable
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def lesson_pages(site: Path) -> list[Path]:
    pages = sorted((site / "lessons").glob("[0-9][0-9]-*.html"))
    if not pages:
        raise PrintError(f"no lesson pages in {site / 'lessons'}; run `make site` first")
    return pages


def block_outside(context) -> list[str]:
    """Abort every request that leaves the local server; return the list of aborted URLs."""
    blocked: list[str] = []

    def handle(route, request):
        if is_local(request.url):
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)
    return blocked


def maps_as_images(page, timeout_ms: int = 15000) -> int:
    """Replace each map iframe by a screenshot of it with the map's title and summary as alt text
    (see MAP_IMAGE_JS); returns the number of maps."""
    import base64

    indices = page.evaluate(MAP_FRAMES_JS)
    for index in indices:
        frame_el = page.locator(f'iframe[data-nkteach-print="{index}"]')
        frame_el.scroll_into_view_if_needed()
        frame = frame_el.element_handle().content_frame()
        if frame is not None:
            try:
                frame.wait_for_function(MAP_DRAWN_JS, timeout=timeout_ms)
            except Exception:    # draw what is there: an undrawn map is test_site's failure
                pass
        page.wait_for_timeout(200)
        png = frame_el.screenshot(type="png", animations="disabled")
        page.evaluate(MAP_IMAGE_JS, [index, "data:image/png;base64," + base64.b64encode(png).decode()])
    return len(indices)


def wait_live(page, timeout_ms: int = 30000) -> None:
    """Bring every live explorer into view once (lazy ones load then) and wait until each has
    drawn its first view."""
    roots = page.locator("div.nkteach-live")
    for k in range(roots.count()):
        roots.nth(k).scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({LIVE_PENDING_JS})().length === 0", timeout=timeout_ms)
    page.evaluate("() => window.scrollTo(0, 0)")


def wait_drawn(page, timeout_ms: int = 30000) -> None:
    page.wait_for_load_state("load")
    wait_live(page, timeout_ms)
    page.wait_for_function(DRAWN_JS, timeout=timeout_ms)


def print_site(site: Path, out: Path, *, browser=None, log=print, tagged: dict | None = None) -> list[Path]:
    """Write one PDF per lesson page of ``site`` into ``out``; return the PDF paths.

    ``browser``: a running Playwright Chromium to use (default: launch one). ``tagged``: a dict
    that receives, per PDF name, how many charts and maps were printed as figures with alt text."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
            try:
                return print_site(site, out, browser=own, log=log, tagged=tagged)
            finally:
                own.close()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    pages = lesson_pages(site)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(site) as base:
        # About the width of an A4 page's printable area, so charts are laid out for the paper.
        # Twice the pixels per CSS px: the maps are printed as screenshots (maps_as_images).
        ctx = browser.new_context(viewport={"width": PRINT_WIDTH, "height": 1100}, device_scale_factor=2)
        try:
            block_outside(ctx)
            page = ctx.new_page()
            for html_page in pages:
                rel = html_page.relative_to(site).as_posix()
                page.goto(f"{base}/{rel}")
                try:
                    wait_drawn(page)
                except PlaywrightTimeout as e:   # say which page
                    raise PrintError(f"{rel}: the charts were not drawn in time ({e})") from None
                page.evaluate(DROP_HIDDEN_MAPS_JS)
                maps = maps_as_images(page)
                page.emulate_media(media="print")
                page.evaluate(RESIZE_JS)     # lay the charts out again for the printed width
                charts = page.evaluate(ALT_TEXT_JS)   # charts and maps: one /Figure each, summary as /Alt
                page.wait_for_timeout(300)
                pdf = out / (html_page.stem + ".pdf")
                page.pdf(path=str(pdf), format="A4", print_background=True, tagged=True, outline=True,
                         margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
                page.emulate_media(media="screen")
                written.append(pdf)
                if tagged is not None:
                    tagged[pdf.name] = {"charts": charts, "maps": maps}
                log(f"wrote {pdf}")
        finally:
            ctx.close()
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Print every lesson page of the course website to PDF.")
    ap.add_argument("--site", type=Path, default=ROOT / "build" / "site",
                    help="built site (default build/site)")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "pdf", help="PDF folder (default build/pdf)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        if not (a.site / "index.html").is_file():
            raise PrintError(f"--site {a.site} has no index.html; run `make site` first")
        written = print_site(a.site, a.out)
    except PrintError as e:
        print(f"print_pdf: {e}", file=sys.stderr)
        return 2
    print(f"{len(written)} PDFs in {a.out} ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
