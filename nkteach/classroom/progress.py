"""Progress that persists: every check is kept in a small store in the user's data folder.

The store is one JSON-lines file, ``progress.jsonl``, in ``platformdirs.user_data_dir("nkteach")``
(or the folder named by the environment variable ``NKTEACH_DATA_DIR``: tests and simulated
students each get their own). Each check appends one line::

    {"v": 1, "time": "2026-12-02T16:40:01.123456+00:00", "lesson": "5",
     "notebook": "/home/jovyan/lessons/05-international-structure.ipynb",
     "ex_id": "l5-revision", "kind": "multiple_choice", "outcome": "not yet",
     "answer": "Russia", "attempt": 1}

Why JSON lines and not SQLite: a student's home folder on a JupyterHub is often on NFS, where
SQLite's WAL mode does not work; an append under an exclusive ``fcntl`` lock, written with one
``os.write`` on an ``O_APPEND`` descriptor, is safe when two kernels check at once (and readable
with any text tool). A line cut short by a crash is skipped when reading.

Interface for the exercises (called from every check; extra keywords are accepted and ignored)::

    nkteach.progress.record(ex_id=..., kind=..., outcome=..., answer=..., attempt=..., lesson=...)

``nkteach.widgets.progress.progress()`` (also ``nkteach.exercises.progress()``) shows the lesson's
checklist with a hand-in button; ``nkteach progress [LESSON]`` prints the same in a terminal.

This module is the store only: it imports neither the exercises nor the hand-in code. It never
writes through a symbolic link: a symlinked ``progress.jsonl`` or data folder is refused (the
file is opened with ``O_NOFOLLOW``). Anyone who can run Python as the student can write to the
store (``record(...)`` is public), so the gradebook re-checks every recorded answer instead of
trusting the outcomes written here.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .. import settings
from ..outcomes import ICONS, NOT_ATTEMPTED, OUTCOMES, RANK
from ..validation import InvalidArgumentError, check_choice, check_text
from .safefile import SymlinkError, open_append_nofollow

__all__ = [
    "ENV_DATA_DIR",
    "ItemProgress",
    "LessonProgress",
    "StoreError",
    "WrittenProgress",
    "current_notebook",
    "data_dir",
    "find_notebook",
    "format_text",
    "lesson_progress",
    "record",
    "records",
    "SAVE_WARNING",
    "SCHEMA_VERSION",
    "STORE_NAME",
    "session_lessons",
    "status_text",
    "written_text",
    "store_path",
]

ENV_DATA_DIR = "NKTEACH_DATA_DIR"
STORE_NAME = "progress.jsonl"
SCHEMA_VERSION = 1
_warned = False
_SESSION: dict[str, int] = {}    # lesson key → checks recorded by this process (see session_lessons)


class StoreError(InvalidArgumentError):
    """The data folder cannot be used (e.g. it lies inside the nkteach repository)."""


# ---------------------------------------------------------------- where the store lives

def _repo_root() -> Path | None:
    """The nkteach checkout this package runs from, if any (records never go inside it)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "nkteach").is_dir() else None


def data_dir() -> Path:
    """The folder of the progress store: ``$NKTEACH_DATA_DIR``, else the user's data folder."""
    env = (settings.get(ENV_DATA_DIR) or "").strip()
    if env:
        d = Path(env).expanduser()
    else:
        import platformdirs

        d = Path(platformdirs.user_data_dir("nkteach", appauthor=False))
    if d.is_symlink():
        raise SymlinkError(f"the progress data folder {d} is a symbolic link; nkteach never writes "
                           f"through a link (set {ENV_DATA_DIR} to a real folder)")
    repo = _repo_root()
    if repo is not None:
        r = d.resolve()
        if r == repo or repo in r.parents:
            raise StoreError(f"{ENV_DATA_DIR}={d} lies inside the nkteach repository {repo}; "
                             "progress must be kept outside it (e.g. in your home folder)")
    return d


def store_path() -> Path:
    """The store file, ``progress.jsonl`` in :func:`data_dir`."""
    return data_dir() / STORE_NAME


# ---------------------------------------------------------------- which notebook is this kernel running

