"""Charts: pure functions ``DataFrame → plotly.graph_objects.Figure`` with a text summary.

Every chart ``name(df=None, *, ...)`` has a companion ``name_summary(df=None, *, ...) -> str``
(alt text built from the same numbers). ``df=None`` loads the package dataset. Every figure
uses the registered template ``"nkteach"`` (Okabe–Ito colours, fonts ≥ 13 px, white
background), carries a source line drawn from ``df.attrs`` and stores
``{"chart", "summary", "source"}`` in ``fig.layout.meta``; :func:`summary` reads it back.
Bad options raise ``ValueError`` naming the bad value and the allowed ones.
"""
from __future__ import annotations

import math
import re
import textwrap
from typing import Any, Iterable

import plotly.graph_objects as go
import plotly.io as pio

from . import levels as _levels

__all__ = [
    "TEMPLATE", "OKABE_ITO", "COLORWAY", "GREYS", "PATTERNS", "CHARTS", "MEASURE_LABELS",
    "FH_RATINGS", "score_measures", "summary", "source_of",
    "arms_imports", "arms_imports_summary", "supplier_shares",
    "military_expenditure", "military_expenditure_summary",
    "defence_budgets_seed", "defence_budgets_seed_summary",
    "freedom_ratings", "freedom_ratings_summary", "freedom_scores", "freedom_scores_summary",
    "nations_in_transit", "nations_in_transit_summary",
    "facebook_poll", "facebook_poll_summary", "poll_shares",
    "caucasus_barometer", "caucasus_barometer_summary",
    "timeline", "timeline_summary",
    "linkage_network", "linkage_network_summary",
    "forecast", "forecast_summary",
    "explanations_2020", "explanations_2020_summary",
]

# ---------------------------------------------------------------------------------------------
# Palette and template

OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
# Yellow last: it has the weakest contrast on white.
COLORWAY = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
GREYS = {"text": "#222222", "muted": "#555555", "mid": "#999999", "light": "#DDDDDD",
         "grid": "#E5E5E5", "white": "#FFFFFF"}
# Bars also differ by fill pattern, so a series is never told by colour alone.
PATTERNS = ["", "/", "\\", "x", ".", "-", "|", "+"]
TEMPLATE = "nkteach"
_FONT = "Arial, Helvetica, sans-serif"


def _register_template() -> None:
    axis = dict(linecolor="#444444", ticks="outside", tickcolor="#444444", showgrid=True,
                gridcolor=GREYS["grid"], zerolinecolor="#BBBBBB", automargin=True,
                tickfont=dict(size=13), title=dict(font=dict(size=14)))
    pio.templates[TEMPLATE] = go.layout.Template(layout=dict(
        colorway=COLORWAY,
        font=dict(family=_FONT, size=14, color=GREYS["text"]),
        title=dict(font=dict(size=18), x=0.0, xanchor="left"),
        paper_bgcolor=GREYS["white"], plot_bgcolor=GREYS["white"],
        xaxis=axis, yaxis=axis,
        legend=dict(font=dict(size=13), bgcolor="rgba(255,255,255,0.85)"),
        hoverlabel=dict(font=dict(size=13, family=_FONT)),
        margin=dict(l=80, r=30, t=80, b=130),
    ))


_register_template()


# ---------------------------------------------------------------------------------------------
# Shared helpers


def _load(df: Any, name: str, required: Iterable[str]):
    """The dataset (``df`` or the package copy) with its columns checked."""
    if df is None:
        from .data import load
        df = load(name)
    if not hasattr(df, "columns"):
        raise ValueError(f"expected a pandas DataFrame for {name!r}, got {type(df).__name__}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ValueError(f"the {name!r} table is missing column(s) {missing}; "
                         f"it has {list(df.columns)}")
    return df


def source_of(df: Any, default: str = "") -> str:
    """The source text of a dataset: its citation (``df.attrs``), else its source/publisher."""
    attrs = getattr(df, "attrs", None) or {}
    for key in ("citation", "source", "publisher"):
        v = attrs.get(key)
        if v:
            return str(v)
    if default:
        return default
    if hasattr(df, "columns") and "citation" in df.columns:
        cites = [str(c) for c in df["citation"].dropna().unique()][:4]
        if cites:
            return "; ".join(cites)
    return "not recorded (this DataFrame carries no source metadata in df.attrs)"


def _src(df: Any) -> str:
    return f"Source: {source_of(df).rstrip('.')}."


def _wrap(text: str, width: int = 90) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _finish(fig: go.Figure, *, chart: str, summary_text: str, source: str,
            notes: Iterable[str] = (), height: int | None = None,
            annotations: Iterable[dict] = ()) -> go.Figure:
    """Apply the template, the source line (+ notes) below the plot, and the meta block.

    ``annotations`` are added in the same layout update (one validation pass instead of one
    per annotation, which matters for the linkage network's arrows)."""
    lines = [f"Source: {source}", *[n for n in notes if n]]
    src = dict(text=_wrap(lines[0]) + "".join("<br>" + _wrap(n) for n in lines[1:]),
               xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
               yshift=-62, showarrow=False, align="left",
               font=dict(size=13, color=GREYS["muted"]), name="source")
    n_lines = sum(t.count("<br>") + 1 for t in (_wrap(x) for x in lines))
    fig.update_layout(template=TEMPLATE, margin=dict(b=80 + 18 * n_lines),
                      annotations=[*fig.layout.annotations, *annotations, src],
                      meta={"chart": chart, "summary": summary_text, "source": source})
    if height:
        fig.update_layout(height=height)
    return fig


def summary(fig: Any) -> str:
    """The text summary (alt text) stored on a figure made by this module."""
    meta = getattr(getattr(fig, "layout", None), "meta", None)
    if isinstance(meta, dict) and meta.get("summary"):
        return str(meta["summary"])
    raise ValueError("this figure carries no nkteach summary (fig.layout.meta['summary']); "
                     "make it with a function from nkteach.charts")


