"""nkteach.levels: the framework as data and the linkage graph (002 §II.A; 002 Figure 1, reconstructed)."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from nkteach import levels as L
from tests.support.paths import ROOT, require

CURATED = ROOT / "data" / "curated"


def test_levels_table_matches_brief():
    assert list(L.LEVELS) == ["elite", "nation", "international"]
    e, n, i = (L.LEVELS[k] for k in L.LEVELS)
    assert (e.colour, e.symbol, e.code) == ("#D55E00", "diamond", "E")
    assert (n.colour, n.symbol, n.code) == ("#0072B2", "circle", "N")
    assert (i.colour, i.symbol, i.code) == ("#009E73", "square", "I")
    assert e.lens == "constructivism" and e.lens_citation == "002 §II.A.1"
    assert n.lens.startswith("liberalism") and "constructivist" in n.lens and n.lens_citation == "002 §II.A.2"
    assert i.lens == "realism" and i.lens_citation == "002 §II.A.3"
    # Level is never told by colour alone: symbols and colours are all distinct.
    assert len({lv.symbol for lv in L.LEVELS.values()}) == 3
    assert L.OUTCOME.colour == "#000000"


@pytest.mark.parametrize("arg,key", [("elite", "elite"), ("E", "elite"), ("e", "elite"),
                                     ("nation", "nation"), ("N", "nation"),
                                     ("international", "international"), ("I", "international"),
                                     ("I;E", "international"), ("S", "outcome")])
def test_level_lookup(arg, key):
    assert L.level(arg).key == key


@pytest.mark.parametrize("bad", ["X", "", "elites!", 3, None])
def test_level_lookup_errors_name_allowed(bad):
    with pytest.raises(ValueError) as ei:
        L.level(bad)
    assert '"elite"/"E"' in str(ei.value) and repr(bad) in str(ei.value)


def test_levels_import_is_light():
    code = "import sys, nkteach.levels; print(any(m.startswith(('plotly', 'pandas')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


# A small graph written from the Figure 1 reconstruction (edges 1, 2, 3, 4, 5, 7, 8, 9), independent
# of the data files.
FIGURE_EDGES = [("1", "I1", "E1"), ("2", "I1", "I2"), ("3", "I2", "I3"), ("4", "I3", "S"), ("5", "E1", "S"),
               ("7", "E1", "N1"), ("7", "E1", "N2"), ("7", "E2", "N1"), ("7", "E2", "N2"),
               ("8", "N1", "E2"), ("8", "N2", "E2"), ("9", "E2", "N2"), ("9", "N2", "E1")]


@pytest.fixture()
def small():
    edges = pd.DataFrame([{"edge_id": f"L{i:02d}", "figure_edge": fe, "source": s, "target": t}
                          for i, (fe, s, t) in enumerate(FIGURE_EDGES, 1)])
    loops = [{"name": "Elite–society nationalism loop", "figure_edges": "7;8"},
             {"name": "Cross-border fear loop", "figure_edges": "9"}]
    return L.graph(edges, nodes=[], loops=loops)


def test_node_levels_from_ids(small):
    assert small.nodes["E1"].level == "elite"
    assert small.nodes["N2"].level == "nation"
    assert small.nodes["I3"].level == "international"
    assert small.nodes["S"].level == "outcome"


def test_downstream(small):
    r1 = small.downstream("I1", 1)
    assert set(r1.nodes) == {"I1", "E1", "I2"}
    r2 = small.downstream("I1", 2)
    assert set(r2.nodes) == {"I1", "E1", "I2", "S", "N1", "N2", "I3"}
    assert r2.distances["N1"] == 2 and r2.distances["E1"] == 1
    assert set(small.downstream("I1", 0).nodes) == {"I1"}
    with pytest.raises(ValueError):
        small.downstream("I1", -1)


def test_paths(small):
    ps = small.paths("I1", "S")
    assert ["I1", "E1", "S"] in ps and ["I1", "I2", "I3", "S"] in ps
    assert ps[0] == ["I1", "E1", "S"]  # shortest first
    assert all(len(set(p)) == len(p) for p in ps)  # simple paths
    assert small.paths("I1", "S", max_len=2) == [["I1", "E1", "S"]]
    assert small.paths("S", "I1") == []


def test_loops_and_names(small):
    loops = small.loops()
    as_sets = [set(lp.nodes) for lp in loops]
    assert {"E2", "N1"} in as_sets and {"E2", "N2"} in as_sets and {"E1", "N2"} in as_sets
    named = {frozenset(lp.nodes): lp.name for lp in loops}
    assert named[frozenset({"E2", "N1"})] == "Elite–society nationalism loop"
    assert set(small.named_loops()) == {"Elite–society nationalism loop", "Cross-border fear loop"}
    # Every reported loop really is a cycle of the graph.
    for lp in loops:
        for u, v in zip(lp.nodes, lp.nodes[1:] + lp.nodes[:1]):
            assert v in small.successors(u)


def test_remove_breaks_elite_society_loop(small):
    r = small.remove("E1")
    assert {e.edge_id for e in r.edges_lost} == {"L01", "L05", "L06", "L07", "L13"}
    assert any(set(lp.nodes) == {"E1", "N2"} for lp in r.loops_broken)
    assert all("E1" not in lp.nodes for lp in r.loops_kept)
    assert "Elite–society nationalism loop" in r.named_loops_hit
    assert r.paths_after < r.paths_before
    text = str(r)
    assert text.startswith("Removing E1") and "loop" in text and "paths to S" in text


def test_unknown_node_lists_known(small):
    with pytest.raises(KeyError) as ei:
        small.downstream("X9", 1)
    msg = str(ei.value)
    assert "X9" in msg and "E1" in msg and "I3" in msg
    with pytest.raises(ValueError):
        small.paths("I1", "nowhere")


def test_graph_rejects_tables_without_columns():
    with pytest.raises(ValueError, match="edge_id"):
        L.graph([{"from": "I1", "to": "E1"}], nodes=[])


# The curated tables (data/curated, the project's reconstruction of 002 Figure 1).
@pytest.fixture()
def curated_graph():
    paths = [CURATED / f"{n}.csv" for n in ("linkages", "linkage_nodes", "linkage_loops")]
    require(all(p.is_file() for p in paths), f"curated linkage tables missing: {paths}")
    e, n, lp = (pd.read_csv(p, dtype=str) for p in paths)
    return L.graph(e, n, lp), e


def test_curated_graph(curated_graph):
    g, e = curated_graph
    assert len(g.edges) == len(e)
    assert ["I1", "E1", "S"] in g.paths("I1", "S")           # L6 exercise 1
    succ = set(e.loc[e["source"] == "I1", "target"])
    assert set(g.downstream("I1", 1).nodes) == succ | {"I1"}
    loops = g.loops()
    assert any("E1" in lp.nodes and ({"N1", "N2"} & set(lp.nodes)) for lp in loops)
    r = g.remove("E1")
    assert r.loops_broken and all("E1" in lp.nodes for lp in r.loops_broken)
    assert "Elite–society nationalism loop" in r.named_loops_hit


def test_remove_counts_paths_against_one_baseline(small):
    # Every removal is measured against the same count of paths to S in the intact graph.
    base = sum(len(small.paths(n, "S")) for n in small.nodes if n != "S")
    for n in small.nodes:
        if n != "S":
            r = small.remove(n)
            assert r.paths_before == base
            assert r.paths_after == sum(len(small.without(n).paths(m, "S"))
                                        for m in small.nodes if m not in ("S", n))
