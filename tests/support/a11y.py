"""axe-core in headless Chromium, and the reflow check, for tests/test_a11y.py.

Use::

    from tests.support import a11y
    with sync_playwright() as p:
        b = browser.launch(p)
        with print_pdf.serve(site) as base:
            result = a11y.audit(b, f"{base}/index.html")
        assert not result.violations, a11y.describe(result.violations)

axe-core is the pinned npm copy in tests/browser/node_modules (``make browser-deps``); it is
injected into the page (and into every same-origin frame, e.g. a folium map's srcdoc iframe)
after the page has loaded and its charts are drawn. Every request that leaves 127.0.0.1 is
aborted, so a page is audited as an offline student sees it. Rules that are disabled or scoped
out are listed, with their reason, in :data:`DISABLED_RULES` and :data:`EXCLUDE` (both empty
unless a rule cannot be met by nkteach itself: say why next to it).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT, require
from tests.support import browser

AXE_JS = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# rule id -> why it is switched off everywhere. Keep this empty unless a rule cannot apply.
DISABLED_RULES: dict[str, str] = {}

# CSS selectors left out of the audit -> why. Only what nkteach does not produce.
EXCLUDE: dict[str, str] = {}

# 320 CSS px (WCAG 1.4.10 Reflow): text blocks must not overflow the viewport. Tables, code
# blocks, charts and maps may scroll inside their own box (1.4.10 exempts two-dimensional
# content); the check below walks text blocks only and skips anything inside such a box.
REFLOW_WIDTH = 320
OWN_BOX = ", ".join([
    "table", "pre", ".highlight", ".nkteach-plotly", ".folium-map", "iframe", "svg", "math", ".MathJax",
    "mjx-container", ".bd-sidebar-primary", ".bd-sidebar-secondary", ".bd-search", "dialog", "[hidden]"])
TEXT_BLOCKS = ", ".join(f"main {t}" for t in ("p", "li", "h1", "h2", "h3", "h4", "dd", "dt", "blockquote",
                                               "figcaption", "legend", "label"))
REFLOW_JS = """([OWN_BOX, TEXT_BLOCKS]) => {
  const vw = document.documentElement.clientWidth;
  const scrollBox = el => { for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (/(auto|scroll|hidden)/.test(s.overflowX) && e.scrollWidth > e.clientWidth + 1) return true;
      if (e.matches(OWN_BOX)) return true;
    } return false; };
  const out = [];
  for (const el of document.querySelectorAll(TEXT_BLOCKS)) {
    const r = el.getBoundingClientRect();
    if (!r.width || getComputedStyle(el).visibility === 'hidden') continue;
    if (scrollBox(el)) continue;
    if (r.right > vw + 1 || r.left < -1 || el.scrollWidth > el.clientWidth + 1) {
      out.push({tag: el.tagName.toLowerCase(), text: el.textContent.trim().slice(0, 80),
                left: Math.round(r.left), right: Math.round(r.right), vw});
    }
  }
  const page = document.documentElement.scrollWidth > vw + 1;
  return {blocks: out, pageScrolls: page, scrollWidth: document.documentElement.scrollWidth, vw};
}"""


def axe_source() -> str:
    """axe.min.js of the pinned axe-core (skips locally / fails in CI when it is missing; a
    different version is an error: the results and the rule list depend on it)."""
    require(AXE_JS.is_file(), f"{AXE_JS} missing: run `make browser-deps` (npm ci in tests/browser)")
    version = json.loads((AXE_JS.parent / "package.json").read_text(encoding="utf-8"))["version"]
    assert version.startswith(AXE_VERSION + "."), (
        f"tests/browser has axe-core {version}, the tests are written for {AXE_VERSION}: run `npm ci "
        "--prefix tests/browser` (package-lock.json pins it)")
    return AXE_JS.read_text(encoding="utf-8")


@dataclass
class Audit:
    url: str
    violations: list[dict] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _axe_options(disable: dict[str, str] | None = None) -> dict:
    opts: dict = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    off = {**DISABLED_RULES, **(disable or {})}
    if off:
        opts["rules"] = {r: {"enabled": False} for r in off}
    return opts


AXE_RUN_JS = """async ([context, options]) => {
  const r = await axe.run(context, options);
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, tags: v.tags,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300),
                              summary: (n.failureSummary || '').slice(0, 300)}))}));
}"""


def settle(page, timeout_ms: int = 30_000, charts: bool = True) -> None:
    """Wait for the page's live explorers to start (each is brought into view once, so a lazy one
    loads its states), its charts to be drawn (div.nkteach-plotly, a live .nkl-chart → svg) and
    its maps to render: the audit then covers what a reader who scrolls through sees.
    ``charts=False``: a page with no script that draws them (nbconvert's own export): do not
    wait for what cannot come."""
    from tests.support.paths import script

    page.wait_for_load_state("load")
    print_pdf = script("print_pdf")
    try:
        print_pdf.wait_live(page, timeout_ms)        # the printer's wait for live explorers
        if charts:
            page.wait_for_function(print_pdf.DRAWN_JS, timeout=timeout_ms)
    except Exception:   # an undrawn chart or explorer is test_site's failure; audit what is there
        pass
    page.wait_for_timeout(300)


def run_axe(page, include: list[str] | None = None, disable: dict[str, str] | None = None) -> list[dict]:
    """axe-core's WCAG 2.x A/AA violations of the loaded page (frames included), or only of the
    elements matching the ``include`` selectors (e.g. ``[".jp-OutputArea-output"]`` to audit
    what nkteach puts in JupyterLab's output areas, not JupyterLab's own interface). ``disable``:
    rule id -> reason, for rules a caller scopes out (the reason is for the reader)."""
    src = axe_source()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=src)
    # axe audits same-origin iframes itself when axe is in them too (folium's srcdoc maps)
    for frame in page.frames[1:]:
        try:
            frame.add_script_tag(content=src)
        except Exception:   # a detached or cross-origin frame: axe reports it as not audited
            pass
    # axe's context: the whole document (or the included parts) less the scoped-out selectors
    context: dict = {"exclude": [[s] for s in EXCLUDE]}
    if include:
        context["include"] = [[s] for s in include]
    return page.evaluate(AXE_RUN_JS, [context, _axe_options(disable)])


def open_page(chromium, url: str, *, width: int = 1200, height: int = 900, color_scheme: str = "light",
              charts: bool = True):
    """(page, context, audit) with every request off 127.0.0.1 aborted and page errors logged
    (``charts``: see :func:`settle`)."""
    ctx = chromium.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme)
    routes = browser.install_offline_routes(ctx)
    page = ctx.new_page()
    audit = Audit(url=url, blocked=routes.blocked)
    page.on("pageerror", lambda e: audit.errors.append(str(e)))
    page.goto(url)
    settle(page, charts=charts)
    return page, ctx, audit


def audit(chromium, url: str, *, theme: str = "light", before=None, include: list[str] | None = None,
          disable: dict[str, str] | None = None, charts: bool = True) -> Audit:
    """Open ``url`` offline, optionally switch the site theme ("light"/"dark", pydata-sphinx-theme's
    data-theme), call ``before(page)`` and run axe (``charts``: see :func:`settle`)."""
    page, ctx, result = open_page(chromium, url, color_scheme=theme, charts=charts)
    try:
        set_theme(page, theme)
        if before:
            before(page)
        result.violations = run_axe(page, include, disable)
    finally:
        ctx.close()
    return result


def audit_themes(chromium, url: str, themes=("light", "dark")) -> dict[str, Audit]:
    """Open ``url`` offline once and audit it in each theme in turn: the browser's colour scheme
    and the site theme switched between the audits (the page is not reloaded)."""
    page, ctx, first = open_page(chromium, url, color_scheme=themes[0])
    out = {}
    try:
        # the theme's colours change with CSS transitions: audit each theme's end state, not a
        # colour half way (the page loaded in one theme has no transition running)
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; "
                                   "animation: none !important; }")
        for theme in themes:
            result = Audit(url=url, blocked=first.blocked, errors=first.errors)
            page.emulate_media(color_scheme=theme)
            set_theme(page, theme)
            result.violations = run_axe(page)
            out[theme] = result
    finally:
        ctx.close()
    return out


def set_theme(page, theme: str) -> None:
    """pydata-sphinx-theme keeps the mode on <html data-theme>; other pages ignore it."""
    page.evaluate("""(t) => { const h = document.documentElement;
      if (h.dataset.mode !== undefined || h.dataset.theme !== undefined) {
        h.dataset.mode = t; h.dataset.theme = t; } }""", theme)
    page.wait_for_timeout(100)


def reflow(chromium, url: str) -> dict:
    """Text blocks that overflow a 320 CSS px wide viewport (WCAG 1.4.10)."""
    page, ctx, _ = open_page(chromium, url, width=REFLOW_WIDTH, height=640)
    try:
        return page.evaluate(REFLOW_JS, [OWN_BOX, TEXT_BLOCKS])
    finally:
        ctx.close()


def count(violations: list[dict]) -> int:
    """Number of failing elements (axe's nodes) over all rules."""
    return sum(len(v["nodes"]) for v in violations)


def describe(violations: list[dict], limit: int = 4) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}")
        for n in v["nodes"][:limit]:
            why = n["summary"].splitlines()[-1] if n["summary"] else ""
            lines.append(f"    {' '.join(map(str, n['target']))}: {why}\n      {n['html'][:160]}")
    return "\n".join(lines)


def page_kind(rel: str) -> str:
    """home, lesson, course page, references, search, index (genindex), grades, export."""
    name = Path(rel).name
    if rel == "index.html":
        return "home"
    if rel.startswith("lessons/") and name[:2].isdigit():
        return "lesson"
    if rel.startswith("lessons/"):
        return "course page"
    return {"references.html": "references", "search.html": "search",
            "genindex.html": "general index"}.get(name, "other")


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site (relative paths), without Sphinx's _static/_sources."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).parts[0].startswith("_"))


def dump(results: dict, path: Path) -> None:
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
