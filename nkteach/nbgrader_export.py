"""Export lessons as an nbgrader course (``nkteach student-build --nbgrader COURSE_DIR``).

nbgrader is the grading tool of JupyterHub classes (an optional extra: ``pip install
nkteach[grading]``). For each lesson this writes ``COURSE_DIR/source/<lesson>/<lesson>.ipynb``, the
student copy (sealed exercises, no solution or instructor cells) with nbgrader cell metadata
(``{"nbgrader": {"grade", "solution", "locked", "points", "grade_id", "schema_version": 3}}``):

- each written task's answer cell becomes a **manually graded answer** cell (a Markdown solution
  cell; points = the rubric's criteria, one each unless a criterion says "(N points)"); in the
  source it holds the model answer and rubric, which ``nbgrader generate_assignment`` replaces with
  "YOUR ANSWER HERE" in the release;
- each auto-checked exercise gets, after its cell, an **autograded answer** cell where the student
  types the answer they chose (a ``### BEGIN SOLUTION`` region holding the model answer) and a
  locked **autograder test** cell whose ``### BEGIN HIDDEN TESTS`` region re-checks that answer
  with the instructor's own exercise call (so "also defensible" counts and numeric tolerances hold).
  The test cell's value is the points earned, which nbgrader takes as partial credit
  (a classify group of 5 statements is worth 5 points).

Hidden tests and solution regions are removed by ``nbgrader generate_assignment``, so the release
holds no answer, explanation or rubric text. Reveal-after-three-attempts is switched off.
``COURSE_DIR/nbgrader_config.py`` is written when absent and never overwritten.
"""
from __future__ import annotations

import ast
import copy
import inspect
import json
import re
import shutil
import warnings
from pathlib import Path

from .validation import InvalidArgumentError

__all__ = ["CONFIG_TEXT", "NbgraderExportError", "export_course", "rubric_points", "score"]

RIGHT = ("correct", "also defensible")
CONFIG_TEXT = '''\
# nbgrader configuration written by `nkteach student-build --nbgrader` (yours to edit: nkteach
# never overwrites it).
c = get_config()  # noqa: F821 (nbgrader provides get_config)
c.CourseDirectory.course_id = "{course_id}"
# Answer cells start with a comment, not `raise NotImplementedError()`: students run whole
# lessons, and an exception would stop every cell after the first unanswered exercise.
c.ClearSolutions.code_stub = {{"python": "# YOUR ANSWER HERE"}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Lessons load data and draw charts: give each cell time when autograding.
c.Execute.timeout = 180
'''


class NbgraderExportError(InvalidArgumentError):
    """A lesson cannot be exported (e.g. a course notebook exists and --force was not given)."""


def _var(ex_id: str) -> str:
    return "answer_" + re.sub(r"\W", "_", ex_id)


def rubric_points(rubric) -> int:
    """Points of a written task: one per criterion, or the "(N points)" a criterion states;
    dict criteria may give ``points``. At least 1."""
    total = 0
    for c in rubric or []:
        if isinstance(c, dict) and isinstance(c.get("points"), (int, float)):
            total += int(c["points"])
            continue
        m = re.search(r"\((\d+)\s*(?:points?|pts?)\)", str(c), re.IGNORECASE)
        total += int(m.group(1)) if m else 1
    return max(total, 1)


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points=None) -> dict:
    m = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
         "solution": solution, "task": False}
    if points is not None:
        m["points"] = points
    return m


def _literal(node):
    from .sealing import literal

    return literal(node, "an answer")


def _instructor_calls(nb: dict) -> dict:
    """ex_id (or 'classify#k') → (function name, source of the call, call node) in the lesson."""
    from .lessonitems import _calls, _ipython_safe, _source
    from .studentbuild import DROP_TAGS

    out, k = {}, 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code" or set((cell.get("metadata") or {}).get("tags") or []) & DROP_TAGS:
            continue
        src = _ipython_safe(_source(cell))
        for name, call in _calls(src):
            seg = ast.get_source_segment(src, call)
            if name == "classify":
                k += 1
                out[f"classify#{k}"] = (name, seg, call)
            elif call.args and isinstance(call.args[0], ast.Constant):
                out[call.args[0].value] = (name, seg, call)
    return out


def _kw(call: ast.Call, name: str):
    return next((k.value for k in call.keywords if k.arg == name), None)


