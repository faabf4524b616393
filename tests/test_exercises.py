"""nkteach.exercises: verdicts, seals (explanations only after a right answer), state, bad input."""
from __future__ import annotations

import re

import pytest

from nkteach import exercises as E


@pytest.fixture(autouse=True)
def _fresh_state():
    E.reset_state()
    yield
    E.reset_state()


def _mc(**kw):
    args = dict(answer="constructivism", also="liberalism", why="Elites are read through identity.",
                citation="002 §II.A.1")
    args.update(kw)
    return E.multiple_choice("t-lens", "Which lens does the thesis tie to the elite level?",
                             ["realism", "liberalism", "constructivism"], **args)


# ---------------------------------------------------------------- multiple choice

def test_multiple_choice_right_also_wrong_and_empty():
    ex = _mc()
    right, also, wrong, empty = (ex.check(a) for a in ("constructivism", "liberalism", "realism", None))
    assert right.status == E.CORRECT and right.correct
    assert "Elites are read through identity." in right.message and "002 §II.A.1" in right.message
    assert also.status == E.ALSO and "main answer is constructivism" in also.message
    assert wrong.status == E.NOT_YET and "constructivism" not in wrong.message  # no spoiler
    assert "002 §II.A.1" in wrong.message
    assert empty.status == E.NO_ANSWER
    # verdicts carry words and a symbol, never colour alone
    for r, word in ((right, "Correct"), (also, "Also defensible"), (wrong, "Not yet")):
        assert word in r.message and r.message.startswith(r.icon)


def test_multiple_choice_bad_input():
    with pytest.raises(ValueError, match="not among the options.*'realism'"):
        E.multiple_choice("t", "Q?", ["realism", "liberalism"], answer="constructivism")
    with pytest.raises(ValueError, match="not among the options"):
        E.multiple_choice("t", "Q?", ["realism", "liberalism"], answer="realism", also="marxism")
    with pytest.raises(ValueError, match="needs answer="):
        E.multiple_choice("t", "Q?", ["realism", "liberalism"])
    with pytest.raises(ValueError, match="ex_id"):
        E.multiple_choice("", "Q?", ["a", "b"], answer="a")
    with pytest.raises(ValueError, match="not a version-1 seal"):
        E.multiple_choice("t", "Q?", ["a", "b"], seal={"right": "x"})
    with pytest.raises(ValueError, match=r"unknown answer 'marxism'; allowed \(the options of exercise "
                                         r"'t-lens'\): 'realism', 'liberalism', 'constructivism'"):
        _mc().check("marxism")


def test_widget_submit_shows_feedback_and_reveal():
    ex = _mc()
    assert ex.children[2].description  # RadioButtons carry a label
    ex.value = "realism"
    for _ in range(E.REVEAL_AFTER):
        # the answer can be revealed only after REVEAL_AFTER wrong tries
        assert ex.reveal_button.layout.display == "none" and ex.reveal() is None
        res = ex.submit()
    assert res.status == E.NOT_YET
    assert "Not yet" in ex.feedback.value and 'aria-live="polite"' in ex.feedback.value
    assert "Elites are read" not in ex.feedback.value
    assert ex.reveal_button.layout.display != "none"
    ex.reveal_button.click()
    assert "Answer: constructivism" in ex.feedback.value and "Elites are read" in ex.feedback.value
    ex.value = "constructivism"
    assert ex.submit().correct and ex.reveal_button.layout.display == "none"


# ---------------------------------------------------------------- numeric

def test_numeric_tolerance_and_text_input():
    # 677 of 1,372 chose a war option (002 §IV.F Table 1): 49.34 %
    ex = E.numeric("t-war", "Share choosing war (%)?", answer=677 / 1372 * 100, tolerance=0.05,
                   unit="%", why="677/1372", citation="002 §IV.F")
    assert ex.check(49.34).correct and ex.check("49.3").correct and ex.check("49.3%").correct
    assert ex.check(51).status == E.NOT_YET and ex.check(49.2).status == E.NOT_YET
    assert ex.check("").status == E.NO_ANSWER
    # decimal comma, spaces, the unit or a % sign (issue: "49,34" was marked wrong)
    for typed in ("49,34", " 49.34 ", "49.34 %", "49,34%", "+49.34"):
        assert ex.check(typed).correct, typed
    with pytest.raises(ValueError, match="expected a number"):
        ex.check("about half")
    ex.value = "about half"                       # in the widget: a message, not a traceback
    assert ex.submit().status == E.NO_ANSWER and "expected a number" in ex.feedback.value
    for bad in (-1, float("nan"), float("inf"), True, "0.1"):
        with pytest.raises(E.ExerciseDefinitionError, match="tolerance"):
            E.numeric("t", "Q", answer=1, tolerance=bad)
    with pytest.raises(E.ExerciseDefinitionError, match="must be a finite number"):
        E.numeric("t", "Q", answer="49")


