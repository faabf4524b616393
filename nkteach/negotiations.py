"""The negotiating rounds of 1992–2022 read at the three levels (dataset ``negotiations``, Lesson 9).

Pure builders first — ``readings(df, level=, round_=)`` (the filtered table), ``rounds_chart(df, level=,
round_=)`` (a plotly figure: one marker per reading, year on x, round on y, colour *and* shape from
``nkteach.levels``) and ``rounds_summary(...)`` (the same content as text) — then a small ipywidgets
explorer, ``negotiations_explorer()``, with a live text summary. Kept in its own module for now;
the explorer and chart can move into the ``widgets``/``charts`` registries later without changing
their signatures.
"""
from __future__ import annotations

import html
from typing import Any

from .levels import LEVELS
from .validation import check_choice

__all__ = ["LEVEL_CHOICES", "negotiations_explorer", "readings", "rounds_chart", "rounds_summary"]

LEVEL_CHOICES = ("all", *LEVELS)          # "all", "elite", "nation", "international"
ALL = "all"


def _data(df: Any = None):
    from .data import load

    df = load("negotiations") if df is None else df
    missing = [c for c in ("reading_id", "round", "year", "obstacle", "obstacle_level", "citation")
               if c not in df.columns]
    if missing:
        raise ValueError(f"negotiations table lacks column(s) {', '.join(missing)}")
    return df


def _round_order(df) -> list[str]:
    """Rounds in order of their first year (ties: order of first appearance)."""
    first = df.groupby("round", sort=False)["year"].min()
    return list(first.sort_values(kind="stable").index)


def readings(df: Any = None, *, level: str = ALL, round_: str = ALL):
    """The readings for one level (or all) and one round (or all), sorted by year."""
    df = _data(df)
    level = check_choice("level", level, LEVEL_CHOICES)
    rounds = (ALL, *_round_order(df))
    round_ = check_choice("round_", round_, rounds)
    sub = df
    if level != ALL:
        sub = sub[sub["obstacle_level"] == level]
    if round_ != ALL:
        sub = sub[sub["round"] == round_]
    return sub.sort_values(["year", "reading_id"], kind="stable").reset_index(drop=True)


def rounds_summary(df: Any = None, *, level: str = ALL, round_: str = ALL) -> str:
    """Text summary of the selection: counts by level, then each reading with its citation."""
    full = _data(df)
    sub = readings(full, level=level, round_=round_)
    if sub.empty:
        return (f"No reading of {'any round' if round_ == ALL else round_} at the "
                f"{LEVELS[level].label.lower()} level in the seeds.")
    counts = sub["obstacle_level"].value_counts()
    by_level = ", ".join(f"{LEVELS[k].label.lower()} {int(counts.get(k, 0))}" for k in LEVELS)
    span = f"{int(sub['year'].min())}–{int(sub['year'].max())}"
    head = (f"{len(sub)} reading(s) of {sub['round'].nunique()} round(s), {span}; obstacles by level: "
            f"{by_level}.")
    lines = [f"{int(r.year)} {r['round']} — {LEVELS[r.obstacle_level].glyph} "
             f"{LEVELS[r.obstacle_level].label}: {r.obstacle} ({r.citation})"
             for _, r in sub.iterrows()]
    return head + " " + " ".join(lines)


def rounds_chart(df: Any = None, *, level: str = ALL, round_: str = ALL):
    """Rounds by year, one marker per reading; colour and marker shape give the obstacle's level."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from . import charts  # noqa: F401  (registers the package's "nkteach" plotly template)

    full = _data(df)
    sub = readings(full, level=level, round_=round_)
    order = _round_order(full)
    fig = go.Figure()
    for key, lv in LEVELS.items():
        part = sub[sub["obstacle_level"] == key]
        fig.add_trace(go.Scatter(
            x=part["year"], y=part["round"], mode="markers", name=f"{lv.glyph} {lv.label}",
            marker={"color": lv.colour, "symbol": lv.symbol, "size": 14,
                    "line": {"width": 1, "color": "#000000"}},
            customdata=list(zip(part["obstacle"], part["citation"])),
            hovertemplate="%{x} %{y}<br>%{customdata[0]}<br><i>%{customdata[1]}</i><extra></extra>"))
    source = "nkteach dataset `negotiations`, curated from seeds 001–004 (see citations)."
    fig.update_layout(
        title="Negotiating rounds and the level of the obstacle each seed names",
        template="nkteach" if "nkteach" in pio.templates else None,
        xaxis={"title": "Year", "dtick": 2},
        yaxis={"title": "", "categoryorder": "array", "categoryarray": order[::-1]},
        legend={"title": "Level of the obstacle"}, height=460, margin={"l": 200, "b": 90},
        annotations=[{"text": f"Source: {source}", "xref": "paper", "yref": "paper", "x": 0, "y": -0.2,
                      "showarrow": False, "font": {"size": 10}, "xanchor": "left"}],
        meta={"summary": rounds_summary(full, level=level, round_=round_), "source": source,
              "chart": "negotiation_rounds"})
    return fig


def negotiations_explorer():
    """Level ToggleButtons + round Dropdown → chart and a live text summary (keyboard usable)."""
    import ipywidgets as w
    from IPython.display import display

    from .widgets import mime_bundle

    full = _data()
    level = w.ToggleButtons(options=[("All levels", ALL)] + [(f"{lv.glyph} {lv.label}", k)
                                                           for k, lv in LEVELS.items()],
                            value=ALL, description="Level",
                            tooltips=["every reading"] + [lv.belongs for lv in LEVELS.values()])
    rnd = w.Dropdown(options=[("All rounds", ALL)] + [(r, r) for r in _round_order(full)], value=ALL,
                     description="Round")
    out = w.Output()
    text = w.HTML()

    def render(*_):
        fig = rounds_chart(full, level=level.value, round_=rnd.value)
        out.clear_output(wait=True)
        with out:
            display(mime_bundle(fig), raw=True)
        summary = rounds_summary(full, level=level.value, round_=rnd.value)
        text.value = (f'<p class="nkteach-summary" role="status" aria-live="polite"><b>Summary:</b> '
                      f"{html.escape(summary)}</p>")

    level.observe(render, names="value")
    rnd.observe(render, names="value")
    render()
    box = w.VBox([w.HTML("<b>Negotiating rounds, 1992–2022</b> — choose a level and a round; "
                         "use Tab and the arrow keys to move between the controls."), level, rnd, out, text])
    box.controls = {"level": level, "round": rnd}
    box.summary = text
    return box
