"""The engine under every chart: palette, template, argument checks, layout and registration.

A chart is declared once, by a *prepare* function decorated with :func:`chart`::

    @chart("facebook_poll")
    def facebook_poll(df=None, *, show="printed", grouped=False) -> Draft:
        ...check the arguments, select the data, write the text summary...
        return Draft(text, source, draw)          # draw() -> Parts, called only for a figure

The decorator returns the public figure function ``name(...) -> go.Figure`` (same signature
and docstring), attaches ``name.summary(...) -> str`` (the same preparation, no figure) and
records both in :data:`CHARTS`, the only list of charts. :func:`_figure` turns the parts into a
figure in one constructor call: the layout dict is complete before plotly sees it (template,
margins, source line, meta), so plotly validates nothing twice and no ``update_layout`` chain
or ``add_trace`` loop copies the figure again.
"""
from __future__ import annotations

import functools
import inspect
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable, Iterable

import plotly.graph_objects as go
import plotly.io as pio

from ..validation import (
    Constraint,
    InvalidArgumentError,
    UnknownNameError,
    check_choice,
    check_names,
    check_type,
    check_year_range,
    is_missing,
    unknown_name,
    validate_params,
)

PUBLIC_MODULE = "nkteach.charts"

# ---------------------------------------------------------------------------------------------
# Palette and template

OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
# Yellow last: it has the weakest contrast on white.
COLORWAY = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
# WCAG 1.4.11: the same hue at >= 3:1 on white, for a mark whose outline is all it shows (an open
# marker) or the outline of a light mark: orange 3.13:1, sky blue 3.07:1, mid grey 4.54:1.
MARK_EDGE = {"#E69F00": "#C28600", "#56B4E9": "#1E9BE2", "#999999": "#767676"}
GREYS = {"text": "#222222", "muted": "#555555", "mid": "#999999", "light": "#DDDDDD",
         "grid": "#E5E5E5", "white": "#FFFFFF"}
# Bars also differ by fill pattern, so a series is never told by colour alone.
PATTERNS = ["", "/", "\\", "x", ".", "-", "|", "+"]
COUNTRY_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "pentagon"]
TEMPLATE = "nkteach"
_FONT = "Arial, Helvetica, sans-serif"

# Layout geometry in pixels. Widths are not known in Python (a notebook figure fills its
# cell), so text is wrapped for the narrowest width we support and test (700 px); heights are
# fixed by each chart, so vertical positions are computed exactly.
NARROWEST = 700
_CHAR_PX = {13: 7.4, 14: 8.0, 18: 10.4}    # a generous average glyph width of Arial
_LINE_PX = {13: 18, 14: 19, 18: 24}
_EDGE = 12                                 # gap between text and the figure's edge


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
    ), data=dict(   # WCAG 1.4.11: a dark outline gives every bar and marker 3:1 against white, so the
        # light Okabe-Ito hues (orange, sky blue, grey: under 3:1) keep their colour-blind-safe fill
        bar=[go.Bar(marker_line_color=GREYS["text"], marker_line_width=1)],
        scatter=[go.Scatter(marker_line_color=GREYS["text"], marker_line_width=1)]))


_register_template()
# The template as a plain dict, put into every layout once (no per-figure template lookup).
_TEMPLATE_JSON = pio.templates[TEMPLATE].to_plotly_json()


# ---------------------------------------------------------------------------------------------
# Registration


@dataclass(frozen=True)
class Chart:
    """A registered chart. Unpacks as ``(figure, summary)`` like the registry's older tuples."""

    name: str
    figure: Callable[..., go.Figure]
    summary: Callable[..., str]
    theme: str

    def __iter__(self):
        return iter((self.figure, self.summary))


#: chart name → :class:`Chart`; every figure's ``layout.meta["chart"]`` is its key.
CHARTS: dict[str, Chart] = {}


@dataclass
class Parts:
    """What a chart draws: trace dicts, its own layout keys, caveat notes, extra annotations.

    ``legend`` is the number of legend entries (0: no legend); the engine places the legend in
    a band between the title and the plot and reserves room for it."""

    data: list[dict]
    layout: dict
    notes: list[str] = field(default_factory=list)
    annotations: list[dict] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    legend_title: str = ""


@dataclass
class Draft:
    """A prepared chart: its text summary and source now, its figure parts on demand."""

    text: str
    source: str
    draw: Callable[[], Parts]


