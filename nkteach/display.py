"""Display of charts and maps with their text summaries; imports no ipywidgets.

:func:`show` displays a plotly figure or a folium map followed by its text summary;
:func:`mime_bundle` is the display bundle of a plotly figure, built without
``plotly.io.renderers`` (whose import pulls in nbformat, ≈2 s); :func:`summary_of` reads
the text summary an nkteach chart or map carries; :func:`static_chart_html` is the
kernel-free markup the static site draws (``div.nkteach-plotly`` holding the figure JSON).
The explorers (``nkteach.widgets``) build on these helpers.
"""
from __future__ import annotations

import json
import re
import sys
import uuid
from typing import Any

from .markup import html_attr, html_text, script_json
from .validation import Anything, InvalidArgumentError, Text, validate_params

__all__ = ["show", "mime_bundle", "summary_of", "plotly_spec", "static_chart_html", "map_bundle",
           "map_html", "summary_bundle", "summary_html", "new_summary_id", "is_plotly", "is_folium",
           "title_of", "plain_title", "compact_json", "PLOTLY_MIME", "CONFIG"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
CONFIG = {"displaylogo": False, "responsive": True}


def is_plotly(obj: Any) -> bool:
    """True for a plotly figure (``go.Figure`` / ``go.FigureWidget``)."""
    return type(obj).__module__.startswith("plotly.") and hasattr(obj, "to_plotly_json")


def is_folium(obj: Any) -> bool:
    """True for a folium map (or any branca element that renders to HTML)."""
    branca = sys.modules.get("branca.element")     # loaded if obj is one: nothing to import
    return branca is not None and isinstance(obj, branca.Element) and hasattr(obj, "_repr_html_")


def summary_of(obj: Any) -> str:
    """The text summary carried by an nkteach chart or map ('' if none)."""
    if is_plotly(obj):
        meta = obj.layout.meta
        return str(meta.get("summary", "")) if isinstance(meta, dict) else ""
    if is_folium(obj):
        from . import maps  # folium is already loaded: obj is a folium map

        try:
            return maps.summary(obj)
        except (ValueError, KeyError, AttributeError):   # not a map made by nkteach.maps
            return ""
    return ""


def title_of(fig: Any) -> str:
    """The plain-text title of a plotly figure ('chart' if it has none)."""
    t = fig.layout.title.text if fig.layout.title else None
    return str(t) if t else "chart"


def _lean_template(spec: dict) -> None:
    """Drop the template's defaults for trace types the figure does not draw (in place).

    The registered ``nkteach`` template carries defaults for every plotly trace type (≈40);
    plotly.js applies only those of the types present, so the rest is dead weight on every
    update (about half of a small chart's JSON)."""
    tpl = spec.get("layout", {}).get("template")
    if not isinstance(tpl, dict) or not isinstance(tpl.get("data"), dict):
        return
    used = {t.get("type", "scatter") for t in spec.get("data", [])}
    tpl["data"] = {k: v for k, v in tpl["data"].items() if k in used}


def plotly_spec(fig: Any) -> dict:
    """The figure as plain JSON data (numpy arrays, dates and NaN handled by plotly) with the
    template trimmed to the trace types drawn and nkteach's display config."""
    spec = json.loads(fig.to_json())
    _lean_template(spec)
    spec["config"] = dict(CONFIG)
    return spec


def _fallback_note(fig: Any) -> str:
    return (f'<div class="nkteach-chart-fallback"><p><i>Interactive chart “{html_text(title_of(fig))}”: '
            "open this notebook in JupyterLab to see it. Its text summary follows.</i></p></div>")


def mime_bundle(fig: Any, spec: dict | None = None) -> dict:
    """The display bundle of a plotly figure, built without plotly.io.renderers (no nbformat).

    JupyterLab draws ``application/vnd.plotly.v1+json`` with its bundled plotly.js
    (jupyterlab-plotly, offline); other viewers get a small HTML note instead of 5 MB of JS."""
    spec = spec if spec is not None else plotly_spec(fig)
    return {PLOTLY_MIME: spec, "text/html": _fallback_note(fig),
            "text/plain": f"<chart: {title_of(fig)}>"}


def compact_json(data: Any) -> str:
    """JSON without spaces, safe inside an HTML ``<script>`` element (:func:`nkteach.markup.script_json`)."""
    return script_json(data)


def plain_title(layout: Any) -> str:
    """The title of a figure's layout (a dict or plotly layout) as plain text: tags such as
    ``<br>`` become spaces ('chart' if there is no title)."""
    title = layout.get("title") if isinstance(layout, dict) else getattr(layout, "title", None)
    text = title.get("text") if isinstance(title, dict) else getattr(title, "text", title)
    text = re.sub(r"<[^>]+>", " ", str(text or "")).strip()
    return re.sub(r"\s+", " ", text) or "chart"


def static_chart_html(fig: Any = None, spec: dict | None = None) -> str:
    """Kernel-free markup of a chart: ``<div class="nkteach-plotly" role="img" aria-label=TITLE>``
    holding the figure as compact JSON in ``<script type="application/json">``. The static site
    loads one local plotly.js and draws every ``div.nkteach-plotly``; no plotly.js here.

    Give the figure, or only its JSON ``spec`` (the site build has the notebook output, not a
    figure): ``static_chart_html(spec=output["application/vnd.plotly.v1+json"])``."""
    if fig is None and spec is None:
        raise InvalidArgumentError("static_chart_html needs fig or spec; got neither")
    spec = spec if spec is not None else plotly_spec(fig)
    label = plain_title(spec.get("layout") or {})
    return (f'<div class="nkteach-plotly" role="img" aria-label="{html_attr(label)}">'
            f'<script type="application/json">{script_json(spec)}</script></div>')


def summary_html(text: str, id: str | None = None) -> str:
    """The text summary as an HTML paragraph (``p.nkteach-summary``), escaped; ``id`` (optional)
    lets a map's iframe name it as its description."""
    ident = f' id="{html_attr(id)}"' if id else ""
    return f'<p class="nkteach-summary"{ident}><b>Summary:</b> {html_text(text)}</p>'


def summary_bundle(text: str, id: str | None = None) -> dict:
    """The display bundle of a text summary (HTML paragraph and plain text)."""
    return {"text/html": summary_html(text, id), "text/plain": f"Summary: {text}"}


def new_summary_id() -> str:
    """A fresh HTML id for a map's text summary (unique across cells, notebooks and pages)."""
    return f"nkteach-map-summary-{uuid.uuid4().hex[:10]}"


def map_html(m: Any, *, describedby: str | None = None) -> str:
    """A folium map's notebook HTML (an iframe whose srcdoc is the map page). nkteach's own map
    elements (``nkteach.mapkit``) render their templates once; nothing global is patched.

    The iframe gets ``title="Map: <the map's title>"`` (WCAG 4.1.2) and, given ``describedby``,
    ``aria-describedby`` naming the id of its text summary (:func:`summary_html`)."""
    out = m._repr_html_()
    attrs = f' title="{html_attr("Map: " + (str(getattr(m, "title", "") or "").strip() or "untitled"))}"'
    if describedby:
        attrs += f' aria-describedby="{html_attr(describedby)}"'
    # folium escapes the map page into srcdoc, so the first "<iframe " is folium's own
    return out.replace("<iframe ", f"<iframe{attrs} ", 1)


def map_bundle(m: Any, *, summary_id: str | None = None) -> dict:
    """The display bundle of a folium map: given ``summary_id``, a link to skip past the map to
    its summary (keyboard users), then the map described by that summary."""
    skip = (f'<a class="nkteach-skip-map" href="#{html_attr(summary_id)}">Skip past the map to its '
            "summary</a>") if summary_id else ""
    return {"text/html": skip + map_html(m, describedby=summary_id), "text/plain": "<map>"}


@validate_params({
    "obj": Anything("a chart, a map or an explorer", hostile=[("None", None)]),
    "summary": Text(optional=True, empty=True)})
def show(obj: Any, summary: str | None = None) -> None:
    """Display a chart (plotly) or map (folium) followed by its text summary.

    Parameters
    ----------
    obj
        A figure from ``nkteach.charts`` or a map from ``nkteach.maps``; anything else
        (e.g. an explorer) is displayed as is.
    summary
        The text shown under it; by default the summary the chart or map carries.

    Raises
    ------
    InvalidArgumentError
        If the chart or map has no text summary and none is given.
    """
    from IPython.display import display

    if obj is None:
        raise InvalidArgumentError("obj is None: show() needs something to display; allowed: a figure "
                                   "from nkteach.charts, a map from nkteach.maps or an explorer from "
                                   "nkteach.widgets (did a function return None instead of a figure?)")
    if not (is_plotly(obj) or is_folium(obj)):
        display(obj)
        return
    text = summary if summary is not None else summary_of(obj)
    if not text:
        raise InvalidArgumentError(
            "this figure/map has no text summary (every chart and map needs one): make it with "
            "nkteach.charts / nkteach.maps, or pass show(obj, summary=...)")
    sid = new_summary_id() if is_folium(obj) else None
    display(mime_bundle(obj) if is_plotly(obj) else map_bundle(obj, summary_id=sid), raw=True)
    display(summary_bundle(text, sid), raw=True)
