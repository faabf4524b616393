"""ordering: put items in order (one position Dropdown per item, keyboard usable)."""
from __future__ import annotations

from collections.abc import Sequence

from ... import sealing
from .. import define as d
from ..checker import Spec

__all__ = ["ordering", "spec", "spec_from_kwargs"]

_norm = sealing.normalise


def spec(ex_id: str, question: str, items: Sequence[str], *, answer: Sequence[str] | None = None,
         why: str = "", citation: str = "", hint: str | None = None, seal: dict | None = None,
         level: str | None = None) -> Spec:
    """The checkable spec of an ordering exercise (validates the definition)."""
    d.check_id(ex_id)
    d.check_question(ex_id, "question", question)
    d.check_texts(ex_id, why=why, citation=citation)
    d.need_answer(ex_id, answer, seal)
    items = d.options(ex_id, items, "items")
    if answer is not None:
        if isinstance(answer, str):
            raise d.bad(ex_id, f"answer must list the items in order, not a string: {answer!r}")
        answer = [str(a) for a in answer]
        if sorted(map(_norm, answer)) != sorted(map(_norm, items)):
            raise d.bad(ex_id, f"answer must list exactly the items {'; '.join(items)}; got {answer!r}")
    if hint is not None and not isinstance(hint, str):
        raise d.bad(ex_id, f"hint= of an ordering exercise must be a string, got {hint!r}")
    seal = d.make_seal(ex_id, "ordering", answer=answer, seal=seal, why=why, citation=citation)
    if len(seal.get("positions", [])) != len(items):
        raise d.bad(ex_id, f"the seal has {len(seal.get('positions', []))} positions for {len(items)} "
                    "items (was the question edited after sealing? rebuild the student copy)")
    return Spec(ex_id, question, "ordering", "ordering", seal, options=items, answer=answer,
                hint=hint or "", citation=citation, level=level)


def spec_from_kwargs(kw: dict) -> Spec:
    """:func:`spec` from an instructor call's literal arguments (unknown keywords ignored)."""
    keep = ("answer", "why", "citation", "hint", "level")
    return spec(kw.get("ex_id", "regrade"), kw.get("question") or "(question)", kw.get("items"),
                **{k: kw[k] for k in keep if k in kw})


def ordering(ex_id: str, question: str, items: Sequence[str], *, answer: Sequence[str] | None = None,
             why: str = "", citation: str = "", hint: str | None = None, seal: dict | None = None,
             level: str | None = None):
    """Put ``items`` in order: one position Dropdown per item (keyboard usable, no dragging).

    ``answer`` lists the items in the right order; show ``items`` in a scrambled order."""
    from ..view import Exercise, w

    s = spec(ex_id, question, items, answer=answer, why=why, citation=citation, hint=hint, seal=seal,
             level=level)
    items = s.options
    choices = [("–", None)] + [(str(i), i) for i in range(1, len(items) + 1)]
    drops = [w.Dropdown(options=choices, value=None, description=it,
                        style={"description_width": "initial"},
                        layout=w.Layout(width="max-content"), tooltip=f"Position of: {it}")
             for it in items]
    hint_w = w.HTML("<i>Give each event a position (1 = earliest).</i>")

    def read():
        vals = {it: dd.value for it, dd in zip(items, drops)}
        return vals if any(v is not None for v in vals.values()) else None

    def write(v):
        if isinstance(v, dict):
            for it, dd in zip(items, drops):
                dd.value = v.get(it)
        else:  # a list in order
            pos = {_norm(x): i + 1 for i, x in enumerate(v)}
            for it, dd in zip(items, drops):
                dd.value = pos[_norm(it)]

    ex = Exercise(s, w.VBox([hint_w, *drops]), read=read, write=write)
    for dd in drops:
        dd.observe(ex.remember, names="value")
    ex.dropdowns = dict(zip(items, drops))
    return ex
