"""Walk a folium element tree (shared by tests/test_maps.py and tests/test_maps_browser.py)."""
from __future__ import annotations


def walk(el, cls) -> list:
    """Every descendant of ``el`` that is an instance of ``cls``, depth first."""
    out = []
    for ch in el._children.values():
        if isinstance(ch, cls):
            out.append(ch)
        out += walk(ch, cls)
    return out