def _choice(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; allowed: {', '.join(map(repr, allowed))}")
    return value


def _choices(name: str, values: Any, allowed: Iterable[Any]) -> list:
    allowed = list(allowed)
    vals = [values] if isinstance(values, str) else list(values)
    bad = [v for v in vals if v not in allowed]
    if bad:
        raise ValueError(f"unknown {name} {', '.join(map(repr, bad))}; "
                         f"allowed (present in the data): {', '.join(map(repr, allowed))}")
    if not vals:
        raise ValueError(f"choose at least one {name}; allowed: {', '.join(map(repr, allowed))}")
    return vals


def _year_range(years: Any, lo: int, hi: int, what: str) -> tuple[int, int]:
    if years is None:
        return lo, hi
    try:
        a, b = years
        a, b = int(a), int(b)
        if (a, b) != tuple(years):
            raise TypeError
    except (TypeError, ValueError):
        raise ValueError(f"years must be a pair of whole years (start, end), got {years!r}") from None
    if a > b:
        raise ValueError(f"years start {a} is after end {b}")
    if a < lo or b > hi:
        raise ValueError(f"years {a}–{b} fall outside the data for {what}: {lo}–{hi}")
    return a, b


def _fmt(x: float, nd: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "no data"
    return f"{x:,.{nd}f}"


def _num(v: Any) -> float | None:
    """A number from a cell that may hold text such as 'more than 2' (None if there is none)."""
    if v is None:
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return None if isinstance(v, float) and math.isnan(v) else float(v)
    m = re.search(r"-?\d[\d,]*(?:\.\d+)?", str(v))
    return float(m.group(0).replace(",", "")) if m else None


def _cite(r: dict) -> str:
    """'002 §V.E' from a seed_facts row (seed codes are three digits even if read as numbers)."""
    seed = r.get("seed")
    seed = "" if _na(seed) else str(seed).strip()
    if seed.replace(".0", "").isdigit():
        seed = seed.replace(".0", "").zfill(3)
    sec = "" if _na(r.get("section")) else str(r["section"]).strip()
    return " ".join(x for x in (seed, sec) if x)


def _na(v: Any) -> bool:
    """True for None, NaN and pandas' NA (a nullable string column reads empty cells as <NA>)."""
    if v is None:
        return True
    try:
        return bool(v != v)
    except TypeError:  # pd.NA: comparisons return NA, whose truth value raises
        return True


# ---------------------------------------------------------------------------------------------
# Arms imports (SIPRI TIV)

_TIV_AXIS = "SIPRI TIV (millions) — not US dollars"
_MAX_SUPPLIERS = 7


def _arms_subset(df, recipient: str, years):
    df = _load(df, "arms_imports", ("recipient", "supplier", "year", "tiv"))
    recips = sorted(df["recipient"].dropna().unique())
    _choice("recipient", recipient, recips)
    # The data's range, not the recipient's: a year without rows means no delivery identified.
    yrs = df["year"].dropna().astype(int)
    a, b = _year_range(years, int(yrs.min()), int(yrs.max()), "arms_imports")
    sub = df[df["recipient"] == recipient]
    sub = sub[(sub["year"].astype(int) >= a) & (sub["year"].astype(int) <= b)]
    return df, sub, (a, b)


def supplier_shares(df=None, recipient: str = "Azerbaijan", years=(2007, 2011), *, totals=None):
    """Each supplier's TIV and share (%) of ``recipient``'s imports over ``years`` (inclusive).

    The denominator is the sum of the supplier rows; pass ``totals`` (recipient, year, tiv) to
    divide by SIPRI's own rounded totals instead — from the SAME database release (the package's
    ``arms_import_totals`` is the 2024 release, ``arms_imports`` the 2022 one: mixing them raises).
    Returns a DataFrame (supplier, tiv, share_percent) sorted by TIV, largest first.
    """
    import pandas as pd

    df, sub, (a, b) = _arms_subset(df, recipient, years)
    by = (sub.groupby("supplier", as_index=False)["tiv"].sum()
          .sort_values(["tiv", "supplier"], ascending=[False, True], kind="stable"))
    denom = float(by["tiv"].sum())
    if totals is not None:
        t = _load(totals, "arms_import_totals", ("recipient", "year", "tiv"))
        r1, r2 = (str((getattr(x, "attrs", None) or {}).get("release", "")) for x in (df, t))
        if r1 and r2 and r1 != r2:
            raise ValueError(f"totals come from SIPRI release {r2!r} but the supplier rows from {r1!r}; "
                             "SIPRI revises its whole database every year, so do not mix releases")
        t = t[(t["recipient"] == recipient) & (t["year"].astype(int).between(a, b))]
        denom = float(t["tiv"].sum())
    out = pd.DataFrame({"supplier": by["supplier"].astype(str).to_numpy(),
                        "tiv": by["tiv"].astype(float).to_numpy()})
    out["share_percent"] = (100 * out["tiv"] / denom).round(1) if denom else float("nan")
    out.attrs = {**df.attrs, "recipient": recipient, "years": (a, b), "denominator": denom}
    return out.reset_index(drop=True)


# Seed claims about supplier shares (BRIEF §4.3/§4.11): fact id → (recipient, supplier, period).
# The values and citations are read from the seed_facts table, never from here.
_ARMS_CLAIMS = {"M1": ("Azerbaijan", "Russia", (2007, 2011)),
                "M2": ("Armenia", "Russia", (2007, 2011)),
                "M12": ("Azerbaijan", "Israel", (2017, 2020))}


def _claims_table(claims) -> list[dict]:
    """Claims as dicts: recipient, supplier, start, end, percent, label, citation."""
    if claims is None:
        from .data import load
        claims = load("seed_facts")
    rows = claims.to_dict(orient="records") if hasattr(claims, "to_dict") else list(claims)
    out = []
    for r in rows:
        if "fact_id" in r and r.get("fact_id") in _ARMS_CLAIMS and "percent" not in r:
            rec, sup, (a, b) = _ARMS_CLAIMS[r["fact_id"]]
            val = _num(r.get("value"))
            if val is None:
                continue
            cite = _cite(r)
            qual = ">" if re.search(r"over|more than|>", f"{r.get('value')} {r.get('flag', '')}"
                                    f" {r.get('measures', '')}", re.I) else ""
            out.append(dict(recipient=rec, supplier=sup, start=a, end=b, percent=val,
                            label=f"{cite}: {sup} {qual}{val:g}%", citation=cite))
        elif {"recipient", "supplier", "percent"} <= set(r):
            a, b = int(r.get("start", 0) or 0), int(r.get("end", 0) or 0)
            cite = str(r.get("citation", ""))
            out.append(dict(recipient=r["recipient"], supplier=r["supplier"], start=a, end=b,
                            percent=float(r["percent"]),
                            label=str(r.get("label") or f"{cite}: {r['supplier']} {r['percent']:g}%"),
                            citation=cite))
    return out


def _arms_compute(df, recipient, years, mode, overlay_claims, claims):
    _choice("mode", mode, ("volume", "share"))
    df, sub, (a, b) = _arms_subset(df, recipient, years)
    shares = supplier_shares(df, recipient, (a, b))
    top = list(shares["supplier"][:_MAX_SUPPLIERS])
    if len(shares) > _MAX_SUPPLIERS:
        top = list(shares["supplier"][:_MAX_SUPPLIERS - 1])
    relevant = []
    if overlay_claims:
        for c in _claims_table(claims):
            if c["recipient"] != recipient:
                continue
            row = shares[shares["supplier"] == c["supplier"]]
            c = dict(c, computed=float(row["share_percent"].iloc[0]) if len(row) else 0.0,
                     same_period=(c["start"], c["end"]) == (a, b))
            relevant.append(c)
    return df, sub, (a, b), shares, top, relevant


def arms_imports_summary(df=None, *, recipient: str = "Azerbaijan", years=(2007, 2011),
                         mode: str = "volume", overlay_claims: bool = False, claims=None) -> str:
    df, sub, (a, b), shares, top, claims_ = _arms_compute(df, recipient, years, mode,
                                                          overlay_claims, claims)
    return _arms_text(df, recipient, (a, b), sub, shares, claims_)


def _arms_text(df, recipient, yrs, sub, shares, claims_) -> str:
    a, b = yrs
    total = float(shares["tiv"].sum())
    if not total:
        return f"No arms deliveries to {recipient} are recorded for {a}–{b} in these data. {_src(df)}"
    lead = shares.iloc[0]
    parts = [f"Arms imports of {recipient}, {a}–{b}: {_fmt(total)} million SIPRI TIV in total "
             f"(TIV measures military capability transferred, not US dollars)."]
    parts.append(f"Largest supplier: {lead['supplier']} with {_fmt(lead['tiv'])} "
                 f"({lead['share_percent']:.1f}%)"
                 + "".join(f"; then {r.supplier} {_fmt(r.tiv)} ({r.share_percent:.1f}%)"
                           for r in shares.iloc[1:3].itertuples()) + ".")
    by_year = sub.groupby(sub["year"].astype(int))["tiv"].sum()
    if len(by_year) > 1:
        peak = int(by_year.idxmax())
        parts.append(f"Peak year: {peak} ({_fmt(by_year.max())}).")
    for c in claims_:
        when = "the same period" if c["same_period"] else f"{c['start']}–{c['end']}, a different period"
        parts.append(f"Claim {c['label']} ({when}); computed from these data for {a}–{b}: "
                     f"{c['supplier']} {c['computed']:.1f}%.")
    parts.append(_src(df))
    return " ".join(parts)


def arms_imports(df=None, *, recipient: str = "Azerbaijan", years=(2007, 2011),
                 mode: str = "volume", overlay_claims: bool = False, claims=None) -> go.Figure:
    """TIV of ``recipient``'s arms imports by supplier: stacked bars per year (``mode="volume"``)
    or each supplier's share of the period (``mode="share"``); ``overlay_claims`` marks the seeds'
    share claims (from ``seed_facts``, or ``claims``) next to the computed shares."""
    df, sub, (a, b), shares, top, claims_ = _arms_compute(df, recipient, years, mode,
                                                          overlay_claims, claims)
    text = _arms_text(df, recipient, (a, b), sub, shares, claims_)
    fig = go.Figure()
    colour = {s: COLORWAY[i] for i, s in enumerate(top)}
    pattern = {s: PATTERNS[i % len(PATTERNS)] for i, s in enumerate(top)}
    others = [s for s in shares["supplier"] if s not in top]
    if mode == "volume":
        yrs = list(range(a, b + 1))
        sub = sub.assign(_s=sub["supplier"].where(sub["supplier"].isin(top), "Other suppliers"))
        piv = sub.groupby(["_s", sub["year"].astype(int)])["tiv"].sum()
        for s in top + (["Other suppliers"] if others else []):
            ys = [float(piv.get((s, y), float("nan"))) for y in yrs]
            fig.add_bar(x=yrs, y=ys, name=s,
                        marker=dict(color=colour.get(s, GREYS["mid"]),
                                    pattern=dict(shape=pattern.get(s, "+"), fgcolor=GREYS["white"], fillmode="overlay",
                                                 size=7)),
                        hovertemplate=f"{s}, %{{x}}: %{{y:,.0f}} TIV<extra></extra>")
        fig.update_layout(barmode="stack", title=f"Arms imports of {recipient} by supplier, {a}–{b}",
                          xaxis=dict(title="Year of delivery", tickmode="linear", dtick=1 if b - a < 15 else 5),
                          yaxis=dict(title=_TIV_AXIS))
        if claims_:
            lines = [f"{c['label']} ({c['start']}–{c['end']}) · computed here for {a}–{b}: "
                     f"{c['computed']:.1f}%" for c in claims_]
            fig.add_annotation(text="<br>".join(lines), xref="paper", yref="paper", x=0.01, y=0.99,
                               xanchor="left", yanchor="top", showarrow=False, align="left",
                               bgcolor="rgba(255,255,255,0.85)", bordercolor=GREYS["mid"],
                               font=dict(size=13, color="#000000"), name="claims")
    else:
        shown = shares.iloc[::-1]  # largest at the top of a horizontal bar chart
        fig.add_bar(y=list(shown["supplier"]), x=list(shown["share_percent"]), orientation="h",
                    name=f"computed share {a}–{b}", showlegend=False,
                    marker=dict(color=[colour.get(s, GREYS["mid"]) for s in shown["supplier"]],
                                pattern=dict(shape=[pattern.get(s, "+") for s in shown["supplier"]],
                                             fgcolor=GREYS["white"], fillmode="overlay", size=7)),
                    text=[f"{p:.1f}% ({t:,.0f})" for p, t in zip(shown["share_percent"], shown["tiv"])],
                    textposition="auto", insidetextanchor="middle", cliponaxis=False,
                    hovertemplate="%{y}: %{x:.1f}% of TIV<extra></extra>")
        claim_notes = []
        if claims_:
            labels = [c["label"] + ("" if c["same_period"] else f" ({c['start']}–{c['end']})")
                      for c in claims_]
            fig.add_scatter(x=[c["percent"] for c in claims_], y=[c["supplier"] for c in claims_],
                            mode="markers", name="claim in a seed",
                            marker=dict(symbol="line-ns", size=30, color="#000000",
                                        line=dict(width=3, color="#000000")),
                            text=labels, hovertemplate="%{text}<extra></extra>")
            # Labels as boxed annotations so they stay legible over the bars.
            claim_notes = [dict(x=c["percent"], y=c["supplier"], xref="x", yref="y", text=lab,
                                showarrow=True, arrowhead=0, arrowwidth=1.5, arrowcolor="#000000",
                                ax=0, ay=-34, bgcolor="#FFFFFF", bordercolor="#000000",
                                font=dict(size=13, color="#000000"), name="claim")
                           for c, lab in zip(claims_, labels)]
        fig.update_layout(title=f"Suppliers' shares of {recipient}'s arms imports, {a}–{b}",
                          xaxis=dict(title=f"Share of {recipient}'s imports, % of {_TIV_AXIS}",
                                     range=[0, 118]),
                          yaxis=dict(title=None, showgrid=False))
        return _finish(fig, chart="arms_imports", summary_text=text, source=source_of(df),
                       notes=["Shares divide by the sum of the supplier rows (rounded TIV), so they can "
                              "differ by a few tenths from shares of SIPRI's own totals.",
                              "TIV = SIPRI trend-indicator value: volume of military capability, not "
                              "the money paid. SIPRI revises its whole database every year."],
                       annotations=claim_notes)
    return _finish(fig, chart="arms_imports", summary_text=text, source=source_of(df),
                   notes=["TIV = SIPRI trend-indicator value: volume of military capability, "
                          "not the money paid. SIPRI revises its whole database every year."])


# ---------------------------------------------------------------------------------------------
# Military expenditure (SIPRI)

_MEASURE_LABELS = {
    "constant_2024_usd_m": "Constant 2024 US$ (millions)",
    "current_usd_m": "Current US$ (millions)",
    "local_currency_m": "Local currency (millions)",
    "share_of_gdp": "Share of GDP (%)",
    "share_of_gdp_percent": "Share of GDP (%)",
    "per_capita_usd": "Per capita (current US$)",
    "share_of_government_spending": "Share of government spending (%)",
    "share_of_govt_spending": "Share of government spending (%)",
}
_COUNTRY_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "pentagon"]
_POINT_SYMBOLS = ["circle", "square", "diamond", "cross", "x", "pentagon", "hexagon", "star"]


def _milex_subset(df, countries, measure, years):
    df = _load(df, "military_expenditure", ("country", "year", "measure", "value", "estimate"))
    _choice("measure", measure, sorted(df["measure"].dropna().unique()))
    countries = _choices("country", countries, sorted(df["country"].dropna().unique()))
    sub = df[(df["measure"] == measure) & df["country"].isin(countries)]
    yrs = sub["year"].dropna().astype(int)
    a, b = _year_range(years, int(yrs.min()), int(yrs.max()), ", ".join(countries))
    if years is None:  # default view: the years that have a value, not the empty early rows
        have = sub.loc[sub["value"].notna(), "year"].astype(int)
        if len(have):
            a, b = int(have.min()), int(have.max())
    sub = sub[sub["year"].astype(int).between(a, b)].sort_values(["country", "year"])
    return df, sub, countries, (a, b)


def military_expenditure_summary(df=None, *, countries=("Armenia", "Azerbaijan"),
                                 measure: str = "constant_2024_usd_m", years=None) -> str:
    df, sub, countries, yrs = _milex_subset(df, countries, measure, years)
    return _milex_text(df, sub, countries, measure, yrs)


def _is_true(v) -> bool:
    return (not _na(v)) and str(v).lower() in ("true", "1", "yes")


def _milex_text(df, sub, countries, measure, yrs) -> str:
    label = _MEASURE_LABELS.get(measure, measure)
    parts = [f"Military expenditure, {label}, {yrs[0]}–{yrs[1]}."]
    for c in countries:
        s = sub[sub["country"] == c]
        have = s[s["value"].notna()]
        if have.empty:
            parts.append(f"{c}: no values in this range.")
            continue
        first, last = have.iloc[0], have.iloc[-1]
        top = have.loc[have["value"].astype(float).idxmax()]
        n_est = int(sum(_is_true(v) for v in have["estimate"]))
        n_miss = int(s["value"].isna().sum())
        trend = "rose" if last["value"] > first["value"] else "fell" if last["value"] < first["value"] else "was unchanged"
        parts.append(f"{c}: {trend} from {_fmt(first['value'], 1)} ({int(first['year'])}) to "
                     f"{_fmt(last['value'], 1)} ({int(last['year'])}); highest {_fmt(top['value'], 1)} "
                     f"in {int(top['year'])}"
                     + (f"; {n_est} value(s) are SIPRI estimates" if n_est else "")
                     + (f"; {n_miss} year(s) have no value (gaps, not zero)" if n_miss else "") + ".")
    parts.append(_src(df))
    return " ".join(parts)


def military_expenditure(df=None, *, countries=("Armenia", "Azerbaijan"),
                         measure: str = "constant_2024_usd_m", years=None) -> go.Figure:
    """SIPRI military expenditure per country and year; estimates drawn as hollow markers,
    missing values as gaps (never zero)."""
    df, sub, countries, (a, b) = _milex_subset(df, countries, measure, years)
    text = _milex_text(df, sub, countries, measure, (a, b))
    fig = go.Figure()
    for i, c in enumerate(countries):
        s = sub[sub["country"] == c]
        sym = _COUNTRY_SYMBOLS[i % len(_COUNTRY_SYMBOLS)]
        est = [_is_true(v) for v in s["estimate"]]
        ys = [None if _na(v) else float(v) for v in s["value"]]
        fig.add_scatter(x=[int(y) for y in s["year"]], y=ys, name=c, mode="lines+markers",
                        connectgaps=False,
                        line=dict(color=COLORWAY[i % 7], width=2.5),
                        marker=dict(symbol=[f"{sym}-open" if e else sym for e in est], size=9,
                                    color=COLORWAY[i % 7], line=dict(width=2, color=COLORWAY[i % 7])),
                        hovertemplate=f"{c} %{{x}}: %{{y:,.1f}}<extra></extra>")
    fig.add_scatter(x=[None], y=[None], mode="markers", name="SIPRI estimate",
                    marker=dict(symbol="circle-open", size=10, color=GREYS["muted"],
                                line=dict(width=2, color=GREYS["muted"])),
                    hoverinfo="skip")
    fig.update_layout(title=f"Military expenditure, {a}–{b}",
                      xaxis=dict(title="Year", tickformat="d"), yaxis=dict(title=_MEASURE_LABELS.get(measure, measure),
                                                         rangemode="tozero"))
    return _finish(fig, chart="military_expenditure", summary_text=text, source=source_of(df),
                   notes=["Hollow markers: SIPRI estimates. Gaps: no value in the source (not zero)."])


# ---------------------------------------------------------------------------------------------
# The 2011 Facebook poll (002 §IV.F, Table 1)

_GROUP_COLOURS = {"war": "#E69F00", "peace": "#0072B2", "other": GREYS["mid"]}
_GROUP_PATTERNS = {"war": "/", "peace": "", "other": "."}
_POLL_CAVEAT = ("Caveat: a self-selected Facebook poll (Nov 2011), Armenia and Azerbaijan pooled, "
                "organiser unknown — not a sample of either society (BRIEF §8.4).")


def poll_shares(df=None, grouped: bool = False):
    """Responses and shares of the 2011 poll, recomputed from the response counts.

    Returns a DataFrame with ``responses``, ``percent`` (recomputed, 2 decimals) and
    ``percent_printed`` (as printed in the thesis; summed per group when ``grouped``).
    """
    import pandas as pd

    if not isinstance(grouped, bool):
        raise ValueError(f"grouped must be True or False, got {grouped!r}")
    df = _load(df, "facebook_poll_2011", ("option", "label", "responses", "percent_printed", "group"))
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


def facebook_poll_summary(df=None, *, show: str = "printed", grouped: bool = False) -> str:
    _choice("show", show, ("printed", "recomputed"))
    df = _load(df, "facebook_poll_2011", ("option", "label", "responses", "percent_printed", "group"))
    return _poll_text(df, poll_shares(df, grouped), show, grouped)


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
    parts.append(_src(df))
    return " ".join(parts)


def facebook_poll(df=None, *, show: str = "printed", grouped: bool = False) -> go.Figure:
    """Sorted horizontal bars of the poll's response counts, labelled with the printed or the
    recomputed percentages; ``grouped`` sums the options into war / peace / other."""
    _choice("show", show, ("printed", "recomputed"))
    df = _load(df, "facebook_poll_2011", ("option", "label", "responses", "percent_printed", "group"))
    sh = poll_shares(df, grouped)
    text = _poll_text(df, sh, show, grouped)
    col = "percent" if show == "recomputed" else "percent_printed"
    shown = sh.iloc[::-1]
    labels = [str(g).capitalize() + " options" for g in shown["group"]] if grouped else \
        [f"{int(o)}. {lab}" for o, lab in zip(shown["option"], shown["label"])]
    fig = go.Figure()
    for g in dict.fromkeys(shown["group"]):  # one trace per group → legend entries war/peace/other
        m = [x == g for x in shown["group"]]
        fig.add_bar(y=[lab for lab, k in zip(labels, m) if k],
                    x=[int(r) for r, k in zip(shown["responses"], m) if k],
                    orientation="h", name=str(g),
                    marker=dict(color=_GROUP_COLOURS.get(g, GREYS["mid"]),
                                pattern=dict(shape=_GROUP_PATTERNS.get(g, "+"),
                                             fgcolor=GREYS["white"], fillmode="overlay", size=7)),
                    text=[f"{int(r):,} ({p:.2f}%)" for r, p, k in
                          zip(shown["responses"], shown[col], m) if k],
                    textposition="outside", cliponaxis=False,
                    hovertemplate="%{y}: %{x:,} responses<extra></extra>")
    kind = "recomputed from the counts" if show == "recomputed" else "as printed in the thesis"
    fig.update_layout(title=f"'Most effective solution' — Facebook poll, Nov 2011 (% {kind})",
                      xaxis=dict(title="Responses (count)", range=[0, float(sh["responses"].max()) * 1.3]),
                      # dtick=1: plotly would otherwise skip every other long option label
                      yaxis=dict(title=None, showgrid=False, categoryorder="array",
                                 categoryarray=labels, tickmode="linear", dtick=1, automargin=True),
                      height=max(440, 48 * len(labels) + 240),
                      legend=dict(title="Option group", traceorder="normal"))
    return _finish(fig, chart="facebook_poll", summary_text=text, source=source_of(df),
                   notes=[_POLL_CAVEAT])


# ---------------------------------------------------------------------------------------------
# Defence budgets quoted in the seeds (BRIEF §4.4): separate sourced points, never a line

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


def _budget_rows(df) -> list[dict]:
    df = _load(df, "seed_facts", ("fact_id", "value", "unit", "year", "seed", "section"))
    rows = []
    for r in df.to_dict(orient="records"):
        if not re.fullmatch(r"B\d+", str(r["fact_id"])):
            continue
        text = str(r["value"])
        first = text.split(";")[0]  # B5: "more than 2 billion; more than 5% of GDP"
        m = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion)?", first)
        if not m:
            continue
        usd = float(m.group(1).replace(",", "")) * _SCALE.get(m.group(2) or "", 1.0)
        num = r.get("value_num")
        if not _na(num) and str(num).strip() != "":
            usd = float(num)
        ym = re.search(r"\d{4}", str(r["year"]))
        rows.append(dict(fact_id=r["fact_id"], usd_bn=usd / 1e9, text=text, year_text=str(r["year"]),
                         year=int(ym.group(0)) if ym else None,
                         lower_bound=bool(re.search(r"more than|over|at least", first, re.I)),
                         measures=str(r.get("measures") or ""),
                         cited=str(r.get("cited_source") or ""),
                         citation=_cite(r)))
    if not rows:
        raise ValueError("seed_facts has no defence-budget rows (fact_id B1, B2, …)")
    return sorted(rows, key=lambda x: (x["year"] or 0, x["fact_id"]))


