"""Explorer of the 2013 forecasts: the student's verdicts against the model's (lesson 7)."""
from __future__ import annotations

import ipywidgets as w

from ..markup import html_text
from ..charts.forecast import VERDICTS as _VERDICTS
from ._explorer import NONE, MECHANISM_PARAM, validate_params, Explorer, check_mechanism, style

__all__ = ["forecast_explorer"]


def _verdict_cards(rows: list[dict]) -> tuple[dict, list]:
    """(a ``verdict:<forecast_id>`` dropdown per forecast, a card per forecast: its expectation,
    citation and dropdown)."""
    drops, cards = {}, []
    for r in rows:
        fid = r["forecast_id"]
        # "" not None: ipywidgets 8 shows a None value as no selection (a blank dropdown).
        d = w.Dropdown(options=[("— your verdict —", NONE)] + [(v.capitalize(), v) for v in _VERDICTS],
                       value=NONE, description=f"Verdict on {fid}", style=style())
        drops[f"verdict:{fid}"] = d
        cards.append(w.VBox([w.HTML(f"<p><b>{html_text(fid)}.</b> {html_text(r['expectation'])} "
                                    f"<i>({html_text(r['citation'])})</i></p>"), d]))
    return drops, cards


def _model_verdicts_html(rows: list[dict], done: dict, code: str) -> str:
    """The model verdict of each forecast beside the student's, with what happened (escaped)."""
    items = []
    for r in rows:
        mine = done[r["forecast_id"]]
        mark = ("✔ same as the model" if mine == str(r[code]).lower()
                else "— no verdict given" if mine is None else "≠ differs from the model")
        items.append(f"<li><b>{html_text(r['forecast_id'])}</b> — model verdict: "
                     f"<b>{html_text(str(r['verdict']))}</b> ({mark}). What happened: "
                     f"{html_text(str(r['outcome']))} <i>({html_text(str(r['outcome_citation']))})"
                     "</i></li>")
    return "<ol style='list-style:none;padding-left:0'>" + "".join(items) + "</ol>"


@validate_params({"mechanism": MECHANISM_PARAM})
def forecast_explorer(*, mechanism: str | None = None) -> Explorer:
    """The 2013 thesis's forecasts (seed 002): a verdict dropdown per forecast, then reveal the model
    verdicts with the evidence and citations (L7).

    Parameters
    ----------
    mechanism : {"output", "figurewidget"}, optional
        How the chart is updated (default ``nkteach.widgets.MECHANISM``).

    Returns
    -------
    Explorer
        Controls ``verdict:<forecast_id>`` (one per forecast) and ``reveal``; ``.answers``
        holds the model verdicts once revealed.
    """
    from .. import charts
    from ..data import load

    mechanism = check_mechanism(mechanism)
    table = load("forecasts")
    rows = load("forecasts", as_frame=False)
    drops, cards = _verdict_cards(rows)
    reveal = w.ToggleButton(value=False, description="Reveal the model verdicts",
                            tooltip="Show the model answer and the evidence for each forecast",
                            icon="eye")
    controls = {**drops, "reveal": reveal}
    answers = w.HTML()

    def render(v):
        done = {r["forecast_id"]: v[f"verdict:{r['forecast_id']}"] or None for r in rows}
        judged = sum(x is not None for x in done.values())
        code = "verdict_code" if rows and "verdict_code" in rows[0] else "verdict"
        if not v["reveal"]:
            answers.value = ""
            mine = "; ".join(f"{k} {x}" for k, x in done.items() if x is not None)
            return None, (f"You have given a verdict on {judged} of {len(rows)} forecasts"
                          + (f" ({mine})" if mine else "")
                          + ". Press 'Reveal the model verdicts' to compare.")
        same = sum(done[r["forecast_id"]] == str(r[code]).lower() for r in rows)
        answers.value = _model_verdicts_html(rows, done, code)
        fig = charts.forecast(table, verdicts={k: x for k, x in done.items() if x is not None})
        return fig, (f"Your verdicts match the model on {same} of {len(rows)} forecasts "
                     f"({judged} judged). Model verdicts are one defensible reading; argue with them.")

    ex = Explorer("forecast_explorer", controls, render, mechanism=mechanism,
                  layout_controls=cards + [reveal], title="Evaluate the 2013 forecast",
                  extra=[answers], side=[(answers, "value")],
                  moves="Giving a verdict on each forecast and pressing 'Reveal' compares your "
                        "verdicts with the model's, with the evidence.")
    ex.answers = answers
    return ex
