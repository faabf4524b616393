"""Explorer of the linkage graph between levels of analysis (lesson 6)."""
from __future__ import annotations

import ipywidgets as w

from ..markup import html_text
from ._explorer import (
    Explorer,
    MECHANISM_PARAM,
    check_mechanism,
    chosen_levels,
    level_boxes,
    level_row,
    style,
    validate_params,
)

__all__ = ["linkage_network_explorer"]


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
    opts = [("(none)", None)] + [(f"{n} — {nd.label}", n) for n, nd in g.nodes.items()]
    controls = {
        "start": w.Dropdown(options=opts, value=None, description="Start node", style=style(),
                            layout=w.Layout(width="600px")),
        "steps": w.IntSlider(value=1, min=1, max=6, description="Steps downstream",
                             continuous_update=False, style=style()),
        **level_boxes(),
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
        sub = shown_graph(tuple(chosen_levels(v)))
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
                           value=None, description="Read a link", style=style(),
                           layout=w.Layout(width="600px"))
    edge_text = w.HTML()

    def show_edge(_change=None):
        if edge_pick.value is None:
            edge_text.value = ""
            return
        e = g.edge(edge_pick.value)
        edge_text.value = (f'<div role="status" aria-live="polite"><b>{html_text(str(e))}</b>: '
                           f"{html_text(e.mechanism)}"
                           + (f" <i>(basis: {html_text(e.basis)})</i>" if e.basis else "")
                           + f" — {html_text(e.citation or 'no citation recorded')}</div>")

    edge_pick.observe(show_edge, names="value")
    lay = [controls["start"], controls["steps"], level_row(controls), controls["remove"]]
    ex = Explorer("linkage_network_explorer", controls, render, mechanism=mechanism,
                  layout_controls=lay, title="Linkages between levels "
                  "(reconstructed from the thesis text)", extra=[edge_pick, edge_text],
                  moves="Choosing a start node highlights what it leads to within the chosen steps; "
                        "unticking a level hides its nodes; 'Remove' shows which loops break.")
    ex.edge_inspector, ex.edge_text = edge_pick, edge_text
    return ex