def defence_budgets_seed_summary(df=None) -> str:
    df = _load(df, "seed_facts", ("fact_id", "value", "unit", "year", "seed", "section"))
    return _budget_text(_budget_rows(df), df)


def _budget_text(rows, df) -> str:
    top = max(rows, key=lambda r: r["usd_bn"])
    parts = [f"Azerbaijan's military/defence budget as quoted in the seeds: {len(rows)} separate figures "
             "from different sources and probably different definitions, so they are not one series."]
    parts += [f"{r['fact_id']} ({r['citation']}): {'more than ' if r['lower_bound'] else ''}"
              f"US${r['usd_bn']:.2f} bn, {r['year_text']}." for r in rows]
    parts.append(f"Largest: {top['fact_id']}, US${top['usd_bn']:.2f} bn ({top['year_text']}).")
    parts.append(_src(df))
    return " ".join(parts)


def defence_budgets_seed(df=None) -> go.Figure:
    """The thesis's and 003's budget figures B1–B5 as separate sourced points (no joining line)."""
    src_df = _load(df, "seed_facts", ("fact_id", "value", "unit", "year", "seed", "section"))
    rows = _budget_rows(src_df)
    text = _budget_text(rows, src_df)
    fig = go.Figure()
    seed_colour = {"002": COLORWAY[0], "003": COLORWAY[1]}
    for i, r in enumerate(rows):
        seed = r["citation"].split(" ")[0]
        sym = "triangle-up" if r["lower_bound"] else _POINT_SYMBOLS[i % len(_POINT_SYMBOLS)]
        fig.add_scatter(x=[r["year"]], y=[r["usd_bn"]], mode="markers+text",  # one point per trace
                        name=f"{r['fact_id']} · {r['citation']}",
                        marker=dict(symbol=sym, size=14, color=seed_colour.get(seed, COLORWAY[2]),
                                    line=dict(width=1, color="#000000")),
                        text=[f"{r['fact_id']}: {'>' if r['lower_bound'] else ''}${r['usd_bn']:.2f} bn"],
                        textposition="top center",
                        hovertemplate=(f"{r['fact_id']}: {r['text']} ({r['year_text']})<br>"
                                       f"{r['measures'][:80]}<br>{r['citation']}; cites: {r['cited'][:60]}"
                                       "<extra></extra>"))
    ys = [r["usd_bn"] for r in rows]
    fig.update_layout(title="Azerbaijan's military budget as quoted in the seeds (separate figures, not a series)",
                      xaxis=dict(title="Year the figure refers to (approximate where the seed says 'c.')",
                                 dtick=2, range=[min(r["year"] or 0 for r in rows) - 1.5,
                                                 max(r["year"] or 0 for r in rows) + 2]),
                      yaxis=dict(title="US$ billion (as quoted; sources differ)", range=[0, max(ys) * 1.25]),
                      legend=dict(title="Figure · seed"))
    return _finish(fig, chart="defence_budgets_seed", summary_text=text, source=source_of(src_df),
                   notes=["Each point has its own source and possibly its own definition (BRIEF §4.4, §11 #9): "
                          "do not read them as one trend. ▲ = a lower bound ('more than')."])


