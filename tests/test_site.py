"""The static course website (scripts/build_site.py) and its PDFs (scripts/print_pdf.py).

Built once per session into temporary folders: the real lessons (student edition) and a small
fixture lesson (tests/fixtures/site_lessons) that calls the real ``nkteach.show``,
``widgets.freedom_explorer`` and ``exercises.multiple_choice``/``numeric`` in both editions.
Each lesson page is opened in headless Chromium served from 127.0.0.1 with every other request
aborted and checked: charts and maps drawn, no JavaScript error, no request outside the site,
the explorers' first views and launch buttons there, and one exercise answered right shows its
explanation while one answered wrong does not (the right answer is read from the instructor
lesson in lessons/). Under CI=true a missing Chromium or pdftotext fails.
"""
from __future__ import annotations

import ast
import html
import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nkteach.live import SITES
from nkteach.notebooks import exercise_calls, read_notebook
from nkteach.sealing import literal
from nkteach.widgets import EXPLORERS
from tests.support.paths import LESSONS, ROOT, need_module, require, script
from tests.support import browser

sync_api = need_module("playwright.sync_api")

pytestmark = pytest.mark.browser

FIXTURE_LESSONS = ROOT / "tests" / "fixtures" / "site_lessons"
HUB = "https://hub.example.edu"
# Base-map tiles are optional (a map draws without them); no other request may leave the site.
# The one tile rule of every browser test (known tile hosts only).
TILE = browser.TILE_URL


build_site = script("build_site")
print_pdf = script("print_pdf")


# The student site's buttons open student copies on a branch of their own (site/launch.yml).
STUDENT_BRANCH = "student"


def _build(tmp: Path, edition: str, lessons: Path, hub: str = "") -> Path:
    launch = {"hub_url": hub, "repository": "", "branch": "main", "student_branch": STUDENT_BRANCH}
    out = tmp / f"site-{edition}"
    build_site.build(edition, out, tmp / f"src-{edition}", lessons, launch, log=lambda *_: None,
                     course_root=tmp)       # the course secret of the release codes goes in tmp
    return out


@pytest.fixture(scope="session")
def student_site(course_sites) -> Path:
    """The student edition of the real lessons: the session's one build (tests/conftest.py)."""
    return course_sites["student"]


