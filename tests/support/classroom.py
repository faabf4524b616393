"""Small lessons and simulated students for the classroom-loop tests (progress, submit,
gradebook, nbgrader). The lessons follow the lesson format (metadata, headings, exercise calls,
written tasks with tagged answer cells) but are tiny, so the tests stay fast."""
from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import nbformat

from nkteach import exercises as ex
from nkteach import progress
from nkteach.lessonfile import calls, cell_source, written_cells

WRITTEN_PLACEHOLDER = "*Write your answer here: double-click to edit, then save the notebook.*"


def _md(text: str) -> dict:
    return nbformat.v4.new_markdown_cell(text)


def _code(text: str) -> dict:
    return nbformat.v4.new_code_cell(text)


def _answer_cell(ex_id: str) -> dict:
    c = _md(WRITTEN_PLACEHOLDER)
    c.metadata = {"tags": [ex.WRITTEN_TAG], "nkteach": {"written": ex_id}}
    return c


def mini_lesson(number: int = 1, *, question_a: str = "Which lens fits the elite level here?") -> dict:
    """Lesson ``number``: four checked exercises (one a classify pair) and two written tasks."""
    n = number
    cells = [
        _md(f"# Lesson {n} — Mini lesson {n}\n\n**What you will learn:** a test.\n"),
        _code("import nkteach\nfrom nkteach import exercises as ex"),
        _md("## Exercise 1 — lenses"),
        _code(f'ex.multiple_choice("l{n}-a", {question_a!r}, ["alpha", "beta", "gamma"],\n'
              f'                   answer="beta", also=["gamma"], why="Beta explains it (secret why A).")'),
        _md("## Exercise 2 — a number"),
        _code(f'ex.numeric("l{n}-n", "How many?", answer=42, tolerance=0.5,\n'
              f'           why="Forty-two (secret why N).")'),
        _md("## Exercise 3 — an order"),
        _code(f'ex.ordering("l{n}-o", "Put in order", ["b", "a", "c"], answer=["a", "b", "c"],\n'
              f'            why="Alphabetical (secret why O).")'),
        _md("## Exercise 4 — classify"),
        _code('ex.classify(["C01", "C02"])'),
        _md("## Written task 1"),
        _code(f'ex.written("l{n}-w1", "Explain the failure at two levels.", min_words=20,\n'
              f'           rubric=["Evidence (2 points)", "Two levels named", "One linkage"],\n'
              f'           model_answer="Secret model answer one.")'),
        _answer_cell(f"l{n}-w1"),
        _md("## Written task 2"),
        _code(f'ex.written("l{n}-w2", "Compare the two surveys.", min_words=10,\n'
              f'           rubric=["Claim", "Evidence", "Limits"], model_answer="Secret model answer two.")'),
        _answer_cell(f"l{n}-w2"),
        _md("## Summary\n\nDone."),
        _code("ex.progress()"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"},
                   "nkteach": {"lesson": n, "title": f"Mini lesson {n}", "time_minutes": 10,
                               "objectives": ["test"], "datasets": []}}
    return nb


def write(nb: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def exercises_of(nb: dict) -> dict:
    """ex_id → Exercise, built by running each exercise call of the notebook in this process
    (classify groups give one entry per statement, 'classify:C01')."""
    out = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = cell_source(cell)
        for name, call in calls(src):
            if name == "written":
                continue
            obj = eval(ast.get_source_segment(src, call), {"ex": ex})
            for part in getattr(obj, "parts", None) or [obj]:
                out[part.ex_id] = part
    return out


def answer(exercise, value, kind: str) -> str:
    """Check ``value`` as a student would and return the outcome. The exercises record every
    check in the progress store; where this build's check does not (yet) record, record it the
    way the check would, so the store holds exactly one record per check either way."""
    before = len(progress.records())
    res = exercise.check(value)
    if len(progress.records()) == before:
        progress.record(ex_id=exercise.ex_id, kind=kind, outcome=res.status, answer=value)
    return res.status


def fill_written(nb: dict, texts: dict[str, str]) -> dict:
    """Write the student's answers into the written-answer cells (as typing then saving does)."""
    for wid, i in written_cells(nb).items():
        if wid in texts:
            nb["cells"][i]["source"] = texts[wid]
    return nb


def student_env(monkeypatch, data: Path, notebook: Path) -> None:
    """This student's own data folder, and the kernel's notebook as jupyter-server reports it."""
    monkeypatch.setenv(progress.ENV_DATA_DIR, str(data))
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))
    os.environ.pop("NBGRADER_EXECUTION", None)