# ---------------------------------------------------------------------------------------------
# Governance: Freedom House ratings, scores, Nations in Transit

def _country_traces(fig, sub, countries, x, y, fmt="%{y}"):
    for i, c in enumerate(countries):
        s = sub[sub["country"] == c].sort_values(x)
        ys = [None if _na(v) else float(v) for v in s[y]]
        fig.add_scatter(x=[int(v) for v in s[x]], y=ys, name=c, mode="lines+markers", connectgaps=False,
                        line=dict(color=COLORWAY[i % 7], width=2.5),
                        marker=dict(symbol=_COUNTRY_SYMBOLS[i % len(_COUNTRY_SYMBOLS)], size=9,
                                    color=COLORWAY[i % 7]),
                        hovertemplate=f"{c} %{{x}}: {fmt}<extra></extra>")


def _series_text(sub, countries, x, y, what, higher_is, df) -> str:
    parts = [what + "."]
    for c in countries:
        s = sub[(sub["country"] == c) & sub[y].notna()].sort_values(x)
        if s.empty:
            parts.append(f"{c}: no values.")
            continue
        first, last = s.iloc[0], s.iloc[-1]
        hi = s.loc[s[y].astype(float).idxmax()]
        parts.append(f"{c}: {first[y]:g} ({int(first[x])}) → {last[y]:g} ({int(last[x])}); "
                     f"largest value {hi[y]:g} in {int(hi[x])}.")
    parts.append(f"{higher_is}. {_src(df)}")
    return " ".join(parts)


