"""The precompute step: every state of a small explorer, computed by the real explorer.

:func:`describe` builds the explorer with its factory (``nkteach.widgets``), walks every
combination of its controls as a user would set them (one control changed at a time), and
reads what the kernel shows: the plotly figure (``nkteach.display.plotly_spec``) or the folium
map's HTML, the summary or the ⚠ message, and the HTML of side widgets. The result is a
compact JSON description: ``controls`` (what the page draws), ``pool`` (each distinct trace,
layout, template, text or map line stored once) and ``states`` (state key → references into
the pool). :func:`live_html` writes the markup ``site/static/nkteach-live.js`` brings to life.

A state key joins one part per control with ``|``: the option's index (``"3"``), or
``"i-j"`` for a range of two stops; explorers whose output follows the page's naming policy
add the policy's index last.
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from ..display import PLOTLY_MIME, is_folium, is_plotly, map_html, plotly_spec
from ..markup import html_attr, html_text, script_json
from ..validation import InvalidArgumentError, check_choice
from .sites import SITES

__all__ = ["describe", "live_html", "state_key", "state_of", "control_of", "set_state", "shown",
           "RUNTIME_FILE", "FORMAT", "key_choices", "view_choices", "LIVE_NOTES", "SENTENCE", "site_controls",
           "linked_map", "map_page"]

FORMAT = 1
#: the browser runtime, shipped with the site as ``_static/nkteach-live.js``
RUNTIME_FILE = Path(__file__).resolve().parents[2] / "site" / "static" / "nkteach-live.js"
LIVE_NOTES = {
    "states": ("This explorer works in your browser without Jupyter: each view was computed in "
               "advance by the lesson's own Python code."),
    "view": ("This explorer works in your browser without Jupyter: each view is put together in "
             "your browser from pieces computed in advance by the lesson's own Python code."),
}


# --------------------------------------------------------------------------- controls

def control_of(key: str, wdg: Any) -> dict:
    """The page's description of one explorer control (kind, label, option labels, values)."""
    import ipywidgets as w

    from ..widgets._range import YearRange

    label = str(getattr(wdg, "description", "") or key)
    if isinstance(wdg, (w.SelectionRangeSlider, YearRange)):
        labels = [str(x) for x in wdg._options_labels]
        return {"key": key, "kind": "pair", "label": label, "labels": labels,
                "values": list(wdg._options_values), "index": list(wdg.index)}
    if isinstance(wdg, (w.ToggleButtons, w.Dropdown, w.Select, w.RadioButtons)):
        values = list(wdg._options_values)
        # ipywidgets gives index None when the value is None, even if None is an option's value
        index = wdg.index if wdg.index is not None else values.index(wdg.value)
        return {"key": key, "kind": "radio" if isinstance(wdg, w.ToggleButtons) else "select",
                "label": label, "labels": list(wdg._options_labels), "values": values, "index": index}
    if isinstance(wdg, w.Checkbox):
        return {"key": key, "kind": "checkbox", "label": label, "values": [False, True],
                "index": int(bool(wdg.value))}
    if isinstance(wdg, w.ToggleButton):
        return {"key": key, "kind": "toggle", "label": label, "values": [False, True],
                "index": int(bool(wdg.value))}
    if isinstance(wdg, w.IntSlider):
        values = list(range(wdg.min, wdg.max + 1, wdg.step))
        return {"key": key, "kind": "range", "label": label, "labels": [str(v) for v in values],
                "values": values, "index": values.index(wdg.value)}
    raise InvalidArgumentError(f"control {key!r}: a {type(wdg).__name__} has no live version yet; "
                               "allowed: ToggleButtons, Dropdown, Checkbox, ToggleButton, IntSlider, "
                               "SelectionRangeSlider, YearRange")