def _answer_cells(name: str, seg: str, call: ast.Call, key: str, item_ids: list[str], level_labels):
    """(answer cell, test cell) for one exercise call of the instructor lesson."""
    import nbformat

    if name == "classify":
        from .exercises import LEVEL_CHOICES, _level_code, _statements

        rows = _statements()
        var, gid, points = f"answer_classify_{key.split('#')[1]}", key.replace("#", "-"), len(item_ids)
        model = {i: LEVEL_CHOICES[_level_code(rows[i]["level"])] for i in item_ids}
        levels = ", ".join(map(repr, level_labels))
        hint = (f"# Classify the statements above: for each statement id, one of {levels}.\n"
                f"# Write   {var} = {{{', '.join(f'{i!r}: ...' for i in item_ids)}}}")
        solution = f"{var} = {model!r}"
        what = f"classify group ({len(item_ids)} statements)"
    else:
        ex_id = key
        var, gid, points = _var(ex_id), ex_id, 1
        model = _literal(_kw(call, "answer"))
        solution = f"{var} = {model!r}"
        if name == "multiple_choice":
            opts = _literal(call.args[2]) if len(call.args) > 2 else _literal(_kw(call, "options"))
            hint = (f"# Exercise {ex_id}: copy the option you chose, one of:\n"
                    + "".join(f"#   {o!r}\n" for o in opts) + f"# Write   {var} = \"...\"")
        elif name == "numeric":
            hint = f"# Exercise {ex_id}: the number you found.\n# Write   {var} = ..."
        else:   # ordering
            items = _literal(call.args[2]) if len(call.args) > 2 else _literal(_kw(call, "items"))
            hint = (f"# Exercise {ex_id}: the items in order, earliest first, as a list:\n"
                    + "".join(f"#   {o!r}\n" for o in items) + f"# Write   {var} = [...]")
        what = f"exercise {ex_id}"
    answer = nbformat.v4.new_code_cell(f"{hint}\n### BEGIN SOLUTION\n{solution}\n### END SOLUTION")
    answer.metadata["nbgrader"] = _meta(f"{gid}-answer", grade=False, solution=True, locked=False)
    make = "\n".join("    " + ln for ln in seg.split("\n"))
    test = nbformat.v4.new_code_cell(
        f"# Autograded: your answer to {what} ({points} point{'s' if points != 1 else ''}).\n"
        "### BEGIN HIDDEN TESTS\nfrom nkteach.nbgrader_export import score as _score\n"
        f"_score(lambda: (\n{make}\n), globals().get({var!r}))\n### END HIDDEN TESTS")
    test.metadata["nbgrader"] = _meta(f"{gid}-test", grade=True, solution=False, locked=True, points=points)
    return answer, test


def score(make, answer) -> float:
    """Points for ``answer``: ``make()`` builds the instructor's exercise; 1 per item right or
    also defensible (a dict {statement id: level} for a classify group). Unusable answers
    (missing, not an option) earn 0 rather than an error, so other items still count."""
    with warnings.catch_warnings():   # nbgrader gives 0 points to a cell that writes to stderr
        warnings.simplefilter("ignore")
        exercise = make()
        parts = list(getattr(exercise, "parts", None) or [])
        if not parts:
            return float(_right(exercise, answer))
        answers = answer if isinstance(answer, dict) else {}
        got = 0
        for p in parts:
            item = p.ex_id.split(":", 1)[-1]
            got += _right(p, answers.get(item, answers.get(p.ex_id)))
        return float(got)


def _right(exercise, answer) -> bool:
    if answer is None:
        return False
    try:
        return exercise.check(answer).status in RIGHT
    except (ValueError, TypeError, KeyError):
        return False


def _student_notebook(nb: dict, name: str) -> dict:
    from .studentbuild import student_notebook

    # Grading needs the answer kept hidden after wrong attempts: switch reveal off where the
    # student build offers the switch (issue 11, item 1's --no-reveal).
    if "reveal" in inspect.signature(student_notebook).parameters:
        return student_notebook(nb, name, reveal=False)
    return student_notebook(nb, name)


