"""One lesson as one HTML file that works offline, opened from disk (``nkteach export-html``).

The lesson (run already, or run here with ``run=True``) is exported by nbconvert's
``HTMLExporter`` (lab template) after its outputs are made kernel-free as on the course site:

- a plotly chart becomes ``div.nkteach-plotly`` (its figure JSON), drawn in the page;
- an explorer that :data:`nkteach.live.SITES` covers replaces its frozen first view with its
  live markup (:func:`nkteach.live.live_html`), its states **inline** (a page opened from
  ``file://`` cannot fetch a JSON file beside it, so nothing is lazy here); an explorer not
  covered (or ``frozen``) keeps its first view and the note on its controls;
- a widget view is dropped: its ``text/html`` fallback is shown, or a short note when it has none.

The page carries what it needs, each once and inline: plotly's own ``plotly.min.js`` (the one
plotly.py ships), the site's ``nkteach-site.js`` and ``nkteach-site.css`` (they draw the charts
and label the maps) and the live runtime ``nkteach-live.js`` (:data:`nkteach.live.RUNTIME_FILE`).
The lab template's script loads from the internet (require.js, MathJax, mermaid, the widget
manager) are left out, and images of the markdown cells are embedded: nothing is fetched but
the optional base-map tiles of a map.

:func:`live_markup` is the one rule "this output is an explorer's first view with a live
version": the site build (``scripts/build_site.py``) uses it too.
"""
from __future__ import annotations

import copy
import json
import os
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..validation import InvalidArgumentError