def current_notebook() -> Path | None:
    """The notebook file this kernel runs, when the front end says: ``JPY_SESSION_NAME`` (set by
    jupyter-server 2+), IPython's ``__session__`` or VS Code's ``__vsc_ipynb_file__``."""
    cands = [os.environ.get("JPY_SESSION_NAME")]
    ip = sys.modules.get("IPython")
    shell = ip.get_ipython() if ip is not None and hasattr(ip, "get_ipython") else None
    if shell is not None:
        ns = getattr(shell, "user_ns", {}) or {}
        cands += [ns.get("__session__"), ns.get("__vsc_ipynb_file__")]
    for c in cands:
        if not c or not isinstance(c, str) or not c.endswith(".ipynb"):
            continue
        p = Path(c).expanduser()
        for cand in (p, Path.cwd() / p, Path.cwd() / p.name):
            if cand.is_file():
                return cand.resolve()
        return p   # not on disk (yet): still names the lesson
    return None


def _resolve_lesson(lesson, ex_id: str) -> tuple[str | None, str | None]:
    from ..lessonfile import lesson_key, lesson_of_id

    if lesson is not None:
        return lesson_key(lesson), None
    nb = current_notebook()
    if nb is not None:
        return lesson_key(nb), str(nb)
    return lesson_of_id(ex_id), None


# ---------------------------------------------------------------- writing

