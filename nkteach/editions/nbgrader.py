"""The nbgrader edition (``nkteach student-build --nbgrader COURSE_DIR``).

nbgrader is the grading tool of JupyterHub classes (an optional extra: ``pip install
nkteach[grading]``). For each lesson this writes ``COURSE_DIR/source/<lesson>/<lesson>.ipynb``
through the ``nbgrader`` recipe of :mod:`nkteach.editions.transforms`: no solution or instructor
cells, outputs and metadata cleared, and **no exercise calls**: in the release there is no seal,
no check button and no answer, only the question, as text.

- each written task's answer cell becomes a **manually graded answer** cell (points = the
  rubric's criteria, one each unless a criterion says "(N points)"); in the source it holds the
  model answer and rubric, which ``nbgrader generate_assignment`` replaces with
  "YOUR ANSWER HERE";
- each multiple-choice, numeric and ordering exercise gets an **autograded answer** cell where
  the student writes the answer (``answer_<id> = ...``) and a locked **autograder test** cell
  whose ``### BEGIN HIDDEN TESTS`` region holds the expected values themselves and compares
  the answer with them in plain Python syntax: it imports nothing and calls no function by name
  (types are taken from literals, e.g. ``"".__class__``), so a student who replaces an nkteach
  function, a builtin or a global name gains nothing. The cell's value is the points earned;
- classify groups are **practice without points** by default (their answers ship in the
  package's ``statements`` data, which every student has); ``graded_classify=True``
  (``--nbgrader-classify``) grades them like the others, one point per statement.

What the hidden test cannot stop: it runs in the student's kernel, after the student's code.
A student who hooks IPython itself (input transformers, the display hook, a custom exception
handler) can change what any later cell does or shows; nbgrader's own tests share that limit.
Read the submissions the autograder gives full marks with no work shown.

Files beside the lessons travel by the one asset rule (:mod:`nkteach.editions.assets`):
referenced images and course pages for students; never the instructor guide.
``COURSE_DIR/nbgrader_config.py`` is written when absent and never overwritten.
"""
from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path
from typing import NamedTuple

from ..exercises import LEVEL_CHOICES, WRITTEN_TAG
from ..lessonitems import lesson_items
from ..notebooks import cell_source, cell_tags, read_notebook
from ..sealing import exercise_calls, func_name, literal
from .assets import edition_assets
from .transforms import Context, EditionError, apply, transform

__all__ = ["CONFIG_TEXT", "TOLERANCE_DEFAULT", "NbgraderExportError", "course_notebook", "export_course",
           "hidden_test", "nbgrader_cells", "rubric_points"]

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
TOLERANCE_DEFAULT = 0.05      # nkteach.exercises.numeric's default tolerance
_SLACK = 1e-9                 # floating-point slack on a numeric tolerance


class NbgraderExportError(EditionError):
    """A lesson cannot be exported (e.g. a course notebook exists and force was not given)."""


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


def _norm(text: str) -> str:
    """The form the hidden test compares (the test computes the same with str methods)."""
    return " ".join(str(text).split()).lower()


# ---------------------------------------------------------------- hidden tests

_PRELUDE = ('_nk_T = "".__class__.__class__\n_nk_S = "".__class__\n_nk_points = 0\n')


def hidden_test(kind: str, var: str, expected) -> str:
    """The body of a hidden test: plain syntax comparing global ``var`` with ``expected``.

    ``kind``: "choice" (``expected``: accepted texts), "numeric" (list of (value, tolerance)),
    "ordering" (the items in order) or "classify" (statement id → accepted texts). The code uses
    no name it did not bind itself except ``var``; its last line is the points earned."""
    code = _PRELUDE + f"_nk_a = {var}\n"
    if kind == "choice":
        want = tuple(sorted({_norm(x) for x in expected}))
        code += (f"if _nk_T(_nk_a) is _nk_S and ' '.join(_nk_a.split()).lower() in {want!r}:\n"
                 "    _nk_points = 1\n")
    elif kind == "numeric":
        code += ("if _nk_T(_nk_a) is (0).__class__ or _nk_T(_nk_a) is (0.0).__class__:\n")
        for value, tol in expected:
            reach = float(tol) + _SLACK
            code += (f"    if {-reach!r} <= _nk_a - {float(value)!r} <= {reach!r}:\n"
                     "        _nk_points = 1\n")
    elif kind == "ordering":
        want = [_norm(x) for x in expected]
        code += ("_nk_seq = _nk_T(_nk_a) is [].__class__ or _nk_T(_nk_a) is ().__class__\n"
                 "_nk_got = []\n"
                 "if _nk_seq:\n"
                 "    for _nk_x in _nk_a:\n"
                 "        if _nk_T(_nk_x) is not _nk_S:\n"
                 "            _nk_seq = False\n"
                 "            break\n"
                 "        _nk_got.append(' '.join(_nk_x.split()).lower())\n"
                 f"if _nk_seq and _nk_got == {want!r}:\n"
                 "    _nk_points = 1\n")
    elif kind == "classify":
        pairs = tuple((str(k), tuple(sorted({_norm(x) for x in v}))) for k, v in expected.items())
        code += ("if _nk_T(_nk_a) is {}.__class__:\n"
                 f"    for _nk_k, _nk_ok in {pairs!r}:\n"
                 "        _nk_v = {}.__class__.get(_nk_a, _nk_k)\n"
                 "        if _nk_T(_nk_v) is _nk_S and ' '.join(_nk_v.split()).lower() in _nk_ok:\n"
                 "            _nk_points = _nk_points + 1\n")
    else:
        raise NbgraderExportError(f"no hidden test for exercise kind {kind!r}")
    return code + "_nk_points"


