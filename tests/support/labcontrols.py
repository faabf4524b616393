"""Every control of every explorer of a lesson, driven in JupyterLab as a student does, each
result compared with a twin of the explorer built in the test process.

Use (``tests/test_lab_browser.py``)::

    twins = labcontrols.build_twins(nb_json, explorer_cells)     # same code, same state
    done = set()                                                  # kinds moved by keyboard
    for twin in twins:
        labcontrols.check_same(page, twin)                        # the browser shows the twin
        labcontrols.drive(page, twin, by_keyboard=done)           # every control moved, checked

The twin of an explorer cell is the cell's own code run in the test process (after the import
statements of the cells before it), so it holds the explorer in the state the cell left it in
(lesson 2 sets a year window after building it). Every control of the twin, in the order the
page shows them (a :class:`~nkteach.widgets._range.YearRange` is its two dropdowns; the linkage
explorer's link inspector is driven too), is found in the cell's output by its visible label
(its description; a control without one is a failure) and moved by the means a user has:

* a dropdown: ``select_option``; the first dropdown of a lesson by keyboard (End, or Home when
  it is on its last option; on a year window's ends, the key that widens the window). The
  linkage explorer's start node: by ``select_option`` (the diaspora node, as in issue 20), by
  End and Home, then by opening it with a click and choosing in the open list with the
  keyboard (ArrowDown, Enter), which leaves a start node chosen for the controls after it.
  (Not ArrowUp/ArrowDown on a closed ``<select>``: in command mode JupyterLab's notebook takes
  them, moving to another cell, before the dropdown sees them.)
* toggle buttons: a click on the option's button, the first group of a lesson by keyboard
  (Space on the option's button); a checkbox or toggle button: a click, the first of a lesson
  Space;
* a slider: ArrowRight / ArrowLeft on its handle (no explorer has one now).

The same change is made on the twin; then the browser must show, within ``UPDATE_S``, the
twin's texts (every HTML widget of the explorer: its summary or ⚠ message, and texts beside it
such as the poll's HYPOTHETICAL arithmetic or the forecast's model verdicts), the same kinds of
figure (plotly chart, folium map, or none), and each figure changed if and only if the twin's
changed (a chart: the SVG plotly drew, plotly's random ids set aside, and the figure it was
given; a map: its HTML, folium's random ids set aside). When the move is to change nothing, a
second look after a pause makes sure that the browser did not just show the state before the
kernel's reply.

Also here: the scope of the axe-core audit of lesson outputs in JupyterLab (:data:`LAB_SCOPE`,
:data:`LAB_DISABLED`), used by the same test.
"""
from __future__ import annotations

import ast
import html
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

# Only what nkteach renders inside output areas is audited: JupyterLab's own interface (menus,
# toolbar, prompts, cell editors) is Jupyter's, not nkteach's (docs/accessibility.md).
LAB_SCOPE = [".jp-OutputArea-output"]
# rule id -> why it is off for lesson outputs in JupyterLab (none at present).
LAB_DISABLED: dict[str, str] = {}

UPDATE_S = 15        # a control's effect reaches the browser (kernel round trip + redraw)
SETTLE_S = 0.25      # pause before the second look at a state
STEADY_S = 0.05      # what a cell shows is steady when two looks this far apart agree

PLOTLY_MIME = "application/vnd.plotly.v1+json"
_HEX_ID = re.compile(r"[0-9a-f]{32}")       # folium's element ids (uuid4().hex)
_SRCDOC = re.compile(r'srcdoc="([^"]*)"')


# ----------------------------------------------------------------------------- the twins

@dataclass
class Twin:
    """The explorer of notebook cell ``cell``, rebuilt in the test process."""

    cell: int
    explorer: Any
    driven: list[str] = field(default_factory=list)    # "<label> (<how>)" per control moved

    @property
    def sel(self) -> str:
        return f'[data-nk-cell="{self.cell}"]'


def _cell_source(nb_json: dict, i: int) -> str:
    src = nb_json["cells"][i]["source"]
    return src if isinstance(src, str) else "".join(src)


def run_cell(source: str, ns: dict) -> Any:
    """Run a cell's code in ``ns`` and return the value of its last expression (what the cell
    displays), or None."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<explorer cell>", "exec"), ns)
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), "<explorer cell>", "eval"), ns)


def _imports(source: str) -> list[ast.stmt]:
    """The top-level import statements of a cell's code."""
    try:
        return [s for s in ast.parse(source).body if isinstance(s, (ast.Import, ast.ImportFrom))]
    except SyntaxError:      # IPython magics: no imports to take from this cell
        return []


