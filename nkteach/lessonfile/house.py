"""House-style rules on one lesson notebook: honest time, rubrics, the closing cell, model answers.

Each rule is a plain function ``rule(nb: dict) -> list[str]`` (the problems found, empty when the
lesson complies), so the house-style checker (:mod:`nkteach.lessonfile.check`, ``nkteach check``)
and the audit (``nkteach audit``, which re-exports them from :mod:`nkteach.audit`) run the same
code. This module reads only the notebook JSON (no kernel) and imports only the lesson-file
layer; the explorer names come through its hook (:mod:`nkteach.lessonfile.explorers`).

The time rule (one rule, documented in docs/audit.md):

- **class minutes** = ``SETUP_MINUTES`` + prose words / ``READING_WPM`` + ``CHECKED_MINUTES`` per
  auto-checked item + ``EXPLORER_MINUTES`` per explorer + ``WRITTEN_CLASS_MINUTES`` per written
  task, rounded to the nearest ``ROUND_TO`` minutes;
- **homework minutes** = for each written task, its ``min_words`` / ``WRITING_WPM`` +
  ``WRITTEN_PLAN_MINUTES``, summed and rounded to the nearest ``ROUND_TO`` minutes.

Prose words are the words (:func:`nkteach.lessonfile.word_count`) of every Markdown cell a
student reads: not the written-answer cells, not cells tagged ``solution``/``instructor``.
A checked item is one auto-checked exercise (a ``classify`` group counts its statements). An
explorer is a call of a registered explorer that draws a chart or map (the naming toggle draws
nothing and does not count; with no explorer registered, a call of ``<name>_explorer(``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from .explorers import CONVENTION, drawing_explorer_names
from .items import CHECKED_KINDS, word_count
from .reader import cell_source, cell_tags
from .source import notebook_calls as exercise_calls
from .style import MIN_WORDS, SOLUTION_TAGS, WRITTEN_TAG

__all__ = [
    "READING_WPM",
    "SETUP_MINUTES",
    "CHECKED_MINUTES",
    "EXPLORER_MINUTES",
    "WRITTEN_CLASS_MINUTES",
    "WRITING_WPM",
    "WRITTEN_PLAN_MINUTES",
    "ROUND_TO",
    "DEFAULT_MIN_WORDS",
    "Times",
    "lesson_times",
    "time_line",
    "time_problems",
    "rubric_problems",
    "closing_problems",
    "model_answer_problems",
    "written_tasks",
    "WrittenTask",
    "RUBRIC_FORMAT",
    "RUBRIC_CRITERIA",
    "WRITTEN_ANSWER_TAG",
    "TIME_LINE",
    "HOUSE_RULES",
]

# ------------------------------------------------------------------ the time rule's constants
READING_WPM = 80  # study reading of expository prose, with the charts and tables beside it
SETUP_MINUTES = 5  # opening the notebook, running the setup cell, the teacher's framing
CHECKED_MINUTES = 3  # read, answer, read the feedback, one retry
EXPLORER_MINUTES = 8  # move the controls, read the summary, talk about what changed
WRITTEN_CLASS_MINUTES = 5  # read the prompt and the rubric, plan the answer in class
WRITING_WPM = 10  # drafting an argued, cited answer at home (words per minute)
WRITTEN_PLAN_MINUTES = 8  # rereading the lesson and the seed passages before writing
ROUND_TO = 5
DEFAULT_MIN_WORDS = MIN_WORDS  # nkteach.exercises.written's default

WRITTEN_ANSWER_TAG = WRITTEN_TAG
_EXPLORER_CALL = re.compile(r"\b(\w+)\s*\(")

TIME_LINE = "**Estimated time:** {c} minutes in class + {h} minutes of homework"
_TIME_LINE_RE = re.compile(
    r"^\*\*Estimated time:\*\*\s*(\d+)\s+minutes in class\s*\+\s*(\d+)\s+minutes "
    r"of homework\s*$",
    re.M,
)
# the time line itself is not prose (writing it must not change the minutes)
_OWN_TIME_LINE = re.compile(r"^\*\*Estimated time:?\*\*.*$", re.M)
#: one criterion of a rubric: "Name — strong: … / weak: …"
RUBRIC_FORMAT = re.compile(
    r"^(?P<name>[^—]*\S)\s+—\s+strong:\s*(?P<strong>\S.*?)\s+/\s+weak:\s*(?P<weak>\S.*)$", re.S
)
RUBRIC_CRITERIA = (3, 4)


def _round(x: float) -> int:
    return max(ROUND_TO, int(ROUND_TO * round(x / ROUND_TO)))


@dataclass
class WrittenTask:
    """One ``ex.written(...)`` call of a lesson, with its literal arguments."""
    ex_id: str
    cell: int
    min_words: int | None  # None when the call's value is not a literal
    rubric: object  # the literal value, None when absent, ... when not a literal
    model_answer: str | None


def _kw(call: ast.Call, name: str, default=None):
    node = next((k.value for k in call.keywords if k.arg == name), None)
    if node is None:
        return default
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return ...


def written_tasks(nb: dict) -> list[WrittenTask]:
    """Every ``ex.written(...)`` call outside solution cells, with its literal arguments."""
    cells = nb.get("cells", [])
    out = []
    for i, name, ex_id, call in exercise_calls(nb):
        if name != "written" or cell_tags(cells[i]) & SOLUTION_TAGS:
            continue
        mw = _kw(call, "min_words", DEFAULT_MIN_WORDS)
        ma = _kw(call, "model_answer")
        out.append(
            WrittenTask(
                str(ex_id),
                i,
                mw if isinstance(mw, int) and not isinstance(mw, bool) else None,
                _kw(call, "rubric"),
                ma if isinstance(ma, str) else None,
            )
        )
    return out


@dataclass
class Times:
    """A lesson's class and homework minutes under the time rule, with the counts they come from."""
    class_minutes: int
    homework_minutes: int
    prose_words: int
    checked: int
    explorers: int
    written: int
    written_words: int

    def line(self) -> str:
        """The first cell's ``**Estimated time:**`` line stating these minutes."""
        return TIME_LINE.format(c=self.class_minutes, h=self.homework_minutes)


