"""Arms and money: SIPRI arms imports (TIV), SIPRI military expenditure, the seeds' budget figures."""
from __future__ import annotations

import re

from ..validation import InvalidArgumentError
from ..validation import Anything, Flag, Name, Names, Options, Table, YearPair, validate_params
from ._base import (
    COLORWAY,
    COUNTRY_SYMBOLS,
    GREYS,
    MARK_EDGE,
    PATTERNS,
    Draft,
    Parts,
    bar_pattern,
    chart,
    choice,
    cite,
    fit_axis_title,
    fmt,
    is_true,
    load,
    na,
    num,
    public,
    source_of,
    src,
    year_range,
)
from ._base import countries as check_countries

__all__ = ["MEASURE_LABELS", "arms_imports", "defence_budgets_seed", "military_expenditure",
           "supplier_shares"]

# ---------------------------------------------------------------------------------------------
# Arms imports (SIPRI TIV)

_TIV_AXIS = "SIPRI TIV (millions) — not US dollars"
_TIV_NOTE = ("TIV = SIPRI trend-indicator value: volume of military capability, not the money paid. "
             "SIPRI revises its whole database every year.")
_MAX_SUPPLIERS = 7


def _arms_subset(df, recipient: str, years):
    df = load(df, "arms_imports", ("recipient", "supplier", "year", "tiv"))
    choice("recipient", recipient, sorted(df["recipient"].dropna().unique()))
    # The data's range, not the recipient's: a year without rows means no delivery identified.
    yrs = df["year"].dropna().astype(int)
    a, b = year_range("years", years, int(yrs.min()), int(yrs.max()), "the arms_imports data")
    year = df["year"].astype(int)
    sub = df[(df["recipient"] == recipient) & (year >= a) & (year <= b)]
    return df, sub, (a, b)


@public
@validate_params({"df": Table("arms_imports"), "recipient": Name("Azerbaijan"),
                  "years": YearPair(optional=False),
                  "totals": Anything("a table of recipient, year, tiv, or None",
                                     hostile=[("text", "totals"), ("int", 3)])})
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
        t = load(totals, "arms_import_totals", ("recipient", "year", "tiv"), "totals")
        r1, r2 = (str((getattr(x, "attrs", None) or {}).get("release", "")) for x in (df, t))
        if r1 and r2 and r1 != r2:
            raise InvalidArgumentError(
                f"totals come from SIPRI release {r2!r} but the supplier rows from {r1!r}; "
                "SIPRI revises its whole database every year, so do not mix releases")
        t = t[(t["recipient"] == recipient) & (t["year"].astype(int).between(a, b))]
        denom = float(t["tiv"].sum())
    out = pd.DataFrame({"supplier": by["supplier"].astype(str).to_numpy(),
                        "tiv": by["tiv"].astype(float).to_numpy()})
    out["share_percent"] = (100 * out["tiv"] / denom).round(1) if denom else float("nan")
    out.attrs = {**df.attrs, "recipient": recipient, "years": (a, b), "denominator": denom}
    return out.reset_index(drop=True)


# Seed claims about supplier shares: fact id → (recipient, supplier, period). The values and
# citations are read from the seed_facts table, never from here.
_ARMS_CLAIMS = {"M1": ("Azerbaijan", "Russia", (2007, 2011)),
                "M2": ("Armenia", "Russia", (2007, 2011)),
                "M12": ("Azerbaijan", "Israel", (2017, 2020))}