def build_twins(nb_json: dict, cells: list[int]) -> list[Twin]:
    """The explorer of each cell in ``cells``, built by the cell's own code after the imports
    of the cells before it (in cell order, so a naming toggle refreshes the map explorers built
    before it, as in the kernel)."""
    from nkteach.widgets import Explorer

    ns: dict = {}
    twins = []
    done = 0
    for i in cells:
        for j in range(done, i):
            if nb_json["cells"][j]["cell_type"] == "code":
                imports = ast.Module(body=_imports(_cell_source(nb_json, j)), type_ignores=[])
                exec(compile(imports, f"<imports of cell {j}>", "exec"), ns)
        done = i
        src = _cell_source(nb_json, i)
        ex = run_cell(src, ns)
        assert isinstance(ex, Explorer), f"explorer cell {i} does not end with an explorer: {src!r:.200}"
        twins.append(Twin(i, ex))
    return twins


def close_twins(twins: list[Twin]) -> None:
    """Close the twins' widgets and take them off the naming toggle's list of explorers."""
    from nkteach.widgets._explorer import NAMING_DEPENDENT

    for t in twins:
        NAMING_DEPENDENT.discard(t.explorer)
        for wdg in list(walk(t.explorer)):
            wdg.close()


class naming_kept:
    """Context manager: the test process's naming policy is put back afterwards (a twin naming
    toggle sets it, as the lesson's does in the kernel)."""

    def __enter__(self):
        from nkteach import naming

        self.saved = (naming.get_naming(), naming.get_first())
        return self

    def __exit__(self, *exc):
        from nkteach import naming

        naming.set_naming(*self.saved)
        return False


# ----------------------------------------------------------------------------- what a twin shows

def walk(wdg):
    """``wdg`` and the widgets inside it, in the order the page shows them."""
    yield wdg
    for c in getattr(wdg, "children", ()) or ():
        yield from walk(c)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def html_to_text(value: str) -> str:
    """The text content a browser gives an HTML widget's value (tags dropped, entities read)."""
    return _norm(html.unescape(re.sub(r"<[^>]*>", "", value)))


def texts(ex) -> list[str]:
    """The text of every HTML widget of explorer ``ex``, in page order."""
    import ipywidgets as w

    return [html_to_text(x.value) for x in walk(ex) if isinstance(x, (w.HTML, w.HTMLMath))]


def summary(ex) -> str:
    """The text of the explorer's summary widget ("Summary: …" or "Summary: ⚠ …")."""
    return html_to_text(ex.summary_widget.value)


def figures(ex) -> list[tuple[str, str]]:
    """(kind, content) of every figure in the explorer's output areas: ``("plotly", spec)`` or
    ``("map", map HTML)`` with folium's random ids replaced."""
    import ipywidgets as w

    out = []
    for o in walk(ex):
        if not isinstance(o, w.Output):
            continue
        for item in o.outputs:
            data = item.get("data", {})
            if PLOTLY_MIME in data:
                out.append(("plotly", json.dumps(data[PLOTLY_MIME], sort_keys=True)))
            elif "srcdoc=" in data.get("text/html", ""):
                doc = _SRCDOC.search(data["text/html"])
                out.append(("map", _HEX_ID.sub("X", html.unescape(doc.group(1)))))
            elif item.get("output_type") == "error":
                out.append(("error", item.get("ename", "")))
            elif data:
                out.append(("other", json.dumps(data, sort_keys=True)))
    return out


# ----------------------------------------------------------------------------- what the page shows

# The texts of the HTML widgets and the figures of one cell's output, as the twin's are read.
JS_SHOWN = r"""(sel) => {
  const cell = document.querySelector(sel);
  if (!cell) return null;
  const norm = s => s.replace(/\s+/g, ' ').trim();
  const texts = [...cell.querySelectorAll('.jp-OutputArea .widget-html .widget-html-content')]
    .map(e => norm(e.textContent));
  const figs = [];
  const outs = cell.querySelectorAll('.jp-OutputArea .js-plotly-plot, .jp-OutputArea iframe');
  outs.forEach(e => {
    if (e.tagName === 'IFRAME') {
      figs.push(['map', (e.getAttribute('srcdoc') || '').replace(/[0-9a-f]{32}/g, 'X')]);
      return;
    }
    // what plotly drew (its random ids, the plot's and each trace's uid, set aside) and the
    // figure it was given (a change that draws nothing new, e.g. in hover texts, shows there)
    const full = e._fullLayout || {};
    const uids = [full._uid, ...(e._fullData || []).map(t => t.uid)].filter(u => u && String(u).length > 2);
    let svg = [...e.querySelectorAll('svg.main-svg')].map(s => s.innerHTML).join('\n');
    if (!svg) { figs.push(['plotly', '']); return; }
    for (const u of uids) svg = svg.split(String(u)).join('U');
    // (not the layout's size: JupyterLab's plotly output relayouts with autosize on a resize;
    // not its template, large, whose effect is in the SVG)
    const layout = Object.fromEntries(Object.entries(e.layout || {})
      .filter(([k]) => !['autosize', 'width', 'height', 'template'].includes(k)));
    const given = JSON.stringify([e.data, layout], (k, v) => (k === 'uid' || k[0] === '_') ? undefined : v);
    figs.push(['plotly', svg + '\n' + given]);
  });
  return {texts, figs};
}"""

