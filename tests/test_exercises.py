"""nkteach.exercises: verdicts, sealing for the student build, state, bad input."""
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
    with pytest.raises(ValueError, match="matches none of the options"):
        E.multiple_choice("t", "Q?", ["a", "b"], answer_hash="0" * 16)
    with pytest.raises(ValueError, match="not an option.*allowed: 'realism', 'liberalism', 'constructivism'"):
        _mc().check("marxism")


def test_widget_submit_shows_feedback_and_reveal():
    ex = _mc()
    assert ex.children[1].description  # RadioButtons carry a label
    ex.value = "realism"
    res = ex.submit()
    assert res.status == E.NOT_YET
    assert "Not yet" in ex.feedback.value and 'aria-live="polite"' in ex.feedback.value
    assert ex.reveal_button.layout.display != "none"
    ex.reveal_button.click()
    assert "Model answer: constructivism" in ex.feedback.value
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
    with pytest.raises(ValueError, match="expects a number"):
        ex.check("about half")
    ex.value = "about half"                       # in the widget: a message, not a traceback
    assert ex.submit().status == E.NO_ANSWER and "expects a number" in ex.feedback.value
    with pytest.raises(ValueError, match="tolerance"):
        E.numeric("t", "Q", answer=1, tolerance=-1)
    with pytest.raises(TypeError, match="must be a number"):
        E.numeric("t", "Q", answer="49")


@pytest.mark.parametrize("tol", [0.05, 0.5, 0.0])
def test_numeric_sealed_matches_tolerance(tol):
    a = 677 / 1372 * 100
    ex = E.numeric("t-num", "Q", answer_hash=E.answer_hash("t-num", a, kind="numeric", tolerance=tol),
                   tolerance=tol)
    assert ex.check(a).correct
    if tol:
        assert ex.check(a + 0.9 * tol).correct and ex.check(a - 0.9 * tol).correct
        assert ex.check(a + 1.3 * tol).status == E.NOT_YET
        assert ex.check(a - 1.3 * tol).status == E.NOT_YET
    else:
        assert ex.check(a + 1e-6).status == E.NOT_YET
    assert "instructor version" in ex.check(a).message


# ---------------------------------------------------------------- ordering

EVENTS = ["Shusha taken", "Lachin taken", "Kelbajar taken", "UNSC 822"]  # BRIEF §9 L2 ex. 2 order


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
    ex = E.ordering("t-ord", "Q", EVENTS[::-1], answer_hash=E.answer_hash("t-ord", EVENTS, kind="ordering"))
    assert ex.check(EVENTS).correct
    r = ex.check([EVENTS[0], EVENTS[2], EVENTS[1], EVENTS[3]])
    assert r.status == E.NOT_YET and "2 of 4" in r.message and "Shusha" not in r.message


# ---------------------------------------------------------------- classify (statements dataset)

def test_classify_item_8_against_brief():
    # BRIEF §10.1 item 8: answer Elite, also defensible Linkage (elite → nation), 002 §IV.C
    ex = E.classify("C08")
    assert ex.check("Elite").correct
    also = ex.check("Linkage")
    assert also.status == E.ALSO and "002 §IV.C" in also.message
    assert ex.check("International").status == E.NOT_YET
    assert ex.check("Nation/society").status == E.NOT_YET


def test_classify_sealed_hides_justification():
    from nkteach import load

    row = load("statements").set_index("item_id").loc["C08"]
    ex = E.classify("C08", sealed=True)
    for lab in E.LEVEL_CHOICES.values():
        msg = ex.check(lab).message
        assert row["justification"] not in msg
    assert ex.check("Elite").correct and ex.check("Linkage").status == E.ALSO
    assert ex.reveal_button.layout.display == "none"


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
    assert {f"C{i:02d}" for i in range(1, 11)} <= set(ex.items)   # BRIEF §9 L1: items 1–10
    assert len(E.classify(lesson=1, n=3).parts) == 3
    with pytest.raises(E.UnknownItemError, match=r"C99.*known ids: C01, C02"):
        E.classify(["C01", "C99"])
    with pytest.raises(KeyError):           # also a KeyError
        E.classify(8)
    with pytest.raises(ValueError, match="positive integer"):
        E.classify(lesson=1, n=0)
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
    sealed = E.seal_source(CELL)
    assert E.answer_texts(sealed) == []
    for why in ("WHY-MC", "WHY-NUM", "WHY-ORD"):
        assert why not in sealed
    assert not re.search(r"\b(answer|also|why)=", sealed)
    assert "%matplotlib inline" in sealed and "# options in any order" not in sealed
    assert "sealed=True" in sealed and E.seal_source(sealed) == sealed  # idempotent
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
        assert p.status == s.status
        assert "instructor version" in s.message


def test_seal_source_rejects_non_literal_answers():
    with pytest.raises(ValueError, match="must be a literal"):
        E.seal_source('multiple_choice("x", "Q", ["a", "b"], answer=my_answer)')
    assert "sealed=True" in E.seal_source("nk.exercises.classify('C01', sealed=False)")
    assert "sealed=False" not in E.seal_source("classify('C01', sealed=False)")
    # a cell without exercises is returned unchanged, byte for byte
    src = "x = 1  # é\nprint(x)\n"
    assert E.seal_source(src) == src


# ---------------------------------------------------------------- state

def test_state_survives_recreation():
    ex = _mc()
    ex.value = "liberalism"
    ex.submit()
    again = _mc()
    assert again.value == "liberalism"
    assert "Also defensible" in again.feedback.value and again.result.status == E.ALSO
    # a different question under the same id does not inherit the answer
    other = E.multiple_choice("t-lens", "Another question?", ["realism", "liberalism"], answer="realism")
    assert other.value is None and other.feedback.value == ""


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
    out = E.seal_notebook(nb)
    assert out["cells"][0] == nb["cells"][0]
    code = out["cells"][1]
    assert E.answer_texts(code["source"]) == [] and code["outputs"] == []
    assert "WHY-MC" in "".join(nb["cells"][1]["source"])   # the input is not modified
