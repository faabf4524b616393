"""Declarative live views (mechanism ``"view"``), built from the real explorer.

Each builder returns a live description like :func:`nkteach.live.states.describe`, but with a
``view`` (see :mod:`nkteach.live.view`) instead of every state. The pieces the view looks up
(the table cells, the answer list items) are read from the kernel explorer itself, set to a
few states; only the sums and the summary sentences are written here, and the tests compare
the whole view with a fresh kernel explorer over hundreds of random states.
"""
from __future__ import annotations

import re
from typing import Any

from ..validation import InvalidArgumentError

__all__ = ["BUILDERS", "forecast_view"]


def _sum(exprs: list) -> list:
    return ["sum", exprs]


def forecast_view(ex: Any, controls: list[dict], pool, *, set_state, shown, **_) -> dict:
    """The forecast explorer: ten verdict dropdowns and 'Reveal'. Hidden: how many verdicts
    are given (and which). Revealed: the table with the student's column, the answer list
    (✔ / ≠ / — per forecast) and how many verdicts match the model. ``set_state`` and ``shown``
    are :mod:`nkteach.live.states`' functions that drive the kernel explorer (passed in, so this
    module, which the precompute step imports, does not import it back)."""
    from ..data import load

    rows = load("forecasts", as_frame=False)
    keys = [c["key"] for c in controls]
    verdict_ctls = [i for i, k in enumerate(keys) if k.startswith("verdict:")]
    reveal = keys.index("reveal")
    ids = [keys[i].split(":", 1)[1] for i in verdict_ctls]
    if ids != [r["forecast_id"] for r in rows]:
        raise InvalidArgumentError(f"forecast explorer controls {ids} do not follow the table's rows")
    n_opts = len(controls[verdict_ctls[0]]["values"])
    values = controls[verdict_ctls[0]]["values"]          # None, then the four verdicts
    code = "verdict_code" if rows and "verdict_code" in rows[0] else "verdict"

    def state(option: int | list, show: bool):
        opts = option if isinstance(option, list) else [option] * len(ids)
        choices = [0] * len(controls)
        for i, o in zip(verdict_ctls, opts):
            choices[i] = o
        choices[reveal] = int(show)
        set_state(ex, controls, choices)
        return ex

    # read the pieces from the kernel explorer
    items: list[list[str]] = [[""] * n_opts for _ in ids]   # answer list item per row, per option
    cells: list[list[str]] = [[""] * n_opts for _ in ids]   # "Your verdict" cell per row, per option
    wrapper = None
    layouts, templates = set(), set()
    with_trace = base_trace = None
    for o in range(n_opts):
        state(o, True)
        html = ex.answers.value
        found = re.findall(r"<li>.*?</li>", html, flags=re.S)
        if len(found) != len(ids):
            raise InvalidArgumentError("the forecast explorer's answer list has changed shape")
        outer = html.replace("".join(found), "\0")
        if wrapper not in (None, outer):
            raise InvalidArgumentError("the forecast explorer's answer list has changed shape")
        wrapper = outer
        for r, li in enumerate(found):
            items[r][o] = li
        spec = shown(ex)[1]
        layout = dict(spec["layout"])
        templates.add(pool.add(layout.pop("template")))
        layout.pop("meta", None)
        layouts.add(pool.add(layout))
        trace = spec["data"][0]
        if o == 0:
            base_trace = pool.add(trace)
        else:
            with_trace = trace
            for r in range(len(ids)):
                cells[r][o] = trace["cells"]["values"][-1][r]
    for r in range(len(ids)):        # the cell of a row without a verdict, beside one that has one
        other = [1 if k != r else 0 for k in range(len(ids))]
        cells[r][0] = shown(state(other, True))[1]["data"][0]["cells"]["values"][-1][r]
    if len(layouts) != 1 or len(templates) != 1:
        raise InvalidArgumentError("the forecast chart's layout depends on the verdicts; "
                                   "it needs stored states, not this view")
    column = len(with_trace["cells"]["values"]) - 1

    given = [["lk", [0] + [1] * (n_opts - 1), ["c", i]] for i in verdict_ctls]
    same = [["lk", [int(v is not None and v == str(r[code]).lower()) for v in values], ["c", i]]
            for i, r in zip(verdict_ctls, rows)]
    mine = [["lk", [""] + [f"{fid} {v}" for v in values[1:]], ["c", i]] for i, fid in zip(verdict_ctls, ids)]
    n = len(ids)
    hidden = ["cat", ["You have given a verdict on ", _sum(given), f" of {n} forecasts",
                      ["if", _sum(given), ["cat", [" (", ["join", "; ", mine], ")"]], ""],
                      ". Press 'Reveal the model verdicts' to compare."]]
    shown_text = ["cat", ["Your verdicts match the model on ", _sum(same), f" of {n} forecasts (",
                          _sum(given), " judged). Model verdicts are one defensible reading; "
                          "argue with them."]]
    column_cells = ["list", [["lk", cells[r], ["c", i]] for r, i in enumerate(verdict_ctls)]]
    trace = ["if", _sum(given), ["patch", pool.add(with_trace), ["cells", "values", column], column_cells],
             ["pool", base_trace]]
    before, after = wrapper.split("\0")
    lines = [["lk", items[r], ["c", i]] for r, i in enumerate(verdict_ctls)]
    answers = ["cat", [before, ["cat", lines], after]]
    return {"summary": ["if", ["c", reveal], shown_text, hidden],
            "figure": ["if", ["c", reveal], ["fig", layouts.pop(), templates.pop(), [trace]], None],
            "side": [["if", ["c", reveal], answers, ""]]}


from .windows import milex_view, timeline_view  # noqa: E402

#: explorer name → builder(ex, controls, pool, ...) -> view
BUILDERS = {"forecast_explorer": forecast_view, "military_expenditure_explorer": milex_view,
            "timeline_explorer": timeline_view}
