"""Governance: Freedom House ratings and scores, Nations in Transit, V-Dem and Polity5 indices."""
from __future__ import annotations

import re

from ..validation import Name, Names, Options, Table, YearPair
from ._base import (
    COLORWAY,
    COUNTRY_SYMBOLS,
    Draft,
    Parts,
    caveats_of,
    chart,
    choice,
    country_lines,
    fit_axis_title,
    flagged,
    load,
    public,
    series_text,
    source_of,
    year_range,
)
from ._base import countries as check_countries

__all__ = ["FH_RATINGS", "INDEX_LABELS", "democracy_indices", "freedom_ratings", "freedom_scores",
           "nations_in_transit", "score_measures"]

FH_RATINGS = {"political_rights": "Political rights rating", "civil_liberties": "Civil liberties rating"}


def _fh_subset(df, name, required, countries, years, xcol):
    df = load(df, name, required)
    names = check_countries("countries", countries, df["country"].dropna().unique(), name)
    yrs = df[xcol].dropna().astype(int)
    a, b = year_range("years", years, int(yrs.min()), int(yrs.max()), f"the {name} data")
    if years is None:  # default view: the selected countries' own years
        mine = df.loc[df["country"].isin(names), xcol].dropna().astype(int)
        if len(mine):
            a, b = int(mine.min()), int(mine.max())
    # Filter only the columns drawn: boolean indexing copies every column (freedom_scores has ~40).
    small = df[list(dict.fromkeys(required))]
    sub = small[small["country"].isin(names) & small[xcol].astype(int).between(a, b)]
    return df, sub, names, (a, b)


@chart("freedom_ratings", params={
    "df": Table("freedom_ratings"), "countries": Names(example=["Armenia"]),
    "measure": Options(list(FH_RATINGS)),
    "years": YearPair()})
def freedom_ratings(df=None, *, countries=("Armenia", "Azerbaijan"), measure: str = "political_rights",
                    years=None) -> Draft:
    """Freedom House 1–7 ratings (1 = most free); the axis is reversed so that freer is up."""
    choice("measure", measure, list(FH_RATINGS))
    df, sub, names, (a, b) = _fh_subset(df, "freedom_ratings", ("country", "year", measure),
                                        countries, years, "year")
    text = series_text(sub, names, "year", measure,
                       f"Freedom House {FH_RATINGS[measure].lower()}, {a}–{b} "
                       "(1 = most free, 7 = least free)",
                       "Lower = freer on this scale", df)

    def draw() -> Parts:
        return Parts(country_lines(sub, names, "year", measure), dict(
            title=f"Freedom House: {FH_RATINGS[measure].lower()}, {a}–{b}",
            xaxis=dict(title=dict(text="Year under review"), tickformat="d"),
            yaxis=dict(title=dict(text=f"{FH_RATINGS[measure]}:<br>1 = most free, 7 = least free<br>"
                                       "(axis reversed: freer is up)"), range=[7.5, 0.5], dtick=1)),
            legend=names)

    return Draft(text, source_of(df), draw)


@public
def score_measures(df) -> list[str]:
    """The Freedom in the World score columns of ``df`` (total, subtotals, categories A–G)."""
    base = [c for c in ("total", "political_rights_score", "civil_liberties_score") if c in df.columns]
    return base + [c for c in df.columns if re.fullmatch(r"[A-G]\d?", str(c))]


@chart("freedom_scores", params={
    "df": Table("freedom_scores"), "countries": Names(example=["Armenia"]), "measure": Name("total"),
    "years": YearPair()})
