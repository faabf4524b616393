"""Declarative live views of the two year-window explorers (issue 20): military expenditure
and the timeline with its linked map of places.

Both explorers slice sorted rows by a year window. The view keeps, per choice of the other
controls, the kernel's own full-window traces and looks up, for each end of the window, where
the slice starts and ends (tables of row positions by year stop); every text with a number in
it (a formatted value, a year) is looked up from tables written here by the same Python
functions the charts use, never formatted by the interpreter. Counts are differences of
prefix sums. The tests compare the result with a fresh kernel explorer over many random states.
"""
from __future__ import annotations

import bisect
import json
import re
from typing import Any

from ..validation import InvalidArgumentError

__all__ = ["milex_view", "timeline_view", "stable_ids"]

_FOLIUM_ID = re.compile(r"_[0-9a-f]{32}(?![0-9a-f])")


def stable_ids(page: str) -> str:
    """A folium page with its random element ids (``marker_<32 hex>``) replaced by ids made from
    what each element is: a hash of the first line that names it (with the id taken out), and
    how many elements before it had the same line. The same map drawn twice is then the same
    page, and a place's marker has the same lines whichever map it is on, so pages share their
    lines. Ids are only names inside the page: it draws exactly as before."""
    import hashlib

    first: dict[str, str] = {}
    for line in page.split("\n"):
        for m in _FOLIUM_ID.finditer(line):
            first.setdefault(m.group(0), line)
    ids, seen = {}, {}
    for old, line in first.items():
        shape = line.replace(old, "_")
        n = seen[shape] = seen.get(shape, -1) + 1
        ids[old] = "_" + hashlib.md5(f"{n}\0{shape}".encode(), usedforsecurity=False).hexdigest()
    return _FOLIUM_ID.sub(lambda m: ids[m.group(0)], page)


def _q(v):
    return ["q", v]


def _index_of(controls: list[dict], key: str) -> int:
    keys = [c["key"] for c in controls]
    if key not in keys:
        raise InvalidArgumentError(f"explorer controls {keys} have no {key!r}: the view needs rebuilding")
    return keys.index(key)


def _full_window(controls, i_years):
    n = len(controls[i_years]["values"])
    return (0, n - 1)


def _layout_of(spec: dict, pool) -> tuple[dict, int | None]:
    layout = dict(spec["layout"])
    layout.pop("meta", None)
    t = layout.pop("template", None)
    return layout, (pool.add(t) if t is not None else None)


# --------------------------------------------------------------------------- military expenditure

