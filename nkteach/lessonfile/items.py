"""What a lesson notebook asks: its auto-checked items, its written tasks and its version.

Read from the notebook's JSON (instructor lesson or student copy alike, no kernel):

- :func:`lesson_items` lists every exercise call in notebook order, with its id, kind,
  question, the heading it sits under (and that heading's JupyterLab anchor). A kind that
  expands per statement (``classify(...)``) becomes one item per statement, with the id the
  exercise registry uses (``classify:C08``).
- :func:`exercise_specs` gives the instructor's keyword arguments of every checked exercise
  (what :func:`nkteach.exercises.checker.check_call` re-grades with).
- :func:`version_hash` hashes what a student is asked (ids, questions, options, prompts): sealing
  does not change it, so an instructor lesson and its student copy have the same version.
- :func:`written_answers` reads the student's written answers from the saved notebook (the
  Markdown cells tagged ``written-answer`` with metadata ``{"nkteach": {"written": ex_id}}``).
- :func:`lesson_key` turns a lesson number, notebook path or exercise id into the key the
  progress store files records under ("5" for lesson 5).
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..validation import InvalidArgumentError
from .kinds import KINDS
from .reader import NotALessonError, cell_source, read_notebook  # noqa: F401  (old imports read them here)
from .source import call_arg, call_ex_id, call_values, calls, ipython_safe
from .statements import classify_ids as _ids_of, item_key, statement_exercise, statements
from .style import MIN_WORDS, WRITTEN_TAG

__all__ = ["CHECKED_KINDS", "Item", "LessonItems", "heading_anchor", "lesson_items",
           "lesson_key", "lesson_of_id", "version_hash", "word_count",
           "written_answers", "written_cells", "exercise_specs", "call_classify_ids", "notebook_seals"]

CHECKED_KINDS = tuple(n for n, k in KINDS.items() if k.checked)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
_LESSON_FILE = re.compile(r"^(\d{1,2})-")
_ID_LESSON = re.compile(r"^l(\d{1,2})-", re.IGNORECASE)
# Text that marks an answer cell as not yet written: HTML comments, nbgrader's stub and the
# template's instruction line ("*Write your answer here ...*").
_PLACEHOLDER = re.compile(r"<!--.*?-->|^\s*[*_]*\s*(?:write your answer|your answer here)[^\n]*$",
                          re.IGNORECASE | re.MULTILINE | re.DOTALL)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


@dataclass
class Item:
    """One thing the student answers: an auto-checked exercise or a written task."""

    ex_id: str
    kind: str                     # a name in KINDS
    question: str = ""
    heading: str = ""             # the Markdown heading the exercise sits under
    cell: int = 0                 # index of the code cell in the notebook
    min_words: int | None = None  # written tasks only
    group: str | None = None      # per-statement items: the source of the call

    @property
    def anchor(self) -> str:
        """The heading's anchor in JupyterLab (empty when the item has no heading)."""
        return heading_anchor(self.heading) if self.heading else ""

    @property
    def written(self) -> bool:
        """True for a written task (a kind that is not auto-checked)."""
        return not KINDS[self.kind].checked


@dataclass
class LessonItems:
    """The items of one lesson notebook, in notebook order."""

    key: str
    number: int | None
    title: str
    items: list[Item] = field(default_factory=list)
    version: str = ""

    @property
    def checked(self) -> list[Item]:
        """The auto-checked items."""
        return [i for i in self.items if not i.written]

    @property
    def written(self) -> list[Item]:
        """The written tasks."""
        return [i for i in self.items if i.written]

    def get(self, ex_id: str) -> Item | None:
        """The item with id ``ex_id``, or None."""
        return next((i for i in self.items if i.ex_id == ex_id), None)