@pytest.fixture(scope="session")
def fixture_sites(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("fixture-site")
    return {ed: _build(tmp, ed, FIXTURE_LESSONS, HUB) for ed in build_site.EDITIONS}


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as p:
        b = browser.launch(p)
        yield b
        b.close()


def _open(chromium, url: str):
    """A page on ``url`` with every non-local request aborted; returns (page, ctx, log)."""
    ctx = chromium.new_context(viewport={"width": 1200, "height": 900})
    log = {"outside": [], "errors": [], "requests": []}

    def handle(route, request):
        log["requests"].append(request.url)
        if browser.is_local(request.url):
            route.continue_()
        else:
            if not TILE.search(request.url):
                log["outside"].append(request.url)
            route.abort("blockedbyclient")

    ctx.route("**/*", handle)
    page = ctx.new_page()
    page.on("pageerror", lambda e: log["errors"].append(f"pageerror: {e}"))
    page.on("console", lambda m: log["errors"].append(f"console: {m.text}") if m.type == "error" else None)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, ctx, log


CHARTS_JS = """() => [...document.querySelectorAll('div.nkteach-plotly')].map(d => ({
  label: d.getAttribute('aria-label') || '', role: d.getAttribute('role'),
  drawn: !!d.querySelector('svg.main-svg')}))"""
HEADINGS_JS = """() => [...document.querySelectorAll('article.bd-article :is(h1,h2,h3,h4,h5,h6)')]
  .map(h => [Number(h.tagName[1]), h.textContent.trim()])"""
MAPS_JS = """() => [...document.querySelectorAll('.folium-map')].map(m =>
  m.querySelectorAll('path.leaflet-interactive, .leaflet-marker-icon, .leaflet-marker-pane > *').length)"""
EXPECTED_MAPS_JS = """() => document.querySelectorAll('.folium-map').length +
  [...document.querySelectorAll('iframe')].filter(f => (f.srcdoc || '').includes('folium-map')
    || (f.getAttribute('src') || '').includes('folium')).length"""


def _check_page(page, log) -> list[str]:
    """Every problem on a loaded lesson page (empty list: the page is fine)."""
    problems = []
    try:
        page.wait_for_function(print_pdf.DRAWN_JS, timeout=30_000)
    except sync_api.TimeoutError:
        pass
    charts = page.evaluate(CHARTS_JS)
    problems += [f"chart {c['label']!r} not drawn" for c in charts if not c["drawn"]]
    problems += [f"chart without role=img and a label: {c}" for c in charts
                 if c["role"] != "img" or not c["label"]]
    summaries = page.locator(".nkteach-summary").count()
    if summaries < len(charts):
        problems.append(f"{len(charts)} charts but only {summaries} text summaries")
    # maps: in the page or in the frames folium draws them in
    expected_maps = page.evaluate(EXPECTED_MAPS_JS)
    page.wait_for_timeout(1500 if expected_maps else 0)
    drawn = []
    for frame in page.frames:
        try:
            drawn += frame.evaluate(MAPS_JS)
        except sync_api.Error:
            pass
    if len(drawn) < expected_maps:
        problems.append(f"{expected_maps} maps on the page, {len(drawn)} found drawing")
    problems += [f"map {i} has no layers or markers" for i, n in enumerate(drawn) if n == 0]
    levels = page.evaluate(HEADINGS_JS)
    if not levels or levels[0][0] != 1 or [lv for lv, _ in levels].count(1) != 1:
        problems.append(f"the page must have exactly one h1, first: {levels[:3]}")
    for (a, _), (b, text) in itertools.pairwise(levels):
        if b > a + 1:
            problems.append(f"heading level jumps from h{a} to h{b} at {text!r}")
    alt_missing = page.locator("article.bd-article img:not([alt])").count()
    if alt_missing:
        problems.append(f"{alt_missing} images without alt text")
    problems += [f"request outside the site: {u}" for u in sorted(set(log["outside"]))]
    problems += [e for e in log["errors"] if "ERR_BLOCKED_BY_CLIENT" not in e]
    plotly_loads = [u for u in log["requests"] if re.search(r"plotly[^/]*\.js", u)]
    if len(plotly_loads) > 1 or any("/_static/plotly.min.js" not in u for u in plotly_loads):
        problems.append(f"plotly.js must load once from _static: {plotly_loads}")
    return problems


# ---------------------------------------------------------------- structure (no browser)

def test_site_has_every_lesson_page_and_one_plotly_js(student_site):
    assert (student_site / "index.html").is_file()
    pages = sorted(p.stem for p in (student_site / "lessons").glob("[0-9][0-9]-*.html"))
    assert pages == [p.stem for p in LESSONS]
    for course_page in (ROOT / "lessons").glob("*.md"):     # syllabus, glossary, … when they exist
        if "audience: instructor" in course_page.read_text(encoding="utf-8"):
            continue                                         # instructor edition only (below)
        assert (student_site / "lessons" / f"{course_page.stem}.html").is_file(), course_page.name
    copies = [p for p in student_site.rglob("*.js") if "plotly" in p.name.lower()]
    assert [p.relative_to(student_site).as_posix() for p in copies] == ["_static/plotly.min.js"]
    home = (student_site / "index.html").read_text(encoding="utf-8")
    for lesson in LESSONS:       # the course map links every lesson
        assert f'href="lessons/{lesson.stem}.html"' in home, lesson.name
    for page in (student_site / "lessons").glob("[0-9][0-9]-*.html"):
        text = page.read_text(encoding="utf-8")
        assert text.count("_static/plotly.min.js") == 1, page.name
        assert "application/vnd.plotly.v1+json" not in text and "cdn.plot.ly" not in text, page.name
        assert len(text) < 1_000_000, f"{page.name} is {len(text)} bytes: a plotly.js copy inlined?"
        assert 'class="nkteach-launch-binder" href="https://mybinder.org/v2/' in text, page.name


def test_student_site_has_no_solutions(student_site):
    """Nothing a lesson tags as solution or instructor, and no exercise's why= text, is on the site."""
    text = " ".join(p.read_text(encoding="utf-8") for p in (student_site / "lessons").glob("*.html"))
    secrets = _answer_texts()
    assert secrets, "found no answer texts in the lessons to look for"
    plain = _norm(html.unescape(re.sub(r"<[^>]+>", " ", text)))
    leaked = [s for s in secrets if s in plain]
    assert not leaked, leaked[:3]


def test_generated_toc_lists_every_lesson_and_course_page(fixture_sites):
    site = fixture_sites["student"]
    toc = (site.parent / "src-student" / "_toc.yml").read_text(encoding="utf-8")
    assert "lessons/01-site-fixture" in toc and "lessons/glossary" in toc and "references" in toc
    assert (site / "lessons" / "glossary.html").is_file()
    assert "GLOSSARY-FIXTURE-TERM" in (site / "lessons" / "glossary.html").read_text(encoding="utf-8")


def test_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "precious.txt").write_text("keep me")
    with pytest.raises(build_site.SiteBuildError, match="not made by this script"):
        build_site.build("student", tmp_path / "out", tmp_path / "src", FIXTURE_LESSONS, {})
    assert (tmp_path / "out" / "precious.txt").read_text() == "keep me"


@pytest.mark.parametrize("argv, message", [
    (["--edition", "teacher"], "--edition must be one of student, instructor, got 'teacher'"),
    (["--hub-url", "hub.example.edu"], "must be an http(s) URL"),
    (["--lessons", "no/such/folder"], "is not a folder"),
])
def test_build_driver_rejects_bad_options(argv, message, capsys):
    assert build_site.main(argv) == 2
    assert message in capsys.readouterr().err


