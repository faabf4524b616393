"""nkteach — interactive lessons on the Nagorno-Karabakh conflict through the levels of analysis.

Quick use::

    import nkteach
    nkteach.datasets()                 # what is there
    df = nkteach.load("facebook_poll_2011")
    nkteach.info("arms_imports")       # description, licence, caveats, codebook
    nkteach.cite("arms_imports", style="bibtex")

Importing nkteach is cheap: pandas, plotly, folium and ipywidgets load only when a
dataset, chart, map or widget is first asked for.
"""
from __future__ import annotations

import importlib

from .data import DataIntegrityError, UnknownDatasetError, cite, datasets, info, load, references
from .naming import get_naming, place_name, set_naming

__version__ = "0.1.0"
__all__ = ["load", "info", "cite", "datasets", "references", "set_naming", "get_naming", "place_name",
           "UnknownDatasetError", "DataIntegrityError",
           "levels", "charts", "maps", "widgets", "exercises", "show"]

_LAZY = {"levels", "charts", "maps", "widgets", "exercises", "naming", "data", "cli"}


def __getattr__(name: str):
    # Submodules load on first use so that `import nkteach` stays light.
    if name == "show":  # nkteach.show(fig_or_map): chart/map + its text summary
        from .display import show
        return show
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nkteach' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _LAZY | {"show"})
