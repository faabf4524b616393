"""Maps: pure functions returning ``folium.Map``, each with a text summary (:func:`summary`).

``overview()``, ``control_by_period(period)``, ``corridors()``, ``places_map(place_ids)`` and
``country_map(country)`` draw only geometry from the package's ``regions``, ``places`` and
``pipelines`` datasets (Natural Earth, GeoNames, Global Energy Monitor) and take who-held-what
claims, with their citations, from the ``timeline`` and ``seed_facts`` tables. Lines that no
source gives (the November 2020 line, the Soviet NKAO boundary) are never drawn; schematic lines are
labelled as such. Every label follows :func:`nkteach.set_naming` or the ``naming=`` argument.
``tiles=None`` draws no tile layer (offline classrooms, tests). folium loads lazily.

Every map draws with no internet (Leaflet is inlined, see :mod:`nkteach.mapkit`); base-map tiles
are the only optional download. Every data text is escaped (:func:`esc`) before it reaches the page.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import naming as _naming
from .data import load, on_clear
from .markup import js_safe_text
from .validation import (
    Anything,
    InvalidArgumentError,
    Options,
    UnknownNameError,
    check_choice,
    is_missing,
    unknown_name,
    validate_params,
)

__all__ = ["overview", "control_by_period", "corridors", "places_map", "country_map", "summary", "esc",
           "MAP_BACKGROUND", "OUTLINE_OPACITY", "OUTLINE_CONTRAST", "contrast_on_map", "outline_colour",
           # the tables the maps are drawn from
           "Layer", "CORRIDOR_LAYERS", "COUNTRY_LAYERS", "LACHIN_CORRIDOR",
           "PERIODS", "COLORS", "KEY_PLACES", "CONTROL_TABLE", "TILES", "CENTER", "COUNTRY_AREAS",
           "COUNTRY_IDS", "Claim", "DASH", "EVENTS_2023", "EVENTS_CORRIDOR", "EVENT_REGAINED_2020",
           "EVENT_STATEMENT_2020", "EVENT_TURKEY_BORDER", "FACTS_1994", "FACTS_2023", "FACT_HANDED_OVER",
           "FACT_TAKEN", "HANDED_OVER_2020", "NEAR", "NK_AREA", "PERIOD_TITLES", "SEVEN", "STATUS_1994",
           "SUMMARY_EVENTS", "TAKEN_2020", "ZOOM"]

PERIODS = ("1994", "2020", "2023")

# Okabe–Ito; each colour is paired with a distinct line pattern in the legend and the map.
COLORS = {
    "armenia": "#E69F00", "azerbaijan": "#56B4E9", "other_country": "#BBBBBB",
    "held_1994": "#E69F00",        # held by Armenian forces after the 1994 ceasefire
    "handed_over": "#56B4E9",      # handed over under the Nov 2020 statement
    "taken_fighting": "#D55E00",   # taken in the 2020 fighting (towns the seeds name)
    # Districts inferred as taken in the fighting: same "changed hands in the fighting" hue as the
    # towns, told apart from the handed-over districts by colour AND by a dash-dot outline.
    "taken_fighting_inferred": "#D55E00",
    "not_stated": "#999999",       # the seed tables do not say
    "az_control": "#0072B2",       # under Azerbaijani control after Sept 2023
    "district": "#000000", "rayon": "#555555", "nk": "#CC79A7",
    "oil": "#000000", "gas": "#009E73", "closed": "#D55E00", "open": "#0072B2",
    "schematic": "#CC79A7", "place": "#000000",
}
DASH = {"solid": None, "dashed": "8 5", "dotted": "2 5", "dashdot": "10 4 2 4"}
#: what a map shows where no tile is drawn (offline, or tiles=None): Leaflet's own background
MAP_BACKGROUND = "#dddddd"
#: the opacity of area outlines (lines are drawn opaque)
OUTLINE_OPACITY = 0.9
#: WCAG 1.4.11 (non-text contrast): outlines and lines against the map background
OUTLINE_CONTRAST = 3.0


def _rgb(colour: str) -> tuple[float, float, float] | None:
    h = colour.lstrip("#") if isinstance(colour, str) and colour.startswith("#") else ""
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    if len(h) != 6 or any(c not in "0123456789abcdefABCDEF" for c in h):
        return None
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _luminance(rgb) -> float:
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_on_map(colour: str, opacity: float = 1.0, background: str = MAP_BACKGROUND) -> float:
    """The WCAG contrast ratio of ``colour`` (``#rrggbb``), drawn at ``opacity`` over
    ``background``, against that background."""
    fg, bg = _rgb(colour), _rgb(background)
    if fg is None or bg is None:
        raise InvalidArgumentError(f"colour must be '#rrggbb' or '#rgb'; got {colour!r} / {background!r}")
    drawn = [opacity * f + (1 - opacity) * b for f, b in zip(fg, bg)]
    hi, lo = sorted((_luminance(drawn), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@functools.cache
def outline_colour(colour: str, opacity: float = OUTLINE_OPACITY) -> str:
    """``colour`` for an outline or a line: the same hue mixed with black (in steps of 5 %) until,
    drawn at ``opacity`` over :data:`MAP_BACKGROUND`, it has :data:`OUTLINE_CONTRAST` (3:1,
    WCAG 1.4.11); unchanged when it has already. Fills keep the Okabe–Ito colours of
    :data:`COLORS` (the light ones, orange and sky blue, are under 3:1 on their own)."""
    rgb = _rgb(colour)
    if rgb is None:
        return colour
    for step in range(21):
        shade = [c * (1 - step / 20) for c in rgb]
        out = "#" + "".join(f"{round(c * 255):02X}" for c in shade)
        if contrast_on_map(out, opacity) >= OUTLINE_CONTRAST:
            return colour if step == 0 else out
    return "#000000"

KEY_PLACES = ["yerevan", "baku", "tbilisi", "stepanakert", "shusha", "lachin", "kelbajar", "aghdam",
              "fizuli", "jebrail", "kubatly", "zangelan", "khojaly", "askeran", "martakert", "hadrut",
              "goris", "kapan", "meghri", "ganja", "nakhchivan", "gyumri", "sumgait"]
SEVEN = ["kelbajar_district", "lachin_district", "kubatly_district", "zangelan_district",
         "jebrail_district", "fizuli_district", "aghdam_district"]
NK_AREA = "nagorno_karabakh_1994_2020"
CENTER, ZOOM = (39.9, 46.4), 8

# Which rows of the timeline (event_id) and seed_facts (fact_id) support each status shown by
# control_by_period. The claim text and citation drawn on the map are read from those rows.
STATUS_1994 = {  # district -> events (ceasefire + the district's capture)
    "lachin_district": ["5.4-07", "5.4-29"], "kelbajar_district": ["5.4-13", "5.4-29"],
    "aghdam_district": ["5.4-20", "5.4-29"], "fizuli_district": ["5.4-20", "5.4-29"],
    "jebrail_district": ["5.4-20", "5.4-29"], "kubatly_district": ["5.4-20", "5.4-29"],
    "zangelan_district": ["5.4-20", "5.4-29"],
}
FACTS_1994 = ["T2"]
HANDED_OVER_2020 = {"aghdam_district": "aghdam", "kelbajar_district": "kelbajar", "lachin_district": "lachin"}
EVENT_STATEMENT_2020, FACT_HANDED_OVER, FACT_TAKEN = "5.6-12", "W4", "W5"
EVENT_REGAINED_2020 = "5.6-32"   # territory outside NK plus Hadrut and Shusha regained in the fighting
TAKEN_2020 = {"shusha": ["5.6-10", EVENT_REGAINED_2020], "hadrut": [EVENT_REGAINED_2020]}   # towns
EVENTS_2023 = ["5.6-28", "5.6-30", "5.6-31"]
FACTS_2023 = ["W10"]
EVENTS_CORRIDOR = ["5.6-12", "5.6-23", "5.6-26", "5.6-29"]
EVENT_TURKEY_BORDER = "5.4-15"


# ---------------------------------------------------------------------------------------------
# Small helpers

TILES = ("OpenStreetMap", "CartoDB positron", "CartoDB voyager")   # optional base maps (None: none)


# The declared arguments of the map functions (checked by validate_params).
_NAMING = Options(_naming.NAMINGS, optional=True)
_TILE = Options(TILES, optional=True, error=InvalidArgumentError)


def esc(text: Any) -> str:
    """HTML-escape data text for layer names, popups and tooltips (:func:`nkteach.markup.js_safe_text`)."""
    return js_safe_text(text)


@validate_params({"m": Anything("a map made by nkteach.maps", hostile=[
    ("None", None), ("text", "overview"), ("function", lambda: None)])})
def summary(m: Any) -> str:
    """The text summary of a map made by nkteach.maps (its :class:`nkteach.mapkit.Map` carries it)."""
    from .mapkit import Map

    text = m.summary if isinstance(m, Map) else None
    if not text:
        raise InvalidArgumentError(f"m must be a map made by nkteach.maps (overview, control_by_period, "
                                   f"corridors, places_map, country_map) that carries a summary; got "
                                   f"{m!r:.80} ({type(m).__name__})")
    return text


def _mode(naming: str | None) -> str:
    if naming is None:
        return _naming.get_naming()
    return check_choice("naming", naming, _naming.NAMINGS)


def _check_tiles(tiles):
    if tiles is not None:
        check_choice("tiles", tiles, TILES, error=InvalidArgumentError)
    return tiles


def _places() -> dict[str, dict]:
    # naming's table, so labels and coordinates come from the same rows.
    return _naming.places()


@functools.lru_cache(maxsize=1)
def _regions_cached() -> dict[str, dict]:
    return {f["properties"]["region_id"]: f for f in load("regions")["features"]}


on_clear(_regions_cached.cache_clear)   # nkteach.clear_cache() forgets the regions too


def _regions() -> dict[str, dict]:
    # One shared, read-only copy per process: the loader deep-copies on every call (~80 KB), and
    # mapkit serialises each geometry once and reuses the text while the object lives.
    return _regions_cached()


def _region_place(rid: str, places: dict) -> str | None:
    for pid, r in places.items():
        if r.get("region_id") == rid:
            return pid
    return None


def _region_label(feat: dict, places: dict, mode: str) -> str:
    p = feat["properties"]
    pid = _region_place(p["region_id"], places)
    if pid:
        label = _naming.place_name(pid, mode)
    else:
        label = _naming.label(p.get("name_en"), p.get("name_hy"), p.get("name_az"), None, naming=mode)
    if p.get("kind") == "district" and not label.endswith("district"):
        label += " district"
    return label


def _names_html(pid: str | None, props: dict | None = None) -> str:
    """Every name of a place with its usage; names in another language's alphabet carry ``lang``."""
    if pid:
        names = _naming.place_names_lang(pid)
    elif not props:
        return ""
    else:
        usages = (("English (common usage)", "name_en"), ("Armenian usage", "name_hy"),
                  ("Azerbaijani usage", "name_az"), (_naming.AZ_NATIVE, "name_az_native"))
        names = [(u, props.get(k), _naming.NAME_LANG.get(k)) for u, k in usages if props.get(k)]
    return "".join(f"<br>{esc(u)}: <b" + (f' lang="{lang}"' if lang else "") + f">{esc(n)}</b>"
                   for u, n, lang in names)


def _popup(title: str, pid: str | None, props: dict | None, lines: Iterable[str]):
    from .mapkit import Popup

    body = f"<b>{esc(title)}</b>{_names_html(pid, props)}" + "".join(f"<br>{esc(x)}" for x in lines if x)
    return Popup(body, max_width=340)


def _tooltip(text: str):
    from .mapkit import Tooltip

    return Tooltip(text)


def _style(color: str, fill: str | None = None, weight: float = 1.5, dash: str = "solid",
           fill_opacity: float = 0.35) -> dict:
    s = {"color": outline_colour(color, OUTLINE_OPACITY), "weight": weight, "fillColor": fill or color,
         "fillOpacity": fill_opacity if fill else 0.0, "opacity": OUTLINE_OPACITY}
    if DASH[dash]:
        s["dashArray"] = DASH[dash]
    return s


def _geojson(feat: dict, style: dict, name: str, tooltip: str, popup):
    from .mapkit import Area

    # Only the geometry goes into the page: labels are escaped in the tooltip/popup, and no raw
    # dataset text can end up inside the page's <script>.
    area = Area(feat, style, name)
    area.add_child(_tooltip(tooltip))
    area.add_child(popup)
    return area


def _group(name: str):
    from .mapkit import FeatureGroup

    return FeatureGroup(name)


def _line(points, color: str, weight: float, dash: str, tooltip: str, popup):
    from .mapkit import Line

    line = Line(points, color=outline_colour(color, 1.0), weight=weight, dash_array=DASH[dash])
    line.add_child(_tooltip(tooltip))
    line.add_child(popup)
    return line


def _new_map(tiles, location=CENTER, zoom=ZOOM):
    from .mapkit import offline_map

    return offline_map(location=location, zoom_start=zoom, tiles=_check_tiles(tiles), control_scale=True)


def _swatch(color: str, dash: str = "solid", fill: bool | str = True, shape: str | None = None) -> dict:
    """A legend symbol: a glyph (``shape``) or a line/box in ``color`` with a dash pattern (its
    outline in the map's outline shade of ``color``, its fill in ``color`` itself)."""
    if shape is None:
        fill = color if fill is True else fill
        color = outline_colour(color)
    return {"color": color, "dash": dash, "fill": fill, "shape": shape}


def _finish(m, title: str, legend: list[tuple[dict, str]], text: str, credits: str):
    """Attach legend, credits, LayerControl and the summary (also as a visually hidden note)."""
    import folium

    from .mapkit import Legend

    Legend(title, [dict(sw, label=label) for sw, label in legend], credits, text).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    m.summary = text
    m.title = title
    return m


_CREDITS = ("Boundaries: Natural Earth (public domain); places: GeoNames (CC BY 4.0); "
            "pipelines: Global Energy Monitor (licence unverified).")
_SHAPES = {"city": "■", "town": "●", "village": "●", "terminal": "▲", "airport": "✈", "pass": "▲"}


def _place_marker(pid: str, r: dict, mode: str, extra: Iterable[str] = (), color: str = COLORS["place"],
                  shape: str | None = None):
    from .mapkit import Marker

    label = _naming.place_name(pid, mode)
    glyph = shape or _SHAPES.get(r.get("kind"), "●")
    marker = Marker([r["lat"], r["lon"]], label, glyph, color)
    src = f"Location: {r.get('source')}" + (f" (GeoNames {r['geonames_id']})" if r.get("geonames_id") else "")
    marker.add_child(_tooltip(label))
    marker.add_child(_popup(label, pid, None, list(extra) + [src]))
    return marker


def _countries_layer(m, regions: dict, places: dict, mode: str, name="Countries (Natural Earth)"):
    fg = _group(name)
    for rid, f in regions.items():
        p = f["properties"]
        if p["kind"] != "country":
            continue
        color = COLORS.get(rid, COLORS["other_country"])
        label = _region_label(f, places, mode)
        opacity = 0.12 if rid in ("armenia", "azerbaijan") else 0.08
        _geojson(f, _style("#666666", color, 1, fill_opacity=opacity), rid, label,
                 _popup(label, None, p, [p.get("note") or "", "Source: " + p["source"]])).add_to(fg)
    fg.add_to(m)
    return fg


def _count_drawn(m) -> dict:
    """Layers, GeoJSON features and markers in a folium object tree (for summaries and tests)."""
    import folium

    from .mapkit import Area

    out = {"geojson_features": 0, "markers": 0, "lines": 0}

    def walk(el):
        for ch in el._children.values():
            if isinstance(ch, (folium.GeoJson, Area)):
                out["geojson_features"] += len(ch.data.get("features", []))
            elif isinstance(ch, folium.Marker):
                out["markers"] += 1
            elif isinstance(ch, folium.PolyLine):
                out["lines"] += 1
            walk(ch)

    walk(m)
    return out


def _not_located(ids: Iterable[str], places: dict, mode: str) -> list[str]:
    return [_naming.place_name(i, mode) for i in ids if places[i].get("lat") is None]


# ---------------------------------------------------------------------------------------------
# 1. Overview

@validate_params({"naming": _NAMING, "tiles": _TILE})
def overview(naming: str | None = None, tiles: str | None = "OpenStreetMap"):
    """Countries, the 1994–2020 Nagorno-Karabakh area, the seven districts, other rayons and key towns."""
    mode = _mode(naming)
    regions, places = _regions(), _places()
    m = _new_map(tiles)
    _countries_layer(m, regions, places, mode)

    nk = regions[NK_AREA]
    nk_label = _region_label(nk, places, mode)
    fg = _group(f"{nk_label}: area held 1994–2020 (Natural Earth v4)")
    _geojson(nk, _style(COLORS["nk"], COLORS["nk"], 2.5, "dashed", 0.15), NK_AREA,
             f"{nk_label}: area held by Armenian forces 1994–2020 (Natural Earth v4.0.0)",
             _popup(nk_label, "nagorno_karabakh", None, [nk["properties"]["note"]])).add_to(fg)
    fg.add_to(m)

    fg = _group("The seven districts (de jure rayons, pre-2021)")
    for rid in SEVEN:
        f = regions[rid]
        label = _region_label(f, places, mode)
        _geojson(f, _style(COLORS["district"], "#F0E442", 1.5, "dotted", 0.25), rid, label,
                 _popup(label, _region_place(rid, places), None,
                        [f["properties"]["note"],
                         f"Natural Earth {f['properties']['adm1_code']}"])).add_to(fg)
    fg.add_to(m)

    rayons = [rid for rid, f in regions.items() if f["properties"]["kind"] == "rayon"]
    fg = _group("Other rayons: " + ", ".join(_region_label(regions[r], places, mode) for r in rayons))
    for rid in rayons:
        f = regions[rid]
        label = _region_label(f, places, mode)
        _geojson(f, _style(COLORS["rayon"], None, 1, "dashdot"), rid, label,
                 _popup(label, None, f["properties"], [f["properties"]["note"]])).add_to(fg)
    fg.add_to(m)

    fg = _group("Capitals and key towns (GeoNames)")
    drawn = [pid for pid in KEY_PLACES if places[pid].get("lat") is not None]
    for pid in drawn:
        _place_marker(pid, places[pid], mode).add_to(fg)
    fg.add_to(m)

    missing = _not_located(KEY_PLACES, places, mode)
    seven = ", ".join(_region_label(regions[r], places, mode) for r in SEVEN)
    text = (f"Overview map of the South Caucasus. Countries (Natural Earth): Armenia, Azerbaijan (with the "
            f"Nakhchivan exclave), Georgia, Turkey, Iran and part of Russia. Dashed outline: {nk_label}, "
            "the area held by Armenian forces between the 1994 ceasefire and the 2020 war as drawn by "
            "Natural Earth v4.0.0 — not the Soviet-era autonomous region, whose boundary no available "
            "source gives. Dotted outlines: "
            f"the seven districts around it, as Azerbaijan's pre-2021 rayons: {seven}. "
            f"{len(rayons)} more rayons in dash-dot outline. {len(drawn)} towns marked from GeoNames: "
            f"{', '.join(_naming.place_name(p, mode) for p in drawn)}."
            + (f" Not located in any vendored gazetteer, so not drawn: {', '.join(missing)}."
               if missing else ""))
    legend = [(_swatch(COLORS["armenia"]), "Armenia"), (_swatch(COLORS["azerbaijan"]), "Azerbaijan"),
              (_swatch(COLORS["nk"], "dashed"), f"{nk_label}: held 1994–2020 (NE v4)"),
              (_swatch(COLORS["district"], "dotted", fill="#F0E442"), "the seven districts (rayons)"),
              (_swatch(COLORS["rayon"], "dashdot", fill=False), "other rayons"),
              (_swatch("#000", shape="■"), "city"), (_swatch("#000", shape="●"), "town")]
    return _finish(m, "Overview", legend, text, _CREDITS)


# ---------------------------------------------------------------------------------------------
# 2. Control by period

def _rows(df, key: str, ids: Iterable[str]) -> dict[str, dict]:
    ids = list(ids)
    sub = df[df[key].isin(ids)]
    got = {r[key]: {k: (None if is_missing(v) else v) for k, v in r.items()}
           for r in sub.astype(object).to_dict(orient="records")}
    missing = [i for i in ids if i not in got]
    if missing:
        raise LookupError(f"{key} {missing} not found in the package data: the map's claims need these rows")
    return got


def _ev(e: dict) -> str:
    return f"{e['date_text']}: {e['event']} ({e['citation']}; timeline {e['event_id']})"


def _fact(f: dict) -> str:
    return (f"{f['value']} {f['unit']} — {f['measures']} "
            f"({f['seed']} {f['section']}; seed_facts {f['fact_id']})")


@dataclass(frozen=True)
class Claim:
    """One row of a control-by-period table: a status, how it is drawn, and the rows that source it.

    ``tooltip`` and ``lines`` may use ``{label}`` (the area's or place's label), ``{nk}`` (the
    Nagorno-Karabakh label) and ``{cite[EVENT_ID]}`` (a timeline row's citation)."""

    status: str                  # key of COLORS; recorded in ``m.status`` unless record=False
    layer: str                   # layer-control name (claims with the same layer share it)
    tooltip: str
    weight: float
    dash: str                    # key of DASH
    fill_opacity: float | None   # None: outline only
    regions: tuple = ()          # region ids drawn as areas
    places: tuple = ()           # place ids drawn as markers (glyph ``shape``)
    events: tuple = ()           # timeline event_ids cited for every item
    events_by_item: dict = field(default_factory=dict)   # item -> event_ids cited for that item only
    facts: tuple = ()            # seed_facts fact_ids cited for every item
    lines: tuple = ()            # popup lines before the cited rows
    note: bool = False           # add the region's own note to its popup
    coarse: bool = False         # add the whole-district caveat to the popup
    legend: str | None = None    # legend label (None: no legend row)
    shape: str | None = None
    record: bool = True


_COARSE = ("Whole districts are shaded because the seeds do not say whether a district was held wholly or "
           "partly; this is coarser than the truth.")
_INFERRED_WHY = ("INFERRED, not stated: by elimination from {cite[5.6-32]} — Azerbaijan regained the "
                 "territory outside {nk} in the war, and only the other three districts were returned under "
                 "the statement. "
                 "The seeds do not name this district or say whether it was wholly taken.")

# The tables: status -> colour (COLORS[status]), dash pattern, districts/places, sourcing rows.
# control_by_period draws every row with one loop; only the summary text is written per period.
CONTROL_TABLE: dict[str, tuple[Claim, ...]] = {
    "1994": (
        Claim("held_1994", "Held by Armenian forces after the 1994 ceasefire",
              "{label}: held by Armenian forces after the 1994 ceasefire", 1.5, "dotted", 0.4,
              regions=tuple(SEVEN), events_by_item=STATUS_1994, facts=tuple(FACTS_1994), note=True,
              coarse=True,
              legend="district held by Armenian forces (whole district shaded)"),
        Claim("nk", "Held by Armenian forces after the 1994 ceasefire",
              "{label}: line of control 1994–2020 as drawn by Natural Earth v4.0.0", 2.5, "dashed", 0.2,
              regions=(NK_AREA,), events=("5.4-29",), note=True, record=False,
              legend="line of control 1994–2020 (Natural Earth v4)"),
    ),
    "2020": (
        Claim("handed_over", "Handed over under the Nov 2020 statement",
              "{label}: handed over under the Nov 2020 statement", 2, "dashed", 0.45,
              regions=tuple(HANDED_OVER_2020), events=(EVENT_STATEMENT_2020,), facts=(FACT_HANDED_OVER,),
              lines=("Handed over to Azerbaijan under the trilateral statement. Handover date: not given "
                     "in the sources.",), coarse=True,
              legend="handed over under the Nov 2020 statement (no dates in sources)"),
        # Inference by elimination: 004 says the territory outside NK was regained in the war and names only
        # three districts as handed over; the rest of the seven changed hands in the fighting.
        Claim("taken_fighting_inferred", "Taken in the 2020 fighting (districts, inferred)",
              "{label}: taken in the 2020 fighting (inferred by elimination; not named in the seeds)",
              2.5, "dashdot", 0.25, regions=tuple(r for r in SEVEN if r not in HANDED_OVER_2020),
              events=(EVENT_REGAINED_2020, EVENT_STATEMENT_2020), facts=(FACT_HANDED_OVER,),
              lines=(_INFERRED_WHY,), coarse=True,
              legend="taken in the 2020 fighting (inferred by elimination; the seeds do not name these "
                     "districts)"),
        Claim("taken_fighting", "Taken in the 2020 fighting (towns)", "{label}", 0, "solid", None,
              places=tuple(TAKEN_2020), events_by_item=TAKEN_2020, facts=(FACT_TAKEN,),
              lines=("Taken by Azerbaijani forces in the 2020 fighting.",), shape="◆",
              legend="town taken in the 2020 fighting (named in 004)"),
        Claim("nk", "Former line of control 1994–2020 (outline only)",
              "{label}: former line of control 1994–2020 (NE v4); no geometry for the Nov 2020 line exists",
              2, "dashed", None, regions=(NK_AREA,), note=True, record=False,
              lines=("The sources have no geometry for the November 2020 line or the peacekeepers' area.",),
              legend="former line 1994–2020; no 2020 line geometry"),
    ),
    "2023": (
        Claim("az_control", "Under Azerbaijani control after Sept 2023",
              "{label}: under Azerbaijani control after September 2023", 2, "solid", 0.35,
              regions=(NK_AREA,), events=tuple(EVENTS_2023), facts=tuple(FACTS_2023), note=True,
              legend="under Azerbaijani control after Sept 2023"),
        Claim("az_control", "Under Azerbaijani control after Sept 2023",
              "{label}: under Azerbaijani control (since 2020; whole area after Sept 2023)",
              1, "dotted", 0.25,
              regions=tuple(SEVEN), events=("5.6-31",), legend="the seven districts"),
    ),
}
# Rows the summaries cite besides the drawn claims.
SUMMARY_EVENTS = {"1994": (), "2020": ("5.6-10", "5.6-26"), "2023": ()}
PERIOD_TITLES = {"1994": "After the 1994 ceasefire", "2020": "After the November 2020 statement",
                 "2023": "After September 2023"}


def _claim_rows(claims, extra_events):
    events = set(extra_events)
    facts: set[str] = set()
    for c in claims:
        events.update(c.events)
        for ids in c.events_by_item.values():
            events.update(ids)
        facts.update(c.facts)
    return sorted(events), sorted(facts)


def _draw_claims(m, claims, regions, places, mode, ev, facts, ctx):
    """Draw every claim of a period (one loop) and record each item's status and citations."""
    groups: dict[str, Any] = {}
    for c in claims:
        fg = groups.get(c.layer)
        if fg is None:
            fg = groups[c.layer] = _group(c.layer)
        color = COLORS[c.status]
        for item in c.regions + c.places:
            eids = list(c.events_by_item.get(item, ())) + list(c.events)
            fact_rows = [facts[f] for f in c.facts]
            lines = ([x.format(**ctx) for x in c.lines] + [_ev(ev[e]) for e in eids]
                     + [_fact(f) for f in fact_rows])
            cites = list(dict.fromkeys([ev[e]["citation"] for e in eids]
                                       + [f"{f['seed']} {f['section']}" for f in fact_rows]))
            if item in c.regions:
                feat = regions[item]
                label = _region_label(feat, places, mode)
                lines += [feat["properties"].get("note") or ""] if c.note else []
                lines += [_COARSE] if c.coarse else []
                style = _style(color, color if c.fill_opacity is not None else None, c.weight, c.dash,
                               c.fill_opacity or 0.0)
                pid = "nagorno_karabakh" if item == NK_AREA else _region_place(item, places)
                _geojson(feat, style, item, c.tooltip.format(label=label, **ctx),
                         _popup(label, pid, None, lines)).add_to(fg)
                status = {"status": c.status, "citations": cites}
            else:
                drawn = places[item].get("lat") is not None
                if drawn:
                    _place_marker(item, places[item], mode, lines, color=color, shape=c.shape).add_to(fg)
                status = {"status": c.status, "citations": cites, "drawn": drawn}
            if c.record:
                old = m.status.get(item)
                if old:   # an item in two claims of one status (2023: NK area): merge the citations
                    status["citations"] = list(dict.fromkeys(old["citations"] + cites))
                m.status[item] = status
    for fg in groups.values():
        fg.add_to(m)


def _legend_rows(claims) -> list[tuple[dict, str]]:
    rows = []
    for c in claims:
        if c.legend:
            fill = False if c.fill_opacity is None else True
            rows.append((_swatch(COLORS[c.status], c.dash, fill, c.shape), c.legend))
    return rows


@validate_params({"period": Options(PERIODS), "naming": _NAMING, "tiles": _TILE})
def control_by_period(period: str, naming: str | None = None, tiles: str | None = "OpenStreetMap"):
    """Who held the seven districts and the Nagorno-Karabakh area: after the 1994 ceasefire
    ("1994"), after the November 2020 statement ("2020") or after September 2023 ("2023").

    Drawn from :data:`CONTROL_TABLE` (status → colour, dash pattern, districts, sourcing rows)."""
    mode = _mode(naming)
    regions, places = _regions(), _places()
    claims = CONTROL_TABLE[period]
    eids, fids = _claim_rows(claims, SUMMARY_EVENTS[period])
    ev, facts = _rows(load("timeline"), "event_id", eids), _rows(load("seed_facts"), "fact_id", fids)
    m = _new_map(tiles)
    _countries_layer(m, regions, places, mode)
    nk_label = _region_label(regions[NK_AREA], places, mode)
    dl = {rid: _region_label(regions[rid], places, mode) for rid in SEVEN}
    ctx = {"nk": nk_label, "cite": {e: r["citation"] for e, r in ev.items()}}
    m.status = {}
    _draw_claims(m, claims, regions, places, mode, ev, facts, ctx)
    legend = _legend_rows(claims)
    if period == "2020":
        line = dataclasses.replace(LACHIN_CORRIDOR, lines=(
            *LACHIN_CORRIDOR.lines, "Russian peacekeepers deployed under the statement: {ev[5.6-12]}",
            "In 2023: {ev[5.6-26]}"))
        _draw_layers(m, (line,), {}, regions, places, mode, _context(mode, ev))
        legend.append((_swatch(COLORS["schematic"], "dotted", fill=False),
                       f"{_naming.place_name('lachin_corridor', mode)} (schematic)"))
    text = _period_text(period, mode, ev, facts, nk_label, dl)
    return _finish(m, PERIOD_TITLES[period], legend, text,
                   _CREDITS + " Claims: timeline and seed_facts (seed citations).")


def _period_text(period: str, mode: str, ev: dict, facts: dict, nk_label: str, dl: dict) -> str:
    coarse = _COARSE
    shusha = _naming.place_name("shusha", mode)
    if period == "1994":
        cf, t2 = ev["5.4-29"], facts["T2"]
        return (f"After the 1994 ceasefire ({cf['date_text']}; {cf['citation']}), Armenian forces held "
                f"{nk_label} and the seven districts around it ({', '.join(dl.values())}); the thesis puts "
                f"the total at {t2['value']} of Azerbaijan's territory ({t2['seed']} {t2['section']}). "
                "Districts shaded orange with dotted outlines; the dashed outline is Natural Earth's v4.0.0 "
                "polygon of the 1994–2020 line of control, which leaves parts of "
                f"{dl['fizuli_district']} and {dl['aghdam_district']} outside (about 47% and 87% inside by "
                "nkteach's calculation from the Natural Earth polygons, admin1_boundaries PROVENANCE). "
                + coarse)
    if period == "2020":
        st, rg = ev[EVENT_STATEMENT_2020], ev[EVENT_REGAINED_2020]
        w4, w5, sh = facts[FACT_HANDED_OVER], facts[FACT_TAKEN], ev["5.6-10"]
        others = [r for r in SEVEN if r not in HANDED_OVER_2020]
        hadrut = _naming.place_name("hadrut", mode)
        corridor = _naming.place_name("lachin_corridor", mode)
        return (f"After the trilateral statement of {st['date_text']} ({st['citation']}). Handed over to "
                "Azerbaijan under the statement (blue, dashed): "
                f"{', '.join(dl[r] for r in HANDED_OVER_2020)} "
                f"({w4['seed']} {w4['section']}); the sources give no handover dates, so none are shown. "
                f"Taken in the fighting (vermilion diamond): {shusha}, {sh['date_text']} ({sh['citation']}), "
                f"and {hadrut} ({w5['seed']} {w5['section']}); {hadrut} is not in any vendored gazetteer, "
                "so it is listed here and not drawn. Taken in the fighting, INFERRED (vermilion, dash-dot "
                f"outline): {', '.join(dl[r] for r in others)}. This is an inference by elimination: "
                f"004 says Azerbaijan regained the territory outside {nk_label} in the war plus {hadrut} "
                f"and {shusha} "
                f"({rg['citation']}; timeline {rg['event_id']}), and only the three districts above were "
                f"returned under the statement ({w4['seed']} {w4['section']}). The seeds do not name these "
                "four "
                "districts, nor say whether each was wholly or partly taken; part of "
                f"{dl['fizuli_district']} lay outside the 1994–2020 line (see the 1994 map). The dashed "
                "outline "
                "is the 1994–2020 line of control; no source gives the November 2020 line, so none is drawn. "
                f"The {corridor} is a schematic line between town points. " + coarse)
    w10, e28, e30, e31 = facts["W10"], ev["5.6-28"], ev["5.6-30"], ev["5.6-31"]
    return (f"After September 2023. Azerbaijan took full control of {nk_label} within "
            f"{w10['value']} {w10['unit']} ({w10['seed']} {w10['section']}); the de facto authorities were "
            f"removed and most Karabakh Armenians left for Armenia ({e31['citation']}). The sources disagree "
            f"on the start date: {e30['date_text']} per {e30['citation']}, {e28['date_text']} per "
            f"{e28['citation']}. The whole 1994–2020 area (Natural Earth v4) and the seven districts are "
            "shaded blue; no source gives the line held between 2020 and 2023.")


# ---------------------------------------------------------------------------------------------
# 3. Maps drawn from a layer table: corridors and country_map (control_by_period: CONTROL_TABLE)


@dataclass(frozen=True)
class Layer:
    """One layer of a map drawn from a table: which items, how they are drawn, and their texts.

    ``items`` is a tuple of ids or the name of a selection the map function computes (its
    ``select`` dict: e.g. "neighbours", "inside", "pipelines:oil"). ``draw`` is "area" (a
    region or pipeline feature), "line" (a SCHEMATIC polyline through the places in ``items``)
    or "marker" (place markers). ``color``/``fill`` are keys of :data:`COLORS` or colours.
    Texts are ``str.format`` templates over the item's fields (``label``, ``name``, ``note``,
    ``source`` …), the map's context (``country``, ``corridor``, ``road``) and ``ev`` (timeline
    row id → cited text); a popup line whose item fields are empty is left out. ``names``: whose
    usages the popup lists — "place" (the region's place row), "props" (the region's own names),
    "place-or-props", a place id, or "" (none)."""

    name: str
    draw: str
    items: tuple | str
    color: str = "#000000"
    fill: str | None = None
    weight: float = 1.5
    dash: str = "solid"
    fill_opacity: float = 0.35
    tooltip: str = "{label}"
    title: str = "{label}"
    lines: tuple = ()
    events_by_item: dict = field(default_factory=dict)
    names: str = ""
    legend: str | None = None


_FIELDS = re.compile(r"\{(\w+)")


def _fmt(template: str, fields: dict, ctx: dict) -> str:
    """``template`` filled in; "" if it uses an item field that is empty."""
    used = [f for f in _FIELDS.findall(template) if f in fields]
    if used and any(fields[f] in (None, "") for f in used):
        return ""
    return template.format(**ctx, **fields)


def _colour(c: str | None) -> str | None:
    return COLORS.get(c, c) if c else c


def _layer_style(layer: Layer) -> dict:
    return _style(_colour(layer.color), _colour(layer.fill), layer.weight, layer.dash,
                  layer.fill_opacity if layer.fill else 0.0)


def _layer_legend(layers: Iterable[Layer], ctx: dict) -> list[tuple[dict, str]]:
    return [(_swatch(_colour(ly.color), ly.dash, _colour(ly.fill) or False), ly.legend.format(**ctx))
            for ly in layers if ly.legend]


def _region_fields(rid: str, regions: dict, places: dict, mode: str) -> dict:
    f = regions[rid]
    p = f["properties"]
    return {"feature": f, "id": rid, "label": _region_label(f, places, mode), "name": p.get("name_en"),
            "note": p.get("note") or "", "source": p.get("source") or "", "props": p,
            "place": "nagorno_karabakh" if rid == NK_AREA else _region_place(rid, places)}


def _pipeline_fields(f: dict) -> dict:
    p = f["properties"]
    return {"feature": f, "id": p["pipeline_id"], "props": None, "place": None,
            "label": p["name"] + (" (name inferred)" if p["name_inferred"] else ""),
            **{k: p.get(k) for k in ("type", "status", "start_year", "note", "licence_note", "source")}}


def _popup_names(layer: Layer, fields: dict) -> tuple[str | None, dict | None]:
    if layer.names == "props":
        return None, fields.get("props")
    if layer.names == "place":
        return fields.get("place"), None
    if layer.names == "place-or-props":
        return (fields["place"], None) if fields.get("place") else (None, fields.get("props"))
    return (layer.names or None), None


def _draw_layers(m, layers: Iterable[Layer], select: dict, regions: dict, places: dict, mode: str,
                 ctx: dict) -> None:
    """Draw every layer of a map table (one loop); layers of one name share a layer-control group."""
    groups: dict[str, Any] = {}
    for ly in layers:
        items = select.get(ly.items, ()) if isinstance(ly.items, str) else ly.items
        if not items:
            continue
        name = ly.name.format(**ctx)
        fg = groups.get(name)
        if fg is None:
            fg = groups[name] = _group(name)
        if ly.draw == "marker":
            for pid in items:
                if places[pid].get("lat") is not None:
                    _place_marker(pid, places[pid], mode).add_to(fg)
            continue
        if ly.draw == "line":
            pts = [[places[i]["lat"], places[i]["lon"]] for i in items if places[i].get("lat") is not None]
            if len(pts) < 2:
                continue
            fields = {"label": " → ".join(_naming.place_name(i, mode) for i in items)}
            popup = _popup(_fmt(ly.title, fields, ctx), *_popup_names(ly, fields),
                           [_fmt(x, fields, ctx) for x in ly.lines])
            _line(pts, _colour(ly.color), ly.weight, ly.dash, _fmt(ly.tooltip, fields, ctx), popup).add_to(fg)
            continue
        for item in items:
            fields = (_pipeline_fields(item) if isinstance(item, dict)
                      else _region_fields(item, regions, places, mode))
            lines = [_fmt(x, fields, ctx) for x in ly.lines]
            lines += [ctx["ev"][e] for e in ly.events_by_item.get(fields["id"], ())]
            _geojson(fields["feature"], _layer_style(ly), fields["id"], _fmt(ly.tooltip, fields, ctx),
                     _popup(_fmt(ly.title, fields, ctx), *_popup_names(ly, fields), lines)).add_to(fg)
    for fg in groups.values():
        fg.add_to(m)


LACHIN_CORRIDOR = Layer(
    "{corridor} (schematic)", "line", ("goris", "lachin", "stepanakert"), "schematic", weight=4,
    dash="dotted", tooltip="{corridor} — SCHEMATIC line {label}, not the road's course",
    title="{corridor} (schematic)", names="lachin_corridor",
    lines=("Straight segments between GeoNames town points: {label}. The road's actual course is not in "
           "the sources.",),
    legend="{corridor} (SCHEMATIC)")

_BORDER_LINES = ("{note}", "Geometry: the vertices Natural Earth's two country polygons share.")
# corridors(): every layer, in drawing order (the summary text is written in the function).
CORRIDOR_LAYERS: tuple[Layer, ...] = (
    Layer("Armenia's borders (closed / open)", "area", ("border_arm_tur", "border_arm_aze"), "closed",
          weight=5, dash="dashed", tooltip="{name}: closed", title="{name}", lines=_BORDER_LINES,
          events_by_item={"border_arm_tur": (EVENT_TURKEY_BORDER,)},
          legend="closed border (Armenia–Turkey, Armenia–Azerbaijan)"),
    Layer("Armenia's borders (closed / open)", "area", ("border_arm_irn", "border_arm_geo"), "open",
          weight=3, tooltip="{name}: open", title="{name}", lines=_BORDER_LINES,
          legend="open border (Armenia–Iran, Armenia–Georgia)"),
    *(Layer("Pipelines (Global Energy Monitor)", "area", f"pipelines:{kind}", kind, weight=3, dash=dash,
            lines=("Type: {type}", "Status (GEM): {status}", "Start year (GEM): {start_year}", "Name: {note}",
                   "Licence: {licence_note}", "Source: {source}"),
            legend=f"{kind} pipeline") for kind, dash in (("oil", "solid"), ("gas", "dashdot"))),
    dataclasses.replace(LACHIN_CORRIDOR, lines=(*LACHIN_CORRIDOR.lines, "{ev[5.6-12]}", "{ev[5.6-23]}",
                                                "{ev[5.6-26]}")),
    Layer("{road} (schematic)", "line", ("aghdam", "stepanakert"), "schematic", weight=3, dash="dashdot",
          tooltip="SCHEMATIC: {road}", title="{road} (schematic)",
          lines=("Straight segment between GeoNames town points.", "{ev[5.6-29]}"),
          legend="{road} (SCHEMATIC)"),
    Layer("Terminals and towns on the routes", "marker",
          ("baku", "sangachal", "tbilisi", "supsa", "poti", "batumi", "ceyhan", "erzurum", "novorossiysk",
           "goris", "lachin", "stepanakert", "aghdam", "yerevan", "kars", "nakhchivan")),
)


def _context(mode: str, ev: dict) -> dict:
    return {"corridor": _naming.place_name("lachin_corridor", mode),
            "road": f"{_naming.place_name('aghdam', mode)} – {_naming.place_name('stepanakert', mode)} road",
            "ev": {k: _ev(r) for k, r in ev.items()}}


@validate_params({"naming": _NAMING, "tiles": _TILE})
def corridors(naming: str | None = None, tiles: str | None = "OpenStreetMap"):
    """The Lachin corridor (schematic), the Aghdam–Stepanakert road (schematic), GEM pipelines,
    and Armenia's closed (Turkey, Azerbaijan) and open (Iran, Georgia) borders.

    Drawn from :data:`CORRIDOR_LAYERS` (one loop); only the summary is written here."""
    mode = _mode(naming)
    regions, places = _regions(), _places()
    ev = _rows(load("timeline"), "event_id", EVENTS_CORRIDOR + [EVENT_TURKEY_BORDER])
    pipes = load("pipelines")["features"]
    ctx = _context(mode, ev)
    select = {f"pipelines:{kind}": [f for f in pipes if f["properties"]["type"] == kind]
              for kind in ("oil", "gas")}
    m = _new_map(tiles, location=(40.6, 43.5), zoom=6)
    _countries_layer(m, regions, places, mode)
    _draw_layers(m, CORRIDOR_LAYERS, select, regions, places, mode, ctx)

    borders = [f"{regions[r]['properties']['name_en']} ({'closed' if ly.color == 'closed' else 'open'})"
               for ly in CORRIDOR_LAYERS[:2] for r in ly.items]
    pipe_names = [_pipeline_fields(f)["label"] for f in pipes]
    label = " → ".join(_naming.place_name(i, mode) for i in LACHIN_CORRIDOR.items)
    tb, corridor, road = ev[EVENT_TURKEY_BORDER], ctx["corridor"], ctx["road"]
    text = (f"Corridors and routes. {corridor} drawn as a SCHEMATIC dotted line between town points "
            f"({label}); the road's real course is not in the sources. Blockade: {ev['5.6-23']['date_text']} "
            f"({ev['5.6-23']['citation']}). {road}, also schematic ({ev['5.6-29']['citation']}). "
            "Pipelines from Global Energy Monitor (licence not stated in GEM's repository; believed CC BY "
            f"4.0, unverified): {'; '.join(pipe_names)}; oil solid black, gas dash-dot green. Armenia's "
            "borders, taken from the vertices shared by Natural Earth's country polygons: "
            f"{'; '.join(borders)}. "
            f"Turkey closed its border on {tb['date_text']} ({tb['citation']}).")
    return _finish(m, "Corridors, pipelines and borders", _layer_legend(CORRIDOR_LAYERS, ctx), text, _CREDITS)


# ---------------------------------------------------------------------------------------------
# 4. Any set of places

def _given_ids(place_ids) -> list:
    """The ids as a list (a timeline row's "a;b;c", or "a, b", is accepted as is), stripped."""
    if isinstance(place_ids, str):
        place_ids = [p for p in place_ids.replace(",", ";").split(";") if p.strip()]
    if place_ids is None or isinstance(place_ids, (bytes, dict, int, float)) or not hasattr(place_ids,
                                                                                          "__iter__"):
        raise InvalidArgumentError(f"place_ids must be a list of place ids (or 'a;b;c'), got {place_ids!r}; "
                                   "see nkteach.load('places').place_id")
    return [p.strip() if isinstance(p, str) else p for p in place_ids]


def _known_ids(ids: list, place_ids, places: dict) -> list[str]:
    """``ids`` without repeats, once each is a known place id and there is at least one."""
    bad = [p for p in ids if not isinstance(p, str)]
    if bad:
        raise InvalidArgumentError(f"place_ids must hold place-id strings, got {bad!r}; allowed: "
                                   "place_id values of nkteach.load('places')")
    for p in ids:
        if p not in places:
            raise unknown_name("place_ids: place", p, sorted(places), error=UnknownNameError,
                               what="place_id values of nkteach.load('places')", limit=500)
    if not ids:
        raise InvalidArgumentError(f"place_ids is empty ({place_ids!r}): give at least one place id, "
                                   "e.g. ['stepanakert']; allowed: place_id values of nkteach.load('places')")
    return list(dict.fromkeys(ids))


def _draw_places(m, ids: list[str], places: dict, regions: dict, mode) -> tuple[list, list, list]:
    """Add a marker per located place, an area per place known only by its region; return
    (marked, drawn as areas, not located)."""
    fg = _group("Places")
    drawn, polys, missing = [], [], []
    for pid in ids:
        r = places[pid]
        if r.get("lat") is not None:
            _place_marker(pid, r, mode).add_to(fg)
            drawn.append(pid)
        elif r.get("region_id") and r["region_id"] in regions:
            f = regions[r["region_id"]]
            label = _region_label(f, places, mode)
            _geojson(f, _style(COLORS["nk"], COLORS["nk"], 2, "dashed", 0.2), r["region_id"], label,
                     _popup(label, pid, None, [f["properties"]["note"] or ""])).add_to(fg)
            polys.append(pid)
        else:
            missing.append(pid)
    fg.add_to(m)
    return drawn, polys, missing


def _fit_places(m, pts: list) -> None:
    """Frame the marked points: their bounds with a margin, or one point close up."""
    if len(pts) >= 2:
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        m.fit_bounds([[min(lats) - 0.3, min(lons) - 0.3], [max(lats) + 0.3, max(lons) + 0.3]])
    elif len(pts) == 1:
        m.location, m.options["zoom"] = pts[0], 8


def _places_text(ids, drawn, polys, missing, places: dict, regions: dict, mode) -> str:
    """The map's text summary: what was marked (by source), drawn as areas, or not located."""
    name = lambda p: _naming.place_name(p, mode)  # noqa: E731
    by_src: dict[str, list[str]] = {}
    for p in drawn:
        by_src.setdefault(places[p]["source"], []).append(name(p))
    marked = "; ".join(f"located by {src}: {', '.join(v)}" for src, v in by_src.items()) or "none located"
    areas = ", ".join(_region_label(regions[places[p]["region_id"]], places, mode) for p in polys)
    return (f"{len(ids)} place(s) asked for. Marked ({marked})."
            + (f" Drawn as areas (Natural Earth polygons): {areas}." if polys else "")
            + (f" Not located in any vendored source, so not drawn: {', '.join(map(name, missing))}."
               if missing else ""))


@validate_params({"place_ids": Anything("a list of place ids, or 'a;b;c'", hostile=[
    ("None", None), ("int", 3), ("dict", {"a": 1}), ("int-list", [3]), ("junk", ["no-such-place"]),
    ("near-miss", ["stepnakert"]), ("empty", []), ("junk-text", "no-such-place"), ("bytes", b"shusha")],
    example=["shusha"]),
    "naming": _NAMING, "tiles": _TILE})
def places_map(place_ids: Iterable[str], naming: str | None = None, tiles: str | None = "OpenStreetMap"):
    """Markers for ``place_ids`` (e.g. a timeline row's place_ids); places no source locates
    are listed in the summary instead of drawn."""
    ids = _given_ids(place_ids)
    mode = _mode(naming)
    regions, places = _regions(), _places()
    ids = _known_ids(ids, place_ids, places)
    m = _new_map(tiles, zoom=7)
    _countries_layer(m, regions, places, mode)
    drawn, polys, missing = _draw_places(m, ids, places, regions, mode)
    _fit_places(m, [[places[p]["lat"], places[p]["lon"]] for p in drawn])
    text = _places_text(ids, drawn, polys, missing, places, regions, mode)
    m.missing = missing
    legend = [(_swatch("#000", shape="■"), "city"), (_swatch("#000", shape="●"), "town or village"),
              (_swatch("#000", shape="▲"), "terminal")]
    if polys:
        legend.append((_swatch(COLORS["nk"], "dashed"), "area"))
    return _finish(m, "Places", legend, text, _CREDITS)


# ---------------------------------------------------------------------------------------------
# 5. One country (the Georgia capstone, lesson 12, and any other country in `regions`)

# Breakaway or disputed areas drawn on a country's map: country region_id -> region_ids (kind
# "disputed_area" in `regions`, all from Natural Earth's v4.0.0 breakaway layer).
COUNTRY_AREAS = {"georgia": ("abkhazia", "south_ossetia"), "azerbaijan": (NK_AREA,)}
NEAR = 0.03


def _inside(lon: float, lat: float, geometry: dict) -> bool:
    """Even-odd ray casting over every ring of a (Multi)Polygon."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    hit = False
    for poly in polys:
        for ring in poly:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    hit = not hit
    return hit


# The package's normalised country names (docs/architecture.md) -> region_id in `regions`.
COUNTRY_IDS = {"Armenia": "armenia", "Azerbaijan": "azerbaijan", "Georgia": "georgia", "Turkey": "turkey",
               "Iran": "iran", "Russia": "russia"}


def _countries(regions: dict) -> dict[str, str]:
    return {name: rid for name, rid in COUNTRY_IDS.items() if rid in regions}


_AREA_LINES = ("{note}", "Source: {source}")
# country_map(): every layer, in drawing order; the selections are computed for the country.
COUNTRY_LAYERS: tuple[Layer, ...] = (
    Layer("Neighbouring countries (Natural Earth)", "area", "neighbours", "#666666", "other_country", 1,
          fill_opacity=0.08, names="props", lines=("Source: {source}",), legend="neighbouring country"),
    Layer("{country} (Natural Earth)", "area", "country", "#000000", "#F0E442", 2.5, fill_opacity=0.15,
          tooltip="{label}: country as drawn by Natural Earth", names="props", lines=_AREA_LINES,
          legend="{country}"),
    Layer("Breakaway areas (Natural Earth v4.0.0)", "area", "areas", "nk", "nk", 2.5, "dashed", 0.25,
          tooltip="{label}: breakaway area as drawn by Natural Earth v4.0.0", names="place-or-props",
          lines=_AREA_LINES, legend="breakaway area (Natural Earth v4.0.0)"),
    Layer("Located places (GeoNames)", "marker", "inside"),
)


def _located_in(r: dict, geometry: dict, shapes: list[dict]) -> bool:
    """A place is in a country if its point is inside the polygon, or (a coastal town just offshore
    of the simplified polygon) in no country and NEAR degrees (about 3 km) from a point inside."""
    x, y = r["lon"], r["lat"]
    if _inside(x, y, geometry):
        return True
    near = [(NEAR, 0), (-NEAR, 0), (0, NEAR), (0, -NEAR)]
    return (not any(_inside(x, y, g) for g in shapes)
            and any(_inside(x + dx, y + dy, geometry) for dx, dy in near))


@validate_params({"country": Options(lambda: sorted(_countries(_regions()))), "naming": _NAMING,
                  "tiles": _TILE})
def country_map(country: str, naming: str | None = None, tiles: str | None = "OpenStreetMap"):
    """One country's borders (Natural Earth), the breakaway areas Natural Earth draws inside it
    (Georgia: Abkhazia and South Ossetia; Azerbaijan: the 1994–2020 Nagorno-Karabakh area) and
    the located places that fall inside it. ``country`` is an English short name, e.g. "Georgia".

    Drawn from :data:`COUNTRY_LAYERS` (one loop); only the summary is written here."""
    mode = _mode(naming)
    regions, places = _regions(), _places()
    rid = _countries(regions)[country]
    feat = regions[rid]
    p = feat["properties"]
    label = _region_label(feat, places, mode)
    geom = feat["geometry"]
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    lons = [x for poly in polys for x, _ in poly[0]]
    lats = [y for poly in polys for _, y in poly[0]]
    shapes = [f["geometry"] for f in regions.values() if f["properties"]["kind"] == "country"]
    select = {
        "neighbours": [r for r, f in regions.items() if f["properties"]["kind"] == "country" and r != rid],
        "country": [rid],
        "areas": [a for a in COUNTRY_AREAS.get(rid, ()) if a in regions],
        "inside": [pid for pid, r in places.items() if r.get("lat") is not None and r.get("lon") is not None
                   and _located_in(r, geom, shapes)],
    }
    m = _new_map(tiles, location=((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2), zoom=7)
    m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]])
    ctx = {"country": label}
    _draw_layers(m, COUNTRY_LAYERS, select, regions, places, mode, ctx)

    areas, inside = select["areas"], select["inside"]
    text = (f"Map of {label}. Its border is Natural Earth's 1:10m country polygon"
            + (f" ({p['note']})" if p.get("note") else "") + ". "
            + ("Dashed, shaded: the breakaway areas Natural Earth v4.0.0 draws inside it: "
               + "; ".join(f"{_region_label(regions[a], places, mode)} — "
                           f"{regions[a]['properties'].get('note') or ''}" for a in areas) + ". "
               if areas else "No breakaway areas are in the package's data for this country. ")
            + (f"{len(inside)} located place(s) inside the polygon: "
               f"{', '.join(_naming.place_name(i, mode) for i in inside)}."
               if inside else "No located places of the package's gazetteer fall inside it.")
            + " Neighbouring countries in grey. Natural Earth draws de facto lines; none of them is a "
              "statement about recognition.")
    shown = [ly for ly in COUNTRY_LAYERS if select[ly.items]]
    legend = _layer_legend(sorted(shown, key=lambda ly: ly.items != "country"), ctx)   # the country first
    legend += [(_swatch("#000", shape="■"), "city"), (_swatch("#000", shape="●"), "town"),
               (_swatch("#000", shape="▲"), "terminal")]
    m.places = inside
    return _finish(m, f"Map of {label}", legend, text, _CREDITS)
