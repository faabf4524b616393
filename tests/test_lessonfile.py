"""nkteach.lessonfile (the lesson-file layer) and the pure exercise checker built on it."""
from __future__ import annotations

import subprocess
import sys

import pytest

from nkteach import exercises as E
from nkteach import lessonfile as L
from nkteach.exercises.checker import check_call
from nkteach.lessonfile.kinds import KINDS
from nkteach.outcomes import ALSO, CORRECT, NO_ANSWER, NOT_YET
from nkteach.validation import InvalidArgumentError


@pytest.fixture(autouse=True)
def _fresh_state():
    E.reset_state()
    yield
    E.reset_state()


# ---------------------------------------------------------------- the one reader

@pytest.mark.parametrize("content, says", [
    (None, "no such notebook"), ("folder", "it is a folder"), (b"\xff\xfe", "not UTF-8"),
    (b"{oops", "not valid JSON"), (b"[1, 2]", "not a Jupyter notebook"),
    (b'{"cells": [1], "nbformat": 4}', "cell 0 is not a notebook cell"),
    (b"[" * 100000 + b"]" * 100000, "nested too deeply|not valid JSON")])
def test_reader_names_the_file_and_the_problem(tmp_path, content, says):
    p = tmp_path / "01-x.ipynb"
    if content == "folder":
        p.mkdir()
    elif content is not None:
        p.write_bytes(content)
    with pytest.raises(L.NotebookError, match=says) as err:
        L.read_notebook(p)
    assert str(p) in str(err.value)
    # the old names catch it too: a missing file is also a FileNotFoundError
    assert isinstance(err.value, L.NotALessonError)
    if content is None:
        assert isinstance(err.value, FileNotFoundError)


def test_old_import_paths_are_aliases():
    from nkteach import lessoncheck, lessonitems, notebooks

    assert notebooks.read_notebook is lessonitems.read_notebook is L.read_notebook
    assert lessoncheck is L.check                       # one module object (tests set its switches)
    assert lessonitems.lesson_items is L.lesson_items and notebooks.exercise_calls is L.notebook_calls
    assert E.WRITTEN_TAG == L.WRITTEN_TAG == "written-answer" and E.REVEAL_AFTER == L.REVEAL_AFTER


def test_front_matter_is_parsed_once(tmp_path):
    page = tmp_path / "guide.md"
    page.write_text('---\ntitle: "Instructor guide"\naudience: Instructor\n---\n# Other\n', encoding="utf-8")
    plain = tmp_path / "glossary.md"
    plain.write_text("# Glossary\n\naudience: instructor\n", encoding="utf-8")
    assert L.front_matter(page.read_text()) == {"title": "Instructor guide", "audience": "Instructor"}
    assert L.for_instructors(page) and not L.for_instructors(plain)
    assert L.course_pages(tmp_path) == [(plain, "Glossary"), (page, "Instructor guide")]
    assert L.front_matter("---\ntitle: never closed\n") == {}


# ---------------------------------------------------------------- the kind registry

def test_every_kind_has_its_module_and_constructor():
    for name, kind in KINDS.items():
        assert callable(getattr(E, name)), name
        mod = __import__(f"nkteach.exercises.kinds.{kind.module}", fromlist=["x"])
        assert getattr(mod, name) is getattr(E, name)
        if kind.checked:
            assert callable(mod.spec_from_kwargs), name
    assert L.CHECKED_KINDS == ("multiple_choice", "numeric", "ordering", "classify")
    from nkteach import sealing

    assert sealing.EXERCISE_FUNCS == L.EXERCISE_FUNCS == frozenset(KINDS)
    assert sealing.WRITTEN_SECRET_KW == ("model_answer",)          # rubric= stays in student copies


def test_star_import_gives_the_public_api():
    ns: dict = {}
    exec("from nkteach.exercises import *", ns)
    for name in ("multiple_choice", "classify", "numeric", "ordering", "written", "get", "Result",
                 "unlock", "progress", "Exercise"):
        assert name in ns, name


def test_checker_is_pure():
    code = ("import sys, nkteach.exercises.checker as c, nkteach.lessonfile, nkteach.lessonfile.check;"
            "print('ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- exercise_specs + check_call

LESSON = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
    {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source":
     'ex.multiple_choice("l3-mc", "Q?", ["a", "b", "c"], answer="b", also="c", why="W")\n'
     'ex.numeric("l3-n", "N?", answer=677 / 1372 * 100, unit="%")\n'
     'ex.ordering("l3-o", "O?", ["y", "x"], answer=["x", "y"])\n'
     'ex.classify(["C08", "C01"])\n'
     'ex.written("l3-w", "Write.", rubric=["a", "b", "c"], model_answer="M")\n'}]}


def test_exercise_specs_give_the_instructor_arguments():
    specs = L.exercise_specs(LESSON)
    assert list(specs) == ["l3-mc", "l3-n", "l3-o", "classify:C08", "classify:C01"]
    assert specs["l3-mc"] == ("multiple_choice", {"question": "Q?", "options": ["a", "b", "c"],
                                                  "answer": "b", "also": "c", "why": "W"})
    assert specs["l3-n"][1]["answer"] == pytest.approx(49.3440233)
    func, kw = specs["classify:C08"]
    assert func == "classify" and kw["answer"] == "Elite" and kw["also"] == ["Linkage"]


