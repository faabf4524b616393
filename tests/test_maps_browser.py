"""Every map drawn by headless Debian Chromium with no internet: layers and markers reach the DOM.

Every non-localhost request is aborted (tests/support/browser.py) and nothing is substituted:
a map draws only from what nkteach puts into its page (Leaflet is inlined). The test fails if
the page asked for anything outside localhost except optional base-map tiles. Screenshots go to
test-artifacts/maps/. Under CI=true a missing Chromium fails the test.
"""
from __future__ import annotations

import pytest

from tests.support.paths import need_module

folium = need_module("folium")
sync_api = need_module("playwright.sync_api")

from nkteach import mapkit, maps  # noqa: E402
from tests.support import browser  # noqa: E402
from tests.support.foliumtree import walk  # noqa: E402

pytestmark = pytest.mark.browser

MAPS = {
    "overview": lambda **k: maps.overview(**k),
    "control_1994": lambda **k: maps.control_by_period("1994", **k),
    "control_2020": lambda **k: maps.control_by_period("2020", **k),
    "control_2023": lambda **k: maps.control_by_period("2023", **k),
    "corridors": lambda **k: maps.corridors(**k),
    "places": lambda **k: maps.places_map(
        ["stepanakert", "shusha", "lachin", "goris", "hadrut", "nagorno_karabakh"], **k
    ),
    "georgia": lambda **k: maps.country_map("Georgia", **k),
}
TILES = {"notiles": None, "osm": "OpenStreetMap"}


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as p:
        b = browser.launch(p)
        yield b
        b.close()


@pytest.mark.parametrize("tiles", list(TILES))
@pytest.mark.parametrize("name", list(MAPS))
def test_map_draws_offline(chromium, name, tiles, tmp_path, artifacts):
    m = MAPS[name](tiles=TILES[tiles])
    n_paths = sum(len(g.data["features"]) for g in walk(m, mapkit.Area)) + len(walk(m, folium.PolyLine))
    n_markers = len(walk(m, folium.Marker))
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(m.get_root().render(), encoding="utf-8")

    ctx = chromium.new_context(viewport={"width": 1100, "height": 750})
    routes = browser.install_offline_routes(ctx)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(page_file.as_uri())
        page.wait_for_selector("path.leaflet-interactive", timeout=20_000)
        page.wait_for_function(
            f"document.querySelectorAll('path.leaflet-interactive').length >= {n_paths}", timeout=10_000
        )
        drawn_paths = page.locator("path.leaflet-interactive").count()
        drawn_markers = page.locator(".leaflet-marker-pane .nk-marker").count()
        tile_imgs = page.locator("img.leaflet-tile").count()
        legend = page.locator(".nk-legend").inner_text()
        hidden = page.locator('[aria-label="Map summary"]').inner_text()
        out = artifacts / "maps"
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / f"{name}-{tiles}.png"))
    finally:
        ctx.close()

    assert not errors, errors
    assert not routes.off_localhost(allow=browser.TILE_URL), f"requests that left localhost: {routes.blocked}"
    assert drawn_paths == n_paths, (drawn_paths, n_paths)
    assert drawn_markers == n_markers, (drawn_markers, n_markers)
    assert n_paths >= 7
    if TILES[tiles] is None:
        assert tile_imgs == 0
        assert not any("tile.openstreetmap" in u for u in routes.blocked)
    else:  # tile requests are made and blocked: nothing reached the network, the map still draws
        assert routes.blocked and all(browser.TILE_URL.match(u) for u in routes.blocked)
    assert legend.strip() and m.title in legend
    assert hidden.strip() == maps.summary(m).strip()