def test_plotly_output_becomes_a_labelled_div():
    nb = {"metadata": {"widgets": {"state": {}}}, "cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": {
            "application/vnd.plotly.v1+json": {"data": [],
                                               "layout": {"title": {"text": "A <b>t</b> & </script>"}}},
            "text/html": "<p>open in JupyterLab</p>", "text/plain": "<chart>"}},
        {"output_type": "display_data", "data": {
            "application/vnd.jupyter.widget-view+json": {"model_id": "x"}, "text/plain": "VBox()"}},
        {"output_type": "display_data", "data": {
            "application/vnd.jupyter.widget-view+json": {"model_id": "y"},
            "text/html": '<div class="nkteach-exercise" data-ex-id="q"><form></form></div>',
            "text/plain": "E"}}]}]}
    counts = build_site.convert_outputs(nb)
    assert counts == {"plotly": 1, "fallbacks": 1, "widget_notes": 1} and "widgets" not in nb["metadata"]
    first, second, third = (o["data"] for o in nb["cells"][0]["outputs"])
    assert first["text/html"].startswith('<div class="nkteach-plotly" role="img" aria-label="A t &amp;">')
    payload = re.search(r'<script type="application/json">(.*)</script></div>$', first["text/html"]).group(1)
    assert "</" not in payload and json.loads(payload)["layout"]["title"]["text"] == "A <b>t</b> & </script>"
    assert "application/vnd.plotly.v1+json" not in first
    assert "nkteach-widget-note" in second["text/html"] and "text/plain" not in second
    # a fallback is what the page shows: the widget view (which needs a kernel) is gone
    assert third == {"text/html": '<div class="nkteach-exercise" data-ex-id="q"><form></form></div>'}


def test_explorer_title_takes_the_level_under_its_section():
    view = '<div class="nkteach-explorer-static"><h4>Title</h4><p class="nkteach-summary">S</p></div>'
    nb = {"cells": [{"cell_type": "markdown", "source": "# Lesson\n\n## Part\n\ntext"},
                    {"cell_type": "code", "source": "", "outputs": [{"data": {"text/html": view}}]},
                    {"cell_type": "markdown", "source": ["### Deeper\n"]},
                    {"cell_type": "code", "source": "", "outputs": [{"data": {"text/html": [view]}}]}]}
    assert build_site.fit_explorer_headings(nb) == 1
    pages = [c["outputs"][0]["data"]["text/html"] for c in nb["cells"][1::2]]
    assert pages == [view.replace("h4>", "h3>"), [view]]    # under h2 → h3; under h3 the h4 stays
    for opening in ('<div class="nkteach-explorer-static" data-explorer="freedom_explorer">',
                    '<div class="nkteach-live" id="nkl-x" data-explorer="x" data-mechanism="states">'):
        page = f'{opening}<h4>Title</h4><div class="nkl-summary">S</div></div>'
        nb = {"cells": [{"cell_type": "markdown", "source": "## Part"},
                        {"cell_type": "code", "source": "", "outputs": [{"data": {"text/html": page}}]}]}
        assert build_site.fit_explorer_headings(nb) == 1
        assert nb["cells"][1]["outputs"][0]["data"]["text/html"] == page.replace("h4>", "h3>")


def test_live_explorers_replace_frozen_first_views(tmp_path, monkeypatch):
    """convert_outputs: an explorer nkteach.live covers gets its live markup (lazy ones a same-site
    JSON file); one it does not cover keeps its frozen first view."""
    from nkteach import widgets

    monkeypatch.delitem(SITES, "military_expenditure_explorer")   # every explorer is live: one stands in
    shown = (widgets.naming_toggle(), widgets.military_expenditure_explorer())
    bundles = [ex._repr_mimebundle_() for ex in shown]
    nb = {"cells": [{"cell_type": "code", "source": "", "outputs": [{"data": dict(b)}]} for b in bundles]}
    live = build_site.LiveExplorers(tmp_path)
    counts = build_site.convert_outputs(nb, live)
    pages = [c["outputs"][0]["data"]["text/html"] for c in nb["cells"]]
    assert counts["live"] == 1 and counts["fallbacks"] == 1, counts
    assert pages[0].startswith('<div class="nkteach-live"') and 'data-explorer="naming_toggle"' in pages[0]
    frozen = '<div class="nkteach-explorer-static" data-explorer="military_expenditure_explorer"'
    assert pages[1].startswith(frozen)
    assert list(live.descs) == ["naming_toggle"] and not (tmp_path / "live").exists()   # inline, not lazy


# ---------------------------------------------------------------- what a lesson page must hold

def _kwargs(call) -> dict:
    return {k.arg: literal(k.value, k.arg) for k in call.keywords
            if k.arg in ("answer", "why", "citation", "also", "hint")}


def _choice_exercises(lesson: Path) -> list[dict]:
    """Every multiple-choice exercise of an instructor lesson with a literal answer, its options,
    its why= text and one wrong option (not the answer, not an also-defensible one)."""
    found = []
    for _, name, ex_id, call in exercise_calls(read_notebook(lesson)):
        if name != "multiple_choice" or not isinstance(ex_id, str) or len(call.args) < 3:
            continue
        kw = _kwargs(call)
        options = literal(call.args[2], "options")
        also = kw.get("also") or []
        also = [also] if isinstance(also, str) else list(also)
        wrong = [o for o in options if o != kw.get("answer") and o not in also]
        if kw.get("answer") in options and kw.get("why") and wrong:
            found.append({"ex_id": ex_id, "answer": kw["answer"], "wrong": wrong[0], "why": kw["why"]})
    return found


EXPLORER_NAMES = {s.name: s for s in EXPLORERS} | {a: s for s in EXPLORERS for a in s.aliases}


def _explorer_calls(lesson: Path) -> list[str]:
    """Names of the explorers a lesson shows: registered ones and any other ``*_explorer()``."""
    names = []
    for cell in read_notebook(lesson)["cells"]:
        if cell["cell_type"] == "code":
            names += re.findall(r"\b(\w+_explorer|naming_toggle)\(", "".join(cell["source"]))
    return names


