"""nkteach.live without a browser: the precomputed states, the pool, the markup, the page."""
from __future__ import annotations

import json
import random

import pytest

from nkteach import naming
from nkteach.live import SITES, describe, live_html, mechanism_of, state_of
from nkteach.live.page import write_page
from nkteach.validation import NkteachError
from nkteach.widgets import spec
from tests.support.live import described, kernel_view, same_ids, srcdoc_of, text_of, traces_of

# Computing every explorer's stored states takes over a minute (arms ≈55 s): part of make test,
# not of the edit-test loop (make test-fast).
pytestmark = pytest.mark.slow

SMALL = {"facebook_poll_explorer": 84, "negotiations_explorer": 48, "naming_toggle": 4,
         "control_by_period_explorer": 12,    # 3 periods × 4 naming policies
         "freedom_explorer": 37 * 2 ** 7,     # 37 series × every set of 7 country ticks
         "linkage_network_explorer": 28 * 6 * 2 ** 3 * 2,   # start × steps × level ticks × remove
         # recipients × windows of the 21 site year stops × volume/share × claims
         "arms_imports_explorer": 5 * (21 * 22 // 2) * 2 * 2}


@pytest.fixture(autouse=True)
def _keep_naming():
    saved = naming.get_naming()
    yield
    naming.set_naming(saved)


@pytest.fixture(scope="module")
def descs() -> dict:
    return {n: described(n) for n in SMALL}


def test_prefetch_computes_in_other_processes_what_describe_computes_here():
    from nkteach.live import cache

    wanted = [("negotiations_explorer", {}), ("naming_toggle", {})]
    saved = dict(cache._DONE)
    try:
        for name, kwargs in wanted:
            cache._DONE.pop(cache._key(name, kwargs), None)
        assert cache.prefetch(wanted + wanted, jobs=2) == 2      # each once, in spawned processes
        for name, kwargs in wanted:
            assert json.loads(cache._DONE[cache._key(name, kwargs)]) == describe(name, **kwargs)
        assert cache.prefetch(wanted, jobs=2) == 0               # already there: nothing to do
    finally:
        cache._DONE.clear()
        cache._DONE.update(saved)


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True, "2"])
def test_prefetch_refuses_a_bad_number_of_jobs(jobs):
    from nkteach.live import prefetch

    with pytest.raises(NkteachError, match="jobs"):
        prefetch([("naming_toggle", {})], jobs=jobs)


def _from_pool(desc: dict, key: str) -> dict:
    """A stored state rebuilt from the pool, in the shape of tests.support.live.kernel_view."""
    pool, st = desc["pool"], desc["states"][key]
    if "e" in st:
        return {"summary": f"⚠ {pool[st['e']]}", "traces": None, "map": None}
    return {"summary": "Summary: " + ". ".join(pool[i] for i in st["s"]),
            "traces": traces_of([pool[i] for i in st["f"]["d"]]) if "f" in st else None,
            "map": srcdoc_of("\n".join(pool[i] for i in st["m"])) if "m" in st else None,
            "side": [text_of(pool[i]) for i in st.get("x", [])]}


@pytest.mark.parametrize("name", sorted(SMALL))
def test_every_reachable_state_is_stored(descs, name):
    desc = descs[name]
    assert len(desc["states"]) == SMALL[name]
    assert desc["initial"] in desc["states"]
    assert mechanism_of(name) == "states"
    json.dumps(desc, allow_nan=False)       # plain JSON


@pytest.mark.parametrize("name", sorted(SMALL))
def test_stored_states_equal_a_fresh_kernel_explorer(descs, name):
    """Random states (all of them when there are few), visited in a random order by a fresh
    explorer, equal what the pool stores for them."""
    desc = descs[name]
    keys = sorted(desc["states"])
    rng = random.Random(name)
    picks = keys if len(keys) <= 24 else rng.sample(keys, 24)
    rng.shuffle(picks)
    ex = spec(name).factory()
    for key in picks:
        want = kernel_view(state_of(ex, desc, key))
        got = _from_pool(desc, key)
        got["map"] = same_ids(got["map"])
        assert got == want, (name, key)


def test_the_pool_stores_a_repeated_chart_once(descs):
    poll = descs["facebook_poll_explorer"]
    figures = {json.dumps(s["f"], sort_keys=True) for s in poll["states"].values()}
    assert len(figures) == 4          # 2 percentage modes × grouped or not; the slider moves text only
    slider_texts = {s["x"][0] for s in poll["states"].values()}
    assert len(slider_texts) == 21    # one arithmetic text per slider stop
    period = descs["control_by_period_explorer"]
    lines = sum(len(s["m"]) for s in period["states"].values())
    assert len(period["pool"]) < lines / 3     # leaflet's code and the styles are stored once


def test_negotiations_keeps_its_warning_states(descs):
    neg = descs["negotiations_explorer"]
    warnings = [k for k, s in neg["states"].items() if "e" in s]
    assert warnings, "a level and a round with no reading between them show ⚠ in the kernel"
    assert all(set(s) >= {"s", "f"} for k, s in neg["states"].items() if k not in warnings)


