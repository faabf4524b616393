"""Gradebook and item analysis from a folder of hand-in files (``nkteach gradebook``).

What a hand-in file says is not believed; what it holds is checked:

- **Re-graded.** Every answer a file records is checked again against the instructor's lessons
  (the same check the notebook runs, built from the lesson's exercise call); written word counts
  are recounted from the submitted text; the score is the share of the *lesson's* exercises right
  or also defensible. A file whose recorded outcomes disagree with its answers is graded by its
  answers and flagged in the report. (With ``--no-lessons`` nothing can be re-checked: the report
  says so on every row.)
- **Identity from where the file came from** (:mod:`nkteach.classroom.identity`): a folder per
  student, a Canvas or Moodle bulk download, and an optional roster. A file claiming another
  student is flagged and never credited to the student it claims. Of two files of one student
  and lesson, the one delivered last counts (the file's modification time as the download left
  it, then its place in the download; never a time written inside the file).
- **Nothing in a file can stop the run.** Files that are symbolic links, folders named like
  files, files over :data:`MAX_BYTES`, text that is not UTF-8 or not JSON, JSON nested deeper
  than :data:`MAX_DEPTH`, fields of the wrong type, a hash that does not match: each is listed as
  rejected with its name and the reason, and the CSV and report are written for the rest.

:func:`grades` makes one row per student; :func:`item_analysis` gives, per exercise, the share of
students right at the first attempt and the most chosen wrong answer; :func:`report_html` writes
both into a self-contained HTML page for the instructor (it says how large it is and which
script it carries). CSVs go through :mod:`nkteach.classroom.csvsafe`; every file is written
atomically and never through a symbolic link (:mod:`nkteach.classroom.safefile`).
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..lessonfile.items import word_count
from ..markup import html_attr, html_text
from ..outcomes import NO_ANSWER, NOT_ATTEMPTED, OUTCOMES, RANK, RIGHT
from ..validation import InvalidArgumentError
from .csvsafe import csv_text
from .identity import Identity, Roster, identify, roster_key
from .regrade import check_answer, exercise_specs
from .safefile import SymlinkError, write_atomic
from .submission import SCHEMA, SCHEMA_VERSION, verify

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "CourseLesson",
    "Folder",
    "GradebookError",
    "Handin",
    "ItemStats",
    "Rejected",
    "answer_text",
    "grades",
    "item_analysis",
    "lesson_summary",
    "lesson_versions",
    "students",
    "check_output",
    "write_file",
    "read_folder",
    "regrade",
    "report_html",
    "shape_problem",
    "write_outputs",
]

MAX_BYTES = 5_000_000      # a hand-in with long written answers is well under 1 MB
MAX_DEPTH = 32             # nesting of JSON a hand-in needs: about 6
_MAX_ITEMS = 2000          # exercises, answers or written tasks in one list
_GENERATOR = '<meta name="generator" content="nkteach gradebook">'
_SOURCES = {"lessons": "course lessons", "submissions": "submissions (the version most of them carry)"}


class GradebookError(InvalidArgumentError):
    """Bad input to the gradebook: missing or empty folder, unwritable output."""


@dataclass
class Rejected:
    """A file the gradebook did not use, and why."""

    file: str
    reason: str


@dataclass
class CourseLesson:
    """An instructor lesson: its items (LessonItems) and the literal exercise calls to re-check with."""

    items: object
    specs: dict = field(default_factory=dict)

    key = property(lambda self: self.items.key)
    version = property(lambda self: self.items.version)
    title = property(lambda self: self.items.title)
    checked = property(lambda self: self.items.checked)
    written = property(lambda self: self.items.written)


@dataclass
class Handin:
    """An accepted hand-in: who it belongs to (from where it came) and its re-graded content."""

    file: str
    identity: Identity
    content: dict                      # as read (validated shape)
    key: str                           # lesson key
    exercises: list = field(default_factory=list)   # re-graded: [{"id", "question", "outcome", ...}]
    written: list = field(default_factory=list)     # [{"id", "words", "min_words"}]
    percent: float | None = None
    flags: list[str] = field(default_factory=list)
    regraded: bool = False
    mtime_ns: int = 0
    order: int = 0

    @property
    def student(self) -> str:
        """The student's name, as shown in the gradebook."""
        return self.identity.name


@dataclass
class Folder:
    """What :func:`read_folder` found."""

    root: Path
    files: int = 0
    accepted: list[Handin] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)           # lesson key → expected version
    titles: dict[str, str] = field(default_factory=dict)
    lessons: list[str] = field(default_factory=list)                 # expected lesson keys, in order
    items: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # key → [(ex_id, question)]
    version_source: str = "lessons"
    roster: Roster | None = None
    regraded: bool = False

    @property
    def flagged(self) -> list[Handin]:
        """The accepted hand-ins that carry at least one flag."""
        return [h for h in self.accepted if h.flags]