def _answer(page, ex_id: str, option: str) -> str:
    """Choose ``option`` in the form of exercise ``ex_id``, press Check; return the feedback text."""
    root = page.locator(f'div.nkteach-exercise[data-ex-id="{ex_id}"]')
    assert root.count() == 1, f"exercise {ex_id}: {root.count()} forms on the page"
    radios = root.locator("input[type=radio]")
    values = [radios.nth(i).get_attribute("value") for i in range(radios.count())]
    assert option in values, f"exercise {ex_id}: option {option!r} not among {values}"
    radios.nth(values.index(option)).check()
    root.locator('button[type="submit"]').click()
    feedback = root.locator(".nk-feedback")
    sync_api.expect(feedback).not_to_be_empty(timeout=10_000)
    return _norm(feedback.inner_text())


def _check_exercises(page, lesson: Path) -> list[str]:
    """One exercise answered right shows its explanation; one answered wrong does not."""
    choices = _choice_exercises(lesson)
    if not choices:
        return [f"{lesson.name} has no multiple-choice exercise with a literal answer to try"]
    right, wrong = choices[0], choices[-1]    # the same one when the lesson has only one
    problems = []
    said = _answer(page, wrong["ex_id"], wrong["wrong"])
    why_wrong = _norm(wrong["why"])[:60]
    if not said.startswith("✘ Not yet") or why_wrong in said or why_wrong in _norm(page.inner_text("body")):
        problems.append(f"{wrong['ex_id']} answered wrong ({wrong['wrong']!r}) said: {said[:200]!r}")
    said = _answer(page, right["ex_id"], right["answer"])
    if not said.startswith("✔ Correct.") or _norm(right["why"])[:60] not in said:
        problems.append(f"{right['ex_id']} answered right did not show its explanation: {said[:200]!r}")
    return problems


EXPLORERS_JS = """() => [...document.querySelectorAll('.nkteach-explorer-static, .nkteach-live')].map(d => ({
  name: d.dataset.explorer || '', live: d.classList.contains('nkteach-live'),
  chart: !!d.querySelector('div.nkteach-plotly, .nkl-chart'),
  drawn: !!d.querySelector(':is(div.nkteach-plotly, .nkl-chart) svg.main-svg'),
  map: !!d.querySelector('iframe, .folium-map'),
  note: (d.querySelector('.nkteach-explorer-note') || {}).innerText || '',
  summary: !!d.querySelector('.nkteach-summary')}))"""


def _check_explorers(page, lesson: Path) -> list[str]:
    """Every explorer shows its first view (chart drawn or map), a summary and a line on what the
    controls do; the page has its launch buttons."""
    calls = _explorer_calls(lesson)
    _ready(page)
    shown = page.evaluate(EXPLORERS_JS)
    problems = []
    if len(shown) < len(calls):
        problems.append(f"{len(calls)} explorers in the lesson ({', '.join(calls)}), "
                        f"{len(shown)} first views on the page")
    for i, view in enumerate(shown):
        if len(view["note"]) < 40:
            problems.append(f"explorer {i}: no line on what moving the controls does")
        if view["chart"] and not view["drawn"]:
            problems.append(f"explorer {i}: its chart is not drawn")
    charted = [n for n in calls if n not in EXPLORER_NAMES
               or any(not s.startswith("maps:") for s in EXPLORER_NAMES[n].shows)]
    drawn = sum(v["drawn"] for v in shown)
    if drawn < len(charted):
        problems.append(f"explorers that draw a chart: {charted}; charts drawn in first views: {drawn}")
    if calls and not page.locator("a.nkteach-launch-binder").is_visible():
        problems.append("no Binder launch button for the live explorers")
    return problems


def _ready(page) -> int:
    """Scroll to each live explorer (a lazy one loads its states then) and wait until every one
    has drawn its first view; return how many there are."""
    print_pdf.wait_live(page, timeout_ms=60_000)     # the printer's own wait: one rule
    assert not page.locator(".nkteach-live[data-nkl-error]").count(), "a live explorer failed to start"
    return page.locator(".nkteach-live").count()


# The description of a live explorer on a page: inline, or the same-site JSON file it loaded.
LIVE_DESC_JS = """async root => {
  const inline = root.querySelector('script.nkl-data');
  const d = inline ? JSON.parse(inline.textContent) : await (await fetch(root.dataset.src)).json();
  return {name: d.name, controls: d.controls.map(c => ({kind: c.kind, key: c.key, n: c.labels.length}))};
}"""


LIVE_MAPS_JS = """root => [...root.querySelectorAll('.nkl-map:not([hidden]) iframe')].map(f => ({
  title: f.getAttribute('title') || '',
  described: (document.getElementById(f.getAttribute('aria-describedby') || '-') || {}).textContent
    || ''}))"""


def _seen(read: dict) -> tuple:
    """What a reader sees of a live explorer: its summary, chart traces, map page and side texts."""
    return (read["summary"], json.dumps(read["traces"]), read["map"], tuple(read["side"]))


def _part(ctl: dict, choice) -> str:
    """A control's part of a state key (see nkteach.live.states): ``"3"`` or ``"i-j"``."""
    return f"{choice[0]}-{choice[1]}" if ctl["kind"] == "pair" else str(choice)


def _choices(ctl: dict) -> list:
    """Every choice of a control as the page offers it (a range: two ends in order)."""
    n = len(ctl["labels"])
    return [(i, j) for i in range(n) for j in range(i, n)] if ctl["kind"] == "pair" else list(range(n))


