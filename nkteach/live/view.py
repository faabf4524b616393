"""The declarative view: a small JSON description of how an explorer's output follows its
controls, run by :func:`run` here and by the same interpreter in ``nkteach-live.js``.

For explorers whose state space is too large to store (the forecast explorer: ten verdict
dropdowns, about 19.5 million states; military expenditure: ≈1.15 million; the timeline:
≈207,000 with a linked map) but whose logic is lookups, slices and a few comparisons. An
expression is a JSON scalar (itself) or a list headed by an operator:

=====================================  =====================================================
``["c", k]`` / ``["c", k, end]``       the chosen index of control ``k`` (end 0/1 of a range)
``["q", v]``                           ``v`` as it is (a literal list, not evaluated)
``["lk", [v0, v1, ...], e]``           ``table[e]`` (the table is literal, not evaluated)
``["at", e, i]``                       item ``i`` of the list ``e`` (nested lookups)
``["get", e, path]``                   the value at ``path`` (keys/indices) inside ``e``
``["slice", e, lo, hi]``               items ``lo`` to ``hi - 1`` of the list ``e``
``["sum", [e, ...]]``                  the sum of numbers
``["sub", a, b]``                      ``a - b``
``["cmp", a, b]``                      -1, 0 or 1 as ``a`` is below, equal to or above ``b``
``["min", [e, ...]]`` / ``["max", …]``  the smallest / largest number
``["argmax", e]``                      the index of the first largest item of the list ``e``
                                       (numbers, or lists compared item by item; nulls are
                                       skipped; -1 when there is none)
``["cat", [e, ...]]``                  the texts concatenated (numbers written as integers)
``["join", sep, [e, ...]]``            the non-empty texts joined by ``sep``
``["if", c, a, b]``                    ``a`` if ``c`` is truthy (not 0, "", null, false) else ``b``
``["list", [e, ...]]``                 a list
``["pool", i]``                        a copy of the pool's item ``i`` (``i`` may be an expression)
``["patch", i, path, e]``              a copy of pool item ``i`` with ``e`` set at ``path``
``["set", o, path, e]``                a copy of the value ``o`` with ``e`` set at ``path``
``["fig", l, t, [e, ...]]``            a figure: traces ``e`` (null ones left out), layout pool
                                       item ``l`` (or an expression giving the layout),
                                       template pool item ``t``
=====================================  =====================================================

Numbers are compared, added and subtracted only as integers or as the stored floats themselves
(IEEE doubles behave the same in both languages); texts with decimals are never formatted by the
interpreter: they are looked up from tables the Python code wrote.

A view is ``{"summary": e, "figure": e or null, "side": [e, ...]}`` and optionally ``"error": e``
(a non-empty text: the explorer shows ⚠ and this text instead of its output) and ``"map": e`` (an
index into the description's stored map pages, or null for no map). Nothing else can be
expressed: no loops, no names, no code; an unknown operator is an error in both interpreters.
"""
from __future__ import annotations

import copy
from typing import Any

from ..validation import InvalidArgumentError

__all__ = ["run", "evaluate", "OPERATORS"]

OPERATORS = ("c", "q", "lk", "at", "get", "slice", "sum", "sub", "cmp", "min", "max", "argmax", "cat",
             "join", "if", "list", "pool", "patch", "set", "fig")


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


def _cmp(a: Any, b: Any) -> int:
    """-1/0/1; lists item by item (a shorter list that is a prefix comes first)."""
    if isinstance(a, list) and isinstance(b, list):
        for x, y in zip(a, b):
            c = _cmp(x, y)
            if c:
                return c
        return _cmp(len(a), len(b))
    return (a > b) - (a < b)


def _argmax(items: list) -> int:
    best = -1
    for i, v in enumerate(items):
        if v is not None and (best < 0 or _cmp(v, items[best]) > 0):
            best = i
    return best


def _set(obj: Any, path: list, value: Any) -> Any:
    target = obj
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return obj


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
    if op == "q":
        return e[1]
    if op == "lk":
        return e[1][ev(e[2])]
    if op == "at":
        return ev(e[1])[ev(e[2])]
    if op == "get":
        v = ev(e[1])
        for step in e[2]:
            v = v[step]
        return v
    if op == "slice":
        return list(ev(e[1])[ev(e[2]):ev(e[3])])
    if op == "sum":
        return sum(ev(x) for x in e[1])
    if op == "sub":
        return ev(e[1]) - ev(e[2])
    if op == "cmp":
        return _cmp(ev(e[1]), ev(e[2]))
    if op in ("min", "max"):
        return (min if op == "min" else max)(ev(x) for x in e[1])
    if op == "argmax":
        return _argmax(ev(e[1]))
    if op == "cat":
        return "".join(_text(ev(x)) for x in e[1])
    if op == "join":
        return e[1].join(t for t in (_text(ev(x)) for x in e[2]) if t)
    if op == "if":
        return ev(e[2]) if _truthy(ev(e[1])) else ev(e[3])
    if op == "list":
        return [ev(x) for x in e[1]]
    if op == "pool":
        return copy.deepcopy(pool[ev(e[1])])
    if op == "patch":
        return _set(copy.deepcopy(pool[e[1]]), e[2], ev(e[3]))
    if op == "set":
        return _set(copy.deepcopy(ev(e[1])), e[2], ev(e[3]))
    # "fig"
    layout = copy.deepcopy(ev(e[1]) if isinstance(e[1], list) else pool[e[1]])
    if e[2] is not None:
        layout["template"] = copy.deepcopy(pool[e[2]])
    return {"data": [t for t in (ev(x) for x in e[3]) if t is not None], "layout": layout}


def run(view: dict, pool: list, choices: list) -> dict:
    """What the view shows for ``choices``: ``{"summary", "figure" (plotly JSON or None),
    "side" (HTML texts)}``, plus ``"error"`` (text or None) and ``"map"`` (a stored map's
    index or None) when the view has them. With an error, nothing else is evaluated."""
    out: dict = {}
    if "error" in view:
        out["error"] = _text(evaluate(view["error"], choices, pool)) or None
        if out["error"]:
            return {"summary": "", "figure": None, "side": [], "error": out["error"], "map": None}
    out.update({"summary": _text(evaluate(view["summary"], choices, pool)),
                "figure": evaluate(view.get("figure"), choices, pool),
                "side": [_text(evaluate(x, choices, pool)) for x in view.get("side", [])]})
    if "map" in view:
        out["map"] = evaluate(view["map"], choices, pool)
    return out
