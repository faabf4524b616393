"""The classroom loop end to end: a simulated class answers, writes, saves and submits; the
gradebook reads the submissions (some damaged on purpose) and its item analysis matches the
answers given. Plus: bad input to submit / gradebook / progress gets exit 2 and no traceback."""
from __future__ import annotations

import re

import csv
import json
import os
from pathlib import Path

import pytest

from nkteach import cli, progress
from nkteach.gradebook import answer_text, item_analysis, lesson_versions, read_folder
from nkteach.lessonitems import lesson_items, version_hash, word_count, written_answers
from nkteach.studentbuild import student_notebook
from nkteach.submission import integrity_hash, verify
from tests.support import classroom as cr


def _words(n: int, seed: str = "argument") -> str:
    return " ".join(f"{seed}{i}" for i in range(n))


# Who answers what, in order of attempts (None: never tried). Lesson 1 and lesson 2 share ids
# but for the lesson prefix; C01 is "Elite", C02 "Nation/society" in the statements dataset.
ANSWERS = {
    "alice": {"a": ["beta"], "n": [42], "o": [["a", "b", "c"]], "C01": ["Elite"], "C02": ["Nation/society"]},
    "bob": {"a": ["alpha", "beta"], "n": [40, 42], "o": [["b", "a", "c"], ["a", "b", "c"]],
            "C01": ["International", "Elite"], "C02": ["Nation/society"]},
    "chen": {"a": ["alpha", "gamma"], "n": [40], "o": None, "C01": ["Elite"], "C02": ["Elite"]},
    "dana": {"a": ["gamma"], "n": [41.9], "o": [{"b": 1, "a": 2, "c": 3}], "C01": ["Elite"],
             "C02": ["Nation/society"]},
}
WRITTEN = {"alice": (30, 12), "bob": (10, 0), "chen": (25, 11), "dana": (21, 10)}
KINDS = {"a": "multiple_choice", "n": "numeric", "o": "ordering", "C01": "classify", "C02": "classify"}


def _ids(n: int) -> dict:
    return {"a": f"l{n}-a", "n": f"l{n}-n", "o": f"l{n}-o", "C01": "classify:C01", "C02": "classify:C02"}


def _work(monkeypatch, home: Path, student: str, lesson: int, lessons_dir: Path, out: Path) -> Path:
    """One student works through a student copy of ``lesson`` and submits it."""
    instructor = json.loads((lessons_dir / f"0{lesson}-mini.ipynb").read_text())
    nb = student_notebook(instructor, "mini")
    nb_path = cr.write(nb, home / student / f"0{lesson}-mini.ipynb")
    cr.student_env(monkeypatch, home / student / "data", nb_path)
    exs = cr.exercises_of(nb)
    for short, tries in ANSWERS[student].items():
        for value in tries or []:
            cr.answer(exs[_ids(lesson)[short]], value, KINDS[short])
    w1, w2 = WRITTEN[student]
    cr.fill_written(nb, {f"l{lesson}-w1": _words(w1),
                         f"l{lesson}-w2": _words(w2) if w2 else cr.WRITTEN_PLACEHOLDER})
    cr.write(nb, nb_path)                                    # the student saves (Ctrl+S) ...
    past = nb_path.stat().st_mtime + 60                      # ... after the last check
    os.utime(nb_path, (past, past))
    assert cli.main(["submit", str(nb_path), "--student", student, "--out", str(out / student)]) == 0
    return out / student / f"{student}--lesson-0{lesson}.json"     # a folder per student


@pytest.fixture(scope="module")
def lessons_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("lessons")
    cr.write(cr.mini_lesson(1), d / "01-mini.ipynb")
    cr.write(cr.mini_lesson(2), d / "02-mini.ipynb")
    return d