def site_controls(ex: Any, site) -> list[dict]:
    """The controls of explorer ``ex`` as the page offers them: a control with site stops
    (:attr:`SiteSpec.stops`) keeps only those values, remembers where each sits in the kernel
    widget (``"kernel"``) and carries the note shown beside it."""
    out = [control_of(k, wdg) for k, wdg in ex.controls.items()]
    stops = dict(site.stops)
    for ctl in out:
        if ctl["key"] not in stops:
            continue
        keep = [i for i, v in enumerate(ctl["values"]) if v in stops[ctl["key"]]]
        if not keep:
            raise InvalidArgumentError(f"site stops of {ctl['key']!r}: none of {stops[ctl['key']]} "
                                       "is among the control's values")
        old = ctl["index"]
        pos = {k: j for j, k in enumerate(keep)}
        try:
            ctl["index"] = [pos[i] for i in old] if ctl["kind"] == "pair" else pos[old]
        except KeyError:
            raise InvalidArgumentError(f"site stops of {ctl['key']!r} must include the explorer's "
                                       f"first value(s) {old!r}") from None
        ctl["kernel"] = keep
        ctl["note"] = site.stops_note.replace("{first}", str(ctl["values"][0])).replace(
            "{last}", str(ctl["values"][-1]))
        ctl["values"] = [ctl["values"][i] for i in keep]
        if "labels" in ctl:
            ctl["labels"] = [ctl["labels"][i] for i in keep]
    return out


def _choices(ctl: dict) -> list:
    """Every index (or index pair) a control can take."""
    n = len(ctl["values"])
    if ctl["kind"] == "pair":
        return [(i, j) for i in range(n) for j in range(i, n)]
    return list(range(n))


def _part(choice) -> str:
    return f"{choice[0]}-{choice[1]}" if isinstance(choice, tuple) else str(choice)


def state_key(choices) -> str:
    """The key of a state: one part per control (index, or ``i-j`` for a range)."""
    return "|".join(_part(tuple(c) if isinstance(c, list) else c) for c in choices)


def set_state(ex: Any, controls: list[dict], choices, naming: str | None = None) -> None:
    """Set explorer ``ex``'s widgets to ``choices`` (one per control, as in ``controls``), each
    through the widget as a user would; then, if given, the naming policy (and redraw)."""
    for ctl, c in zip(controls, choices):
        wdg = ex.controls[ctl["key"]]
        if "kernel" in ctl:          # a control with site stops: the kernel widget's own index
            c = tuple(ctl["kernel"][i] for i in c) if ctl["kind"] == "pair" else ctl["kernel"][c]
        if ctl["kind"] == "pair":
            if tuple(wdg.index) != tuple(c):
                wdg.index = tuple(c)
        elif ctl["kind"] in ("radio", "select"):
            if wdg.index != c:
                wdg.index = c
        else:
            v = ctl["values"][c] if "kernel" not in ctl else ctl["values"][ctl["kernel"].index(c)]
            if wdg.value != v:
                wdg.value = v
    if naming is not None:
        from .. import naming as _naming

        if _naming.get_naming() != naming:
            _naming.set_naming(naming)
            ex.update()


def _texts_beside(ex: Any) -> tuple[str, dict]:
    """The HTML the kernel explorer shows with its controls: its introduction (an HTML widget
    before the controls) and, per control, an HTML widget just before it in the same box (the
    forecast explorer's expectation cards). Both were escaped by the explorer's own code."""
    import ipywidgets as w

    by_widget = {id(wdg): key for key, wdg in ex.controls.items()}
    beside: dict[str, str] = {}

    def walk(box):
        kids = list(getattr(box, "children", ()))
        for i, kid in enumerate(kids):
            key = by_widget.get(id(kid))
            if key is not None and i and isinstance(kids[i - 1], w.HTML) and id(kids[i - 1]) not in by_widget:
                beside[key] = kids[i - 1].value
            if isinstance(kid, w.Box):
                walk(kid)

    walk(ex)
    intro = ""
    for kid in ex.children:
        if kid is ex.output:
            break
        if isinstance(kid, w.HTML) and kid.value.startswith("<p>"):
            intro = kid.value
    return intro, beside


# --------------------------------------------------------------------------- the pool

class _Pool:
    def __init__(self):
        self.items: list = []
        self._index: dict[str, int] = {}
        self._lines: dict[tuple, int] = {}

    def add(self, obj) -> int:
        k = json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)
        i = self._index.get(k)
        if i is None:
            i = self._index[k] = len(self.items)
            self.items.append(obj)
        return i

    def add_lines(self, text: str) -> list[list[int]]:
        """A page stored line by line, as runs ``[first pool index, count]`` of lines that
        follow each other in the pool. A line is pooled with the line before it (and how often
        that pair came before in the page), so the blank lines of a stretch belong to it and a
        page that repeats another's stretches costs one run per stretch."""
        runs: list[list[int]] = []
        seen: dict[tuple, int] = {}
        prev = None
        for line in text.split("\n"):
            pair = (prev, line)
            k = (prev, line, seen.get(pair, 0))
            seen[pair] = k[2] + 1
            prev = line
            i = self._lines.get(k)
            if i is None:
                i = self._lines[k] = len(self.items)
                self.items.append(line)
            if runs and runs[-1][0] + runs[-1][1] == i:
                runs[-1][1] += 1
            else:
                runs.append([i, 1])
        return runs


