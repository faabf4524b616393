"""Grades back into the LMS: a Canvas gradebook import file and a Moodle grade-import CSV.

**Canvas** (Grades → Export, edit, Grades → Import): :func:`canvas_import` takes the course's
exported gradebook CSV and writes it back with one column per lesson. Every column and row of
the export stays as it was (the identifying columns Student, ID, SIS User ID, SIS Login ID,
Section, and any Integration ID or Root Account column, are not touched; Canvas ignores its
read-only total columns on import). A lesson whose column already exists (same name, with or
without Canvas's ``(assignment id)`` suffix) is filled in, scaled to that column's points
possible; a new lesson column, which Canvas creates as a new assignment, goes before the
read-only columns with ``100`` in the "Points Possible" row (scores are percentages). Students
are matched by the Canvas user ID of their download (or their roster names); a cell stays empty
(Canvas leaves that grade unchanged) when the student handed nothing in for that lesson.

**Moodle** (Grades → Import → CSV file): :func:`moodle_import` writes one identifier column
(the roster's Email address, Username or ID number, chosen when importing in "Map from") and
one column per lesson (a grade item, mapped in "Map to"); a grade is the percentage, empty when
nothing was handed in.

Every cell goes through :mod:`nkteach.classroom.csvsafe` (a cell that could run as a formula
gets a leading ``'``), and files are written atomically, never through a symbolic link.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..validation import InvalidArgumentError, unknown_name
from .csvsafe import csv_text
from .gradebook import Folder, Handin, write_file
from .identity import norm_name, roster_key
from .safefile import refuse_symlink

__all__ = ["CANVAS_ID_COLUMNS", "FORMATS", "MOODLE_ID_COLUMNS", "LmsError", "LmsResult", "canvas_import",
           "lesson_column", "moodle_import", "write_lms"]

CANVAS_ID_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
_READ_ONLY = re.compile(r"(current|final|unposted).*(score|grade|points)|^total|override", re.I)
_ASSIGNMENT_ID = re.compile(r"\s*\(\d+\)\s*$")
MOODLE_ID_COLUMNS = ("Email address", "Username", "ID number")


class LmsError(InvalidArgumentError):
    """An LMS file cannot be read or written (not a Canvas export, unknown identifier column)."""


@dataclass
class LmsResult:
    """What an LMS writer did: the text, and the students it could not place."""

    text: str
    columns: list[str]
    filled: int = 0
    unmatched: list[str] = field(default_factory=list)


def lesson_column(fo: Folder, key: str) -> str:
    """The assignment / grade item name of lesson ``key``: ``Lesson 5 — Title``."""
    title = fo.titles.get(key, "")
    return f"Lesson {key}" + (f" — {title}" if title else "")


def _by_student(fo: Folder) -> dict[str, dict[str, Handin]]:
    out: dict[str, dict[str, Handin]] = {}
    for h in fo.accepted:
        out.setdefault(h.identity.key, {})[h.key] = h
    return out


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _read_canvas(p: Path) -> list[list[str]]:
    """The rows of a Canvas gradebook export (first row: header with Student and ID), padded to its width."""
    try:
        rows = list(csv.reader(p.read_text(encoding="utf-8-sig").splitlines()))
    except FileNotFoundError:
        raise LmsError(f"--canvas-export {p}: no such file (Canvas: Grades → Export)") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise LmsError(f"--canvas-export {p} is not a UTF-8 CSV file ({e})") from None
    header = rows[0] if rows else []
    missing = [c for c in ("Student", "ID") if c not in header]
    if missing:
        raise LmsError(f"--canvas-export {p} is not a Canvas gradebook export: no {' or '.join(missing)} "
                       f"column (its columns: {', '.join(header[:8]) or 'none'})")
    width = len(header)
    return [r + [""] * (width - len(r)) for r in rows]


def _lesson_columns(fo: Folder, rows: list[list[str]], pp: int | None) -> dict[str, int]:
    """Lesson key → its column, inserting (in ``rows``) the missing ones before the read-only columns."""
    header = rows[0]
    existing = {_ASSIGNMENT_ID.sub("", h).strip(): i for i, h in enumerate(header)}
    first_ro = next((i for i, h in enumerate(header) if _READ_ONLY.search(h)), len(header))
    cols: dict[str, int] = {}
    new = []
    for k in fo.lessons:
        name = lesson_column(fo, k)
        if name in existing:
            cols[k] = existing[name]
        else:
            new.append((k, name))
    if not new:
        return cols
    at = first_ro
    for r_i, r in enumerate(rows):
        if r_i == 0:
            ins = [n for _k, n in new]
        elif r_i == pp:
            ins = ["100"] * len(new)
        else:
            ins = [""] * len(new)
        rows[r_i] = r[:at] + ins + r[at:]
    cols = {k: (i + len(new) if i >= at else i) for k, i in cols.items()}
    cols.update({k: at + j for j, (k, _n) in enumerate(new)})
    return cols


def _row_student(by: dict, row: list[str], id_i: int, name_i: int) -> tuple[str, dict | None]:
    """(student key, their hand-ins by lesson) for one Canvas row: by Canvas ID, or else by the
    roster's names when exactly one student matches."""
    key = f"canvas:{row[id_i].strip()}"
    subs = by.get(key)
    if subs is None:   # handed in through a folder: match by the roster's names
        n = norm_name(row[name_i])
        match = [k for k, s in by.items() if any(n and n in h.identity.aliases for h in s.values())]
        if len(match) == 1:
            key, subs = match[0], by[match[0]]
    return key, subs


