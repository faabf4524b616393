"""Structure checks for lesson notebooks (the house style in docs/architecture.md).

``check_notebook(path)`` returns a :class:`Report` listing every :class:`Problem`;
``lesson_info(path)`` reads a lesson's number, title, time and objectives. Both work on the
raw JSON (no kernel, no pandas), so ``nkteach check`` and tests/test_lessons.py
can call them cheaply. Rules are named (``RULES``) so a report says which one failed.

The "explorer" rule and the time rule need the explorer names, which live in the widgets
registry (a higher layer): the registry gives them to :mod:`nkteach.lessonfile.explorers` when
``nkteach.widgets`` is imported (or call :func:`set_explorer_names`); until then any call named
``*_explorer(`` counts. The house rules of :mod:`nkteach.lessonfile.house` (time, rubrics,
closing cell, model answers) run here too, under the names ``nkteach audit`` reports them.
"""
from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .explorers import explorer_names, explorer_pattern, register_explorers
from .house import HOUSE_RULES
from .kinds import KINDS
from .reader import NotebookError, cell_source as _source, cell_tags as _tags, lesson_files, read_notebook  # noqa: F401
from .source import SourceError, exercise_calls as cell_calls, notebook_calls as exercise_calls, secret_values
from .style import CHECK_OUTPUT_MARKER, LESSON_GLOB, SOLUTION_TAGS, WRITTEN_TAG  # noqa: F401

# The house-style constants (LESSON_GLOB, SOLUTION_TAGS, CHECK_OUTPUT_MARKER), lesson_files,
# NotebookError and HOUSE_RULES are importable from here too (old ``nkteach.lessoncheck`` imports);
# they are defined in .style, .reader and .house.
__all__ = ["RULES", "Problem", "Report", "check_notebook", "check_paths", "lesson_info",
           "MAX_CODE_LINES", "MIN_EXERCISES", "MIN_WRITTEN", "RUBRIC_CRITERIA", "REQUIRE_WRITTEN",
           "set_explorer_names", "explorer_call_pattern", "FILENAME"]

MAX_CODE_LINES = 10
MIN_EXERCISES = 4
MIN_WRITTEN = 2
RUBRIC_CRITERIA = (3, 4)
# Every lesson needs MIN_WRITTEN written tasks (each with 3–4 rubric criteria and its answer
# cell). A switch, so a course in the making can check the rest of the house style first.
REQUIRE_WRITTEN = True
FILENAME = re.compile(r"^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")

RULES = {
    "filename": "file is named NN-slug.ipynb (lowercase slug, hyphens)",
    "metadata": 'notebook metadata "nkteach" has lesson, title, time_minutes and objectives',
    "first-cell": "first cell: '# Lesson N — Title', What you will learn, Learning objectives, "
                  "Estimated time, Prerequisites",
    "setup": "a code cell imports nkteach",
    "exercises": f"at least {MIN_EXERCISES} exercises (ex.multiple_choice/classify/numeric/ordering)",
    "sealable": "every exercise call can be sealed for the student build (literal answers)",
    "explorer": "at least one explorer (a name from widgets.explorers() or an alias, e.g. "
                "widgets.arms_imports_explorer())",
    "chart-or-map": "at least one chart or map shown with nkteach.show(...)",
    "chart-summary": "every chart/map built in a cell is displayed with show(...) (its text summary "
                     "follows) or inside an explorer",
    "headings": "## Source criticism (or a source-criticism tag), ## Summary, ## What next, "
                "## References",
    "references": "the ## References heading is followed by a code cell calling nkteach.references(",
    "outputs": f"outputs cleared and execution counts empty, except '{CHECK_OUTPUT_MARKER}' cells, "
               "which keep their output",
    "cell-length": f"every code cell has at most {MAX_CODE_LINES} lines",
    "duplicate-id": "every exercise and written task has its own id (copied cells keep the old one)",
    "written": f"at least {MIN_WRITTEN} written tasks (ex.written) with a rubric of "
               f"{RUBRIC_CRITERIA[0]}-{RUBRIC_CRITERIA[1]} criteria, each followed by its answer cell "
               f"(Markdown, tagged {WRITTEN_TAG!r}, metadata nkteach.written = the task's id)",
    # the house rules of nkteach.lessonfile.house (nkteach audit reports them under these names)
    "time": "metadata time_class_minutes/time_homework_minutes and the first cell's '**Estimated "
            "time:** NN minutes in class + NN minutes of homework' line state what the time rule "
            "computes (nkteach audit --write-times writes them)",
    "rubrics": "every rubric criterion is one string 'Name — strong: … / weak: …'",
    "closing-cell": "the lesson ends with '## Your progress', a code cell 'ex.progress()', then "
                    "'## References'",
    "model-answers": "every model answer is at least its task's min_words long",
}
assert set(HOUSE_RULES) <= set(RULES)


