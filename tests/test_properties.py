"""Property-based tests (Hypothesis) over the public API.

For generated inputs a call either works or raises one of nkteach's own errors with a
non-empty message — never another exception, never a hang (a deadline per example).
Examples are few and the database is off, so the run is short and the same in CI.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nkteach
from nkteach import levels, naming
from nkteach.validation import NkteachError

# Values of every kind a user could pass where a name, a number or a list is expected.
ANY = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.binary(max_size=10),
    st.lists(st.one_of(st.text(max_size=20), st.integers()), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.tuples(st.integers(), st.integers()),
)

PROFILE = settings(max_examples=60, deadline=2000, database=None,
                   suppress_health_check=[HealthCheck.too_slow])


def works_or_clear_error(call):
    try:
        return call()
    except NkteachError as e:
        assert str(e).strip(), f"{type(e).__name__} with an empty message"
        return None


pytestmark = pytest.mark.usefixtures("restore_naming")   # tests/conftest.py


@PROFILE
@given(ANY)
def test_load_any_name(value):
    works_or_clear_error(lambda: nkteach.load(value))


@PROFILE
@given(ANY, ANY)
def test_references_any_lists(datasets, seeds):
    out = works_or_clear_error(lambda: nkteach.references(datasets=datasets, seeds=seeds))
    if out is not None:
        assert isinstance(str(out), str)


@PROFILE
@given(ANY, ANY)
def test_cite_any(name, style):
    works_or_clear_error(lambda: nkteach.cite(name, style=style))


@PROFILE
@given(ANY, ANY)
def test_naming_policy_any(value, first):
    works_or_clear_error(lambda: naming.set_naming(value, first=first))
    assert naming.get_naming() in naming.NAMINGS and naming.get_first() in naming.FIRSTS


@PROFILE
@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=30),
       st.sampled_from(naming.NAMINGS), st.sampled_from(naming.FIRSTS))
def test_label_always_uses_given_names(en, hy, az, mode, first):
    out = naming.label(en, hy, az, naming=mode, first=first)
    assert isinstance(out, str)
    if mode == "both" and en and hy and az and hy != az:
        assert out.split(" / ") in ([hy, az], [az, hy]) or " / " in out


@PROFILE
@given(ANY)
def test_place_name_any(value):
    works_or_clear_error(lambda: nkteach.place_name(value))


GRAPH = levels.graph()


@PROFILE
@given(st.one_of(st.sampled_from(list(GRAPH.nodes)), ANY), ANY)
def test_downstream_any(node, k):
    out = works_or_clear_error(lambda: GRAPH.downstream(node, k))
    if out is not None:
        assert set(out.distances) <= set(GRAPH.nodes)


@PROFILE
@given(st.one_of(st.sampled_from(list(GRAPH.nodes)), ANY), ANY)
def test_paths_any(node, max_len):
    out = works_or_clear_error(lambda: GRAPH.paths(node, "S", max_len=max_len))
    if out is not None:
        assert all(p[-1] == "S" for p in out)


@PROFILE
@given(ANY)
def test_level_any(value):
    works_or_clear_error(lambda: levels.level(value))


# ---------------------------------------------------------------- charts, maps, exercise checks

def _chart_params():
    import inspect

    from nkteach import charts

    out = []
    for name in charts.CHARTS:
        func = getattr(charts, name)
        for p in inspect.signature(func).parameters.values():
            if p.kind is p.KEYWORD_ONLY:
                out.append((name, p.name))
    return out


CHART_PARAMS = _chart_params()


@settings(max_examples=120, deadline=5000, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CHART_PARAMS), ANY)
def test_any_chart_argument(chart_param, value):
    from nkteach import charts

    name, param = chart_param
    fig = works_or_clear_error(lambda: getattr(charts, name)(**{param: value}))
    if fig is not None:
        assert charts.summary(fig).strip()


@settings(max_examples=40, deadline=5000, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["control_by_period", "places_map", "country_map"]), ANY)
def test_any_map_argument(func, value):
    from nkteach import maps

    m = works_or_clear_error(lambda: getattr(maps, func)(value, tiles=None))
    if m is not None:
        assert maps.summary(m).strip()


def _exercises():
    from nkteach import exercises as E

    return [
        (E.multiple_choice("prop-mc", "Which lens?", ["realism", "liberalism", "constructivism"],
                           answer="constructivism", why="Elites read through ideas.",
                           citation="002 §II.A"), "Elites read through ideas."),
        (E.numeric("prop-num", "Share (%)?", answer=49.34, tolerance=0.05, unit="%",
                   why="631 plus 46 of 1,372."), "631 plus 46 of 1,372."),
        (E.ordering("prop-ord", "Order", ["a", "b", "c"], answer=["b", "a", "c"], why="By their dates."),
         "By their dates."),
    ]


@PROFILE
@given(st.integers(0, 2), st.one_of(ANY, st.sampled_from(["constructivism", "49,34", " 49.34 % ", "b"])))
def test_any_exercise_answer(which, answer):
    from nkteach import exercises as E

    ex, why = _exercises()[which]
    res = works_or_clear_error(lambda: ex.check(answer))
    if res is not None:
        assert res.status in (E.CORRECT, E.ALSO, E.NOT_YET, E.NO_ANSWER) and res.message.strip()
        # the explanation shows only for a right answer, never for a wrong or empty one
        assert (why in res.message) == (res.status in (E.CORRECT, E.ALSO))


# Every declared constraint (validate_params) refuses a value only with a message that names the
# argument and says what is allowed.
def _declared_constraints():
    from nkteach import charts, data, display, maps
    from nkteach.validation import constraints_of

    seen = []
    for fn in (data.load, data.cite, data.references, naming.set_naming, naming.place_name, levels.level,
               maps.control_by_period, maps.country_map, display.show,
               *[c.summary for c in charts.CHARTS.values()]):
        seen += [(fn.__name__, arg, c) for arg, c in constraints_of(fn).items()]
    return seen


CONSTRAINTS = _declared_constraints()


@PROFILE
@given(st.sampled_from(CONSTRAINTS), ANY)
def test_a_constraint_refuses_only_with_a_clear_message(item, value):
    name, arg, constraint = item
    try:
        constraint.check(arg, value)
    except NkteachError as e:
        msg = str(e)
        assert arg in msg, f"{name}: {msg}"
        assert any(w in msg.lower() for w in ("allowed", "must be", "choose")), f"{name}: {msg}"