@pytest.mark.parametrize("tol", [0.05, 0.5, 0.005, 0.0])
def test_numeric_sealed_matches_tolerance(tol):
    from nkteach import sealing

    a = 677 / 1372 * 100
    seal = sealing.seal_kwargs("t-num", "numeric", {"answer": a, "tolerance": tol, "why": "W"})
    ex = E.numeric("t-num", "Q", seal=seal, tolerance=tol)
    assert ex.check(a).correct and "W" in ex.check(a).message
    if tol:
        for f in (0.999, 0.9, 0.5, 0.1, -0.1, -0.5, -0.9, -0.999):   # anything within tolerance
            assert ex.check(a + f * tol).correct, f
        assert ex.check(a + 1.3 * tol).status == E.NOT_YET
        assert ex.check(a - 1.3 * tol).status == E.NOT_YET
        assert "W" not in ex.check(a + 2 * tol).message
    else:
        assert ex.check(a + 1e-5).status == E.NOT_YET


# ---------------------------------------------------------------- ordering

# the order of the Lesson 2 ordering exercise (002 §III.S–W)
EVENTS = ["Shusha taken", "Lachin taken", "Kelbajar taken", "UNSC 822"]


def test_ordering_right_wrong_partial():
    shown = [EVENTS[2], EVENTS[0], EVENTS[3], EVENTS[1]]
    ex = E.ordering("t-ord", "Put in order", shown, answer=EVENTS, why="dates", citation="002 §III.S")
    assert ex.check(EVENTS).correct
    wrong = ex.check([EVENTS[1], EVENTS[0], EVENTS[2], EVENTS[3]])
    assert wrong.status == E.NOT_YET and "2 of 4" in wrong.message
    # dict item → position, as the Dropdowns give it
    assert ex.check({e: i + 1 for i, e in enumerate(EVENTS)}).correct
    dup = ex.check({EVENTS[0]: 1, EVENTS[1]: 1, EVENTS[2]: 3, EVENTS[3]: 4})
    assert dup.status == E.NO_ANSWER and "once" in dup.message
    with pytest.raises(ValueError, match="exactly these items"):
        ex.check(["Shusha taken", "Baku"])
    with pytest.raises(ValueError, match="answer must list exactly the items"):
        E.ordering("t", "Q", EVENTS, answer=EVENTS[:3])
    # keyboard-usable controls: one labelled Dropdown per item
    assert [d.description for d in ex.dropdowns.values()] == shown
    for i, e in enumerate(EVENTS):
        ex.dropdowns[e].value = i + 1
    assert ex.submit().correct


def test_ordering_sealed_counts_positions():
    from nkteach import sealing

    ex = E.ordering("t-ord", "Q", EVENTS[::-1],
                    seal=sealing.seal_kwargs("t-ord", "ordering", {"answer": EVENTS, "why": "by date"}))
    assert ex.check(EVENTS).correct
    r = ex.check([EVENTS[0], EVENTS[2], EVENTS[1], EVENTS[3]])
    assert r.status == E.NOT_YET and "2 of 4" in r.message and "Shusha" not in r.message


# ---------------------------------------------------------------- classify (statements dataset)

def test_classify_item_8_against_brief():
    # exercise-bank item C08: answer Elite, also defensible Linkage (elite → nation), 002 §IV.C
    ex = E.classify("C08")
    assert ex.check("Elite").correct
    also = ex.check("Linkage")
    assert also.status == E.ALSO and "002 §IV.C" in also.message
    assert ex.check("International").status == E.NOT_YET
    assert ex.check("Nation/society").status == E.NOT_YET


