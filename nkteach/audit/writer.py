"""``nkteach audit --write-times``: write the time rule's minutes into the lessons and the syllabus.

For each lesson: metadata ``nkteach.time_class_minutes``, ``nkteach.time_homework_minutes`` (and
the older ``time_minutes``, which ``nkteach lessons`` shows, set to the class minutes) and the
first cell's ``**Estimated time:** NN minutes in class + NN minutes of homework`` line (replacing
the old ``**Estimated time:**`` line, or added before ``**Prerequisites:**``). For each syllabus
week in the CONTENT_RULES format: the ``**Class time:** NN minutes · **Homework:** NN minutes``
line (replaced, or added after the week's ``**Lessons:**`` line). A file is rewritten only when
its content changes; symbolic links are refused.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..lessonfile.reader import cell_source
from ..lessonfile import house
from .rules import WEEK_TIME_LINE, syllabus_weeks
from .texts import AuditInputError, Corpus, load_corpus

__all__ = ["write_times", "notebook_with_times", "syllabus_with_times"]

_OLD_LINE = re.compile(r"^\*\*Estimated time:?\*\*.*$", re.M)


def _dump(nb: dict) -> str:
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def notebook_with_times(nb: dict) -> dict:
    """A copy of ``nb`` whose metadata and first-cell line state the time rule's minutes."""
    nb = json.loads(json.dumps(nb))
    t = house.lesson_times(nb)
    meta = nb.setdefault("metadata", {}).setdefault("nkteach", {})
    meta.update(
        time_class_minutes=t.class_minutes,
        time_homework_minutes=t.homework_minutes,
        time_minutes=t.class_minutes,
    )
    cells = nb.get("cells", [])
    if cells and cells[0].get("cell_type") == "markdown":
        src = cell_source(cells[0])
        if _OLD_LINE.search(src):
            src = _OLD_LINE.sub(lambda m: t.line(), src, count=1)
        elif re.search(r"^\*\*Prerequisites", src, re.M):
            src = re.sub(
                r"^(\*\*Prerequisites)", lambda m: t.line() + "\n\n" + m.group(1), src, count=1, flags=re.M
            )
        else:
            src = src.rstrip("\n") + "\n\n" + t.line()
        cells[0]["source"] = src.splitlines(keepends=True)
    return nb


def syllabus_with_times(c: Corpus) -> str | None:
    """The syllabus page with each week's time line set to its lessons' computed minutes (None without a
    syllabus)."""
    page = c.page("syllabus.md")
    if page is None:
        return None
    times = {d.number: house.lesson_times(d.nb) for d in c.lessons}
    lines = page.segments[0].text.split("\n")
    for w in sorted(syllabus_weeks(c) or [], key=lambda w: w.line, reverse=True):
        if w.lessons_line is None:
            continue
        new = WEEK_TIME_LINE.format(
            c=sum(times[n].class_minutes for n in w.lessons if n in times),
            h=sum(times[n].homework_minutes for n in w.lessons if n in times),
        )
        if w.time_line is not None:
            lines[w.time_line - 1] = new
        else:
            lines.insert(w.lessons_line, new)
    return "\n".join(lines)


def _write(path: Path, text: str) -> bool:
    if path.is_symlink():
        raise AuditInputError(f"{path}: is a symbolic link; --write-times never writes through one")
    if path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def write_times(root) -> list[Path]:
    """Write the computed minutes into every lesson and the syllabus under ``root``; returns the
    files that changed."""
    c = load_corpus(root)
    changed = []
    for d in c.lessons:
        if _write(d.path, _dump(notebook_with_times(d.nb))):
            changed.append(d.path)
    c = load_corpus(root)  # the syllabus sums the minutes just written
    text = syllabus_with_times(c)
    page = c.page("syllabus.md")
    if text is not None and _write(page.path, text):
        changed.append(page.path)
    return changed
