"""Forecasts: the thesis's 2013 expectations checked against later events; 004's explanations of 2020."""
from __future__ import annotations

import textwrap
from collections import Counter

from ..validation import Anything, InvalidArgumentError, Table, check_choice, unknown_name
from ._base import COLORWAY, GREYS, Draft, Parts, bar_pattern, chart, load, source_of, src

__all__ = ["VERDICTS", "explanations_2020", "forecast"]


#: The verdicts a forecast can get (the ``verdict_code`` column of ``forecasts``; the explorer's
#: dropdown offers the same words).
VERDICTS = ("held", "partly held", "did not hold", "overtaken by events")


def _verdict(fid: str, v) -> str:
    """A student's verdict: one of VERDICTS (any case, spaces trimmed), or "" for none given."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return ""
    if isinstance(v, str) and v.strip().lower() in VERDICTS:
        return v.strip().lower()
    return check_choice(f"verdicts[{fid!r}]", v, VERDICTS)


def _verdicts(df, verdicts) -> dict:
    ids = [str(i) for i in df["forecast_id"]]
    if verdicts is None:
        return {}
    if isinstance(verdicts, dict):
        for k in verdicts:
            if k not in ids:
                raise unknown_name("verdicts: forecast id", k, ids, what="forecast ids of the table")
        return {k: _verdict(k, v) for k, v in verdicts.items()}
    if not isinstance(verdicts, (list, tuple)):
        raise InvalidArgumentError(f"verdicts must be a dict {{forecast_id: verdict}} or a list of "
                                   f"{len(ids)} verdicts in order, got {verdicts!r} "
                                   f"({type(verdicts).__name__})")
    if len(verdicts) != len(ids):
        raise InvalidArgumentError(f"verdicts must be a list with one per forecast "
                                   f"({len(ids)}: {', '.join(ids)}) or a "
                                   f"dict {{forecast_id: verdict}}; got {len(verdicts)}: {verdicts!r:.80}")
    return {k: _verdict(k, v) for k, v in zip(ids, verdicts)}


def _verdict_code(r) -> str:
    return str(r.get("verdict_code") or r.get("verdict") or "")


def _wrap(s, w: int) -> str:
    return "<br>".join(textwrap.wrap(str(s), w))


@chart("forecast", params={
    "df": Table("forecasts"),
    "verdicts": Anything("a dict forecast_id → verdict (one of VERDICTS) or a list in order", hostile=[
        ("misspelt", {"F1": "helld"}), ("unknown-id", {"F99": "held"}), ("text", "held"), ("int", 3),
        ("short-list", ["held"]), ("bad-value", {"F1": 3})])})
def forecast(df=None, *, verdicts=None) -> Draft:
    """A table of the thesis's expectations, what happened and the model verdicts; ``verdicts``
    (dict forecast_id → verdict, or a list in order) adds the student's column beside them."""
    df = load(df, "forecasts", ("forecast_id", "expectation", "citation", "outcome", "verdict", "level"))
    mine = _verdicts(df, verdicts)
    recs = df.to_dict(orient="records")
    codes = [_verdict_code(r) for r in recs]
    cnt = Counter(codes).most_common()
    parts = [f"The thesis's (002) forecasts checked against later events: {len(df)} expectations. "
             "Model verdicts: " + ", ".join(f"{n} {k}" for k, n in cnt) + "."]
    if cnt:
        parts.append(f"Most common verdict: {cnt[0][0]} ({cnt[0][1]} of {len(df)}).")
    if mine:
        given = {k: v for k, v in mine.items() if v}
        same = sum(1 for r, code in zip(recs, codes)
                   if given.get(r["forecast_id"], "").strip().lower() == code.strip().lower())
        parts.append(f"Your verdicts: {len(given)} given, {same} match the model verdict.")
    parts.append(src(df) + " Outcomes as reported by the later seeds (000, 001, 003, 004).")

    def draw() -> Parts:
        header = ["#", "What the thesis expected (002)", "What happened (later seeds)", "Model verdict"]
        cols = [[r["forecast_id"] for r in recs],
                [_wrap(f"{r['expectation']} ({r['citation']})", 44) for r in recs],
                [_wrap(f"{r['outcome']}", 44) for r in recs],
                [_wrap(r["verdict"], 30) for r in recs]]
        widths = [34, 300, 300, 200]
        if mine:
            header.append("Your verdict")
            cols.append([_wrap(mine.get(r["forecast_id"], "") or "—", 20) for r in recs])
            widths.append(130)
        fill = [[GREYS["white"] if i % 2 else "#F2F2F2" for i in range(len(recs))]]
        table = dict(type="table", columnwidth=widths,
                     header=dict(values=[f"<b>{h}</b>" for h in header], fill=dict(color=GREYS["light"]),
                                 align="left", font=dict(size=14, color="#000000")),
                     cells=dict(values=cols, align="left", fill=dict(color=fill),
                                font=dict(size=13, color=GREYS["text"]), height=28))
        return Parts([table], dict(title="Evaluating the thesis's 2013 forecast",
                                   height=240 + 100 * len(recs), margin=dict(l=20, r=20), _axis_band=10))

    return Draft(" ".join(parts), source_of(df), draw)


def _short_name(s: str) -> str:
    return str(s).split(":", 1)[0].strip()[:40]


@chart("explanations_2020", params={"df": Table("explanations_2020")})
def explanations_2020(df=None) -> Draft:
    """004's four explanations of Russia's conduct in 2020 with 004's own verdicts (an ordinal
    ranking, not a measured score)."""
    df = load(df, "explanations_2020", ("explanation_id", "explanation", "verdict", "citation"))
    ranks = ([int(v) for v in df["verdict_rank"]] if "verdict_rank" in df.columns
             else list(range(1, len(df) + 1)))
    recs = df.to_dict(orient="records")
    rows = sorted(zip(ranks, recs), key=lambda t: t[0])
    parts = ["Four explanations of Russia's restraint in the 2020 war, as weighed by 004 "
             "(ranked 1 = most convincing):"]
    parts += [f"{rank}. {_short_name(r['explanation'])} — {_verdict_code(r)} ({r['citation']})."
              for rank, r in rows]
    parts.append(f"004 finds '{_short_name(rows[0][1]['explanation'])}' most convincing. {src(df)}")

    def draw() -> Parts:
        n = max(ranks)
        best_top = rows[::-1]  # best at the top of a horizontal bar chart
        ys = ["<br>".join(textwrap.wrap(f"{r['explanation_id']} {_short_name(r['explanation'])}", 24))
              for _, r in best_top]
        bar = dict(type="bar", y=ys, x=[n + 1 - rank for rank, _ in best_top], orientation="h",
                   name="004's verdict", marker=dict(color=COLORWAY[0], pattern=bar_pattern("")),
                   text=["<br>".join(textwrap.wrap(_verdict_code(r), 20)) for _, r in best_top],
                   textposition="outside", cliponaxis=False,
                   hovertext=[f"{textwrap.shorten(str(r['verdict']), 150)}<br>{r['citation']}"
                              for _, r in best_top], hoverinfo="text")
        return Parts([bar], dict(
            title="Why did Russia hold back in 2020? 004's four explanations",
            xaxis=dict(title=dict(text="004's verdict (ordinal: further right = more convincing to 004)"),
                       range=[0, n * 1.9], showticklabels=False, showgrid=False),
            yaxis=dict(title=None, showgrid=False), showlegend=False, height=460),
            notes=["The ranking is 004's own judgement, not a measurement."])

    return Draft(" ".join(parts), source_of(df), draw)
