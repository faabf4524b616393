"""multiple_choice: one answer among options (RadioButtons)."""
from __future__ import annotations

from collections.abc import Sequence

from ... import sealing
from .. import define as d
from ..checker import Spec

__all__ = ["multiple_choice", "spec", "spec_from_kwargs", "view_of"]

_norm = sealing.normalise


def spec(ex_id: str, question: str, options: Sequence[str], *, answer=None, also=None, why: str = "",
         citation: str = "", hint=None, level: str | None = None, seal: dict | None = None,
         reveal: bool = True, func: str = "multiple_choice") -> Spec:
    """The checkable spec of a multiple-choice exercise (validates the definition)."""
    d.check_id(ex_id)
    d.check_question(ex_id, "question", question)
    d.check_texts(ex_id, why=why, citation=citation)
    d.need_answer(ex_id, answer, seal)
    options = d.options(ex_id, options, "options")
    normed = {_norm(o) for o in options}
    also = d.aslist(also)
    for a in ([answer] if answer is not None else []) + also:
        if _norm(a) not in normed:
            raise d.bad(ex_id, f"answer {a!r} is not among the options {', '.join(map(repr, options))}")
    if answer is not None and _norm(answer) in {_norm(a) for a in also}:
        raise d.bad(ex_id, f"also= repeats the answer {answer!r}; list only other defensible options")
    general, per_option = d.hints(ex_id, hint, options, answer, also)
    seal = d.make_seal(ex_id, "multiple_choice", answer=answer, seal=seal, reveal=reveal, also=also,
                       why=why, citation=citation, hint=per_option)
    return Spec(ex_id, question, "choice", func, seal, options=options, answer=answer, hint=general,
                citation=citation, level=level)


def spec_from_kwargs(kw: dict, func: str = "multiple_choice") -> Spec:
    """:func:`spec` from an instructor call's literal arguments (unknown keywords ignored)."""
    keep = ("answer", "also", "why", "citation", "hint", "level")
    return spec(kw.get("ex_id", "regrade"), kw.get("question") or "(question)", kw.get("options"),
                **{k: kw[k] for k in keep if k in kw}, func=func)


def multiple_choice(ex_id: str, question: str, options: Sequence[str], *, answer=None, also=None,
                    why: str = "", citation: str = "", hint=None, level: str | None = None,
                    seal: dict | None = None, description: str = "Answer", _reveal: bool = True,
                    _func: str = "multiple_choice"):
    """One-answer question with RadioButtons. ``also``: option(s) that are also defensible;
    ``hint``: shown after a wrong answer (a string, or a dict wrong option → hint)."""
    s = spec(ex_id, question, options, answer=answer, also=also, why=why, citation=citation, hint=hint,
             level=level, seal=seal, reveal=_reveal, func=_func)
    return view_of(s, description)


def view_of(s: Spec, description: str):
    """The RadioButtons view of a choice spec."""
    from ..view import Exercise, w

    radio = w.RadioButtons(options=s.options, value=None, description=description,
                           layout=w.Layout(width="max-content"))
    ex = Exercise(s, radio, read=lambda: radio.value, write=lambda v: setattr(radio, "value", v))
    radio.observe(ex.remember, names="value")
    return ex
