"""Explorer of the linkage graph between levels of analysis (lesson 6)."""
from __future__ import annotations

import ipywidgets as w

from ..markup import html_text
from ._explorer import (
    NONE,
    Explorer,
    MECHANISM_PARAM,
    check_mechanism,
    chosen_levels,
    level_boxes,
    level_row,
    style,
    validate_params,
)

__all__ = ["linkage_network_explorer", "STEPS"]

STEPS = range(1, 7)   # the choices of "Steps downstream"


def _network_controls(g) -> dict:
    """Start node, steps downstream, one box per level and the 'remove' toggle."""
    # ipywidgets 8 reads a None value as "no selection" (index None): JupyterLab then shows the
    # dropdown blank and drops a choice of "(none)". A real value ("") keeps the option selected.
    opts = [("(none)", NONE)] + [(f"{n} — {nd.label}", n) for n, nd in g.nodes.items()]
    return {
        "start": w.Dropdown(options=opts, value=NONE, description="Start node", style=style(),
                            layout=w.Layout(width="600px")),
        # a dropdown, not an IntSlider: a slider's handle has no accessible name (see _range.py)
        "steps": w.Dropdown(options=[(str(k), k) for k in STEPS], value=1, description="Steps downstream",
                            style=style()),
        **level_boxes(),
        "remove": w.ToggleButton(value=False, description="Remove the start node",
                                 tooltip="Thought experiment: which loops break without it?",
                                 icon="scissors"),
    }


def _without_levels(g, lv: tuple):
    """``g`` without the nodes of the unticked levels (the outcome node always stays)."""
    sub = g
    for n, nd in g.nodes.items():
        if nd.level in ("elite", "nation", "international") and nd.level not in lv:
            sub = sub.without(n)
    return sub


def _edge_text(e) -> str:
    """One link's mechanism, basis and citation as an announced HTML line (every text escaped)."""
    return (f'<div role="status" aria-live="polite"><b>{html_text(str(e))}</b>: '
            f"{html_text(e.mechanism)}"
            + (f" <i>(basis: {html_text(e.basis)})</i>" if e.basis else "")
            + f" — {html_text(e.citation or 'no citation recorded')}</div>")


def _edge_inspector(g) -> tuple:
    """(a dropdown of links, the HTML that shows the chosen link): reading a link's mechanism
    does not redraw the chart."""
    edge_pick = w.Dropdown(options=[("— choose a link —", NONE)] +
                           [(f"{e.edge_id}: {g.nodes[e.source].label} → {g.nodes[e.target].label}",
                             e.edge_id) for e in g.edges],
                           value=NONE, description="Read a link", style=style(),
                           layout=w.Layout(width="600px"))
    edge_text = w.HTML()

    def show_edge(_change=None):
        edge_text.value = "" if not edge_pick.value else _edge_text(g.edge(edge_pick.value))

    edge_pick.observe(show_edge, names="value")
    return edge_pick, edge_text


@validate_params({"mechanism": MECHANISM_PARAM})
def linkage_network_explorer(*, mechanism: str | None = None) -> Explorer:
    """The reconstructed linkage graph: start node, steps downstream, levels shown, and a
    'remove node' thought experiment (L6).

    Parameters
    ----------
    mechanism : {"output", "figurewidget"}, optional
        How the chart is updated (default ``nkteach.widgets.MECHANISM``).

    Returns
    -------
    Explorer
        Controls ``start``, ``steps``, ``level:*`` and ``remove``; ``.edge_inspector`` (a
        dropdown of links) and ``.edge_text`` show one link's mechanism without a redraw.
    """
    from .. import charts, levels

    mechanism = check_mechanism(mechanism)
    g = levels.graph()
    controls = _network_controls(g)
    cache: dict = {}

    def shown_graph(lv: tuple):
        if lv not in cache:
            cache[lv] = _without_levels(g, lv)
        return cache[lv]

    def render(v):   # recent drawings are kept by the Explorer's cache
        sub = shown_graph(tuple(chosen_levels(v)))
        start, notes = v["start"] or None, []
        if start is not None and start not in sub:
            notes.append(f"The start node {start} is hidden because its level is unticked.")
            start = None
        if v["remove"] and start is None and not v["start"]:
            notes.append("Choose a start node to remove it.")
        hl = sub.downstream(start, v["steps"]) if start is not None else None
        removed = start if (v["remove"] and start is not None) else None
        fig = charts.linkage_network(sub, highlight=hl, removed=removed)
        return fig, " ".join([charts.summary(fig)] + notes)

    edge_pick, edge_text = _edge_inspector(g)
    lay = [controls["start"], controls["steps"], level_row(controls), controls["remove"]]
    ex = Explorer("linkage_network_explorer", controls, render, mechanism=mechanism,
                  layout_controls=lay, title="Linkages between levels "
                  "(reconstructed from the thesis text)", extra=[edge_pick, edge_text],
                  moves="Choosing a start node highlights what it leads to within the chosen steps; "
                        "unticking a level hides its nodes; 'Remove' shows which loops break.")
    ex.edge_inspector, ex.edge_text = edge_pick, edge_text
    return ex
