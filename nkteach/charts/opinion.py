"""Opinion: the self-selected 2011 Facebook poll and the representative Caucasus Barometer."""
from __future__ import annotations

from ..validation import check_int
from ..validation import Flag, Name, Names, Options, Table, Whole
from ._base import (
    COLORWAY,
    GREYS,
    PATTERNS,
    Draft,
    Parts,
    bar_pattern,
    chart,
    choice,
    flag,
    load,
    na,
    public,
    source_of,
    src,
    text_px,
    wrap,
)
from ._base import countries as check_countries

__all__ = ["caucasus_barometer", "facebook_poll", "poll_shares"]

# ---------------------------------------------------------------------------------------------
# The 2011 Facebook poll (002 §IV.F, Table 1)

_POLL_COLUMNS = ("option", "label", "responses", "percent_printed", "group")
_GROUP_COLOURS = {"war": "#E69F00", "peace": "#0072B2", "other": GREYS["mid"]}
_GROUP_PATTERNS = {"war": "/", "peace": "", "other": "."}
_POLL_CAVEAT = ("Caveat: a self-selected Facebook poll (Nov 2011), Armenia and Azerbaijan pooled, "
                "organiser unknown — not a sample of either society.")


@public
def poll_shares(df=None, grouped: bool = False):
    """Responses and shares of the 2011 poll, recomputed from the response counts.

    Returns a DataFrame with ``responses``, ``percent`` (recomputed, 2 decimals) and
    ``percent_printed`` (as printed in the thesis; summed per group when ``grouped``).
    """
    import pandas as pd

    flag("grouped", grouped)
    df = load(df, "facebook_poll_2011", _POLL_COLUMNS)
    total = float(df["responses"].sum())
    if grouped:
        order = ["war", "peace", "other"]
        g = df.groupby("group")[["responses", "percent_printed"]].sum()
        rows = [{"group": k, "responses": int(g.loc[k, "responses"]),
                 "percent_printed": round(float(g.loc[k, "percent_printed"]), 2)}
                for k in order + sorted(set(g.index) - set(order)) if k in g.index]
        out = pd.DataFrame(rows)
    else:
        out = df[["option", "label", "group", "responses", "percent_printed"]].copy()
        out["responses"] = out["responses"].astype(int)
    out["percent"] = (100 * out["responses"] / total).round(2)
    out = out.sort_values("responses", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs = {**df.attrs, "total": int(total)}
    return out


def _poll_text(df, sh, show, grouped) -> str:
    col = "percent" if show == "recomputed" else "percent_printed"
    key = "group" if grouped else "label"
    total = int(sh["responses"].sum())
    first = sh.iloc[0]
    parts = [f"Facebook poll, November 2011, {total:,} self-selected respondents from Armenia and "
             f"Azerbaijan pooled ({'recomputed' if show == 'recomputed' else 'printed'} percentages)."]
    parts.append(f"Largest: {first[key]} — {int(first['responses']):,} ({first[col]:.2f}%)"
                 + "".join(f"; {r[key]} {int(r['responses']):,} ({r[col]:.2f}%)"
                           for _, r in sh.iloc[1:3].iterrows()) + ".")
    war = sh[sh["group"] == "war"]
    if len(war):
        n = int(war["responses"].sum())
        parts.append(f"All war options together: {n:,} of {total:,} = {100 * n / total:.2f}% "
                     "(the thesis's text says more than 51%).")
    if show == "printed" and not grouped:
        parts.append(f"Printed percentages add up to {sh['percent_printed'].sum():.2f}%.")
    parts.append("A self-selected sample: no margin of error applies.")
    parts.append(src(df))
    return " ".join(parts)


@chart("facebook_poll", params={
    "df": Table("facebook_poll_2011"), "show": Options(("printed", "recomputed")), "grouped": Flag()})
def facebook_poll(df=None, *, show: str = "printed", grouped: bool = False) -> Draft:
    """Sorted horizontal bars of the poll's response counts, labelled with the printed or the
    recomputed percentages; ``grouped`` sums the options into war / peace / other."""
    choice("show", show, ("printed", "recomputed"))
    flag("grouped", grouped)
    df = load(df, "facebook_poll_2011", _POLL_COLUMNS)
    sh = poll_shares(df, grouped)
    text = _poll_text(df, sh, show, grouped)

    def draw() -> Parts:
        col = "percent" if show == "recomputed" else "percent_printed"
        shown = sh.iloc[::-1]
        labels = ([str(g).capitalize() + " options" for g in shown["group"]] if grouped else
                  ["<br>".join(wrap(f"{int(o)}. {lab}", 30))
                   for o, lab in zip(shown["option"], shown["label"])])
        bar_text = [f"{int(r):,} ({p:.2f}%)" for r, p in zip(shown["responses"], shown[col])]
        data = []
        present = list(dict.fromkeys(shown["group"]))
        groups = [g for g in _GROUP_COLOURS if g in present] + [g for g in present if g not in _GROUP_COLOURS]
        for g in groups:  # one trace per group → legend entries war / peace / other
            m = [x == g for x in shown["group"]]
            data.append(dict(
                type="bar", y=[lab for lab, k in zip(labels, m) if k],
                x=[int(r) for r, k in zip(shown["responses"], m) if k], orientation="h", name=str(g),
                marker=dict(color=_GROUP_COLOURS.get(g, GREYS["mid"]),
                            pattern=bar_pattern(_GROUP_PATTERNS.get(g, "+"))),
                text=[t for t, k in zip(bar_text, m) if k], textposition="outside", cliponaxis=False,
                textfont=dict(size=13), hovertemplate="%{y}: %{x:,} responses<extra></extra>"))
        kind = "recomputed from the counts" if show == "recomputed" else "as printed in the thesis"
        lines = sum(lab.count("<br>") + 1 for lab in labels)
        # Room right of the longest bar for its label at the narrowest plot (≈ 330 px there).
        head = 1 + max(text_px(t) for t in bar_text) / 300
        return Parts(data, dict(
            title=f"'Most effective solution' — Facebook poll, Nov 2011 (% {kind})",
            xaxis=dict(title=dict(text="Responses (count)"), range=[0, float(sh["responses"].max()) * head]),
            # dtick=1: plotly would otherwise skip every other long option label
            yaxis=dict(title=None, showgrid=False, categoryorder="array", categoryarray=labels,
                       tickmode="linear", dtick=1, automargin=True),
            height=max(440, 20 * lines + 14 * len(labels) + 300)),
            notes=[_POLL_CAVEAT], legend=[str(g) for g in groups],
            legend_title="Option group")

    return Draft(text, source_of(df), draw)


# ---------------------------------------------------------------------------------------------
# Caucasus Barometer (CRRC): representative surveys to set beside the Facebook poll


@chart("caucasus_barometer", params={
    "df": Table("caucasus_barometer"), "question_id": Name("q", optional=True), "survey_year": Whole(),
    "countries": Names(example=["Armenia"])})
def caucasus_barometer(df=None, *, question_id: str | None = None, survey_year: int = 2011,
                       countries=("Armenia", "Azerbaijan")) -> Draft:
    """Weighted % by answer for one Caucasus Barometer question, one bar colour and pattern per
    country (``question_id=None`` takes the year's first question)."""
    df = load(df, "caucasus_barometer",
              ("survey_year", "country", "question_id", "question", "answer", "weighted_percent"))
    check_int("survey_year", survey_year)
    choice("survey_year", survey_year, sorted(int(y) for y in df["survey_year"].dropna().unique()))
    yr = df[df["survey_year"].astype(int) == survey_year]
    qids = list(dict.fromkeys(yr["question_id"].dropna()))
    if question_id is None:
        question_id = qids[0]
    choice(f"question_id (for {survey_year})", question_id, qids)
    q = yr[yr["question_id"] == question_id]
    names = check_countries("countries", countries, q["country"].dropna().unique(),
                            f"caucasus_barometer ({question_id}, {survey_year})")
    q = q[q["country"].isin(names)]
    question = str(q["question"].iloc[0]) if len(q) else question_id
    parts = [f"Caucasus Barometer {survey_year}, {question_id}: {question}. Weighted percentages of a "
             "representative household survey of adults."]
    for c in names:
        s = q[q["country"] == c].sort_values("weighted_percent", ascending=False, kind="stable")
        if s.empty:
            continue
        # respondents = base_n (the column n counts one answer only)
        ncol = "base_n" if "base_n" in s.columns else "n"
        n = f", n = {int(s[ncol].iloc[0]):,}" if ncol in s.columns and not na(s[ncol].iloc[0]) else ""
        parts.append(f"{c}{n}: largest answer '{s['answer'].iloc[0]}' {s['weighted_percent'].iloc[0]:.1f}%"
                     + "".join(f"; '{a}' {p:.1f}%" for a, p in zip(s["answer"].iloc[1:3],
                                                                  s["weighted_percent"].iloc[1:3])) + ".")
    parts.append(src(df))

    def draw() -> Parts:
        # Substantive answers first, in the questionnaire's code order; don't know/refusals last.
        keys = [c for c in ("nonsubstantive", "answer_code", "code", "answer_order") if c in q.columns]
        qq = q.sort_values(keys, kind="stable") if keys else q
        answers = list(dict.fromkeys(qq["answer"]))
        labels = ["<br>".join(wrap(str(a), 32)) for a in answers]
        data = []
        for i, c in enumerate(names):
            s = q[q["country"] == c].set_index("answer")["weighted_percent"].to_dict()
            xs = [None if na(s.get(a)) else float(s[a]) for a in answers]
            data.append(dict(type="bar", y=labels, x=xs, orientation="h", name=c,
                             marker=dict(color=COLORWAY[i % 7],
                                         pattern=bar_pattern(PATTERNS[i % len(PATTERNS)])),
                             text=[f"{x:.1f}%" if x is not None else "" for x in xs], textposition="outside",
                             cliponaxis=False, hovertemplate=f"{c}: %{{y}} %{{x:.1f}}%<extra></extra>"))
        lines = sum(lab.count("<br>") + 1 for lab in labels)
        return Parts(data, dict(
            barmode="group", title=f"Caucasus Barometer {survey_year}: {question}",
            xaxis=dict(title=dict(text="Weighted % of respondents"), range=[0, 112]),
            yaxis=dict(title=None, autorange="reversed", showgrid=False),
            height=max(420, 300 + max(18 * lines, 24 * len(answers) * len(names)))),
            notes=["Nationally representative face-to-face surveys with sampling weights — "
                   "unlike the self-selected 2011 Facebook poll."],
            legend=names)

    return Draft(" ".join(parts), source_of(df), draw)
