"""Building blocks of nkteach maps: offline Leaflet, lean folium elements, the legend.

One class per feature, its HTML/JS in a Jinja template (the style of folium's ``features.py``).
:mod:`nkteach.maps` composes these; nothing here knows about places, periods or claims.

Why not folium's own classes
----------------------------
* **Offline.** ``folium.Map`` links Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers
  from four CDNs. :func:`offline_map` links nothing and inlines the one library a map uses,
  Leaflet 1.9.3 (``nkteach/static/leaflet``, BSD-2-Clause; its two layer-control icons as data
  URIs), so the map draws with no network in JupyterLab, on a hub, on Binder, in a static site
  and in an exported HTML file alike. jQuery was only needed by ``folium.Popup``; :class:`Popup`
  does without it. Base-map tiles stay optional.
* **Speed.** folium renders every element and then wraps the output in ``branca.element.Element``,
  which compiles that output *again* as a Jinja template: for a map with dozens of polygons and
  popups this second compile was most of ``_repr_html_``'s time (and it would evaluate any
  ``{{`` found in data text). The elements here render their template once and pass the text on
  as :class:`_Raw`; polygon geometry is serialised once per feature and reused (:func:`geometry_json`).
* **Escaping.** Text reaches the page only through :func:`esc` (``nkteach.markup.js_safe_text``)
  and then ``tojson`` (which also escapes ``<``, ``>``, ``&`` and ``'`` inside ``<script>``);
  geometry through ``nkteach.markup.script_json``. No module-level state of folium or branca is
  changed: the elements here simply never hand rendered text back to be compiled again.
* **Metadata.** :class:`Map` (a ``folium.Map``) carries what nkteach says about the map: its
  title, text summary and, per map kind, the status table or the places listed or drawn.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from .markup import js_safe_text, script_json
from .validation import unknown_name

STATIC = Path(__file__).with_name("static")
LEAFLET_VERSION = "1.9.3"

__all__ = [
    "esc",
    "leaflet_assets",
    "geometry_json",
    "offline_map",
    "Map",
    "OfflineAssets",
    "FeatureGroup",
    "Area",
    "Line",
    "Marker",
    "Tooltip",
    "Popup",
    "Legend",
    "STATIC",
    "LEAFLET_VERSION",
    "DASH",
]


def esc(text: Any) -> str:
    """HTML-escape data text for layer names, popups and tooltips (:func:`nkteach.markup.js_safe_text`:
    besides ``& < > " '`` it neutralises `` ` $ \\ { }``, so no data text can end a JavaScript
    template literal or be read as a Jinja expression on the way into the page)."""
    return js_safe_text(text)


@functools.lru_cache(maxsize=1)
def leaflet_assets() -> str:
    """Leaflet's CSS and JS as inline ``<style>``/``<script>`` (read once per process)."""
    root = STATIC / "leaflet"

    def data_uri(match: re.Match) -> str:
        png = (root / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, (root / "leaflet.css").read_text("utf-8"))
    js = (root / "leaflet.js").read_text("utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # would end the inline block early
        raise RuntimeError("vendored Leaflet cannot be inlined: it contains a closing tag")
    return f"<style>{css}</style>\n<script>{js}</script>"


_GEOMETRY: dict[int, tuple[Any, str]] = {}


def geometry_json(geometry: dict) -> str:
    """``json.dumps(geometry)``, computed once per geometry object (maps reuse the cached regions)."""
    hit = _GEOMETRY.get(id(geometry))
    if hit is not None and hit[0] is geometry:
        return hit[1]
    text = script_json(geometry)
    if len(_GEOMETRY) > 512:  # monkeypatched or ad-hoc geometries: keep the cache bounded
        _GEOMETRY.clear()
    _GEOMETRY[id(geometry)] = (geometry, text)  # keeping the object pins its id
    return text


class _Raw(Element):
    """Text already rendered: emitted as is, never compiled again as a template."""

    _template = Template("{{ this.code }}")

    def __init__(self, code: str):
        super().__init__()
        self.code = code


class _Lean:
    """Render the element's ``header``/``html``/``script`` macros once, as :class:`_Raw` text."""

    _skip_children: tuple = ()

    def render(self, **kwargs):
        """Emit the element's header/html/script macros once, as raw text, then its children."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} must be added to a map before it is rendered")
        module = self._template.module
        for part in ("header", "html", "script"):
            macro = getattr(module, part, None)
            if macro is not None:
                getattr(figure, part).add_child(_Raw(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            if not isinstance(child, self._skip_children):
                child.render(**kwargs)


class OfflineAssets(MacroElement):
    """Puts the inlined Leaflet (:func:`leaflet_assets`) into the page's ``<head>``, once per page."""

    def __init__(self):
        super().__init__()
        self._name = "OfflineAssets"

    def render(self, **kwargs):
        """Add the inline Leaflet block to the page header (under one name: once per page)."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("OfflineAssets must be added to a map before it is rendered")
        figure.header.add_child(_Raw(leaflet_assets()), name="nkteach_leaflet")


class Map(folium.Map):
    """A ``folium.Map`` that loads nothing from the internet and carries nkteach's metadata.

    Its CDN lists are emptied for this map only (instance attributes: ``folium.Map``'s class
    lists stay as they are) and Leaflet is inlined (:class:`OfflineAssets`). Base-map tiles, if
    asked for, are the one thing it fetches.

    Attributes
    ----------
    title, summary
        The map's title and its text summary (alt text; ``nkteach.maps.summary(m)`` reads it).
    status
        ``control_by_period``: region_id → {"status", "citations", …}, the status drawn.
    missing
        ``places_map``: the place ids asked for that no source locates (listed, not drawn).
    places
        ``country_map``: the located place ids drawn inside the country.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.default_js = []
        self.default_css = []
        OfflineAssets().add_to(self)
        self.title = ""
        self.summary = ""
        self.status: dict[str, dict] = {}
        self.missing: list[str] = []
        self.places: list[str] = []


def offline_map(**kwargs) -> Map:
    """A :class:`Map` (``kwargs`` as for ``folium.Map``) that draws with no network."""
    return Map(**kwargs)


class FeatureGroup(_Lean, folium.FeatureGroup):
    """A layer in the layer control. ``name`` is HTML-escaped (Leaflet inserts it as HTML)."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.featureGroup({{ this.options|tojavascript }})
    {%- if this.show %}.addTo({{ this._parent.get_name() }}){% endif %};
{% endmacro %}""")

    def __init__(self, name: str, show: bool = True):
        super().__init__(name=esc(name), show=show)