def test_markup_labels_live_region_and_escaping(descs):
    page = live_html(descs["negotiations_explorer"])
    assert 'role="status" aria-live="polite"' in page
    n = len(descs["negotiations_explorer"]["controls"])
    assert page.count("<legend>") + page.count("<label for=") >= n
    assert "</script>" not in page.split('class="nkl-data">', 1)[1][:-len("</script></div>")]
    evil = json.loads(json.dumps(descs["naming_toggle"]))
    evil["title"] = "<img src=x onerror=alert(1)>"
    evil["controls"][0]["labels"][0] = "</script><script>alert(1)</script>"
    out = live_html(evil)
    assert "<img src=x" not in out and "<script>alert" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_lazy_markup_points_to_a_same_site_file(descs, tmp_path):
    out = live_html(descs["control_by_period_explorer"], src="period.live.json")
    assert 'data-src="period.live.json"' in out and 'class="nkl-data"' not in out
    page = write_page(tmp_path / "p", [descs["naming_toggle"], descs["control_by_period_explorer"]])
    assert (page.parent / "control_by_period_explorer.live.json").is_file()
    assert (page.parent / "plotly.min.js").is_file() and (page.parent / "nkteach-live.js").is_file()
    assert "http://" not in page.read_text() and "https://" not in page.read_text()