def map_page(desc: dict, i: int) -> str:
    """The HTML of stored map page ``i`` of a live description (its runs of pool lines)."""
    pool = desc["pool"]
    return "\n".join(pool[j] for start, n in desc["maps"][i] for j in range(start, start + n))


def linked_map(ex: Any) -> str | None:
    """The HTML of the map an explorer shows beside its chart (the timeline's places), read from
    the output area the kernel explorer sends it to; None when it shows none."""
    for wdg, trait in getattr(ex, "_side", ()):
        if trait != "outputs":
            continue
        for out in getattr(wdg, "outputs", ()) or ():
            page = (out.get("data") or {}).get("text/html")
            if page:
                return page
    return None


def _figure_ref(spec: dict, pool: _Pool) -> dict:
    layout = dict(spec.get("layout") or {})
    template = layout.pop("template", None)
    layout.pop("meta", None)                # the summary travels once, as the state's text
    ref = {"d": [pool.add(t) for t in spec.get("data") or []], "l": pool.add(layout)}
    if template is not None:
        ref["t"] = pool.add(template)
    return ref


def shown(ex: Any) -> tuple[str, Any] | None:
    """What the kernel explorer displays now: ``("plotly", figure JSON)`` or ``("map", HTML)``
    read from the bundle it sent to its Output widget (a folium map rendered twice is not the
    same page: folium adds its tile layer again), else from ``ex.figure``; None for no figure."""
    fig = ex.figure
    if fig is None:
        return None
    for out in getattr(ex.output, "outputs", ()) or ():
        data = out.get("data") or {}
        if PLOTLY_MIME in data:
            return "plotly", data[PLOTLY_MIME]
        if is_folium(fig) and "text/html" in data:
            return "map", data["text/html"]
    if is_plotly(fig):
        return "plotly", plotly_spec(fig)
    if is_folium(fig):
        return "map", map_html(fig)
    return None


SENTENCE = ". "


def _text_refs(text: str, pool: _Pool) -> list[int]:
    """A summary as pooled pieces (split at ". ", joined back the same way): the sentence
    about one country or one reading is stored once however many states repeat it."""
    return [pool.add(part) for part in text.split(SENTENCE)]


def _record(ex: Any, site, pool: _Pool) -> dict:
    """What the kernel explorer shows now, as references into the pool."""
    if ex.error is not None:
        return {"e": pool.add(ex.error)}
    st: dict = {"s": _text_refs(ex.summary, pool)}
    view = shown(ex)
    if view and view[0] == "plotly":
        st["f"] = _figure_ref(view[1], pool)
    elif view and view[0] == "map":
        st["m"] = [pool.add(line) for line in view[1].split("\n")]
    if site.side:
        st["x"] = [pool.add(str(getattr(ex, a).value)) for a in site.side]
    return st


# --------------------------------------------------------------------------- describe

def _site(name: str):
    from ..widgets import spec

    name = spec(name).name          # aliases accepted
    return name, SITES[check_choice("explorer", name, list(SITES))]


