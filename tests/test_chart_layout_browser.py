"""Every registered chart drawn by headless Chromium at 608, 700 and 1,100 px: no text box
overlaps another and none is cut off by the figure's edges (608 px: a chart on a lesson page
640 CSS px wide, as a 1,280 px window shows it at 200% zoom, WCAG 1.4.4).

plotly.js comes from the plotly Python package's bundled ``plotly.min.js`` (the version that
package writes into notebooks); nothing is fetched from the network. Screenshots go to
test-artifacts/charts/. Under CI=true a missing Chromium fails the test.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.paths import need_module

sync_api = need_module("playwright.sync_api")

from nkteach import charts  # noqa: E402
from tests.support import browser  # noqa: E402

pytestmark = pytest.mark.browser

WIDTHS = (608, 700, 1100)

# Text boxes by group: the tick labels of one axis are not tested against each other (plotly
# spaces them itself); every other pair of boxes must not overlap.
COLLECT = r"""
(gd) => {
  const svgs = Array.from(gd.querySelectorAll('svg.main-svg'));
  const frame = svgs[0].getBoundingClientRect();
  const out = [];
  const add = (el, group, kind) => {
    const txt = (el.textContent || '').trim();
    if (!txt) return;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return;
    out.push({group, kind, text: txt.slice(0, 60),
              l: r.left - frame.left, t: r.top - frame.top,
              r: r.right - frame.left, b: r.bottom - frame.top});
  };
  gd.querySelectorAll('text.gtitle').forEach(e => add(e, 'title', 'title'));
  gd.querySelectorAll('text.xtitle, text.ytitle').forEach((e, i) => add(e, 'axistitle' + i, 'axis title'));
  gd.querySelectorAll('g.xtick text').forEach(e => add(e, 'xtick', 'tick label'));
  gd.querySelectorAll('g.ytick text').forEach(e => add(e, 'ytick', 'tick label'));
  gd.querySelectorAll('text.legendtext').forEach((e, i) => add(e, 'legend' + i, 'legend item'));
  gd.querySelectorAll('text.legendtitletext').forEach(e => add(e, 'legendtitle', 'legend title'));
  gd.querySelectorAll('g.annotation text.annotation-text')
    .forEach((e, i) => add(e, 'annotation' + i, 'annotation'));
  gd.querySelectorAll('g.trace').forEach((tr, i) => {
    tr.querySelectorAll('text.bartext, g.textpoint text').forEach(e => add(e, 'data' + i, 'data label'));
  });
  return {frame: {w: frame.width, h: frame.height}, boxes: out};
}
"""


def _overlaps(boxes: list[dict], tol: float = 1.0) -> list[str]:
    bad = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["group"] == b["group"] and a["kind"] == "tick label":
                continue
            w = min(a["r"], b["r"]) - max(a["l"], b["l"])
            h = min(a["b"], b["b"]) - max(a["t"], b["t"])
            if w > tol and h > tol:
                bad.append(f"{a['kind']} {a['text']!r} overlaps {b['kind']} {b['text']!r} "
                           f"({w:.0f}×{h:.0f} px)")
    return bad


def _clipped(boxes: list[dict], frame: dict, tol: float = 1.0) -> list[str]:
    return [f"{x['kind']} {x['text']!r} cut off (box {x['l']:.0f},{x['t']:.0f}–{x['r']:.0f},{x['b']:.0f} "
            f"in a {frame['w']:.0f}×{frame['h']:.0f} figure)"
            for x in boxes if x["l"] < -tol or x["t"] < -tol or x["r"] > frame["w"] + tol
            or x["b"] > frame["h"] + tol]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    import plotly

    js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert js.is_file(), f"{js} missing: the plotly package ships plotly.js for offline use"
    d = tmp_path_factory.mktemp("charts")
    (d / "index.html").write_text(
        f'<!doctype html><html><head><meta charset="utf-8"><script src="{js.as_uri()}"></script>'
        '<style>body{margin:0;font-family:Arial}</style></head><body><div id="gd"></div></body></html>',
        encoding="utf-8")
    with sync_api.sync_playwright() as p:
        b = browser.launch(p)
        ctx = b.new_context(viewport={"width": 1200, "height": 900})
        routes = browser.install_offline_routes(ctx)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto((d / "index.html").as_uri())
        pg.wait_for_function("typeof Plotly !== 'undefined'", timeout=30_000)
        yield pg
        assert not errors, errors
        assert not routes.blocked, f"the chart page asked the network for {routes.blocked}"
        ctx.close()
        b.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_chart_text_neither_overlaps_nor_is_clipped(page, name, width, artifacts):
    fig = charts.CHARTS[name].figure()
    spec = json.loads(fig.to_json())
    spec["layout"]["width"] = width
    page.evaluate("""async ([data, layout]) => {
        const gd = document.getElementById('gd');
        Plotly.purge(gd);
        gd.style.width = layout.width + 'px';
        await Plotly.newPlot(gd, data, layout, {staticPlot: true});
    }""", [spec["data"], spec["layout"]])
    found = page.evaluate(f"({COLLECT})(document.getElementById('gd'))")
    out = artifacts / "charts"
    out.mkdir(exist_ok=True)
    page.locator("#gd").screenshot(path=str(out / f"{name}-{width}.png"))
    boxes, frame = found["boxes"], found["frame"]
    assert frame["w"] == pytest.approx(width, abs=1)
    kinds = {b["kind"] for b in boxes}
    assert {"title", "annotation"} <= kinds, f"title or source line not drawn: {kinds}"
    problems = _overlaps(boxes) + _clipped(boxes, frame)
    assert not problems, f"{name} at {width} px:\n" + "\n".join(problems)