def canvas_import(fo: Folder, export_path) -> LmsResult:
    """The Canvas gradebook export at ``export_path`` with this run's lesson scores written in."""
    rows = _read_canvas(Path(export_path))
    id_i, name_i = rows[0].index("ID"), rows[0].index("Student")
    meta = [i for i, r in enumerate(rows[1:], 1) if not r[id_i].strip()]   # Points Possible, posting rows
    pp = next((i for i in meta if rows[i][name_i].strip().casefold() == "points possible"), None)
    cols = _lesson_columns(fo, rows, pp)
    by = _by_student(fo)
    res = LmsResult("", rows[0])
    placed: set[str] = set()
    for r in rows[1:]:
        if not r[id_i].strip():
            continue
        key, subs = _row_student(by, r, id_i, name_i)
        if not subs:
            continue
        placed.add(key)
        for k, h in subs.items():
            if k in cols and h.percent is not None:
                r[cols[k]] = _num(h.percent / 100 * _points(rows, pp, cols[k]))
                res.filled += 1
    res.unmatched = sorted(next(iter(s.values())).student for k, s in by.items() if k not in placed)
    res.text = csv_text(rows[0], rows[1:])
    return res

def _points(rows, pp, col) -> float:
    if pp is None:
        return 100.0
    try:
        v = float(rows[pp][col])
        return v if v > 0 else 100.0
    except ValueError:
        return 100.0


def moodle_import(fo: Folder, id_column: str = "Email address") -> LmsResult:
    """Moodle's grade-import CSV: ``id_column`` (from the roster), then one column per lesson."""
    if id_column not in MOODLE_ID_COLUMNS:
        raise unknown_name("id_column", id_column, MOODLE_ID_COLUMNS, error=LmsError,
                           what="Moodle user fields")
    field_name = {"Email address": "email", "Username": "username", "ID number": "id number"}[id_column]
    header = [id_column] + [lesson_column(fo, k) for k in fo.lessons]
    by = _by_student(fo)
    entries = {roster_key(e): e for e in (fo.roster.entries if fo.roster else [])}
    res = LmsResult("", header)
    rows = []
    for key, subs in sorted(by.items(), key=lambda kv: next(iter(kv[1].values())).student.casefold()):
        entry = entries.get(key)
        ident = entry.ids.get(field_name) if entry else None
        if not ident:
            res.unmatched.append(next(iter(subs.values())).student)
            continue
        row = [ident]
        for k in fo.lessons:
            h = subs.get(k)
            row.append("" if h is None or h.percent is None else _num(h.percent))
            res.filled += h is not None and h.percent is not None
        rows.append(row)
    res.text = csv_text(header, rows)
    return res


FORMATS = ("csv", "canvas", "moodle")


def write_lms(fo: Folder, fmt: str, out, *, canvas_export=None,
              moodle_id: str = "Email address") -> LmsResult | None:
    """Write the LMS file of format ``fmt`` ("canvas" needs ``canvas_export``) to ``out``; None for
    "csv" (the grades CSV is the only output). ``out`` must not exist yet, be a link, or be the
    Canvas export itself (the export is never overwritten)."""
    if fmt not in FORMATS:
        raise unknown_name("fmt", fmt, FORMATS, error=LmsError, what="LMS file formats")
    if fmt == "csv":
        return None
    out = Path(out)
    if fmt == "canvas":
        if canvas_export is None:
            raise LmsError("--format canvas needs --canvas-export: the gradebook CSV exported from "
                           "Canvas (Grades → Export → Export Entire Gradebook)")
        if out.resolve() == Path(canvas_export).resolve():
            raise LmsError(f"--lms-out {out} is the Canvas export itself; nkteach writes a new file "
                           "and never overwrites the export")
    refuse_symlink(out, "--lms-out")
    if out.exists() and (out.is_dir() or not _ours_lms(out, fmt, fo)):
        raise LmsError(f"--lms-out {out} exists and was not written by nkteach gradebook; not "
                       "replacing it (choose another file)")
    res = canvas_import(fo, canvas_export) if fmt == "canvas" else moodle_import(fo, moodle_id)
    write_file(out, res.text, "--lms-out")
    return res


def _ours_lms(path: Path, fmt: str, fo: Folder) -> bool:
    """An earlier output of this writer: its header has the Student and ID columns (Canvas) or a
    Moodle identifier column, and every lesson column of this run."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            head = next(csv.reader([f.readline()]), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    lessons = {lesson_column(fo, k) for k in fo.lessons}
    if fmt == "canvas":
        return {"Student", "ID"} <= set(head) and lessons <= {_ASSIGNMENT_ID.sub("", h).strip() for h in head}
    return bool(head) and head[0] in MOODLE_ID_COLUMNS and set(head[1:]) == lessons