def _lesson_order(key: str):
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def lesson_versions(paths) -> dict[str, CourseLesson]:
    """key → :class:`CourseLesson` of instructor lesson notebooks (versions, titles, items and
    the exercise calls answers are re-checked with)."""
    from ..lessonfile import lesson_items, read_notebook

    out = {}
    for p in paths:
        nb = read_notebook(p)
        li = lesson_items(nb, p)
        out[li.key] = CourseLesson(li, exercise_specs(nb))
    return out


# ---------------------------------------------------------------- reading files

def _depth_ok(value) -> bool:
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if d > MAX_DEPTH:
            return False
        if isinstance(v, dict):
            stack += [(x, d + 1) for x in v.values()]
        elif isinstance(v, list):
            stack += [(x, d + 1) for x in v]
    return True


def _type(v) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(v), "a number" if isinstance(v, (int, float)) else type(v).__name__)


def _need(value, types, where, *, optional=False) -> str | None:
    """None when ``value`` is one of ``types`` (or None and ``optional``), else the problem at ``where``."""
    if optional and value is None:
        return None
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        names = " or ".join(_type(t()) if t is not type(None) else "null" for t in types)
        return f"\"{where}\" must be {names}, got {_type(value)}"
    return None


def _envelope_problem(content) -> str | None:
    """The first problem with what the file is: an object, an nkteach submission, this version, depth."""
    if not isinstance(content, dict):
        return f"not a submission: the file holds {_type(content)}, not an object"
    if content.get("schema") != SCHEMA:
        return "not an nkteach submission (no \"schema\": \"nkteach-submission\")"
    if content.get("schema_version") != SCHEMA_VERSION:
        return (f"submission schema version {content.get('schema_version')!r:.20}; "
                f"this nkteach reads {SCHEMA_VERSION}")
    if not _depth_ok(content):
        return f"nested deeper than {MAX_DEPTH} levels"
    return None


def _top_problem(content: dict) -> str | None:
    """The first problem with the top-level fields, the student's name and the lesson block."""
    checks = [_need(content.get("student"), (str,), "student"),
              _need(content.get("lesson"), (dict,), "lesson"),
              _need(content.get("exercises"), (list,), "exercises"),
              _need(content.get("written"), (list,), "written")]
    if any(checks):
        return next(c for c in checks if c)
    if not content["student"].strip() or len(content["student"]) > 200:
        return "\"student\" must be a name of 1 to 200 characters"
    les = content["lesson"]
    p = (_need(les.get("key"), (str,), "lesson.key")
         or _need(les.get("version"), (str,), "lesson.version", optional=True)
         or _need(les.get("title"), (str,), "lesson.title", optional=True))
    if p:
        return p
    if not les["key"].strip() or len(les["key"]) > 50:
        return "\"lesson.key\" must be 1 to 50 characters"
    for name in ("exercises", "written"):
        if len(content[name]) > _MAX_ITEMS:
            return f"\"{name}\" lists more than {_MAX_ITEMS} entries"
    return None


def _exercise_problem(e, w: str) -> str | None:
    """The first problem with one exercise entry ``w`` (``exercises[i]``) and its answers."""
    p = _need(e, (dict,), w) or _need(e.get("id"), (str,), f"{w}.id") \
        or _need(e.get("answers", []), (list,), f"{w}.answers") \
        or _need(e.get("outcome"), (str,), f"{w}.outcome", optional=True) \
        or _need(e.get("question"), (str,), f"{w}.question", optional=True)
    if p:
        return p
    if len(e.get("answers", [])) > _MAX_ITEMS:
        return f"\"{w}.answers\" lists more than {_MAX_ITEMS} entries"
    for j, a in enumerate(e.get("answers", [])):
        p = _need(a, (dict,), f"{w}.answers[{j}]") or _need(a.get("outcome"), (str,),
                                                            f"{w}.answers[{j}].outcome", optional=True)
        if p:
            return p
    return None


def _written_problem(t, w: str) -> str | None:
    """The first problem with one written entry ``w`` (``written[i]``)."""
    return _need(t, (dict,), w) or _need(t.get("id"), (str,), f"{w}.id") \
        or _need(t.get("text"), (str,), f"{w}.text", optional=True)


def shape_problem(content) -> str | None:
    """None when every field the gradebook reads has the type it needs, else the first problem
    (naming the field)."""
    p = _envelope_problem(content) or _top_problem(content)
    if p:
        return p
    for i, e in enumerate(content["exercises"]):
        p = _exercise_problem(e, f"exercises[{i}]")
        if p:
            return p
    for i, t in enumerate(content["written"]):
        p = _written_problem(t, f"written[{i}]")
        if p:
            return p
    return None