# ---------------------------------------------------------------- one exercise call

def _kw(call: ast.Call, name: str, pos: int | None = None):
    if pos is not None and len(call.args) > pos:
        return call.args[pos]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _value(call: ast.Call, name: str, pos: int | None, where: str, default=None):
    node = _kw(call, name, pos)
    if node is None:
        return default
    try:
        return literal(node, f"{name}= of {where}")
    except ValueError as e:
        raise NbgraderExportError(str(e)) from None


def _aslist(x) -> list:
    return [] if x is None else list(x) if isinstance(x, (list, tuple)) else [x]


def _level_texts(code) -> set[str]:
    """Texts a student may write for level ``code`` (the label and the key, e.g. "Elite", "elite")."""
    out = set()
    for part in re.split(r"[;,|]", str(code or "")):
        key = part.strip().lower()
        if key in LEVEL_CHOICES:
            out |= {key, LEVEL_CHOICES[key]}
    return out


def _statements() -> dict:
    from ..data import load

    return {str(r["item_id"]): r for r in load("statements", as_frame=False)}


def _md(text: str) -> dict:
    import nbformat

    return nbformat.v4.new_markdown_cell(text)


def _bullets(values) -> str:
    return "".join(f"- {v}\n" for v in values)


class _Graded(NamedTuple):
    """What the answer and hidden-test cells of one graded item are made from."""

    question: dict      # the Markdown cell with the question
    hint: str           # the comment above the answer variable
    var: str            # the answer variable
    gid: str            # the nbgrader grade id stem
    model: object       # the model answer (inside the solution block)
    kind: str           # the hidden test's kind
    expected: object    # what the hidden test accepts
    points: int
    what: str           # the item, as the test cell's comment names it


def _written_cells(call: ast.Call, ex_id, where: str) -> list[dict]:
    """The Markdown cell that states a written task."""
    prompt = _value(call, "prompt", 1, where, "")
    words = _value(call, "min_words", None, where, 80)
    return [_md(f"**Written task {ex_id}.** {prompt}\n\n*At least {words} words, in the answer cell "
                "below.*")]


def _classify_item(ids: list[str], k: int, ctx: Context) -> _Graded | list[dict]:
    """A classify group: graded, or (when its answers ship with nkteach) a practice cell."""
    import nbformat

    rows = _statements()
    labels = ", ".join(f'"{v}"' for v in LEVEL_CHOICES.values())
    var, gid = f"answer_classify_{k}", f"classify-{k}"
    text = "".join(f"- **{i}**: {rows.get(i, {}).get('statement', '')}\n" for i in ids)
    question = _md(f"**Classify each statement** by level ({labels}):\n\n{text}")
    model = {i: LEVEL_CHOICES.get(str(rows.get(i, {}).get("level")), "") for i in ids}
    hint = (f"# For each statement id, one of {labels}:\n"
            f"# {var} = {{{', '.join(f'{i!r}: ...' for i in ids)}}}")
    if not ctx.graded_classify:
        practice = nbformat.v4.new_code_cell(
            "# Practice, no points: the answers of classify items ship with nkteach.\n" + hint)
        return [question, practice]
    expected = {i: _level_texts(rows.get(i, {}).get("level")) | _level_texts(rows.get(i, {})
                                                                               .get("also_defensible"))
                for i in ids}
    return _Graded(question, hint, var, gid, model, "classify", expected, len(ids),
                   f"classify group ({len(ids)} statements)")


