"""numeric: a number to type in, right within a tolerance."""
from __future__ import annotations

import math

from .. import define as d
from ..checker import Spec

__all__ = ["numeric", "spec", "spec_from_kwargs", "DEFAULT_TOLERANCE"]

DEFAULT_TOLERANCE = 0.05     # also the registry's sealed default (KINDS["numeric"].sealed_defaults)


def spec(ex_id: str, question: str, *, answer: float | None = None, tolerance: float = DEFAULT_TOLERANCE,
         unit: str = "", why: str = "", citation: str = "", hint: str | None = None,
         seal: dict | None = None, level: str | None = None) -> Spec:
    """The checkable spec of a numeric exercise (validates the definition)."""
    d.check_id(ex_id)
    d.check_question(ex_id, "question", question)
    d.check_texts(ex_id, why=why, citation=citation, unit=unit)
    d.need_answer(ex_id, answer, seal)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) \
            or not math.isfinite(tolerance) or tolerance < 0:
        raise d.bad(ex_id, f"tolerance must be a finite number ≥ 0, got {tolerance!r}")
    if answer is not None and (isinstance(answer, bool) or not isinstance(answer, (int, float))
                               or not math.isfinite(answer)):
        raise d.bad(ex_id, f"answer must be a finite number, got {answer!r}")
    if hint is not None and not isinstance(hint, str):
        raise d.bad(ex_id, f"hint= of a numeric exercise must be a string, got {hint!r}")
    seal = d.make_seal(ex_id, "numeric", answer=answer, seal=seal, why=why, citation=citation,
                       tolerance=float(tolerance), unit=unit)
    if abs(float(seal.get("tolerance", tolerance)) - float(tolerance)) > 1e-12:
        raise d.bad(ex_id, "tolerance= differs from the tolerance the seal was made with; rebuild")
    return Spec(ex_id, question, "numeric", "numeric", seal, answer=answer, hint=hint or "",
                citation=citation, tolerance=float(tolerance), unit=unit or "", level=level)


def spec_from_kwargs(kw: dict) -> Spec:
    """:func:`spec` from an instructor call's literal arguments (unknown keywords ignored)."""
    keep = ("answer", "tolerance", "unit", "why", "citation", "hint", "level")
    return spec(kw.get("ex_id", "regrade"), kw.get("question") or "(question)",
                **{k: kw[k] for k in keep if k in kw})


def numeric(ex_id: str, question: str, *, answer: float | None = None, tolerance: float = DEFAULT_TOLERANCE,
            unit: str = "", why: str = "", citation: str = "", hint: str | None = None,
            seal: dict | None = None, level: str | None = None, description: str = "Your answer"):
    """A number to type in; correct when within ``tolerance`` (absolute) of ``answer``.

    Students may type a decimal comma ("49,34"), spaces, the unit or a ``%`` sign."""
    from ..view import Exercise, w

    s = spec(ex_id, question, answer=answer, tolerance=tolerance, unit=unit, why=why, citation=citation,
             hint=hint, seal=seal, level=level)
    # Text, not FloatText: an empty box must mean "no answer yet", not 0
    box = w.Text(value="", placeholder="type a number", description=description
                 + (f" ({unit})" if unit else ""), style={"description_width": "initial"})
    ex = Exercise(s, box, read=lambda: box.value,
                  write=lambda v: setattr(box, "value", "" if v is None else str(v)))
    box.observe(ex.remember, names="value")
    return ex
