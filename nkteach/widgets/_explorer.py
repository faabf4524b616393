"""The explorer engine: :class:`Explorer` and the helpers the theme modules share.

Update mechanism (chosen by measurement, see ``bench/explorers.py``): the chart is drawn
into an ``ipywidgets.Output`` by setting its ``outputs`` to the plotly mime bundle. A
``go.FigureWidget`` would ship its ~5 MB JavaScript bundle through the widget channel on the
first chart of a session; set ``nkteach.widgets.MECHANISM = "figurewidget"`` to use it anyway.
Neither path touches ``plotly.io.renderers``, whose import pulls in nbformat (≈2 s).

Cache: building a plotly figure costs tens of ms and rendering a folium map ≈0.1–0.2 s, so
each explorer keeps an LRU (``CACHE_SIZE`` states) of what an update displays — figure,
summary, ready-made output bundle and the values of any side widgets the render sets — keyed
by every control value and the naming policy. Moving a control back only re-sends the cached
bundle. The bundle carries the figure JSON with the template trimmed to the trace types
drawn (``nkteach.display.plotly_spec``).

Errors: a control combination the data cannot serve raises one of nkteach's own errors
(:class:`~nkteach.validation.NkteachError`) in the render; the explorer then clears the chart
and shows ⚠ with the reason. Any other exception is a bug: it is shown as an error output
with its traceback (as Jupyter shows a failing cell), so that it gets reported.
"""
from __future__ import annotations

import collections
import json
import sys
import traceback
import weakref
from typing import Any
from collections.abc import Callable

import ipywidgets as w

from ..display import (
    is_folium,
    is_plotly,
    map_bundle,
    mime_bundle,
    new_summary_id,
    plotly_spec,
    static_chart_html,
    summary_html,
)
from ..markup import html_attr, html_text
from ..validation import (
    Flag,
    InvalidArgumentError,
    NkteachError,
    Options,
    check_choice,
    check_text,
    check_type,
    validate_params,
)

__all__ = ["Explorer", "CACHE_SIZE", "NONE", "check_tiles", "check_mechanism", "MECHANISM_PARAM",
           "TILES_PARAM", "WITH_MAP_PARAM", "validate_params"]

# The value of a dropdown's "nothing chosen" option. Never None: ipywidgets 8 reads a None value
# as "no selection" (index None), so JupyterLab shows the dropdown blank and a choice of that
# option is lost (issue 20, the linkage explorer's start node).
NONE = ""
CACHE_SIZE = 64   # states remembered per explorer (each holds one figure + its bundle)
BUNDLES_KEPT = 8  # figures whose ready-made bundle is kept (a render may return a figure again)
LIVE_NOTE = ("This is the explorer's first view. The live version needs Jupyter: open the lesson "
             "on Binder or your course's JupyterHub to move the controls.")
# explorers whose labels depend on the naming policy; naming_toggle() refreshes them
NAMING_DEPENDENT: weakref.WeakSet = weakref.WeakSet()


def _mechanisms() -> tuple:
    return sys.modules["nkteach.widgets"].MECHANISMS


def _tiles() -> tuple:
    from ..maps import TILES

    return TILES


# The declared arguments the explorer factories share (checked by validate_params; the
# hostile-input tests read them from each factory in the registry).
MECHANISM_PARAM = Options(_mechanisms, optional=True, error=InvalidArgumentError)
TILES_PARAM = Options(_tiles, optional=True, error=InvalidArgumentError)
WITH_MAP_PARAM = Flag()


def check_mechanism(mechanism: Any) -> str:
    """``mechanism`` or the package default, checked against ``nkteach.widgets.MECHANISMS``."""
    pkg = sys.modules["nkteach.widgets"]
    if mechanism is None:
        mechanism = pkg.MECHANISM
    return check_choice("mechanism", mechanism, pkg.MECHANISMS, error=InvalidArgumentError)


def check_tiles(tiles: Any) -> str | None:
    """A folium tile layer name, or None for no tile layer (offline)."""
    if tiles is not None:
        check_type("tiles", tiles, str, "a tile layer name such as 'OpenStreetMap', or None")
    return tiles


def check_flag(arg: str, value: Any) -> bool:
    """``value`` when it is True or False, else an error naming ``arg``."""
    return check_type(arg, value, bool, "True or False")


