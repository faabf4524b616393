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


def _kept(cache: dict, key, make):
    """``cache[key]``, made by ``make()`` when missing; the oldest entry goes once ``_MAPS_KEPT``
    are kept."""
    if key not in cache:
        if len(cache) >= _MAPS_KEPT:
            cache.pop(next(iter(cache)))
        cache[key] = make()
    return cache[key]


def _year_slider(df) -> YearRange:
    """The year window (two named dropdowns, see :class:`YearRange`): every early event keeps its
    own stop; from 1800 on every year is a choice; it opens on 1988 to the last year."""
    starts = sorted({_start_year(s) for s in df["date_start"].dropna()})
    years = [y for y in starts if y < 1800] + list(range(1800, starts[-1] + 1))
    first = years.index(1988) if 1988 in years else 0
    return YearRange(years, index=(first, len(years) - 1), description="Years")


class _LinkedMap:
    """The map of the places of the events in the window, shown in its own output area."""

    def __init__(self, maps, tiles, df):
        self.maps, self.tiles = maps, tiles
        self.out = w.Output()
        self.place_rows = _place_rows(df)
        self.drawn: dict = {}   # (place ids, naming) → (map, outputs): windows often share their places

    def _map_for(self, ids):
        from ..naming import get_naming

        def make():
            m = self.maps.places_map(ids, tiles=self.tiles)
            return m, ({"output_type": "display_data", "metadata": {}, "data": map_bundle(m)},)

        return _kept(self.drawn, (tuple(ids), get_naming()), make)

    def show(self, years, levels) -> tuple:
        """Show the map of the window's places; return (the map or None, its text summary)."""
        ids = _places_in(self.place_rows, years, levels)
        m, outputs = self._map_for(ids) if ids else (None, ())
        if self.out.outputs is not outputs:     # same places: nothing to resend
            self.out.outputs = outputs
        if m is None:
            return None, "no places are recorded for the events in this window."
        return m, self.maps.summary(m)


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
    controls = {"years": _year_slider(df), **level_boxes()}
    maps = maps_module() if with_map else None
    linked = _LinkedMap(maps, tiles, df) if maps else None
    state = {"map": None}
    figs: dict = {}   # (years, levels) → chart: the chart has no place names, so a change of
    #                   naming policy redraws only the map (the same chart object is not resent)

    def render(v):
        lv = chosen_levels(v)
        a, b = v["years"]
        fig = _kept(figs, (a, b, tuple(lv)), lambda: charts.timeline(df, years=(a, b), levels=lv))
        text = charts.summary(fig)
        if linked is not None:
            state["map"], map_text = linked.show((a, b), lv)
            text += " Map: " + map_text
        return fig, text

    map_out = linked.out if linked else None
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
    if not with_map:
        ex.args = {"with_map": False}
    if maps:
        NAMING_DEPENDENT.add(ex)
    return ex