def _checked_items(call: ast.Call, name: str) -> int:
    if name != "classify":
        return 1
    ids = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "item_ids"), None)
    if isinstance(ids, (ast.List, ast.Tuple)):
        return max(1, len(ids.elts))
    n = _kw(call, "n")
    return n if isinstance(n, int) and n > 0 else 1


def _draws(name: str, drawing) -> bool:
    if drawing is None:
        return bool(CONVENTION.fullmatch(name + "("))
    return name in drawing


def lesson_times(nb: dict, drawing_explorers=None) -> Times:
    """Class and homework minutes of a lesson under the one time rule (module docstring).
    ``drawing_explorers``: the explorer names that draw (default: those registered with
    :mod:`nkteach.lessonfile.explorers`)."""
    drawing = drawing_explorers if drawing_explorers is not None else drawing_explorer_names()
    cells = nb.get("cells", [])
    prose = sum(
        word_count(_OWN_TIME_LINE.sub(" ", cell_source(c)))
        for c in cells
        if c.get("cell_type") == "markdown" and not (cell_tags(c) & (SOLUTION_TAGS | {WRITTEN_ANSWER_TAG}))
    )
    checked = sum(
        _checked_items(call, name)
        for i, name, _, call in exercise_calls(nb)
        if name in CHECKED_KINDS and not cell_tags(cells[i]) & SOLUTION_TAGS
    )
    explorers = 0
    for c in cells:
        if c.get("cell_type") == "code" and not cell_tags(c) & SOLUTION_TAGS:
            explorers += sum(
                1 for m in _EXPLORER_CALL.finditer(cell_source(c)) if _draws(m.group(1), drawing)
            )
    tasks = written_tasks(nb)
    words = [t.min_words or DEFAULT_MIN_WORDS for t in tasks]
    class_m = (
        SETUP_MINUTES
        + prose / READING_WPM
        + CHECKED_MINUTES * checked
        + EXPLORER_MINUTES * explorers
        + WRITTEN_CLASS_MINUTES * len(tasks)
    )
    home = sum(w / WRITING_WPM + WRITTEN_PLAN_MINUTES for w in words)
    return Times(
        _round(class_m), _round(home) if tasks else 0, prose, checked, explorers, len(tasks), sum(words)
    )


def time_line(nb: dict) -> tuple[int, int] | None:
    """(class, homework) minutes stated by the first cell's ``**Estimated time:**`` line, or None."""
    cells = nb.get("cells", [])
    if not cells or cells[0].get("cell_type") != "markdown":
        return None
    m = _TIME_LINE_RE.search(cell_source(cells[0]))
    return (int(m.group(1)), int(m.group(2))) if m else None


