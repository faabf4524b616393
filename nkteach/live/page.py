"""A standalone page of live explorers: the tests, the benchmark and a quick look use it.

:func:`write_page` writes ``index.html`` + ``plotly.min.js`` (plotly's own bundled copy) +
``nkteach-live.js`` into a folder; explorers marked lazy get their description as a
same-site JSON file. Serve the folder over HTTP (``python -m http.server``) to open it: a
lazy explorer's JSON is fetched, which ``file://`` pages may not do.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from ..markup import html_text, script_json
from ..validation import InvalidArgumentError, check_type
from .sites import SITES
from .states import RUNTIME_FILE, live_html

__all__ = ["write_page", "plotly_js_path", "serve"]


def plotly_js_path() -> Path:
    """plotly.py's bundled plotly.min.js (the same file the site ships)."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"plotly's bundled plotly.min.js not found at {path}")
    return path


def write_page(folder: Path, descs: list[dict], *, title: str = "nkteach live explorers",
               lazy: bool | None = None) -> Path:
    """Write a page with the live explorers ``descs`` (from :func:`~nkteach.live.describe`)
    into ``folder`` (created if missing; only the files named here are written). ``lazy``:
    True/False for every explorer, None to follow each explorer's :data:`SITES` entry.
    Returns the page's path."""
    folder = Path(folder)
    check_type("descs", descs, list, "a list of live descriptions")
    if folder.is_symlink():
        raise InvalidArgumentError(f"folder {folder} is a symlink; give a real folder")
    folder.mkdir(parents=True, exist_ok=True)
    body = []
    for d in descs:
        is_lazy = SITES[d["name"]].lazy if lazy is None else lazy
        src = None
        if is_lazy:
            src = f"{d['name']}.live.json"
            target = folder / src
            if target.is_symlink():
                raise InvalidArgumentError(f"{target} is a symlink; refusing to write through it")
            target.write_text(script_json(d), encoding="utf-8")
        body.append(f"<section>{live_html(d, src=src)}</section>")
    for src_path, name in ((plotly_js_path(), "plotly.min.js"), (RUNTIME_FILE, "nkteach-live.js")):
        if (folder / name).is_symlink():
            raise InvalidArgumentError(f"{folder / name} is a symlink; refusing to write through it")
        shutil.copyfile(src_path, folder / name)
    page = folder / "index.html"
    page.write_text(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html_text(title)}</title><script src=\"plotly.min.js\"></script></head><body>"
        f"<main><h1>{html_text(title)}</h1>{''.join(body)}</main>"
        "<script src=\"nkteach-live.js\"></script></body></html>\n", encoding="utf-8")
    return page


class serve:
    """``with serve(folder) as base_url:`` a local HTTP server (127.0.0.1, a free port) for
    ``folder``, stopped on leaving the block. For tests and the benchmark."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def __enter__(self) -> str:
        import functools
        import http.server
        import threading

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Quiet, directory=str(self.folder))
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)
        return False