def _claims_table(claims) -> list[dict]:
    """Claims as dicts: recipient, supplier, start, end, percent, label, citation."""
    if claims is None:
        from ..data import load as _load
        claims = _load("seed_facts")
    if not hasattr(claims, "to_dict") and (isinstance(claims, (str, bytes, dict))
                                           or not hasattr(claims, "__iter__")):
        raise InvalidArgumentError(f"claims must be a seed_facts-like DataFrame or a list of dicts "
                                   f"(recipient, supplier, percent …), got {claims!r}")
    rows = claims.to_dict(orient="records") if hasattr(claims, "to_dict") else list(claims)
    out = []
    for r in rows:
        if not isinstance(r, dict):
            raise InvalidArgumentError(f"claims: each claim must be a dict, got {r!r}")
        if "fact_id" in r and r.get("fact_id") in _ARMS_CLAIMS and "percent" not in r:
            rec, sup, (a, b) = _ARMS_CLAIMS[r["fact_id"]]
            val = num(r.get("value"))
            if val is None:
                continue
            c = cite(r)
            qual = ">" if re.search(r"over|more than|>", f"{r.get('value')} {r.get('flag', '')}"
                                    f" {r.get('measures', '')}", re.I) else ""
            out.append(dict(recipient=rec, supplier=sup, start=a, end=b, percent=val,
                            label=f"{c}: {sup} {qual}{val:g}%", citation=c))
        elif {"recipient", "supplier", "percent"} <= set(r):
            a, b = int(r.get("start", 0) or 0), int(r.get("end", 0) or 0)
            c = str(r.get("citation", ""))
            out.append(dict(recipient=r["recipient"], supplier=r["supplier"], start=a, end=b,
                            percent=float(r["percent"]),
                            label=str(r.get("label") or f"{c}: {r['supplier']} {r['percent']:g}%"),
                            citation=c))
    return out


def _arms_text(df, recipient, yrs, sub, shares, claims_) -> str:
    a, b = yrs
    total = float(shares["tiv"].sum())
    if not total:
        return f"No arms deliveries to {recipient} are recorded for {a}–{b} in these data. {src(df)}"
    lead = shares.iloc[0]
    parts = [f"Arms imports of {recipient}, {a}–{b}: {fmt(total)} million SIPRI TIV in total "
             f"(TIV measures military capability transferred, not US dollars)."]
    parts.append(f"Largest supplier: {lead['supplier']} with {fmt(lead['tiv'])} "
                 f"({lead['share_percent']:.1f}%)"
                 + "".join(f"; then {r.supplier} {fmt(r.tiv)} ({r.share_percent:.1f}%)"
                           for r in shares.iloc[1:3].itertuples()) + ".")
    by_year = sub.groupby(sub["year"].astype(int))["tiv"].sum()
    if len(by_year) > 1:
        peak = int(by_year.idxmax())
        parts.append(f"Peak year: {peak} ({fmt(by_year.max())}).")
    for c in claims_:
        when = "the same period" if c["same_period"] else f"{c['start']}–{c['end']}, a different period"
        parts.append(f"Claim {c['label']} ({when}); computed from these data for {a}–{b}: "
                     f"{c['supplier']} {c['computed']:.1f}%.")
    parts.append(src(df))
    return " ".join(parts)


def _top_suppliers(shares) -> list:
    """The suppliers drawn with their own colour; the rest are grouped as "Other suppliers"."""
    if len(shares) > _MAX_SUPPLIERS:
        return list(shares["supplier"][:_MAX_SUPPLIERS - 1])
    return list(shares["supplier"][:_MAX_SUPPLIERS])


def _overlaid_claims(claims, recipient: str, shares, a: int, b: int) -> list[dict]:
    """The seeds' share claims about ``recipient``, each with the share computed here for a–b."""
    out = []
    for c in _claims_table(claims):
        if c["recipient"] != recipient:
            continue
        row = shares[shares["supplier"] == c["supplier"]]
        out.append(dict(c, computed=float(row["share_percent"].iloc[0]) if len(row) else 0.0,
                        same_period=(c["start"], c["end"]) == (a, b)))
    return out