def _jsonable(value):
    """The answer as JSON: numbers, text, lists and dicts as they are, anything else as text."""
    try:
        json.dumps(value, allow_nan=False)
        return value
    except (TypeError, ValueError):
        if isinstance(value, dict):
            return {str(k): _jsonable(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [_jsonable(v) for v in value]
        return str(value)


def _append(path: Path, line: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = open_append_nofollow(path, what="the progress store")
    try:
        try:
            import fcntl
        except ImportError:          # Windows: an O_APPEND write of one line is atomic there
            fcntl = None
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            size = os.fstat(fd).st_size
            if size and hasattr(os, "pread") and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line    # a line cut short by a crash: keep it apart from this one
            view = memoryview(line)
            while view:              # one write almost always; loop for the pathological case
                n = os.write(fd, view)
                view = view[n:]
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def record(*, ex_id: str, kind: str, outcome: str, answer=None, attempt: int | None = None,
           lesson: str | int | None = None, **_ignored) -> None:
    """Keep one check in the store (called by every exercise check).

    ``outcome`` is one of "correct", "also defensible", "not yet", "no answer". ``lesson``
    defaults to the notebook this kernel runs (see :func:`current_notebook`), else the lesson
    prefix of ``ex_id`` ("l5-revision" → "5"). Nothing is recorded while nbgrader autogrades
    (``NBGRADER_EXECUTION`` is set): that is the instructor's kernel, not a student's.
    Bad arguments raise; a store that cannot be written only warns, once: a check must never
    fail because the disk is full."""
    global _warned
    check_text("ex_id", ex_id)
    check_text("kind", kind)
    check_choice("outcome", outcome, OUTCOMES, error=InvalidArgumentError)
    if attempt is not None and (isinstance(attempt, bool) or not isinstance(attempt, int)):
        raise InvalidArgumentError(f"attempt must be a whole number or None, got {attempt!r}")
    if os.environ.get("NBGRADER_EXECUTION"):
        return
    key, notebook = _resolve_lesson(lesson, ex_id)
    row = {"v": SCHEMA_VERSION, "time": _dt.datetime.now(_dt.UTC).isoformat(),
           "lesson": key, "notebook": notebook, "ex_id": ex_id, "kind": kind, "outcome": outcome,
           "answer": _jsonable(answer), "attempt": attempt}
    line = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    if key:
        _SESSION[key] = _SESSION.get(key, 0) + 1
    try:
        _append(store_path(), line)
    except (OSError, StoreError, SymlinkError) as e:
        if not _warned:
            _warned = True
            warnings.warn(f"nkteach could not save your progress ({e}); your answers are still "
                          "checked, but ex.progress() will not remember them", stacklevel=2)


def session_lessons() -> dict[str, int]:
    """Lesson key → number of checks this process recorded (which lesson a kernel works on when
    the front end does not say which notebook it runs)."""
    return dict(_SESSION)


# ---------------------------------------------------------------- reading

def records(lesson=None) -> list[dict]:
    """Every record in the store, oldest first (of one lesson when ``lesson`` is given).
    Lines that are not complete JSON records (a crash mid-write) are skipped."""
    from ..lessonfile import lesson_key

    path = store_path()
    if path.is_symlink() or not path.is_file():
        return []
    want = lesson_key(lesson) if lesson is not None else None
    out = []
    with open(path, "rb") as f:
        for raw in f:
            try:
                row = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(row, dict) or not isinstance(row.get("ex_id"), str) \
                    or row.get("outcome") not in OUTCOMES:
                continue
            if want is None or row.get("lesson") == want:
                out.append(row)
    return out


def _time(s) -> _dt.datetime | None:
    try:
        return _dt.datetime.fromisoformat(s)
    except (TypeError, ValueError):
        return None


@dataclass
class ItemProgress:
    """A checked exercise: its best outcome so far and every answer given, oldest first."""

    ex_id: str
    kind: str
    question: str = ""
    heading: str = ""
    anchor: str = ""
    attempts: int = 0                 # checks with an answer ("no answer" does not count)
    outcome: str = NOT_ATTEMPTED      # best outcome so far
    first_outcome: str | None = None  # outcome of the first attempt
    answers: list = field(default_factory=list)   # [{"answer", "outcome", "time"}]

    @property
    def icon(self) -> str:
        """The icon of the best outcome so far."""
        return ICONS[self.outcome]

    @property
    def done(self) -> bool:
        """True once the exercise was answered right (correct or also defensible)."""
        return self.outcome in ("correct", "also defensible")


@dataclass
class WrittenProgress:
    """A written task: its prompt, the words written in its answer cell and the minimum asked."""
    ex_id: str
    prompt: str = ""
    heading: str = ""
    anchor: str = ""
    min_words: int = 0
    words: int = 0
    text: str = ""
    found: bool = False               # the answer cell was found in the saved notebook


@dataclass
class LessonProgress:
    """One lesson's checklist, from the store and (when known) the saved notebook."""

    key: str | None
    title: str = ""
    notebook: Path | None = None
    version: str = ""
    items: list[ItemProgress] = field(default_factory=list)
    written: list[WrittenProgress] = field(default_factory=list)
    last_check: _dt.datetime | None = None
    saved_at: _dt.datetime | None = None

    @property
    def unsaved(self) -> bool:
        """Checks after the notebook's last save: written answers may have changed since."""
        return bool(self.last_check and self.saved_at and self.last_check > self.saved_at)

    def counts(self) -> dict[str, int]:
        """How many items are correct, also defensible, not yet and not attempted."""
        out = {k: 0 for k in ("correct", "also defensible", "not yet", NOT_ATTEMPTED)}
        for it in self.items:
            out["not yet" if it.outcome == "no answer" else it.outcome] += 1
        return out


_RANK = RANK


def _item_from(rows: list[dict], ex_id: str, kind: str, **kw) -> ItemProgress:
    it = ItemProgress(ex_id, kind, **kw)
    for r in rows:
        if r["outcome"] == "no answer":
            it.outcome = min(it.outcome, "no answer", key=_RANK.get)
            continue
        it.attempts += 1
        it.first_outcome = it.first_outcome or r["outcome"]
        it.answers.append({"answer": r.get("answer"), "outcome": r["outcome"], "time": r.get("time")})
        it.outcome = min(it.outcome, r["outcome"], key=_RANK.get)
    return it


def lesson_progress(lesson=None, notebook=None) -> LessonProgress:
    """The checklist of one lesson. ``notebook``: the lesson's .ipynb (its exercises, headings and
    written answers); ``lesson``: a lesson number or key (default: the notebook's). With neither,
    the notebook this kernel runs."""
    from ..lessonfile import lesson_items, lesson_key, read_notebook, word_count, written_answers

    if notebook is None and lesson is None:
        notebook = current_notebook()
    nb = None
    if notebook is not None:
        notebook = Path(notebook)
        nb = read_notebook(notebook)
    items = lesson_items(nb, notebook) if nb is not None else None
    if items is not None and not items.items:
        from ..lessonfile import NotALessonError

        raise NotALessonError(f"{notebook} is not an nkteach lesson: it has no exercises or written tasks")
    key = lesson_key(lesson) if lesson is not None else (items.key if items else None)
    if key is None:
        raise InvalidArgumentError("which lesson? pass lesson=N or notebook='NN-name.ipynb' "
                                   "(this kernel does not say which notebook it runs)")
    all_rows = records()
    ids = {i.ex_id for i in items.checked} if items else set()
    # records of this lesson, plus those filed without a lesson (e.g. classify:C08 checked in a
    # kernel that did not know its notebook) whose exercise is in this notebook
    rows = [r for r in all_rows if r.get("lesson") == key or (r.get("lesson") is None and r["ex_id"] in ids)]
    by_id: dict[str, list[dict]] = {}
    for r in rows:
        by_id.setdefault(r["ex_id"], []).append(r)
    lp = LessonProgress(key, title=items.title if items else "", notebook=notebook,
                        version=items.version if items else "")
    if items is not None:
        for it in items.checked:
            lp.items.append(_item_from(by_id.get(it.ex_id, []), it.ex_id, it.kind, question=it.question,
                                       heading=it.heading, anchor=it.anchor))
        answers = written_answers(nb, items)
        for it in items.written:
            text = answers.get(it.ex_id, "")
            lp.written.append(WrittenProgress(it.ex_id, it.question, it.heading, it.anchor,
                                              it.min_words or 0, word_count(text), text,
                                              it.ex_id in answers))
        lp.saved_at = _dt.datetime.fromtimestamp(notebook.stat().st_mtime, _dt.UTC)
    else:   # no notebook: what the store knows, in the order first checked
        for ex_id, rs in by_id.items():
            lp.items.append(_item_from(rs, ex_id, rs[-1].get("kind", "")))
    times = [t for t in (_time(r.get("time")) for r in rows) if t]
    lp.last_check = max(times) if times else None
    return lp


# ---------------------------------------------------------------- showing

SAVE_WARNING = ("save the notebook first (Ctrl+S) — answers written since the last save are "
                "not included")


def status_text(it: ItemProgress) -> str:
    """One exercise's line in the checklist: icon, outcome word and attempts."""
    if it.outcome == NOT_ATTEMPTED:
        return "○ not attempted"
    word = "no answer yet" if it.outcome == "no answer" else it.outcome
    tries = f" ({it.attempts} attempt{'s' if it.attempts != 1 else ''})" if it.attempts else ""
    return f"{ICONS[it.outcome]} {word}{tries}"


def written_text(w: WrittenProgress) -> str:
    """One written task's line in the checklist: its word count against the minimum."""
    if not w.found:
        return "✍ answer cell not found in the saved notebook"
    if w.words == 0:
        return f"✍ not written yet (at least {w.min_words} words)"
    enough = "enough" if w.words >= w.min_words else f"aim for at least {w.min_words}"
    return f"✍ {w.words} words ({enough})"


def format_text(lp: LessonProgress) -> str:
    """The checklist as plain text (what ``nkteach progress`` prints)."""
    title = f"Lesson {lp.key}" + (f" — {lp.title}" if lp.title else "")
    c = lp.counts()
    lines = [title, (f"  {c['correct']} correct, {c['also defensible']} also defensible, "
                     f"{c['not yet']} not yet, {c[NOT_ATTEMPTED]} not attempted "
                     f"(of {len(lp.items)} checked exercises)")]
    for it in lp.items:
        where = f"  [{it.heading}]" if it.heading else ""
        lines.append(f"  {status_text(it):<40} {it.ex_id}{where}")
    if lp.written:
        lines.append("  Written tasks (read from the saved notebook):")
        for w in lp.written:
            where = f"  [{w.heading}]" if w.heading else ""
            lines.append(f"  {written_text(w):<40} {w.ex_id}{where}")
    if lp.notebook is None:
        lines.append("  (no notebook given: written tasks and unattempted exercises are not listed)")
    if lp.unsaved:
        lines.append(f"  ⚠ {SAVE_WARNING}")
    return "\n".join(lines)


def find_notebook(key: str, folders=None) -> Path | None:
    """A notebook of lesson ``key`` in ``folders`` (default: the working folder and ./lessons)."""
    from ..lessonfile import LESSON_GLOB, lesson_key

    for d in folders or (Path.cwd(), Path.cwd() / "lessons"):
        if Path(d).is_dir():
            for p in sorted(Path(d).glob(LESSON_GLOB)):
                if lesson_key(p) == key:
                    return p
    return None