# ---------------------------------------------------------------- hand-ins for the gradebook tests

RIGHT_ANSWERS = {"a": "beta", "n": 42, "o": ["a", "b", "c"], "C01": "Elite", "C02": "Nation/society"}
WRONG_ANSWERS = {"a": "alpha", "n": 7, "o": ["c", "b", "a"], "C01": "International", "C02": "Elite"}


def course(tmp: Path, lessons=(1,)) -> Path:
    """A lessons folder with mini lessons (the instructor's copies)."""
    d = tmp / "lessons"
    for n in lessons:
        write(mini_lesson(n), d / f"{n:02d}-mini.ipynb")
    return d


def handin(lessons_dir: Path, student: str, answers: dict, *, lesson: int = 1,
           words: tuple[int, int] = (25, 12), claimed_outcome: str | None = None) -> dict:
    """A well-formed hand-in of ``student`` with one recorded answer per exercise (``answers``:
    short id → answer, see RIGHT_ANSWERS), outcomes as the real check gives them unless
    ``claimed_outcome`` overrides every one (a forgery), and integrity hash recomputed."""
    from nkteach import __version__
    from nkteach.classroom.regrade import check_answer, exercise_specs
    from nkteach.classroom.submission import SCHEMA, SCHEMA_VERSION, integrity_hash
    from nkteach.lessonfile import lesson_items

    path = lessons_dir / f"{lesson:02d}-mini.ipynb"
    nb = json.loads(path.read_text())
    items = lesson_items(nb, path)
    specs = exercise_specs(nb)
    ids = {"a": f"l{lesson}-a", "n": f"l{lesson}-n", "o": f"l{lesson}-o", "C01": "classify:C01",
           "C02": "classify:C02"}
    by_id = {v: k for k, v in ids.items()}
    exercises = []
    for it in items.checked:
        short = by_id[it.ex_id]
        rec = []
        if short in answers:
            real = check_answer(*specs[it.ex_id], answers[short])
            rec = [{"answer": answers[short], "outcome": claimed_outcome or real,
                    "time": "2026-12-01T10:00:00"}]
        out = rec[0]["outcome"] if rec else "not attempted"
        exercises.append({"id": it.ex_id, "kind": it.kind, "question": it.question, "outcome": out,
                          "attempts": len(rec), "first_outcome": out if rec else None, "answers": rec})
    texts = [" ".join(f"word{i}" for i in range(n)) for n in words]
    written = [{"id": w.ex_id, "prompt": w.question, "min_words": w.min_words, "words": n,
                "found": True, "text": t} for w, t, n in zip(items.written, texts, words)]
    right = sum(e["outcome"] in ("correct", "also defensible") for e in exercises)
    content = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "student": student,
               "lesson": {"key": items.key, "number": items.number, "title": items.title,
                          "file": path.name, "version": items.version},
               "submitted_at": "2026-12-01T10:00:00+00:00", "notebook_saved_at": None, "last_check_at": None,
               "nkteach_version": __version__,
               "score": {"exercises": len(exercises), "correct_or_defensible": right,
                         "right_first_time": right, "percent": round(100 * right / len(exercises), 1)},
               "exercises": exercises, "written": written}
    content["integrity"] = integrity_hash(content)
    return content


def put(path: Path, content, *, mtime: float | None = None) -> Path:
    """Write a hand-in (a dict as JSON, or raw text/bytes) at ``path``; optionally set its time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path