def _volume_parts(sub, shares, top: list, recipient: str, a: int, b: int, claims_: list[dict]) -> Parts:
    """Stacked bars of TIV per year by supplier, with the claims listed in a box."""
    colour = {s: COLORWAY[i] for i, s in enumerate(top)}
    pattern = {s: PATTERNS[i % len(PATTERNS)] for i, s in enumerate(top)}
    others = [s for s in shares["supplier"] if s not in top]
    yrs = list(range(a, b + 1))
    grp = sub["supplier"].where(sub["supplier"].isin(top), "Other suppliers")
    piv = sub.groupby([grp, sub["year"].astype(int)])["tiv"].sum().to_dict()
    names = top + (["Other suppliers"] if others else [])
    data = [dict(type="bar", x=yrs, y=[float(piv.get((s, y), float("nan"))) for y in yrs], name=s,
                 marker=dict(color=colour.get(s, GREYS["mid"]),
                             pattern=bar_pattern(pattern.get(s, "+"))),
                 hovertemplate=f"{s}, %{{x}}: %{{y:,.0f}} TIV<extra></extra>") for s in names]
    anns = []
    if claims_:
        lines = [f"{c['label']} ({c['start']}–{c['end']}) · computed here for {a}–{b}: "
                 f"{c['computed']:.1f}%" for c in claims_]
        anns.append(dict(text="<br>".join(lines), xref="paper", yref="paper", x=0.01, y=0.99,
                         xanchor="left", yanchor="top", showarrow=False, align="left",
                         bgcolor="rgba(255,255,255,0.85)", bordercolor=GREYS["mid"],
                         font=dict(size=13, color="#000000"), name="claims"))
    return Parts(data, dict(
        barmode="stack", title=f"Arms imports of {recipient} by supplier, {a}–{b}", height=500,
        xaxis=dict(title=dict(text="Year of delivery"), tickmode="linear",
                   dtick=1 if b - a < 15 else 5),
        yaxis=dict(title=dict(text=fit_axis_title(_TIV_AXIS, 240)))),
        notes=[_TIV_NOTE], annotations=anns, legend=names)


def _claim_marks(claims_: list[dict]) -> tuple[list[dict], list[dict]]:
    """(a marker trace at each claimed share, a boxed label annotation for each)."""
    labels = [c["label"] + ("" if c["same_period"] else f" ({c['start']}–{c['end']})")
              for c in claims_]
    trace = dict(type="scatter", x=[c["percent"] for c in claims_],
                 y=[c["supplier"] for c in claims_], mode="markers", name="claim in a seed",
                 marker=dict(symbol="line-ns", size=30, color="#000000",
                             line=dict(width=3, color="#000000")),
                 text=labels, hovertemplate="%{text}<extra></extra>")
    # Labels as boxed annotations so they stay legible over the bars.
    anns = [dict(x=c["percent"], y=c["supplier"], xref="x", yref="y", text=lab,
                 showarrow=True, arrowhead=0, arrowwidth=1.5, arrowcolor="#000000",
                 ax=0, ay=-34, bgcolor="#FFFFFF", bordercolor="#000000",
                 font=dict(size=13, color="#000000"), name="claim")
            for c, lab in zip(claims_, labels)]
    return [trace], anns


def _share_parts(shares, top: list, recipient: str, a: int, b: int, claims_: list[dict]) -> Parts:
    """Horizontal bars of each supplier's share of the period, with the claims marked."""
    colour = {s: COLORWAY[i] for i, s in enumerate(top)}
    pattern = {s: PATTERNS[i % len(PATTERNS)] for i, s in enumerate(top)}
    shown = shares.iloc[::-1]  # largest at the top of a horizontal bar chart
    data = [dict(type="bar", y=list(shown["supplier"]), x=list(shown["share_percent"]), orientation="h",
                 name=f"computed share {a}–{b}", showlegend=False,
                 marker=dict(color=[colour.get(s, GREYS["mid"]) for s in shown["supplier"]],
                             pattern=bar_pattern([pattern.get(s, "+") for s in shown["supplier"]])),
                 text=[f"{p:.1f}% ({t:,.0f})" for p, t in zip(shown["share_percent"], shown["tiv"])],
                 textposition="auto", insidetextanchor="middle", cliponaxis=False,
                 hovertemplate="%{y}: %{x:.1f}% of TIV<extra></extra>")]
    anns, legend = [], []
    if claims_:
        marks, anns = _claim_marks(claims_)
        data += marks
        legend = ["claim in a seed"]
    return Parts(data, dict(
        title=f"Suppliers' shares of {recipient}'s arms imports, {a}–{b}",
        height=max(450, 34 * len(shown) + 330),
        xaxis=dict(title=dict(text=f"Share of {recipient}'s imports, % of {_TIV_AXIS}"),
                   range=[0, 118]),
        yaxis=dict(title=None, showgrid=False)),
        notes=["Shares divide by the sum of the supplier rows (rounded TIV), so they can differ by "
               "a few tenths from shares of SIPRI's own totals.", _TIV_NOTE],
        annotations=anns, legend=legend)