def freeze(v: Any) -> Any:
    """A hashable stand-in for a control value (lists from multi-selects become tuples)."""
    if isinstance(v, (list, tuple)):
        return tuple(freeze(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, freeze(x)) for k, x in v.items()))
    return v


def style() -> dict:
    """The widget style that gives a control's description the width its text needs."""
    return {"description_width": "initial"}


def year_options(df) -> list[int]:
    """Every year from the table's first to its last (slider stops; gaps kept selectable)."""
    years = df["year"].dropna()
    return list(range(int(years.min()), int(years.max()) + 1))


def country_boxes(countries: list[str], ticked=("Armenia", "Azerbaijan")) -> dict:
    """One checkbox per country found in the data (Georgia included wherever it is there)."""
    return {f"country:{c}": w.Checkbox(value=c in ticked, description=c, indent=False)
            for c in countries}


def chosen_countries(v: dict, countries: list[str]) -> list[str]:
    """The countries whose ``country:<name>`` box is ticked in the values ``v``, in the order of
    ``countries``; an error when none is."""
    chosen = [c for c in countries if v[f"country:{c}"]]
    if not chosen:
        raise InvalidArgumentError("tick at least one country")
    return chosen


LEVEL_BOXES = (("elite", "◆ Elite"), ("nation", "● Nation / society"),
               ("international", "■ International"))


def level_boxes() -> dict:
    """One ticked ``level:<key>`` checkbox per level of analysis."""
    return {f"level:{k}": w.Checkbox(value=True, description=lab, indent=False)
            for k, lab in LEVEL_BOXES}


def chosen_levels(v: dict) -> list[str]:
    """The levels whose ``level:<key>`` box is ticked in the values ``v``; an error when none is."""
    out = [k for k, _ in LEVEL_BOXES if v.get(f"level:{k}")]
    if not out:
        raise InvalidArgumentError("tick at least one level")
    return out


def level_row(controls: dict):
    """The level checkboxes of ``controls`` in one labelled row."""
    return w.HBox([w.Label("Levels:")] + [controls[f"level:{k}"] for k, _ in LEVEL_BOXES])


def country_row(boxes: dict):
    """The country checkboxes ``boxes`` (from :func:`country_boxes`) in one labelled, wrapping row."""
    return w.HBox([w.Label("Countries:")] + list(boxes.values()), layout=w.Layout(flex_flow="row wrap"))


def maps_module():
    """``nkteach.maps`` if it can draw place maps in this checkout, else None (chart only)."""
    try:
        from .. import maps
    except ImportError:
        return None
    return maps if hasattr(maps, "places_map") else None


def _display_data(bundle: dict) -> tuple:
    return ({"output_type": "display_data", "data": bundle, "metadata": {}},)


def error_outputs(exc: BaseException) -> tuple:
    """An Output widget's ``outputs`` showing ``exc`` as Jupyter shows a failing cell."""
    tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
    return ({"output_type": "error", "ename": type(exc).__name__, "evalue": str(exc),
             "traceback": [line.rstrip("\n") for line in tb]},)