def test_classify_sealed_shows_justification_only_when_right():
    from nkteach import load

    row = load("statements").set_index("item_id").loc["C08"]
    ex = E.classify("C08", sealed=True)
    for lab in ("International", "Nation/society"):
        assert row["justification"] not in ex.check(lab).message
    assert row["justification"] in ex.check("Elite").message
    assert ex.check("Elite").correct and ex.check("Linkage").status == E.ALSO
    assert ex.reveal_button.layout.display == "none"
    locked = E.classify("C08", sealed=True, reveal=False)
    for _ in range(E.REVEAL_AFTER):
        locked.check("International")
    assert locked.reveal() is None                 # --no-reveal: never


def test_classify_every_item_accepts_its_own_level():
    from nkteach import load

    df = load("statements")
    ex = E.classify(list(df["item_id"]))
    label = {k: v for k, v in E.LEVEL_CHOICES.items()}
    answers = {i: label[lv] for i, lv in zip(df["item_id"], df["level"])}
    res = ex.check(answers)
    assert res.correct and len(res.details) == len(df)


def test_classify_selection_and_bad_ids():
    ex = E.classify(lesson=1)
    assert {f"C{i:02d}" for i in range(1, 11)} <= set(ex.items)   # Lesson 1 classifies items C01–C10
    assert len(E.classify(lesson=1, n=3).parts) == 3
    with pytest.raises(E.UnknownItemError, match=r"unknown item_ids 'C99'; allowed: 'C01', 'C02'.*Did you "
                                                 r"mean 'C\d\d'"):
        E.classify(["C01", "C99"])
    with pytest.raises(KeyError):           # also a KeyError
        E.classify(8)
    with pytest.raises(ValueError, match="n must be a whole number >= 1, got 0"):
        E.classify(lesson=1, n=0)
    # no answers is "not answered", never "correct, 0 of 0"
    empty = E.classify(["C01", "C02"]).check({})
    assert empty.status == E.NO_ANSWER and "0 of" not in empty.message
    with pytest.raises(E.UnknownItemError, match="items here"):
        E.classify(["C01", "C02"]).check({"C03": "Elite"})


# ---------------------------------------------------------------- sealing

CELL = '''import nkteach as nk
%matplotlib inline
ex1 = nk.exercises.multiple_choice("s-mc", "Which lens goes with the elite level?",
    ["realism", "liberalism", "constructivism"],   # options in any order
    answer="constructivism", also=["liberalism"], why="WHY-MC identity and perception.",
    citation="002 §II.A.1")
ex2 = nk.exercises.numeric("s-num", "Share choosing war (%)?", answer=677 / 1372 * 100,
                           unit="%", why="WHY-NUM 631 + 46 over 1,372.")
ex3 = nk.exercises.ordering("s-ord", "Order", ["Kelbajar taken", "Shusha taken", "Lachin taken"],
                            answer=["Shusha taken", "Lachin taken", "Kelbajar taken"],
                            why="WHY-ORD by date", citation="002 §III.S")
ex4 = nk.exercises.classify(["C08", "C01"])
'''


def _run(src):
    import nkteach

    ns = {"nk": nkteach}
    exec(src.replace("%matplotlib inline", ""), ns)
    return ns


def test_seal_source_removes_answers_and_keeps_verdicts():
    texts = E.answer_texts(CELL)
    assert "WHY-MC identity and perception." in texts and "constructivism" in texts
    sealed = E.seal_source(CELL, reveal="after-tries")
    assert E.answer_texts(sealed) == []
    for why in ("WHY-MC", "WHY-NUM", "WHY-ORD"):
        assert why not in sealed
    assert not re.search(r"\b(answer|also|why)=", sealed)
    assert "%matplotlib inline" in sealed and "# options in any order" not in sealed
    assert "sealed=True" in sealed and "seal={" in sealed
    assert E.seal_source(sealed, reveal="after-tries") == sealed  # idempotent
    plain, locked = _run(CELL), _run(sealed)
    for name, answers in {"ex1": ["realism", "liberalism", "constructivism"],
                          "ex2": [49.34, 49.3, 49.5, 51.0],
                          "ex3": [["Shusha taken", "Lachin taken", "Kelbajar taken"],
                                  ["Lachin taken", "Shusha taken", "Kelbajar taken"]]}.items():
        for a in answers:
            assert plain[name].check(a).status == locked[name].check(a).status, (name, a)
    for a in E.LEVEL_CHOICES.values():
        p = plain["ex4"].items["C08"].check(a)
        s = locked["ex4"].items["C08"].check(a)
        assert p.status == s.status and p.message == s.message


