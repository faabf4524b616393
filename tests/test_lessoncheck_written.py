"""lessoncheck rules for written tasks and duplicate exercise ids, on fixture notebooks."""
from __future__ import annotations

import json

import pytest

from nkteach import lessoncheck
from nkteach.cli import TEMPLATE


def _template_nb() -> dict:
    text = TEMPLATE.read_text().replace("{{NUMBER}}", "3").replace("{{NN}}", "03")
    nb = json.loads(text.replace("{{TITLE}}", "Sample"))
    nb["metadata"]["nkteach"]["lesson"] = 3
    return nb


def _problems(nb, rule):
    return [str(p) for p in lessoncheck.check_notebook(nb).problems if p.rule == rule]


def _written_cells(nb):
    return [i for i, c in enumerate(nb["cells"]) if "ex.written(" in "".join(c["source"])]


def test_template_has_two_written_tasks_that_pass_even_when_required(monkeypatch):
    nb = _template_nb()
    assert len(_written_cells(nb)) == 2
    monkeypatch.setattr(lessoncheck, "REQUIRE_WRITTEN", True)
    assert lessoncheck.check_notebook(nb).ok, lessoncheck.check_notebook(nb).format()


def test_too_few_written_tasks_is_reported_when_required(monkeypatch):
    nb = _template_nb()
    first = _written_cells(nb)[0]
    del nb["cells"][first:first + 2]          # the task and its answer cell
    monkeypatch.setattr(lessoncheck, "REQUIRE_WRITTEN", False)
    assert _problems(nb, "written") == []     # switched off: only the tasks that exist are checked
    monkeypatch.setattr(lessoncheck, "REQUIRE_WRITTEN", True)
    assert _problems(nb, "written") == ["[written] 1 written task(s) (ex.written); need at least 2, "
                                        "each asking students to apply the framework to the "
                                        "lesson's evidence"]


@pytest.mark.parametrize("rubric, got", [("['only one']", "1 criteria"),
                                         ("['a', 'b', 'c', 'd', 'e']", "5 criteria"),
                                         (None, "no rubric"),
                                         ("criteria", "a rubric that is not a literal list")])
def test_rubric_needs_three_or_four_criteria(rubric, got):
    nb = _template_nb()
    i = _written_cells(nb)[0]
    rubric_kw = "" if rubric is None else f", rubric={rubric}"
    nb["cells"][i]["source"] = (f'ex.written("l03-w1", "Explain the failure at two levels.", '
                                f'min_words=100{rubric_kw}, model_answer="M")')
    probs = _problems(nb, "written")
    assert len(probs) == 1 and "written task 'l03-w1' needs rubric=[...] with 3-4 criteria" in probs[0]
    assert f"has {got}" in probs[0] and f"cell {i}:" in probs[0]


@pytest.mark.parametrize("breakit", [
    lambda c: c.__setitem__("metadata", {}),                                   # untagged
    lambda c: c["metadata"]["nkteach"].__setitem__("written", "l03-w2"),       # linked to the other task
    lambda c: c.__setitem__("cell_type", "raw"),
])
def test_written_task_needs_its_answer_cell(breakit):
    nb = _template_nb()
    i = _written_cells(nb)[0]
    breakit(nb["cells"][i + 1])
    probs = _problems(nb, "written")
    assert len(probs) == 1 and "'l03-w1' must be followed by its answer cell" in probs[0]
    assert "tagged 'written-answer'" in probs[0]


def test_duplicate_exercise_id_is_reported():
    nb = _template_nb()
    ex_cells = [i for i, c in enumerate(nb["cells"]) if "ex.multiple_choice(" in "".join(c["source"])]
    copy = json.loads(json.dumps(nb["cells"][ex_cells[0]]))
    nb["cells"].insert(ex_cells[-1] + 1, copy)
    probs = _problems(nb, "duplicate-id")
    assert probs == [f"[duplicate-id] cell {ex_cells[-1] + 1}: exercise id 'l03-1' is used again "
                     f"(first in cell {ex_cells[0]}); give each exercise its own id"]
    assert "duplicate-id" in lessoncheck.RULES and "written" in lessoncheck.RULES