def _course_notebook(nb: dict, name: str) -> dict:
    from .exercises import LEVEL_CHOICES, WRITTEN_TAG
    from .lessonitems import _calls, _classify_ids, _ipython_safe, _source, lesson_items
    from .studentbuild import DROP_TAGS

    items = lesson_items(nb, name)
    calls = _instructor_calls(nb)
    student = _student_notebook(nb, name)
    kept = [c for c in nb["cells"] if not (set((c.get("metadata") or {}).get("tags") or []) & DROP_TAGS)]
    if len(kept) != len(student["cells"]):
        raise NbgraderExportError(f"{name}: the student copy does not keep the lesson's cells in order")
    written = {}   # instructor written() calls: ex_id → (rubric, model answer)
    for name_, _seg, call in calls.values():
        if name_ == "written":
            rub, model = _kw(call, "rubric"), _kw(call, "model_answer")
            written[call.args[0].value] = (ast.literal_eval(rub) if rub is not None else [],
                                           ast.literal_eval(model) if model is not None else "")
    out_cells, k, last_written = [], 0, None
    for src_cell, cell in zip(kept, student["cells"]):
        meta_nk = ((src_cell.get("metadata") or {}).get("nkteach") or {})
        wid = meta_nk.get("written") if isinstance(meta_nk, dict) else None
        tags = set((src_cell.get("metadata") or {}).get("tags") or [])
        if cell.get("cell_type") == "markdown" and (wid or (WRITTEN_TAG in tags and last_written)):
            wid = wid or last_written
            rubric, model = written.get(wid, ([], ""))
            cell = copy.deepcopy(cell)
            cell["metadata"]["nkteach"] = {"written": wid}
            cell["metadata"].setdefault("tags", [])
            if WRITTEN_TAG not in cell["metadata"]["tags"]:
                cell["metadata"]["tags"].append(WRITTEN_TAG)
            cell["metadata"]["nbgrader"] = _meta(f"{wid}-written", grade=True, solution=True,
                                                 locked=False, points=rubric_points(rubric))
            crit = "\n".join(f"- {c if not isinstance(c, dict) else json.dumps(c, ensure_ascii=False)}"
                             for c in rubric)
            cell["source"] = (f"**Model answer (instructor only):** {model}\n\n**Rubric:**\n{crit}"
                              if model or rubric else "YOUR ANSWER HERE")
            last_written = None
            out_cells.append(cell)
            continue
        out_cells.append(cell)
        if cell.get("cell_type") != "code":
            last_written = None
            continue
        last_written = None
        for name_, call in _calls(_ipython_safe(_source(src_cell))):
            if name_ == "written":
                last_written = ast.literal_eval(call.args[0]) if call.args else None
                continue
            if name_ == "classify":
                k += 1
                key = f"classify#{k}"
                ids = _classify_ids(call)
            else:
                key = ast.literal_eval(call.args[0]) if call.args else None
                ids = [key]
            if key not in calls:
                continue
            n, seg, icall = calls[key]
            out_cells += _answer_cells(n, seg, icall, key, ids, list(LEVEL_CHOICES.values()))
    student["cells"] = out_cells
    if not items.items:
        raise NbgraderExportError(f"{name} is not an nkteach lesson: no exercises or written tasks")
    return student


def export_course(course_dir, paths, *, force: bool = False, course_id: str = "nkteach") -> list[Path]:
    """Write ``source/<lesson>/<lesson>.ipynb`` for each lesson in ``paths`` (and other files of
    the lessons' folders, e.g. images) plus ``nbgrader_config.py`` when absent. A lesson's
    notebook that already exists is replaced only with ``force``; nothing else is touched."""
    import nbformat

    course = Path(course_dir)
    if course.exists() and not course.is_dir():
        raise NbgraderExportError(f"course folder {course} is a file")
    paths = [Path(p) for p in paths]
    targets = [course / "source" / p.stem / p.name for p in paths]
    clash = [t for t in targets if t.exists()]
    if clash and not force:
        raise NbgraderExportError(f"{clash[0]} exists; use --force to replace the course's lesson notebooks")
    books = []
    for p in paths:
        nb = json.loads(p.read_text(encoding="utf-8"))
        books.append(nbformat.from_dict(_course_notebook(nb, p.name)))
    written = []
    for p, target, book in zip(paths, targets, books):
        nbformat.validate(book)
        target.parent.mkdir(parents=True, exist_ok=True)
        for extra in p.parent.iterdir():
            if extra.is_file() and extra.suffix != ".ipynb" and not extra.name.startswith("."):
                shutil.copy2(extra, target.parent / extra.name)
        nbformat.write(book, target)
        written.append(target)
    cfg = course / "nbgrader_config.py"
    if not cfg.exists():
        cfg.write_text(CONFIG_TEXT.format(course_id=course_id), encoding="utf-8")
        written.append(cfg)
    return written