class Area(_Lean, folium.map.Layer):
    """One GeoJSON feature (polygon or line) with a fixed style; only the geometry enters the page."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJson({"type":"Feature","properties":{"id":{{ this.feature_id|tojson }}},
    "geometry":{{ this.geometry_json }}}, {style: function() { return {{ this.style|tojson }}; },
    smoothFactor: 1}).addTo({{ this._parent.get_name() }});
{% endmacro %}""")

    def __init__(self, feature: dict, style: dict, feature_id: str):
        super().__init__(name=feature_id, overlay=True, control=False)
        self._name = "Area"
        self.feature_id = feature_id
        self.style = dict(style)
        self.geometry_json = geometry_json(feature["geometry"])
        self.data = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"id": feature_id}, "geometry": feature["geometry"]}
            ],
        }

    def style_function(self, _feature=None) -> dict:
        """The style every feature gets (same signature as folium's)."""
        return dict(self.style)


class Line(_Lean, folium.PolyLine):
    """A schematic polyline between points."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.polyline({{ this.locations|tojson }}, {{ this.options|tojavascript }})
    .addTo({{ this._parent.get_name() }});
{% endmacro %}""")


class Marker(_Lean, folium.Marker):
    """A text marker: a glyph (shape, not colour alone) and the escaped label, as a Leaflet divIcon."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.marker({{ this.location|tojson }},
    {icon: L.divIcon({{ this.icon_options|tojson }})}).addTo({{ this._parent.get_name() }});
{% endmacro %}""")
    _skip_children = (folium.DivIcon,)  # its options are written by the marker's own template

    def __init__(self, location, label: str, glyph: str, color: str):
        html = (
            f'<div class="nk-place" style="color:{color}"><span aria-hidden="true">{esc(glyph)}</span>'
            f"{esc(label)}</div>"
        )
        icon = folium.DivIcon(html=html, icon_size=(150, 24), icon_anchor=(7, 12),
                              class_name="nk-marker")   # 24 px: WCAG 2.5.8 target size
        super().__init__(location, icon=icon)
        self.icon_options = {
            "html": html,
            "iconSize": [150, 24],
            "iconAnchor": [7, 12],
            "className": "nk-marker",
        }