# Wait until the cell shows ``want`` (texts, figure kinds) and a figure that did (not) change.
JS_SHOWS = "([sel, want, before]) => {\n  const shown = (" + JS_SHOWN + ")(sel);" + r"""
  if (!shown || JSON.stringify(shown.texts) !== JSON.stringify(want.texts)) return false;
  if (JSON.stringify(shown.figs.map(f => f[0])) !== JSON.stringify(want.kinds)) return false;
  if (shown.figs.some(f => !f[1])) return false;                 // a chart or map not drawn yet
  if (before === null) return true;
  // each figure changed iff the twin's did (before and after have the same kinds)
  return shown.figs.every((f, i) => (!before[i] || f[1] !== before[i][1]) === want.changed[i]);
}"""


def shown(page, twin: Twin) -> dict:
    return page.evaluate(JS_SHOWN, twin.sel)


def steady(page, twin: Twin, timeout_s: float = 5) -> dict:
    """What the cell shows once two looks ``STEADY_S`` apart agree (a chart may be laid out
    again just after it is drawn, e.g. when the text beside it changes size)."""
    last = shown(page, twin)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(STEADY_S)
        now = shown(page, twin)
        if now == last:
            return now
        last = now
    return last


def _want(ex, old: list | None) -> dict:
    """What the browser must show: the twin's texts, kinds of figure and, given the twin's
    figures before the move (``old``), which of them changed."""
    now = figures(ex)
    changed = [old is None or i >= len(old) or f != old[i] for i, f in enumerate(now)]
    return {"texts": texts(ex), "kinds": [k for k, _ in now], "changed": changed}


def _diff(page, twin: Twin, want: dict, before) -> str:
    got = shown(page, twin) or {"texts": [], "figs": []}
    lines = []
    sb, sw = summary_of_texts(got["texts"]), summary(twin.explorer)
    if sb != sw:
        lines.append(f"summary in the browser: {sb!r}\n  the kernel explorer's: {sw!r}")
    for a, b in zip(got["texts"], want["texts"]):
        if a != b and a != sb:
            lines.append(f"text in the browser: {a[:300]!r}\n  the kernel explorer's: {b[:300]!r}")
    if len(got["texts"]) != len(want["texts"]):
        lines.append(f"{len(got['texts'])} HTML widgets shown, the explorer has {len(want['texts'])}")
    kinds = [k for k, _ in got["figs"]]
    if kinds != want["kinds"]:
        lines.append(f"figures shown {kinds}, expected {want['kinds']}")
    elif before is not None:
        for i, (f, should) in enumerate(zip(got["figs"], want["changed"])):
            changed = i >= len(before) or f[1] != before[i][1]
            if changed != should:
                lines.append(f"figure {i + 1} ({f[0]}, {len(f[1])} characters drawn) "
                             + ("changed" if changed else "did not change")
                             + " but the kernel explorer's " + ("did" if should else "did not"))
    return "\n".join(lines) or "(shown now, but not within the wait)"


def summary_of_texts(ts: list[str]) -> str:
    return next((t for t in ts if t.startswith("Summary:")), "")