__all__ = ["EXPLORER_FIRST_VIEW", "ExportError", "Exported", "PLOTLY_MIME", "SITE_STATIC", "SUFFIXES",
           "WIDGET_MIME", "WIDGET_NOTE", "export_html", "export_lesson", "kernel_free", "live_markup",
           "widget_output", "explorer_args", "live_requests", "variant_name", "LIVE_ARGS",
           "run_notebook", "site_assets"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: an explorer's frozen first view (``nkteach.widgets._explorer.Explorer.static_html``) opens so
EXPLORER_FIRST_VIEW = re.compile(r'<div class="nkteach-explorer-static" data-explorer="([a-z_]+)"'
                                 r'(?: data-explorer-args="([^"]*)")?')
#: the factory arguments a first view may name (``Explorer.args``), and the values allowed: the
#: page is rebuilt from them, so nothing else in a (possibly edited) notebook reaches a factory
LIVE_ARGS = {"with_map": (True, False)}
#: shown in place of a widget view that has no ``text/html`` fallback
WIDGET_NOTE = ('<p class="nkteach-widget-note"><i>Interactive control: it works in the live '
               "lesson, in Jupyter.</i></p>")
SITE_STATIC = Path(__file__).resolve().parents[2] / "site" / "static"
SUFFIXES = (".html", ".htm")

# The lab template without its loads from the internet (require.js, the widget manager, MathJax,
# mermaid); the page's own styles and scripts are put in by export_html (placeholders below).
_TEMPLATE = "nkteach-offline.html.j2"
_CSS_MARK = "<!--nkteach-export-css-->"
_JS_MARK = "<!--nkteach-export-js-->"
_TEMPLATE_TEXT = ("{%- extends 'index.html.j2' -%}\n"
                  "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
                  "{% block jupyter_widgets %}{% endblock jupyter_widgets %}\n"
                  "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
                  "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
                  f"{{% block extra_css %}}{_CSS_MARK}{{% endblock extra_css %}}\n"
                  f"{{% block footer_js %}}{_JS_MARK}{{% endblock footer_js %}}\n")


class ExportError(InvalidArgumentError):
    """The lesson cannot be exported to the file asked for (the message says why and what to do);
    ``needs`` names the keyword that would allow it (``"force"``), if any."""

    def __init__(self, message: str, needs: str | None = None):
        super().__init__(message)
        self.needs = needs


@dataclass
class Exported:
    """What :func:`export_lesson` wrote: the file and what the page holds (``counts``: charts,
    live explorers, frozen explorers, widget fallbacks and notes)."""

    path: Path
    counts: dict = field(default_factory=dict)
    live: list[str] = field(default_factory=list)
    frozen: list[str] = field(default_factory=list)


def live_markup(page: str, markup_for: Callable[[str, dict], str | None]) -> str | None:
    """The live markup that replaces HTML output ``page`` when it is an explorer's frozen first
    view and ``markup_for(name, args)`` gives one (``args``: the factory arguments the first view
    names, checked against :data:`LIVE_ARGS`); None otherwise (the output stays as it is)."""
    found = EXPLORER_FIRST_VIEW.search(page or "")
    if not found:
        return None
    return markup_for(found.group(1), explorer_args(found.group(2)))


def live_requests(nb: dict) -> list[tuple[str, dict]]:
    """``(explorer name, factory arguments)`` of each explorer first view among notebook JSON
    ``nb``'s widget outputs whose explorer is live (:data:`nkteach.live.SITES`): the
    descriptions a kernel-free page of it needs (for :func:`nkteach.live.prefetch`)."""
    from ..live import SITES

    found = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            if WIDGET_MIME not in data:
                continue
            view = EXPLORER_FIRST_VIEW.search(_text(data.get("text/html")) or "")
            if view and SITES.get(view.group(1)) and SITES[view.group(1)].mechanism != "frozen":
                request = (view.group(1), explorer_args(view.group(2)))
                if request not in found:
                    found.append(request)
    return found


def explorer_args(attr: str | None) -> dict:
    """The factory arguments of a first view's ``data-explorer-args`` (HTML-escaped JSON), each
    checked against :data:`LIVE_ARGS`; an error names what is wrong and what is allowed."""
    if not attr:
        return {}
    try:
        args = json.loads(html.unescape(attr))
    except ValueError:
        raise ExportError(f"data-explorer-args {attr[:80]!r} is not JSON") from None
    if not isinstance(args, dict):
        raise ExportError(f"data-explorer-args must be a JSON object; got {attr[:80]!r}")
    for k, v in args.items():
        if k not in LIVE_ARGS or not any(v is a for a in LIVE_ARGS[k]):
            allowed = "; ".join(f"{n}: {', '.join(map(repr, vals))}" for n, vals in LIVE_ARGS.items())
            raise ExportError(f"data-explorer-args: {k}={v!r:.40} is not allowed; allowed: {allowed}")
    return args


def _inline_script(code: str) -> str:
    """JavaScript source safe inside an inline ``<script>``: ``</script``, ``<script`` and
    ``<!--`` (in comments and strings only, in the files shipped) written as ``\\x3C…``."""
    return re.sub(r"<(?=/?script|!--)", r"\\x3C", code, flags=re.IGNORECASE)


def site_assets() -> dict[str, Path]:
    """The files an exported page inlines: ``plotly.min.js`` (plotly.py's bundled copy),
    ``nkteach-site.js``, ``nkteach-site.css`` and ``nkteach-live.js``; an error naming a missing one."""
    from ..live import RUNTIME_FILE

    try:
        import plotly
    except ImportError:
        raise ExportError("exporting a lesson needs plotly (pip install plotly)") from None
    files = {"plotly.min.js": Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
             "nkteach-site.js": SITE_STATIC / "nkteach-site.js",
             "nkteach-site.css": SITE_STATIC / "nkteach-site.css",
             "nkteach-live.js": Path(RUNTIME_FILE)}
    for name, path in files.items():
        if not path.is_file():
            raise ExportError(f"{name} not found at {path}: the export needs it (nkteach's site/static "
                              "folder from a checkout of the repository, and plotly's bundled copy)")
    return files


def _text(value) -> str | None:
    return "".join(value) if isinstance(value, list) else value


def variant_name(name: str, args: dict) -> str:
    """``name``, or ``name--key-value…`` for an explorer built with factory arguments ``args``
    (the name of its description, e.g. its same-site JSON file)."""
    return name + "".join(f"--{k}-{json.dumps(v)}" for k, v in sorted(args.items()))


def _live_maker(on: bool = True) -> tuple[Callable[..., str | None], list[str], list[str]]:
    """``markup_for(name)`` for this page (each description fetched once per page from
    :func:`nkteach.live.described`; a second view of the same explorer gets its own element ids;
    ``on=False``: none is live), and the lists of live and frozen explorers it saw."""
    from ..live import SITES, described, live_html

    descs: dict[str, dict] = {}
    seen: dict[str, int] = {}
    live, frozen = [], []

    def markup_for(name: str, args: dict | None = None) -> str | None:
        spec = SITES.get(name)
        if not on or spec is None or spec.mechanism == "frozen":
            frozen.append(name)
            return None
        key = variant_name(name, args or {})
        if key not in descs:
            descs[key] = described(name, **(args or {}))   # computed once per process
        seen[key] = seen.get(key, 0) + 1
        uid = f"nkl-{key}" + (f"-{seen[key]}" if seen[key] > 1 else "")
        live.append(name)
        return live_html(descs[key], uid=uid)      # no src: the states are in the page

    return markup_for, live, frozen


def kernel_free(nb: dict, markup_for: Callable[[str], str | None] | None) -> dict:
    """Make notebook JSON ``nb``'s outputs kernel-free (in place): charts as ``div.nkteach-plotly``,
    widget views dropped for their fallback (live markup where ``markup_for`` gives one); return
    counts."""
    from ..display import static_chart_html

    counts = {"charts": 0, "live": 0, "fallbacks": 0, "widget_notes": 0}
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            data = out.get("data")
            if not isinstance(data, dict):
                continue
            if PLOTLY_MIME in data:
                data["text/html"] = static_chart_html(spec=data.pop(PLOTLY_MIME))
                counts["charts"] += 1
            if WIDGET_MIME in data:
                counts[widget_output(data, markup_for)] += 1
    return counts


def widget_output(data: dict, markup_for: Callable[..., str | None] | None, note: str = WIDGET_NOTE) -> str:
    """Make the output ``data`` of a widget view kernel-free (in place): the live markup
    ``markup_for`` gives for an explorer's first view, else its ``text/html`` fallback (an
    exercise's form, a panel's checklist), else ``note`` (what the page says of a control that
    works only in the live lesson). The view itself goes: on a
    static page no kernel is there to draw it. Returns what it shows: ``"live"``,
    ``"fallbacks"`` or ``"widget_notes"``."""
    page = _text(data.get("text/html"))
    live = live_markup(page, markup_for) if (markup_for and page) else None
    if live is not None:
        data["text/html"], shown = live, "live"
    elif page is None:
        data["text/html"], shown = note, "widget_notes"
    else:
        shown = "fallbacks"
    data.pop(WIDGET_MIME)
    data.pop("text/plain", None)
    return shown


def export_html(nb: dict, *, name: str = "lesson",
                live: bool = True) -> tuple[str, dict, list[str], list[str]]:
    """Notebook JSON ``nb`` (with its outputs) as one offline HTML page: ``(html, counts, live
    explorers, frozen explorers)``. ``name``: the page title when the notebook has none.
    ``live=False`` keeps every explorer's frozen first view."""
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise InvalidArgumentError(f"nb must be notebook JSON (a dict with a 'cells' list); got "
                                   f"{type(nb).__name__}")
    files = site_assets()
    nb = copy.deepcopy(nb)
    if live:      # the descriptions this page needs, several at once (one per core)
        from ..live import prefetch
        prefetch(live_requests(nb))       # skips those this process has already
    markup_for, live_names, frozen = _live_maker(live)
    counts = kernel_free(nb, markup_for)
    node = nbformat.reads(json.dumps(nb), as_version=4)
    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({_TEMPLATE: _TEMPLATE_TEXT})],
                            template_file=_TEMPLATE, embed_images=True)
    body, _ = exporter.from_notebook_node(node, resources={"metadata": {"name": name}})
    if body.count(_CSS_MARK) != 1 or body.count(_JS_MARK) != 1:
        raise ExportError("nbconvert's lab template changed: the export's style and script "
                          "blocks were not placed once each")
    css = files["nkteach-site.css"].read_text(encoding="utf-8").replace("</", "<\\/")
    js = "".join(f"<script>{_inline_script(files[n].read_text(encoding='utf-8'))}</script>\n"
                 for n in ("plotly.min.js", "nkteach-site.js", "nkteach-live.js"))
    body = body.replace(_CSS_MARK, f"<style>{css}</style>").replace(_JS_MARK, js)
    counts["frozen"] = len(frozen)
    return body, counts, live_names, frozen