def test_seal_source_rejects_non_literal_answers():
    with pytest.raises(ValueError, match="must be a literal"):
        E.seal_source('multiple_choice("x", "Q", ["a", "b"], answer=my_answer)', reveal="never")
    assert "sealed=True" in E.seal_source("nk.exercises.classify('C01', sealed=False)", reveal="never")
    assert "sealed=False" not in E.seal_source("classify('C01', sealed=False)", reveal="never")
    # a cell without exercises is returned unchanged, byte for byte
    src = "x = 1  # é\nprint(x)\n"
    assert E.seal_source(src, reveal="never") == src


# ---------------------------------------------------------------- state

def test_state_survives_recreation():
    ex = _mc()
    ex.value = "liberalism"
    ex.submit()
    again = _mc()
    assert again.value == "liberalism"
    assert "Also defensible" in again.feedback.value and again.result.status == E.ALSO
    # a different question under the same id does not inherit the answer, and says why
    other = E.multiple_choice("t-lens", "Another question?", ["realism", "liberalism"], answer="realism")
    assert other.value is None and other.feedback.value == ""
    assert "Duplicate exercise id" in other.warning.value and "t-lens" in other.warning.value
    assert again.warning.value == ""


def test_state_of_unsubmitted_choice_and_ordering():
    ex = E.ordering("t-o2", "Q", EVENTS, answer=EVENTS)
    ex.dropdowns[EVENTS[0]].value = 2
    assert E.ordering("t-o2", "Q", EVENTS, answer=EVENTS).dropdowns[EVENTS[0]].value == 2
    c = E.classify("C01")
    c.value = "Elite"
    assert E.classify("C01").value == "Elite"