def _exercise_pattern() -> re.Pattern:
    """Calls of the auto-checked kinds (read from the registry at each check)."""
    names = "|".join(n for n, k in KINDS.items() if k.checked)
    return re.compile(r"\b(?:ex|exercises|nkteach\.exercises)\s*\.\s*(" + names + r")\s*\(")


def set_explorer_names(names: Iterable[str], drawing: Iterable[str] | None = None) -> None:
    """The explorer names (and aliases) the "explorer" rule accepts and, of them, those that draw
    (default: all). The widgets registry gives them when imported; this is for other callers."""
    names = set(names)
    register_explorers(names, names if drawing is None else drawing)


def explorer_call_pattern() -> re.Pattern:
    """The regex of an explorer call the "explorer" rule looks for (the registered names, else
    ``<name>_explorer(``)."""
    return explorer_pattern(explorer_names())

# charts.X(...) / maps.X(...) build a figure or map; helpers that only read one or return a
# table (summary, *_summary, *_shares, source_of) do not.
_NOT_BUILDERS = r"(?!(?:summary|source_of|\w*_summary|\w*_shares)\s*\()"
_BUILD = re.compile(r"\b(charts|maps)\s*\.\s*" + _NOT_BUILDERS + r"(\w+)\s*\(")
_ASSIGN_BUILD = re.compile(r"^\s*(\w+)\s*=\s*(?:nkteach\s*\.\s*)?(?:charts|maps)\s*\.\s*"
                           + _NOT_BUILDERS + r"\w+\s*\(", re.M)
_SHOW = re.compile(r"\bshow\s*\(")
_HEADINGS = {"source criticism": "## Source criticism", "summary": "## Summary",
             "what next": "## What next", "references": "## References"}


@dataclass
class Problem:
    """One house-style problem: the rule broken, a message and the cell (None: the whole notebook)."""
    rule: str
    message: str
    cell: int | None = None     # 0-based index in the notebook, None for the whole notebook

    def __str__(self) -> str:
        where = f"cell {self.cell}: " if self.cell is not None else ""
        return f"[{self.rule}] {where}{self.message}"


@dataclass
class Report:
    """The result of checking one lesson: its problems and the counts the checker made."""
    path: Path
    title: str = ""
    problems: list[Problem] = field(default_factory=list)
    exercises: int = 0
    code_cells: int = 0

    @property
    def ok(self) -> bool:
        """True when no rule found a problem."""
        return not self.problems

    def add(self, rule: str, message: str, cell: int | None = None) -> None:
        """Record a problem of ``rule`` (in ``cell``, or the whole notebook when None)."""
        self.problems.append(Problem(rule, message, cell))

    def format(self) -> str:
        """The report as text: PASS/FAIL, the counts, then one line per problem."""
        head = f"{'PASS' if self.ok else 'FAIL'}  {self.path.name}"
        if self.title:
            head += f" — {self.title}"
        lines = [head, f"      {self.code_cells} code cells, {self.exercises} exercises"]
        lines += [f"      {p}" for p in self.problems]
        return "\n".join(lines)