class Explorer(w.VBox):
    """Controls + chart/map + text summary; ``update()`` redraws from the controls.

    Parameters
    ----------
    name
        The explorer's registry name.
    controls
        Control name → widget; every widget with a ``value`` triggers an update.
    render
        ``render(values) -> (figure_or_map_or_None, summary)``, a pure function of the control
        values (a dict name → value). It raises an :class:`~nkteach.validation.NkteachError`
        for a combination the data cannot serve (shown as ⚠ + reason, chart cleared).
    title, intro
        Heading and a short HTML introduction above the controls.
    moves
        One line saying what moving the controls does (shown in the static fallback).
    mechanism
        ``"output"`` (default) or ``"figurewidget"``.
    layout_controls, extra
        Widgets laid out instead of ``controls`` / added under the summary.
    state
        A dict the render may update (e.g. the linked map); cached with each state.
    side
        ``(widget, trait)`` pairs the render also sets; their values are cached with the chart.
    cache
        False for a render with global side effects (the naming toggle).
    """

    def __init__(self, name: str, controls: dict, render: Callable[[dict], tuple], *,
                 title: str = "", intro: str = "", moves: str = "", mechanism: str | None = None,
                 layout_controls: list | None = None, extra: list | None = None,
                 state: dict | None = None, side: list | None = None, cache: bool = True):
        mech = check_mechanism(mechanism)
        check_text("name", name)
        check_type("controls", controls, dict, "a dict of control name → widget")
        for key, c in controls.items():
            check_type(f"controls[{key!r}]", c, w.Widget, "an ipywidget")
        if not callable(render):
            raise InvalidArgumentError(f"render must be a function of the control values, got {render!r}")
        for arg, val in (("title", title), ("intro", intro), ("moves", moves)):
            check_type(arg, val, str, "a string")
        check_type("cache", cache, bool, "True or False")
        self.name, self.controls, self._render, self.mechanism = name, dict(controls), render, mech
        self.title, self.moves = title, moves
        # the factory arguments that change what this explorer shows (e.g. the timeline without
        # its map); a static page rebuilds the same explorer from them (data-explorer-args)
        self.args: dict = {}
        self.figure: Any = None
        self.summary: str = ""
        self.error: str | None = None          # the message shown with ⚠, or None
        self.exception: BaseException | None = None   # an unexpected error (a bug), or None
        self.stale = False                     # True while the chart area is cleared by an error
        self.updates = 0          # successful updates (fresh or from the cache)
        self.renders = 0          # updates that called the render function
        self.cache_hits = 0
        self.state = state if state is not None else {}
        self._side = list(side or [])
        self.cache_size = CACHE_SIZE if cache else 0
        self._cache: collections.OrderedDict = collections.OrderedDict()
        # id(figure) → (figure, outputs): a render that returns a figure it returned before
        # (e.g. a control that changes only a side widget, or the naming toggle refreshing a
        # chart that has no place names) reuses its bundle, and an unchanged chart is not resent
        self._bundles: collections.OrderedDict = collections.OrderedDict()
        self._initial: tuple | None = None   # (figure, summary, plotly spec) of the first view
        self._fw = None
        self.output = w.Output(layout=w.Layout(min_height="120px"))
        self.summary_widget = w.HTML(layout=w.Layout(max_width="900px"))
        head = [w.HTML(f"<h4>{html_text(title)}</h4>")] if title else []
        if intro:
            head.append(w.HTML(f"<p>{intro}</p>"))
        ctrl = layout_controls if layout_controls is not None else list(self.controls.values())
        super().__init__(head + [w.VBox(ctrl), self.output, self.summary_widget] + (extra or []))
        for c in self.controls.values():
            if hasattr(c, "value"):
                c.observe(self._changed, names="value")
        self.update(_first=True)

    @property
    def map(self):
        """The linked folium map, for explorers that draw one beside the chart."""
        return self.state.get("map")

    def values(self) -> dict:
        """Each control's name and the value it holds now."""
        return {k: c.value for k, c in self.controls.items() if hasattr(c, "value")}

    def _changed(self, _change=None):
        self.update()

    def _key(self, vals: dict):
        """Everything the output depends on: control values and the naming policy."""
        from ..naming import get_naming

        try:
            key = (get_naming(), tuple(sorted((k, freeze(v)) for k, v in vals.items())))
            hash(key)
        except TypeError:       # an unhashable control value: render without caching
            return None
        return key

    def update(self, *, _first: bool = False):
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
            except NkteachError as e:       # the data cannot serve this combination
                self._fail(str(e), None)
                return self
            except Exception as e:          # a bug: never dressed as a user message
                if _first:                  # the cell that builds the explorer shows it
                    raise
                self._fail(f"{type(e).__name__}: {e}", e)
                return self
            self.renders += 1
            outputs = self._outputs(fig)
            if key is not None:
                side = tuple(getattr(wdg, trait) for wdg, trait in self._side)
                self._cache[key] = (fig, text, outputs, side, dict(self.state))
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        self.error, self.exception, self.stale = None, None, False
        self.figure, self.summary = fig, text
        if self._initial is None:
            self._initial = (fig, text)
        self._show(fig, outputs)
        self._set_summary(text)
        self.updates += 1
        return self

    # ------------------------------------------------------------------ errors

    def _fail(self, message: str, exc: BaseException | None):
        """Clear what no longer matches the controls and say why (⚠), or show the bug."""
        self.error, self.exception, self.stale = message, exc, True
        self.figure, self.summary = None, ""
        self._clear_figurewidget()
        if exc is None:
            self.output.outputs = ()
            self._set_summary(f"⚠ {message}", alert=True)
        else:
            self.output.outputs = error_outputs(exc)
            self.summary_widget.value = (
                '<div role="alert" class="nkteach-error" style="color:#b00020"><b>Error inside '
                "nkteach</b> (not caused by your choice of controls): please report it with the "
                "traceback above.</div>")
        for wdg, trait in self._side:     # linked outputs (a map) would be stale too
            if trait == "outputs":
                setattr(wdg, trait, ())

    # ------------------------------------------------------------------ drawing

    def _outputs(self, fig) -> tuple:
        """The Output widget's ``outputs`` for ``fig`` (built once per figure object)."""
        if fig is None or (is_plotly(fig) and self.mechanism == "figurewidget"):
            return ()
        hit = self._bundles.get(id(fig))
        if hit is not None and hit[0] is fig:
            self._bundles.move_to_end(id(fig))
            return hit[1]
        if is_plotly(fig):
            spec = plotly_spec(fig)
            if self._initial is None:
                self._initial_spec = spec
            bundle = mime_bundle(fig, spec)
        else:
            bundle = map_bundle(fig)
        outputs = _display_data(bundle)
        self._bundles[id(fig)] = (fig, outputs)
        while len(self._bundles) > BUNDLES_KEPT:
            self._bundles.popitem(last=False)
        return outputs

    def _show(self, fig, outputs: tuple):
        if fig is not None and is_plotly(fig) and self.mechanism == "figurewidget":
            self._draw_figurewidget(fig)
        elif self.output.outputs is not outputs:   # same object: nothing to send
            self.output.outputs = outputs

    def _set_summary(self, text: str, alert: bool = False):
        role = 'role="alert"' if alert else 'role="status" aria-live="polite"'
        self.summary_widget.value = (f'<div {role} class="nkteach-summary"><b>Summary:</b> '
                                     f"{html_text(text)}</div>")

    def _draw_figurewidget(self, fig):
        import plotly.graph_objects as go

        if self._fw is None:
            self._fw = go.FigureWidget(fig)
            self.children = tuple(self._with_fw(self._fw))
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
        self.output.outputs = ()

    def _with_fw(self, fw) -> list:
        """Children with the FigureWidget placed just before the Output (kept for errors)."""
        out = []
        for c in self.children:
            if c is self.output:
                out.append(fw)
            out.append(c)
        return out

    def _clear_figurewidget(self):
        if self._fw is not None:
            with self._fw.batch_update():
                self._fw.data = ()

    # ------------------------------------------------------------------ static fallback

    def _repr_mimebundle_(self, **kwargs):
        """The widget view plus a ``text/html`` fallback for viewers without a kernel.

        JupyterLab (with its widget manager) ranks the widget view above HTML and shows the
        live explorer; a static page (a plain nbconvert export) shows the first view: the
        chart as ``div.nkteach-plotly`` (figure JSON, drawn by the site's one plotly.js) or the
        map's HTML, the text summary, and a line on what moving the controls does."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):      # (data, metadata) form
            data, meta = bundle
            data = dict(data or {})
            data["text/html"] = self.static_html()
            return data, meta
        bundle = dict(bundle or {})
        bundle["text/html"] = self.static_html()
        return bundle

    def static_html(self) -> str:
        """The kernel-free first view: chart or map, summary, what the controls do."""
        fig, text = self._initial if self._initial is not None else (None, self.summary)
        args = (f' data-explorer-args="{html_attr(json.dumps(self.args, sort_keys=True))}"'
                if self.args else "")
        parts = [f'<div class="nkteach-explorer-static" data-explorer="{html_attr(self.name)}"{args}>']
        if self.title:
            parts.append(f"<h4>{html_text(self.title)}</h4>")
        if fig is not None and is_plotly(fig):
            parts.append(static_chart_html(fig, getattr(self, "_initial_spec", None)))
        sid = new_summary_id() if text and fig is not None and is_folium(fig) else None
        if fig is not None and is_folium(fig):
            parts.append(map_bundle(fig, summary_id=sid)["text/html"])   # skip link, titled map
        if text:
            parts.append(summary_html(text, sid))
        parts.append(f'<p class="nkteach-explorer-note"><i>{html_text(self.moves)} {LIVE_NOTE}</i></p>'
                     if self.moves else f'<p class="nkteach-explorer-note"><i>{LIVE_NOTE}</i></p>')
        parts.append("</div>")
        return "".join(parts)