def _expected(desc: dict, key: str) -> tuple[str, str] | None:
    """(summary, everything shown) of state ``key`` as the kernel explorer computed it (stored
    state or declarative view); None when the page cannot reach that state."""
    from nkteach.live.states import SENTENCE, view_choices
    from nkteach.live.view import run

    if "view" in desc:
        out = run(desc["view"], desc["pool"], view_choices(desc, key))   # + the naming policy's index
        summary = f"⚠ {out['error']}" if out.get("error") else f"Summary: {out['summary']}"
        return summary, json.dumps(out, sort_keys=True)
    st = desc["states"].get(key)
    if st is None:
        return None
    pool = desc["pool"]
    summary = f"⚠ {pool[st['e']]}" if "e" in st else "Summary: " + SENTENCE.join(pool[i] for i in st["s"])
    return summary, json.dumps(st, sort_keys=True)


def _with(desc: dict, key: str, i: int, choice) -> str:
    parts = key.split("|")
    parts[i] = _part(desc["controls"][i], choice)
    return "|".join(parts)


def _move_plan(desc: dict, key: str, i: int, rng) -> tuple[str, object]:
    """A state to start from and a choice of control ``i`` whose view differs there, as the
    kernel explorer says: from ``key`` if some choice changes the view, else from another state
    (e.g. the linkage explorer's *remove* does nothing while no level is ticked)."""
    ctl = desc["controls"][i]
    bases = [key]
    if "view" in desc:
        from tests.support.live import random_keys

        bases += random_keys(desc, rng, 40)
    else:
        others = sorted(desc["states"])
        rng.shuffle(others)
        bases += others
    for base in bases:
        now = _expected(desc, base)
        if now is None:
            continue
        here = base.split("|")[i]
        for choice in _choices(ctl):
            if _part(ctl, choice) == here:
                continue
            there = _expected(desc, _with(desc, base, i, choice))
            if there is not None and there[1] != now[1]:
                return base, choice
    raise AssertionError(f"{desc['name']}: no state where control {ctl['key']} changes the view")


def _set_state(page, root, desc: dict, key: str) -> None:
    """Set every control of a live explorer to state ``key`` through the page, one by one."""
    from tests.support.live import set_choice
    from nkteach.live.states import key_choices

    want = key_choices(desc, key)
    for j, ctl in enumerate(desc["controls"]):
        cur = root.get_attribute("data-nkl-state").split("|")[j]
        if cur != _part(ctl, want[j]):
            set_choice(page, root, j, ctl, tuple(want[j]) if ctl["kind"] == "pair" else want[j])
    page.wait_for_function("([r, k]) => r.dataset.nklState === k", arg=[root.element_handle(), key],
                           timeout=10_000)


def _check_live(page, lesson: Path) -> list[str]:
    """Each live explorer on the page: every control is moved in turn, to a choice that changes
    the view as the kernel explorer's description says (from the current state, or from a state
    where that control matters, set first through the page); the page must reach that state and
    show the kernel's summary for it, and what the reader sees must change."""
    import random

    from nkteach.live import described
    from tests.support.live import READ_JS, set_choice

    problems = []
    roots = page.locator(".nkteach-live")
    for r in range(roots.count()):
        root = roots.nth(r)
        args = json.loads(root.get_attribute("data-explorer-args") or "{}")
        desc = described(root.get_attribute("data-explorer"), **args)
        rng = random.Random(f"{lesson.stem}/{desc['name']}")
        naming = root.get_attribute("data-nkl-state").split("|")[len(desc["controls"]):]
        frames = root.evaluate(LIVE_MAPS_JS)      # the first view's maps, then the last view's
        for i, ctl in enumerate(desc["controls"]):
            key = root.get_attribute("data-nkl-state")
            base, choice = _move_plan(desc, key, i, rng)
            if naming and base.split("|")[-1] != naming[0]:   # keep the page's naming policy
                base = "|".join(base.split("|")[:-1] + naming)
            if base != key:
                _set_state(page, root, desc, base)
            before = root.evaluate(READ_JS)
            target = _with(desc, base, i, choice)
            set_choice(page, root, i, ctl, choice)
            try:
                page.wait_for_function("([r, k]) => r.dataset.nklState === k",
                                       arg=[root.element_handle(), target], timeout=10_000)
            except Exception:
                problems.append(f"{lesson.stem} {desc['name']}: {ctl['key']} → {choice}: the page did "
                                f"not reach state {target} (it shows {root.get_attribute('data-nkl-state')})")
                continue
            after = root.evaluate(READ_JS)
            want = _expected(desc, target)
            if after["summary"] != want[0]:
                problems.append(f"{lesson.stem} {desc['name']}: {ctl['key']} → {choice}: summary "
                                f"{after['summary'][:80]!r}, the kernel's {want[0][:80]!r}")
            if _seen(after) == _seen(before):
                problems.append(f"{lesson.stem} {desc['name']}: {ctl['key']} → {choice}: nothing changed "
                                "for the reader although the kernel's view did")
        for frame in frames + root.evaluate(LIVE_MAPS_JS):     # the site labels the maps it draws too
            if not (frame["title"].startswith("Map: ") and frame["described"].startswith("Summary:")):
                problems.append(f"{lesson.stem} {desc['name']}: map not titled and described: {frame}")
    return problems


# ---------------------------------------------------------------- in the browser