def _read(nb_or_path) -> tuple[dict, Path]:
    if isinstance(nb_or_path, (str, Path)):
        return read_notebook(nb_or_path), Path(nb_or_path)
    return dict(nb_or_path), Path(nb_or_path.get("metadata", {}).get("nkteach", {}).get("path", "<notebook>"))


def _first_cell_fields(text: str) -> dict:
    """Parse the first markdown cell: title, objectives (bullets), minutes."""
    title = re.search(r"^#\s+(.+?)\s*$", text, re.M)
    minutes = re.search(r"\*\*Estimated time:\*\*\s*(?:about\s*)?(\d+)", text, re.I)
    obj: list[str] = []
    m = re.search(r"^##\s+Learning objectives\s*$(.*?)(?=^#|^\*\*|\Z)", text, re.M | re.S | re.I)
    if m:
        obj = [b.strip() for b in re.findall(r"^\s*[-*]\s+(.+)$", m.group(1), re.M)]
    return {"heading": title.group(1) if title else "", "objectives": obj,
            "time_minutes": int(minutes.group(1)) if minutes else None}


def lesson_info(nb_or_path) -> dict:
    """number, title, time_minutes, objectives, path — from metadata, else from the first cell."""
    return _lesson_info(*_read(nb_or_path))


def _lesson_info(nb: dict, path: Path) -> dict:
    meta = nb.get("metadata", {}).get("nkteach", {}) or {}
    cells = nb.get("cells", [])
    first = _first_cell_fields(_source(cells[0])) if cells and cells[0].get("cell_type") == "markdown" else {}
    num = meta.get("lesson")
    heading = first.get("heading", "")
    if num is None:
        m = FILENAME.match(path.name) or re.match(r"Lesson\s+(\d+)", heading)
        num = int(m.group(1)) if m else None
    title = meta.get("title") or re.sub(r"^Lesson\s+\d+\s*[—–:-]\s*", "", heading)
    return {"number": num, "title": title,
            "time_minutes": meta.get("time_minutes") or first.get("time_minutes"),
            "objectives": list(meta.get("objectives") or first.get("objectives") or []),
            "path": path}


_WARNED_NO_EXPLORERS = False


def _warn_if_no_explorer_names() -> None:
    global _WARNED_NO_EXPLORERS
    if explorer_names() is None and not _WARNED_NO_EXPLORERS:
        _WARNED_NO_EXPLORERS = True
        warnings.warn("no explorer names registered (import nkteach.widgets before checking): the "
                      "explorer and time rules recognise explorers by the '<name>_explorer(' "
                      "convention only, which misses aliases such as forecast_evaluator", stacklevel=3)


def check_notebook(nb_or_path) -> Report:
    """Check one lesson against every rule in ``RULES``; never raises for style problems.
    Explorer names come from :mod:`nkteach.lessonfile.explorers` (filled when ``nkteach.widgets``
    is imported; without them a warning says the naming convention is used instead)."""
    _warn_if_no_explorer_names()
    nb, path = _read(nb_or_path)
    rep = Report(path)
    cells = nb.get("cells", [])
    info = _lesson_info(nb, path)
    rep.title = info["title"] or ""

    fm = FILENAME.match(path.name)
    if isinstance(nb_or_path, (str, Path)) and not fm:
        rep.add("filename", f"{path.name!r} does not match NN-slug.ipynb (e.g. 03-elite-level.ipynb)")

    meta = nb.get("metadata", {}).get("nkteach")
    if not isinstance(meta, dict):
        rep.add("metadata", 'notebook metadata has no "nkteach" block')
    else:
        missing = [k for k in ("lesson", "title", "time_minutes", "objectives") if not meta.get(k)]
        if missing:
            rep.add("metadata", f'"nkteach" metadata lacks {", ".join(missing)}')
        if fm and meta.get("lesson") not in (None, int(fm.group(1))):
            rep.add("metadata", f"metadata lesson={meta.get('lesson')!r} but the file name says "
                    f"{int(fm.group(1))}")
        tm = meta.get("time_minutes")
        if tm is not None and (not isinstance(tm, int) or isinstance(tm, bool) or tm <= 0):
            rep.add("metadata", f"time_minutes must be a positive whole number, got {tm!r}")

    _check_first_cell(rep, cells)
    _check_code(rep, cells)
    _check_ids_and_written(rep, nb)
    _check_headings(rep, cells)
    for rule, fn in HOUSE_RULES.items():
        for p in fn(nb):
            rep.add(rule, p)
    return rep