def heading_anchor(text: str) -> str:
    """The id JupyterLab gives a Markdown heading: its text with spaces replaced by '-'."""
    plain = re.sub(r"[*_`]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)).strip()
    return plain.replace(" ", "-")


def _text(node) -> str:
    if node is None:
        return ""
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def call_classify_ids(call: ast.Call) -> list[str]:
    """Statement ids a ``classify(...)`` call shows (the dataset decides for ``lesson=``)."""
    v = call_values(call, ("item_ids", "lesson", "n"), strict=True)
    return _ids_of(v.get("item_ids"), lesson=v.get("lesson"), n=v.get("n"))


def _statement(item_id: str) -> str:
    try:
        return str(statements().get(item_id, {}).get("statement", ""))
    except (OSError, KeyError, ValueError):   # the ids do not need the text
        return ""


def lesson_items(nb: dict, path=None) -> LessonItems:
    """The items of notebook JSON ``nb`` (``path`` only names it in the key and messages)."""
    meta = (nb.get("metadata") or {}).get("nkteach") or {}
    number = meta.get("lesson") if isinstance(meta.get("lesson"), int) else None
    name = Path(path).name if path else ""
    if number is None and name and _LESSON_FILE.match(name):
        number = int(_LESSON_FILE.match(name).group(1))
    key = str(number) if number is not None else (Path(path).stem if path else "lesson")
    out = LessonItems(key=key, number=number, title=str(meta.get("title") or ""))
    heading = ""
    for ci, cell in enumerate(nb.get("cells", [])):
        src = cell_source(cell)
        if cell.get("cell_type") == "markdown":
            found = _HEADING.findall(src)
            if found:
                heading = found[-1][1]
            continue
        if cell.get("cell_type") != "code":
            continue
        for name_, call in calls(src):
            kind = KINDS[name_]
            if kind.per_statement:
                group = ast.get_source_segment(ipython_safe(src), call) or ""
                for i in call_classify_ids(call):
                    out.items.append(Item(item_key(i), name_, _statement(i), heading, ci, group=group))
                continue
            ex_id = call_ex_id(call)
            if not isinstance(ex_id, str):
                continue
            q = _text(call_arg(call, 1, kind.question))
            mw = None
            if not kind.checked:
                mw = call_values(call, ("min_words",)).get("min_words", MIN_WORDS)
            out.items.append(Item(ex_id, name_, q, heading, ci, min_words=mw))
    out.version = version_hash(nb)
    return out


def exercise_specs(nb: dict) -> dict[str, tuple[str, dict]]:
    """ex_id → (kind name, literal keyword arguments) of every auto-checked exercise of an
    instructor notebook, positional arguments named (``question``, ``options`` …). A kind that
    expands per statement gives one entry per statement (``classify:C08``) with the statement's
    data as multiple-choice arguments (question, options, answer, also, why, citation).
    Arguments that are not literals are left out; written tasks are not included."""
    out: dict[str, tuple[str, dict]] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for name_, call in calls(cell_source(cell)):
            kind = KINDS[name_]
            if not kind.checked:
                continue
            if kind.per_statement:
                for i in call_classify_ids(call):
                    out[item_key(i)] = (name_, statement_exercise(i))
                continue
            values = call_values(call)
            ex_id = values.pop("ex_id", None)
            if isinstance(ex_id, str):
                out[ex_id] = (name_, values)
    return out


def notebook_seals(nb: dict) -> dict[str, dict]:
    """ex_id → the literal ``seal={...}`` of every exercise call of a student copy (written
    tasks included: their seal holds the release blob of the model answer). With
    :func:`nkteach.sealing.open_releases` a release code can be checked without a kernel (the
    progress panel, a site page)."""
    out: dict[str, dict] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for _name, call in calls(cell_source(cell)):
            values = call_values(call, ("ex_id", "seal"))
            if isinstance(values.get("ex_id"), str) and isinstance(values.get("seal"), dict):
                out[values["ex_id"]] = values["seal"]
    return out


def version_hash(nb: dict) -> str:
    """sha256 over what the lesson asks: each exercise call's function, positional arguments
    and question/option/prompt keywords, in order. Answers, explanations, hashes and rubrics
    are left out, so sealing (the student build) keeps the version."""
    parts = []
    asked_kw = {k for kind in KINDS.values() for k in (*kind.asked, *kind.asked_kw)}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for name, call in calls(cell_source(cell)):
            kws = sorted((k.arg, ast.unparse(k.value)) for k in call.keywords if k.arg in asked_kw)
            parts.append([name, [ast.unparse(a) for a in call.args], kws])
    blob = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- written answers

def word_count(text: str) -> int:
    """Words in a written answer, not counting placeholders (HTML comments, 'YOUR ANSWER HERE',
    the template's 'Write your answer ...' line) or Markdown symbols."""
    return len(_WORD.findall(_PLACEHOLDER.sub(" ", text or "")))


def _written_id(cell: dict) -> str | None:
    meta = (cell.get("metadata") or {}).get("nkteach") or {}
    wid = meta.get("written") if isinstance(meta, dict) else None
    return wid if isinstance(wid, str) and wid else None


def written_cells(nb: dict, items: LessonItems | None = None) -> dict[str, int]:
    """ex_id → index of its answer cell. A cell is the answer to task X when its metadata says
    ``{"nkteach": {"written": X}}``; failing that (metadata lost by an editor or a copy), the
    first Markdown cell after the ``written(X, ...)`` call, if it is tagged ``written-answer``
    or is not a heading (lesson text goes on under a new heading)."""
    cells = nb.get("cells", [])
    out: dict[str, int] = {}
    for i, cell in enumerate(cells):
        wid = _written_id(cell)
        if wid and cell.get("cell_type") == "markdown":
            out.setdefault(wid, i)
    items = items or lesson_items(nb)
    for it in items.written:
        if it.ex_id in out:
            continue
        for i in range(it.cell + 1, len(cells)):
            cell = cells[i]
            if cell.get("cell_type") != "markdown":
                continue
            tagged = WRITTEN_TAG in ((cell.get("metadata") or {}).get("tags") or [])
            if not _written_id(cell) and (tagged or not cell_source(cell).lstrip().startswith("#")):
                out[it.ex_id] = i
            break
    return out


def written_answers(nb: dict, items: LessonItems | None = None) -> dict[str, str]:
    """ex_id → the text of its answer cell (see :func:`written_cells`)."""
    cells = nb.get("cells", [])
    return {k: cell_source(cells[i]) for k, i in written_cells(nb, items).items()}


# ---------------------------------------------------------------- lesson keys

_META_CACHE: dict[str, str | None] = {}


def _key_of_notebook(path: Path) -> str:
    """The lesson key of a notebook file: its metadata lesson number, else the NN- prefix of its
    name, else its stem."""
    k = str(path)
    if k not in _META_CACHE:
        num = None
        try:
            meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("nkteach", {})
            num = meta.get("lesson") if isinstance(meta.get("lesson"), int) else None
        except (OSError, ValueError, AttributeError, RecursionError):
            pass
        _META_CACHE[k] = str(num) if num is not None else None
    if _META_CACHE[k]:
        return _META_CACHE[k]
    m = _LESSON_FILE.match(path.name)
    return str(int(m.group(1))) if m else path.stem


def lesson_key(value) -> str | None:
    """The store's key for a lesson: 5, "5", "05", "L5", "lesson 5" → "5"; a notebook path →
    its lesson number (metadata, else file name) or stem; None → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidArgumentError(f"lesson must be a number, a name or a notebook path, got {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Path) or (isinstance(value, str) and value.endswith(".ipynb")):
        return _key_of_notebook(Path(value))
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(f"lesson must be a number, a name or a notebook path, got {value!r}")
    m = re.fullmatch(r"\s*(?:lesson\s*|l)?0*(\d{1,3})\s*", value, re.IGNORECASE)
    return str(int(m.group(1))) if m else value.strip()


def lesson_of_id(ex_id: str) -> str | None:
    """'l5-revision' → '5'; ids without a lesson prefix → None."""
    m = _ID_LESSON.match(ex_id or "")
    return str(int(m.group(1))) if m else None
