"""Explorers of places and names: control of territory by period, and the naming toggle
(lessons 1, 2, 7 and 8)."""
from __future__ import annotations

import ipywidgets as w

from ._explorer import TILES_PARAM, validate_params, NAMING_DEPENDENT, Explorer, check_tiles

__all__ = ["control_by_period_explorer", "naming_toggle"]

_PERIOD_TIPS = {"1994": "the 1994 ceasefire", "2020": "the November 2020 statement",
                "2023": "September 2023"}


@validate_params({"tiles": TILES_PARAM})
def control_by_period_explorer(*, tiles: str | None = "OpenStreetMap") -> Explorer:
    """Who controlled what: buttons 1994 / 2020 / 2023 → ``maps.control_by_period`` (L2, L7).

    Parameters
    ----------
    tiles : str or None
        Base-map tile layer; None draws none (works offline).

    Returns
    -------
    Explorer
        Control ``period``; ``.figure`` is the folium map shown.
    """
    from .. import maps

    tiles = check_tiles(tiles)
    controls = {"period": w.ToggleButtons(options=list(maps.PERIODS), value=maps.PERIODS[0],
                                          description="Situation after",
                                          tooltips=[_PERIOD_TIPS.get(p, p) for p in maps.PERIODS])}

    def render(v):
        m = maps.control_by_period(v["period"], tiles=tiles)
        return m, maps.summary(m)

    ex = Explorer("control_by_period_explorer", controls, render,
                  title="Control of territory by period",
                  intro="Nagorno-Karabakh and the districts around it; nkteach has no such map "
                        "for Georgia's conflicts.",
                  moves="Choosing 1994, 2020 or 2023 redraws the map of who controlled which area "
                        "after that date.")
    NAMING_DEPENDENT.add(ex)
    return ex


@validate_params({})
def naming_toggle() -> Explorer:
    """Buttons both / armenian / azerbaijani / seed → ``nkteach.set_naming``; refreshes the
    map and timeline explorers already on screen.

    Returns
    -------
    Explorer
        Control ``naming``; its summary gives example place names in the chosen usage.
    """
    from .. import naming

    labels = {"both": "Both usages", "armenian": "Armenian usage",
              "azerbaijani": "Azerbaijani usage", "seed": "As in the seed"}
    controls = {"naming": w.ToggleButtons(options=[(labels.get(n, n), n) for n in naming.NAMINGS],
                                          value=naming.get_naming(), description="Place names",
                                          tooltips=[labels.get(n, n) for n in naming.NAMINGS])}

    def render(v):
        if v["naming"] != naming.get_naming():
            naming.set_naming(v["naming"])
            for ex in list(NAMING_DEPENDENT):
                ex.update()
        examples = "; ".join(naming.place_name(p) for p in ("stepanakert", "shusha", "lachin"))
        return None, (f"Places are labelled with {labels.get(v['naming'], v['naming']).lower()}"
                      + (f", e.g. {examples}." if examples else "."))

    # not cached: its render sets the global policy; the explorers it refreshes use their caches
    return Explorer("naming_toggle", controls, render, title="", cache=False,
                    moves="Choosing a usage relabels the places on every map and timeline shown.")