def _single_item(name: str, call: ast.Call, ex_id, where: str, ctx: Context) -> _Graded:
    """A multiple-choice, numeric or ordering exercise."""
    question_text = _value(call, "question", 1, where, "")
    answer = _value(call, "answer", None, where)
    if answer is None:
        raise NbgraderExportError(f"{ctx.name}: {where} has no answer= to grade with")
    var = _var(ex_id)
    if name == "multiple_choice":
        opts = _aslist(_value(call, "options", 2, where))
        question = _md(f"**Exercise {ex_id}.** {question_text}\n\n{_bullets(opts)}")
        hint = f'# Copy the option you chose:\n# {var} = "..."'
        kind, expected = "choice", [answer, *_aslist(_value(call, "also", None, where))]
    elif name == "numeric":
        unit = _value(call, "unit", None, where, "")
        tol = _value(call, "tolerance", None, where, TOLERANCE_DEFAULT)
        question = _md(f"**Exercise {ex_id}.** {question_text}" + (f" (in {unit})" if unit else ""))
        hint = f"# The number you found (a number, not text):\n# {var} = ..."
        kind = "numeric"
        expected = [(v, tol) for v in [answer, *_aslist(_value(call, "also", None, where))]]
    elif name == "ordering":
        items = _aslist(_value(call, "items", 2, where))
        question = _md(f"**Exercise {ex_id}.** {question_text}\n\n{_bullets(items)}")
        hint = f"# The items in order, as a list of texts:\n# {var} = [...]"
        kind, expected = "ordering", answer
    else:
        raise NbgraderExportError(f"{ctx.name}: no nbgrader cells for exercise kind {name!r}")
    return _Graded(question, hint, var, ex_id, answer, kind, expected, 1, f"exercise {ex_id}")


def _graded_cells(g: _Graded) -> list[dict]:
    """The question, the answer cell (with its solution block) and the hidden-test cell."""
    import nbformat

    answer_cell = nbformat.v4.new_code_cell(
        f"{g.hint}\n{g.var} = None\n### BEGIN SOLUTION\n{g.var} = {g.model!r}\n### END SOLUTION")
    answer_cell.metadata["nbgrader"] = _meta(f"{g.gid}-answer", grade=False, solution=True, locked=False)
    test = nbformat.v4.new_code_cell(
        f"# Autograded: your answer to {g.what} ({g.points} point{'s' if g.points != 1 else ''}).\n"
        f"### BEGIN HIDDEN TESTS\n{hidden_test(g.kind, g.var, g.expected)}\n### END HIDDEN TESTS")
    test.metadata["nbgrader"] = _meta(f"{g.gid}-test", grade=True, solution=False, locked=True,
                                      points=g.points)
    return [g.question, answer_cell, test]


def _exercise_cells(name: str, call: ast.Call, ids: list[str], k: int, ctx: Context) -> list[dict]:
    """The question (Markdown) and the nbgrader cells that replace one exercise call."""
    ex_id = _value(call, "ex_id", 0, name)
    where = f"{name}({ex_id!r})" if ex_id else name
    if name == "written":
        return _written_cells(call, ex_id, where)
    item = _classify_item(ids, k, ctx) if name == "classify" else _single_item(name, call, ex_id, where, ctx)
    return item if isinstance(item, list) else _graded_cells(item)

def _without_calls(src: str, calls: list[ast.Call], where: str) -> str:
    """``src`` less the top-level statements that are the exercise ``calls``."""
    tree = ast.parse(re.sub(r"(?m)^(\s*)[%!]", r"\1#", src))
    lines = src.split("\n")
    drop: set[int] = set()
    found = set()
    for stmt in tree.body:
        value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign)) else None
        if isinstance(value, ast.Call) and func_name(value):
            drop.update(range(stmt.lineno - 1, stmt.end_lineno))
            found.add((value.lineno, value.col_offset))
    nested = [c for c in calls if (c.lineno, c.col_offset) not in found]
    if nested:
        raise NbgraderExportError(f"{where}: the exercise call at line {nested[0].lineno} is inside other "
                                  "code; give each exercise call its own statement")
    return "\n".join(ln for i, ln in enumerate(lines) if i not in drop).strip("\n")


def _written_cell(cell: dict, wid: str, rubric, model) -> dict:
    cell["metadata"]["nkteach"] = {"written": wid}
    tags = cell["metadata"].setdefault("tags", [])
    if WRITTEN_TAG not in tags:
        tags.append(WRITTEN_TAG)
    cell["metadata"]["nbgrader"] = _meta(f"{wid}-written", grade=True, solution=True, locked=False,
                                         points=rubric_points(rubric))
    crit = "\n".join(f"- {c if not isinstance(c, dict) else json.dumps(c, ensure_ascii=False)}"
                     for c in rubric)
    cell["source"] = (f"**Model answer (instructor only):** {model}\n\n**Rubric:**\n{crit}"
                      if model or rubric else "YOUR ANSWER HERE")
    return cell