def _candidates(root: Path) -> tuple[list[tuple[Path, os.stat_result]], list[Rejected]]:
    """Every *.json under ``root`` (hidden names skipped), without following a link."""
    found, rejected = [], []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        d = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if not n.startswith("."))
        for n in list(dirnames):
            p = d / n
            rel = str(p.relative_to(root))
            if p.is_symlink():
                dirnames.remove(n)
                rejected.append(Rejected(rel, "a symbolic link to a folder (not followed)"))
            elif n.lower().endswith(".json"):
                rejected.append(Rejected(rel, "a folder named like a submission file, not a file"))
        for n in sorted(filenames):
            if n.startswith(".") or not n.lower().endswith(".json"):
                continue
            p = d / n
            st = p.lstat()
            if p.is_symlink():
                rejected.append(Rejected(str(p.relative_to(root)), "a symbolic link (not followed)"))
                continue
            found.append((p, st))
    return found, rejected


def _load(p: Path, st: os.stat_result) -> tuple[dict | None, str | None]:
    import stat as _stat

    if not _stat.S_ISREG(st.st_mode):
        return None, "not a regular file"
    if st.st_size > MAX_BYTES:
        return None, f"{st.st_size:,} bytes, over the limit of {MAX_BYTES:,} bytes for a hand-in"
    fd = os.open(p, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        raw = f.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return None, f"over the limit of {MAX_BYTES:,} bytes for a hand-in"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    try:
        content = json.loads(text)
    except RecursionError:
        return None, f"nested deeper than {MAX_DEPTH} levels"
    except ValueError:
        return None, "not valid JSON: truncated, or not a submission file"
    problem = shape_problem(content)
    if problem:
        return None, problem
    problem = verify(content)
    return (None, problem) if problem else (content, None)


# ---------------------------------------------------------------- re-grading

def _best(outcomes) -> str:
    return min(outcomes, key=RANK.get, default=NOT_ATTEMPTED)


def regrade(content: dict, lesson: CourseLesson) -> tuple[list, list, float | None, list[str]]:
    """(exercises, written, percent, flags) of a hand-in, checked again against ``lesson``: every
    recorded answer re-checked, every word recounted, the score over the lesson's exercises."""
    flags: list[str] = []
    given = {}
    for e in content["exercises"]:
        given.setdefault(e["id"], e)
    known = {i.ex_id for i in lesson.checked}
    extra = sorted(set(given) - known)
    if extra:
        flags.append(f"lists exercises that are not in the lesson (ignored): {', '.join(extra)[:200]}")
    disagree, unchecked, exercises = [], [], []
    for it in lesson.checked:
        e = given.get(it.ex_id) or {}
        outs = []
        recorded_bad = False
        for a in e.get("answers", []):
            if it.ex_id in lesson.specs:
                out = check_answer(*lesson.specs[it.ex_id], a.get("answer"))
            else:
                out = a.get("outcome") if a.get("outcome") in OUTCOMES else NO_ANSWER
                if it.ex_id not in unchecked:
                    unchecked.append(it.ex_id)
            recorded_bad |= a.get("outcome") != out
            outs.append(out)
        tried = [o for o in outs if o != NO_ANSWER]
        best = _best(outs)
        recorded_best = e.get("outcome", NOT_ATTEMPTED) if e else NOT_ATTEMPTED
        if recorded_bad or (recorded_best in RIGHT) != (best in RIGHT):
            disagree.append(it.ex_id)
        exercises.append({"id": it.ex_id, "question": it.question, "outcome": best, "attempts": len(tried),
                          "first_outcome": tried[0] if tried else None,
                          "answers": [{"answer": a.get("answer"), "outcome": o}
                                      for a, o in zip(e.get("answers", []), outs) if o != NO_ANSWER]})
    if disagree:
        flags.append(f"recorded outcomes disagree with the recorded answers for {len(disagree)} exercise"
                     f"{'s' if len(disagree) != 1 else ''} ({', '.join(disagree)[:200]}): "
                     "graded by the answers")
    if unchecked:
        flags.append(f"could not re-check {', '.join(unchecked)} (the lesson's call is not literal): "
                     "recorded outcomes used")
    texts = {}
    for t in content["written"]:
        texts.setdefault(t["id"], t)
    written, recount = [], []
    for it in lesson.written:
        t = texts.get(it.ex_id) or {}
        words = word_count(t.get("text") or "")
        if t and t.get("words") != words:
            recount.append(f"{it.ex_id} {t.get('words')!r:.12} → {words}")
        written.append({"id": it.ex_id, "words": words, "min_words": it.min_words or 0})
    if recount:
        flags.append("written word counts recounted from the text: " + "; ".join(recount))
    n = len(exercises)
    right = sum(e["outcome"] in RIGHT for e in exercises)
    return exercises, written, (round(100 * right / n, 1) if n else None), flags


def _as_recorded(content: dict) -> tuple[list, list, float | None]:
    exercises = [{"id": e["id"], "question": e.get("question") or "",
                  "outcome": (e.get("outcome") if e.get("outcome") in (*OUTCOMES, NOT_ATTEMPTED)
                              else NOT_ATTEMPTED),
                  "attempts": sum(1 for a in e.get("answers", []) if a.get("outcome") != NO_ANSWER),
                  "first_outcome": next((a.get("outcome") for a in e.get("answers", [])
                                         if a.get("outcome") != NO_ANSWER), None),
                  "answers": [a for a in e.get("answers", []) if a.get("outcome") != NO_ANSWER]}
                 for e in content["exercises"]]
    written = [{"id": t["id"], "words": word_count(t.get("text") or ""), "min_words": 0}
               for t in content["written"]]
    n = len(exercises)
    right = sum(e["outcome"] in RIGHT for e in exercises)
    return exercises, written, (round(100 * right / n, 1) if n else None)


# ---------------------------------------------------------------- the folder

def _folder_files(root: Path) -> tuple[list[tuple[Path, os.stat_result]], list[Rejected]]:
    """The candidate files under ``root`` and those rejected on sight; an error when there is nothing."""
    if not root.exists():
        raise GradebookError(f"submissions folder {root} does not exist")
    if not root.is_dir():
        raise GradebookError(f"{root} is not a folder; give the folder that holds the submission files")
    found, pre_rejected = _candidates(root)
    if not found and not pre_rejected:
        raise GradebookError(f"no submission files (*.json) in {root}; students write them with "
                             "'nkteach submit LESSON.ipynb' or the Hand in button")
    return found, pre_rejected


def _identity_flags(h: Handin) -> None:
    """Flag a hand-in whose name inside differs from where it came from, is unverified, or is late."""
    ident, content = h.identity, h.content
    if ident.verified and not ident.claims_match(content["student"]):
        h.flags.append(f"claims to be {content['student']!r:.80} but came from {ident.source} as "
                       f"{ident.name!r}: counted for {ident.name} only, never for the name it claims")
    elif not ident.verified:
        h.flags.append("identity taken from inside the file (not in a student folder or an LMS "
                       "download): not verified")
    if ident.late:
        h.flags.append("marked late by Canvas")


def _read_handin(fo: Folder, rel: Path, p: Path, st: os.stat_result, order: int) -> Handin | None:
    """One file as a flagged :class:`Handin`, or None after adding it to ``fo.rejected``."""
    try:
        content, problem = _load(p, st)
        if problem:
            fo.rejected.append(Rejected(str(rel), problem))
            return None
        ident = identify(rel, content["student"], fo.roster)
        h = Handin(str(rel), ident, content, content["lesson"]["key"], mtime_ns=st.st_mtime_ns,
                   order=order)
        _identity_flags(h)
        return h
    except Exception as e:  # noqa: BLE001 (the promise: no file stops the run)
        fo.rejected.append(Rejected(str(rel), f"could not be read ({type(e).__name__})"))
        return None


def _set_versions(fo: Folder, valid: list[Handin], lessons: dict | None) -> None:
    """The course's lessons, their current versions, titles and items: from ``lessons``, or else
    the version most hand-ins of a lesson carry."""
    if lessons:
        fo.lessons = sorted(lessons, key=_lesson_order)
        fo.versions = {k: li.version for k, li in lessons.items()}
        fo.titles = {k: li.title for k, li in lessons.items()}
        fo.items = {k: [(i.ex_id, i.question) for i in li.checked] for k, li in lessons.items()}
        return
    fo.version_source = "submissions"
    by_key: dict[str, Counter] = {}
    for h in valid:
        by_key.setdefault(h.key, Counter())[str(h.content["lesson"].get("version"))] += 1
    fo.versions = {k: min(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[0] for k, cnt in by_key.items()}
    fo.lessons = sorted(by_key, key=_lesson_order)


def _version_problem(fo: Folder, h: Handin) -> str | None:
    """Why a hand-in is not for one of the course's lessons at its current version, or None."""
    version = h.content["lesson"].get("version")
    if h.key not in fo.versions:
        return f"lesson {h.key!r:.60} is not one of the course's lessons ({', '.join(fo.lessons)})"
    if str(version) != str(fo.versions[h.key]):
        return (f"made for another version of lesson {h.key} ({str(version)[:19]}…, current "
                f"{str(fo.versions[h.key])[:19]}…)")
    return None


def _grade(fo: Folder, h: Handin, lessons: dict | None) -> bool:
    """Re-grade (or take as recorded) one hand-in; False after adding it to ``fo.rejected``."""
    try:
        if lessons:
            h.exercises, h.written, h.percent, flags = regrade(h.content, lessons[h.key])
            h.flags += flags
            h.regraded = True
        else:
            h.exercises, h.written, h.percent = _as_recorded(h.content)
    except Exception as e:  # noqa: BLE001
        fo.rejected.append(Rejected(h.file, f"could not be re-graded ({type(e).__name__})"))
        return False
    fo.titles.setdefault(h.key, h.content["lesson"].get("title") or "")
    fo.items.setdefault(h.key, [(e["id"], e.get("question", "")) for e in h.exercises])
    return True


def _keep_latest(fo: Folder, kept: dict[tuple[str, str], Handin], h: Handin) -> None:
    """Keep the later-delivered of two hand-ins of one student's lesson; reject the other."""
    sk = (h.identity.key, h.key)
    old = kept.get(sk)
    if old is None:
        kept[sk] = h
        return
    new_wins = (h.mtime_ns, h.order) > (old.mtime_ns, old.order)
    keep, drop = (h, old) if new_wins else (old, h)
    fo.rejected.append(Rejected(drop.file, f"an earlier hand-in of {keep.student}'s lesson {h.key}: "
                                           f"{keep.file} was delivered later (file time), so it is used"))
    kept[sk] = keep


def read_folder(folder, lessons: dict | None = None, *, roster: Roster | None = None) -> Folder:
    """Read, check and re-grade every hand-in under ``folder``. ``lessons``: key →
    :class:`CourseLesson` (from :func:`lesson_versions`); without it the version most hand-ins of
    a lesson carry counts as current and nothing is re-checked. ``roster``: the course's students.
    Nothing in a file raises: every problem becomes a rejected file or a flag."""
    root = Path(folder)
    found, pre_rejected = _folder_files(root)
    fo = Folder(root, files=len(found) + len(pre_rejected), roster=roster, regraded=bool(lessons))
    fo.rejected += pre_rejected
    read = (_read_handin(fo, p.relative_to(root), p, st, order) for order, (p, st) in enumerate(found))
    valid = [h for h in read if h is not None]
    _set_versions(fo, valid, lessons)
    kept: dict[tuple[str, str], Handin] = {}
    for h in valid:
        problem = _version_problem(fo, h)
        if problem:
            fo.rejected.append(Rejected(h.file, problem))
        elif _grade(fo, h, lessons):
            _keep_latest(fo, kept, h)
    fo.accepted = sorted(kept.values(), key=lambda h: (h.student.casefold(), _lesson_order(h.key)))
    fo.rejected.sort(key=lambda r: r.file)
    return fo

def _col(key: str) -> str:
    return f"lesson_{int(key):02d}" if key.isdigit() else f"lesson_{key}"


def students(fo: Folder) -> list[tuple[str, str]]:
    """(identity key, name) of every student: those who handed in, then the roster's others."""
    seen: dict[str, str] = {}
    for h in fo.accepted:
        seen.setdefault(h.identity.key, h.student)
    if fo.roster:
        for e in fo.roster.entries:
            seen.setdefault(roster_key(e), e.name)
    return sorted(seen.items(), key=lambda kv: (kv[1].casefold(), kv[0]))


def grades(fo: Folder) -> tuple[list[str], list[dict]]:
    """CSV header and one row per student: per lesson the score (% of the lesson's checked
    exercises right or also defensible, re-graded) and the written words (recounted), then the
    lessons handed in, the missing ones, and the flags of the student's files."""
    header = ["student", "identity"]
    for k in fo.lessons:
        header += [f"{_col(k)}_score", f"{_col(k)}_written_words"]
    header += ["lessons_submitted", "missing_lessons", "flags"]
    by_student: dict[str, dict[str, Handin]] = {}
    for h in fo.accepted:
        by_student.setdefault(h.identity.key, {})[h.key] = h
    rows = []
    for key, name in students(fo):
        subs = by_student.get(key, {})
        row = {"student": name, "identity": key}
        for k in fo.lessons:
            h = subs.get(k)
            row[f"{_col(k)}_score"] = "" if h is None or h.percent is None else f"{h.percent:.1f}"
            row[f"{_col(k)}_written_words"] = sum(w["words"] for w in h.written) if h else ""
        row["lessons_submitted"] = len(subs)
        row["missing_lessons"] = "; ".join(k for k in fo.lessons if k not in subs)
        flags = [f"lesson {h.key}: {f}" for h in subs.values() for f in h.flags]
        if not fo.regraded and subs:
            flags.append("not re-graded (no lessons given)")
        row["flags"] = " | ".join(flags)
        rows.append(row)
    return header, rows


def answer_text(answer) -> str:
    """An answer as one line: an order as 'a → b → c', a number without trailing zeros."""
    if isinstance(answer, dict):   # ordering given as {item: position}
        try:
            answer = [k for k, _ in sorted(answer.items(), key=lambda kv: float(kv[1]))]
        except (TypeError, ValueError):
            return json.dumps(answer, ensure_ascii=False, sort_keys=True)
    if isinstance(answer, list):
        return " → ".join(answer_text(a) for a in answer)
    if isinstance(answer, bool) or answer is None:
        return str(answer)
    if isinstance(answer, float):
        return f"{answer:g}"
    return " ".join(str(answer).split())


@dataclass
class ItemStats:
    """One exercise over the class: answered, right at the first attempt, wrong answers given."""

    ex_id: str
    question: str
    answered: int = 0          # students with at least one attempt
    right_first: int = 0       # of those, right (or also defensible) at the first attempt
    wrong: Counter = field(default_factory=Counter)   # wrong answer → number of students giving it

    @property
    def share_first(self) -> float | None:
        """Share of those who answered that were right at the first attempt (None if nobody answered)."""
        return self.right_first / self.answered if self.answered else None

    @property
    def top_wrong(self) -> tuple[str, int] | None:
        """The most frequent wrong answer and how many students gave it (None if none was wrong)."""
        if not self.wrong:
            return None
        return min(self.wrong.items(), key=lambda kv: (-kv[1], kv[0]))


def item_analysis(fo: Folder, key: str) -> list[ItemStats]:
    """Per exercise of lesson ``key``, over the accepted submissions: how many students answered,
    how many were right at the first attempt, and each wrong answer with how many students gave
    it (a student counts once per answer, however often they repeated it). Outcomes are the
    re-graded ones."""
    stats = {ex_id: ItemStats(ex_id, q) for ex_id, q in fo.items.get(key, [])}
    for h in fo.accepted:
        if h.key != key:
            continue
        for e in h.exercises:
            st = stats.setdefault(e["id"], ItemStats(e["id"], e.get("question", "")))
            if not e.get("attempts"):
                continue
            st.answered += 1
            st.right_first += e.get("first_outcome") in RIGHT
            wrong = {answer_text(a.get("answer")) for a in e.get("answers", [])
                     if isinstance(a, dict) and a.get("outcome") == "not yet"}
            st.wrong.update(wrong)
    return list(stats.values())


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def lesson_summary(key: str, title: str, stats: list[ItemStats]) -> str:
    """The text summary beside a lesson's chart: the hardest exercises first."""
    answered = [s for s in stats if s.answered]
    if not answered:
        return f"Lesson {key}: no exercise was answered in the accepted submissions."
    hard = sorted(answered, key=lambda s: (s.share_first, s.ex_id))[:3]
    parts = []
    for s in hard:
        t = f"{s.ex_id}: {s.right_first} of {s.answered} ({_pct(s.share_first)}) right at the first attempt"
        if s.top_wrong:
            t += f"; most chosen wrong answer “{s.top_wrong[0]}” ({s.top_wrong[1]} student" \
                 f"{'s' if s.top_wrong[1] != 1 else ''})"
        parts.append(t)
    mean = sum(s.share_first for s in answered) / len(answered)
    return (f"Lesson {key}{' — ' + title if title else ''}: {len(answered)} exercises answered; on average "
            f"{_pct(mean)} of students were right at the first attempt. Hardest: " + ". ".join(parts) + ".")


def _svg(stats: list[ItemStats], label: str) -> str:
    rows = [s for s in stats if s.answered]
    if not rows:
        return ""
    bar_w, left, h = 320, 170, 22
    height = h * len(rows) + 30
    e = html_text
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{left + bar_w + 140}" '
            f'height="{height}" aria-label="{html_attr(label)}"><title>{e(label)}</title>'),
           f'<text x="{left}" y="12" font-size="11">share right at the first attempt (0–100%)</text>']
    for i, s in enumerate(rows):
        y = 20 + i * h
        w = round(bar_w * (s.share_first or 0))
        out.append(f'<text x="{left - 6}" y="{y + 14}" font-size="12" text-anchor="end">{e(s.ex_id)}</text>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{bar_w}" height="{h - 8}" fill="none" '
                   f'stroke="#000000" stroke-width="0.5"/>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{w}" height="{h - 8}" fill="#0072B2"/>')
        out.append(f'<text x="{left + bar_w + 6}" y="{y + 14}" font-size="12">{s.right_first} of '
                   f'{s.answered} ({_pct(s.share_first)})</text>')
    out.append("</svg>")
    return "\n".join(out)


