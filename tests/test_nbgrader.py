"""nbgrader round trip: `nkteach student-build --nbgrader` writes a course whose release holds no
answers, and `nbgrader generate_assignment` + `nbgrader autograde` score filled-in copies as the
exercises' own checks do (also-defensible answers, numeric tolerance, partial credit for a
classify group); written answers wait for manual grading with the rubric's points."""
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
SECRETS = ("secret why", "Secret model answer", "BEGIN SOLUTION", "HIDDEN TESTS", "Evidence (2 points)")


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
    course = tmp_path / "course"
    assert cli.main(["student-build", "--nbgrader", str(course), str(lessons)]) == 0
    src = course / "source" / "01-mini" / "01-mini.ipynb"
    assert src.is_file() and (course / "nbgrader_config.py").is_file()
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
                                      ("bob", mixed, {})):
        target = course / "submitted" / student / "01-mini" / "01-mini.ipynb"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(_fill(release, answers, written)))
    _nbgrader(course, "autograde", "01-mini", "--create", env=env)

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {}
        for student in ("alice", "bob"):
            sub = gb.find_submission("01-mini", student)
            scores[student] = {g.name: (g.auto_score, g.max_score, g.needs_manual_grade)
                               for nb in sub.notebooks for g in nb.grades}
    assert scores["alice"] == {"l1-a-test": (1.0, 1.0, False), "l1-n-test": (1.0, 1.0, False),
                               "l1-o-test": (1.0, 1.0, False), "classify-1-test": (2.0, 2.0, False),
                               "l1-w1-written": (None, 4.0, True), "l1-w2-written": (0.0, 3.0, False)}
    assert scores["bob"]["l1-a-test"][0] == 0.0 and scores["bob"]["l1-n-test"][0] == 1.0
    assert scores["bob"]["l1-o-test"][0] == 0.0 and scores["bob"]["classify-1-test"][0] == 1.0
    assert not (tmp_path / "progress").exists()        # autograding records nothing


def test_real_lessons_export_with_valid_nbgrader_metadata(tmp_path, root):
    from nbgrader.nbgraderformat import MetadataValidator

    course = tmp_path / "course"
    (course).mkdir()
    (course / "nbgrader_config.py").write_text("# the instructor's own\n")
    assert cli.main(["student-build", "--nbgrader", str(course), str(root / "lessons")]) == 0
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
