"""Live explorers in Chromium (issue 20): the same answer as the kernel explorer for random
reachable states, every control moves the view, keyboard and labels, nothing fetched from
outside the page but optional map tiles.

The page is built by ``nkteach.live.page.write_page`` (no site build): the live markup of the
explorers, plotly's own plotly.min.js and ``site/static/nkteach-live.js``, served from
127.0.0.1 with every other request aborted."""
from __future__ import annotations

import random

import pytest

from tests.conftest import need_module
from tests.support import browser
from tests.support.live import READ_JS, described, kernel_view, random_keys, same_ids, set_choice

sync_api = need_module("playwright.sync_api", "playwright is needed for the browser tests")

from nkteach import naming  # noqa: E402
from nkteach.live import SITES, state_of  # noqa: E402
from nkteach.live.page import serve, write_page  # noqa: E402
from nkteach.widgets import spec  # noqa: E402

pytestmark = pytest.mark.browser

NAMES = list(SITES)      # every live explorer
STATES_PER_EXPLORER = 20


@pytest.fixture(scope="module")
def descs():
    """Live descriptions, computed when a test first needs one (``-k`` runs only pay for theirs)."""
    class Lazy(dict):
        def __missing__(self, name):
            self[name] = described(name)
            return self[name]

    return Lazy()


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as p:
        b = browser.launch(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def pages(chromium, descs, tmp_path_factory):
    """One page per explorer (with the naming toggle, which map explorers follow), built when a
    test first asks for it: ``pages(name)``."""
    made: dict = {}
    servers = []

    def page_for(name: str):
        if name in made:
            return made[name]
        names = ["naming_toggle"] + ([name] if name != "naming_toggle" else [])
        folder = tmp_path_factory.mktemp("live")
        write_page(folder, [descs[n] for n in names])
        server = serve(folder)
        base = server.__enter__()
        servers.append(server)
        ctx = chromium.new_context(viewport={"width": 1200, "height": 900})
        routes = browser.install_offline_routes(ctx)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{base}/index.html")
        for n in names:      # lazy explorers load when scrolled to
            pg.locator(f'[data-explorer="{n}"]').scroll_into_view_if_needed()
        pg.wait_for_function(f"document.querySelectorAll('[data-nkl-ready]').length === {len(names)}",
                             timeout=60000)
        pg.nkl_routes, pg.nkl_errors = routes, errors
        made[name] = pg
        return pg

    yield page_for
    for pg in made.values():
        pg.context.close()
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _keep_naming():
    saved = naming.get_naming()
    yield
    naming.set_naming(saved)


def _q(name: str) -> str:
    return f"document.querySelector('[data-explorer=\"{name}\"]')"


def _root(page, name):
    return page.locator(f'[data-explorer="{name}"]')


def _choices(desc, key):
    return [tuple(int(x) for x in p.split("-")) if c["kind"] == "pair" else int(p)
            for c, p in zip(desc["controls"], key.split("|"))]


def _go(page, descs, name, key):
    """Set the live explorer ``name`` to state ``key`` through its controls (and the page's
    naming toggle for the naming part); return what it shows once drawn."""
    desc = descs[name]
    if desc.get("naming"):
        n = int(key.split("|")[-1])
        set_choice(page, _root(page, "naming_toggle"), 0, descs["naming_toggle"]["controls"][0], n)
    root = _root(page, name)
    for i, (ctl, c) in enumerate(zip(desc["controls"], _choices(desc, key))):
        set_choice(page, root, i, ctl, c)
    page.wait_for_function(f"{_q(name)}.dataset.nklState === '{key}'", timeout=10000)
    return _root(page, name).evaluate(READ_JS)


def _view(v: dict) -> tuple:
    return (v["summary"], v["traces"], same_ids(v["map"]), v.get("side"))


def _same(got: dict, want: dict, where: str):
    assert got["summary"] == want["summary"], where
    assert got["traces"] == want["traces"], where
    assert same_ids(got["map"]) == want["map"], where
    if "side" in want:
        assert got["side"] == want["side"], where


@pytest.mark.parametrize("name", NAMES)
def test_random_states_match_the_kernel_explorer(pages, descs, name):
    page = pages(name)
    desc = descs[name]
    rng = random.Random(f"nkteach-live-{name}")
    picks = random_keys(desc, rng, STATES_PER_EXPLORER)
    ex = spec(name).factory()
    for key in picks:
        got = _go(page, descs, name, key)
        want = kernel_view(state_of(ex, desc, key))
        _same(got, want, f"{name} state {key}")
    assert not page.nkl_errors


@pytest.mark.parametrize("name", NAMES)
def test_every_control_changes_the_view_as_the_kernel_says(pages, descs, name):
    """From the first view, each control moved to each other value: the browser view changes
    exactly when the kernel's does, and equals it."""
    page = pages(name)
    desc = descs[name]
    ex = spec(name).factory()
    start = desc["initial"]
    base = _choices(desc, start)
    for i, ctl in enumerate(desc["controls"]):
        options = ([(a, b) for a, b in [(0, len(ctl["labels"]) - 1), (0, 0)]]
                   if ctl["kind"] == "pair" else range(len(ctl["labels"])))
        for c in options:
            if c == base[i]:
                continue
            _go(page, descs, name, start)
            before = _root(page, name).evaluate(READ_JS)
            moved = list(base)
            moved[i] = c
            key = "|".join(f"{x[0]}-{x[1]}" if isinstance(x, tuple) else str(x) for x in moved)
            if desc.get("naming"):
                key += "|" + start.split("|")[-1]
            want_before = kernel_view(state_of(ex, desc, start))
            want = kernel_view(state_of(ex, desc, key))
            root = _root(page, name)
            updates = before["updates"]
            set_choice(page, root, i, ctl, c)
            page.wait_for_function(
                f"document.querySelector('[data-explorer=\"{name}\"]').dataset.nklState === '{key}'",
                timeout=10000)
            got = root.evaluate(READ_JS)
            changed = sum(a != b for a, b in zip(c, base[i])) if ctl["kind"] == "pair" else 1
            assert got["updates"] == updates + changed, (name, ctl["key"], c)   # once per change
            _same(got, want, f"{name} {ctl['key']}={c}")
            assert (_view(got) != _view(before)) == (_view(want) != _view(want_before)), \
                (name, ctl["key"], c)


@pytest.mark.parametrize("name", NAMES)
def test_controls_have_visible_labels_and_work_from_the_keyboard(pages, descs, name):
    page = pages(name)
    _go(page, descs, name, descs[name]["initial"])
    root = _root(page, name)
    live = root.locator(".nkl-summary")
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"
    for i, ctl in enumerate(descs[name]["controls"]):
        el = root.locator(f'.nkl-ctl[data-ctl="{i}"]')
        label = el.locator("legend, label, button").first
        assert label.is_visible() and ctl["label"] in label.inner_text(), (name, ctl["key"])
        before = int(root.get_attribute("data-nkl-updates"))
        kind = ctl["kind"]
        if kind == "radio":
            el.locator("input:checked").focus()
            page.keyboard.press("ArrowRight")
        elif kind == "select":
            el.locator("select").focus()
            page.keyboard.press("ArrowDown" if ctl["index"] < len(ctl["labels"]) - 1 else "ArrowUp")
        elif kind in ("checkbox", "toggle"):
            el.locator("input, button").first.focus()
            page.keyboard.press("Space")
        elif kind == "range":
            el.locator("input").focus()
            page.keyboard.press("ArrowLeft" if ctl["index"] > 0 else "ArrowRight")
        elif kind == "pair":
            el.locator("select").first.focus()
            page.keyboard.press("ArrowDown")
        try:
            page.wait_for_function(
                f"+{_q(name)}.dataset.nklUpdates === {before + 1}",
                timeout=5000)
        except sync_api.TimeoutError:
            pytest.fail(f"{name}: {kind} control {ctl['key']!r} did not respond to the keyboard")


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_fetched_from_outside_but_map_tiles(pages, name):
    page = pages(name)
    assert page.nkl_routes.off_localhost(allow=browser.TILE_URL) == []
    assert page.nkl_errors == []
    assert page.locator("[data-nkl-error]").count() == 0      # no description failed to load or draw


def test_view_operators_give_the_same_values_in_the_browser(pages):
    """The interpreter in nkteach-live.js against the Python one, operator by operator
    (tests/test_live.py's table)."""
    from tests.test_live import VIEW_CASES, VIEW_POOL

    page = pages("naming_toggle")
    got = page.evaluate("cases => cases.map(c => window.nkteachLive.evaluate(c[0], c[1], c[2]))",
                        [[e, ch, VIEW_POOL] for e, ch, _ in VIEW_CASES])
    assert got == [want for _, _, want in VIEW_CASES]