def freedom_scores(df=None, *, countries=("Armenia", "Azerbaijan"), measure: str = "total",
                   years=None) -> Draft:
    """Freedom in the World scores by edition (higher = freer)."""
    df = load(df, "freedom_scores", ("country", "edition", "total"))
    choice("measure", measure, score_measures(df))
    df, sub, names, (a, b) = _fh_subset(df, "freedom_scores", ("country", "edition", measure),
                                        countries, years, "edition")
    text = series_text(sub, names, "edition", measure,
                       f"Freedom in the World score '{measure}', editions {a}–{b}", "Higher = freer", df)

    def draw() -> Parts:
        top = {"total": 100, "civil_liberties_score": 60, "political_rights_score": 40}.get(measure)
        lo = min(0, float(sub[measure].min()) - 2) if len(sub) else 0
        return Parts(country_lines(sub, names, "edition", measure), dict(
            title=f"Freedom in the World: {measure.replace('_', ' ')}, editions {a}–{b}",
            xaxis=dict(title=dict(text="Edition (covers the previous calendar year)"), dtick=1,
                       tickformat="d"),
            yaxis=dict(title=dict(text=f"{measure.replace('_', ' ')} (higher = freer)"),
                       range=[lo, (top or (float(sub[measure].max()) if len(sub) else 0) + 1) + 2])),
            legend=names)

    return Draft(text, source_of(df), draw)


@chart("nations_in_transit", params={
    "df": Table("nations_in_transit"), "countries": Names(example=["Armenia"]),
    "category": Name("Democracy Score")})
def nations_in_transit(df=None, *, countries=("Armenia", "Azerbaijan"),
                       category: str = "Democracy Score") -> Draft:
    """NIT scores the thesis quotes (old scale, 1 = most democratic; axis reversed so more
    democratic is up); flagged values such as the printed 5.57 are marked."""
    df = load(df, "nations_in_transit", ("country", "edition", "category", "score"))
    num = df[df["score"].notna()]
    choice("category", category, sorted(num["category"].dropna().unique()))
    names = check_countries("countries", countries, num["country"].dropna().unique(), "nations_in_transit")
    sub = num[(num["category"] == category) & num["country"].isin(names)].sort_values(["country", "edition"])
    text = series_text(sub, names, "edition", "score",
                       f"Nations in Transit '{category}' as reported by the thesis, old scale "
                       "(1 = most democratic, 7 = least)", "Higher = less democratic on this scale", df)
    fl = sub[sub["flag"].map(flagged)] if "flag" in sub.columns else sub.iloc[:0]
    for r in fl.itertuples():
        text += f" Flagged: {r.country} {int(r.edition)} = {r.score:g} — {r.flag}."

    def draw() -> Parts:
        data = []
        for i, c in enumerate(names):
            s = sub[sub["country"] == c]
            data.append(dict(type="scatter", x=[int(v) for v in s["edition"]],
                             y=[float(v) for v in s["score"]], name=c, mode="markers+text",
                             text=[f"{v:.2f}" for v in s["score"]], textposition="middle right",
                             marker=dict(symbol=COUNTRY_SYMBOLS[i % len(COUNTRY_SYMBOLS)], size=12,
                                         color=COLORWAY[i % 7]),
                             hovertemplate=f"{c} %{{x}}: %{{y:.2f}}<extra></extra>"))
        notes, legend = [], list(names)
        if len(fl):
            data.append(dict(type="scatter", x=[int(v) for v in fl["edition"]],
                             y=[float(v) for v in fl["score"]], mode="markers",
                             name="value flagged (see note)",
                             marker=dict(symbol="circle-open", size=24, color="#000000",
                                         line=dict(width=2, color="#000000")),
                             hovertext=[str(f) for f in fl["flag"]], hoverinfo="text"))
            legend.append("value flagged (see note)")
            notes += [f"Ring: {r.country} {int(r.edition)} {r.score:.2f} — {r.flag}."
                      for r in fl.itertuples()]
        eds = [int(v) for v in sub["edition"]] or [0]
        notes.append("Freedom House later reversed the NIT scale: never mix old and new scores on one axis.")
        return Parts(data, dict(
            title=f"Nations in Transit: {category} (as quoted in the thesis)",
            xaxis=dict(title=dict(text="NIT edition (reflects the previous year)"), dtick=1,
                       range=[min(eds) - 0.5, max(eds) + 1]),
            yaxis=dict(title=dict(text="Score: 1 = most democratic,<br>7 = least (old scale;<br>"
                                       "axis reversed)"),
                       range=[7.2, 0.8], dtick=1)),
            notes=notes, legend=legend)

    return Draft(text, source_of(df), draw)