_FH_RATINGS = {"political_rights": "Political rights rating", "civil_liberties": "Civil liberties rating"}


def _fh_subset(df, name, required, countries, years, xcol):
    df = _load(df, name, required)
    countries = _choices("country", countries, sorted(df["country"].dropna().unique()))
    yrs = df[xcol].dropna().astype(int)
    a, b = _year_range(years, int(yrs.min()), int(yrs.max()), name)
    if years is None:  # default view: the selected countries' own years
        mine = df.loc[df["country"].isin(countries), xcol].dropna().astype(int)
        if len(mine):
            a, b = int(mine.min()), int(mine.max())
    sub = df[df["country"].isin(countries) & df[xcol].astype(int).between(a, b)]
    return df, sub, countries, (a, b)


def _fh_ratings(df, countries, measure, years):
    _choice("measure", measure, list(_FH_RATINGS))
    df, sub, countries, (a, b) = _fh_subset(df, "freedom_ratings", ("country", "year", measure),
                                            countries, years, "year")
    text = _series_text(sub, countries, "year", measure,
                        f"Freedom House {_FH_RATINGS[measure].lower()}, {a}–{b} (1 = most free, 7 = least free)",
                        "Lower = freer on this scale", df)
    return df, sub, countries, (a, b), text


def freedom_ratings_summary(df=None, *, countries=("Armenia", "Azerbaijan"),
                            measure: str = "political_rights", years=None) -> str:
    return _fh_ratings(df, countries, measure, years)[-1]


def _fh_figure(df, sub, countries, x, measure, *, chart, text, **layout) -> go.Figure:
    # Shared by freedom_ratings and freedom_scores: one trace per country, then the chart's own axes.
    fig = go.Figure()
    _country_traces(fig, sub, countries, x, measure)
    fig.update_layout(**layout)
    return _finish(fig, chart=chart, summary_text=text, source=source_of(df))


def freedom_ratings(df=None, *, countries=("Armenia", "Azerbaijan"), measure: str = "political_rights",
                    years=None) -> go.Figure:
    """Freedom House 1–7 ratings (1 = most free); the axis is reversed so that freer is up."""
    df, sub, countries, (a, b), text = _fh_ratings(df, countries, measure, years)
    return _fh_figure(df, sub, countries, "year", measure, chart="freedom_ratings", text=text,
                      title=f"Freedom House: {_FH_RATINGS[measure].lower()}, {a}–{b}",
                      xaxis=dict(title="Year under review", tickformat="d"),
                      yaxis=dict(title=f"{_FH_RATINGS[measure]}: 1 = most free, 7 = least free<br>"
                                 "(axis reversed: freer is up)", range=[7.5, 0.5], dtick=1))


def _score_measures(df) -> list[str]:
    base = [c for c in ("total", "political_rights_score", "civil_liberties_score") if c in df.columns]
    return base + [c for c in df.columns if re.fullmatch(r"[A-G]\d?", str(c))]


def _fh_scores(df, countries, measure, years):
    df = _load(df, "freedom_scores", ("country", "edition", "total"))
    _choice("measure", measure, _score_measures(df))
    df, sub, countries, (a, b) = _fh_subset(df, "freedom_scores", ("country", "edition", measure),
                                            countries, years, "edition")
    text = _series_text(sub, countries, "edition", measure,
                        f"Freedom in the World score '{measure}', editions {a}–{b}", "Higher = freer", df)
    return df, sub, countries, (a, b), text


def freedom_scores_summary(df=None, *, countries=("Armenia", "Azerbaijan"), measure: str = "total",
                           years=None) -> str:
    return _fh_scores(df, countries, measure, years)[-1]


def freedom_scores(df=None, *, countries=("Armenia", "Azerbaijan"), measure: str = "total",
                   years=None) -> go.Figure:
    """Freedom in the World scores by edition (higher = freer)."""
    df, sub, countries, (a, b), text = _fh_scores(df, countries, measure, years)
    top = 100 if measure == "total" else 60 if measure == "civil_liberties_score" else \
        40 if measure == "political_rights_score" else None
    return _fh_figure(df, sub, countries, "edition", measure, chart="freedom_scores", text=text,
                      title=f"Freedom in the World: {measure.replace('_', ' ')}, editions {a}–{b}",
                      xaxis=dict(title="Edition (covers the previous calendar year)", dtick=1, tickformat="d"),
                      yaxis=dict(title=f"{measure.replace('_', ' ')} (higher = freer)",
                                 range=[min(0, float(sub[measure].min()) - 2) if len(sub) else 0,
                                        (top or float(sub[measure].max()) + 1) + 2]))


def _nit_subset(df, countries, category):
    df = _load(df, "nations_in_transit", ("country", "edition", "category", "score"))
    num = df[df["score"].notna()]
    _choice("category", category, sorted(num["category"].dropna().unique()))
    countries = _choices("country", countries, sorted(num["country"].dropna().unique()))
    sub = num[(num["category"] == category) & num["country"].isin(countries)].sort_values(["country", "edition"])
    return df, sub, countries


def _flagged(v) -> bool:
    return not _na(v) and str(v).strip() != ""


def nations_in_transit_summary(df=None, *, countries=("Armenia", "Azerbaijan"),
                               category: str = "Democracy Score") -> str:
    df, sub, countries = _nit_subset(df, countries, category)
    return _nit_text(df, sub, countries, category)


def _nit_text(df, sub, countries, category) -> str:
    text = _series_text(sub, countries, "edition", "score",
                        f"Nations in Transit '{category}' as reported by the thesis, old scale "
                        "(1 = most democratic, 7 = least)", "Higher = less democratic on this scale", df)
    if "flag" in sub.columns:
        for r in sub[sub["flag"].map(_flagged)].itertuples():
            text += f" Flagged: {r.country} {int(r.edition)} = {r.score:g} — {r.flag}."
    return text


def nations_in_transit(df=None, *, countries=("Armenia", "Azerbaijan"),
                       category: str = "Democracy Score") -> go.Figure:
    """NIT scores the thesis quotes (old scale, 1 = most democratic; axis reversed so more
    democratic is up); flagged values such as the printed 5.57 are marked."""
    df, sub, countries = _nit_subset(df, countries, category)
    text = _nit_text(df, sub, countries, category)
    fig = go.Figure()
    for i, c in enumerate(countries):
        s = sub[sub["country"] == c]
        fig.add_scatter(x=[int(v) for v in s["edition"]], y=[float(v) for v in s["score"]], name=c,
                        mode="markers+text", text=[f"{v:.2f}" for v in s["score"]],
                        textposition="middle right",
                        marker=dict(symbol=_COUNTRY_SYMBOLS[i], size=12, color=COLORWAY[i % 7]),
                        hovertemplate=f"{c} %{{x}}: %{{y:.2f}}<extra></extra>")
    notes = []
    if "flag" in sub.columns:
        fl = sub[sub["flag"].map(_flagged)]
        if len(fl):
            fig.add_scatter(x=[int(v) for v in fl["edition"]], y=[float(v) for v in fl["score"]],
                            mode="markers", name="value flagged (see note)",
                            marker=dict(symbol="circle-open", size=24, color="#000000",
                                        line=dict(width=2, color="#000000")),
                            hovertext=[str(f) for f in fl["flag"]], hoverinfo="text")
            notes += [f"Ring: {r.country} {int(r.edition)} {r.score:.2f} — {r.flag}." for r in fl.itertuples()]
    fig.update_layout(title=f"Nations in Transit: {category} (as quoted in the thesis)",
                      xaxis=dict(title="NIT edition (reflects the previous year)", dtick=1),
                      yaxis=dict(title="Score: 1 = most democratic, 7 = least<br>(old scale; axis reversed)",
                                 range=[7.2, 0.8], dtick=1))
    notes.append("Freedom House later reversed the NIT scale: never mix old and new scores on one axis.")
    return _finish(fig, chart="nations_in_transit", summary_text=text, source=source_of(df), notes=notes)