def expect(page, twin: Twin, before, old, what: str, old_texts: list[str] | None = None) -> None:
    """The cell shows the twin's texts and kinds of figure, and (unless ``before`` is None)
    figures each of which changed from the browser's ``before`` iff the twin's changed from
    ``old``. When nothing is to change (texts as ``old_texts``, no figure changed), or on the
    first view, it is checked twice, ``SETTLE_S`` apart: the first look may come before the
    kernel's reply. (Once a text has changed, the kernel has sent everything: it sets the
    figure before the summary, and a figure being redrawn does not pass the check.)"""
    want = _want(twin.explorer, old)
    still = old_texts is None or (want["texts"] == old_texts and not any(want["changed"]))
    for look in ((1, 2) if still else (1,)):
        try:
            page.wait_for_function(JS_SHOWS, arg=[twin.sel, want, before], timeout=UPDATE_S * 1000,
                                   polling=50)
        except Exception as e:   # playwright's TimeoutError
            raise AssertionError(f"explorer cell {twin.cell} ({twin.explorer.name}), {what}: "
                                 f"not as the kernel explorer says after {UPDATE_S}s"
                                 + (" (it was, then it changed)" if look == 2 else "") + ":\n"
                                 + _diff(page, twin, want, before)) from e
        if look == 1 and still:
            time.sleep(SETTLE_S)


def check_same(page, twin: Twin) -> None:
    """The browser shows what the twin shows now (texts and kinds of figures)."""
    expect(page, twin, None, None, "as first shown")


# ----------------------------------------------------------------------------- the controls

def controls(ex) -> list[Any]:
    """The widgets a user moves in explorer ``ex``, in page order: every dropdown, toggle
    button(s), checkbox and slider (a YearRange gives its two dropdowns)."""
    import ipywidgets as w

    kinds = (w.Dropdown, w.ToggleButtons, w.Checkbox, w.ToggleButton, w.IntSlider, w.Select, w.RadioButtons)
    return [x for x in walk(ex) if isinstance(x, kinds)]


def covered(ex, moved: list[Any]) -> list[str]:
    """Keys of ``ex.controls`` none of whose widgets is among ``moved``."""
    ids = {id(x) for x in moved}
    return [k for k, c in ex.controls.items() if not any(id(x) in ids for x in walk(c))]


def _desc(wdg) -> str:
    return str(getattr(wdg, "description", "") or "").strip()


def _exact(text: str):
    return re.compile(r"^\s*" + re.escape(text) + r"\s*$")


def locate(page, twin: Twin, wdg):
    """The element a user operates for ``wdg`` in the cell, found by its visible label."""
    import ipywidgets as w

    cell = page.locator(twin.sel)
    d = _desc(wdg)
    where = f"explorer cell {twin.cell} ({twin.explorer.name}): a {type(wdg).__name__}"
    assert d, f"{where} has no description: no visible label to find it by"
    if isinstance(wdg, (w.Dropdown, w.Select, w.Checkbox)):
        loc = cell.get_by_label(d, exact=True)
    elif isinstance(wdg, w.ToggleButton):
        loc = cell.locator("button.widget-toggle-button").filter(has_text=_exact(d))
    elif isinstance(wdg, (w.ToggleButtons, w.RadioButtons, w.IntSlider)):
        # the widget's box: the parent of its description label
        loc = cell.locator(".jp-OutputArea label.widget-label").filter(has_text=_exact(d)).locator("xpath=..")
    else:
        raise AssertionError(f"{where}: no rule to find it")
    n = loc.count()
    if n != 1:
        labels = cell.locator(".jp-OutputArea label").evaluate_all(
            "ls => ls.map(l => l.outerHTML.slice(0, 120))")
        raise AssertionError(f"{where} labelled {d!r}: {n} elements carry that visible label; "
                             f"labels in the output: {labels}")
    label_visible = loc.is_visible() if isinstance(wdg, w.ToggleButton) else (
        cell.locator("label").filter(has_text=_exact(d)).first.is_visible())
    assert label_visible, f"{where}: its label {d!r} is not visible"
    return loc


def _other(n: int, i: int) -> int:
    """Another option than ``i`` of ``n``: the next one, or the first after the last."""
    return (i + 1) % n


@dataclass
class Move:
    how: str
    browser: Any      # callable(locator)
    twin: Any         # callable()