def milex_view(ex: Any, controls: list[dict], pool, *, set_state, shown, **_) -> dict:
    """Military expenditure: measure × year window × six country ticks (≈1.15 million states).

    For a measure and a country the rows are sorted by year; the window (clipped as the
    explorer clips it) is a slice of them. The country's sentence reads its first and last
    valued rows (tables: next/previous valued row), the largest value in between (``argmax``
    over the stored values), estimates and gaps (prefix sums), with every number looked up
    as the text :func:`nkteach.charts._base.fmt` wrote. Traces are the kernel's full-window
    traces (per measure, country and position among the ticked ones: the marker and colour
    follow the position) cut to the slice; layouts are the kernel's per measure and set of
    countries, with the title's years set."""
    from ..charts import MEASURE_LABELS
    from ..charts._base import fmt, is_true, src
    from ..data import load

    df = load("military_expenditure")
    im, iy = _index_of(controls, "measure"), _index_of(controls, "years")
    ic = [i for i, c in enumerate(controls) if c["key"].startswith("country:")]
    countries = [controls[i]["key"].split(":", 1)[1] for i in ic]
    measures = controls[im]["values"]
    years = [int(y) for y in controls[iy]["values"]]
    labels = [MEASURE_LABELS.get(m, m) for m in measures]
    if sorted(countries) != countries or iy != im + 1 or ic != list(range(iy + 1, iy + 1 + len(ic))):
        raise InvalidArgumentError("the military expenditure explorer's controls changed order: "
                                   "the live view needs rebuilding")

    def choices(m: int, window, ticks) -> list:
        out = [0] * len(controls)
        out[im], out[iy] = m, tuple(window)
        for i, t in zip(ic, ticks):
            out[i] = int(t)
        return out

    # the kernel: the 'tick at least one country' message, every full-window chart
    set_state(ex, controls, choices(0, _full_window(controls, iy), [0] * len(ic)))
    none_ticked = ex.error
    if not none_ticked:
        raise InvalidArgumentError("the explorer no longer refuses an empty set of countries")
    base = {}                        # (m, k, position) → pool index of the full-window trace
    layouts = [[None] * (2 ** len(ic)) for _ in measures]
    template = estimate = None
    for m in range(len(measures)):
        for mask in range(1, 2 ** len(ic)):
            ticks = [(mask >> k) & 1 for k in range(len(ic))]
            set_state(ex, controls, choices(m, _full_window(controls, iy), ticks))
            if ex.error:
                raise InvalidArgumentError(f"military expenditure: {ex.error}; the view expects every "
                                           "measure for every country")
            spec = shown(ex)[1]
            layout, t = _layout_of(spec, pool)
            template = t if template is None else template
            if t != template:
                raise InvalidArgumentError("military expenditure charts use several templates")
            layouts[m][mask] = pool.add(layout)
            chosen = [k for k in range(len(ic)) if ticks[k]]
            if len(spec["data"]) != len(chosen) + 1:
                raise InvalidArgumentError("military expenditure traces changed shape")
            for pos, k in enumerate(chosen):
                base[(m, k, pos)] = pool.add(spec["data"][pos])
            est = pool.add(spec["data"][-1])
            estimate = est if estimate is None else estimate
            if est != estimate:
                raise InvalidArgumentError("the 'SIPRI estimate' legend trace changed")

    # per measure and country: rows by year, and what the sentence looks up
    per: dict = {}
    for m, code in enumerate(measures):
        for k, c in enumerate(countries):
            s = df[(df["measure"] == code) & (df["country"] == c)].dropna(subset=["year"])
            s = s.assign(_y=s["year"].astype(int)).sort_values("_y", kind="stable")
            ys = list(s["_y"])
            vals = list(s["value"])
            valued = [not _missing(v) for v in vals]
            n = len(ys)
            nxt, prv = [n] * (n + 1), [-1] * (n + 1)
            for r in range(n - 1, -1, -1):
                nxt[r] = r if valued[r] else nxt[r + 1]
            for r in range(1, n + 1):
                prv[r] = r - 1 if valued[r - 1] else prv[r - 1]
            est, miss = [0], [0]
            for r in range(n):
                est.append(est[-1] + int(valued[r] and is_true(s["estimate"].iloc[r])))
                miss.append(miss[-1] + int(not valued[r]))
            per[(m, k)] = {
                "lo": [bisect.bisect_left(ys, y) for y in years],      # first row in the window
                "hi": [bisect.bisect_right(ys, y) for y in years],     # one past the last row
                "next": nxt, "prev": prv, "est": est, "miss": miss,
                "val": [float(v) if ok else None for v, ok in zip(vals, valued)],
                "txt": [fmt(v, 1) if ok else "" for v, ok in zip(vals, valued)],
                "year": ys,
                "span": (years.index(min(ys)), years.index(max(ys))) if ys else None}
    if any(p["span"] is None for p in per.values()):
        raise InvalidArgumentError("military expenditure: a measure has no rows for a country; "
                                   "the view expects every measure for every country")

    M = ["c", im]
    A, B = ["c", iy, 0], ["c", iy, 1]
    tick = [["c", i] for i in ic]
    n_ticked = ["sum", tick]
    big = len(years)
    lo_span = ["min", [["if", tick[k], ["lk", [per[(m, k)]["span"][0] for m in range(len(measures))], M], big]
                       for k in range(len(ic))]]
    hi_span = ["max", [["if", tick[k], ["lk", [per[(m, k)]["span"][1] for m in range(len(measures))], M], -1]
                       for k in range(len(ic))]]
    CA, CB = ["max", [A, lo_span]], ["min", [B, hi_span]]
    year_txt = _q([str(y) for y in years])
    label = ["lk", labels, M]
    chosen_names = ["join", ", ", [["if", tick[k], c, ""] for k, c in enumerate(countries)]]
    error = ["if", n_ticked,
             ["if", ["lk", [0, 0, 1], ["sum", [["cmp", CA, CB], 1]]],
              ["cat", ["SIPRI gives no ", label, " values for ", chosen_names, " in ",
                       ["at", year_txt, A], "–", ["at", year_txt, B]]], ""],
             none_ticked]

    def table(k: int, field: str):
        return ["lk", [per[(m, k)][field] for m in range(len(measures))], M]

    sentences, traces = [], []
    for k, c in enumerate(countries):
        lo, hi = ["at", table(k, "lo"), CA], ["at", table(k, "hi"), CB]
        first, last = ["at", table(k, "next"), lo], ["at", table(k, "prev"), hi]
        vals = table(k, "val")
        top = ["sum", [first, ["argmax", ["slice", vals, first, ["sum", [last, 1]]]]]]
        n_est = ["sub", ["at", table(k, "est"), hi], ["at", table(k, "est"), lo]]
        n_miss = ["sub", ["at", table(k, "miss"), hi], ["at", table(k, "miss"), lo]]
        txt, yr = table(k, "txt"), table(k, "year")
        trend = ["lk", ["fell", "was unchanged", "rose"],
                 ["sum", [["cmp", ["at", vals, last], ["at", vals, first]], 1]]]
        told = ["cat", [c, ": ", trend, " from ", ["at", txt, first], " (", ["at", yr, first], ") to ",
                        ["at", txt, last], " (", ["at", yr, last], "); highest ", ["at", txt, top], " in ",
                        ["at", yr, top],
                        ["if", n_est, ["cat", ["; ", n_est, " value(s) are SIPRI estimates"]], ""],
                        ["if", n_miss,
                         ["cat", ["; ", n_miss, " year(s) have no value (gaps, not zero)"]], ""],
                        "."]]
        none = f"{c}: no values in this range."
        some = ["lk", [1, 0, 0], ["sum", [["cmp", first, hi], 1]]]     # a valued row before the end
        sentences.append(["if", tick[k], ["if", some, told, none], ""])
        pos = ["sum", tick[:k]]
        by_pos = [[base[(m, k, p)] for p in range(k + 1)] for m in range(len(measures))]
        full = ["pool", ["at", ["lk", by_pos, M], pos]]
        cut = full
        for path in (["x"], ["y"], ["marker", "symbol"], ["marker", "color"]):
            cut = ["set", cut, path, ["slice", ["get", full, path], lo, hi]]
        traces.append(["if", tick[k], cut, None])
    traces.append(["pool", estimate])
    mask = ["sum", [["lk", [0, 2 ** k], tick[k]] for k in range(len(ic))]]
    layout = ["set", ["pool", ["at", ["lk", layouts, M], mask]], ["title", "text"],
              ["cat", ["Military expenditure, ", ["at", year_txt, CA], "–", ["at", year_txt, CB]]]]
    summary = ["join", " ", [["cat", ["Military expenditure, ", label, ", ", ["at", year_txt, CA], "–",
                                      ["at", year_txt, CB], "."]], *sentences, src(df)]]
    return {"error": error, "summary": summary, "figure": ["fig", layout, template, traces], "side": []}


