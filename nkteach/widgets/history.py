"""Explorer of the conflict's history: the timeline with a linked map of places (lesson 2)."""
from __future__ import annotations

import ipywidgets as w

from ..display import map_bundle
from ..validation import check_type, is_missing
from ._range import YearRange
from ._explorer import (
    MECHANISM_PARAM,
    NAMING_DEPENDENT,
    TILES_PARAM,
    WITH_MAP_PARAM,
    Explorer,
    check_mechanism,
    check_tiles,
    chosen_levels,
    level_boxes,
    level_row,
    maps_module,
    validate_params,
)

__all__ = ["timeline_explorer"]

_MAPS_KEPT = 16   # rendered place maps kept per explorer (folium rendering is the slow part)


def _start_year(text) -> int:
    t = str(text)
    return int(t[:5]) if t.startswith("-") else int(t[:4])


def _place_rows(df) -> list[tuple[int, set, list]]:
    """(start year, level codes, place_ids) of each timeline row that names places; parsed
    once per explorer so a slider move only filters."""
    rows = []
    for r in df.to_dict(orient="records"):
        raw = r.get("place_ids")
        if is_missing(raw) or not str(raw).strip():   # NA / NaN / empty
            continue
        lv = {x.strip() for x in str(r.get("levels") or "").split(";")}
        rows.append((_start_year(r["date_start"]), lv,
                     [p.strip() for p in str(raw).split(";") if p.strip()]))
    return rows


def _places_in(rows, years, levels) -> list[str]:
    """place_ids of the events in the window at the ticked levels, in timeline order."""
    from ..levels import level

    a, b = years
    want = {level(k).code for k in levels}   # the timeline's levels column holds codes
    ids: list[str] = []
    for start, lv, places in rows:
        if a <= start <= b and lv & want:
            ids += places
    return list(dict.fromkeys(ids))


@validate_params({"mechanism": MECHANISM_PARAM, "with_map": WITH_MAP_PARAM, "tiles": TILES_PARAM})
def timeline_explorer(*, mechanism: str | None = None, with_map: bool = True,
                      tiles: str | None = "OpenStreetMap") -> Explorer:
    """Timeline filtered by a year window and levels, with a linked map of the places of the
    events in the window (L2). ``.map`` is the current map (or None).

    Parameters
    ----------
    mechanism : {"output", "figurewidget"}, optional
        How the chart is updated (default ``nkteach.widgets.MECHANISM``).
    with_map : bool
        Draw the linked map of places (needs ``nkteach.maps``).
    tiles : str or None
        Base-map tile layer of the linked map; None draws none (works offline).

    Returns
    -------
    Explorer
        Controls ``years`` and ``level:elite|nation|international``.
    """
    from .. import charts
    from ..data import load

    mechanism = check_mechanism(mechanism)
    check_type("with_map", with_map, bool, "True or False")
    tiles = check_tiles(tiles)
    df = load("timeline")
    starts = sorted({_start_year(s) for s in df["date_start"].dropna()})
    # every early event keeps its own stop; from 1800 on every year is a choice
    years = [y for y in starts if y < 1800] + list(range(1800, starts[-1] + 1))
    first = years.index(1988) if 1988 in years else 0
    controls = {"years": YearRange(years, index=(first, len(years) - 1), description="Years"),
                **level_boxes()}
    maps = maps_module() if with_map else None
    map_out = w.Output() if maps else None
    place_rows = _place_rows(df) if maps else []
    state = {"map": None}
    drawn: dict = {}   # (place ids, naming) → (map, outputs): windows often share their places

    def map_for(ids):
        from ..naming import get_naming

        key = (tuple(ids), get_naming())
        if key not in drawn:
            if len(drawn) >= _MAPS_KEPT:
                drawn.pop(next(iter(drawn)))
            m = maps.places_map(ids, tiles=tiles)
            drawn[key] = (m, ({"output_type": "display_data", "metadata": {},
                               "data": map_bundle(m)},))
        return drawn[key]

    figs: dict = {}   # (years, levels) → chart: the chart has no place names, so a change of
    #                   naming policy redraws only the map (the same chart object is not resent)

    def render(v):
        lv = chosen_levels(v)
        a, b = v["years"]
        fkey = (a, b, tuple(lv))
        if fkey not in figs:
            if len(figs) >= _MAPS_KEPT:
                figs.pop(next(iter(figs)))
            figs[fkey] = charts.timeline(df, years=(a, b), levels=lv)
        fig = figs[fkey]
        text = charts.summary(fig)
        if maps is not None:
            ids = _places_in(place_rows, (a, b), lv)
            m, outputs = map_for(ids) if ids else (None, ())
            state["map"] = m
            if map_out.outputs is not outputs:     # same places: nothing to resend
                map_out.outputs = outputs
            if m is not None:
                text += " Map: " + maps.summary(m)
            else:
                text += " Map: no places are recorded for the events in this window."
        return fig, text

    ex = Explorer("timeline_explorer", controls, render, mechanism=mechanism, state=state,
                  layout_controls=[controls["years"], level_row(controls)],
                  title="Timeline by level of analysis",
                  intro="Events of the Nagorno-Karabakh conflict from the seeds. Georgia appears "
                        "only where such an event involves it; nkteach has no timeline of "
                        "Georgia's own conflicts.",
                  extra=[map_out] if map_out else None,
                  side=[(map_out, "outputs")] if map_out else None,
                  moves="Moving the year window or ticking levels filters the events"
                        + (" and redraws the map of their places." if maps else "."))
    if maps:
        NAMING_DEPENDENT.add(ex)
    return ex