def test_write_page_refuses_a_symlink(descs, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(NkteachError, match="symlink"):
        write_page(link, [descs["naming_toggle"]])
    assert not any(real.iterdir())


def test_unknown_explorer_is_named_in_the_error():
    with pytest.raises(NkteachError, match="nope"):
        describe("nope")
    assert mechanism_of("nope") == "frozen"
    explorers = {s.name for s in __import__("nkteach.widgets", fromlist=["EXPLORERS"]).EXPLORERS}
    assert set(SITES) <= explorers
    assert all(mechanism_of(n) != "frozen" for n in explorers), "every registered explorer is live"


def test_forecast_view_equals_the_kernel_explorer_on_random_states():
    """The declarative view (Python executor) against a fresh kernel explorer: 120 random
    states of the ~19.5 million, a quarter of them with every verdict left open."""
    from nkteach.live.states import key_choices
    from nkteach.live.view import run
    from tests.support.live import random_keys

    desc = describe("forecast_explorer")
    assert desc["mechanism"] == "view" and desc["states"] == {}
    ex = spec("forecast_explorer").factory()
    rng = random.Random("forecast")
    keys = random_keys(desc, rng, 90)
    keys += ["|".join(["0"] * 10 + [str(r)]) for r in (0, 1)] * 15
    for key in keys:
        out = run(desc["view"], desc["pool"], key_choices(desc, key))
        got = {"summary": f"Summary: {out['summary']}",
               "traces": traces_of(out["figure"]["data"]) if out["figure"] else None, "map": None,
               "side": [text_of(s) for s in out["side"]]}
        assert got == kernel_view(state_of(ex, desc, key)), key


def _view_read(desc: dict, out: dict) -> dict:
    """What a declarative view shows, in the shape of tests.support.live.kernel_view."""
    from nkteach.live.states import map_page

    if out.get("error"):
        return {"summary": f"⚠ {out['error']}", "traces": None, "map": None}
    return {"summary": f"Summary: {out['summary']}",
            "traces": traces_of(out["figure"]["data"]) if out["figure"] else None,
            "map": srcdoc_of(map_page(desc, out["map"])) if out.get("map") is not None else None,
            "side": [text_of(s) for s in out["side"]]}


@pytest.mark.parametrize("name, n", [("military_expenditure_explorer", 160), ("timeline_explorer", 60)])
def test_year_window_views_equal_the_kernel_explorer_on_random_states(name, n):
    """The year-window views (Python executor) against a fresh kernel explorer: random states,
    plus the first view and the narrowest and widest windows; the whole layout too (title,
    axis range, legend band), not only the traces."""
    from nkteach.live.states import shown, view_choices
    from nkteach.live.view import run
    from tests.support.live import random_keys

    desc = described(name)
    assert desc["mechanism"] == "view" and desc["states"] == {}
    ex = spec(name).factory()
    rng = random.Random(name)
    keys = random_keys(desc, rng, n) + [desc["initial"]]
    years = next(i for i, c in enumerate(desc["controls"]) if c["key"] == "years")
    last = len(desc["controls"][years]["labels"]) - 1
    for window in ("0-0", f"{last}-{last}", f"0-{last}"):
        parts = desc["initial"].split("|")
        parts[years] = window
        keys.append("|".join(parts))
    errors = 0
    for key in keys:
        out = run(desc["view"], desc["pool"], view_choices(desc, key))
        want = kernel_view(state_of(ex, desc, key))
        assert _view_read(desc, out) == want, key
        if out.get("error"):
            errors += 1
            continue
        layout = {k: v for k, v in shown(ex)[1]["layout"].items() if k != "meta"}
        assert json.dumps(out["figure"]["layout"], sort_keys=True) == json.dumps(layout, sort_keys=True), key
    assert 0 < errors < len(keys), "some states show ⚠ (no country/level ticked), most do not"


def test_timeline_map_pages_are_stored_once():
    desc = described("timeline_explorer")
    years = desc["controls"][0]
    assert {"1805", "1994", "1988", "2023", "1921", "1991", "2022"} <= set(years["labels"])
    assert "every year from 1800 to 2023" in years["note"]
    pages = {json.dumps(m) for m in desc["maps"]}
    assert len(pages) == len(desc["maps"]), "a map page is stored once"
    lines = sum(n for m in desc["maps"] for _, n in m)
    assert len(desc["pool"]) < lines / 20         # leaflet, styles and the country layer stored once


def test_view_interpreter_rejects_what_it_does_not_know():
    from nkteach.live.view import evaluate, run

    with pytest.raises(NkteachError, match="unknown operator"):
        evaluate(["eval", "alert(1)"], [], [])
    view = {"summary": ["cat", ["n=", ["sum", [["lk", [0, 1], ["c", 0]], ["c", 1, 1]]]]],
            "figure": None, "side": [["join", "; ", ["a", "", ["if", ["c", 0], "on", ""]]]]}
    assert run(view, [], [1, [2, 5]]) == {"summary": "n=6", "figure": None, "side": ["a; on"]}
    assert run(view, [], [0, [0, 0]]) == {"summary": "n=0", "figure": None, "side": ["a"]}


# (expression, choices, value): every operator the year-window views use; the same table runs
# in Chromium through nkteach-live.js (tests/test_live_browser.py)
VIEW_CASES = [
    (["q", [1, ["c", 0]]], [0], [1, ["c", 0]]),
    (["at", ["q", [5, 6, 7]], ["c", 0]], [2], 7),
    (["at", ["at", ["lk", [[[1, 2]], [[3, 4]]], ["c", 0]], 0], 1], [1], 4),
    (["get", ["pool", 0], ["marker", "symbol"]], [0], ["a", "b"]),
    (["slice", ["q", [0, 1, 2, 3, 4]], ["c", 0, 0], ["c", 0, 1]], [[1, 3]], [1, 2]),
    (["sub", ["c", 0], 7], [3], -4),
    (["cmp", 0.1, 0.30000000000000004], [0], -1),
    (["cmp", ["q", [2, -5]], ["q", [2, -3]]], [0], -1),
    (["min", [3, ["c", 0], 9]], [1], 1),
    (["max", [3, ["c", 0], 9]], [12], 12),
    (["argmax", ["q", [None, 2.5, 7.25, None, 7.25]]], [0], 2),
    (["argmax", ["q", [None]]], [0], -1),
    (["argmax", ["list", [["list", [2, -4]], ["list", [2, -1]], ["list", [1, 0]]]]], [0], 1),
    (["pool", ["sum", [["c", 0], 0]]], [1], "second"),
    (["set", ["pool", 0], ["marker", "symbol"], ["q", []]], [0], {"marker": {"symbol": []}}),
    (["fig", ["set", ["q", {"title": {"text": ""}}], ["title", "text"], "T"], None,
      [["if", ["c", 0], ["q", {"x": [1]}], None], ["q", {"x": [2]}]]], [0],
     {"data": [{"x": [2]}], "layout": {"title": {"text": "T"}}}),
    (["cat", ["n=", ["sub", 5, 2], "; ", ["cmp", 1, 1]]], [0], "n=3; 0"),
]
VIEW_POOL = [{"marker": {"symbol": ["a", "b"]}}, "second"]


@pytest.mark.parametrize("expr, choices, want", VIEW_CASES)
def test_view_operators(expr, choices, want):
    from nkteach.live.view import evaluate

    assert evaluate(expr, choices, VIEW_POOL) == want


def test_view_error_and_map():
    from nkteach.live.view import run

    view = {"error": ["if", ["c", 0], "", "tick something"], "summary": "ok", "figure": None,
            "map": ["lk", [None, 4], ["c", 0]]}
    assert run(view, [], [0]) == {"summary": "", "figure": None, "side": [], "error": "tick something",
                                  "map": None}
    assert run(view, [], [1]) == {"error": None, "summary": "ok", "figure": None, "side": [], "map": 4}


def test_site_stops_are_said_beside_the_control(descs):
    arms = descs["arms_imports_explorer"]
    years = next(c for c in arms["controls"] if c["key"] == "years")
    assert len(years["labels"]) == 21 and {"2007", "2011", "2017", "2020"} <= set(years["labels"])
    assert "every year from 1950 to 2021" in years["note"]
    page = live_html(arms, src="arms.live.json")
    assert 'class="nkl-note"' in page and "every year from 1950 to 2021" in page
