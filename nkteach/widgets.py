"""Explorers: controls + a chart or map + its text summary, updating together.

Each explorer returns an :class:`Explorer` (an ipywidgets ``VBox``) with ``.controls``
(name → widget), ``.figure`` (the current plotly figure or folium map), ``.summary`` (the
current text summary, also shown in an ``aria-live`` region under the chart) and
``.update()``. :func:`show` displays a figure or map followed by its summary.

Update mechanism (chosen by measurement, see ``bench/explorers.py``): the chart is drawn
into an ``ipywidgets.Output`` by setting its ``outputs`` to the plotly mime bundle. A
``go.FigureWidget`` would ship its ~5 MB JavaScript bundle through the widget channel on the
first chart of a session; set ``MECHANISM = "figurewidget"`` to use it anyway. Neither path
touches ``plotly.io.renderers``, whose import pulls in nbformat (≈2 s).

Cache: building a plotly figure costs ≈25 ms and rendering a folium map ≈0.1–0.2 s, far over
the 20 ms update budget, so each explorer keeps an LRU (``CACHE_SIZE`` states) of what an
update displays — figure, summary, ready-made output bundle and the values of any side widgets
the render sets — keyed by every control value and the naming policy. Flipping a toggle back or
moving a slider back then only re-sends the cached bundle.
"""
from __future__ import annotations

import collections
import functools
import html
import json
import weakref
from typing import Any, Callable

__all__ = ["show", "Explorer", "arms_explorer", "timeline_explorer", "poll_explorer",
           "freedom_explorer", "milex_explorer", "linkage_explorer", "period_map_explorer",
           "forecast_evaluator", "naming_toggle", "explorers", "MECHANISM", "mime_bundle"]

MECHANISMS = ("output", "figurewidget")
MECHANISM = "output"
CACHE_SIZE = 64   # states remembered per explorer (each holds one figure + its bundle)
_PLOTLY_MIME = "application/vnd.plotly.v1+json"
_CONFIG = {"displaylogo": False, "responsive": True}
# explorers whose labels depend on the naming policy; naming_toggle() refreshes them
_NAMING_DEPENDENT: "weakref.WeakSet" = weakref.WeakSet()


# ---------------------------------------------------------------- display helpers

def _is_plotly(obj) -> bool:
    return type(obj).__module__.startswith("plotly.") and hasattr(obj, "to_plotly_json")


def _is_folium(obj) -> bool:
    return type(obj).__module__.startswith(("folium", "branca")) and hasattr(obj, "_repr_html_")


def summary_of(obj) -> str:
    """The text summary carried by an nkteach chart or map ('' if none)."""
    if _is_plotly(obj):
        meta = obj.layout.meta
        return str(meta.get("summary", "")) if isinstance(meta, dict) else ""
    if _is_folium(obj):
        from . import maps
        try:
            return maps.summary(obj)
        except (ValueError, KeyError, AttributeError):
            return ""
    return ""


def _title(fig) -> str:
    t = fig.layout.title.text if fig.layout.title else None
    return html.escape(str(t)) if t else "chart"


def mime_bundle(fig) -> dict:
    """The display bundle of a plotly figure, built without plotly.io.renderers (no nbformat).

    JupyterLab draws ``application/vnd.plotly.v1+json`` with its bundled plotly.js
    (jupyterlab-plotly, offline); other viewers get a small HTML note instead of 5 MB of JS.
    """
    spec = json.loads(fig.to_json())      # plain JSON: numpy arrays, dates, NaN handled by plotly
    spec["config"] = dict(_CONFIG)
    note = (f'<div class="nkteach-chart-fallback"><p><i>Interactive chart “{_title(fig)}”: '
            "open this notebook in JupyterLab to see it. Its text summary follows.</i></p></div>")
    return {_PLOTLY_MIME: spec, "text/html": note, "text/plain": f"<chart: {_title(fig)}>"}


def _summary_bundle(text: str) -> dict:
    return {"text/html": f'<p class="nkteach-summary"><b>Summary:</b> {html.escape(text)}</p>',
            "text/plain": f"Summary: {text}"}