def _figure(stats: list[ItemStats], label: str):
    """The same item analysis as a plotly bar chart (pattern as well as colour, values on the bars)."""
    import plotly.graph_objects as go

    from ..charts import TEMPLATE   # registers the package's accessible plotly template

    rows = [s for s in stats if s.answered]
    if not rows:
        return None
    pct = [round(100 * (s.share_first or 0), 1) for s in rows]
    fig = go.Figure(go.Bar(
        y=[s.ex_id for s in rows], x=pct, orientation="h", marker={"color": "#0072B2",
                                                                 "pattern": {"shape": "/"}},
        text=[f"{s.right_first} of {s.answered} ({_pct(s.share_first)})" for s in rows],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text} right at the first attempt<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title={"text": label}, height=120 + 28 * len(rows),
                      xaxis={"title": "share right at the first attempt (%)", "range": [0, 130]},
                      yaxis={"autorange": "reversed"}, showlegend=False,
                      margin={"l": 140, "r": 30, "t": 60, "b": 50})
    return fig


def _chart_html(stats: list[ItemStats], label: str, with_plotly_js: bool) -> str:
    """The plotly chart (plotly.js inlined once per report, so it works offline and as a
    single file), with the SVG drawing as the fallback when scripts are off."""
    fig = _figure(stats, label)
    if fig is None:
        return ""
    div = fig.to_html(full_html=False, include_plotlyjs=with_plotly_js,
                      config={"displaylogo": False, "responsive": True,
                              "displayModeBar": False})   # no buttons inside role=img (axe)
    return (f'<div role="img" aria-label="{html_attr(label)}">{div}</div>'
            f"<noscript>{_svg(stats, label)}</noscript>")


