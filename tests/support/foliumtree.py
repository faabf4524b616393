"""Walk a folium element tree and read a rendered map page as the browser will see it
(shared by tests/test_maps.py and tests/test_maps_browser.py)."""

from __future__ import annotations

import json
import re

# The JavaScript calls through which nkteach maps hand HTML to Leaflet (which inserts it as HTML).
_JSON_STR = r'"(?:[^"\\]|\\.)*"'
_HTML_SINKS = [
    re.compile(rf"\.(?:bindPopup|bindTooltip)\(({_JSON_STR})"),
    re.compile(rf'"html":\s*({_JSON_STR})'),
]
_LAYER_KEYS = re.compile(r"(?:base_layers|overlays)\s*:\s*\{(.*?)\}", re.S)


def walk(el, cls) -> list:
    """Every descendant of ``el`` that is an instance of ``cls``, depth first."""
    out = []
    for ch in el._children.values():
        if isinstance(ch, cls):
            out.append(ch)
        out += walk(ch, cls)
    return out


def html_strings(page: str) -> list[str]:
    """Every HTML string the page's scripts give Leaflet: popups, tooltips, divIcon labels and
    layer-control names, decoded from their JavaScript string literals."""
    out = [json.loads(m.group(1)) for rx in _HTML_SINKS for m in rx.finditer(page)]
    for block in _LAYER_KEYS.finditer(page):
        out += [json.loads(k) for k in re.findall(rf"({_JSON_STR})\s*:", block.group(1))]
    return out


def visible_html(page: str) -> str:
    """The page plus every HTML string its scripts insert: what ends up in the DOM as HTML."""
    return page + "\n" + "\n".join(html_strings(page))