def _map_bundle(m) -> dict:
    return {"text/html": m._repr_html_(), "text/plain": "<map>"}


def show(obj, summary: str | None = None) -> None:
    """Display a chart (plotly) or map (folium) followed by its text summary.

    The summary comes from the object (``fig.layout.meta["summary"]`` / ``maps.summary``)
    unless given. Anything else (e.g. an explorer) is displayed as is."""
    from IPython.display import display

    if not (_is_plotly(obj) or _is_folium(obj)):
        display(obj)
        return
    text = summary if summary is not None else summary_of(obj)
    if not text:
        raise ValueError("this figure/map has no text summary (every chart and map needs one): "
                         "make it with nkteach.charts / nkteach.maps, or pass show(obj, summary=...)")
    display(mime_bundle(obj) if _is_plotly(obj) else _map_bundle(obj), raw=True)
    display(_summary_bundle(text), raw=True)


# ---------------------------------------------------------------- the Explorer widget

@functools.lru_cache(maxsize=1)
def _explorer_class():
    import ipywidgets as w

    class Explorer(w.VBox):
        """Controls + chart/map + text summary; ``update()`` redraws from the controls.

        ``render(values) -> (figure_or_map, summary)`` is a pure function of the control
        values (a dict name → value). Bad combinations are reported in the summary area
        (``.error``) rather than raised, so a click can never leave a traceback.
        ``side``: (widget, trait) pairs the render also sets; their values are cached with the
        chart. ``cache=False`` for a render with global side effects (the naming toggle)."""

        def __init__(self, name: str, controls: dict, render: Callable[[dict], tuple],
                     *, title: str = "", intro: str = "", mechanism: str | None = None,
                     layout_controls: list | None = None, extra: list | None = None,
                     state: dict | None = None, side: list | None = None, cache: bool = True):
            mech = mechanism or MECHANISM
            if mech not in MECHANISMS:
                raise ValueError(f"unknown mechanism {mech!r}; allowed: {', '.join(MECHANISMS)}")
            self.name, self.controls, self._render, self.mechanism = name, dict(controls), render, mech
            self.figure: Any = None
            self.summary: str = ""
            self.error: str | None = None
            self.updates = 0          # successful updates (fresh or from the cache)
            self.renders = 0          # updates that called the render function
            self.cache_hits = 0
            self.state = state if state is not None else {}
            # (widget, trait) pairs the render sets besides chart and summary: cached with it
            self._side = list(side or [])
            self.cache_size = CACHE_SIZE if cache else 0
            self._cache: collections.OrderedDict = collections.OrderedDict()
            self._last: tuple = (None, ())   # (figure, outputs) last turned into a bundle
            self._fw = None
            self.output = w.Output(layout=w.Layout(min_height="120px"))
            self.summary_widget = w.HTML(layout=w.Layout(max_width="900px"))
            head = [w.HTML(f"<h4>{html.escape(title)}</h4>")] if title else []
            if intro:
                head.append(w.HTML(f"<p>{intro}</p>"))
            ctrl = layout_controls if layout_controls is not None else list(self.controls.values())
            super().__init__(head + [w.VBox(ctrl), self.output, self.summary_widget] + (extra or []))
            for c in self.controls.values():
                if hasattr(c, "value"):
                    c.observe(self._changed, names="value")
            self.update()

        @property
        def map(self):
            """The linked folium map, for explorers that draw one beside the chart."""
            return self.state.get("map")

        def values(self) -> dict:
            return {k: c.value for k, c in self.controls.items() if hasattr(c, "value")}

        def _changed(self, _change=None):
            self.update()

        def _key(self, vals: dict):
            """Everything the output depends on: control values and the naming policy."""
            from .naming import get_naming

            try:
                key = (get_naming(), tuple(sorted((k, _freeze(v)) for k, v in vals.items())))
                hash(key)
            except TypeError:       # an unhashable control value: render without caching
                return None
            return key

        def update(self):
            """Redraw the chart/map and the summary from the current control values."""
            vals = self.values()
            key = self._key(vals) if self.cache_size else None
            hit = self._cache.get(key) if key is not None else None
            if hit is not None:
                self._cache.move_to_end(key)
                self.cache_hits += 1
                fig, text, outputs, side, state = hit
                for (wdg, trait), v in zip(self._side, side):
                    if getattr(wdg, trait) is not v:
                        setattr(wdg, trait, v)
                self.state.update(state)
            else:
                try:
                    fig, text = self._render(vals)
                except (ValueError, KeyError) as e:
                    msg = e.args[0] if isinstance(e, KeyError) and e.args else str(e)
                    self.error = str(msg)
                    self._set_summary(f"⚠ {msg}")
                    return self
                self.renders += 1
                outputs = self._outputs(fig)
                if key is not None:
                    side = tuple(getattr(wdg, trait) for wdg, trait in self._side)
                    self._cache[key] = (fig, text, outputs, side, dict(self.state))
                    while len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
            self.error = None
            self.figure, self.summary = fig, text
            self._show(fig, outputs)
            self._set_summary(text)
            self.updates += 1
            return self

        def _outputs(self, fig) -> tuple:
            """The Output widget's ``outputs`` for ``fig`` (built once per figure object)."""
            if fig is None or (_is_plotly(fig) and self.mechanism == "figurewidget"):
                return ()
            if fig is self._last[0]:    # e.g. a control that changes only a side widget
                return self._last[1]
            bundle = mime_bundle(fig) if _is_plotly(fig) else _map_bundle(fig)
            outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
            self._last = (fig, outputs)
            return outputs

        def _show(self, fig, outputs: tuple):
            if fig is not None and _is_plotly(fig) and self.mechanism == "figurewidget":
                self._draw_figurewidget(fig)
            elif self.output.outputs is not outputs:   # same object: nothing to send
                self.output.outputs = outputs

        def _set_summary(self, text: str):
            self.summary_widget.value = (f'<div role="status" aria-live="polite" '
                                         f'class="nkteach-summary"><b>Summary:</b> '
                                         f"{html.escape(text)}</div>")

        def _draw_figurewidget(self, fig):
            import plotly.graph_objects as go

            if self._fw is None:
                self._fw = go.FigureWidget(fig)
                self.children = tuple(self._fw if c is self.output else c for c in self.children)
                return
            fw = self._fw
            same = [t.type for t in fw.data] == [t.type for t in fig.data]
            with fw.batch_update():
                if same:
                    for old, new in zip(fw.data, fig.data):
                        old.update(new.to_plotly_json(), overwrite=True)
                else:
                    fw.data = ()
                fw.layout = fig.layout
            if not same:
                fw.add_traces(list(fig.data))

    return Explorer


