"""Explorers: controls + a chart or map + its text summary, updating together.

Each explorer returns an :class:`Explorer` (an ipywidgets ``VBox``, ``nkteach.widgets._explorer``)
with ``.controls`` (name → widget), ``.figure`` (the current plotly figure or folium map),
``.summary`` (the current text summary, also shown in an ``aria-live`` region) and
``.update()``. The explorers are listed once, in :data:`~nkteach.widgets._registry.EXPLORERS`
(name, older aliases, what each draws, its theme module); :func:`explorers` reads it.

Layout: ``_explorer.py`` is the engine (update, cache, error display, static fallback);
one module per theme defines the explorers (``arms``, ``governance``, ``opinion``,
``history``, ``network``, ``forecast``, ``diplomacy``, ``places``). ``show``/``mime_bundle``/``summary_of``
live in ``nkteach.display`` (no ipywidgets) and are re-exported here.

Importing this package is cheap: the engine and the theme modules (and ipywidgets) load
when an explorer or ``Explorer`` is first asked for.
"""
from __future__ import annotations

from collections.abc import Callable

from ..display import mime_bundle, show, summary_of
from ._registry import EXPLORERS, all_names, spec

__all__ = ["show", "mime_bundle", "summary_of", "explorers", "Explorer", "MECHANISM",
           "MECHANISMS", "EXPLORERS", *all_names()]

MECHANISMS = ("output", "figurewidget")
#: default update mechanism of new explorers (see ``_explorer.py``); benchmarks switch it
MECHANISM = "output"


def explorers() -> dict[str, Callable]:
    """Every explorer factory by public name, from the registry (aliases not repeated)."""
    return {s.name: s.factory for s in EXPLORERS}


def __getattr__(name: str):
    if name == "Explorer":
        from ._explorer import Explorer
        return Explorer
    if name in all_names():
        return spec(name).factory
    raise AttributeError(f"module 'nkteach.widgets' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"Explorer"} | set(all_names()))