class Tooltip(_Lean, folium.Tooltip):
    """Hover text; ``text`` is escaped here, so callers pass plain text."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.bindTooltip({{ this.text|tojson }}, {"sticky": true});
{% endmacro %}""")

    def __init__(self, text: str):
        super().__init__(esc(text))


class Popup(_Lean, MacroElement):
    """Click text as trusted HTML built from escaped parts (no jQuery, unlike ``folium.Popup``)."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {"maxWidth": {{ this.max_width|tojson }}});
{% endmacro %}""")

    def __init__(self, html: str, max_width: int = 340):
        super().__init__()
        self._name = "Popup"
        self.html = html
        self.max_width = max_width


DASH = {"solid": None, "dashed": "8 5", "dotted": "2 5", "dashdot": "10 4 2 4"}


class Legend(_Lean, MacroElement):
    """The map's legend (title, one row per symbol, credits) and its text summary for screen readers.

    ``rows``: dicts with ``label`` and either ``shape`` (a glyph) or ``color`` + ``dash``
    (a key of :data:`DASH`) + ``fill`` (True, False or a fill colour). Text is escaped by the
    template with :func:`esc`; colours and glyphs come from nkteach's own tables."""

    esc = staticmethod(esc)

    _template = Template("""
{% macro header(this, kwargs) %}
<style>.nk-sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;
clip:rect(0,0,0,0);white-space:nowrap;border:0}
.nk-legend{position:fixed;bottom:28px;right:10px;z-index:1000;background:#fff;padding:6px 9px;
border:1px solid #444;border-radius:4px;font:13px/1.35 Arial,Helvetica,sans-serif;max-width:330px;color:#222}
.nk-legend h4{margin:0 0 4px;font-size:14px}.nk-legend svg{vertical-align:middle;margin-right:5px}
.nk-legend .nk-credits{margin-top:4px;font-size:11px;color:#444}
.nk-place{font:12px/24px Arial,Helvetica,sans-serif;color:#000;white-space:nowrap;
text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff}
.nk-place span{font-size:15px;margin-right:2px}</style>
{% endmacro %}
{% macro swatch(r, dash) %}
{%- set da = dash[r.dash or "solid"] -%}
{%- if r.shape -%}
<span aria-hidden="true" style="color:{{ r.color or '#000' }};font-size:15px;margin-right:5px">
{{- r.shape|e }}</span>
{%- elif r.fill -%}
<svg width="26" height="14" aria-hidden="true"><rect x="1" y="1" width="24" height="12" fill="
{{- r.fill if r.fill is string else r.color }}" fill-opacity="0.35" stroke="{{ r.color }}" stroke-width="2"
{%- if da %} stroke-dasharray="{{ da }}"{% endif %}/></svg>
{%- else -%}
<svg width="26" height="14" aria-hidden="true"><line x1="1" y1="7" x2="25" y2="7" stroke="{{ r.color }}"
 stroke-width="3"{% if da %} stroke-dasharray="{{ da }}"{% endif %}/></svg>
{%- endif -%}
{% endmacro %}
{% macro html(this, kwargs) %}
<div class="nk-legend" role="region" aria-label="Legend"><h4>{{ this.esc(this.title) }}</h4>
{%- for r in this.rows %}<div>{{ swatch(r, this.dash) }}{{ this.esc(r.label) }}</div>{% endfor -%}
<div class="nk-credits">{{ this.esc(this.credits) }}</div></div>
<div class="nk-sr-only" role="note" aria-label="Map summary">{{ this.esc(this.summary) }}</div>
{% endmacro %}""")

    def __init__(self, title: str, rows: list[dict], credits: str, summary: str):
        super().__init__()
        self._name = "Legend"
        self.title, self.rows, self.credits, self.summary = title, [dict(r) for r in rows], credits, summary
        self.dash = DASH
        for r in self.rows:
            if not r.get("shape") and r.get("dash", "solid") not in DASH:
                raise unknown_name(f"dash of legend row {r.get('label')!r}", r.get("dash"), list(DASH))
