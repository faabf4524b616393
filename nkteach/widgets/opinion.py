"""Explorer of public opinion: the 2011 Facebook poll (lesson 4)."""
from __future__ import annotations

import ipywidgets as w

from ..markup import html_text
from ._explorer import MECHANISM_PARAM, validate_params, Explorer, check_mechanism, style

__all__ = ["facebook_poll_explorer"]


@validate_params({"mechanism": MECHANISM_PARAM})
def facebook_poll_explorer(*, mechanism: str | None = None) -> Explorer:
    """The 2011 Facebook poll: printed/recomputed %, grouping, and a HYPOTHETICAL composition
    (a dropdown of percentages) that has no data behind it (002 Table 1; lesson 4).

    Parameters
    ----------
    mechanism : {"output", "figurewidget"}, optional
        How the chart is updated (default ``nkteach.widgets.MECHANISM``).

    Returns
    -------
    Explorer
        Controls ``show``, ``grouped`` and ``hypothetical_armenian_pct``; ``.hypothetical``
        is the HTML widget with the arithmetic the HYPOTHETICAL choice drives.
    """
    from .. import charts
    from ..data import load

    mechanism = check_mechanism(mechanism)
    df = load("facebook_poll_2011")
    controls = _poll_controls()
    hypo = w.HTML()
    composition = _composition_text(df)

    figs: dict = {}   # the HYPOTHETICAL choice changes only the text: keep the chart (same object, no resend)

    def render(v):
        key = (v["show"], v["grouped"])
        if key not in figs:
            figs[key] = charts.facebook_poll(df, show=v["show"], grouped=v["grouped"])
        fig = figs[key]
        hypo.value = ('<div role="status" aria-live="polite" style="border:2px dashed #555;'
                      'padding:4px"><b>⚠ HYPOTHETICAL (no data behind this choice):</b> '
                      f"{html_text(composition(v['hypothetical_armenian_pct']))}</div>")
        return fig, charts.summary(fig)

    lay = [controls["show"], controls["grouped"]]
    ex = Explorer("facebook_poll_explorer", controls, render, mechanism=mechanism,
                  layout_controls=lay, title="Facebook poll, November 2011 (thesis Table 1)",
                  intro="One poll about the Nagorno-Karabakh conflict; nkteach has no comparable "
                        "poll for Georgia (see the Caucasus Barometer chart for surveys there).",
                  extra=[controls["hypothetical_armenian_pct"], hypo], side=[(hypo, "value")],
                  moves="Switching printed/recomputed percentages or grouping redraws the bars; the "
                        "HYPOTHETICAL share of respondents from Armenia only changes the arithmetic "
                        "under the chart.")
    ex.hypothetical = hypo
    return ex


def _poll_controls() -> dict:
    """Printed/recomputed percentages, grouping and the HYPOTHETICAL composition (0–100 % of the
    respondents from Armenia, in steps of 5)."""
    return {
        "show": w.ToggleButtons(options=[("% as printed", "printed"), ("% recomputed", "recomputed")],
                                value="printed", description="Percentages",
                                tooltips=["as printed in the thesis", "recomputed from the counts"]),
        "grouped": w.Checkbox(value=False, description="Group options (war / peace / other)",
                              indent=False),
        # a dropdown, not an IntSlider: a slider's handle has no accessible name (see _range.py)
        "hypothetical_armenian_pct": w.Dropdown(
            options=[(f"{p}%", p) for p in range(0, 101, 5)], value=50,
            description="HYPOTHETICAL: % of respondents from Armenia", style=style()),
    }


def _composition_text(df):
    """A function of the chosen percentage giving the HYPOTHETICAL arithmetic: pure arithmetic
    on the printed counts, since the poll recorded no nationality."""
    total = int(df["responses"].sum())
    counts = df.set_index("label")["responses"]
    az_win = next((int(c) for lab, c in counts.items() if "Azerbaijan wins" in lab), None)
    am_win = next((int(c) for lab, c in counts.items() if "Armenia wins" in lab), None)

    def composition(pct: int) -> str:
        n_am = round(total * pct / 100)
        n_az = total - n_am
        if az_win is None or am_win is None:
            return "The war options are not in the table, so this illustration is unavailable."
        must_am = max(0, az_win - n_az)   # 'Azerbaijan wins' answers that must come from Armenia
        must_az = max(0, am_win - n_am)
        return (f"HYPOTHETICAL — the poll did not record where respondents lived; this is "
                f"arithmetic, not data. If {pct}% of the {total:,} respondents ({n_am:,}) had been "
                f"in Armenia, at least {must_am:,} of the {az_win:,} 'war, Azerbaijan wins' "
                f"answers and at least {must_az:,} of the {am_win:,} 'war, Armenia wins' answers "
                f"would have to come from the other side's respondents. The pooled shares depend "
                f"on a composition nobody measured.")

    return composition