def _missing(v) -> bool:
    from ..validation import is_missing

    return is_missing(v)


# --------------------------------------------------------------------------- timeline

def timeline_view(ex: Any, controls: list[dict], pool, *, set_state, shown, namings=(), maps=None,
                  factory_kwargs=None, **_) -> dict:
    """The timeline: year window × three level ticks (≈207,000 states) and, beside the chart, the
    map of the places the window's events name (under each naming policy).

    For each set of ticked levels the events sorted by date are one list (``G``); a window is a
    slice of it, and of each lane. The traces are the kernel's full-window lane traces cut to
    the slice (the lane's sub-rows restart at the slice: its ``y`` is the full trace's first
    items); the summary counts are slice lengths, the busiest lane is the largest count (ties:
    the lane whose first event comes first, as pandas' ``value_counts`` orders them), and the
    first and last events' texts are looked up. The map depends on which rows that name places
    the window holds (a slice of them sorted by start year): each distinct list of places is
    drawn once per naming policy by ``nkteach.maps.places_map``, as the kernel draws it, and
    stored line by line (its folium ids numbered in order, see :func:`stable_ids`)."""
    from .. import levels as _levels
    from .. import naming as _naming
    from ..charts._base import src
    from ..data import load
    from ..display import map_bundle
    from ..widgets._explorer import maps_module
    from ..widgets.history import timeline_explorer

    df = load("timeline")
    iy = _index_of(controls, "years")
    lanes = [c["key"].split(":", 1)[1] for c in controls if c["key"].startswith("level:")]
    il = [_index_of(controls, f"level:{k}") for k in lanes]
    rank = {e: i for i, e in enumerate(df["event_id"])}      # the table's order breaks ties of date
    rows_by_id = {r["event_id"]: r for _, r in df.iterrows()}
    years = [int(y) for y in controls[iy]["values"]]
    full = (0, len(years) - 1)
    with_map = bool(getattr(ex, "_side", ()))

    def choices(window, s: int) -> list:
        out = [0] * len(controls)
        out[iy] = tuple(window)
        for j, i in enumerate(il):
            out[i] = (s >> j) & 1
        return out

    set_state(ex, controls, choices(full, 0))
    none_ticked = ex.error
    if not none_ticked:
        raise InvalidArgumentError("the timeline explorer no longer refuses an empty set of levels")

    # title-length classes: the title's wrapping (and so the layout) may follow its length
    la = sorted({len(str(y)) for y in years})
    cls_a = [la.index(len(str(y))) * len(la) for y in years]
    cls_b = [la.index(len(str(y))) for y in years]
    sets = range(2 ** len(lanes))
    layouts: list = [[None] * (len(la) ** 2) for _ in sets]
    title_parts: list = [None] * len(sets)
    template = None
    lane_full: list = [[None] * len(lanes) for _ in sets]     # pool index of the full-window trace
    lane_lo: list = [[[0] * len(years) for _ in lanes] for _ in sets]
    lane_hi: list = [[[0] * len(years) for _ in lanes] for _ in sets]
    lane_g: list = [[[0] for _ in lanes] for _ in sets]        # G index of each lane event (+ sentinel)
    g_lo, g_hi, g_txt = [[0]] * len(sets), [[0]] * len(sets), [[""]] * len(sets)
    for s in sets[1:]:
        lv = [k for j, k in enumerate(lanes) if (s >> j) & 1]
        set_state(ex, controls, choices(full, s))
        spec = shown(ex)[1]
        layout, t = _layout_of(spec, pool)
        template = t if template is None else template
        if t != template:
            raise InvalidArgumentError("timeline charts use several templates")
        traces = spec["data"]
        if [t["name"] for t in traces] != [str(_levels.level(k)) for k in lv]:
            raise InvalidArgumentError("timeline traces changed shape: one per ticked level expected")
        # G: the events of every lane in date order (a stable sort of the table, as the chart's)
        events = sorted((float(x), rank[e], e) for t in traces for x, e in zip(t["x"], t["customdata"]))
        gx = [x for x, _, _ in events]
        ids = [e for _, _, e in events]
        g_lo[s] = [bisect.bisect_left(gx, y) for y in years]
        g_hi[s] = [bisect.bisect_left(gx, y + 1) for y in years]
        g_txt[s] = [f"{rows_by_id[e].get('date_text', rows_by_id[e]['date_start'])} — "
                    f"{str(rows_by_id[e]['event'])[:90]}" for e in ids]
        for tr, key in zip(traces, lv):
            j = lanes.index(key)
            n = len(tr["x"])
            arrays = {k for k, v in tr.items() if isinstance(v, list) and len(v) == n}
            if n and arrays != {"x", "y", "customdata", "hovertext"}:
                raise InvalidArgumentError(f"timeline trace fields per event changed: {sorted(arrays)}")
            xs = [float(x) for x in tr["x"]]
            lane_full[s][j] = pool.add(tr)
            lane_lo[s][j] = [bisect.bisect_left(xs, y) for y in years]
            lane_hi[s][j] = [bisect.bisect_left(xs, y + 1) for y in years]
            where = {e: g for g, e in enumerate(ids)}
            lane_g[s][j] = [where[e] for e in tr["customdata"]] + [len(ids)]
        # the layout of each title-length class, from one window of that class
        done = set()
        for a in range(len(years)):
            for b in (a, len(years) - 1):
                c = cls_a[a] + cls_b[b]
                if c in done:
                    continue
                done.add(c)
                set_state(ex, controls, choices((a, b), s))
                lay, _t = _layout_of(shown(ex)[1], pool)
                title = lay["title"]["text"]
                mark = f"{years[a]}–{years[b]}"
                if title.count(mark) != 1:
                    raise InvalidArgumentError(f"timeline title {title!r} does not show the window once")
                parts = title.split(mark)
                if title_parts[s] not in (None, parts):
                    raise InvalidArgumentError("timeline titles differ beyond their years")
                title_parts[s] = parts
                lay["title"]["text"] = ""
                lay["xaxis"]["range"] = None
                layouts[s][c] = pool.add(lay)

    A, B = ["c", iy, 0], ["c", iy, 1]
    tick = [["c", i] for i in il]
    S = ["sum", [["lk", [0, 2 ** j], tick[j]] for j in range(len(lanes))]]
    year_txt = _q([str(y) for y in years])
    ya, yb = ["at", year_txt, A], ["at", year_txt, B]

    def by_s(table, *idx):
        e = ["lk", table, S]
        for i in idx:
            e = ["at", e, i]
        return e

    GLO, GHI = by_s(g_lo, A), by_s(g_hi, B)
    n = ["sub", GHI, GLO]
    lo = [by_s([lane_lo[s][j] for s in sets], A) for j in range(len(lanes))]
    hi = [by_s([lane_hi[s][j] for s in sets], B) for j in range(len(lanes))]
    count = [["sub", hi[j], lo[j]] for j in range(len(lanes))]
    names = [_levels.level(k).label.lower() for k in lanes]
    mainly = ["join", ", ", [["if", count[j], ["cat", [count[j], f" mainly {names[j]}"]], ""]
                             for j in range(len(lanes))]]
    header = ["cat", ["Timeline ", ya, "–", yb, ": ", n, " events",
                      ["if", n, ["cat", [" (", mainly, ")"]], ""], "."]]
    first_g = [["at", by_s([lane_g[s][j] for s in sets]), lo[j]] for j in range(len(lanes))]
    busiest = ["argmax", ["list", [["list", [count[j], ["sub", 0, first_g[j]]]] for j in range(len(lanes))]]]
    most = ["cat", ["Most events sit at the ", ["lk", names, busiest], " level."]]
    txt = ["lk", g_txt, S]
    first_last = ["cat", ["First: ", ["at", txt, GLO], ". Last: ", ["at", txt, ["sub", GHI, 1]], "."]]
    body = ["join", " ", [header, ["if", n, most, ""], ["if", n, first_last, ""], src(df)]]

    traces = []
    for j in range(len(lanes)):
        whole = ["pool", by_s([lane_full[s][j] for s in sets])]
        cut = ["set", whole, ["y"], ["slice", ["get", whole, ["y"]], 0, count[j]]]
        for path in (["x"], ["customdata"], ["hovertext"]):
            cut = ["set", cut, path, ["slice", ["get", whole, path], lo[j], hi[j]]]
        traces.append(["if", tick[j], cut, None])
    layout = ["pool", by_s(layouts, ["sum", [["at", _q(cls_a), A], ["at", _q(cls_b), B]]])]
    title = ["cat", [by_s([p[0] if p else "" for p in title_parts]), ya, "–", yb,
                     by_s([p[1] if p else "" for p in title_parts])]]
    layout = ["set", ["set", layout, ["title", "text"], title], ["xaxis", "range"],
              ["list", [["at", _q([y - 0.5 for y in years]), A], ["at", _q([y + 1.5 for y in years]), B]]]]
    view = {"error": ["if", S, "", none_ticked], "summary": body,
            "figure": ["fig", layout, template, traces], "side": []}
    if not with_map:
        return view

    # the linked map: which place-naming rows the window holds → the list of places → its page
    import inspect

    tiles = dict(factory_kwargs or {}).get(
        "tiles", inspect.signature(timeline_explorer).parameters["tiles"].default)
    rows = _place_rows(df)
    tuples: dict[tuple, int] = {}
    map_of: list = [[[0]]] * len(sets)          # [s][plo][phi - plo] → 1 + tuple index (0: no places)
    p_lo, p_hi = [[0] * len(years)] * len(sets), [[0] * len(years)] * len(sets)
    for s in sets[1:]:
        want = {_levels.level(k).code for j, k in enumerate(lanes) if (s >> j) & 1}
        mine = [r for r in rows if r[1] & want]
        order = sorted(range(len(mine)), key=lambda i: mine[i][0])
        starts = [mine[i][0] for i in order]
        p_lo[s] = [bisect.bisect_left(starts, y) for y in years]
        p_hi[s] = [bisect.bisect_right(starts, y) for y in years]
        # only the (first row, end row) pairs a window can give (rows with the same start year
        # come and go together); the other cells stay 0
        reach: dict[int, set] = {}
        for a in range(len(years)):
            for b in range(a, len(years)):
                reach.setdefault(p_lo[s][a], set()).add(p_hi[s][b])
        table = []
        for a in range(len(mine) + 1):
            row = [0] * (max(reach.get(a, {a})) - a + 1)
            for b in sorted(reach.get(a, ())):
                if b < a:
                    continue
                keep = sorted(order[a:b])
                ids = tuple(dict.fromkeys(p for i in keep for p in mine[i][2]))
                row[b - a] = tuples.setdefault(ids, len(tuples)) + 1 if ids else 0
            table.append(row)
        map_of[s] = table
    maps_mod = maps_module()
    ordered = sorted(tuples, key=tuples.get)
    pages, texts = [], []
    stored: dict[str, int] = {}
    saved = _naming.get_naming()
    try:
        for policy in namings:
            _naming.set_naming(policy)
            pages.append([]), texts.append([])
            for ids in ordered:
                m = maps_mod.places_map(list(ids), tiles=tiles)
                page = map_bundle(m)["text/html"]
                runs = pool.add_lines(stable_ids(page))
                key = json.dumps(runs)
                if key not in stored:            # a page the policies name alike is stored once
                    stored[key] = len(maps)
                    maps.append(runs)
                pages[-1].append(stored[key])
                texts[-1].append(pool.add(maps_mod.summary(m)))
    finally:
        _naming.set_naming(saved)
    PLO, PHI = by_s(p_lo, A), by_s(p_hi, B)
    T1 = ["at", ["at", ["lk", map_of, S], PLO], ["sub", PHI, PLO]]
    N = ["c", len(controls)]          # the naming policy's index, after the controls
    no_places = "no places are recorded for the events in this window."
    view["map"] = ["if", T1, ["at", ["lk", pages, N], ["sub", T1, 1]], None]
    view["summary"] = ["cat", [body, " Map: ",
                               ["if", T1, ["pool", ["at", ["lk", texts, N], ["sub", T1, 1]]], no_places]]]
    return view


def _place_rows(df) -> list[tuple[int, set, list]]:
    """(start year, level codes, place ids) of each timeline row that names places, in the
    table's order: what the timeline explorer's linked map reads (its start year is the year
    of ``date_start``, a leading minus kept)."""
    from ..validation import is_missing

    rows = []
    for r in df.to_dict(orient="records"):
        raw = r.get("place_ids")
        if is_missing(raw) or not str(raw).strip():
            continue
        t = str(r["date_start"])
        start = int(t[:5]) if t.startswith("-") else int(t[:4])
        levels = {x.strip() for x in str(r.get("levels") or "").split(";")}
        rows.append((start, levels, [p.strip() for p in str(raw).split(";") if p.strip()]))
    return rows
