"""nkteach.widgets: every reachable control value of every explorer, show(), mechanisms."""
from __future__ import annotations

import html
import json
import re
import subprocess
import sys

import ipywidgets as w
import pytest

import nkteach
from nkteach import display
from nkteach import widgets as W
from nkteach.validation import InvalidArgumentError, UnknownNameError
from nkteach.widgets import _explorer, _registry
from nkteach.widgets._range import YearRange

MAP_EXPLORERS = [s.name for s in _registry.EXPLORERS if s.draws_map]


@pytest.fixture(autouse=True)
def _naming_both():
    nkteach.set_naming("both")
    yield
    nkteach.set_naming("both")


def _make(name):
    kw = {"tiles": None} if name in MAP_EXPLORERS else {}   # offline: no tile layer
    return W.explorers()[name](**kw)


def _candidates(c):
    if isinstance(c, (w.Dropdown, w.ToggleButtons, w.RadioButtons, w.Select)):
        return list(c._options_values)
    if isinstance(c, (w.Checkbox, w.ToggleButton)):
        return [not c.value, c.value]
    if isinstance(c, (w.SelectionRangeSlider, YearRange)):
        opts, n = list(c._options_values), len(c.options)
        picks = [(0, n - 1), (0, 0), (n - 1, n - 1), (n // 3, 2 * n // 3), (n // 2, n // 2 + 1)]
        return [(opts[a], opts[min(b, n - 1)]) for a, b in picks]
    if isinstance(c, (w.IntSlider, w.FloatSlider)):
        return [c.min, c.max, (c.min + c.max) // 2, c.value]
    raise AssertionError(f"no sweep rule for {type(c).__name__}")


def _state(ex):
    fig = ex.figure
    if fig is None:
        f = None
    elif hasattr(fig, "to_json"):
        f = fig.to_json()
    else:
        f = display.summary_of(fig) + str(len(fig._repr_html_()))
    extra = [getattr(ex, a).value for a in ("hypothetical", "answers") if hasattr(ex, a)]
    return ex.summary, f, tuple(extra)


@pytest.mark.parametrize("name", list(W.explorers()))
def test_sweep_every_control(name):
    """Each control through all its options (sliders: ends and interior points), one at a
    time from the defaults: no exception, no error state, and what is shown changes."""
    ex = _make(name)
    assert ex.error is None, ex.error
    assert ex.summary and ex.controls
    if name == "linkage_network_explorer":   # steps/remove only matter once a start node is chosen
        ex.controls["start"].value = next(v for v in ex.controls["start"]._options_values if v)
    for key, c in ex.controls.items():
        assert c.description, f"{name}.{key} has no description/label"
        default = c.value
        for v in _candidates(c):
            before = _state(ex)
            c.value = v
            assert ex.error is None, f"{name}: {key}={v!r} → {ex.error}"
            assert ex.summary, f"{name}: {key}={v!r} left no summary"
            after = _state(ex)
            if c.value != default and before == after and key != "hypothetical_armenian_pct":
                pytest.fail(f"{name}: setting {key}={v!r} changed neither chart nor summary")
        c.value = default
        assert ex.error is None


@pytest.mark.parametrize("name", ["timeline_explorer", "linkage_network_explorer"])
def test_all_levels_unticked_is_a_message_not_a_crash(name):
    ex = _make(name)
    for k in ("elite", "nation", "international"):
        ex.controls[f"level:{k}"].value = False
    assert ex.error and "at least one level" in ex.error
    assert "at least one level" in ex.summary_widget.value
    ex.controls["level:nation"].value = True
    assert ex.error is None


def test_arms_summary_follows_recipient_and_mode():
    ex = _make("arms_imports_explorer")
    recips = list(ex.controls["recipient"]._options_values)
    assert {"Armenia", "Azerbaijan"} <= set(recips)
    for r in recips:
        ex.controls["recipient"].value = r
        assert f"Arms imports of {r}" in ex.summary
        assert r in ex.figure.layout.title.text
    ex.controls["recipient"].value = "Azerbaijan"
    ex.controls["years"].value = (2007, 2011)
    # SIPRI (arms_imports) gives Russia 662 of 1,103 TIV for Azerbaijan 2007–2011
    assert "1,103" in ex.summary and "662" in ex.summary
    ex.controls["overlay_claims"].value = True
    assert "55%" in ex.summary   # the thesis's claim (002 §V.E) is overlaid


def test_poll_toggle_and_hypothetical_slider():
    ex = _make("facebook_poll_explorer")
    ex.controls["show"].value = "recomputed"
    assert "recomputed" in ex.summary
    fig_before = ex.figure.to_json()
    ex.controls["hypothetical_armenian_pct"].value = 60
    hypo = ex.hypothetical.value
    assert "HYPOTHETICAL" in hypo and "60%" in hypo and "no data behind" in hypo
    # 60 % of 1,372 = 823 in Armenia → 549 in Azerbaijan → ≥ 631 − 549 = 82 of the
    # 'Azerbaijan wins' answers must come from Armenia (arithmetic on 002 Table 1 counts)
    assert "at least 82 of the 631" in hypo
    assert ex.figure.to_json() == fig_before    # the slider has no data behind it


def test_timeline_window_and_linked_map():
    ex = _make("timeline_explorer")
    ex.controls["years"].value = (1991, 1994)
    assert "Timeline 1991–1994" in ex.summary
    if _explorer.maps_module() is not None:
        assert ex.map is not None and "Map:" in ex.summary


def test_linkage_start_and_remove():
    ex = _make("linkage_network_explorer")
    start = next(v for v in ex.controls["start"]._options_values if v)
    ex.controls["start"].value = start
    assert "Highlighted:" in ex.summary and start in ex.summary
    before = ex.summary
    ex.controls["remove"].value = True
    assert ex.summary != before
    ex.controls["level:" + _level_of(start)].value = False
    assert f"start node {start} is hidden" in ex.summary


def test_linkage_edge_inspector_shows_mechanism_and_citation():
    from nkteach import levels

    ex = _make("linkage_network_explorer")
    fig = ex.figure.to_json()
    for e in levels.graph().edges[:5]:
        ex.edge_inspector.value = e.edge_id
        assert html.escape(e.mechanism) in ex.edge_text.value
        assert html.escape(e.citation) in ex.edge_text.value
    assert ex.figure.to_json() == fig       # reading a link does not redraw


def _level_of(node):
    from nkteach import levels
    return levels.graph().nodes[node].level


def test_forecast_evaluator_counts_matches():
    rows = nkteach.load("forecasts", as_frame=False)
    ex = _make("forecast_explorer")
    assert ex.figure is None and "0 of" in ex.summary
    for r in rows:
        ex.controls[f"verdict:{r['forecast_id']}"].value = "held"
    ex.controls["reveal"].value = True
    expected = sum(r["verdict_code"] == "held" for r in rows)
    assert f"match the model on {expected} of {len(rows)}" in ex.summary
    assert ex.figure is not None and rows[0]["forecast_id"] in ex.answers.value


def test_naming_toggle_sets_policy_and_refreshes_maps():
    tog = _make("naming_toggle")
    pm = _make("control_by_period_explorer")
    before = pm.summary
    tog.controls["naming"].value = "armenian"
    assert nkteach.get_naming() == "armenian"
    assert nkteach.place_name("stepanakert") in tog.summary
    assert pm.summary != before            # the map explorer was redrawn with the new names


# ---------------------------------------------------------------- show() and mechanisms

def test_show_chart_and_map(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append(obj))
    from nkteach import charts
    fig = charts.facebook_poll()
    nkteach.show(fig)
    assert display.PLOTLY_MIME in shown[0] and shown[0][display.PLOTLY_MIME]["data"]
    json.dumps(shown[0])                   # plain JSON, ready for the kernel
    assert charts.summary(fig) in shown[1]["text/plain"]
    with pytest.raises(InvalidArgumentError, match="no text summary"):
        import plotly.graph_objects as go
        nkteach.show(go.Figure())
    if _explorer.maps_module() is not None:
        from nkteach import maps
        m = maps.places_map(["stepanakert"], tiles=None)
        shown.clear()
        nkteach.show(m)
        assert "text/html" in shown[0] and maps.summary(m) in shown[1]["text/plain"]


def test_show_does_not_import_nbformat():
    code = ("import sys, nkteach\nfrom nkteach import charts\n"
            "nkteach.show(charts.facebook_poll())\n"
            "assert 'nbformat' not in sys.modules, 'nbformat imported'\n"
            "assert 'plotly.io._renderers' not in sys.modules\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "Summary:" in p.stdout


def test_explorer_does_not_import_nbformat():
    code = ("import sys\nimport nkteach.widgets as W\ne = W.poll_explorer()\n"
            "e.controls['show'].value = 'recomputed'\n"
            "assert 'nbformat' not in sys.modules\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr


def test_figurewidget_mechanism_updates_in_place():
    import plotly.graph_objects as go

    ex = W.arms_explorer(mechanism="figurewidget")
    fw = next(c for c in ex.children if isinstance(c, go.FigureWidget))
    ex.controls["recipient"].value = "Armenia"
    assert "Armenia" in fw.layout.title.text
    ex.controls["mode"].value = "share"       # different traces: rebuilt, same widget
    assert next(c for c in ex.children if isinstance(c, go.FigureWidget)) is fw
    assert [t.type for t in fw.data] == [t.type for t in ex.figure.data]
    with pytest.raises(ValueError, match="unknown mechanism 'svg'"):
        W.poll_explorer(mechanism="svg")


# ---------------------------------------------------------------- the update cache

def _shown(ex):
    """Everything an update puts on screen, as plain values."""
    side = [getattr(w_, t) for w_, t in ex._side]
    return (ex.summary, ex.summary_widget.value, json.dumps(ex.output.outputs, sort_keys=True),
            json.dumps(side, sort_keys=True, default=str), ex.error)


def _sweep(ex):
    """Each control through its candidates from the defaults, then back (as in the sweep test)."""
    seen = []
    if ex.name == "linkage_network_explorer":
        ex.controls["start"].value = next(v for v in ex.controls["start"]._options_values if v)
        seen.append(_shown(ex))
    for c in ex.controls.values():
        default = c.value
        for v in _candidates(c):
            c.value = v
            seen.append(_shown(ex))
        c.value = default
        seen.append(_shown(ex))
    return seen


@pytest.mark.parametrize("name", list(W.explorers()))
def test_revisited_states_come_from_the_cache_and_match(name, monkeypatch):
    """Sweep every control twice: the second pass shows exactly what the first showed and
    calls no chart or map function (explorers whose render has global side effects — the
    naming toggle — are not cached themselves; the explorers they refresh are)."""
    from nkteach import charts

    calls = []

    def counting(mod, fn_name):
        fn = getattr(mod, fn_name)

        def wrapped(*a, **k):
            calls.append(fn_name)
            return fn(*a, **k)
        monkeypatch.setattr(mod, fn_name, wrapped)

    for fn_name in [n for n in dir(charts) if not n.startswith("_") and n != "summary"
                    and callable(getattr(charts, n)) and getattr(getattr(charts, n), "__module__", "")
                    == charts.__name__]:
        counting(charts, fn_name)
    maps = _explorer.maps_module()
    if maps is not None:
        for fn_name in ("places_map", "control_by_period"):
            counting(maps, fn_name)
    ex = _make(name)
    if ex.cache_size:   # the LRU bound is tested below; here every swept state must fit
        ex.cache_size = 10_000
    first = _sweep(ex)
    renders, n_calls, hits = ex.renders, len(calls), ex.cache_hits
    assert n_calls > 0 or name == "naming_toggle", "the counting patch saw no chart/map call"
    second = _sweep(ex)
    assert second == first, f"{name}: cached output differs from fresh output"
    if name != "naming_toggle":
        assert ex.renders == renders, f"{name}: {ex.renders - renders} renders on revisits"
        assert ex.cache_hits > hits
    assert calls[n_calls:] == [], f"{name}: revisits called {sorted(set(calls[n_calls:]))}"


def test_cache_is_bounded_lru_and_keyed_by_naming():
    ex = _make("arms_imports_explorer")
    ex.cache_size = 2
    rec = ex.controls["recipient"]
    a, b, c = [r for r in rec._options_values if r != rec.value][:3]
    for r in (a, b, c):
        rec.value = r
    assert len(ex._cache) == 2
    n = ex.renders
    rec.value = a                     # evicted (least recently used): drawn again
    assert ex.renders == n + 1
    pm = _make("control_by_period_explorer")
    n = pm.renders
    nkteach.set_naming("armenian")
    pm.update()
    assert pm.renders == n + 1        # same control state, other naming: not a cache hit
    nkteach.set_naming("both")
    pm.update()
    assert pm.renders == n + 1        # back to the first naming: cached


def test_one_control_change_renders_once():
    for spec in _registry.EXPLORERS:
        ctrl, values = spec.sample
        ex = _make(spec.name)
        for v in values:
            before = ex.updates
            ex.controls[ctrl].value = v
            assert ex.updates - before == (0 if ex.error else 1), f"{spec.name}.{ctrl}={v!r}"


# ---------------------------------------------------------------- the registry

def test_registry_names_follow_the_charts_and_aliases_resolve():
    from nkteach import charts, maps

    names = W.explorers()
    assert list(names) == _registry.names() and len(set(names)) == len(names)
    for spec in _registry.EXPLORERS:
        for shown in spec.shows:
            if shown.startswith("maps:"):
                assert callable(getattr(maps, shown[5:])), shown
            else:
                assert shown in charts.CHARTS, f"{spec.name} shows unknown chart {shown!r}"
        if len(spec.shows) == 1 and not spec.shows[0].startswith("maps:"):
            assert spec.name == f"{spec.shows[0]}_explorer"
        for alias in spec.aliases:
            assert getattr(W, alias) is getattr(W, spec.name) is names[spec.name]
        ctrl, values = spec.sample
        assert ctrl and values, f"{spec.name} has no sample update"
    assert W.arms_explorer is W.arms_imports_explorer and W.poll_explorer is W.facebook_poll_explorer
    with pytest.raises(UnknownNameError, match="unknown explorer 'arm_explorer'"):
        _registry.spec("arm_explorer")
    with pytest.raises(AttributeError):
        _ = W.no_such_explorer


def test_lesson_checker_reads_the_registry(root):
    from nkteach.lessonfile import check, explorers

    # importing the widgets registered every name and alias with the lesson-file layer
    assert explorers.explorer_names() == set(_registry.all_names())
    assert "naming_toggle" not in explorers.drawing_explorer_names()
    assert "forecast_evaluator" in explorers.drawing_explorer_names()
    pattern = check.explorer_call_pattern()
    for name in _registry.all_names():
        assert pattern.search(f"widgets.{name}()"), name
    assert not pattern.search("widgets.invented_explorer()")
    called = set()
    for nb in sorted((root / "lessons").glob("[0-9][0-9]-*.ipynb")):
        for cell in json.loads(nb.read_text())["cells"]:
            called |= set(re.findall(r"widgets\.(\w+)\(", "".join(cell["source"])))
    assert called and called <= set(_registry.all_names()), called - set(_registry.all_names())


def test_display_module_imports_no_ipywidgets():
    code = ("import sys, nkteach\nfrom nkteach import charts, display\n"
            "nkteach.show(charts.facebook_poll())\nimport nkteach.widgets\n"
            "assert 'ipywidgets' not in sys.modules, 'ipywidgets imported'\n"
            "assert nkteach.show is display.show is nkteach.widgets.show\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr


# ---------------------------------------------------------------- user errors vs bugs

def _toy(render, **kw):
    return W.Explorer("toy", {"n": w.IntSlider(value=1, min=0, max=5, description="n")}, render, **kw)


def _chart(n):
    import plotly.graph_objects as go
    return go.Figure(go.Bar(x=["a"], y=[n]),
                     layout={"title": {"text": f"n={n}"}, "meta": {"summary": f"n is {n}"}})


def test_user_error_shows_reason_and_clears_the_stale_chart():
    def render(v):
        if v["n"] == 0:
            raise InvalidArgumentError("n must not be 0 for this toy")
        fig = _chart(v["n"])
        return fig, display.summary_of(fig)

    ex = _toy(render)
    assert ex.output.outputs and ex.error is None and not ex.stale
    ex.controls["n"].value = 0
    assert ex.error == "n must not be 0 for this toy" and ex.exception is None and ex.stale
    assert ex.output.outputs == () and ex.figure is None          # no stale chart left on screen
    assert "⚠" in ex.summary_widget.value and "must not be 0" in ex.summary_widget.value
    assert 'role="alert"' in ex.summary_widget.value
    ex.controls["n"].value = 1                                   # back to a cached state
    assert ex.error is None and not ex.stale and ex.output.outputs and "n is 1" in ex.summary


def test_bug_in_a_render_is_shown_with_its_traceback_not_as_a_user_message():
    def render(v):
        if v["n"] == 3:
            {}["no such key"]                                     # a bug, not a user error
        fig = _chart(v["n"])
        return fig, display.summary_of(fig)

    ex = _toy(render)
    ex.controls["n"].value = 3
    assert isinstance(ex.exception, KeyError) and ex.stale
    (out,) = ex.output.outputs
    assert out["output_type"] == "error" and out["ename"] == "KeyError"
    tb = "\n".join(out["traceback"])
    assert "Traceback" in tb and "no such key" in tb and "render" in tb
    assert "⚠" not in ex.summary_widget.value and "report it" in ex.summary_widget.value
    json.dumps(ex.output.outputs)                                 # a valid notebook output
    ex.controls["n"].value = 2
    assert ex.exception is None and ex.output.outputs[0]["output_type"] == "display_data"
    with pytest.raises(ZeroDivisionError):                       # building: the cell shows it
        _toy(lambda v: (1 / 0, ""))


def test_bug_in_a_real_explorer_render(monkeypatch):
    from nkteach import charts

    ex = _make("arms_imports_explorer")
    monkeypatch.setattr(charts, "arms_imports", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    ex.controls["recipient"].value = "Armenia"
    assert isinstance(ex.exception, RuntimeError)
    assert ex.output.outputs[0]["output_type"] == "error" and "boom" in ex.output.outputs[0]["evalue"]


def test_timeline_user_error_clears_the_linked_map():
    ex = _make("timeline_explorer")
    assert _explorer.maps_module() is not None   # the timeline explorer draws its place map
    ex.controls["years"].value = (1991, 1994)
    map_out = ex._side[0][0]
    assert map_out.outputs
    for k in ("elite", "nation", "international"):
        ex.controls[f"level:{k}"].value = False
    assert ex.stale and map_out.outputs == () and ex.output.outputs == ()


# ---------------------------------------------------------------- argument checks

def test_constructor_arguments_are_validated():
    with pytest.raises(InvalidArgumentError, match="mechanism"):
        W.arms_imports_explorer(mechanism="svg")
    with pytest.raises(InvalidArgumentError, match="tiles"):
        W.control_by_period_explorer(tiles=5)
    with pytest.raises(InvalidArgumentError, match="with_map"):
        W.timeline_explorer(with_map="yes", tiles=None)
    with pytest.raises(InvalidArgumentError, match="tiles"):
        W.timeline_explorer(tiles=["OpenStreetMap"])
    ok = {"n": w.IntSlider(description="n")}
    for bad, match in ((dict(controls={"n": 3}), "controls\\['n'\\]"), (dict(render="chart"), "render"),
                       (dict(name=""), "name"), (dict(cache="no"), "cache"), (dict(title=None), "title")):
        kw = {"name": "toy", "controls": ok, "render": lambda v: (None, "x"), **bad}
        with pytest.raises(InvalidArgumentError, match=match):
            W.Explorer(kw.pop("name"), kw.pop("controls"), kw.pop("render"), **kw)


# ---------------------------------------------------------------- static fallback

def test_mimebundle_has_widget_view_and_small_static_fallback():
    ex = _make("arms_imports_explorer")
    first = ex.figure
    ex.controls["recipient"].value = "Armenia"          # the fallback keeps the first view
    data = ex._repr_mimebundle_()
    if isinstance(data, tuple):
        data = data[0]
    assert "application/vnd.jupyter.widget-view+json" in data
    page = data["text/html"]
    m = re.search(r'<div class="nkteach-plotly" role="img" aria-label="([^"]*)">'
                  r'<script type="application/json">(.*?)</script></div>', page, re.S)
    assert m, page[:300]
    assert html.unescape(m.group(1)) == display.plain_title(first.layout)
    assert "<br>" not in m.group(1) and first.layout.title.text.split("<br>")[0] in html.unescape(m.group(1))
    spec = json.loads(m.group(2))
    assert spec["data"][0]["type"] == first.data[0].type and "Azerbaijan" in spec["layout"]["title"]["text"]
    assert m.group(2) == display.compact_json(spec) and "</" not in m.group(2)  # compact, script-safe
    assert display.summary_of(first)[:60] in html.unescape(page)
    assert "Jupyter" in page and "Binder" in page and "recipient" in page.lower()
    assert "plotly.min.js" not in page and "cdn" not in page.lower()
    assert len(page.encode()) < 40_000


def test_map_explorer_fallback_is_the_map_html():
    ex = _make("control_by_period_explorer")
    page = ex.static_html()
    assert "<iframe" in page and "srcdoc=" in page and "nkteach-plotly" not in page
    assert html.escape(ex.summary)[:60] in page
    tog = _make("naming_toggle")
    assert "Jupyter" in tog.static_html() and "nkteach-plotly" not in tog.static_html()


def test_map_html_patches_nothing_global():
    from nkteach import maps

    import branca.element as be
    import jinja2

    before = (be.Template, be.escape)
    page = display.map_html(maps.control_by_period("2020", tiles=None))
    assert "<iframe" in page and "srcdoc=" in page
    assert (be.Template, be.escape) == before and be.Template is jinja2.Template
    assert not hasattr(display, "_lean_folium")


def test_static_chart_html_from_a_spec_alone_is_the_same_markup():
    from nkteach import charts

    fig = charts.arms_imports()
    spec = display.plotly_spec(fig)
    assert display.static_chart_html(spec=spec) == display.static_chart_html(fig, spec)
    page = display.static_chart_html(spec={"layout": {"title": "</script><b>x</b>"}, "data": []})
    assert page.count("</script>") == 1 and "<b>" not in page and 'aria-label="x"' in page


# ---------------------------------------------------------------- Georgia

@pytest.mark.parametrize("name", ["arms_imports_explorer", "military_expenditure_explorer",
                                  "freedom_explorer"])
def test_georgia_is_offered_wherever_the_data_have_it(name):
    ex = _make(name)
    if "recipient" in ex.controls:
        assert "Georgia" in ex.controls["recipient"].options
        ex.controls["recipient"].value = "Georgia"
    else:
        ex.controls["country:Georgia"].value = True
        for k in ("Armenia", "Azerbaijan"):
            ex.controls[f"country:{k}"].value = False
    assert ex.error is None and "Georgia" in ex.summary


def test_georgia_without_data_is_said_clearly():
    ex = _make("military_expenditure_explorer")
    ex.controls["country:Georgia"].value = True
    for k in ("Armenia", "Azerbaijan"):
        ex.controls[f"country:{k}"].value = False
    ex.controls["measure"].value = "per_capita_usd"
    ex.controls["years"].value = (1950, 1960)
    assert ex.error and "Georgia" in ex.error and "1950–1960" in ex.error and ex.stale
    for name in ("timeline_explorer", "control_by_period_explorer", "facebook_poll_explorer"):
        intro = " ".join(c.value for c in _make(name).children if isinstance(c, w.HTML))
        assert "Georgia" in intro, name


def test_benchmark_reads_the_registry(root, monkeypatch):
    monkeypatch.syspath_prepend(str(root / "bench"))   # undone after the test
    import explorers as bench_explorers

    assert list(bench_explorers.UPDATES) == _registry.names()
    assert bench_explorers.MAP_EXPLORERS == {"timeline_explorer", "control_by_period_explorer",
                                             "naming_toggle"}


def test_every_dropdown_has_a_selected_option_and_keeps_it():
    """Issue 20: ipywidgets 8 reads a None value as "no selection", so JupyterLab showed the
    linkage explorer's Start node blank and lost a choice of "(none)". Every dropdown of every
    explorer starts with an option selected, and choosing its first option keeps one selected."""
    import ipywidgets as ipw

    from nkteach.widgets import EXPLORERS

    for spec in EXPLORERS:
        ex = spec.factory()
        for name, ctl in ex.controls.items():
            if isinstance(ctl, ipw.Dropdown):
                assert ctl.index is not None, (spec.name, name)
                ctl.index = len(ctl.options) - 1
                ctl.index = 0
                assert ctl.index == 0 and ctl.value is not None, (spec.name, name)


def test_linkage_start_node_none_and_back():
    ex = W.linkage_network_explorer()
    start = ex.controls["start"]
    start.value = "D"
    assert "Highlighted: D" in ex.summary
    start.index = 0
    assert start.index == 0 and "Highlighted" not in ex.summary


def test_year_range_is_two_named_dropdowns_with_the_range_slider_interface():
    """Issue 21 (WCAG 4.1.2): the explorers choose years with two dropdowns, each named by its
    description (ipywidgets links it to the <select>), not a range slider whose handles have no
    name; value/index behave as a SelectionRangeSlider's."""
    yr = YearRange([1990, 1991, 1992, 1993, 1994], index=(1, 3), description="Years")
    assert [c.description for c in yr.children] == ["Years from", "to"]
    assert all(isinstance(c, w.Dropdown) for c in yr.children)
    assert yr.value == (1991, 1993) and yr.index == (1, 3)
    seen = []
    yr.observe(lambda ch: seen.append(ch["new"]), names="value")
    yr.value = (1994, 1990)                     # given backwards: put in order
    assert yr.value == (1990, 1994) and (yr.start.value, yr.end.value) == (1990, 1994)
    yr.start.value = 1993                       # the start moves: value follows
    assert yr.value == (1993, 1994) and yr.index == (3, 4)
    yr.end.value = 1991                         # the end moved before the start: the start follows
    assert yr.value == (1991, 1991) and yr.start.value == 1991
    yr.start.value = 1994                       # the start moved past the end: the end follows
    assert yr.value == (1994, 1994)
    assert seen[0] == (1990, 1994) and seen[-1] == (1994, 1994)
    import traitlets

    with pytest.raises(traitlets.TraitError, match="1990…1994"):
        yr.value = (1980, 1994)
    for name in ("timeline_explorer", "arms_imports_explorer", "military_expenditure_explorer"):
        assert isinstance(_make(name).controls["years"], YearRange), name
    for name in W.explorers():
        assert not any(isinstance(c, w.SelectionRangeSlider) for c in _make(name).controls.values()), name