def _check_ids_and_written(rep: Report, nb: dict) -> None:
    cells = nb.get("cells", [])
    seen: dict[str, int] = {}
    written = 0
    for i, name, ex_id, call in exercise_calls(nb):
        if _tags(cells[i]) & SOLUTION_TAGS or KINDS[name].per_statement:
            continue
        if isinstance(ex_id, str):
            if ex_id in seen:
                rep.add("duplicate-id", f"exercise id {ex_id!r} is used again (first in cell "
                        f"{seen[ex_id]}); give each exercise its own id", i)
            seen.setdefault(ex_id, i)
        if KINDS[name].checked:
            continue
        written += 1
        rubric = next((k.value for k in call.keywords if k.arg == "rubric"), None)
        try:
            crit = ast.literal_eval(rubric) if rubric is not None else []
        except ValueError:
            crit = None
        lo, hi = RUBRIC_CRITERIA
        if not isinstance(crit, (list, tuple)) or not lo <= len(crit) <= hi \
                or not all(isinstance(c, str) and c.strip() for c in crit):
            got = "no rubric" if rubric is None else f"{len(crit)} criteria" \
                if isinstance(crit, (list, tuple)) else "a rubric that is not a literal list"
            rep.add("written", f"written task {ex_id!r} needs rubric=[...] with {lo}-{hi} criteria "
                    f"(text), has {got}", i)
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        meta = ((nxt or {}).get("metadata", {}).get("nkteach") or {}) if nxt else {}
        if nxt is None or nxt.get("cell_type") != "markdown" or WRITTEN_TAG not in _tags(nxt) \
                or meta.get("written") != ex_id:
            rep.add("written", f"written task {ex_id!r} must be followed by its answer cell: a "
                    f"Markdown cell tagged {WRITTEN_TAG!r} with metadata "
                    f'{{"nkteach": {{"written": {ex_id!r}}}}}', i)
    if REQUIRE_WRITTEN and written < MIN_WRITTEN:
        rep.add("written", f"{written} written task(s) (ex.written); need at least {MIN_WRITTEN}, "
                "each asking students to apply the framework to the lesson's evidence")


def _check_first_cell(rep: Report, cells: list) -> None:
    if not cells or cells[0].get("cell_type") != "markdown":
        rep.add("first-cell", "the first cell must be a markdown cell with the lesson's title", 0)
        return
    text = _source(cells[0])
    need = [(r"^#\s+Lesson\s+\d+\s*[—–-]\s*\S", "a title '# Lesson N — Title'"),
            (r"\*\*What you will learn:?\*\*", "'**What you will learn:**'"),
            (r"^##\s+Learning objectives", "'## Learning objectives'"),
            (r"\*\*Estimated time:?\*\*\s*(?:about\s*)?\d+\s*min", "'**Estimated time:** NN minutes'"),
            (r"\*\*Prerequisites:?\*\*", "'**Prerequisites:**'")]
    for pat, what in need:
        if not re.search(pat, text, re.M | re.I):
            rep.add("first-cell", f"missing {what}", 0)
    if re.search(r"^##\s+Learning objectives", text, re.M | re.I) \
            and not _first_cell_fields(text)["objectives"]:
        rep.add("first-cell", "'## Learning objectives' has no bullet points", 0)