def moves_for(page, wdg, *, keyboard: bool, start_node: bool, span=None) -> list[Move]:
    """How ``wdg`` is moved (one or more moves, each followed by a check). ``span``: the
    YearRange ``wdg`` is an end of; its window is widened by keyboard (Home on "from", End on
    "to") and narrowed by one option otherwise, so that it never collapses to one year."""
    import ipywidgets as w

    if isinstance(wdg, w.Dropdown):
        n = len(wdg.options)

        def to(i):
            def twin():
                wdg.index = i
            return twin

        def pick(i):
            return lambda loc: loc.select_option(value=wdg._options_labels[i])

        if start_node:     # issue 20: select_option, End/Home, click + keyboard
            first = next((k for k, v in enumerate(wdg._options_values) if v == "D"), 1)

            def click_choose(loc):
                loc.click()                       # opens the list
                page.keyboard.press("ArrowDown")  # in the open list, not the notebook
                page.keyboard.press("Enter")

            # ends on the node after "(none)", so that the controls after it have a start node
            return [Move(f"select_option {wdg._options_labels[first]!r}", pick(first), to(first)),
                    Move("keyboard End", lambda loc: (loc.focus(), loc.press("End")), to(n - 1)),
                    Move("keyboard Home", lambda loc: (loc.focus(), loc.press("Home")), to(0)),
                    Move("click, ArrowDown, Enter", click_choose, to(1))]
        now = wdg.index if wdg.index is not None else 0
        if keyboard:
            home = (now > 0) if span is not None and wdg is span.start else (now == n - 1)
            key, i = ("Home", 0) if home else ("End", n - 1)
            return [Move(f"keyboard {key}", lambda loc: (loc.focus(), loc.press(key)), to(i))]
        if span is not None and wdg is span.start:
            i = now + 1 if now < span.end.index else max(now - 1, 0)
        elif span is not None:
            i = now - 1 if now > span.start.index else min(now + 1, n - 1)
        else:
            i = _other(n, now)
        return [Move("select_option", pick(i), to(i))]
    if isinstance(wdg, w.ToggleButtons):
        i = _other(len(wdg.options), wdg.index)
        label = wdg._options_labels[i]

        def click(loc):
            loc.locator("button").filter(has_text=_exact(label)).click()

        def press(loc):       # Tab reaches each option's button; Space presses it
            button = loc.locator("button").filter(has_text=_exact(label))
            button.focus()
            button.press("Space")

        def twin():
            wdg.index = i
        if keyboard:
            return [Move(f"keyboard Space on {label!r}", press, twin)]
        return [Move(f"click {label!r}", click, twin)]
    if isinstance(wdg, (w.Checkbox, w.ToggleButton)):
        def twin():
            wdg.value = not wdg.value
        if keyboard:
            return [Move("keyboard Space", lambda loc: (loc.focus(), loc.press("Space")), twin)]
        return [Move("click", lambda loc: loc.click(), twin)]
    if isinstance(wdg, w.IntSlider):
        up = wdg.value + wdg.step <= wdg.max
        key = "ArrowRight" if up else "ArrowLeft"

        def twin():
            wdg.value = wdg.value + (wdg.step if up else -wdg.step)
        return [Move(f"keyboard {key}", lambda loc: (loc.locator(".noUi-handle").focus(),
                                                     loc.locator(".noUi-handle").press(key)), twin)]
    raise AssertionError(f"no rule to move a {type(wdg).__name__}")


def kind(wdg) -> str:
    """"dropdown", "checkbox" (a Checkbox or ToggleButton), "buttons" or "slider"."""
    import ipywidgets as w

    if isinstance(wdg, (w.Dropdown, w.Select)):
        return "dropdown"
    if isinstance(wdg, (w.Checkbox, w.ToggleButton)):
        return "checkbox"
    return "slider" if isinstance(wdg, w.IntSlider) else "buttons"


def drive(page, twin: Twin, *, by_keyboard: set) -> None:
    """Move every control of ``twin``'s explorer in the browser and on the twin, checking the
    browser against the twin after each move. The first dropdown and the first checkbox or
    toggle button of a lesson are moved by keyboard (End/Home, Space): ``by_keyboard`` holds the
    kinds (:func:`kind`) already moved so and is updated."""
    ex = twin.explorer
    ctrls = controls(ex)
    missing = covered(ex, ctrls)
    assert not missing, f"explorer {ex.name}: controls {missing} are not widgets a user can move"
    from nkteach.widgets._range import YearRange

    spans = {id(x): r for r in walk(ex) if isinstance(r, YearRange) for x in (r.start, r.end)}
    for wdg in ctrls:
        loc = locate(page, twin, wdg)
        start_node = ex.name == "linkage_network_explorer" and wdg is ex.controls.get("start")
        kb = kind(wdg) not in by_keyboard
        for m in moves_for(page, wdg, keyboard=kb, start_node=start_node, span=spans.get(id(wdg))):
            before = steady(page, twin)["figs"]
            old, old_texts = figures(ex), texts(ex)
            m.browser(loc)
            m.twin()
            what = f"{_desc(wdg)!r} ({m.how})"
            expect(page, twin, before, old, what, old_texts)
            twin.driven.append(what)
            if m.how.startswith("keyboard"):
                by_keyboard.add(kind(wdg))
