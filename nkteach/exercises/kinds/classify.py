"""classify: sort statements of the ``statements`` dataset by level (one multiple-choice item
per statement; the classification rule is in data/curated/README.md)."""
from __future__ import annotations

from ... import sealing
from ...lessonfile.statements import classify_ids, item_key, statement_exercise
from ...validation import InvalidArgumentError
from .. import define as d
from ..checker import Spec
from . import choice

__all__ = ["classify", "spec", "spec_from_kwargs", "HEADER"]

HEADER = ("<p><b>Classify each statement by the level at which its mechanism operates</b> "
          "(elite, nation/society, international, or a linkage between levels).</p>")


def spec(item_id: str, *, sealed: bool = False, reveal: bool = True, release: str | None = None) -> Spec:
    """The checkable spec of one statement (``sealed``: checked through a seal made here, so
    the cell holds no answer; ``reveal``: the seal ships its reveal key; ``release``: its
    release blob, made by the student build in "release" mode)."""
    kw = statement_exercise(item_id)
    ex_id = item_key(item_id)
    if sealed:   # same feedback, checked through a seal made here (no answer= in the cell)
        values = {k: kw[k] for k in ("answer", "also", "why", "citation")}
        seal = sealing.seal_kwargs(ex_id, "classify", values, reveal=d.REVEAL_SWITCH[bool(reveal)])
        if release is not None:
            seal["release"] = release
        return choice.spec(ex_id, kw["question"], kw["options"], citation=kw["citation"], seal=seal,
                           func="classify")
    return choice.spec(ex_id, kw["question"], kw["options"], answer=kw["answer"], also=kw["also"],
                       why=kw["why"], citation=kw["citation"], reveal=reveal, func="classify")


def spec_from_kwargs(kw: dict) -> Spec:
    """A statement given as multiple-choice arguments (nkteach.lessonfile.exercise_specs)."""
    return choice.spec_from_kwargs(kw, func="classify")


def classify(item_ids=None, *, lesson=None, n: int | None = None, sealed: bool = False,
             reveal: bool = True, release: dict | None = None):
    """Classify statements of the ``statements`` dataset by level (the items are the nkteach
    exercise bank).

    ``item_ids``: ids (or one id) such as "C08" or "K1"; ``lesson``: every item tagged for a
    lesson; neither: all "classify" items; ``n``: at most the first n. ``sealed=True`` (set by
    the student build) checks through seals made in the kernel, so the cell holds no answer;
    ``reveal=False`` never offers to show the answer after wrong tries; ``release`` (item id →
    blob, written by the student build in "release" mode) lets ``ex.unlock(code)`` and the
    page's code box open the answers with the lesson's release code."""
    for arg, v in (("sealed", sealed), ("reveal", reveal)):
        if not isinstance(v, bool):
            raise InvalidArgumentError(f"{arg} must be True or False, got {v!r}")
    if release is not None and (not isinstance(release, dict)
                                or not all(isinstance(v, str) for v in release.values())):
        raise InvalidArgumentError(f"release must be the dict of release blobs the student build "
                                   f"writes (item id → text), got {release!r:.80}")
    from ..view import Exercise, w

    parts = []
    for i in classify_ids(item_ids, lesson=lesson, n=n):
        s = spec(i, sealed=sealed, reveal=reveal, release=(release or {}).get(str(i)))
        parts.append(choice.view_of(s, "Level"))
    if len(parts) == 1:
        return parts[0]
    group = Exercise(None, w.VBox(parts), read=lambda: None, write=lambda v: None, header=HEADER,
                     parts=parts)
    group.items = {p.ex_id.split(":", 1)[1]: p for p in parts}
    return group