def test_version_survives_the_student_build_and_real_lessons_have_items(root):
    for f in sorted((root / "lessons").glob("[0-9][0-9]-*.ipynb")):
        nb = json.loads(f.read_text(encoding="utf-8"))
        items = lesson_items(nb, f)
        assert len(items.checked) >= 4, f.name
        assert all(i.heading for i in items.checked), f.name
        assert version_hash(student_notebook(nb, f.name)) == items.version, f.name
    nb = cr.mini_lesson(1)
    other = cr.mini_lesson(1, question_a="A different question?")
    assert version_hash(nb) != version_hash(other)


def test_written_answers_and_word_counts():
    nb = cr.fill_written(cr.mini_lesson(3), {"l3-w1": "The summit failed; leaders' pledges — *not* kept."})
    texts = written_answers(nb)
    assert word_count(texts["l3-w1"]) == 7
    assert word_count(texts["l3-w2"]) == 0            # the untouched placeholder counts nothing
    assert word_count("YOUR ANSWER HERE") == 0 and word_count("<!-- note --> two words") == 2
    # a copy that lost the cell metadata still finds the answer cell right after the task
    stripped = student_notebook(nb, "x")
    for c in stripped["cells"]:
        c["metadata"] = {}
    assert word_count(written_answers(stripped)["l3-w1"]) == 7