def chart(name: str, params: dict[str, Constraint] | None = None,
          labels: dict[str, str] | None = None) -> Callable[[Callable[..., Draft]], Callable[..., go.Figure]]:
    """Register the prepare function of chart ``name``; return the public figure function.

    ``params`` declares what each argument accepts (:func:`nkteach.validation.validate_params`):
    both the figure and the summary function check it, carry it as ``param_constraints``, and
    the hostile-input tests derive their bad values from it. Every argument must be declared."""
    def register(prepare: Callable[..., Draft]) -> Callable[..., go.Figure]:
        missing = set(inspect.signature(prepare).parameters) - set(params or {})
        if missing:
            raise TypeError(f"chart {name!r}: declare the argument(s) {sorted(missing)} in params=")
        prepare = validate_params(params or {}, labels=labels)(prepare)
        @functools.wraps(prepare)
        def figure(*args, **kwargs) -> go.Figure:
            draft = prepare(*args, **kwargs)
            return _figure(name, draft.draw(), draft.text, draft.source)

        @functools.wraps(prepare)
        def summary_fn(*args, **kwargs) -> str:
            return prepare(*args, **kwargs).text

        sig = inspect.signature(prepare)
        figure.__signature__ = sig.replace(return_annotation=go.Figure)
        summary_fn.__signature__ = sig.replace(return_annotation=str)
        summary_fn.__name__ = summary_fn.__qualname__ = name + "_summary"
        summary_fn.__doc__ = (f"The text summary (alt text) of :func:`{name}` for the same arguments, "
                              "built from the same numbers without drawing the figure.")
        for fn in (figure, summary_fn):
            fn.__module__ = PUBLIC_MODULE
            del fn.__wrapped__       # help() and inspect show the public signature
        figure.summary = summary_fn
        if name in CHARTS:
            raise RuntimeError(f"chart {name!r} registered twice")
        CHARTS[name] = Chart(name, figure, summary_fn, prepare.__module__.rsplit(".", 1)[-1])
        return figure
    return register


def public(fn: Callable) -> Callable:
    """Mark a helper as part of ``nkteach.charts`` (its documented home)."""
    fn.__module__ = PUBLIC_MODULE
    return fn