# ---------------------------------------------------------------------------------------------
# V-Dem and Polity5 (democracy_indices)

INDEX_LABELS = {
    "v2x_polyarchy": "V-Dem electoral democracy index (0–1)",
    "v2x_libdem": "V-Dem liberal democracy index (0–1)",
    "v2x_partipdem": "V-Dem participatory democracy index (0–1)",
    "v2x_delibdem": "V-Dem deliberative democracy index (0–1)",
    "v2x_egaldem": "V-Dem egalitarian democracy index (0–1)",
    "v2x_api": "V-Dem additive polyarchy index (0–1)",
    "v2x_mpi": "V-Dem multiplicative polyarchy index (0–1)",
    "polity2": "Polity5 polity2 score (−10 to +10)",
    "democ": "Polity5 democracy score (0–10)",
    "autoc": "Polity5 autocracy score (0–10; higher = more autocratic)",
}
_RANGES = {"polity2": (-10.5, 10.5), "democ": (-0.5, 10.5), "autoc": (-0.5, 10.5)}


@chart("democracy_indices", params={
    "df": Table("democracy_indices"), "countries": Names(example=["Armenia"]), "index": Name("v2x_polyarchy"),
    "years": YearPair()})
def democracy_indices(df=None, *, countries=("Armenia", "Azerbaijan", "Georgia"),
                      index: str = "v2x_polyarchy", years=None) -> Draft:
    """One V-Dem or Polity5 index per country and year; V-Dem's uncertainty interval (low–high)
    is drawn as a band, years without a value as gaps."""
    df = load(df, "democracy_indices", ("country", "year", "index", "value"))
    choice("index", index, sorted(df["index"].dropna().unique()))
    names = check_countries("countries", countries, df["country"].dropna().unique(), "democracy_indices")
    rows = df[df["index"] == index]
    rows = rows[[c for c in ("country", "year", "value", "low", "high", "note") if c in rows.columns]]
    yrs = rows["year"].dropna().astype(int)
    a, b = year_range("years", years, int(yrs.min()), int(yrs.max()), f"the {index} data")
    sub = rows[rows["country"].isin(names) & rows["year"].astype(int).between(a, b)].sort_values(
        ["country", "year"])
    label = INDEX_LABELS.get(index, index)
    lower_is_better = index == "autoc"
    text = series_text(sub, names, "year", "value", f"{label}, {a}–{b}",
                       "Higher = more autocratic" if lower_is_better else "Higher = more democratic", df)
    if "note" in sub.columns:
        gaps = sub[sub["note"].map(flagged)]
        for r in gaps.itertuples():
            text += f" {r.country} {int(r.year)}: no value — {r.note}."
    notes = caveats_of(df)

    def draw() -> Parts:
        data = []
        has_band = {"low", "high"} <= set(sub.columns)
        for i, c in enumerate(names):
            s = sub[sub["country"] == c]
            if has_band and s["low"].notna().any():
                xs = [int(v) for v in s["year"]]
                data.append(dict(type="scatter", x=xs + xs[::-1],
                                 y=[float(v) for v in s["high"]] + [float(v) for v in s["low"]][::-1],
                                 fill="toself", fillcolor=COLORWAY[i % 7], opacity=0.15,
                                 line=dict(width=0), hoverinfo="skip", showlegend=False,
                                 name=f"{c} interval"))
        data += country_lines(sub, names, "year", "value", "%{y:.3g}")
        return Parts(data, dict(
            title=f"{label}, {a}–{b}",
            xaxis=dict(title=dict(text="Year"), tickformat="d"),
            yaxis=dict(title=dict(text=fit_axis_title(label, 240)),
                       range=list(_RANGES.get(index, (-0.02, 1.02))))),
            notes=(["Shaded bands: V-Dem's uncertainty interval (low–high)."] if index.startswith("v2x")
                   else []) + notes,
            legend=names)

    return Draft(text, source_of(df), draw)