# ---------------------------------------------------------------------------------------------
# Caucasus Barometer (CRRC): representative surveys to set beside the Facebook poll

def _cb_subset(df, question_id, survey_year, countries):
    df = _load(df, "caucasus_barometer",
               ("survey_year", "country", "question_id", "question", "answer", "weighted_percent"))
    _choice("survey_year", survey_year, sorted(int(y) for y in df["survey_year"].dropna().unique()))
    yr = df[df["survey_year"].astype(int) == survey_year]
    qids = list(dict.fromkeys(yr["question_id"].dropna()))
    if question_id is None:
        question_id = qids[0]
    _choice(f"question_id for {survey_year}", question_id, qids)
    q = yr[yr["question_id"] == question_id]
    countries = _choices(f"country for {question_id} {survey_year}", countries,
                         sorted(q["country"].dropna().unique()))
    q = q[q["country"].isin(countries)]
    return df, q, question_id, countries


def caucasus_barometer_summary(df=None, *, question_id: str | None = None, survey_year: int = 2011,
                               countries=("Armenia", "Azerbaijan")) -> str:
    df, q, qid, countries = _cb_subset(df, question_id, survey_year, countries)
    return _cb_text(df, q, qid, survey_year, countries)


def _cb_text(df, q, qid, year, countries) -> str:
    question = str(q["question"].iloc[0]) if len(q) else qid
    parts = [f"Caucasus Barometer {year}, {qid}: {question}. Weighted percentages of a representative "
             "household survey of adults."]
    for c in countries:
        s = q[q["country"] == c].sort_values("weighted_percent", ascending=False, kind="stable")
        if s.empty:
            continue
        # respondents = base_n (the column n counts one answer only)
        ncol = "base_n" if "base_n" in s.columns else "n"
        n = f", n = {int(s[ncol].iloc[0]):,}" if ncol in s.columns and not _na(s[ncol].iloc[0]) else ""
        parts.append(f"{c}{n}: largest answer '{s['answer'].iloc[0]}' {s['weighted_percent'].iloc[0]:.1f}%"
                     + "".join(f"; '{a}' {p:.1f}%" for a, p in zip(s["answer"].iloc[1:3],
                                                                  s["weighted_percent"].iloc[1:3])) + ".")
    parts.append(_src(df))
    return " ".join(parts)


def caucasus_barometer(df=None, *, question_id: str | None = None, survey_year: int = 2011,
                       countries=("Armenia", "Azerbaijan")) -> go.Figure:
    """Weighted % by answer for one Caucasus Barometer question, one bar colour and pattern per
    country (``question_id=None`` takes the year's first question)."""
    df, q, qid, countries = _cb_subset(df, question_id, survey_year, countries)
    text = _cb_text(df, q, qid, survey_year, countries)
    # Substantive answers first, in the questionnaire's code order; don't know/refusals last.
    keys = [c for c in ("nonsubstantive", "answer_code", "code", "answer_order") if c in q.columns]
    qq = q.sort_values(keys, kind="stable") if keys else q
    answers = list(dict.fromkeys(qq["answer"]))
    fig = go.Figure()
    for i, c in enumerate(countries):
        s = q[q["country"] == c].set_index("answer")["weighted_percent"]
        xs = [float(s.get(a)) if a in s.index and not _na(s.get(a)) else None for a in answers]
        fig.add_bar(y=answers, x=xs, orientation="h", name=c,
                    marker=dict(color=COLORWAY[i % 7],
                                pattern=dict(shape=PATTERNS[i % len(PATTERNS)], fgcolor=GREYS["white"], fillmode="overlay", size=7)),
                    text=[f"{x:.1f}%" if x is not None else "" for x in xs], textposition="outside",
                    cliponaxis=False, hovertemplate=f"{c}: %{{y}} %{{x:.1f}}%<extra></extra>")
    question = str(q["question"].iloc[0]) if len(q) else qid
    fig.update_layout(barmode="group", title=_wrap(f"Caucasus Barometer {survey_year}: {question}", 80),
                      xaxis=dict(title="Weighted % of respondents", range=[0, 105]),
                      yaxis=dict(title=None, autorange="reversed", showgrid=False),
                      height=max(420, 260 + 30 * len(answers) * len(countries)))
    return _finish(fig, chart="caucasus_barometer", summary_text=text, source=source_of(df),
                   notes=["Nationally representative face-to-face surveys with sampling weights — "
                          "unlike the self-selected 2011 Facebook poll."])


# ---------------------------------------------------------------------------------------------
# Timeline, coloured and shaped by level

