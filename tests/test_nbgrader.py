"""nbgrader round trip: `nkteach student-build --nbgrader` writes a course whose release holds no
answers, no seals, no check buttons and no instructor page, and `nbgrader generate_assignment` +
`nbgrader autograde` score filled-in copies as the exercises' own checks do (also-defensible
answers, numeric tolerance, partial credit for a classify group when the instructor grades
classify); written answers wait for manual grading with the rubric's points. A student who
replaces nkteach's functions, builtins or comparison methods, and a blank notebook, score 0."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import need_module

from nkteach import cli
from tests.support import classroom as cr

need_module("nbgrader", "nbgrader is in the test lock (nkteach[grading])")
BIN = Path(sys.executable).parent
SECRETS = ("secret why", "Secret model answer", "BEGIN SOLUTION", "HIDDEN TESTS", "Evidence (2 points)",
           "seal", "ex.multiple_choice", "ex.numeric", "ex.ordering", "ex.classify", "ex.written", "'beta'",
           "_nk_", "INSTRUCTOR-GUIDE-TEXT")
# An answer cell that tries every way around the autograder we know of short of hooking IPython:
# the bypass of issue 18 (replace nkteach's scoring function), replaced builtins, and answers
# whose comparison methods, __class__ and arithmetic lie.
LIAR = """class Liar(str):
    def __eq__(self, other): return True
    __hash__ = str.__hash__
    def lower(self): return 'beta'
    def split(self): return ['beta']
class Any:
    __class__ = str
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __hash__(self): return 0
    def __sub__(self, other): return 0
class Num(float):
    def __sub__(self, other): return 0.0
    def __le__(self, other): return True
    def __ge__(self, other): return True