def test_a_simulated_class(monkeypatch, tmp_path, lessons_dir, capsys):
    home, out = tmp_path / "home", tmp_path / "submissions"
    files = {}
    for student in ANSWERS:
        files[student, 1] = _work(monkeypatch, home, student, 1, lessons_dir, out)
    for student in ("alice", "bob", "chen"):                 # dana never hands in lesson 2
        files[student, 2] = _work(monkeypatch, home, student, 2, lessons_dir, out)

    # each student's own store; progress survives a new process (it is read from disk)
    monkeypatch.setenv(progress.ENV_DATA_DIR, str(home / "bob" / "data"))
    monkeypatch.delenv("JPY_SESSION_NAME")
    monkeypatch.chdir(home / "bob")
    capsys.readouterr()
    assert cli.main(["progress", "1"]) == 0
    text = capsys.readouterr().out
    print(text)
    assert "✔ correct (2 attempts)" in text and "l1-a" in text
    assert "○ not attempted" not in text                     # bob tried every exercise
    assert "✍ 10 words (aim for at least 20)" in text and "✍ not written yet" in text
    assert "[Exercise 1 — lenses]" in text

    sub = json.loads(files["chen", 1].read_text())
    assert verify(sub) is None and sub["student"] == "chen" and sub["lesson"]["key"] == "1"
    o = {e["id"]: e for e in sub["exercises"]}
    assert o["l1-o"]["outcome"] == "not attempted" and o["l1-a"]["outcome"] == "also defensible"
    assert o["classify:C02"]["outcome"] == "not yet"
    assert [w["words"] for w in sub["written"]] == [25, 11]
    assert "Secret model answer" not in files["chen", 1].read_text()

    # damage some files the ways an upload can be damaged
    edited = json.loads(files["chen", 2].read_text())
    edited["exercises"][0]["outcome"] = "correct"          # chen edits lesson 2 by hand
    files["chen", 2].write_text(json.dumps(edited))
    text1 = files["alice", 2].read_text()
    (out / "alice" / "alice-truncated.json").write_text(text1[: len(text1) // 2])
    dup = out / "dana" / "dana--lesson-01 (old).json"        # an earlier copy in dana's folder
    dup.write_text(files["dana", 1].read_text())
    t = files["dana", 1].stat().st_mtime
    os.utime(dup, (t - 600, t - 600))                       # delivered earlier: the other one counts
    stale = json.loads(files["bob", 1].read_text())
    stale.update(student="eve")
    stale["lesson"]["version"] = "sha256:" + "0" * 64        # made from an older lesson
    stale["integrity"] = integrity_hash(stale)
    (out / "eve").mkdir()
    (out / "eve" / "eve--lesson-01.json").write_text(json.dumps(stale))
    (out / "notes.json").write_text('{"hello": 1}')

    capsys.readouterr()
    rc = cli.main(["gradebook", str(out), "--out", str(tmp_path / "grades.csv"),
                   "--lessons", str(lessons_dir)])
    printed = capsys.readouterr().out
    print(printed)
    assert rc == 1
    with open(tmp_path / "grades.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert sorted(rows) == ["alice", "bob", "chen", "dana"]
    assert rows["dana"]["missing_lessons"] == "2" and rows["chen"]["missing_lessons"] == "2"
    assert rows["alice"]["missing_lessons"] == ""
    assert rows["alice"]["lesson_01_score"] == "100.0" and rows["chen"]["lesson_01_score"] == "40.0"
    assert rows["alice"]["lesson_01_written_words"] == "42" and rows["bob"]["lesson_01_written_words"] == "10"
    report = (tmp_path / "grades.html").read_text()
    for name in ("chen/chen--lesson-02.json", "alice/alice-truncated.json", "dana/dana--lesson-01 (old).json",
                 "eve/eve--lesson-01.json", "notes.json"):
        assert name in report and name in printed, name
    assert "integrity hash does not match" in report and "another version of lesson 1" in report
    assert "earlier hand-in of dana" in report and "not valid JSON" in report
    assert "0 flagged" in printed                            # honest files, each in its student's folder
    # self-contained and offline: no script or stylesheet from elsewhere, plotly.js inlined once,
    # one plotly chart per lesson with its SVG fallback
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?https?://", report)
    assert report.count("* plotly.js v") == 1                               # the bundle, once
    assert report.count('class="plotly-graph-div"') == report.count("<noscript><svg") >= 1

    # the item analysis is what the students did
    lessons = lesson_versions(sorted(lessons_dir.glob("*.ipynb")))
    stats = {s.ex_id: s for s in item_analysis(read_folder(out, lessons), "1")}
    a = stats["l1-a"]
    assert (a.answered, a.right_first, a.top_wrong) == (4, 2, ("alpha", 2))
    assert (stats["l1-n"].answered, stats["l1-n"].right_first, stats["l1-n"].top_wrong) == (4, 2, ("40", 2))
    assert (stats["l1-o"].answered, stats["l1-o"].right_first) == (3, 1)
    assert stats["l1-o"].top_wrong == ("b → a → c", 2)
    assert (stats["classify:C01"].right_first, stats["classify:C01"].top_wrong) == (3, ("International", 1))
    assert ("l1-n: 2 of 4 (50%) right at the first attempt; most chosen wrong answer “40” (2 students)"
            in printed)


def test_unsaved_changes_warn(monkeypatch, tmp_path, lessons_dir, capsys):
    nb = student_notebook(json.loads((lessons_dir / "01-mini.ipynb").read_text()), "mini")
    path = cr.write(nb, tmp_path / "01-mini.ipynb")
    os.utime(path, (path.stat().st_mtime - 3600,) * 2)      # saved an hour ago
    cr.student_env(monkeypatch, tmp_path / "data", path)
    cr.answer(cr.exercises_of(nb)["l1-a"], "beta", "multiple_choice")   # checked since
    assert cli.main(["submit", str(path), "--student", "zoe"]) == 0
    err = capsys.readouterr().err
    assert "save the notebook first (Ctrl+S)" in err
    assert (tmp_path / "zoe--lesson-01.json").is_file()
    panel = progress.progress(notebook=path)
    assert "save the notebook first" in panel._repr_html_()
    box = panel.widget()
    box.hand_in()
    assert "Submission written" in box.children[2].value


def test_answer_text():
    assert answer_text({"b": 1, "a": 2}) == "b → a" and answer_text(40.0) == "40"
    assert answer_text(["x", "y"]) == "x → y" and answer_text("  two   words ") == "two words"


# ---------------------------------------------------------------- bad input: exit 2, no traceback

def _run2(argv, capsys) -> str:
    capsys.readouterr()
    assert cli.main(argv) == 2, argv
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith(f"nkteach {argv[0]}: error: "), err
    return err


def test_bad_input_to_submit(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(progress.ENV_DATA_DIR, str(tmp_path / "data"))
    assert "no such notebook" in _run2(["submit", str(tmp_path / "missing.ipynb")], capsys)
    (tmp_path / "notes.txt").write_text("hi")
    assert "not a notebook" in _run2(["submit", str(tmp_path / "notes.txt")], capsys)
    (tmp_path / "broken.ipynb").write_text('{"cells": [')
    assert "not a valid notebook" in _run2(["submit", str(tmp_path / "broken.ipynb")], capsys)
    plain = cr.write({"cells": [{"cell_type": "code", "source": "print(1)", "metadata": {}}],
                      "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, tmp_path / "plain.ipynb")
    assert "not an nkteach lesson" in _run2(["submit", str(plain)], capsys)
    lesson = cr.write(cr.mini_lesson(1), tmp_path / "01-mini.ipynb")
    (tmp_path / "afile").write_text("x")
    assert "is a file" in _run2(["submit", str(lesson), "--out", str(tmp_path / "afile")], capsys)
    assert "cannot write" in _run2(["submit", str(lesson), "--out", str(tmp_path / "afile" / "sub")], capsys)
    assert "--student must not be empty" in _run2(["submit", str(lesson), "--student", " "], capsys)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "bob--lesson-01.json").write_text("my own notes")
    assert "not replacing" in _run2(["submit", str(lesson), "--student", "bob", "--out",
                                     str(tmp_path / "out")], capsys)
    assert (tmp_path / "out" / "bob--lesson-01.json").read_text() == "my own notes"


def test_bad_input_to_gradebook(tmp_path, capsys):
    assert "does not exist" in _run2(["gradebook", str(tmp_path / "nope")], capsys)
    (tmp_path / "empty").mkdir()
    assert "no submission files" in _run2(["gradebook", str(tmp_path / "empty")], capsys)
    (tmp_path / "f.json").write_text("{}")
    assert "not a folder" in _run2(["gradebook", str(tmp_path / "f.json")], capsys)
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "x.json").write_text("{}")
    assert "does not exist" in _run2(["gradebook", str(tmp_path / "subs"), "--no-lessons", "--out",
                                      str(tmp_path / "no" / "grades.csv")], capsys)
    assert "must name a .csv" in _run2(["gradebook", str(tmp_path / "subs"), "--out", "g.txt"], capsys)
    mine = tmp_path / "mine.csv"
    mine.write_text("my,own\n1,2\n")
    assert "not replacing" in _run2(["gradebook", str(tmp_path / "subs"), "--no-lessons", "--out", str(mine)],
                                    capsys)
    assert mine.read_text() == "my,own\n1,2\n"
    assert "no such file" in _run2(["gradebook", str(tmp_path / "subs"), "--lessons",
                                    str(tmp_path / "nolessons")], capsys)


def test_bad_input_to_progress(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(progress.ENV_DATA_DIR, str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert "no lesson '99'" in _run2(["progress", "99"], capsys)
    assert "no such notebook" in _run2(["progress", "missing.ipynb"], capsys)
    plain = cr.write({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, tmp_path / "p.ipynb")
    assert "not an nkteach lesson" in _run2(["progress", str(plain)], capsys)
    capsys.readouterr()
    assert cli.main(["progress"]) == 0
    assert "No checks recorded yet" in capsys.readouterr().out


def test_the_student_name_defaults_to_the_hub_user(monkeypatch):
    from nkteach.submission import default_student, file_name

    monkeypatch.setenv("JUPYTERHUB_USER", "jovyan-42")
    assert default_student() == "jovyan-42"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert default_student()                                 # the operating-system user
    assert file_name("A. Student/x", "5") == "A._Student_x--lesson-05.json"