_DATE = re.compile(r"^(-?)(\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_LANE = {"elite": 3, "nation": 2, "international": 1}


def _decimal_year(text: Any) -> float | None:
    m = _DATE.match(str(text).strip()) if not _na(text) else None
    if not m:
        return None
    y = int(m.group(2)) * (-1 if m.group(1) else 1)
    mo = int(m.group(3) or 1)
    d = int(m.group(4) or 1)
    return y + (mo - 1) / 12 + (d - 1) / 365


def _timeline_subset(df, years, levels_):
    df = _load(df, "timeline", ("event_id", "date_start", "event", "levels", "citation"))
    x = df["date_start"].map(_decimal_year)
    bad = df[x.isna()]
    if len(bad):
        raise ValueError(f"timeline rows with unreadable date_start: {list(bad['event_id'])[:5]}")
    lo, hi = int(math.floor(x.min())), int(math.floor(x.max()))
    a, b = _year_range(years, lo, hi, "timeline")
    keep = (x >= a) & (x < b + 1)
    if levels_ is not None:
        lv = [_levels.level(v).key for v in ([levels_] if isinstance(levels_, str) else levels_)]
        bad_lv = [k for k in lv if k not in _LANE]
        if bad_lv:
            raise ValueError(f"levels must be elite/nation/international (or E/N/I), got {bad_lv}")
        keep &= df["levels"].map(lambda s: any(_levels.level(p).key in lv for p in str(s).split(";") if p))
    else:
        lv = list(_LANE)
    def lane(s: str) -> str:
        # An event tagged "I;E" sits in its primary lane, unless only a later level is shown:
        # then it is drawn there, so that every event the filter keeps is also drawn.
        keys = [_levels.level(p).key for p in str(s).split(";") if p]
        return next((k for k in keys if k in lv), keys[0])

    sub = df[keep].assign(_x=x[keep], _level=df.loc[keep, "levels"].map(lane))
    return df, sub.sort_values("_x", kind="stable"), (a, b), lv


def timeline_summary(df=None, *, years=None, levels=None) -> str:
    df, sub, yrs, lv = _timeline_subset(df, years, levels)
    return _timeline_text(df, sub, yrs)


def _timeline_text(df, sub, yrs) -> str:
    counts = sub["_level"].value_counts()
    parts = [f"Timeline {yrs[0]}–{yrs[1]}: {len(sub)} events"
             + (" (" + ", ".join(f"{int(counts[k])} mainly {_levels.level(k).label.lower()}"
                                 for k in _LANE if k in counts) + ")" if len(sub) else "") + "."]
    if len(counts):
        parts.append(f"Most events sit at the {_levels.level(counts.idxmax()).label.lower()} level.")
        first, last = sub.iloc[0], sub.iloc[-1]
        ftxt = first.get("date_text", first["date_start"])
        ltxt = last.get("date_text", last["date_start"])
        parts.append(f"First: {ftxt} — {str(first['event'])[:90]}. Last: {ltxt} — {str(last['event'])[:90]}.")
    parts.append(_src(df))
    return " ".join(parts)


def timeline(df=None, *, years=None, levels=None) -> go.Figure:
    """Events in three lanes (elite / nation / international) by their primary level, coloured
    AND shaped by level; hover shows the date, the event and its citation."""
    df, sub, (a, b), lv = _timeline_subset(df, years, levels)
    text = _timeline_text(df, sub, (a, b))
    fig = go.Figure()
    for key in _LANE:
        if key not in lv:
            continue
        s = sub[sub["_level"] == key]
        L = _levels.level(key)
        date = s["date_text"] if "date_text" in s.columns else s["date_start"]
        hover = [f"{d}: {textwrap.shorten(str(e), 140)}<br>{c}" + (f" ⚠ {f}" if _flagged(f) else "")
                 for d, e, c, f in zip(date, s["event"], s["citation"],
                                       s["flag"] if "flag" in s.columns else [None] * len(s))]
        # Three sub-rows per lane so that events close in time do not hide one another.
        ys = [_LANE[key] + ((i % 3) - 1) * 0.2 for i in range(len(s))]
        fig.add_scatter(x=list(s["_x"]), y=ys, mode="markers", name=str(L),
                        marker=dict(symbol=L.symbol, size=12, color=L.colour, opacity=0.85,
                                    line=dict(width=1, color=GREYS["white"])),
                        customdata=list(s["event_id"]), hovertext=hover, hoverinfo="text")
    fig.update_layout(title=f"Timeline {a}–{b}, by level (first shown level of each event)",
                      xaxis=dict(title="Year", range=[a - 0.5, b + 1.5], tickformat="d"),
                      yaxis=dict(tickmode="array", tickvals=[3, 2, 1],
                                 ticktext=[str(_levels.level(k)) for k in _LANE],
                                 range=[0.4, 3.6], showgrid=False, title=None),
                      height=420)
    return _finish(fig, chart="timeline", summary_text=text, source=source_of(df),
                   notes=["Events with several levels are placed by their first level among those shown."])


# ---------------------------------------------------------------------------------------------
# The linkage network (reconstructed from the thesis text, not the thesis's own Figure 1)

_COLUMN = {"elite": 0.0, "nation": 1.5, "international": 3.0}
_NETWORK_CAPTION = ("Reconstructed from the thesis text (002), not the thesis's own Figure 1 "
                    "(only its caption survives).")


def _as_graph(edges, nodes):
    if isinstance(edges, _levels.LinkageGraph):
        return edges
    return _levels.graph(edges, nodes)


def _layout(g) -> dict[str, tuple[float, float]]:
    pos: dict[str, tuple[float, float]] = {}
    cols: dict[str, list[str]] = {k: [] for k in _COLUMN}
    bottom = []
    for nid, n in g.nodes.items():
        (cols[n.level] if n.level in cols else bottom).append(nid)
    tallest = max((len(v) for v in cols.values()), default=1)
    for key, ids in cols.items():
        ids = sorted(ids, key=lambda s: (s[:1], int(re.sub(r"\D", "", s) or -1), s))
        step = (tallest - 1) / max(len(ids) - 1, 1) if len(ids) > 1 else 0
        for i, nid in enumerate(ids):
            pos[nid] = (_COLUMN[key], (tallest - 1) / 2 - i * step if len(ids) > 1 else (tallest - 1) / 2)
    # Outcome nodes (S, W) on a row below the three columns.
    for i, nid in enumerate(sorted(bottom, key=lambda s: (s != _levels.OUTCOME_NODE, s))):
        pos[nid] = (1.5 + (i - (len(bottom) - 1) / 2) * 1.5, -(tallest - 1) / 2 - 1.4)
    return pos


def _selection(g, highlight):
    """(nodes, edge ids) to emphasise from a node id, a node path, a Reach, a Loop or a dict."""
    if highlight is None:
        return set(), set()
    if isinstance(highlight, str):
        return {g.check(highlight)}, set()
    if hasattr(highlight, "distances"):  # Reach
        return set(highlight.distances), set(highlight.edges)
    if isinstance(highlight, _levels.Loop):
        return set(highlight.nodes), set(highlight.edges)
    if isinstance(highlight, dict):
        nodes = {g.check(n) for n in highlight.get("nodes", ())}
        eids = set(highlight.get("edges", ()))
        known = {e.edge_id for e in g.edges}
        bad = sorted(eids - known)
        if bad:
            raise ValueError(f"unknown edge id(s) {bad}; known: {', '.join(sorted(known))}")
        return nodes | {n for e in g.edges if e.edge_id in eids for n in (e.source, e.target)}, eids
    path = [g.check(n) for n in highlight]
    return set(path), set(g.path_edges(path))


def linkage_network_summary(edges=None, nodes=None, *, highlight=None, removed=None) -> str:
    g = _as_graph(edges, nodes)
    return _network_text(g, *_selection(g, highlight), removed)


def _removed_list(g, removed) -> list[str]:
    if removed is None:
        return []
    return [g.check(r) for r in ([removed] if isinstance(removed, str) else removed)]


def _network_text(g, hl_nodes, hl_edges, removed) -> str:
    counts = {k: len(g.nodes_at(k)) for k in ("elite", "nation", "international", "outcome")}
    degree = {n: 0 for n in g.nodes}
    for e in g.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    hub = max(degree, key=lambda n: (degree[n], n))
    parts = [f"Linkages between levels — {_NETWORK_CAPTION} {len(g.nodes)} factors "
             f"({counts['elite']} elite, {counts['nation']} nation/society, {counts['international']} "
             f"international, {counts['outcome']} outcome) and {len(g.edges)} links.",
             f"Most connected factor: {hub} ({g.nodes[hub].label}), {degree[hub]} links."]
    named = g.named_loops()
    if named:
        parts.append("Named loops: " + "; ".join(f"{k} ({len(v)} links)" for k, v in named.items()) + ".")
    parts.append(f"{len(g.loops())} reinforcing cycles in all, e.g. " +
                 "; ".join(str(lp) for lp in g.loops()[:3]) + ".")
    if hl_nodes:
        parts.append(f"Highlighted: {', '.join(sorted(hl_nodes))}" +
                     (f" via {len(hl_edges)} link(s)" if hl_edges else "") + ".")
    for r in _removed_list(g, removed):
        parts.append(str(g.remove(r)).replace("\n", " "))
    parts.append(f"Source: {(g.source or 'linkages dataset').rstrip('.')}.")
    return " ".join(parts)


def linkage_network(edges=None, nodes=None, *, highlight=None, removed=None) -> go.Figure:
    """The linkage network in three columns (Elite / Nation / International) plus the outcome
    row; ``highlight`` (node, node path, ``downstream`` Reach or Loop) is drawn wider and darker,
    ``removed`` nodes are crossed out with their links faded. ``edges`` may be a LinkageGraph."""
    g = _as_graph(edges, nodes)
    hl_nodes, hl_edges = _selection(g, highlight)
    gone = set(_removed_list(g, removed))
    text = _network_text(g, hl_nodes, hl_edges, removed)
    pos = _layout(g)
    fig = go.Figure()
    pairs = {(e.source, e.target) for e in g.edges}
    mids_x, mids_y, mids_text, mids_id = [], [], [], []
    arrows: list[dict] = []  # set in one go: add_annotation per edge is quadratic in plotly
    for e in g.edges:
        (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
        if (e.target, e.source) in pairs:  # two-way link: offset each direction sideways
            dx, dy = x1 - x0, y1 - y0
            norm = math.hypot(dx, dy) or 1.0
            ox, oy = -dy / norm * 0.07, dx / norm * 0.07
            x0, y0, x1, y1 = x0 + ox, y0 + oy, x1 + ox, y1 + oy
        lost = e.source in gone or e.target in gone
        strong = e.edge_id in hl_edges
        arrows.append(dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=2, arrowsize=1.1 if strong else 1,
                           arrowwidth=3.5 if strong else (0.8 if lost else 1.3),
                           arrowcolor="#000000" if strong else (GREYS["light"] if lost else GREYS["mid"]),
                           standoff=9, startstandoff=9, text="", name=e.edge_id))
        mids_x.append((x0 + x1) / 2)
        mids_y.append((y0 + y1) / 2)
        mids_id.append(e.edge_id)
        mids_text.append(f"{e.edge_id} {e.source} → {e.target}: {textwrap.shorten(e.mechanism, 110)}"
                         f"<br>{e.citation}" + (f" ({e.basis})" if e.basis else ""))
    fig.add_scatter(x=mids_x, y=mids_y, mode="markers", name="link (hover for mechanism)",
                    marker=dict(size=7, color=GREYS["mid"], opacity=0.35, symbol="circle"),
                    customdata=mids_id, hovertext=mids_text, hoverinfo="text", showlegend=False)
    for key in ("elite", "nation", "international", "outcome", "linkage"):
        ids = [n for n in g.nodes if g.nodes[n].level == key]
        if not ids:
            continue
        L = _levels.level(key)
        fig.add_scatter(
            x=[pos[n][0] for n in ids], y=[pos[n][1] for n in ids], mode="markers+text", name=str(L),
            marker=dict(symbol=[("x-thin-open" if n in gone else L.symbol) for n in ids],
                        size=[(26 if n in hl_nodes else 19) if key == "outcome" else
                              (22 if n in hl_nodes else 15) for n in ids],
                        color=[GREYS["mid"] if n in gone else L.colour for n in ids],
                        line=dict(width=[3 if n in hl_nodes else 1 for n in ids],
                                  color=["#000000" if n in hl_nodes else GREYS["white"] for n in ids])),
            text=[f"<b>{n}</b> {g.nodes[n].label}" if n in hl_nodes else f"{n} {g.nodes[n].label}"
                  for n in ids],
            textposition="top center", textfont=dict(size=13),
            customdata=ids, hovertext=[f"{n}: {textwrap.shorten(g.nodes[n].description or g.nodes[n].label, 120)}"
                                       for n in ids], hoverinfo="text")
    ys = [p[1] for p in pos.values()] or [0]
    fig.update_layout(
        title="Linkages between the levels — reconstructed from the thesis text (002)",
        xaxis=dict(visible=False, range=[-0.9, 3.9], fixedrange=True),
        yaxis=dict(visible=False, range=[min(ys) - 0.8, max(ys) + 0.9], fixedrange=True),
        height=max(560, 62 * (max(ys) - min(ys)) + 260), hovermode="closest",
        legend=dict(orientation="h", y=1.0, x=0, yanchor="bottom"), margin=dict(t=120))
    heads = [dict(x=x, y=max(ys) + 0.75, xref="x", yref="y", showarrow=False,
                  text=f"<b>{_levels.level(key)}</b>", font=dict(size=14)) for key, x in _COLUMN.items()]
    return _finish(fig, chart="linkage_network", summary_text=text, source=g.source or "linkages dataset",
                   notes=[_NETWORK_CAPTION + " Wide black arrows: highlighted links."],
                   annotations=arrows + heads)


# ---------------------------------------------------------------------------------------------
# Forecast evaluation (BRIEF §3.8) and 004's explanations of 2020

def _forecast_checked(df, verdicts):
    df = _load(df, "forecasts", ("forecast_id", "expectation", "citation", "outcome", "verdict", "level"))
    ids = list(df["forecast_id"])
    if verdicts is None:
        return df, {}
    if isinstance(verdicts, dict):
        bad = [k for k in verdicts if k not in ids]
        if bad:
            raise ValueError(f"unknown forecast id(s) {bad}; known: {', '.join(ids)}")
        return df, {k: ("" if v is None else str(v)) for k, v in verdicts.items()}
    vals = list(verdicts)
    if len(vals) != len(ids):
        raise ValueError(f"verdicts: give one per forecast ({len(ids)}: {', '.join(ids)}) or a dict "
                         f"{{forecast_id: verdict}}; got {len(vals)}")
    return df, {k: ("" if v is None else str(v)) for k, v in zip(ids, vals)}


def _verdict_code(r) -> str:
    return str(r.get("verdict_code") or r.get("verdict") or "")


def forecast_summary(df=None, *, verdicts=None) -> str:
    df, mine = _forecast_checked(df, verdicts)
    return _forecast_text(df, mine)


def _forecast_text(df, mine) -> str:
    codes = [_verdict_code(r) for r in df.to_dict(orient="records")]
    from collections import Counter
    cnt = Counter(codes).most_common()
    parts = [f"The thesis's (002) forecasts checked against later events: {len(df)} expectations. "
             "Model verdicts: " + ", ".join(f"{n} {k}" for k, n in cnt) + "."]
    if cnt:
        parts.append(f"Most common verdict: {cnt[0][0]} ({cnt[0][1]} of {len(df)}).")
    if mine:
        given = {k: v for k, v in mine.items() if v}
        same = sum(1 for r in df.to_dict(orient="records")
                   if given.get(r["forecast_id"], "").strip().lower() == _verdict_code(r).strip().lower())
        parts.append(f"Your verdicts: {len(given)} given, {same} match the model verdict.")
    parts.append(_src(df) + " Outcomes as reported by the later seeds (000, 001, 003, 004).")
    return " ".join(parts)


def forecast(df=None, *, verdicts=None) -> go.Figure:
    """A table of the thesis's expectations, what happened and the model verdicts; ``verdicts``
    (dict forecast_id → verdict, or a list in order) adds the student's column beside them."""
    df, mine = _forecast_checked(df, verdicts)
    text = _forecast_text(df, mine)
    recs = df.to_dict(orient="records")
    wrap = lambda s, w: "<br>".join(textwrap.wrap(str(s), w))  # noqa: E731
    header = ["#", "What the thesis expected (002)", "What happened (later seeds)", "Model verdict"]
    cols = [[r["forecast_id"] for r in recs],
            [wrap(f"{r['expectation']} ({r['citation']})", 44) for r in recs],
            [wrap(f"{r['outcome']}", 44) for r in recs],
            [wrap(r["verdict"], 30) for r in recs]]
    widths = [34, 300, 300, 200]
    if mine:
        header.append("Your verdict")
        cols.append([wrap(mine.get(r["forecast_id"], "") or "—", 20) for r in recs])
        widths.append(130)
    fill = [[GREYS["white"] if i % 2 else "#F2F2F2" for i in range(len(recs))]]
    fig = go.Figure(go.Table(
        columnwidth=widths,
        header=dict(values=[f"<b>{h}</b>" for h in header], fill_color=GREYS["light"], align="left",
                    font=dict(size=14, color="#000000")),
        cells=dict(values=cols, align="left", fill_color=fill, font=dict(size=13, color=GREYS["text"]),
                   height=28)))
    fig.update_layout(title="Evaluating the thesis's 2013 forecast", height=240 + 100 * len(recs),
                      margin=dict(l=20, r=20, t=70))
    return _finish(fig, chart="forecast", summary_text=text, source=source_of(df))


def _short_name(s: str) -> str:
    return str(s).split(":", 1)[0].strip()[:40]


def explanations_2020_summary(df=None) -> str:
    df = _load(df, "explanations_2020", ("explanation_id", "explanation", "verdict", "citation"))
    return _expl_text(df)


def _expl_rank(df):
    if "verdict_rank" in df.columns:
        return [int(v) for v in df["verdict_rank"]]
    return list(range(1, len(df) + 1))


def _expl_text(df) -> str:
    ranks = _expl_rank(df)
    rows = sorted(zip(ranks, df.to_dict(orient="records")), key=lambda t: t[0])
    parts = [f"Four explanations of Russia's restraint in the 2020 war, as weighed by 004 "
             f"(ranked 1 = most convincing):"]
    parts += [f"{rank}. {_short_name(r['explanation'])} — {_verdict_code(r)} ({r['citation']})."
              for rank, r in rows]
    parts.append(f"004 finds '{_short_name(rows[0][1]['explanation'])}' most convincing. {_src(df)}")
    return " ".join(parts)


def explanations_2020(df=None) -> go.Figure:
    """004's four explanations of Russia's conduct in 2020 with 004's own verdicts (an ordinal
    ranking, not a measured score)."""
    df = _load(df, "explanations_2020", ("explanation_id", "explanation", "verdict", "citation"))
    text = _expl_text(df)
    ranks = _expl_rank(df)
    n = max(ranks)
    recs = sorted(zip(ranks, df.to_dict(orient="records")), key=lambda t: -t[0])  # best at top
    ys = [f"{r['explanation_id']} {_short_name(r['explanation'])}" for _, r in recs]
    strength = [n + 1 - rank for rank, _ in recs]
    fig = go.Figure()
    fig.add_bar(y=ys, x=strength, orientation="h", name="004's verdict",
                marker=dict(color=COLORWAY[0], pattern=dict(shape="", fgcolor=GREYS["white"], fillmode="overlay")),
                text=[_verdict_code(r) for _, r in recs], textposition="outside", cliponaxis=False,
                hovertext=[f"{textwrap.shorten(str(r['verdict']), 150)}<br>{r['citation']}" for _, r in recs],
                hoverinfo="text")
    fig.update_layout(title="Why did Russia hold back in 2020? 004's four explanations",
                      xaxis=dict(title="004's verdict (ordinal: further right = more convincing to 004)",
                                 range=[0, n + 1.8], showticklabels=False, showgrid=False),
                      yaxis=dict(title=None, showgrid=False), showlegend=False,
                      height=420, margin=dict(l=200))
    return _finish(fig, chart="explanations_2020", summary_text=text, source=source_of(df),
                   notes=["The ranking is 004's own judgement, not a measurement."])


# ---------------------------------------------------------------------------------------------
# Public names for explorers (the underscored originals stay for existing callers)

MEASURE_LABELS = _MEASURE_LABELS
FH_RATINGS = _FH_RATINGS
score_measures = _score_measures

#: chart name → (figure function, summary function); every figure's meta["chart"] is its key.
CHARTS = {name: (globals()[name], globals()[name + "_summary"]) for name in (
    "arms_imports", "military_expenditure", "defence_budgets_seed", "freedom_ratings",
    "freedom_scores", "nations_in_transit", "facebook_poll", "caucasus_barometer", "timeline",
    "linkage_network", "forecast", "explanations_2020")}
