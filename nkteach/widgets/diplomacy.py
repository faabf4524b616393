"""Explorer of the negotiating rounds 1992–2022, read at the three levels (lesson 9)."""
from __future__ import annotations

import ipywidgets as w

from ..levels import LEVELS
from ._explorer import MECHANISM_PARAM, validate_params, Explorer, check_mechanism, style

__all__ = ["negotiations_explorer"]


@validate_params({"mechanism": MECHANISM_PARAM})
def negotiations_explorer(*, mechanism: str | None = None) -> Explorer:
    """The negotiating rounds by year, filtered by the level of the obstacle each seed names and
    by round, with the readings and their citations in the text summary (L9).

    Parameters
    ----------
    mechanism : {"output", "figurewidget"}, optional
        How the chart is updated (default ``nkteach.widgets.MECHANISM``).

    Returns
    -------
    Explorer
        Controls ``level`` (ToggleButtons: all levels or one) and ``round`` (Dropdown: all
        rounds or one). A level and round with no reading between them show ⚠ and the reason.
    """
    from .. import charts
    from ..charts.diplomacy import ALL, round_order
    from ..data import load

    mechanism = check_mechanism(mechanism)
    df = load("negotiations")
    controls = {
        "level": w.ToggleButtons(
            options=[("All levels", ALL)] + [(str(lv), k) for k, lv in LEVELS.items()], value=ALL,
            description="Level of the obstacle", style=style(),
            tooltips=["every reading"] + [lv.belongs for lv in LEVELS.values()]),
        "round": w.Dropdown(options=[("All rounds", ALL)] + [(r, r) for r in round_order(df)],
                            value=ALL, description="Round", style=style()),
    }

    def render(v):
        fig = charts.negotiations(df, level=v["level"], round_=v["round"])
        return fig, charts.summary(fig)

    return Explorer("negotiations_explorer", controls, render, mechanism=mechanism,
                    title="Negotiating rounds, 1992–2022, read at three levels",
                    intro="Each marker is one seed's reading of why a round stalled, placed at the "
                          "level of the obstacle it names. Use Tab to move between the controls and "
                          "the arrow keys to change them.",
                    moves="Choosing a level or a round filters the readings on the chart and in "
                          "the summary.")