def _anchor(key: str) -> str:
    return "lesson-" + "".join(ch if ch.isalnum() else "-" for ch in key)


_SIZE_MARK = "\x00SIZE\x00"


def _report_head(fo: Folder, students: int) -> list[str]:
    """The page head, the counts, the size placeholder, what was re-graded and the contents."""
    e = html_text
    lesson_links = "".join(f'<li><a href="#{html_attr(_anchor(k))}">Lesson {e(k)}</a></li>'
                           for k in fo.lessons)
    return ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', _GENERATOR,
            "<title>nkteach gradebook report</title>",
            ("<style>body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}"
             "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;text-align:left}"
             "nav a{display:inline-block;min-height:24px;line-height:24px}"   # WCAG 2.5.8 target size
             "</style></head><body>"),
            "<h1>Gradebook report</h1>",
            (f"<p>{fo.files} submission files read from <code>{e(str(fo.root))}</code>: "
             f"{len(fo.accepted)} accepted ({len(fo.flagged)} flagged), {len(fo.rejected)} rejected; "
             f"{students} students; lesson versions from the {e(_SOURCES[fo.version_source])}.</p>"),
            _SIZE_MARK,
            ("<p>" + ("Every recorded answer was checked again against the course lessons and every "
                      "written answer's words recounted; scores are out of the lesson's exercises."
                      if fo.regraded else
                      "<b>Not re-graded:</b> no course lessons were given (<code>--no-lessons</code> or no "
                      "lessons folder), so the outcomes are those written in the files, which a student can "
                      "write themselves.") +
             " A file's integrity hash only shows it was not damaged or carelessly edited; who a file "
             "belongs to comes from its folder or the LMS download, not from inside it.</p>"),
            ('<nav aria-label="Contents"><ul><li><a href="#flagged">Flagged hand-ins</a></li>'
             '<li><a href="#rejected">Rejected files</a></li><li><a href="#start">Start the next class '
             f'with</a></li>{lesson_links}<li><a href="#grades">Grades</a></li></ul></nav>')]


