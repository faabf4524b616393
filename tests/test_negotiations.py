"""nkteach.negotiations: the Lesson 9 chart, summary and explorer over the `negotiations` table."""
from __future__ import annotations

import pytest

from nkteach import levels, negotiations
from nkteach.validation import InvalidArgumentError, UnknownNameError


def test_readings_filter_by_level_and_round():
    elite = negotiations.readings(level="elite")
    assert len(elite) and set(elite["obstacle_level"]) == {"elite"}
    kw = negotiations.readings(round_="Key West talks")
    assert set(kw["year"]) == {2001} and set(kw["obstacle_level"]) == {"elite", "international"}
    assert list(negotiations.readings()["year"]) == sorted(negotiations.readings()["year"])


def test_chart_uses_colour_and_shape_per_level_and_carries_its_summary():
    fig = negotiations.rounds_chart()
    marks = {t.name: (t.marker.color, t.marker.symbol) for t in fig.data}
    for lv in levels.LEVELS.values():
        assert marks[f"{lv.glyph} {lv.label}"] == (lv.colour, lv.symbol)
    assert fig.layout.meta["summary"] == negotiations.rounds_summary()
    assert sum(len(t.x) for t in fig.data) == len(negotiations.readings())


def test_summary_names_counts_and_citations():
    text = negotiations.rounds_summary(round_="Zurich Protocols")
    assert text.startswith("4 reading(s) of 1 round(s), 2009–2010")
    assert "002 §V.C" in text and "004" in text
    empty = negotiations.rounds_summary(level="nation", round_="Lavrov plan")
    assert empty.startswith("No reading of Lavrov plan")


@pytest.mark.parametrize("kw,needle", [({"level": "society"}, "'society'"),
                                       ({"round_": "Minsk 1995"}, "'Minsk 1995'")])
def test_bad_choices_name_the_argument_and_the_allowed_values(kw, needle):
    with pytest.raises(UnknownNameError) as e:
        negotiations.readings(**kw)
    assert needle in str(e.value) and "allowed" in str(e.value).lower()
    with pytest.raises(InvalidArgumentError):
        negotiations.readings(level=None)


def test_explorer_updates_its_summary_from_the_controls():
    ex = negotiations.negotiations_explorer()
    assert f"{len(negotiations.readings())} reading(s)" in ex.summary.value
    ex.controls["level"].value = "nation"
    assert "nation / society" in ex.summary.value.lower()
    assert "◆" not in ex.summary.value.split("Summary:</b>", 1)[1].split(";", 1)[1]
    ex.controls["round"].value = "Lavrov plan"
    assert "No reading of Lavrov plan" in ex.summary.value
