"""Accessibility (issue 21, docs/accessibility.md): WCAG 2.2 AA as far as a machine can check it.

axe-core 4.14 (the pinned npm copy in tests/browser, injected into each page) runs in headless
Debian Chromium with the rules tagged wcag2a, wcag2aa, wcag21a, wcag21aa and wcag22aa, on:

- every page of the student and the instructor site, in the theme's light and dark mode
  (folium maps are iframes of the same origin: axe audits inside them too);
- a lesson exported with nbconvert after running it (its exercise forms, explorers' first views
  and progress panel, as a kernel-free page shows them), in nbconvert's light and dark theme;
- ``grades.html``, the gradebook's report, for a small simulated class;
- every lesson's outputs in a real JupyterLab, after Run All and again after every control of
  every explorer was moved: that audit runs inside ``tests/test_lab_browser.py`` (one JupyterLab
  run per lesson serves both), scoped to what nkteach puts in the output areas
  (``.jp-OutputArea-output``; JupyterLab's own interface is out of scope), with the scope and
  any rule switched off there, and why, in ``tests.support.labcontrols`` (``LAB_SCOPE``,
  ``LAB_DISABLED``: none switched off).

Goal: 0 violations of any impact. Rules switched off or parts of a page scoped out are listed in
``tests.support.a11y.DISABLED_RULES`` / ``EXCLUDE`` with their reason (none at present).
Every request that leaves 127.0.0.1 is aborted, as for a student offline.

Also: reflow at 320 CSS px (WCAG 1.4.10: no text block wider than the screen; tables, code,
charts and maps may scroll in their own box), a visible focus indicator with >= 3:1 contrast on
every control reached by Tab (2.4.7, 1.4.11), every map iframe titled and described by its
summary, and tagged PDFs (title, language, outline, a /Figure with /Alt per chart), checked with
pikepdf and ``pdfinfo``. Under CI=true a missing Chromium, axe-core, pikepdf or pdfinfo fails.
"""
from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import LESSONS, ROOT, need_module, require
from tests.support.paths import script
from tests.support import a11y, browser

sync_api = need_module("playwright.sync_api")

pytestmark = pytest.mark.browser

THEMES = ("light", "dark")
EXPORT_LESSON = "03-elite-level"      # every exercise kind the forms have, explorers, progress panel


build_site = script("build_site")
print_pdf = script("print_pdf")


@pytest.fixture(scope="module")
def chromium():
    a11y.axe_source()       # fail (CI) or skip early without axe-core
    with sync_api.sync_playwright() as p:
        b = browser.launch(p)
        yield b
        b.close()


def _audit_pages(chromium, base: str, pages: list[str], themes=THEMES) -> dict[str, list[dict]]:
    """Violations per "page (theme)": each page is loaded once and audited in every theme."""
    found = {}
    for rel in pages:
        for theme, result in a11y.audit_themes(chromium, f"{base}/{rel}", themes).items():
            if result.violations:
                found[f"{rel} ({theme})"] = result.violations
            # the site script's additions (map titles, skip links, theme buttons) must not throw
            assert not result.errors, f"{rel}: JavaScript errors {result.errors}"
    return found


def _report(found: dict[str, list[dict]]) -> str:
    return "\n".join(f"--- {page}: {a11y.count(v)} failing elements\n{a11y.describe(v)}"
                     for page, v in found.items())


# ---------------------------------------------------------------- the site

@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_site_page_passes_axe(chromium, course_sites, edition):
    """Every page of the edition, in the light and the dark theme (one load, audited twice)."""
    site = course_sites[edition]
    pages = a11y.site_pages(site)
    assert "index.html" in pages and len([p for p in pages if a11y.page_kind(p) == "lesson"]) == len(LESSONS)
    with print_pdf.serve(site) as base:
        found = _audit_pages(chromium, base, pages)
    assert not found, _report(found)