def _table_html(anchor: str, heading: str, empty: str, columns: list[str], rows: list[str]) -> list[str]:
    """A report section: its heading, then the table of ``rows`` (ready ``<tr>`` lines, escaped by
    the caller) or, with none, the ``empty`` sentence."""
    out = [f'<h2 id="{anchor}">{heading}</h2>']
    if not rows:
        return out + [f"<p>{empty}</p>"]
    head = "".join(f"<th scope='col'>{c}</th>" for c in columns)
    return out + [f"<table><thead><tr>{head}</tr></thead><tbody>", *rows, "</tbody></table>"]


def _flagged_html(fo: Folder) -> list[str]:
    """The table of flagged hand-ins and why each is flagged."""
    e = html_text
    rows = []
    for h in fo.flagged:
        why = "<ul>" + "".join(f"<li>{e(f)}</li>" for f in h.flags) + "</ul>"
        rows.append(f"<tr><td>{e(h.file)}</td><td>{e(h.student)}</td><td>{e(h.key)}</td><td>{why}</td></tr>")
    return _table_html("flagged", "Flagged hand-ins", "None.", ["File", "Counted for", "Lesson", "Why"], rows)


def _rejected_html(fo: Folder) -> list[str]:
    """The table of rejected files and the reason for each."""
    e = html_text
    rows = [f"<tr><td>{e(r.file)}</td><td>{e(r.reason)}</td></tr>" for r in fo.rejected]
    return _table_html("rejected", "Rejected files", "None: every file was read.", ["File", "Reason"], rows)

