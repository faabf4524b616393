"""Hostile inputs, generated from the declared parameter constraints and the registries.

Every public function of nkteach's lower floors declares what each argument accepts
(:func:`nkteach.validation.validate_params`; charts through ``@chart(..., params=)``). This file
finds those functions — in the modules' ``__all__``, in :data:`nkteach.charts.CHARTS`, in the
explorer registry and on a :class:`~nkteach.levels.LinkageGraph` — and calls each with every
bad value its constraint derives (``constraint.hostile()``: wrong type, out of range, a
near-miss spelling, an empty list, a bare string for a list, NaN, huge numbers, None …), the
other arguments at their defaults or declared examples. Each call must raise one of nkteach's
own errors (:class:`nkteach.validation.NkteachError`) whose message names the argument, shows
the bad value and says what is allowed — never a raw pandas/json/folium error, never a hang.
A new function, argument or chart gets its hostile inputs without anyone writing them; the
completeness tests below fail if a public argument is not declared. The CLI's hostile cases live
in tests/test_cli.py; escaping of hostile place names in maps in tests/test_maps.py.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

import nkteach
from nkteach import charts, data, display, levels, maps, naming, settings
from nkteach.validation import NkteachError, constraints_of
from nkteach.widgets import _registry
from tests.support.bounded import run_bounded

pytestmark = pytest.mark.usefixtures("restore_naming")   # tests/conftest.py

MODULES = (data, naming, levels, maps, display, settings)


def _graph() -> levels.LinkageGraph:
    return levels.graph()


def _targets() -> dict[str, Callable[[], Callable]]:
    """name → a function returning the callable (built lazily: graphs, explorer factories)."""
    out: dict[str, Callable[[], Callable]] = {}
    for mod in MODULES:
        for name in mod.__all__:
            obj = getattr(mod, name)
            if callable(obj) and not inspect.isclass(obj) and constraints_of(obj):
                out[f"{mod.__name__}.{name}"] = lambda obj=obj: obj
    for name in dir(levels.LinkageGraph):
        if not name.startswith("_") and constraints_of(getattr(levels.LinkageGraph, name)):
            out[f"LinkageGraph.{name}"] = lambda name=name: getattr(_graph(), name)
    for name, ch in charts.CHARTS.items():
        out[f"charts.{name}"] = lambda ch=ch: ch.summary     # same checks, no drawing
    for name in ("supplier_shares", "readings"):
        out[f"charts.{name}"] = lambda name=name: getattr(charts, name)
    for s in _registry.EXPLORERS:
        out[f"widgets.{s.name}"] = lambda s=s: s.factory
    return out


TARGETS = _targets()


def _declared(name: str) -> tuple[dict, dict, inspect.Signature]:
    fn = TARGETS[name]()
    return constraints_of(fn), dict(getattr(fn, "param_labels", {}) or {}), inspect.signature(fn)


def _cases():
    for name in TARGETS:
        cons, _labels, _sig = _declared(name)
        for arg, c in cons.items():
            for label, _value in c.hostile():
                yield pytest.param(name, arg, label, id=f"{name}-{arg}-{label}")


CASES = list(_cases())


def _call(name: str, arg: str, value: Any):
    fn = TARGETS[name]()
    cons, _labels, sig = _declared(name)
    kwargs = {}
    for p in sig.parameters.values():
        if p.name == arg:
            kwargs[p.name] = value
        elif p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            kwargs[p.name] = cons[p.name].example
    return fn(**kwargs)


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in (k, *_leaves(v))]
    if isinstance(value, (list, tuple, set)):
        return [x for v in value for x in _leaves(v)] or [value]
    return [value]


def shows_value(value: Any, msg: str) -> bool:
    """The message shows the bad value (or, for a container, one of the values in it)."""
    texts = {repr(value)[:30], str(value)[:30]}
    texts |= {repr(v)[:30] for v in _leaves(value)} | {str(v)[:30] for v in _leaves(value)}
    return any(t and t in msg for t in texts) or (value in ([], (), {}) and "empty" in msg)


def says_allowed(msg: str) -> bool:
    return any(w in msg.lower() for w in ("allowed", "must be", "choose"))


@pytest.mark.parametrize("name, arg, label", CASES)
def test_hostile_value_gets_a_clear_error(name: str, arg: str, label: str):
    cons, labels, _sig = _declared(name)
    value = dict(cons[arg].hostile())[label]
    with pytest.raises(NkteachError) as ei:
        run_bounded(lambda: _call(name, arg, value))
    msg = str(ei.value)
    words = {arg, labels.get(arg, arg), arg.rstrip("_")}
    assert any(w.lower() in msg.lower() for w in words), f"{name}({arg}={value!r}): argument not named: {msg}"
    assert shows_value(value, msg), f"{name}({arg}={value!r}): the value is not shown: {msg}"
    assert says_allowed(msg), f"{name}({arg}={value!r}): what is allowed is not said: {msg}"
    assert "Traceback" not in msg


def test_sweep_is_large_and_covers_every_registry():
    assert len(CASES) >= 400, len(CASES)
    covered = {c.values[0] for c in CASES}
    assert {f"charts.{n}" for n in charts.CHARTS} <= covered | {
        f"charts.{n}" for n, ch in charts.CHARTS.items() if not constraints_of(ch.summary)}
    assert {f"widgets.{s.name}" for s in _registry.EXPLORERS if constraints_of(s.factory)} <= covered


# Public callables that take arguments but are not user-facing entry points (no declaration).
UNDECLARED_OK = {"nkteach.data.on_clear", "nkteach.maps.esc",
                 # colour plumbing: the maps' outlines from their own colour tables (WCAG 1.4.11)
                 "nkteach.maps.contrast_on_map", "nkteach.maps.outline_colour",
                 # display's helpers are plumbing for charts, maps and the site; show() is declared
                 *(f"nkteach.display.{n}" for n in display.__all__ if n != "show")}


@pytest.mark.parametrize("name", sorted(TARGETS) + sorted(
    f"{m.__name__}.{n}" for m in MODULES for n in m.__all__
    if callable(getattr(m, n)) and not inspect.isclass(getattr(m, n))))
def test_every_public_argument_is_declared(name: str):
    if name in UNDECLARED_OK:
        return
    if name in TARGETS:
        fn = TARGETS[name]()
    else:
        mod, attr = name.rsplit(".", 1)
        fn = getattr(__import__(mod, fromlist=[attr]), attr)
    params = [p for p in inspect.signature(fn).parameters if p != "self"]
    missing = [p for p in params if p not in constraints_of(fn)]
    assert not missing, f"{name}: declare {missing} with validate_params (or list it in UNDECLARED_OK)"


def test_charts_refuse_undeclared_arguments():
    from nkteach.charts._base import Draft, chart

    with pytest.raises(TypeError, match="declare"):
        @chart("__test_undeclared__")
        def _c(df=None, *, colour="red") -> Draft:
            raise AssertionError


# ---------------------------------------------------------------------------------------------
# The cases issue 17 lists, spelled out


def test_forecast_refuses_a_misspelt_verdict_with_a_suggestion():
    with pytest.raises(NkteachError, match=r"'helld'.*allowed.*Did you mean 'held'"):
        charts.forecast(verdicts={"F1": "helld"})
    assert "1 given, " in charts.forecast_summary(verdicts={"F1": "Held "})


def test_edges_between_refuses_an_unknown_node():
    g = _graph()
    with pytest.raises(levels.UnknownNodeError, match=r"node a 'nope'.*allowed"):
        g.edges_between("nope", "S")
    assert g.edges_between("E1", "E1") == [] and all(e.source == "I1" for e in g.edges_between("I1", "E1"))


def test_show_none_is_an_error_not_the_text_none():
    with pytest.raises(NkteachError, match="obj is None"):
        display.show(None)


def test_a_chart_on_an_empty_table_says_the_table_is_empty():
    empty = nkteach.load("arms_imports").iloc[0:0]
    with pytest.raises(NkteachError) as ei:
        charts.arms_imports(empty)
    assert "no rows" in str(ei.value) and "allowed: ." not in str(ei.value)


def test_huge_step_count_returns_at_once():
    reach = run_bounded(lambda: _graph().downstream("E1", 10**12), seconds=5)
    assert reach.start == "E1" and "S" in reach.distances


def test_unknown_names_are_key_and_value_errors():
    for call in (lambda: nkteach.load("nope"), lambda: nkteach.place_name("nope"),
                 lambda: _graph().downstream("nope"), lambda: levels.level("nope")):
        with pytest.raises(KeyError) as ki:
            call()
        assert isinstance(ki.value, ValueError) and isinstance(ki.value, NkteachError)


def test_bare_string_where_a_list_is_expected_is_refused_with_the_fix():
    with pytest.raises(NkteachError, match=r"\['arms_imports'\]"):
        nkteach.references(datasets="arms_imports")
