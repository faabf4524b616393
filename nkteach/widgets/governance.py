"""Explorer of governance ratings: Freedom House (lesson 3)."""
from __future__ import annotations

import ipywidgets as w

from ._explorer import (
    Explorer,
    MECHANISM_PARAM,
    check_mechanism,
    chosen_countries,
    country_boxes,
    country_row,
    style,
    validate_params,
)

__all__ = ["freedom_explorer"]


@validate_params({"mechanism": MECHANISM_PARAM})
def freedom_explorer(*, mechanism: str | None = None) -> Explorer:
    """Freedom House: ratings (1 = most free) or scores (higher = freer) by country (L3).

    Parameters
    ----------
    mechanism : {"output", "figurewidget"}, optional
        How the chart is updated (default ``nkteach.widgets.MECHANISM``).

    Returns
    -------
    Explorer
        Controls ``series`` and one ``country:<name>`` checkbox per country that has both
        ratings and scores in the data (Georgia included).
    """
    from .. import charts
    from ..data import load

    mechanism = check_mechanism(mechanism)
    ratings, scores = load("freedom_ratings"), load("freedom_scores")
    countries = sorted(set(ratings["country"].dropna()) & set(scores["country"].dropna())) or \
        sorted(ratings["country"].dropna().unique())
    series = [(f"Rating: {lab.lower()} (1 = most free)", ("ratings", m))
              for m, lab in charts.FH_RATINGS.items()]
    score_measures = charts.score_measures(scores)
    series += [(f"Score: {m.replace('_', ' ')} (higher = freer)", ("scores", m)) for m in score_measures]
    boxes = country_boxes(countries)
    controls = {"series": w.Dropdown(options=series, value=series[0][1], description="Series",
                                     style=style()), **boxes}

    def render(v):
        chosen = chosen_countries(v, countries)
        kind, measure = v["series"]
        if kind == "ratings":
            fig = charts.freedom_ratings(ratings, countries=chosen, measure=measure)
        else:
            fig = charts.freedom_scores(scores, countries=chosen, measure=measure)
        return fig, charts.summary(fig)

    lay = [controls["series"], country_row(boxes)]
    return Explorer("freedom_explorer", controls, render, mechanism=mechanism,
                    layout_controls=lay, title="Freedom House ratings and scores",
                    intro="Two scales run in opposite directions: on the 1–7 <b>ratings</b> "
                          "a lower number means more free; on the <b>scores</b> a higher "
                          "number means more free.",
                    moves="Choosing a series or ticking countries redraws the lines and the summary.")