# ---------------------------------------------------------------------------------------------
# Text geometry


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters (existing ``<br>`` breaks kept)."""
    lines: list[str] = []
    for part in str(text).split("<br>"):
        lines += textwrap.wrap(part, max(width, 10)) or [""]
    return lines


def chars_for(px: float, size: int = 13) -> int:
    """How many characters of font ``size`` safely fit in ``px`` pixels."""
    return max(int(px / _CHAR_PX.get(size, size * 0.57)), 10)


def text_px(text: str, size: int = 13) -> float:
    """A generous estimate of the drawn width of one line of ``text``."""
    plain = re.sub(r"<[^>]+>", "", str(text))
    return len(plain) * _CHAR_PX.get(size, size * 0.57)


def br(lines: Iterable[str]) -> str:
    """The lines joined with ``<br>`` (plotly's line break in titles and annotations)."""
    return "<br>".join(lines)


# ---------------------------------------------------------------------------------------------
# The figure engine


def _legend_rows(labels: list[str], title: str, width: float) -> int:
    """Rows a horizontal legend needs at ``width`` px (each item: symbol 40 px + text + gap)."""
    rows, used = 1, text_px(title) + 10 if title else 0.0
    for lab in labels:
        w = 40 + text_px(lab) + 14
        if used and used + w > width:
            rows += 1
            used = 0.0
        used += w
    return rows


def _category_label_px(data: list[dict]) -> float:
    """The widest line of the text categories on the y axis (a generous estimate; 0 if none)."""
    widest = 0.0
    for trace in data:
        ys = trace.get("y") if isinstance(trace, dict) else None
        if ys is None or trace.get("yaxis", "y") != "y":
            continue
        for y in ys:
            if isinstance(y, str):
                widest = max(widest, *(text_px(line) for line in y.split("<br>")))
    return widest


def _figure(name: str, parts: Parts, text: str, source: str) -> go.Figure:
    """Assemble the figure: title band, legend band, plot, then source and caveat lines.

    Vertical layout from the top (px): the title (wrapped for the narrowest width), the legend
    (horizontal, in its own band, never over the data), the plot; below the plot the axis
    ticks and title, then the source and notes wrapped inside the figure. The bottom annotation
    is anchored to the figure's left edge (``xshift``), not to the plot's, so a wide left
    margin (long category labels, for which the margin is widened here) cannot push it out on
    the right."""
    lay = dict(parts.layout)
    margin = {"l": 80, "r": 30, **lay.pop("margin", {})}
    # Text categories on the y axis: a left margin that holds them, so plotly's automargin need
    # not widen it (the source line below is shifted by this margin; a wider one would push it
    # out on the right at narrow widths, e.g. 200% zoom). 14 px: tick and gap; at most half the
    # narrowest figure (a longer label would leave no plot: plotly's automargin decides then).
    margin["l"] = max(margin["l"], min(round(_category_label_px(parts.data) + 14), NARROWEST // 2))
    axis_band = lay.pop("_axis_band", 62)       # px below the plot for tick labels + axis title
    min_plot = lay.pop("_min_plot", 240)        # px the plot area itself keeps
    title = str(lay.pop("title", "") or "")
    t_lines = wrap(title, chars_for(NARROWEST - 2 * _EDGE, 18)) if title else []
    # plotly places a multi-line title's box a few px above its anchor: start 8 px lower.
    title_h = _EDGE + 8 + len(t_lines) * _LINE_PX[18] + (8 if t_lines else 0)
    legend = dict(lay.pop("legend", {}))
    legend_h = 0
    if parts.legend and lay.get("showlegend", True) is not False:
        rows = _legend_rows(parts.legend, parts.legend_title, NARROWEST - margin["l"] - margin["r"])
        legend_h = rows * 24 + 10
        legend.update(orientation="h", x=0, xanchor="left", xref="paper", yref="container",
                      yanchor="top", traceorder="normal", bgcolor="rgba(0,0,0,0)")
        if parts.legend_title:
            legend["title"] = dict(text=parts.legend_title, side="left")
    else:
        lay["showlegend"] = False
    margin["t"] = max(title_h + legend_h + 16, margin.get("t", 0))
    lines_src = [f"Source: {source}", *[n for n in parts.notes if n]]
    wrapped = [ln for s in lines_src for ln in wrap(s, chars_for(NARROWEST - 2 * _EDGE))]
    margin["b"] = axis_band + len(wrapped) * _LINE_PX[13] + _EDGE + 4
    height = max(lay.pop("height", None) or 450, margin["t"] + margin["b"] + min_plot)
    if legend_h:
        legend["y"] = 1 - title_h / height
        lay["legend"] = legend
    if t_lines:
        lay["title"] = dict(text=br(t_lines), x=_EDGE / NARROWEST, xref="container", xanchor="left",
                            y=1 - (_EDGE + 8) / height, yref="container", yanchor="top")
    src_ann = dict(text=br(wrapped), xref="paper", yref="paper", x=0, y=0, xanchor="left",
                   yanchor="top", yshift=-axis_band, xshift=-(margin["l"] - _EDGE), showarrow=False,
                   align="left", font=dict(size=13, color=GREYS["muted"]), name="source")
    layout = {**lay, "template": _TEMPLATE_JSON, "height": height, "margin": margin,
              "annotations": [*parts.annotations, src_ann],
              "meta": {"chart": name, "summary": text, "source": source}}
    # The parts are built here and checked by a validating rebuild in tests/test_charts.py, so
    # plotly's per-property validation (most of the build time) is skipped at run time.
    return go.Figure(data=parts.data, layout=layout, _validate=False)


def fit_axis_title(title: str, plot_px: float, size: int = 14) -> str:
    """A rotated axis title wrapped so that it is no longer than the plot is tall."""
    return br(wrap(title, chars_for(plot_px - 10, size)))


def summary(fig: Any) -> str:
    """The text summary (alt text) stored on a figure made by nkteach.charts."""
    meta = getattr(getattr(fig, "layout", None), "meta", None)
    if isinstance(meta, dict) and meta.get("summary"):
        return str(meta["summary"])
    raise InvalidArgumentError("this figure carries no nkteach summary (fig.layout.meta['summary']); "
                               "make it with a function from nkteach.charts")


# ---------------------------------------------------------------------------------------------
# Data and argument helpers (all checks go through nkteach.validation)


def load(df: Any, name: str, required: Iterable[str], arg: str = "df"):
    """The dataset (``df`` or the package copy) with its columns checked; an empty table is refused."""
    if df is None:
        from ..data import load as _load
        df = _load(name)
    if not hasattr(df, "columns"):
        raise InvalidArgumentError(f"{arg} must be a pandas DataFrame of the {name!r} table or None "
                                   f"(the package copy), got {df!r:.80} ({type(df).__name__})")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InvalidArgumentError(f"{arg}: the {name!r} table is missing column(s) {missing}; "
                                   f"it has {list(df.columns)}")
    if len(df) == 0:
        raise InvalidArgumentError(f"{arg}: the {name!r} table given has no rows (an empty DataFrame); "
                                   f"allowed: a table with at least one row, or None for the package copy")
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


def caveats_of(df: Any) -> list[str]:
    """The dataset's caveats (``df.attrs["caveats"]``, a list or its text form) as a list."""
    cav = (getattr(df, "attrs", None) or {}).get("caveats")
    if not cav:
        return []
    if isinstance(cav, str):
        import ast
        try:
            cav = ast.literal_eval(cav)
        except (ValueError, SyntaxError):
            return [cav]
    return [str(c) for c in cav] if isinstance(cav, (list, tuple)) else [str(cav)]


def src(df: Any) -> str:
    """The figure's source line, "Source: <the table's source>."."""
    return f"Source: {source_of(df).rstrip('.')}."


def choice(arg: str, value: Any, allowed: Iterable[Any]) -> Any:
    """``value`` when it is one of ``allowed``, else an error naming ``arg`` and what is allowed."""
    return check_choice(arg, value, list(allowed))


def flag(arg: str, value: Any) -> bool:
    """``value`` when it is True or False, else an error naming ``arg``."""
    return check_type(arg, value, bool, "True or False")


def countries(arg: str, values: Any, available: Iterable[str], dataset: str) -> list[str]:
    """A list of country names, each present in ``dataset``; the error names those that are."""
    avail = sorted(str(a) for a in available)
    if isinstance(values, (list, tuple)):       # type and emptiness errors: check_names below
        for v in values:
            if isinstance(v, str) and v not in avail:
                raise unknown_name(arg, v, avail, error=UnknownNameError,
                                   what=f"countries with data in the {dataset!r} table")
    return check_names(arg, values, avail)


def year_range(arg: str, years: Any, lo: int, hi: int, what: str) -> tuple[int, int]:
    """``years`` as whole years (start, end), start <= end, inside ``lo``–``hi`` (the years ``what``
    covers; None: all of them), else an error naming ``arg``."""
    return check_year_range(arg, years, lo, hi, what)


def fmt(x: float, nd: int = 0) -> str:
    """``x`` with thousands separators and ``nd`` decimals; "no data" when it is missing."""
    if is_missing(x):
        return "no data"
    return f"{x:,.{nd}f}"


def num(v: Any) -> float | None:
    """A number from a cell that may hold text such as 'more than 2' (None if there is none)."""
    if is_missing(v):
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    m = re.search(r"-?\d[\d,]*(?:\.\d+)?", str(v))
    return float(m.group(0).replace(",", "")) if m else None


na = is_missing   # the one NA test (nkteach.validation.is_missing), short name for chart code


def flagged(v) -> bool:
    """True when the cell ``v`` holds something (not missing, not blank)."""
    return not na(v) and str(v).strip() != ""


def is_true(v) -> bool:
    """True when the cell ``v`` reads as yes ("true", "1" or "yes", any case)."""
    return (not na(v)) and str(v).lower() in ("true", "1", "yes")


def cite(r: dict) -> str:
    """'002 §V.E' from a seed_facts row (seed codes are three digits even if read as numbers)."""
    seed = r.get("seed")
    seed = "" if na(seed) else str(seed).strip()
    if seed.replace(".0", "").isdigit():
        seed = seed.replace(".0", "").zfill(3)
    sec = "" if na(r.get("section")) else str(r["section"]).strip()
    return " ".join(x for x in (seed, sec) if x)


def bar_pattern(shape, size: int = 7) -> dict:
    """A plotly bar ``marker.pattern``: ``shape`` drawn in white over the bar's colour (so bars
    differ by more than colour)."""
    return dict(shape=shape, fgcolor=GREYS["white"], fillmode="overlay", size=size)


def country_lines(sub, names: list[str], x: str, y: str, fmt_: str = "%{y}") -> list[dict]:
    """One line+marker trace per country (colour AND marker shape differ; gaps stay gaps)."""
    traces = []
    for i, c in enumerate(names):
        s = sub[sub["country"] == c].sort_values(x)
        traces.append(dict(
            type="scatter", x=[int(v) for v in s[x]], y=[None if na(v) else float(v) for v in s[y]],
            name=c, mode="lines+markers", connectgaps=False,
            line=dict(color=COLORWAY[i % 7], width=2.5),
            marker=dict(symbol=COUNTRY_SYMBOLS[i % len(COUNTRY_SYMBOLS)], size=9, color=COLORWAY[i % 7]),
            hovertemplate=f"{c} %{{x}}: {fmt_}<extra></extra>"))
    return traces


def series_text(sub, names, x, y, what, higher_is, df) -> str:
    """The text summary of a line chart: ``what``, then per country of ``names`` its first and last
    value of ``y`` (with the ``x`` year) and its largest, then ``higher_is`` and the source."""
    parts = [what + "."]
    for c in names:
        s = sub[(sub["country"] == c) & sub[y].notna()].sort_values(x)
        if s.empty:
            parts.append(f"{c}: no values.")
            continue
        first, last = s.iloc[0], s.iloc[-1]
        hi = s.loc[s[y].astype(float).idxmax()]
        parts.append(f"{c}: {first[y]:g} ({int(first[x])}) → {last[y]:g} ({int(last[x])}); "
                     f"largest value {hi[y]:g} in {int(hi[x])}.")
    parts.append(f"{higher_is}. {src(df)}")
    return " ".join(parts)
