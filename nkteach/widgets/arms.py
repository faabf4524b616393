"""Explorers of the arms trade and military spending (SIPRI): lessons 3 and 5."""
from __future__ import annotations

import ipywidgets as w

from ..validation import InvalidArgumentError
from ._range import YearRange
from ._explorer import (
    Explorer,
    MECHANISM_PARAM,
    check_mechanism,
    chosen_countries,
    country_boxes,
    country_row,
    style,
    validate_params,
    year_options,
)

__all__ = ["arms_imports_explorer", "military_expenditure_explorer"]


@validate_params({"mechanism": MECHANISM_PARAM})
def arms_imports_explorer(*, mechanism: str | None = None) -> Explorer:
    """SIPRI arms imports: recipient, years, volume/share, overlay of the seeds' claims (L5).

    Parameters
    ----------
    mechanism : {"output", "figurewidget"}, optional
        How the chart is updated (default ``nkteach.widgets.MECHANISM``).

    Returns
    -------
    Explorer
        Controls ``recipient`` (every recipient in the data, Georgia included), ``years``,
        ``mode`` and ``overlay_claims``.
    """
    from .. import charts
    from ..data import load

    mechanism = check_mechanism(mechanism)
    df = load("arms_imports")
    recipients = sorted(df["recipient"].dropna().unique())
    years = year_options(df)
    default = (2007, 2011) if 2007 in years and 2011 in years else (years[0], years[-1])
    claims = load("seed_facts")
    controls = {
        "recipient": w.Dropdown(options=recipients, value="Azerbaijan" if "Azerbaijan" in recipients
                                else recipients[0], description="Recipient"),
        "years": YearRange(years, index=(years.index(default[0]), years.index(default[1])),
                           description="Years"),
        "mode": w.ToggleButtons(options=[("Volume (TIV)", "volume"), ("Share of period", "share")],
                                value="volume", description="Show",
                                tooltips=["TIV per year by supplier", "each supplier's share"]),
        "overlay_claims": w.Checkbox(value=False, description="Overlay the seeds' claims",
                                     indent=False),
    }

    def render(v):
        kw = dict(recipient=v["recipient"], years=tuple(v["years"]), mode=v["mode"],
                  overlay_claims=v["overlay_claims"], claims=claims)
        fig = charts.arms_imports(df, **kw)
        return fig, charts.summary(fig)

    return Explorer("arms_imports_explorer", controls, render, mechanism=mechanism,
                    title="Arms imports by supplier (SIPRI TIV)",
                    intro="TIV is SIPRI's trend-indicator value: a volume index, not money. "
                          f"Recipients in the data: {', '.join(recipients)}.",
                    moves="Choosing another recipient, year window or share view redraws the "
                          "suppliers' bars and the summary.")


@validate_params({"mechanism": MECHANISM_PARAM})
def military_expenditure_explorer(*, mechanism: str | None = None) -> Explorer:
    """SIPRI military expenditure: countries, measure, years (L3/L5).

    Parameters
    ----------
    mechanism : {"output", "figurewidget"}, optional
        How the chart is updated (default ``nkteach.widgets.MECHANISM``).

    Returns
    -------
    Explorer
        Controls ``measure``, ``years`` and one ``country:<name>`` checkbox per country in
        the data (Georgia included).
    """
    from .. import charts
    from ..data import load

    mechanism = check_mechanism(mechanism)
    df = load("military_expenditure")
    countries = sorted(df["country"].dropna().unique())
    measures = sorted(df["measure"].dropna().unique())
    labels = charts.MEASURE_LABELS
    years = year_options(df)
    boxes = country_boxes(countries)
    controls = {
        "measure": w.Dropdown(options=[(labels.get(m, m), m) for m in measures],
                              value="constant_2024_usd_m" if "constant_2024_usd_m" in measures
                              else measures[0], description="Measure", style=style()),
        "years": YearRange(years, index=(0, len(years) - 1), description="Years"),
        **boxes,
    }

    # (measure, country) → (first year, last year), so an update does not filter the table
    spans = {k: (int(lo), int(hi)) for k, (lo, hi) in
             df.dropna(subset=["year"]).groupby(["measure", "country"])["year"]
             .agg(["min", "max"]).iterrows()}

    def render(v):
        chosen = chosen_countries(v, countries)
        label = labels.get(v["measure"], v["measure"])
        have = [spans[(v["measure"], c)] for c in chosen if (v["measure"], c) in spans]
        if not have:
            raise InvalidArgumentError(f"SIPRI gives no {label} values for {', '.join(chosen)}")
        a, b = v["years"]
        # the chart rejects a window outside a country's data: clip to what exists
        a, b = max(a, min(lo for lo, _ in have)), min(b, max(hi for _, hi in have))
        if a > b:
            raise InvalidArgumentError(f"SIPRI gives no {label} values for {', '.join(chosen)} "
                                       f"in {v['years'][0]}–{v['years'][1]}")
        fig = charts.military_expenditure(df, countries=chosen, measure=v["measure"], years=(a, b))
        return fig, charts.summary(fig)

    lay = [controls["measure"], controls["years"],
           country_row(boxes)]
    return Explorer("military_expenditure_explorer", controls, render, mechanism=mechanism,
                    layout_controls=lay, title="Military expenditure (SIPRI)",
                    moves="Ticking countries, choosing a measure or changing the years redraws the "
                          "lines and the summary.")
