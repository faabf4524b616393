"""Diplomacy: the negotiating rounds of 1992–2022 read at the three levels (dataset ``negotiations``).

One row of the table is one *reading*: a seed naming the obstacle that stalled a round, with the
level of analysis the obstacle operates at (the package's classification). :func:`readings` is
the pure filter both the chart and the Lesson 9 explorer use.
"""
from __future__ import annotations

import textwrap
from typing import Any

from ..levels import LEVELS
from ..validation import InvalidArgumentError, Name, Options, Table, unknown_name, validate_params
from ._base import GREYS, Draft, Parts, chart, choice, load, public, source_of, src

__all__ = ["ALL", "LEVEL_CHOICES", "negotiations", "readings", "round_order"]

ALL = "all"
#: the ``level`` choices: every reading, or one level of analysis
LEVEL_CHOICES = (ALL, *LEVELS)          # "all", "elite", "nation", "international"
_COLUMNS = ("reading_id", "round", "year", "obstacle", "obstacle_level", "citation")
# Within a round's row the three levels sit on three sub-rows, so that a round read at
# several levels in one year shows every marker (elite on top, as in the timeline).
_OFFSET = {"elite": 0.3, "nation": 0.0, "international": -0.3}
_ROW = 50      # px per round: room for three sub-rows of markers
_NOTE = ("The level is nkteach's classification of the obstacle each seed names; several readings "
         "are defensible at a second level. Two readings of one round, year and level are drawn side "
         "by side. Coverage is what the seeds report: the talks were "
         "confidential (002 §V.A).")


def _table(df: Any):
    df = load(df, "negotiations", _COLUMNS)
    for bad in sorted({str(v) for v in df["obstacle_level"]} - set(LEVELS)):
        raise unknown_name("df: obstacle_level", bad, list(LEVELS), error=InvalidArgumentError,
                           what="level keys of the 'negotiations' table")
    return df


def round_order(df) -> list[str]:
    """Rounds in order of their first year (ties: order of first appearance in the table)."""
    first = df.groupby("round", sort=False)["year"].min()
    return [str(r) for r in first.sort_values(kind="stable").index]


def _select(df, level, round_):
    level = choice("level", level, LEVEL_CHOICES)
    round_ = choice("round_", round_, (ALL, *round_order(df)))
    sub = df
    if level != ALL:
        sub = sub[sub["obstacle_level"] == level]
    if round_ != ALL:
        sub = sub[sub["round"] == round_]
    return sub.sort_values(["year", "reading_id"], kind="stable").reset_index(drop=True), level, round_


@public
@validate_params({"df": Table("negotiations"), "level": Options(LEVEL_CHOICES), "round_": Name(ALL)})
def readings(df: Any = None, *, level: str = ALL, round_: str = ALL):
    """The readings of one level (or ``"all"``) and one round (or ``"all"``), sorted by year.

    Parameters
    ----------
    df : pandas.DataFrame, optional
        The ``negotiations`` table; None loads the package copy.
    level : {"all", "elite", "nation", "international"}
        Level of analysis of the obstacle.
    round_ : str
        A round named in the table (``"Key West talks"`` …) or ``"all"``.

    Returns
    -------
    pandas.DataFrame
        The matching rows (possibly none), index reset.
    """
    return _select(_table(df), level, round_)[0]


def _text(df, sub, level: str, round_: str) -> str:
    counts = sub["obstacle_level"].value_counts()
    by_level = ", ".join(f"{LEVELS[k].label.lower()} {int(counts.get(k, 0))}" for k in LEVELS)
    head = (f"{len(sub)} reading(s) of {sub['round'].nunique()} round(s), "
            f"{'–'.join(dict.fromkeys(str(int(y)) for y in (sub['year'].min(), sub['year'].max())))}; "
            f"obstacles by level: {by_level}.")
    lines = [f"{int(r['year'])} {r['round']} — {LEVELS[r['obstacle_level']].glyph} "
             f"{LEVELS[r['obstacle_level']].label}: {r['obstacle']} ({r['citation']})."
             for r in sub.to_dict(orient="records")]
    return " ".join([head, *lines, src(df)])


@chart("negotiations", params={
    "df": Table("negotiations"), "level": Options(LEVEL_CHOICES), "round_": Name(ALL)})
def negotiations(df=None, *, level: str = ALL, round_: str = ALL) -> Draft:
    """The negotiating rounds by year, one marker per reading; colour AND marker shape give the
    level of the obstacle the seed names; hover shows the obstacle and its citation (L9).

    ``level`` is ``"all"`` or one of ``"elite"``, ``"nation"``, ``"international"``; ``round_``
    is ``"all"`` or a round in the table. A level and round with no reading between them raise
    ``InvalidArgumentError`` (nothing to draw)."""
    df = _table(df)
    sub, level, round_ = _select(df, level, round_)
    if sub.empty:
        raise InvalidArgumentError(
            f"no reading of round_={round_!r} at level={level!r} ({LEVELS[level].label.lower()}) "
            f"in the seeds; choose another level or round_='all'")
    text = _text(df, sub, level, round_)
    order = round_order(df)

    def draw() -> Parts:
        rows = order if round_ == ALL else [round_]
        y_of = {r: len(rows) - i for i, r in enumerate(rows)}     # earliest round on top
        seen: dict = {}
        data, legend = [], []
        for key, lv in LEVELS.items():
            part = sub[sub["obstacle_level"] == key].to_dict(orient="records")
            if level != ALL and key != level:
                continue
            xs = []
            for r in part:
                # two readings of one round, year and level sit side by side, not on one another
                k = (r["round"], int(r["year"]), key)
                xs.append(int(r["year"]) + 0.8 * seen.get(k, 0))
                seen[k] = seen.get(k, 0) + 1
            data.append(dict(
                type="scatter", x=xs, y=[y_of[r["round"]] + _OFFSET[key] for r in part], mode="markers",
                name=str(lv), marker=dict(color=lv.colour, symbol=lv.symbol, size=11,
                                          line=dict(width=1, color=GREYS["white"])),
                hovertext=[f"{int(r['year'])} {r['round']} — {lv.label}<br>"
                           f"{'<br>'.join(textwrap.wrap(str(r['obstacle']), 60))}<br><i>{r['citation']}</i>"
                           for r in part], hoverinfo="text"))
            legend.append(str(lv))
        lo, hi = int(sub["year"].min()), int(sub["year"].max())
        if round_ == ALL:
            lo, hi = int(df["year"].min()), int(df["year"].max())
        return Parts(data, dict(
            title="Negotiating rounds and the level of the obstacle each seed names",
            xaxis=dict(title=dict(text="Year"), range=[lo - 1.5, hi + 1.5], tickformat="d",
                       dtick=4 if hi - lo > 8 else 1),
            yaxis=dict(tickmode="array", tickvals=list(y_of.values()),
                       ticktext=["<br>".join(textwrap.wrap(r, 18)) for r in rows],
                       range=[0.5, len(rows) + 0.5], showgrid=False, zeroline=False, title=None,
                       # lines between the rounds' rows, not through their markers
                       minor=dict(tick0=0.5, dtick=1, showgrid=True, gridcolor=GREYS["light"])),
            margin=dict(l=150), height=max(300, 150 + _ROW * len(rows)),
            _min_plot=max(140, _ROW * len(rows))),
            notes=[_NOTE], legend=legend, legend_title="Level of the obstacle:")

    return Draft(text, source_of(df), draw)