def _start_html(fo: Folder) -> list[str]:
    """Per lesson, the exercise fewest students got right at the first attempt."""
    e = html_text
    starts = []
    for k in fo.lessons:
        answered = [s for s in item_analysis(fo, k) if s.answered]
        if answered:
            s = min(answered, key=lambda s: (s.share_first, s.ex_id))
            wrong = (f"; most chosen wrong answer “{e(s.top_wrong[0])}” ({s.top_wrong[1]})"
                     if s.top_wrong else "")
            starts.append(f"<li>Lesson {e(k)}: <b>{e(s.ex_id)}</b> — {s.right_first} of {s.answered} "
                          f"right at the first attempt{wrong}.</li>")
    return ['<h2 id="start">Start the next class with</h2><ul>',
            *(starts or ["<li>No exercises answered yet.</li>"]), "</ul>"]


def _lesson_html(fo: Folder, k: str, with_plotly_js: bool) -> tuple[list[str], bool]:
    """One lesson's item analysis (chart, summary, table) and whether it carries a chart."""
    e = html_text
    stats = item_analysis(fo, k)
    title = fo.titles.get(k, "")
    out = [f'<h2 id="{html_attr(_anchor(k))}">Lesson {e(k)}{" — " + e(title) if title else ""}</h2>']
    summary = lesson_summary(k, title, stats)
    chart = _chart_html(stats, f"Share of students right at the first attempt, lesson {k}",
                        with_plotly_js=with_plotly_js)
    out.append(chart)
    out.append(f"<p><b>Summary.</b> {e(summary)}</p>")
    out.append("<table><thead><tr><th scope='col'>Exercise</th><th scope='col'>Question</th>"
               "<th scope='col'>Answered</th><th scope='col'>Right at first attempt</th>"
               "<th scope='col'>Most chosen wrong answer</th></tr></thead><tbody>")
    for s in stats:
        tw = f"{e(s.top_wrong[0])} ({s.top_wrong[1]})" if s.top_wrong else "—"
        q = s.question if len(s.question) <= 120 else s.question[:117] + "…"
        out.append(f"<tr><td>{e(s.ex_id)}</td><td>{e(q)}</td><td>{s.answered}</td>"
                   f"<td>{s.right_first} ({_pct(s.share_first)})</td><td>{tw}</td></tr>")
    out.append("</tbody></table>")
    return out, bool(chart)


