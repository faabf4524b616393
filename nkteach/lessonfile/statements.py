"""The classify kind's data: the ``statements`` dataset (the nkteach exercise bank) read as
exercises. Lesson items, the classify constructor, the nbgrader export and the gradebook's
re-grading read statements through here, so a statement is turned into an exercise one way.
"""
from __future__ import annotations

import functools
import re

from ..data import load, on_clear
from ..levels import LEVEL_ALIASES
from ..validation import (InvalidArgumentError, UnknownNameError, check_choice, check_int, check_names,
                          is_missing, unknown_name)

__all__ = ["LEVEL_CHOICES", "statements", "clear_cache", "level_code", "lesson_statement_ids",
           "classify_ids", "statement_exercise", "UnknownItemError", "item_key"]

# classify: level code → label shown
LEVEL_CHOICES = {"elite": "Elite", "nation": "Nation/society",
                 "international": "International", "linkage": "Linkage"}
_WS = re.compile(r"\s+")


class UnknownItemError(UnknownNameError):
    """An item id that is not in the statements dataset (the message lists the known ids)."""


@functools.lru_cache(maxsize=1)
def statements() -> dict[str, dict]:
    """item id → row of the ``statements`` dataset (cached; ``nkteach.data.clear_cache()`` clears)."""
    return {str(r["item_id"]): r for r in load("statements", as_frame=False)}


def clear_cache() -> None:
    """Forget the cached statements table (also run by ``nkteach.data.clear_cache()``)."""
    statements.cache_clear()


on_clear(clear_cache)


def item_key(item_id) -> str:
    """The exercise id of a statement: ``classify:<item id>``."""
    return f"classify:{item_id}"


def level_code(text) -> str | None:
    """'Linkage (elite → nation)' → 'linkage'; 'Nation/society' → 'nation'; '—' → None."""
    if is_missing(text):
        return None
    t = _WS.sub(" ", str(text).strip().lower())
    if t in ("", "—", "-", "none", "<na>"):
        return None
    head = re.split(r"[\s(;,]", t, maxsplit=1)[0]
    code = LEVEL_ALIASES.get(head)      # the one table of level spellings (nkteach.levels)
    if code in LEVEL_CHOICES:
        return code
    raise unknown_name("level", text, LEVEL_CHOICES.values(), error=InvalidArgumentError)


def _lesson_tags(row: dict, col: str) -> list[str]:
    return [s.strip().upper().lstrip("L") for s in str(row.get(col) or "").split(";") if s.strip()]


def lesson_statement_ids(rows: dict, lesson) -> list[str]:
    """Ids of the statements tagged for ``lesson``; a clear error naming the lessons that have
    statements when there are none."""
    first = next(iter(rows.values()), {})
    col = next((c for c in ("lesson", "lessons") if c in first), None)
    if col is None:
        raise InvalidArgumentError("the statements dataset has no 'lesson' column, so lesson= cannot "
                                   "select items; pass item_ids instead")
    want = str(lesson).strip().upper().lstrip("L")
    out = [k for k, r in rows.items() if want in _lesson_tags(r, col)]
    if not out:
        tagged = sorted({t for r in rows.values() for t in _lesson_tags(r, col)},
                        key=lambda t: (len(t), t))
        allowed = [int(t) if t.isdigit() else t for t in tagged]
        check_choice("lesson", lesson, allowed)           # unknown lesson: names the allowed ones
        raise InvalidArgumentError(f"no statements tagged for lesson {lesson!r}; lessons with "
                                   f"statements: {', '.join(map(str, allowed))}")
    return out


def classify_ids(item_ids=None, *, lesson=None, n=None) -> list[str]:
    """The statement ids a ``classify(item_ids, lesson=, n=)`` call shows, in order."""
    rows = statements()
    if item_ids is None:
        ids = (lesson_statement_ids(rows, lesson) if lesson is not None
               else [k for k, r in rows.items() if r.get("kind", "classify") == "classify"])
    else:
        if isinstance(item_ids, (str, int)) and not isinstance(item_ids, bool):
            item_ids = [item_ids]
        elif item_ids is None or isinstance(item_ids, (bool, float, dict)) \
                or not hasattr(item_ids, "__iter__"):
            raise InvalidArgumentError(f"item_ids must be a statement id such as 'C08' or a list of "
                                       f"them, got {item_ids!r} ({type(item_ids).__name__})")
        ids = check_names("item_ids", [str(i) for i in item_ids], rows, error=UnknownItemError)
    if n is not None:
        ids = ids[:check_int("n", n, lo=1)]
    if not ids:
        raise InvalidArgumentError("no statements selected")
    return ids


def statement_exercise(item_id: str) -> dict:
    """A statement as the keyword arguments of a multiple-choice exercise: question, options,
    answer, also (list), why, citation (what the classify constructor shows and checks)."""
    r = statements()[str(item_id)]
    main, also = level_code(r["level"]), level_code(r.get("also_defensible"))
    if main is None:
        raise InvalidArgumentError(f"statement {item_id} has no level in the dataset")
    why = r.get("justification") or ""
    also = also if also and also != main else None
    # the dataset's notes on the second answer / the linkage path help the student
    if also and r.get("also_note"):
        why = f"{why} Also defensible: {LEVEL_CHOICES[also]} ({r['also_note']}).".strip()
    if r.get("linkage_answer"):
        why = f"{why} Model linkage: {r['linkage_answer']}.".strip()
    return {"question": f"{item_id}. {r['statement']}", "options": list(LEVEL_CHOICES.values()),
            "answer": LEVEL_CHOICES[main], "also": [LEVEL_CHOICES[also]] if also else [],
            "why": why, "citation": r.get("citation") or ""}
