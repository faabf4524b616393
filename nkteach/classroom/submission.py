"""Hand-in: one JSON submission file per student and lesson (schema: docs/submissions.md).

:func:`submit` reads the saved lesson notebook (its exercises and written answers) and the
progress store (every answer checked, with its outcome) and writes ``<student>--lesson-<key>.json``.

What the file proves, and what it does not: the ``integrity`` field is an unkeyed sha256 of the
rest of the content. It catches a file damaged in transit and a hand edit that forgot to
recompute it, nothing more: anyone can recompute it, and anyone can write outcomes into the
progress store. So the gradebook re-checks every recorded answer against the instructor's
lessons, recounts the written words, and takes the student's identity from where the file came
from (a student folder or the LMS download), never from the ``student`` field inside.

The file is written atomically into a fresh temporary file and never through a symbolic link.
"""
from __future__ import annotations

import datetime as _dt
import getpass
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..outcomes import RIGHT
from ..validation import InvalidArgumentError, check_text
from .progress import lesson_progress
from .safefile import SymlinkError, refuse_symlink, write_atomic

__all__ = [
    "SCHEMA",
    "SCHEMA_VERSION",
    "SubmissionError",
    "Submitted",
    "build",
    "default_student",
    "file_name",
    "integrity_hash",
    "submit",
    "verify",
]

SCHEMA = "nkteach-submission"
SCHEMA_VERSION = 1


class SubmissionError(InvalidArgumentError):
    """A submission cannot be written (not a lesson, unusable student name, output not writable)."""


@dataclass
class Submitted:
    """What :func:`submit` wrote: the file, its content, and whether checks postdate the save."""

    path: Path
    content: dict
    unsaved: bool


def default_student() -> str:
    """The hub user name (``JUPYTERHUB_USER``), else the operating-system user."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "student"


def file_name(student: str, lesson_key: str) -> str:
    """``<student>--lesson-NN.json`` (the student part reduced to letters, digits, ``._-``)."""
    key = f"{int(lesson_key):02d}" if lesson_key.isdigit() else _slug(lesson_key)
    return f"{_slug(student)}--lesson-{key}.json"


def _canonical(content: dict) -> bytes:
    body = {k: v for k, v in content.items() if k != "integrity"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def integrity_hash(content: dict) -> str:
    """sha256 of the submission without its ``integrity`` field (keys sorted, compact JSON).
    Unkeyed: it detects corruption and careless edits, not a forger (who can recompute it)."""
    return "sha256:" + hashlib.sha256(_canonical(content)).hexdigest()


def _score(items) -> dict:
    n = len(items)
    right = sum(i["outcome"] in RIGHT for i in items)
    first = sum(i["first_outcome"] in RIGHT for i in items)
    return {"exercises": n, "correct_or_defensible": right, "right_first_time": first,
            "percent": round(100 * right / n, 1) if n else None}


def build(notebook, student: str | None = None) -> tuple[dict, bool]:
    """The submission content for ``notebook`` (a saved lesson .ipynb) and whether it has
    checks newer than its last save (the caller warns)."""
    from .. import __version__
    from ..lessonfile import NotALessonError, lesson_items, read_notebook

    notebook = Path(notebook)
    nb = read_notebook(notebook)
    items = lesson_items(nb, notebook)
    if not items.items:
        raise NotALessonError(f"{notebook} is not an nkteach lesson: it has no exercises or written "
                              "tasks (ex.multiple_choice, ex.numeric, ex.ordering, ex.classify, ex.written)")
    student = check_text("--student", student if student is not None else default_student()).strip()
    lp = lesson_progress(notebook=notebook)
    exercises = [{"id": it.ex_id, "kind": it.kind, "question": it.question, "outcome": it.outcome,
                  "attempts": it.attempts, "first_outcome": it.first_outcome, "answers": it.answers}
                 for it in lp.items]
    written = [{"id": w.ex_id, "prompt": w.prompt, "min_words": w.min_words, "words": w.words,
                "found": w.found, "text": w.text} for w in lp.written]
    now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    content = {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION, "student": student,
        "lesson": {"key": items.key, "number": items.number, "title": items.title,
                   "file": notebook.name, "version": items.version},
        "submitted_at": now,
        "notebook_saved_at": lp.saved_at.isoformat(timespec="seconds") if lp.saved_at else None,
        "last_check_at": lp.last_check.isoformat(timespec="seconds") if lp.last_check else None,
        "nkteach_version": __version__,
        "score": _score(exercises),
        "exercises": exercises,
        "written": written,
    }
    content["integrity"] = integrity_hash(content)
    return content, lp.unsaved


def _is_ours(path: Path) -> bool:
    if path.is_symlink():
        return False
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("schema") == SCHEMA
    except (OSError, ValueError, AttributeError):
        return False


def submit(notebook, student: str | None = None, out=None) -> Submitted:
    """Write the submission of ``notebook`` into folder ``out`` (default: the notebook's folder).

    An earlier submission of the same student and lesson is replaced; any other file of that
    name, and any symbolic link, is left alone (:class:`SubmissionError`)."""
    content, unsaved = build(notebook, student)
    out = Path(out) if out is not None else Path(notebook).resolve().parent
    if out.is_symlink():
        raise SubmissionError(f"the output folder {out} is a symbolic link; nkteach never writes "
                              "through a link (give the real folder)")
    if out.exists() and not out.is_dir():
        raise SubmissionError(f"the output folder {out} is a file, not a folder")
    target = out / file_name(content["student"], content["lesson"]["key"])
    try:
        refuse_symlink(target, "the submission file")
    except SymlinkError as e:
        raise SubmissionError(str(e)) from None
    if target.exists() and not _is_ours(target):
        raise SubmissionError(f"{target} exists and is not an nkteach submission; not replacing it "
                              "(choose another output folder)")
    text = json.dumps(content, ensure_ascii=False, indent=1) + "\n"
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text, what="the submission file")   # never half a file, never via a link
    except SymlinkError as e:
        raise SubmissionError(str(e)) from None
    except OSError as e:
        raise SubmissionError(f"cannot write the submission into {out}: {e.strerror or e}") from None
    return Submitted(target, content, unsaved)


def verify(content) -> str | None:
    """None for a whole submission of this schema whose hash matches its content, else the reason.
    A match proves nothing about who wrote it or whether its outcomes are true (see the module)."""
    if not isinstance(content, dict) or content.get("schema") != SCHEMA:
        return "not an nkteach submission (no \"schema\": \"nkteach-submission\")"
    if content.get("schema_version") != SCHEMA_VERSION:
        return (f"submission schema version {content.get('schema_version')!r}; "
                f"this nkteach reads {SCHEMA_VERSION}")
    if content.get("integrity") != integrity_hash(content):
        return ("its integrity hash does not match its content (damaged, or edited without "
                "recomputing the hash)")
    lesson = content.get("lesson")
    if not isinstance(lesson, dict) or not lesson.get("key") or not isinstance(content.get("student"), str) \
            or not isinstance(content.get("exercises"), list) or not isinstance(content.get("written"), list):
        return "incomplete: student, lesson, exercises or written answers missing"
    return None
