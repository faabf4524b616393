"""The levels-of-analysis framework of thesis 002 as data, and its linkage graph as code.

``LEVELS`` holds the three levels (elite, nation/society, international structure) with the
lens the thesis ties to each (002 §II.A.1–3), a colour-blind-safe colour and a marker shape
(level is never told by colour alone). ``graph()`` builds a :class:`LinkageGraph` from the
``linkages`` and ``linkage_nodes`` datasets — a reconstruction from the thesis text, not the
thesis's own Figure 1 (whose image is not preserved) — with ``downstream``, ``paths``,
``loops`` and ``remove`` for thought experiments. Pure Python: no plotly, no networkx.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterable

from .validation import (
    Anything,
    InvalidArgumentError,
    Name,
    UnknownNameError,
    Whole,
    is_missing,
    unknown_name,
    validate_params,
)

__all__ = ["Level", "LEVELS", "OUTCOME", "LINKAGE", "level", "level_of", "level_key",
           "Edge", "Node", "Reach", "Loop", "Removal", "LinkageGraph", "graph",
           "UnknownNodeError", "UnknownLevelError", "OUTCOME_NODE", "LEVEL_ALIASES"]


@dataclass(frozen=True)
class Level:
    """One level of analysis (or the outcome/linkage pseudo-level used in charts)."""

    key: str                      # "elite" | "nation" | "international" | "outcome" | "linkage"
    code: str                     # "E" | "N" | "I" | "S" | "L"
    label: str
    thesis_names: tuple[str, ...]  # short terms the thesis uses for the level
    lens: str                      # principal paradigm the thesis assigns to the level
    lens_citation: str
    belongs: str                   # what belongs at this level (our paraphrase of 002 §II.A.1–3)
    colour: str                    # Okabe–Ito
    symbol: str                    # plotly marker symbol
    glyph: str                     # text glyph for legends and summaries

    def __str__(self) -> str:
        return f"{self.glyph} {self.label}"


LEVELS: dict[str, Level] = {
    "elite": Level(
        "elite", "E", "Elite",
        ("level of the individual", "decision-making elite", "political and economic elites"),
        "constructivism", "002 §II.A.1",
        "Leaders and ruling groups: their beliefs, identities, perceptions and misperceptions, "
        "career incentives, personal power and wealth.",
        "#D55E00", "diamond", "◆"),
    "nation": Level(
        "nation", "N", "Nation / society",
        ("level of the nation and civil society", "nation and society"),
        "liberalism (with constructivist elements)", "002 §II.A.2",
        "Publics, national identity, public opinion, domestic political competition, economy, "
        "media, education, civil society, migration.",
        "#0072B2", "circle", "●"),
    "international": Level(
        "international", "I", "International structure",
        ("international system", "international structure"),
        "realism", "002 §II.A.3",
        "States under anarchy: great and regional powers, alliances, mediators, and the flows of "
        "arms, energy and trade.",
        "#009E73", "square", "■"),
}

# Not levels of analysis, but drawn beside them: the frozen status quo the linkages lead to,
# and statements that connect two levels (exercise answers "from -> to").
OUTCOME = Level("outcome", "S", "Outcome: frozen status quo", ("intractability",), "", "002 §VI",
                "The frozen status quo / intractability that the linkages sustain.",
                "#000000", "star", "★")
LINKAGE = Level("linkage", "L", "Linkage between levels", (), "", "002 §VI",
                "A mechanism that explicitly connects two levels.", "#000000", "x", "✕")
OUTCOME_NODE = "S"

#: The one table of level aliases: every accepted spelling (lower case) → level key. Keys and
#: codes of the levels and pseudo-levels, plus the words lessons, data and answers use.
LEVEL_ALIASES: dict[str, str] = {
    **{k: lv.key for lv in (*LEVELS.values(), OUTCOME, LINKAGE) for k in (lv.key, lv.code.lower())},
    "individual": "elite", "society": "nation", "nation/society": "nation", "national": "nation",
    "system": "international", "structure": "international", "o": "outcome", "status quo": "outcome",
}
_BY_KEY: dict[str, Level] = {lv.key: lv for lv in (*LEVELS.values(), OUTCOME, LINKAGE)}

_ALLOWED_TEXT = ('"elite"/"E", "nation"/"N", "international"/"I" '
                 '(and "outcome"/"S", "linkage"/"L" for the pseudo-levels)')


class UnknownLevelError(UnknownNameError):
    """A level name or code that is not one of elite/nation/international (or outcome/linkage)."""


#: Hostile values for a level argument (it also accepts :class:`Level` objects and "E;N").
_LEVEL = Anything("a level key, code or alias (LEVEL_ALIASES) or a Level",
                 hostile=Name("elite").hostile())


@validate_params({"key_or_code": _LEVEL}, labels={"key_or_code": "level"})
def level(key_or_code: Any) -> Level:
    """The :class:`Level` for "elite"/"E", "nation"/"N", "international"/"I" (case-insensitive).

    "outcome"/"S" and "linkage"/"L" return the pseudo-levels used in charts.
    A multi-level value such as "E;N" returns its first (primary) level.
    """
    if isinstance(key_or_code, Level):
        return key_or_code
    if not isinstance(key_or_code, str):
        raise InvalidArgumentError(f"level must be a string, got {type(key_or_code).__name__} "
                                   f"{key_or_code!r:.80}; allowed: {_ALLOWED_TEXT}")
    text = key_or_code.strip()
    for sep in (";", ",", "|"):
        if sep in text:
            text = text.split(sep, 1)[0].strip()
    key = LEVEL_ALIASES.get(text.lower())
    if key is None:
        raise unknown_name("level", key_or_code, list(LEVEL_ALIASES), error=UnknownLevelError,
                           what=_ALLOWED_TEXT + ", or an alias")
    return _BY_KEY[key]


level_of = level  # name used in docs/architecture.md


@validate_params({"key_or_code": _LEVEL}, labels={"key_or_code": "level"})
def level_key(key_or_code: Any) -> str:
    """Shorthand for ``level(x).key``."""
    return level(key_or_code).key


# ---------------------------------------------------------------------------------------------
# The linkage graph


class UnknownNodeError(UnknownNameError):
    """A node id (or edge id) that is not in the linkage graph."""


@dataclass(frozen=True)
class Node:
    """A factor of the linkage graph: its id, primary level, label, description and every level."""

    node_id: str
    level: str            # level key of the primary level ("outcome" for S)
    label: str
    description: str = ""
    levels: tuple[str, ...] = ()   # every level the node belongs to (e.g. the diaspora: N and I)


@dataclass(frozen=True)
class Edge:
    """A linkage ``source → target`` with its mechanism, basis, citation and named loops."""

    edge_id: str
    source: str
    target: str
    mechanism: str = ""
    basis: str = ""
    citation: str = ""
    figure_edge: str = ""          # edge number in our reconstruction of 002 Figure 1 (§VI)
    loops: tuple[str, ...] = ()    # named loops (data: linkage_loops) this edge belongs to

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


@dataclass(frozen=True)
class Reach:
    """What ``downstream(node, k)`` reaches: node → number of steps, and the edges used."""

    start: str
    k: int
    distances: dict[str, int]
    edges: tuple[str, ...]

    @property
    def nodes(self) -> list[str]:
        """The nodes reached (the start included), nearest first."""
        return list(self.distances)

    def __str__(self) -> str:
        by_step = defaultdict(list)
        for n, d in self.distances.items():
            by_step[d].append(n)
        steps = "; ".join(f"step {d}: {', '.join(ns)}" for d, ns in sorted(by_step.items()) if d)
        return f"Within {self.k} step(s) of {self.start}: {steps or 'nothing'} ({len(self.edges)} links)"


@dataclass(frozen=True)
class Loop:
    """A reinforcing cycle: nodes in order (the first is not repeated at the end)."""

    nodes: tuple[str, ...]
    edges: tuple[str, ...]
    name: str = ""

    def __str__(self) -> str:
        chain = " → ".join((*self.nodes, self.nodes[0]))
        return f"{self.name}: {chain}" if self.name else chain


@dataclass
class Removal:
    """What breaks when one node is taken out of the graph (see ``LinkageGraph.remove``)."""

    node: str
    label: str
    edges_lost: list[Edge]
    loops_broken: list[Loop]
    loops_kept: list[Loop]
    paths_before: int
    paths_after: int
    cut_off: list[str]              # nodes that reached the outcome before and no longer do
    outcome: str = OUTCOME_NODE
    named_loops_hit: dict[str, list[str]] = field(default_factory=dict)  # loop name → edges lost

    def __str__(self) -> str:
        lines = [f"Removing {self.node} ({self.label}):",
                 f"- {len(self.edges_lost)} link(s) lost: "
                 + (", ".join(f"{e.edge_id} {e}" for e in self.edges_lost) or "none")]
        total = len(self.loops_broken) + len(self.loops_kept)
        lines.append(f"- {len(self.loops_broken)} of {total} loop(s) broken"
                     + (": " + "; ".join(str(lp) for lp in self.loops_broken) if self.loops_broken else ""))
        if self.node == self.outcome:
            lines.append(f"- {self.outcome} itself is removed: no path leads to the outcome")
        else:
            lines.append(f"- paths to {self.outcome}: {self.paths_before} before, {self.paths_after} after"
                         f" ({self.paths_before - self.paths_after} cut)")
            if self.cut_off:
                lines.append(f"- no longer reach {self.outcome}: {', '.join(self.cut_off)}")
        for name, eids in self.named_loops_hit.items():
            lines.append(f"- named loop '{name}' loses link(s) {', '.join(eids)}")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return str(self).replace("\n-", "\n\n-")


def _text(v: Any) -> str:
    return "" if is_missing(v) else str(v).strip()


def _split(v: Any) -> tuple[str, ...]:
    t = _text(v)
    return tuple(p.strip() for p in t.replace("|", ";").split(";") if p.strip()) if t else ()


def _node_levels(raw: Any, node_id: str) -> tuple[str, ...]:
    parts = _split(raw)
    if not parts:
        if node_id == OUTCOME_NODE:
            return ("outcome",)
        # Fall back on the id's prefix (E1 → elite), the node-id convention of the linkages data.
        parts = (node_id[:1],)
    keys = []
    for p in parts:
        try:
            keys.append(level(p).key)          # "nation/society" style labels
            continue
        except ValueError:
            pass
        for q in p.replace("↔", ";").replace("/", ";").split(";"):
            try:
                keys.append(level(q.strip()).key)
            except ValueError:
                pass
    # A node that names no level (e.g. an intermediate event) is drawn as a linkage node.
    return tuple(dict.fromkeys(keys)) or ("linkage",)


def _rows(table: Any, arg: str = "table") -> list[dict]:
    if table is None:
        return []
    if hasattr(table, "to_dict") and hasattr(table, "columns"):
        return table.to_dict(orient="records")
    if isinstance(table, (str, bytes, dict)) or not isinstance(table, Iterable):
        raise InvalidArgumentError(f"{arg} (a linkage table) must be a DataFrame or a list of row "
                                   f"dicts, got {type(table).__name__} {table!r:.80}")
    rows = list(table)
    bad = [r for r in rows if not isinstance(r, dict)]
    if bad:
        raise InvalidArgumentError(f"{arg} {table!r:.80}: every row of a linkage table must be a dict "
                                   f"of column → value (allowed), got the row {bad[0]!r:.80}")
    return [dict(r) for r in rows]


#: A node argument: a node id of the graph (membership is checked by ``LinkageGraph.check``).
_NODE = Name("E1", error=UnknownNodeError)


class LinkageGraph:
    """A directed graph of linkages between factors at the three levels and the outcome ``S``."""

    def __init__(self, nodes: Iterable[Node], edges: Iterable[Edge], *, source: str = ""):
        self.nodes: dict[str, Node] = {n.node_id: n for n in nodes}
        self.edges: list[Edge] = sorted(edges, key=lambda e: _edge_sort_key(e.edge_id))
        self.source = source
        for e in self.edges:
            for end in (e.source, e.target):
                if end not in self.nodes:
                    lv = _node_levels("", end)
                    self.nodes[end] = Node(end, lv[0], end, levels=lv)
        self._out: dict[str, list[Edge]] = defaultdict(list)
        for e in self.edges:
            self._out[e.source].append(e)
        self._loops: list[Loop] | None = None

    # -- basic access ---------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"LinkageGraph({len(self.nodes)} nodes, {len(self.edges)} edges)"

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def check(self, node: Any, arg: str = "node") -> str:
        """Return ``node`` if it is a node id of this graph; otherwise raise UnknownNodeError
        (its message names the argument ``arg``, the value and the graph's node ids)."""
        if isinstance(node, str) and node in self.nodes:
            return node
        if isinstance(node, str) and node.strip().upper() in self.nodes:
            return node.strip().upper()
        if not isinstance(node, str):
            raise UnknownNodeError(f"{arg} must be a node id (a string such as 'E1'), got "
                                   f"{type(node).__name__} {node!r:.80}; allowed: {', '.join(self.nodes)}")
        raise unknown_name(arg, node, list(self.nodes), error=UnknownNodeError,
                           what=", ".join(f"{n} = {self.nodes[n].label}" for n in self.nodes))

    @validate_params({"node_id": _NODE}, labels={"node_id": "node"})
    def node(self, node_id: str) -> Node:
        """The :class:`Node` with id ``node_id``."""
        return self.nodes[self.check(node_id)]

    @validate_params({"edge_id": Name("L01", error=UnknownNodeError)})
    def edge(self, edge_id: str) -> Edge:
        """The :class:`Edge` with id ``edge_id``."""
        for e in self.edges:
            if e.edge_id == edge_id:
                return e
        raise unknown_name("edge_id", edge_id, [e.edge_id for e in self.edges], error=UnknownNodeError,
                           what="edge ids of this graph")

    @validate_params({"node_id": _NODE}, labels={"node_id": "node"})
    def level_of(self, node_id: str) -> Level:
        """The :class:`Level` of node ``node_id`` (its primary level)."""
        return level(self.node(node_id).level)

    @validate_params({"node_id": _NODE}, labels={"node_id": "node"})
    def successors(self, node_id: str) -> list[str]:
        """Nodes one link downstream of ``node_id``, each once, in edge order."""
        return list(dict.fromkeys(e.target for e in self._out.get(self.check(node_id), [])))

    @validate_params({"a": _NODE, "b": _NODE}, labels={"a": "node a", "b": "node b"})
    def edges_between(self, a: str, b: str) -> list[Edge]:
        """Every edge from node ``a`` to node ``b`` (an unknown node is an error, not ``[]``)."""
        a, b = self.check(a, "node a"), self.check(b, "node b")
        return [e for e in self._out.get(a, []) if e.target == b]

    @validate_params({"level_key_or_code": _LEVEL}, labels={"level_key_or_code": "level"})
    def nodes_at(self, level_key_or_code: Any) -> list[str]:
        """Ids of the nodes whose primary level is ``level_key_or_code``."""
        key = level(level_key_or_code).key
        return [n for n, nd in self.nodes.items() if nd.level == key]

    # -- questions -------------------------------------------------------------------------
    @validate_params({"node": _NODE, "k": Whole(lo=0)})
    def downstream(self, node: str, k: int = 1) -> Reach:
        """Nodes and edges reachable from ``node`` within ``k`` steps (breadth first)."""
        start = self.check(node)
        dist = {start: 0}
        used: list[str] = []
        frontier = [start]
        # A user-given count never drives the loop: after len(nodes) steps nothing new is
        # reachable, and an empty frontier ends it at once (k=10**12 used to hang).
        for step in range(1, min(k, len(self.nodes)) + 1):
            if not frontier:
                break
            nxt = []
            for n in frontier:
                for e in self._out.get(n, []):
                    used.append(e.edge_id)
                    if e.target not in dist:
                        dist[e.target] = step
                        nxt.append(e.target)
            frontier = nxt
        return Reach(start, k, dist, tuple(dict.fromkeys(used)))

    @validate_params({"a": _NODE, "b": _NODE, "max_len": Whole(lo=1)}, labels={"a": "node a", "b": "node b"})
    def paths(self, a: str, b: str, max_len: int = 6) -> list[list[str]]:
        """Every simple path (list of node ids) from ``a`` to ``b`` with at most ``max_len`` links,
        shortest first."""
        a, b = self.check(a, "node a"), self.check(b, "node b")      # simple paths: bounded by the node count
        found: list[list[str]] = []
        stack = [(a, [a])]
        while stack:
            n, path = stack.pop()
            if len(path) - 1 >= max_len:
                continue
            for t in self.successors(n):
                if t == b:
                    found.append(path + [t])
                elif t not in path:
                    stack.append((t, path + [t]))
        found.sort(key=lambda p: (len(p), p))
        return found

    def path_edges(self, path: list[str]) -> list[str]:
        """Edge ids along a node path (every parallel edge between consecutive nodes)."""
        return [e.edge_id for x, y in zip(path, path[1:]) for e in self._out.get(x, []) if e.target == y]

    @validate_params({"max_len": Whole(lo=1, optional=True)})
    def loops(self, max_len: int | None = None) -> list[Loop]:
        """The reinforcing cycles (every simple cycle, or those up to ``max_len`` nodes), shortest first.

        A cycle gets the name of a named loop (``linkage_loops``, if the dataset records them) when all
        its edges belong to that named loop.
        """
        if max_len is None:
            if self._loops is not None:
                return list(self._loops)
            limit = len(self.nodes)
        else:
            limit = min(max_len, len(self.nodes))
        order = {n: i for i, n in enumerate(self.nodes)}
        cycles: list[tuple[str, ...]] = []
        for s in self.nodes:
            si = order[s]
            stack = [(s, (s,))]
            while stack:
                n, path = stack.pop()
                for t in self.successors(n):
                    if t == s:
                        cycles.append(path)
                    elif order[t] > si and t not in path and len(path) < limit:
                        stack.append((t, path + (t,)))
        named = self.named_loops()
        out = []
        for c in cycles:
            eids = tuple(self.path_edges(list(c) + [c[0]]))
            name = next((nm for nm, members in named.items()
                         if all(any(e.edge_id == x for e in self._out.get(u, []) if e.target == v
                                    for x in members)
                                for u, v in zip(c, c[1:] + (c[0],)))), "")
            out.append(Loop(c, eids, name))
        out.sort(key=lambda lp: (len(lp.nodes), lp.nodes))
        if max_len is None:
            self._loops = out
        return list(out)

    def named_loops(self) -> dict[str, list[str]]:
        """Loops the dataset names (edge column ``loops``): loop name → edge ids."""
        named: dict[str, list[str]] = defaultdict(list)
        for e in self.edges:
            for nm in e.loops:
                named[nm].append(e.edge_id)
        return dict(named)

    @validate_params({"node": _NODE})
    def loops_through(self, node: str) -> list[Loop]:
        """The loops (see :meth:`loops`) that pass through ``node``."""
        node = self.check(node)
        return [lp for lp in self.loops() if node in lp.nodes]

    @validate_params({"node": _NODE})
    def without(self, node: str) -> LinkageGraph:
        """A copy of the graph with ``node`` and its edges taken out."""
        node = self.check(node)
        return LinkageGraph([n for k, n in self.nodes.items() if k != node],
                            [e for e in self.edges if node not in (e.source, e.target)],
                            source=self.source)

    @validate_params({"node": _NODE, "outcome": _NODE}, labels={"outcome": "outcome node"})
    def remove(self, node: str, outcome: str = OUTCOME_NODE) -> Removal:
        """Thought experiment: what breaks if ``node`` is taken away — edges lost, loops broken,
        paths to the outcome node cut."""
        node = self.check(node)
        if outcome != OUTCOME_NODE:           # a graph without S keeps the default quietly
            outcome = self.check(outcome, "outcome node")
        has_outcome = outcome in self.nodes
        lost = [e for e in self.edges if node in (e.source, e.target)]
        loops = self.loops()
        broken = [lp for lp in loops if node in lp.nodes]
        kept = [lp for lp in loops if node not in lp.nodes]
        before = after = 0
        cut: list[str] = []
        if has_outcome and node != outcome:
            g2 = self.without(node)
            for n in self.nodes:
                if n == outcome:
                    continue
                nb = len(self.paths(n, outcome))
                na = len(g2.paths(n, outcome)) if n != node else 0
                before, after = before + nb, after + na
                if nb and not na and n != node:
                    cut.append(n)
        lost_ids = {e.edge_id for e in lost}
        hit = {nm: [x for x in members if x in lost_ids]
               for nm, members in self.named_loops().items() if lost_ids & set(members)}
        return Removal(node, self.nodes[node].label, lost, broken, kept, before, after, cut,
                       outcome, hit)

    def to_records(self) -> tuple[list[dict], list[dict]]:
        """(nodes, edges) as lists of dicts, for tables and widgets."""
        return ([n.__dict__.copy() for n in self.nodes.values()],
                [e.__dict__.copy() for e in self.edges])


def _edge_sort_key(eid: str):
    digits = "".join(ch for ch in eid if ch.isdigit())
    return (int(digits) if digits else 10**9, eid)


_TABLE = Anything("a DataFrame or a list of row dicts, or None",
                  hostile=[("text", "linkages"), ("int", 3), ("dict", {"a": 1}), ("int-rows", [1, 2]),
                           ("nan", float("nan"))])


def _default_tables(edges, nodes, loops) -> tuple:
    """The package datasets in place of the tables given as None (loops only with the package
    edges). Only an absent optional table is tolerated; a damaged one (DataIntegrityError) surfaces."""
    from .data import UnknownDatasetError, load

    if edges is None:
        edges = load("linkages")
        if loops is None:
            try:
                loops = load("linkage_loops")
            except UnknownDatasetError:  # named loops are optional
                loops = None
    if nodes is None:
        try:
            nodes = load("linkage_nodes")
        except UnknownDatasetError:  # a bare edge table is enough to build a graph
            nodes = None
    return edges, nodes, loops


def _edge_rows(edges) -> list[dict]:
    """The edge table's rows, refused when the columns every edge needs are missing."""
    erows = _rows(edges, "edges")
    required = ("edge_id", "source", "target")
    if erows:
        missing = [c for c in required if c not in erows[0]]
        if missing:
            raise InvalidArgumentError(f"linkage edges need columns {', '.join(required)}; "
                                       f"missing {missing}")
    return erows


def _node_objects(nrows: list[dict], erows: list[dict]) -> list[Node]:
    """The node table's nodes, then those named only in the edge table (their level from
    source_level / target_level)."""
    node_objs: list[Node] = []
    for r in nrows:
        nid = _text(r.get("node_id"))
        if not nid:
            raise InvalidArgumentError(f"linkage node row without node_id: {r}")
        lvls = _node_levels(r.get("level"), nid)
        node_objs.append(Node(nid, lvls[0], _text(r.get("label")) or nid,
                              _text(r.get("description")), lvls))
    seen = {n.node_id for n in node_objs}
    for r in erows:
        for end, lcol in (("source", "source_level"), ("target", "target_level")):
            nid = _text(r.get(end))
            if nid and nid not in seen:
                lvls = _node_levels(r.get(lcol), nid)
                node_objs.append(Node(nid, lvls[0], nid, "", lvls))
                seen.add(nid)
    return node_objs


def _loops_by_figure_edge(loops) -> dict[str, list[str]]:
    """Figure edge number → the names of the loops that run through it."""
    by_figure_edge: dict[str, list[str]] = defaultdict(list)
    for r in _rows(loops, "loops"):
        name = _text(r.get("name")) or _text(r.get("loop_id"))
        for fe in _split(r.get("figure_edges")):
            by_figure_edge[fe].append(name)
    return by_figure_edge


def _edge_objects(erows: list[dict], by_figure_edge: dict[str, list[str]]) -> list[Edge]:
    """One :class:`Edge` per row, with the loops named on it or through its figure edge."""
    edge_objs = []
    for r in erows:
        fe = _text(r.get("figure_edge"))
        if fe.endswith(".0"):  # a float column read back from CSV
            fe = fe[:-2]
        names = (*_split(r.get("loops", r.get("loop"))), *by_figure_edge.get(fe, ()))
        edge_objs.append(Edge(_text(r["edge_id"]), _text(r["source"]), _text(r["target"]),
                              _text(r.get("mechanism")), _text(r.get("basis")),
                              _text(r.get("citation")), fe, tuple(dict.fromkeys(names))))
    return edge_objs


@validate_params({"edges": _TABLE, "nodes": _TABLE, "loops": _TABLE})
def graph(edges: Any = None, nodes: Any = None, loops: Any = None) -> LinkageGraph:
    """Build the :class:`LinkageGraph` from the ``linkages`` edges and ``linkage_nodes`` tables.

    ``None`` loads the package datasets (and, with the package edges, the named loops of
    ``linkage_loops``). Tables may be DataFrames or lists of dicts with the columns of
    docs/architecture.md. Named loops come from ``loops`` (columns name,
    figure_edges = ";"-separated figure edge numbers) or from a ``loops`` column on the edges.
    """
    edges, nodes, loops = _default_tables(edges, nodes, loops)
    attrs = getattr(edges, "attrs", None) or {}
    source = attrs.get("citation") or attrs.get("source") or ""
    erows = _edge_rows(edges)
    node_objs = _node_objects(_rows(nodes, "nodes"), erows)
    edge_objs = _edge_objects(erows, _loops_by_figure_edge(loops))
    return LinkageGraph(node_objs, edge_objs, source=source)