import nkteach.nbgrader_export as m
m._right = lambda *a: True
m.score = lambda *a, **k: 99
"""
# Replaced builtins (a kernel with these no longer runs IPython itself, so they are tried in process).
BUILTINS = """import builtins
builtins.isinstance = lambda *a: True
builtins.abs = lambda x: 0
builtins.float = lambda x: 1.0
builtins.globals = lambda: {}
builtins.type = lambda *a: str
"""
BYPASS = {"l1-a-answer": LIAR + "answer_l1_a = Liar('alpha')",
          "l1-n-answer": "answer_l1_n = Num(7)",
          "l1-o-answer": "answer_l1_o = [Any(), Any(), Any()]",
          "classify-1-answer": "answer_classify_1 = {'C01': Any(), 'C02': Liar('x')}"}


def _nbgrader(course: Path, *args: str, env: dict) -> None:
    r = subprocess.run([str(BIN / "nbgrader"), *args], check=False, cwd=course, env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]


def _fill(release: dict, answers: dict, written: dict) -> dict:
    nb = json.loads(json.dumps(release))
    for c in nb["cells"]:
        gid = c["metadata"].get("nbgrader", {}).get("grade_id")
        src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        if gid in answers:
            c["source"] = src.replace("# YOUR ANSWER HERE", answers[gid])
        elif gid in written:
            c["source"] = written[gid]
    return nb


@pytest.mark.slow
def test_nbgrader_round_trip(tmp_path, capsys):
    lessons = tmp_path / "lessons"
    cr.write(cr.mini_lesson(1), lessons / "01-mini.ipynb")
    (lessons / "glossary.md").write_text("---\ntitle: Glossary\n---\n# Glossary\n")
    (lessons / "instructor-guide.md").write_text("---\ntitle: Guide\naudience: instructor\n---\n"
                                                 "# Guide\nINSTRUCTOR-GUIDE-TEXT\n")
    (lessons / "answer-key.txt").write_text("INSTRUCTOR-GUIDE-TEXT\n")
    course = tmp_path / "course"
    assert cli.main(["student-build", "--nbgrader", "--nbgrader-classify", str(course), str(lessons)]) == 0
    src = course / "source" / "01-mini" / "01-mini.ipynb"
    assert src.is_file() and (course / "nbgrader_config.py").is_file()
    assert sorted(p.name for p in src.parent.iterdir()) == ["01-mini.ipynb", "glossary.md"]
    meta = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]
            for c in json.loads(src.read_text())["cells"] if "nbgrader" in c["metadata"]}
    assert meta["l1-w1-written"] == {"grade": True, "grade_id": "l1-w1-written", "locked": False,
                                     "points": 4, "schema_version": 3, "solution": True, "task": False}
    assert meta["l1-a-test"]["locked"] and meta["classify-1-test"]["points"] == 2

    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "JUPYTER_CONFIG_DIR": str(tmp_path / "jcfg"), "JUPYTER_DATA_DIR": str(tmp_path / "jdata"),
           "NKTEACH_DATA_DIR": str(tmp_path / "progress")}
    env.pop("JPY_SESSION_NAME", None)
    _nbgrader(course, "generate_assignment", "01-mini", env=env)
    release_path = course / "release" / "01-mini" / "01-mini.ipynb"
    release_text = release_path.read_text()
    for secret in SECRETS:
        assert secret not in release_text, secret
    assert sorted(p.name for p in release_path.parent.iterdir()) == ["01-mini.ipynb", "glossary.md"]
    release = json.loads(release_text)

    right = {"l1-a-answer": 'answer_l1_a = "gamma"',                  # also defensible
             "l1-n-answer": "answer_l1_n = 42.3",                     # within the tolerance
             "l1-o-answer": 'answer_l1_o = ["a", "b", "c"]',
             "classify-1-answer": 'answer_classify_1 = {"C01": "Elite", "C02": "Nation/society"}'}
    mixed = {"l1-a-answer": 'answer_l1_a = "alpha"',
             "l1-n-answer": "answer_l1_n = 42",
             "l1-o-answer": 'answer_l1_o = ["b", "a", "c"]',
             "classify-1-answer": 'answer_classify_1 = {"C01": "Elite", "C02": "not a level"}'}
    for student, answers, written in (("alice", right, {"l1-w1-written": "Two levels and a linkage."}),
                                      ("bob", mixed, {}), ("mallory", BYPASS, {}), ("blank", {}, {})):
        target = course / "submitted" / student / "01-mini" / "01-mini.ipynb"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(_fill(release, answers, written)))
    _nbgrader(course, "autograde", "01-mini", "--create", env=env)

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {}
        for student in ("alice", "bob", "mallory", "blank"):
            sub = gb.find_submission("01-mini", student)
            scores[student] = {g.name: (g.auto_score, g.max_score, g.needs_manual_grade)
                               for nb in sub.notebooks for g in nb.grades}
    assert scores["alice"] == {"l1-a-test": (1.0, 1.0, False), "l1-n-test": (1.0, 1.0, False),
                               "l1-o-test": (1.0, 1.0, False), "classify-1-test": (2.0, 2.0, False),
                               "l1-w1-written": (None, 4.0, True), "l1-w2-written": (0.0, 3.0, False)}
    assert scores["bob"]["l1-a-test"][0] == 0.0 and scores["bob"]["l1-n-test"][0] == 1.0
    assert scores["bob"]["l1-o-test"][0] == 0.0 and scores["bob"]["classify-1-test"][0] == 1.0
    for student in ("mallory", "blank"):         # the bypass and the blank notebook score 0
        auto = {k: v[0] for k, v in scores[student].items() if k.endswith("-test")}
        assert auto == {"l1-a-test": 0.0, "l1-n-test": 0.0, "l1-o-test": 0.0, "classify-1-test": 0.0}, auto
    assert not (tmp_path / "progress").exists()        # autograding records nothing


def test_real_lessons_export_with_valid_nbgrader_metadata(tmp_path, root):
    from nbgrader.nbgraderformat import MetadataValidator

    course = tmp_path / "course"
    (course).mkdir()
    (course / "nbgrader_config.py").write_text("# the instructor's own\n")
    argv = ["student-build", "--nbgrader", "--nbgrader-classify", str(course), str(root / "lessons")]
    assert cli.main(argv) == 0
    assert (course / "nbgrader_config.py").read_text() == "# the instructor's own\n"   # kept
    books = sorted((course / "source").glob("*/*.ipynb"))
    assert len(books) == len(list((root / "lessons").glob("[0-9][0-9]-*.ipynb")))
    import nbformat

    for b in books:
        nb = nbformat.read(b, as_version=4)
        MetadataValidator().validate_nb(nb)
        tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
        assert len(tests) >= 4, b.name
        assert b.parent.name == b.stem
        # the model answers score full marks; a blank notebook scores nothing
        full = {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points for c in tests}
        assert _exec_cells(nb, None) == full, b.name
        assert set(_exec_cells(nb, {}).values()) == {0}, b.name


def _run2(argv, capsys) -> str:
    capsys.readouterr()
    assert cli.main(argv) == 2, argv
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("nkteach student-build: error: "), err
    return err


def test_bad_input_to_the_nbgrader_export(tmp_path, capsys):
    assert "no such file" in _run2(["student-build", "--nbgrader", str(tmp_path / "c"),
                                    str(tmp_path / "missing.ipynb")], capsys)
    plain = cr.write({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, tmp_path / "p.ipynb")
    assert "not an nkteach lesson" in _run2(["student-build", "--nbgrader", str(tmp_path / "c"), str(plain)],
                                            capsys)
    lesson = cr.write(cr.mini_lesson(1), tmp_path / "l" / "01-mini.ipynb")
    (tmp_path / "afile").write_text("x")
    assert "is a file" in _run2(["student-build", "--nbgrader", str(tmp_path / "afile"), str(lesson)], capsys)
    assert cli.main(["student-build", "--nbgrader", str(tmp_path / "c"), str(lesson)]) == 0
    assert "--force" in _run2(["student-build", "--nbgrader", str(tmp_path / "c"), str(lesson)], capsys)
    assert cli.main(["student-build", "--nbgrader", "--force", str(tmp_path / "c"), str(lesson)]) == 0


def _exec_cells(nb: dict, answers: dict) -> dict:
    """Run the answer cells (with ``answers`` in place of the model answers; None: the model
    answers) and the hidden test cells of a source notebook in one namespace, as the autograder
    would; grade id → points."""
    import builtins

    saved = dict(vars(builtins))
    ns: dict = {}
    got = {}
    try:
        for c in nb["cells"]:
            meta = c["metadata"].get("nbgrader", {})
            src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            if meta.get("solution") and c["cell_type"] == "code":
                head = src.split("### BEGIN SOLUTION")[0]
                exec(src if answers is None else head + answers.get(meta["grade_id"], ""), ns)
            elif meta.get("grade") and c["cell_type"] == "code":
                body = src.split("### BEGIN HIDDEN TESTS\n")[1].split("### END HIDDEN TESTS")[0]
                *stmts, last = body.strip().split("\n")
                exec("\n".join(stmts), ns)
                got[meta["grade_id"]] = eval(last, ns)
    finally:
        for k in set(vars(builtins)) - set(saved):
            delattr(builtins, k)
        for k, v in saved.items():
            setattr(builtins, k, v)
    return got


def test_hidden_tests_are_self_contained_and_ignore_a_lying_answer(tmp_path):
    """Without nbgrader: the hidden tests give the right answers their points and the bypass, the
    liars and the blank notebook nothing; they import nothing and call no name they did not bind."""
    from nkteach.editions.nbgrader import course_notebook

    nb = course_notebook(cr.mini_lesson(1), "01-mini.ipynb", graded_classify=True)
    right = {"l1-a-answer": 'answer_l1_a = " Gamma "', "l1-n-answer": "answer_l1_n = 41.6",
             "l1-o-answer": 'answer_l1_o = ("A", "b", "c")',
             "classify-1-answer": 'answer_classify_1 = {"C01": "elite", "C02": "Nation/society"}'}
    assert _exec_cells(nb, right) == {"l1-a-test": 1, "l1-n-test": 1, "l1-o-test": 1, "classify-1-test": 2}
    assert set(_exec_cells(nb, BYPASS).values()) == {0}
    liars = {**BYPASS, "l1-a-answer": BYPASS["l1-a-answer"] + "\n" + BUILTINS}
    assert set(_exec_cells(nb, liars).values()) == {0}
    right_after = {**right, "l1-a-answer": LIAR + BUILTINS + right["l1-a-answer"]}
    assert _exec_cells(nb, right_after) == _exec_cells(nb, right)     # the tests never used them
    assert set(_exec_cells(nb, {}).values()) == {0}
    import ast

    for c in nb["cells"]:
        if c["metadata"].get("nbgrader", {}).get("grade") and c["cell_type"] == "code":
            body = c["source"].split("### BEGIN HIDDEN TESTS\n")[1].split("### END HIDDEN TESTS")[0]
            tree = ast.parse(body)
            assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
            bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
            free = used - bound          # names the test did not bind: the answer variable only
            assert len(free) == 1 and next(iter(free)).startswith("answer_"), free


def test_classify_is_practice_unless_the_instructor_grades_it(tmp_path):
    lessons = tmp_path / "lessons"
    cr.write(cr.mini_lesson(1), lessons / "01-mini.ipynb")
    assert cli.main(["student-build", "--nbgrader", str(tmp_path / "c"), str(lessons)]) == 0
    nb = json.loads((tmp_path / "c" / "source" / "01-mini" / "01-mini.ipynb").read_text())
    ids = {c["metadata"].get("nbgrader", {}).get("grade_id") for c in nb["cells"]} - {None}
    assert ids == {"l1-a-answer", "l1-a-test", "l1-n-answer", "l1-n-test", "l1-o-answer", "l1-o-test",
                   "l1-w1-written", "l1-w2-written"}
    sources = ["".join(c["source"]) for c in nb["cells"]]
    practice = [s for s in sources if "Practice, no points" in s]
    assert len(practice) == 1 and "'C01': ..." in practice[0] and "BEGIN SOLUTION" not in practice[0]
    assert not [s for s in sources if "'C01': 'Elite'" in s]
    text = json.dumps(nb)
    assert "seal" not in text and "ex.classify" not in text and "ex.multiple_choice" not in text
    assert cli.main(["student-build", "--nbgrader-classify", str(tmp_path / "d"), str(lessons)]) == 2