def _grades_html(header: list, rows: list) -> list[str]:
    """The grades table and the end of the page."""
    e = html_text
    out = ['<h2 id="grades">Grades</h2><table><thead><tr>']
    out += [f"<th scope='col'>{e(h)}</th>" for h in header]
    out.append("</tr></thead><tbody>")
    for r in rows:
        out.append("<tr>" + "".join(f"<td>{e(r[h])}</td>" for h in header) + "</tr>")
    return out + ["</tbody></table></body></html>"]


def report_html(fo: Folder) -> str:
    """The instructor's report: flagged and rejected files, then per lesson the item analysis
    (chart, text summary, table), then the grades. Every text is escaped; every link goes to an
    anchor in the report; the report states its own size and the one script it carries."""
    header, rows = grades(fo)
    out = _report_head(fo, len(rows)) + _flagged_html(fo) + _rejected_html(fo) + _start_html(fo)
    plotly_js_in = False   # plotly.js goes into the report once, before the first chart
    for k in fo.lessons:
        part, charted = _lesson_html(fo, k, with_plotly_js=not plotly_js_in)
        out += part
        plotly_js_in = plotly_js_in or charted
    out += _grades_html(header, rows)
    text = "\n".join(out) + "\n"
    return text.replace(_SIZE_MARK, _self_description(text, plotly_js_in))

def _self_description(text: str, with_plotly: bool) -> str:
    size = len(text.encode("utf-8")) + 200          # this sentence adds under 200 bytes
    mb = f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"
    if with_plotly:
        import plotly

        what = (f"It carries one script library, plotly.js (of plotly {plotly.__version__}), for its charts, "
                "and fetches nothing from the network; with scripts off each chart shows as a drawing.")
    else:
        what = "It carries no scripts (no lesson had answers to chart) and fetches nothing from the network."
    return f"<p>This report is one file of about {html_text(mb)}. {html_text(what)}</p>"


def _ours(path: Path, kind: str) -> bool:
    if path.is_symlink():
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            head = f.read(4000)
    except OSError:
        return False
    if kind == "csv":
        first = head.splitlines()[0] if head else ""
        return first.startswith("student,") and "missing_lessons" in first
    return _GENERATOR in head


def check_output(path, what: str, kind: str) -> Path:
    """``path`` if the gradebook may write it: not a link, not a folder, and either new or a file
    this command wrote before (else :class:`GradebookError` naming ``what``)."""
    p = Path(path)
    if p.is_symlink():
        raise GradebookError(f"{what} {p} is a symbolic link; nkteach never writes through a link")
    if p.exists() and (p.is_dir() or not _ours(p, kind)):
        raise GradebookError(f"{what} {p} exists and was not written by nkteach gradebook; not replacing "
                             "it (choose another file)")
    if not p.parent.is_dir():
        raise GradebookError(f"cannot write {what} {p}: folder {p.parent} does not exist")
    return p


def write_file(path: Path, text: str, what: str) -> None:
    """Write ``text`` atomically, never through a link (:class:`GradebookError` on failure)."""
    try:
        write_atomic(path, text, what=what)
    except SymlinkError as e:
        raise GradebookError(str(e)) from None
    except OSError as e:
        raise GradebookError(f"cannot write {what} {path}: {e.strerror or e}") from None


def write_outputs(fo: Folder, csv_path, html_path) -> None:
    """Write the grades CSV (spreadsheet-safe) and the report HTML; replaces only files this
    command wrote before, never through a symbolic link."""
    header, rows = grades(fo)
    outputs = ((check_output(csv_path, "--out", "csv"), csv_text(header, rows), "--out"),
               (check_output(html_path, "--report", "html"), report_html(fo), "--report"))
    for path, text, what in outputs:
        write_file(path, text, what)
