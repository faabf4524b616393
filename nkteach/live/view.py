"""The declarative view: a small JSON description of how an explorer's output follows its
controls, run by :func:`run` here and by the same interpreter in ``nkteach-live.js``.

For explorers whose state space is too large to store (the forecast explorer: ten verdict
dropdowns, about 19.5 million states) but whose logic is simple: lookups per control, sums,
joins and a branch. An expression is a JSON scalar (itself) or a list headed by an operator:

=================================  =========================================================
``["c", k]`` / ``["c", k, end]``   the chosen index of control ``k`` (end 0/1 of a range)
``["lk", [v0, v1, ...], e]``       ``table[e]``
``["sum", [e, ...]]``              the sum of numbers
``["cat", [e, ...]]``              the texts concatenated (numbers written as integers)
``["join", sep, [e, ...]]``        the non-empty texts joined by ``sep``
``["if", c, a, b]``                ``a`` if ``c`` is truthy (not 0, "", null, false) else ``b``
``["list", [e, ...]]``             a list
``["pool", i]``                    a copy of the pool's item ``i`` (a trace, a layout)
``["patch", i, path, e]``          a copy of pool item ``i`` with ``e`` set at ``path``
``["fig", l, t, [e, ...]]``        a figure: traces ``e``, layout pool ``l``, template pool ``t``
=================================  =========================================================

A view is ``{"summary": e, "figure": e or null, "side": [e, ...]}``. Nothing else can be
expressed: no loops, no names, no code; an unknown operator is an error in both interpreters.
"""
from __future__ import annotations

import copy
from typing import Any

from ..validation import InvalidArgumentError

__all__ = ["run", "evaluate", "OPERATORS"]

OPERATORS = ("c", "lk", "sum", "cat", "join", "if", "list", "pool", "patch", "fig")


def _truthy(v: Any) -> bool:
    return v not in (0, "", None, False)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def evaluate(e: Any, choices: list, pool: list) -> Any:
    """The value of expression ``e`` for control choices ``choices``."""
    if not isinstance(e, list):
        return e
    if not e or e[0] not in OPERATORS:
        raise InvalidArgumentError(f"view expression {e!r:.80}: unknown operator; allowed: "
                                   f"{', '.join(OPERATORS)}")
    op, ev = e[0], (lambda x: evaluate(x, choices, pool))
    if op == "c":
        c = choices[e[1]]
        return c[e[2]] if len(e) > 2 else c
    if op == "lk":
        return e[1][ev(e[2])]
    if op == "sum":
        return sum(ev(x) for x in e[1])
    if op == "cat":
        return "".join(_text(ev(x)) for x in e[1])
    if op == "join":
        return e[1].join(t for t in (_text(ev(x)) for x in e[2]) if t)
    if op == "if":
        return ev(e[2]) if _truthy(ev(e[1])) else ev(e[3])
    if op == "list":
        return [ev(x) for x in e[1]]
    if op == "pool":
        return copy.deepcopy(pool[e[1]])
    if op == "patch":
        obj = copy.deepcopy(pool[e[1]])
        target = obj
        for step in e[2][:-1]:
            target = target[step]
        target[e[2][-1]] = ev(e[3])
        return obj
    # "fig"
    layout = copy.deepcopy(pool[e[1]])
    if e[2] is not None:
        layout["template"] = copy.deepcopy(pool[e[2]])
    return {"data": [ev(x) for x in e[3]], "layout": layout}


def run(view: dict, pool: list, choices: list) -> dict:
    """What the view shows for ``choices``: ``{"summary", "figure" (plotly JSON or None),
    "side" (HTML texts)}``."""
    return {"summary": _text(evaluate(view["summary"], choices, pool)),
            "figure": evaluate(view.get("figure"), choices, pool),
            "side": [_text(evaluate(x, choices, pool)) for x in view.get("side", [])]}