@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_page_works_offline(chromium, student_site, lesson, artifacts):
    """Issue 12's site test, per lesson page: charts and maps drawn, no JavaScript error, no
    request outside the site, explorers' first views, and an exercise answered right and wrong."""
    with print_pdf.serve(student_site) as base:
        page, ctx, log = _open(chromium, f"{base}/lessons/{lesson.stem}.html")
        try:
            problems = _check_page(page, log)
            problems += _check_explorers(page, lesson)
            problems += _check_exercises(page, lesson)
            if lesson.stem.startswith("03"):
                out = artifacts / "site"
                out.mkdir(exist_ok=True)
                right = _choice_exercises(lesson)[0]["ex_id"]
                page.locator(f'div.nkteach-exercise[data-ex-id="{right}"]').scroll_into_view_if_needed()
                page.screenshot(path=str(out / f"lesson-{lesson.stem}-answered.png"))
        finally:
            ctx.close()
    # errors and requests that came while the exercises were answered (_check_page saw the rest)
    late = [e for e in log["errors"] if "ERR_BLOCKED_BY_CLIENT" not in e]
    late += [f"request outside the site: {u}" for u in sorted(set(log["outside"]))]
    problems += [e for e in late if e not in problems]
    assert not problems, "\n".join(problems)


def test_every_explorer_is_live_on_the_site(student_site):
    """Every registered explorer has a live version (issue 20), and across the student site's
    lesson pages each one is shown live somewhere and none frozen."""
    from nkteach.widgets._registry import names

    assert set(SITES) == set(names()), sorted(set(SITES) ^ set(names()))
    assert all(SITES[n].mechanism != "frozen" for n in SITES)
    live, frozen = set(), set()
    for page in (student_site / "lessons").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        live |= set(re.findall(r'<div class="nkteach-live" id="[^"]*" data-explorer="([a-z_]+)"', text))
        frozen |= set(re.findall(r'<div class="nkteach-explorer-static" data-explorer="([a-z_]+)"', text))
    assert live == set(SITES), sorted(set(SITES) ^ live)
    assert not frozen, sorted(frozen)
    assert (student_site / "_static" / "live").is_dir()
    lazy = {p.stem.split("--")[0] for p in (student_site / "_static" / "live").glob("*.json")}
    assert lazy == {n for n in SITES if SITES[n].lazy}, lazy


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_live_explorers_respond_offline(chromium, student_site, lesson):
    """Issue 20 on the built site: on each lesson page the explorers ``nkteach.live.SITES``
    covers are live (the others keep their frozen first view with its note), and moving each
    live explorer's controls changes its summary, with every request outside 127.0.0.1 aborted."""
    calls = _explorer_calls(lesson)
    with print_pdf.serve(student_site) as base:
        page, ctx, log = _open(chromium, f"{base}/lessons/{lesson.stem}.html")
        try:
            _ready(page)
            views = page.evaluate(EXPLORERS_JS)
            assert len(views) >= len(calls), (views, calls)
            assert all((v["name"] in SITES) == v["live"] for v in views), views
            assert all(v["summary"] and len(v["note"]) >= 40 for v in views), views
            problems = _check_live(page, lesson)
        finally:
            ctx.close()
    problems += [e for e in log["errors"] if "ERR_BLOCKED_BY_CLIENT" not in e]
    problems += [f"request outside the site: {u}" for u in sorted(set(log["outside"]))]
    assert not problems, "\n".join(problems)


def test_fixture_page_explorer_fallback_and_launch_buttons(chromium, fixture_sites):
    from nkteach.editions.links import DEFAULT_REPO, lesson_links

    lesson = FIXTURE_LESSONS / "01-site-fixture.ipynb"
    with print_pdf.serve(fixture_sites["student"]) as base:
        page, ctx, log = _open(chromium, f"{base}/lessons/01-site-fixture.html")
        try:
            problems = _check_page(page, log) + _check_explorers(page, lesson)
            assert [c["drawn"] for c in page.evaluate(CHARTS_JS)] == [True]   # show()
            views = page.evaluate(EXPLORERS_JS)     # the freedom explorer, live (nkteach.live)
            assert len(views) == 1 and views[0]["live"] and views[0]["drawn"] and views[0]["summary"], views
            assert page.locator(".nkteach-explorer-note").is_visible()
            assert page.locator(".nkteach-widget-note").count() == 0     # text/html won over the widget
            links = lesson_links(HUB, "01-site-fixture.ipynb", DEFAULT_REPO, STUDENT_BRANCH)
            assert page.locator("a.nkteach-launch-binder").get_attribute("href") == links["binder"]
            assert page.locator("a.nkteach-launch-hub").get_attribute("href") == links["nbgitpuller"]
            # keyboard: the first Tab reaches the skip link, which leads to the main content
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
        finally:
            ctx.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_fixture_exercise_forms_open_the_explanation_only_when_right(chromium, fixture_sites, edition):
    """The real forms of ex.multiple_choice and ex.numeric, sealed by the student build (and made
    in the kernel for the instructor edition), check answers in the page."""
    with print_pdf.serve(fixture_sites[edition]) as base:
        page, ctx, log = _open(chromium, f"{base}/lessons/01-site-fixture.html")
        try:
            # the instructor edition shows the exercise's code (with why=), so look at the forms
            forms = page.locator("div.nkteach-exercise")
            said = _answer(page, "fixture-choice", "Five")
            assert said.startswith("✘ Not yet")
            assert "FIXTURE-EXPLANATION-ONE" not in forms.all_inner_texts()[0]
            if edition == "student":
                assert "FIXTURE-EXPLANATION" not in page.inner_text("body")
            said = _answer(page, "fixture-choice", "Three")
            assert said.startswith("✔ Correct.") and "FIXTURE-EXPLANATION-ONE" in said, said
            number = page.locator('div.nkteach-exercise[data-ex-id="fixture-number"]')
            number.locator("input[type=text]:not(.nk-code)").fill("7")
            number.locator('button[type="submit"]').click()
            sync_api.expect(number.locator(".nk-feedback")).to_contain_text("Not yet")
            assert "FIXTURE-EXPLANATION-TWO" not in forms.all_inner_texts()[1]
            number.locator("input[type=text]:not(.nk-code)").fill("12")
            number.locator('button[type="submit"]').click()
            sync_api.expect(number.locator(".nk-feedback")).to_contain_text("FIXTURE-EXPLANATION-TWO")
            # on paper: questions and options with ruled lines, no buttons, inputs or feedback
            assert page.locator(".nkteach-answer-line").first.is_hidden()
            page.emulate_media(media="print")
            assert page.locator(".nkteach-exercise .nkteach-answer-line:visible").count() == 1 + 2
            for hidden in ("button", "input", ".nk-feedback", "select"):
                assert page.locator(f".nkteach-exercise {hidden}:visible").count() == 0, hidden
            question = "How many levels of analysis does the course use?"
            assert page.locator("legend", has_text=question).is_visible()
            assert page.locator(".nkteach-exercise label", has_text="Three").is_visible()
        finally:
            ctx.close()
    assert not log["outside"] and not log["errors"], log