def describe(name: str, **factory_kwargs) -> dict:
    """The live description of explorer ``name`` (JSON data): every state computed by the
    explorer built with ``factory_kwargs`` (e.g. ``tiles=None``).

    Raises
    ------
    UnknownNameError
        If ``name`` is not an explorer with a live version (:data:`~nkteach.live.SITES`).
    """
    from .. import naming as _naming
    from ..widgets import spec

    name, site = _site(name)
    saved = _naming.get_naming()
    view = None
    try:
        ex = spec(name).factory(**factory_kwargs)
        controls = site_controls(ex, site)
        first = [tuple(c["index"]) if c["kind"] == "pair" else c["index"] for c in controls]
        namings = list(_naming.NAMINGS) if site.naming else []
        initial = state_key(first + ([namings.index(saved)] if namings else []))
        pool, states = _Pool(), {}
        if site.mechanism == "view":
            from .declared import BUILDERS

            maps: list = []
            view = BUILDERS[name](ex, controls, pool, set_state=set_state, shown=shown, namings=namings,
                                  maps=maps, factory_kwargs=factory_kwargs)
        else:
            grid = [_choices(c) for c in controls] + ([list(range(len(namings)))] if namings else [])
            for combo in itertools.product(*grid):
                choices = combo[:len(controls)]
                set_state(ex, controls, choices, namings[combo[-1]] if namings else None)
                states[state_key(combo)] = _record(ex, site, pool)
    finally:
        _naming.set_naming(saved)
    intro, beside = _texts_beside(ex)
    out_controls = [{k: v for k, v in c.items() if k not in ("values", "kernel")} for c in controls]
    for c in out_controls:
        if c["key"] in beside:
            c["intro"] = beside[c["key"]]
    for c, full in zip(out_controls, controls):
        if "labels" not in c:
            c["labels"] = [str(v) for v in full["values"]]
    desc = {"format": FORMAT, "name": name, "mechanism": site.mechanism, "title": ex.title,
            "intro": intro, "moves": ex.moves, "controls": out_controls, "initial": initial,
            "pool": pool.items, "states": states, "side": list(site.side)}
    if ex.args:     # the factory arguments that change what it shows: the page names them
        desc["args"] = dict(ex.args)
    if view is not None:
        desc["view"] = view
        if maps:
            desc["maps"] = maps
    if namings:
        desc["naming"] = namings
    if site.sets_naming:
        desc["sets_naming"] = True
    return desc


def key_choices(desc: dict, key: str) -> list:
    """The control choices of state ``key`` (index, or ``[i, j]`` for a range), naming part
    left out."""
    return [[int(x) for x in p.split("-")] if c["kind"] == "pair" else int(p)
            for c, p in zip(desc["controls"], key.split("|"))]


def view_choices(desc: dict, key: str) -> list:
    """The choices a declarative view is run with for state ``key``: one per control, then the
    naming policy's index for an explorer that follows it."""
    out = key_choices(desc, key)
    if desc.get("naming"):
        out.append(int(key.split("|")[-1]))
    return out


def state_of(ex: Any, desc: dict, key: str) -> dict:
    """Set a (fresh) kernel explorer ``ex`` to the state ``key`` of ``desc`` and return what it
    shows: ``{"error"}`` or ``{"summary", "data"}`` (plotly traces), ``"map"`` (HTML) and
    ``"side"`` (HTML of side widgets). The tests compare this with the browser."""
    parts = key.split("|")
    choices = [tuple(c) if isinstance(c, list) else c for c in key_choices(desc, key)]
    full = site_controls(ex, SITES[desc["name"]])
    naming = desc["naming"][int(parts[-1])] if desc.get("naming") else None
    set_state(ex, full, choices, naming)
    if ex.error is not None:
        return {"error": ex.error}
    out: dict = {"summary": ex.summary}
    view = shown(ex)
    if view and view[0] == "plotly":
        out["data"] = view[1]["data"]
    elif view and view[0] == "map":
        out["map"] = view[1]
    beside = linked_map(ex)
    if beside is not None:
        out["map"] = beside
    for a in desc.get("side", []):
        out.setdefault("side", []).append(str(getattr(ex, a).value))
    return out


# --------------------------------------------------------------------------- markup

def _control_html(uid: str, i: int, c: dict) -> str:
    # the text the kernel shows before the control (HTML made by the explorer's own code)
    intro = f'<div class="nkl-intro">{c["intro"]}</div>' if c.get("intro") else ""
    note = (f'<p class="nkl-note" id="{uid}-c{i}-note"><small>{html_text(c["note"])}</small></p>'
            if c.get("note") else "")
    return intro + _control_only(uid, i, c) + note