def test_seal_notebook_seals_code_cells_only():
    nb = {"cells": [{"cell_type": "markdown", "source": "answer='constructivism'"},
                    {"cell_type": "code", "source": CELL.splitlines(keepends=True),
                     "outputs": [{"output_type": "stream", "text": "WHY-MC"}], "execution_count": 3}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    out = E.seal_notebook(nb, reveal="after-tries")
    assert out["cells"][0] == nb["cells"][0]
    code = out["cells"][1]
    assert E.answer_texts(code["source"]) == [] and code["outputs"] == []
    assert "WHY-MC" in "".join(nb["cells"][1]["source"])   # the input is not modified


# ---------------------------------------------------------------- issue 10/11: no false feedback

def test_two_exercises_with_one_id_never_share_state():
    """A copied cell edited to a new answer: each keeps its own verdicts (issue 10 item 4)."""
    a = E.multiple_choice("dup", "Q1?", ["x", "y"], answer="x")
    b = E.multiple_choice("dup", "Q2?", ["x", "y"], answer="y")
    a.value = "x"
    assert a.submit().correct
    b.value = "x"
    assert b.submit().status == E.NOT_YET          # b's own check, not a's remembered verdict
    assert b.check("x").status == E.NOT_YET and a.check("x").correct
    assert "Duplicate exercise id" in b.warning.value


@pytest.mark.parametrize("make, match", [
    (lambda: E.multiple_choice("t", "Q", "abc", answer="a"), "options must be a list"),
    (lambda: E.multiple_choice("t", "Q", [], answer="a"), "at least two distinct options"),
    (lambda: E.multiple_choice("t", "Q", ["a", "b"], answer="a", also="a"), "also= repeats the answer"),
    (lambda: E.multiple_choice("t", "Q", ["a", "b"], answer="c"), "not among the options"),
    (lambda: E.multiple_choice("t", "Q", ["a", "b"], answer="a", hint={"c": "h"}), "not an option"),
    (lambda: E.multiple_choice("t", "Q", ["a", "b"], answer="a", hint={"a": "h"}), "an accepted answer"),
    (lambda: E.multiple_choice("t", "Q", ["a", "b"], answer="a", hint=3), "hint= must be"),
    (lambda: E.numeric("t", "Q", answer=1, tolerance=float("nan")), "tolerance"),
    (lambda: E.ordering("t", "Q", "ab", answer=["a", "b"]), "items must be a list"),
    (lambda: E.ordering("t", "Q", ["a", "b"], answer="ab"), "not a string"),
])
def test_inconsistent_exercise_raises_for_the_author(make, match):
    with pytest.raises(E.ExerciseDefinitionError, match=match):
        make()


def test_empty_answers_are_not_answered():
    assert _mc().check("").status == E.NO_ANSWER
    assert _mc().check("   ").status == E.NO_ANSWER
    o = E.ordering("t-e", "Q", EVENTS, answer=EVENTS)
    assert o.check([]).status == E.NO_ANSWER and o.check(None).status == E.NO_ANSWER
    assert E.numeric("t-n", "Q", answer=1).check("  ").status == E.NO_ANSWER


def test_hints_per_option_and_general():
    ex = _mc(hint={"realism": "HINT-R power, not identity."})
    wrong = ex.check("realism")
    assert wrong.status == E.NOT_YET and "HINT-R power" in wrong.message
    assert "Elites are read" not in wrong.message
    assert "HINT-R" not in ex.check("constructivism").message
    n = E.numeric("t-h", "Q", answer=10, tolerance=1, hint="Count the years from 1994.")
    assert "Count the years" in n.check(20).message and "Count the years" not in n.check(10).message


def test_get_returns_the_shown_exercise_and_check_records_progress(monkeypatch):
    calls = []

    def record(**kw):
        calls.append(kw)
        if len(calls) == 2:
            raise OSError("disk full")      # a failing store never breaks feedback

    from nkteach.classroom import progress as store

    monkeypatch.setattr(store, "record", record)
    ex = _mc()
    assert E.get("t-lens") is ex
    r1 = E.get("t-lens").check("realism")
    r2 = E.get("t-lens").check("constructivism")
    assert r1.status == E.NOT_YET and "Elites are read" not in r1.message
    assert r2.correct and "Elites are read" in r2.message
    assert calls == [
        {"ex_id": "t-lens", "kind": "multiple_choice", "outcome": "not yet", "answer": "realism",
         "attempt": 1},
        {"ex_id": "t-lens", "kind": "multiple_choice", "outcome": "correct",
         "answer": "constructivism", "attempt": 2}]
    c = E.classify("C08")
    assert E.get("C08") is c and E.get("classify:C08") is c
    c.check("Elite")
    assert calls[-1] == {"ex_id": "classify:C08", "kind": "classify", "outcome": "correct",
                         "answer": "Elite", "attempt": 1}
    with pytest.raises(E.UnknownExerciseError, match="no exercise 'nope'.*Shown: "):
        E.get("nope")
    with pytest.raises(KeyError):
        E.get("nope")


def test_html_fallback_beside_the_widget_view():
    ex = _mc(hint={"realism": "HINT-R"})
    bundle = ex._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.jupyter.widget-view+json" in data
    page = data["text/html"]
    assert 'aria-live="polite"' in page and "<legend>" in page and 'type="submit"' in page
    assert "crypto.subtle" in page and "nk-seal" in page
    for secret in ("Elites are read", "HINT-R", "002 §II.A.1"):
        assert secret not in page   # only ciphertext (the citation sits in the sealed text)
    group = E.classify(["C01", "C02"])
    assert group.form_html().count('class="nkteach-exercise"') == 2


def test_unknown_item_error_is_an_unknown_name_error():
    from nkteach.validation import UnknownNameError

    assert issubclass(E.UnknownItemError, UnknownNameError)
    assert issubclass(E.UnknownExerciseError, UnknownNameError)


def test_any_number_within_tolerance_opens_the_seal():
    """Property: for any answer and tolerance, every number within the tolerance is accepted
    and the explanation shown; numbers beyond tolerance + one grid step are not."""
    from hypothesis import given, settings, strategies as st

    from nkteach import sealing

    @settings(max_examples=60, deadline=None)
    @given(a=st.floats(-1e4, 1e4), tol=st.sampled_from([0.001, 0.005, 0.05, 0.5, 1, 10]),
           f=st.floats(-0.999, 0.999))
    def prop(a, tol, f):
        spec = E.Spec("p", "Q", "numeric", "numeric",
                       sealing.seal_kwargs("p", "numeric", {"answer": a, "tolerance": tol, "why": "W"}),
                       tolerance=tol)
        assert spec.check(a + f * tol).correct
        assert spec.check(a + (1.2 if f >= 0 else -1.2) * tol).status == E.NOT_YET

    prop()
