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
    "TEMPLATE", "OKABE_ITO", "COLORWAY", "GREYS", "summary", "source_of",
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


def _wrap(text: str, width: int = 110) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _finish(fig: go.Figure, *, chart: str, summary_text: str, source: str,
            notes: Iterable[str] = (), height: int | None = None) -> go.Figure:
    """Apply the template, the source line (+ notes) below the plot, and the meta block."""
    lines = [f"Source: {source}", *[n for n in notes if n]]
    fig.add_annotation(text=_wrap(" · ".join(lines[:1])) + "".join("<br>" + _wrap(n) for n in lines[1:]),
                       xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
                       yshift=-62, showarrow=False, align="left",
                       font=dict(size=13, color=GREYS["muted"]), name="source")
    n_lines = sum(t.count("<br>") + 1 for t in (_wrap(x) for x in lines))
    fig.update_layout(template=TEMPLATE, margin=dict(b=80 + 18 * n_lines),
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


def _na(v: Any) -> bool:
    try:
        return v is None or bool(v != v)
    except TypeError:
        return False


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

    The denominator is the sum of the supplier rows; pass ``totals`` (the
    ``arms_import_totals`` table) to divide by SIPRI's own rounded totals instead.
    Returns a DataFrame (supplier, tiv, share_percent) sorted by TIV, largest first.
    """
    import pandas as pd

    df, sub, (a, b) = _arms_subset(df, recipient, years)
    by = (sub.groupby("supplier", as_index=False)["tiv"].sum()
          .sort_values(["tiv", "supplier"], ascending=[False, True], kind="stable"))
    denom = float(by["tiv"].sum())
    if totals is not None:
        t = _load(totals, "arms_import_totals", ("recipient", "year", "tiv"))
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
            cite = " ".join(str(r[c]) for c in ("seed", "section") if not _na(r.get(c)))
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
        return (f"No arms deliveries to {recipient} are recorded for {a}–{b} in these data. "
                f"Source: {source_of(df)}.")
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
    parts.append(f"Source: {source_of(df)}.")
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
                                    pattern=dict(shape=pattern.get(s, "+"), fgcolor=GREYS["white"],
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
                    name=f"computed share {a}–{b}",
                    marker=dict(color=[colour.get(s, GREYS["mid"]) for s in shown["supplier"]],
                                pattern=dict(shape=[pattern.get(s, "+") for s in shown["supplier"]],
                                             fgcolor=GREYS["white"], size=7)),
                    text=[f"{p:.1f}% ({t:,.0f})" for p, t in zip(shown["share_percent"], shown["tiv"])],
                    textposition="outside", cliponaxis=False,
                    hovertemplate="%{y}: %{x:.1f}% of TIV<extra></extra>")
        if claims_:
            fig.add_scatter(x=[c["percent"] for c in claims_], y=[c["supplier"] for c in claims_],
                            mode="markers+text", name="claim in a seed",
                            marker=dict(symbol="line-ns", size=26, color="#000000",
                                        line=dict(width=3, color="#000000")),
                            text=[c["label"] + ("" if c["same_period"] else f" ({c['start']}–{c['end']})")
                                  for c in claims_],
                            textposition="top center", textfont=dict(size=13),
                            hovertemplate="%{text}<extra></extra>")
        fig.update_layout(title=f"Suppliers' shares of {recipient}'s arms imports, {a}–{b}",
                          xaxis=dict(title=f"Share of {recipient}'s imports, % of {_TIV_AXIS}",
                                     range=[0, 105]),
                          yaxis=dict(title=None, showgrid=False))
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


def _milex_subset(df, countries, measure, years):
    df = _load(df, "military_expenditure", ("country", "year", "measure", "value", "estimate"))
    _choice("measure", measure, sorted(df["measure"].dropna().unique()))
    countries = _choices("country", countries, sorted(df["country"].dropna().unique()))
    sub = df[(df["measure"] == measure) & df["country"].isin(countries)]
    yrs = sub["year"].dropna().astype(int)
    a, b = _year_range(years, int(yrs.min()), int(yrs.max()), ", ".join(countries))
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
    parts.append(f"Source: {source_of(df)}.")
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
                      xaxis=dict(title="Year"), yaxis=dict(title=_MEASURE_LABELS.get(measure, measure),
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
    parts.append(f"Source: {source_of(df)}.")
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
                                             fgcolor=GREYS["white"], size=7)),
                    text=[f"{int(r):,} ({p:.2f}%)" for r, p, k in
                          zip(shown["responses"], shown[col], m) if k],
                    textposition="outside", cliponaxis=False,
                    hovertemplate="%{y}: %{x:,} responses<extra></extra>")
    kind = "recomputed from the counts" if show == "recomputed" else "as printed in the thesis"
    fig.update_layout(title=f"'Most effective solution' — Facebook poll, Nov 2011 (% {kind})",
                      xaxis=dict(title="Responses (count)", range=[0, float(sh["responses"].max()) * 1.3]),
                      yaxis=dict(title=None, showgrid=False, categoryorder="array",
                                 categoryarray=labels),
                      legend=dict(title="Option group", traceorder="normal"))
    return _finish(fig, chart="facebook_poll", summary_text=text, source=source_of(df),
                   notes=[_POLL_CAVEAT])