def _control_only(uid: str, i: int, c: dict) -> str:
    cid, lab = f"{uid}-c{i}", html_text(c["label"])
    labels, idx = c["labels"], c["index"]
    if c["kind"] == "radio":
        opts = "".join(f'<label class="nkl-opt"><input type="radio" name="{cid}" value="{j}"'
                       f'{" checked" if j == idx else ""}> {html_text(t)}</label>'
                       for j, t in enumerate(labels))
        return (f'<fieldset class="nkl-ctl" data-ctl="{i}" data-kind="radio"><legend>{lab}</legend>'
                f"{opts}</fieldset>")
    if c["kind"] == "select":
        opts = "".join(f'<option value="{j}"{" selected" if j == idx else ""}>{html_text(t)}</option>'
                       for j, t in enumerate(labels))
        return (f'<div class="nkl-ctl" data-ctl="{i}" data-kind="select"><label for="{cid}">{lab}</label> '
                f'<select id="{cid}">{opts}</select></div>')
    if c["kind"] == "checkbox":
        return (f'<div class="nkl-ctl" data-ctl="{i}" data-kind="checkbox"><label>'
                f'<input type="checkbox"{" checked" if idx else ""}> {lab}</label></div>')
    if c["kind"] == "toggle":
        return (f'<div class="nkl-ctl" data-ctl="{i}" data-kind="toggle"><button type="button" '
                f'aria-pressed="{"true" if idx else "false"}">{lab}</button></div>')
    if c["kind"] == "range":
        return (f'<div class="nkl-ctl" data-ctl="{i}" data-kind="range"><label for="{cid}">{lab}</label> '
                f'<input type="range" id="{cid}" min="0" max="{len(labels) - 1}" step="1" value="{idx}" '
                f'aria-valuetext="{html_attr(labels[idx])}"> <output for="{cid}">{html_text(labels[idx])}'
                "</output></div>")
    if c["kind"] == "pair":
        sel = []
        for end, word in ((0, "from"), (1, "to")):
            opts = "".join(f'<option value="{j}"{" selected" if j == idx[end] else ""}>{html_text(t)}'
                           "</option>" for j, t in enumerate(labels))
            sel.append(f'<label for="{cid}-{end}">{word}</label> <select id="{cid}-{end}" '
                       f'data-end="{end}">{opts}</select>')
        return (f'<fieldset class="nkl-ctl" data-ctl="{i}" data-kind="pair"><legend>{lab}</legend>'
                f'{" ".join(sel)}</fieldset>')
    raise InvalidArgumentError(f"control kind {c['kind']!r} unknown")


def live_html(desc: dict, *, src: str | None = None, uid: str | None = None) -> str:
    """The markup of one live explorer. With ``src`` (a same-site URL of a JSON file holding
    ``desc``, which the caller writes) the states load when the explorer scrolls into view;
    without it they are inline. The initial summary is in the page, so it reads without
    JavaScript too."""
    uid = uid or f"nkl-{desc['name']}"
    pool = desc["pool"]
    if "view" in desc:
        from .view import run

        out = run(desc["view"], pool, view_choices(desc, desc["initial"]))
        summary = f"⚠ {out['error']}" if out.get("error") else f"Summary: {out['summary']}"
        sides = out["side"]
    else:
        first = desc["states"][desc["initial"]]
        summary = (f"⚠ {pool[first['e']]}" if "e" in first
                   else "Summary: " + SENTENCE.join(pool[i] for i in first["s"]))
        sides = [pool[i] for i in first.get("x", [])]
    parts = [f'<div class="nkteach-live" id="{html_attr(uid)}" data-explorer="{html_attr(desc["name"])}"'
             f' data-mechanism="{html_attr(desc["mechanism"])}"'
             + (f' data-explorer-args="{html_attr(json.dumps(desc["args"], sort_keys=True))}"'
                if desc.get("args") else "")
             + (f' data-src="{html_attr(src)}"' if src else "") + ">"]
    if desc.get("title"):
        parts.append(f"<h4>{html_text(desc['title'])}</h4>")
    if desc.get("intro"):
        parts.append(f'<div class="nkl-intro">{desc["intro"]}</div>')   # the explorer's own HTML
    parts.append('<form class="nkl-controls" onsubmit="return false">'
                 + "".join(_control_html(uid, i, c) for i, c in enumerate(desc["controls"])) + "</form>")
    parts.append('<div class="nkl-view"></div>')
    parts.append('<div class="nkl-summary nkteach-summary" role="status" aria-live="polite">'
                 f"{html_text(summary)}</div>")
    if "map" in desc.get("view", {}):      # a map beside the chart (under the summary, as in Jupyter)
        parts.append('<div class="nkl-view nkl-mapview"></div>')
    for j, _ in enumerate(desc.get("side", [])):
        side = sides[j] if j < len(sides) else ""
        parts.append(f'<div class="nkl-side" data-side="{j}">{side}</div>')   # HTML the kernel shows
    note = " ".join(x for x in (desc.get("moves", ""), LIVE_NOTES[desc["mechanism"]]) if x)
    parts.append(f'<p class="nkteach-explorer-note"><i>{html_text(note)}</i></p>')
    if not src:
        parts.append(f'<script type="application/json" class="nkl-data">{script_json(desc)}</script>')
    parts.append("</div>")
    return "".join(parts)