def __getattr__(name):
    if name == "Explorer":
        return _explorer_class()
    raise AttributeError(f"module 'nkteach.widgets' has no attribute {name!r}")


def _w():
    import ipywidgets as w
    return w


def _freeze(v):
    """A hashable stand-in for a control value (lists from multi-selects become tuples)."""
    if isinstance(v, (list, tuple)):
        return tuple(_freeze(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    return v


def _style():
    return {"description_width": "initial"}


def _year_options(df) -> list[int]:
    """Every year from the table's first to its last (slider stops; gaps kept selectable)."""
    years = df["year"].dropna()
    return list(range(int(years.min()), int(years.max()) + 1))


# ---------------------------------------------------------------- explorers
# Each explorer loads its data once and passes it to the pure chart functions.

def arms_explorer(*, mechanism: str | None = None):
    """SIPRI arms imports: recipient, years, volume/share, overlay of the seeds' claims (L5)."""
    from . import charts
    from .data import load

    w = _w()
    df = load("arms_imports")
    recipients = sorted(df["recipient"].dropna().unique())
    years = _year_options(df)
    default = (2007, 2011) if 2007 in years and 2011 in years else (years[0], years[-1])
    claims = load("seed_facts")
    controls = {
        "recipient": w.Dropdown(options=recipients, value="Azerbaijan" if "Azerbaijan" in recipients
                                else recipients[0], description="Recipient"),
        "years": w.SelectionRangeSlider(options=years, index=(years.index(default[0]),
                                        years.index(default[1])), description="Years",
                                        continuous_update=False, layout=w.Layout(width="520px")),
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

    return _explorer_class()("arms", controls, render, mechanism=mechanism,
                             title="Arms imports by supplier (SIPRI TIV)",
                             intro="TIV is SIPRI's trend-indicator value: a volume index, not money.")


def milex_explorer(*, mechanism: str | None = None):
    """SIPRI military expenditure: countries, measure, years (L3/L5)."""
    from . import charts
    from .data import load

    w = _w()
    df = load("military_expenditure")
    countries = sorted(df["country"].dropna().unique())
    measures = sorted(df["measure"].dropna().unique())
    labels = charts.MEASURE_LABELS
    years = _year_options(df)
    boxes = {f"country:{c}": w.Checkbox(value=c in ("Armenia", "Azerbaijan"), description=c,
                                        indent=False) for c in countries}
    controls = {
        "measure": w.Dropdown(options=[(labels.get(m, m), m) for m in measures],
                              value="constant_2024_usd_m" if "constant_2024_usd_m" in measures
                              else measures[0], description="Measure", style=_style()),
        "years": w.SelectionRangeSlider(options=years, index=(0, len(years) - 1),
                                        description="Years", continuous_update=False,
                                        layout=w.Layout(width="520px")),
        **boxes,
    }

    # (measure, country) → (first year, last year), so an update does not filter the table
    spans = {k: (int(lo), int(hi)) for k, (lo, hi) in
             df.dropna(subset=["year"]).groupby(["measure", "country"])["year"]
             .agg(["min", "max"]).iterrows()}

    def render(v):
        chosen = [c for c in countries if v[f"country:{c}"]]
        if not chosen:
            raise ValueError("tick at least one country")
        have = [spans[(v["measure"], c)] for c in chosen if (v["measure"], c) in spans]
        if not have:
            raise ValueError(f"no {v['measure']} values for {', '.join(chosen)}")
        a, b = v["years"]
        # the chart rejects a window outside a country's data: clip to what exists
        a, b = max(a, min(lo for lo, _ in have)), min(b, max(hi for _, hi in have))
        if a > b:
            raise ValueError(f"no values for {', '.join(chosen)} in {v['years'][0]}–{v['years'][1]}")
        fig = charts.military_expenditure(df, countries=chosen, measure=v["measure"], years=(a, b))
        return fig, charts.summary(fig)

    lay = [controls["measure"], controls["years"],
           w.HBox([w.Label("Countries:")] + list(boxes.values()))]
    return _explorer_class()("milex", controls, render, mechanism=mechanism, layout_controls=lay,
                             title="Military expenditure (SIPRI)")


def poll_explorer(*, mechanism: str | None = None):
    """The 2011 Facebook poll: printed/recomputed %, grouping, and a HYPOTHETICAL composition
    slider that has no data behind it (BRIEF §9 L4, §8.4)."""
    from . import charts
    from .data import load

    w = _w()
    df = load("facebook_poll_2011")
    total = int(df["responses"].sum())
    controls = {
        "show": w.ToggleButtons(options=[("% as printed", "printed"), ("% recomputed", "recomputed")],
                                value="printed", description="Percentages",
                                tooltips=["as printed in the thesis", "recomputed from the counts"]),
        "grouped": w.Checkbox(value=False, description="Group options (war / peace / other)",
                              indent=False),
        "hypothetical_armenian_pct": w.IntSlider(
            value=50, min=0, max=100, step=5, continuous_update=False,
            description="HYPOTHETICAL: % of respondents from Armenia", style=_style(),
            layout=w.Layout(width="560px")),
    }
    hypo = w.HTML()
    counts = df.set_index("label")["responses"]
    az_win = next((int(c) for lab, c in counts.items() if "Azerbaijan wins" in lab), None)
    am_win = next((int(c) for lab, c in counts.items() if "Armenia wins" in lab), None)

    def composition(pct: int) -> str:
        # Pure arithmetic on the printed counts: the poll recorded no nationality.
        n_am = round(total * pct / 100)
        n_az = total - n_am
        if az_win is None or am_win is None:
            return "The war options are not in the table, so this illustration is unavailable."
        must_am = max(0, az_win - n_az)   # 'Azerbaijan wins' answers that must come from Armenia
        must_az = max(0, am_win - n_am)
        return (f"HYPOTHETICAL — the poll did not record where respondents lived; this is "
                f"arithmetic, not data. If {pct}% of the {total:,} respondents ({n_am:,}) had been "
                f"in Armenia, at least {must_am:,} of the {az_win:,} 'war, Azerbaijan wins' "
                f"answers and at least {must_az:,} of the {am_win:,} 'war, Armenia wins' answers "
                f"would have to come from the other side's respondents. The pooled shares depend "
                f"on a composition nobody measured.")

    figs: dict = {}   # the slider changes only the text: keep the chart (same object, no resend)

    def render(v):
        key = (v["show"], v["grouped"])
        if key not in figs:
            figs[key] = charts.facebook_poll(df, show=v["show"], grouped=v["grouped"])
        fig = figs[key]
        hypo.value = ('<div role="status" aria-live="polite" style="border:2px dashed #555;'
                      'padding:4px"><b>⚠ HYPOTHETICAL (no data behind this slider):</b> '
                      f"{html.escape(composition(v['hypothetical_armenian_pct']))}</div>")
        return fig, charts.summary(fig)

    lay = [controls["show"], controls["grouped"]]
    ex = _explorer_class()("poll", controls, render, mechanism=mechanism, layout_controls=lay,
                           title="Facebook poll, November 2011 (thesis Table 1)",
                           extra=[controls["hypothetical_armenian_pct"], hypo],
                           side=[(hypo, "value")])
    ex.hypothetical = hypo
    return ex


def freedom_explorer(*, mechanism: str | None = None):
    """Freedom House: ratings (1 = most free) or scores (higher = freer) by country (L3)."""
    from . import charts
    from .data import load

    w = _w()
    ratings, scores = load("freedom_ratings"), load("freedom_scores")
    countries = sorted(set(ratings["country"].dropna()) & set(scores["country"].dropna())) or \
        sorted(ratings["country"].dropna().unique())
    series = [(f"Rating: {lab.lower()} (1 = most free)", ("ratings", m))
              for m, lab in charts.FH_RATINGS.items()]
    score_measures = charts.score_measures(scores)
    series += [(f"Score: {m.replace('_', ' ')} (higher = freer)", ("scores", m)) for m in score_measures]
    boxes = {f"country:{c}": w.Checkbox(value=c in ("Armenia", "Azerbaijan"), description=c,
                                        indent=False) for c in countries}
    controls = {"series": w.Dropdown(options=series, value=series[0][1], description="Series",
                                     style=_style()), **boxes}

    def render(v):
        chosen = [c for c in countries if v[f"country:{c}"]]
        if not chosen:
            raise ValueError("tick at least one country")
        kind, measure = v["series"]
        if kind == "ratings":
            fig = charts.freedom_ratings(ratings, countries=chosen, measure=measure)
        else:
            fig = charts.freedom_scores(scores, countries=chosen, measure=measure)
        return fig, charts.summary(fig)

    lay = [controls["series"], w.HBox([w.Label("Countries:")] + list(boxes.values()),
                                      layout=w.Layout(flex_flow="row wrap"))]
    return _explorer_class()("freedom", controls, render, mechanism=mechanism,
                             layout_controls=lay, title="Freedom House ratings and scores",
                             intro="Two scales run in opposite directions: on the 1–7 <b>ratings</b> "
                                   "a lower number means more free; on the <b>scores</b> a higher "
                                   "number means more free.")


_LEVEL_BOXES = (("elite", "◆ Elite"), ("nation", "● Nation / society"),
                ("international", "■ International"))


def _level_boxes():
    w = _w()
    return {f"level:{k}": w.Checkbox(value=True, description=lab, indent=False)
            for k, lab in _LEVEL_BOXES}


def _chosen_levels(v) -> list[str]:
    out = [k for k, _ in _LEVEL_BOXES if v.get(f"level:{k}")]
    if not out:
        raise ValueError("tick at least one level")
    return out


def _start_year(text) -> int:
    t = str(text)
    return int(t[:5]) if t.startswith("-") else int(t[:4])


def timeline_explorer(*, mechanism: str | None = None, with_map: bool = True,
                      tiles: str | None = "OpenStreetMap"):
    """Timeline filtered by a year window and levels; a linked map of the places in the
    window when nkteach.maps is available (L2). ``.map`` is the current map (or None)."""
    from . import charts
    from .data import load

    w = _w()
    df = load("timeline")
    starts = sorted({_start_year(s) for s in df["date_start"].dropna()})
    # every early event keeps its own stop; from 1800 on the slider moves year by year
    years = [y for y in starts if y < 1800] + list(range(1800, starts[-1] + 1))
    first = years.index(1988) if 1988 in years else 0
    controls = {"years": w.SelectionRangeSlider(options=years, index=(first, len(years) - 1),
                                                description="Years", continuous_update=False,
                                                layout=w.Layout(width="620px")),
                **_level_boxes()}
    maps = _maps() if with_map else None
    map_out = w.Output() if maps else None
    place_rows = _place_rows(df) if maps else []
    state = {"map": None}
    drawn: dict = {}   # (place ids, naming) → (map, bundle): folium rendering costs ~0.5 s

    def map_for(ids):
        from .naming import get_naming

        key = (tuple(ids), get_naming())
        if key not in drawn:
            if len(drawn) >= 16:
                drawn.pop(next(iter(drawn)))
            m = maps.places_map(ids, tiles=tiles)
            drawn[key] = (m, _map_bundle(m))
        return drawn[key]

    def render(v):
        lv = _chosen_levels(v)
        a, b = v["years"]
        fig = charts.timeline(df, years=(a, b), levels=lv)
        text = charts.summary(fig)
        if maps is not None:
            ids = _places_in(place_rows, (a, b), lv)
            m, bundle = map_for(ids) if ids else (None, None)
            state["map"] = m
            if m is not None:
                map_out.outputs = ({"output_type": "display_data", "data": bundle,
                                    "metadata": {}},)
                text += " Map: " + maps.summary(m)
            else:
                map_out.outputs = ()
                text += " Map: no places are recorded for the events in this window."
        return fig, text

    ex = _explorer_class()("timeline", controls, render, mechanism=mechanism, state=state,
                           layout_controls=[controls["years"], _level_row(controls)],
                           title="Timeline by level of analysis",
                           extra=[map_out] if map_out else None,
                           side=[(map_out, "outputs")] if map_out else None)
    if maps:
        _NAMING_DEPENDENT.add(ex)
    return ex


def _level_row(controls):
    w = _w()
    return w.HBox([w.Label("Levels:")] + [controls[f"level:{k}"] for k, _ in _LEVEL_BOXES])


def _maps():
    try:
        from . import maps
    except ImportError:   # maps not built in this checkout: chart only
        return None
    return maps if hasattr(maps, "places_map") else None


def _place_rows(df) -> list[tuple[int, set, list]]:
    """(start year, level codes, place_ids) of each timeline row that names places; parsed
    once per explorer so a slider move only filters."""
    rows = []
    for r in df.to_dict(orient="records"):
        raw = r.get("place_ids")
        if raw is None or raw != raw or not str(raw).strip():   # NA / NaN / empty
            continue
        lv = {x.strip() for x in str(r.get("levels") or "").split(";")}
        rows.append((_start_year(r["date_start"]), lv,
                     [p.strip() for p in str(raw).split(";") if p.strip()]))
    return rows


def _places_in(rows, years, levels) -> list[str]:
    """place_ids of the events in the window at the ticked levels, in timeline order."""
    from .levels import level

    a, b = years
    want = {level(k).code for k in levels}   # the timeline's levels column holds codes
    ids: list[str] = []
    for start, lv, places in rows:
        if a <= start <= b and lv & want:
            ids += places
    return list(dict.fromkeys(ids))


def linkage_explorer(*, mechanism: str | None = None):
    """The reconstructed linkage graph: start node, steps downstream, levels shown, and a
    'remove node' thought experiment (L6)."""
    from . import charts, levels

    w = _w()
    g = levels.graph()
    opts = [("(none)", None)] + [(f"{n} — {nd.label}", n) for n, nd in g.nodes.items()]
    controls = {
        "start": w.Dropdown(options=opts, value=None, description="Start node", style=_style(),
                            layout=w.Layout(width="600px")),
        "steps": w.IntSlider(value=1, min=1, max=6, description="Steps downstream",
                             continuous_update=False, style=_style()),
        **_level_boxes(),
        "remove": w.ToggleButton(value=False, description="Remove the start node",
                                 tooltip="Thought experiment: which loops break without it?",
                                 icon="scissors"),
    }
    cache: dict = {}

    def shown_graph(lv: tuple):
        # unticked levels are taken out of the drawing (the outcome node always stays)
        if lv not in cache:
            sub = g
            for n, nd in g.nodes.items():
                if nd.level in ("elite", "nation", "international") and nd.level not in lv:
                    sub = sub.without(n)
            cache[lv] = sub
        return cache[lv]

    def render(v):   # recent drawings are kept by the Explorer's cache
        sub = shown_graph(tuple(_chosen_levels(v)))
        start, notes = v["start"], []
        if start is not None and start not in sub:
            notes.append(f"The start node {start} is hidden because its level is unticked.")
            start = None
        if v["remove"] and start is None and v["start"] is None:
            notes.append("Choose a start node to remove it.")
        hl = sub.downstream(start, v["steps"]) if start is not None else None
        removed = start if (v["remove"] and start is not None) else None
        fig = charts.linkage_network(sub, highlight=hl, removed=removed)
        return fig, " ".join([charts.summary(fig)] + notes)

    # Edge inspector: reading a link's mechanism does not redraw the chart.
    edge_pick = w.Dropdown(options=[("— choose a link —", None)] +
                           [(f"{e.edge_id}: {g.nodes[e.source].label} → {g.nodes[e.target].label}",
                             e.edge_id) for e in g.edges],
                           value=None, description="Read a link", style=_style(),
                           layout=w.Layout(width="600px"))
    edge_text = w.HTML()

    def show_edge(_change=None):
        if edge_pick.value is None:
            edge_text.value = ""
            return
        e = g.edge(edge_pick.value)
        edge_text.value = (f'<div role="status" aria-live="polite"><b>{html.escape(str(e))}</b>: '
                           f"{html.escape(e.mechanism)}"
                           + (f" <i>(basis: {html.escape(e.basis)})</i>" if e.basis else "")
                           + f" — {html.escape(e.citation or 'no citation recorded')}</div>")

    edge_pick.observe(show_edge, names="value")
    lay = [controls["start"], controls["steps"], _level_row(controls), controls["remove"]]
    ex = _explorer_class()("linkage", controls, render, mechanism=mechanism,
                           layout_controls=lay, title="Linkages between levels "
                           "(reconstructed from the thesis text)", extra=[edge_pick, edge_text])
    ex.edge_inspector, ex.edge_text = edge_pick, edge_text
    return ex


def period_map_explorer(*, tiles: str | None = "OpenStreetMap"):
    """Who controlled what: ToggleButtons 1994 / 2020 / 2023 → maps.control_by_period (L2, L7)."""
    from . import maps

    w = _w()
    controls = {"period": w.ToggleButtons(options=list(maps.PERIODS), value=maps.PERIODS[0],
                                          description="Situation after",
                                          tooltips=["the 1994 ceasefire", "the November 2020 statement",
                                                    "September 2023"])}

    def render(v):
        m = maps.control_by_period(v["period"], tiles=tiles)
        return m, maps.summary(m)

    ex = _explorer_class()("period_map", controls, render, title="Control of territory by period")
    _NAMING_DEPENDENT.add(ex)
    return ex


_VERDICTS = ("held", "partly held", "did not hold", "overtaken by events")


def forecast_evaluator(*, mechanism: str | None = None):
    """The 2013 forecasts (BRIEF §3.8): a verdict Dropdown per forecast, then reveal the model
    verdicts with the evidence and citations (L7)."""
    from . import charts
    from .data import load

    w = _w()
    table = load("forecasts")
    rows = load("forecasts", as_frame=False)
    drops = {}
    cards = []
    for r in rows:
        fid = r["forecast_id"]
        d = w.Dropdown(options=[("— your verdict —", None)] + [(v.capitalize(), v) for v in _VERDICTS],
                       value=None, description=f"Verdict on {fid}", style=_style())
        drops[f"verdict:{fid}"] = d
        cards.append(w.VBox([w.HTML(f"<p><b>{html.escape(fid)}.</b> {html.escape(r['expectation'])} "
                                    f"<i>({html.escape(r['citation'])})</i></p>"), d]))
    reveal = w.ToggleButton(value=False, description="Reveal the model verdicts",
                            tooltip="Show the model answer and the evidence for each forecast",
                            icon="eye")
    controls = {**drops, "reveal": reveal}
    answers = w.HTML()

    def render(v):
        done = {r["forecast_id"]: v[f"verdict:{r['forecast_id']}"] for r in rows}
        judged = sum(x is not None for x in done.values())
        code = "verdict_code" if rows and "verdict_code" in rows[0] else "verdict"
        if not v["reveal"]:
            answers.value = ""
            mine = "; ".join(f"{k} {x}" for k, x in done.items() if x is not None)
            return None, (f"You have given a verdict on {judged} of {len(rows)} forecasts"
                          + (f" ({mine})" if mine else "")
                          + ". Press 'Reveal the model verdicts' to compare.")
        same = sum(done[r["forecast_id"]] == str(r[code]).lower() for r in rows)
        items = []
        for r in rows:
            mine = done[r["forecast_id"]]
            mark = ("✔ same as the model" if mine == str(r[code]).lower()
                    else "— no verdict given" if mine is None else "≠ differs from the model")
            items.append(f"<li><b>{html.escape(r['forecast_id'])}</b> — model verdict: "
                         f"<b>{html.escape(str(r['verdict']))}</b> ({mark}). What happened: "
                         f"{html.escape(str(r['outcome']))} <i>({html.escape(str(r['outcome_citation']))})"
                         "</i></li>")
        answers.value = "<ol style='list-style:none;padding-left:0'>" + "".join(items) + "</ol>"
        fig = charts.forecast(table, verdicts={k: x for k, x in done.items() if x is not None})
        return fig, (f"Your verdicts match the model on {same} of {len(rows)} forecasts "
                      f"({judged} judged). Model verdicts are one defensible reading; argue with them.")

    ex = _explorer_class()("forecasts", controls, render, mechanism=mechanism,
                           layout_controls=cards + [reveal],
                           title="Evaluate the 2013 forecast", extra=[answers],
                           side=[(answers, "value")])
    ex.answers = answers
    return ex


def naming_toggle():
    """ToggleButtons both / armenian / azerbaijani / seed → nkteach.set_naming; refreshes the
    map and timeline explorers already on screen."""
    from . import naming

    w = _w()
    labels = {"both": "Both usages", "armenian": "Armenian usage",
              "azerbaijani": "Azerbaijani usage", "seed": "As in the seed"}
    controls = {"naming": w.ToggleButtons(options=[(labels[n], n) for n in naming.NAMINGS],
                                          value=naming.get_naming(), description="Place names",
                                          tooltips=[labels[n] for n in naming.NAMINGS])}

    def render(v):
        if v["naming"] != naming.get_naming():
            naming.set_naming(v["naming"])
            for ex in list(_NAMING_DEPENDENT):
                ex.update()
        examples = "; ".join(naming.place_name(p) for p in ("stepanakert", "shusha", "lachin"))
        return None, (f"Places are labelled with {labels[v['naming']].lower()}"
                      + (f", e.g. {examples}." if examples else "."))

    # not cached: its render sets the global policy; the explorers it refreshes use their caches
    return _explorer_class()("naming", controls, render, title="", cache=False)


def explorers() -> dict[str, Callable]:
    """Every explorer factory by name (for tests and benchmarks)."""
    return {"arms": arms_explorer, "timeline": timeline_explorer, "poll": poll_explorer,
            "freedom": freedom_explorer, "milex": milex_explorer, "linkage": linkage_explorer,
            "period_map": period_map_explorer, "forecasts": forecast_evaluator,
            "naming": naming_toggle}