@transform("nbgrader_cells")
def nbgrader_cells(nb: dict, ctx: Context) -> dict:
    """Replace exercise calls by questions and nbgrader answer/test cells; make written answer
    cells manually graded (see the module docstring)."""
    import nbformat

    items = lesson_items(nb, ctx.name)
    if not items.items:
        raise NbgraderExportError(f"{ctx.name} is not an nkteach lesson: no exercises or written tasks")
    groups: dict[int, list] = {}
    for it in items.items:
        if it.kind == "classify":
            groups.setdefault(it.cell, []).append(it)
    out, k, last_written = [], 0, None
    written: dict[str, tuple] = {}
    for ci, cell in enumerate(nb["cells"]):
        tags = cell_tags(cell)
        if cell.get("cell_type") == "markdown":
            wid = ((cell.get("metadata") or {}).get("nkteach") or {}).get("written")
            wid = wid if isinstance(wid, str) else (last_written if WRITTEN_TAG in tags else None)
            last_written = None
            if wid:
                rubric, model = written.get(wid, ([], ""))
                out.append(_written_cell(cell, wid, rubric, model))
            else:
                out.append(cell)
            continue
        if cell.get("cell_type") != "code":
            out.append(cell)
            continue
        src = cell_source(cell)
        try:
            calls = sorted(exercise_calls(src), key=lambda c: (c.lineno, c.col_offset))
        except SyntaxError:
            calls = []
        calls = [c for c in calls if isinstance(c.func, ast.Attribute) or func_name(c) != "written"]
        if not calls:
            last_written = None
            out.append(cell)
            continue
        rest = _without_calls(src, calls, f"{ctx.name}, cell {ci}")
        if rest.strip():
            out.append(nbformat.v4.new_code_cell(rest))
        group_items = groups.get(ci, [])
        last_written = None
        for call in calls:
            name = func_name(call)
            ids = []
            if name == "classify":
                k += 1
                seg = ast.get_source_segment(re.sub(r"(?m)^(\s*)[%!]", r"\1#", src), call)
                ids = [it.ex_id.split(":", 1)[1] for it in group_items if it.group == seg]
            if name == "written":
                wid = _value(call, "ex_id", 0, name)
                rubric = _aslist(_value(call, "rubric", None, f"written({wid!r})", []))
                written[wid] = (rubric, _value(call, "model_answer", None, f"written({wid!r})", ""))
                last_written = wid
            out += _exercise_cells(name, call, ids, k, ctx)
    nb["cells"] = out
    return nb


def course_notebook(nb: dict, name: str, *, graded_classify: bool = False) -> dict:
    """The nbgrader source notebook of instructor lesson JSON ``nb``."""
    ctx = Context(name=name, edition="nbgrader", reveal="never", graded_classify=graded_classify)
    return apply("nbgrader", nb, ctx)


def export_course(course_dir, paths, *, force: bool = False, course_id: str = "nkteach",
                  graded_classify: bool = False) -> list[Path]:
    """Write ``source/<lesson>/<lesson>.ipynb`` for each lesson in ``paths`` (and the files the
    one asset rule lets travel to students: referenced images, student course pages) plus
    ``nbgrader_config.py`` when absent. A lesson's notebook that already exists is replaced
    only with ``force``; nothing else is touched. ``graded_classify``: give classify groups
    points (their answers ship with nkteach; default: practice without points)."""
    import nbformat

    course = Path(course_dir)
    if course.exists() and not course.is_dir():
        raise NbgraderExportError(f"course folder {course} is a file")
    paths = [Path(p) for p in paths]
    targets = [course / "source" / p.stem / p.name for p in paths]
    clash = [t for t in targets if t.exists()]
    if clash and not force:
        raise NbgraderExportError(f"{clash[0]} exists; replacing the course's lesson notebooks needs "
                                  "force", needs="force")
    sources = {p: read_notebook(p) for p in paths}
    books = [nbformat.from_dict(course_notebook(sources[p], p.name, graded_classify=graded_classify))
             for p in paths]
    written = []
    for p, target, book in zip(paths, targets, books):
        nbformat.validate(book)
        target.parent.mkdir(parents=True, exist_ok=True)
        for src, rel in edition_assets([p], {p: sources[p]}, audience="student").wanted.items():
            dest = target.parent / rel
            if dest.is_symlink():
                raise NbgraderExportError(f"refusing to write through the symbolic link {dest}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
        nbformat.write(book, target)
        written.append(target)
    cfg = course / "nbgrader_config.py"
    if not cfg.exists():
        cfg.write_text(CONFIG_TEXT.format(course_id=course_id), encoding="utf-8")
        written.append(cfg)
    return written