def test_instructor_edition_is_marked_on_every_page(fixture_sites):
    for edition, site in fixture_sites.items():
        lesson = (site / "lessons" / "01-site-fixture.html").read_text(encoding="utf-8")
        assert ("INSTRUCTOR-NOTE-FIXTURE" in lesson) == (edition == "instructor"), edition
        pages = sorted(p for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("_"))
        assert len(pages) >= 5
        for page in pages:
            text = page.read_text(encoding="utf-8")
            banner = re.search(r'class="bd-header-announcement[^"]*"[^>]*>(.*?)</div>', text, re.DOTALL)
            marked = bool(banner) and "Instructor edition" in banner.group(1)
            assert marked == (edition == "instructor"), (edition, page.relative_to(site))


# ---------------------------------------------------------------- PDFs

def _pdftotext() -> str:
    exe = shutil.which("pdftotext")
    require(exe is not None, "pdftotext missing: `make pdf-deps` (apt-get install poppler-utils)")
    return exe


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _plain(md: str) -> str:
    md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    return _norm(re.sub(r"[*_`]", "", md))


def _squash(text: str) -> str:
    """Text without whitespace or hyphens and with straight quotes: a PDF line break may fall after
    a dash ("1805– 1994") or in a hyphenated word (pdftotext then drops the hyphen), and Sphinx
    prints "quotes" as “typographic” ones."""
    return re.sub(r"[\s\u00ad-]+", "", text.translate(str.maketrans("“”‘’", "\"\"''")))


