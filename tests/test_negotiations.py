"""Lesson 9's chart and explorer: ``charts.negotiations`` / ``charts.readings`` and
``widgets.negotiations_explorer``, over the ``negotiations`` table.

Expected rows are counted here from the curated CSV with the csv module, never read back from
the function under test.
"""
from __future__ import annotations

import csv

import pytest

from nkteach import charts, levels, widgets
from nkteach.validation import InvalidArgumentError, UnknownNameError
from nkteach.widgets import _registry
from tests.support.paths import ROOT
from tests.test_charts import check_figure


@pytest.fixture(scope="module")
def rows():
    with (ROOT / "data" / "negotiations.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_readings_filter_by_level_and_round(rows):
    elite = charts.readings(level="elite")
    assert len(elite) == sum(r["obstacle_level"] == "elite" for r in rows)
    assert set(elite["obstacle_level"]) == {"elite"}
    kw = charts.readings(round_="Key West talks")
    assert set(kw["year"]) == {2001} and set(kw["obstacle_level"]) == {"elite", "international"}
    years = list(charts.readings()["year"])
    assert years == sorted(years) and len(years) == len(rows)
    assert charts.readings(level="nation", round_="Lavrov plan").empty    # the pure filter may be empty


def test_chart_is_registered_and_passes_the_house_checks():
    ch = charts.CHARTS["negotiations"]
    assert ch.figure is charts.negotiations and ch.theme == "diplomacy"
    for kw in ({}, {"level": "international"}, {"round_": "Zurich Protocols"}):
        fig = charts.negotiations(**kw)
        check_figure(fig, "negotiations", must_mention=("002 §V.A" if not kw.get("round_") else "002 §V.C",))
        assert charts.negotiations_summary(**kw) == charts.summary(fig)


def test_every_reading_is_drawn_with_colour_and_shape_of_its_level(rows):
    fig = charts.negotiations()
    marks = {t.name: (t.marker.color, t.marker.symbol, len(t.x)) for t in fig.data}
    for key, lv in levels.LEVELS.items():
        n = sum(r["obstacle_level"] == key for r in rows)
        assert marks[str(lv)] == (lv.colour, lv.symbol, n)
    assert fig.layout.showlegend is not False and fig.layout.legend.orientation == "h"
    one = charts.negotiations(level="elite")
    assert [t.name for t in one.data] == [str(levels.LEVELS["elite"])]


def test_summary_names_counts_and_citations(rows):
    text = charts.negotiations_summary(round_="Zurich Protocols")
    assert text.startswith("4 reading(s) of 1 round(s), 2009;")    # one year is printed once, not 2009–2009
    assert charts.negotiations_summary().startswith(f"{len(rows)} reading(s) of ")
    assert ", 1992–2022;" in charts.negotiations_summary()
    assert "002 §V.C" in text and "004" in text and "Source:" in text


def test_empty_selection_and_bad_choices_are_clear_errors():
    for fn in charts.CHARTS["negotiations"]:
        with pytest.raises(InvalidArgumentError) as e:
            fn(level="nation", round_="Lavrov plan")
        assert "round_='Lavrov plan'" in str(e.value) and "level='nation'" in str(e.value)
    for kw, needle in [({"level": "society"}, "'society'"), ({"round_": "Minsk 1995"}, "'Minsk 1995'")]:
        with pytest.raises(UnknownNameError) as e:
            charts.readings(**kw)
        assert needle in str(e.value) and "allowed" in str(e.value).lower()
    with pytest.raises(InvalidArgumentError, match="level"):
        charts.negotiations(level=None)


def test_explorer_is_registered_and_follows_its_controls():
    spec = _registry.spec("negotiations_explorer")
    assert spec.shows == ("negotiations",) and spec.module == "diplomacy"
    ex = widgets.negotiations_explorer()
    assert ex.summary.startswith(f"{len(charts.readings())} reading(s)")
    assert ex.figure.layout.meta["chart"] == "negotiations"
    ex.controls["level"].value = "nation"
    assert ex.error is None and "nation / society" in ex.summary.lower()
    assert {t.name for t in ex.figure.data} == {str(levels.LEVELS["nation"])}
    ex.controls["round"].value = "Lavrov plan"            # no nation-level reading of it: ⚠, cleared
    assert ex.error and "Lavrov plan" in ex.error and "⚠" in ex.summary_widget.value
    assert ex.output.outputs == ()
    ex.controls["level"].value = "all"
    assert ex.error is None and "2016 Lavrov plan" in ex.summary


def test_explorer_has_a_static_fallback():
    ex = widgets.negotiations_explorer()
    html = ex._repr_mimebundle_()
    html = (html[0] if isinstance(html, tuple) else html)["text/html"]
    assert "nkteach-plotly" in html and "reading(s)" in html and "Jupyter" in html