def run_notebook(nb: dict, path: Path, *, timeout: int = 600) -> dict:
    """Notebook JSON ``nb`` run in a fresh kernel (working folder: ``path``'s folder; the kernel
    is told it runs ``path``, as JupyterLab's is); return the notebook with its outputs."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    node = nbformat.reads(json.dumps(nb), as_version=4)     # sources as strings
    client = NotebookClient(node, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(Path(path).resolve().parent)}})
    env = {**os.environ, "JPY_SESSION_NAME": str(Path(path).resolve())}
    try:
        client.execute(env=env)
    except CellExecutionError as e:
        raise ExportError(f"{path} failed to run:\n{str(e)[-2000:]}") from None
    return json.loads(nbformat.writes(node))


def _has_outputs(nb: dict) -> bool:
    return any(c.get("outputs") for c in nb.get("cells", []) if c.get("cell_type") == "code")


def export_lesson(notebook, out=None, *, run: bool = False, force: bool = False, live: bool = True,
                  timeout: int = 600) -> Exported:
    """Export lesson ``notebook`` (a .ipynb file) as one offline HTML file ``out`` (default: the
    notebook's name with ``.html``, beside it). ``run``: run it first in a fresh kernel (else its
    saved outputs are used; a notebook without outputs is refused). An existing ``out`` is
    replaced only with ``force``; a symbolic link never."""
    from ..classroom.safefile import refuse_symlink, write_atomic
    from ..lessonfile import read_notebook

    src = Path(notebook)
    nb = read_notebook(src)
    target = Path(out) if out is not None else src.with_suffix(".html")
    if target.suffix.lower() not in SUFFIXES:
        raise ExportError(f"out must be an .html file; got {str(target)!r}")
    refuse_symlink(target, "out")
    if target.exists():
        if target.is_dir():
            raise ExportError(f"out {target} is a folder; give a file name ending in .html")
        if not force:
            raise ExportError(f"out {target} exists; choose another file or allow replacing it",
                              needs="force")
    if not target.parent.is_dir():
        raise ExportError(f"out {target}: the folder {target.parent} does not exist")
    if run:
        nb = run_notebook(nb, src, timeout=timeout)
    elif not _has_outputs(nb):
        raise ExportError(f"notebook {src} has no outputs (it was saved without running it); "
                          "run it first, or let the export run it", needs="run")
    page, counts, live_names, frozen = export_html(nb, name=src.stem, live=live)
    write_atomic(target, page, what="out")
    return Exported(target, counts, live_names, frozen)