def test_check_call_regrades_like_the_kernel():
    specs = L.exercise_specs(LESSON)
    cases = {"l3-mc": [("b", CORRECT), ("c", ALSO), ("a", NOT_YET), ("", NO_ANSWER), ("zzz", NOT_YET)],
             "l3-n": [("49,34", CORRECT), (49.2, NOT_YET), ("about half", NOT_YET), (None, NO_ANSWER)],
             "l3-o": [(["x", "y"], CORRECT), ({"x": 2, "y": 1}, NOT_YET), (["x", "q"], NOT_YET)],
             "classify:C08": [("Elite", CORRECT), ("Linkage", ALSO), ("International", NOT_YET)]}
    for ex_id, answers in cases.items():
        func, kw = specs[ex_id]
        for answer, want in answers:
            assert check_call(func, kw, answer) == want, (ex_id, answer)
    with pytest.raises(InvalidArgumentError, match="not checked automatically"):
        check_call("written", {}, "text")
    with pytest.raises(ValueError, match="unknown kind 'multiple_choise'.*Did you mean 'multiple_choice'"):
        check_call("multiple_choise", specs["l3-mc"][1], "b")


# ---------------------------------------------------------------- bad input (issue 17 item 7)

EVENTS = ["a", "b", "c"]


def test_ordering_positions_are_checked_by_name():
    ex = E.ordering("t-o", "Q", EVENTS, answer=EVENTS)
    with pytest.raises(InvalidArgumentError, match=r"position of 'a' must be a whole number between 1 "
                                                   r"and 3, got 0"):
        ex.check({"a": 0, "b": 1, "c": 2})
    assert ex.check({"a": "1", "b": "2", "c": "3"}).correct          # digits typed as text
    with pytest.raises(InvalidArgumentError, match=r"position of 'a' must be a whole number between 1 "
                                                   r"and 3, got 'first'"):
        ex.check({"a": "first", "b": 2, "c": 3})
    dup = ex.check({"a": 1, "b": 1, "c": 3})
    assert dup.status == NO_ANSWER and "used more than once: 1)" in dup.message
    with pytest.raises(InvalidArgumentError, match=r"unknown item 'd'; allowed \(the items of exercise "
                                                   r"'t-o'\): 'a', 'b', 'c'"):
        ex.check({"d": 1, "a": 2, "b": 3})


def test_constructor_bad_input_names_the_argument():
    with pytest.raises(E.ExerciseDefinitionError, match="question must be a string, got None"):
        E.multiple_choice("t", None, ["a", "b"], answer="a")
    with pytest.raises(E.ExerciseDefinitionError, match="question must not be empty"):
        E.numeric("t", "  ", answer=1)
    with pytest.raises(ValueError, match=r"unknown lesson 99; allowed: 1, 2, 3, 4, 5, 6, 7"):
        E.classify(lesson=99)
    with pytest.raises(InvalidArgumentError, match="min_words .* must be a whole number >= 1"):
        E.written("t", "P", min_words=0)
    with pytest.raises(InvalidArgumentError, match="sealed must be True or False"):
        E.classify("C01", sealed="yes")


# ---------------------------------------------------------------- a new kind: registry + its module

def test_a_new_kind_needs_only_its_registry_entry_and_its_module(monkeypatch):
    """The files a new kind touches: nkteach/lessonfile/kinds.py (one Kind) and
    nkteach/exercises/kinds/<module>.py. Everything else reads the registry."""
    import types

    from nkteach import sealing
    from nkteach.exercises.kinds import choice
    from nkteach.lessonfile.kinds import Kind

    mod = types.ModuleType("nkteach.exercises.kinds.truefalse")

    def spec_from_kwargs(kw):
        return choice.spec_from_kwargs({**kw, "options": ["True", "False"]}, func="true_false")

    def true_false(ex_id, question, *, answer=None, why="", seal=None):
        return choice.multiple_choice(ex_id, question, ["True", "False"], answer=answer, why=why, seal=seal,
                                      _func="true_false")

    mod.spec_from_kwargs, mod.true_false = spec_from_kwargs, true_false
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    monkeypatch.setitem(KINDS, "true_false", Kind("true_false", "truefalse", "choice", ("question",),
                                                 ("question",), empty="Choose True or False."))
    src = 'ex.true_false("l9-tf", "The ceasefire held?", answer="False", why="WHY-TF it did not.")\n'
    nb = {"cells": [{"cell_type": "code", "source": src}], "metadata": {}, "nbformat": 4}
    assert [n for n, _ in L.calls(src)] == ["true_false"]
    items = L.lesson_items(nb).items
    assert [(i.ex_id, i.kind, i.written) for i in items] == [("l9-tf", "true_false", False)]
    assert L.exercise_specs(nb)["l9-tf"] == ("true_false", {"question": "The ceasefire held?",
                                                            "answer": "False", "why": "WHY-TF it did not."})
    assert check_call("true_false", L.exercise_specs(nb)["l9-tf"][1], "False") == CORRECT
    assert sealing.answer_texts(src) == ["False", "WHY-TF it did not."]
    sealed = sealing.seal_source(src, reveal="never")
    assert "WHY-TF" not in sealed and "seal={" in sealed and sealing.answer_texts(sealed) == []
    ns = {"ex": types.SimpleNamespace(true_false=true_false)}
    exec(sealed, ns)                               # the student copy checks through its seal
    tf = E.get("l9-tf")
    assert tf.check("False").correct and "WHY-TF" in tf.check("False").message
    assert tf.check("").message.endswith("Choose True or False.")
    from nkteach.lessonfile.check import _exercise_pattern

    assert _exercise_pattern().search(src)


def test_the_progress_panel_finds_the_lesson_of_the_kernel():
    # a check in a kernel that does not say its notebook is filed under the id's lesson, which
    # the panel (ex.progress() without arguments) then shows
    from nkteach.classroom.progress import session_lessons

    before = session_lessons().get("4", 0)
    E.multiple_choice("l4-x", "Q?", ["a", "b"], answer="a").check("a")
    assert session_lessons()["4"] == before + 1
