"""Armed conflict: UCDP/PRIO conflict-years and a third-party country-year sum of UCDP GED deaths."""
from __future__ import annotations

from ..validation import check_names
from ..validation import Names, Options, Table, YearPair
from ._base import (
    COLORWAY,
    COUNTRY_SYMBOLS,
    GREYS,
    Draft,
    Parts,
    caveats_of,
    chart,
    choice,
    fit_axis_title,
    load,
    source_of,
    src,
    wrap,
    year_range,
)
from ._base import countries as check_countries

__all__ = ["armed_conflict", "battle_deaths"]


def _years_text(years: list[int]) -> str:
    """1991, 1992, 1993, 1997 → '1991–1993, 1997'."""
    out, run = [], []
    for y in sorted(years):
        if run and y != run[-1] + 1:
            out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
            run = []
        run.append(y)
    if run:
        out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out)


# ---------------------------------------------------------------------------------------------
# Battle-related deaths (poldat's country-year sum of UCDP GED 23.1)

_DEATHS_NOTE = ("A third-party country-year sum of UCDP GED events (poldat), not UCDP's own "
                "battle-deaths dataset: deaths are counted in the country where the fighting took place.")


@chart("battle_deaths", params={
    "df": Table("battle_deaths"), "countries": Names(example=["Armenia"]), "years": YearPair(),
    "scale": Options(("log", "linear"))})
def battle_deaths(df=None, *, countries=("Armenia", "Azerbaijan", "Georgia"), years=None,
                  scale: str = "log") -> Draft:
    """Battle-related deaths per country and year (best estimate, with UCDP's low–high range as
    error bars). ``scale="log"`` (default) keeps the small post-1994 numbers readable beside the
    thousands of 1992–1994; years with zero deaths are drawn at the axis floor on a log scale."""
    df = load(df, "battle_deaths", ("country", "year", "best", "low", "high"))
    choice("scale", scale, ("log", "linear"))
    names = check_countries("countries", countries, df["country"].dropna().unique(), "battle_deaths")
    yrs = df["year"].dropna().astype(int)
    a, b = year_range("years", years, int(yrs.min()), int(yrs.max()), "the battle_deaths data")
    sub = df[df["country"].isin(names) & df["year"].astype(int).between(a, b)]
    sub = sub.sort_values(["country", "year"])
    parts = [f"Battle-related deaths by country, {a}–{b} (best estimates; deaths are counted in the "
             "country where the fighting took place)."]
    for c in names:
        s = sub[sub["country"] == c]
        if s.empty or not s["best"].notna().any():
            parts.append(f"{c}: no values.")
            continue
        total = int(s["best"].sum())
        top = s.loc[s["best"].astype(float).idxmax()]
        parts.append(f"{c}: {total:,} in all; most in {int(top['year'])} ({int(top['best']):,}, range "
                     f"{int(top['low']):,}–{int(top['high']):,}).")
    parts.append("A third-party sum of UCDP GED events (poldat), not UCDP's own battle-deaths dataset; "
                 "counts are lower bounds. " + src(df))

    def draw() -> Parts:
        data = []
        floor = 0.5
        for i, c in enumerate(names):
            s = sub[sub["country"] == c]
            best = [float(v) for v in s["best"]]
            shown = [max(v, floor) if scale == "log" else v for v in best]
            data.append(dict(
                type="scatter", x=[int(y) for y in s["year"]], y=shown, name=c, mode="lines+markers",
                line=dict(color=COLORWAY[i % 7], width=2),
                marker=dict(symbol=COUNTRY_SYMBOLS[i % len(COUNTRY_SYMBOLS)], size=8, color=COLORWAY[i % 7]),
                error_y=dict(type="data", symmetric=False, color=COLORWAY[i % 7], thickness=1.2, width=3,
                             array=[max(float(h) - v, 0.0) for h, v in zip(s["high"], best)],
                             arrayminus=[max(v - max(float(lo), floor if scale == "log" else 0.0), 0.0)
                                         for lo, v in zip(s["low"], best)]),
                customdata=[[int(lo), int(h)] for lo, h in zip(s["low"], s["high"])],
                hovertemplate=(f"{c} %{{x}}: %{{text}} deaths (range %{{customdata[0]:,}}–"
                               f"%{{customdata[1]:,}})<extra></extra>"),
                text=[f"{int(v):,}" for v in best]))
        ytitle = "Battle-related deaths (best estimate" + (", log scale)" if scale == "log" else ")")
        return Parts(data, dict(
            title=f"Battle-related deaths by country, {a}–{b}",
            xaxis=dict(title=dict(text="Year"), tickformat="d"),
            yaxis=dict(title=dict(text=fit_axis_title(ytitle, 240)),
                       type="log" if scale == "log" else "linear",
                       **({"rangemode": "tozero"} if scale == "linear" else {}))),
            notes=["Bars: UCDP's low–high range." + (" Years with no deaths sit at the bottom of the log "
                                                     "axis." if scale == "log" else ""),
                   *caveats_of(df)],
            legend=names)

    return Draft(" ".join(parts), source_of(df), draw)


