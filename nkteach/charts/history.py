"""History: the timeline of events by level and the linkage network between the levels."""
from __future__ import annotations

import math
import re
import textwrap
from typing import Any

from .. import levels as _levels
from ..validation import Anything, InvalidArgumentError, Names, Table, YearPair, check_names, unknown_name
from ._base import GREYS, Draft, Parts, chart, flagged, load, na, source_of, src, year_range

__all__ = ["linkage_network", "timeline"]

_TABLE = Anything("a DataFrame or a list of row dicts, or None",
                  hostile=[("text", "linkages"), ("int", 3), ("dict", {"a": 1})])

# ---------------------------------------------------------------------------------------------
# Timeline, coloured and shaped by level

_DATE = re.compile(r"^(-?)(\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_LANE = {"elite": 3, "nation": 2, "international": 1}


def _decimal_year(text: Any) -> float | None:
    m = _DATE.match(str(text).strip()) if not na(text) else None
    if not m:
        return None
    y = int(m.group(2)) * (-1 if m.group(1) else 1)
    mo = int(m.group(3) or 1)
    d = int(m.group(4) or 1)
    return y + (mo - 1) / 12 + (d - 1) / 365


def _timeline_subset(df, years, levels_):
    df = load(df, "timeline", ("event_id", "date_start", "event", "levels", "citation"))
    x = df["date_start"].map(_decimal_year)
    bad = df[x.isna()]
    if len(bad):
        raise InvalidArgumentError(f"timeline rows with unreadable date_start: {list(bad['event_id'])[:5]}")
    lo, hi = int(math.floor(x.min())), int(math.floor(x.max()))
    a, b = year_range("years", years, lo, hi, "the timeline")
    keep = (x >= a) & (x < b + 1)
    if levels_ is not None:
        if isinstance(levels_, (list, tuple, set, frozenset)):   # "E", "Elite" → "elite"
            levels_ = [_levels.LEVEL_ALIASES.get(v.strip().lower(), v) if isinstance(v, str) else v
                       for v in levels_]
        lv = check_names("levels", levels_, list(_LANE))
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
    parts.append(src(df))
    return " ".join(parts)



@chart("timeline", params={
    "df": Table("timeline"), "years": YearPair(), "levels": Names(example=["elite"], optional=True)})
def timeline(df=None, *, years=None, levels=None) -> Draft:
    """Events in three lanes (elite / nation / international) by their primary level, coloured
    AND shaped by level; hover shows the date, the event and its citation."""
    df, sub, (a, b), lv = _timeline_subset(df, years, levels)
    text = _timeline_text(df, sub, (a, b))

    def draw() -> Parts:
        data, legend = [], []
        for key in _LANE:
            if key not in lv:
                continue
            s = sub[sub["_level"] == key]
            L = _levels.level(key)
            date = s["date_text"] if "date_text" in s.columns else s["date_start"]
            hover = [f"{d}: {textwrap.shorten(str(e), 140)}<br>{c}" + (f" ⚠ {f}" if flagged(f) else "")
                     for d, e, c, f in zip(date, s["event"], s["citation"],
                                           s["flag"] if "flag" in s.columns else [None] * len(s))]
            # Three sub-rows per lane so that events close in time do not hide one another.
            ys = [_LANE[key] + ((i % 3) - 1) * 0.2 for i in range(len(s))]
            data.append(dict(type="scatter", x=list(s["_x"]), y=ys, mode="markers", name=str(L),
                             marker=dict(symbol=L.symbol, size=12, color=L.colour, opacity=0.85,
                                         line=dict(width=1, color=GREYS["white"])),
                             customdata=list(s["event_id"]), hovertext=hover, hoverinfo="text"))
            legend.append(str(L))
        return Parts(data, dict(
            title=f"Timeline {a}–{b}, by level (first shown level of each event)",
            xaxis=dict(title=dict(text="Year"), range=[a - 0.5, b + 1.5], tickformat="d"),
            yaxis=dict(tickmode="array", tickvals=[3, 2, 1], ticktext=[str(_levels.level(k)) for k in _LANE],
                       range=[0.4, 3.6], showgrid=False, title=None),
            height=460),
            notes=["Events with several levels are placed by their first level among those shown."],
            legend=legend)

    return Draft(text, source_of(df), draw)


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
        return {g.check(highlight, "highlight")}, set()
    if hasattr(highlight, "distances"):  # Reach
        return set(highlight.distances), set(highlight.edges)
    if isinstance(highlight, _levels.Loop):
        return set(highlight.nodes), set(highlight.edges)
    if isinstance(highlight, dict):
        nodes = {g.check(n, "highlight") for n in highlight.get("nodes", ())}
        eids = set(highlight.get("edges", ()))
        known = {e.edge_id for e in g.edges}
        for bad in sorted(eids - known):
            raise unknown_name("highlight: edge", bad, sorted(known), what="edge ids of the graph")
        return nodes | {n for e in g.edges if e.edge_id in eids for n in (e.source, e.target)}, eids
    if not isinstance(highlight, (list, tuple)):
        raise InvalidArgumentError(
            f"highlight must be a node id, a list of node ids (a path), a Reach, a Loop or a dict "
            f"{{'nodes': [...], 'edges': [...]}}, got {highlight!r} ({type(highlight).__name__})")
    if not highlight:
        raise InvalidArgumentError("highlight is empty: choose at least one node id, or pass None")
    path = [g.check(n, "highlight") for n in highlight]
    return set(path), set(g.path_edges(path))


def _removed_list(g, removed) -> list[str]:
    if removed is None:
        return []
    if isinstance(removed, str):           # one node id (the explorer's thought experiment)
        return [g.check(removed, "removed")]
    if not isinstance(removed, (list, tuple, set, frozenset)):
        raise InvalidArgumentError(f"removed must be a node id or a list of node ids, got {removed!r} "
                                   f"({type(removed).__name__})")
    if not removed:
        raise InvalidArgumentError("removed is empty: choose at least one node id, or pass None")
    return [g.check(r, "removed") for r in removed]


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



def _edge_ends(pos, e, pairs) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a link; the two directions of a two-way link are offset sideways."""
    (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
    if (e.target, e.source) in pairs:
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy) or 1.0
        ox, oy = -dy / norm * 0.07, dx / norm * 0.07
        x0, y0, x1, y1 = x0 + ox, y0 + oy, x1 + ox, y1 + oy
    return x0, y0, x1, y1


def _edge_marks(g, pos, gone: set, hl_edges) -> tuple[list[dict], dict]:
    """(an arrow annotation per link, the trace of hover points at the links' midpoints)."""
    pairs = {(e.source, e.target) for e in g.edges}
    mids_x, mids_y, mids_text, mids_id = [], [], [], []
    arrows: list[dict] = []
    for e in g.edges:
        x0, y0, x1, y1 = _edge_ends(pos, e, pairs)
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
    mids = dict(type="scatter", x=mids_x, y=mids_y, mode="markers", name="link (hover for mechanism)",
                marker=dict(size=7, color=GREYS["mid"], opacity=0.35, symbol="circle"),
                customdata=mids_id, hovertext=mids_text, hoverinfo="text", showlegend=False)
    return arrows, mids


def _node_trace(g, pos, ids: list, key: str, gone: set, hl_nodes) -> dict:
    """The trace of one level's factors: crossed out when removed, larger when highlighted."""
    L = _levels.level(key)
    big = key == "outcome"
    return dict(
        type="scatter", x=[pos[n][0] for n in ids], y=[pos[n][1] for n in ids],
        mode="markers+text", name=str(L),
        marker=dict(symbol=[("x-thin-open" if n in gone else L.symbol) for n in ids],
                    size=[(26 if n in hl_nodes else 19) if big else (22 if n in hl_nodes else 15)
                          for n in ids],
                    color=[GREYS["mid"] if n in gone else L.colour for n in ids],
                    line=dict(width=[3 if n in hl_nodes else 1 for n in ids],
                              color=["#000000" if n in hl_nodes else GREYS["white"] for n in ids])),
        text=[(f"<b>{n}</b> " if n in hl_nodes else f"{n} ") + "<br>".join(
            textwrap.wrap(g.nodes[n].label, 22)) for n in ids],
        textposition="top center", textfont=dict(size=13), customdata=ids,
        hovertext=[f"{n} {g.nodes[n].label}: "
                   f"{textwrap.shorten(g.nodes[n].description or g.nodes[n].label, 120)}"
                   for n in ids], hoverinfo="text")


def _node_traces(g, pos, gone: set, hl_nodes) -> tuple[list[dict], list[str]]:
    """(one trace per level that has factors, the legend names)."""
    data, legend = [], []
    for key in ("elite", "nation", "international", "outcome", "linkage"):
        ids = [n for n in g.nodes if g.nodes[n].level == key]
        if ids:
            data.append(_node_trace(g, pos, ids, key, gone, hl_nodes))
            legend.append(str(_levels.level(key)))
    return data, legend


@chart("linkage_network", params={
    "edges": _TABLE, "nodes": _TABLE,
    "highlight": Anything("a node id, a path, a Reach, a Loop or a dict of nodes and edges", hostile=[
        ("junk-node", "no-such-node"), ("near-miss", "E"), ("empty", []), ("int", 3),
        ("junk-edges", {"edges": ["L99"]})]),
    "removed": Anything("a node id or a list of node ids", hostile=[
        ("junk-node", "no-such-node"), ("empty", []), ("int", 3), ("junk-list", ["nope"])])})
def linkage_network(edges=None, nodes=None, *, highlight=None, removed=None) -> Draft:
    """The linkage network in three columns (Elite / Nation / International) plus the outcome
    row; ``highlight`` (node, node path, ``downstream`` Reach or Loop) is drawn wider and darker,
    ``removed`` nodes are crossed out with their links faded. ``edges`` may be a LinkageGraph."""
    g = _as_graph(edges, nodes)
    hl_nodes, hl_edges = _selection(g, highlight)
    gone = set(_removed_list(g, removed))
    text = _network_text(g, hl_nodes, hl_edges, removed)

    def draw() -> Parts:
        pos = _layout(g)
        arrows, mids = _edge_marks(g, pos, gone, hl_edges)
        nodes, legend = _node_traces(g, pos, gone, hl_nodes)
        ys = [p[1] for p in pos.values()] or [0]
        heads = [dict(x=x, y=max(ys) + 1.5, xref="x", yref="y", showarrow=False,
                      text=f"<b>{_levels.level(key)}</b>", font=dict(size=14)) for key, x in _COLUMN.items()]
        return Parts([mids, *nodes], dict(
            title="Linkages between the levels — reconstructed from the thesis text (002)",
            xaxis=dict(visible=False, range=[-0.9, 3.9], fixedrange=True),
            yaxis=dict(visible=False, range=[min(ys) - 0.8, max(ys) + 1.8], fixedrange=True),
            height=max(560, 80 * (max(ys) - min(ys)) + 300), hovermode="closest", _axis_band=12),
            notes=[_NETWORK_CAPTION + " Wide black arrows: highlighted links. Hover over a factor for "
                   "its name and description."],
            annotations=arrows + heads, legend=legend)

    return Draft(text, g.source or "linkages dataset", draw)