@chart("arms_imports", params={
    "df": Table("arms_imports"), "recipient": Name("Azerbaijan"), "years": YearPair(optional=False),
    "mode": Options(("volume", "share")), "overlay_claims": Flag(),
    "claims": Anything("a seed_facts-like DataFrame or a list of claim dicts, or None",
                       hostile=[("text", "claims"), ("int", 3), ("dict", {"a": 1}), ("int-rows", [1])])})
def arms_imports(df=None, *, recipient: str = "Azerbaijan", years=(2007, 2011),
                 mode: str = "volume", overlay_claims: bool = False, claims=None) -> Draft:
    """TIV of ``recipient``'s arms imports by supplier: stacked bars per year (``mode="volume"``)
    or each supplier's share of the period (``mode="share"``); ``overlay_claims`` marks the seeds'
    share claims (from ``seed_facts``, or ``claims``) next to the computed shares."""
    if claims is not None:          # checked even when not overlaid: a bad table is a mistake
        _claims_table(claims)
    df, sub, (a, b) = _arms_subset(df, recipient, years)
    shares = supplier_shares(df, recipient, (a, b))
    top = _top_suppliers(shares)
    claims_ = _overlaid_claims(claims, recipient, shares, a, b) if overlay_claims else []
    text = _arms_text(df, recipient, (a, b), sub, shares, claims_)

    def draw() -> Parts:
        if mode == "volume":
            return _volume_parts(sub, shares, top, recipient, a, b, claims_)
        return _share_parts(shares, top, recipient, a, b, claims_)

    return Draft(text, source_of(df), draw)


# ---------------------------------------------------------------------------------------------
# Military expenditure (SIPRI)

MEASURE_LABELS = {
    "constant_2024_usd_m": "Constant 2024 US$ (millions)",
    "current_usd_m": "Current US$ (millions)",
    "local_currency_m": "Local currency (millions)",
    "share_of_gdp": "Share of GDP (%)",
    "share_of_gdp_percent": "Share of GDP (%)",
    "per_capita_usd": "Per capita (current US$)",
    "share_of_government_spending": "Share of government spending (%)",
    "share_of_govt_spending": "Share of government spending (%)",
}


def _milex_text(df, sub, names, measure, yrs) -> str:
    label = MEASURE_LABELS.get(measure, measure)
    parts = [f"Military expenditure, {label}, {yrs[0]}–{yrs[1]}."]
    for c in names:
        s = sub[sub["country"] == c]
        have = s[s["value"].notna()]
        if have.empty:
            parts.append(f"{c}: no values in this range.")
            continue
        first, last = have.iloc[0], have.iloc[-1]
        top = have.loc[have["value"].astype(float).idxmax()]
        n_est = int(sum(is_true(v) for v in have["estimate"]))
        n_miss = int(s["value"].isna().sum())
        trend = ("rose" if last["value"] > first["value"] else "fell" if last["value"] < first["value"]
                 else "was unchanged")
        parts.append(f"{c}: {trend} from {fmt(first['value'], 1)} ({int(first['year'])}) to "
                     f"{fmt(last['value'], 1)} ({int(last['year'])}); highest {fmt(top['value'], 1)} "
                     f"in {int(top['year'])}"
                     + (f"; {n_est} value(s) are SIPRI estimates" if n_est else "")
                     + (f"; {n_miss} year(s) have no value (gaps, not zero)" if n_miss else "") + ".")
    parts.append(src(df))
    return " ".join(parts)


