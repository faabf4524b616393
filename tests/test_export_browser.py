"""A lesson exported with ``nkteach export-html`` (issue 20: "and in an exported HTML notebook,
where the same runtime applies"), opened from disk in Chromium with every request that leaves
the machine aborted: its charts are drawn and each live explorer answers every one of its
controls, with no kernel and nothing fetched but optional map tiles.

One export of a real lesson, run in a fresh kernel (lesson 06: two charts and the linkage
network explorer, whose 2,688 states travel inline in the file)."""
from __future__ import annotations

import pytest

from tests.conftest import ROOT, need_module
from tests.support import browser
from tests.support.live import READ_JS, set_choice

sync_api = need_module("playwright.sync_api", "playwright is needed for the browser tests")

pytestmark = pytest.mark.browser

LESSON = "06-linkages"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from nkteach.cli import main

    out = tmp_path_factory.mktemp("export") / f"{LESSON}.html"
    assert main(["export-html", str(ROOT / "lessons" / f"{LESSON}.ipynb"), "-o", str(out), "--run"]) == 0
    return out


@pytest.fixture(scope="module")
def page(exported):
    browser.chromium_path()          # CI=true: a missing Chromium fails here
    with sync_api.sync_playwright() as p:
        b = browser.launch(p)
        ctx = b.new_context(viewport={"width": 1200, "height": 900})
        routes = browser.install_offline_routes(ctx)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(exported.as_uri())
        pg.wait_for_function("document.querySelectorAll('div.nkteach-live').length > 0 && document"
                             ".querySelectorAll('div.nkteach-live:not([data-nkl-ready])').length === 0",
                             timeout=30000)
        pg.nkl_routes, pg.nkl_errors = routes, errors
        yield pg
        b.close()


def _moved(desc: dict, key: str, i: int) -> tuple | None:
    """A choice for control ``i`` that moves the explorer from state ``key`` to a state whose
    stored view differs (``(choice, new key)``), or None if no choice does."""
    parts = key.split("|")
    ctl = desc["controls"][i]
    n = len(ctl["labels"])
    options = [(0, n - 1), (0, 0), (n - 1, n - 1)] if ctl["kind"] == "pair" else list(range(n))
    for c in options:
        part = f"{c[0]}-{c[1]}" if isinstance(c, tuple) else str(c)
        if part == parts[i]:
            continue
        new = "|".join(parts[:i] + [part] + parts[i + 1:])
        states = desc.get("states")
        if states is None or (new in states and states[new] != states[key]):
            return c, new
    return None


def _view(got: dict) -> tuple:
    return got["summary"], repr(got["traces"]), got["map"], tuple(got["side"])


def test_lesson_charts_are_drawn_from_the_inline_plotly(page):
    charts = page.locator("div.nkteach-plotly")
    assert charts.count() >= 1
    for i in range(charts.count()):
        assert charts.nth(i).locator(".main-svg").count() >= 1, f"chart {i} not drawn"
    assert page.locator("script[src]").count() == 0      # everything inline


WAIT_STATE = ("(el, key) => new Promise((ok, bad) => { const t0 = Date.now(); (function wait() {"
              " if (el.dataset.nklState === key) ok(); else if (Date.now() - t0 > 10000)"
              " bad(new Error('state ' + el.dataset.nklState + ', wanted ' + key));"
              " else setTimeout(wait, 20); })(); })")


def _choice(part: str):
    return tuple(int(x) for x in part.split("-")) if "-" in part else int(part)


def _go(page, root, desc: dict, key: str) -> None:
    """Set the controls of explorer ``root`` to state ``key`` as a user would."""
    now = root.get_attribute("data-nkl-state").split("|")
    for i, (ctl, part) in enumerate(zip(desc["controls"], key.split("|"))):
        if now[i] != part:
            set_choice(page, root, i, ctl, _choice(part))
    root.evaluate(WAIT_STATE, key)


def test_every_control_of_every_live_explorer_changes_the_view(page):
    """Each control of each live explorer moved (from the first state, or the nearest state where
    it matters) to a value whose stored view differs: the page shows a different summary, chart
    or map."""
    roots = page.locator("div.nkteach-live")
    assert roots.count() >= 1
    names = []
    for r in range(roots.count()):
        root = roots.nth(r)
        desc = root.evaluate("el => JSON.parse(el.querySelector('script.nkl-data').textContent)")
        assert not root.get_attribute("data-src"), "an exported explorer must not load a file"
        names.append(desc["name"])
        start = root.get_attribute("data-nkl-state")
        for i, ctl in enumerate(desc["controls"]):
            # from the first state if the control changes it there, else from the nearest state
            # where it does (e.g. the number of steps matters once a start node reaches far)
            near = sorted(desc.get("states") or [start],
                          key=lambda k: sum(a != b for a, b in zip(k.split("|"), start.split("|"))))
            found = next(((k, m) for k in near for m in [_moved(desc, k, i)] if m), None)
            assert found, f"{desc['name']}: no value of {ctl['key']} changes what the explorer shows"
            from_key, (choice, new) = found
            _go(page, root, desc, from_key)
            before = root.evaluate(READ_JS)
            set_choice(page, root, i, ctl, choice)
            root.evaluate(WAIT_STATE, new)
            after = root.evaluate(READ_JS)
            assert after["updates"] > before["updates"], (desc["name"], ctl["key"])
            assert _view(after) != _view(before), f"{desc['name']}: {ctl['key']} → {choice} changed nothing"
    assert "linkage_network_explorer" in names
    assert page.nkl_errors == []
    assert page.locator("[data-nkl-error]").count() == 0


def test_the_exported_outputs_pass_axe(page):
    """The lesson's outputs and markdown (as tests/test_a11y.py audits an nbconvert export) with
    the live explorers running: no WCAG 2.x A/AA violation."""
    from tests.support import a11y
    from tests.test_a11y import EXPORT_DISABLED, EXPORT_SCOPE

    a11y.axe_source()          # CI=true: a missing axe-core fails here
    violations = a11y.run_axe(page, EXPORT_SCOPE, EXPORT_DISABLED)
    assert not violations, a11y.describe(violations)


def test_nothing_left_the_page_but_map_tiles(page):
    assert page.nkl_routes.off_localhost(allow=browser.TILE_URL) == []
    assert page.nkl_errors == []