# ---------------------------------------------------------------------------------------------
# UCDP/PRIO Armed Conflict Dataset: which conflicts were active in which years

_INTENSITY = {1: ("minor (25–999 battle-related deaths in the year)", "square", COLORWAY[0]),
              2: ("war (1,000 or more battle-related deaths in the year)", "diamond", COLORWAY[5])}
_TYPES = {1: "extrasystemic", 2: "interstate", 3: "intrastate", 4: "internationalised intrastate"}


def _conflict_label(r) -> str:
    return f"{int(r['conflict_id'])}: {r['side_a']} vs {r['side_b']}"


@chart("armed_conflict", params={
    "df": Table("armed_conflict"), "conflicts": Names(optional=True), "years": YearPair()})
def armed_conflict(df=None, *, conflicts=None, years=None) -> Draft:
    """The active years of each UCDP/PRIO conflict (one row per conflict), shaped and coloured by
    intensity; ``conflicts`` is a list of UCDP conflict ids (default: all in the data)."""
    df = load(df, "armed_conflict", ("conflict_id", "side_a", "side_b", "year", "intensity_level",
                                     "type_of_conflict"))
    ids = sorted(int(c) for c in df["conflict_id"].dropna().unique())
    chosen = ids if conflicts is None else check_names("conflicts", conflicts, ids)
    yrs = df["year"].dropna().astype(int)
    a, b = year_range("years", years, int(yrs.min()), int(yrs.max()), "the armed_conflict data")
    small = df[["conflict_id", "side_a", "side_b", "year", "intensity_level", "type_of_conflict"]]
    sub = small[small["conflict_id"].astype(int).isin(chosen) & small["year"].astype(int).between(a, b)]
    parts = [f"UCDP/PRIO armed conflicts, {a}–{b}: a year appears only if the conflict was active "
             "(at least 25 battle-related deaths)."]
    for cid in chosen:
        s = sub[sub["conflict_id"].astype(int) == cid]
        if s.empty:
            parts.append(f"Conflict {cid}: not active in {a}–{b}.")
            continue
        war = [int(y) for y, i in zip(s["year"], s["intensity_level"]) if int(i) == 2]
        types = sorted({_TYPES.get(int(t), str(t)) for t in s["type_of_conflict"]})
        active = _years_text(list(s["year"].astype(int)))
        parts.append(f"{_conflict_label(s.iloc[0])} ({', '.join(types)}): active {active}"
                     + (f"; war-level intensity in {_years_text(war)}" if war else "") + ".")
    parts.append(src(df))

    def draw() -> Parts:
        firsts = sub.drop_duplicates("conflict_id")
        labels = {int(r["conflict_id"]): "<br>".join(wrap(_conflict_label(r), 26))
                  for r in firsts.to_dict(orient="records")}
        order = [labels[c] for c in chosen if c in labels]
        data, legend = [], []
        for level, (name, symbol, colour) in _INTENSITY.items():
            s = sub[sub["intensity_level"].astype(int) == level]
            if s.empty:
                continue
            data.append(dict(type="scatter", x=[int(y) for y in s["year"]],
                             y=[labels[int(c)] for c in s["conflict_id"]], mode="markers", name=name,
                             marker=dict(symbol=symbol, size=13, color=colour,
                                         line=dict(width=1, color=GREYS["white"])),
                             hovertemplate="%{y}<br>%{x}: " + name + "<extra></extra>"))
            legend.append(name)
        lines = sum(lab.count("<br>") + 1 for lab in order)
        return Parts(data, dict(
            title=f"Active armed conflicts in the UCDP/PRIO data, {a}–{b}",
            xaxis=dict(title=dict(text="Year (shown only when the conflict was active)"),
                       range=[a - 1, b + 1], tickformat="d"),
            yaxis=dict(title=None, categoryorder="array", categoryarray=order[::-1], showgrid=False),
            height=max(420, 300 + 20 * lines)),
            notes=caveats_of(df), legend=legend)

    return Draft(" ".join(parts), source_of(df), draw)