@chart("military_expenditure", params={
    "df": Table("military_expenditure"), "countries": Names(example=["Armenia"]),
    "measure": Name("constant_2024_usd_m"), "years": YearPair()})
def military_expenditure(df=None, *, countries=("Armenia", "Azerbaijan"),
                         measure: str = "constant_2024_usd_m", years=None) -> Draft:
    """SIPRI military expenditure per country and year; estimates drawn as hollow markers,
    missing values as gaps (never zero)."""
    df = load(df, "military_expenditure", ("country", "year", "measure", "value", "estimate"))
    choice("measure", measure, sorted(df["measure"].dropna().unique()))
    names = check_countries("countries", countries, df["country"].dropna().unique(),
                            "military_expenditure")
    sub = df[(df["measure"] == measure) & df["country"].isin(names)]
    yrs = sub["year"].dropna().astype(int)
    a, b = year_range("years", years, int(yrs.min()), int(yrs.max()), ", ".join(names))
    if years is None:  # default view: the years that have a value, not the empty early rows
        have = sub.loc[sub["value"].notna(), "year"].astype(int)
        if len(have):
            a, b = int(have.min()), int(have.max())
    sub = sub[sub["year"].astype(int).between(a, b)].sort_values(["country", "year"])
    text = _milex_text(df, sub, names, measure, (a, b))

    def draw() -> Parts:
        data = []
        for i, c in enumerate(names):
            s = sub[sub["country"] == c]
            sym = COUNTRY_SYMBOLS[i % len(COUNTRY_SYMBOLS)]
            hue = COLORWAY[i % 7]
            edge = MARK_EDGE.get(hue, hue)   # an open marker is only its outline: 3:1 (WCAG 1.4.11)
            data.append(dict(
                type="scatter", x=[int(y) for y in s["year"]],
                y=[None if na(v) else float(v) for v in s["value"]], name=c, mode="lines+markers",
                connectgaps=False, line=dict(color=hue, width=2.5),
                marker=dict(symbol=[f"{sym}-open" if is_true(e) else sym for e in s["estimate"]], size=9,
                            color=[edge if is_true(e) else hue for e in s["estimate"]],
                            line=dict(width=2, color=edge)),
                hovertemplate=f"{c} %{{x}}: %{{y:,.1f}}<extra></extra>"))
        data.append(dict(type="scatter", x=[None], y=[None], mode="markers", name="SIPRI estimate",
                         marker=dict(symbol="circle-open", size=10, color=GREYS["muted"],
                                     line=dict(width=2, color=GREYS["muted"])), hoverinfo="skip"))
        return Parts(data, dict(
            title=f"Military expenditure, {a}–{b}",
            xaxis=dict(title=dict(text="Year"), tickformat="d"),
            yaxis=dict(title=dict(text=MEASURE_LABELS.get(measure, measure)), rangemode="tozero")),
            notes=["Hollow markers: SIPRI estimates. Gaps: no value in the source (not zero)."],
            legend=[*names, "SIPRI estimate"])

    return Draft(text, source_of(df), draw)


# ---------------------------------------------------------------------------------------------
# Defence budgets quoted in the seeds: separate sourced points, never a line

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_POINT_SYMBOLS = ["circle", "square", "diamond", "cross", "x", "pentagon", "hexagon", "star"]