def _pdf_text(pdf: Path) -> str:
    return _squash(subprocess.run([_pdftotext(), "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout)


def _answer_texts() -> list[str]:
    """The start of every why= explanation and solution cell in the lessons (normalised)."""
    found = []
    for path in LESSONS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            src = "".join(cell["source"])
            if "solution" in cell.get("metadata", {}).get("tags", []) and cell["cell_type"] == "markdown":
                found.append(_plain(src)[:60])
            if cell["cell_type"] != "code":
                continue
            try:
                tree = ast.parse(src)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if (isinstance(node, ast.keyword) and node.arg == "why"
                        and isinstance(node.value, ast.Constant)):
                    found.append(_norm(str(node.value.value))[:50])
    return [f for f in found if len(f) >= 20]


def _summary_start(path: Path) -> str:
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and src.startswith("## Summary"):
            first = next(ln for ln in src.splitlines()[1:] if ln.strip())
            return " ".join(_plain(first.lstrip("-* ")).split()[:8])
    raise AssertionError(f"{path.name} has no ## Summary section")


def test_pdf_per_lesson_with_title_summary_and_no_answers(chromium, course_sites, artifacts):
    _pdftotext()
    written, _ = course_sites.pdfs(chromium)      # printed once, shared with tests/test_a11y.py
    out = written[0].parent
    assert sorted(p.name for p in written) == [p.stem + ".pdf" for p in LESSONS]
    secrets = _answer_texts()
    for lesson in LESSONS:
        text = _pdf_text(out / f"{lesson.stem}.pdf")
        title = json.loads(lesson.read_text(encoding="utf-8"))["metadata"]["nkteach"]["title"]
        assert _squash(title) in text, f"{lesson.name}: title missing from the PDF"
        assert _squash(_summary_start(lesson)) in text, f"{lesson.name}: summary missing from the PDF"
        leaked = [s for s in secrets if _squash(s) in text]
        assert not leaked, f"{lesson.name}: answer text in the student PDF: {leaked[:2]}"
        # exercises print as questions, never as their sealed JSON or its base64 blobs
        assert '"kind":' not in text and '"right":' not in text, f"{lesson.name}: seal JSON printed"
        raw = subprocess.run([_pdftotext(), "-enc", "UTF-8", str(out / f"{lesson.stem}.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
        assert not re.search(r"[A-Za-z0-9+/]{40,}={0,2}", raw), f"{lesson.name}: base64 printed"
    shot = artifacts / "site"
    shot.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "4", "-l", "8", str(out / f"{LESSONS[2].stem}.pdf"),
                    str(shot / f"printed-{LESSONS[2].stem}")], check=True)


def test_fixture_pdf_prints_questions_with_answer_lines_not_buttons(chromium, fixture_sites, tmp_path,
                                                                    artifacts):
    _pdftotext()
    pdf = print_pdf.print_site(fixture_sites["student"], tmp_path, browser=chromium, log=lambda *_: None)[0]
    raw = subprocess.run([_pdftotext(), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    text = _squash(raw)
    assert _squash("How many levels of analysis does the course use?") in text
    assert _squash("How many lessons does the course have?") in text
    assert all(_squash(o) in text for o in ("Two", "Three", "Five"))        # the options are printed
    exercises = text.split(_squash("Exercise 1"))[-1].split("Summary")[0]
    assert "Check" not in exercises and "Showtheanswer" not in exercises    # buttons hidden
    assert "FIXTURE-EXPLANATION" not in text and _squash("Open live on Binder") not in text
    # the sealed answers (JSON with base64 blobs in a script element) never reach the paper
    assert '"kind"' not in raw and "nkteach/seal" not in raw
    assert not re.search(r"[A-Za-z0-9+/]{40,}={0,2}", raw), "base64 text in the printed page"
    out = artifacts / "site"
    out.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(out / "printed-fixture")], check=True)


def test_instructor_pages_stay_out_of_the_student_site(student_site):
    # lessons/instructor-guide.md is marked `audience: instructor`: instructor edition only.
    assert not list(student_site.rglob("instructor-guide.html"))
    assert list(student_site.rglob("glossary.html")) and list(student_site.rglob("syllabus.html"))


def test_sealed_exercise_code_is_hidden_on_student_pages(student_site):
    # The form asks the question; the cell's seal={...} ciphertext stays out of the page.
    import re as _re

    for page in (student_site / "lessons").glob("[0-9][0-9]-*.html"):
        text = _re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
        assert "seal={" not in text, page.name


def test_hide_sealed_inputs_tags_only_sealed_cells():
    mod = build_site
    nb = {"cells": [{"cell_type": "code", "source": "ex.numeric('a', 'q', seal={'v': 1})", "metadata": {}},
                    {"cell_type": "code", "source": "nkteach.show(charts.forecast())", "metadata": {}},
                    {"cell_type": "markdown", "source": "seal={ in prose", "metadata": {}}]}
    assert mod.hide_sealed_inputs(nb) == 1
    assert nb["cells"][0]["metadata"]["tags"] == ["remove-input"]
    assert "tags" not in nb["cells"][1]["metadata"] and "tags" not in nb["cells"][2]["metadata"]


# ---------------------------------------------------------------- launch target and reveal (issue 18)

@pytest.mark.parametrize("launch", [
    {"hub_url": "", "repository": "", "branch": "main"},                          # nothing set
    {"repository": "https://github.com/x/course", "branch": "main",
     "student_repository": "https://github.com/x/course/", "student_branch": "main"},   # the same place
])
def test_student_site_that_would_open_the_instructor_lessons_stops(tmp_path, launch):
    with pytest.raises(build_site.SiteBuildError, match="student_branch") as e:
        build_site.build("student", tmp_path / "out", tmp_path / "src", FIXTURE_LESSONS, launch)
    assert "NKTEACH_STUDENT_BRANCH" in str(e.value) and "instructor lessons" in str(e.value)
    assert not (tmp_path / "out").exists() and not (tmp_path / "src").exists()     # stopped first


def test_launch_targets_of_each_edition_and_the_environment(monkeypatch, tmp_path):
    conf = tmp_path / "launch.yml"
    conf.write_text("repository: https://github.com/x/course\nbranch: main\nstudent_branch: ''\n")
    monkeypatch.setenv("NKTEACH_STUDENT_BRANCH", "spring-student")
    monkeypatch.setenv("NKTEACH_SITE_REVEAL", "after-tries")
    launch = build_site.load_launch_config(conf)
    assert launch["reveal"] == "after-tries"
    assert build_site.launch_target("student", launch) == ("https://github.com/x/course", "spring-student")
    assert build_site.launch_target("instructor", launch) == ("https://github.com/x/course", "main")
    monkeypatch.delenv("NKTEACH_STUDENT_BRANCH")
    monkeypatch.delenv("NKTEACH_SITE_REVEAL")
    assert build_site.main(["--lessons", str(FIXTURE_LESSONS), "--out", str(tmp_path / "o"),
                            "--work", str(tmp_path / "w"), "--student-branch", "a b"]) == 2


def test_self_study_pages_say_the_answers_are_in_them(tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Lesson"}], "metadata": {},
          "nbformat": 4, "nbformat_minor": 5}
    for self_study in (True, False):
        path = tmp_path / "01-x.ipynb"
        path.write_text(json.dumps(nb))
        build_site.finish_notebook(path, {"repository": "", "branch": "student"}, self_study=self_study)
        text = path.read_text()
        assert ("the answers are in this page" in text) is self_study