MAPS_JS = """() => [...document.querySelectorAll('iframe')].map(f => {
  const d = document.getElementById(f.getAttribute('aria-describedby') || '-');
  const box = f.parentElement && f.parentElement.parentElement;
  const skip = box && box.previousElementSibling;
  return {title: f.getAttribute('title') || '', described: d ? d.textContent.trim() : '',
          describedby: f.getAttribute('aria-describedby') || '',
          skip: skip && skip.matches('a.nkteach-skip-map') ? skip.getAttribute('href') : ''};
})"""


def test_map_iframes_are_titled_described_and_skippable(chromium, course_sites):
    """Every map: a title naming it (from its legend), its text summary as description, and a
    link before it that skips to that summary."""
    site = course_sites["student"]
    pages = [p for p in a11y.site_pages(site) if "<iframe" in (site / p).read_text(encoding="utf-8")]
    assert pages, "no page of the site shows a map"
    seen = 0
    with print_pdf.serve(site) as base:
        for rel in pages:
            page, ctx, _ = a11y.open_page(chromium, f"{base}/{rel}")
            try:
                for m in page.evaluate(MAPS_JS):
                    seen += 1
                    assert re.fullmatch(r"Map: \S.{3,}", m["title"]), (rel, m)
                    assert m["described"].startswith("Summary:"), (rel, m)
                    assert m["skip"] == "#" + m["describedby"], (rel, m)     # skips to the summary
                # hidden off screen until it has keyboard focus, then visible
                link = page.locator("a.nkteach-skip-map").first
                link.focus()
                assert link.is_visible(), f"{rel}: the skip link stays hidden when focused"
            finally:
                ctx.close()
    assert seen >= 2


# ---------------------------------------------------------------- focus and reflow

FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const parse = c => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return v.length > 3 && v[3] === 0 ? null : v.slice(0, 3);
  };
  const lum = rgb => {
    const [r, g, b] = rgb.map(x => {
      x /= 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let bg = null;
  for (let e = el.parentElement; e && !bg; e = e.parentElement) {
    bg = parse(getComputedStyle(e).backgroundColor);
  }
  bg = bg || [255, 255, 255];
  const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? parse(s.outlineColor) : null;
  const ratio = ring ? (Math.max(lum(ring), lum(bg)) + 0.05) / (Math.min(lum(ring), lum(bg)) + 0.05) : 0;
  const cls = typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '';
  return {what: el.tagName.toLowerCase() + cls + ' '
            + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40),
          outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
          ratio: Math.round(ratio * 100) / 100};
}"""


@pytest.mark.parametrize("theme", THEMES)
def test_keyboard_focus_is_visible_with_3_to_1_contrast(chromium, course_sites, theme):
    """The first 60 Tab stops of a lesson page with a map, charts and exercise forms each show an
    outline at least 2 px wide whose colour has >= 3:1 contrast against the background."""
    site = course_sites["student"]
    lesson = next(p for p in a11y.site_pages(site) if p.startswith("lessons/02-"))
    problems, seen = [], 0
    with print_pdf.serve(site) as base:
        page, ctx, _ = a11y.open_page(chromium, f"{base}/{lesson}", color_scheme=theme)
        try:
            a11y.set_theme(page, theme)
            page.locator("#main-content").focus() if page.locator("#main-content[tabindex]").count() else None
            for _ in range(60):
                page.keyboard.press("Tab")
                info = page.evaluate(FOCUS_JS)
                if info is not None and info["what"].startswith("iframe"):   # a map: look inside it
                    frame = page.evaluate_handle("document.activeElement").as_element().content_frame()
                    info = frame.evaluate(FOCUS_JS) if frame else None
                if info is None:
                    continue
                seen += 1
                if info["ratio"] < 3:
                    problems.append(f"{info['what']!r}: focus outline {info['outline']} ({info['ratio']}:1)")
        finally:
            ctx.close()
    assert seen >= 20
    assert not problems, "\n".join(problems)


MARKS_JS = """() => {
  const parse = c => { const m = (c || '').match(/rgba?\\(([^)]+)\\)/);
    return m ? m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number) : null; };
  const lum = rgb => { const [r, g, b] = rgb.slice(0, 3).map(x => {
      x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const out = [];
  document.querySelectorAll('div.nkteach-plotly').forEach(div => {
    // the plot area's colour as plotly laid it out (hex or rgb), white if unknown
    const full = (div.querySelector('.nkteach-plotly-canvas') || {})._fullLayout || {};
    const hex = (full.plot_bgcolor || '').match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
    const bg = hex ? hex.slice(1, 4).map(h => parseInt(h, 16))
                   : (parse(full.plot_bgcolor) || [255, 255, 255]);
    // a trace's marks: its bars or markers; a line only when the trace draws no markers
    // (markers on every data point carry what the line joins)
    div.querySelectorAll('g.trace').forEach(trace => {
      const points = trace.querySelectorAll('path.point, .point path');
      const marks = points.length ? points : trace.querySelectorAll('path.js-line');
      marks.forEach(p => {
        // plotly draws a bar with no value (NaN or 0 in a stack) as a flat path: no mark to see
        if (points.length) { const b = p.getBBox(); if (b.width * b.height === 0) return; }
        const s = getComputedStyle(p);
        const fill = parse(s.fill), stroke = parse(s.stroke);
        const fillOk = fill && (fill[3] === undefined || fill[3] > 0) && ratio(fill, bg) >= 3;
        const strokeOk = stroke && parseFloat(s.strokeWidth) >= 1
                         && (stroke[3] === undefined || stroke[3] > 0)
                         && parseFloat(s.strokeOpacity || 1) > 0.5 && ratio(stroke, bg) >= 3;
        if (!fillOk && !strokeOk) out.push({chart: div.getAttribute('aria-label'),
          fill: s.fill, stroke: s.stroke + ' ' + s.strokeWidth});
      });
    });
  });
  return out;
}"""


def test_chart_marks_have_3_to_1_contrast(chromium, course_sites):
    """WCAG 1.4.11: every bar and marker of every chart on the site (and every line drawn without
    markers) has a fill or an outline with >= 3:1 contrast against the plot's background."""
    site = course_sites["student"]
    problems = []
    with print_pdf.serve(site) as base:
        for rel in [p for p in a11y.site_pages(site) if a11y.page_kind(p) == "lesson"]:
            page, ctx, _ = a11y.open_page(chromium, f"{base}/{rel}")
            try:
                weak = page.evaluate(MARKS_JS)
            finally:
                ctx.close()
            seen = {}
            for w in weak:
                seen.setdefault((w["chart"], w["fill"], w["stroke"]), 0)
                seen[w["chart"], w["fill"], w["stroke"]] += 1
            problems += [f"{rel}: {c!r}: {n} marks fill {f}, stroke {st}" for (c, f, st), n in seen.items()]
    assert not problems, "\n".join(problems)


def test_every_site_page_reflows_at_320_px(chromium, course_sites):
    site = course_sites["student"]
    problems = []
    with print_pdf.serve(site) as base:
        for rel in a11y.site_pages(site):
            res = a11y.reflow(chromium, f"{base}/{rel}")
            problems += [f"{rel}: <{b['tag']}> {b['text']!r} spans {b['left']}..{b['right']} px of {b['vw']}"
                         for b in res["blocks"]]
            if res["pageScrolls"]:
                problems.append(f"{rel}: the page scrolls sideways "
                                f"({res['scrollWidth']} px wide at {res['vw']})")
    assert not problems, "\n".join(problems[:40])



# WCAG 1.4.4 (text resized to 200%): a 1,280 px window at 200% zoom lays the page out 640 CSS px
# wide at 2 device pixels per CSS px. Each drawn chart (site charts and live explorers' charts)
# must fit the content column; every axis tick label, legend text, title, axis title and source
# line must lie inside the chart's own SVG box (not clipped), and none may overlap another of its
# kind in the same axis or legend (rotated boxes compared exactly: getBBox through getScreenCTM,
# a separating-axis test, 1 px slack).
ZOOM_WIDTH = 640
ZOOM_JS = """(scrollOk) => {
  const TOL = 1;
  const px = Math.round;
  function quad(el) {          // the text's box as drawn (rotation included), in page px
    const b = el.getBBox(), m = el.getScreenCTM();
    if (!m || (b.width === 0 && b.height === 0)) { return null; }
    const pt = (x, y) => ({x: m.a * x + m.c * y + m.e + scrollX, y: m.b * x + m.d * y + m.f + scrollY});
    return [pt(b.x, b.y), pt(b.x + b.width, b.y), pt(b.x + b.width, b.y + b.height),
            pt(b.x, b.y + b.height)];
  }
  function overlap(p, q) {     // separating-axis test of two convex quads, TOL px allowed
    for (const poly of [p, q]) {
      for (let i = 0; i < 4; i++) {
        const a = poly[i], b = poly[(i + 1) % 4];
        let nx = b.y - a.y, ny = a.x - b.x;
        const len = Math.hypot(nx, ny) || 1;
        nx /= len; ny /= len;
        const pa = p.map(v => v.x * nx + v.y * ny), pb = q.map(v => v.x * nx + v.y * ny);
        if (Math.max(...pa) <= Math.min(...pb) + TOL || Math.max(...pb) <= Math.min(...pa) + TOL) {
          return false;
        }
      }
    }
    return true;
  }
  const out = {charts: [], problems: [], scrolling: 0};
  const cr = (document.querySelector('.bd-article') || document.body).getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const charts = [...document.querySelectorAll('.nkteach-plotly-canvas, .nkl-chart')]
    .filter(c => c.querySelector('svg.main-svg') && c.offsetParent !== null);
  const groups = {x: '.xtick text', y: '.ytick text', legend: '.legendtext', title: '.gtitle',
                  'axis title': '.xtitle, .ytitle', 'source or note': '.annotation-text'};
  const shown = e => e.getAttribute('display') !== 'none' && getComputedStyle(e).display !== 'none'
    && e.textContent.trim();
  const layer = (e, c) => e.closest('g[class*="axislayer"], .legend') || c;
  for (const c of charts) {
    const r = c.querySelector('svg.main-svg').getBoundingClientRect();
    const box = {l: r.left + scrollX, t: r.top + scrollY, r: r.right + scrollX, b: r.bottom + scrollY};
    const named = c.getAttribute('aria-label') ? c : c.closest('[aria-label]');
    const title = (named ? named.getAttribute('aria-label') : '?').slice(0, 60);
    out.charts.push(title);
    // scrollOk (a narrow screen): a chart may be wider than the column inside its own box that
    // scrolls sideways, if that box fits the column and takes the keyboard focus
    const scroller = scrollOk ? c.closest('div.nkteach-plotly, .nkl-view') : null;
    const fit = scroller ? scroller.getBoundingClientRect() : r;
    if (fit.right > cr.right + TOL || fit.left < cr.left - TOL || fit.right > vw + TOL) {
      out.problems.push(`${title}: chart spans ${px(fit.left)}..${px(fit.right)} px, ` +
                        `the content ${px(cr.left)}..${px(cr.right)}`);
    }
    if (scroller && scroller.scrollWidth > scroller.clientWidth + TOL) {
      out.scrolling += 1;
      if (scroller.getAttribute('tabindex') !== '0' || !scroller.getAttribute('aria-label')) {
        out.problems.push(`${title}: its box scrolls sideways but cannot take the focus or has no name`);
      }
    }
    for (const [kind, sel] of Object.entries(groups)) {
      const qs = [...c.querySelectorAll(sel)].filter(shown).map(e => [e, quad(e)]).filter(x => x[1]);
      for (const [e, q] of qs) {
        const xs = q.map(v => v.x), ys = q.map(v => v.y);
        if (Math.min(...xs) < box.l - TOL || Math.max(...xs) > box.r + TOL ||
            Math.min(...ys) < box.t - TOL || Math.max(...ys) > box.b + TOL) {
          out.problems.push(`${title}: ${kind} label ${JSON.stringify(e.textContent)} at ` +
            `${px(Math.min(...xs))}..${px(Math.max(...xs))} x ${px(Math.min(...ys))}..` +
            `${px(Math.max(...ys))} px is cut off by the chart (${px(box.l)}..${px(box.r)} x ` +
            `${px(box.t)}..${px(box.b)})`);
        }
      }
      for (let i = 0; i < qs.length; i++) {
        for (let j = i + 1; j < qs.length; j++) {
          if (layer(qs[i][0], c) === layer(qs[j][0], c) && overlap(qs[i][1], qs[j][1])) {
            out.problems.push(`${title}: ${kind} labels ${JSON.stringify(qs[i][0].textContent)} and ` +
                              `${JSON.stringify(qs[j][0].textContent)} overlap`);
          }
        }
      }
    }
  }
  return out;
}"""
_CHART_KEYS = re.compile(r'class="nkteach-plotly" role="img" aria-label="([^"]*)"|'
                         r'<div class="nkteach-live" [^>]*data-explorer="([a-z_]+)"')


def _pages_with_every_chart(site: Path) -> list[str]:
    """Lesson pages that between them show every distinct chart of the site (by title) and every
    live explorer once: the fewest found greedily, so the check stays quick."""
    keys = {rel: {a or b for a, b in _CHART_KEYS.findall((site / rel).read_text(encoding="utf-8"))}
            for rel in a11y.site_pages(site) if a11y.page_kind(rel) == "lesson"}
    chosen, covered = [], set()
    while True:
        rel = max(sorted(keys), key=lambda r: len(keys[r] - covered), default=None)
        if rel is None or not keys[rel] - covered:
            return sorted(chosen)
        chosen.append(rel)
        covered |= keys.pop(rel)


def test_charts_stay_readable_at_200_percent_zoom(chromium, course_sites):
    site = course_sites["student"]
    pages = _pages_with_every_chart(site)
    assert len(pages) >= 5, pages
    problems, drawn = [], 0
    with print_pdf.serve(site) as base:
        for rel in pages:
            ctx = chromium.new_context(viewport={"width": ZOOM_WIDTH, "height": 900}, device_scale_factor=2)
            browser.install_offline_routes(ctx)
            page = ctx.new_page()
            try:
                page.goto(f"{base}/{rel}")
                a11y.settle(page)
                roots = page.locator("div.nkteach-live")
                for i in range(roots.count()):      # lazy explorers load when scrolled to
                    roots.nth(i).scroll_into_view_if_needed()
                    roots.nth(i).evaluate("e => new Promise(ok => { (function wait() { if (e.dataset.nklReady"
                                          " || e.dataset.nklError) ok(); else setTimeout(wait, 50); })(); })")
                res = page.evaluate(ZOOM_JS, False)
            finally:
                ctx.close()
            drawn += len(res["charts"])
            problems += [f"{rel}: {p}" for p in res["problems"]]
    assert drawn >= 10, f"only {drawn} charts drawn on {pages}"
    assert not problems, "\n".join(problems[:40])

NARROW_WIDTH = 360      # a phone


def test_charts_scroll_sideways_on_a_narrow_screen(chromium, course_sites):
    """On a screen narrower than 640 px (a chart's text is laid out for 608 px and up) a chart
    keeps 608 px in a box of its own that scrolls sideways (nkteach-site.css): no label cut off or
    overlapping, the page itself does not scroll sideways, and the box takes the focus so the
    arrow keys scroll it."""
    site = course_sites["student"]
    pages = _pages_with_every_chart(site)
    problems, drawn, scrolling, moved = [], 0, 0, 0
    with print_pdf.serve(site) as base:
        for rel in pages:
            ctx = chromium.new_context(viewport={"width": NARROW_WIDTH, "height": 800})
            browser.install_offline_routes(ctx)
            page = ctx.new_page()
            try:
                page.goto(f"{base}/{rel}")
                a11y.settle(page)
                res = page.evaluate(ZOOM_JS, True)
                wide = page.evaluate("() => document.documentElement.scrollWidth - "
                                     "document.documentElement.clientWidth")
                if wide > 1:
                    problems.append(f"{rel}: the page scrolls sideways by {wide} px")
                if not moved:    # the keyboard scrolls a chart's box (one is enough: same CSS and JS)
                    box = page.locator("div.nkteach-plotly[tabindex='0'], .nkl-view[tabindex='0']").first
                    if box.count():
                        box.focus()
                        page.keyboard.press("ArrowRight")
                        try:        # the browser scrolls smoothly: wait for it
                            page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle(),
                                                   timeout=3000)
                        except Exception:
                            pass    # the assertion below says what failed
                        moved = box.evaluate("b => b.scrollLeft")
            finally:
                ctx.close()
            drawn += len(res["charts"])
            scrolling += res["scrolling"]
            problems += [f"{rel}: {p}" for p in res["problems"]]
    assert drawn >= 10, f"only {drawn} charts drawn on {pages}"
    assert scrolling == drawn, f"{scrolling} of {drawn} charts scroll in their box at {NARROW_WIDTH} px"
    assert moved > 0, "ArrowRight on a focused chart box did not scroll it"
    assert not problems, "\n".join(problems[:40])


# ---------------------------------------------------------------- exported lesson, grades.html

def _exported_lesson(tmp: Path, theme: str, monkeypatch) -> Path:
    """The student copy of a real lesson, run (in a kernel that knows its notebook, as Lab's
    does), then exported by nbconvert (lab template). Widget views are dropped for their text/html
    fallback (explorers, exercise forms and the progress panel have one), as a page without a
    kernel (and without the widget manager from a CDN) shows it."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    from nkteach.studentbuild import student_notebook

    src = ROOT / "lessons" / f"{EXPORT_LESSON}.ipynb"
    monkeypatch.setenv("JPY_SESSION_NAME", str(src))      # the kernel inherits it
    nb = nbformat.from_dict(student_notebook(nbformat.read(src, as_version=4), src.name))
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(src.parent)}}).execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if data.pop("application/vnd.jupyter.widget-view+json", None):
                assert "text/html" in data, f"a widget output without a text/html fallback: {data}"
    nb.metadata.pop("widgets", None)
    body, _ = HTMLExporter(template_name="lab", theme=theme).from_notebook_node(nb)
    path = tmp / f"{EXPORT_LESSON}-{theme}.html"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("export")
    with pytest.MonkeyPatch.context() as mp:
        return {theme: _exported_lesson(tmp, theme, mp) for theme in THEMES}


# The export's own frame (nbconvert's lab template: cell prompts "In [1]:" in #b0b0b0, 2.2:1) is
# nbconvert's, not nkteach's: the audit covers the outputs and the lesson's markdown.
EXPORT_SCOPE = [".jp-OutputArea-output", ".jp-MarkdownOutput"]
EXPORT_DISABLED = {
    # JupyterLab's stylesheet (copied by nbconvert) draws links in rendered markdown without an
    # underline; the site underlines them. The lesson cannot style its links in markdown.
    "link-in-text-block": "JupyterLab's link style in rendered markdown (no underline)",
}


@pytest.mark.parametrize("theme", THEMES)
def test_exported_lesson_with_forms_and_progress_panel_passes_axe(chromium, exported, theme):
    path = exported[theme]
    text = path.read_text(encoding="utf-8")
    assert text.count('class="nkteach-exercise"') >= 3 and "nkteach-summary" in text
    assert 'class="nkteach-progress"' in text, "no progress panel in the export"
    with print_pdf.serve(path.parent) as base:
        # nbconvert's page has no script that draws nkteach's charts (its plotly loader comes from
        # a CDN, blocked offline): each chart is audited as its labelled role="img" box, and no
        # wait for a drawing that cannot come. test_export_browser audits export-html's drawn ones.
        result = a11y.audit(chromium, f"{base}/{path.name}", theme=theme, include=EXPORT_SCOPE,
                            disable=EXPORT_DISABLED, charts=False)
    assert not result.violations, a11y.describe(result.violations)


def _grades_report(tmp: Path, monkeypatch) -> Path:
    """grades.html for three students who handed in a mini lesson (tests/support/classroom.py)."""
    from nkteach import cli
    from nkteach.studentbuild import student_notebook
    from tests.support import classroom as cr

    lessons, home, out = tmp / "lessons", tmp / "home", tmp / "submissions"
    instructor = cr.mini_lesson(1)
    cr.write(instructor, lessons / "01-mini.ipynb")
    tries = {"alice": {"l1-a": "beta", "l1-n": 42}, "bob": {"l1-a": "alpha", "l1-n": 40}, "chen": {}}
    for student, answers in tries.items():
        nb = student_notebook(instructor, "mini")
        path = cr.write(nb, home / student / "01-mini.ipynb")
        cr.student_env(monkeypatch, home / student / "data", path)
        exs = cr.exercises_of(nb)
        for ex_id, value in answers.items():
            cr.answer(exs[ex_id], value, "multiple_choice" if ex_id.endswith("a") else "numeric")
        cr.fill_written(nb, {"l1-w1": " ".join(f"word{i}" for i in range(25))})
        cr.write(nb, path)
        assert cli.main(["submit", str(path), "--student", student, "--out", str(out)]) == 0
    cli.main(["gradebook", str(out), "--out", str(tmp / "grades.csv"), "--lessons", str(lessons)])
    report = tmp / "grades.html"
    assert report.is_file()
    return report


def test_grades_report_passes_axe(chromium, tmp_path, monkeypatch):
    report = _grades_report(tmp_path, monkeypatch)
    with print_pdf.serve(report.parent) as base:
        result = a11y.audit(chromium, f"{base}/{report.name}")
    assert not result.violations, a11y.describe(result.violations)


# ---------------------------------------------------------------- tagged PDFs

CHART_LABEL = r'<div class="nkteach-plotly" role="img" aria-label="([^"]*)"'


def _pikepdf():
    require(importlib.util.find_spec("pikepdf") is not None,
            "pikepdf missing (pyproject's test extra lists it: run `make setup`)")
    import pikepdf

    return pikepdf


def _pdfinfo() -> str:
    exe = shutil.which("pdfinfo")
    require(exe is not None, "pdfinfo missing: `make pdf-deps` (apt-get install poppler-utils)")
    return exe


def _struct_elements(pikepdf, root) -> list:
    """Every structure element under the StructTreeRoot (depth first)."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for k in kids:
            if isinstance(k, pikepdf.Dictionary) and "/S" in k:
                found.append(k)
                stack.append(k)
    return found


def _outline_titles(pdf) -> list[str]:
    titles = []
    with pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(str(item.title))
            stack[0:0] = list(item.children)
    return titles


LIVE_EXPLORER = re.compile(r'<div class="nkteach-live"[^>]*?(?: data-src="([^"]*)")?>')
LIVE_DATA = re.compile(r'<script type="application/json" class="nkl-data">(.*?)</script>', re.S)


def _live_views(page: Path) -> tuple[int, int]:
    """(charts, maps) the live explorers of lesson page ``page`` draw in their first view, read
    from their descriptions (inline, or the same-site JSON file a lazy one loads)."""
    from nkteach.live.states import view_choices
    from nkteach.live.view import run

    text = page.read_text(encoding="utf-8")
    charts = maps = 0
    for m in LIVE_EXPLORER.finditer(text):
        if m.group(1):
            desc = json.loads((page.parent / html.unescape(m.group(1))).read_text(encoding="utf-8"))
        else:
            desc = json.loads(LIVE_DATA.search(text, m.end()).group(1))
        if "view" in desc:
            first = run(desc["view"], desc["pool"], view_choices(desc, desc["initial"]))
            charts += first["figure"] is not None
            maps += first.get("map") is not None       # a stored map beside the chart (the timeline)
        else:
            first = desc["states"][desc["initial"]]
            charts += "f" in first
            maps += "m" in first
    return charts, maps


def test_lesson_pdfs_are_tagged_with_title_language_outline_and_alt_text(chromium, course_sites, tmp_path):
    pikepdf = _pikepdf()
    pdfinfo = _pdfinfo()
    site = course_sites["student"]
    written, tagged = course_sites.pdfs(chromium)     # printed once, shared with tests/test_site.py
    assert sorted(p.name for p in written) == [p.stem + ".pdf" for p in LESSONS]
    problems = []
    for pdf_path in written:
        page_html = (site / "lessons" / f"{pdf_path.stem}.html").read_text(encoding="utf-8")
        labels = [html.unescape(x) for x in re.findall(CHART_LABEL, page_html)]
        live_charts, live_maps = _live_views(site / "lessons" / f"{pdf_path.stem}.html")
        info = subprocess.run([pdfinfo, str(pdf_path)], capture_output=True, text=True, check=True).stdout
        if not re.search(r"^Tagged:\s+yes", info, re.M):
            problems.append(f"{pdf_path.name}: pdfinfo says not tagged")
        with pikepdf.open(pdf_path) as pdf:
            cat = pdf.Root
            if "/StructTreeRoot" not in cat:
                problems.append(f"{pdf_path.name}: no StructTreeRoot")
                continue
            if not bool(cat.get("/MarkInfo", {}).get("/Marked", False)):
                problems.append(f"{pdf_path.name}: /MarkInfo /Marked is not true")
            if not str(cat.get("/Lang", "")).startswith("en"):
                problems.append(f"{pdf_path.name}: /Lang is {cat.get('/Lang')!r}")
            title = str(pdf.docinfo.get("/Title", ""))
            if not title or title.lower().startswith(("http", "untitled")):
                problems.append(f"{pdf_path.name}: document title {title!r}")
            prefs = cat.get("/ViewerPreferences", {})
            if not bool(prefs.get("/DisplayDocTitle", False)):
                problems.append(f"{pdf_path.name}: the viewer shows the file name, not the title")
            # Chromium joins a heading's wrapped lines without a space: compare without spaces
            headings = [re.sub(r"\s+", "", h) for h in _outline_titles(pdf)]
            h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page_html, re.S)
            h1 = re.sub(r'<a class="headerlink".*?</a>', "", h1.group(1)) if h1 else ""
            h1 = re.sub(r"\s+", "", html.unescape(re.sub("<[^>]+>", "", h1)))
            if not h1 or not any(h.startswith(h1) for h in headings) or len(headings) < 4:
                problems.append(f"{pdf_path.name}: outline {headings[:3]} lacks the lesson's heading {h1!r}")
            elements = _struct_elements(pikepdf, cat.StructTreeRoot)
            figures = [e for e in elements if str(e.get("/S")) == "/Figure"]
            alts = [str(e.get("/Alt", "")) for e in figures]
            for label in labels:
                if not any(a.startswith(f"Chart: {label}. Summary: ") for a in alts):
                    problems.append(f"{pdf_path.name}: no /Figure whose /Alt is chart {label[:40]!r} "
                                    "and its summary")
            maps = page_html.count("<iframe") + live_maps
            charts = len(labels) + live_charts
            if tagged[pdf_path.name] != {"charts": charts, "maps": maps}:
                problems.append(f"{pdf_path.name}: printed {tagged[pdf_path.name]}, the page has "
                                f"{charts} charts ({live_charts} live) and {maps} maps ({live_maps} live)")
            if sum(a.startswith("Map: ") and ". Summary: " in a for a in alts) != maps:
                problems.append(f"{pdf_path.name}: {maps} maps, /Figure alts {[a[:30] for a in alts]}")
            if sum(a.startswith("Chart: ") and ". Summary: " in a for a in alts) != charts:
                problems.append(f"{pdf_path.name}: {charts} charts, /Figure alts {[a[:30] for a in alts]}")
            if len(figures) != charts + maps:
                problems.append(f"{pdf_path.name}: {len(figures)} /Figure elements for {charts} charts "
                                f"and {maps} maps")
    assert not problems, "\n".join(problems)