def test_the_minimum_is_on_for_the_course():
    # Every lesson of the course has its two written tasks, so nkteach check enforces the minimum.
    assert lessoncheck.REQUIRE_WRITTEN is True


@pytest.mark.parametrize("src, says", [
    ('ex.numeric("q", "Share?", answer=share)', "cannot seal answer= of numeric('q'): it must be a literal"),
    ('ex.multiple_choice(qid, "Q?", ["a", "b"], answer="a")', "its ex_id must be a string literal"),
    ('ex.ordering("o", "Q?", ["a", "b"], why="W")', "cannot seal ordering('o'): it has no answer="),
    ('ex.written("w", "P", rubric=["a", "b", "c"], model_answer=text)', "model_answer= of written('w')"),
])
def test_unsealable_calls_are_named_by_the_checker(src, says):
    nb = _template_nb()
    nb["cells"].insert(3, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": src})
    probs = _problems(nb, "sealable")
    assert len(probs) == 1 and says in probs[0], probs
    assert _problems(_template_nb(), "sealable") == []


def test_the_checker_runs_the_house_rules_of_the_audit():
    # nkteach check and nkteach audit run the same four notebook rules (nkteach.lessonfile.house)
    from nkteach.lessonfile.house import HOUSE_RULES

    assert set(HOUSE_RULES) <= set(lessoncheck.RULES)
    assert not [p for p in lessoncheck.check_notebook(_template_nb()).problems if p.rule in HOUSE_RULES]

    def task(nb, n):
        return nb["cells"][_written_cells(nb)[n]]

    def break_rubric(nb):
        task(nb, 0)["source"] = task(nb, 0)["source"].replace("Levels — strong:", "Levels:")

    def break_model_answer(nb):
        src = task(nb, 1)["source"]
        start = src.index('model_answer="') + len('model_answer="')
        task(nb, 1)["source"] = src[:start] + 'Too short."' + ")"

    def break_closing(nb):
        nb["cells"] = [c for c in nb["cells"] if not c["source"].startswith("## Your progress")]

    def break_time(nb):
        nb["metadata"]["nkteach"]["time_class_minutes"] += 5

    for rule, breakit in {"rubrics": break_rubric, "model-answers": break_model_answer,
                          "closing-cell": break_closing, "time": break_time}.items():
        nb = _template_nb()
        breakit(nb)
        got = [str(p) for p in lessoncheck.check_notebook(nb).problems]
        assert [p for p in got if p.startswith(f"[{rule}]")], (rule, got)


def test_the_explorer_hook_and_its_fallback(monkeypatch):
    from nkteach.lessonfile import explorers, house

    with pytest.raises(ValueError, match=r"drawing explorers \['b_explorer'\] are not among the names"):
        explorers.register_explorers(["a_explorer"], ["b_explorer"])
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": "widgets.forecast_evaluator()\n"
                                                                   "widgets.naming_toggle()"}]}
    # registered: the alias draws, the naming toggle does not
    monkeypatch.setattr(explorers, "_NAMES", frozenset({"forecast_evaluator", "naming_toggle"}))
    monkeypatch.setattr(explorers, "_DRAWING", frozenset({"forecast_evaluator"}))
    assert house.lesson_times(nb).explorers == 1
    assert explorers.explorer_pattern().search("widgets.naming_toggle()")
    # nothing registered: only the <name>_explorer( convention counts
    monkeypatch.setattr(explorers, "_NAMES", None)
    monkeypatch.setattr(explorers, "_DRAWING", None)
    assert house.lesson_times(nb).explorers == 0
    assert explorers.explorer_pattern() is explorers.CONVENTION
    assert house.lesson_times(nb, drawing_explorers={"naming_toggle"}).explorers == 1