def _budget_rows(df) -> list[dict]:
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
        n = r.get("value_num")
        if not na(n) and str(n).strip() != "":
            usd = float(n)
        ym = re.search(r"\d{4}", str(r["year"]))
        rows.append(dict(fact_id=r["fact_id"], usd_bn=usd / 1e9, text=text, year_text=str(r["year"]),
                         year=int(ym.group(0)) if ym else None,
                         lower_bound=bool(re.search(r"more than|over|at least", first, re.I)),
                         measures=str(r.get("measures") or ""),
                         cited=str(r.get("cited_source") or ""), citation=cite(r)))
    if not rows:
        raise InvalidArgumentError("seed_facts has no defence-budget rows (fact_id B1, B2, …)")
    return sorted(rows, key=lambda x: (x["year"] or 0, x["fact_id"]))


@chart("defence_budgets_seed", params={"df": Table("seed_facts")})
def defence_budgets_seed(df=None) -> Draft:
    """The thesis's and 003's budget figures B1–B5 as separate sourced points (no joining line)."""
    df = load(df, "seed_facts", ("fact_id", "value", "unit", "year", "seed", "section"))
    rows = _budget_rows(df)
    top = max(rows, key=lambda r: r["usd_bn"])
    parts = [f"Azerbaijan's military/defence budget as quoted in the seeds: {len(rows)} separate figures "
             "from different sources and probably different definitions, so they are not one series."]
    parts += [f"{r['fact_id']} ({r['citation']}): {'more than ' if r['lower_bound'] else ''}"
              f"US${r['usd_bn']:.2f} bn, {r['year_text']}." for r in rows]
    parts.append(f"Largest: {top['fact_id']}, US${top['usd_bn']:.2f} bn ({top['year_text']}).")
    parts.append(src(df))

    def draw() -> Parts:
        seed_colour = {"002": COLORWAY[0], "003": COLORWAY[1]}
        top_y = max(r["usd_bn"] for r in rows) * 1.3

        def label_below(i: int) -> bool:
            # a point just after a slightly higher one (B4 after B2): its label goes under its
            # marker, else the two labels touch on a narrow chart (e.g. at 200% zoom)
            prev, r = (rows[i - 1], rows[i]) if i else (None, None)
            return bool(prev and prev["year"] and r["year"] and r["year"] - prev["year"] <= 4
                        and 0 <= prev["usd_bn"] - r["usd_bn"] < 0.15 * top_y)

        data = []
        for i, r in enumerate(rows):
            seed = r["citation"].split(" ")[0]
            sym = "triangle-up" if r["lower_bound"] else _POINT_SYMBOLS[i % len(_POINT_SYMBOLS)]
            data.append(dict(  # one point per trace: each figure is its own legend entry
                type="scatter", x=[r["year"]], y=[r["usd_bn"]], mode="markers+text",
                name=f"{r['fact_id']} · {r['citation']}",
                marker=dict(symbol=sym, size=14, color=seed_colour.get(seed, COLORWAY[2]),
                            line=dict(width=1, color="#000000")),
                text=[f"{r['fact_id']}: {'>' if r['lower_bound'] else ''}${r['usd_bn']:.2f} bn"],
                textposition="bottom center" if label_below(i) else "top center",
                hovertemplate=(f"{r['fact_id']}: {r['text']} ({r['year_text']})<br>"
                               f"{r['measures'][:80]}<br>{r['citation']}; cites: {r['cited'][:60]}"
                               "<extra></extra>")))
        years = [r["year"] or 0 for r in rows]
        return Parts(data, dict(
            title="Azerbaijan's military budget as quoted in the seeds (separate figures, not a series)",
            height=520,
            xaxis=dict(title=dict(text="Year the figure refers to (approximate where the seed says 'c.')"),
                       dtick=2, range=[min(years) - 1.5, max(years) + 2]),
            yaxis=dict(title=dict(text=fit_axis_title("US$ billion (as quoted; sources differ)", 240)),
                       range=[0, top_y])),
            notes=["Each point has its own source and possibly its own definition: do not read them as "
                   "one trend. ▲ = a lower bound ('more than')."],
            legend=[d["name"] for d in data], legend_title="Figure · seed")

    return Draft(" ".join(parts), source_of(df), draw)