def time_problems(nb: dict, drawing_explorers=None) -> list[str]:
    """Metadata ``nkteach.time_class_minutes``/``time_homework_minutes`` and the first cell's
    ``**Estimated time:** NN minutes in class + NN minutes of homework`` line both state the
    minutes the time rule computes (``nkteach audit --write-times`` writes them).
    ``drawing_explorers`` as for :func:`lesson_times`."""
    t = lesson_times(nb, drawing_explorers)
    meta = nb.get("metadata", {}).get("nkteach") or {}
    out = []
    got = (meta.get("time_class_minutes"), meta.get("time_homework_minutes"))
    if got != (t.class_minutes, t.homework_minutes):
        out.append(
            f"metadata time_class_minutes/time_homework_minutes are {got[0]!r}/{got[1]!r}; the time "
            f"rule gives {t.class_minutes}/{t.homework_minutes} (run nkteach audit --write-times)"
        )
    stated = time_line(nb)
    if stated is None:
        out.append(f"the first cell has no line '{t.line()}' (run nkteach audit --write-times)")
    elif stated != (t.class_minutes, t.homework_minutes):
        out.append(
            f"the first cell states {stated[0]} minutes in class + {stated[1]} of homework; the "
            f"time rule gives {t.class_minutes} + {t.homework_minutes} (run nkteach audit --write-times)"
        )
    return out


def rubric_problems(nb: dict) -> list[str]:
    """Every written task has ``rubric=[...]`` of 3–4 criteria, each one string in the one format
    ``"Name — strong: … / weak: …"``."""
    out = []
    lo, hi = RUBRIC_CRITERIA
    for t in written_tasks(nb):
        r = t.rubric
        if r is None:
            out.append(f"cell {t.cell}: written task {t.ex_id!r} has no rubric=[...]")
            continue
        if r is ... or not isinstance(r, (list, tuple)):
            out.append(f"cell {t.cell}: written task {t.ex_id!r}: rubric must be a literal list of strings")
            continue
        if not lo <= len(r) <= hi:
            out.append(
                f"cell {t.cell}: written task {t.ex_id!r}: rubric has {len(r)} criteria, allowed {lo}-{hi}"
            )
        for k, crit in enumerate(r, 1):
            if not isinstance(crit, str) or not RUBRIC_FORMAT.match(crit.strip()):
                out.append(
                    f"cell {t.cell}: written task {t.ex_id!r}: criterion {k} {str(crit)[:60]!r} is "
                    "not in the format 'Name — strong: … / weak: …'"
                )
    return out


def model_answer_problems(nb: dict) -> list[str]:
    """Every model answer (``model_answer=``) is at least its task's ``min_words`` long (words
    counted as the progress panel counts a student's answer)."""
    out = []
    for t in written_tasks(nb):
        if t.model_answer is None:
            continue
        need = t.min_words or DEFAULT_MIN_WORDS
        n = word_count(t.model_answer)
        if n < need:
            out.append(
                f"cell {t.cell}: written task {t.ex_id!r}: the model answer has {n} words, the task "
                f"asks for at least {need}"
            )
    return out


_H2 = re.compile(r"^##\s+(.+?)\s*#*\s*$", re.M)


def closing_problems(nb: dict) -> list[str]:
    """The lesson ends with the progress and hand-in cell: a ``## Your progress`` heading, then a
    code cell calling ``ex.progress()``, then ``## References`` (no other ``##`` heading between)."""
    cells = nb.get("cells", [])
    heads = [
        (i, m.group(1).strip().lower().rstrip(":"), m.group(1).strip())
        for i, c in enumerate(cells)
        if c.get("cell_type") == "markdown"
        for m in _H2.finditer(cell_source(c))
    ]
    prog = [i for i, h, _ in heads if h == "your progress"]
    refs = [i for i, h, _ in heads if h == "references"]
    if not prog:
        return [
            "no '## Your progress' heading (followed by a code cell ex.progress(), before '## References')"
        ]
    if not refs:
        return ["no '## References' heading after '## Your progress'"]
    p, r = prog[-1], refs[-1]
    out = []
    if p >= r:
        out.append(f"'## Your progress' (cell {p}) must come before '## References' (cell {r})")
    between = [shown for i, _, shown in heads if p < i < r]
    if between:
        out.append(
            f"'## Your progress' must be the last section before '## References'; found "
            f"{', '.join(repr('## ' + h) for h in between)} between them"
        )
    code = [c for c in cells[p + 1 : r] if c.get("cell_type") == "code"]
    if not any(re.search(r"^\s*ex\.progress\(\s*\)\s*$", cell_source(c), re.M) for c in code):
        out.append("no code cell 'ex.progress()' between '## Your progress' and '## References'")
    return out


#: the notebook rules of this module, by the name the audit reports them under
HOUSE_RULES = {
    "time": time_problems,
    "rubrics": rubric_problems,
    "closing-cell": closing_problems,
    "model-answers": model_answer_problems,
}