def _check_code(rep: Report, cells: list) -> None:
    shown_vars: set[str] = set()
    built: list[tuple[int, str | None, bool]] = []      # (cell, assigned var, shown in cell)
    explorers = imports = shows = 0
    explorer_call = explorer_call_pattern()
    for i, c in enumerate(cells):
        if c.get("cell_type") != "code":
            continue
        rep.code_cells += 1
        src = _source(c)
        student = not (_tags(c) & SOLUTION_TAGS)
        n_lines = len(src.rstrip("\n").split("\n")) if src.strip() else 0
        if n_lines > MAX_CODE_LINES:
            rep.add("cell-length", f"{n_lines} lines (at most {MAX_CODE_LINES})", i)
        marked = CHECK_OUTPUT_MARKER in src
        if marked and not c.get("outputs"):
            rep.add("outputs", f"'{CHECK_OUTPUT_MARKER}' cell has no committed output to compare", i)
        if not marked and (c.get("outputs") or c.get("execution_count") is not None):
            rep.add("outputs", "output not cleared (clear it, or mark a teaching fact with "
                    f"'{CHECK_OUTPUT_MARKER}')", i)
        if re.search(r"^\s*(import\s+nkteach|from\s+nkteach\b)", src, re.M):
            imports += 1
        if student:
            n_ex = len(_exercise_pattern().findall(src))
            rep.exercises += n_ex
            if n_ex or re.search(r"\b(?:" + "|".join(KINDS) + r")\s*\(", src):
                try:
                    for call in cell_calls(src):
                        secret_values(call)
                except (SourceError, SyntaxError) as e:
                    rep.add("sealable", str(e), i)
            explorers += bool(explorer_call.search(src))
        has_show = bool(_SHOW.search(src))
        shows += has_show
        for m in re.finditer(r"\bshow\s*\(\s*(\w+)", src):
            shown_vars.add(m.group(1))
        if _BUILD.search(src) and not explorer_call.search(src):
            assigned = [m.group(1) for m in _ASSIGN_BUILD.finditer(src)]
            built.append((i, assigned[0] if assigned else None, has_show))
    if not imports:
        rep.add("setup", "no code cell imports nkteach")
    if rep.exercises < MIN_EXERCISES:
        rep.add("exercises", f"{rep.exercises} exercise call(s) outside solution cells; "
                f"need at least {MIN_EXERCISES}")
    if not explorers:
        rep.add("explorer", "no explorer (widgets.*_explorer(...)) in the lesson")
    if not shows:
        rep.add("chart-or-map", "no chart or map displayed with nkteach.show(...)")
    for i, var, has_show in built:
        if not (has_show or (var and var in shown_vars)):
            what = f"`{var}`" if var else "a chart/map"
            rep.add("chart-summary", f"builds {what} but never displays it with show(...), so no "
                    "text summary follows it", i)


def _check_headings(rep: Report, cells: list) -> None:
    found: dict[str, int] = {}
    for i, c in enumerate(cells):
        if "source-criticism" in _tags(c):
            found.setdefault("source criticism", i)
        if c.get("cell_type") != "markdown":
            continue
        for m in re.finditer(r"^##\s+(.+?)\s*$", _source(c), re.M):
            key = m.group(1).strip().lower().rstrip(":")
            for k in _HEADINGS:
                if key == k or key.startswith(k + " "):
                    found.setdefault(k, i)
    for k, heading in _HEADINGS.items():
        if k not in found:
            rep.add("headings", f"missing heading '{heading}'")
    if "references" in found:
        nxt = next((c for c in cells[found["references"] + 1:] if c.get("cell_type") == "code"), None)
        if nxt is None or "references(" not in _source(nxt):
            rep.add("references", "no code cell calling nkteach.references([...]) after "
                    "'## References'", found["references"])


def check_paths(paths=None, default_dir: Path | None = None) -> list[Report]:
    """check_notebook for every lesson in ``paths`` (files or folders)."""
    return [check_notebook(p) for p in lesson_files(paths, default_dir)]
